/* dump.c: the AI-ready export at /dump and its Croissant descriptor at
 * /croissant.json (docs/federation.md).
 *
 * /dump streams every record as one JSON object per line, gzip-compressed
 * as it goes (zlib): a page of FD_DUMP_PAGE records is read from
 * fd_index_changes, turned into lines and deflated into libmicrohttpd's
 * buffer, then the next, so memory is one page whatever the corpus
 * size.  A line holds the record's normalized fields (fd_record_to_json),
 * "license" (the first SPDX id, null when none), "reusable" (that licence
 * allows reuse, training included: fd_dump_reusable), "provenance"
 * (source name and URL, the identifier at the source, its datestamp there,
 * when fairdex last wrote it, the FAIR rubric) and "fair" (overall and
 * per principle).  ?since=DATESTAMP gives the records changed since then
 * and a tombstone line {"id","deleted":true,"changed"} per deletion, so a
 * mirror can be kept current; ?source=NAME and ?reusable=1 narrow it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include <zlib.h>

#include "../http.h"
#include "../ops/ops.h"
#include "fd_fair.h"
#include "fd_index.h"

#define FD_DUMP_PAGE 200

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
static json_t *dump_line(const struct fd_config *cfg, const struct fd_change *c, struct fd_arena *a,
                         bool reusable_only) {
        struct fd_record *r = NULL;
        struct fd_error err = {0};

        if (c->deleted)
                return reusable_only ? NULL : json_pack("{s:s,s:b,s:s}", "id", c->id, "deleted", 1, "changed", c->changed);
        fd_arena_reset(a);
        if (fd_record_from_json_text(c->record_json, strlen(c->record_json), a, &r, &err) != FD_OK)
                return NULL;
        const char *spdx = NULL;
        for (size_t i = 0; i < r->licenses.n && !spdx; i++)
                spdx = r->licenses.v[i].spdx;
        bool reusable = fd_dump_reusable(spdx);
        if (reusable_only && !reusable)
                return NULL;
        json_t *o = fd_record_to_json(r);
        json_error_t je;
        json_t *stored = json_loads(c->record_json, 0, &je), *fair = json_object_get(stored, "fair"), *f = json_object();
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

struct dump {
        struct fd_query_ctx *ctx;
        const struct fd_config *cfg;
        struct fd_arena *arena;
        z_stream z;
        bool z_ok, finished, failed;
        char *after;               /* key of the last record read, NULL: none yet */
        char since[32], set[80];
        bool has_since, has_set, reusable_only, listed_all;
        struct fd_buf lines;       /* a page's lines not yet deflated */
        size_t lines_off;
};

static void dump_free(void *cls) {
        struct dump *d = cls;
        if (d->z_ok)
                deflateEnd(&d->z);
        fd_arena_free(d->arena);
        fd_buf_release(&d->lines);
        free(d->after);
        free(d);
}

/* Reads the next page into d->lines; sets listed_all after the last. */
static bool next_page(struct dump *d) {
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        struct fd_change_request cr = {.after = d->after, .from = d->has_since ? d->since : NULL,
                                       .set = d->has_set ? d->set : NULL, .limit = FD_DUMP_PAGE,
                                       .record_json = true, .live_only = !d->has_since};

        fd_buf_reset(&d->lines);
        d->lines_off = 0;
        enum fd_status st = fd_protocol_reader(d->ctx, &idx, &err);
        if (st == FD_E_NOTFOUND) {
                d->listed_all = true;
                return true;
        }
        if (st || (st = fd_index_changes(idx, &cr, &l, &err)) != FD_OK)
                return st == FD_E_INVALID ? (d->listed_all = true) : false;
        for (size_t i = 0; i < l->n; i++) {
                json_t *o = dump_line(d->cfg, &l->v[i], d->arena, d->reusable_only);
                char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
                json_decref(o);
                if (text && (fd_buf_append(&d->lines, text, strlen(text)) || fd_buf_append(&d->lines, "\n", 1))) {
                        free(text);
                        return false;
                }
                free(text);
        }
        free(d->after);
        d->after = l->next ? strdup(l->next) : NULL;
        if (!l->next)
                d->listed_all = true;
        return !l->next || d->after;
}

