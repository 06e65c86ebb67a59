/* oai.c: pages, and the OAI-PMH harvest driver.
 *
 * A run starts with Identify (granularity, deletedRecord, compression) and,
 * unless a prefix is configured (under any name: a record is mapped by
 * what its metadata is) or an earlier run chose one, with
 * ListMetadataFormats: the richest format we map (told by its namespace or
 * schema, ranked in formats.c, or in the configured preference order) that
 * lists as many records as oai_dc (some repositories disseminate
 * oai_datacite only for items with a DOI); configured sets are
 * checked against ListSets (a missing one is told, not fatal).  What they
 * say goes into the checkpoint and persists.  Then one ListRecords list per
 * configured set (one list when no set is configured), harvested in turn;
 * each response becomes a page that the sink takes along with the
 * checkpoint to commit with it, so a crash resumes from the last committed
 * page: from its resumption token, or from the next set's list, or (token
 * expired: badResumptionToken) by listing the same set again from the same
 * 'from', up to MAX_RESTARTS times per list when each restart made
 * progress).  The final page of the run carries last and last_complete =
 * run_start, the next run's 'from' (one granule earlier, at the source's
 * granularity).  Lists that do not end (a token repeated, two empty pages
 * with tokens, more than max_pages pages) stop the run with FD_E_PROTOCOL.
 *
 * Every request goes through the run's fetch policy (fetch.c: polite
 * delay, retries with jitter or after Retry-After, bounded per request and
 * per run, cancellable); besides 5xx, 429 and transport failures, a body
 * cut short or not well formed and a 200 that is not OAI-PMH are asked
 * again here.  A body that fails to parse is still drained a little when the
 * status is an error, so an OAI-PMH error document sent with HTTP 4xx is
 * read as what it is.  A file:// URL is one document (a Static Repository
 * or a saved response) streamed through the same parser and cut into
 * pages of static_page_records; there is nothing to retry or resume there.
 */
#include <errno.h>
#include <strings.h>

#include "harvesters-private.h"

#define DEFAULT_ARENA_CAP ((size_t)64 << 20)
#define DEFAULT_STATIC_PAGE 500
#define DEFAULT_MAX_PAGES 1000000UL
/* Times one list may start again after its token was rejected: again and
 * again while it gets somewhere (a page since the last restart; committed
 * pages come back cheaply, the indexer skips unchanged records), never
 * twice in a row without a page in between. */
#define MAX_RESTARTS 20
#define URL_MAX (64u << 10)
/* After a parse failure on an HTTP error status, read at most this much more. */
#define DRAIN_MAX ((size_t)1 << 20)

/* ---- one response in memory ---------------------------------------------------- */

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

/* What a response's Identify, ListMetadataFormats or ListSets elements feed. */
enum collect_mode { COLLECT_NONE, COLLECT_IDENTIFY, COLLECT_FORMATS, COLLECT_SETS };

struct strs {
        char **v;
        size_t n, cap;
};

struct harvest {
        const struct fd_harvest_opts *o;
        const struct fd_harvest_sink *sink;
        const char *verb;          /* ListRecords, or ListIdentifiers to reconcile */
        char prefix[128];
        bool prefix_fixed;         /* configured: no fallback to another format */
        const char *const *prefs;
        size_t n_prefs;
        bool pref_given;           /* format_preference configured: its order, not the ranks */
        size_t arena_cap;
        unsigned long max_pages;
        struct fd_http *http;
        struct fd_checkpoint cp;   /* the run so far (token unused) */
        size_t n_lists;
        struct fd_fetch fetch;     /* every request over HTTP goes through it */

        enum collect_mode collect;
        bool offers_compression;
        struct strs formats, sets;
        /* ListMetadataFormats' namespace and schema of each of formats ("": none) */
        struct strs format_ns, format_schema;
        struct strs cands;         /* the formats to try, best first (choose_format) */
};

static const char *const default_prefs[] = {"oai_datacite", "datacite", "oai_openaire", "oai_dc"};

static void strs_release(struct strs *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
        memset(l, 0, sizeof *l);
}

