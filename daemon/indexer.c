/* indexer.c: the index thread, which feeds the shards' writers.
 *
 * It takes whole pages from the bounded queue and, for each, splits the
 * page's records by route (fd_index_route_shard) and hands every shard its
 * share (shards.c runs them at once, one thread per shard): the shards
 * other than the home shard (0) write and commit theirs, the home shard
 * writes its share meanwhile and commits it last together with the
 * source's checkpoint.  That last commit overlaps the next page: the other
 * shards start on their shares of it at once, and the page is finished
 * (counted, its source told) when the home shard is wanted again or the
 * queue is empty (struct page_job).  Xapian makes each commit visible atomically, so
 * with one database the index and the checkpoint agree after a crash at
 * any moment; with several, a crash between the shards' commits leaves
 * records of the page committed ahead of its checkpoint, and the harvest
 * replays the page from the old one, which rewrites them in place (a record
 * is stored under its id term): nothing is lost or doubled.  A page that
 * cannot be written is cancelled (what a shard left uncommitted goes) and
 * its source's run is aborted; the indexer keeps serving other sources.  A
 * remote shard that does not answer is not a failure: shards.c waits for
 * it, and this thread with it, so the queue fills and the harvests wait.
 *
 * A record stored with the same datestamp and the very same JSON (mapping
 * and score) is not written again: a list restarted after an expired token
 * fetches committed pages anew, and skipping them keeps the indexer (and so
 * the harvester's wait on the queue, during which tokens age) fast.  The
 * same lookup sorts each record of a page into added (the index did not
 * hold it), updated or unchanged, and a deleted header counts as a
 * deletion only when the record was there; the source's run counts add
 * these up page by page, once the page is committed.
 *
 * The admin op `rescore` puts a marker on the same queue, so the writers
 * do that work too: it walks every source's records in batches (each
 * shard rewriting and committing its own records of a batch),
 * reassesses those whose stored "fair.rubric" is not the current rubric
 * from their stored JSON, and commits each batch.  Batches run only while
 * no page waits, so harvests are not held up; a rescore stopped midway
 * (shutdown, crash) leaves committed batches done and the next one goes on.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "daemon-private.h"

/* Records a rescore reassesses per commit: bounds its memory and the time
 * a waiting page waits. */
#define RESCORE_BATCH 200

/* The queue items that ask for a rescore or a remap (never freed, never
 * pages). */
static char rescore_job, remap_job;
/* A rescore (a remap) is queued or running: a second request joins it. */
static atomic_bool rescore_pending, remap_pending;
/* The source the queued remap is for ("": every one); written before its
 * marker is queued, read after it is taken off. */
static char remap_source[FD_ENGINE_PURGE_NAME_MAX + 1];
/* Test hook: FD_TEST_RUBRIC_VERSION (d->test.rubric, set at start)
 * overrides the rubric version written into new scores (docs/fair.md), so
 * that a test can make records of an "older" rubric. */
static const char *rubric_override = "";

/* Test hook: FD_TEST_MAPPER_OLD (d->test.mapper_old) names a format whose
 * harvested records are written as an older mapper would have read them:
 * one version back, without subjects (testhooks.c). */
static const char *mapper_old = "";

static const char *rubric_version(void) {
        return rubric_override[0] ? rubric_override : FD_FAIR_RUBRIC_VERSION;
}

/* What the index holds of a record, before a page is written. */
enum stored { STORED_NONE, STORED_SAME, STORED_OTHER };

/* Whether the index holds record id, and whether as the very text it would
 * be written as now (the same datestamp and JSON: the same mapping and
 * score; datestamp and text NULL: whether it holds it at all).  The datestamp, a value slot, is looked at first, so a changed
 * record costs no read of its stored document; the document itself is read
 * only to tell "same" from "other", or whether a record stored without a
 * datestamp is there at all.  On the writable handle the lookups see the
 * page's own uncommitted changes. */
static enum fd_status compare_stored(struct fd_index *idx, const char *id, const char *datestamp, const char *text,
                                     enum stored *ret, struct fd_error *err) {
        _fd_free_ char *stamp = NULL, *stored = NULL;
        enum fd_status st;

        st = fd_index_get_datestamp(idx, id, &stamp, err);
        if (st == FD_OK && !(datestamp && strcmp(stamp, datestamp) == 0)) {
                *ret = STORED_OTHER;
                return FD_OK;
        }
        if (st != FD_OK && st != FD_E_NOTFOUND)
                return st;
        st = fd_index_get(idx, id, &stored, err);
        if (st == FD_E_NOTFOUND) {
                *ret = STORED_NONE;
                return FD_OK;
        }
        if (st)
                return st;
        *ret = stamp && text && strcmp(stored, text) == 0 ? STORED_SAME : STORED_OTHER;
        return FD_OK;
}

