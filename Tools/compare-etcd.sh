#!/usr/bin/env bash
# CivicLedger beside etcd on this machine, in one run (docs/benchmarks.md, "Beside etcd"): a 3-member etcd
# cluster (Debian's etcd-server, installed if missing) and a 4-validator CivicLedger network, each the
# smallest that survives one fault of the kind it tolerates (etcd: a crash; CivicLedger: a Byzantine
# validator), on loopback with data on the same disk. The same closed-loop load runs against each — CLIENTS
# clients, each writing and waiting for the durable commit, for SECONDS seconds, every write the same
# signed transaction bytes — and the script prints committed writes/s and p50/p99 latency for each and, last,
# `ratio civicledger/etcd: X.XX` (committed writes/s).
#
#   Tools/compare-etcd.sh [--clients C] [--seconds T] [--block-interval-ms B]
#                                   (defaults: 1000 clients, 20 s each, blocks at least 250 ms apart as testnet sets)
set -euo pipefail
cd "$(dirname "$0")/.."

clients=1000
seconds=20
interval=250
while [ $# -gt 0 ]; do
    case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --block-interval-ms) interval="$2"; shift 2 ;;
    *) echo "usage: Tools/compare-etcd.sh [--clients C] [--seconds T] [--block-interval-ms B]" >&2; exit 2 ;;
    esac
done

Tools/setup.sh > /dev/null
if ! command -v etcd > /dev/null; then
    echo "compare: installing etcd-server from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server > /dev/null
fi
echo "compare: building release civicd and compare-load (the first release build takes several minutes)"
swift build -c release --product civicd 2>&1 | tail -n 1
swift build -c release --product compare-load 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)"

work=$(mktemp -d -p "$PWD/.build" compare-etcd.XXXXXX)
pids=()
stop_all() {
    if [ ${#pids[@]} -gt 0 ]; then
        kill -TERM "${pids[@]}" 2> /dev/null || true
        wait "${pids[@]}" 2> /dev/null || true
    fi
    pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
# Waits up to 30 s for URL's answer to match PATTERN.
wait_for() {
    for _ in $(seq 1 150); do
        curl -sf "$1" | grep -q "$2" && return 0
        sleep 0.2
    done
    echo "compare: $1 did not come up" >&2
    return 1
}
free_ports() { python3 -c "
import socket
sockets = [socket.socket() for _ in range($1)]
for s in sockets: s.bind(('127.0.0.1', 0))
print(' '.join(str(s.getsockname()[1]) for s in sockets))"; }

# The CivicLedger network first: its genesis and accounts also give the bytes every etcd write carries.
"$bin/civicd" testnet --validators 4 --block-interval-ms "$interval" --dir "$work/net" > /dev/null
sed -i 's/^rate_limit = .*/rate_limit = 0/' "$work"/net/node*/config.toml

echo "compare: etcd $(etcd --version | sed -n 's/^etcd Version: //p'), 3 members, $clients clients, $seconds s"
read -r -a ports <<< "$(free_ports 6)"
cluster="e0=http://127.0.0.1:${ports[3]},e1=http://127.0.0.1:${ports[4]},e2=http://127.0.0.1:${ports[5]}"
urls=()
for i in 0 1 2; do
    etcd --name "e$i" --data-dir "$work/etcd$i" \
        --listen-client-urls "http://127.0.0.1:${ports[$i]}" --advertise-client-urls "http://127.0.0.1:${ports[$i]}" \
        --listen-peer-urls "http://127.0.0.1:${ports[$((i + 3))]}" \
        --initial-advertise-peer-urls "http://127.0.0.1:${ports[$((i + 3))]}" \
        --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token compare \
        --log-level error > "$work/etcd$i.log" 2>&1 &
    pids+=($!)
    urls+=("http://127.0.0.1:${ports[$i]}")
done
for url in "${urls[@]}"; do wait_for "$url/health" '"health":"true"'; done
etcd_line=$("$bin/compare-load" etcd "$(IFS=,; echo "${urls[*]}")" "$clients" "$seconds" "$work/net")
echo "  $etcd_line"
stop_all

echo "compare: CivicLedger $(git rev-parse --short HEAD 2> /dev/null || echo '?'), 4 validators, blocks ≥ $interval ms apart, $clients clients, $seconds s"
apis=()
for i in 0 1 2 3; do
    "$bin/civicd" start --home "$work/net/node$i" > "$work/node$i.log" 2>&1 &
    pids+=($!)
    apis+=("http://$(sed -n '/^\[api\]/,/^\[/s/^listen = "\(.*\)"/\1/p' "$work/net/node$i/config.toml")")
done
for api in "${apis[@]}"; do wait_for "$api/v1/status" '"height": [1-9]'; done
civic_line=$("$bin/compare-load" civic "$(IFS=,; echo "${apis[*]}")" "$clients" "$seconds" "$work/net")
echo "  $civic_line"
stop_all

rate() { echo "$1" | sed -n 's/.*= \([0-9]*\) writes\/s.*/\1/p'; }
etcd_rate=$(rate "$etcd_line")
civic_rate=$(rate "$civic_line")
if [ -z "$etcd_rate" ] || [ "$etcd_rate" -eq 0 ] || [ -z "$civic_rate" ]; then
    echo "compare: a run produced no figure"
    exit 1
fi
echo "ratio civicledger/etcd: $(awk -v c="$civic_rate" -v e="$etcd_rate" 'BEGIN { printf "%.2f", c / e }')"
