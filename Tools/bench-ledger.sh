#!/usr/bin/env bash
# Ledger throughput (release build): executor and synced block commits for single-record and 1,000-digest
# batch anchors, disk per anchored record, state-tree inserts and updates at scale, proof size and
# verification time. Usage: Tools/bench-ledger.sh [RECORDS] [SUITE]   (defaults: 1000000 secp256k1-sha256;
# 10000000 takes about ten minutes here). Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
suite=${2:-secp256k1-sha256}
Tools/setup.sh >/dev/null
swift build -c release --product civicd >/dev/null
"$(swift build -c release --show-bin-path)/civicd" bench ledger --suite "$suite" --records "$records" \
    --records-per-version 50000 --transactions 20000 --batch-anchors 2000
