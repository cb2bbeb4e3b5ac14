"""Generate the gRPC code of ``proto/ingest.proto`` (``make install`` runs it; the generated modules are not kept in
git): ``python -m adapters.ingest.codegen``."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROTO = Path("adapters/ingest/proto/ingest.proto")


def generate() -> None:
    from grpc_tools import protoc

    include = resources.files("grpc_tools") / "_proto"
    args = [
        "grpc_tools.protoc",
        f"-I{ROOT}",
        f"-I{include}",
        f"--python_out={ROOT}",
        f"--grpc_python_out={ROOT}",
        str(ROOT / PROTO),
    ]
    if protoc.main(args) != 0:
        raise SystemExit(f"protoc failed on {PROTO}")


if __name__ == "__main__":
    generate()
    sys.exit(0)
