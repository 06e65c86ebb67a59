/* server.c: the accept thread and the query workers.
 *
 * The accept thread owns the socket and every connection: one poll loop
 * over the listening socket, a stop pipe, a "done" pipe the workers write
 * to, and the connections.  It splits input into request lines and hands
 * each complete line to a pool of query workers (2 to 4, one per core)
 * through a bounded queue; when the queue is full the line is answered
 * `busy` at once instead of queueing without limit.  Each worker owns a
 * read-only index handle (fd_query_ctx, reopened when the indexer's commit
 * generation moves, so a search never sees half a page) and answers with
 * fd_protocol_handle (ops/table.c), timing each answer for the metrics.
 *
 * Order: a connection has at most one request in a worker at a time; the
 * lines behind it wait in the connection's input buffer and the thread
 * stops reading from that client until the answer is back.  So answers go
 * out in request order even when a client pipelines, and a slow query
 * holds back only its own connection.  A connection slot carries a serial
 * number: an answer for a connection that closed meanwhile is dropped.
 *
 * Everything a client can grow is bounded: connections
 * (FD_SERVER_MAX_CONNS), a request line (FD_PROTOCOL_MAX_REQUEST: a longer
 * one is discarded up to its newline and answered with a "limit" error, the
 * connection stays usable), the queue (FD_SERVER_QUEUE), unsent output (a
 * client that does not read is dropped) and idle time.  The peer's
 * credentials (SO_PEERCRED) are read once at accept: admin operations are
 * for root and the daemon's own uid.
 *
 * Test hook: FAIRDEX_TEST_QUEUE (d->test.queue, 0..FD_SERVER_QUEUE, read
 * at start by testhooks.c) shrinks the queue, so that a test can see
 * `busy` answers without racing the workers (0: every request is answered
 * `busy`).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "daemon-private.h"
#include "metrics.h"

#define FD_SERVER_MAX_CONNS 64
#define FD_SERVER_MAX_OUTPUT (16 * 1024 * 1024)
#define FD_SERVER_IDLE_MS (300 * 1000)
#define FD_SERVER_QUEUE 32
#define FD_SERVER_MIN_WORKERS 2
#define FD_SERVER_MAX_WORKERS 4
_Static_assert(FD_SERVER_QUEUE == FD_TEST_QUEUE_MAX, "the test hook's bound is the queue's");
_Static_assert(FD_SERVER_QUEUE + FD_SERVER_MAX_WORKERS <= FD_SERVER_MAX_CONNS, "done[] must hold every job");
/* Input buffered per connection: one maximal line and some of the next. */
#define RAW_CAP (FD_PROTOCOL_MAX_REQUEST + 4096)

static const char busy_reply[] = "{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":"
                                 "\"the query queue is full, retry later\"}}";

struct conn {
        bool used;
        int fd;
        uint64_t serial;
        char *raw;           /* received bytes not yet taken as lines */
        size_t raw_len;
        bool discarding;     /* inside an over-long line: drop bytes up to its newline */
        bool inflight;       /* a request of this connection is with a worker */
        bool eof;            /* the client will send nothing more */
        bool admin;          /* root or our own uid */
        struct fd_buf out;
        size_t out_sent;
        bool broken;         /* output over its bound: the client does not read, drop it */
        int64_t last_active;
};

struct job {
        size_t slot;
        uint64_t serial;
        bool admin;
        char *line;          /* NULL in a done entry */
        size_t len;
        char *reply;
};

struct fd_server {
        struct fd_daemon *d;
        int listen_fd;
        bool own_path;       /* we bound the path (not socket activation): unlink on stop */
        int stop_pipe[2];
        int done_pipe[2];
        pthread_t thread;
        struct conn conns[FD_SERVER_MAX_CONNS];
        uint64_t next_serial;

        pthread_mutex_t lock;
        pthread_cond_t work;
        bool stopping;                            /* under lock */
        struct job queue[FD_SERVER_QUEUE];        /* ring of pending jobs */
        size_t q_head, q_len;
        size_t q_cap;                             /* FD_SERVER_QUEUE, or the test hook's */
        /* Answered jobs not yet delivered (see worker_main for the bound). */
        struct job done[FD_SERVER_MAX_CONNS];
        size_t n_done;

        struct worker {
                struct fd_server *srv;
                struct fd_query_ctx ctx;     /* its own read-only index handle */
                pthread_t thread;
        } workers[FD_SERVER_MAX_WORKERS];
        size_t n_workers;
};

/* Binds and listens on path with mode (socket_mode; chmod after bind, since
 * bind honours the umask). */
static enum fd_status listen_on(const char *path, unsigned mode, int *ret_fd, struct fd_error *err) {
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
        if (chmod(path, (mode_t)mode) < 0 || listen(fd, 64) < 0)
                return fd_error_set(err, FD_E_IO, "cannot listen on socket '%s': %s", path, strerror(errno));
        *ret_fd = FD_TAKE_FD(fd);
        return FD_OK;
}

