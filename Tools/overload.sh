#!/usr/bin/env bash
# Resource limits under overload (docs/reliability.md, "Resource limits"): a 4-node network of release
# civicd processes; the committed rate is measured, then five times it is offered for MINUTES minutes while
# every node's memory, threads and file descriptors, the mempool and the refusals are sampled every 10 s.
# Ends with the disk used per committed record. Bounded in time; stops the nodes cleanly at the end.
#
#   Tools/overload.sh [--minutes M] [--tree-cache-nodes N]   (defaults: 10 minutes; N as civicd testnet writes)
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10
tree_cache=""
while [ $# -gt 0 ]; do
    case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --tree-cache-nodes) tree_cache="$2"; shift 2 ;;
    *) echo "usage: Tools/overload.sh [--minutes M] [--tree-cache-nodes N]" >&2; exit 2 ;;
    esac
done

Tools/setup.sh > /dev/null
echo "overload: building release civicd and overload (the first release build takes several minutes)"
swift build -c release --product civicd 2>&1 | tail -n 1
swift build -c release --product overload 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)"

work=$(mktemp -d -p "$PWD/.build" overload.XXXXXX)
pids=()
cleanup() {
    if [ ${#pids[@]} -gt 0 ]; then
        kill -TERM "${pids[@]}" 2> /dev/null || true
        wait "${pids[@]}" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/civicd" testnet --validators 4 --dir "$work/net" > /dev/null
# The API's per-client rate limit would refuse the load before the mempool does; here the mempool is tested.
sed -i 's/^rate_limit = .*/rate_limit = 0/' "$work"/net/node*/config.toml
# The state-tree cache is most of a loaded node's memory (docs/reliability.md): this shows what it costs.
[ -z "$tree_cache" ] || sed -i "s/^tree_cache_nodes = .*/tree_cache_nodes = $tree_cache/" "$work"/net/node*/config.toml
for i in 0 1 2 3; do
    "$bin/civicd" start --home "$work/net/node$i" > "$work/node$i.log" 2>&1 &
    pids+=($!)
done
api0="http://$(sed -n '/^\[api\]/,/^\[/s/^listen = "\(.*\)"/\1/p' "$work/net/node0/config.toml")"
for _ in $(seq 1 150); do
    curl -sf "$api0/v1/status" | grep -q '"height": [1-9]' && break
    sleep 0.2
done

NODE_PIDS="${pids[*]}" "$bin/overload" "$work/net" "$minutes" | tee "$work/overload.txt"

kill -TERM "${pids[@]}"
wait "${pids[@]}" 2> /dev/null || true
pids=()
ledger=$(du -sb "$work/net/node0/data/ledger" | cut -f1)
committed=$(sed -n 's/^overload: \([0-9]*\) transactions committed.*/\1/p' "$work/overload.txt")
echo "overload: node0's ledger after a clean stop: $((ledger / 1024 / 1024)) MiB for ${committed:-?} committed" \
    "records: $((ledger / (${committed:-0} > 0 ? committed : 1))) bytes per anchored record (blocks, results," \
    "state and indexes; RocksDB as it stands, not compacted by hand)"
