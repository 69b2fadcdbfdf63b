#!/usr/bin/env bash
# Installs what a fresh Debian machine needs to build, test and run CivicLedger. Idempotent: installs only
# what is missing (after apt-get update), and checks the Swift toolchain. spin (and gcc, which it uses to
# preprocess and compile its verifiers) serve Tools/check-model.sh; iproute2 and iptables Tools/chaos.sh's
# network namespaces and link cuts; python3-venv Tools/api-fuzz.sh's pinned schemathesis.
set -euo pipefail

packages=(librocksdb-dev libsecp256k1-dev libssl-dev libqrencode-dev libpng-dev zbar-tools nodejs node-elliptic esbuild chromium pkg-config openssl curl spin gcc iproute2 iptables python3-venv)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no Swift toolchain on PATH; CivicLedger needs Swift 6 (https://www.swift.org/install/linux/)" >&2
    exit 1
fi

for module in rocksdb libsecp256k1 libcrypto; do
    pkg-config --exists "$module" || { echo "setup: pkg-config cannot find $module" >&2; exit 1; }
done
# The genesis schema test validates with Python's jsonschema (PyPI).
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
    echo "setup: installing the jsonschema Python package"
    python3 -m pip install --quiet 'jsonschema>=4.17'
fi

echo "setup: ready ($(swift --version 2>/dev/null | head -n 1))"
