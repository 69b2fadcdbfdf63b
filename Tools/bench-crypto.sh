#!/usr/bin/env bash
# Crypto throughput of CivicLedger (release build) beside the limits it is held against on this machine:
# `openssl speed -evp` for SHA-256 and SM3, and libsecp256k1 called from C for ECDSA verification.
# Usage: Tools/bench-crypto.sh [SECONDS_PER_FIGURE]   (default 2). Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}

Tools/setup.sh >/dev/null
swift build -c release --product civic >/dev/null
civic="$(swift build -c release --show-bin-path)/civic"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== $(openssl version); libsecp256k1 $(pkg-config --modversion libsecp256k1); $(swift --version 2>/dev/null | head -n 1)"
echo
"$civic" bench crypto --seconds "$seconds" | tee "$work/civic.txt"
echo

# openssl speed prints a table whose last line holds the rate in kB/s (1000 bytes) for each block size.
openssl_rate() { # algorithm bytes -> bytes/s
    openssl speed -evp "$1" -seconds "$seconds" -bytes "$2" 2>/dev/null | tail -n 1 | awk '{print $2}' | sed 's/k$//' |
        awk '{printf "%.0f", $1 * 1000}'
}
figure() { grep -F "$1" "$work/civic.txt" | awk '{print $(NF-1)}'; }

gcc -O2 -o "$work/secp256k1_verify" Tools/bench/secp256k1_verify.c $(pkg-config --cflags --libs libsecp256k1)
c_verify=$("$work/secp256k1_verify" "$seconds")

echo "== against the limits (ratio = reference / ours; 1.00 means equal speed)"
for algorithm in sha256 sm3; do
    small_ref=$(openssl_rate "$algorithm" 64)
    large_ref=$(openssl_rate "$algorithm" 16384)
    small_ours=$(figure "$algorithm 64 B")
    large_ours=$(figure "$algorithm 16 KiB")
    awk -v a="$algorithm" -v sr="$small_ref" -v so="$small_ours" -v lr="$large_ref" -v lo="$large_ours" 'BEGIN {
        printf "%-8s 64 B:   openssl %10.0f hashes/s, civic %10.0f hashes/s, ratio %.2f\n", a, sr / 64, so, (sr / 64) / so
        printf "%-8s 16 KiB: openssl %10.1f MB/s,     civic %10.1f MB/s,     ratio %.2f\n", a, lr / 1e6, lo, (lr / 1e6) / lo
    }'
done
ours_verify=$(figure "secp256k1-sha256 verify (1 core)")
awk -v c="$c_verify" -v o="$ours_verify" 'BEGIN {
    printf "secp256k1 verify: libsecp256k1 from C %8.0f/s, civic %8.0f/s, ratio %.2f\n", c, o, c / o
}'
