"""How well the learned coding agrees with a researcher's, with the heading signal off.

The classifier is trained on the codebook's words plus, optionally, the quotations other
documents file under the codebook's headings (weak labels); it is evaluated on the themes the
annotators gave the quotations of one document (`theme` of `quotes_<doc>.jsonl`), which it never
trains on: the evaluated document's own quotations are left out of training whatever their headings.

Reprints: an evaluated quotation may be printed in a training document too (an article reusing a
report's quotations); it then sits in training via that document's headings. With
`hold_out_reprints` every training quotation of an evaluated quotation's cluster is left out, so
the figure measures coding of unseen text.

Learning curve: a point with n examples per theme draws them at random; with a few dozen evaluated
quotations one draw moves a figure by a quotation's worth (one unlucky draw of 8 can score below
the codebook alone), so each point is the mean over CURVE_DRAWS seeded draws (draws that pick the
same examples, as when n covers them all, count once).

Figures: Cohen's kappa, macro-F1 and accuracy of the top theme (the most probable) against the
annotated theme; per theme the binary kappa and F1 of "top theme is this one"; and the expected
calibration error of the membership probabilities over every (quotation, theme) pair, in ten
equal-width bins (the probabilities the floor reads).

Annotated theme names are matched to codebook themes by their content words: an annotated name
holding at least half the content words of one codebook theme's name, more than of any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from index.themes.classifier import quote_features, train_classifier, training_set
from index.themes.corpus import StoredTheme, ThemeCorpus, load_theme_corpus
from index.themes.examples import CodedExample, codebook_examples, heading_examples
from index.themes.lexical import lexical_terms
from queries.evaluation.quotations import load_annotations
from queries.evaluation.retrieval import EvaluationSetError, match_annotations

CURVE_SIZES = (0, 8, 16, 32)
CURVE_DRAWS = 5
CALIBRATION_BINS = 10
NAME_OVERLAP = 0.5
SEED = 0


@dataclass(frozen=True)
class CodingScores:
    """One evaluation's figures; `theme` is "(all)" for the whole set, else one theme's binary figures."""

    codebook: str
    evaluated_doc: str
    setting: str
    theme: str
    quotations: int
    kappa: float
    macro_f1: float
    top1: float
    ece: float
    training_examples: int


@dataclass(frozen=True)
class CodingTask:
    """What to evaluate: a codebook, the document whose annotated themes are the truth, and the
    documents whose headings may label training quotations."""

    codebook: str
    eval_file: Path
    heading_docs: tuple[str, ...] = ()


def default_tasks(eval_dir: Path) -> list[CodingTask]:
    """The development set's tasks: nolte on 000 with 001's headings, north-east on 004 from its codebook."""
    return [CodingTask("nolte", Path(eval_dir) / "quotes_000_b33752787a24be7e.txt.jsonl", ("001_2ba9a7a7ff76eece",)),
            CodingTask("north-east", Path(eval_dir) / "quotes_004_797817d61329c19d.txt.jsonl")]


def evaluate_coding(con: duckdb.DuckDBPyConnection, task: CodingTask, per_theme: bool = False,
                    curve: Sequence[int] = CURVE_SIZES) -> list[CodingScores]:
    """The figures with all examples (reprints kept, then held out) and the learning curve."""
    corpus = load_theme_corpus(con)
    features = quote_features(con, corpus)
    themes = [t for t in corpus.themes if t.codebook == task.codebook]
    if not themes:
        raise EvaluationSetError(f"the store holds no codebook {task.codebook!r}")
    truth, doc_id = annotated_themes(con, corpus, themes, task.eval_file)
    if not truth:
        raise EvaluationSetError(f"no annotated quotation of {task.eval_file.name} has a theme of {task.codebook!r}")
    heading_docs = _doc_ids(con, task.heading_docs)
    pool = [e for e in codebook_examples(con, corpus, themes)
            + heading_examples(con, corpus, themes, docs=heading_docs) if _doc(corpus, e) != doc_id]
    evaluated_clusters = {int(corpus.cluster_ids[corpus.position[q]]) for q in truth}
    held_out = [e for e in pool if e.quote_id is None
                or int(corpus.cluster_ids[corpus.position[e.quote_id]]) not in evaluated_clusters]
    unseen = "all examples, reprints held out" if heading_docs else "codebook examples"
    runs: list[tuple[str, list[CodedExample], bool]] = []
    if heading_docs:
        runs.append(("all examples, reprints in training", pool, False))
    runs.append((unseen, held_out, per_theme))
    results = []
    for setting, examples, detailed in runs:
        results.extend(_score(con, corpus, features, themes, truth, examples, task, doc_id, setting, detailed))
    suffix = ", reprints held out" if heading_docs else ""
    for n in curve:
        draws = list({tuple(e.key + str(e.theme_id) for e in d): d
                      for d in (_sample(held_out, themes, n, SEED + i) for i in range(CURVE_DRAWS))}.values())
        setting = f"{n} examples per theme{suffix}" + (f", mean of {len(draws)} draws" if len(draws) > 1 else "")
        scored = [_score(con, corpus, features, themes, truth, d, task, doc_id, setting, False)[0] for d in draws]
        results.append(_mean_scores(scored))
    return results


def annotated_themes(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, themes: Sequence[StoredTheme],
                     eval_file: Path) -> tuple[dict[int, int], str]:
    """Stored quote id -> codebook theme id of each annotated quotation whose theme names one; and the doc id."""
    annotations = load_annotations(eval_file)
    if not annotations:
        raise EvaluationSetError(f"{eval_file} holds no annotated quotation")
    stem = Path(annotations[0]["doc"]).stem
    stored = [row for row in con.execute(
        "SELECT q.quote_id, d.source_path, q.text, q.char_start, q.char_end, d.text, d.doc_id "
        "FROM quotes q JOIN documents d USING (doc_id) ORDER BY q.quote_id"
    ).fetchall() if Path(row[1] or "").stem == stem]
    if not stored:
        raise EvaluationSetError(f"the store holds no quotation of {stem}; ingest it first")
    truth = {}
    for annotation, quote_id in match_annotations(annotations, stored):
        theme = theme_for_name(str(annotation.get("theme") or ""), themes)
        if theme is not None and quote_id in corpus.position:
            truth[quote_id] = theme.theme_id
    return truth, stored[0][6]


def theme_for_name(name: str, themes: Sequence[StoredTheme]) -> StoredTheme | None:
    """The codebook theme an annotated theme name means, by shared content words (None if unclear)."""
    words = set(lexical_terms(name))
    shares = []
    for theme in themes:
        own = set(lexical_terms(theme.name))
        shares.append((len(own & words) / len(own) if own else 0.0, theme))
    shares.sort(key=lambda item: -item[0])
    if not shares or shares[0][0] < NAME_OVERLAP or (len(shares) > 1 and shares[1][0] == shares[0][0]):
        return None
    return shares[0][1]


def cohen_kappa(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """Agreement beyond chance between two codings of the same items."""
    labels = sorted(set(truth) | set(predicted))
    n = len(truth)
    if n == 0:
        return 0.0
    observed = sum(t == p for t, p in zip(truth, predicted)) / n
    expected = sum((list(truth).count(c) / n) * (list(predicted).count(c) / n) for c in labels)
    return 1.0 if expected == 1.0 else (observed - expected) / (1.0 - expected)


def f1(truth: Sequence[int], predicted: Sequence[int], label: int) -> float:
    tp = sum(t == label and p == label for t, p in zip(truth, predicted))
    fp = sum(t != label and p == label for t, p in zip(truth, predicted))
    fn = sum(t == label and p != label for t, p in zip(truth, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def expected_calibration_error(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = CALIBRATION_BINS) -> float:
    """Mean gap between predicted probability and observed frequency, over equal-width bins weighted by size."""
    probabilities = np.asarray(probabilities, dtype=np.float64).ravel()
    outcomes = np.asarray(outcomes, dtype=np.float64).ravel()
    if not len(probabilities):
        return 0.0
    which = np.minimum((probabilities * bins).astype(int), bins - 1)
    gap = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap += inside.sum() * abs(probabilities[inside].mean() - outcomes[inside].mean())
    return float(gap / len(probabilities))


def _score(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, features: np.ndarray,
           themes: Sequence[StoredTheme], truth: dict[int, int], examples: list[CodedExample], task: CodingTask,
           doc_id: str, setting: str, per_theme: bool) -> list[CodingScores]:
    theme_ids = [t.theme_id for t in themes]
    data = training_set(con, corpus, features, theme_ids, examples)
    classifier = train_classifier(task.codebook, theme_ids, data)
    quotes = sorted(truth)
    p = classifier.probabilities(features[[corpus.position[q] for q in quotes]])
    expected = [truth[q] for q in quotes]
    predicted = [theme_ids[i] for i in p.argmax(axis=1)]
    outcomes = np.array([[truth[q] == t for t in theme_ids] for q in quotes], dtype=np.float64)
    present = sorted(set(expected) | set(predicted))
    common: dict[str, Any] = dict(codebook=task.codebook, evaluated_doc=doc_id, setting=setting,
                                  training_examples=len(data.labels))
    rows = [CodingScores(theme="(all)", quotations=len(quotes), kappa=cohen_kappa(expected, predicted),
                         macro_f1=float(np.mean([f1(expected, predicted, t) for t in present])),
                         top1=float(np.mean([e == p for e, p in zip(expected, predicted)])),
                         ece=expected_calibration_error(p, outcomes), **common)]
    if per_theme:
        for i, theme in enumerate(themes):
            mine = [e == theme.theme_id for e in expected]
            said = [q == theme.theme_id for q in predicted]
            rows.append(CodingScores(
                theme=theme.name, quotations=sum(mine), kappa=cohen_kappa(mine, said), macro_f1=f1(mine, said, True),
                top1=float(np.mean([m == s for m, s in zip(mine, said)])),
                ece=expected_calibration_error(p[:, i], outcomes[:, i]), **common))
    return rows


def _mean_scores(scores: Sequence[CodingScores]) -> CodingScores:
    """One row holding the mean figures of several draws of the same setting."""
    first = scores[0]
    return CodingScores(
        codebook=first.codebook, evaluated_doc=first.evaluated_doc, setting=first.setting, theme=first.theme,
        quotations=first.quotations, kappa=float(np.mean([s.kappa for s in scores])),
        macro_f1=float(np.mean([s.macro_f1 for s in scores])), top1=float(np.mean([s.top1 for s in scores])),
        ece=float(np.mean([s.ece for s in scores])),
        training_examples=round(float(np.mean([s.training_examples for s in scores]))),
    )


def _sample(examples: list[CodedExample], themes: Sequence[StoredTheme], n: int, seed: int) -> list[CodedExample]:
    """Each theme's "name. description" plus up to n other examples drawn at random (seeded)."""
    rng = np.random.default_rng(seed)
    chosen = []
    for theme in themes:
        mine = [e for e in examples if e.theme_id == theme.theme_id]
        head = [e for e in mine if e.text is not None and e.text.startswith(f"{theme.name}. ")][:1]
        rest = [e for e in mine if e not in head]
        picks = rng.permutation(len(rest))[:n]
        chosen.extend(head + [rest[i] for i in sorted(picks)])
    return chosen


def _doc(corpus: ThemeCorpus, example: CodedExample) -> str | None:
    return None if example.quote_id is None else corpus.doc_ids[corpus.position[example.quote_id]]


def _doc_ids(con: duckdb.DuckDBPyConnection, stems: Sequence[str]) -> list[str]:
    """Doc ids of the documents whose source file stem (or id) is one of `stems`."""
    wanted = set(stems)
    return [doc_id for doc_id, path in con.execute("SELECT doc_id, source_path FROM documents").fetchall()
            if doc_id in wanted or Path(path or "").stem in wanted]
