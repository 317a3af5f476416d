"""Build the int8 ONNX all-MiniLM-L6-v2 that ingest embeds with, from the packaged weights.

Run once by `make setup` (`python -m index.onnx_export`); nothing is downloaded. The packaged
BERT encoder is exported with mean pooling and L2 normalisation inside the graph, so the runtime
needs only token ids and an attention mask, and its weights are then quantised to int8
(dynamic quantisation: int8 weights, activations quantised per batch). The fp32 export is a
temporary file; only the int8 model is kept, beside a stamp naming the weights it came from,
so a second run with the same weights does nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path

from index.int8_smoothing import CALIBRATION_TEXTS, smooth
from ingest.errors import SetupError

OPSET = 17
STAMP_NAME = "source.json"
QUANTISATION = "dynamic int8, per-channel 7-bit weights; attention, attention output and feed-forward input " \
               "int8 in every layer, their layer-norm inputs smoothed into the weights; feed-forward output " \
               "int8 in the upper third of the layers, the rest fp32"
# Top-10 overlap with fp32 retrieval over the benchmark's queries, and throughput over plain fp32
# encode, measured in one run on a CPU without VNNI: every MatMul int8 0.903 at 2.7x; the build
# before this one (8-bit weights, no smoothing, feed-forward input int8 in the upper half only)
# 0.939 at 2.02x; this build 0.954 at 2.34-2.37x. Weights of 7 bits keep the int8 products from
# saturating where the CPU sums pairs of them in 16 bits (AVX2 without VNNI), so the vectors do
# not depend on the CPU. Smoothing (index/int8_smoothing.py) lets the layer-norm outputs, which
# have a few outlier channels, be quantised in every layer. The feed-forward output reads GELU
# outputs whose large values are not confined to channels, so smoothing does not help it, and
# the lower layers' errors are carried through the upper ones: only the upper third quantises it.
FEED_FORWARD_OUTPUT = re.compile(r"/layer\.(\d+)/output/dense/MatMul$")
FEED_FORWARD_INPUT = re.compile(r"/layer\.\d+/intermediate/dense/MatMul$")


def _kept_fp32(matmuls: list[str], layers: int) -> list[str]:
    """The MatMuls left in fp32: the feed-forward output projections of the lower two thirds of the layers."""
    def kept(name: str) -> bool:
        output = FEED_FORWARD_OUTPUT.search(name)
        return bool(output and int(output.group(1)) < layers - layers // 3)

    return [name for name in matmuls if kept(name)]


def _smoothed(graph) -> list[str]:
    """The nodes whose input is a layer norm's output: every attention and feed-forward input projection."""
    return [node.name for node in graph.node
            if node.op_type == "Attention" or (node.op_type == "MatMul" and FEED_FORWARD_INPUT.search(node.name))]


class ExportFailed(SetupError):
    """The model could not be exported or quantised."""


def default_onnx_dir() -> Path:
    """Where the int8 model lives: inside the Python environment that runs the pipeline (never in
    the repository), or where EVIDENCE_ONNX_DIR points."""
    override = os.environ.get("EVIDENCE_ONNX_DIR")
    return Path(override) if override else Path(sys.prefix) / "share" / "evidence-pipeline" / "minilm-int8"


def _weights_stamp(model_dir: Path) -> dict:
    digest = hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()
    return {"weights_sha256": digest, "opset": OPSET, "graph": "fused BERT (onnxruntime transformer optimizer)",
            "quantisation": QUANTISATION,
            "calibration_sha256": hashlib.sha256(CALIBRATION_TEXTS.read_bytes()).hexdigest()}


def is_current(out_dir: Path, model_dir: Path) -> bool:
    """The int8 model is there and was built from these very weights."""
    try:
        stamp = json.loads((out_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (out_dir / "model.onnx").is_file() and stamp == _weights_stamp(model_dir)


def build_int8_model(model_dir: Path, out_dir: Path) -> Path:
    """Export the sentence encoder at `model_dir` to ONNX and quantise it to int8 in `out_dir`."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel

    class SentenceEncoder(torch.nn.Module):
        """BERT, then the mean of the unmasked token vectors, L2-normalised: sentence-transformers' recipe."""

        def __init__(self, bert: torch.nn.Module):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    # Eager attention, and a padded example: traced with a full mask, the library's shortcut for
    # "no padding" would be baked into the graph and padded batches would attend to padding.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice to pre-process, on every run
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    encoder = SentenceEncoder(bert).eval()
    mask = torch.ones((2, 8), dtype=torch.int64)
    mask[1, 5:] = 0
    example = (torch.full((2, 8), 1000, dtype=torch.int64), mask)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        try:
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the tracer's notes on shapes it holds fixed: none vary here
                torch.onnx.export(
                    encoder, example, str(fp32), input_names=["input_ids", "attention_mask"],
                    output_names=["sentence_embedding"], opset_version=OPSET, dynamo=False,
                    dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                  "sentence_embedding": {0: "batch"}},
                )
            # Attention, layer norms and GELU fused into ONNX Runtime's own kernels.
            fused = Path(tmp) / "fused.onnx"
            optimizer.optimize_model(str(fp32), model_type="bert", num_heads=bert.config.num_attention_heads,
                                     hidden_size=bert.config.hidden_size, opt_level=1).save_model_to_file(str(fused))
            model = onnx.load(str(fused))
            layers = bert.config.num_hidden_layers
            matmuls = [node.name for node in model.graph.node if node.op_type == "MatMul"]
            keep_fp32 = _kept_fp32(matmuls, layers)
            smoothed = _smoothed(model.graph)
            if len(matmuls) - len(keep_fp32) != 2 * layers + layers // 3 or len(smoothed) != 2 * layers:
                raise ExportFailed(f"found {len(matmuls)} MatMuls of which {len(matmuls) - len(keep_fp32)} to "
                                   f"quantise and {len(smoothed)} inputs to smooth, not the attention and "
                                   "feed-forward layers the build expects")
            smooth(model, smoothed, model_dir)
            onnx.save(model, str(fused))
            int8 = Path(tmp) / "model.onnx"
            # Per-channel weight scales: one scale per matrix lost too much (cosine to fp32 about 0.95).
            # The word-embedding table stays fp32: it is only looked up, never multiplied.
            quantize_dynamic(str(fused), str(int8), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                             op_types_to_quantize=["MatMul", "Attention"], nodes_to_exclude=keep_fp32,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        except ExportFailed:
            raise
        except Exception as error:
            raise ExportFailed(f"cannot build the int8 model from {model_dir}: {error}") from error
        os.replace(int8, out_dir / "model.onnx")
    (out_dir / STAMP_NAME).write_text(json.dumps(_weights_stamp(model_dir), indent=2), encoding="utf-8")
    return out_dir / "model.onnx"


def main(argv: list[str] | None = None) -> int:
    from ingest.wordpieces import default_model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder for model.onnx [default: %(default)s]")
    args = parser.parse_args(argv)
    out_dir = args.out or default_onnx_dir()
    model_dir = default_model_dir()
    if is_current(out_dir, model_dir):
        (out_dir / "model.onnx").touch()  # newer than its inputs, so make does not ask again
        print(f"int8 model up to date: {out_dir / 'model.onnx'}")
        return 0
    try:
        path = build_int8_model(model_dir, out_dir)
    except ExportFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"int8 model written: {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
