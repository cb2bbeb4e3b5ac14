"""A simulator of the registry's change-log WebService, for tests and the demo: its own WSDL, SOAP faults and
slow answers on cue. ``python -m adapters.registry.simulator --port 4020 --changes 500``."""

from __future__ import annotations

import argparse
import asyncio
import collections
from dataclasses import dataclass, field
from importlib import resources
from xml.sax.saxutils import escape

from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from adapters.registry.records import Change, generate_changes

NS = "urn:szamr:registry:v1"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL = resources.files("adapters.registry").joinpath("registry.wsdl").read_text(encoding="utf-8")
FIELDS = ("changeNo", "changeType", "changeTime", "uscc", "regNo", "entName", "entType", "estDate", "lerep",
          "lerepCerNo", "lerepTel", "dom", "opLoc", "opScope", "canDate")  # fmt: skip
"""The WSDL's order of a Change's elements."""


@dataclass
class RegistryLog:
    """The simulated registry: its change log, and what its next answers do (``fault``, ``slow``, ``gap``)."""

    changes: list[Change] = field(default_factory=list)
    script: collections.deque[str] = field(default_factory=collections.deque)
    slow_seconds: float = 5.0
    calls: int = 0

    def after(self, change_no: int, count: int) -> list[Change]:
        return [change for change in self.changes if int(change["changeNo"]) > change_no][:count]


def _envelope(body: str) -> str:
    head = f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP_NS}">'
    return f"{head}<soap:Body>{body}</soap:Body></soap:Envelope>"


def _fault(code: str, message: str) -> Response:
    body = f"<soap:Fault><faultcode>soap:{code}</faultcode><faultstring>{escape(message)}</faultstring></soap:Fault>"
    return Response(_envelope(body), status_code=500, media_type="text/xml; charset=utf-8")


def _change(change: Change) -> str:
    parts = "".join(f"<r:{name}>{escape(change[name])}</r:{name}>" for name in FIELDS if name in change)
    return f"<r:change>{parts}</r:change>"


def create_app(log: RegistryLog) -> Starlette:
    async def wsdl(request: Request) -> Response:
        location = str(request.url.replace(query=""))
        return Response(WSDL.replace("http://127.0.0.1:4020/registry", location), media_type="text/xml")

    async def call(request: Request) -> Response:
        log.calls += 1
        cue = log.script.popleft() if log.script else None
        if cue == "slow":
            await asyncio.sleep(log.slow_seconds)
        if cue == "fault":
            return _fault("Server", "系统繁忙，请稍后再试 (server busy)")
        try:
            root = etree.fromstring(await request.body())
            after = int(root.findtext(f".//{{{NS}}}afterChangeNo") or "")
            count = int(root.findtext(f".//{{{NS}}}maxCount") or "")
        except (etree.XMLSyntaxError, ValueError):
            return _fault("Client", "GetChanges needs afterChangeNo and maxCount")
        changes = log.after(after, min(count, 1000))
        if cue == "gap" and len(changes) > 1:
            del changes[len(changes) // 2]
        last = log.changes[-1]["changeNo"] if log.changes else "0"
        body = (
            f'<r:GetChangesResponse xmlns:r="{NS}"><r:lastChangeNo>{last}</r:lastChangeNo>'
            + "".join(_change(change) for change in changes)
            + "</r:GetChangesResponse>"
        )
        return Response(_envelope(body), media_type="text/xml; charset=utf-8")

    return Starlette(routes=[Route("/registry", wsdl, methods=["GET"]), Route("/registry", call, methods=["POST"])])


def main() -> None:  # pragma: no cover - the demo entry point
    import uvicorn

    parser = argparse.ArgumentParser(description="simulated 商事登记 change-log WebService")
    parser.add_argument("--port", type=int, default=4020)
    parser.add_argument("--changes", type=int, default=500)
    args = parser.parse_args()
    log = RegistryLog(changes=generate_changes(args.changes))
    uvicorn.run(create_app(log), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
