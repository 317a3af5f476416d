"""Parse documents one after another in this process and print the stage times as JSON.

Run by path with PYTHONPATH naming the tree to measure (this one or an exported earlier revision):
it uses only `ingest.document.parse_document(path)` and its `timings`, which every revision has,
so the same script measures both sides of a comparison. CPU seconds are counted besides wall
seconds because the machine is shared: another user's load stretches wall time, not CPU time.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(paths: list[str]) -> None:
    from ingest.document import entity_extractor, parse_document

    entity_extractor()  # loaded before the clock starts, as an ingest loads it before forking
    stages: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    quotes = 0
    for path in paths:
        parsed = parse_document(Path(path))
        quotes += len(parsed.quotes)
        for stage, seconds in parsed.timings.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    print(json.dumps({"wall_seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
                      "stage_seconds": stages, "quotes": quotes}))


if __name__ == "__main__":
    main(sys.argv[1:])
