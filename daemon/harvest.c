/* harvest.c: the harvest/N threads, one per running source.
 *
 * Each thread owns its HTTP handle and parser (inside fd_oai_harvest) and
 * hands every page to the indexer's bounded queue; when the queue is full
 * the harvest waits, which is what bounds memory.  A run is over when its
 * last page is committed, not when the last request returns: the thread
 * waits for the indexer before it reports the run, so `status` never calls
 * a run done whose records are not searchable yet.
 *
 * Deletion reconciliation runs in the same thread after a successful run,
 * for sources whose deletedRecord policy is `transient` or `no` (they never
 * announce deletions) once every `reconcile` period.  It lists every
 * identifier (fd_oai_list_identifiers) into a sorted array of 64-bit
 * hashes, and removes nothing unless that listing completed.  Then it walks
 * the source's ids in the index (fd_index_ids, in short batches on fresh
 * read-only views) and sends what the listing lacks to the indexer as
 * pages of deleted records, so removals commit like any page.  Memory is
 * 8 bytes per listed identifier, at most FD_RECONCILE_MAX_IDS of them; a
 * hash collision can only keep a stale record, never remove a live one.
 */
#include <errno.h>
#include <signal.h>

#include "fd_daemon.h"

/* Identifiers one reconciliation can hold (8 bytes each: 64 MiB). */
#define FD_RECONCILE_MAX_IDS (8u << 20)
/* Deleted records per reconciliation page. */
#define RECONCILE_PAGE_RECORDS 1000
#define RECONCILE_ARENA_CAP (8u << 20)

struct job {
        struct fd_daemon *d;
        struct fd_source_state *s;
};

/* Hands page to the indexer, counted so that the run can wait for it. */
static bool push_page(struct job *job, struct fd_page *page) {
        struct fd_source_state *s = job->s;

        if (atomic_load(&s->abort)) {
                fd_page_free(page);
                return false;
        }
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

static bool on_page(void *userdata, struct fd_page *page) {
        struct job *job = userdata;

        if (page->complete_list_size >= 0)
                fd_log(FD_LOG_DEBUG, "source '%s': page %llu: %zu records (list of %ld) from '%s'",
                       job->s->config->name, (unsigned long long)page->checkpoint.pages, page->records.n,
                       page->complete_list_size, page->url ? page->url : "");
        else
                fd_log(FD_LOG_DEBUG, "source '%s': page %llu: %zu records from '%s'", job->s->config->name,
                       (unsigned long long)page->checkpoint.pages, page->records.n, page->url ? page->url : "");
        return push_page(job, page);
}

static void on_warn(void *userdata, const char *msg) {
        struct job *job = userdata;
        fd_log(FD_LOG_WARNING, "source '%s': %s", job->s->config->name, msg);
}

/* Waits until the indexer has taken every page of this run; false when it
 * refused one (the run is aborted, err says why). */
static bool wait_committed(struct job *job, struct fd_error *err) {
        struct fd_source_state *s = job->s;
        bool ok;

        pthread_mutex_lock(&s->lock);
        while (s->pages_done < s->pages_pushed)
                pthread_cond_wait(&s->committed, &s->lock);
        ok = !atomic_load(&s->abort);
        if (!ok)
                fd_error_set(err, FD_E_INDEX, "%s", s->index_error);
        pthread_mutex_unlock(&s->lock);
        return ok;
}

/* ---- deletion reconciliation ------------------------------------------ */

static uint64_t hash_id(const char *s) {
        uint64_t h = UINT64_C(14695981039346656037);

        for (; *s; s++) {
                h ^= (unsigned char)*s;
                h *= UINT64_C(1099511628211);
        }
        return h;
}

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
        return x < y ? -1 : x > y;
}

struct idset {
        uint64_t *v;
        size_t n, cap;
        bool full;
};

static enum fd_status on_identifier(void *userdata, const char *identifier, const char *datestamp, bool deleted) {
        struct idset *set = userdata;