/* Scores r and writes it.  With ret_stored (a harvested page), first
 * compares it with what the index holds and does not write it again when
 * it is the same; *ret_stored says which it was.  Without (a rescore), it
 * always writes. */
static enum fd_status put_record(struct fd_index *idx, const struct fd_record *r, enum stored *ret_stored,
                                 struct fd_error *err) {
        struct fd_fair_assessment fair;
        json_t *obj, *fj;
        _fd_free_ char *text = NULL;
        enum stored stored = STORED_OTHER;
        enum fd_status st;

        fd_fair_assess(r, &fair);
        obj = fd_record_to_json(r);
        fj = fd_fair_to_json(&fair);
        if (fj && rubric_override[0])
                json_object_set_new(fj, "rubric", json_string(rubric_override));
        if (!obj || !fj || json_object_set_new(obj, "fair", fj) < 0) {
                json_decref(obj);
                if (!obj)
                        json_decref(fj);
                return fd_error_set(err, FD_E_NOMEM, "out of memory encoding record '%s'", r->id);
        }
        if (r->format && strcmp(r->format, "dcat") == 0) {
                /* DCAT records: the data.europa.eu MQA view beside FAIR */
                struct fd_mqa_assessment mqa;
                fd_mqa_assess(r, &mqa);
                json_t *mj = fd_mqa_to_json(&mqa);
                if (!mj || json_object_set_new(obj, "mqa", mj) < 0) {
                        json_decref(obj);
                        return fd_error_set(err, FD_E_NOMEM, "out of memory encoding record '%s'", r->id);
                }
        }
        text = json_dumps(obj, JSON_COMPACT);
        json_decref(obj);
        if (!text)
                return fd_error_set(err, FD_E_NOMEM, "out of memory encoding record '%s'", r->id);
        if (ret_stored && (st = compare_stored(idx, r->id, r->datestamp, text, &stored, err)))
                return st;
        if (stored != STORED_SAME && (st = fd_index_put(idx, r, &fair, text, err)))
                return st;
        if (ret_stored)
                *ret_stored = stored;
        return FD_OK;
}

/* Removes record id; *ret_existed tells whether the index held it. */
static enum fd_status delete_record(struct fd_index *idx, const char *id, bool *ret_existed, struct fd_error *err) {
        enum stored stored;
        enum fd_status st = compare_stored(idx, id, NULL, NULL, &stored, err);

        if (st == FD_OK && stored != STORED_NONE)
                st = fd_index_delete(idx, id, err);
        if (st == FD_OK)
                *ret_existed = stored != STORED_NONE;
        return st;
}

/* What one page did: records by what the index held of them, deletions
 * applied (the record was there) and deleted headers. */
struct page_counts {
        uint64_t added, updated, unchanged, deleted, deleted_headers;
};

/* One shard's share of a page: the records routed to it.  The home shard
 * (0) writes its share with the others but commits it last, with the
 * checkpoint, once every other share is committed. */
struct part {
        const struct fd_page *page;
        size_t *idx;            /* indices into page->records */
        size_t n;
        bool commit;            /* commit at the end (else: written, left pending) */
        bool home;              /* with the source's checkpoint (shard 0) */
        int64_t reconciled;
        uint64_t written_at;    /* the handle it was written on (sh->opened + 1), 0: none */
        struct page_counts counts;
};

static enum fd_status write_records(struct fd_index *w, struct part *p, struct fd_error *err) {
        struct page_counts n = {0};
        enum fd_status st;

        for (size_t j = 0; j < p->n; j++) {
                const struct fd_record *r = p->page->records.v[p->idx[j]];
                if (r->deleted) {
                        bool existed = false;
                        st = delete_record(w, r->id, &existed, err);
                        n.deleted_headers++;
                        n.deleted += existed;
                } else {
                        enum stored stored = STORED_OTHER;
                        struct fd_record older;
                        if (mapper_old[0] && r->format && strcmp(r->format, mapper_old) == 0) {
                                older = *r;
                                older.mapper_version = r->mapper_version - 1;
                                older.subjects.n = 0;
                                r = &older;
                        }
                        st = put_record(w, r, &stored, err);
                        n.added += stored == STORED_NONE;
                        n.updated += stored == STORED_OTHER;
                        n.unchanged += stored == STORED_SAME;
                }
                if (st)
                        return st;
        }
        p->counts = n;
        return FD_OK;
}

