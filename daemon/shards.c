/* shards.c: the shard threads, one per shard of the index, each the sole
 * owner of its shard's writable handle (docs/configuration.md, index:).
 *
 * The index thread (indexer.c) splits each page by route and hands every
 * shard its part through fd_shards_run, which waits until each part is
 * done: the shards write and commit in parallel, so local shards use
 * every core.  A shard runs one piece of work at a time (a struct
 * fd_shard_work: a function called with the shard), posted under the
 * shard's lock and signalled back when done; nothing else touches its
 * handle.  fd_shards_post and fd_shards_wait let the index thread leave a
 * piece running (the home shard's commit) while it posts to the others.
 *
 * A shard that does not answer (a remote xapian-tcpsrv stopped or out of
 * reach: index/ says FD_E_IO) is waited for: the work is tried again, on
 * a handle opened anew since the old connection is gone, after 0.5 s, then
 * doubling up to SHARD_RETRY_MAX_MS between tries, until it answers or the
 * daemon stops (a wait on the shard's condition, on CLOCK_MONOTONIC, which
 * fd_shards_wake ends at once).  The index thread waits meanwhile, so the page queue fills
 * and the harvests wait on it: memory stays bounded, and no page, record
 * or checkpoint is dropped.  Every try moves the ticks of the page's
 * source, so the stuck watchdog does not cancel a run that only waits for
 * a shard.  Local shards are never retried: a disk error fails the page as
 * it always did.
 *
 * Between pieces of work a remote shard is looked at every
 * SHARD_PROBE_MS (its document count read: a round trip), and one that is
 * down is reopened every SHARD_DOWN_PROBE_MS, so status shows a shard's
 * state even while nothing is harvested; a shard going down and coming
 * back is logged once each.  In readonly mode the handles are read-only
 * ones on the shards' search locations, looked at the same way, and each
 * look moves the generation so that the query workers reopen their
 * readers onto what replication brought.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "daemon-private.h"

#define SHARD_RETRY_MIN_MS 500
#define SHARD_RETRY_MAX_MS 5000
#define SHARD_PROBE_MS 10000
#define SHARD_DOWN_PROBE_MS 1000
#define SHARD_READONLY_PROBE_MS 2000

/* Whether st from shard sh means "it does not answer, wait for it". */
static bool unreachable(const struct fd_shard *sh, enum fd_status st) {
        return sh->remote && st == FD_E_IO;
}

static void mark_up(struct fd_shard *sh) {
        pthread_mutex_lock(&sh->lock);
        bool was_down = !sh->up;
        int64_t since = sh->down_since;
        sh->up = true;
        sh->down_since = 0;
        pthread_mutex_unlock(&sh->lock);
        if (was_down && since) {
                fd_log(FD_LOG_NOTICE, "shard '%s': answering again after %" PRId64 " s", sh->name,
                       fd_time_now() - since);
                /* readers reopen, and so take the shard back */
                atomic_fetch_add(&sh->d->generation, 1);
        }
}

static void mark_down(struct fd_shard *sh, const struct fd_error *err) {
        pthread_mutex_lock(&sh->lock);
        bool was_up = sh->up || !sh->down_since;
        sh->up = false;
        if (!sh->down_since)
                sh->down_since = fd_time_now();
        snprintf(sh->last_error, sizeof sh->last_error, "%s", err->msg);
        pthread_mutex_unlock(&sh->lock);
        if (was_up)
                fd_log(FD_LOG_WARNING, "shard '%s': not answering, %s until it is back: %s", sh->name,
                       sh->d->readonly ? "searches leave it out" : "pages routed to it wait", err->msg);
}

/* Closes the shard's handle (a broken connection cannot be reused). */
void fd_shard_drop(struct fd_shard *sh) {
        fd_index_free(sh->writer);
        sh->writer = NULL;
        sh->opened++;
}

static enum fd_status open_handle(struct fd_shard *sh, struct fd_error *err) {
        struct fd_daemon *d = sh->d;
        if (sh->writer)
                return FD_OK;
        return fd_index_open(d->readonly ? sh->search : sh->loc, !d->readonly, &sh->writer, err);
}

/* The document count of the shard into status (and its handle's health). */
static enum fd_status count_documents(struct fd_shard *sh, struct fd_error *err) {
        uint64_t n = 0;
        enum fd_status st = FD_OK;