static bool strs_push(struct strs *l, const char *s) {
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 16;
                char **v = realloc(l->v, cap * sizeof *v);
                if (!v)
                        return false;
                l->v = v;
                l->cap = cap;
        }
        if (!(l->v[l->n] = strdup(s)))
                return false;
        l->n++;
        return true;
}

static bool strs_has(const struct strs *l, const char *s) {
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i], s) == 0)
                        return true;
        return false;
}

static bool cancelled(const struct harvest *h) { return h->o->cancel && atomic_load(h->o->cancel); }

static enum fd_status cancel_error(struct fd_error *err) {
        return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
}

/* Warnings and checkpoint strings go through the helpers the DCAT driver
 * shares (fetch.c). */
#define warnf(h, ...) fd_harvest_warnf((h)->sink, __VA_ARGS__)
#define set_str fd_harvest_set_str

static void sink_warn(void *ud, const char *msg) {
        struct harvest *h = ud;
        fd_harvest_warnf(h->sink, "%s", msg);
}

static void on_field(void *ud, const char *name, const char *value) {
        struct harvest *h = ud;

        switch (h->collect) {
        case COLLECT_IDENTIFY:
                if (strcmp(name, "granularity") == 0 && !h->cp.granularity) {
                        if (strcmp(value, "YYYY-MM-DD") == 0 || strcmp(value, "YYYY-MM-DDThh:mm:ssZ") == 0)
                                set_str(&h->cp.granularity, value);
                } else if (strcmp(name, "deletedRecord") == 0 && !h->cp.deleted_record) {
                        if (!strcmp(value, "no") || !strcmp(value, "transient") || !strcmp(value, "persistent"))
                                set_str(&h->cp.deleted_record, value);
                } else if (strcmp(name, "compression") == 0) {
                        if (!strcasecmp(value, "gzip") || !strcasecmp(value, "deflate"))
                                h->offers_compression = true;
                }
                break;
        case COLLECT_FORMATS:
                /* each metadataFormat names its prefix first, then its schema and namespace */
                if (strcmp(name, "metadataPrefix") == 0) {
                        if (!strs_has(&h->formats, value) && strs_push(&h->formats, value) &&
                            (!strs_push(&h->format_ns, "") || !strs_push(&h->format_schema, ""))) {
                                strs_release(&h->formats);  /* out of memory: forget them all */
                                strs_release(&h->format_ns);
                                strs_release(&h->format_schema);
                        }
                } else if (h->formats.n && h->format_ns.n == h->formats.n &&
                           h->format_schema.n == h->formats.n) {
                        struct strs *l = strcmp(name, "metadataNamespace") == 0 ? &h->format_ns
                                         : strcmp(name, "schema") == 0          ? &h->format_schema
                                                                                : NULL;
                        if (l && !l->v[l->n - 1][0])
                                set_str(&l->v[l->n - 1], value);
                }
                break;
        case COLLECT_SETS:
                if (strcmp(name, "setSpec") == 0)
                        strs_push(&h->sets, value);
                break;
        case COLLECT_NONE:
                break;
        }
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
        enum fd_status st = start_run(h, page, err);

        if (!st && !set_str(&h->cp.metadata_prefix, h->prefix))
                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (st) {
                fd_page_free(page);
                return st;
        }
        h->cp.set = last ? 0 : set_next;
        return fd_page_hand_over(page, &h->cp, token, last, h->sink, err);
}

/* ---- one request ---------------------------------------------------------------- */

/* One attempt: a new page and its parser, fed as the body arrives. */
struct fetch {
        struct harvest *h;
        const char *url;
        const struct fd_oai_parser_opts *po;
        struct fd_page *page;
        struct fd_oai_parser *parser;
        bool drain;    /* keep reading after a parse failure (HTTP) */
        bool failed;
        size_t drained;
        enum fd_status pst;
        struct fd_error perr;
};

static void fetch_clear(struct fetch *f) {
        fd_oai_parser_free(FD_TAKE_PTR(f->parser));
        fd_page_free(FD_TAKE_PTR(f->page));
        f->failed = false;
        f->drained = 0;
        f->pst = FD_OK;
        f->perr = (struct fd_error){0};
}