static enum fd_status write_checkpoint(struct fd_index *w, const struct fd_page *page, int64_t reconciled,
                                       struct fd_error *err) {
        _fd_free_ char *key = NULL, *cp = NULL, *rkey = NULL;
        enum fd_status st;

        cp = fd_checkpoint_to_json(&page->checkpoint);
        if (!cp || asprintf(&key, FD_META_CHECKPOINT "%s", page->source) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        st = fd_index_set_meta(w, key, cp, err);
        if (st || !reconciled)
                return st;
        char when[32];
        if (asprintf(&rkey, FD_META_RECONCILED "%s", page->source) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        return fd_index_set_meta(w, rkey, fd_time_iso(reconciled, when, sizeof when), err);
}

/* A shard's work on its share (shards.c runs it, again on a new handle
 * when the shard did not answer: a share written on a lost connection is
 * written again). */
static enum fd_status part_write(struct fd_shard *sh, void *arg, struct fd_error *err) {
        struct part *p = arg;
        uint64_t n = 0;
        enum fd_status st;

        if (p->written_at != sh->opened + 1) {
                p->written_at = 0;
                if ((st = write_records(sh->writer, p, err)))
                        return st;
                p->written_at = sh->opened + 1;
        }
        if (!p->commit)
                return FD_OK;
        if (p->home && (st = write_checkpoint(sh->writer, p->page, p->reconciled, err)))
                return st;
        if ((st = fd_index_commit(sh->writer, err)))
                return st;
        if (fd_index_count(sh->writer, &n, NULL) == FD_OK)
                atomic_store(&sh->documents, n);
        return FD_OK;
}

/* Drops what a shard holds uncommitted after a failed page; a handle that
 * cannot even do that leaves the index unusable. */
static enum fd_status part_cancel(struct fd_shard *sh, void *arg, struct fd_error *err) {
        struct fd_daemon *d = arg;
        enum fd_status st = fd_index_cancel(sh->writer, err);

        if (st && sh->remote) {
                /* a connection in trouble: a new one starts clean */
                fd_shard_drop(sh);
                return FD_OK;
        }
        if (st) {
                fd_log(FD_LOG_ERR, "index unusable, refusing further pages: %s", err->msg);
                d->indexer_error = *err;
                atomic_store(&d->indexer_failed, true);
        }
        return st;
}

/* A page on its way through the shards.  Once every share is written and
 * the other shards' committed, the home shard commits its share with the
 * checkpoint while the index thread goes on to the next page, whose
 * shares for the other shards start at once: so the shards overlap their
 * commits with each other's writing.  The page is finished (counted, its
 * source told) before the home shard takes any other work, and before the
 * index thread waits for more: at most one page is in flight. */
struct page_job {
        struct fd_page *page;
        struct fd_source_state *s;
        int64_t reconciled;
        struct part *parts;
        struct fd_shard_work *works;
        struct fd_shard_work **posted;
        size_t *idx, *shard_of;
        enum fd_status status;
        struct fd_error err;
};

/* The page whose home share is being committed (NULL: none). */
static struct page_job *inflight;

static void page_job_free(struct page_job *j) {
        if (!j)
                return;
        fd_page_free(j->page);
        free(j->parts);
        free(j->works);
        free(j->posted);
        free(j->idx);
        free(j->shard_of);
        free(j);
}

/* A job for page (which it takes); NULL when out of memory. */
static struct page_job *page_job_new(struct fd_daemon *d, struct fd_page *page) {
        size_t n = d->n_shards, nr = page->records.n ? page->records.n : 1;
        struct page_job *j = calloc(1, sizeof *j);

        if (j) {
                j->page = page;
                j->parts = calloc(n, sizeof *j->parts);
                j->works = calloc(n, sizeof *j->works);
                j->posted = calloc(n, sizeof *j->posted);
                j->idx = calloc(nr, sizeof *j->idx);
                j->shard_of = calloc(nr, sizeof *j->shard_of);
        }
        if (!j || !j->parts || !j->works || !j->posted || !j->idx || !j->shard_of) {
                if (j)
                        j->page = NULL;
                page_job_free(j);
                return NULL;
        }
        return j;
}

/* Sorts the page's records into the shards' shares (a counting sort, in
 * page order) and readies each share's work. */
static void page_job_route(struct fd_daemon *d, struct page_job *j, atomic_uint_fast64_t *ticks) {
        const struct fd_page *page = j->page;
        size_t n = d->n_shards;
        struct part *parts = j->parts;

        for (size_t i = 0; i < page->records.n; i++) {
                j->shard_of[i] = fd_index_route_shard(d->route, n, page->source, page->records.v[i]->id);
                parts[j->shard_of[i]].n++;
        }
        for (size_t k = 0, at = 0; k < n; k++) {
                parts[k].idx = j->idx + at;
                at += parts[k].n;
                parts[k].n = 0;
        }
        for (size_t i = 0; i < page->records.n; i++) {
                struct part *p = &parts[j->shard_of[i]];
                p->idx[p->n++] = i;
        }
        for (size_t k = 0; k < n; k++) {
                parts[k].page = page;
                parts[k].commit = k != 0;
                parts[k].home = k == 0;
                parts[k].reconciled = j->reconciled;
                j->works[k] = (struct fd_shard_work){.fn = part_write, .arg = &parts[k], .retry = true,
                                                     .ticks = ticks};
                j->posted[k] = parts[k].n ? &j->works[k] : NULL;
        }
}

/* Shard k's failure as j's (n > 1: naming the shard). */
static void page_job_take(struct fd_daemon *d, struct page_job *j, size_t k) {
        j->status = j->works[k].status;
        j->err = j->works[k].err;
        if (d->n_shards > 1)
                fd_error_prefix(&j->err, "shard '%s'", d->shard[k].name);
}

/* The first failed work of the posted ones into j. */
static void page_job_status(struct fd_daemon *d, struct page_job *j) {
        for (size_t k = 0; k < d->n_shards && j->status == FD_OK; k++)
                if (j->posted[k] && j->works[k].status)
                        page_job_take(d, j, k);
}

/* The index thread's earlier failure (d->indexer_failed) as j's. */
static void page_job_indexer_failed(struct fd_daemon *d, struct page_job *j) {
        j->status = fd_error_set(&j->err, d->indexer_error.status, "%s", d->indexer_error.msg);
}

/* After a failure: what a share left uncommitted goes (what others
 * committed stays: the page is replayed from the old checkpoint). */
static void page_job_cancel(struct fd_daemon *d, struct page_job *j) {
        for (size_t k = 0; k < d->n_shards; k++) {
                bool pending = (j->parts[k].n || k == 0) && (k == 0 || j->works[k].status);
                j->works[k] = (struct fd_shard_work){.fn = part_cancel, .arg = d};
                j->posted[k] = pending ? &j->works[k] : NULL;
        }
        fd_shards_run(d, j->posted);
}

/* The end of a page, committed or failed: its counts and checkpoint to its
 * source, which may wait for them. */
static void page_job_finish(struct fd_daemon *d, struct page_job *j) {
        const struct fd_page *page = j->page;
        struct fd_source_state *s = j->s;
        struct page_counts n = {0};

        if (j->status) {
                fd_error_prefix(&j->err, "source '%s': cannot index page from '%s'", page->source,
                                page->url ? page->url : "");
                fd_log(FD_LOG_ERR, "%s", j->err.msg);
        } else {
                for (size_t k = 0; k < d->n_shards; k++) {
                        n.added += j->parts[k].counts.added;
                        n.updated += j->parts[k].counts.updated;
                        n.unchanged += j->parts[k].counts.unchanged;
                        n.deleted += j->parts[k].counts.deleted;
                        n.deleted_headers += j->parts[k].counts.deleted_headers;
                }
                fd_log(FD_LOG_DEBUG, "source '%s': page committed, %" PRIu64 " added, %" PRIu64 " updated, %"
                       PRIu64 " unchanged, %" PRIu64 " deleted (of %" PRIu64 " deleted headers)", page->source,
                       n.added, n.updated, n.unchanged, n.deleted, n.deleted_headers);
                atomic_fetch_add(&d->generation, 1);
                atomic_store(&d->records_indexed, fd_shards_documents(d));
        }
        if (s) {
                pthread_mutex_lock(&s->lock);
                if (j->status) {
                        snprintf(s->index_error, sizeof s->index_error, "%s", j->err.msg);
                        atomic_store(&s->abort, true);
                } else {
                        struct fd_checkpoint copy = {0};
                        if (fd_checkpoint_copy(&copy, &page->checkpoint) == FD_OK) {
                                fd_checkpoint_release(&s->checkpoint);
                                s->checkpoint = copy;
                        } else
                                fd_checkpoint_release(&copy);
                        s->run.records += page->records.n - n.deleted_headers;
                        s->run.added += n.added;
                        s->run.updated += n.updated;
                        s->run.unchanged += n.unchanged;
                        s->run.deleted += n.deleted;
                        s->run.skipped += page->n_skipped;
                        for (size_t i = 0; i < page->skipped_formats.n; i++)
                                fd_run_count_skip(&s->run, page->skipped_formats.v[i].format,
                                                  page->skipped_formats.v[i].n);
                        if (page->complete_list_size >= 0)
                                s->progress_total = page->complete_list_size;
                        s->progress_done = page->checkpoint.records + page->checkpoint.deleted +
                                           page->checkpoint.skipped;
                        if (j->reconciled)
                                s->last_reconciled = j->reconciled;
                }
                s->pages_done++;
                pthread_cond_broadcast(&s->committed);
                pthread_mutex_unlock(&s->lock);
        }
}

/* Waits for the page in flight to be committed, and finishes it. */
static void finish_inflight(struct fd_daemon *d) {
        struct page_job *j = inflight;

        if (!j)
                return;
        inflight = NULL;
        fd_shards_wait(d, 0);
        if (j->works[0].status) {
                page_job_take(d, j, 0);
                page_job_cancel(d, j);
        }
        page_job_finish(d, j);
        page_job_free(j);
}

/* Writes a page over the shards: every share but the home shard's is
 * written and committed, in parallel, while the home shard finishes the
 * page before (finish_inflight) and writes its share; then the home
 * shard commits its share with the checkpoint, in flight until the next
 * page needs the home shard.  A crash between the commits replays the page
 * from the old checkpoint: records are idempotent by their id term, so
 * nothing is lost or doubled. */
static void index_page(struct fd_daemon *d, void *item) {
        struct fd_page *page = item;
        struct fd_source_state *s = fd_source_find(d, page->source);
        int64_t reconciled = 0;
        struct page_job *j;

        if (s) {
                pthread_mutex_lock(&s->lock);
                if (s->reconcile_page == page)
                        reconciled = s->reconcile_stamp;
                pthread_mutex_unlock(&s->lock);
        }
        if (!(j = page_job_new(d, page))) {
                struct page_job oom = {.page = page, .s = s};
                finish_inflight(d);
                oom.status = fd_error_set(&oom.err, FD_E_NOMEM, "out of memory");
                page_job_finish(d, &oom);
                fd_page_free(page);
                return;
        }
        j->s = s;
        j->reconciled = reconciled;
        if (atomic_load(&d->indexer_failed)) {
                finish_inflight(d);
                page_job_indexer_failed(d, j);
                page_job_finish(d, j);
                page_job_free(j);
                return;
        }
        page_job_route(d, j, s ? &s->ticks : NULL);
        for (size_t k = 1; k < d->n_shards; k++)
                if (j->posted[k])
                        fd_shards_post(d, k, j->posted[k]);
        finish_inflight(d);
        if (j->posted[0] && !atomic_load(&d->indexer_failed))
                fd_shards_post(d, 0, j->posted[0]);
        for (size_t k = 0; k < d->n_shards; k++)
                if (j->posted[k])
                        fd_shards_wait(d, k);
        page_job_status(d, j);
        if (j->status == FD_OK && atomic_load(&d->indexer_failed))
                page_job_indexer_failed(d, j);
        if (j->status) {
                page_job_cancel(d, j);
                page_job_finish(d, j);
                page_job_free(j);
                return;
        }
        j->parts[0].commit = true;
        fd_shards_post(d, 0, &j->works[0]);
        inflight = j;
}

/* ---- rescore and remap ------------------------------------------------ */

/* A walk over every record (of one source, or of all), a batch at a time:
 * a rescore or a remap. */
struct job {
        const char *name;       /* "rescore", "remap" */
        bool active;
        /* looks at one record; *ret_done: rewritten, *ret_changed: its
         * mapping is not what it was (remap) */
        enum fd_status (*one)(struct fd_index *w, struct fd_arena *a, const char *id, bool *ret_done,
                              bool *ret_changed, struct fd_error *err);
        atomic_bool *pending;
        char only[FD_ENGINE_PURGE_NAME_MAX + 1];  /* the one source, "": all */
        size_t source;          /* index into d->sources of the source in hand */
        char *after;            /* last id handled in it, NULL: from its first */
        uint64_t done, changed, seen;
};

struct id_batch {
        char *ids[RESCORE_BATCH];
        size_t n;
        bool oom;
};

static bool collect_id(void *userdata, const char *id) {
        struct id_batch *b = userdata;
        if (!(b->ids[b->n] = strdup(id))) {
                b->oom = true;
                return false;
        }
        return ++b->n < RESCORE_BATCH;
}

/* The stored record id as JSON (NULL and FD_OK: deleted since the walk's view). */
static enum fd_status stored_json(struct fd_index *w, const char *id, json_t **ret, struct fd_error *err) {
        _fd_free_ char *text = NULL;
        json_error_t jerr;
        enum fd_status st = fd_index_get(w, id, &text, err);

        *ret = NULL;
        if (st == FD_E_NOTFOUND)
                return FD_OK;
        if (st)
                return st;
        if (!(*ret = json_loads(text, 0, &jerr)))
                return fd_error_set(err, FD_E_PARSE, "stored record '%s' is not JSON: %s", id, jerr.text);
        return FD_OK;
}

/* The metadata as harvested of record id onto r (none: left without). */
static enum fd_status keep_raw(struct fd_index *w, struct fd_arena *a, struct fd_record *r, const char *id,
                               struct fd_error *err) {
        _fd_free_ void *raw = NULL;
        size_t len = 0;
        enum fd_status st = fd_index_get_raw(w, id, &raw, &len, err);

        if (st == FD_E_NOTFOUND)
                return FD_OK;
        if (st)
                return st;
        void *copy = fd_arena_alloc(a, len ? len : 1);
        if (!copy)
                return fd_error_set(err, FD_E_NOMEM, "out of memory reading record '%s'", id);
        memcpy(copy, raw, len);
        r->raw = copy;
        r->raw_len = len;
        return FD_OK;
}

/* Reassesses record id when its stored score is of another rubric. */
static enum fd_status rescore_one(struct fd_index *w, struct fd_arena *a, const char *id, bool *ret_done,
                                  bool *ret_changed, struct fd_error *err) {
        _fd_cleanup_(fd_json_freep) json_t *obj = NULL;
        struct fd_record *r;
        enum fd_status st;

        *ret_done = *ret_changed = false;
        if ((st = stored_json(w, id, &obj, err)) || !obj)
                return st;
        const char *rubric = json_string_value(json_object_get(json_object_get(obj, "fair"), "rubric"));
        if (rubric && strcmp(rubric, rubric_version()) == 0)
                return FD_OK;
        fd_arena_reset(a);
        st = fd_record_from_json(obj, a, &r, err);
        if (st == FD_OK)
                st = keep_raw(w, a, r, id, err);
        if (st == FD_OK)
                st = put_record(w, r, NULL, err);
        if (st == FD_OK)
                *ret_done = true;
        return st;
}

/* Whether records a and b say the same, their mapper's version and score aside. */
static bool same_mapping(const struct fd_record *a, const struct fd_record *b) {
        _fd_cleanup_(fd_json_freep) json_t *ja = fd_record_to_json(a);
        _fd_cleanup_(fd_json_freep) json_t *jb = fd_record_to_json(b);

        if (!ja || !jb)
                return false;
        json_object_del(ja, "mapper_version");
        json_object_del(jb, "mapper_version");
        return json_equal(ja, jb);
}

/* Maps record id again from its metadata as harvested when the mapper
 * that read it is not today's version.  Metadata that no longer maps
 * leaves the record as it is, with a warning. */
static enum fd_status remap_one(struct fd_index *w, struct fd_arena *a, const char *id, bool *ret_done,
                                bool *ret_changed, struct fd_error *err) {
        _fd_cleanup_(fd_json_freep) json_t *obj = NULL;
        _fd_cleanup_(fd_page_freep) struct fd_page *page = NULL;
        _fd_free_ char *xml = NULL;
        struct fd_record *old;
        size_t len = 0;
        enum fd_status st;

        *ret_done = *ret_changed = false;
        if ((st = stored_json(w, id, &obj, err)) || !obj)
                return st;
        fd_arena_reset(a);
        if ((st = fd_record_from_json(obj, a, &old, err)))
                return st;
        int current = fd_mapper_current_version(old->format);
        if (current == 0 || old->deleted || old->mapper_version == current)
                return FD_OK;
        if ((st = keep_raw(w, a, old, id, err)) || !old->raw)
                return st;
        st = fd_raw_inflate(old->raw, old->raw_len, &xml, &len, err);
        if (st == FD_OK)
                st = fd_oai_remap(old, xml, len, &page, err);
        if (st == FD_E_PARSE || st == FD_E_CORRUPT || st == FD_E_PROTOCOL || st == FD_E_LIMIT) {
                fd_log(FD_LOG_WARNING, "remap: record '%s' left as it is: %s", id, err->msg);
                return FD_OK;
        }
        if (st)
                return st;
        struct fd_record *r = page->records.v[0];
        r->raw = old->raw;
        r->raw_len = old->raw_len;
        if ((st = put_record(w, r, NULL, err)))
                return st;
        *ret_done = true;
        *ret_changed = !same_mapping(old, r);
        return FD_OK;
}

static void job_end(struct job *j) {
        free(j->after);
        j->after = NULL;
        j->active = false;
        j->source = 0;
        j->done = j->changed = j->seen = 0;
        atomic_store(j->pending, false);
}

static void job_log_end(const struct job *j) {
        if (j->one == rescore_one)
                fd_log(FD_LOG_NOTICE, "rescore: %" PRIu64 " records rescored to rubric %s (%" PRIu64
                       " looked at)", j->done, rubric_version(), j->seen);
        else
                fd_log(FD_LOG_NOTICE, "remap: %" PRIu64 " records remapped, %" PRIu64 " of them changed (%" PRIu64
                       " looked at)", j->done, j->changed, j->seen);
}

/* One shard's ids of a batch, looked at and committed on that shard. */
struct batch_part {
        const struct job *j;
        char **ids;
        size_t n;
        uint64_t done, changed;
};

static enum fd_status batch_run(struct fd_shard *sh, void *arg, struct fd_error *err) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new((size_t)64 << 20);
        struct batch_part *p = arg;
        enum fd_status st = FD_OK;

        if (!a)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; st == FD_OK && i < p->n; i++) {
                bool one, diff;
                st = p->j->one(sh->writer, a, p->ids[i], &one, &diff, err);
                if (st == FD_E_PARSE) {
                        /* one damaged document does not stop the rest */
                        fd_log(FD_LOG_WARNING, "%s: record '%s' left as it is: %s", p->j->name, p->ids[i], err->msg);
                        st = FD_OK;
                }
                p->done += one;
                p->changed += one && diff;
        }
        if (st == FD_OK && p->done)
                st = fd_index_commit(sh->writer, err);
        return st;
}

