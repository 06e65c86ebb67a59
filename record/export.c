/* export.c: a record as BibTeX, RIS, DataCite JSON or schema.org JSON-LD.
 *
 * Every format works on struct fd_record, so a record read back from the
 * index (json_read.c) or fresh from a harvest exports the same way.  Text
 * formats append to a bounded buffer; JSON formats give a new object.
 * Each mapping writes only what the record has: a field it lacks is left
 * out rather than invented.  The title is fd_record_title()'s; the
 * description the first one; the date the issued one, else the first.
 */
#include "record-private.h"

static const char *const format_names[FD_EXPORT_COUNT] = {
        [FD_EXPORT_BIBTEX] = "bibtex",
        [FD_EXPORT_RIS] = "ris",
        [FD_EXPORT_DATACITE] = "datacite",
        [FD_EXPORT_SCHEMAORG] = "schemaorg",
};

const char *fd_export_format_name(enum fd_export_format f) {
        return (unsigned)f < FD_EXPORT_COUNT ? format_names[f] : NULL;
}

bool fd_export_format_parse(const char *name, enum fd_export_format *ret) {
        for (int f = 0; name && f < FD_EXPORT_COUNT; f++)
                if (strcmp(name, format_names[f]) == 0) {
                        *ret = (enum fd_export_format)f;
                        return true;
                }
        return false;
}

static const char *description_of(const struct fd_record *r) {
        return r->descriptions.n ? r->descriptions.v[0].value : NULL;
}

/* The issued date, else the first date. */
static const char *date_of(const struct fd_record *r) {
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, "issued") == 0)
                        return r->dates.v[i].value;
        return r->dates.n ? r->dates.v[0].value : NULL;
}

static const char *first_url(const struct fd_record *r) {
        return r->urls.n ? r->urls.v[0] : NULL;
}

/* The year of date_of() as four characters, "" when it has none. */
static void year_of(const struct fd_record *r, char year[5]) {
        const char *date = date_of(r);

        year[0] = '\0';
        if (date && strlen(date) >= 4) {
                memcpy(year, date, 4);
                year[4] = '\0';
        }
}

/* ---- BibTeX and RIS ------------------------------------------------------ */

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

static enum fd_status to_bibtex(struct fd_buf *b, const struct fd_record *r) {
        const char *type = r->resource_type;
        char year[5];
        struct fd_buf names;
        enum fd_status st;

        year_of(r, year);
        fd_buf_init(&names, 64 * 1024);
        for (size_t i = 0; i < r->creators.n; i++) {
                const char *name = r->creators.v[i].name;
                if (name && fd_buf_printf(&names, "%s%s", names.len ? " and " : "", name))
                        break;
        }
        /* The key: the record id with only the characters BibTeX keys allow. */
        st = fd_buf_printf(b, "@%s{", type && strcmp(type, "Text") == 0 ? "misc" : "dataset");
        for (const char *p = r->id; !st && p && *p; p++)
                st = fd_buf_append(b, fd_ascii_alnum(*p) || strchr("-_:.", *p) ? p : "_", 1);
        if (!st)
                st = fd_buf_printf(b, ",\n");
        if (!st)
                st = bib_field(b, "title", fd_record_title(r));
        if (!st)
                st = bib_field(b, "author", names.data);
        if (!st)
                st = bib_field(b, "year", year);
        if (!st)
                st = bib_field(b, "publisher", r->publisher);
        if (!st)
                st = bib_field(b, "doi", r->doi);
        if (!st)
                st = bib_field(b, "url", first_url(r));
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

static enum fd_status to_ris(struct fd_buf *b, const struct fd_record *r) {
        const char *type = r->resource_type;
        char year[5];
        enum fd_status st;

