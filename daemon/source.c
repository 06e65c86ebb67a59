/* source.c: a source's slot, the one lookup by name, and its snapshot.
 *
 * Slots live in a fixed array of the daemon (d->sources) and never move;
 * a reload fills a new one before it counts it.  The lookup walks the
 * slots by name; the configuration's own lookup (fd_config_source) is for
 * a configuration not yet in use.  A snapshot is what the ops see of a
 * source: the fields status shows, copied under the source's lock.  A
 * leaf of the engine: every thread may call it, it calls nothing above.
 */
#include <strings.h>

#include "daemon-private.h"

void fd_url_host(const char *url, char *out, size_t outsz) {
        const char *p = strstr(url, "://"), *end;
        size_t n = 0;

        out[0] = '\0';
        if (!p || strncasecmp(url, "file:", 5) == 0)
                return;
        p += 3;
        end = p + strcspn(p, "/?#");
        const char *at = memchr(p, '@', (size_t)(end - p));
        if (at)
                p = at + 1;
        if (*p == '[') {
                const char *close = memchr(p, ']', (size_t)(end - p));
                if (close)
                        end = close + 1;
        } else {
                const char *colon = memchr(p, ':', (size_t)(end - p));
                if (colon)
                        end = colon;
        }
        for (; p < end && n + 1 < outsz; p++)
                out[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
        out[n] = '\0';
}

void fd_source_init(struct fd_source_state *s, const struct fd_source_config *c) {
        memset(s, 0, sizeof *s);
        s->config = c;
        fd_url_host(c->url, s->sched.host, sizeof s->sched.host);
        s->progress_total = -1;
        pthread_mutex_init(&s->lock, NULL);
        pthread_cond_init(&s->committed, NULL);
        atomic_init(&s->abort, false);
        atomic_init(&s->cancel, false);
        atomic_init(&s->ticks, 0);
        atomic_init(&s->last_run_restored, false);
}

void fd_source_release(struct fd_source_state *s) {
        fd_checkpoint_release(&s->checkpoint);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->committed);
}

struct fd_source_state *fd_source_find(struct fd_daemon *d, const char *name) {
        for (size_t i = 0; i < d->n_sources; i++)
                if (strcmp(d->sources[i].config->name, name) == 0)
                        return &d->sources[i];
        return NULL;
}

void fd_source_snapshot(struct fd_source_state *s, struct fd_source_snapshot *ret) {
        pthread_mutex_lock(&s->lock);
        *ret = (struct fd_source_snapshot){
                .config = s->config,
                .state = s->state,
                .last_start = s->last_start,
                .last_end = s->last_end,
                .next_run = s->next_run,
                .last_reconciled = s->last_reconciled,
                .failing_since = s->failing_since,
                .run = s->run,
                .last_run = s->last_run,
                .progress_total = s->progress_total,
                .progress_done = s->progress_done,
                .failures = s->failures,
                .removed = s->removed,
                .stuck = s->stuck,
                .runs_total = s->runs_total,
                .failures_total = s->failures_total,
                .pages_done = s->pages_done,
                .http = &s->http,
        };
        snprintf(ret->last_error, sizeof ret->last_error, "%s", s->last_error);
        snprintf(ret->last_complete, sizeof ret->last_complete, "%s",
                 s->checkpoint.last_complete ? s->checkpoint.last_complete : "");
        pthread_mutex_unlock(&s->lock);
}
