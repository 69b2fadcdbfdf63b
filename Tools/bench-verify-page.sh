#!/usr/bin/env bash
# How long the verification page takes in a real headless Chromium (docs/benchmarks.md, "The verification
# page"): receipt-bench builds chains whose validator set changes 20 and 110 times with 3 validators, and 20
# times with 35, the last 10 after a checkpoint (both suites), and writes the files a person would pick; the
# page verifies the receipt from genesis and the one from the checkpoint, 5 times each on one thread and with its Web Workers (what its
# Verify button does), with the native `civic verify` work (receipt-bench, same chain) printed beside it as the
# reference. Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh >/dev/null
swift build -c release --product receipt-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/receipt-bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
Tools/build-verify-page.sh --out "$work/page.html" >/dev/null
for suite in secp256k1-sha256 sm2-sm3; do
    for shape in 20:3 110:3 20:35; do
        changes=${shape%:*}
        validators=${shape#*:}
        files="$work/$suite-$changes-$validators"
        echo "native ($suite, $changes changes, $validators validators):"
        CIVIC_BENCH_FILES="$files" "$bench" "$changes" 50 "$suite" 10 "$validators" | grep -E "json" | sed 's/^/  /'
        Tools/page-with-files.py "$work/page.html" "$files/bench.html" Web/verify/test/browser-bench.js "$files" - \
            genesis.json document.txt question.json receipt-from-genesis.json checkpoint.json \
            receipt-from-checkpoint.json
        Tools/chromium-page.py eval "file://$files/bench.html" "window.civicBench" > "$files/bench.json"
        python3 - "$files/bench.json" <<'PYTHON'
import json, sys
result = json.loads(json.load(open(sys.argv[1])))
q = result["question"]
for name, label in [("fromGenesis", f"from genesis ({q['changes']} hand-offs)"),
                    ("fromCheckpoint", f"from the checkpoint ({q.get('after')} hand-offs; pinning it counted)")]:
    for suffix, how in [("", "one thread"), ("Workers", f"{result['workers']} workers")]:
        if name + suffix in result:
            r = result[name + suffix]
            print(f"  page, {label}, {how}: {r['bytes']} bytes JSON, p50 {r['p50']:.0f} ms, max {r['max']:.0f} ms, "
                  f"{r['verdict']}")
PYTHON
    done
done
