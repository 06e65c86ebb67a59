/* dump.c: the lines of the AI-ready export and its Croissant descriptor,
 * and the `dump` op (docs/protocol.md) that pages through them for
 * `fairdex dump`; HTTP's /dump and /croissant.json (../http/dump.c) write
 * the same (docs/federation.md).
 */
#include <stdlib.h>
#include <string.h>

#include "ops.h"

/* Licences that allow reuse, machine learning included, without asking:
 * public-domain dedications and the open attribution and share-alike ones
 * (no NC, no ND). */
bool fd_dump_reusable(const char *spdx) {
        static const char *const open[] = {
                "0BSD", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5",
                "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0",
                "CC-BY-SA-4.0", "CC-PDDC", "CC0-1.0", "ISC", "MIT", "ODC-By-1.0", "ODbL-1.0", "PDDL-1.0",
                "Unlicense", "etalab-2.0", "dl-de-by-2.0", "dl-de-zero-2.0", "OGL-UK-3.0",
        };
        for (size_t i = 0; spdx && i < FD_ELEMENTSOF(open); i++)
                if (strcmp(spdx, open[i]) == 0)
                        return true;
        return false;
}

/* One line of the dump (a new object), NULL when the stored record does
 * not read back or, with reusable_only, is not reusable. */
json_t *fd_dump_line(const struct fd_config *cfg, const struct fd_change *c, struct fd_arena *a,
                         bool reusable_only) {
        struct fd_record *r = NULL;
        struct fd_error err = {0};

        if (c->deleted)
                return reusable_only ? NULL : json_pack("{s:s,s:b,s:s}", "id", c->id, "deleted", 1, "changed", c->changed);
        /* Parsed once: the record reads from it, and so does its stored "fair". */
        json_t *stored = json_loads(c->record_json, 0, NULL);
        fd_arena_reset(a);
        if (!stored || fd_record_from_json(stored, a, &r, &err) != FD_OK) {
                json_decref(stored);
                return NULL;
        }
        const char *spdx = NULL;
        for (size_t i = 0; i < r->licenses.n && !spdx; i++)
                spdx = r->licenses.v[i].spdx;
        bool reusable = fd_dump_reusable(spdx);
        if (reusable_only && !reusable) {
                json_decref(stored);
                return NULL;
        }
        json_t *o = fd_record_to_json(r);
        json_t *fair = json_object_get(stored, "fair"), *f = json_object();
        static const char *const keys[] = {"overall", "F", "A", "I", "R"};
        for (size_t i = 0; f && fair && i < FD_ELEMENTSOF(keys); i++)
                if (json_is_integer(json_object_get(fair, keys[i])))
                        json_object_set(f, keys[i], json_object_get(fair, keys[i]));
        const struct fd_source_config *src = fd_config_source(cfg, r->source);
        json_t *prov = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s,s:s?}", "source", r->source, "source_url",
                                 src ? src->url : NULL, "original_id", r->local_id, "source_datestamp", r->datestamp,
                                 "changed", c->changed, "rubric",
                                 json_string_value(json_object_get(fair, "rubric")));
        json_decref(stored);
        if (!o || !prov || !f || json_object_set_new(o, "license", spdx ? json_string(spdx) : json_null()) ||
            json_object_set_new(o, "reusable", json_boolean(reusable)) || json_object_set_new(o, "provenance", prov) ||
            json_object_set_new(o, "fair", json_object_size(f) ? f : (json_decref(f), json_null()))) {
                json_decref(o);
                return NULL;
        }
        return o;
}