static enum fd_status fetch_start(void *ud, struct fd_error *err) {
        struct fetch *f = ud;
        enum fd_status st;

        fetch_clear(f);
        if ((st = fd_page_new(f->h->o->source, f->url, f->h->arena_cap, &f->page, err)))
                return st;
        return fd_oai_parser_new(f->po, f->page, &f->parser, err);
}

/* A body that fails to parse is still drained a little when drain is set
 * (an error status may come with it). */
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

static enum fd_status fetch_finish(void *ud, enum fd_status hst, long code, const struct fd_error *herr,
                                   struct fd_error *err) {
        struct fetch *f = ud;
        struct fd_error e = {0};

        if (fd_http_unannounced_gzip(f->h->http))
                warnf(f->h, "page '%s': gzip body without Content-Encoding, decompressed", f->url);
        if (hst == FD_OK) {
                if (f->failed)
                        return fd_error_set(err, f->pst, "%s", f->perr.msg);
                return fd_oai_parser_finish(f->parser, err);
        }
        if (hst == FD_E_HTTP && code >= 400) {
                /* an OAI-PMH error document sent with an error status is still OAI-PMH */
                if (!f->failed && fd_oai_parser_finish(f->parser, &e) == FD_OK && f->page->error_code)
                        return FD_OK;
                return fd_error_set(err, hst, "%s", herr->msg);
        }
        if (f->failed && hst == f->pst)
                return fd_error_set(err, f->pst, "%s", f->perr.msg);
        return fd_error_set(err, hst, "%s", herr->msg);
}

/* GETs url and parses it into a page, through the run's fetch policy
 * (a body cut short or not well formed, or a 200 that is not OAI-PMH, a
 * proxy's error page between two good ones, may pass when asked again). */
static enum fd_status fetch_page(struct harvest *h, const char *url, struct fd_page **ret_page,
                                 struct fd_error *err) {
        struct fd_oai_parser_opts po = {
                .source = h->o->source,
                .where = url,
                .prefix = h->prefix,
                .warn = sink_warn,
                .ud = h,
                .field = on_field,
        };
        struct fetch f = {.h = h, .url = url, .po = &po, .drain = true};
        struct fd_fetch_body fb = {
                .start = fetch_start,
                .chunk = on_body,
                .finish = fetch_finish,
                .retry_bad_body = true,
                .ud = &f,
        };
        enum fd_status st = fd_fetch_get(&h->fetch, url, &fb, err);

        if (st == FD_OK)
                *ret_page = FD_TAKE_PTR(f.page);
        fetch_clear(&f);
        return st;
}

/* ---- Identify, ListMetadataFormats, ListSets ------------------------------------ */

static enum fd_status verb_url(struct harvest *h, struct fd_buf *b, const char *verb) {
        const char *base = h->o->url;

        fd_buf_reset(b);
        return fd_buf_printf(b, "%s%sverb=%s", base, strchr(base, '?') ? "&" : "?", verb);
}

/* One request whose elements go to on_field.  A repository that cannot
 * answer it (an OAI-PMH error, a 4xx, a body that is not OAI-PMH) is told
 * and *ret_ok left false; a source that is down (5xx and transport failures
 * after the retries) stops the run. */
