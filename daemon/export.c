/* export.c: the export op — one record, or a search's hits, as BibTeX,
 * RIS, DataCite JSON or schema.org JSON-LD.
 *
 * Everything comes from the stored record JSON (the normalized record of
 * docs/protocol.md), so an export never needs the source again.  Text
 * formats are built in a bounded buffer and answered as one string
 * ("content"); JSON formats as a list of objects ("records").  Each mapping
 * writes only what the record has: a field it lacks is left out rather
 * than invented.  The hits of a query are exported in their search order,
 * at most FD_INDEX_MAX_LIMIT of them.
 */
#include <ctype.h>

#include "fd_daemon.h"

#define EXPORT_MAX (8 * 1024 * 1024)

enum format { BIBTEX, RIS, DATACITE, SCHEMAORG };

static const char *const format_names[] = {"bibtex", "ris", "datacite", "schemaorg"};

static const char *str(json_t *o, const char *key) {
        return json_string_value(json_object_get(o, key));
}

/* The first title without a language tag, else the first. */
static const char *title_of(json_t *r) {
        json_t *t, *first = NULL;
        size_t i;

        json_array_foreach(json_object_get(r, "titles"), i, t) {
                if (!json_is_string(json_object_get(t, "value")))
                        continue;
                if (!json_object_get(t, "lang"))
                        return str(t, "value");
                if (!first)
                        first = t;
        }
        return first ? str(first, "value") : NULL;
}

static const char *description_of(json_t *r) {
        return str(json_array_get(json_object_get(r, "descriptions"), 0), "value");
}

/* The issued date, else the first date. */
static const char *date_of(json_t *r) {
        json_t *d;
        size_t i;

        json_array_foreach(json_object_get(r, "dates"), i, d) {
                if (str(d, "type") && strcmp(str(d, "type"), "issued") == 0)
                        return str(d, "value");
        }
        return str(json_array_get(json_object_get(r, "dates"), 0), "value");
}

/* BibTeX braces its values: a brace or backslash inside would break out. */
static enum fd_status bib_field(struct fd_buf *b, const char *name, const char *value) {
        if (!value || !*value)
                return FD_OK;
        enum fd_status st = fd_buf_printf(b, "  %s = {", name);
        for (const char *p = value; !st && *p; p++) {
                if (*p == '{' || *p == '}' || *p == '\\')
                        st = fd_buf_printf(b, "\\%c", *p);
                else if (*p == '\n' || *p == '\r')
                        st = fd_buf_append(b, " ", 1);
                else
                        st = fd_buf_append(b, p, 1);
        }
        return st ? st : fd_buf_printf(b, "},\n");
}

static enum fd_status to_bibtex(struct fd_buf *b, json_t *r) {
        const char *type = str(r, "resource_type");
        const char *date = date_of(r);
        char year[5] = "";
        struct fd_buf names;
        json_t *c;
        size_t i;
        enum fd_status st;

        if (date && strlen(date) >= 4)
                memcpy(year, date, 4);
        fd_buf_init(&names, 64 * 1024);
        json_array_foreach(json_object_get(r, "creators"), i, c) {
                if (str(c, "name") && fd_buf_printf(&names, "%s%s", names.len ? " and " : "", str(c, "name")))
                        break;
        }
        /* The key: the record id with only the characters BibTeX keys allow. */
        st = fd_buf_printf(b, "@%s{", type && strcmp(type, "Text") == 0 ? "misc" : "dataset");
        for (const char *p = str(r, "id"); !st && p && *p; p++)
                st = fd_buf_append(b, isalnum((unsigned char)*p) || strchr("-_:.", *p) ? p : "_", 1);
        if (!st)
                st = fd_buf_printf(b, ",\n");
        if (!st)
                st = bib_field(b, "title", title_of(r));
        if (!st)
                st = bib_field(b, "author", names.data);
        if (!st)
                st = bib_field(b, "year", year);
        if (!st)
                st = bib_field(b, "publisher", str(r, "publisher"));
        if (!st)
                st = bib_field(b, "doi", str(r, "doi"));
        if (!st)
                st = bib_field(b, "url", json_string_value(json_array_get(json_object_get(r, "urls"), 0)));
        if (!st)
                st = bib_field(b, "abstract", description_of(r));
        if (!st)
                st = fd_buf_printf(b, "}\n\n");
        fd_buf_release(&names);
        return st;
}

