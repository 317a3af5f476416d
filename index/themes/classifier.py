"""A codebook's classifier: for every quotation and theme, the probability that the quotation is
evidence for the theme, learned from coded examples.

Features: a quotation is read as two vectors side by side, the mean of its windows (quotation
with lead-in) and the passages around it weighted as dense ranking weighs them (see
corpus.py); the authors' prose around a short quotation says what it is about. A phrase
example has no surroundings, so its own vector fills both halves.

Model: one logistic regression per theme (multi-label: a quotation may speak to two themes, or to
none), its regularisation chosen by cross-validated log loss on the examples themselves. A few
hundred examples in 384 dimensions are all but separable, so that loss keeps falling as the
regularisation weakens and the Platt curve does the shrinking calibration needs: the grid runs
to 10^4, past which that loss improves by about one per cent a decade. The
scores are then calibrated by Platt scaling fitted on out-of-fold scores, so that 0.7 means "seven
in ten such quotations are evidence for the theme" on the examples, and one floor (0.5) means
the same for every theme and codebook. "None of these" is the probability that no theme applies.

Folds are grouped by section: every example quotation of one section sits in the same fold (a
phrase is a group of its own). A quotation's features are mostly the prose of its section, so
quotations of one section are near copies of each other; with them split over folds, a held-out
quotation is scored by a model that saw its section, the out-of-fold scores are as good as
in-sample ones, and the Platt curve and the regularisation fitted on them are overconfident.
Grouped, each out-of-fold score is that of a section the model never saw, which is what every
quotation of a new document is. Calibration across themes is one curve, not one per theme: a
theme has a handful of positive groups, too few to fit a curve of its own.

Free text has no examples: its blended cosine is mapped to a probability by a Platt curve fitted
against the codebook classifiers' probabilities over the corpus, so a free-text floor means what
a codebook floor means.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow.compute as pc

from index.ids import text_sha256
from index.themes.corpus import QUOTE_WEIGHT, ThemeCorpus
from index.themes.examples import CodedExample
from ingest.cores import available_cores, one_blas_thread
from ingest.errors import ConfigError

# Part of the examples' hash: a change to how classifiers are trained retrains every stored one.
TRAINER_VERSION = "newton-l2-platt-section-folds-3"
REGULARISATION_GRID = (0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)
# Platt scaling fits two numbers on hundreds of scores: all but unregularised.
PLATT_STRENGTH = 1e6
NEWTON_STEPS = 30
# Newton stops when a step improves the objective by less than this share of it.
NEWTON_TOLERANCE = 1e-6
# Curvature added for the unpenalised intercept, so a step is defined where every score is saturated.
INTERCEPT_RIDGE = 1e-10
MAX_FOLDS = 5
# Newton systems solved in one call take at most this much memory.
SYSTEM_BYTES = 64 * 2**20
# Newton systems of fewer elements than this in all are solved on one thread: handing them to
# threads costs more than it saves.
THREADED_ELEMENTS = 2**18
SEED = 0


class NotEnoughExamples(ConfigError):
    """A codebook whose examples cannot train a classifier (no theme has a positive example)."""


@dataclass(frozen=True)
class CodebookClassifier:
    """Per-theme linear scores (weights, bias) and one Platt curve (scale, offset) over them."""

    codebook: str
    theme_ids: tuple[int, ...]
    weights: np.ndarray
    bias: np.ndarray
    scale: float
    offset: float
    examples_sha256: str
    n_examples: int

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(rows, themes) calibrated probabilities, themes in `theme_ids` order."""
        return _sigmoid(self.scale * (features @ self.weights.T + self.bias) + self.offset)


@dataclass(frozen=True)
class TrainingSet:
    """Examples as feature rows and a label matrix; `known` is False where a row says nothing of a theme.
    `groups` numbers the rows that must share a fold (the quotations of one section); None: each row alone."""

    features: np.ndarray
    labels: np.ndarray
    known: np.ndarray
    sha256: str
    groups: np.ndarray | None = None

    def row_groups(self) -> np.ndarray:
        """Group number per row (each row its own group when none were given)."""
        return np.arange(len(self.labels)) if self.groups is None else np.asarray(self.groups)