json_t *fd_croissant(const char *url, const char *content_url) {
        static const char *const fields[][3] = {
                {"id", "sc:Text", "fairdex record id: source:identifier at the source"},
                {"titles", "sc:Text", "titles ({value, lang})"},
                {"descriptions", "sc:Text", "descriptions ({value, lang})"},
                {"creators", "sc:Text", "creators ({name, orcid, affiliation})"},
                {"subjects", "sc:Text", "subjects ({value, scheme})"},
                {"doi", "sc:Text", "DOI, normalized, or absent"},
                {"resource_type", "sc:Text", "DataCite resourceTypeGeneral"},
                {"languages", "sc:Text", "BCP 47 languages"},
                {"license", "sc:Text", "SPDX licence id, null when the record has none"},
                {"reusable", "sc:Boolean", "the licence allows reuse, training included"},
                {"provenance", "sc:Text", "source, source_url, original_id, source_datestamp, changed, rubric"},
                {"fair", "sc:Integer", "FAIR scores 0-100: overall, F, A, I, R"},
                {"deleted", "sc:Boolean", "a tombstone line (only in dumps with since)"},
        };
        json_t *rs_fields = json_array();
        for (size_t i = 0; rs_fields && i < FD_ELEMENTSOF(fields); i++)
                json_array_append_new(
                        rs_fields,
                        json_pack("{s:s,s:s+,s:s,s:s,s:s,s:{s:{s:s},s:{s:s+}}}", "@type", "cr:Field", "@id", "records/",
                                  fields[i][0], "name", fields[i][0], "description", fields[i][2], "dataType",
                                  fields[i][1], "source", "fileObject", "@id", "dump", "extract", "jsonPath", "$.",
                                  fields[i][0]));
        static const char context[] =
                "{\"@language\":\"en\",\"@vocab\":\"https://schema.org/\",\"sc\":\"https://schema.org/\","
                "\"cr\":\"http://mlcommons.org/croissant/\",\"rai\":\"http://mlcommons.org/croissant/RAI/\","
                "\"dct\":\"http://purl.org/dc/terms/\",\"citeAs\":\"cr:citeAs\",\"column\":\"cr:column\","
                "\"conformsTo\":\"dct:conformsTo\",\"data\":{\"@id\":\"cr:data\",\"@type\":\"@json\"},"
                "\"dataType\":{\"@id\":\"cr:dataType\",\"@type\":\"@vocab\"},\"examples\":{\"@id\":\"cr:examples\","
                "\"@type\":\"@json\"},\"extract\":\"cr:extract\",\"field\":\"cr:field\",\"fileObject\":\"cr:fileObject\","
                "\"fileProperty\":\"cr:fileProperty\",\"format\":\"cr:format\",\"includes\":\"cr:includes\","
                "\"isLiveDataset\":\"cr:isLiveDataset\",\"jsonPath\":\"cr:jsonPath\",\"key\":\"cr:key\","
                "\"md5\":\"cr:md5\",\"parentField\":\"cr:parentField\",\"path\":\"cr:path\","
                "\"recordSet\":\"cr:recordSet\",\"references\":\"cr:references\",\"regex\":\"cr:regex\","
                "\"repeated\":\"cr:repeated\",\"replace\":\"cr:replace\",\"separator\":\"cr:separator\","
                "\"source\":\"cr:source\",\"subField\":\"cr:subField\",\"transform\":\"cr:transform\"}";
        json_t *o = json_object(), *dist = json_pack("[{s:s,s:s,s:s,s:s,s:s}]", "@type", "cr:FileObject", "@id",
                                                     "dump", "name", "dump", "contentUrl", content_url, "encodingFormat",
                                                     "application/jsonlines");
        json_t *rs = json_pack("[{s:s,s:s,s:s,s:O}]", "@type", "cr:RecordSet", "@id", "records", "name", "records",
                               "field", rs_fields);
        json_decref(rs_fields);
        if (!o || !dist || !rs) {
                json_decref(dist);
                json_decref(rs);
        }
        if (!o || !dist || !rs || json_object_set_new(o, "@context", json_loads(context, 0, NULL)) ||
            json_object_set_new(o, "@type", json_string("sc:Dataset")) ||
            json_object_set_new(o, "name", json_string("fairdex-records")) ||
            json_object_set_new(o, "description", json_string("Research metadata records harvested, normalized and "
                                                              "FAIR-scored by fairdex, one JSON object per line")) ||
            json_object_set_new(o, "conformsTo", json_string("http://mlcommons.org/croissant/1.0")) ||
            json_object_set_new(o, "url", url ? json_string(url) : json_null()) ||
            json_object_set_new(o, "license", json_string("https://spdx.org/licenses/")) ||
            json_object_set_new(o, "version", json_string(FD_VERSION)) ||
            json_object_set_new(o, "distribution", dist) || json_object_set_new(o, "recordSet", rs)) {
                json_decref(o);
                o = NULL;
        }
        return o;
}

