"""Triton python-backend model: runs ``model.onnx`` beside this file with ONNX Runtime, batch by batch; or, where
the model configuration says ``runtime: torch``, the same weights as TorchScript (``model.pt``) with PyTorch on the
GPU (a GPU instance, or ``device: cuda``).

Triton loads this file itself (it is not imported by the hub); ``triton_python_backend_utils`` is provided by the
python backend.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import triton_python_backend_utils as pb_utils

HERE = Path(__file__).resolve().parent


def _parameter(config: dict[str, Any], name: str, default: str) -> str:
    return str(config.get("parameters", {}).get(name, {}).get("string_value", default))


class TritonPythonModel:
    @staticmethod
    def auto_complete_config(config: Any) -> Any:
        """Inputs, outputs and batching, so that a deployment's configuration names only what it changes (the GPU
        variant in ``configs/gpu.pbtxt`` says where to run, nothing else)."""
        if not config.as_dict().get("input"):
            config.add_input({"name": "frames", "data_type": "TYPE_FP32", "dims": [3, 96, 96]})
        if not config.as_dict().get("output"):
            config.add_output({"name": "scores", "data_type": "TYPE_FP32", "dims": [9, 6, 6]})
        if not config.as_dict().get("max_batch_size"):
            config.set_max_batch_size(64)
        config.set_dynamic_batching()
        return config

    def initialize(self, args: dict[str, Any]) -> None:
        config = json.loads(args["model_config"])
        gpu = args.get("model_instance_kind", "CPU") == "GPU" or _parameter(config, "device", "cpu") == "cuda"
        if _parameter(config, "runtime", "onnxruntime") == "torch":
            import torch

            self.device = torch.device(f"cuda:{int(args.get('model_instance_device_id', 0))}" if gpu else "cpu")
            self.torch = torch
            self.module = torch.jit.load(str(HERE / "model.pt"), map_location=self.device).eval()
            self.run = self._run_torch
            return
        import onnxruntime

        providers: list[Any] = ["CPUExecutionProvider"]
        if gpu and "CUDAExecutionProvider" in onnxruntime.get_available_providers():
            providers.insert(0, ("CUDAExecutionProvider", {"device_id": int(args.get("model_instance_device_id", 0))}))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(_parameter(config, "threads", "1"))
        self.session = onnxruntime.InferenceSession(str(HERE / "model.onnx"), sess_options=options, providers=providers)
        self.run = self._run_onnx

    def _run_onnx(self, frames: np.ndarray) -> np.ndarray:
        (scores,) = self.session.run(["scores"], {"frames": frames})
        return scores

    def _run_torch(self, frames: np.ndarray) -> np.ndarray:
        with self.torch.inference_mode():
            return self.module(self.torch.from_numpy(frames).to(self.device)).cpu().numpy()

    def execute(self, requests: list[Any]) -> list[Any]:
        frames = [pb_utils.get_input_tensor_by_name(request, "frames").as_numpy() for request in requests]
        sizes = [batch.shape[0] for batch in frames]
        scores = self.run(np.concatenate(frames).astype(np.float32, copy=False))
        responses, start = [], 0
        for size in sizes:
            tensor = pb_utils.Tensor("scores", scores[start : start + size].astype(np.float32, copy=False))
            responses.append(pb_utils.InferenceResponse(output_tensors=[tensor]))
            start += size
        return responses