/* One batch of the job in hand, each shard's ids on that shard, committed. */
static void job_step(struct fd_daemon *d, struct job *j) {
        struct id_batch b = {.n = 0};
        struct fd_error err = {0};
        uint64_t done = 0, changed = 0;
        size_t n = d->n_shards;
        _fd_free_ struct batch_part *parts = calloc(n, sizeof *parts);
        _fd_free_ struct fd_shard_work *works = calloc(n, sizeof *works);
        _fd_free_ struct fd_shard_work **posted = calloc(n, sizeof *posted);
        _fd_free_ char **ids = NULL;
        enum fd_status st;

        while (j->source < d->n_sources && j->only[0] && strcmp(d->sources[j->source].config->name, j->only) != 0)
                j->source++;
        if (j->source >= d->n_sources) {
                job_log_end(j);
                job_end(j);
                return;
        }
        const char *source = d->sources[j->source].config->name;
        if (!parts || !works || !posted)
                st = fd_error_set(&err, FD_E_NOMEM, "out of memory");
        else
                st = fd_index_ids(&d->shards, source, j->after, collect_id, &b, &err);
        if (st == FD_E_NOTFOUND)
                st = FD_OK;  /* no index yet */
        if (st == FD_OK && b.oom)
                st = fd_error_set(&err, FD_E_NOMEM, "out of memory");
        if (st == FD_OK && b.n && !(ids = calloc(b.n, sizeof *ids)))
                st = fd_error_set(&err, FD_E_NOMEM, "out of memory");
        if (st == FD_OK && b.n) {
                /* each shard's ids, in the walk's order */
                for (size_t i = 0; i < b.n; i++)
                        parts[fd_index_route_shard(d->route, n, source, b.ids[i])].n++;
                for (size_t k = 0, at = 0; k < n; k++) {
                        parts[k].ids = ids + at;
                        at += parts[k].n;
                        parts[k].n = 0;
                        parts[k].j = j;
                }
                for (size_t i = 0; i < b.n; i++) {
                        struct batch_part *p = &parts[fd_index_route_shard(d->route, n, source, b.ids[i])];
                        p->ids[p->n++] = b.ids[i];
                }
                for (size_t k = 0; k < n; k++) {
                        works[k] = (struct fd_shard_work){.fn = batch_run, .arg = &parts[k]};
                        posted[k] = parts[k].n ? &works[k] : NULL;
                }
                fd_shards_run(d, posted);
                for (size_t k = 0; k < n; k++) {
                        done += parts[k].done;
                        changed += parts[k].changed;
                        if (posted[k] && works[k].status && st == FD_OK) {
                                st = works[k].status;
                                err = works[k].err;
                        }
                }
        }
        if (st) {
                fd_log(FD_LOG_ERR, "%s: stopped in source '%s' after %" PRIu64 " records: %s", j->name, source,
                       j->done, err.msg);
                for (size_t k = 0; k < n; k++) {
                        bool failed = posted && posted[k] && works[k].status;
                        if (works)
                                works[k] = (struct fd_shard_work){.fn = part_cancel, .arg = d};
                        if (posted)
                                posted[k] = failed ? &works[k] : NULL;
                }
                if (posted)
                        fd_shards_run(d, posted);
                for (size_t i = 0; i < b.n; i++)
                        free(b.ids[i]);
                job_end(j);
                return;
        }
        if (done) {
                atomic_fetch_add(&d->generation, 1);
                atomic_store(&d->records_indexed, fd_shards_documents(d));
        }
        j->done += done;
        j->changed += changed;
        j->seen += b.n;
        if (b.n == RESCORE_BATCH) {
                free(j->after);
                j->after = b.ids[b.n - 1];
                b.ids[--b.n] = NULL;
        } else {
                free(j->after);
                j->after = NULL;
                j->source++;
        }
        for (size_t i = 0; i < b.n; i++)
                free(b.ids[i]);
}

