/* server.c: the accept thread — the query socket and its connections.
 *
 * One poll loop over the listening socket, a wake pipe and every
 * connection.  Requests are newline-delimited JSON; each complete line is
 * answered in order on the same connection by fd_protocol_handle, using this
 * thread's own read-only index handle (reopened when the indexer's commit
 * generation moves, so a search never sees half a page).  Everything a
 * client can grow is bounded: connections (FD_SERVER_MAX_CONNS), a request
 * line (FD_PROTOCOL_MAX_REQUEST: a longer one is discarded up to its newline
 * and answered with a "limit" error, the connection stays usable), unsent
 * output (a client that does not read is dropped) and idle time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>

#include "fd_daemon.h"

#define FD_SERVER_MAX_CONNS 64
#define FD_SERVER_MAX_OUTPUT (16 * 1024 * 1024)
#define FD_SERVER_IDLE_MS (300 * 1000)

struct conn {
        int fd;
        struct fd_buf in, out;
        size_t out_sent;
        bool discarding;     /* inside an over-long line: drop bytes up to its newline */
        bool broken;         /* output over its bound: the client does not read, drop it */
        int64_t last_active;
};

struct fd_server {
        struct fd_daemon *d;
        int listen_fd;
        bool own_path;       /* we bound the path (not socket activation): unlink on stop */
        int wake[2];
        pthread_t thread;
        struct fd_query_ctx ctx;
        struct conn conns[FD_SERVER_MAX_CONNS];
        size_t n_conns;
};

static enum fd_status listen_on(const char *path, int *ret_fd, struct fd_error *err) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        _fd_close_ int fd = -1;

        if (strlen(path) >= sizeof sa.sun_path)
                return fd_error_set(err, FD_E_INVALID, "socket path '%s' is longer than %zu bytes", path,
                                    sizeof sa.sun_path - 1);
        memcpy(sa.sun_path, path, strlen(path) + 1);

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return fd_error_set(err, FD_E_IO, "cannot create socket: %s", strerror(errno));

        /* A socket file left by a crash is stale only if nobody answers on it. */
        struct stat stt;
        if (lstat(path, &stt) == 0) {
                if (!S_ISSOCK(stt.st_mode))
                        return fd_error_set(err, FD_E_IO, "socket path '%s' exists and is not a socket", path);
                _fd_close_ int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0)
                        return fd_error_set(err, FD_E_IO, "socket '%s' is in use by another process", path);
                unlink(path);
        }
        if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
                return fd_error_set(err, FD_E_IO, "cannot bind socket '%s': %s", path, strerror(errno));
        if (chmod(path, 0660) < 0 || listen(fd, 64) < 0)
                return fd_error_set(err, FD_E_IO, "cannot listen on socket '%s': %s", path, strerror(errno));
        *ret_fd = FD_TAKE_FD(fd);
        return FD_OK;
}

static void conn_close(struct fd_server *srv, size_t i) {
        struct conn *c = &srv->conns[i];
        close(c->fd);
        fd_buf_release(&c->in);
        fd_buf_release(&c->out);
        srv->conns[i] = srv->conns[--srv->n_conns];
}

static void reply(struct conn *c, char *text) {
        if (!text)
                text = strdup("{\"ok\":false,\"error\":{\"code\":\"nomem\",\"message\":\"out of memory\"}}");
        if (!text || fd_buf_append(&c->out, text, strlen(text)) != FD_OK || fd_buf_append(&c->out, "\n", 1) != FD_OK)
                c->broken = true;
        free(text);
}

/* Splits what arrived into lines and answers each. */
static void conn_input(struct fd_server *srv, struct conn *c, const char *data, size_t n) {
        while (n > 0) {
                const char *nl = memchr(data, '\n', n);
                size_t chunk = nl ? (size_t)(nl - data) : n;

                if (c->discarding) {
                        if (nl)
                                reply(c, fd_protocol_error(FD_E_LIMIT, "request longer than %d bytes",
                                                           FD_PROTOCOL_MAX_REQUEST));
                } else if (fd_buf_append(&c->in, data, chunk) != FD_OK) {
                        fd_buf_reset(&c->in);
                        if (nl)
                                reply(c, fd_protocol_error(FD_E_LIMIT, "request longer than %d bytes",
                                                           FD_PROTOCOL_MAX_REQUEST));
                        else
                                c->discarding = true;
                } else if (nl) {
                        size_t len = c->in.len;
                        if (len && c->in.data[len - 1] == '\r')
                                len--;
                        if (len > 0)
                                reply(c, fd_protocol_handle(&srv->ctx, c->in.data, len));
                        fd_buf_reset(&c->in);
                }
                if (!nl)
                        break;
                c->discarding = false;
                n -= chunk + 1;
                data = nl + 1;
        }
}

/* Writes what it can; false when the connection must go. */
static bool conn_flush(struct conn *c) {
        if (c->broken)
                return false;
        while (c->out_sent < c->out.len) {
                ssize_t w = send(c->fd, c->out.data + c->out_sent, c->out.len - c->out_sent, MSG_NOSIGNAL);
                if (w < 0)
                        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
                c->out_sent += (size_t)w;
        }
        fd_buf_reset(&c->out);
        c->out_sent = 0;
        return true;
}