/* ---- workers ------------------------------------------------------------ */

static void signal_done(struct fd_server *srv) {
        if (write(srv->done_pipe[1], "x", 1) < 0) {
                /* EAGAIN: the pipe already holds a wake-up, which is enough */
        }
}

static void *worker_main(void *arg) {
        struct worker *w = arg;
        struct fd_server *srv = w->srv;

        pthread_setname_np(pthread_self(), "query");
        pthread_mutex_lock(&srv->lock);
        for (;;) {
                while (!srv->stopping && srv->q_len == 0)
                        pthread_cond_wait(&srv->work, &srv->lock);
                if (srv->stopping)
                        break;
                struct job job = srv->queue[srv->q_head];
                srv->q_head = (srv->q_head + 1) % FD_SERVER_QUEUE;
                srv->q_len--;
                pthread_mutex_unlock(&srv->lock);

                w->ctx.admin = job.admin;
                int64_t t0 = fd_metrics_now_us();
                job.reply = fd_protocol_handle(&w->ctx, job.line, job.len);
                fd_metrics_query(fd_metrics_now_us() - t0);
                free(job.line);
                job.line = NULL;

                pthread_mutex_lock(&srv->lock);
                /* Jobs outstanding are at most FD_SERVER_QUEUE queued plus
                 * one per worker, fewer than done[] holds. */
                srv->done[srv->n_done++] = job;
                signal_done(srv);
        }
        pthread_mutex_unlock(&srv->lock);
        return NULL;
}

/* Queues line for a worker; false when the queue is full. */
static bool submit(struct fd_server *srv, size_t slot, const char *line, size_t len) {
        struct conn *c = &srv->conns[slot];
        char *copy = malloc(len + 1);
        bool ok = false;

        if (!copy)
                return false;
        memcpy(copy, line, len);
        copy[len] = '\0';
        pthread_mutex_lock(&srv->lock);
        if (srv->q_len < srv->q_cap) {
                srv->queue[(srv->q_head + srv->q_len) % FD_SERVER_QUEUE] = (struct job){
                        .slot = slot, .serial = c->serial, .admin = c->admin, .line = copy, .len = len,
                };
                srv->q_len++;
                ok = true;
                pthread_cond_signal(&srv->work);
        }
        pthread_mutex_unlock(&srv->lock);
        if (!ok)
                free(copy);
        return ok;
}

/* ---- connections -------------------------------------------------------- */

static void conn_close(struct conn *c) {
        close(c->fd);
        free(c->raw);
        fd_buf_release(&c->out);
        memset(c, 0, sizeof *c);
}

static void reply(struct conn *c, char *text) {
        static const char nomem[] = "{\"ok\":false,\"error\":{\"code\":\"nomem\",\"message\":\"out of memory\"}}";
        const char *t = text ? text : nomem;

        if (fd_buf_append(&c->out, t, strlen(t)) != FD_OK || fd_buf_append(&c->out, "\n", 1) != FD_OK)
                c->broken = true;
        free(text);
}

static void reply_const(struct conn *c, const char *text) {
        if (fd_buf_append(&c->out, text, strlen(text)) != FD_OK || fd_buf_append(&c->out, "\n", 1) != FD_OK)
                c->broken = true;
}

static void consume(struct conn *c, size_t n) {
        memmove(c->raw, c->raw + n, c->raw_len - n);
        c->raw_len -= n;
}

/* Takes complete lines from the input while no request is in flight:
 * hands the next one to a worker, answers over-long ones, skips empty
 * ones. */
static void conn_process(struct fd_server *srv, size_t slot) {
        struct conn *c = &srv->conns[slot];

        while (!c->inflight && !c->broken) {
                char *nl = c->raw_len ? memchr(c->raw, '\n', c->raw_len) : NULL;
                if (!nl) {
                        if (c->discarding || c->raw_len > FD_PROTOCOL_MAX_REQUEST) {
                                c->discarding = true;
                                c->raw_len = 0;
                        }
                        return;
                }
                size_t chunk = (size_t)(nl - c->raw), len = chunk;
                if (len && c->raw[len - 1] == '\r')
                        len--;
                if (c->discarding || len > FD_PROTOCOL_MAX_REQUEST) {
                        c->discarding = false;
                        reply(c, fd_protocol_error(FD_E_LIMIT, "request longer than %d bytes",
                                                   FD_PROTOCOL_MAX_REQUEST));
                } else if (len > 0) {
                        if (submit(srv, slot, c->raw, len))
                                c->inflight = true;
                        else
                                reply_const(c, busy_reply);
                }
                consume(c, chunk + 1);
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

static bool peer_is_admin(int fd) {
        struct ucred cred;
        socklen_t len = sizeof cred;

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return false;
        return cred.uid == 0 || cred.uid == geteuid();
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
                struct conn *c = NULL;
                for (size_t i = 0; i < FD_SERVER_MAX_CONNS && !c; i++)
                        if (!srv->conns[i].used)
                                c = &srv->conns[i];
                char *raw = c ? malloc(RAW_CAP) : NULL;
                if (!raw) {
                        static const char busy[] = "{\"ok\":false,\"error\":{\"code\":\"busy\",\"message\":"
                                                   "\"too many connections\"}}\n";
                        if (send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL) < 0) {
                                /* the client is gone already */
                        }
                        close(fd);
                        continue;
                }
                memset(c, 0, sizeof *c);
                c->used = true;
                c->fd = fd;
                c->raw = raw;
                c->serial = ++srv->next_serial;
                c->admin = peer_is_admin(fd);
                fd_buf_init(&c->out, FD_SERVER_MAX_OUTPUT);
                c->last_active = fd_time_mono_ms();
        }
}

