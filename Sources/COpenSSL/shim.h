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
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <string.h>

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

// Copies a memory BIO's contents into a new OPENSSL_malloc'd buffer (free with civic_openssl_free).
static inline int civic_bio_take(BIO *bio, unsigned char **out, size_t *length) {
    char *data = NULL;
    long size = BIO_get_mem_data(bio, &data);
    if (size <= 0 || data == NULL) return 0;
    *out = OPENSSL_malloc((size_t)size);
    if (*out == NULL) return 0;
    memcpy(*out, data, (size_t)size);
    *length = (size_t)size;
    return 1;
}

// A node's TLS identity: a self-signed X.509 v3 certificate for `common_name`, valid from now for `days`, over
// the P-256 key in `key_pem` (PKCS#8 PEM), or over a new P-256 key when `key_pem` is NULL. Writes the
// certificate PEM, the key PEM and the key's DER SubjectPublicKeyInfo (what peers pin) into new buffers the
// caller frees with civic_openssl_free. Returns 1 on success, 0 on any failure (nothing to free then).
// Kept in C: X509 building is a long run of calls on borrowed pointers and macros (BIO_get_mem_data).
static inline int civic_tls_certificate(
    const char *common_name, int days, const unsigned char *key_pem, size_t key_pem_length,
    unsigned char **certificate_out, size_t *certificate_length,
    unsigned char **key_out, size_t *key_length,
    unsigned char **spki_out, size_t *spki_length
) {
    int ok = 0;
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *context = NULL;
    X509 *certificate = NULL;
    X509_NAME *name = NULL;
    BIO *certificate_bio = NULL, *key_bio = NULL, *input = NULL;
    BIGNUM *serial = NULL;
    unsigned char *spki = NULL;
    int spki_size = 0;
    *certificate_out = NULL; *key_out = NULL; *spki_out = NULL;
    if (key_pem != NULL) {
        input = BIO_new_mem_buf(key_pem, (int)key_pem_length);
        if (input == NULL) goto done;
        key = PEM_read_bio_PrivateKey(input, NULL, NULL, NULL);
        if (key == NULL || !EVP_PKEY_is_a(key, "EC")) goto done;
    } else {
        context = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        if (context == NULL || EVP_PKEY_keygen_init(context) != 1) goto done;
        if (EVP_PKEY_CTX_set_group_name(context, "P-256") != 1) goto done;
        if (EVP_PKEY_generate(context, &key) != 1) goto done;
    }
    certificate = X509_new();
    if (certificate == NULL || X509_set_version(certificate, 2) != 1) goto done;
    serial = BN_new();
    if (serial == NULL || BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) goto done;
    if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) == NULL) goto done;
    if (X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) == NULL) goto done;
    if (X509_time_adj_ex(X509_getm_notAfter(certificate), days, 0, NULL) == NULL) goto done;
    name = X509_NAME_new();
    if (name == NULL) goto done;
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) != 1) goto done;
    if (X509_set_subject_name(certificate, name) != 1 || X509_set_issuer_name(certificate, name) != 1) goto done;
    if (X509_set_pubkey(certificate, key) != 1) goto done;
    if (X509_sign(certificate, key, EVP_sha256()) <= 0) goto done;
    certificate_bio = BIO_new(BIO_s_mem());
    key_bio = BIO_new(BIO_s_mem());
    if (certificate_bio == NULL || key_bio == NULL) goto done;
    if (PEM_write_bio_X509(certificate_bio, certificate) != 1) goto done;
    if (PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL) != 1) goto done;
    spki_size = i2d_PUBKEY(key, &spki);
    if (spki_size <= 0) goto done;
    if (!civic_bio_take(certificate_bio, certificate_out, certificate_length)) goto done;
    if (!civic_bio_take(key_bio, key_out, key_length)) goto done;
    *spki_out = OPENSSL_malloc((size_t)spki_size);
    if (*spki_out == NULL) goto done;
    memcpy(*spki_out, spki, (size_t)spki_size);
    *spki_length = (size_t)spki_size;
    ok = 1;
