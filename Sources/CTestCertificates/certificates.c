// Test-only certificate authority on the system's libcrypto (OpenSSL 3). Never used by the operator itself.
#include "CTestCertificates.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(char *errbuf, size_t errlen, const char *step) {
    unsigned long code = ERR_get_error();
    char reason[256] = "unknown";
    if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
    snprintf(errbuf, errlen, "%s: %s", step, reason);
    ERR_clear_error();
}

static int add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

static char *bio_to_string(BIO *bio) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (length <= 0) return NULL;
    char *copy = malloc((size_t)length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, data, (size_t)length);
    copy[length] = '\0';
    return copy;
}

int fjc_issue_certificate(const char *common_name, int is_ca, const char *subject_alt_names,
                          const char *issuer_cert_pem, const char *issuer_key_pem, int validity_days,
                          char **out_cert_pem, char **out_key_pem, char *errbuf, size_t errlen) {
    int result = -1;
    EVP_PKEY *key = NULL, *issuer_key = NULL;
    X509 *cert = NULL, *issuer = NULL;
    BIGNUM *serial = NULL;
    BIO *cert_bio = NULL, *key_bio = NULL;
    *out_cert_pem = NULL;
    *out_key_pem = NULL;

    key = EVP_EC_gen("P-256");
    if (key == NULL) { report(errbuf, errlen, "generate key"); goto done; }

    if (issuer_cert_pem != NULL && issuer_key_pem != NULL) {
        BIO *in = BIO_new_mem_buf(issuer_cert_pem, -1);
        issuer = PEM_read_bio_X509(in, NULL, NULL, NULL);
        BIO_free(in);
        in = BIO_new_mem_buf(issuer_key_pem, -1);
        issuer_key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
        BIO_free(in);
        if (issuer == NULL || issuer_key == NULL) { report(errbuf, errlen, "read issuer"); goto done; }
    }

    cert = X509_new();
    serial = BN_new();
    if (cert == NULL || serial == NULL || !X509_set_version(cert, 2) || !BN_rand(serial, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)
        || BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) == NULL) {
        report(errbuf, errlen, "create certificate");
        goto done;
    }
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), (long)validity_days * 86400L);
    X509_NAME *subject = X509_get_subject_name(cert);
    if (!X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0)
        || !X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : subject)
        || !X509_set_pubkey(cert, key)) {
        report(errbuf, errlen, "set names");
        goto done;
    }

    X509 *signer = issuer != NULL ? issuer : cert;
    int ok = add_extension(cert, signer, NID_subject_key_identifier, "hash");
    if (is_ca) {
        ok = ok && add_extension(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
        ok = ok && add_extension(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    } else {
        ok = ok && add_extension(cert, signer, NID_basic_constraints, "critical,CA:FALSE");
        ok = ok && add_extension(cert, signer, NID_key_usage, "critical,digitalSignature,keyAgreement");
        ok = ok && add_extension(cert, signer, NID_ext_key_usage, "serverAuth,clientAuth");
        if (subject_alt_names != NULL && subject_alt_names[0] != '\0')
            ok = ok && add_extension(cert, signer, NID_subject_alt_name, subject_alt_names);
    }
    if (issuer != NULL) ok = ok && add_extension(cert, signer, NID_authority_key_identifier, "keyid:always");
    if (!ok) { report(errbuf, errlen, "add extensions"); goto done; }

    if (!X509_sign(cert, issuer_key != NULL ? issuer_key : key, EVP_sha256())) {
        report(errbuf, errlen, "sign");
        goto done;
    }

    cert_bio = BIO_new(BIO_s_mem());
    key_bio = BIO_new(BIO_s_mem());
    if (cert_bio == NULL || key_bio == NULL || !PEM_write_bio_X509(cert_bio, cert)
        || !PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL)) {
        report(errbuf, errlen, "encode PEM");
        goto done;
    }
    *out_cert_pem = bio_to_string(cert_bio);
    *out_key_pem = bio_to_string(key_bio);
    if (*out_cert_pem == NULL || *out_key_pem == NULL) {
        free(*out_cert_pem);
        free(*out_key_pem);
        *out_cert_pem = NULL;
        *out_key_pem = NULL;
        snprintf(errbuf, errlen, "encode PEM: out of memory");
        goto done;
    }
    result = 0;

done:
    BIO_free(cert_bio);
    BIO_free(key_bio);
    BN_free(serial);
    X509_free(cert);
    X509_free(issuer);
    EVP_PKEY_free(key);
    EVP_PKEY_free(issuer_key);
    return result;
}

void fjc_free(void *pointer) { free(pointer); }
