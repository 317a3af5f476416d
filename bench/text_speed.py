"""Text-stage speed: finding the quotations of the whole text corpus, and clustering ten thousand
quotations into reprints. These were timing assertions in the tests; speed is measured here."""

from __future__ import annotations

import random
import time
from pathlib import Path

QUOTATIONS = 10_000


def quote_finding_seconds(paths: list[Path], rounds: int = 3) -> dict[str, float]:
    """Best of `rounds` passes of the quotation finder over every text of the corpus, already loaded."""
    from ingest.clean import normalise
    from ingest.quotes import find_quotes
    from ingest.text_loader import load_text

    texts = [normalise(load_text(path)).text for path in paths]
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            find_quotes(text)
        best = min(best, time.perf_counter() - started)
    return {"documents": len(texts), "characters": sum(map(len, texts)), "best_seconds": best}


def clustering_seconds(quotations: int = QUOTATIONS) -> dict[str, float]:
    """Clustering `quotations` random quotations plus a hundred shortened reprints of some of them."""
    from ingest.quote_clusters import cluster_quotes

    rnd = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    items = [(f"q{i:05d}", " ".join(rnd.choices(vocabulary, k=rnd.randint(15, 120)))) for i in range(quotations)]
    items += [(f"r{i:05d}", items[i][1][: len(items[i][1]) * 2 // 3]) for i in range(0, 1000, 10)]
    started = time.perf_counter()
    cluster_quotes(items)
    return {"quotations": len(items), "seconds": time.perf_counter() - started}