        year_of(r, year);
        st = ris_line(b, "TY", type && strcmp(type, "Text") == 0 ? "GEN" : "DATA");
        if (!st)
                st = ris_line(b, "TI", fd_record_title(r));
        for (size_t i = 0; !st && i < r->creators.n; i++)
                st = ris_line(b, "AU", r->creators.v[i].name);
        if (!st)
                st = ris_line(b, "PY", year);
        if (!st)
                st = ris_line(b, "DA", date_of(r));
        if (!st)
                st = ris_line(b, "PB", r->publisher);
        if (!st)
                st = ris_line(b, "DO", r->doi);
        for (size_t i = 0; !st && i < r->urls.n; i++)
                st = ris_line(b, "UR", r->urls.v[i]);
        for (size_t i = 0; !st && i < r->subjects.n; i++)
                st = ris_line(b, "KW", r->subjects.v[i].value);
        if (!st)
                st = ris_line(b, "AB", description_of(r));
        if (!st)
                st = ris_line(b, "ID", r->id);
        return st ? st : fd_buf_printf(b, "ER  - \n\n");
}

enum fd_status fd_record_export_text(const struct fd_record *r, enum fd_export_format f, struct fd_buf *b) {
        switch (f) {
        case FD_EXPORT_BIBTEX:
                return to_bibtex(b, r);
        case FD_EXPORT_RIS:
                return to_ris(b, r);
        default:
                return FD_E_INVALID;
        }
}

/* ---- DataCite and schema.org --------------------------------------------- */

/* A JSON string of s, or null. */
static json_t *str_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

/* DataCite's REST API JSON attributes (kernel 4). */
static json_t *to_datacite(const struct fd_record *r) {
        json_t *o = json_object(), *creators = json_array(), *titles = json_array(), *subjects = json_array();
        json_t *descs = json_array(), *rights = json_array();
        const char *date = date_of(r);

        for (size_t i = 0; i < r->creators.n; i++) {
                const struct fd_agent *x = &r->creators.v[i];
                json_t *c = json_pack("{s:s?}", "name", x->name);
                if (c && x->orcid)
                        json_object_set_new(c, "nameIdentifiers",
                                            json_pack("[{s:s,s:s}]", "nameIdentifier", x->orcid,
                                                      "nameIdentifierScheme", "ORCID"));
                json_array_append_new(creators, c);
        }
        for (size_t i = 0; i < r->titles.n; i++)
                json_array_append_new(titles, json_pack("{s:s?,s:s?}", "title", r->titles.v[i].value, "lang",
                                                        r->titles.v[i].lang));
        for (size_t i = 0; i < r->subjects.n; i++)
                json_array_append_new(subjects, json_pack("{s:s?,s:s?}", "subject", r->subjects.v[i].value,
                                                          "subjectScheme", r->subjects.v[i].scheme));
        for (size_t i = 0; i < r->descriptions.n; i++)
                json_array_append_new(descs, json_pack("{s:s?,s:s?,s:s}", "description", r->descriptions.v[i].value,
                                                       "lang", r->descriptions.v[i].lang, "descriptionType",
                                                       "Abstract"));
        for (size_t i = 0; i < r->licenses.n; i++)
                json_array_append_new(rights, json_pack("{s:s?,s:s?}", "rightsUri", r->licenses.v[i].url,
                                                        "rightsIdentifier", r->licenses.v[i].spdx));
        json_object_set_new(o, "doi", str_or_null(r->doi));
        json_object_set_new(o, "creators", creators);
        json_object_set_new(o, "titles", titles);
        if (r->publisher)
                json_object_set_new(o, "publisher", json_string(r->publisher));
        if (date && strlen(date) >= 4)
                json_object_set_new(o, "publicationYear", json_stringn(date, 4));
        json_object_set_new(o, "types", json_pack("{s:s}", "resourceTypeGeneral",
                                                  r->resource_type ? r->resource_type : "Other"));
        json_object_set_new(o, "subjects", subjects);
        json_object_set_new(o, "descriptions", descs);
        json_object_set_new(o, "rightsList", rights);
        if (r->languages.n)
                json_object_set_new(o, "language", json_string(r->languages.v[0]));
        json_object_set_new(o, "url", str_or_null(first_url(r)));
        return o;
}

/* schema.org Dataset (or CreativeWork) as JSON-LD. */
static json_t *to_schemaorg(const struct fd_record *r) {
        const char *type = r->resource_type;
        const struct fd_license *lic = r->licenses.n ? &r->licenses.v[0] : NULL;
        json_t *o = json_pack("{s:s,s:s}", "@context", "https://schema.org",
                              "@type", type && strcmp(type, "Dataset") != 0 ? "CreativeWork" : "Dataset");
        json_t *creators = json_array(), *keywords = json_array();

        if (!o)
                return NULL;
        if (r->doi) {
                char url[1100];
                snprintf(url, sizeof url, "https://doi.org/%s", r->doi);
                json_object_set_new(o, "@id", json_string(url));
                json_object_set_new(o, "identifier", json_string(url));
        }
        if (fd_record_title(r))
                json_object_set_new(o, "name", json_string(fd_record_title(r)));
        if (description_of(r))
                json_object_set_new(o, "description", json_string(description_of(r)));
        for (size_t i = 0; i < r->creators.n; i++) {
                const struct fd_agent *x = &r->creators.v[i];
                json_t *p = json_pack("{s:s,s:s?}", "@type", "Person", "name", x->name);
                if (p && x->orcid) {
                        char url[128];
                        snprintf(url, sizeof url, "https://orcid.org/%s", x->orcid);
                        json_object_set_new(p, "@id", json_string(url));
                }
                json_array_append_new(creators, p);
        }
        json_object_set_new(o, "creator", creators);
        for (size_t i = 0; i < r->subjects.n; i++)
                if (r->subjects.v[i].value)
                        json_array_append_new(keywords, json_string(r->subjects.v[i].value));
        json_object_set_new(o, "keywords", keywords);
        if (date_of(r))
                json_object_set_new(o, "datePublished", json_string(date_of(r)));
        if (r->publisher)
                json_object_set_new(o, "publisher", json_pack("{s:s,s:s}", "@type", "Organization", "name",
                                                              r->publisher));
        char lic_buf[256];
        const char *lic_url = lic ? fd_license_url(lic, lic_buf, sizeof lic_buf) : NULL;
        if (lic_url)
                json_object_set_new(o, "license", json_string(lic_url));
        if (r->languages.n)
                json_object_set_new(o, "inLanguage", json_string(r->languages.v[0]));
        json_object_set_new(o, "isAccessibleForFree", json_boolean(r->access == FD_ACCESS_OPEN));
        if (first_url(r))
                json_object_set_new(o, "url", json_string(first_url(r)));
        return o;
}

json_t *fd_record_export_json(const struct fd_record *r, enum fd_export_format f) {
        switch (f) {
        case FD_EXPORT_DATACITE:
                return to_datacite(r);
        case FD_EXPORT_SCHEMAORG:
                return to_schemaorg(r);
        default:
                return NULL;
        }
}
