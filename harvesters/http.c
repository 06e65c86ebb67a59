/* http.c: one libcurl easy handle per harvest thread.
 *
 * The handle is kept across requests so connections are reused (an OAI-PMH
 * list is hundreds of requests to one host).  The body is never buffered
 * here: each chunk goes straight to the caller's callback (the parser), and
 * a byte count enforces max_body whatever the server announces.  Redirects
 * are followed (at most 5) but only to http(s): a server must not be able
 * to point us at file://.  The Retry-After of the last response (seconds or
 * an HTTP date) is kept for the OAI driver's 503/429 handling.
 *
 * Accept-Encoding is sent only when asked (Identify offered compression),
 * and then libcurl decodes; a body that starts with the gzip magic bytes
 * anyway (a server compressing without saying so) is inflated here with
 * zlib as it streams, the inflated bytes counted against max_body so a
 * small bomb cannot grow past it.
 *
 * Every request is counted by status for the daemon's metrics, here where
 * it is made, into the counters the calling thread named
 * (fd_http_count_thread): the drivers create their handles themselves,
 * and a harvest runs in one thread, so a thread-local target counts a
 * run's requests without threading a pointer through every driver.
 */
#include <ctype.h>
#include <pthread.h>
#include <strings.h>

#include <curl/curl.h>
#include <zlib.h>

#include "harvesters-private.h"

#define DEFAULT_CONNECT_TIMEOUT 30L
#define DEFAULT_TIMEOUT 300L
#define DEFAULT_MAX_BODY ((size_t)256 << 20)
#define MAX_REDIRS 5L

struct fd_http {
        CURL *curl;
        size_t max_body;
        char errbuf[CURL_ERROR_SIZE];

        /* the request in hand */
        fd_http_body_fn cb;
        void *ud;
        size_t received;
        bool over_limit;
        enum fd_status cb_status;
        long retry_after;
        bool announced;       /* the response had a Content-Encoding */
        bool compression;     /* send Accept-Encoding */
        /* sniffing and inflating an unannounced gzip body */
        unsigned char first[2];
        size_t n_first;
        bool sniffed, gzip, z_init;
        z_stream z;
        unsigned char zout[64 * 1024];
        struct curl_slist *headers;  /* fd_http_set_accept's request header */
};

static _Thread_local struct fd_http_counts *thread_counts;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result;

static void curl_init(void) { curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); }

static bool deliver(struct fd_http *h, const char *data, size_t n) {
        if (n > h->max_body - h->received) {
                h->over_limit = true;
                return false;
        }
        h->received += n;
        if (h->cb && n) {
                enum fd_status st = h->cb(h->ud, data, n);
                if (st) {
                        h->cb_status = st;
                        return false;
                }
        }
        return true;
}

static bool inflate_chunk(struct fd_http *h, const unsigned char *data, size_t n) {
        if (!h->z_init) {
                memset(&h->z, 0, sizeof h->z);
                if (inflateInit2(&h->z, 16 + MAX_WBITS) != Z_OK) {
                        h->cb_status = FD_E_NOMEM;
                        return false;
                }
                h->z_init = true;
        }
        h->z.next_in = (unsigned char *)data;
        h->z.avail_in = (uInt)n;
        while (h->z.avail_in > 0) {
                h->z.next_out = h->zout;
                h->z.avail_out = sizeof h->zout;
                int zr = inflate(&h->z, Z_NO_FLUSH);
                if (!deliver(h, (const char *)h->zout, sizeof h->zout - h->z.avail_out))
                        return false;
                if (zr == Z_STREAM_END)
                        break;  /* trailing bytes after the stream are ignored */
                if (zr != Z_OK && zr != Z_BUF_ERROR) {
                        /* not gzip after all: the parser will say what it sees */
                        return deliver(h, "\x1f\x8b", 2);
                }
                if (zr == Z_BUF_ERROR && h->z.avail_out != 0)
                        break;
        }
        return true;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata) {
        struct fd_http *h = userdata;
        size_t n = size * nmemb, k = n;
        const unsigned char *p = (const unsigned char *)data;

        if (!h->sniffed) {
                /* the first two bytes decide: gzip magic or not */
                while (h->n_first < 2 && k) {
                        h->first[h->n_first++] = *p++;
                        k--;
                }
                if (h->n_first < 2)
                        return n;
                h->sniffed = true;
                h->gzip = h->first[0] == 0x1f && h->first[1] == 0x8b;
                if (h->gzip ? !inflate_chunk(h, h->first, 2) : !deliver(h, (const char *)h->first, 2))
                        return 0;
        }
        if (h->gzip ? !inflate_chunk(h, p, k) : !deliver(h, (const char *)p, k))
                return 0;
        return n;
}

