"""A killed ingest leaves the published state intact, and readers keep answering while an ingest runs."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from index.published import open_published
from pipeline.ingest_run import IngestOptions, run_ingest
from queries.search.passages import search_passages
from queries.search.quote_filters import QuoteFilter
from queries.search.quote_listing import list_quotes
from queries.verify import verify_published
from tests.conftest import REPO

PARAGRAPH = (
    "Respondents said the funding for care homes stopped when the pilot ended, and staff were moved "
    "to other services. Commissioners described how the Primary Care Networks took on the work. "
)
QUOTE = "As one commissioner said:\n\nWe lost the money and we lost the people who knew the homes. (P3S{site}R0{n})\n\n"


def report(title: str, sections: int, site: int) -> str:
    parts = [f"{title}\n\nIntroduction\n\n{PARAGRAPH * 3}\n\nFindings\n\n"]
    for i in range(sections):
        parts.append(f"Theme {i + 1}: Resources and people\n\n{PARAGRAPH * 4}\n\n")
        parts.append(QUOTE.format(site=site, n=i % 9 + 1))
    return "".join(parts)


def write_manifest(root: Path, docs: dict[str, str]) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    lines = ["root: corpus", "documents:"]
    for name, text in docs.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        lines.append(f"  - {{id: {name}, path: {name}.txt, title: {name}, study: s}}")
    manifest = root / "manifest.yaml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def ingest(manifest: Path, data: Path) -> None:
    run_ingest(manifest, data, HashingEmbedder, IngestOptions(workers=2, show_progress=False))


def snapshot(data: Path) -> tuple:
    con, generation = open_published(data)
    try:
        documents = con.execute("SELECT doc_id, sha256, status FROM documents ORDER BY doc_id").fetchall()
        counts = con.execute(
            "SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM quotes), (SELECT count(*) FROM sections)"
        ).fetchone()
    finally:
        con.close()
    meta = (generation.index_dir / "passages.json").read_text()
    return tuple(documents), counts, meta


def _ingest_in_child(manifest: Path, data: Path) -> mp.Process:
    process = mp.get_context("fork").Process(target=ingest, args=(manifest, data))
    process.start()
    return process


@pytest.fixture
def corpora(tmp_path: Path) -> tuple[Path, Path]:
    """A first corpus, and a second one where one report changed and two were added."""
    first = {f"r{i}": report(f"Report {i}", 6, i) for i in range(3)}
    second = {
        **first,
        "r1": report("Report 1 revised", 8, 1),
        "r7": report("Report 7", 9, 7),
        "r8": report("Report 8", 9, 8),
    }
    return write_manifest(tmp_path / "a", first), write_manifest(tmp_path / "b", second)


def test_a_killed_ingest_leaves_the_previous_state_intact(corpora, tmp_path):
    first, second = corpora
    data = tmp_path / "data"
    ingest(first, data)
    before = snapshot(data)
    reference = tmp_path / "reference"
    started = time.monotonic()
    ingest(second, reference)
    full_run = time.monotonic() - started
    after = snapshot(reference)

    rng = random.Random(20261122)
    for _ in range(10):
        process = _ingest_in_child(second, data)
        time.sleep(rng.uniform(0.0, full_run))
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        assert verify_published(data) == []
        assert snapshot(data) in (before, after)
        if snapshot(data) == after:
            ingest(first, data)
            before = snapshot(data)

    ingest(second, data)
    assert verify_published(data) == []
    assert snapshot(data) == after


def test_readers_keep_answering_while_an_ingest_runs(corpora, tmp_path):
    first, second = corpora
    data = tmp_path / "data"
    ingest(first, data)
    process = _ingest_in_child(second, data)
    answered = 0
    try:
        while process.is_alive():
            assert list_quotes(data, QuoteFilter())
            assert search_passages(data, "funding for care homes", HashingEmbedder(), k=3)
            answered += 1
    finally:
        process.join()
    assert process.exitcode == 0
    assert answered > 0
    assert verify_published(data) == []


def test_a_second_ingest_on_the_same_data_folder_is_refused(corpora, tmp_path):
    from index.published import IngestRunning, ingest_lock

    first, _ = corpora
    data = tmp_path / "data"
    with ingest_lock(data), pytest.raises(IngestRunning):
        ingest(first, data)


INGEST_SCRIPT = """
import sys
from pathlib import Path
from index.embedder import HashingEmbedder
from pipeline.ingest_run import IngestOptions, run_ingest
run_ingest(Path(sys.argv[1]), Path(sys.argv[2]), HashingEmbedder, IngestOptions(workers=2, show_progress=False))
"""


def _ingest_process(manifest: Path, data: Path) -> subprocess.Popen:
    """An ingest in a process (and session) of its own, as a user's shell would start it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", INGEST_SCRIPT, str(manifest), str(data)], cwd=REPO, env=env,
                            start_new_session=True)


