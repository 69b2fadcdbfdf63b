#!/usr/bin/env bash
# Runs the native-wrapper tests under AddressSanitizer with LeakSanitizer on (a separate build folder,
# .build-asan). Exits non-zero on any leak or memory error. Valgrind cannot run the Swift Testing runner
# here (it dies with an internal SIGSEGV), so this is the leak check we use.
# Usage: Tools/leak-check.sh [TEST_FILTER]   (default: StorageTests and LedgerCryptoTests)
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-"StorageTests|LedgerCryptoTests"}
swift build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address >/dev/null
bin="$(swift build --scratch-path .build-asan --show-bin-path)/CivicLedgerPackageTests.xctest"
ASAN_OPTIONS=detect_leaks=1 "$bin" --testing-library swift-testing --filter "$filter" 2>&1 | tail -n 3
echo "leak-check: no leaks reported for $filter"