static enum fd_status ask(struct harvest *h, const char *verb, const char *token, enum collect_mode mode,
                          bool *ret_ok, const char **ret_token, char **ret_token_buf, struct fd_error *err) {
        _fd_cleanup_(fd_buf_release) struct fd_buf url;
        struct fd_page *page = NULL;
        struct fd_error e = {0};
        enum fd_status st;

        *ret_ok = false;
        fd_buf_init(&url, URL_MAX);
        st = verb_url(h, &url, verb);
        if (!st && token)
                st = fd_buf_printf(&url, "&resumptionToken=") ?: fd_url_encode(&url, token);
        if (st)
                return fd_error_set(err, FD_E_LIMIT, "request URL for '%s' exceeds %u bytes", h->o->url, URL_MAX);
        h->collect = mode;
        st = fetch_page(h, url.data, &page, &e);
        h->collect = COLLECT_NONE;
        if (st) {
                if (st == FD_E_CANCELLED || (st == FD_E_HTTP && (h->fetch.last_code == 0 || h->fetch.last_code >= 500 ||
                                                                  h->fetch.last_code == 429)))
                        return fd_error_set(err, st, "%s", e.msg);
                warnf(h, "%s of '%s' failed, going on without it: %s", verb, h->o->url, e.msg);
                return FD_OK;
        }
        if (page->error_code) {
                warnf(h, "%s of '%s' answered '%s': %s", verb, h->o->url, page->error_code,
                      page->error_message ? page->error_message : "no message");
        } else {
                *ret_ok = true;
                if (ret_token && page->token) {
                        free(*ret_token_buf);
                        *ret_token_buf = strdup(page->token);
                        *ret_token = *ret_token_buf;
                }
        }
        fd_page_free(page);
        return FD_OK;
}

static enum fd_status identify(struct harvest *h, struct fd_error *err) {
        bool ok;
        enum fd_status st = ask(h, "Identify", NULL, COLLECT_IDENTIFY, &ok, NULL, NULL, err);

        if (st)
                return st;
        fd_http_set_compression(h->http, h->offers_compression);
        return FD_OK;
}

/* How many records the source lists in format prefix (for the configured
 * set when there is one): completeListSize of the first ListIdentifiers
 * page, or the headers of a one-page list; -1 when it does not say. */
static enum fd_status list_size(struct harvest *h, const char *prefix, long *ret, struct fd_error *err) {
        _fd_cleanup_(fd_buf_release) struct fd_buf url;
        struct fd_page *page = NULL;
        struct fd_error e = {0};
        enum fd_status st;

        *ret = -1;
        fd_buf_init(&url, URL_MAX);
        st = verb_url(h, &url, "ListIdentifiers") ?: fd_buf_printf(&url, "&metadataPrefix=") ?:
             fd_url_encode(&url, prefix);
        if (!st && h->o->n_sets == 1)
                st = fd_buf_printf(&url, "&set=") ?: fd_url_encode(&url, h->o->sets[0]);
        if (st)
                return fd_error_set(err, FD_E_LIMIT, "request URL for '%s' exceeds %u bytes", h->o->url, URL_MAX);
        st = fetch_page(h, url.data, &page, &e);
        if (st) {
                if (st == FD_E_CANCELLED || (st == FD_E_HTTP && (h->fetch.last_code == 0 || h->fetch.last_code >= 500 ||
                                                                  h->fetch.last_code == 429)))
                        return fd_error_set(err, st, "%s", e.msg);
                return FD_OK;
        }
        if (page->error_code)
                *ret = strcmp(page->error_code, "noRecordsMatch") == 0 ? 0 : -1;
        else if (page->complete_list_size >= 0)
                *ret = page->complete_list_size;
        else if (!page->token)
                *ret = (long)page->records.n;
        fd_page_free(page);
        return FD_OK;
}

/* The mapper of the offered format prefix: by the namespace or schema
 * ListMetadataFormats gave it, else by its name. */
static const struct fd_mapper *offered_mapper(const struct harvest *h, const char *prefix) {
        for (size_t i = 0; i < h->formats.n; i++)
                if (strcmp(h->formats.v[i], prefix) == 0)
                        return fd_mapper_for_format(prefix, h->format_ns.v[i], h->format_schema.v[i]);
        return fd_mapper_by_prefix(prefix);
}

/* The formats to try, best first: with a configured format_preference,
 * those of it the source offers and we read; by default every offered
 * format we read, the richest first (the mappers' rank: DataCite, then the
 * community standards, then qualified and simple Dublin Core).  When
 * ListMetadataFormats said nothing, the preference order by name. */
