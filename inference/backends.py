"""The ``InferenceBackend`` seam with two real implementations over one model repository.

- :class:`OnnxRuntimeBackend` runs the model in process (the embedded default), in a worker thread so the event
  loop keeps serving.
- :class:`TritonBackend` asks a Triton Inference Server over gRPC or HTTP with binary tensors (JSON tensors cost
  about 100 ms a frame), the same repository on CPU here and on GPU in production.

Both take a batch of preprocessed frames (N, 3, 96, 96, float32 in [0, 1]) and return the detector's score maps
(N, channels, 6, 6); a contract test runs both and asserts identical outputs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from inference.repository import DETECTOR, INPUT, MODELS, OUTPUT, VERSION, onnx_file
from kernel.errors import ErrorCode, ZhijianError

Frames = NDArray[np.float32]
Scores = NDArray[np.float32]


class InferenceCode(ErrorCode):
    INFERENCE_UNAVAILABLE = "INFERENCE_UNAVAILABLE", "The inference server did not answer; the frame was not judged."
    INVALID_FRAME = "INVALID_FRAME", "A frame that cannot be read, is too large, or is not an image."


class InferenceUnavailable(ZhijianError):
    """The backend could not judge the frames (server down, model not ready); nothing was decided."""

    code = InferenceCode.INFERENCE_UNAVAILABLE


class InferenceBackend(Protocol):
    """Judges frames with the kitchen detector."""

    name: str
    model_version: str

    async def detect(self, frames: Frames) -> Scores:
        """Score maps for a batch of preprocessed frames."""
        ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class OnnxRuntimeBackend:
    """The detector in this process (ONNX Runtime on the CPU), loaded from the model repository."""

    repository: Path = MODELS
    threads: int = 1
    name: str = "onnxruntime"
    model_version: str = f"{DETECTOR}/{VERSION}"
    _session: Any = field(default=None, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def _load(self) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        return onnxruntime.InferenceSession(
            str(onnx_file(self.repository)), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def run(self, frames: Frames) -> Scores:
        """Synchronous inference (benchmarks and the thread of :meth:`detect`)."""
        if self._session is None:
            self._session = self._load()
        (scores,) = self._session.run([OUTPUT], {INPUT: np.ascontiguousarray(frames, dtype=np.float32)})
        return np.asarray(scores, dtype=np.float32)

    async def detect(self, frames: Frames) -> Scores:
        async with self._lock:  # one session, one batch at a time: ONNX Runtime parallelises inside
            return await asyncio.to_thread(self.run, frames)

    async def close(self) -> None:
        self._session = None


@dataclass(slots=True)
class TritonBackend:
    """The detector on a Triton Inference Server, over gRPC (default) or HTTP, binary tensors either way."""

    url: str
    """``host:port`` of Triton's gRPC or HTTP endpoint."""
    protocol: Literal["grpc", "http"] = "grpc"
    timeout_s: float = 10.0
    model: str = DETECTOR
    version: str = VERSION
    name: str = "triton"
    model_version: str = f"{DETECTOR}/{VERSION}"
    _client: Any = field(default=None, repr=False)

    def _connect(self) -> Any:
        if self.protocol == "grpc":
            import tritonclient.grpc.aio as grpc_client

            return grpc_client.InferenceServerClient(self.url)
        import tritonclient.http.aio as http_client

        return http_client.InferenceServerClient(self.url, conn_timeout=self.timeout_s)

    async def detect(self, frames: Frames) -> Scores:
        if self._client is None:
            self._client = self._connect()
        batch = np.ascontiguousarray(frames, dtype=np.float32)
        try:
            if self.protocol == "grpc":
                import tritonclient.grpc.aio as grpc_client

                inputs = [grpc_client.InferInput(INPUT, list(batch.shape), "FP32")]
                inputs[0].set_data_from_numpy(batch)
                outputs = [grpc_client.InferRequestedOutput(OUTPUT)]
                result = await self._client.infer(
                    self.model, inputs, model_version=self.version, outputs=outputs, client_timeout=self.timeout_s
                )
            else:
                import tritonclient.http.aio as http_client

                inputs = [http_client.InferInput(INPUT, list(batch.shape), "FP32")]
                inputs[0].set_data_from_numpy(batch, binary_data=True)
                outputs = [http_client.InferRequestedOutput(OUTPUT, binary_data=True)]
                result = await self._client.infer(
                    self.model, inputs, model_version=self.version, outputs=outputs, timeout=int(self.timeout_s * 1e6)
                )
        except Exception as error:  # tritonclient raises its own exception types, and transport errors
            raise InferenceUnavailable(f"Triton at {self.url} could not judge the frames: {error}") from error
        return np.asarray(result.as_numpy(OUTPUT), dtype=np.float32)

    async def ready(self) -> bool:
        """True when the server is live and the detector is loaded."""
        if self._client is None:
            self._client = self._connect()
        try:
            return bool(await self._client.is_model_ready(self.model, self.version))
        except Exception:
            return False

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