        if (sh->d->readonly)
                st = fd_index_reopen(sh->writer, err);
        if (st == FD_OK)
                st = fd_index_count(sh->writer, &n, err);
        if (st == FD_OK)
                atomic_store(&sh->documents, n);
        return st;
}

/* now + ms on CLOCK_MONOTONIC, the clock of the shards' conditions. */
static struct timespec deadline(int64_t ms) {
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        t.tv_sec += ms / 1000;
        t.tv_nsec += (ms % 1000) * 1000000;
        if (t.tv_nsec >= 1000000000) {
                t.tv_sec++;
                t.tv_nsec -= 1000000000;
        }
        return t;
}

/* Sleeps ms unless the daemon stops first (fd_shards_wake, fd_shards_stop
 * wake it at once); false when it stops. */
static bool nap(struct fd_shard *sh, int64_t ms) {
        const struct timespec until = deadline(ms);
        bool stopped, timed_out = false;

        pthread_mutex_lock(&sh->lock);
        while (!(stopped = atomic_load(&sh->d->stopping) || sh->quit) && !timed_out)
                timed_out = pthread_cond_timedwait(&sh->cond, &sh->lock, &until) == ETIMEDOUT;
        pthread_mutex_unlock(&sh->lock);
        return !stopped;
}

/* Runs w on the shard, waiting for a shard that does not answer. */
static void do_work(struct fd_shard *sh, struct fd_shard_work *w) {
        int64_t backoff = SHARD_RETRY_MIN_MS;

        for (;;) {
                struct fd_error err = {0};
                enum fd_status st = open_handle(sh, &err);
                if (st == FD_OK)
                        st = w->fn(sh, w->arg, &err);
                if (st == FD_OK) {
                        mark_up(sh);
                        w->status = FD_OK;
                        return;
                }
                bool down = unreachable(sh, st);
                if (down) {
                        mark_down(sh, &err);
                        fd_shard_drop(sh);
                }
                if (!down || !w->retry) {
                        w->status = st;
                        w->err = err;
                        return;
                }
                if (w->ticks)
                        atomic_fetch_add(w->ticks, 1);
                if (!nap(sh, backoff)) {
                        w->status = fd_error_set(&w->err, FD_E_CANCELLED, "shard '%s' did not answer before "
                                                 "the daemon stopped: %s", sh->name, err.msg);
                        return;
                }
                backoff = backoff * 2 > SHARD_RETRY_MAX_MS ? SHARD_RETRY_MAX_MS : backoff * 2;
        }
}

/* Between pieces of work: keeps status current and the handle open. */
static void probe(struct fd_shard *sh) {
        struct fd_error err = {0};
        enum fd_status st = open_handle(sh, &err);

        if (st == FD_OK)
                st = count_documents(sh, &err);
        if (st == FD_OK) {
                mark_up(sh);
                if (sh->d->readonly)
                        atomic_fetch_add(&sh->d->generation, 1);
        } else if (sh->remote || sh->d->readonly) {
                mark_down(sh, &err);
                fd_shard_drop(sh);
        }
}

static int64_t probe_every(const struct fd_shard *sh) {
        if (!sh->writer)
                return SHARD_DOWN_PROBE_MS;
        if (sh->d->readonly)
                return SHARD_READONLY_PROBE_MS;
        return sh->remote ? SHARD_PROBE_MS : -1;
}

static void *shard_main(void *arg) {
        struct fd_shard *sh = arg;
        char name[16];

        snprintf(name, sizeof name, "shard/%zu", sh->i);
        pthread_setname_np(pthread_self(), name);
        pthread_mutex_lock(&sh->lock);
        for (;;) {
                while (!sh->work && !sh->quit) {
                        int64_t every = probe_every(sh);
                        if (every < 0) {
                                pthread_cond_wait(&sh->cond, &sh->lock);
                                continue;
                        }
                        const struct timespec until = deadline(every);
                        if (pthread_cond_timedwait(&sh->cond, &sh->lock, &until) == ETIMEDOUT && !sh->work &&
                            !sh->quit) {
                                pthread_mutex_unlock(&sh->lock);
                                probe(sh);
                                pthread_mutex_lock(&sh->lock);
                        }
                }
                if (sh->quit)
                        break;
                struct fd_shard_work *w = sh->work;
                pthread_mutex_unlock(&sh->lock);
                do_work(sh, w);
                pthread_mutex_lock(&sh->lock);
                sh->work = NULL;
                pthread_cond_broadcast(&sh->cond);
        }
        pthread_mutex_unlock(&sh->lock);
        return NULL;
}