def quote_features(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus) -> np.ndarray:
    """(quotations, dim): each quotation read with the authors' prose of its section, centred.

    The vector is QUOTE_WEIGHT of the quotation's mean window and the rest of the mean passage of
    its section (passages hold no heading text); a quotation whose section has no passage takes the
    Gaussian-weighted passages around it, and one with neither its windows alone. Centring on the
    corpus mean removes what every quotation of the corpus shares. A quotation without windows has zeros.
    """
    if not len(corpus.window_vectors):
        return np.zeros((len(corpus), 0), dtype=np.float32)
    dim = corpus.window_vectors.shape[1]
    own = np.zeros((len(corpus), dim), dtype=np.float64)
    np.add.at(own, corpus.window_quote_rows, corpus.window_vectors)
    own = _unit(own)
    around = own.copy()
    if len(corpus.context_weights) and corpus.passage_vectors.shape[1] == dim:
        summed = np.zeros((len(corpus), dim), dtype=np.float64)
        np.add.at(summed, corpus.context_quote_rows,
                  corpus.context_weights[:, None] * corpus.passage_vectors[corpus.context_passages])
        has = np.zeros(len(corpus), dtype=bool)
        has[corpus.context_quote_rows] = True
        around[has] = _unit(summed[has])
    for row, vector in _section_means(con, corpus, dim).items():
        around[row] = vector
    blended = _unit(QUOTE_WEIGHT * own + (1.0 - QUOTE_WEIGHT) * around)
    has_windows = np.zeros(len(corpus), dtype=bool)
    has_windows[corpus.window_quote_rows] = True
    centred = np.zeros_like(blended)
    if has_windows.any():
        centred[has_windows] = _unit(blended[has_windows] - blended[has_windows].mean(axis=0))
    return centred.astype(np.float32)


