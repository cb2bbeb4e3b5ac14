"""Send the same `@defer` operations to two gateways over one supergraph and compare what comes back: the initial
payload and the incremental entries (data, path, label), whatever parts they are batched in.

    python benchmarks/defer_compare.py http://127.0.0.1:24001/graphql http://127.0.0.1:24003/graphql

Made for the gateway benchmark's supergraph (../shared/bench: accounts, inventory, products, reviews); Hive Gateway
serves `@defer` with `deferStream: true` in its config. Prints SAME or DIFF per operation; exits 1 on a DIFF.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx

ACCEPT = "multipart/mixed;deferSpec=20220824, application/json"
OPERATIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ('{ topProducts(first: 2) { upc name ... @defer(label: "reviews") { reviews { body author { name } } } } }', {}),
    ("{ topProducts(first: 3) { upc ...R @defer } } fragment R on Product { name reviews { id } }", {}),
    ("query($d: Boolean!) { topProducts(first: 2) { upc ... @defer(if: $d) { name } } }", {"d": False}),
    ('{ users { id ... @defer(label: "u") { username reviews { id ... @defer { product { upc } } } } } }', {}),
)


def payloads(response: httpx.Response) -> list[dict[str, Any]]:
    if not response.headers.get("content-type", "").startswith("multipart/mixed"):
        return [response.json()]
    found = []
    for chunk in response.content.split(b"\r\n---")[1:]:
        body = chunk.partition(b"\r\n\r\n")[2].strip()
        if body and body != b"--":
            found.append(json.loads(body))
    return found


def answer(url: str, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    response = httpx.post(url, json={"query": query, "variables": variables}, headers={"accept": ACCEPT}, timeout=30)
    parts = payloads(response)
    initial = {key: value for key, value in parts[0].items() if key != "hasNext"}
    entries = [entry for part in parts[1:] for entry in part.get("incremental", [])]
    return initial, sorted(entries, key=lambda entry: json.dumps([entry.get("path"), entry.get("label")]))


def main(first: str, second: str) -> int:
    differ = 0
    for query, variables in OPERATIONS:
        a, b = answer(first, query, variables), answer(second, query, variables)
        print("SAME" if a == b else "DIFF", query)
        if a != b:
            differ += 1
            print("  first: ", json.dumps(a, ensure_ascii=False)[:500])
            print("  second:", json.dumps(b, ensure_ascii=False)[:500])
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
