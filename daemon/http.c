/* http.c: the read-only HTTP listener (docs/federation.md), libmicrohttpd.
 *
 * Off unless the configuration has an http: mapping.  The socket is the
 * one systemd hands over under the name "http" (fairdex-http.socket,
 * FileDescriptorName=http), or else the first TCP listening socket it
 * hands over, or else one bound here to http.listen.  libmicrohttpd runs
 * one accepting thread and a thread per connection (a thread pool sharing
 * the listening socket stalled connections behind a rejected oversized
 * request in libmicrohttpd 0.9.75; the fuzz test shows it); each
 * connection gets its own fd_query_ctx (engine, read-only index handle
 * opened on first use) when it opens and loses it when it closes, so a
 * handler reads the index exactly as a socket op does (ops/ops.h) and
 * nothing here reaches the engine another way.
 *
 * Read-only by construction: the routes below are the whole surface, no
 * route reaches the ops table, and only GET and HEAD are answered (others
 * get 405).  What a client can grow is bounded by libmicrohttpd's options:
 * connections (in all and per address), the memory of one connection
 * (which bounds the request line, the URL and the headers: beyond it the
 * client gets 414 or 431), and an idle timeout per connection.
 * Connections are kept alive (HTTP/1.1) between requests.  Bodies larger
 * than FD_HTTP_GZIP_MIN go out gzip-compressed (zlib) when the request's
 * Accept-Encoding takes gzip.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <zlib.h>

#include "daemon-private.h"
#include "http.h"
#include "metrics.h"
#include "ops/ops.h"

#define FD_HTTP_MAX_CONNS 128
#define FD_HTTP_MAX_CONNS_PER_IP 32
#define FD_HTTP_CONN_MEMORY (32 * 1024)
#define FD_HTTP_TIMEOUT_S 30
#define FD_HTTP_GZIP_MIN 1024
/* A POST body (OAI-PMH's form arguments, a resumption token at most):
 * larger ones are refused with 413 before a byte of them is read. */
#define FD_HTTP_POST_MAX (16 * 1024)
#define FD_HTTP_POST_ARGS 32

struct fd_http {
        struct fd_daemon *d;
        struct MHD_Daemon *mhd;
        int fd;                 /* ours to close (bound here), or -1 */
};

/* The form arguments of a POST request, read by libmicrohttpd's post
 * processor while the body arrives (a request's con_cls). */
struct fd_http_form {
        struct MHD_PostProcessor *pp;
        size_t n;
        bool overflow;          /* more arguments than FD_HTTP_POST_ARGS */
        struct {
                char *key, *value;
                size_t len;
        } v[FD_HTTP_POST_ARGS];
};

static void form_free(struct fd_http_form *f) {
        if (!f)
                return;
        if (f->pp)
                MHD_destroy_post_processor(f->pp);
        for (size_t i = 0; i < f->n; i++) {
                free(f->v[i].key);
                free(f->v[i].value);
        }
        free(f);
}

/* libmicrohttpd's post processor hands a value in pieces (off > 0 goes on
 * the previous one); the body's size bounds what they add up to. */
static enum MHD_Result form_take(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                 const char *content_type, const char *transfer_encoding, const char *data,
                                 uint64_t off, size_t size) {
        struct fd_http_form *f = cls;

        (void)kind;
        (void)filename;
        (void)content_type;
        (void)transfer_encoding;
        if (off == 0 || f->n == 0) {
                if (f->n == FD_HTTP_POST_ARGS) {
                        f->overflow = true;
                        return MHD_YES;
                }
                f->v[f->n].key = strdup(key);
                f->v[f->n].value = NULL;
                f->v[f->n].len = 0;
                if (!f->v[f->n].key)
                        return MHD_NO;
                f->n++;
        } else if (f->overflow) {
                return MHD_YES;
        }
        size_t i = f->n - 1, len = f->v[i].len;
        char *v = realloc(f->v[i].value, len + size + 1);
        if (!v)
                return MHD_NO;
        memcpy(v + len, data ? data : "", size);
        v[len + size] = '\0';
        f->v[i].value = v;
        f->v[i].len = len + size;
        return MHD_YES;
}