static void accept_all(struct fd_server *srv) {
        for (;;) {
                int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (fd < 0) {
                        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                                fd_log(FD_LOG_WARNING, "accept on '%s' failed: %s", srv->d->config->socket,
                                       strerror(errno));
                        return;
                }
                if (srv->n_conns == FD_SERVER_MAX_CONNS) {
                        static const char busy[] = "{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":"
                                                   "\"too many connections\"}}\n";
                        if (send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL) < 0) {
                                /* the client is gone already */
                        }
                        close(fd);
                        continue;
                }
                struct conn *c = &srv->conns[srv->n_conns++];
                memset(c, 0, sizeof *c);
                c->fd = fd;
                fd_buf_init(&c->in, FD_PROTOCOL_MAX_REQUEST);
                fd_buf_init(&c->out, FD_SERVER_MAX_OUTPUT);
                c->last_active = fd_time_mono_ms();
        }
}

static void *server_main(void *arg) {
        struct fd_server *srv = arg;
        struct pollfd pfd[FD_SERVER_MAX_CONNS + 2];
        char buf[65536];

        pthread_setname_np(pthread_self(), "accept");
        for (;;) {
                pfd[0] = (struct pollfd){.fd = srv->wake[0], .events = POLLIN};
                pfd[1] = (struct pollfd){.fd = srv->listen_fd, .events = POLLIN};
                for (size_t i = 0; i < srv->n_conns; i++)
                        pfd[i + 2] = (struct pollfd){
                                .fd = srv->conns[i].fd,
                                .events = POLLIN | (srv->conns[i].out.len ? POLLOUT : 0),
                        };
                size_t n = srv->n_conns;
                if (poll(pfd, n + 2, 1000) < 0 && errno != EINTR) {
                        fd_log(FD_LOG_ERR, "poll failed: %s", strerror(errno));
                        break;
                }
                if (pfd[0].revents)
                        break;
                int64_t now = fd_time_mono_ms();
                /* From the last, so that conn_close's swap does not skip one. */
                for (size_t i = n; i-- > 0;) {
                        struct conn *c = &srv->conns[i];
                        bool keep = true;
                        if (pfd[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) {
                                ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                                if (r > 0) {
                                        c->last_active = now;
                                        conn_input(srv, c, buf, (size_t)r);
                                } else if (r == 0 || (errno != EAGAIN && errno != EINTR))
                                        keep = false;
                        }
                        if (keep)
                                keep = conn_flush(c);
                        if (keep && now - c->last_active > FD_SERVER_IDLE_MS)
                                keep = false;
                        if (!keep)
                                conn_close(srv, i);
                }
                if (pfd[1].revents & POLLIN)
                        accept_all(srv);
        }
        while (srv->n_conns)
                conn_close(srv, srv->n_conns - 1);
        return NULL;
}

enum fd_status fd_server_start(struct fd_daemon *d, struct fd_server **ret, struct fd_error *err) {
        struct fd_server *srv = calloc(1, sizeof *srv);
        enum fd_status st;

        if (!srv)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        srv->d = d;
        srv->ctx.daemon = d;
        srv->listen_fd = -1;
        srv->wake[0] = srv->wake[1] = -1;

        /* systemd socket activation hands us the listening socket. */
        int n = sd_listen_fds(1);
        if (n == 1 && sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_STREAM, 1, NULL, 0) > 0) {
                srv->listen_fd = SD_LISTEN_FDS_START;
                fcntl(srv->listen_fd, F_SETFL, fcntl(srv->listen_fd, F_GETFL) | O_NONBLOCK);
        } else {
                char dir[4096];
                snprintf(dir, sizeof dir, "%s", d->config->socket);
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir) {
                        *slash = '\0';
                        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                                st = fd_error_set(err, FD_E_IO, "cannot create directory '%s': %s", dir,
                                                  strerror(errno));
                                free(srv);
                                return st;
                        }
                }
                st = listen_on(d->config->socket, &srv->listen_fd, err);
                if (st) {
                        free(srv);
                        return st;
                }
                srv->own_path = true;
        }
        if (pipe2(srv->wake, O_CLOEXEC) < 0) {
                st = fd_error_set(err, FD_E_IO, "cannot create pipe: %s", strerror(errno));
                goto fail;
        }
        int r = pthread_create(&srv->thread, NULL, server_main, srv);
        if (r != 0) {
                st = fd_error_set(err, FD_E_NOMEM, "cannot create the accept thread: %s", strerror(r));
                goto fail;
        }
        *ret = srv;
        return FD_OK;
fail:
        if (srv->wake[0] >= 0) {
                close(srv->wake[0]);
                close(srv->wake[1]);
        }
        close(srv->listen_fd);
        if (srv->own_path)
                unlink(d->config->socket);
        free(srv);
        return st;
}

void fd_server_stop(struct fd_server *srv) {
        if (!srv)
                return;
        if (write(srv->wake[1], "x", 1) < 0) {
                /* the pipe cannot be full: one byte, written once */
        }
        pthread_join(srv->thread, NULL);
        close(srv->wake[0]);
        close(srv->wake[1]);
        close(srv->listen_fd);
        if (srv->own_path)
                unlink(srv->d->config->socket);
        fd_index_free(srv->ctx.reader);
        free(srv);
}
