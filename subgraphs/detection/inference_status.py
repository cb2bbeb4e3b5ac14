"""Which detector backend the hub's kitchen cameras are judged by, and whether it is ready: the embedded ONNX Runtime
model (the default), or Triton Inference Server when ``ZHIJIAN_TRITON_URL`` (its HTTP endpoint, ``host:port``) is
configured. Shown by the detection subgraph's ``GET /inference``, its ``inferenceStatus`` query and, served alone, its
``/ready`` (an advisory check: a Triton that is down makes it "degraded", not unready — alerts still arrive from
edge boxes that run the detector themselves)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx

from inference.repository import DETECTOR, VERSION, onnx_file

TRITON_URL = "ZHIJIAN_TRITON_URL"


@dataclass(frozen=True, slots=True)
class InferenceStatus:
    backend: str
    model: str
    ready: bool
    url: str | None = None
    detail: str | None = None


class InferenceProbe(Protocol):
    async def status(self) -> InferenceStatus: ...


@dataclass(frozen=True, slots=True)
class EmbeddedProbe:
    """The in-process default: ready when the committed model file is there."""

    async def status(self) -> InferenceStatus:
        found = onnx_file().is_file()
        return InferenceStatus(
            backend="onnxruntime", model=f"{DETECTOR}/{VERSION}", ready=found,
            detail=None if found else f"{onnx_file()} is missing",
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class TritonProbe:
    """Asks Triton's HTTP endpoint whether the detector is loaded (KServe v2 ``/v2/models/<m>/versions/<v>/ready``)."""

    url: str
    timeout_s: float = 2.0

    async def status(self) -> InferenceStatus:
        address = self.url if "://" in self.url else f"http://{self.url}"
        model = f"{DETECTOR}/{VERSION}"
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.get(f"{address}/v2/models/{DETECTOR}/versions/{VERSION}/ready")
        except httpx.HTTPError as error:
            return InferenceStatus("triton", model, False, self.url, f"unreachable: {type(error).__name__}")
        ready = response.status_code == 200
        return InferenceStatus("triton", model, ready, self.url, None if ready else f"HTTP {response.status_code}")


class InferenceNotReady(Exception):
    """The configured detector backend answered, but not ready (or not at all)."""


def advisory_checks(probe: InferenceProbe) -> Mapping[str, Callable[[], Awaitable[None]]]:
    """``/ready``'s advisory check of a configured Triton (none for the embedded model: it is part of the process)."""
    if not isinstance(probe, TritonProbe):
        return {}

    async def triton() -> None:
        status = await probe.status()
        if not status.ready:
            raise InferenceNotReady(f"{status.url}: {status.detail}")

    return {"triton": triton}


def probe_from(environ: dict[str, str] | None) -> InferenceProbe:
    url = (environ or {}).get(TRITON_URL, "").strip()
    return TritonProbe(url) if url else EmbeddedProbe()
