"""The hub's contracts: each subgraph's SDL (``zhijian schema export``) and the supergraph composed from them in
Python (``zhijian compose``), for the subgraphs of the registry."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import strawberry

from gateway.composition import SubgraphSource, compose
from hub.components import SUBGRAPHS
from hub.roles_doc import roles_markdown
from kernel.errors import Code, ErrorCode
from kernel.machine_client import GraphCode
from subgraphs.common.errors import CommonCode

log = logging.getLogger("zhijian.compose")


def print_sdl(schema: strawberry.Schema) -> str:
    """A schema's SDL as checked in: strawberry's printer output plus a final newline."""
    return schema.as_str().rstrip("\n") + "\n"


def export_schemas(directory: Path) -> tuple[Path, ...]:
    """Write ``<directory>/<name>.graphql`` for each subgraph; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for component in SUBGRAPHS:
        path = directory / f"{component.name}.graphql"
        path.write_text(print_sdl(component.schema), encoding="utf-8")
        written.append(path)
    codes = directory / "error-codes.md"
    codes.write_text(error_codes_markdown(), encoding="utf-8")
    roles = directory / "roles.md"
    roles.write_text(roles_markdown(), encoding="utf-8")
    return (*written, codes, roles)


SHARED_CODES: tuple[type[ErrorCode], ...] = (Code, CommonCode, GraphCode)
"""Codes any subgraph may give: the kernel's, the shared machinery's, and a machine client's."""


def error_codes_markdown() -> str:
    """``schema/error-codes.md``: every ``extensions.code`` a subgraph may answer with, and when."""
    lines = [
        "# Error codes",
        "",
        "Every error a subgraph returns carries `extensions.code`, one of the codes below (generated from the",
        "catalogues in code by `zhijian schema export`; a test fails when a raised code is missing here).",
        "The gateway adds its own request codes (`GRAPHQL_PARSE_FAILED`, `UNAUTHORIZED_FIELD_OR_TYPE`, …).",
        "",
    ]
    sections = [("Any subgraph", SHARED_CODES), *((c.name, (c.codes,)) for c in SUBGRAPHS)]
    for title, catalogues in sections:
        lines += [f"## {title}", "", "| code | when |", "| --- | --- |"]
        lines += [f"| `{code.value}` | {code.description} |" for catalogue in catalogues for code in catalogue]
        lines.append("")
    return "\n".join(lines)


def _compose(sdl_of: Callable[[str], str], urls: Mapping[str, str]) -> str:
    """Compose every subgraph, each at ``urls[name]``; raises ``CompositionFailed`` on conflicts; hints are logged as
    warnings."""
    result = compose([SubgraphSource(c.name, urls[c.name], sdl_of(c.name)) for c in SUBGRAPHS])
    for hint in result.hints:
        log.warning("composition hint %s: %s", hint.code, hint.message)
    return result.unwrap()


def compose_files(schema_dir: Path, host: str = "127.0.0.1") -> str:
    """Compose the checked-in ``schema/<name>.graphql`` contracts."""
    urls = {c.name: f"http://{host}:{c.port}/graphql" for c in SUBGRAPHS}
    return _compose(lambda name: (schema_dir / f"{name}.graphql").read_text(encoding="utf-8"), urls)


def compose_code(host: str, ports: Mapping[str, int]) -> str:
    """Compose the subgraphs' schemas as they are in this build (the embedded hub)."""
    return compose_urls({c.name: f"http://{host}:{ports.get(c.name, c.port)}/graphql" for c in SUBGRAPHS})


def compose_urls(urls: Mapping[str, str]) -> str:
    """Compose the subgraphs' schemas as they are in this build, each reached at ``urls[name]`` (a split
    deployment: ``http://entities:4001/graphql``)."""
    schemas = {c.name: c.schema for c in SUBGRAPHS}
    return _compose(lambda name: print_sdl(schemas[name]), urls)


def write_supergraph(schema_dir: Path) -> Path:
    """Write ``schema/supergraph.graphql`` from the subgraph contracts beside it."""
    path = schema_dir / "supergraph.graphql"
    path.write_text(compose_files(schema_dir), encoding="utf-8")
    return path
