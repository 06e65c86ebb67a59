/* re3data.c: repositories described in re3data, linked to the records
 * harvested from them (docs/protocol.md, `related`).
 *
 * A re3data description (harvested from re3data's OAI-PMH provider or any
 * source serving the r3d schema) is a Service record whose identifiers
 * include its API endpoints (harvesters/formats/re3data.c).  A configured
 * source is described by the Service record holding the source's base URL
 * as an identifier (the URL as configured, with and without its trailing
 * slash, over http and https): its records then link to the description
 * (`HasAccessService`, direction "in", the description stating it) and
 * the description links to the source (`ServesDataset`, direction "out",
 * the identifier the source's base URL, the records the first ones of the
 * source).  The match is made when `related` asks, from the configuration
 * and the index as they are then, so that the order in which sources
 * and re3data are harvested does not matter and nothing is written.
 * A source's status names its description the same way.  Costs: one
 * search per configured source whose description is not yet known to the
 * query worker since its reader last reopened (the cache below), then
 * comparisons.
 */
#include <strings.h>

#include "ops.h"
#include "../json_index.h"

/* Spellings of a base URL: as configured, with the trailing slash
 * toggled, and each of those over the other of http/https. */
#define URL_VARIANTS 4
#define URL_MAX 1024
/* Source names are [A-Za-z0-9_.-]{1,64} (fd_config.h). */
#define SOURCE_NAME_MAX 64

static size_t url_variants(const char *url, char out[URL_VARIANTS][URL_MAX]) {
        size_t n = 0, len = strlen(url);

        if (len == 0 || len + 2 >= URL_MAX)
                return 0;
        snprintf(out[n++], URL_MAX, "%s", url);
        if (url[len - 1] == '/')
                snprintf(out[n++], URL_MAX, "%.*s", (int)(len - 1), url);
        else
                snprintf(out[n++], URL_MAX, "%s/", url);
        for (size_t i = 0, m = n; i < m; i++) {
                if (strncasecmp(out[i], "http://", 7) == 0)
                        snprintf(out[n++], URL_MAX, "https://%s", out[i] + 7);
                else if (strncasecmp(out[i], "https://", 8) == 0)
                        snprintf(out[n++], URL_MAX, "http://%s", out[i] + 8);
        }
        return n;
}

/* The description of source c: the first Service record holding one of
 * its base URL's spellings as an identifier, in *ret (NULL: none). */
