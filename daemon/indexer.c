/* indexer.c: the index thread, sole owner of the writable database.
 *
 * It takes whole pages from the bounded queue and, for each, writes the
 * page's records and the source's checkpoint and commits once: Xapian makes
 * a commit visible atomically, so after a crash at any moment the index
 * and the checkpoint agree and the harvest resumes from the last committed
 * page.  A page that cannot be written is cancelled as a whole and its
 * source's run is aborted; the indexer keeps serving other sources.
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
 * The admin op `rescore` puts a marker on the same queue, so the one
 * writer does that work too: it walks every source's records in batches,
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

/* The queue item that asks for a rescore (never freed, never a page). */
static char rescore_job;
/* A rescore is queued or running: a second request joins it. */
static atomic_bool rescore_pending;
/* Test hook: FD_TEST_RUBRIC_VERSION (d->test.rubric, set at start)
 * overrides the rubric version written into new scores (docs/fair.md), so
 * that a test can make records of an "older" rubric. */
static const char *rubric_override = "";

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

static enum fd_status write_page(struct fd_daemon *d, const struct fd_page *page, int64_t reconciled,
                                 struct page_counts *ret_counts, struct fd_error *err) {
        _fd_free_ char *key = NULL, *cp = NULL, *rkey = NULL;
        struct page_counts n = {0};
        enum fd_status st;

        for (size_t i = 0; i < page->records.n; i++) {
                const struct fd_record *r = page->records.v[i];
                if (r->deleted) {
                        bool existed = false;
                        st = delete_record(d->writer, r->id, &existed, err);
                        n.deleted_headers++;
                        n.deleted += existed;
                } else {
                        enum stored stored = STORED_OTHER;
                        st = put_record(d->writer, r, &stored, err);
                        n.added += stored == STORED_NONE;
                        n.updated += stored == STORED_OTHER;
                        n.unchanged += stored == STORED_SAME;
                }
                if (st)
                        return st;
        }
        cp = fd_checkpoint_to_json(&page->checkpoint);
        if (!cp || asprintf(&key, FD_META_CHECKPOINT "%s", page->source) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        st = fd_index_set_meta(d->writer, key, cp, err);
        if (st)
                return st;
        if (reconciled) {
                char when[32];
                if (asprintf(&rkey, FD_META_RECONCILED "%s", page->source) < 0)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                st = fd_index_set_meta(d->writer, rkey, fd_time_iso(reconciled, when, sizeof when), err);
                if (st)
                        return st;
        }
        st = fd_index_commit(d->writer, err);
        if (st == FD_OK)
                *ret_counts = n;
        return st;
}

static void index_page(struct fd_daemon *d, void *item) {
        _fd_cleanup_(fd_page_freep) struct fd_page *page = item;
        struct fd_source_state *s = fd_source_find(d, page->source);
        struct fd_error err = {0};
        struct page_counts n = {0};
        uint64_t count = 0;
        int64_t reconciled = 0;
        enum fd_status st;

        if (s) {
                pthread_mutex_lock(&s->lock);
                if (s->reconcile_page == page)
                        reconciled = s->reconcile_stamp;
                pthread_mutex_unlock(&s->lock);
        }
        if (atomic_load(&d->indexer_failed))
                st = fd_error_set(&err, d->indexer_error.status, "%s", d->indexer_error.msg);
        else
                st = write_page(d, page, reconciled, &n, &err);
        if (st) {
                struct fd_error e2 = {0};
                fd_error_prefix(&err, "source '%s': cannot index page from '%s'", page->source,
                                page->url ? page->url : "");
                fd_log(FD_LOG_ERR, "%s", err.msg);
                if (!atomic_load(&d->indexer_failed) && fd_index_cancel(d->writer, &e2) != FD_OK) {
                        /* The writable handle is unusable: nothing more can be committed. */
                        fd_log(FD_LOG_ERR, "index unusable, refusing further pages: %s", e2.msg);
                        d->indexer_error = e2;
                        atomic_store(&d->indexer_failed, true);
                }
        } else {
                fd_log(FD_LOG_DEBUG, "source '%s': page committed, %" PRIu64 " added, %" PRIu64 " updated, %"
                       PRIu64 " unchanged, %" PRIu64 " deleted (of %" PRIu64 " deleted headers)", page->source,
                       n.added, n.updated, n.unchanged, n.deleted, n.deleted_headers);
                atomic_fetch_add(&d->generation, 1);
                if (fd_index_count(d->writer, &count, NULL) == FD_OK)
                        atomic_store(&d->records_indexed, count);
        }

        if (!s)
                return;
        pthread_mutex_lock(&s->lock);
        if (st) {
                snprintf(s->index_error, sizeof s->index_error, "%s", err.msg);
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
                if (page->complete_list_size >= 0)
                        s->progress_total = page->complete_list_size;
                s->progress_done = page->checkpoint.records + page->checkpoint.deleted +
                                   page->checkpoint.skipped;
                if (reconciled)
                        s->last_reconciled = reconciled;
        }
        s->pages_done++;
        pthread_cond_broadcast(&s->committed);
        pthread_mutex_unlock(&s->lock);
}

/* ---- rescore ---------------------------------------------------------- */

struct rescore {
        bool active;
        size_t source;          /* index into d->sources of the source in hand */
        char *after;            /* last id handled in it, NULL: from its first */
        uint64_t rescored, seen;
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

/* Reassesses record id when its stored score is of another rubric; *ret_done
 * tells whether it was rewritten. */
static enum fd_status rescore_one(struct fd_daemon *d, struct fd_arena *a, const char *id, bool *ret_done,
                                  struct fd_error *err) {
        _fd_free_ char *text = NULL;
        json_error_t jerr;
        struct fd_record *r;
        enum fd_status st;

        *ret_done = false;
        st = fd_index_get(d->writer, id, &text, err);
        if (st == FD_E_NOTFOUND)
                return FD_OK;   /* deleted since the walk's view */
        if (st)
                return st;
        json_t *obj = json_loads(text, 0, &jerr);
        if (!obj)
                return fd_error_set(err, FD_E_PARSE, "stored record '%s' is not JSON: %s", id, jerr.text);
        const char *rubric = json_string_value(json_object_get(json_object_get(obj, "fair"), "rubric"));
        if (rubric && strcmp(rubric, rubric_version()) == 0) {
                json_decref(obj);
                return FD_OK;
        }
        fd_arena_reset(a);
        st = fd_record_from_json(obj, a, &r, err);
        if (st == FD_OK)
                st = put_record(d->writer, r, NULL, err);
        if (st == FD_OK)
                *ret_done = true;
        json_decref(obj);
        return st;
}

static void rescore_end(struct rescore *rs) {
        free(rs->after);
        *rs = (struct rescore){0};
        atomic_store(&rescore_pending, false);
}

/* One batch of the rescore in hand, committed. */
static void rescore_step(struct fd_daemon *d, struct rescore *rs) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = fd_arena_new((size_t)64 << 20);
        struct id_batch b = {.n = 0};
        struct fd_error err = {0};
        uint64_t done = 0;
        enum fd_status st;

        if (rs->source >= d->n_sources) {
                fd_log(FD_LOG_NOTICE, "rescore: %" PRIu64 " records rescored to rubric %s (%" PRIu64
                       " looked at)", rs->rescored, rubric_version(), rs->seen);
                rescore_end(rs);
                return;
        }
        const char *source = d->sources[rs->source].config->name;
        if (!a)
                st = fd_error_set(&err, FD_E_NOMEM, "out of memory");
        else
                st = fd_index_ids(d->index_path, source, rs->after, collect_id, &b, &err);
        if (st == FD_E_NOTFOUND)
                st = FD_OK;  /* no index yet */
        if (st == FD_OK && b.oom)
                st = fd_error_set(&err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; st == FD_OK && i < b.n; i++) {
                bool one;
                st = rescore_one(d, a, b.ids[i], &one, &err);
                if (st == FD_E_PARSE) {
                        /* one damaged document does not stop the rest */
                        fd_log(FD_LOG_WARNING, "rescore: record '%s' left as it is: %s", b.ids[i], err.msg);
                        st = FD_OK;
                }
                done += one;
        }
        if (st == FD_OK && done)
                st = fd_index_commit(d->writer, &err);
        if (st) {
                struct fd_error e2 = {0};
                fd_log(FD_LOG_ERR, "rescore: stopped in source '%s' after %" PRIu64 " records: %s", source,
                       rs->rescored, err.msg);
                if (fd_index_cancel(d->writer, &e2) != FD_OK) {
                        fd_log(FD_LOG_ERR, "index unusable, refusing further pages: %s", e2.msg);
                        d->indexer_error = e2;
                        atomic_store(&d->indexer_failed, true);
                }
                for (size_t i = 0; i < b.n; i++)
                        free(b.ids[i]);
                rescore_end(rs);
                return;
        }
        if (done)
                atomic_fetch_add(&d->generation, 1);
        rs->rescored += done;
        rs->seen += b.n;
        if (b.n == RESCORE_BATCH) {
                free(rs->after);
                rs->after = b.ids[b.n - 1];
                b.ids[--b.n] = NULL;
        } else {
                free(rs->after);
                rs->after = NULL;
                rs->source++;
        }
        for (size_t i = 0; i < b.n; i++)
                free(b.ids[i]);
}

static void *indexer_main(void *arg) {
        struct fd_daemon *d = arg;
        struct rescore rs = {0};
        void *item;

        pthread_setname_np(pthread_self(), "index");
        for (;;) {
                if (rs.active && atomic_load(&d->stopping)) {
                        fd_log(FD_LOG_NOTICE, "rescore: stopped by shutdown after %" PRIu64
                               " records; the next rescore goes on", rs.rescored);
                        rescore_end(&rs);
                }
                if (rs.active && !atomic_load(&d->indexer_failed) && fd_queue_length(d->pages) == 0) {
                        rescore_step(d, &rs);
                        continue;
                }
                if (!fd_queue_pop(d->pages, &item))
                        break;
                if (item == &rescore_job) {
                        if (atomic_load(&d->indexer_failed)) {
                                fd_log(FD_LOG_ERR, "rescore: refused, the index is unusable");
                                atomic_store(&rescore_pending, false);
                        } else if (!rs.active) {
                                fd_log(FD_LOG_INFO, "rescore: started, to rubric %s", rubric_version());
                                rs.active = true;
                        }
                        continue;
                }
                index_page(d, item);
        }
        if (rs.active)
                rescore_end(&rs);
        return NULL;
}

enum fd_status fd_indexer_rescore(struct fd_daemon *d, const char **ret_rubric, struct fd_error *err) {
        if (atomic_load(&d->indexer_failed))
                return fd_error_set(err, d->indexer_error.status, "%s", d->indexer_error.msg);
        bool already = atomic_exchange(&rescore_pending, true);
        if (!already && !fd_queue_push(d->pages, &rescore_job)) {
                atomic_store(&rescore_pending, false);
                return fd_error_set(err, FD_E_INVALID, "the daemon is stopping");
        }
        *ret_rubric = rubric_version();
        return FD_OK;
}

enum fd_status fd_indexer_start(struct fd_daemon *d, struct fd_error *err) {
        uint64_t count = 0;
        if (fd_index_count(d->writer, &count, err) != FD_OK)
                return err ? err->status : FD_E_INDEX;
        atomic_store(&d->records_indexed, count);
        rubric_override = d->test.rubric;
        int r = pthread_create(&d->indexer_thread, NULL, indexer_main, d);
        if (r != 0)
                return fd_error_set(err, FD_E_NOMEM, "cannot create the indexer thread: %s", strerror(r));
        return FD_OK;
}

void fd_indexer_stop(struct fd_daemon *d) {
        fd_queue_close(d->pages);
        pthread_join(d->indexer_thread, NULL);
}
