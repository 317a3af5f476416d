"""Smoothing before int8 quantisation: the fp32 graph computes what it computed before, the
smoothed node reads an input whose channels are flatter, and other readers of that input are untouched."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import index.onnx_export as onnx_export
from index.int8_smoothing import smooth_inputs

WEIGHT = np.array([[0.5, -1.0, 0.25], [2.0, 0.5, -0.5], [-0.25, 1.0, 1.0], [1.0, 1.0, -2.0]], dtype=np.float32)
# Channel 1 is an outlier, forty times the others, as in a layer norm's output.
INPUT = np.array([[0.1, 4.0, -0.1, 0.05], [-0.05, -3.5, 0.08, 0.1], [0.02, 2.0, 0.1, -0.08]], dtype=np.float32)


def _graph() -> onnx.ModelProto:
    """x feeds a MatMul and, beside it, the residual Add a layer norm's output also feeds."""
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"], name="dense"),
             helper.make_node("Add", ["x", "x"], ["residual"], name="residual")]
    graph = helper.make_graph(
        nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 3]),
         helper.make_tensor_value_info("residual", TensorProto.FLOAT, [None, 4])],
        initializer=[numpy_helper.from_array(WEIGHT, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _run(model: onnx.ModelProto, *outputs: str) -> list[np.ndarray]:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(list(outputs), {"x": INPUT})


def _smoothed() -> onnx.ModelProto:
    model = _graph()
    smooth_inputs(model, ["dense"], {"x": np.abs(INPUT).max(axis=0)})
    return model


def test_smoothing_leaves_the_product_and_the_residual_unchanged() -> None:
    before = _run(_graph(), "y", "residual")
    after = _run(_smoothed(), "y", "residual")
    assert np.allclose(before[0], after[0], rtol=1e-5, atol=1e-6)
    assert np.array_equal(before[1], after[1])


def test_each_input_channel_meets_its_weight_row_halfway() -> None:
    model = _smoothed()
    model.graph.output.append(helper.make_tensor_value_info("dense/smoothed_input", TensorProto.FLOAT, None))
    (smoothed,) = _run(model, "dense/smoothed_input")
    input_range, weight_range = np.abs(INPUT).max(axis=0), np.abs(WEIGHT).max(axis=1)
    assert np.allclose(np.abs(smoothed).max(axis=0), np.sqrt(input_range * weight_range), rtol=1e-5)
    spread = np.abs(smoothed).max(axis=0)
    assert spread.max() / spread.min() < (input_range.max() / input_range.min()) / 4


def test_the_int8_model_is_rebuilt_when_the_calibration_texts_change(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = tmp_path / "weights"
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"weights")
    calibration = tmp_path / "calibration.txt"
    calibration.write_text("One sentence.\n", encoding="utf-8")
    monkeypatch.setattr(onnx_export, "CALIBRATION_TEXTS", calibration)
    out_dir = tmp_path / "int8"
    out_dir.mkdir()
    (out_dir / "model.onnx").write_bytes(b"model")
    (out_dir / onnx_export.STAMP_NAME).write_text(json.dumps(onnx_export._weights_stamp(model_dir)), encoding="utf-8")
    assert onnx_export.is_current(out_dir, model_dir)
    calibration.write_text("Another sentence.\n", encoding="utf-8")
    assert not onnx_export.is_current(out_dir, model_dir)