/* Retry-After: delay-seconds or an HTTP date. */
static long parse_retry_after(const char *v, size_t n) {
        char buf[128];

        while (n && isspace((unsigned char)*v)) {
                v++;
                n--;
        }
        while (n && isspace((unsigned char)v[n - 1]))
                n--;
        if (n == 0 || n >= sizeof buf)
                return -1;
        memcpy(buf, v, n);
        buf[n] = '\0';
        if (isdigit((unsigned char)buf[0])) {
                char *end;
                long s = strtol(buf, &end, 10);
                return *end == '\0' && s >= 0 ? s : -1;
        }
        time_t t = curl_getdate(buf, NULL);
        if (t == (time_t)-1)
                return -1;
        time_t now = time(NULL);
        return t > now ? (long)(t - now) : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata) {
        struct fd_http *h = userdata;
        size_t n = size * nmemb;
        static const char name[] = "retry-after:";

        /* a new status line: the headers of an earlier response (redirect) no longer count */
        if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
                h->retry_after = -1;
                h->announced = false;
        } else if (n > 17 && strncasecmp(data, "content-encoding:", 17) == 0)
                h->announced = true;
        else if (n > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0)
                h->retry_after = parse_retry_after(data + sizeof name - 1, n - (sizeof name - 1));
        return n;
}

enum fd_status fd_http_new(const struct fd_http_opts *opts, struct fd_http **ret_http, struct fd_error *err) {
        struct fd_http *h;
        CURL *c;
        bool ok;

        if (!opts || !opts->user_agent || !opts->user_agent[0])
                return fd_error_set(err, FD_E_INVALID, "no user agent for HTTP requests");
        pthread_once(&curl_once, curl_init);
        if (curl_init_result != CURLE_OK)
                return fd_error_set(err, FD_E_INTERNAL, "cannot initialize libcurl: %s",
                                    curl_easy_strerror(curl_init_result));
        h = calloc(1, sizeof *h);
        if (!h)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        c = curl_easy_init();
        if (!c) {
                free(h);
                return fd_error_set(err, FD_E_NOMEM, "cannot create a libcurl handle");
        }
        h->curl = c;
        h->max_body = opts->max_body ? opts->max_body : DEFAULT_MAX_BODY;
        h->retry_after = -1;
        ok = curl_easy_setopt(c, CURLOPT_USERAGENT, opts->user_agent) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                              opts->connect_timeout_s > 0 ? opts->connect_timeout_s : DEFAULT_CONNECT_TIMEOUT) ==
                     CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_TIMEOUT, opts->timeout_s > 0 ? opts->timeout_s : DEFAULT_TIMEOUT) ==
                     CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_MAXREDIRS, MAX_REDIRS) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file") == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max_body) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_WRITEDATA, h) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_HEADERDATA, h) == CURLE_OK;
        if (!ok) {
                fd_http_free(h);
                return fd_error_set(err, FD_E_UNSUPPORTED, "this libcurl lacks an option fairdex needs");
        }
        *ret_http = h;
        return FD_OK;
}

void fd_http_free(struct fd_http *h) {
        if (!h)
                return;
        if (h->curl)
                curl_easy_cleanup(h->curl);
        if (h->z_init)
                inflateEnd(&h->z);
        curl_slist_free_all(h->headers);
        free(h);
}

