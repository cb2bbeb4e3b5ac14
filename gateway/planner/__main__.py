"""`python -m gateway.planner SUPERGRAPH OPERATION_FILE [--operation NAME] [--variables JSON]`: print the plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from gateway.errors import GatewayError
from gateway.operation import coerce_variables, condition_values, normalize, prepare_operation
from gateway.planner import build_plan, render_plan
from gateway.query_graph import QueryGraph
from gateway.supergraph import build_api_schema, parse_supergraph


def main(argv: list[str] | None = None) -> int:
    """Plan one operation against a supergraph and print the plan text."""
    parser = argparse.ArgumentParser(prog="python -m gateway.planner", description=__doc__)
    parser.add_argument("supergraph", type=Path)
    parser.add_argument("operation", type=Path)
    parser.add_argument("--operation-name", "--operation", dest="operation_name")
    parser.add_argument("--variables", default="{}", help="JSON object (only @skip/@include values matter)")
    args = parser.parse_args(argv)
    try:
        supergraph = parse_supergraph(args.supergraph.read_text(encoding="utf-8"))
        api = build_api_schema(supergraph)
        prepared = prepare_operation(api, args.operation.read_text(encoding="utf-8"), args.operation_name)
        variables = coerce_variables(api, prepared, orjson.loads(args.variables))
        selections = normalize(prepared, condition_values(prepared, variables))
        plan = build_plan(QueryGraph(supergraph), prepared.kind, selections, prepared.variable_types)
    except GatewayError as error:
        print(f"{error.code}: {error.message}", file=sys.stderr)
        return 1
    print(render_plan(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
