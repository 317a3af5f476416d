"""`evidence ingest` on a corpus that has not changed imports none of the heavy libraries it would
need to parse or embed: the command stays quick because it loads only what the run uses. A run that
parses loads spaCy's model without torch, which the model never uses."""

from __future__ import annotations

import os
import subprocess
import sys

from index.embedder import DEFAULT_MODEL, HashingEmbedder
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.conftest import REPO

HEAVY = ("torch", "spacy", "sentence_transformers", "transformers", "onnxruntime", "ray", "pdfplumber", "bm25s")
DOCUMENTS = {
    "020_ferry.txt": (
        "Ferry timetable review\n\n1. Findings\n\n"
        "Passengers told us about the winter crossings. One said: “The early boat is the only one that "
        "gets me to the market before the stalls open.” (P1S1R01)\n"
    ),
}
NO_CHANGE_RUN = """
import runpy, sys
sys.argv = ["evidence", "ingest", "--manifest", sys.argv[1], "--data", sys.argv[2], "--quiet",
            "--codebook", sys.argv[3]]
try:
    runpy.run_module("pipeline.cli", run_name="__main__")
except SystemExit as done:
    assert not done.code, done.code
print(" ".join(m for m in {heavy!r} if m in sys.modules) or "none")
"""


def test_a_no_change_ingest_imports_no_parser_or_model_library(tmp_path, write_corpus) -> None:
    manifest = write_corpus(DOCUMENTS)
    codebook = REPO / "themes.yaml"
    # Vectors under the real model's name, so the second run finds every text already embedded.
    stand_in = HashingEmbedder(model_name=DEFAULT_MODEL)
    run_ingest(manifest, tmp_path / "data", lambda: stand_in,
               IngestOptions(workers=1, show_progress=False, codebook_path=codebook))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", NO_CHANGE_RUN.format(heavy=HEAVY), str(manifest), str(tmp_path / "data"),
         str(codebook)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )
    assert "Nothing changed" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "none"


LOAD_ENTITY_MODEL = """
import sys
from ingest.document import entity_extractor
entity_extractor()
print("torch" in sys.modules)
import torch
print(torch.tensor([1.0]).sum().item())
"""


def test_the_entity_model_loads_without_torch_and_torch_still_imports_afterwards(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", LOAD_ENTITY_MODEL], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["False", "1.0"]
