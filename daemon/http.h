/* http.h: the HTTP listener (http.c) and its routes (daemon/http/).
 *
 * A route answers one GET request with a whole body in memory
 * (struct fd_http_answer); http.c compresses it when the client takes
 * gzip and sends it.  Routes read the index through the connection's
 * fd_query_ctx (fd_protocol_reader), like the socket's ops.
 */
#ifndef FD_HTTP_H
#define FD_HTTP_H

#include <stdint.h>
#include <sys/types.h>

#include "fd_config.h"

struct MHD_Connection;
struct fd_query_ctx;
struct fd_http_form;

struct fd_http_request {
        struct MHD_Connection *conn;
        struct fd_query_ctx *ctx;
        const struct fd_config *config;      /* current; its http: for base_url and names */
        const struct fd_http_form *form;     /* a POST's form arguments (they replace the query's), or NULL */
};

struct fd_http_answer {
        unsigned status;                     /* HTTP status */
        const char *content_type;            /* static */
        char *body;                          /* malloc'ed */
        size_t len;
        /* Instead of body: a stream libmicrohttpd reads in chunks
         * (ssize_t as its content reader callback), freed with
         * stream_free. */
        ssize_t (*stream)(void *state, uint64_t pos, char *buf, size_t max);
        void (*stream_free)(void *state);
        void *stream_state;
};

/* The value of query parameter name, NULL when absent. */
const char *fd_http_arg(const struct fd_http_request *req, const char *name);
/* Calls fn with each query parameter in order (value NULL for "?key"
 * without "="), until it returns false. */
void fd_http_args_each(const struct fd_http_request *req,
                       bool (*fn)(void *userdata, const char *key, const char *value), void *userdata);
/* A request header, NULL when absent. */
const char *fd_http_header(const struct fd_http_request *req, const char *name);
/* The page keys and resumption tokens routes hand out, as lowercase hex
 * (a new string, NULL: out of memory). */
char *fd_http_hex(const char *s);
/* The text back from such hex of at most max digits (a new string); NULL
 * when s is not lowercase hex of a text without NUL bytes, or out of
 * memory. */
char *fd_http_unhex(const char *s, size_t max);
/* Sets a to status, type and a copy of text; FD_E_NOMEM. */
enum fd_status fd_http_answer_text(struct fd_http_answer *a, unsigned status, const char *type, const char *text);
void fd_http_answer_free(struct fd_http_answer *a);

/* http/oai.c: the OAI-PMH 2.0 data provider at /oai. */
enum fd_status fd_http_oai(const struct fd_http_request *req, struct fd_http_answer *a);

/* http/dcat.c: the catalogue as DCAT-AP 3 at /dcat. */
enum fd_status fd_http_dcat(const struct fd_http_request *req, struct fd_http_answer *a);

/* http/dump.c: the AI-ready export (/dump) and its Croissant descriptor
 * (/croissant.json). */
enum fd_status fd_http_dump(const struct fd_http_request *req, struct fd_http_answer *a);
enum fd_status fd_http_croissant(const struct fd_http_request *req, struct fd_http_answer *a);

#endif