enum fd_status fd_http_get(struct fd_http *h, const char *url, fd_http_body_fn cb, void *userdata,
                           long *ret_code, struct fd_error *err) {
        CURLcode res;
        long code = 0;

        h->cb = cb;
        h->ud = userdata;
        h->received = 0;
        h->over_limit = false;
        h->cb_status = FD_OK;
        h->retry_after = -1;
        h->announced = false;
        h->n_first = 0;
        h->sniffed = h->gzip = false;
        if (h->z_init) {
                inflateEnd(&h->z);
                h->z_init = false;
        }
        h->errbuf[0] = '\0';
        /* a libcurl without zlib refuses: then nothing is asked for (gzip is still sniffed) */
        if (curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, h->compression ? "gzip, deflate" : NULL) !=
            CURLE_OK)
                curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, NULL);
        if (curl_easy_setopt(h->curl, CURLOPT_URL, url) != CURLE_OK)
                return fd_error_set(err, FD_E_INVALID, "cannot use URL '%s'", url);
        res = curl_easy_perform(h->curl);
        /* a body of one byte never reached the sniffing decision */
        if (res == CURLE_OK && !h->sniffed && h->n_first && !h->cb_status && !h->over_limit)
                deliver(h, (const char *)h->first, h->n_first);
        h->cb = NULL;
        h->ud = NULL;
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
        if (thread_counts && strncasecmp(url, "file:", 5) != 0)
                fd_http_counts_add(thread_counts, code);

        if (h->cb_status)
                return h->cb_status;
        if (h->over_limit || res == CURLE_FILESIZE_EXCEEDED)
                return fd_error_set(err, FD_E_LIMIT, "body of '%s' exceeds %zu bytes", url, h->max_body);
        if (res != CURLE_OK)
                return fd_error_set(err, FD_E_HTTP, "cannot fetch '%s': %s", url,
                                    h->errbuf[0] ? h->errbuf : curl_easy_strerror(res));
        if (code >= 400) {
                *ret_code = code;
                return fd_error_set(err, FD_E_HTTP, "HTTP status %ld from '%s'", code, url);
        }
        *ret_code = code;
        return FD_OK;
}

long fd_http_retry_after(const struct fd_http *h) { return h->retry_after; }

void fd_http_count_thread(struct fd_http_counts *c) { thread_counts = c; }

void fd_http_counts_add(struct fd_http_counts *c, long code) {
        if (code <= 0) {
                atomic_fetch_add(&c->failed, 1);
                return;
        }
        for (size_t i = 0; i < FD_HTTP_COUNT_CODES; i++) {
                long seen = atomic_load(&c->code[i]);
                /* a free slot is claimed once; a concurrent claim of the
                 * same slot by another code moves on to the next */
                if (seen == 0 && atomic_compare_exchange_strong(&c->code[i], &seen, code))
                        seen = code;
                if (seen == code) {
                        atomic_fetch_add(&c->n[i], 1);
                        return;
                }
        }
        atomic_fetch_add(&c->other, 1);
}

const char *fd_http_content_type(const struct fd_http *h) {
        char *ct = NULL;
        if (curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK)
                return NULL;
        return ct;
}

void fd_http_set_compression(struct fd_http *h, bool on) { h->compression = on; }

enum fd_status fd_http_set_accept(struct fd_http *h, const char *accept, struct fd_error *err) {
        struct curl_slist *l = NULL;
        char *line = NULL;

        if (accept && (asprintf(&line, "Accept: %s", accept) < 0 || !(l = curl_slist_append(NULL, line)))) {
                free(line);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        free(line);
        if (curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, l) != CURLE_OK) {
                curl_slist_free_all(l);
                return fd_error_set(err, FD_E_UNSUPPORTED, "this libcurl cannot set request headers");
        }
        curl_slist_free_all(h->headers);
        h->headers = l;
        return FD_OK;
}

bool fd_http_unannounced_gzip(const struct fd_http *h) { return h->gzip && !h->announced; }

enum fd_status fd_url_encode(struct fd_buf *b, const char *s) {
        static const char hex[] = "0123456789ABCDEF";
        size_t start = b->len;

        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                enum fd_status st;
                if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                    *p == '-' || *p == '.' || *p == '_' || *p == '~') {
                        st = fd_buf_append(b, p, 1);
                } else {
                        char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
                        st = fd_buf_append(b, esc, 3);
                }
                if (st) {
                        /* leave b as it was */
                        b->len = start;
                        if (b->data)
                                b->data[start] = '\0';
                        return st;
                }
        }
        return FD_OK;
}