def phrase_features(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Phrase vectors centred on the mean of the codebooks' phrases (a phrase is its own context)."""
    vectors = _unit(np.atleast_2d(np.asarray(vectors, dtype=np.float64)))
    return _unit(vectors - centre).astype(np.float32)


def phrase_centre(corpus: ThemeCorpus) -> np.ndarray:
    """Mean vector of every stored theme's texts: what codebook wording shares."""
    stacked = [t.vectors for t in corpus.themes if t.vectors is not None]
    return _unit(np.concatenate(stacked)).mean(axis=0) if stacked else np.zeros(0)


def _section_means(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, dim: int) -> dict[int, np.ndarray]:
    """Corpus row -> unit mean vector of the passages of the quotation's section (rows with none left out)."""
    table = con.sql(
        "SELECT q.quote_id, e.vector FROM quotes q JOIN passages p ON p.section_id = q.section_id "
        "JOIN embeddings e ON e.text_sha256 = p.text_sha256 AND e.model = $model ORDER BY q.quote_id, p.passage_id",
        params={"model": corpus.model},
    ).to_arrow_table()
    if table.num_rows == 0:
        return {}
    flat = pc.list_flatten(table.column("vector")).to_numpy(zero_copy_only=False).astype(np.float64)
    vectors = flat.reshape(table.num_rows, -1)
    if vectors.shape[1] != dim:
        return {}
    rows = np.array([corpus.position.get(q, -1) for q in table.column("quote_id").to_pylist()], dtype=np.int64)
    keep = rows >= 0
    sums = np.zeros((len(corpus), dim), dtype=np.float64)
    np.add.at(sums, rows[keep], vectors[keep])
    return {int(r): v for r, v in zip(np.unique(rows[keep]), _unit(sums[np.unique(rows[keep])]))}


def training_set(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, features: np.ndarray,
                 theme_ids: Sequence[int], examples: Sequence[CodedExample]) -> TrainingSet:
    """One row per distinct example text: positive for the themes it is coded with, negative for the
    other themes, unknown for a theme a reviewer only rejected it for. Phrases without a stored
    vector are left out. Quotations of one section form one group (see the module docstring)."""
    column = {t: i for i, t in enumerate(theme_ids)}
    vectors = _phrase_vectors(con, corpus.model, [e.text for e in examples if e.quote_id is None and e.text])
    centre = phrase_centre(corpus)
    rows: dict[str, tuple[np.ndarray, dict[int, bool]]] = {}
    group_of: dict[str, tuple] = {}
    for example in examples:
        if example.theme_id not in column:
            continue
        if example.quote_id is not None:
            position = corpus.position.get(example.quote_id)
            if position is None or not features.shape[1]:
                continue
            feature = features[position]
            group_of[example.key] = ("section", corpus.doc_ids[position], corpus.section_paths[position])
        else:
            vector = vectors.get(text_sha256(example.text or ""))
            if vector is None:
                continue
            feature = phrase_features(vector, centre)[0]
            group_of[example.key] = ("phrase", example.key)
        rows.setdefault(example.key, (feature, {}))[1][column[example.theme_id]] = example.positive
    if not rows:
        raise NotEnoughExamples("no coded example has a stored vector; re-run the ingest")
    x = np.stack([feature for feature, _ in rows.values()]).astype(np.float32)
    labels = np.zeros((len(rows), len(theme_ids)), dtype=np.int8)
    known = np.zeros_like(labels, dtype=bool)
    for i, (_, codes) in enumerate(rows.values()):
        positives = [c for c, positive in codes.items() if positive]
        labels[i, positives] = 1
        known[i] = bool(positives)
        known[i, list(codes)] = True
    numbers: dict[tuple, int] = {}
    groups = np.array([numbers.setdefault(group_of[key], len(numbers)) for key in rows], dtype=np.int64)
    digest = hashlib.sha256(TRAINER_VERSION.encode())
    for part in (np.asarray(theme_ids, np.int64), x, labels, known, groups):
        digest.update(np.ascontiguousarray(part).tobytes())
    return TrainingSet(x, labels, known, digest.hexdigest(), groups)


def train_classifier(codebook: str, theme_ids: Sequence[int], data: TrainingSet) -> CodebookClassifier:
    """Fit one regularised logistic regression per theme and one Platt curve over their out-of-fold scores.

    The matrices are small (hundreds of rows), where a multi-threaded BLAS spends more time
    coordinating its threads than computing, so training runs on one thread.
    """
    if not data.labels.any():
        raise NotEnoughExamples(f"codebook {codebook!r} has no positive example for any theme")
    with one_blas_thread():
        strength, (scores, truth) = _choose_strength(data)
        [(weights, bias)] = _fit(data, (strength,), np.ones(len(data.labels), dtype=bool))
        scale, offset = platt(scores, truth) if len(set(truth.tolist())) == 2 else (1.0, 0.0)
    return CodebookClassifier(codebook, tuple(theme_ids), weights, bias, scale, offset, data.sha256,
                              len(data.labels))


def platt(scores: np.ndarray, truth: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """Scale and offset of the logistic curve that best maps scores to the (weighted) truth."""
    x = np.asarray(scores, dtype=np.float64).reshape(-1, 1)
    coef, intercept = logistic_fit(x, np.asarray(truth, dtype=np.float64), weights, strength=PLATT_STRENGTH)
    return float(coef[0]), float(intercept)


def logistic_fit(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None,
                 strength: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method: minimises |w|^2 / 2 plus `strength`
    times the weighted log loss (the intercept is not penalised). Plain numpy, and threads that live
    only as long as the call, so it is safe in a forked process (OpenMP thread pools are not)."""
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    coefs, intercepts = logistic_fits(x, y[None], w[None], np.array([strength], dtype=np.float64))
    return coefs[0], float(intercepts[0])


def logistic_fits(x: np.ndarray, y: np.ndarray, weights: np.ndarray,
                  strengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Many regressions over the same rows `x`, each as `logistic_fit` does one: regression b has the
    truth `y[b]`, row weights `weights[b]` and strength `strengths[b]`; (coefficients, intercepts).

    A codebook trains one regression per theme and regularisation strength on each fold, all on the
    same rows. Run together, every Newton step solves their systems in one call rather than one
    Python loop each, which was most of a codebook's training time.

    With fewer rows than features (a codebook's few dozen examples against 384 dimensions) the
    weights lie in the span of the rows, w = x.T @ a, and Newton works on the rows' coefficients
    `a`: the same iterates and objective values as on the weights, for systems of the rows' size.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.atleast_2d(np.asarray(y, dtype=np.float64))
    weights = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    strengths = np.asarray(strengths, dtype=np.float64)
    fit = _fit_row_space if len(x) < x.shape[1] else _fit_weights
    size = min(len(x), x.shape[1]) + 1
    chunk = max(1, SYSTEM_BYTES // (8 * size * size))
    threads = min(available_cores(), len(y)) if len(y) * size * size >= THREADED_ELEMENTS else 1
    with _step_map(threads) as steps:
        parts = [fit(x, y[i:i + chunk], weights[i:i + chunk], strengths[i:i + chunk], steps)
                 for i in range(0, len(y), chunk)]
    return np.concatenate([c for c, _ in parts]), np.concatenate([b for _, b in parts])


# A Newton step of the regressions at the given indices, from their current coefficients.
Step = Callable[[np.ndarray, np.ndarray], np.ndarray]
# Runs a step over the regressions given, on one thread or split over several.
StepMap = Callable[[Step, np.ndarray, np.ndarray], np.ndarray]


@contextmanager
def _step_map(threads: int) -> Iterator[StepMap]:
    """Newton steps of many regressions, their rows split over `threads` threads.

    A step is mostly LAPACK solving small systems and numpy building them, both outside the GIL, so
    threads share the work; one BLAS call on a system this small gains nothing from BLAS's own threads.
    """
    if threads < 2:
        yield lambda step, theta, at: step(theta, at)
        return
    with ThreadPoolExecutor(threads) as pool:
        def steps(step: Step, theta: np.ndarray, at: np.ndarray) -> np.ndarray:
            parts = np.array_split(np.arange(len(at)), min(threads, len(at)))
            return np.concatenate(list(pool.map(lambda part: step(theta[part], at[part]), parts)))

        yield steps


def _fit_weights(x: np.ndarray, y: np.ndarray, w: np.ndarray, strengths: np.ndarray,
                 steps: StepMap) -> tuple[np.ndarray, np.ndarray]:
    """Newton on the weights and intercept: a (features + 1)-square system per regression and step."""
    n, dim = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    penalty = np.ones(dim + 1)
    penalty[-1] = 0.0
    diagonal, ridge = np.diag_indices(dim + 1), penalty + INTERCEPT_RIDGE

    def objective(beta: np.ndarray, at: np.ndarray) -> np.ndarray:
        return 0.5 * beta**2 @ penalty + strengths[at] * _log_loss(beta @ design.T, y[at], w[at])

    def step(beta: np.ndarray, at: np.ndarray) -> np.ndarray:
        p = _sigmoid(beta @ design.T)
        gradient = penalty * beta + strengths[at, None] * ((w[at] * (p - y[at])) @ design)
        curvature = strengths[at, None] * w[at] * p * (1.0 - p)
        hessian = np.stack([(design.T * c) @ design for c in curvature])
        hessian[:, diagonal[0], diagonal[1]] += ridge  # in place: no dense diagonal matrix per step
        return np.linalg.solve(hessian, gradient[..., None])[..., 0]

    beta = _newton(objective, step, np.zeros((len(y), dim + 1)), steps)
    return beta[:, :-1], beta[:, -1]


def _fit_row_space(x: np.ndarray, y: np.ndarray, w: np.ndarray, strengths: np.ndarray,
                   steps: StepMap) -> tuple[np.ndarray, np.ndarray]:
    """Newton on (a, intercept) with w = x.T @ a: a (rows + 1)-square system per regression and step.

    With the Gram matrix K = x @ x.T, the scores are K a + b and |w|^2 is a' K a. The weights'
    Newton system, written for w = x.T @ a, is x.T times the system solved here, so both take the
    same step.
    """
    n = len(x)
    gram = x @ x.T
    identity = np.eye(n)

    def objective(theta: np.ndarray, at: np.ndarray) -> np.ndarray:
        a, b = theta[:, :-1], theta[:, -1:]
        ka = a @ gram
        return 0.5 * np.sum(a * ka, axis=1) + strengths[at] * _log_loss(ka + b, y[at], w[at])

    def step(theta: np.ndarray, at: np.ndarray) -> np.ndarray:
        a, b = theta[:, :-1], theta[:, -1:]
        p = _sigmoid(a @ gram + b)
        residual = strengths[at, None] * w[at] * (p - y[at])
        curvature = strengths[at, None] * w[at] * p * (1.0 - p)
        system = np.empty((len(theta), n + 1, n + 1))
        system[:, :n, :n] = identity + curvature[:, :, None] * gram
        system[:, :n, n] = curvature
        system[:, n, :n] = curvature @ gram
        system[:, n, n] = curvature.sum(axis=1) + INTERCEPT_RIDGE
        right = np.concatenate([a + residual, residual.sum(axis=1, keepdims=True)], axis=1)
        return np.linalg.solve(system, right[..., None])[..., 0]

    theta = _newton(objective, step, np.zeros((len(y), n + 1)), steps)
    return theta[:, :-1] @ x, theta[:, -1]


def _newton(objective: Callable[[np.ndarray, np.ndarray], np.ndarray], step: Step, start: np.ndarray,
            steps: StepMap) -> np.ndarray:
    """Damped Newton for many problems at once (one per row of `start`), each on its own course:
    its step halved until its objective falls, and it stops when a step barely improves it or no
    halving helps. `objective` and `step` take the rows of the problems still running and their indices."""
    beta = start.copy()
    current = objective(beta, np.arange(len(beta)))
    running = np.arange(len(beta))
    for _ in range(NEWTON_STEPS):
        if not len(running):
            break
        direction = steps(step, beta[running], running)
        size = np.ones(len(running))
        trial = beta[running] - direction
        value = objective(trial, running)
        while (halve := (value > current[running]) & (size > 1e-4)).any():
            size[halve] /= 2
            trial[halve] = beta[running[halve]] - size[halve, None] * direction[halve]
            value[halve] = objective(trial[halve], running[halve])
        accepted = value <= current[running]
        improved = current[running] - value
        beta[running[accepted]] = trial[accepted]
        current[running[accepted]] = value[accepted]
        running = running[accepted & (improved >= NEWTON_TOLERANCE * np.maximum(1.0, np.abs(value)))]
    return beta


def _log_loss(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted logistic loss of scores `z` against 0/1 truth `y`, per row."""
    return np.sum(w * (np.logaddexp(0.0, z) - y * z), axis=-1)


def none_of_these(probabilities: np.ndarray) -> np.ndarray:
    """Per row, the probability that no theme applies (themes taken as independent)."""
    return np.prod(1.0 - probabilities, axis=1)


def _fit(data: TrainingSet, strengths: Sequence[float], rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each strength, one logistic regression per theme on the rows given, each class weighted to
    half the total: (weights, bias) per strength. Themes that read the same rows train together."""
    count, themes = len(strengths), data.labels.shape[1]
    weights = np.zeros((count, themes, data.features.shape[1]), dtype=np.float32)
    bias = np.full((count, themes), -10.0, dtype=np.float32)
    together: dict[tuple[int, ...], list[int]] = {}
    for t in range(themes):
        use = rows & data.known[:, t]
        y = data.labels[use, t]
        if y.all() and y.any():
            bias[:, t] = 10.0
        elif y.any():
            together.setdefault(tuple(np.flatnonzero(use)), []).append(t)
    for used, group in together.items():
        use = np.asarray(used)
        y = data.labels[use][:, group].T.astype(np.float64)
        positives = y.sum(axis=1, keepdims=True)
        balanced = np.where(y == 1, len(use) / (2 * positives), len(use) / (2 * (len(use) - positives)))
        coefs, intercepts = logistic_fits(
            data.features[use], np.tile(y, (count, 1)), np.tile(balanced, (count, 1)),
            np.repeat(np.asarray(strengths, dtype=np.float64), len(group)),
        )
        weights[:, group] = coefs.reshape(count, len(group), -1)
        bias[:, group] = intercepts.reshape(count, len(group))
    return [(weights[i], bias[i]) for i in range(count)]


def _folds(data: TrainingSet) -> np.ndarray:
    """Fold number per row: whole groups go to a fold, each theme's positive groups spread over the folds."""
    groups = data.row_groups()
    first_row = np.sort(np.unique(groups, return_index=True)[1])
    positive = [np.flatnonzero(data.labels[groups == groups[row]].any(axis=0)) for row in first_row]
    per_theme = np.zeros(data.labels.shape[1], dtype=np.int64)
    for themes in positive:
        per_theme[themes] += 1
    fewest = int(per_theme[per_theme > 0].min()) if per_theme.any() else 0
    count = min(MAX_FOLDS, fewest, len(first_row))
    if count < 2:
        return np.zeros(len(data.labels), dtype=np.int64)
    order = np.random.default_rng(SEED).permutation(len(first_row))
    first_theme = [int(themes[0]) if len(themes) else -1 for themes in positive]
    fold_of: dict[int, int] = {}
    seen: dict[int, int] = {}
    for i in sorted(order, key=lambda i: first_theme[i]):
        theme = first_theme[i]
        fold_of[int(groups[first_row[i]])] = seen.get(theme, 0) % count
        seen[theme] = seen.get(theme, 0) + 1
    return np.array([fold_of[int(g)] for g in groups], dtype=np.int64)


def _out_of_fold(data: TrainingSet, strengths: Sequence[float]) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Per strength, every known (row, theme) score from a model that did not see the row, with its truth."""
    folds = _folds(data)
    scores: dict[float, list[np.ndarray]] = {strength: [] for strength in strengths}
    truth = []
    for fold in range(int(folds.max()) + 1 if folds.max() > 0 else 0):
        held = folds == fold
        known = data.known[held]
        for strength, (weights, bias) in zip(strengths, _fit(data, strengths, ~held)):
            scores[strength].append((data.features[held] @ weights.T + bias)[known])
        truth.append(data.labels[held][known])
    if not truth:
        return {strength: (np.zeros(0), np.zeros(0, dtype=np.int8)) for strength in strengths}
    return {strength: (np.concatenate(scores[strength]), np.concatenate(truth)) for strength in strengths}


def _choose_strength(data: TrainingSet) -> tuple[float, tuple[np.ndarray, np.ndarray]]:
    """The regularisation whose calibrated out-of-fold scores have the lowest log loss, with those
    out-of-fold scores and their truth (the Platt curve is fitted on them, so they are not computed twice)."""
    if _folds(data).max() == 0:
        return 1.0, _out_of_fold(data, (1.0,))[1.0]
    out_of_fold = _out_of_fold(data, REGULARISATION_GRID)
    best, best_loss = REGULARISATION_GRID[0], np.inf
    for strength, (scores, truth) in out_of_fold.items():
        if len(set(truth.tolist())) < 2:
            continue
        scale, offset = platt(scores, truth)
        p = np.clip(_sigmoid(scale * scores + offset), 1e-6, 1 - 1e-6)
        loss = float(-np.mean(truth * np.log(p) + (1 - truth) * np.log(1 - p)))
        if loss < best_loss:
            best, best_loss = strength, loss
    return best, out_of_fold[best]


def _phrase_vectors(con: duckdb.DuckDBPyConnection, model: str | None, texts: list[str]) -> dict[str, np.ndarray]:
    wanted = sorted({text_sha256(t) for t in texts})
    if not wanted or model is None:
        return {}
    rows = con.execute(
        "SELECT text_sha256, vector FROM embeddings WHERE model = ? AND text_sha256 IN (SELECT unnest(?))",
        [model, wanted],
    ).fetchall()
    return {sha: np.asarray(vector, dtype=np.float32) for sha, vector in rows}


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