/* ---- answers ---------------------------------------------------------- */

void fd_http_answer_free(struct fd_http_answer *a) {
        free(a->body);
        if (a->stream_free)
                a->stream_free(a->stream_state);
        *a = (struct fd_http_answer){0};
}

enum fd_status fd_http_answer_text(struct fd_http_answer *a, unsigned status, const char *type,
                                   const char *text) {
        a->status = status;
        a->content_type = type;
        a->body = strdup(text);
        a->len = a->body ? strlen(text) : 0;
        return a->body ? FD_OK : FD_E_NOMEM;
}

/* The value of parameter name in the query string, NULL when absent. */
const char *fd_http_arg(const struct fd_http_request *req, const char *name) {
        if (req->form) {
                for (size_t i = 0; i < req->form->n; i++)
                        if (strcmp(req->form->v[i].key, name) == 0)
                                return req->form->v[i].value ? req->form->v[i].value : "";
                return NULL;
        }
        return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *fd_http_header(const struct fd_http_request *req, const char *name) {
        return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct each_arg {
        bool (*fn)(void *userdata, const char *key, const char *value);
        void *userdata;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
        struct each_arg *e = cls;
        (void)kind;
        return e->fn(e->userdata, key, value) ? MHD_YES : MHD_NO;
}

void fd_http_args_each(const struct fd_http_request *req,
                       bool (*fn)(void *userdata, const char *key, const char *value), void *userdata) {
        struct each_arg e = {fn, userdata};

        if (req->form) {
                for (size_t i = 0; i < req->form->n; i++)
                        if (!fn(userdata, req->form->v[i].key, req->form->v[i].value ? req->form->v[i].value : ""))
                                return;
                /* Arguments beyond FD_HTTP_POST_ARGS: one more that no
                 * route takes, so that they are not silently dropped. */
                if (req->form->overflow)
                        fn(userdata, "", "");
                return;
        }
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, each_arg, &e);
}

static const char hex_digits[] = "0123456789abcdef";

char *fd_http_hex(const char *s) {
        size_t n = strlen(s);
        char *out = malloc(2 * n + 1);

        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                out[2 * i] = hex_digits[(unsigned char)s[i] >> 4];
                out[2 * i + 1] = hex_digits[(unsigned char)s[i] & 15];
        }
        out[2 * n] = '\0';
        return out;
}

char *fd_http_unhex(const char *s, size_t max) {
        size_t n = strlen(s);
        char *out;

        if (n % 2 || n > max || !(out = malloc(n / 2 + 1)))
                return NULL;
        for (size_t i = 0; i < n / 2; i++) {
                const char *hi = strchr(hex_digits, s[2 * i]), *lo = strchr(hex_digits, s[2 * i + 1]);
                if (!hi || !lo || (hi == hex_digits && lo == hex_digits)) {
                        free(out);
                        return NULL;
                }
                out[i] = (char)((hi - hex_digits) * 16 + (lo - hex_digits));
        }
        out[n / 2] = '\0';
        return out;
}

/* ---- routes ----------------------------------------------------------- */

static enum fd_status route_metrics(const struct fd_http_request *req, struct fd_http_answer *a) {
        a->body = fd_metrics_text(req->ctx, &a->len);
        if (!a->body)
                return FD_E_NOMEM;
        a->status = 200;
        a->content_type = "text/plain; version=0.0.4; charset=utf-8";
        return FD_OK;
}

static enum fd_status route_root(const struct fd_http_request *req, struct fd_http_answer *a) {
        (void)req;
        return fd_http_answer_text(a, 200, "text/plain; charset=utf-8",
                                   "fairdex " FD_VERSION "\n/oai      OAI-PMH 2.0\n/dcat     DCAT-AP 3 (Turtle, RDF/XML, JSON-LD)\n"
                                   "/dump     every record as gzip'ed JSON lines\n/croissant.json  its Croissant 1.0 descriptor\n"
                                   "/metrics  Prometheus metrics\n");
}

