/* records.c: the ops that read records: search, suggest, similar, related, get.
 *
 * Each checks its request field by field, then asks its worker's read-only
 * index (fd_protocol_reader), which answers the protocol's objects.
 */
#include <math.h>

#include "ops.h"
#include "../json_index.h"

/* Reads the optional string field name of req (at most max bytes) into
 * *io; FD_E_INVALID naming the field otherwise. */
static enum fd_status opt_string(json_t *req, const char *name, size_t max, const char **io, struct fd_error *err) {
        json_t *v = json_object_get(req, name);
        if (!v)
                return FD_OK;
        if (!json_is_string(v) || json_string_length(v) > max)
                return fd_error_set(err, FD_E_INVALID, "'%s' must be a string of at most %zu bytes", name, max);
        *io = json_string_value(v);
        return FD_OK;
}

static enum fd_status opt_bool(json_t *req, const char *name, bool *io, struct fd_error *err) {
        json_t *v = json_object_get(req, name);
        if (!v)
                return FD_OK;
        if (!json_is_boolean(v))
                return fd_error_set(err, FD_E_INVALID, "'%s' must be true or false", name);
        *io = json_is_true(v);
        return FD_OK;
}

/* "near": [lat, lon], the point "sort":"near" measures from (and only
 * with it). */
static enum fd_status near_point(json_t *req, struct fd_search_request *opts, struct fd_error *err) {
        json_t *v = json_object_get(req, "near");
        json_t *lat = json_array_get(v, 0), *lon = json_array_get(v, 1);

        if (!v && opts->sort != FD_SORT_NEAR)
                return FD_OK;
        if (!v || opts->sort != FD_SORT_NEAR)
                return fd_error_set(err, FD_E_INVALID, "\"sort\":\"near\" and 'near' go together");
        if (json_array_size(v) != 2 || !json_is_number(lat) || !json_is_number(lon) ||
            fabs(json_number_value(lat)) > 90 || fabs(json_number_value(lon)) > 180)
                return fd_error_set(err, FD_E_INVALID, "'near' must be [latitude, longitude] in degrees");
        opts->near_lat = json_number_value(lat);
        opts->near_lon = json_number_value(lon);
        return FD_OK;
}

/* The search request's fields into s (strings borrowed from req). */
static enum fd_status search_opts(json_t *req, struct fd_json_search *s, struct fd_error *err) {
        struct fd_search_request *opts = &s->req;
        const char *sort = "relevance", *order = NULL, *collapse = "doi";

        if (opt_string(req, "q", FD_PROTOCOL_MAX_REQUEST, &opts->q, err) ||
            opt_string(req, "lang", 35, &opts->lang, err) || opt_string(req, "sort", 16, &sort, err) ||
            opt_string(req, "order", 8, &order, err) || opt_string(req, "cursor", 512, &opts->cursor, err) ||
            fd_protocol_uint(req, "offset", FD_INDEX_MAX_OFFSET, &opts->offset, err) ||
            fd_protocol_uint(req, "limit", FD_INDEX_MAX_LIMIT, &opts->limit, err) ||
            fd_protocol_uint(req, "facet_limit", FD_INDEX_MAX_FACET_LIMIT, &opts->facet_limit, err) ||
            opt_bool(req, "snippets", &opts->snippets, err) || opt_string(req, "collapse", 16, &collapse, err))
                return err->status;
        if (strcmp(collapse, "doi") == 0)
                opts->collapse = FD_COLLAPSE_DOI;
        else if (strcmp(collapse, "version") == 0)
                opts->collapse = FD_COLLAPSE_VERSION;
        else
                return fd_error_set(err, FD_E_INVALID, "'collapse' must be \"doi\" or \"version\"");
        if (strcmp(sort, "relevance") == 0)
                opts->sort = FD_SORT_RELEVANCE;
        else if (strcmp(sort, "date") == 0)
                opts->sort = FD_SORT_DATE;
        else if (strcmp(sort, "fair") == 0)
                opts->sort = FD_SORT_FAIR;
        else if (strcmp(sort, "near") == 0)
                opts->sort = FD_SORT_NEAR;
        else
                return fd_error_set(err, FD_E_INVALID,
                                    "'sort' must be \"relevance\", \"date\", \"fair\" or \"near\"");
        if (near_point(req, opts, err))
                return err->status;
        if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
                return fd_error_set(err, FD_E_INVALID, "'order' must be \"asc\" or \"desc\"");
        opts->ascending = order && strcmp(order, "asc") == 0;
        return fd_json_search_lists(req, s, err);
}