/* Delivers the workers' answers to their connections. */
static void collect_done(struct fd_server *srv) {
        struct job done[FD_SERVER_MAX_CONNS];
        size_t n;
        char drain[64];

        while (read(srv->done_pipe[0], drain, sizeof drain) > 0) {
        }
        pthread_mutex_lock(&srv->lock);
        n = srv->n_done;
        memcpy(done, srv->done, n * sizeof *done);
        srv->n_done = 0;
        pthread_mutex_unlock(&srv->lock);
        for (size_t i = 0; i < n; i++) {
                struct conn *c = &srv->conns[done[i].slot];
                if (!c->used || c->serial != done[i].serial) {
                        free(done[i].reply);
                        continue;
                }
                c->inflight = false;
                c->last_active = fd_time_mono_ms();
                reply(c, done[i].reply);
                conn_process(srv, done[i].slot);
        }
}

static void *server_main(void *arg) {
        struct fd_server *srv = arg;
        struct pollfd pfd[FD_SERVER_MAX_CONNS + 3];
        size_t slot_of[FD_SERVER_MAX_CONNS + 3];

        pthread_setname_np(pthread_self(), "accept");
        for (;;) {
                size_t n = 3;
                pfd[0] = (struct pollfd){.fd = srv->stop_pipe[0], .events = POLLIN};
                pfd[1] = (struct pollfd){.fd = srv->done_pipe[0], .events = POLLIN};
                pfd[2] = (struct pollfd){.fd = srv->listen_fd, .events = POLLIN};
                for (size_t i = 0; i < FD_SERVER_MAX_CONNS; i++) {
                        struct conn *c = &srv->conns[i];
                        if (!c->used)
                                continue;
                        short ev = 0;
                        if (!c->inflight && !c->eof && c->raw_len < RAW_CAP)
                                ev |= POLLIN;
                        if (c->out.len)
                                ev |= POLLOUT;
                        slot_of[n] = i;
                        pfd[n++] = (struct pollfd){.fd = c->fd, .events = ev};
                }
                if (poll(pfd, n, 1000) < 0 && errno != EINTR) {
                        fd_log(FD_LOG_ERR, "poll failed: %s", strerror(errno));
                        break;
                }
                if (pfd[0].revents)
                        break;
                if (pfd[1].revents & POLLIN)
                        collect_done(srv);
                int64_t now = fd_time_mono_ms();
                for (size_t k = 3; k < n; k++) {
                        size_t i = slot_of[k];
                        struct conn *c = &srv->conns[i];
                        bool keep = c->used;
                        if (!keep)
                                continue;
                        if (pfd[k].revents & (POLLHUP | POLLERR)) {
                                keep = false;
                        } else if (pfd[k].revents & POLLIN) {
                                ssize_t r = recv(c->fd, c->raw + c->raw_len, RAW_CAP - c->raw_len, 0);
                                if (r > 0) {
                                        c->last_active = now;
                                        c->raw_len += (size_t)r;
                                        conn_process(srv, i);
                                } else if (r == 0)
                                        c->eof = true;
                                else if (errno != EAGAIN && errno != EINTR)
                                        keep = false;
                        }
                        if (keep)
                                keep = conn_flush(c);
                        /* A client that closed its side is answered, then closed. */
                        if (keep && c->eof && !c->inflight && c->out.len == 0)
                                keep = false;
                        if (keep && !c->inflight && now - c->last_active > FD_SERVER_IDLE_MS)
                                keep = false;
                        if (!keep)
                                conn_close(c);
                }
                if (pfd[2].revents & POLLIN)
                        accept_all(srv);
        }
        for (size_t i = 0; i < FD_SERVER_MAX_CONNS; i++)
                if (srv->conns[i].used)
                        conn_close(&srv->conns[i]);
        return NULL;
}

