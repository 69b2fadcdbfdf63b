#ifndef CIVIC_FUZZ_DRIVER_H
#define CIVIC_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 11 and later), for an executable whose `main` is its own: SwiftPM names an
/// executable's entry point after its module, so `civic-fuzz` calls this instead of linking libFuzzer's main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
