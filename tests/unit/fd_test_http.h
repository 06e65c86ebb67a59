/* fd_test_http.h: the one HTTP server of the C tests.
 *
 * One thread on 127.0.0.1 at an ephemeral port answers one request per
 * connection (Connection: close): from the route whose target (path and
 * query, exactly as received) matches, else from fallback, else from a
 * file under dir, else 404.  A route can fail its first fail_times hits
 * with fail_status (to exercise retries) and serve a fixture file or a
 * body.  The server logs what it was asked, so that a test can check the
 * requests a harvest made, in order and when.  Tests that read the log or
 * change a route while the server runs hold lock.
 */
#ifndef FD_TEST_HTTP_H
#define FD_TEST_HTTP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FD_TEST_HTTP_LOG 64

struct fd_test_route {
        const char *target;        /* path and query, exactly as received */
        int status;                /* 0: 200 */
        const char *content_type;  /* NULL: the server's */
        const char *headers;       /* extra header lines ("Name: v\r\n"), or NULL */
        const char *fixture;       /* a file under the server's fixtures served as body, or NULL */
        const char *body;          /* else this body */
        size_t body_len;           /* 0: strlen(body) */
        int fail_times;            /* the first hits answer fail_status instead */
        int fail_status;
        const char *fail_headers;
        int hits;
};

struct fd_test_http {
        /* set by the test before fd_test_http_start (the rest zero) */
        struct fd_test_route *routes;
        size_t n_routes;
        const char *fixtures;      /* directory of the routes' fixture files */
        const char *dir;           /* files served by path when no route matches, or NULL */
        const char *(*fallback)(const char *target);  /* a 200 body for targets without a route */
        const char *content_type;  /* NULL: "text/xml; charset=utf-8" */

        int fd;
        int port;
        pthread_t thread;
        atomic_bool stop;
        pthread_mutex_t lock;
        /* the log: the first FD_TEST_HTTP_LOG requests */
        char targets[FD_TEST_HTTP_LOG][2048];
        size_t n_targets;
        char accept_encoding[FD_TEST_HTTP_LOG][64];  /* "" when none */
        int64_t at_ms[FD_TEST_HTTP_LOG];             /* when each came (monotonic) */
        char user_agent[256];                        /* of the last request */
        char accept[512];                            /* of the last request */
};

/* Starts s (its settings filled, the rest zero); fails the check when it
 * cannot listen. */
void fd_test_http_start(struct fd_test_http *s);
void fd_test_http_stop(struct fd_test_http *s);
/* Whether target was asked. */
bool fd_test_http_got(struct fd_test_http *s, const char *target);
/* "http://127.0.0.1:<port><path>" (malloc'ed). */
char *fd_test_http_url(const struct fd_test_http *s, const char *path);
/* The whole file at path (malloc'ed, NUL-terminated), or NULL. */
char *fd_test_slurp(const char *path, size_t *ret_len);
/* A bare metadata document (no OAI-PMH around it) wrapped into one
 * harvested <record> (identifier "bare") after its byte-order mark and XML
 * declaration (malloc'ed); fails the check on a declaration left open. */
char *fd_test_wrap_bare(const char *data, size_t len, size_t *ret_len);

#endif
