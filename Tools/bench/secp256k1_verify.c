// Reference figure for docs/benchmarks.md: libsecp256k1 ECDSA verification called straight from C, per core,
// doing what CivicLedger's verify does per signature (parse the compressed key and the compact signature,
// verify against a 32-byte digest). Built and run by Tools/bench-crypto.sh.
#include <secp256k1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char secret[32], digest[32], compressed[33], compact[64];
    for (int i = 0; i < 32; i++) { secret[i] = (unsigned char)(i + 1); digest[i] = (unsigned char)(0xa5 ^ i); }
    secp256k1_pubkey key;
    secp256k1_ecdsa_signature signature;
    size_t length = sizeof compressed;
    if (!secp256k1_ec_pubkey_create(ctx, &key, secret)) return 1;
    secp256k1_ec_pubkey_serialize(ctx, compressed, &length, &key, SECP256K1_EC_COMPRESSED);
    if (!secp256k1_ecdsa_sign(ctx, &signature, digest, secret, NULL, NULL)) return 1;
    secp256k1_ecdsa_signature_serialize_compact(ctx, compact, &signature);

    long verified = 0;
    double start = now(), end = start + seconds;
    while (now() < end) {
        for (int i = 0; i < 256; i++) {
            secp256k1_pubkey parsedKey;
            secp256k1_ecdsa_signature parsedSignature;
            if (secp256k1_ec_pubkey_parse(ctx, &parsedKey, compressed, sizeof compressed) != 1) return 2;
            if (secp256k1_ecdsa_signature_parse_compact(ctx, &parsedSignature, compact) != 1) return 2;
            if (secp256k1_ecdsa_verify(ctx, &parsedSignature, digest, &parsedKey) != 1) return 2;
            verified++;
        }
    }
    printf("%.0f\n", verified / (now() - start));
    secp256k1_context_destroy(ctx);
    return 0;
}
