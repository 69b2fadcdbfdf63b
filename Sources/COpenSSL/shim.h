// OpenSSL 3 libcrypto (Debian libssl-dev): EVP digests, SM2 signatures, BIGNUM and EC points.
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <openssl/obj_mac.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/param_build.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

// OPENSSL_free is a macro: expose it as a function.
static inline void civic_openssl_free(void *pointer) {
    OPENSSL_free(pointer);
}

// Builds an SM2 EVP_PKEY from a 65-byte uncompressed public point and, when `scalar32` is not NULL, a 32-byte
// private scalar. Kept in C because OSSL_PARAM_BLD keeps the caller's pointers (key names, the group name and
// the octet string) until OSSL_PARAM_BLD_to_param, longer than a Swift call's temporary pointers live.
// Returns NULL on any failure.
static inline EVP_PKEY *civic_sm2_key_from_raw(const unsigned char *point65, const unsigned char *scalar32) {
    EVP_PKEY *key = NULL;
    BIGNUM *secret = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *context = NULL;
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    if (builder == NULL) goto done;
    if (!OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0)) goto done;
    if (!OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point65, 65)) goto done;
    if (scalar32 != NULL) {
        secret = BN_secure_new();
        if (secret == NULL || BN_bin2bn(scalar32, 32, secret) == NULL) goto done;
        if (!OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_PRIV_KEY, secret)) goto done;
    }
    params = OSSL_PARAM_BLD_to_param(builder);
    if (params == NULL) goto done;
    context = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (context == NULL || EVP_PKEY_fromdata_init(context) != 1) goto done;
    if (EVP_PKEY_fromdata(context, &key, scalar32 != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1) {
        key = NULL;
    }
done:
    EVP_PKEY_CTX_free(context);
    OSSL_PARAM_free(params);
    BN_clear_free(secret);
    OSSL_PARAM_BLD_free(builder);
    return key;
}
