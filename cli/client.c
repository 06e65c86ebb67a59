/* client.c: one blocking connection to fairdexd's socket.  Responses are
 * read up to their newline into a bounded buffer; bytes after it stay
 * buffered for the next call, as the protocol allows pipelining. */
#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cli-private.h"

struct fd_client {
        int fd;
        char *pending;        /* bytes received after the last response's newline */
        size_t n_pending;
};

enum fd_status fd_client_connect(const char *path, struct fd_client **ret_client, struct fd_error *err) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _fd_close_ int fd = -1;

        if (strlen(path) >= sizeof sa.sun_path)
                return fd_error_set(err, FD_E_INVALID, "socket path '%s' is too long", path);
        memcpy(sa.sun_path, path, strlen(path) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return fd_error_set(err, FD_E_IO, "cannot create socket: %s", strerror(errno));
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
                return fd_error_set(err, FD_E_IO, "cannot connect to '%s': %s (is fairdexd running?)", path,
                                    strerror(errno));
        struct fd_client *c = calloc(1, sizeof *c);
        if (!c)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        c->fd = FD_TAKE_FD(fd);
        *ret_client = c;
        return FD_OK;
}

void fd_client_free(struct fd_client *c) {
        if (!c)
                return;
        close(c->fd);
        free(c->pending);
        free(c);
}

static enum fd_status send_all(int fd, const char *p, size_t n, struct fd_error *err) {
        while (n > 0) {
                ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return fd_error_set(err, FD_E_IO, "cannot send request: %s", strerror(errno));
                p += w;
                n -= (size_t)w;
        }
        return FD_OK;
}

enum fd_status fd_client_call(struct fd_client *c, json_t *req, size_t max, json_t **ret_resp,
                              struct fd_error *err) {
        _fd_free_ char *text = json_dumps(req, JSON_COMPACT);
        struct fd_buf b;
        enum fd_status st;
        char chunk[65536];

        if (!text)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        st = send_all(c->fd, text, strlen(text), err);
        if (st == FD_OK)
                st = send_all(c->fd, "\n", 1, err);
        if (st)
                return st;

        fd_buf_init(&b, max);
        st = fd_buf_append(&b, c->pending ? c->pending : "", c->n_pending);
        free(c->pending);
        c->pending = NULL;
        c->n_pending = 0;
        char *nl = b.data ? memchr(b.data, '\n', b.len) : NULL;
        while (st == FD_OK && !nl) {
                ssize_t r = recv(c->fd, chunk, sizeof chunk, 0);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0) {
                        st = fd_error_set(err, FD_E_IO, "fairdexd closed the connection%s%s", r < 0 ? ": " : "",
                                          r < 0 ? strerror(errno) : "");
                        break;
                }
                size_t old = b.len;
                st = fd_buf_append(&b, chunk, (size_t)r);
                if (st)
                        st = fd_error_set(err, st, "response longer than %zu bytes", max);
                else
                        nl = memchr(b.data + old, '\n', b.len - old);
        }
        if (st == FD_OK) {
                size_t line = (size_t)(nl - b.data), rest = b.len - line - 1;
                if (rest) {
                        c->pending = malloc(rest);
                        if (c->pending) {
                                memcpy(c->pending, nl + 1, rest);
                                c->n_pending = rest;
                        }
                }
                json_error_t jerr;
                json_t *resp = json_loadb(b.data, line, 0, &jerr);
                if (!json_is_object(resp)) {
                        json_decref(resp);
                        st = fd_error_set(err, FD_E_PARSE, "response is not a JSON object: %s", jerr.text);
                } else
                        *ret_resp = resp;
        }
        fd_buf_release(&b);
        return st;
}
