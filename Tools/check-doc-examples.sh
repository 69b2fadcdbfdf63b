#!/usr/bin/env bash
# Checks that the decoded receipts in docs/ are still what Tools/annotate-receipt.py prints for their files:
# each `<!-- annotate-receipt: PATH -->` marker must be followed by a ```text block equal to its output.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PYTHON'
import glob, re, subprocess, sys
checked = 0
for doc in sorted(glob.glob("docs/*.md")):
    text = open(doc, encoding="utf-8").read()
    for match in re.finditer(r"<!-- annotate-receipt: (\S+) -->\n```text\n(.*?)```", text, re.S):
        want = subprocess.run(["Tools/annotate-receipt.py", match.group(1)], capture_output=True, text=True,
                              check=True).stdout
        if want != match.group(2):
            sys.exit(f"check-doc-examples: {doc}: the listing of {match.group(1)} is stale: "
                     "paste Tools/annotate-receipt.py's output")
        checked += 1
if checked == 0:
    sys.exit("check-doc-examples: no decoded receipt found in docs/")
print(f"check-doc-examples: {checked} decoded receipt(s) in docs/ are current")
PYTHON