static size_t worker_count(void) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        if (n < FD_SERVER_MIN_WORKERS)
                return FD_SERVER_MIN_WORKERS;
        if (n > FD_SERVER_MAX_WORKERS)
                return FD_SERVER_MAX_WORKERS;
        return (size_t)n;
}

/* Stops and joins the workers, frees what is left in the queues. */
static void stop_workers(struct fd_server *srv) {
        pthread_mutex_lock(&srv->lock);
        srv->stopping = true;
        pthread_cond_broadcast(&srv->work);
        pthread_mutex_unlock(&srv->lock);
        for (size_t i = 0; i < srv->n_workers; i++) {
                pthread_join(srv->workers[i].thread, NULL);
                fd_index_free(srv->workers[i].ctx.reader);
        }
        srv->n_workers = 0;
        for (; srv->q_len; srv->q_len--, srv->q_head = (srv->q_head + 1) % FD_SERVER_QUEUE)
                free(srv->queue[srv->q_head].line);
        for (size_t i = 0; i < srv->n_done; i++)
                free(srv->done[i].reply);
        srv->n_done = 0;
}

static void close_pipe(int p[2]) {
        if (p[0] >= 0)
                close(p[0]);
        if (p[1] >= 0)
                close(p[1]);
}

static void server_free(struct fd_server *srv) {
        stop_workers(srv);
        close_pipe(srv->stop_pipe);
        close_pipe(srv->done_pipe);
        if (srv->listen_fd >= 0)
                close(srv->listen_fd);
        if (srv->own_path)
                unlink(srv->d->config->socket);
        pthread_cond_destroy(&srv->work);
        pthread_mutex_destroy(&srv->lock);
        free(srv);
}

enum fd_status fd_server_start(struct fd_daemon *d, struct fd_server **ret, struct fd_error *err) {
        struct fd_server *srv = calloc(1, sizeof *srv);
        enum fd_status st;
        int r;

        if (!srv)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        srv->d = d;
        srv->listen_fd = -1;
        srv->stop_pipe[0] = srv->stop_pipe[1] = srv->done_pipe[0] = srv->done_pipe[1] = -1;
        pthread_mutex_init(&srv->lock, NULL);
        pthread_cond_init(&srv->work, NULL);
        srv->q_cap = d->test.queue >= 0 ? (size_t)d->test.queue : FD_SERVER_QUEUE;

        /* systemd socket activation hands us the listening socket. */
        /* With fairdex-http.socket there are two: ours is the Unix one. */
        int n = sd_listen_fds(1);
        for (int i = 0; i < n && srv->listen_fd < 0; i++)
                if (sd_is_socket_unix(SD_LISTEN_FDS_START + i, SOCK_STREAM, 1, NULL, 0) > 0)
                        srv->listen_fd = SD_LISTEN_FDS_START + i;
        if (srv->listen_fd >= 0) {
                fcntl(srv->listen_fd, F_SETFL, fcntl(srv->listen_fd, F_GETFL) | O_NONBLOCK);
        } else {
                char dir[4096];
                snprintf(dir, sizeof dir, "%s", d->config->socket);
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir) {
                        *slash = '\0';
                        st = fd_mkdir_p(dir, err);
                        if (st)
                                goto fail;
                }
                st = listen_on(d->config->socket, d->config->socket_mode, &srv->listen_fd, err);
                if (st)
                        goto fail;
                srv->own_path = true;
        }
        if (pipe2(srv->stop_pipe, O_CLOEXEC) < 0 || pipe2(srv->done_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
                st = fd_error_set(err, FD_E_IO, "cannot create pipe: %s", strerror(errno));
                goto fail;
        }
        for (size_t i = 0, want = worker_count(); i < want; i++) {
                struct worker *w = &srv->workers[i];
                w->srv = srv;
                w->ctx.engine = &d->engine;
                r = pthread_create(&w->thread, NULL, worker_main, w);
                if (r != 0) {
                        st = fd_error_set(err, FD_E_NOMEM, "cannot create a query thread: %s", strerror(r));
                        goto fail;
                }
                srv->n_workers++;
        }
        r = pthread_create(&srv->thread, NULL, server_main, srv);
        if (r != 0) {
                st = fd_error_set(err, FD_E_NOMEM, "cannot create the accept thread: %s", strerror(r));
                goto fail;
        }
        *ret = srv;
        return FD_OK;
fail:
        server_free(srv);
        return st;
}

void fd_server_stop(struct fd_server *srv) {
        if (!srv)
                return;
        if (write(srv->stop_pipe[1], "x", 1) < 0) {
                /* the pipe cannot be full: one byte, written once */
        }
        pthread_join(srv->thread, NULL);
        server_free(srv);
}
