"""One contract for every InferenceBackend: ONNX Runtime in process, Triton over gRPC and over HTTP (binary
tensors), all over the same model repository, give the same scores for the same frames."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest

from inference.backends import InferenceBackend, InferenceUnavailable, OnnxRuntimeBackend, TritonBackend
from inference.taxonomy import CHANNELS
from inference.training.scenes import scenes
from inference.triton import TritonServer

FRAMES = (scenes(6, seed=99)[0].transpose(0, 3, 1, 2) / 255.0).astype(np.float32)


@pytest.fixture(params=["onnxruntime", "triton-grpc", "triton-http"])
async def backend(request: pytest.FixtureRequest, triton: TritonServer) -> AsyncIterator[InferenceBackend]:
    chosen: InferenceBackend
    if request.param == "onnxruntime":
        chosen = OnnxRuntimeBackend()
    elif request.param == "triton-grpc":
        chosen = TritonBackend(triton.grpc_url, protocol="grpc")
    else:
        chosen = TritonBackend(triton.http_url, protocol="http")
    yield chosen
    await chosen.close()


async def test_every_backend_scores_a_batch_as_onnx_runtime_does(backend: InferenceBackend) -> None:
    reference = OnnxRuntimeBackend().run(FRAMES)
    scores = await backend.detect(FRAMES)
    assert scores.shape == (len(FRAMES), len(CHANNELS), 6, 6) and scores.dtype == np.float32
    assert np.array_equal(scores, reference)
    assert ((scores >= 0) & (scores <= 1)).all()


async def test_a_batch_is_the_frames_one_by_one(backend: InferenceBackend) -> None:
    together = await backend.detect(FRAMES[:3])
    apart = np.concatenate([await backend.detect(FRAMES[i : i + 1]) for i in range(3)])
    assert np.allclose(together, apart, atol=1e-6)


@pytest.mark.parametrize("protocol", ["grpc", "http"])
async def test_an_unreachable_server_is_inference_unavailable(protocol: str) -> None:
    backend = TritonBackend("127.0.0.1:9", protocol=protocol, timeout_s=2.0)  # type: ignore[arg-type]
    with pytest.raises(InferenceUnavailable) as refused:
        await backend.detect(FRAMES[:1])
    assert refused.value.code == "INFERENCE_UNAVAILABLE"
    await backend.close()


async def test_readiness_names_the_loaded_model(triton: TritonServer) -> None:
    backend = TritonBackend(triton.grpc_url)
    assert await backend.ready()
    await backend.close()
    assert not await TritonBackend("127.0.0.1:9", timeout_s=1.0).ready()
