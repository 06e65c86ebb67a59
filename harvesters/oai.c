/* oai.c: pages, and the OAI-PMH harvest driver.
 *
 * A run is one ListRecords list per configured set (one list when no set
 * is configured), harvested in turn; each response becomes a page that the
 * sink takes along with the checkpoint to commit with it, so a crash
 * resumes from the last committed page: from its resumption token, or from
 * the next set's list, or (token expired: badResumptionToken) by listing
 * the same set again from the same 'from'.  The final page of the run
 * carries last and last_complete = run_start, the next run's 'from'.
 *
 * Failures of one request (5xx, 429, transport, XML that does not parse)
 * are retried with backoff or after Retry-After; the wait polls the cancel
 * flag.  A body that fails to parse is still drained a little when the
 * status is an error, so an OAI-PMH error document sent with HTTP 4xx is
 * read as what it is.  A file:// URL is one document (a Static Repository
 * or a saved response) streamed through the same parser and cut into
 * pages of static_page_records; there is nothing to retry or resume there.
 */
#include <errno.h>
#include <strings.h>

#include "private.h"

#define DEFAULT_ARENA_CAP ((size_t)64 << 20)
#define DEFAULT_STATIC_PAGE 500
#define DEFAULT_RETRIES 3
#define MAX_WAIT_S 60L
#define URL_MAX (64u << 10)
/* After a parse failure on an HTTP error status, read at most this much more. */
#define DRAIN_MAX ((size_t)1 << 20)

/* ---- pages -------------------------------------------------------------------- */

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

enum fd_status fd_oai_parse_page(const char *source, const char *data, size_t len,
                                 void (*warn)(void *ud, const char *msg), void *ud,
                                 struct fd_page **ret_page, struct fd_error *err) {
        _fd_cleanup_(fd_page_freep) struct fd_page *page = NULL;
        _fd_cleanup_(fd_oai_parser_freep) struct fd_oai_parser *p = NULL;
        struct fd_oai_parser_opts o = {.source = source, .where = "response", .warn = warn, .ud = ud};
        enum fd_status st;

        if ((st = fd_page_new(source, NULL, 0, &page, err)) || (st = fd_oai_parser_new(&o, page, &p, err)) ||
            (st = fd_oai_parser_feed(p, data, len, err)) || (st = fd_oai_parser_finish(p, err)))
                return st;
        *ret_page = FD_TAKE_PTR(page);
        return FD_OK;
}

/* ---- the driver --------------------------------------------------------------- */

struct harvest {
        const struct fd_harvest_opts *o;
        const struct fd_harvest_sink *sink;
        const char *prefix;
        size_t arena_cap;
        unsigned max_retries;
        struct fd_http *http;
        struct fd_checkpoint cp;  /* the run so far (token unused) */
        size_t n_lists;
};

static bool cancelled(const struct harvest *h) { return h->o->cancel && atomic_load(h->o->cancel); }

static enum fd_status cancel_error(struct fd_error *err) {
        return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
}

static void warnf(struct harvest *h, const char *fmt, ...) _fd_printf_(2, 3);

static void warnf(struct harvest *h, const char *fmt, ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        if (!h->sink->warn)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        h->sink->warn(h->sink->userdata, msg);
}

static void sink_warn(void *ud, const char *msg) {
        struct harvest *h = ud;
        if (h->sink->warn)
                h->sink->warn(h->sink->userdata, msg);
}

/* Sleeps s seconds, waking every 100 ms to look at the cancel flag. */
static bool sleep_cancellable(struct harvest *h, long s) {
        int64_t end = fd_time_mono_ms() + s * 1000;

        for (;;) {
                if (cancelled(h))
                        return false;
                int64_t left = end - fd_time_mono_ms();
                if (left <= 0)
                        return true;
                if (left > 100)
                        left = 100;
                struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)left * 1000000L};
                while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
                        ;
        }
}

static bool set_str(char **dst, const char *src) {
        char *c = src ? strdup(src) : NULL;
        if (src && !c)
                return false;
        free(*dst);
        *dst = c;
        return true;
}

/* The run starts at the first page's responseDate (UTC), else now. */
static enum fd_status start_run(struct harvest *h, const struct fd_page *page, struct fd_error *err) {
        char buf[64];

        if (h->cp.run_start)
                return FD_OK;
        if (!page->response_date || fd_date_normalize(page->response_date, buf, sizeof buf) != FD_DATE_SECOND)
                fd_time_iso(fd_time_now(), buf, sizeof buf);
        return set_str(&h->cp.run_start, buf) ? FD_OK : fd_error_set(err, FD_E_NOMEM, "out of memory");
}

/* Hands page to the sink with its checkpoint: token continues the list of
 * set index set_next (token NULL: that list starts next); last ends the run. */