done:
    if (!ok) {
        OPENSSL_free(*certificate_out); OPENSSL_free(*key_out); OPENSSL_free(*spki_out);
        *certificate_out = NULL; *key_out = NULL; *spki_out = NULL;
    }
    OPENSSL_free(spki);
    BN_free(serial);
    X509_NAME_free(name);
    X509_free(certificate);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(context);
    BIO_free(certificate_bio); BIO_free(key_bio); BIO_free(input);
    return ok;
}

// The DER SubjectPublicKeyInfo of the private key in `key_pem`, in a new buffer freed with civic_openssl_free.
// Returns 1 on success, 0 when the PEM does not hold a private key.
static inline int civic_private_key_spki(
    const unsigned char *key_pem, size_t key_pem_length, unsigned char **spki_out, size_t *spki_length
) {
    int ok = 0;
    unsigned char *spki = NULL;
    BIO *input = BIO_new_mem_buf(key_pem, (int)key_pem_length);
    EVP_PKEY *key = input != NULL ? PEM_read_bio_PrivateKey(input, NULL, NULL, NULL) : NULL;
    int size = key != NULL ? i2d_PUBKEY(key, &spki) : 0;
    *spki_out = NULL;
    if (size > 0) {
        *spki_out = OPENSSL_malloc((size_t)size);
        if (*spki_out != NULL) {
            memcpy(*spki_out, spki, (size_t)size);
            *spki_length = (size_t)size;
            ok = 1;
        }
    }
    OPENSSL_free(spki);
    EVP_PKEY_free(key);
    BIO_free(input);
    return ok;
}

// Checks that the certificate `leaf_der` chains, through the DER certificates in `intermediates` (each
// `intermediate_lengths[i]` bytes), to a certificate in the PEM bundle `ca_pem`, and is within its validity
// period. Returns 1 when it does, 0 when it does not, -1 when an input does not parse.
static inline int civic_verify_chain(
    const unsigned char *leaf_der, size_t leaf_length,
    const unsigned char *const *intermediates, const size_t *intermediate_lengths, size_t intermediate_count,
    const unsigned char *ca_pem, size_t ca_pem_length
) {
    int result = -1;
    const unsigned char *cursor = leaf_der;
    X509 *leaf = d2i_X509(NULL, &cursor, (long)leaf_length);
    STACK_OF(X509) *chain = sk_X509_new_null();
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *context = X509_STORE_CTX_new();
    BIO *bundle = BIO_new_mem_buf(ca_pem, (int)ca_pem_length);
    STACK_OF(X509_INFO) *infos = NULL;
    int loaded = 0;
    if (leaf == NULL || chain == NULL || store == NULL || context == NULL || bundle == NULL) goto done;
    for (size_t index = 0; index < intermediate_count; index++) {
        const unsigned char *item = intermediates[index];
        X509 *certificate = d2i_X509(NULL, &item, (long)intermediate_lengths[index]);
        if (certificate == NULL) goto done;
        if (!sk_X509_push(chain, certificate)) { X509_free(certificate); goto done; }
    }
    infos = PEM_X509_INFO_read_bio(bundle, NULL, NULL, NULL);
    if (infos == NULL) goto done;
    for (int index = 0; index < sk_X509_INFO_num(infos); index++) {
        X509_INFO *info = sk_X509_INFO_value(infos, index);
        if (info->x509 != NULL && X509_STORE_add_cert(store, info->x509) == 1) loaded++;
    }
    if (loaded == 0) goto done;
    if (X509_STORE_CTX_init(context, store, leaf, chain) != 1) goto done;
    result = X509_verify_cert(context) == 1 ? 1 : 0;
done:
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO_free(bundle);
    X509_STORE_CTX_free(context);
    X509_STORE_free(store);
    sk_X509_pop_free(chain, X509_free);
    X509_free(leaf);
    return result;
}

// How many X.509 certificates the PEM text holds (0 when none parses).
static inline int civic_count_pem_certificates(const unsigned char *pem, size_t length) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    STACK_OF(X509_INFO) *infos = bio != NULL ? PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL) : NULL;
    int count = 0;
    for (int index = 0; infos != NULL && index < sk_X509_INFO_num(infos); index++) {
        if (sk_X509_INFO_value(infos, index)->x509 != NULL) count++;
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO_free(bio);
    return count;
}
