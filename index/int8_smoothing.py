"""Activation outliers moved into the weights before int8 quantisation (SmoothQuant).

A few hidden channels of MiniLM's layer-norm outputs run tens of times larger than the rest.
Dynamic quantisation gives a MatMul's input one int8 scale per text, so those channels take the
whole range and every other channel keeps a handful of levels. Dividing input channel j by s_j
and multiplying the weight row it meets by s_j leaves the product unchanged in fp32 and
flattens the input: s_j = max|x_j|^α / max|w_j|^(1-α), α = 0.5 (Xiao et al., "SmoothQuant",
ICML 2023). The division is a Mul node on the MatMul's own input branch, so the residual stream
the same layer-norm output feeds is untouched.

The maxima come from running the fp32 graph over a few dozen generic sentences shipped beside
this module (`int8_calibration.txt`, written for this purpose, no corpus text). The outlier
channels are a property of the model, not of the texts: one calibration text gives the same
retrieval figures as fifty.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ingest.wordpieces import model_tokenizer

ALPHA = 0.5
CALIBRATION_TEXTS = Path(__file__).with_name("int8_calibration.txt")
_FLOOR = 1e-5  # a channel that is never non-zero keeps a finite scale


def calibration_texts() -> list[str]:
    """The generic sentences the activation maxima are measured on, one per line."""
    return [line.strip() for line in CALIBRATION_TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def activation_maxima(model: Any, tensors: Iterable[str], model_dir: Path,
                      texts: list[str] | None = None) -> dict[str, np.ndarray]:
    """The largest absolute value of each channel of each named tensor of the fp32 ONNX `model`
    (an `onnx.ModelProto` taking `input_ids` and `attention_mask`), over `texts` embedded one at a time."""
    import onnx
    import onnxruntime as ort

    names = list(dict.fromkeys(tensors))
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.extend(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)
                              for name in names)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    tokenizer = model_tokenizer(model_dir)
    maxima: dict[str, np.ndarray] = {}
    for text in texts if texts is not None else calibration_texts():
        ids = np.asarray([tokenizer.encode(text).ids], dtype=np.int64)
        values = session.run(names, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        for name, value in zip(names, values):
            channel_max = np.abs(value.reshape(-1, value.shape[-1])).max(axis=0)
            maxima[name] = np.maximum(maxima[name], channel_max) if name in maxima else channel_max
    return maxima


def smooth(model: Any, node_names: list[str], model_dir: Path) -> None:
    """Smooth the inputs of the named nodes of the fp32 ONNX `model` in place, with the maxima
    their inputs reach over the calibration texts."""
    wanted = set(node_names)
    inputs = [node.input[0] for node in model.graph.node if node.name in wanted]
    smooth_inputs(model, wanted, activation_maxima(model, inputs, model_dir))


def smooth_inputs(model: Any, node_names: Iterable[str], maxima: dict[str, np.ndarray], alpha: float = ALPHA) -> None:
    """Rewrite `model` in place so that each named node (a MatMul or an Attention whose second
    input is its weight initializer, rows by input channel) reads its input divided by the
    smoothing scales, its weight rows multiplied by them."""
    from onnx import helper, numpy_helper

    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    wanted = set(node_names)
    for node in [node for node in graph.node if node.name in wanted]:
        weight_init = initializers[node.input[1]]
        weight = numpy_helper.to_array(weight_init)
        scales = (np.maximum(maxima[node.input[0]], _FLOOR) ** alpha
                  / np.maximum(np.abs(weight).max(axis=1), _FLOOR) ** (1 - alpha)).astype(np.float32)
        weight_init.CopyFrom(numpy_helper.from_array((weight * scales[:, None]).astype(np.float32), weight_init.name))
        divisor = f"{node.name}/smoothing_scale"
        smoothed = f"{node.name}/smoothed_input"
        graph.initializer.append(numpy_helper.from_array((1.0 / scales).astype(np.float32), divisor))
        graph.node.insert(list(graph.node).index(node),
                          helper.make_node("Mul", [node.input[0], divisor], [smoothed], name=f"{node.name}/smoothing"))
        node.input[0] = smoothed
