"""The model repository in Triton's layout (``<model>/config.pbtxt``, ``<model>/<version>/…``): the same files serve
the embedded ONNX Runtime backend and Triton Inference Server, on CPU here and on GPU in production."""

from __future__ import annotations

from pathlib import Path

MODELS = Path(__file__).resolve().parent / "models"
"""The repository shipped with the package."""
DETECTOR = "kitchen_detector"
"""The kitchen-camera detector: a 96×96 RGB frame in, a 6×6 score map per channel out."""
VERSION = "1"
INPUT, OUTPUT = "frames", "scores"


def onnx_file(repository: Path = MODELS, model: str = DETECTOR, version: str = VERSION) -> Path:
    """The ONNX file of a model version (what ONNX Runtime loads, in process or inside Triton's python backend)."""
    return repository / model / version / "model.onnx"
