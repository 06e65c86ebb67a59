/* indexer.c: the index thread, sole owner of the writable database.
 *
 * It takes whole pages from the bounded queue and, for each, writes the
 * page's records and the source's checkpoint and commits once: Xapian makes
 * a commit visible atomically, so after a crash at any moment the index
 * and the checkpoint agree and the harvest resumes from the last committed
 * page.  A page that cannot be written is cancelled as a whole and its
 * source's run is aborted; the indexer keeps serving other sources.
 */
#include "fd_daemon.h"

static enum fd_status put_record(struct fd_index *idx, const struct fd_record *r, struct fd_error *err) {
        struct fd_fair_assessment fair;
        json_t *obj, *fj;
        char *text;
        enum fd_status st;

        fd_fair_assess(r, &fair);
        obj = fd_record_to_json(r);
        fj = fd_fair_to_json(&fair);
        if (!obj || !fj || json_object_set_new(obj, "fair", fj) < 0) {
                json_decref(obj);
                return fd_error_set(err, FD_E_NOMEM, "out of memory encoding record '%s'", r->id);
        }
        text = json_dumps(obj, JSON_COMPACT);
        json_decref(obj);
        if (!text)
                return fd_error_set(err, FD_E_NOMEM, "out of memory encoding record '%s'", r->id);
        st = fd_index_put(idx, r, &fair, text, err);
        free(text);
        return st;
}

static enum fd_status write_page(struct fd_daemon *d, const struct fd_page *page, int64_t reconciled,
                                 uint64_t *ret_deleted, struct fd_error *err) {
        _fd_free_ char *key = NULL, *cp = NULL, *rkey = NULL;
        uint64_t deleted = 0;
        enum fd_status st;

        for (size_t i = 0; i < page->records.n; i++) {
                const struct fd_record *r = page->records.v[i];
                if (r->deleted) {
                        st = fd_index_delete(d->writer, r->id, err);
                        deleted++;
                } else
                        st = put_record(d->writer, r, err);
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
                *ret_deleted = deleted;
        return st;
}

static void *indexer_main(void *arg) {
        struct fd_daemon *d = arg;
        void *item;

        pthread_setname_np(pthread_self(), "index");
        while (fd_queue_pop(d->pages, &item)) {
                _fd_cleanup_(fd_page_freep) struct fd_page *page = item;
                struct fd_source_state *s = fd_daemon_source(d, page->source);
                struct fd_error err = {0};
                uint64_t deleted = 0, count = 0;
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
                        st = write_page(d, page, reconciled, &deleted, &err);
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
                        atomic_fetch_add(&d->generation, 1);
                        if (fd_index_count(d->writer, &count, NULL) == FD_OK)
                                atomic_store(&d->records_indexed, count);
                }

                if (!s)
                        continue;
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
                        s->run_records += page->records.n - deleted;
                        s->run_deleted += deleted;
                        s->run_skipped += page->n_skipped;
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
        return NULL;
}

enum fd_status fd_indexer_start(struct fd_daemon *d, struct fd_error *err) {
        uint64_t count = 0;
        if (fd_index_count(d->writer, &count, err) != FD_OK)
                return err ? err->status : FD_E_INDEX;
        atomic_store(&d->records_indexed, count);
        int r = pthread_create(&d->indexer_thread, NULL, indexer_main, d);
        if (r != 0)
                return fd_error_set(err, FD_E_NOMEM, "cannot create the indexer thread: %s", strerror(r));
        return FD_OK;
}

void fd_indexer_stop(struct fd_daemon *d) {
        fd_queue_close(d->pages);
        pthread_join(d->indexer_thread, NULL);
}