static bool rank_candidates(struct harvest *h) {
        strs_release(&h->cands);
        if (h->pref_given || !h->formats.n) {
                for (size_t i = 0; i < h->n_prefs; i++) {
                        if (h->formats.n && !strs_has(&h->formats, h->prefs[i]))
                                continue;
                        if (offered_mapper(h, h->prefs[i]) && !strs_push(&h->cands, h->prefs[i]))
                                return false;
                }
                return true;
        }
        for (int rank = 1000; rank >= 0; rank--) {
                int next = -1;
                for (size_t i = 0; i < h->formats.n; i++) {
                        const struct fd_mapper *m = offered_mapper(h, h->formats.v[i]);
                        if (m && m->rank == rank && !strs_push(&h->cands, h->formats.v[i]))
                                return false;
                        if (m && m->rank < rank && m->rank > next)
                                next = m->rank;
                }
                if (next < 0)
                        break;
                rank = next + 1;
        }
        return true;
}

/* The configured prefix; else the format the last run chose (the
 * checkpoint keeps it); else the first candidate (rank_candidates) that
 * covers the repository: DSpace and others disseminate oai_datacite only
 * for the items that have a DOI, and harvesting it alone would silently
 * lose the rest, so a format whose list is shorter than oai_dc's (every
 * repository must offer oai_dc) is passed over.  oai_dc when
 * ListMetadataFormats said nothing useful. */
static enum fd_status choose_format(struct harvest *h, struct fd_error *err) {
        const struct fd_checkpoint *r = h->o->resume;
        long n_dc = -2;  /* not asked yet */
        bool ok;
        enum fd_status st;

        if (h->prefix_fixed)
                return FD_OK;
        if (r && r->metadata_prefix && r->metadata_prefix[0]) {
                snprintf(h->prefix, sizeof h->prefix, "%s", r->metadata_prefix);
                return FD_OK;
        }
        if ((st = ask(h, "ListMetadataFormats", NULL, COLLECT_FORMATS, &ok, NULL, NULL, err)))
                return st;
        if (!rank_candidates(h))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = 0; i < h->cands.n; i++) {
                const char *cand = h->cands.v[i];
                if (strcmp(cand, "oai_dc") != 0 && strs_has(&h->formats, "oai_dc")) {
                        long n;
                        if (n_dc == -2 && (st = list_size(h, "oai_dc", &n_dc, err)))
                                return st;
                        if (n_dc > 0 && (st = list_size(h, cand, &n, err)))
                                return st;
                        if (n_dc > 0 && n >= 0 && n < n_dc) {
                                warnf(h, "'%s' lists %ld records in '%s' but %ld in 'oai_dc': not using '%s'",
                                      h->o->url, n, cand, n_dc, cand);
                                continue;
                        }
                }
                snprintf(h->prefix, sizeof h->prefix, "%s", cand);
                return FD_OK;
        }
        if (ok)
                warnf(h, "'%s' offers none of the metadata formats fairdex reads, using oai_dc", h->o->url);
        snprintf(h->prefix, sizeof h->prefix, "oai_dc");
        return FD_OK;
}

/* The next candidate after the current format (the first one when the
 * current format is none of them: a prefix an earlier run chose). */
static bool next_format(struct harvest *h) {
        size_t i = 0;

        if (h->prefix_fixed || (!h->cands.n && !rank_candidates(h)))
                return false;
        while (i < h->cands.n && strcmp(h->cands.v[i], h->prefix) != 0)
                i++;
        i = i < h->cands.n ? i + 1 : 0;
        if (i >= h->cands.n)
                return false;
        snprintf(h->prefix, sizeof h->prefix, "%s", h->cands.v[i]);
        return true;
}

/* Configured sets the repository does not list are told, not fatal (arXiv,
 * for one, answers an unknown set with noRecordsMatch). */
static enum fd_status check_sets(struct harvest *h, struct fd_error *err) {
        _fd_free_ char *token_buf = NULL;
        const char *token = NULL;
        bool ok;
        enum fd_status st;

        for (unsigned long pages = 0; pages < h->max_pages; pages++) {
                const char *sent = token;
                token = NULL;
                if ((st = ask(h, "ListSets", sent, COLLECT_SETS, &ok, &token, &token_buf, err)))
                        return st;
                if (!ok)
                        return FD_OK;
                if (!token || (sent && strcmp(token, sent) == 0))
                        break;
        }
        for (size_t i = 0; i < h->o->n_sets; i++)
                if (!strs_has(&h->sets, h->o->sets[i]))
                        warnf(h, "set '%s' is not among the sets '%s' lists", h->o->sets[i], h->o->url);
        return FD_OK;
}

