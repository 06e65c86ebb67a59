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
 * search for the record's own source, and for a Service record one get
 * and a comparison with every configured source's base URL.
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

static bool append_link(json_t *links, const char *relation, bool in, const char *identifier, json_t *records) {
        json_t *l = records ? json_pack("{s:s,s:s,s:s,s:o}", "relation", relation, "direction", in ? "in" : "out",
                                        "identifier", identifier, "records", records)
                            : NULL;
        return l && json_array_append_new(links, l) == 0;
}

/* The link of a record to the description of its own source. */
static enum fd_status link_to_description(struct fd_index *idx, const struct fd_config *cfg, const char *id,
                                          json_t *links, struct fd_error *err) {
        const char *colon = strchr(id, ':');
        char source[SOURCE_NAME_MAX + 1];
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *d = NULL;

        if (!colon || (size_t)(colon - id) > SOURCE_NAME_MAX)
                return FD_OK;
        snprintf(source, sizeof source, "%.*s", (int)(colon - id), id);
        const struct fd_source_config *c = fd_config_source(cfg, source);
        if (!c)
                return FD_OK;
        enum fd_status st = description_of(idx, c, &d, err);
        if (st || !d || d->n_hits == 0 || strcmp(d->hits[0].id, id) == 0)
                return st;
        const struct fd_search_hit *h = &d->hits[0];
        json_t *records = json_array();
        if (!records || json_array_append_new(records, record_ref(h->id, h->source, h->title)) ||
            !append_link(links, "HasAccessService", true, h->doi ? h->doi : h->id, records))
                return fd_error_set(err, FD_E_NOMEM, "out of memory linking '%s' to its re3data description", id);
        return FD_OK;
}

/* Whether identifiers (the record JSON's array) hold a spelling of url. */
static bool holds_url(json_t *identifiers, const char *url) {
        char urls[URL_VARIANTS][URL_MAX];
        size_t n = url_variants(url, urls), k;
        json_t *v;

        json_array_foreach(identifiers, k, v) {
                const char *s = json_string_value(json_object_get(v, "value"));
                for (size_t i = 0; s && i < n; i++)
                        if (strcmp(s, urls[i]) == 0)
                                return true;
        }
        return false;
}

/* The links of a Service record to the configured sources it describes:
 * each with the first records of the source. */
static enum fd_status link_to_sources(struct fd_index *idx, const struct fd_config *cfg, const char *id, json_t *links,
                                      struct fd_error *err) {
        _fd_free_ char *text = NULL;
        enum fd_status st = cfg->n_sources ? fd_index_get(idx, id, &text, err) : FD_OK;
        if (st || !text)
                return st;
        json_t *record = json_loads(text, 0, NULL);
        json_t *identifiers = json_object_get(record, "identifiers");
        const char *type = json_string_value(json_object_get(record, "resource_type"));

        for (size_t i = 0; !st && type && strcmp(type, "Service") == 0 && i < cfg->n_sources; i++) {
                const struct fd_source_config *c = &cfg->sources[i];
                _fd_cleanup_(fd_search_result_freep) struct fd_search_result *held = NULL;
                _fd_cleanup_(fd_search_result_freep) struct fd_search_result *d = NULL;
                const char *name = c->name;
                const struct fd_search_filter filter = {.field = FD_FIELD_SOURCE, .values = &name, .n_values = 1};
                const struct fd_search_request req = {.q = "",
                                                      .limit = FD_INDEX_RELATED_RECORDS_MAX,
                                                      .filters = &filter,
                                                      .n_filters = 1};

                /* the source's description must be this record (another
                 * Service may list the same endpoint and come first) */
                if (!holds_url(identifiers, c->url) || (st = description_of(idx, c, &d, err)) || !d || d->n_hits == 0 ||
                    strcmp(d->hits[0].id, id) != 0)
                        continue;
                if ((st = fd_index_search(idx, &req, &held, err)))
                        break;
                json_t *records = json_array();
                bool ok = records != NULL;
                for (size_t j = 0; ok && j < held->n_hits; j++)
                        ok = json_array_append_new(records, record_ref(held->hits[j].id, held->hits[j].source,
                                                                       held->hits[j].title)) == 0;
                if (!ok)
                        json_decref(records);
                if (!ok || !append_link(links, "ServesDataset", false, c->url, records))
                        st = fd_error_set(err, FD_E_NOMEM, "out of memory linking '%s' to source '%s'", id, c->name);
        }
        json_decref(record);
        return st;
}

json_t *fd_re3data_description(struct fd_index *idx, const struct fd_source_config *c) {
        struct fd_error err = {0};
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *d = NULL;

        if (!idx || description_of(idx, c, &d, &err) || !d || d->n_hits == 0)
                return json_null();
        const struct fd_search_hit *h = &d->hits[0];
        return json_pack("{s:s,s:s,s:s?}", "id", h->id, "identifier", h->doi ? h->doi : h->id, "title", h->title);
}

enum fd_status fd_re3data_links(struct fd_query_ctx *ctx, struct fd_index *idx, const char *id, json_t *links,
                                struct fd_error *err) {
        const struct fd_config *cfg = fd_engine_config(ctx->engine);
        enum fd_status st = link_to_description(idx, cfg, id, links, err);
        return st ? st : link_to_sources(idx, cfg, id, links, err);
}
