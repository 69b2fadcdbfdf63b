#!/usr/bin/env bash
# The chaos run (docs/reliability.md): 4 real civicd nodes under steady load while a seeded schedule kills,
# pauses and cuts them off; then every promise is checked. Bounded: the faults and load take M minutes, the
# checks a minute or two more. Exits 0 only when every invariant held; the last line is
# `chaos: … N violations`.
#
#   Tools/chaos.sh --minutes M --seed S [--loopback]
#
# As root with `ip netns` and iptables (setup installs iptables), the nodes run in network namespaces of the
# run's own making joined by veth pairs, and links are cut there; elsewhere (or with --loopback) they run on
# 127.0.0.1 and links are cut by the nodes' test fault switch. Logs and homes are kept in .build-chaos/last/.
# One namespace run per machine at a time: the API links from the host use fixed addresses (10.232.i.0/30).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=""
seed=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --loopback) extra+=(--loopback); shift ;;
    *) echo "usage: Tools/chaos.sh --minutes M --seed S [--loopback]" >&2; exit 2 ;;
    esac
done
if ! [[ "$minutes" =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ] || ! [[ "$seed" =~ ^[0-9]+$ ]]; then
    echo "usage: Tools/chaos.sh --minutes M --seed S [--loopback]   (M: whole minutes, 1 or more)" >&2
    exit 2
fi

swift build --product civicd 2>&1 | tail -n 1
swift build --product chaos 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)"

mkdir -p .build-chaos
work=.build-chaos/last
rm -rf "$work"
# Whatever happens to the controller, no node process or namespace of this run outlives the script.
tag=$(($$ % 10000))
cleanup() {
    for namespace in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^civchaos-$tag-" || true); do
        ip netns pids "$namespace" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns delete "$namespace" 2>/dev/null || true
    done
    pkill -9 -f "$PWD/$work/civicd start" 2>/dev/null || true
}
trap cleanup EXIT
# The run restarts nodes from its own copy of civicd: a rebuild meanwhile must not change or block them.
mkdir -p "$work"
cp "$bin/civicd" "$work/civicd"
"$bin/chaos" --minutes "$minutes" --seed "$seed" --civicd "$PWD/$work/civicd" --dir "$PWD/$work/net" --tag "$tag" "${extra[@]}" \
    | tee .build-chaos/last.txt
exit "${PIPESTATUS[0]}"