/* ---- lists ---------------------------------------------------------------------- */

/* 'from' for an incremental run: the last complete run's start, one granule
 * earlier (a record changed in the same second or day is not lost), at the
 * source's granularity. */
static bool incremental_from(const struct harvest *h, const char *last_complete, char *out, size_t outsz) {
        int64_t t;
        bool day = h->cp.granularity && strcmp(h->cp.granularity, "YYYY-MM-DD") == 0;

        if (!fd_time_parse_iso(last_complete, &t)) {
                snprintf(out, outsz, "%s", last_complete);
                return true;
        }
        if (t < 86400)
                t = 86400;
        fd_time_iso(day ? t - 86400 : t - 1, out, outsz);
        if (day && strlen(out) > 10)
                out[10] = '\0';
        return true;
}

static enum fd_status list_url(struct harvest *h, struct fd_buf *b, const char *set, const char *from,
                               const char *token) {
        enum fd_status st = verb_url(h, b, h->verb);

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

static bool granularity_refused(const struct harvest *h, const char *code, enum fd_status st) {
        if (code)
                return strcmp(code, "badArgument") == 0;
        return st == FD_E_HTTP && h->fetch.last_code == 422;
}

static enum fd_status harvest_list(struct harvest *h, size_t idx, const char *resume_token, struct fd_error *err) {
        const char *set = h->o->n_sets ? h->o->sets[idx] : NULL;
        _fd_free_ char *sent = NULL;  /* the token of the request in hand */
        _fd_cleanup_(fd_buf_release) struct fd_buf url;
        bool day_from = false;
        unsigned restarts = 0;
        unsigned long pages = 0, since_restart = 0;
        unsigned empty_tokens = 0;
        enum fd_status st;

        fd_buf_init(&url, URL_MAX);
        if (resume_token && !(sent = strdup(resume_token)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (;;) {
                struct fd_page *page = NULL;
                struct fd_error e = {0};

                if (list_url(h, &url, set, h->cp.from, sent))
                        return fd_error_set(err, FD_E_LIMIT, "request URL for '%s' exceeds %u bytes", h->o->url,
                                            URL_MAX);
                if (++pages > h->max_pages)
                        return fd_error_set(err, FD_E_PROTOCOL, "list of '%s' still open after %lu pages, stopped",
                                            h->o->url, h->max_pages);
                st = fetch_page(h, url.data, &page, &e);
                const char *code = st ? NULL : page->error_code;
                if ((st || code) && !sent && h->cp.from && strlen(h->cp.from) > 10 && !day_from &&
                    granularity_refused(h, code, st)) {
                        /* a repository refusing the granularity it declared */
                        warnf(h, "page '%s': 'from' refused (%s), trying day granularity", url.data,
                              code ? code : "HTTP 422");
                        day_from = true;
                        h->cp.from[10] = '\0';
                        if (!set_str(&h->cp.granularity, "YYYY-MM-DD")) {
                                fd_page_free(page);
                                return fd_error_set(err, FD_E_NOMEM, "out of memory");
                        }
                        fd_page_free(page);
                        continue;
                }
                if (st)
                        return fd_error_set(err, st, "%s", e.msg);

                if (code && strcmp(code, "noRecordsMatch") != 0) {
                        if (strcmp(code, "badResumptionToken") == 0 && sent &&
                            (restarts == 0 || since_restart > 0) && restarts < MAX_RESTARTS) {
                                warnf(h, "page '%s': resumption token rejected (badResumptionToken), listing "
                                      "again from %s", url.data, h->cp.from ? h->cp.from : "the start");
                                restarts++;
                                since_restart = 0;
                                free(sent);
                                sent = NULL;
                                fd_page_free(page);
                                continue;
                        }
                        if (strcmp(code, "cannotDisseminateFormat") == 0 && !sent) {
                                char old[sizeof h->prefix];
                                snprintf(old, sizeof old, "%s", h->prefix);
                                if (next_format(h)) {
                                        warnf(h, "page '%s': format '%s' refused (cannotDisseminateFormat), "
                                              "trying '%s'", url.data, old, h->prefix);
                                        fd_page_free(page);
                                        continue;
                                }
                        }
                        if (strcmp(code, "cannotDisseminateFormat") == 0)
                                fd_error_set(err, FD_E_PROTOCOL, "source '%s' does not offer metadata format '%s' "
                                             "(OAI-PMH error '%s' from '%s': %s)", h->o->source, h->prefix,
                                             code, url.data, page->error_message ? page->error_message : "no message");
                        else
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
                if (next && page->records.n == 0 && page->n_skipped == 0) {
                        if (++empty_tokens >= 2) {
                                fd_error_set(err, FD_E_PROTOCOL,
                                             "two pages in a row without records but with a resumption token "
                                             "from '%s', stopped", url.data);
                                fd_page_free(page);
                                return FD_E_PROTOCOL;
                        }
                } else
                        empty_tokens = 0;
                bool end = next == NULL;
                bool last = end && idx + 1 == h->n_lists;
                char *next_copy = next ? strdup(next) : NULL;
                if (next && !next_copy) {
                        fd_page_free(page);
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                }
                st = emit(h, page, next, end ? idx + 1 : idx, last, err);
                since_restart++;
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
        bool reconcile = strcmp(h->verb, "ListRecords") != 0;
        size_t start = 0;
        const char *token = NULL;
        enum fd_status st;
        bool ok = true;

        h->n_lists = h->o->n_sets ? h->o->n_sets : 1;
        if (!reconcile && r && (r->token || r->set > 0) && r->run_start && r->set < h->n_lists) {
                /* an open run: continue it where it was committed, in the format it started with */
                ok = set_str(&h->cp.run_start, r->run_start) && set_str(&h->cp.from, r->from) &&
                     set_str(&h->cp.last_complete, r->last_complete) &&
                     set_str(&h->cp.granularity, r->granularity) &&
                     set_str(&h->cp.deleted_record, r->deleted_record);
                h->cp.pages = r->pages;
                h->cp.records = r->records;
                h->cp.deleted = r->deleted;
                h->cp.skipped = r->skipped;
                if (!h->prefix_fixed && r->metadata_prefix && r->metadata_prefix[0])
                        snprintf(h->prefix, sizeof h->prefix, "%s", r->metadata_prefix);
                else if (!h->prefix_fixed)
                        snprintf(h->prefix, sizeof h->prefix, "oai_dc");
                start = r->set;
                token = r->token;
                if (!ok)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                if ((st = identify(h, err)))
                        return st;
        } else if (reconcile) {
                if ((st = identify(h, err)))
                        return st;
                if (!h->prefix_fixed)
                        snprintf(h->prefix, sizeof h->prefix, "%s",
                                 r && r->metadata_prefix
                                         ? r->metadata_prefix
                                         : "oai_dc");
        } else {
                char from[64];
                if (r && (r->token || r->set > 0))
                        warnf(h, "checkpoint's open list (set %zu of %zu) cannot be continued, starting a new run",
                              r->set + 1, h->n_lists);
                /* what earlier runs learnt stands (a day granularity found by a refusal included);
                 * Identify fills in what is not known yet */
                if (r && (!set_str(&h->cp.granularity, r->granularity) ||
                          !set_str(&h->cp.deleted_record, r->deleted_record)))
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                if ((st = identify(h, err)) || (st = choose_format(h, err)))
                        return st;
                if (h->o->n_sets && (st = check_sets(h, err)))
                        return st;
                if (r && r->last_complete)
                        incremental_from(h, r->last_complete, from, sizeof from);
                ok = set_str(&h->cp.from, r && r->last_complete ? from : NULL) &&
                     set_str(&h->cp.last_complete, r ? r->last_complete : NULL);
        }
        if (!ok)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        for (size_t i = start; i < h->n_lists; i++) {
                st = harvest_list(h, i, i == start ? token : NULL, err);
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
        snprintf(h->prefix, sizeof h->prefix, "%s", fd_oai_parser_prefix(p));
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
                .field = on_field,
                .prefs = h->prefs,
                .n_prefs = h->n_prefs,
                .prefix_fixed = h->prefix_fixed,
        };
        struct fetch f = {.drain = false};
        struct fd_error herr = {0};
        enum fd_status st;
        long code = 0;

        h->n_lists = 1;
        h->collect = COLLECT_IDENTIFY;
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
        snprintf(h->prefix, sizeof h->prefix, "%s", fd_oai_parser_prefix(parser));
        page->token = NULL;  /* a saved response's token leads nowhere */
        return emit(h, page, NULL, 0, true, err);
}

static enum fd_status run(struct harvest *h, const struct fd_harvest_opts *opts, struct fd_error *err) {
        _fd_cleanup_(fd_http_freep) struct fd_http *http = NULL;
        enum fd_status st;

        if (!opts || !h->sink || !h->sink->page || !opts->source || !opts->url)
                return fd_error_set(err, FD_E_INVALID, "harvest without a source, URL or sink");
        h->o = opts;
        h->prefix_fixed = opts->metadata_prefix != NULL;
        snprintf(h->prefix, sizeof h->prefix, "%s", opts->metadata_prefix ? opts->metadata_prefix : "oai_dc");
        h->pref_given = opts->n_format_preference > 0;
        h->prefs = opts->n_format_preference ? opts->format_preference : default_prefs;
        h->n_prefs = opts->n_format_preference ? opts->n_format_preference : FD_ELEMENTSOF(default_prefs);
        h->arena_cap = opts->page_arena_cap ? opts->page_arena_cap : DEFAULT_ARENA_CAP;
        h->max_pages = opts->max_pages ? opts->max_pages : DEFAULT_MAX_PAGES;

        struct fd_http_opts ho = {.user_agent = opts->user_agent};
        if ((st = fd_http_new(&ho, &http, err)))
                return st;
        h->http = http;
        fd_fetch_init(&h->fetch, http, opts, h->sink, "page");

        if (strncasecmp(opts->url, "file://", 7) == 0)
                st = harvest_file(h, err);
        else if (fd_is_http(opts->url))
                st = harvest_oai(h, err);
        else
                st = fd_error_set(err, FD_E_INVALID, "URL '%s' of source '%s' is neither http(s) nor file",
                                  opts->url, opts->source);
        fd_checkpoint_release(&h->cp);
        strs_release(&h->formats);
        strs_release(&h->format_ns);
        strs_release(&h->format_schema);
        strs_release(&h->cands);
        strs_release(&h->sets);
        return st;
}

enum fd_status fd_oai_harvest(const struct fd_harvest_opts *opts, const struct fd_harvest_sink *sink,
                              struct fd_error *err) {
        struct harvest h = {.sink = sink, .verb = "ListRecords"};

        return run(&h, opts, err);
}

/* ---- reconciliation ------------------------------------------------------------- */

struct lister {
        fd_identifier_fn fn;
        void *ud;
        enum fd_status status;
        struct fd_error err;
};

static bool list_page(void *ud, struct fd_page *page) {
        struct lister *l = ud;

        for (size_t i = 0; i < page->records.n && !l->status; i++) {
                const struct fd_record *r = page->records.v[i];
                l->status = l->fn(l->ud, r->local_id, r->datestamp, r->deleted);
        }
        fd_page_free(page);
        return l->status == FD_OK;
}

enum fd_status fd_oai_list_identifiers(const struct fd_harvest_opts *opts, fd_identifier_fn fn, void *userdata,
                                       struct fd_error *err) {
        struct lister l = {.fn = fn, .ud = userdata};
        struct fd_harvest_sink sink = {.page = list_page, .userdata = &l};
        struct harvest h = {.sink = &sink, .verb = "ListIdentifiers"};

        if (!fn)
                return fd_error_set(err, FD_E_INVALID, "identifier listing without a callback");
        enum fd_status st = run(&h, opts, err);
        if (st == FD_E_CANCELLED && l.status)
                return fd_error_set(err, l.status, "identifier listing of '%s' stopped by its callback",
                                    opts->url);
        return st;
}
