"""`make bench`: throughput and latency figures for the evidence pipeline, measured in one run.

Prints each figure and ratio as it is measured, then every target from the issue with its
measured value and PASS or MISS, and writes all figures as JSON (bench/results.json by default)
so that runs can be compared. Ratios are measured side by side in one process or one run,
because the machine is shared and absolute figures drift with other users' load.

    .venv/bin/python bench/run.py [--quick] [--scale-max N] [--no-ray] [--baseline REV] [--out PATH] [--workdir DIR]

With --baseline, the default corpus is also ingested by that earlier revision, alternately with
this tree, and the ingest-time ratio (this tree / the revision) is a target.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ingest_figures import ROOT, RUN_STAGES, WORKER_STAGES, ingest_in_child, parse_pool_speedup, per_unit
from bench.measure import Target, say
from index.durable import replace_text

PDF_DIR = ROOT.parent / "shared" / "corpus" / "pdf"
DEFAULT_MANIFEST = ROOT / "corpus_manifest.yaml"
SCALE_SIZES = (20, 200, 1000)
EMBED_SAMPLE = 300
LONG_PDF_PAGES = 300
# The path before the int8 embedder and the pdfium reader, for the cold-ingest ratio: what
# `evidence ingest` did by default.
OLD_PATH_OPTIONS = ("--embedder", "fp32", "--pdf-reader", "pdfplumber")
OVERLAP_QUOTES = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the N=20 scale corpus")
    parser.add_argument("--scale-max", type=int, default=max(SCALE_SIZES),
                        help="largest scale corpus to ingest (%(default)s; 200 takes minutes, 1000 far longer)")
    parser.add_argument("--no-ray", action="store_true", help="skip Ray against the local pool")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the scale corpora: cost growth with the corpus size and warm queries at each size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json", help="JSON results file")
    parser.add_argument("--workdir", type=Path, default=None, help="keep data here instead of a temporary folder")
    parser.add_argument("--baseline", default=None, metavar="REV",
                        help="also time the default corpus's ingest by this git revision, for the ratio")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="evidence-bench-"))
    started = time.perf_counter()
    results: dict = {"started_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": _machine(),
                     "quick": args.quick}
    try:
        sizes = SCALE_SIZES[:1] if args.quick else tuple(n for n in SCALE_SIZES if n <= args.scale_max)
        if args.scale_only:
            targets = _scale_part(results, workdir, sizes, ray=not args.no_ray)
        else:
            targets = _run(results, workdir, sizes, ray=not args.no_ray, baseline=args.baseline)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    results["bench_seconds"] = time.perf_counter() - started
    results["targets"] = [t.as_dict() for t in targets]
    say("\n== Targets")
    for target in targets:
        say(target.line())
    missed = sum(not t.passed for t in targets)
    say(f"{len(targets) - missed} of {len(targets)} targets met; bench took {results['bench_seconds']:.0f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    replace_text(args.out, json.dumps(results, indent=2, default=str))
    say(f"figures written to {args.out}")
    return 0


def _run(results: dict, workdir: Path, sizes: tuple[int, ...], ray: bool = True,
         baseline: str | None = None) -> list[Target]:
    from index.published import published
    from ingest.cores import available_cores

    targets: list[Target] = []
    data = workdir / "default"
    say(f"== Default corpus ({DEFAULT_MANIFEST.name}), cold ingest in a fresh process")
    cold = results["cold_ingest"] = ingest_in_child(DEFAULT_MANIFEST, data)
    _print_ingest(cold)

    say("\n== Warm re-ingest (nothing changed), fresh process")
    warm = results["warm_ingest"] = ingest_in_child(DEFAULT_MANIFEST, data)
    say(f"run_ingest {warm['seconds']:.2f} s (parsed {warm['parsed']}, embedded {warm['embedded']}, "
        f"model loaded: {warm['model_loaded']}); whole process incl. imports {warm['process_seconds']:.2f} s")
    targets.append(Target("warm re-ingest, nothing changed (run_ingest)", warm["seconds"], 2.0, False, " s"))
    if baseline:
        targets += _baseline(results, workdir / "baseline", baseline)
    targets += _no_change_command(results, data)
    targets += _old_path(results, cold, workdir)

    pdfs = sorted(PDF_DIR.glob("*.pdf"))
    say(f"\n== PDF path over {PDF_DIR} ({len(pdfs)} files)")
    from bench.pdf_speed import pdf_speed

    pdf = results["pdf_speed"] = pdf_speed(pdfs)
    for name, rate in pdf["pages_per_second"].items():
        say(f"{name:>11}: {rate:7.1f} pages/s ({pdf['seconds'][name]:.1f} s for {pdf['pages']} pages)")
    say(f"ours / old pdfplumber path: {pdf['ours_vs_old_pdfplumber_path']:.2f} "
        f"(by CPU time {pdf['ours_vs_old_pdfplumber_path_cpu']:.2f}); "
        f"ours / pdfplumber extract_text: {pdf['ours_vs_pdfplumber']:.2f}; "
        f"ours / pypdfium2: {pdf['ours_vs_pypdfium2']:.3f}")
    targets.append(Target("PDF path pages/s, pdfium reader / old pdfplumber path", pdf["ours_vs_old_pdfplumber_path"],
                          5.0, True, "x"))
    targets += _long_pdf(results, pdfs, workdir)

    targets += _ocr(results, pdfs, workdir / "ocr")
    targets += _text_stages(results)

    workers = max(2, available_cores())
    say(f"\n== Parse stage (load..entities, in worker processes) on the PDF corpus: 1 vs {workers} workers")
    pool = results["parse_pool"] = parse_pool_speedup(pdfs, workers)
    say(f"1 worker {pool['one_worker_seconds']:.1f} s; {workers} workers {pool['pool_seconds']:.1f} s; "
        f"speedup {pool['speedup']:.2f}x")
    targets.append(Target(f"parse stage speedup, {workers} workers vs 1 (PDF corpus)", pool["speedup"], 1.6, True,
                          "x"))

    say("\n== Embedding: embed_missing into fresh in-memory DuckDB vs plain SentenceTransformer.encode")
    from bench.embed_speed import embed_ratio

    db_path = published(data).db_path
    embed = results["embedding"] = embed_ratio(_passage_sample(db_path, EMBED_SAMPLE))
    say(f"{embed['texts']} passages: plain {embed['plain_texts_per_second']:.1f} texts/s, pipeline "
        f"{embed['pipeline_texts_per_second']:.1f} texts/s, ratio {embed['ratio']:.3f}")
    targets.append(Target("embedding throughput, pipeline / plain encode", embed["ratio"], 0.95, True))
    targets += _int8(results, db_path)

    embedder = _query_embedder()
    targets += _queries(results.setdefault("queries", {}), "default", data, embedder)
    targets += _cold_cli(results, data)
    return targets + _scale_part(results, workdir, sizes, ray, embedder)


def _query_embedder():
    """The embedder the warm queries use, its model loaded once before any query is timed."""
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["load the model once for the warm queries"])
    return embedder


def _scale_part(results: dict, workdir: Path, sizes: tuple[int, ...], ray: bool = True,
                embedder=None) -> list[Target]:
    """Scale corpora of each size ingested cold, with warm queries on each; Ray against the local
    pool on the smallest; cost growth across the sizes; approximate against exact search."""
    embedder = embedder or _query_embedder()
    targets: list[Target] = []
    per_size = {}
    for n in sizes:
        try:
            per_size[n] = _scale(results.setdefault("scale", {}), workdir, n, embedder, targets)
        except Exception as error:  # report the failed step and go on with what can still be measured
            say(f"scale corpus N={n} failed: {error}")
            results.setdefault("errors", []).append(f"scale N={n}: {error}")
            targets.append(Target(f"scale corpus N={n} ingested", None, 1, True))
    if ray and SCALE_SIZES[0] in per_size:
        targets += _ray(results, workdir / f"scale{SCALE_SIZES[0]}", workdir / "ray")
    if not per_size:
        return targets
    targets += _scale_growth(results["scale"], per_size)
    largest = max(per_size)
    say(f"\n== Approximate index (IVF, forced) vs exact on the N={largest} passage vectors")
    from bench.index_recall import index_recall
    from index.published import published

    recall = results["index_recall"] = index_recall(published(workdir / f"scale{largest}" / "data").db_path,
                                                    embedder.model_name)
    say(f"{recall['vectors']} vectors, {recall['queries']} queries, {recall['kind']} {recall['params']}: "
        f"recall@10 {recall['recall_at_10']:.3f}; {recall['approximate_ms_per_query']:.2f} ms/query vs exact "
        f"{recall['exact_ms_per_query']:.2f} ms; built in {recall['build_seconds']:.2f} s")
    say("nprobe sweep: " + "; ".join(f"{row['nprobe']}: {row['recall_at_10']:.3f} ({row['ms_per_query']:.2f} ms)"
                                      for row in recall["sweep"]))
    targets.append(Target("IVF recall@10 vs exact search", recall["recall_at_10"], 0.95, True))
    return targets


def _baseline(results: dict, workdir: Path, revision: str) -> list[Target]:
    from bench.baseline_ingest import baseline_ratio, parse_ratio

    say(f"\n== Default corpus, cold ingest by revision {revision} and by this tree, alternated")
    figures = results["baseline_ingest"] = baseline_ratio(revision, DEFAULT_MANIFEST, workdir)
    for run in figures["rounds"]:
        say(f"{revision}: {run['before_seconds']:.1f} s ({run['before_quotes']} quotes); this tree: "
            f"{run['after_seconds']:.1f} s ({run['after_quotes']} quotes); ratio {run['ratio']:.3f}")
        say(f"  stages (s) {revision}: " + ", ".join(f"{k} {v:.1f}" for k, v in run["before_stages"].items()))
        say("  stages (s) this tree: " + ", ".join(f"{k} {v:.1f}" for k, v in run["after_stages"].items()))
    say(f"shared stages ({', '.join(figures['rounds'][0]['shared_stages'])}) ratio {figures['shared_ratio']:.3f}")
    say(f"\n== Default corpus, parse only, revision {revision} and this tree alternated (3 rounds)")
    paths = [entry.path for entry in _manifest_entries()]
    parse = results["baseline_parse"] = parse_ratio(revision, paths, workdir)
    say(f"CPU ratio {parse['cpu_ratio']:.3f}, wall ratio {parse['wall_ratio']:.3f}; per stage (wall): "
        + ", ".join(f"{stage} {ratio:.2f}" for stage, ratio in parse["stage_ratios"].items()))
    for stage in parse["stage_ratios"]:
        added = statistics.median(r["after"]["stage_seconds"][stage] - r["before"]["stage_seconds"][stage]
                                  for r in parse["rounds"])
        share = added / statistics.median(run["before_seconds"] for run in figures["rounds"])
        say(f"  {stage}: {added:+.2f} s per cold ingest, {share:+.1%} of {revision}'s whole ingest")
    return [
        Target(f"ingest time of the default corpus, this tree / {revision}", figures["ratio"], 1.15, False, "x"),
        Target(f"parse CPU time of the default corpus, this tree / {revision}", parse["cpu_ratio"], 1.15, False,
               "x"),
    ]


def _manifest_entries() -> list:
    from pipeline.manifest import load_manifest

    return list(load_manifest(DEFAULT_MANIFEST).documents)


def _no_change_command(results: dict, data: Path) -> list[Target]:
    """`evidence ingest` as a whole command on the unchanged default corpus: imports included."""
    import subprocess

    from bench.ingest_figures import BenchStepFailed, bench_env

    say("\n== `evidence ingest` command on the unchanged default corpus (median of 3)")
    command = [sys.executable, "-m", "pipeline.cli", "ingest", "--manifest", str(DEFAULT_MANIFEST),
               "--data", str(data), "--quiet"]
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=bench_env(), capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - start)
        if done.returncode != 0 or "Nothing changed" not in done.stdout:
            raise BenchStepFailed(f"the no-change ingest did not find the corpus unchanged: {done.stdout[-500:]}")
    median = sorted(seconds)[1]
    results["no_change_command_seconds"] = median
    say(f"{median:.2f} s")
    return [Target("no-change `evidence ingest` command", median, 1.5, False, " s")]


def _old_path(results: dict, cold: dict, workdir: Path) -> list[Target]:
    """Cold ingests of the default corpus the old way (OLD_PATH_OPTIONS) against the new way, timed
    new, old, old, new (the first new one is the cold ingest just run): a machine that speeds up or
    slows down during the runs weighs on both ways alike."""
    say(f"\n== Default corpus, cold ingest the old way ({' '.join(OLD_PATH_OPTIONS)}) twice, then the new way "
        "again, fresh processes")
    old = [ingest_in_child(DEFAULT_MANIFEST, workdir / f"default-old-{n}", options=OLD_PATH_OPTIONS) for n in (1, 2)]
    new = [cold, ingest_in_child(DEFAULT_MANIFEST, workdir / "default-new-2")]
    results["cold_ingest_old_path"], results["cold_ingest_new_path_again"] = old, new[1]
    _print_ingest(old[0])
    new_seconds, old_seconds = (sum(run["seconds"] for run in runs) for runs in (new, old))
    ratio = results["cold_ingest_new_over_old"] = new_seconds / old_seconds
    def runs_text(runs: list[dict]) -> str:
        return " + ".join(f"{run['seconds']:.1f}" for run in runs)

    say(f"new path {runs_text(new)} s / old path {runs_text(old)} s = {ratio:.3f}")
    if all("cpu_seconds" in run for run in (*new, *old)):
        new_cpu, old_cpu = (sum(run["cpu_seconds"] for run in runs) for runs in (new, old))
        cpu = results["cold_ingest_new_over_old_cpu"] = new_cpu / old_cpu
        say(f"CPU seconds (process and workers): new {new_cpu:.1f} / old {old_cpu:.1f} = {cpu:.2f}")
    return [Target("cold ingest of the default corpus, new path / old path (new, old, old, new)", ratio, 0.5,
                   False, "x")]


def _int8(results: dict, db_path: Path) -> list[Target]:
    """The int8 ingest embedder against plain fp32 encode: throughput, and top-10 overlap of passage
    retrieval for the codebooks' theme queries, the benchmark's free texts and quotations as queries."""
    import duckdb

    from bench.embed_speed import int8_against_fp32
    from bench.query_latency import FREE_TEXTS
    from index.embedder import int8_model_built

    say("\n== Int8 embedding (embed_missing) vs plain fp32 SentenceTransformer.encode, all passages")
    if not int8_model_built():
        say("the int8 model is not built (make setup builds it): not measured")
        return [Target("int8 embedding measured (model built)", None, 1, True)]
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        passages = [r[0] for r in con.execute("SELECT text FROM passages ORDER BY passage_id").fetchall()]
        themes = [r[0] for r in con.execute("SELECT DISTINCT query_text FROM themes ORDER BY 1").fetchall()]
        quotes = [r[0] for r in con.execute("SELECT text FROM quotes ORDER BY quote_id").fetchall()]
    finally:
        con.close()
    step = max(1, len(quotes) // OVERLAP_QUOTES)
    queries = [*themes, *FREE_TEXTS, *quotes[::step][:OVERLAP_QUOTES]]
    figures = results["int8_embedding"] = int8_against_fp32(passages, queries)
    say(f"{figures['texts']} passages: fp32 plain {figures['fp32_plain_texts_per_second']:.1f} texts/s, int8 "
        f"pipeline {figures['int8_pipeline_texts_per_second']:.1f} texts/s, {figures['speedup']:.2f}x; "
        f"cosine to fp32 mean {figures['cosine_to_fp32_mean']:.4f} (min {figures['cosine_to_fp32_min']:.4f})")
    say(f"{figures['queries']} queries: top-10 overlap mean {figures['top10_overlap_mean']:.3f}; queries with "
        f"≥ 9 of 10 shared {figures['queries_with_top10_overlap_at_least_0_9']:.3f}, identical "
        f"{figures['queries_with_identical_top10']:.3f}")
    return [
        Target("embedding throughput, int8 pipeline / plain fp32 encode", figures["speedup"], 2.0, True, "x"),
        Target("top-10 overlap of int8 with fp32 retrieval (mean over queries)", figures["top10_overlap_mean"],
               0.95, True),
    ]


def _ray(results: dict, scale_dir: Path, workdir: Path) -> list[Target]:
    """Ray on this machine against the local pool, on the N=20 scale corpus's documents."""
    from bench.ray_figures import ray_against_local
    from ingest.cores import available_cores

    workers = max(2, available_cores())
    say(f"\n== Ray ({workers} CPUs on this machine) vs the local pool ({workers} workers), cold ingest of the "
        f"N={SCALE_SIZES[0]} scale corpus")
    try:
        figures = results["ray"] = ray_against_local(scale_dir / "corpus" / "manifest.yaml", workdir, workers)
    except Exception as error:  # report the failed step and go on
        say(f"Ray against the local pool failed: {error}")
        results.setdefault("errors", []).append(f"ray: {error}")
        return [Target("Ray ingest measured", None, 1, True)]
    say(f"local {figures['local_seconds']:.1f} s, Ray {figures['ray_seconds']:.1f} s: {figures['ratio']:.2f}x "
        f"(Ray started in {figures['ray_start_seconds']:.1f} s, apart); differences: "
        f"{', '.join(figures['differences']) or 'none'}")
    return [
        Target("Ray ingest / local pool ingest, same documents", figures["ratio"], 1.3, False, "x"),
        Target("tables and index files that differ between Ray and local", len(figures["differences"]), 0, False),
    ]


