"""The hub's health shows Triton's state when it is configured: the detection subgraph's probe against a real Triton
(the session's server of this package's conftest) finds the kitchen detector ready."""

from __future__ import annotations

from inference.triton import TritonServer
from subgraphs.detection.inference_status import TritonProbe


async def test_a_running_triton_with_the_detector_loaded_is_ready(triton: TritonServer) -> None:
    status = await TritonProbe(triton.http_url).status()
    assert (status.backend, status.model, status.ready, status.url, status.detail) == (
        "triton", "kitchen_detector/1", True, triton.http_url, None)  # fmt: skip