static enum fd_status description_of(struct fd_index *idx, const struct fd_source_config *c,
                                     struct fd_search_result **ret, struct fd_error *err) {
        char urls[URL_VARIANTS][URL_MAX];
        size_t n = url_variants(c->url, urls);
        static const char *const service[] = {"Service"};
        const struct fd_search_filter filter = {.field = FD_FIELD_TYPE, .values = service, .n_values = 1};
        _fd_cleanup_(fd_buf_release) struct fd_buf q;
        enum fd_status st = FD_OK;

        *ret = NULL;
        fd_buf_init(&q, URL_VARIANTS * (2 * URL_MAX + 32));
        /* identifier:"…" phrases, a quote doubled inside */
        for (size_t i = 0; !st && i < n; i++) {
                st = fd_buf_printf(&q, "%sidentifier:\"", i ? " OR " : "");
                for (const char *p = urls[i]; !st && *p; p++)
                        st = fd_buf_append(&q, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
                st = st ?: fd_buf_append(&q, "\"", 1);
        }
        if (st == FD_E_LIMIT || n == 0)
                return FD_OK;
        if (st)
                return fd_error_set(err, st, "out of memory looking up the re3data description of '%s'", c->name);
        const struct fd_search_request req = {.q = q.data, .limit = 1, .filters = &filter, .n_filters = 1};
        return fd_index_search(idx, &req, ret, err);
}

static json_t *record_ref(const char *id, const char *source, const char *title) {
        return json_pack("{s:s,s:s?,s:s?}", "id", id, "source", source, "title", title);
}

/* A link with its records into links; records is taken (json_pack's "o"
 * takes it even when it fails; NULL, out of memory, makes no link). */
static bool append_link(json_t *links, const char *relation, bool in, const char *identifier, json_t *records) {
        json_t *l = records ? json_pack("{s:s,s:s,s:s,s:o}", "relation", relation, "direction", in ? "in" : "out",
                                        "identifier", identifier, "records", records)
                            : NULL;
        return l && json_array_append_new(links, l) == 0;
}

/* What description_of found for one source, kept by each query worker
 * (thread) until its reader reopens (ctx->generation): related on a page
 * of records asks the index once per source, not once per record, and a
 * miss (the common case: a search finding nothing) costs a comparison. */
#define CACHE_SOURCES 32
#define CACHE_TEXT 512

struct description {
        char source[SOURCE_NAME_MAX + 1];
        uint64_t url; /* fd_hash_str of the source's url when looked up */
        bool found;
        /* the description: its record id, source, DOI (else id) and title ("": none) */
        char id[CACHE_TEXT], holder[CACHE_TEXT], identifier[CACHE_TEXT], title[CACHE_TEXT];
};

static _Thread_local struct {
        const struct fd_index *idx;
        uint64_t generation;
        size_t n;
        struct description v[CACHE_SOURCES];
} cache;

/* The description of source c into *out (from the cache, or looked up
 * and kept when its strings fit). */
static enum fd_status cached_description(struct fd_query_ctx *ctx, struct fd_index *idx,
                                         const struct fd_source_config *c, struct description *out,
                                         struct fd_error *err) {
        const uint64_t url = fd_hash_str(c->url);
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *d = NULL;

        if (cache.idx != idx || cache.generation != ctx->generation) {
                cache.idx = idx;
                cache.generation = ctx->generation;
                cache.n = 0;
        }
        for (size_t i = 0; i < cache.n; i++)
                if (cache.v[i].url == url && strcmp(cache.v[i].source, c->name) == 0) {
                        *out = cache.v[i];
                        return FD_OK;
                }
        enum fd_status st = description_of(idx, c, &d, err);
        if (st)
                return st;
        *out = (struct description){.url = url, .found = d && d->n_hits > 0};
        const struct fd_search_hit *h = out->found ? &d->hits[0] : NULL;
        const char *identifier = h ? (h->doi ? h->doi : h->id) : "";
        bool fits = strlen(c->name) <= SOURCE_NAME_MAX &&
                    (!h ||
                     (strlen(h->id) < CACHE_TEXT && strlen(identifier) < CACHE_TEXT &&
                      (!h->source || strlen(h->source) < CACHE_TEXT) && (!h->title || strlen(h->title) < CACHE_TEXT)));
        if (!fits)
                return fd_error_set(err, FD_E_LIMIT,
                                    "the re3data description of source '%s' has too long an id or title", c->name);
        snprintf(out->source, sizeof out->source, "%s", c->name);
        if (h) {
                snprintf(out->id, sizeof out->id, "%s", h->id);
                snprintf(out->holder, sizeof out->holder, "%s", h->source ? h->source : "");
                snprintf(out->identifier, sizeof out->identifier, "%s", identifier);
                snprintf(out->title, sizeof out->title, "%s", h->title ? h->title : "");
        }
        if (cache.n < CACHE_SOURCES)
                cache.v[cache.n++] = *out;
        return FD_OK;
}

/* The link of a record to the description of its own source. */
static enum fd_status link_to_description(struct fd_query_ctx *ctx, struct fd_index *idx, const struct fd_config *cfg,
                                          const char *id, json_t *links, struct fd_error *err) {
        const char *colon = strchr(id, ':');
        char source[SOURCE_NAME_MAX + 1];
        struct description d;

        if (!colon || (size_t)(colon - id) > SOURCE_NAME_MAX)
                return FD_OK;
        snprintf(source, sizeof source, "%.*s", (int)(colon - id), id);
        const struct fd_source_config *c = fd_config_source(cfg, source);
        if (!c)
                return FD_OK;
        enum fd_status st = cached_description(ctx, idx, c, &d, err);
        if (st == FD_E_LIMIT)
                return FD_OK; /* a description fairdex cannot show whole is left out */
        if (st || !d.found || strcmp(d.id, id) == 0)
                return st;
        json_t *records = json_array();
        if (records &&
            json_array_append_new(records, record_ref(d.id, *d.holder ? d.holder : NULL, *d.title ? d.title : NULL))) {
                json_decref(records);
                records = NULL;
        }
        if (!append_link(links, "HasAccessService", true, d.identifier, records))
                return fd_error_set(err, FD_E_NOMEM, "out of memory linking '%s' to its re3data description", id);
        return FD_OK;
}

/* The links of a Service record to the configured sources whose
 * description it is: each with the first records of the source. */
static enum fd_status link_to_sources(struct fd_query_ctx *ctx, struct fd_index *idx, const struct fd_config *cfg,
                                      const char *id, json_t *links, struct fd_error *err) {
        enum fd_status st = FD_OK;

        for (size_t i = 0; !st && i < cfg->n_sources; i++) {
                const struct fd_source_config *c = &cfg->sources[i];
                _fd_cleanup_(fd_search_result_freep) struct fd_search_result *held = NULL;
                const char *name = c->name;
                const struct fd_search_filter filter = {.field = FD_FIELD_SOURCE, .values = &name, .n_values = 1};
                const struct fd_search_request req = {.q = "",
                                                      .limit = FD_INDEX_RELATED_RECORDS_MAX,
                                                      .filters = &filter,
                                                      .n_filters = 1};
                struct description d;

                st = cached_description(ctx, idx, c, &d, err);
                if (st == FD_E_LIMIT)
                        st = FD_OK;
                else if (!st && d.found && strcmp(d.id, id) == 0 && !(st = fd_index_search(idx, &req, &held, err))) {
                        json_t *records = json_array();
                        bool ok = records != NULL;
                        for (size_t j = 0; ok && j < held->n_hits; j++)
                                ok = json_array_append_new(records, record_ref(held->hits[j].id, held->hits[j].source,
                                                                               held->hits[j].title)) == 0;
                        if (!ok)
                                json_decref(records);
                        if (!ok || !append_link(links, "ServesDataset", false, c->url, records))
                                st = fd_error_set(err, FD_E_NOMEM, "out of memory linking '%s' to source '%s'", id,
                                                  c->name);
                }
        }
        return st;
}

json_t *fd_re3data_description(struct fd_query_ctx *ctx, struct fd_index *idx, const struct fd_source_config *c) {
        struct fd_error err = {0};
        struct description d;

        if (!idx || cached_description(ctx, idx, c, &d, &err) || !d.found)
                return json_null();
        return json_pack("{s:s,s:s,s:s?}", "id", d.id, "identifier", d.identifier, "title", *d.title ? d.title : NULL);
}

enum fd_status fd_re3data_links(struct fd_query_ctx *ctx, struct fd_index *idx, const char *id, json_t *links,
                                struct fd_error *err) {
        const struct fd_config *cfg = fd_engine_config(ctx->engine);
        enum fd_status st = link_to_description(ctx, idx, cfg, id, links, err);
        return st ? st : link_to_sources(ctx, idx, cfg, id, links, err);
}
