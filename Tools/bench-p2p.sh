#!/usr/bin/env bash
# Peer-to-peer figures on loopback for docs/benchmarks.md: messages/s and MB/s over one mutual-TLS connection,
# round-trip latency, and block-sync speed. Release build; prints figures, asserts nothing.
#   Tools/bench-p2p.sh            (CIVIC_BENCH_SYNC_BLOCKS=N to change the 2,000 synced blocks)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product network-bench >/dev/null
"$(swift build -c release --show-bin-path)/network-bench"
