#!/bin/sh
# Load-test our gateway beside Hive Gateway and Apollo Gateway with the shared harness
# (../shared/bench beside the checkout: graphql-gateways-benchmark workload, one worker on its own core).
#   benchmarks/gateway_bench.sh            # full run (minutes; the box is shared: run rarely)
#   benchmarks/gateway_bench.sh --quick    # smoke test: 1 rep, 5 s
set -eu
REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${BENCH_DIR:-$REPO/../shared/bench}"
exec python3 "$BENCH/bench.py" --unique-header --targets hive,hive-rr,apollo \
  --gateway "zhijian=$REPO/.venv/bin/python -m gateway --supergraph {supergraph} --host {host} --port {port} --workers {workers}" \
  "$@"
