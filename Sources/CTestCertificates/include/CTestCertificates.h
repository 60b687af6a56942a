#ifndef FJC_TEST_CERTIFICATES_H
#define FJC_TEST_CERTIFICATES_H

#include <stddef.h>

/// Issues an EC P-256 key and an X.509 v3 certificate for tests.
///
/// When `issuer_cert_pem`/`issuer_key_pem` are NULL the certificate is self-signed. `is_ca` makes a CA
/// certificate (basicConstraints CA:TRUE, keyCertSign); otherwise a leaf with serverAuth+clientAuth usage and
/// the given subjectAltName list (e.g. "DNS:localhost,IP:127.0.0.1"; may be NULL).
/// On success returns 0 and sets `*out_cert_pem` / `*out_key_pem` (PKCS#8) to malloc'd strings the caller frees
/// with `fjc_free`. On failure returns -1 and writes OpenSSL's reason into `errbuf`.
int fjc_issue_certificate(const char *common_name, int is_ca, const char *subject_alt_names,
                          const char *issuer_cert_pem, const char *issuer_key_pem, int validity_days,
                          char **out_cert_pem, char **out_key_pem, char *errbuf, size_t errlen);

/// Frees a string returned by `fjc_issue_certificate`.
void fjc_free(void *pointer);

#endif