def _ocr(results: dict, pdfs: list[Path], workdir: Path) -> list[Target]:
    from bench.ocr_figures import ocr_figures, ocr_targets, report

    say(f"\n== OCR: image-only renditions of the {len(pdfs)} seed PDFs read back, against their text layer")
    if shutil.which("tesseract") is None:
        say("tesseract is not installed (make setup installs it): OCR not measured")
        return [Target("OCR measured (tesseract installed)", None, 1, True)]
    workdir.mkdir(parents=True, exist_ok=True)
    figures = results["ocr"] = ocr_figures(pdfs, workdir)
    report(figures)
    return ocr_targets(figures)


def _text_stages(results: dict) -> list[Target]:
    from bench.text_speed import clustering_seconds, quote_finding_seconds

    texts = sorted((ROOT.parent / "shared" / "corpus" / "text").glob("*.txt"))
    say(f"\n== Text stages: the quotation finder over {len(texts)} texts, clustering of reprints")
    finding = results["quote_finding"] = quote_finding_seconds(texts)
    clustering = results["quote_clustering"] = clustering_seconds()
    say(f"quotation finder: {finding['best_seconds']:.2f} s for {finding['characters']:,} characters (best of 3); "
        f"clustering {clustering['quotations']} quotations: {clustering['seconds']:.1f} s")
    return [
        Target("quotation finder over the text corpus (best of 3)", finding["best_seconds"], 1.0, False, " s"),
        Target("clustering 10,000 quotations into reprints", clustering["seconds"], 30.0, False, " s"),
    ]