static ssize_t dump_read(void *cls, uint64_t pos, char *buf, size_t max) {
        struct dump *d = cls;

        (void)pos;
        if (d->failed)
                return MHD_CONTENT_READER_END_WITH_ERROR;
        if (d->finished)
                return MHD_CONTENT_READER_END_OF_STREAM;
        d->z.next_out = (unsigned char *)buf;
        d->z.avail_out = (uInt)(max > (1u << 30) ? 1u << 30 : max);
        while (d->z.avail_out > 0 && !d->finished && !d->failed) {
                if (d->lines_off == d->lines.len && !d->listed_all) {
                        d->failed = !next_page(d);
                        continue;
                }
                d->z.next_in = (unsigned char *)d->lines.data + d->lines_off;
                d->z.avail_in = (uInt)(d->lines.len - d->lines_off);
                int r = deflate(&d->z, d->listed_all ? Z_FINISH : Z_NO_FLUSH);
                d->lines_off = d->lines.len - d->z.avail_in;
                if (r == Z_STREAM_END)
                        d->finished = true;
                else if (r != Z_OK && r != Z_BUF_ERROR)
                        d->failed = true;
        }
        size_t n = (size_t)((char *)d->z.next_out - buf);
        if (n == 0)
                return d->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
        return (ssize_t)n;
}

enum fd_status fd_http_dump(const struct fd_http_request *req, struct fd_http_answer *a) {
        const char *since = fd_http_arg(req, "since"), *source = fd_http_arg(req, "source");
        const char *reusable = fd_http_arg(req, "reusable");
        struct dump *d = calloc(1, sizeof *d);

        if (!d)
                return FD_E_NOMEM;
        d->ctx = req->ctx;
        d->cfg = req->config;
        fd_buf_init(&d->lines, 256u << 20);
        d->arena = fd_arena_new(64u << 20);
        d->z_ok = deflateInit2(&d->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
        if (!d->arena || !d->z_ok) {
                dump_free(d);
                return FD_E_NOMEM;
        }
        struct tm tm = {0};
        const char *end = NULL;
        if (since && !((strlen(since) == 20 && (end = strptime(since, "%Y-%m-%dT%H:%M:%SZ", &tm)) && !*end) ||
                       (strlen(since) == 10 && (end = strptime(since, "%Y-%m-%d", &tm)) && !*end))) {
                dump_free(d);
                return fd_http_answer_text(a, 400, "text/plain; charset=utf-8",
                                           "since is a datestamp YYYY-MM-DDThh:mm:ssZ or a day YYYY-MM-DD\n");
        }
        if (since) {
                snprintf(d->since, sizeof d->since, "%s%s", since, strlen(since) == 10 ? "T00:00:00Z" : "");
                d->has_since = true;
        }
        if (source) {
                if (strlen(source) > 64) {
                        dump_free(d);
                        return fd_http_answer_text(a, 400, "text/plain; charset=utf-8", "no such source\n");
                }
                snprintf(d->set, sizeof d->set, "source:%s", source);
                d->has_set = true;
        }
        d->reusable_only = reusable && strcmp(reusable, "0") != 0 && strcmp(reusable, "false") != 0;
        a->status = 200;
        a->content_type = "application/gzip";
        a->stream = dump_read;
        a->stream_free = dump_free;
        a->stream_state = d;
        return FD_OK;
}

/* ---- Croissant ---------------------------------------------------------- */

enum fd_status fd_http_croissant(const struct fd_http_request *req, struct fd_http_answer *a) {
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
        const char *base = req->config->http.base_url;
        json_t *rs_fields = json_array();
        char *url = NULL;

        if (asprintf(&url, "%s/dump", base) < 0)
                return FD_E_NOMEM;
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
                                                     "dump", "name", "dump", "contentUrl", url, "encodingFormat",
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
            json_object_set_new(o, "url", json_string(base)) ||
            json_object_set_new(o, "license", json_string("https://spdx.org/licenses/")) ||
            json_object_set_new(o, "version", json_string(FD_VERSION)) ||
            json_object_set_new(o, "distribution", dist) || json_object_set_new(o, "recordSet", rs)) {
                json_decref(o);
                o = NULL;
        }
        free(url);
        char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        json_decref(o);
        if (!text)
                return FD_E_NOMEM;
        a->status = 200;
        a->content_type = "application/ld+json";
        a->body = text;
        a->len = strlen(text);
        return FD_OK;
}
