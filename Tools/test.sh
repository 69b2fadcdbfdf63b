#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up the machine, checks formatting, builds, runs every test.
# Long runs stay behind switches: CIVIC_FUZZ_INPUTS=N raises the decoder fuzz count (default 1,000,000 each),
# CIVIC_SIM_SEEDS the simulator seeds per configuration (300), CIVIC_CRASH_KILLS and CIVIC_GUARD_KILLS the
# crash tests' kills (50, 100); `civicd simulate`, `Tools/check-model.sh 3` and `Tools/fuzz.sh all 300` are the
# long runs. CIVIC_FUZZ_SEED and CIVIC_CHAOS_SEED (1) pick the seeded runs' seeds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase's start is stamped with the minutes so far, so a slow CI run shows where its time went.
phase() { echo "test: [$((SECONDS / 60))m$((SECONDS % 60))s] $*"; }

Tools/setup.sh

phase "swift format lint --strict"
swift format lint --strict -r Sources Tests Package.swift

phase "model-checking consensus (Tools/check-model.sh)"
Tools/check-model.sh

phase "building"
swift build --build-tests

phase "verification page under Node and headless Chromium; decoded receipts in docs (Tools/test-verify-page.sh)"
NODE_PATH=/usr/share/nodejs node --test Web/verify/test/*.test.js
Tools/test-verify-page.sh
Tools/check-doc-examples.sh

phase "schemathesis against a live node (Tools/api-fuzz.sh)"
Tools/api-fuzz.sh --examples 100

phase "libFuzzer, 10 seconds per target (Tools/fuzz.sh)"
Tools/fuzz.sh all 10 --seed "${CIVIC_FUZZ_SEED:-1}"

phase "a 3-minute chaos run (Tools/chaos.sh)"
Tools/chaos.sh --minutes 3 --seed "${CIVIC_CHAOS_SEED:-1}"

phase "running"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# Show failures, printed figures and the closing line; hide the per-test progress chatter.
swift test 2>&1 | tee "$log" | awk '/Test run with/ || !(/^(◇|↳)/ || /^✔ (Test|Suite) / || /^[[:space:]]*$/)'
status=${PIPESTATUS[0]}
set -e


# Swift Testing reports the total; count failed tests from their own lines. The last line is the plain
# 'N passed, N failed' summary CI reads.
total=$(grep -oE 'Test run with [0-9]+ tests?' "$log" | grep -oE '[0-9]+' | tail -n 1)
failed=$(grep -E '^✘ Test .* failed after' "$log" | grep -cv '^✘ Test run with' || true)
total=${total:-0}
if [ "$status" -ne 0 ]; then
    [ "$failed" -gt 0 ] || failed=1
    phase "FAILED (swift test exited $status)"
    echo "$((total > failed ? total - failed : 0)) passed, $failed failed"
    exit "$status"
fi
echo "$total passed, 0 failed"
