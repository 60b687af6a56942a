#ifndef FJC_CCURL_SHIM_H
#define FJC_CCURL_SHIM_H
#include <curl/curl.h>
#endif
