#ifndef FJC_COPENSSL_SHIM_H
#define FJC_COPENSSL_SHIM_H
// The system's libcrypto (Debian: libssl-dev), for artifact digests and signatures.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/// `EVP_sha256()` as a plain function returning the digest descriptor.
static inline const EVP_MD *fjc_evp_sha256(void) { return EVP_sha256(); }

/// `BIO_new_mem_buf` over a buffer the caller keeps alive while the BIO is used.
static inline BIO *fjc_bio_from_bytes(const void *bytes, int length) { return BIO_new_mem_buf(bytes, length); }

/// The last queued OpenSSL error as text (empty when none), and clears the queue.
static inline void fjc_last_error(char *buffer, size_t length) {
    unsigned long code = ERR_get_error();
    if (code == 0) {
        if (length > 0) buffer[0] = '\0';
    } else {
        ERR_error_string_n(code, buffer, length);
    }
    ERR_clear_error();
}
#endif
