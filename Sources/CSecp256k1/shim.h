// libsecp256k1 (Debian libsecp256k1-dev).
#include <secp256k1.h>

// Swift 6 refuses a global C variable as not concurrency-safe: hand out the static context through a function.
static inline const secp256k1_context *civic_secp256k1_context_static(void) {
    return secp256k1_context_static;
}
