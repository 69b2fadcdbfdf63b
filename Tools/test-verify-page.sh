#!/usr/bin/env bash
# Checks the verification page's verdicts against the known-answer vectors (docs/vectors/receipts) in a real
# headless Chromium (Debian's `chromium`), and that the committed page is what Web/verify builds:
#  1. every vector through the page's verifier, and each certificate and document vector through its form
#     handler and renderer, on one thread and with its Web Workers (the files built into a copy of the page,
#     which opened from disk may not read others), timed;
#  2. the form as a person uses it, for eight vectors of each suite: the built page opened from disk, files
#     picked in its inputs, number and code typed, Verify clicked, what it shows read back — driven over the
#     DevTools protocol (Tools/chromium-page.py).
# Prints each mismatch, the timings, and "N of N vectors agree".
set -euo pipefail
cd "$(dirname "$0")/.."

Tools/build-verify-page.sh --check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
Tools/build-verify-page.sh --out "$work/page.html" >/dev/null

# Every file the vectors name, built into a copy of the page with the runner.
files=$(python3 -c '
import json
index = json.load(open("docs/vectors/receipts/index.json"))
names = set()
for vector in index["vectors"]:
    names.update([vector["genesis"], vector["receipt"], *vector["checkpoints"]])
    if "file" in vector["question"]:
        names.add(vector["question"]["file"])
print("\n".join(sorted(names)))')
# shellcheck disable=SC2086 # the names have no spaces
Tools/page-with-files.py "$work/page.html" "$work/test.html" Web/verify/test/browser-runner.js \
    docs/vectors/receipts index.json $files
Tools/chromium-page.py eval "file://$work/test.html" "window.civicResults" > "$work/results.json"

python3 - "$work" > "$work/form.json" <<'PYTHON'
import json, os, sys
work, root = sys.argv[1], os.path.abspath("docs/vectors/receipts")
index = json.load(open(os.path.join(root, "index.json")))
picked = ("certificate-valid", "certificate-revoked", "certificate-not-anchored", "certificate-bad-signature",
          "long-range-forgery-with-checkpoint", "certificate-checkpoint-not-pinned", "document-in-batch",
          "document-not-in-batch")
read = ("JSON.stringify({verdict: document.querySelector('#result [data-verdict]').dataset.verdict, "
        "status: (document.querySelector('#result [data-status]') || {dataset: {}}).dataset.status || null, "
        "failed: (document.querySelector('#result li.failed') || {dataset: {}}).dataset.check || null})")
steps = []
for vector in index["vectors"]:
    if vector["name"].split("/")[1] not in picked:
        continue
    question = vector["question"]
    files = {"#document": [os.path.join(root, question["file"])], "#receipt": [os.path.join(root, vector["receipt"])],
             "#genesis": [os.path.join(root, vector["genesis"])]}
    if vector["checkpoints"]:
        files["#checkpoints"] = [os.path.join(root, name) for name in vector["checkpoints"]]
    steps += [{"open": f"file://{work}/page.html"}, {"files": files},
              {"type": {"#number": question.get("number", ""), "#code": question.get("code", "")}},
              {"click": "#verify"}, {"wait": "#result [data-verdict]"}, {"read": read, "name": vector["name"]}]
print(json.dumps(steps))
PYTHON
Tools/chromium-page.py form "file://$work/page.html" "$work/form.json" > "$work/form.txt"
# Its Content-Security-Policy runs its own script only: an inline script put into the page does not run.
injected=$(Tools/chromium-page.py eval "file://$work/page.html" \
    "(() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
              document.body.appendChild(s); return typeof window.injected; })()")
if [ "$injected" != '"undefined"' ]; then
    echo "test-verify-page: an injected inline script ran ($injected): the page's CSP does not hold" >&2
    exit 1
fi

python3 - "$work" <<'PYTHON'
import json, os, sys
work = sys.argv[1]
results = json.loads(json.load(open(os.path.join(work, "results.json"))))
failures = [result["name"] for result in results["vectors"] if result["problems"]]
for result in results["vectors"]:
    if result["problems"]:
        print(f"MISMATCH {result['name']}: {'; '.join(result['problems'])}")
index = json.load(open("docs/vectors/receipts/index.json"))
expected = {vector["name"]: vector["expected"] for vector in index["vectors"]}
names = [step["name"] for step in json.load(open(os.path.join(work, "form.json"))) if "name" in step]
shown = [json.loads(json.loads(line)) for line in open(os.path.join(work, "form.txt")) if line.strip()]
wrong = 0
for name, seen in zip(names, shown):
    want = expected[name]
    if (seen["verdict"], seen["status"], seen["failed"]) != (want["verdict"], want["status"], want["failed_check"]):
        failures.append(name)
        wrong += 1
        print(f"MISMATCH {name} through the form: shows {seen}, expected {want}")
print(f"test-verify-page: {results['userAgent']}, {results['workers']} workers")
if results["workers"] < 1:
    failures.append("workers")
    print("MISMATCH: the page started no Web Worker")
times = sorted(result["ms"] for result in results["vectors"])
def percentile(p):
    return times[min(len(times) - 1, int(p * len(times)))]
print(f"test-verify-page: per vector in the page: p50 {percentile(0.5):.1f} ms, p90 {percentile(0.9):.1f} ms, "
      f"max {times[-1]:.1f} ms")
for suite, figure in sorted(results["bySuite"].items()):
    print(f"test-verify-page: {suite}: certificate receipt with one hand-off, p50 {figure:.1f} ms")
agree = sum(1 for result in results["vectors"] if not result["problems"])
print(f"test-verify-page: {agree} of {len(results['vectors'])} vectors agree; "
      f"{len(shown) - wrong} of {len(names)} shown right through the form")
sys.exit(1 if failures or len(shown) != len(names) or len(names) < 16 or not results["vectors"] else 0)
PYTHON
