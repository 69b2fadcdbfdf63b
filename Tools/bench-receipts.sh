#!/usr/bin/env bash
# Offline verification of a certificate receipt (release build): for chains with 1 and with 100 validator-set
# changes (real governance changes, real certificates, both crypto suites), the receipt's size and the time
# to read and verify it from its JSON and binary forms — what `civic verify --receipt` does, without process
# start-up. Then (issue 17) chains of 20 and 110 changes with a checkpoint before the last 10: the receipt
# that starts from it, beside the one from genesis in the same run; and the first of those with 35
# validators. Usage: Tools/bench-receipts.sh [RUNS]
# (default 200). Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
Tools/setup.sh >/dev/null
swift build -c release --product receipt-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/receipt-bench"
for suite in secp256k1-sha256 sm2-sm3; do
    for changes in 1 100; do
        "$bench" "$changes" "$runs" "$suite"
    done
    for changes in 20 110; do
        "$bench" "$changes" "$runs" "$suite" 10
    done
    # The ministry's deployment: 35 validators, every one signing every block.
    "$bench" 20 "$runs" "$suite" 10 35
done