#define FD_DUMP_OP_MAX 1000

/* {"op":"dump","since":D,"source":S,"reusable":B,"after":K,"limit":N}
 * -> {"lines":[…],"next":K|null}; {"op":"dump","croissant":true,
 * "content_url":U} -> {"croissant":{…}}. */
char *fd_op_dump(struct fd_query_ctx *ctx, json_t *req) {
        const struct fd_config *cfg = fd_engine_config(ctx->engine);
        json_t *since = json_object_get(req, "since"), *source = json_object_get(req, "source");
        json_t *after = json_object_get(req, "after"), *reusable = json_object_get(req, "reusable");
        json_t *croissant = json_object_get(req, "croissant"), *content = json_object_get(req, "content_url");
        unsigned limit = 500;
        struct fd_error err = {0};
        char set[80], from[32];

        if (croissant && json_is_true(croissant)) {
                if (content && !json_is_string(content))
                        return fd_protocol_error(FD_E_INVALID, "'content_url' must be a string");
                return fd_protocol_ok(json_pack("{s:o}", "croissant",
                                                fd_croissant(cfg->http.enabled ? cfg->http.base_url : NULL,
                                                             content ? json_string_value(content)
                                                                     : "fairdex-dump.jsonl.gz")));
        }
        if (fd_protocol_uint(req, "limit", FD_DUMP_OP_MAX, &limit, &err))
                return fd_protocol_fail(&err);
        if ((since && !json_is_string(since)) || (source && !json_is_string(source)) ||
            (after && !json_is_string(after) && !json_is_null(after)) || (reusable && !json_is_boolean(reusable)))
                return fd_protocol_error(FD_E_INVALID, "'since', 'source' and 'after' are strings, 'reusable' a boolean");
        if (since && !fd_protocol_datestamp(json_string_value(since), from))
                return fd_protocol_error(FD_E_INVALID, "'since' is a datestamp YYYY-MM-DDThh:mm:ssZ or a day");
        if (source && strlen(json_string_value(source)) > 64)
                return fd_protocol_error(FD_E_INVALID, "'source' is longer than a source name");
        if (source)
                snprintf(set, sizeof set, "source:%s", json_string_value(source));
        if (!limit)
                limit = 500;

        struct fd_change_request cr = {.after = json_string_value(after), .from = since ? from : NULL,
                                       .set = source ? set : NULL, .limit = limit, .record_json = true,
                                       .live_only = !since};
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        _fd_cleanup_(fd_arena_freep) struct fd_arena *arena = fd_arena_new(64u << 20);
        struct fd_index *idx = NULL;
        json_t *lines = json_array();
        enum fd_status st = arena && lines ? fd_protocol_reader(ctx, &idx, &err) : FD_E_NOMEM;
        if (st == FD_OK)
                st = fd_index_changes(idx, &cr, &l, &err);
        if (st && st != FD_E_NOTFOUND) {
                json_decref(lines);
                return fd_protocol_fail(&err);
        }
        for (size_t i = 0; l && i < l->n; i++) {
                json_t *o = fd_dump_line(cfg, &l->v[i], arena, reusable && json_is_true(reusable));
                if (o)
                        json_array_append_new(lines, o);
        }
        return fd_protocol_ok(json_pack("{s:o,s:s?}", "lines", lines, "next", l ? l->next : NULL));
}
