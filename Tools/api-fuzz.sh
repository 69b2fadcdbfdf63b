#!/usr/bin/env bash
# Runs schemathesis — an OpenAPI-driven fuzzer nobody here wrote, pinned below — against a live node: every
# operation in docs/openapi.yaml, in every phase (examples, coverage, fuzzing, stateful), with every check
# (no 5xx, statuses, content types, headers and bodies as documented, schema-invalid input refused,
# undeclared methods answered 405). The node is a `civicd dev` network holding a real certificate, donation
# and account, whose ids the fuzzer draws half the time so lookups reach the ledger, not only 404s.
#
#   Tools/api-fuzz.sh [--examples N] [--seed S]      (defaults: 100 examples per operation, seed 1)
#
# Exits 0 only when schemathesis found nothing; its report is in .build-apifuzz/report/.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
examples=100
seed=1
while [ $# -gt 0 ]; do
    case "$1" in
    --examples) examples="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: Tools/api-fuzz.sh [--examples N] [--seed S]" >&2; exit 2 ;;
    esac
done

state=.build-apifuzz
venv="$state/venv-$SCHEMATHESIS_VERSION"
# CPython before 3.11.8 / 3.12.2 can raise "AST constructor recursion depth mismatch" (gh-106905) inside
# Hypothesis; take the newest Python at hand that has the fix (pyenv's too, where it is there).
if command -v pyenv > /dev/null; then PYENV_VERSION="$(pyenv versions --bare | sort -rV | tr '\n' ':')"; export PYENV_VERSION; fi
fixed='import sys; v = sys.version_info; sys.exit(0 if v >= (3, 12, 2) or (3, 11, 8) <= v < (3, 12) else 1)'
python=""
for candidate in python3.14 python3.13 python3.12 python3; do
    if "$candidate" -c "$fixed" 2> /dev/null; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
    python=python3
    echo "api-fuzz: warning: $(python3 --version) predates the fix for gh-106905; schemathesis may stop on it"
fi
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "api-fuzz: installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $venv ($($python --version))"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

swift build --product civicd 2>&1 | tail -n 1
swift build --product civic 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)"

work=$(mktemp -d)
node_pid=""
cleanup() {
    if [ -n "$node_pid" ]; then kill -TERM "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/civicd" dev --home "$work/dev" > "$work/node.log" 2>&1 &
node_pid=$!
api=""
for _ in $(seq 1 150); do
    api=$(sed -n 's/.*api=\(http:\/\/[0-9.:]*\).*/\1/p' "$work/node.log" | head -n 1)
    [ -n "$api" ] && break
    sleep 0.2
done
[ -n "$api" ] || { echo "api-fuzz: the node did not start:"; cat "$work/node.log"; exit 1; }
echo "api-fuzz: node at $api"

key="$work/dev/accounts/dev.key"
account=$("$bin/civic" keys show "$key")
member=$(curl -s "$api/v1/accounts/$account" | sed -n 's/.*"member": *"\([^"]*\)".*/\1/p' | head -n 1)
code=$("$bin/civic" code --issuer "$member")
printf 'sample e-certificate for the API fuzz run, code %s\n' "$code" > "$work/cert.pdf"
tx=$("$bin/civic" submit certificate --node "$api" --key "$key" --file "$work/cert.pdf" --number FUZZ-1 \
    --code "$code" --wait --json | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p')
"$bin/civic" submit donation --node "$api" --key "$key" --project fuzz-relief --amount 1000 --wait > /dev/null 2>&1
certificate=$("$bin/civic" query certificate --node "$api" --code "$code" --number FUZZ-1 --json \
    | sed -n 's/^  "key": "\([0-9a-f]*\)".*/\1/p')
for value in "$tx" "$certificate" "$account" "$member"; do
    [ -n "$value" ] || { echo "api-fuzz: could not seed the ledger"; exit 1; }
done

# Real ids, drawn half the time. A transaction body is a signature over canonical bytes: no schema can say
# which bytes are one, so "schema-valid input accepted" is not asked of the two submit operations (every
# other check, including "schema-invalid input refused", is).
cat > "$work/schemathesis.toml" <<EOF
[dictionaries.transactions]
values = ["$tx"]
[dictionaries.certificates]
values = ["$certificate"]
[dictionaries.accounts]
values = ["$account"]
[dictionaries.members]
values = ["$member"]
[dictionaries.projects]
values = ["fuzz-relief"]
[dictionaries.heights]
values = [1, 2]

[parameters]
"path.hash" = { dictionary = "transactions", probability = 0.5 }
"path.key" = { dictionary = "certificates", probability = 0.5 }
"path.charity" = { dictionary = "members", probability = 0.5 }
"path.issuer" = { dictionary = "members", probability = 0.5 }
"path.project" = { dictionary = "projects", probability = 0.5 }
"path.height" = { dictionary = "heights", probability = 0.5 }

[[operations]]
include-path = "/v1/accounts/{key}"
parameters = { "path.key" = { dictionary = "accounts", probability = 0.5 } }

[[operations]]
include-path = ["/v1/txs", "/v1/txs/batch"]
checks.positive_data_acceptance.enabled = false
EOF

mkdir -p "$state/report"
echo "api-fuzz: schemathesis $SCHEMATHESIS_VERSION, $examples examples per operation, seed $seed"
set +e
"$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run docs/openapi.yaml --url "$api" \
    --max-examples "$examples" --seed "$seed" --workers 2 --generation-database none \
    --no-color --report junit --report-dir "$state/report" > "$work/out.txt" 2>&1
status=$?
set -e
cp "$work/out.txt" "$state/report/output.txt"
sed -n '/=* SUMMARY =*/,$p' "$work/out.txt"
if [ "$status" -ne 0 ]; then
    echo "api-fuzz: schemathesis found problems (exit $status); the whole output is in $state/report/output.txt"
    sed -n '1,/=* SUMMARY =*/p' "$work/out.txt" | head -n 200
    exit 1
fi
if ! kill -0 "$node_pid" 2>/dev/null; then echo "api-fuzz: the node died"; tail -n 20 "$work/node.log"; exit 1; fi
echo "api-fuzz: no failures; the node is still up"
