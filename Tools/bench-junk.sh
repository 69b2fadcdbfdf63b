#!/usr/bin/env bash
# What a node's process spends refusing junk end to end (issue 16, finding 6): one POST /v1/txs/batch of 10,000
# well-formed transactions from a key that is no member's, with random signatures (binary body), sent ROUNDS
# times 10 to a one-validator network (release build, rate limits off so one client can repeat). Each round's
# figure is the node's user + system time (/proc/PID/stat) over its 10 requests, per request; the node's idle
# background (consensus, fsyncs) over the same wall time is measured right after and shown beside it. The
# reference, in the same run, is `civicd bench admission`'s: verifying those signatures.
# With BASELINE set to another checkout (e.g. `git worktree add /tmp/base 5504e06`), its release civicd is
# built and measured the same way first, the junk rewritten to its transaction format version.
# Usage: [BASELINE=DIR] Tools/bench-junk.sh [ROUNDS]   (default 5). Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
Tools/setup.sh >/dev/null
swift build -c release --product civicd >/dev/null
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ print ($14 + $15) * 1000 / t }' "/proc/$pid/stat"; }
now() { date +%s.%N; }

# measure LABEL BIN VERSION: a fresh one-validator network of BIN's civicd, junk in transaction format VERSION.
measure() {
    local label=$1 node_bin=$2 version=$3 net="$work/$1"
    "$node_bin/civicd" testnet --validators 1 --dir "$net" >/dev/null
    sed -i -e 's/^rate_limit = .*/rate_limit = 0/' -e 's/^tx_rate_limit = .*/tx_rate_limit = 0/' \
        "$net/node0/config.toml"
    "$node_bin/civicd" start --home "$net/node0" >"$net/node.log" 2>&1 &
    pid=$!
    local api
    api="http://$(sed -n 's/^listen = "\(127.0.0.1:[0-9]*\)"/\1/p' "$net/node0/config.toml" | tail -n 1)"
    for _ in $(seq 1 100); do curl -sf "$api/v1/status" >/dev/null && break; sleep 0.1; done
    "$bin/civicd" bench admission --genesis "$net/genesis.json" --write-batch "$net/junk.bin"
    # Each transaction starts with its format version, after its 4-byte length.
    python3 - "$net/junk.bin" "$version" <<'PY'
import sys
path, version = sys.argv[1], int(sys.argv[2])
body = bytearray(open(path, "rb").read())
offset = 0
while offset < len(body):
    length = int.from_bytes(body[offset:offset + 4], "big")
    body[offset + 4] = version
    offset += 4 + length
open(path, "wb").write(body)
PY
    echo "$label: POST /v1/txs/batch of 10,000 junk transactions ($(stat -c %s "$net/junk.bin") bytes), $rounds rounds of 10"
    for round in $(seq 1 "$rounds"); do
        local before after start wall idle status refused
        before=$(cpu)
        start=$(now)
        for _ in $(seq 1 10); do
            # No `Expect: 100-continue` (curl's default for large bodies would wait a second for it).
            status=$(curl -s -o "$net/answer.json" -w '%{http_code}' -H 'Expect:' \
                -H 'Content-Type: application/octet-stream' --data-binary "@$net/junk.bin" "$api/v1/txs/batch")
            refused=$(grep -o '"unknown_account"' "$net/answer.json" | wc -l)
            [ "$status" = 200 ] && [ "$refused" = 10000 ] || { echo "HTTP $status, $refused refused" >&2; exit 1; }
        done
        after=$(cpu)
        wall=$(echo "$(now) - $start" | bc)
        idle=$(cpu)
        sleep "$wall"
        idle=$(echo "$(cpu) - $idle" | bc)
        printf '%s round %d: node CPU %5.1f ms per batch (idle background over the same time: %4.1f ms)\n' \
            "$label" "$round" "$(echo "($after - $before) / 10" | bc -l)" "$(echo "$idle / 10" | bc -l)"
    done
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
}

if [ -n "${BASELINE:-}" ]; then
    (cd "$BASELINE" && swift build -c release --product civicd >/dev/null)
    version=$(sed -n 's/.*static let formatVersion: UInt8 = \([0-9]*\).*/\1/p' \
        "$BASELINE/Sources/LedgerCore/Transactions/Transaction.swift")
    measure baseline "$(cd "$BASELINE" && swift build -c release --show-bin-path)" "$version"
fi
measure this "$bin" "$(sed -n 's/.*static let formatVersion: UInt8 = \([0-9]*\).*/\1/p' \
    Sources/LedgerCore/Transactions/Transaction.swift)"
"$bin/civicd" bench admission --rounds 3 | tail -n 1
