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
 * for OAI-PMH sources whose deletedRecord policy is `transient` or `no` and
 * for CKAN sites (they never announce deletions) once every `reconcile`
 * period.  It lists every
 * identifier (fd_oai_list_identifiers; for CKAN sites, which never announce
 * deletions, fd_ckan_list_identifiers) into a sorted array of 64-bit
 * hashes, and removes nothing unless that listing completed.  Then it walks
 * the source's ids in the index (fd_index_ids, in short batches on fresh
 * read-only views) and sends what the listing lacks to the indexer as
 * pages of deleted records, so removals commit like any page.  Memory is
 * 8 bytes per listed identifier, at most FD_RECONCILE_MAX_IDS of them; a
 * hash collision can only keep a stale record, never remove a live one.
 *
 * Purge (the admin op, for a source no longer configured) walks the same
 * ids and sends all of them as deleted records, a page at a time.
 *
 * Each run watches its own cancel flag, which SIGTERM, a reload removing or
 * moving the source, and the stuck watchdog set; every page and identifier
 * moves the source's ticks, which is what the watchdog calls progress.
 *
 * Errors: every warning of a run (a record skipped, a page retried, with
 * URL and reason, as the harvester words it) is kept in memory, at most
 * FD_ERRORS_PER_RUN of them plus a count of the rest, and at the end of the
 * run appended, with the run's counts, to the source's errors file in the
 * state directory (fd_state_errors_append).
 *
 * The end of a run: the thread waits until the indexer has committed its
 * pages, calls the run hooks it was given (d->hooks: the page latency after
 * each page, the FAIR history after a success), records its errors, and
 * leaves its outcome in the source for the scheduler, which joins it and
 * publishes the run's end (scheduler.c).  It builds no protocol JSON and
 * calls nothing of the ops or the scheduler.
 *
 * Every page a run hands over carries the URL the run harvests in its
 * checkpoint, and a run whose committed checkpoint names another URL
 * starts over in full: a source moved to another repository is never
 * resumed with the old one's token or 'from', whether the move came by
 * reload or by a restart with a new configuration, whenever it crashed.
 * Its HTTP requests are counted by status into the source's counters
 * (fd_http_count_thread: the harvest thread's own, for the metrics op).
 */
#include <unistd.h>

#include "daemon-private.h"

/* Identifiers one reconciliation can hold (8 bytes each: 64 MiB). */
#define FD_RECONCILE_MAX_IDS (8u << 20)
/* Deleted records per reconciliation page. */
#define RECONCILE_PAGE_RECORDS 1000
#define RECONCILE_ARENA_CAP (8u << 20)

struct job {
        struct fd_daemon *d;
        struct fd_source_state *s;
        const struct fd_source_config *c;  /* as the run started (a reload may swap s->config) */
        char **warnings;              /* this run's, at most FD_ERRORS_PER_RUN */
        size_t n_warnings;
        uint64_t more_warnings;       /* beyond that */
        int64_t last_page_ms;         /* when the previous page (or the run) started */
};

/* Hands page to the indexer, counted so that the run can wait for it. */
static bool push_page(struct job *job, struct fd_page *page) {
        struct fd_source_state *s = job->s;

        if (atomic_load(&s->abort)) {
                fd_page_free(page);
                return false;
        }
        /* the checkpoint belongs to the URL this run harvests */
        char *url = strdup(job->c->url);
        if (!url) {
                fd_page_free(page);
                return false;
        }
        free(page->checkpoint.url);
        page->checkpoint.url = url;
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

        int64_t now_ms = fd_time_mono_ms();
        atomic_fetch_add(&job->s->ticks, 1);
        job->d->hooks.page((now_ms - job->last_page_ms) * 1000);
        job->last_page_ms = now_ms;
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
        atomic_fetch_add(&job->s->ticks, 1);
        pthread_mutex_lock(&job->s->lock);
        job->s->run.errors++;
        pthread_mutex_unlock(&job->s->lock);
        if (job->n_warnings < FD_ERRORS_PER_RUN) {
                char **v = job->n_warnings % 64 ? job->warnings
                                                 : realloc(job->warnings, (job->n_warnings + 64) * sizeof *v);
                char *copy = v ? strdup(msg) : NULL;
                if (v)
                        job->warnings = v;
                if (copy)
                        job->warnings[job->n_warnings++] = copy;
                else
                        job->more_warnings++;
        } else
                job->more_warnings++;
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

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
        return x < y ? -1 : x > y;
}

struct idset {
        uint64_t *v;
        size_t n, cap;
        bool full;
        atomic_uint_fast64_t *ticks;   /* the source's, moved every 1000 identifiers */
};

static enum fd_status on_identifier(void *userdata, const char *identifier, const char *datestamp, bool deleted) {
        struct idset *set = userdata;

        (void)datestamp;
        if ((set->n & 1023) == 0)
                atomic_fetch_add(set->ticks, 1);
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
        set->v[set->n++] = fd_hash_str(identifier);
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
        uint64_t h = fd_hash_str(id + b->prefix_len);
        struct fd_arena *a = b->page->arena;

        b->seen++;
        if (b->set && bsearch(&h, b->set->v, b->set->n, sizeof h, cmp_u64))
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
        _fd_cleanup_(fd_page_freep) struct fd_page *p = NULL;
        enum fd_status st = fd_page_new(job->s->config->name, "reconciliation", RECONCILE_ARENA_CAP, &p, err);

        if (st)
                return st;
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

        if (job->s->config->reconcile == 0 || atomic_load(&job->d->stopping) || atomic_load(&job->s->cancel))
                return false;
        pthread_mutex_lock(&s->lock);
        /* a CKAN site never says what it deleted; an OAI-PMH repository may */
        const char *policy = s->checkpoint.deleted_record;
        due = (job->c->type == FD_SOURCE_CKAN ||
               (policy && (strcmp(policy, "transient") == 0 || strcmp(policy, "no") == 0))) &&
              (s->last_reconciled == 0 || now - s->last_reconciled >= (int64_t)s->config->reconcile);
        pthread_mutex_unlock(&s->lock);
        return due;
}

/* Lists the source's identifiers and removes from the index the records it
 * no longer has; *ret_removed counts them.  Removes nothing unless the
 * listing completed. */
static enum fd_status reconcile(struct job *job, const struct fd_harvest_opts *harvest_opts, uint64_t *ret_removed,
                                struct fd_error *err) {
        enum fd_status (*list)(const struct fd_harvest_opts *, fd_identifier_fn, void *, struct fd_error *) =
                job->c->type == FD_SOURCE_CKAN ? fd_ckan_list_identifiers : fd_oai_list_identifiers;
        struct fd_source_state *s = job->s;
        const char *name = s->config->name;
        struct fd_checkpoint cp = {0};
        struct idset set = {.ticks = &s->ticks};
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
        st = list(&opts, on_identifier, &set, err);
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
                st = fd_index_ids(&job->d->shards, name, NULL, stop_at_first, &any, err);
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
                st = fd_index_ids(&job->d->shards, name, after, on_index_id, &b, err);
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

/* What every run starts from: the User-Agent naming fairdex and the
 * operator's contact, and a copy of the last committed checkpoint. */
static enum fd_status prepare(struct job *job, char **ret_ua, struct fd_checkpoint *ret_resume,
                              struct fd_error *err) {
        const char *contact = job->d->config->contact;
        _fd_free_ char *ua = NULL;
        enum fd_status st;

        if ((contact ? asprintf(&ua, "fairdex/%s (+%s)", FD_VERSION, contact)
                     : asprintf(&ua, "fairdex/%s", FD_VERSION)) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        pthread_mutex_lock(&job->s->lock);
        st = fd_checkpoint_copy(ret_resume, &job->s->checkpoint);
        pthread_mutex_unlock(&job->s->lock);
        if (st) {
                fd_checkpoint_release(ret_resume);
                return fd_error_set(err, st, "out of memory");
        }
        *ret_ua = FD_TAKE_PTR(ua);
        return FD_OK;
}

/* One run of the source: OAI-PMH; DCAT and CKAN sources (issue 7) through
 * the DCAT driver, with the state file of what the source's last complete
 * run saw in the state directory; CSW sources (issue 15): GetRecords paged
 * like ListRecords, every run a full one, no state file and no
 * reconciliation.  After a successful run that is due one, the
 * reconciliation, waited for like the run's pages. */
static enum fd_status run(struct job *job, uint64_t *ret_removed, bool *ret_reconciled, struct fd_error *err) {
        const struct fd_source_config *c = job->c;
        bool oai = c->type == FD_SOURCE_OAI_PMH, csw = c->type == FD_SOURCE_CSW;
        struct fd_checkpoint resume = {0};
        _fd_free_ char *ua = NULL, *state = NULL;
        enum fd_status st;

        if (!oai && !csw && !(state = fd_state_path(job->d->state_dir, FD_STATE_DCAT, c->name)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        st = prepare(job, &ua, &resume, err);
        if (st)
                return st;
        struct fd_harvest_opts opts = {
                .source = c->name,
                .url = c->url,
                .user_agent = ua,
                .min_delay_ms = c->delay_ms,
                .resume = &resume,
                .cancel = &job->s->cancel,
        };
        struct fd_harvest_sink sink = {.page = on_page, .warn = on_warn, .userdata = job};
        if (oai) {
                opts.metadata_prefix = c->metadata_prefix;
                opts.format_preference = (const char *const *)c->formats;
                opts.n_format_preference = c->n_formats;
                opts.sets = c->sets;
                opts.n_sets = c->n_sets;
                st = fd_oai_harvest(&opts, &sink, err);
        } else if (csw) {
                st = fd_csw_harvest(&opts, &sink, err);
        } else {
                struct fd_dcat_opts dopts = {.state_file = state,
                                             .ckan = c->type == FD_SOURCE_CKAN,
                                             .contexts_dir = job->d->config->contexts_dir};
                st = fd_dcat_harvest(&opts, &dopts, &sink, err);
        }
        fd_checkpoint_release(&resume);
        if (!wait_committed(job, err))
                return FD_E_INDEX;
        if (st || csw || !reconcile_due(job, fd_time_now()))
                return st;
        *ret_reconciled = true;
        st = reconcile(job, &opts, ret_removed, err);
        if (!wait_committed(job, err))
                return FD_E_INDEX;
        return st;
}

/* Appends this run's line to the source's errors file.  Logs, never fails
 * the run. */
static void record_errors(struct job *job, enum fd_status st, const struct fd_error *err, int64_t start,
                          int64_t end) {
        struct fd_error e = {0};
        struct fd_run_report r = {
                .start = start, .end = end, .status = st, .error = st == FD_OK ? NULL : err->msg,
                .warnings = job->warnings, .n_warnings = job->n_warnings, .more_warnings = job->more_warnings,
        };

        pthread_mutex_lock(&job->s->lock);
        r.counts = job->s->run;
        pthread_mutex_unlock(&job->s->lock);
        if (fd_state_errors_append(job->d->state_dir, job->c->name, &r, &e) != FD_OK)
                fd_log(FD_LOG_WARNING, "source '%s': cannot record the run's errors: %s", job->c->name, e.msg);
}

static void *harvest_main(void *arg) {
        struct job *job = arg;
        struct fd_daemon *d = job->d;
        struct fd_source_state *s = job->s;
        struct fd_error err = {0};
        uint64_t removed = 0;
        bool reconciled = false;
        char name[16];

        snprintf(name, sizeof name, "harvest/%zu", (size_t)(s - d->sources));
        pthread_setname_np(pthread_self(), name);

        pthread_mutex_lock(&s->lock);
        int64_t t0 = fd_time_mono_ms(), started = s->last_start;
        pthread_mutex_unlock(&s->lock);
        job->last_page_ms = t0;
        fd_http_count_thread(&s->http);
        enum fd_status st = run(job, &removed, &reconciled, &err);
        fd_http_count_thread(NULL);
        if (st == FD_OK)
                d->hooks.run_ok(&d->shards, d->state_dir, job->c->name);

        pthread_mutex_lock(&s->lock);
        bool stuck = st == FD_E_CANCELLED && s->stuck;
        struct fd_run_counts n = s->run;
        uint64_t pages = s->checkpoint.pages;
        s->reconcile_page = NULL;
        pthread_mutex_unlock(&s->lock);
        if (stuck)
                st = fd_error_set(&err, FD_E_CANCELLED, "stuck: no progress for %u s, cancelled at the last "
                                  "committed page", d->config->stuck_after);
        int64_t now = fd_time_now();
        double secs = (double)(fd_time_mono_ms() - t0) / 1000.0;
        if (reconciled && st == FD_OK)
                fd_log(FD_LOG_NOTICE, "source '%s': reconciliation removed %llu records", job->c->name,
                       (unsigned long long)removed);
        if (st == FD_OK)
                fd_log(FD_LOG_NOTICE,
                       "source '%s': harvest done in %.1f s: %llu records (%llu added, %llu updated, "
                       "%llu unchanged), %llu deleted, %llu skipped, %llu pages (%.0f records/s)",
                       job->c->name, secs, (unsigned long long)n.records, (unsigned long long)n.added,
                       (unsigned long long)n.updated, (unsigned long long)n.unchanged,
                       (unsigned long long)(n.deleted > removed ? n.deleted - removed : 0),
                       (unsigned long long)n.skipped, (unsigned long long)pages,
                       secs > 0 ? (double)(n.records + n.deleted) / secs : 0.0);
        else if (st == FD_E_CANCELLED && !stuck)
                fd_log(FD_LOG_NOTICE, "source '%s': harvest stopped after %.1f s at its last committed page",
                       job->c->name, secs);

        record_errors(job, st, &err, started, now);
        for (size_t i = 0; i < job->n_warnings; i++)
                free(job->warnings[i]);
        free(job->warnings);

        pthread_mutex_lock(&s->lock);
        s->outcome = (struct fd_run_outcome){.ended = true, .status = st, .end = now, .seconds = secs};
        snprintf(s->outcome.error, sizeof s->outcome.error, "%s", st == FD_OK ? "" : err.msg);
        pthread_mutex_unlock(&s->lock);
        fd_daemon_wake(d);
        free(job);
        return NULL;
}

enum fd_status fd_harvest_start(struct fd_daemon *d, struct fd_source_state *s, struct fd_error *err) {
        struct job *job = calloc(1, sizeof *job);
        if (!job)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        job->d = d;
        job->s = s;

        _fd_free_ char *moved_from = NULL;
        pthread_mutex_lock(&s->lock);
        const struct fd_source_config *c = job->c = s->config;
        bool other_url = fd_checkpoint_moved(&s->checkpoint, c->url);
        if (s->sched.full_restart || other_url) {
                /* The URL changed: what the checkpoint says is of another
                 * repository.  The index keeps the old checkpoint until the
                 * first page of this run commits, but it names the old URL,
                 * so a restart before then drops it again. */
                _fd_free_ char *state = NULL;
                if (other_url)
                        moved_from = FD_TAKE_PTR(s->checkpoint.url);
                fd_checkpoint_release(&s->checkpoint);
                memset(&s->checkpoint, 0, sizeof s->checkpoint);
                s->last_reconciled = 0;
                s->sched.full_restart = false;
                if ((state = fd_state_path(d->state_dir, FD_STATE_DCAT, c->name)))
                        unlink(state);
        }
        atomic_store(&s->cancel, atomic_load(&d->stopping));
        s->stuck = false;
        s->sched.progress_at = 0;
        s->state = FD_RUN_RUNNING;
        s->last_start = fd_time_now();
        s->run = (struct fd_run_counts){0};
        s->progress_total = -1;
        s->progress_done = 0;
        s->index_error[0] = '\0';
        atomic_store(&s->abort, false);
        s->outcome = (struct fd_run_outcome){0};
        int r = pthread_create(&s->sched.thread, NULL, harvest_main, job);
        s->sched.thread_live = r == 0;
        if (r != 0)
                s->state = FD_RUN_IDLE;
        pthread_mutex_unlock(&s->lock);
        if (r != 0) {
                free(job);
                return fd_error_set(err, FD_E_NOMEM, "cannot create a thread: %s", strerror(r));
        }
        if (moved_from)
                fd_log(FD_LOG_NOTICE, "source '%s': its checkpoint is of '%s', harvesting '%s' in full",
                       c->name, moved_from, c->url);
        fd_log(FD_LOG_INFO, "source '%s': harvest started", c->name);
        return FD_OK;
}

/* ---- purge ------------------------------------------------------------- */

enum fd_status fd_harvest_purge(struct fd_daemon *d, const char *source, struct fd_source_state *s,
                                uint64_t *ret_deleted, struct fd_error *err) {
        struct batch b = {.prefix_len = strlen(source) + 1};
        uint64_t deleted = 0;
        enum fd_status st = FD_OK;

        for (;;) {
                _fd_cleanup_(fd_page_freep) struct fd_page *p = NULL;
                char *after = b.last;

                b.last = NULL;
                if ((st = fd_page_new(source, "purge", RECONCILE_ARENA_CAP, &p, err))) {
                        free(after);
                        break;
                }
                b.page = p;
                b.st = FD_OK;
                st = fd_index_ids(&d->shards, source, after, on_index_id, &b, err);
                free(after);
                if (st == FD_OK && b.st)
                        st = fd_error_set(err, b.st, "purge: cannot collect the records of '%s': %s", source,
                                          fd_status_name(b.st));
                if (st || p->records.n == 0)
                        break;
                deleted += p->records.n;
                if (s) {
                        pthread_mutex_lock(&s->lock);
                        s->pages_pushed++;
                        pthread_mutex_unlock(&s->lock);
                }
                if (!fd_queue_push(d->pages, FD_TAKE_PTR(p))) {
                        if (s) {
                                pthread_mutex_lock(&s->lock);
                                s->pages_pushed--;
                                pthread_mutex_unlock(&s->lock);
                        }
                        st = fd_error_set(err, FD_E_CANCELLED, "purge: the indexer took no more pages");
                        break;
                }
                if (!b.last)
                        break;
        }
        free(b.last);
        if (s) {
                pthread_mutex_lock(&s->lock);
                while (s->pages_done < s->pages_pushed)
                        pthread_cond_wait(&s->committed, &s->lock);
                pthread_mutex_unlock(&s->lock);
        }
        if (st)
                return st;
        *ret_deleted = deleted;
        return FD_OK;
}