/* post: the route also answers POST with form arguments (OAI-PMH 2.0
 * section 3.1.1.2), the same as GET with them in the query string. */
static const struct {
        const char *path;
        enum fd_status (*handler)(const struct fd_http_request *req, struct fd_http_answer *a);
        bool post;
} routes[] = {
        {"/", route_root, false},
        {"/metrics", route_metrics, false},
        {"/oai", fd_http_oai, true},
        {"/dcat", fd_http_dcat, false},
        {"/dump", fd_http_dump, false},
        {"/croissant.json", fd_http_croissant, false},
};

static int route_find(const char *url) {
        for (size_t i = 0; i < FD_ELEMENTSOF(routes); i++)
                if (strcmp(url, routes[i].path) == 0)
                        return (int)i;
        return -1;
}

/* ---- libmicrohttpd glue ----------------------------------------------- */

/* Whether the client takes gzip: Accept-Encoding names it (or "*") and
 * not with q=0. */
static bool takes_gzip(struct MHD_Connection *conn) {
        const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
        const char *p = ae ? strstr(ae, "gzip") : NULL;

        if (!p)
                return false;
        p += 4;
        while (*p == ' ')
                p++;
        if (*p == ';') {
                const char *q = strstr(p, "q=");
                if (q && strtod(q + 2, NULL) <= 0)
                        return false;
        }
        return true;
}

/* Replaces a->body by its gzip form; false (body untouched) on failure. */
static bool gzip_body(struct fd_http_answer *a) {
        z_stream z = {0};
        uLong cap = compressBound((uLong)a->len) + 32;
        unsigned char *out = malloc(cap);

        if (!out || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
                free(out);
                return false;
        }
        z.next_in = (unsigned char *)a->body;
        z.avail_in = (uInt)a->len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        int r = deflate(&z, Z_FINISH);
        size_t n = z.total_out;
        deflateEnd(&z);
        if (r != Z_STREAM_END) {
                free(out);
                return false;
        }
        free(a->body);
        a->body = (char *)out;
        a->len = n;
        return true;
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, struct fd_http_answer *a, bool head,
                                   const char *allow) {
        bool gz = !a->stream && a->len >= FD_HTTP_GZIP_MIN && takes_gzip(conn) && gzip_body(a);
        struct MHD_Response *resp;
        enum MHD_Result r;

        if (a->stream && !head) {
                resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, a->stream, a->stream_state,
                                                         a->stream_free);
                if (resp)
                        a->stream_free = NULL;  /* libmicrohttpd frees it with the response */
        } else if (head) {
                resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        } else {
                resp = MHD_create_response_from_buffer(a->len, a->body, MHD_RESPMEM_MUST_FREE);
                a->body = NULL;
        }
        if (!resp)
                return MHD_NO;
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, MHD_HTTP_HEADER_ACCEPT_ENCODING);
        if (gz)
                MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        if (allow)
                MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
        r = MHD_queue_response(conn, a->status, resp);
        MHD_destroy_response(resp);
        return r;
}

/* Answers text at once with status (a refusal, before any body is read:
 * libmicrohttpd then closes the connection). */
static enum MHD_Result refuse(struct MHD_Connection *conn, unsigned status, const char *text, const char *allow) {
        struct fd_http_answer a = {0};
        enum MHD_Result r;

        if (fd_http_answer_text(&a, status, "text/plain; charset=utf-8", text))
                return MHD_NO;
        r = send_answer(conn, &a, false, allow);
        fd_http_answer_free(&a);
        return r;
}