/* Waits, under sh->lock, until the shard has no work. */
static void wait_idle(struct fd_shard *sh) {
        while (sh->work)
                pthread_cond_wait(&sh->cond, &sh->lock);
}

void fd_shards_post(struct fd_daemon *d, size_t i, struct fd_shard_work *w) {
        struct fd_shard *sh = &d->shard[i];

        w->status = FD_OK;
        w->err = (struct fd_error){0};
        pthread_mutex_lock(&sh->lock);
        wait_idle(sh);
        sh->work = w;
        pthread_cond_broadcast(&sh->cond);
        pthread_mutex_unlock(&sh->lock);
}

void fd_shards_wait(struct fd_daemon *d, size_t i) {
        struct fd_shard *sh = &d->shard[i];

        pthread_mutex_lock(&sh->lock);
        wait_idle(sh);
        pthread_mutex_unlock(&sh->lock);
}

void fd_shards_run(struct fd_daemon *d, struct fd_shard_work *const *works) {
        for (size_t i = 0; i < d->n_shards; i++)
                if (works[i])
                        fd_shards_post(d, i, works[i]);
        for (size_t i = 0; i < d->n_shards; i++)
                if (works[i])
                        fd_shards_wait(d, i);
}

enum fd_status fd_shards_run_one(struct fd_daemon *d, size_t i, struct fd_shard_work *w) {
        _fd_free_ struct fd_shard_work **works = calloc(d->n_shards, sizeof *works);

        if (!works)
                return fd_error_set(&w->err, FD_E_NOMEM, "out of memory");
        works[i] = w;
        fd_shards_run(d, works);
        return w->status;
}

/* The home shard says how the index is laid out (FD_INDEX_LAYOUT_KEY, "hash 2"),
 * written when the configuration first names shards: records routed by
 * another layout would be looked for in the wrong shard, so a
 * configuration that disagrees is refused until the index is resharded. */
static enum fd_status check_layout(struct fd_daemon *d, struct fd_error *err) {
        struct fd_shard *home = &d->shard[0];
        _fd_free_ char *have = NULL;
        char want[64];
        enum fd_status st;

        snprintf(want, sizeof want, "%s %zu", fd_index_route_name(d->route), d->n_shards);
        st = fd_index_get_meta(home->writer, FD_INDEX_LAYOUT_KEY, &have, err);
        if (st == FD_OK && strcmp(have, want) == 0)
                return FD_OK;
        if (st == FD_OK)
                return fd_error_set(err, FD_E_INVALID, "'%s': the index is laid out as '%s' (route, shards) but "
                                    "'index' says '%s': run 'fairdex reshard' to lay it out anew",
                                    d->config->path, have, want);
        if (st != FD_E_NOTFOUND)
                return st;
        if (d->n_shards > 1 && atomic_load(&home->documents) > 0)
                return fd_error_set(err, FD_E_INVALID, "'%s': shard '%s' holds %" PRIu64 " records of an index "
                                    "that was not sharded: run 'fairdex reshard' to spread them over %zu shards",
                                    d->config->path, home->name, (uint64_t)atomic_load(&home->documents),
                                    d->n_shards);
        st = fd_index_set_meta(home->writer, FD_INDEX_LAYOUT_KEY, want, err);
        return st ? st : fd_index_commit(home->writer, err);
}

enum fd_status fd_shards_open(struct fd_daemon *d, struct fd_error *err) {
        const struct fd_index_config *ix = &d->config->index;
        size_t n = ix->n_shards ? ix->n_shards : 1;
        pthread_condattr_t attr;
        enum fd_status st;

