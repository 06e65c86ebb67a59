/* export.c: the export op — one record, or a search's hits, as BibTeX,
 * RIS, DataCite JSON or schema.org JSON-LD.
 *
 * Everything comes from the stored record (the normalized record of
 * docs/protocol.md, read back by record/json_read.c), so an export never
 * needs the source again; the formats themselves are record/export.c's.
 * Text formats are built in a bounded buffer and answered as one string
 * ("content"); JSON formats as a list of objects ("records").  The hits of
 * a query are exported in their search order, at most FD_INDEX_MAX_LIMIT
 * of them.
 */
#include "ops.h"
#include "../json_index.h"

#define EXPORT_MAX (8 * 1024 * 1024)
/* The most the records of one export may take once read back. */
#define RECORDS_MAX ((size_t)1 << 30)

/* The stored record text of id, read back into a (NULL and err set when
 * unreadable). */
static struct fd_record *read_back(struct fd_arena *a, const char *id, const char *text, struct fd_error *err) {
        struct fd_record *r = NULL;
        json_t *o = json_loads(text, 0, NULL);

        if (!o) {
                fd_error_set(err, FD_E_CORRUPT, "stored record '%s' is not JSON", id);
                return NULL;
        }
        if (fd_record_from_json(o, a, &r, err) != FD_OK)
                r = NULL;
        json_decref(o);
        return r;
}

char *fd_op_export(struct fd_query_ctx *ctx, json_t *req) {
        json_t *fmt = json_object_get(req, "format"), *id = json_object_get(req, "id");
        _fd_cleanup_(fd_arena_freep) struct fd_arena *a = NULL;
        _fd_free_ struct fd_record **records = NULL;
        size_t n = 0;
        struct fd_error err = {0};
        struct fd_index *idx;
        enum fd_export_format f;

        if (!json_is_string(fmt) || !fd_export_format_parse(json_string_value(fmt), &f))
                return fd_protocol_error(FD_E_INVALID, "'format' must be \"bibtex\", \"ris\", \"datacite\" or "
                                                       "\"schemaorg\"");
        if (id && (!json_is_string(id) || json_string_length(id) == 0))
                return fd_protocol_error(FD_E_INVALID, "'id' must be a non-empty string");
        if (fd_protocol_reader(ctx, &idx, &err))
                return fd_protocol_fail(&err);

        /* The records: the one named, or the hits of the search in req. */
        a = fd_arena_new(RECORDS_MAX);
        records = calloc(FD_INDEX_MAX_LIMIT + 1, sizeof *records);
        if (!a || !records)
                return fd_protocol_error(FD_E_NOMEM, "out of memory");
        if (id) {
                _fd_free_ char *text = NULL;
                if (fd_index_get(idx, json_string_value(id), &text, &err) != FD_OK ||
                    !(records[n++] = read_back(a, json_string_value(id), text, &err)))
                        return fd_protocol_fail(&err);
        } else {
                /* The hits carry their stored records: no lookup per hit. */
                struct fd_json_search s = {.req = {.q = "", .record_json = true}};
                _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;
                json_t *q = json_object_get(req, "q");
                if (q && !json_is_string(q))
                        return fd_protocol_error(FD_E_INVALID, "'q' must be a string");
                s.req.q = q ? json_string_value(q) : "";
                if (fd_protocol_uint(req, "offset", 10000, &s.req.offset, &err) ||
                    fd_protocol_uint(req, "limit", FD_INDEX_MAX_LIMIT, &s.req.limit, &err) ||
                    fd_json_search_filters(json_object_get(req, "filters"), &s, &err) ||
                    fd_index_search(idx, &s.req, &res, &err))
                        return fd_protocol_fail(&err);
                for (size_t i = 0; i < res->n_hits; i++) {
                        if (res->hits[i].id && res->hits[i].record_json &&
                            (records[n] = read_back(a, res->hits[i].id, res->hits[i].record_json, &err)))
                                n++;
                }
        }

        json_t *out = json_pack("{s:s}", "format", fd_export_format_name(f));
        if (f == FD_EXPORT_DATACITE || f == FD_EXPORT_SCHEMAORG) {
                json_t *list = json_array();
                for (size_t i = 0; i < n; i++)
                        json_array_append_new(list, fd_record_export_json(records[i], f));
                json_object_set_new(out, "records", list);
        } else {
                struct fd_buf b;
                enum fd_status st = FD_OK;
                fd_buf_init(&b, EXPORT_MAX);
                for (size_t i = 0; !st && i < n; i++)
                        st = fd_record_export_text(records[i], f, &b);
                if (st) {
                        fd_buf_release(&b);
                        json_decref(out);
                        return fd_protocol_error(FD_E_LIMIT, "export longer than %d bytes", EXPORT_MAX);
                }
                json_object_set_new(out, "content", json_stringn(b.data ? b.data : "", b.len));
                fd_buf_release(&b);
        }
        json_object_set_new(out, "count", json_integer((json_int_t)n));
        return fd_protocol_ok(out);
}
