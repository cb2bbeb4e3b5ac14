"""ASGI plumbing shared by the gateway and the subgraphs."""

from __future__ import annotations

from starlette.types import Message, Receive


def replay(body: bytes) -> Receive:
    """A ``receive`` that hands out ``body`` as the whole request once, then a disconnect: a request already read
    (or built in process), handed to an ASGI app."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