static enum fd_status ris_line(struct fd_buf *b, const char *tag, const char *value) {
        if (!value || !*value)
                return FD_OK;
        enum fd_status st = fd_buf_printf(b, "%s  - ", tag);
        for (const char *p = value; !st && *p; p++)
                st = fd_buf_append(b, *p == '\n' || *p == '\r' ? " " : p, 1);
        return st ? st : fd_buf_append(b, "\n", 1);
}

static enum fd_status to_ris(struct fd_buf *b, json_t *r) {
        const char *type = str(r, "resource_type");
        const char *date = date_of(r);
        char year[5] = "";
        json_t *x;
        size_t i;
        enum fd_status st;

        if (date && strlen(date) >= 4)
                memcpy(year, date, 4);
        st = ris_line(b, "TY", type && strcmp(type, "Text") == 0 ? "GEN" : "DATA");
        if (!st)
                st = ris_line(b, "TI", title_of(r));
        json_array_foreach(json_object_get(r, "creators"), i, x) {
                if (!st)
                        st = ris_line(b, "AU", str(x, "name"));
        }
        if (!st)
                st = ris_line(b, "PY", year);
        if (!st)
                st = ris_line(b, "DA", date);
        if (!st)
                st = ris_line(b, "PB", str(r, "publisher"));
        if (!st)
                st = ris_line(b, "DO", str(r, "doi"));
        json_array_foreach(json_object_get(r, "urls"), i, x) {
                if (!st)
                        st = ris_line(b, "UR", json_string_value(x));
        }
        json_array_foreach(json_object_get(r, "subjects"), i, x) {
                if (!st)
                        st = ris_line(b, "KW", str(x, "value"));
        }
        if (!st)
                st = ris_line(b, "AB", description_of(r));
        if (!st)
                st = ris_line(b, "ID", str(r, "id"));
        return st ? st : fd_buf_printf(b, "ER  - \n\n");
}

/* DataCite's REST API JSON attributes (kernel 4). */
static json_t *to_datacite(json_t *r) {
        json_t *o = json_object(), *creators = json_array(), *titles = json_array(), *subjects = json_array();
        json_t *descs = json_array(), *rights = json_array(), *x;
        const char *date = date_of(r);
        size_t i;

        json_array_foreach(json_object_get(r, "creators"), i, x) {
                json_t *c = json_pack("{s:s?}", "name", str(x, "name"));
                if (c && str(x, "orcid"))
                        json_object_set_new(c, "nameIdentifiers",
                                            json_pack("[{s:s,s:s}]", "nameIdentifier", str(x, "orcid"),
                                                      "nameIdentifierScheme", "ORCID"));
                json_array_append_new(creators, c);
        }
        json_array_foreach(json_object_get(r, "titles"), i, x)
                json_array_append_new(titles, json_pack("{s:s?,s:s?}", "title", str(x, "value"), "lang", str(x, "lang")));
        json_array_foreach(json_object_get(r, "subjects"), i, x)
                json_array_append_new(subjects, json_pack("{s:s?,s:s?}", "subject", str(x, "value"), "subjectScheme",
                                                          str(x, "scheme")));
        json_array_foreach(json_object_get(r, "descriptions"), i, x)
                json_array_append_new(descs, json_pack("{s:s?,s:s?,s:s}", "description", str(x, "value"), "lang",
                                                       str(x, "lang"), "descriptionType", "Abstract"));
        json_array_foreach(json_object_get(r, "licenses"), i, x)
                json_array_append_new(rights, json_pack("{s:s?,s:s?}", "rightsUri", str(x, "url"), "rightsIdentifier",
                                                        str(x, "spdx")));
        json_object_set_new(o, "doi", str(r, "doi") ? json_string(str(r, "doi")) : json_null());
        json_object_set_new(o, "creators", creators);
        json_object_set_new(o, "titles", titles);
        if (str(r, "publisher"))
                json_object_set_new(o, "publisher", json_string(str(r, "publisher")));
        if (date && strlen(date) >= 4)
                json_object_set_new(o, "publicationYear", json_stringn(date, 4));
        json_object_set_new(o, "types", json_pack("{s:s}", "resourceTypeGeneral",
                                                  str(r, "resource_type") ? str(r, "resource_type") : "Other"));
        json_object_set_new(o, "subjects", subjects);
        json_object_set_new(o, "descriptions", descs);
        json_object_set_new(o, "rightsList", rights);
        if (json_array_size(json_object_get(r, "languages")))
                json_object_set(o, "language", json_array_get(json_object_get(r, "languages"), 0));
        json_object_set_new(o, "url", json_array_size(json_object_get(r, "urls"))
                                              ? json_incref(json_array_get(json_object_get(r, "urls"), 0))
                                              : json_null());
        return o;
}