def _session_members(session: int) -> list[int]:
    """Live processes (not zombies) of a session: the killed run's workers, if any survived."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == session:
            members.append(int(stat.parent.name))
    return members


@pytest.fixture
def big_corpus(tmp_path: Path) -> Path:
    """Enough long reports that parsing takes a while and each result overflows a pipe's buffer."""
    return write_manifest(tmp_path / "big", {f"b{i}": report(f"Report {i}", 40, i % 9 + 1) for i in range(8)})


@pytest.mark.slow
@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_ingest_leaves_no_process_behind_and_the_next_ingest_starts_at_once(
    big_corpus, corpora, tmp_path, signal_number
):
    small, _ = corpora
    data = tmp_path / "data"
    started = time.monotonic()
    assert _ingest_process(big_corpus, tmp_path / "reference").wait() == 0
    full_run = time.monotonic() - started
    for fraction in (0.3, 0.6, 0.9):
        process = _ingest_process(big_corpus, data)
        time.sleep(full_run * fraction)
        process.send_signal(signal_number)
        process.wait()
        deadline = time.monotonic() + 5.0
        while _session_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _session_members(process.pid) == []
        ingest(small, data)
        assert verify_published(data) == []


def _publish_repeatedly(manifests: list[Path], data: Path, times: int) -> None:
    for i in range(times):
        ingest(manifests[i % len(manifests)], data)


@pytest.mark.slow
def test_readers_never_fail_while_publishes_follow_one_another(corpora, tmp_path):
    first, _ = corpora
    data = tmp_path / "data"
    ingest(first, data)
    writer = mp.get_context("fork").Process(target=_publish_repeatedly, args=([first], data, 16))
    writer.start()
    failures, answered = [], 0
    try:
        while writer.is_alive():
            try:
                list_quotes(data, QuoteFilter())
                search_passages(data, "funding for care homes", HashingEmbedder(), k=3)
                answered += 1
            except Exception as error:  # every failure counts, whatever it is
                failures.append(repr(error))
    finally:
        writer.join()
    assert writer.exitcode == 0
    assert answered > 0
    assert failures == []


def _hold_lock(data: Path, ready, stop) -> None:
    from index.published import ingest_lock

    with ingest_lock(data):
        ready.set()
        stop.wait(30)


def test_a_refused_ingest_names_the_process_holding_the_lock(tmp_path):
    from index.published import IngestRunning, ingest_lock

    context = mp.get_context("fork")
    ready, stop = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(tmp_path, ready, stop))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(IngestRunning, match=f"process {holder.pid}, started"), ingest_lock(tmp_path):
            pass
    finally:
        stop.set()
        holder.join()


def test_the_lock_of_a_killed_ingest_is_released_by_the_kernel(tmp_path):
    from index.published import ingest_lock

    context = mp.get_context("fork")
    ready, stop = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(tmp_path, ready, stop))
    holder.start()
    assert ready.wait(10)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    with ingest_lock(tmp_path):
        pass


def _sleep_and_record(folder: Path) -> None:
    (folder / str(os.getpid())).touch()
    time.sleep(120)


def _run_sleepers(folder: Path) -> None:
    from pipeline.workers import run_tasks

    list(run_tasks(_sleep_and_record, [(i, (folder,)) for i in range(2)], workers=2))


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_worker_processes_die_with_the_process_that_started_them(tmp_path, signal_number):
    parent = mp.get_context("fork").Process(target=_run_sleepers, args=(tmp_path,))
    parent.start()
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert len(workers) == 2
    os.kill(parent.pid, signal_number)
    parent.join()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_replaced_generation_is_kept_while_recently_replaced_or_read_and_removed_after(corpora, tmp_path):
    from index.published import GRACE_SECONDS, LAST_READ, SUPERSEDED, published, remove_stale_generations

    first, _ = corpora
    data = tmp_path / "data"
    ingest(first, data)
    con, generation = open_published(data)
    con.close()
    old = generation.path
    ingest(first, data)
    assert old.is_dir()
    _age(old / SUPERSEDED, GRACE_SECONDS + 1)
    _age(old / LAST_READ, GRACE_SECONDS / 2)
    remove_stale_generations(data)
    assert old.is_dir()
    _age(old / LAST_READ, GRACE_SECONDS + 1)
    remove_stale_generations(data)
    assert not old.exists()
    assert published(data).path.is_dir()