char *fd_op_search(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_json_search s = {.req = {.q = "", .offset = 0, .limit = 10}};
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;
        struct fd_error err = {0};
        struct fd_index *idx;

        if (search_opts(req, &s, &err))
                return fd_protocol_fail(&err);
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_search(idx, &s.req, &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_search_result(res, s.fields));
}

char *fd_op_suggest(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        const char *q = NULL;
        unsigned limit = 10;
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;

        if (opt_string(req, "q", 256, &q, &err) || fd_protocol_uint(req, "limit", FD_INDEX_MAX_SUGGEST, &limit, &err))
                return fd_protocol_fail(&err);
        if (!q)
                return fd_protocol_error(FD_E_INVALID, "'suggest' needs a 'q' string (the typed prefix)");
        if (limit == 0)
                limit = 10;
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_suggest(idx, q, limit, &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_suggest_result(res));
}

char *fd_op_similar(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        unsigned limit = 10;
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;
        json_t *id = json_object_get(req, "id");

        if (!json_is_string(id) || json_string_length(id) == 0)
                return fd_protocol_error(FD_E_INVALID, "'similar' needs an 'id' string");
        if (fd_protocol_uint(req, "limit", FD_INDEX_MAX_LIMIT, &limit, &err))
                return fd_protocol_fail(&err);
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_similar(idx, json_string_value(id), limit, &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_search_result(res, NULL));
}

/* The answer to `get` with "raw":true: the record and its metadata as
 * harvested ("raw": its XML text, null when it was kept without). */
static char *get_raw(struct fd_index *idx, const char *id, json_t *record) {
        struct fd_error err = {0};
        _fd_free_ void *z = NULL;
        _fd_free_ char *xml = NULL;
        size_t zlen = 0, len = 0;
        enum fd_status st = fd_index_get_raw(idx, id, &z, &zlen, &err);

        if (st == FD_E_NOTFOUND)
                return fd_protocol_ok(json_pack("{s:o,s:n}", "record", record, "raw"));
        if (st == FD_OK)
                st = fd_raw_inflate(z, zlen, &xml, &len, &err);
        if (st) {
                json_decref(record);
                return fd_protocol_fail(&err);
        }
        return fd_protocol_ok(json_pack("{s:o,s:{s:s,s:s%}}", "record", record, "raw", "format", "xml", "text", xml,
                                        len));
}

char *fd_op_related(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        _fd_cleanup_(fd_related_result_freep) struct fd_related_result *res = NULL;
        json_t *id = json_object_get(req, "id");

        if (!json_is_string(id) || json_string_length(id) == 0)
                return fd_protocol_error(FD_E_INVALID, "'related' needs an 'id' string");
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_related(idx, json_string_value(id), &res, &err))
                return fd_protocol_fail(&err);
        return fd_protocol_ok(fd_json_related_result(res));
}

char *fd_op_get(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_error err = {0};
        struct fd_index *idx;
        _fd_free_ char *text = NULL;
        json_t *id = json_object_get(req, "id");
        json_t *raw = json_object_get(req, "raw");

        if (!json_is_string(id) || json_string_length(id) == 0)
                return fd_protocol_error(FD_E_INVALID, "'get' needs an 'id' string");
        if (raw && !json_is_boolean(raw))
                return fd_protocol_error(FD_E_INVALID, "'get': 'raw' is a boolean");
        if (fd_protocol_reader(ctx, &idx, &err) || fd_index_get(idx, json_string_value(id), &text, &err))
                return fd_protocol_fail(&err);
        json_t *record = json_loads(text, 0, NULL);
        if (!record)
                return fd_protocol_error(FD_E_CORRUPT, "stored record '%s' is not JSON", json_string_value(id));
        if (!json_is_true(raw))
                return fd_protocol_ok(json_pack("{s:o}", "record", record));
        return get_raw(idx, json_string_value(id), record);
}