/* schema.org Dataset (or CreativeWork) as JSON-LD. */
static json_t *to_schemaorg(json_t *r) {
        const char *type = str(r, "resource_type");
        json_t *o = json_pack("{s:s,s:s}", "@context", "https://schema.org",
                              "@type", type && strcmp(type, "Dataset") != 0 ? "CreativeWork" : "Dataset");
        json_t *creators = json_array(), *keywords = json_array(), *x;
        size_t i;

        if (!o)
                return NULL;
        if (str(r, "doi")) {
                char url[1100];
                snprintf(url, sizeof url, "https://doi.org/%s", str(r, "doi"));
                json_object_set_new(o, "@id", json_string(url));
                json_object_set_new(o, "identifier", json_string(url));
        }
        if (title_of(r))
                json_object_set_new(o, "name", json_string(title_of(r)));
        if (description_of(r))
                json_object_set_new(o, "description", json_string(description_of(r)));
        json_array_foreach(json_object_get(r, "creators"), i, x) {
                json_t *p = json_pack("{s:s,s:s?}", "@type", "Person", "name", str(x, "name"));
                if (p && str(x, "orcid")) {
                        char url[128];
                        snprintf(url, sizeof url, "https://orcid.org/%s", str(x, "orcid"));
                        json_object_set_new(p, "@id", json_string(url));
                }
                json_array_append_new(creators, p);
        }
        json_object_set_new(o, "creator", creators);
        json_array_foreach(json_object_get(r, "subjects"), i, x) {
                if (str(x, "value"))
                        json_array_append_new(keywords, json_string(str(x, "value")));
        }
        json_object_set_new(o, "keywords", keywords);
        if (date_of(r))
                json_object_set_new(o, "datePublished", json_string(date_of(r)));
        if (str(r, "publisher"))
                json_object_set_new(o, "publisher", json_pack("{s:s,s:s}", "@type", "Organization", "name",
                                                              str(r, "publisher")));
        x = json_array_get(json_object_get(r, "licenses"), 0);
        if (str(x, "url"))
                json_object_set_new(o, "license", json_string(str(x, "url")));
        else if (str(x, "spdx")) {
                char url[256];
                snprintf(url, sizeof url, "https://spdx.org/licenses/%s", str(x, "spdx"));
                json_object_set_new(o, "license", json_string(url));
        }
        if (json_array_size(json_object_get(r, "languages")))
                json_object_set(o, "inLanguage", json_array_get(json_object_get(r, "languages"), 0));
        json_object_set_new(o, "isAccessibleForFree", json_boolean(str(r, "access") &&
                                                                    strcmp(str(r, "access"), "open") == 0));
        if (json_array_size(json_object_get(r, "urls")))
                json_object_set(o, "url", json_array_get(json_object_get(r, "urls"), 0));
        return o;
}