        (void)datestamp;
        if (deleted || !identifier || !*identifier)
                return FD_OK;
        if (set->n == set->cap) {
                size_t cap = set->cap ? set->cap * 2 : 65536;
                if (cap > FD_RECONCILE_MAX_IDS)
                        cap = FD_RECONCILE_MAX_IDS;
                if (set->n == cap) {
                        set->full = true;
                        return FD_E_LIMIT;
                }
                uint64_t *v = realloc(set->v, cap * sizeof *v);
                if (!v)
                        return FD_E_NOMEM;
                set->v = v;
                set->cap = cap;
        }
        set->v[set->n++] = hash_id(identifier);
        return FD_OK;
}

/* One batch of the index walk: the ids the listing lacks, as deletions. */
struct batch {
        const struct idset *set;
        size_t prefix_len;          /* strlen("<source>:") */
        struct fd_page *page;
        char *last;                 /* the id the walk stopped at, to resume after */
        uint64_t seen;
        enum fd_status st;
};

static bool on_index_id(void *userdata, const char *id) {
        struct batch *b = userdata;
        uint64_t h = hash_id(id + b->prefix_len);
        struct fd_arena *a = b->page->arena;

        b->seen++;
        if (bsearch(&h, b->set->v, b->set->n, sizeof h, cmp_u64))
                return true;
        struct fd_record *r = fd_record_new_in(a);
        struct fd_record **slot = r ? FD_PUSH(a, b->page->records) : NULL;
        if (slot) {
                r->id = fd_arena_strdup(a, id);
                r->source = b->page->source;
                r->local_id = r->id ? r->id + b->prefix_len : NULL;
                r->deleted = true;
                *slot = r;
        }
        if (!slot || !r->id) {
                b->st = FD_E_LIMIT;
                return false;
        }
        if (b->page->records.n < RECONCILE_PAGE_RECORDS)
                return true;
        b->last = strdup(id);
        if (!b->last)
                b->st = FD_E_NOMEM;
        return false;
}

static bool stop_at_first(void *userdata, const char *id) {
        (void)id;
        *(bool *)userdata = true;
        return false;
}

/* A page of no records carrying the source's committed checkpoint. */
static enum fd_status reconcile_page(struct job *job, struct fd_page **ret, struct fd_error *err) {
        _fd_cleanup_(fd_page_freep) struct fd_page *p = calloc(1, sizeof *p);
        enum fd_status st;

