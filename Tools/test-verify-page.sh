#!/usr/bin/env bash
# Checks the verification page's verdicts against every known-answer vector (docs/vectors/receipts) in a
# real headless Chromium (Debian's `chromium`), and that the committed page is what Web/verify builds. The
# vectors' files are built into a copy of the page (a page opened from disk may not read other files); each
# certificate and document vector goes through the page's own form handler and renderer, every vector
# through its verifier, timed. Prints each mismatch, the timings, and "N of N vectors agree".
set -euo pipefail
cd "$(dirname "$0")/.."

Tools/build-verify-page.sh --check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
Tools/build-verify-page.sh --out "$work/page.html" >/dev/null

python3 - "$work" <<'EOF'
import base64, json, os, sys
work = sys.argv[1]
root = "docs/vectors/receipts"
index = json.load(open(os.path.join(root, "index.json")))
paths = set()
for vector in index["vectors"]:
    paths.update([vector["genesis"], vector["receipt"], *vector["checkpoints"]])
    if "file" in vector["question"]:
        paths.add(vector["question"]["file"])
files = {path: base64.b64encode(open(os.path.join(root, path), "rb").read()).decode() for path in sorted(paths)}
data = json.dumps({"index": index, "files": files}).replace("<", "\\u003c")
runner = open("Web/verify/test/browser-runner.js", encoding="utf-8").read()
page = open(os.path.join(work, "page.html"), encoding="utf-8").read()
extra = f'<script type="application/json" id="civic-vectors">{data}</script>\n<script>{runner}</script>\n</body>'
assert page.count("</body>") == 1
open(os.path.join(work, "test.html"), "w", encoding="utf-8").write(page.replace("</body>", extra))
EOF

# --no-sandbox: CI runs as root, where Chromium's sandbox cannot start; the page is our own file.
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --virtual-time-budget=120000 --dump-dom "file://$work/test.html" > "$work/dom.html" 2> "$work/chromium.log" || {
    echo "test-verify-page: chromium failed:" >&2
    tail -n 20 "$work/chromium.log" >&2
    exit 1
}

python3 - "$work/dom.html" <<'EOF'
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
found = re.search(r'<pre id="civic-results">(.*?)</pre>', dom, re.S)
if not found:
    sys.exit("test-verify-page: the page wrote no results (a script error?)")
results = json.loads(html.unescape(found.group(1)))
failures = [result for result in results["vectors"] if result["problems"]]
for result in failures:
    print(f"MISMATCH {result['name']}: {'; '.join(result['problems'])}")
times = sorted(result["ms"] for result in results["vectors"])
def percentile(p):
    return times[min(len(times) - 1, int(p * len(times)))]
print(f"test-verify-page: {results['userAgent']}")
print(f"test-verify-page: per vector in the page: p50 {percentile(0.5):.1f} ms, p90 {percentile(0.9):.1f} ms, "
      f"max {times[-1]:.1f} ms")
for suite, figure in sorted(results["bySuite"].items()):
    print(f"test-verify-page: {suite}: certificate receipt with one hand-off, p50 {figure:.1f} ms")
agree = len(results["vectors"]) - len(failures)
print(f"test-verify-page: {agree} of {len(results['vectors'])} vectors agree")
sys.exit(1 if failures or not results["vectors"] else 0)
EOF
