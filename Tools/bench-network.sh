#!/usr/bin/env bash
# Node benchmark (issue 6): a 4-node local network of release-built `civicd` processes on this machine,
# under open-loop load at rising rates until the committed rate stops following the offered one. For each
# rate: committed tx/s, p50/p99 commit latency, CPU and peak memory per node. Prints figures; asserts
# nothing. Results go into docs/benchmarks.md by hand, with this command line.
#   Tools/bench-network.sh [--suite secp256k1-sha256|sm2-sm3] [--kind single|batch] [--seconds N] [--rates "R1 R2 …"]
set -euo pipefail
cd "$(dirname "$0")/.."

suite=secp256k1-sha256
kind=single
seconds=20
rates="1000 2000 4000 6000 8000 12000"
while [ $# -gt 0 ]; do
    case "$1" in
        --suite) suite=$2; shift 2 ;;
        --kind) kind=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

swift build -c release --product civicd >/dev/null
swift build -c release --product node-load >/dev/null
bin="$(swift build -c release --show-bin-path)"

echo "bench-network: 4 nodes, $suite, $kind transactions, ${seconds} s per rate, $(nproc) cores"
for rate in $rates; do
    work=$(mktemp -d)
    "$bin/civicd" testnet --validators 4 --dir "$work" --suite "$suite" >/dev/null
    pids=()
    for i in 0 1 2 3; do
        "$bin/civicd" start --home "$work/node$i" >"$work/node$i.log" 2>&1 &
        pids+=($!)
    done
    sleep 3
    ( while sleep 0.5; do
        for pid in "${pids[@]}"; do awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null; done | sort -n | tail -1
      done ) > "$work/rss.txt" &
    sampler=$!
    # node-load measures the nodes' CPU over the load itself (not while it pre-signs).
    result=$(NODE_PIDS="${pids[*]}" "$bin/node-load" "$work" "$rate" "$seconds" "$kind" || echo "load failed")
    kill "$sampler" 2>/dev/null || true
    rss=$(sort -n "$work/rss.txt" | tail -1)
    echo "$result"
    echo "    peak RSS of a node: $((rss / 1024)) MiB"
    kill -TERM "${pids[@]}"
    wait "${pids[@]}" 2>/dev/null || true
    rm -rf "$work"
done