static enum fd_status emit(struct harvest *h, struct fd_page *page, const char *token, size_t set_next, bool last,
                           struct fd_error *err) {
        uint64_t deleted = 0;
        enum fd_status st;

        st = start_run(h, page, err);
        if (st) {
                fd_page_free(page);
                return st;
        }
        for (size_t i = 0; i < page->records.n; i++)
                deleted += page->records.v[i]->deleted;
        h->cp.pages++;
        h->cp.records += page->records.n - deleted;
        h->cp.deleted += deleted;
        h->cp.skipped += page->n_skipped;
        h->cp.set = last ? 0 : set_next;
        if (last && !set_str(&h->cp.last_complete, h->cp.run_start)) {
                fd_page_free(page);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        fd_checkpoint_release(&page->checkpoint);
        if (fd_checkpoint_copy(&page->checkpoint, &h->cp) != FD_OK || !set_str(&page->checkpoint.token, token)) {
                fd_page_free(page);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        page->last = last;
        if (!h->sink->page(h->sink->userdata, page))
                return cancel_error(err);
        return FD_OK;
}

/* ---- one request ---------------------------------------------------------------- */

struct fetch {
        struct fd_oai_parser *parser;
        bool drain;    /* keep reading after a parse failure (HTTP) */
        bool failed;
        size_t drained;
        enum fd_status pst;
        struct fd_error perr;
};

static enum fd_status on_body(void *ud, const char *data, size_t len) {
        struct fetch *f = ud;

        if (f->failed) {
                f->drained += len;
                return f->drained > DRAIN_MAX ? f->pst : FD_OK;
        }
        enum fd_status st = fd_oai_parser_feed(f->parser, data, len, &f->perr);
        if (st) {
                f->failed = true;
                f->pst = st;
                if (!f->drain)
                        return st;
        }
        return FD_OK;
}

static bool retryable(enum fd_status st, long code) {
        if (st == FD_E_PARSE)
                return true;
        return st == FD_E_HTTP && (code == 0 || code >= 500 || code == 429);
}

/* GETs url and parses it into a page, retrying what may pass. */
static enum fd_status fetch_page(struct harvest *h, const char *url, struct fd_page **ret_page,
                                 struct fd_error *err) {
        struct fd_oai_parser_opts po = {
                .source = h->o->source,
                .where = url,
                .prefix = h->prefix,
                .warn = sink_warn,
                .ud = h,
        };

        for (unsigned attempt = 0;; attempt++) {
                _fd_cleanup_(fd_page_freep) struct fd_page *page = NULL;
                _fd_cleanup_(fd_oai_parser_freep) struct fd_oai_parser *parser = NULL;
                struct fd_error e = {0}, herr = {0};
                struct fetch f = {.drain = true};
                enum fd_status st;
                long code = 0;

                if (cancelled(h))
                        return cancel_error(err);
                if ((st = fd_page_new(h->o->source, url, h->arena_cap, &page, err)) ||
                    (st = fd_oai_parser_new(&po, page, &parser, err)))
                        return st;
                f.parser = parser;

                enum fd_status hst = fd_http_get(h->http, url, on_body, &f, &code, &herr);
                if (hst == FD_OK) {
                        if (f.failed) {
                                st = f.pst;
                                e = f.perr;
                        } else
                                st = fd_oai_parser_finish(parser, &e);
                } else if (hst == FD_E_HTTP && code >= 400) {
                        /* an OAI-PMH error document sent with an error status is still OAI-PMH */
                        if (!f.failed && fd_oai_parser_finish(parser, &e) == FD_OK && page->error_code) {
                                st = FD_OK;
                        } else {
                                st = hst;
                                e = herr;
                        }
                } else if (f.failed && hst == f.pst) {
                        st = f.pst;
                        e = f.perr;
                } else {
                        st = hst;
                        e = herr;
                }
                if (st == FD_OK) {
                        *ret_page = FD_TAKE_PTR(page);
                        return FD_OK;
                }
                if (!retryable(st, code) || attempt >= h->max_retries)
                        return fd_error_set(err, st, "%s", e.msg);

                long wait = 1L << (attempt < 6 ? attempt : 6);
                long ra = fd_http_retry_after(h->http);
                if ((code == 503 || code == 429) && ra >= 0)
                        wait = ra;
                if (wait > MAX_WAIT_S)
                        wait = MAX_WAIT_S;
                char reason[FD_ERROR_MAX];
                if (code >= 400)
                        snprintf(reason, sizeof reason, "HTTP %ld", code);
                else
                        snprintf(reason, sizeof reason, "%s", e.msg);
                warnf(h, "page '%s': %s, retrying in %ld s (attempt %u/%u)", url, reason, wait, attempt + 2,
                      h->max_retries + 1);
                if (!sleep_cancellable(h, wait))
                        return cancel_error(err);
        }
}

/* ---- ListRecords lists ---------------------------------------------------------- */

static enum fd_status list_url(struct harvest *h, struct fd_buf *b, const char *set, const char *from,
                               const char *token) {
        const char *base = h->o->url;
        enum fd_status st;

        fd_buf_reset(b);
        st = fd_buf_printf(b, "%s%sverb=ListRecords", base, strchr(base, '?') ? "&" : "?");
        if (!st && token)
                st = fd_buf_printf(b, "&resumptionToken=") ?: fd_url_encode(b, token);
        if (!st && !token) {
                st = fd_buf_printf(b, "&metadataPrefix=") ?: fd_url_encode(b, h->prefix);
                if (!st && set)
                        st = fd_buf_printf(b, "&set=") ?: fd_url_encode(b, set);
                if (!st && from)
                        st = fd_buf_printf(b, "&from=") ?: fd_url_encode(b, from);
        }
        return st;
}

static enum fd_status harvest_list(struct harvest *h, size_t idx, const char *resume_token, struct fd_error *err) {
        const char *set = h->o->n_sets ? h->o->sets[idx] : NULL;
        _fd_free_ char *sent = NULL;  /* the token of the request in hand */
        _fd_cleanup_(fd_buf_release) struct fd_buf url;
        bool restarted = false, day_from = false;
        enum fd_status st;

        fd_buf_init(&url, URL_MAX);
        if (resume_token && !(sent = strdup(resume_token)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (;;) {
                struct fd_page *page = NULL;

                if (list_url(h, &url, set, h->cp.from, sent))
                        return fd_error_set(err, FD_E_LIMIT, "request URL for '%s' exceeds %u bytes", h->o->url,
                                            URL_MAX);
                if ((st = fetch_page(h, url.data, &page, err)))
                        return st;

                const char *code = page->error_code;
                if (code && strcmp(code, "noRecordsMatch") != 0) {
                        if (strcmp(code, "badResumptionToken") == 0 && sent && !restarted) {
                                warnf(h, "page '%s': resumption token rejected (badResumptionToken), listing "
                                      "again from %s", url.data, h->cp.from ? h->cp.from : "the start");
                                restarted = true;
                                free(sent);
                                sent = NULL;
                                fd_page_free(page);
                                continue;
                        }
                        if (strcmp(code, "badArgument") == 0 && !sent && h->cp.from && strlen(h->cp.from) > 10 &&
                            !day_from) {
                                /* a repository of day granularity refuses a 'from' with time */
                                warnf(h, "page '%s': 'from' refused (badArgument), trying day granularity",
                                      url.data);
                                day_from = true;
                                h->cp.from[10] = '\0';
                                fd_page_free(page);
                                continue;
                        }
                        fd_error_set(err, FD_E_PROTOCOL, "OAI-PMH error '%s' from '%s': %s", code, url.data,
                                     page->error_message ? page->error_message : "no message");
                        fd_page_free(page);
                        return FD_E_PROTOCOL;
                }

                const char *next = code ? NULL : page->token;
                if (next && sent && strcmp(next, sent) == 0) {
                        fd_error_set(err, FD_E_PROTOCOL, "resumption token repeated by '%s': '%s'", url.data,
                                     next);
                        fd_page_free(page);
                        return FD_E_PROTOCOL;
                }
                bool end = next == NULL;
                bool last = end && idx + 1 == h->n_lists;
                char *next_copy = next ? strdup(next) : NULL;
                if (next && !next_copy) {
                        fd_page_free(page);
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                }
                st = emit(h, page, next, end ? idx + 1 : idx, last, err);
                free(sent);
                sent = next_copy;
                if (st || end)
                        return st;
                if (cancelled(h))
                        return cancel_error(err);
        }
}

static enum fd_status harvest_oai(struct harvest *h, struct fd_error *err) {
        const struct fd_checkpoint *r = h->o->resume;
        size_t start = 0;
        const char *token = NULL;
        bool ok;

        h->n_lists = h->o->n_sets ? h->o->n_sets : 1;
        if (r && (r->token || r->set > 0) && r->run_start && r->set < h->n_lists) {
                /* an open run: continue it where it was committed */
                ok = set_str(&h->cp.run_start, r->run_start) && set_str(&h->cp.from, r->from) &&
                     set_str(&h->cp.last_complete, r->last_complete);
                h->cp.pages = r->pages;
                h->cp.records = r->records;
                h->cp.deleted = r->deleted;
                h->cp.skipped = r->skipped;
                start = r->set;
                token = r->token;
        } else {
                if (r && (r->token || r->set > 0))
                        warnf(h, "checkpoint's open list (set %zu of %zu) cannot be continued, starting a new run",
                              r->set + 1, h->n_lists);
                ok = set_str(&h->cp.from, r ? r->last_complete : NULL) &&
                     set_str(&h->cp.last_complete, r ? r->last_complete : NULL);
        }
        if (!ok)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = start; i < h->n_lists; i++) {
                enum fd_status st = harvest_list(h, i, i == start ? token : NULL, err);
                if (st)
                        return st;
        }
        return FD_OK;
}

/* ---- file:// ---------------------------------------------------------------------- */

static enum fd_status cut_page(void *ud, struct fd_oai_parser *p, struct fd_error *err) {
        struct harvest *h = ud;
        struct fd_page *next = NULL;
        enum fd_status st;

        if (cancelled(h))
                return cancel_error(err);
        if ((st = fd_page_new(h->o->source, h->o->url, h->arena_cap, &next, err)))
                return st;
        struct fd_page *full = fd_oai_parser_page(p);
        fd_oai_parser_set_page(p, next);
        return emit(h, full, NULL, 0, false, err);
}

static enum fd_status harvest_file(struct harvest *h, struct fd_error *err) {
        _fd_cleanup_(fd_page_freep) struct fd_page *first = NULL;
        _fd_cleanup_(fd_oai_parser_freep) struct fd_oai_parser *parser = NULL;
        struct fd_oai_parser_opts po = {
                .source = h->o->source,
                .where = h->o->url,
                .prefix = h->prefix,
                .warn = sink_warn,
                .ud = h,
                .cut = cut_page,
                .cut_records = h->o->static_page_records ? h->o->static_page_records : DEFAULT_STATIC_PAGE,
        };
        struct fetch f = {.drain = false};
        struct fd_error herr = {0};
        enum fd_status st;
        long code = 0;

        h->n_lists = 1;
        if (!set_str(&h->cp.last_complete, h->o->resume ? h->o->resume->last_complete : NULL))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if ((st = fd_page_new(h->o->source, h->o->url, h->arena_cap, &first, err)) ||
            (st = fd_oai_parser_new(&po, first, &parser, err)))
                return st;
        /* from here the parser owns the page in hand (cut_page replaces it) */
        first = NULL;
        f.parser = parser;
        st = fd_http_get(h->http, h->o->url, on_body, &f, &code, &herr);
        if (st == FD_OK)
                st = fd_oai_parser_finish(parser, err);
        else if (f.failed && st == f.pst)
                fd_error_set(err, st, "%s", f.perr.msg);  /* the parser's, or cut_page's through it */
        else
                fd_error_set(err, st, "%s", herr.msg);

        struct fd_page *page = fd_oai_parser_page(parser);
        if (st) {
                fd_page_free(page);
                return st;
        }
        if (page->error_code && strcmp(page->error_code, "noRecordsMatch") != 0) {
                fd_error_set(err, FD_E_PROTOCOL, "OAI-PMH error '%s' in '%s': %s", page->error_code, h->o->url,
                             page->error_message ? page->error_message : "no message");
                fd_page_free(page);
                return FD_E_PROTOCOL;
        }
        page->token = NULL;  /* a saved response's token leads nowhere */
        return emit(h, page, NULL, 0, true, err);
}

enum fd_status fd_oai_harvest(const struct fd_harvest_opts *opts, const struct fd_harvest_sink *sink,
                              struct fd_error *err) {
        _fd_cleanup_(fd_http_freep) struct fd_http *http = NULL;
        struct harvest h = {.o = opts, .sink = sink};
        enum fd_status st;

        if (!opts || !sink || !sink->page || !opts->source || !opts->url)
                return fd_error_set(err, FD_E_INVALID, "harvest without a source, URL or sink");
        h.prefix = opts->metadata_prefix ? opts->metadata_prefix : "oai_dc";
        if (!fd_mapper_by_prefix(h.prefix))
                return fd_error_set(err, FD_E_UNSUPPORTED, "metadata format '%s' of source '%s' is not supported",
                                    h.prefix, opts->source);
        h.arena_cap = opts->page_arena_cap ? opts->page_arena_cap : DEFAULT_ARENA_CAP;
        h.max_retries = opts->max_retries ? opts->max_retries : DEFAULT_RETRIES;

        struct fd_http_opts ho = {.user_agent = opts->user_agent};
        if ((st = fd_http_new(&ho, &http, err)))
                return st;
        h.http = http;

        if (strncasecmp(opts->url, "file://", 7) == 0)
                st = harvest_file(&h, err);
        else if (strncasecmp(opts->url, "http://", 7) == 0 || strncasecmp(opts->url, "https://", 8) == 0)
                st = harvest_oai(&h, err);
        else
                st = fd_error_set(err, FD_E_INVALID, "URL '%s' of source '%s' is neither http(s) nor file",
                                  opts->url, opts->source);
        fd_checkpoint_release(&h.cp);
        return st;
}