        d->readonly = ix->readonly;
        d->shard = calloc(n, sizeof *d->shard);
        d->shard_locs = calloc(n, sizeof *d->shard_locs);
        d->shard_names = calloc(n, sizeof *d->shard_names);
        if (!d->shard || !d->shard_locs || !d->shard_names)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        d->n_shards = n;
        d->route = ix->route;
        d->shards = (struct fd_index_shards){.locs = d->shard_locs, .names = d->shard_names, .n = n};
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        for (size_t i = 0; i < n; i++) {
                struct fd_shard *sh = &d->shard[i];
                const struct fd_shard_config *c = ix->n_shards ? &ix->shards[i] : NULL;
                sh->d = d;
                sh->i = i;
                sh->name = c ? c->name : d->index_path;
                sh->loc = c ? (c->path ? c->path : c->remote) : d->index_path;
                sh->search = c ? c->search : d->index_path;
                sh->remote = c && c->remote;
                atomic_init(&sh->documents, 0);
                pthread_mutex_init(&sh->lock, NULL);
                pthread_cond_init(&sh->cond, &attr);
                sh->initialized = true;
                d->shard_locs[i] = sh->search;
                d->shard_names[i] = sh->name;
        }
        pthread_condattr_destroy(&attr);
        for (size_t i = 0; i < n; i++) {
                struct fd_shard *sh = &d->shard[i];
                struct fd_error e = {0};
                if (!d->readonly && !sh->remote && (st = fd_mkdir_p(sh->loc, &e)))
                        return fd_error_set(err, st, "shard '%s': %s", sh->name, e.msg);
                st = open_handle(sh, &e);
                if (st == FD_OK)
                        st = count_documents(sh, &e);
                if (st == FD_OK) {
                        sh->up = true;
                        continue;
                }
                /* The home shard holds the checkpoints: a writer starts
                 * only with them.  Others, and every shard of a
                 * read-only daemon, may come later. */
                if (!d->readonly && (i == 0 || !unreachable(sh, st))) {
                        if (err)
                                *err = e;
                        if (n > 1 || sh->remote)
                                fd_error_prefix(err, "shard '%s'", sh->name);
                        return st;
                }
                fd_shard_drop(sh);
                mark_down(sh, &e);
        }
        if (!d->readonly && ix->n_shards)
                return check_layout(d, err);
        return FD_OK;
}

enum fd_status fd_shards_start(struct fd_daemon *d, struct fd_error *err) {
        for (size_t i = 0; i < d->n_shards; i++) {
                struct fd_shard *sh = &d->shard[i];
                int r = pthread_create(&sh->thread, NULL, shard_main, sh);
                if (r != 0)
                        return fd_error_set(err, FD_E_NOMEM, "cannot create the thread of shard '%s': %s", sh->name,
                                            strerror(r));
                sh->thread_live = true;
        }
        return FD_OK;
}

void fd_shards_wake(struct fd_daemon *d) {
        for (size_t i = 0; i < d->n_shards; i++) {
                struct fd_shard *sh = &d->shard[i];
                if (!sh->initialized)
                        continue;
                pthread_mutex_lock(&sh->lock);
                pthread_cond_broadcast(&sh->cond);
                pthread_mutex_unlock(&sh->lock);
        }
}

void fd_shards_stop(struct fd_daemon *d) {
        for (size_t i = 0; i < d->n_shards; i++) {
                struct fd_shard *sh = &d->shard[i];
                if (!sh->thread_live)
                        continue;
                pthread_mutex_lock(&sh->lock);
                sh->quit = true;
                pthread_cond_broadcast(&sh->cond);
                pthread_mutex_unlock(&sh->lock);
                pthread_join(sh->thread, NULL);
                sh->thread_live = false;
        }
}

void fd_shards_release(struct fd_daemon *d) {
        fd_shards_stop(d);
        for (size_t i = 0; d->shard && i < d->n_shards; i++) {
                struct fd_shard *sh = &d->shard[i];
                if (!sh->initialized)
                        continue;
                fd_index_free(sh->writer);
                pthread_mutex_destroy(&sh->lock);
                pthread_cond_destroy(&sh->cond);
        }
        free(d->shard);
        free(d->shard_locs);
        free(d->shard_names);
        d->shard = NULL;
        d->n_shards = 0;
}

uint64_t fd_shards_documents(struct fd_daemon *d) {
        uint64_t n = 0;
        for (size_t i = 0; i < d->n_shards; i++)
                n += atomic_load(&d->shard[i].documents);
        return n;
}

void fd_shards_snapshot(struct fd_daemon *d, size_t i, struct fd_shard_snapshot *ret) {
        struct fd_shard *sh = &d->shard[i];

        pthread_mutex_lock(&sh->lock);
        ret->name = sh->name;
        ret->remote = sh->remote;
        ret->up = sh->up;
        ret->down_since = sh->down_since;
        ret->documents = atomic_load(&sh->documents);
        snprintf(ret->last_error, sizeof ret->last_error, "%s", sh->last_error);
        pthread_mutex_unlock(&sh->lock);
}
