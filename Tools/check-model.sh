#!/usr/bin/env bash
# Model-checks the consensus protocol (Consensus/model/tendermint.pml) with spin: agreement for 4
# validators, 1 Byzantine, over ROUNDS rounds (default 2), by exhaustive search. Then checks that the model
# is not vacuous: each known-broken variant must produce a counterexample.
# Usage: Tools/check-model.sh [ROUNDS]      (spin comes from Debian: apt-get install spin; Tools/setup.sh)
set -euo pipefail

rounds="${1:-2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
model="$root/Consensus/model/tendermint.pml"
command -v spin >/dev/null || { echo "check-model: spin is not installed (Tools/setup.sh installs it)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# Runs one exhaustive search; prints spin's summary line and returns its error count.
verify() {
    spin -DR="$rounds" "$@" -a "$model" >/dev/null
    cc -O2 -DSAFETY -DCOLLAPSE -o pan pan.c 2>/dev/null
    # -E: agreement is the property; rounds that end undecided are not errors here.
    ./pan -E -m10000000 >report 2>&1 || true
    grep -E "errors:" report | sed 's/^ *//'
    grep -E "states, stored|elapsed time" report | sed 's/^ */    /'
    errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' report)
    return "${errors:-1}"
}

echo "check-model: agreement, 4 validators (1 Byzantine), $rounds rounds"
if ! verify; then
    echo "check-model: AGREEMENT VIOLATED; counterexample: spin -t -p $model (trail kept in $work)" >&2
    trap - EXIT
    exit 1
fi

status=0
mutants=(MUTANT_HALF MUTANT_NOLOCK)
[ "$rounds" -ge 3 ] && mutants+=(MUTANT_L28) # with two rounds the lock can never exceed a POL round
for mutant in "${mutants[@]}"; do
    echo "check-model: self-test, $mutant must break agreement"
    if verify "-D$mutant"; then
        echo "check-model: $mutant was NOT caught: the model is too weak" >&2
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "check-model: agreement holds; every broken variant was caught"
exit "$status"
