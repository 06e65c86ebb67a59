/* harvest.c: the harvest/N threads, one per running source.
 *
 * Each thread owns its HTTP handle and parser (inside fd_oai_harvest) and
 * hands every page to the indexer's bounded queue; when the queue is full
 * the harvest waits, which is what bounds memory.  A run is over when its
 * last page is committed, not when the last request returns: the thread
 * waits for the indexer before it reports the run, so `status` never calls
 * a run done whose records are not searchable yet.
 */
#include <errno.h>
#include <signal.h>

#include "fd_daemon.h"

struct job {
        struct fd_daemon *d;
        struct fd_source_state *s;
};

static bool on_page(void *userdata, struct fd_page *page) {
        struct job *job = userdata;
        struct fd_source_state *s = job->s;

        if (atomic_load(&s->abort)) {
                fd_page_free(page);
                return false;
        }
        fd_log(FD_LOG_DEBUG, "source '%s': page of %zu records from '%s'", s->config->name, page->records.n,
               page->url ? page->url : "");
        pthread_mutex_lock(&s->lock);
        s->pages_pushed++;
        pthread_mutex_unlock(&s->lock);
        if (!fd_queue_push(job->d->pages, page)) {
                pthread_mutex_lock(&s->lock);
                s->pages_pushed--;
                pthread_mutex_unlock(&s->lock);
                fd_page_free(page);
                return false;
        }
        return true;
}

static void on_warn(void *userdata, const char *msg) {
        struct job *job = userdata;
        fd_log(FD_LOG_WARNING, "source '%s': %s", job->s->config->name, msg);
}

static enum fd_status run(struct job *job, struct fd_error *err) {
        const struct fd_source_config *c = job->s->config;
        struct fd_checkpoint resume = {0};
        _fd_free_ char *ua = NULL;
        enum fd_status st;

        if (c->type != FD_SOURCE_OAI_PMH)
                return fd_error_set(err, FD_E_UNSUPPORTED, "%s harvesting is not supported by this version",
                                    fd_source_type_name(c->type));

        if (job->d->config->contact)
                st = asprintf(&ua, "fairdex/%s (+%s)", FD_VERSION, job->d->config->contact) < 0 ? FD_E_NOMEM : FD_OK;
        else
                st = asprintf(&ua, "fairdex/%s", FD_VERSION) < 0 ? FD_E_NOMEM : FD_OK;
        if (st)
                return fd_error_set(err, st, "out of memory");

        pthread_mutex_lock(&job->s->lock);
        st = fd_checkpoint_copy(&resume, &job->s->checkpoint);
        pthread_mutex_unlock(&job->s->lock);
        if (st) {
                fd_checkpoint_release(&resume);
                return fd_error_set(err, st, "out of memory");
        }

        struct fd_harvest_opts opts = {
                .source = c->name,
                .url = c->url,
                .metadata_prefix = c->metadata_prefix,
                .sets = c->sets,
                .n_sets = c->n_sets,
                .user_agent = ua,
                .resume = &resume,
                .cancel = &job->d->stopping,
        };
        struct fd_harvest_sink sink = {.page = on_page, .warn = on_warn, .userdata = job};
        st = fd_oai_harvest(&opts, &sink, err);
        fd_checkpoint_release(&resume);
        return st;
}

static void *harvest_main(void *arg) {
        struct job *job = arg;
        struct fd_source_state *s = job->s;
        struct fd_error err = {0};
        char name[16];

        snprintf(name, sizeof name, "harvest/%zu", (size_t)(s - job->d->sources));
        pthread_setname_np(pthread_self(), name);

        int64_t t0 = fd_time_mono_ms();
        enum fd_status st = run(job, &err);

        /* The run ends when the indexer has taken all of its pages. */
        pthread_mutex_lock(&s->lock);
        while (s->pages_done < s->pages_pushed)
                pthread_cond_wait(&s->committed, &s->lock);
        if (atomic_load(&s->abort)) {
                st = FD_E_INDEX;
                snprintf(err.msg, sizeof err.msg, "%s", s->index_error);
        }
        int64_t now = fd_time_now();
        s->last_end = now;
        s->state = st == FD_OK ? FD_RUN_OK : FD_RUN_FAILED;
        if (st == FD_OK || st == FD_E_CANCELLED)
                s->last_error[0] = '\0';
        else
                snprintf(s->last_error, sizeof s->last_error, "%s", err.msg);
        s->next_run = now + s->config->interval;
        uint64_t records = s->run_records, deleted = s->run_deleted, skipped = s->run_skipped;
        pthread_mutex_unlock(&s->lock);

        double secs = (double)(fd_time_mono_ms() - t0) / 1000.0;
        if (st == FD_OK)
                fd_log(FD_LOG_NOTICE, "source '%s': harvest done in %.1f s: %llu records, %llu deleted, %llu skipped",
                       s->config->name, secs, (unsigned long long)records, (unsigned long long)deleted,
                       (unsigned long long)skipped);
        else if (st == FD_E_CANCELLED)
                fd_log(FD_LOG_NOTICE, "source '%s': harvest stopped after %.1f s at its last committed page",
                       s->config->name, secs);
        else
                fd_log(FD_LOG_ERR, "source '%s': harvest failed after %.1f s: %s", s->config->name, secs, err.msg);

        fd_daemon_wake(job->d);
        free(job);
        return NULL;
}

enum fd_status fd_harvest_start(struct fd_daemon *d, struct fd_source_state *s, struct fd_error *err) {
        struct job *job = malloc(sizeof *job);
        if (!job)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        job->d = d;
        job->s = s;

        pthread_mutex_lock(&s->lock);
        s->state = FD_RUN_RUNNING;
        s->last_start = fd_time_now();
        s->run_records = s->run_deleted = s->run_skipped = 0;
        s->index_error[0] = '\0';
        atomic_store(&s->abort, false);
        int r = pthread_create(&s->thread, NULL, harvest_main, job);
        s->thread_live = r == 0;
        if (r != 0)
                s->state = FD_RUN_IDLE;
        pthread_mutex_unlock(&s->lock);
        if (r != 0) {
                free(job);
                return fd_error_set(err, FD_E_NOMEM, "cannot create a thread: %s", strerror(r));
        }
        fd_log(FD_LOG_INFO, "source '%s': harvest started", s->config->name);
        return FD_OK;
}

void fd_harvest_reap(struct fd_daemon *d, bool wait) {
        for (size_t i = 0; i < d->n_sources; i++) {
                struct fd_source_state *s = &d->sources[i];
                pthread_mutex_lock(&s->lock);
                bool join = s->thread_live && (wait || s->state != FD_RUN_RUNNING);
                pthread_mutex_unlock(&s->lock);
                if (!join)
                        continue;
                pthread_join(s->thread, NULL);
                pthread_mutex_lock(&s->lock);
                s->thread_live = false;
                pthread_mutex_unlock(&s->lock);
        }
}