def _print_ingest(figures: dict) -> None:
    rss = figures["peak_rss"]
    say(f"{figures['documents']} documents, {figures['pages']} pages, {figures['passages']} passages, "
        f"{figures['quotes']} quotes, {figures['embedded']} texts embedded, {figures['workers']} workers")
    say(f"wall {figures['seconds']:.1f} s (run_ingest), {figures['wall_seconds']:.1f} s (whole process); "
        f"peak RSS parent {rss['parent_mb']:.0f} MiB + largest child {rss['children_mb']:.0f} MiB "
        f"= {rss['total_mb']:.0f} MiB")
    stages = figures["stage_seconds"]
    say("run stages (s):    " + ", ".join(f"{s} {stages[s]:.1f}" for s in RUN_STAGES if s in stages))
    worker = figures["worker_seconds"]
    say("worker stages (s, summed over documents): "
        + ", ".join(f"{s} {worker[s]:.1f}" for s in WORKER_STAGES if s in worker))


def _long_pdf(results: dict, pdfs: list[Path], workdir: Path) -> list[Target]:
    """One long report: its pages read by one and by two workers, its whole parse stage, and the
    parse stage of an ingest of it alone."""
    from bench.pdf_speed import long_ingest_speedup, long_parse_speedup, long_pdf_speedup, write_long_pdf

    workdir.mkdir(parents=True, exist_ok=True)
    path = write_long_pdf(pdfs, LONG_PDF_PAGES, workdir / "long-report.pdf")
    say(f"\n== One {LONG_PDF_PAGES}-page PDF (the corpus PDFs' pages repeated): 1 vs 2 workers")
    read = results["long_pdf"] = long_pdf_speedup(path, 2)
    say(f"PDF path: 1 worker {read['one_worker_seconds']:.1f} s; 2 workers {read['pool_seconds']:.1f} s; "
        f"speedup {read['speedup']:.2f}x")
    parse = results["long_pdf_parse"] = long_parse_speedup(path, 2)
    say(f"whole parse stage: 1 worker {parse['one_worker_seconds']:.1f} s; 2 workers {parse['pool_seconds']:.1f} s; "
        f"speedup {parse['speedup']:.2f}x (best of {parse['rounds']} alternated rounds); stages with 1 worker: "
        + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in parse["one_worker_stages"].items()))
    say(f"CPU seconds: 1 worker {parse['one_worker_cpu_seconds']:.1f}, 2 workers {parse['pool_cpu_seconds']:.1f}; "
        f"serial fraction {parse['serial_fraction']:.3f}, Amdahl's speedup on 2 idle cores "
        f"{parse['amdahl_speedup']:.2f}x")
    ingest = results["long_pdf_ingest"] = long_ingest_speedup(path, workdir / "long-ingest", 2)
    say(f"ingest of it alone, parse stage: 1 worker {ingest['one_worker_seconds']:.1f} s; "
        f"2 workers {ingest['pool_seconds']:.1f} s; speedup {ingest['speedup']:.2f}x")
    return [
        Target(f"one {LONG_PDF_PAGES}-page PDF, PDF path, 2 workers vs 1", read["speedup"], 1.7, True, "x"),
        Target(f"one {LONG_PDF_PAGES}-page PDF ingested alone, parse stage, 2 workers vs 1", ingest["speedup"], 1.7,
               True, "x"),
        Target(f"one {LONG_PDF_PAGES}-page PDF, whole parse stage, 2 workers vs 1", parse["speedup"], 1.7, True, "x"),
        Target(f"one {LONG_PDF_PAGES}-page PDF, whole parse stage, Amdahl's 2-core speedup from its serial part",
               parse["amdahl_speedup"], 1.7, True, "x"),
    ]


