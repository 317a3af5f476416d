"""Ingest on a Ray cluster: each document parsed as a Ray task, texts embedded by Ray actors.

The same interface as the local pool (`pipeline.executors`), so the run and what it publishes are
the same: tasks report (key, result, error) in completion order and are cancelled past the time
limit; each embedding actor loads the model once and computes with at most `threads` threads
(one Ray CPU each), and a batch is split across the actors in order. The int8 model gives a text
the same vector alone or in any batch, so vectors equal a local run's whatever the split.

Ray is connected on first use: a run that parses and embeds nothing never starts it. Without an
address a local Ray instance is started; with one (`ray://host:10001`, or `auto` on a cluster
node) the repository's packages travel with the job, so the cluster runs this very code. Every
node needs the pinned dependencies installed and the documents at the same paths.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedder import QUERY_TEXTS, Embedder
from pipeline.workers import TaskTimeout, WorkerCrashed

EMBED_THREADS = 2
PACKAGES = ("ingest", "index", "pipeline", "queries")
ROOT = Path(__file__).resolve().parents[1]
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


class RayExecutor:
    """Parse tasks and embedding actors on the Ray cluster at `address` (None: a local instance)."""

    def __init__(self, address: str | None = None, embed_threads: int = EMBED_THREADS,
                 embed_actors: int | None = None):
        self.address = address
        self.embed_threads = max(1, embed_threads)
        self.embed_actors = embed_actors
        self._started = False

    def _ray(self):
        import ray

        if not ray.is_initialized():
            runtime_env: dict[str, Any] = {"env_vars": OFFLINE}
            if self.address:
                runtime_env["py_modules"] = [str(ROOT / name) for name in PACKAGES]
            ray.init(address=self.address, runtime_env=runtime_env, include_dashboard=False,
                     log_to_driver=False, configure_logging=False)
            self._started = True
        return ray

    def begin(self, key: Any, fn: Callable[..., Any], args: tuple, workers: int | None, timeout: float | None) -> None:
        """Nothing begins early: no core of the cluster waits while this process loads."""

    def prepare(self, load: Callable[[], Any]) -> None:
        """Nothing here: each Ray worker loads what it needs with its first task and keeps it."""

    def cluster_cpus(self) -> int:
        return max(1, int(self._ray().cluster_resources().get("CPU", 1)))

    def run_tasks(self, fn: Callable[..., Any], tasks: Iterable[tuple[Any, tuple]], workers: int | None,
                  timeout: float | None) -> Iterator[tuple[Any, Any, BaseException | None]]:
        """At most `workers` tasks at a time (None: one per CPU of the cluster), so that a task's time
        limit counts from when it can start."""
        ray = self._ray()
        remote = ray.remote(fn).options(num_cpus=1, max_retries=0)
        limit = workers or self.cluster_cpus()
        pending = list(tasks)[::-1]
        running: dict[Any, tuple[Any, float | None]] = {}
        try:
            while pending or running:
                while pending and len(running) < limit:
                    key, args = pending.pop()
                    running[remote.remote(*args)] = (key, time.monotonic() + timeout if timeout else None)
                deadlines = [d for _, d in running.values() if d is not None]
                wait_for = max(min(deadlines) - time.monotonic(), 0.0) if deadlines else None
                ready, _ = ray.wait(list(running), num_returns=1, timeout=wait_for)
                for ref in ready:
                    key, _ = running.pop(ref)
                    yield key, *_result(ray, ref)
                now = time.monotonic()
                for ref, (key, deadline) in list(running.items()):
                    if ref not in ready and deadline is not None and now >= deadline:
                        del running[ref]
                        ray.cancel(ref, force=True)
                        yield key, None, TaskTimeout(f"stopped after the time limit of {timeout:g} s")
        finally:
            for ref in running:
                ray.cancel(ref, force=True)

    def embedder(self, factory: Callable[[], Embedder]) -> Embedder:
        return ActorEmbedder(self, factory)

    def close(self) -> None:
        if self._started:
            import ray

            ray.shutdown()


def _result(ray, ref) -> tuple[Any, BaseException | None]:
    from ray import exceptions

    try:
        return ray.get(ref), None
    except exceptions.RayTaskError as error:
        cause = getattr(error, "cause", None)
        return None, cause if isinstance(cause, BaseException) else RuntimeError(str(error).splitlines()[0])
    except (exceptions.WorkerCrashedError, exceptions.NodeDiedError, exceptions.ObjectLostError) as error:
        return None, WorkerCrashed(f"the Ray worker stopped unexpectedly ({type(error).__name__})")


class _EmbedWorker:
    """One embedder inside a Ray actor: the model is loaded on its first batch and kept."""

    def __init__(self, factory: Callable[[], Embedder], threads: int):
        os.environ.update({"OMP_NUM_THREADS": str(threads), **OFFLINE})
        self.embedder = factory()
        if hasattr(self.embedder, "threads"):
            self.embedder.threads = threads

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.encode(texts)


class ActorEmbedder:
    """The run's embedder, computing in Ray actors; name and dimension are the factory's own."""

    def __init__(self, executor: RayExecutor, factory: Callable[[], Embedder]):
        local = factory()  # built, never loaded: it only names the model
        self.model_name = local.model_name
        self.dim = local.dim
        self._executor = executor
        self._factory = factory
        self._actors: list = []

    @property
    def loaded(self) -> bool:
        return bool(self._actors)

    def _start(self) -> list:
        if not self._actors:
            ray = self._executor._ray()
            threads = self._executor.embed_threads
            count = self._executor.embed_actors or max(1, self._executor.cluster_cpus() // threads)
            actor = ray.remote(_EmbedWorker).options(num_cpus=threads)
            self._actors = [actor.remote(self._factory, threads) for _ in range(count)]
        return self._actors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        # Every share above the query size, so each takes the path the whole batch would locally.
        actors = self._start()[:max(1, len(texts) // (QUERY_TEXTS + 1))]
        share = -(-len(texts) // len(actors))
        refs = [actor.encode.remote(texts[start:start + share])
                for actor, start in zip(actors, range(0, len(texts), share))]
        parts = self._executor._ray().get(refs)
        return np.vstack(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)