/* A job's marker taken off the queue: it starts (or joins the one running). */
static void job_start(struct fd_daemon *d, struct job *j, const char *only) {
        if (atomic_load(&d->indexer_failed)) {
                fd_log(FD_LOG_ERR, "%s: refused, the index is unusable", j->name);
                atomic_store(j->pending, false);
        } else if (!j->active) {
                if (j->one == rescore_one)
                        fd_log(FD_LOG_INFO, "rescore: started, to rubric %s", rubric_version());
                else
                        fd_log(FD_LOG_INFO, "remap: started, %s%s%s", only[0] ? "source '" : "every source",
                               only, only[0] ? "'" : "");
                snprintf(j->only, sizeof j->only, "%s", only);
                j->active = true;
        }
}

static void *indexer_main(void *arg) {
        struct fd_daemon *d = arg;
        struct job jobs[] = {
                {.name = "rescore", .one = rescore_one, .pending = &rescore_pending},
                {.name = "remap", .one = remap_one, .pending = &remap_pending},
        };
        void *item;

        pthread_setname_np(pthread_self(), "index");
        for (;;) {
                bool worked = false;
                /* A page in flight is finished before the thread waits for
                 * more, and before the shards do other work. */
                if (fd_queue_length(d->pages) == 0)
                        finish_inflight(d);
                for (size_t i = 0; i < FD_ELEMENTSOF(jobs); i++) {
                        struct job *j = &jobs[i];
                        if (j->active && atomic_load(&d->stopping)) {
                                fd_log(FD_LOG_NOTICE, "%s: stopped by shutdown after %" PRIu64
                                       " records; the next %s goes on", j->name, j->done, j->name);
                                job_end(j);
                        }
                        if (!worked && j->active && !atomic_load(&d->indexer_failed) &&
                            fd_queue_length(d->pages) == 0) {
                                job_step(d, j);
                                worked = true;
                        }
                }
                if (worked)
                        continue;
                if (!fd_queue_pop(d->pages, &item))
                        break;
                if (item == &rescore_job || item == &remap_job)
                        finish_inflight(d);
                if (item == &rescore_job)
                        job_start(d, &jobs[0], "");
                else if (item == &remap_job)
                        job_start(d, &jobs[1], remap_source);
                else
                        index_page(d, item);
        }
        finish_inflight(d);
        for (size_t i = 0; i < FD_ELEMENTSOF(jobs); i++)
                if (jobs[i].active)
                        job_end(&jobs[i]);
        return NULL;
}

