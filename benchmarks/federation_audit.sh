#!/usr/bin/env bash
# Run graphql-hive/federation-gateway-audit against our gateway (one gateway start per suite).
#   benchmarks/federation_audit.sh AUDIT_DIR [SUITE]
# AUDIT_DIR: an unpacked checkout of the audit with `npm install` done (see benchmarks/README.md).
# Env: NODE_BIN (dir with node >= 22; default AUDIT_DIR/.node/node24/bin), GATEWAY_CMD (default:
# our gateway; "{supergraph}" is replaced by the downloaded file), HEALTH_PATH (default /health),
# GATEWAY_TIMEOUT (ms to wait for health, default 30000), OUR_COMPOSITION=1 (replace the audit's supergraph,
# composed by Apollo's composition, with one our `gateway.composition` builds from the suite's subgraph SDLs).
set -Eeuo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 AUDIT_DIR [SUITE]" >&2
  exit 2
fi
AUDIT_DIR="$(realpath "$1")"
SUITE="${2:-}"
REPO="$(realpath "$(dirname "$0")/..")"
NODE_BIN="${NODE_BIN:-$AUDIT_DIR/.node/node24/bin}"
DEFAULT_CMD="$REPO/.venv/bin/python -m gateway --supergraph {supergraph} --host 127.0.0.1 --port 4000"
GATEWAY_CMD="${GATEWAY_CMD:-$DEFAULT_CMD}"
HEALTH_PATH="${HEALTH_PATH:-/health}"
export GATEWAY_TIMEOUT="${GATEWAY_TIMEOUT:-30000}"
export PATH="$NODE_BIN:$PATH"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 22 )); then
  echo "node >= 22 required (found $(node --version)); set NODE_BIN" >&2
  exit 2
fi

# The runner spawns `sh run.sh <suite>` in the run script's folder and stops it with SIGTERM,
# so run.sh must exec the gateway (no wrapper process left behind holding port 4000).
WORK="$AUDIT_DIR/gateways/zhijian"
COMPOSE_STEP=""
if [[ "${OUR_COMPOSITION:-}" == 1 ]]; then
  COMPOSE_STEP="curl -fsS \"http://localhost:4200/\$1/subgraphs\" | $REPO/.venv/bin/python -c 'import json, sys
from gateway.composition import SubgraphSource, compose
subgraphs = [SubgraphSource(s[\"name\"], s[\"url\"], s[\"sdl\"]) for s in json.load(sys.stdin)]
sys.stdout.write(compose(subgraphs).unwrap())' > \"supergraph-\$1.graphql\""
fi
mkdir -p "$WORK"
cat > "$WORK/run.sh" <<RUN
#!/bin/sh
set -e
cd "\$(dirname "\$0")"
curl -fsS "http://localhost:4200/\$1/supergraph" -o "supergraph-\$1.graphql"
export PYTHONPATH="$REPO\${PYTHONPATH:+:\$PYTHONPATH}"
$COMPOSE_STEP
exec $(printf '%s' "$GATEWAY_CMD" | sed 's|{supergraph}|"supergraph-$1.graphql"|g')
RUN
chmod +x "$WORK/run.sh"

common=(--cwd "$WORK" --run-script ./run.sh
        --graphql http://127.0.0.1:4000/graphql --healthcheck "http://127.0.0.1:4000$HEALTH_PATH")
cd "$AUDIT_DIR"
if [[ -z "$SUITE" ]]; then
  npm start --silent -- test "${common[@]}" --reporter dot --write results.txt || true
  echo
  echo "== per-suite results ($WORK/results.txt; logs in $WORK/logs/) =="
  cat "$WORK/results.txt"
  echo
  # Score line: cases passed / total, and suites with every case passing.
  awk '/^---$/ {done=1} !done && NR % 2 == 1 {suite=$0} !done && NR % 2 == 0 {
         suites++; cases += length($0); ok = gsub(/\./, "."); passed += ok; if (ok == length($0)) green++ }
       END { printf "== score: %d/%d cases, %d/%d suites fully passing ==\n", passed, cases, green, suites }' \
    "$WORK/results.txt"
else
  status=0
  npm start --silent -- test-suite --test "$SUITE" "${common[@]}" --reporter tap \
    | tee "$WORK/logs-$SUITE.tap" || status=$?
  passed="$(grep -cE '^ {4}ok ' "$WORK/logs-$SUITE.tap" || true)"
  failed="$(grep -cE '^ {4}not ok ' "$WORK/logs-$SUITE.tap" || true)"
  echo "== $SUITE: passed $passed, failed $failed (gateway log: $WORK/logs/$SUITE-gateway.log) =="
  exit "$status"
fi
