#!/usr/bin/env bash
# API requests per second on one node (release build): a one-validator network, a certificate anchored and a
# donation recorded, then wrk (Debian's, installed if missing) against status, certificate, receipt (JSON and
# binary) and transaction-receipt routes, each for SECONDS with CONNECTIONS connections on 2 threads. The
# rate limit is turned off for the run. Client and node share this machine's cores.
# Usage: Tools/bench-api.sh [SECONDS] [CONNECTIONS]   (defaults 10 16). Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-16}
Tools/setup.sh >/dev/null
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
swift build -c release --product civic >/dev/null
swift build -c release --product civicd >/dev/null
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/civicd" testnet --validators 1 --dir "$work/net" >/dev/null
sed -i 's/^rate_limit = .*/rate_limit = 0/' "$work/net/node0/config.toml"
"$bin/civicd" start --home "$work/net/node0" >"$work/node.log" 2>&1 &
pid=$!
api="http://$(sed -n 's/^listen = "\(127.0.0.1:[0-9]*\)"/\1/p' "$work/net/node0/config.toml" | tail -n 1)"
for _ in $(seq 1 100); do curl -sf "$api/v1/status" >/dev/null && break; sleep 0.1; done

cd "$work"
code=$("$bin/civic" code --issuer 110000)
printf 'Marriage e-certificate GD-2026-000123, code %s (sample)\n' "$code" > cert.pdf
"$bin/civic" submit certificate --node "$api" --key net/accounts/beijing.key --number GD-2026-000123 \
    --code "$code" --file cert.pdf --wait >/dev/null
tx=$("$bin/civic" submit certificate --node "$api" --key net/accounts/beijing.key --number GD-2026-000124 \
    --code "$code" --file cert.pdf --wait | head -n 1)
key=$("$bin/civic" query certificate --node "$api" --number GD-2026-000123 --code "$code" --json \
    | sed -n 's/^  "key": "\(.*\)",/\1/p')

echo "wrk -t2 -c$connections -d${seconds}s against one node (release build, $(nproc) cores shared with wrk)"
receipt="/v1/certificates/110000/$key/receipt"
for entry in "status|/v1/status" "certificate status|/v1/certificates/110000/$key" \
    "certificate receipt (JSON)|$receipt" "certificate receipt (binary)|$receipt?format=binary" "transaction receipt (JSON)|/v1/txs/$tx/receipt"; do
    name=${entry%%|*}
    route=${entry#*|}
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$api$route" > wrk.out
    rps=$(sed -n 's/^Requests\/sec: *//p' wrk.out)
    p50=$(awk '$1 == "50%" { print $2 }' wrk.out)
    p99=$(awk '$1 == "99%" { print $2 }' wrk.out)
    failed=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' wrk.out)
    printf '%-30s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${failed:-0}"
done