/* Whether the request's Content-Type is type (its parameters aside). */
static bool content_type_is(struct MHD_Connection *conn, const char *type) {
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        size_t n = strlen(type);

        return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The first call of a request (its headers read, no body yet): refuses
 * what is not answered here, else sets *con_cls (h for GET and HEAD, a
 * form for POST) and returns MHD_YES with nothing queued. */
static enum MHD_Result on_headers(struct fd_http *h, struct MHD_Connection *conn, const char *url,
                                  const char *method, void **con_cls) {
        int route = route_find(url);
        bool post_here = route >= 0 && routes[route].post;
        const char *allow = post_here ? "GET, HEAD, POST" : "GET, HEAD";
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);

        if (strcmp(method, MHD_HTTP_METHOD_POST) == 0 && post_here) {
                char *end;
                unsigned long long len = cl ? strtoull(cl, &end, 10) : 0;
                struct fd_http_form *f;
                if (te || !cl)
                        return refuse(conn, MHD_HTTP_LENGTH_REQUIRED, "a POST here needs a Content-Length\n", NULL);
                if (*end || len > FD_HTTP_POST_MAX)
                        return refuse(conn, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than 16 KiB\n", NULL);
                if (!content_type_is(conn, "application/x-www-form-urlencoded"))
                        return refuse(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                                      "a POST here takes application/x-www-form-urlencoded\n", NULL);
                f = calloc(1, sizeof *f);
                if (!f || !(f->pp = MHD_create_post_processor(conn, 4096, form_take, f))) {
                        form_free(f);
                        return MHD_NO;
                }
                *con_cls = f;
                return MHD_YES;
        }
        if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
                return refuse(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                              post_here ? "only GET, HEAD and POST are answered here\n"
                                        : "only GET and HEAD are answered here\n",
                              allow);
        if ((cl && strcmp(cl, "0") != 0) || te)
                return refuse(conn, MHD_HTTP_CONTENT_TOO_LARGE, "requests here take no body\n", NULL);
        *con_cls = h;
        return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
        struct fd_http *h = cls;
        struct fd_http_answer a = {0};
        struct fd_http_form *form = NULL;
        int64_t t0 = fd_metrics_now_us();
        enum MHD_Result r;
        bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;

        (void)version;
        if (!*con_cls)
                return on_headers(h, conn, url, method, con_cls);
        if (*con_cls != h) {
                form = *con_cls;
                if (*upload_data_size) {
                        enum MHD_Result ok = MHD_post_process(form->pp, upload_data, *upload_data_size);
                        *upload_data_size = 0;
                        return ok;
                }
                /* The processor hands over the last value when destroyed. */
                MHD_destroy_post_processor(form->pp);
                form->pp = NULL;
        } else if (*upload_data_size) {
                *upload_data_size = 0;
                return MHD_YES;
        }
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        struct fd_http_request req = {.conn = conn, .ctx = ci ? ci->socket_context : NULL,
                                      .config = fd_engine_config(&h->d->engine), .form = form};
        enum fd_status st = FD_E_NOTFOUND;
        int route = route_find(url);
        if (req.ctx && route >= 0)
                st = routes[route].handler(&req, &a);
        if (st == FD_E_NOTFOUND) {
                fd_http_answer_free(&a);
                fd_http_answer_text(&a, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
        } else if (st != FD_OK || (!a.body && !a.stream)) {
                fd_http_answer_free(&a);
                fd_http_answer_text(&a, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                                    "internal error\n");
        }
        r = a.body || a.stream ? send_answer(conn, &a, head, NULL) : MHD_NO;
        fd_http_answer_free(&a);
        fd_metrics_query(fd_metrics_now_us() - t0);
        return r;
}

/* A POST's form goes with its request, answered or not. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code) {
        (void)conn;
        (void)code;
        if (*con_cls && *con_cls != cls)
                form_free(*con_cls);
        *con_cls = NULL;
}

/* A connection's query context lives from its open to its close. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
        struct fd_http *h = cls;
        struct fd_query_ctx *ctx = *socket_context;

        (void)conn;
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
                ctx = calloc(1, sizeof *ctx);
                if (ctx)
                        ctx->engine = &h->d->engine;
                *socket_context = ctx;
        } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && ctx) {
                fd_index_free(ctx->reader);
                free(ctx);
                *socket_context = NULL;
        }
}

static void on_log(void *cls, const char *fmt, va_list ap) {
        char msg[512];

        (void)cls;
        vsnprintf(msg, sizeof msg, fmt, ap);
        msg[strcspn(msg, "\n")] = '\0';
        fd_log(FD_LOG_DEBUG, "http: %s", msg);
}

/* The listening socket systemd handed over for HTTP: the one named "http",
 * else the first TCP one; -1 when none. */
static int activated_socket(void) {
        char **names = NULL;
        int n = sd_listen_fds_with_names(0, &names), found = -1;

        for (int i = 0; i < n; i++)
                if (names && names[i] && strcmp(names[i], "http") == 0 &&
                    sd_is_socket(SD_LISTEN_FDS_START + i, AF_UNSPEC, SOCK_STREAM, 1) > 0)
                        found = SD_LISTEN_FDS_START + i;
        for (int i = 0; found < 0 && i < n; i++)
                if (sd_is_socket_inet(SD_LISTEN_FDS_START + i, AF_UNSPEC, SOCK_STREAM, 1, 0) > 0)
                        found = SD_LISTEN_FDS_START + i;
        if (names)
                for (int i = 0; i < n; i++)
                        free(names[i]);
        free(names);
        return found;
}

/* Binds and listens on host:port. */
static enum fd_status bind_listen(const struct fd_http_config *hc, int *ret_fd, struct fd_error *err) {
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
        struct addrinfo *res = NULL;
        char port[8];
        int fd = -1, e = 0;

        snprintf(port, sizeof port, "%u", hc->port);
        int r = getaddrinfo(hc->host, port, &hints, &res);
        if (r != 0)
                return fd_error_set(err, FD_E_IO, "cannot resolve http listen address '%s': %s", hc->host,
                                    gai_strerror(r));
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
                int one = 1;
                fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
                if (fd < 0) {
                        e = errno;
                        continue;
                }
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
                if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 128) < 0) {
                        e = errno;
                        close(fd);
                        fd = -1;
                }
        }
        freeaddrinfo(res);
        if (fd < 0)
                return fd_error_set(err, FD_E_IO, "cannot listen on http address '%s:%u': %s", hc->host, hc->port,
                                    strerror(e));
        *ret_fd = fd;
        return FD_OK;
}

