/* page.c: the page, what a harvest hands to its sink.
 *
 * A page owns one arena that holds its records and every string they
 * point to, so that the indexer frees a page's work in one go after the
 * commit; only the checkpoint's strings are malloc'ed (they outlive the
 * page in the daemon's state).  Drivers and the daemon (reconciliation,
 * purge) make pages here and nowhere else, and the drivers hand them over
 * here: counted into the run's checkpoint, which the page carries.
 */
#include "harvesters-private.h"

#define DEFAULT_ARENA_CAP ((size_t)64 << 20)

enum fd_status fd_page_new(const char *source, const char *url, size_t cap, struct fd_page **ret_page,
                           struct fd_error *err) {
        struct fd_page *p = calloc(1, sizeof *p);

        if (!p)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        p->arena = fd_arena_new(cap ? cap : DEFAULT_ARENA_CAP);
        if (!p->arena) {
                free(p);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        p->complete_list_size = -1;
        p->source = fd_arena_strdup(p->arena, source ? source : "");
        p->url = url ? fd_arena_strdup(p->arena, url) : NULL;
        if (!p->source || (url && !p->url)) {
                fd_page_free(p);
                return fd_error_set(err, FD_E_LIMIT, "page arena too small");
        }
        *ret_page = p;
        return FD_OK;
}

void fd_page_free(struct fd_page *p) {
        if (!p)
                return;
        fd_checkpoint_release(&p->checkpoint);
        fd_arena_free(p->arena);
        free(p);
}

enum fd_status fd_page_hand_over(struct fd_page *page, struct fd_checkpoint *cp, const char *token, bool last,
                                 const struct fd_harvest_sink *sink, struct fd_error *err) {
        uint64_t deleted = 0;

        for (size_t i = 0; i < page->records.n; i++)
                deleted += page->records.v[i]->deleted;
        cp->pages++;
        cp->records += page->records.n - deleted;
        cp->deleted += deleted;
        cp->skipped += page->n_skipped;
        fd_checkpoint_release(&page->checkpoint);
        if ((last && !fd_harvest_set_str(&cp->last_complete, cp->run_start)) ||
            fd_checkpoint_copy(&page->checkpoint, cp) != FD_OK || !fd_harvest_set_str(&page->checkpoint.token, token)) {
                fd_page_free(page);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        page->last = last;
        if (!sink->page(sink->userdata, page))
                return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
        return FD_OK;
}
