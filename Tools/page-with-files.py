#!/usr/bin/env python3
"""Writes a copy of the built verification page with files and a script added, for headless Chromium (a
page opened from disk may not read other files): `window`-visible JSON {"index": INDEX, "files": {name:
base64}} in <script id="civic-files" type="application/json">, then the script.

    Tools/page-with-files.py PAGE OUT SCRIPT ROOT [INDEX.json] NAME...

NAMEs are paths relative to ROOT; INDEX (optional, relative to ROOT, '-' for none) is embedded as parsed JSON.
Used by Tools/test-verify-page.sh and Tools/bench-verify-page.sh."""
import base64, hashlib, json, os, sys

page_path, out_path, script_path, root, index_name, *names = sys.argv[1:]
index = None if index_name == "-" else json.load(open(os.path.join(root, index_name), encoding="utf-8"))
files = {name: base64.b64encode(open(os.path.join(root, name), "rb").read()).decode() for name in sorted(set(names))}
data = json.dumps({"index": index, "files": files}).replace("<", "\\u003c")
script = open(script_path, encoding="utf-8").read()
page = open(page_path, encoding="utf-8").read()
assert page.count("</body>") == 1
extra = f'<script type="application/json" id="civic-files">{data}</script>\n<script>{script}</script>\n</body>'
# The page's Content-Security-Policy runs only scripts it names by hash: name the added one too.
added = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"
assert page.count("script-src 'sha256-") == 1
page = page.replace("script-src 'sha256-", f"script-src {added} 'sha256-")
open(out_path, "w", encoding="utf-8").write(page.replace("</body>", extra))