        if (!p || !(p->arena = fd_arena_new(RECONCILE_ARENA_CAP)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        p->complete_list_size = -1;
        p->source = fd_arena_strdup(p->arena, job->s->config->name);
        p->url = fd_arena_strdup(p->arena, "reconciliation");
        if (!p->source || !p->url)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        pthread_mutex_lock(&job->s->lock);
        st = fd_checkpoint_copy(&p->checkpoint, &job->s->checkpoint);
        pthread_mutex_unlock(&job->s->lock);
        if (st)
                return fd_error_set(err, st, "out of memory");
        *ret = FD_TAKE_PTR(p);
        return FD_OK;
}

static bool reconcile_due(struct job *job, int64_t now) {
        struct fd_source_state *s = job->s;
        bool due;

        if (job->s->config->reconcile == 0 || atomic_load(&job->d->stopping))
                return false;
        pthread_mutex_lock(&s->lock);
        const char *policy = s->checkpoint.deleted_record;
        due = policy && (strcmp(policy, "transient") == 0 || strcmp(policy, "no") == 0) &&
              (s->last_reconciled == 0 || now - s->last_reconciled >= (int64_t)s->config->reconcile);
        pthread_mutex_unlock(&s->lock);
        return due;
}

/* Lists the source's identifiers and removes from the index the records it
 * no longer has; *ret_removed counts them.  Removes nothing unless the
 * listing completed. */
static enum fd_status reconcile(struct job *job, const struct fd_harvest_opts *harvest_opts, uint64_t *ret_removed,
                                struct fd_error *err) {
        struct fd_source_state *s = job->s;
        const char *name = s->config->name;
        struct fd_checkpoint cp = {0};
        struct idset set = {0};
        struct batch b = {.set = &set, .prefix_len = strlen(name) + 1};
        struct fd_page *page = NULL;
        int64_t stamp = fd_time_now();
        uint64_t removed = 0;
        enum fd_status st;

        pthread_mutex_lock(&s->lock);
        st = fd_checkpoint_copy(&cp, &s->checkpoint);
        pthread_mutex_unlock(&s->lock);
        if (st)
                return fd_error_set(err, st, "out of memory");
        struct fd_harvest_opts opts = *harvest_opts;
        opts.resume = &cp;
        fd_log(FD_LOG_INFO, "source '%s': reconciliation: listing every identifier", name);
        st = fd_oai_list_identifiers(&opts, on_identifier, &set, err);
        fd_checkpoint_release(&cp);
        if (st == FD_E_LIMIT && set.full)
                fd_error_set(err, st, "more than %u identifiers: too many to reconcile", FD_RECONCILE_MAX_IDS);
        else if (st == FD_E_NOMEM && set.n)
                fd_error_set(err, st, "out of memory after %zu identifiers", set.n);
        if (st) {
                free(set.v);
                fd_error_prefix(err, "reconciliation: listing failed, nothing removed");
                return st;
        }
        qsort(set.v, set.n, sizeof *set.v, cmp_u64);
        if (set.n == 0) {
                /* An empty list from a source we hold records of is more
                 * likely a broken repository than an emptied one. */
                bool any = false;
                free(set.v);
                st = fd_index_ids(job->d->index_path, name, NULL, stop_at_first, &any, err);
                if (st == FD_OK && any)
                        fd_log(FD_LOG_WARNING,
                               "source '%s': reconciliation: the source listed no identifiers, keeping its records",
                               name);
                if (st == FD_OK)
                        *ret_removed = 0;
                return st;
        }

        for (;;) {
                char *after = b.last;

                b.last = NULL;
                st = reconcile_page(job, &page, err);
                if (st) {
                        free(after);
                        break;
                }
                b.page = page;
                b.st = FD_OK;
                st = fd_index_ids(job->d->index_path, name, after, on_index_id, &b, err);
                free(after);
                if (st == FD_OK && b.st)
                        st = fd_error_set(err, b.st, "reconciliation: cannot collect deletions: %s",
                                          fd_status_name(b.st));
                if (st)
                        break;
                removed += page->records.n;
                if (!b.last) {
                        /* The walk ended: this page commits the reconciliation. */
                        pthread_mutex_lock(&s->lock);
                        s->reconcile_page = page;
                        s->reconcile_stamp = stamp;
                        pthread_mutex_unlock(&s->lock);
                }
                bool last = !b.last;
                struct fd_page *p = page;
                page = NULL;
                if (!push_page(job, p)) {
                        st = fd_error_set(err, atomic_load(&s->abort) ? FD_E_INDEX : FD_E_CANCELLED,
                                          "reconciliation: the indexer took no more pages");
                        break;
                }
                if (last)
                        break;
        }
        fd_page_free(page);
        free(b.last);
        free(set.v);
        if (st)
                return st;
        *ret_removed = removed;
        return FD_OK;
}

/* ---- the run ----------------------------------------------------------- */

/* DCAT and CKAN sources (issue 7): the DCAT driver, with the state file of
 * what the source's last complete run saw in the state directory. */
static enum fd_status run_dcat(struct job *job, struct fd_error *err) {
        const struct fd_source_config *c = job->s->config;
        struct fd_checkpoint resume = {0};
        _fd_free_ char *ua = NULL, *state = NULL;
        enum fd_status st;

        if ((job->d->config->contact ? asprintf(&ua, "fairdex/%s (+%s)", FD_VERSION, job->d->config->contact)
                                     : asprintf(&ua, "fairdex/%s", FD_VERSION)) < 0 ||
            asprintf(&state, "%s/dcat-%s.state", job->d->config->state_dir, c->name) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
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
                .user_agent = ua,
                .resume = &resume,
                .cancel = &job->d->stopping,
        };
        struct fd_dcat_opts dopts = {.state_file = state, .ckan = c->type == FD_SOURCE_CKAN};
        struct fd_harvest_sink sink = {.page = on_page, .warn = on_warn, .userdata = job};
        st = fd_dcat_harvest(&opts, &dopts, &sink, err);
        fd_checkpoint_release(&resume);
        if (!wait_committed(job, err))
                return FD_E_INDEX;
        return st;
}

static enum fd_status run(struct job *job, uint64_t *ret_removed, bool *ret_reconciled, struct fd_error *err) {
        const struct fd_source_config *c = job->s->config;
        struct fd_checkpoint resume = {0};
        _fd_free_ char *ua = NULL;
        enum fd_status st;

        if (c->type != FD_SOURCE_OAI_PMH)
                return run_dcat(job, err);

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
                .format_preference = (const char *const *)c->formats,
                .n_format_preference = c->n_formats,
                .sets = c->sets,
                .n_sets = c->n_sets,
                .user_agent = ua,
                .min_delay_ms = c->delay_ms,
                .resume = &resume,
                .cancel = &job->d->stopping,
        };
        struct fd_harvest_sink sink = {.page = on_page, .warn = on_warn, .userdata = job};
        st = fd_oai_harvest(&opts, &sink, err);
        fd_checkpoint_release(&resume);
        if (!wait_committed(job, err))
                return FD_E_INDEX;
        if (st || !reconcile_due(job, fd_time_now()))
                return st;

        *ret_reconciled = true;
        st = reconcile(job, &opts, ret_removed, err);
        if (!wait_committed(job, err))
                return FD_E_INDEX;
        return st;
}

static void *harvest_main(void *arg) {
        struct job *job = arg;
        struct fd_source_state *s = job->s;
        struct fd_error err = {0};
        uint64_t removed = 0;
        bool reconciled = false;
        char name[16];

        snprintf(name, sizeof name, "harvest/%zu", (size_t)(s - job->d->sources));
        pthread_setname_np(pthread_self(), name);

        int64_t t0 = fd_time_mono_ms();
        enum fd_status st = run(job, &removed, &reconciled, &err);
        if (st == FD_OK) fd_fair_history_add(job->d, s);

        pthread_mutex_lock(&s->lock);
        int64_t now = fd_time_now();
        s->last_end = now;
        s->state = st == FD_OK ? FD_RUN_OK : FD_RUN_FAILED;
        if (st == FD_OK || st == FD_E_CANCELLED)
                s->last_error[0] = '\0';
        else
                snprintf(s->last_error, sizeof s->last_error, "%s", err.msg);
        s->next_run = now + s->config->interval;
        s->reconcile_page = NULL;
        uint64_t records = s->run_records, deleted = s->run_deleted, skipped = s->run_skipped;
        uint64_t pages = s->checkpoint.pages;
        pthread_mutex_unlock(&s->lock);

        double secs = (double)(fd_time_mono_ms() - t0) / 1000.0;
        if (reconciled && st == FD_OK)
                fd_log(FD_LOG_NOTICE, "source '%s': reconciliation removed %llu records", s->config->name,
                       (unsigned long long)removed);
        if (st == FD_OK)
                fd_log(FD_LOG_NOTICE,
                       "source '%s': harvest done in %.1f s: %llu records, %llu deleted, %llu skipped, "
                       "%llu pages (%.0f records/s)",
                       s->config->name, secs, (unsigned long long)records, (unsigned long long)(deleted - removed),
                       (unsigned long long)skipped, (unsigned long long)pages,
                       secs > 0 ? (double)(records + deleted) / secs : 0.0);
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
        s->progress_total = -1;
        s->progress_done = 0;
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

void fd_harvest_status(const struct fd_source_state *s, json_t *o) {
        char buf[32];

        if (s->state == FD_RUN_RUNNING && s->progress_total >= 0) {
                uint64_t total = (uint64_t)s->progress_total;
                json_object_set_new(o, "progress",
                                    json_pack("{s:I,s:I}", "done",
                                              (json_int_t)(s->progress_done < total ? s->progress_done : total),
                                              "total", (json_int_t)total));
        }
        json_object_set_new(o, "last_reconciled",
                            s->last_reconciled ? json_string(fd_time_iso(s->last_reconciled, buf, sizeof buf))
                                               : json_null());
}
