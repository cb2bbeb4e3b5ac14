"""A simulator of the legacy permit system's REST/JSON endpoint, for tests and the demo: pages of permits after a
cursor, and failures on cue (``503``, ``429``, ``500``, ``slow``). ``python -m adapters.rest.simulator --port 4021``."""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kernel.uscc import complete_uscc
from subgraphs.permits.numbers import placeholder_check_digit

Permit = dict[str, Any]


def generate_permits(count: int, *, seed: int = 2, first: int = 1) -> list[Permit]:
    """``count`` JY permits as the legacy system shows them (its own field names)."""
    rng = random.Random(seed)
    items = ("热食类食品制售", "冷食类食品制售", "自制饮品制售", "糕点类食品制售（不含裱花蛋糕）")
    permits = []
    for serial in range(first, first + count):
        body = f"24403040{serial:05d}"
        permits.append(
            {
                "licenceNo": f"JY{body}{placeholder_check_digit(body)}",
                "holder": {"creditCode": complete_uscc(f"91440300MA5G{serial:05d}"), "name": f"深圳市餐饮店{serial}"},
                "address": f"广东省深圳市福田区华强北街道振华路{serial}号",
                "areaCode": "440304",
                "scope": rng.sample(items, 2),
                "validFrom": "2023-03-01",
                "validTo": "2028-02-28",
                "state": "有效",
            }
        )
    return permits


@dataclass
class PermitApi:
    permits: list[Permit] = field(default_factory=list)
    script: collections.deque[str] = field(default_factory=collections.deque)
    slow_seconds: float = 5.0
    calls: int = 0


def create_app(api: PermitApi) -> Starlette:
    async def page(request: Request) -> Response:
        api.calls += 1
        cue = api.script.popleft() if api.script else None
        if cue == "slow":
            await asyncio.sleep(api.slow_seconds)
        if cue == "503":
            return JSONResponse({"error": "维护中 (maintenance)"}, status_code=503, headers={"Retry-After": "0"})
        if cue == "429":
            return JSONResponse({"error": "too many requests"}, status_code=429, headers={"Retry-After": "0"})
        if cue == "500":
            return JSONResponse({"error": "internal error"}, status_code=500)
        start = int(request.query_params.get("cursor") or 0)
        limit = min(int(request.query_params.get("limit") or 100), 500)
        data = api.permits[start : start + limit]
        following = start + len(data)
        return JSONResponse({"data": data, "nextCursor": str(following) if following < len(api.permits) else None})

    return Starlette(routes=[Route("/api/v1/permits", page)])


def main() -> None:  # pragma: no cover - the demo entry point
    import uvicorn

    parser = argparse.ArgumentParser(description="simulated legacy permit system (REST/JSON)")
    parser.add_argument("--port", type=int, default=4021)
    parser.add_argument("--permits", type=int, default=300)
    args = parser.parse_args()
    uvicorn.run(create_app(PermitApi(generate_permits(args.permits))), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