enum fd_status fd_http_start(struct fd_daemon *d, struct fd_http **ret, struct fd_error *err) {
        const struct fd_config *cfg = fd_engine_config(&d->engine);
        struct fd_http *h;
        int fd;

        *ret = NULL;
        if (!cfg->http.enabled)
                return FD_OK;
        h = calloc(1, sizeof *h);
        if (!h)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        h->d = d;
        h->fd = -1;
        fd = activated_socket();
        if (fd < 0) {
                enum fd_status st = bind_listen(&cfg->http, &h->fd, err);
                if (st) {
                        free(h);
                        return st;
                }
                fd = h->fd;
        }
        /* The pool's threads all poll this socket: a blocking accept() in
         * one that lost the race would hang it. */
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
                if (h->fd >= 0)
                        close(h->fd);
                free(h);
                return fd_error_set(err, FD_E_IO, "cannot make the http socket non-blocking: %s", strerror(errno));
        }
        unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                         MHD_USE_ERROR_LOG;
        h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
                                  MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
                                  MHD_OPTION_LISTEN_SOCKET, fd,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned)FD_HTTP_MAX_CONNS,
                                  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)FD_HTTP_MAX_CONNS_PER_IP,
                                  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)FD_HTTP_CONN_MEMORY,
                                  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)FD_HTTP_TIMEOUT_S,
                                  MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
                                  MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
                                  MHD_OPTION_END);
        if (!h->mhd) {
                if (h->fd >= 0)
                        close(h->fd);
                free(h);
                return fd_error_set(err, FD_E_IO, "cannot start the http listener on '%s:%u'", cfg->http.host,
                                    cfg->http.port);
        }
        fd_log(FD_LOG_NOTICE, "http listener on %s (%s)", cfg->http.base_url,
               h->fd < 0 ? "socket activation" : "bound here");
        *ret = h;
        return FD_OK;
}

void fd_http_stop(struct fd_http *h) {
        if (!h)
                return;
        MHD_stop_daemon(h->mhd);
        if (h->fd >= 0)
                close(h->fd);
        free(h);
}