/* Puts job's marker on the queue unless one is pending already. */
static enum fd_status queue_job(struct fd_daemon *d, void *job, atomic_bool *pending, const char *only,
                                struct fd_error *err) {
        if (atomic_load(&d->indexer_failed))
                return fd_error_set(err, d->indexer_error.status, "%s", d->indexer_error.msg);
        if (atomic_exchange(pending, true))
                return FD_OK;  /* joins the one queued or running */
        if (job == &remap_job)
                snprintf(remap_source, sizeof remap_source, "%s", only ? only : "");
        if (!fd_queue_push(d->pages, job)) {
                atomic_store(pending, false);
                return fd_error_set(err, FD_E_INVALID, "the daemon is stopping");
        }
        return FD_OK;
}

enum fd_status fd_indexer_rescore(struct fd_daemon *d, const char **ret_rubric, struct fd_error *err) {
        enum fd_status st = queue_job(d, &rescore_job, &rescore_pending, NULL, err);
        if (st == FD_OK)
                *ret_rubric = rubric_version();
        return st;
}

enum fd_status fd_indexer_remap(struct fd_daemon *d, const char *source, struct fd_error *err) {
        if (source && *source && !fd_source_find(d, source))
                return fd_error_set(err, FD_E_NOTFOUND, "no source '%s'", source);
        return queue_job(d, &remap_job, &remap_pending, source, err);
}

enum fd_status fd_indexer_start(struct fd_daemon *d, struct fd_error *err) {
        enum fd_status st = fd_shards_start(d, err);
        if (st)
                return st;
        atomic_store(&d->records_indexed, fd_shards_documents(d));
        if (d->readonly)
                return FD_OK;  /* the shard threads only watch the replicas */
        rubric_override = d->test.rubric;
        mapper_old = d->test.mapper_old;
        int r = pthread_create(&d->indexer_thread, NULL, indexer_main, d);
        if (r != 0)
                return fd_error_set(err, FD_E_NOMEM, "cannot create the indexer thread: %s", strerror(r));
        return FD_OK;
}

void fd_indexer_stop(struct fd_daemon *d) {
        fd_queue_close(d->pages);
        if (!d->readonly)
                pthread_join(d->indexer_thread, NULL);
        fd_shards_stop(d);
}
