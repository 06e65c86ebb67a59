/* op_ops.c: the operator's admin ops, `reload` and `purge`.
 *
 * reload: only the main thread changes the configuration (it owns the
 * scheduler's view of the sources), so the op takes a ticket, sends the
 * main thread SIGHUP, and waits on reload_cond until a reload that started
 * after its ticket has ended, then answers that reload's outcome.  Several
 * waiting ops share one reload; SIGHUP from outside is answered by nobody.
 *
 * purge: runs in the query worker that took the request, since it only
 * reads ids and pushes pages onto the bounded page queue (it waits while
 * that queue is full, as a harvest does).  The source must not be in the
 * running configuration nor still stopping; d->purging keeps a reload from
 * bringing it back while its records are being deleted.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "fd_daemon.h"

/* How long the reload op waits for the main thread. */
#define RELOAD_WAIT_S 30

char *fd_op_reload(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_daemon *d = ctx->daemon;
        struct fd_error err = {0};
        struct timespec until;
        bool done;

        (void)req;
        if (!ctx->admin)
                return fd_protocol_forbidden("reload");
        if (!d->config || !d->pages)
                return fd_protocol_error(FD_E_UNSUPPORTED, "no configuration and scheduler to reload");
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += RELOAD_WAIT_S;
        pthread_mutex_lock(&d->reload_lock);
        uint64_t ticket = ++d->reload_asked;
        pthread_kill(d->main_thread, SIGHUP);
        while (d->reload_done < ticket && !atomic_load(&d->stopping))
                if (pthread_cond_timedwait(&d->reload_cond, &d->reload_lock, &until) == ETIMEDOUT)
                        break;
        done = d->reload_done >= ticket;
        if (done)
                err = d->reload_error;
        pthread_mutex_unlock(&d->reload_lock);
        if (!done)
                return fd_protocol_error(FD_E_CANCELLED, "the daemon did not reload within %d s (stopping?)",
                                         RELOAD_WAIT_S);
        if (err.status != FD_OK)
                return fd_protocol_fail(&err);
        size_t active = 0, n = d->n_sources;
        for (size_t i = 0; i < n; i++) {
                pthread_mutex_lock(&d->sources[i].lock);
                active += !d->sources[i].removed;
                pthread_mutex_unlock(&d->sources[i].lock);
        }
        return fd_protocol_ok(json_pack("{s:s,s:I}", "config", d->config->path, "sources", (json_int_t)active));
}

char *fd_op_purge(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_daemon *d = ctx->daemon;
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source");
        uint64_t deleted = 0;

        if (!ctx->admin)
                return fd_protocol_forbidden("purge");
        if (!d->config || !d->pages)
                return fd_protocol_error(FD_E_UNSUPPORTED, "no configuration and indexer to purge with");
        if (!json_is_string(source) || json_string_length(source) == 0 || json_string_length(source) >= sizeof d->purging)
                return fd_protocol_error(FD_E_INVALID, "'purge' needs a 'source' string of at most %zu bytes",
                                         sizeof d->purging - 1);
        const char *name = json_string_value(source);

        pthread_mutex_lock(&d->reload_lock);
        struct fd_config *config = d->config;
        bool configured = fd_config_source(config, name) != NULL, busy = d->purging[0] != '\0';
        struct fd_source_state *s = fd_daemon_source(d, name);
        bool live = false;
        if (s) {
                pthread_mutex_lock(&s->lock);
                live = s->state == FD_RUN_RUNNING || s->thread_live;
                pthread_mutex_unlock(&s->lock);
        }
        if (!configured && !busy && !live)
                snprintf(d->purging, sizeof d->purging, "%s", name);
        pthread_mutex_unlock(&d->reload_lock);
        if (configured)
                return fd_protocol_error(FD_E_INVALID, "source '%s' is in the configuration: remove it and reload "
                                         "before purging its records", name);
        if (busy)
                return fd_protocol_error(FD_E_LIMIT, "another purge is running: try again when it ends");
        if (live)
                return fd_protocol_error(FD_E_INVALID, "source '%s' is still stopping its last run: try again "
                                         "in a moment", name);

        enum fd_status st = fd_harvest_purge(d, name, s, &deleted, &err);
        pthread_mutex_lock(&d->reload_lock);
        d->purging[0] = '\0';
        pthread_mutex_unlock(&d->reload_lock);
        if (st)
                return fd_protocol_fail(&err);
        fd_log(FD_LOG_NOTICE, "source '%s': purged, %llu records deleted", name, (unsigned long long)deleted);
        return fd_protocol_ok(json_pack("{s:s,s:I}", "source", name, "deleted", (json_int_t)deleted));
}

char *fd_op_errors(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_daemon *d = ctx->daemon;
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source"), *runs = NULL;

        if (!json_is_string(source) || json_string_length(source) == 0)
                return fd_protocol_error(FD_E_INVALID, "'errors' needs a 'source' string");
        const char *name = json_string_value(source);
        if (!d->config || !fd_daemon_source(d, name))
                return fd_protocol_error(FD_E_NOTFOUND, "no source '%s'", name);
        if (fd_harvest_errors(d, name, &runs, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(json_pack("{s:s,s:o}", "source", name, "runs", runs));
}