/* The stored JSON of id, parsed (NULL and err set when missing). */
static json_t *load(struct fd_index *idx, const char *id, struct fd_error *err) {
        _fd_free_ char *text = NULL;

        if (fd_index_get(idx, id, &text, err) != FD_OK)
                return NULL;
        json_t *r = json_loads(text, 0, NULL);
        if (!r)
                fd_error_set(err, FD_E_CORRUPT, "stored record '%s' is not JSON", id);
        return r;
}

char *fd_op_export(struct fd_query_ctx *ctx, json_t *req) {
        json_t *fmt = json_object_get(req, "format"), *id = json_object_get(req, "id");
        struct fd_error err = {0};
        struct fd_index *idx;
        int f = -1;

        for (int i = 0; fmt && i < (int)FD_ELEMENTSOF(format_names); i++)
                if (json_is_string(fmt) && strcmp(json_string_value(fmt), format_names[i]) == 0)
                        f = i;
        if (f < 0)
                return fd_protocol_error(FD_E_INVALID, "'format' must be \"bibtex\", \"ris\", \"datacite\" or "
                                                       "\"schemaorg\"");
        if (id && (!json_is_string(id) || json_string_length(id) == 0))
                return fd_protocol_error(FD_E_INVALID, "'id' must be a non-empty string");
        if (fd_protocol_reader(ctx, &idx, &err))
                return fd_protocol_fail(&err);

        /* The records: the one named, or the hits of the search in req. */
        json_t *records = json_array();
        if (!records)
                return fd_protocol_error(FD_E_NOMEM, "out of memory");
        if (id) {
                json_t *r = load(idx, json_string_value(id), &err);
                if (!r) {
                        json_decref(records);
                        return fd_protocol_fail(&err);
                }
                json_array_append_new(records, r);
        } else {
                struct fd_search_opts opts = {.q = ""};
                json_t *res = NULL, *h, *q = json_object_get(req, "q");
                size_t i;
                if (q && !json_is_string(q)) {
                        json_decref(records);
                        return fd_protocol_error(FD_E_INVALID, "'q' must be a string");
                }
                opts.q = q ? json_string_value(q) : "";
                opts.filters = json_object_get(req, "filters");
                if (fd_protocol_uint(req, "offset", 10000, &opts.offset, &err) ||
                    fd_protocol_uint(req, "limit", FD_INDEX_MAX_LIMIT, &opts.limit, &err) ||
                    fd_index_search(idx, &opts, &res, &err)) {
                        json_decref(records);
                        return fd_protocol_fail(&err);
                }
                json_array_foreach(json_object_get(res, "hits"), i, h) {
                        json_t *r = load(idx, json_string_value(json_object_get(h, "id")), &err);
                        if (r)
                                json_array_append_new(records, r);
                }
                json_decref(res);
        }

        json_t *out = json_pack("{s:s}", "format", format_names[f]);
        if (f == DATACITE || f == SCHEMAORG) {
                json_t *list = json_array(), *r;
                size_t i;
                json_array_foreach(records, i, r)
                        json_array_append_new(list, f == DATACITE ? to_datacite(r) : to_schemaorg(r));
                json_object_set_new(out, "records", list);
        } else {
                struct fd_buf b;
                json_t *r;
                size_t i;
                enum fd_status st = FD_OK;
                fd_buf_init(&b, EXPORT_MAX);
                json_array_foreach(records, i, r) {
                        if (!st)
                                st = f == BIBTEX ? to_bibtex(&b, r) : to_ris(&b, r);
                }
                if (st) {
                        fd_buf_release(&b);
                        json_decref(records);
                        json_decref(out);
                        return fd_protocol_error(FD_E_LIMIT, "export longer than %d bytes", EXPORT_MAX);
                }
                json_object_set_new(out, "content", json_stringn(b.data ? b.data : "", b.len));
                fd_buf_release(&b);
        }
        json_object_set_new(out, "count", json_integer((json_int_t)json_array_size(records)));
        json_decref(records);
        return fd_protocol_ok(out);
}