def _passage_sample(db_path: Path, limit: int) -> list[str]:
    """Up to `limit` passage texts spread evenly over the corpus."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        texts = [r[0] for r in con.execute("SELECT text FROM passages ORDER BY passage_id").fetchall()]
    finally:
        con.close()
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def _queries(store: dict, label: str, data_dir: Path, embedder) -> list[Target]:
    from bench.query_latency import warm_latency

    say(f"\n== Warm in-process query latency ({label})")
    figures = store[label] = warm_latency(data_dir, embedder)
    targets = []
    for name, fig in figures.items():
        say(f"{name:>16}: p50 {fig['p50_ms']:.1f} ms, p95 {fig['p95_ms']:.1f} ms (n={fig['n']})")
        targets.append(Target(f"warm p95 {name} ({label})", fig["p95_ms"], 50.0, False, " ms"))
    return targets


def _cold_cli(results: dict, data_dir: Path) -> list[Target]:
    from bench.query_latency import cold_cli

    say("\n== Cold command line, start to first printed result (median of 3)")
    cold = results["cold_cli"] = cold_cli(data_dir)
    for name, seconds in cold.items():
        say(f"{name:>24}: {seconds:.2f} s")
    return [
        Target("cold CLI `evidence theme <codebook theme>`", cold["theme_codebook_seconds"], 1.5, False, " s"),
        Target("cold CLI `evidence theme <free text>`", cold["theme_free_text_seconds"], 3.0, False, " s"),
    ]


def _scale(store: dict, workdir: Path, n: int, embedder, targets: list[Target]) -> dict:
    from bench.scale_corpus import write_scale_corpus

    folder = workdir / f"scale{n}"
    manifest = write_scale_corpus(folder / "corpus", n)
    say(f"\n== Scale corpus N={n} (synthetic text documents), cold ingest in a fresh process")
    figures = ingest_in_child(manifest, folder / "data")
    figures.update(per_unit(figures))
    _print_ingest(figures)
    say(f"{figures['seconds_per_page'] * 1000:.0f} ms per page, {figures['seconds_per_quote'] * 1000:.0f} ms "
        f"per quote")
    store[str(n)] = figures
    targets += _queries(store.setdefault("queries", {}), f"N={n}", folder / "data", embedder)
    return figures


def _scale_growth(store: dict, per_size: dict[int, dict]) -> list[Target]:
    """Seconds per page and per quotation at each corpus size against the smallest, with the
    largest size's warm query p95. Without N=1000, the N=1000 ratio is extrapolated from the two
    smallest sizes, as if cost per page kept growing by the same power of the corpus size; it is
    printed and saved as an estimate, never as a met target."""
    smallest = min(per_size)
    say("\n== Cost growth with the corpus size (cold ingest, fresh process each)")
    for n in sorted(per_size):
        figures = per_size[n]
        say(f"N={n:>5}: {figures['pages']} pages, {figures['seconds']:.1f} s, "
            f"{figures['seconds_per_page']:.3f} s/page, {figures['seconds_per_quote']:.3f} s/quote; " + ", ".join(
                f"{stage} {seconds / max(figures['pages'], 1) * 1000:.0f}"
                for stage, seconds in figures["stage_seconds"].items()) + " ms/page by stage")
    targets = []
    for n in sorted(per_size)[1:]:
        small, large = per_size[smallest], per_size[n]
        limit = 1.1 if n >= 1000 else 1.3
        for unit in ("seconds_per_page", "seconds_per_quote"):
            ratio = large[unit] / small[unit]
            store[f"{unit}_ratio_{n}"] = ratio
            say(f"{unit.replace('_', ' ')} at N={n} / N={smallest}: {ratio:.3f}")
            targets.append(Target(f"scale: {unit.replace('_', ' ')} at N={n} / N={smallest}", ratio, limit, False,
                                  "x"))
    largest = max(SCALE_SIZES)
    if largest not in per_size and len(per_size) >= 2:
        first, second = sorted(per_size)[:2]
        ratio = per_size[second]["seconds_per_page"] / per_size[first]["seconds_per_page"]
        estimate = ratio ** (math.log(largest / first) / math.log(second / first))
        store[f"seconds_per_page_ratio_{largest}_extrapolated"] = estimate
        say(f"seconds per page at N={largest} / N={first}, extrapolated from N={first} and N={second} "
            f"(not measured): {estimate:.3f} (target ≤ 1.1)")
    if largest in per_size:
        p95 = max(fig["p95_ms"] for fig in store["queries"][f"N={largest}"].values())
        say(f"slowest warm query p95 at N={largest}: {p95:.1f} ms")
        targets.append(Target(f"scale: slowest warm query p95 at N={largest}", p95, 50.0, False, " ms"))
    return targets


def _machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg()}


if __name__ == "__main__":
    sys.exit(main())
