#ifndef FJC_CCURL_SHIM_H
#define FJC_CCURL_SHIM_H

// Typed, non-variadic wrappers around libcurl's variadic entry points (curl_easy_setopt, curl_easy_getinfo,
// curl_multi_setopt), which Swift cannot call, plus the handful of macro constants Swift does not import
// (casts and composed macros). One wrapper per argument kind, so a wrong kind is a compile error in Swift
// instead of undefined behaviour in C.

#include <curl/curl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

// MARK: - Constants that are macros with casts or composed expressions

static const long FJC_CURLAUTH_BASIC = (long)CURLAUTH_BASIC;
static const long FJC_CURLAUTH_NEGOTIATE = (long)CURLAUTH_NEGOTIATE;
static const int FJC_CURLPAUSE_CONT = CURLPAUSE_CONT;
static const long FJC_CURL_GLOBAL_ALL = CURL_GLOBAL_ALL;
static const size_t FJC_CURL_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE;
static const size_t FJC_CURL_READFUNC_PAUSE = CURL_READFUNC_PAUSE;
static const size_t FJC_CURL_READFUNC_ABORT = CURL_READFUNC_ABORT;
static const int FJC_CURL_SEEKFUNC_OK = CURL_SEEKFUNC_OK;
static const int FJC_CURL_SEEKFUNC_FAIL = CURL_SEEKFUNC_FAIL;
static const int FJC_CURL_SEEKFUNC_CANTSEEK = CURL_SEEKFUNC_CANTSEEK;
static const long FJC_CURLPIPE_MULTIPLEX = CURLPIPE_MULTIPLEX;
static const size_t FJC_CURL_ERROR_SIZE = CURL_ERROR_SIZE;

// MARK: - curl_easy_setopt, one wrapper per argument kind

/// Options taking a `long` (flags, numbers, enums such as CURL_HTTP_VERSION_*).
static inline CURLcode fjc_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a `curl_off_t` (CURLOPT_*_LARGE).
static inline CURLcode fjc_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a C string; libcurl copies strings (since 7.17), so the argument need not outlive the call.
static inline CURLcode fjc_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking an opaque pointer the caller keeps alive (CURLOPT_*DATA user data, CURLOPT_ERRORBUFFER,
/// CURLOPT_PRIVATE).
static inline CURLcode fjc_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Options taking a header list (CURLOPT_HTTPHEADER); the list must outlive the transfer.
static inline CURLcode fjc_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/// CURLOPT_MIMEPOST; the mime structure must outlive the transfer.
static inline CURLcode fjc_easy_setopt_mime(CURL *handle, CURLoption option, curl_mime *mime) {
    return curl_easy_setopt(handle, option, mime);
}

/// Blob options (CURLOPT_CAINFO_BLOB, CURLOPT_SSLCERT_BLOB, CURLOPT_SSLKEY_BLOB); libcurl copies the bytes.
static inline CURLcode fjc_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

/// Callbacks with the `size_t (char *, size_t, size_t, void *)` shape: CURLOPT_WRITEFUNCTION,
/// CURLOPT_HEADERFUNCTION and CURLOPT_READFUNCTION.
static inline CURLcode fjc_easy_setopt_data_callback(CURL *handle, CURLoption option,
                                                     size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, option, callback);
}

/// CURLOPT_SEEKFUNCTION.
static inline CURLcode fjc_easy_setopt_seek_callback(CURL *handle, curl_seek_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, callback);
}

/// CURLOPT_XFERINFOFUNCTION.
static inline CURLcode fjc_easy_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

// MARK: - Connection guard (CURLOPT_OPENSOCKETFUNCTION)

/// CURLOPT_OPENSOCKETFUNCTION.
static inline CURLcode fjc_easy_setopt_opensocket_callback(CURL *handle, curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

/// The address libcurl is about to connect to: copies its 4 (IPv4) or 16 (IPv6) bytes into `out` and
/// returns that count; 0 for any other family. `curl_sockaddr.addr` is declared as a `struct sockaddr` but
/// libcurl stores the whole address there, so reading an IPv6 address through it is valid in C.
static inline int fjc_sockaddr_bytes(const struct curl_sockaddr *address, unsigned char out[16]) {
    if(address->family == AF_INET && address->addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)(const void *)&address->addr;
        memcpy(out, &in4->sin_addr, 4);
        return 4;
    }
    if(address->family == AF_INET6 && address->addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)&address->addr;
        memcpy(out, &in6->sin6_addr, 16);
        return 16;
    }
    return 0;
}

/// Opens the socket libcurl asked for (what libcurl does itself without the callback).
static inline curl_socket_t fjc_open_socket(const struct curl_sockaddr *address) {
    return socket(address->family, address->socktype, address->protocol);
}

static const curl_socket_t FJC_CURL_SOCKET_BAD = CURL_SOCKET_BAD;

// MARK: - curl_easy_getinfo, one wrapper per result kind

static inline CURLcode fjc_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fjc_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// String results point into the handle and stay valid until the handle is reused or cleaned up.
static inline CURLcode fjc_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    char *result = NULL;
    CURLcode code = curl_easy_getinfo(handle, info, &result);
    *value = result;
    return code;
}

// MARK: - curl_multi_setopt

static inline CURLMcode fjc_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// MARK: - curl_multi_info_read without the union

/// Reads the next "transfer done" message, skipping any other kind. Returns 1 and fills `easy` and `result`
/// when there was one, 0 when the queue is empty.
static inline int fjc_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int remaining = 0;
    CURLMsg *message;
    while((message = curl_multi_info_read(multi, &remaining)) != NULL) {
        if(message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

#endif
