#!/usr/bin/env bash
# The newcomer's "see it work" command: installs what is missing, builds, starts a 4-node CivicLedger
# network on this machine (four real processes, mutual TLS between them, RocksDB on disk), has a
# registrar anchor marriage certificates and a charity record donations through a node's HTTP API, waits
# for the blocks, has a bank verify a certificate from its receipt and online, and shows in plain words
# what happened. At the end it stops the network cleanly (SIGTERM: every node closes its log and database)
# and removes its files; KEEP=1 leaves it running instead.
set -euo pipefail
cd "$(dirname "$0")/.."

Tools/setup.sh
echo "run: building civic and civicd (the first build takes a few minutes)"
swift build --product civic 2>&1 | tail -n 1
swift build --product civicd 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)"
civic="$bin/civic"
civicd="$bin/civicd"

work=$(mktemp -d)
pids=()
stop_network() {
    if [ ${#pids[@]} -gt 0 ]; then
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then return; fi
    stop_network
    rm -rf "$work"
}
trap cleanup EXIT

api_of() { grep -A2 '^\[api\]' "$work/net/node$1/config.toml" | sed -n 's/^listen = "\(.*\)"/http:\/\/\1/p'; }

echo
echo "== 1. Four provincial civil-affairs departments set up their nodes"
"$civicd" testnet --validators 4 --dir "$work/net" | sed 's/^/   /'
for i in 0 1 2 3; do
    "$civicd" start --home "$work/net/node$i" > "$work/net/node$i.log" 2>&1 &
    pids+=($!)
done
for i in 0 1 2 3; do
    for _ in $(seq 1 150); do
        status=$("$civicd" status --home "$work/net/node$i" --json 2>/dev/null || true)
        if echo "$status" | grep -q '"peers": 3' && echo "$status" | grep -q '"height": [1-9]'; then break; fi
        sleep 0.2
    done
done
echo "   all four nodes are up, connected to each other over mutual TLS, and agreeing on blocks:"
for i in 0 1 2 3; do "$civicd" status --home "$work/net/node$i" | head -2 | tr '\n' ' ' | sed 's/^/   /'; echo; done

api0=$(api_of 0)
api2=$(api_of 2)
echo
echo "== 2. The Guangdong registrar anchors three marriage e-certificates through Beijing's node"
echo "   (each certificate carries a verification code with a secret; only a key and a commitment derived"
echo "    from it go on the ledger: nobody without the certificate can link a record to it, docs/privacy.md)"
for n in 1 2 3; do
    "$civic" code --issuer 440000 > "$work/code-$n"
    printf 'Marriage e-certificate No. 44010020260%03d, verification code %s (sample, no real person)\n' \
        "$n" "$(cat "$work/code-$n")" > "$work/cert-$n.pdf"
    printf '   certificate %s (code %s): ' "$n" "$(cut -c1-16 "$work/code-$n")…"
    "$civic" submit certificate --node "$api0" --key "$work/net/accounts/guangdong.key" \
        --file "$work/cert-$n.pdf" --number "44010020260$(printf %03d "$n")" --code "$(cat "$work/code-$n")" \
        --wait | tail -n 1
done
printf '   the same certificate again: '
"$civic" submit certificate --node "$api0" --key "$work/net/accounts/guangdong.key" \
    --file "$work/cert-1.pdf" --number "44010020260001" --code "$(cat "$work/code-1")" --wait 2>/dev/null \
    | tail -n 1 || true
echo "   (the ledger refuses to anchor one certificate twice)"

echo
echo "== 3. A charity records donations and spending through Guangdong's node"
printf '   donation of 500.00 yuan: '
"$civic" submit donation --node "$api2" --key "$work/net/accounts/charity.key" --project school-meals \
    --amount 50000 --wait 2>/dev/null | tail -n 1
printf '   donation of 120.00 yuan: '
"$civic" submit donation --node "$api2" --key "$work/net/accounts/charity.key" --project school-meals \
    --amount 12000 --wait 2>/dev/null | tail -n 1
printf '   spending 450.00 yuan on school meals: '
"$civic" submit disbursement --node "$api2" --key "$work/net/accounts/charity.key" --project school-meals \
    --amount 45000 --purpose "school meals, November" --wait 2>/dev/null | tail -n 1
printf '   spending another 300.00 yuan: '
"$civic" submit disbursement --node "$api2" --key "$work/net/accounts/charity.key" --project school-meals \
    --amount 30000 --wait 2>/dev/null | tail -n 1 || true
echo "   (the ledger stops a project from spending more than it received)"

echo
echo "== 4. Every node holds the same chain"
height=$("$civicd" status --home "$work/net/node0" --json | sed -n 's/.*"height": \([0-9]*\).*/\1/p')
for i in 0 1 2 3; do
    hash=$(curl -s "$(api_of "$i")/v1/blocks/$height" | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p')
    echo "   node$i: block $height is ${hash:0:16}…"
done

echo
echo "== 5. A bank checks certificate 1, trusting nothing but the genesis file"
echo "   (the couple hand over the certificate and its receipt; the check runs with no network access)"
"$civic" receipt --node "$(api_of 1)" --number 44010020260001 --code "$(cat "$work/code-1")" \
    --out "$work/receipt.json" | sed 's/^/   /'
"$civic" verify --file "$work/cert-1.pdf" --number 44010020260001 --code "$(cat "$work/code-1")" \
    --genesis "$work/net/genesis.json" --receipt "$work/receipt.json" | sed 's/^/   /'
echo "   Later, Beijing registers the couple's divorce: it anchors the divorce certificate, then records"
echo "   that it supersedes Guangdong's marriage certificate (its provenance); any node now proves it:"
"$civic" code --issuer 110000 > "$work/code-divorce"
printf 'Divorce e-certificate No. 11010020270001, verification code %s (sample)\n' "$(cat "$work/code-divorce")" \
    > "$work/divorce.pdf"
"$civic" submit certificate --node "$(api_of 3)" --key "$work/net/accounts/beijing.key" --kind divorce \
    --file "$work/divorce.pdf" --number 11010020270001 --code "$(cat "$work/code-divorce")" \
    --wait 2>/dev/null | tail -n 1 | sed 's/^/   divorce certificate: /'
"$civic" submit status-change --node "$(api_of 3)" --key "$work/net/accounts/beijing.key" \
    --number 44010020260001 --code "$(cat "$work/code-1")" --status superseded --reason divorce-registered \
    --replacement-number 11010020270001 --replacement-code "$(cat "$work/code-divorce")" \
    --wait 2>/dev/null | tail -n 1 | sed 's/^/   status change: /'
"$civic" verify --file "$work/cert-1.pdf" --number 44010020260001 --code "$(cat "$work/code-1")" \
    --genesis "$work/net/genesis.json" --node "$(api_of 2)" | head -n 1 | sed 's/^/   /' || true
echo "   A forged copy (one character changed) is caught:"
sed 's/No\. /No: /' "$work/cert-2.pdf" > "$work/forged.pdf"
"$civic" verify --file "$work/forged.pdf" --number 44010020260002 --code "$(cat "$work/code-2")" \
    --genesis "$work/net/genesis.json" --node "$(api_of 0)" | head -n 1 | sed 's/^/   /' || true

echo
echo "== 6. The same consensus engine, tested under fire: 200 seeded runs of four validators, one of them lying"
echo "   (lost, late and duplicated messages, a partition, a crash and restart, and a validator that"
echo "    equivocates, stays silent or proposes invalid blocks — every run is checked)"
"$civicd" simulate --validators 4 --byzantine 1 --seeds 200 2>/dev/null | sed 's/^/   /'

echo
if [ "${KEEP:-0}" = 1 ]; then
    echo "The network keeps running (KEEP=1). Its files: $work/net. Try: $civic tx <hash> --node $api0"
    echo "Stop it with: kill -TERM ${pids[*]}"
else
    stop_network
    echo "Done. The network was stopped cleanly (SIGTERM: each node closed its log and database) and its"
    echo "files removed. To keep it running next time: KEEP=1 Tools/run-local.sh"
fi
