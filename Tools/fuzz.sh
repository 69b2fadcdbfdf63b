#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer and AddressSanitizer (docs/reliability.md, "Fuzzing"):
#
#   Tools/fuzz.sh TARGET SECONDS [--seed S]   one target: frame, message, transaction, genesis, config, receipt
#   Tools/fuzz.sh all SECONDS [--seed S]      each target in turn, SECONDS each
#
# Without --seed libFuzzer draws a seed, so every run explores somewhere new; CI passes one so that a red run
# is the change's doing and reproducible (the seed is printed either way).
#
# Builds `civic-fuzz` with `-sanitize=fuzzer,address` into .build-fuzz (the first build takes minutes), starts
# from the committed seed corpus (Tests/Fuzz/Corpus/TARGET) plus what earlier runs here found
# (.build-fuzz/corpus/TARGET), and stops after SECONDS. Prints how many inputs each target ran; exits 1 on a
# finding, whose input is saved in .build-fuzz/findings/ (replay it with `civic-fuzz TARGET FILE`).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(frame message transaction genesis config receipt)
usage="usage: Tools/fuzz.sh TARGET|all SECONDS [--seed S]   (targets: ${targets[*]})"
[ $# -eq 2 ] || { [ $# -eq 4 ] && [ "$3" = --seed ] && [[ "$4" =~ ^[1-9][0-9]{0,8}$ ]]; } || { echo "$usage" >&2; exit 2; }
[[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || { echo "$usage" >&2; exit 2; }
seed=()
[ $# -eq 4 ] && seed=(-seed="$4")
if [ "$1" = all ]; then
    selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $1 "* ]]; then
    selected=("$1")
else
    echo "$usage" >&2
    exit 2
fi
seconds="$2"

echo "fuzz: building civic-fuzz with libFuzzer and AddressSanitizer (.build-fuzz)"
swift build --product civic-fuzz --build-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DCIVIC_LIBFUZZER 2>&1 | tail -n 1
fuzzer="$(swift build --build-path .build-fuzz --show-bin-path)/civic-fuzz"

status=0
for target in "${selected[@]}"; do
    corpus=".build-fuzz/corpus/$target"
    findings=".build-fuzz/findings/$target/"
    mkdir -p "$corpus" "$findings"
    log=$(mktemp)
    set +e
    # Inputs up to 64 KiB (receipts with hand-offs are larger than libFuzzer's 4 KiB default); leaks count.
    CIVIC_FUZZ_TARGET="$target" ASAN_OPTIONS="detect_leaks=1" "$fuzzer" "$corpus" "Tests/Fuzz/Corpus/$target" \
        "${seed[@]}" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$findings" > "$log" 2>&1
    result=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    used=$(grep -oE 'Seed: [0-9]+' "$log" | head -n 1 | grep -oE '[0-9]+' || true)
    features=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
    kept=$(find "$corpus" -type f | wc -l)
    if [ "$result" -eq 0 ]; then
        echo "fuzz: $target: ${runs:-?} inputs in ${seconds} s (seed ${used:-?}), ${features:-?} coverage features, $kept in the corpus, nothing found"
    else
        status=1
        echo "fuzz: $target: FOUND a failing input after ${runs:-?} inputs (seed ${used:-?}, exit $result); saved in $findings"
        grep -E "ERROR|Fatal error|SUMMARY|artifact" "$log" | head -n 20
    fi
    rm -f "$log"
done
exit "$status"
