/* fd_test_http.c: the one HTTP server of the C tests (fd_test_http.h).
 *
 * Deliberately small: one request per connection read up to the end of
 * its headers, answered whole with a Content-Length, then closed; a
 * mutex around the routes and the log, since the test thread reads them
 * while the server thread writes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>

#include "fd_test_http.h"
#include "fd_util.h"

char *fd_test_slurp(const char *path, size_t *ret_len) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        size_t cap = 4096, len = 0;
        char *buf = malloc(cap + 1);
        size_t n;
        while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
                len += n;
                if (len == cap) {
                        cap *= 2;
                        char *b = realloc(buf, cap + 1);
                        if (!b)
                                free(buf);
                        buf = b;
                }
        }
        fclose(f);
        if (!buf)
                return NULL;
        buf[len] = '\0';
        *ret_len = len;
        return buf;
}

char *fd_test_wrap_bare(const char *data, size_t len, size_t *ret_len) {
        const char *s = data, *end = data + len;
        if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
                s += 3;
        while (s < end && strchr(" \t\r\n", *s))
                s++;
        if (end - s > 5 && memcmp(s, "<?xml", 5) == 0) {
                const char *q = memmem(s, (size_t)(end - s), "?>", 2);
                ck_assert_ptr_nonnull(q);
                s = q + 2;
        }
        char *out = NULL;
        int n = asprintf(&out, "<record xmlns='http://www.openarchives.org/OAI/2.0/'><header><identifier>bare"
                               "</identifier></header><metadata>%.*s</metadata></record>",
                         (int)(end - s), s);
        ck_assert_int_gt(n, 0);
        *ret_len = (size_t)n;
        return out;
}

static void write_all(int fd, const char *p, size_t n) {
        while (n > 0) {
                ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
                if (k <= 0)
                        return;
                p += k;
                n -= (size_t)k;
        }
}

/* The value of header name ("\r\nName: ") in req into out, "" when absent. */
static void header(const char *req, const char *name, char *out, size_t outsz) {
        const char *h = strcasestr(req, name);

        out[0] = '\0';
        if (!h)
                return;
        h += strlen(name);
        h += strspn(h, " ");
        snprintf(out, outsz, "%.*s", (int)strcspn(h, "\r\n"), h);
}

static const char *type_of(const char *path) {
        if (strstr(path, ".ttl"))
                return "text/turtle; charset=utf-8";
        if (strstr(path, ".jsonld"))
                return "application/ld+json";
        if (strstr(path, ".json"))
                return "application/json";
        return "application/rdf+xml";
}

static void serve_one(struct fd_test_http *s, int c) {
        char req[16384], target[2048] = "";
        size_t n = 0;

        while (n < sizeof req - 1) {
                ssize_t k = recv(c, req + n, sizeof req - 1 - n, 0);
                if (k <= 0)
                        break;
                n += (size_t)k;
                req[n] = '\0';
                if (strstr(req, "\r\n\r\n"))
                        break;
        }
        req[n] = '\0';
        sscanf(req, "GET %2047s", target);

        pthread_mutex_lock(&s->lock);
        if (s->n_targets < FD_TEST_HTTP_LOG) {
                size_t k = s->n_targets++;
                snprintf(s->targets[k], sizeof s->targets[0], "%s", target);
                header(req, "\r\nAccept-Encoding:", s->accept_encoding[k], sizeof s->accept_encoding[0]);
                s->at_ms[k] = fd_time_mono_ms();
        }
        if (strcasestr(req, "\r\nUser-Agent:"))
                header(req, "\r\nUser-Agent:", s->user_agent, sizeof s->user_agent);
        header(req, "\r\nAccept:", s->accept, sizeof s->accept);
        struct fd_test_route *r = NULL;
        for (size_t i = 0; i < s->n_routes; i++)
                if (strcmp(s->routes[i].target, target) == 0) {
                        r = &s->routes[i];
                        break;
                }
        int status = 404;
        const char *headers = "", *body = "not found", *ctype = s->content_type;
        size_t body_len = 9;
        char *file = NULL;
        if (r) {
                bool failing = r->hits < r->fail_times;
                r->hits++;
                if (failing) {
                        status = r->fail_status;
                        headers = r->fail_headers ? r->fail_headers : "";
                        body = "<html><body>busy</body></html>";
                        body_len = strlen(body);
                } else {
                        status = r->status ? r->status : 200;
                        headers = r->headers ? r->headers : "";
                        ctype = r->content_type ? r->content_type : ctype;
                        if (r->fixture) {
                                char path[4096];
                                snprintf(path, sizeof path, "%s/%s", s->fixtures ? s->fixtures : ".", r->fixture);
                                file = fd_test_slurp(path, &body_len);
                                body = file ? file : "";
                        } else {
                                body = r->body;
                                body_len = r->body_len ? r->body_len : strlen(r->body);
                        }
                }
        } else if (s->fallback && s->fallback(target)) {
                status = 200;
                body = s->fallback(target);
                body_len = strlen(body);
        } else if (s->dir && !strstr(target, "..")) {
                char path[4096];
                snprintf(path, sizeof path, "%s%s", s->dir, target);
                if ((file = fd_test_slurp(path, &body_len))) {
                        status = 200;
                        body = file;
                        ctype = type_of(target);
                }
        }
        pthread_mutex_unlock(&s->lock);

        char head[1024];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 %d Status\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
                          status, ctype ? ctype : "text/xml; charset=utf-8", body_len, headers);
        write_all(c, head, (size_t)hl);
        write_all(c, body, body_len);
        free(file);
}

static void *server_main(void *arg) {
        struct fd_test_http *s = arg;

        while (!atomic_load(&s->stop)) {
                struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
                if (poll(&pfd, 1, 50) <= 0)
                        continue;
                int c = accept(s->fd, NULL, NULL);
                if (c < 0)
                        continue;
                serve_one(s, c);
                shutdown(c, SHUT_WR);
                close(c);
        }
        return NULL;
}

void fd_test_http_start(struct fd_test_http *s) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
        socklen_t al = sizeof a;

        pthread_mutex_init(&s->lock, NULL);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        s->fd = socket(AF_INET, SOCK_STREAM, 0);
        ck_assert_int_ge(s->fd, 0);
        ck_assert_int_eq(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
        ck_assert_int_eq(listen(s->fd, 16), 0);
        ck_assert_int_eq(getsockname(s->fd, (struct sockaddr *)&a, &al), 0);
        s->port = ntohs(a.sin_port);
        ck_assert_int_eq(pthread_create(&s->thread, NULL, server_main, s), 0);
}

void fd_test_http_stop(struct fd_test_http *s) {
        atomic_store(&s->stop, true);
        pthread_join(s->thread, NULL);
        close(s->fd);
        pthread_mutex_destroy(&s->lock);
}

bool fd_test_http_got(struct fd_test_http *s, const char *target) {
        bool found = false;

        pthread_mutex_lock(&s->lock);
        for (size_t i = 0; i < s->n_targets && !found; i++)
                found = strcmp(s->targets[i], target) == 0;
        pthread_mutex_unlock(&s->lock);
        return found;
}

char *fd_test_http_url(const struct fd_test_http *s, const char *path) {
        char *u = NULL;
        ck_assert_int_ge(asprintf(&u, "http://127.0.0.1:%d%s", s->port, path), 0);
        return u;
}
