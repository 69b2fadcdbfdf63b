#!/usr/bin/env bash
# Builds a genesis for four provincial departments and two charities exactly as Genesis/README.md walks
# through it, into DIR (default: a new temporary directory). Private keys stay in DIR/keys; only public
# keys go into DIR/genesis.json. This is how Genesis/example-consortium.json was made.
# Usage: Genesis/make-example.sh [DIR]   (CIVICD=path uses that civicd binary instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d)}
mkdir -p "$dir/keys"
if [ -n "${CIVICD:-}" ]; then
    civicd=$CIVICD
else
    swift build --product civicd >/dev/null
    civicd="$(swift build --show-bin-path)/civicd"
fi
suite=sm2-sm3
genesis="$dir/genesis.json"

"$civicd" genesis new --chain-id civic-example-1 --suite "$suite" --time 2026-11-24T00:00:00Z \
    --duplicate-subsidy flag --out "$genesis"

# id | name | roles | p2p port
departments=(
    "440000|Guangdong Provincial Department of Civil Affairs|registrar,payer|26656"
    "330000|Zhejiang Provincial Department of Civil Affairs|registrar,payer|26666"
    "510000|Sichuan Provincial Department of Civil Affairs|registrar,payer|26676"
    "110000|Beijing Municipal Bureau of Civil Affairs|registrar,payer|26686"
)
for entry in "${departments[@]}"; do
    IFS='|' read -r id name roles port <<<"$entry"
    account=$("$civicd" keys new --suite "$suite" --out "$dir/keys/$id-account.key")
    consensus=$("$civicd" keys new --suite "$suite" --out "$dir/keys/$id-consensus.key")
    # The node's TLS key (P-256; the p2p layer speaks TLS 1.3 with it) and its pin: SHA-256 of the DER
    # SubjectPublicKeyInfo, so a certificate can be renewed with the same key without a chain change.
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/keys/$id-tls.key" 2>/dev/null
    chmod 600 "$dir/keys/$id-tls.key"
    pin=$(openssl pkey -in "$dir/keys/$id-tls.key" -pubout -outform DER | sha256sum | cut -d' ' -f1)
    "$civicd" genesis add-member --genesis "$genesis" --id "$id" --name "$name" --roles "$roles" --account-key "$account"
    "$civicd" genesis add-validator --genesis "$genesis" --id "$id" --power 10 --consensus-key "$consensus" \
        --tls-key-pin "$pin" --address "127.0.0.1:$port"
done

charities=(
    "53440000MJL00001XA|Lingnan Children's Education Foundation"
    "53330000MJZ00002XB|Qiantang Rural Elderly Care Foundation"
)
for entry in "${charities[@]}"; do
    IFS='|' read -r id name <<<"$entry"
    account=$("$civicd" keys new --suite "$suite" --out "$dir/keys/$id-account.key")
    "$civicd" genesis add-member --genesis "$genesis" --id "$id" --name "$name" --roles charity --account-key "$account"
done

"$civicd" genesis validate "$genesis"
echo "genesis: $genesis; private keys: $dir/keys (keep them; never commit them)"
