/* export_xml.c: a record as the XML payloads of OAI-PMH (oai_dc, DataCite
 * kernel 4, OpenAIRE Guidelines 4).
 *
 * Like export.c, every format works on struct fd_record and writes only
 * what the record has; where a schema requires an element the record
 * lacks (a DataCite creator, publisher, title) it gets DataCite's
 * standard value "(:unav)" rather than an invented one.  Text goes
 * through xml_text(), which escapes markup and drops the characters XML
 * 1.0 cannot carry.  Output is appended to a bounded fd_buf, so one
 * record cannot grow a page without limit (FD_E_LIMIT).
 */
#include "record-private.h"

struct xml_format {
        const char *prefix, *schema, *ns;
};

static const struct xml_format xml_formats[FD_XML_COUNT] = {
        [FD_XML_OAI_DC] = {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
                           "http://www.openarchives.org/OAI/2.0/oai_dc/"},
        [FD_XML_OAI_DATACITE] = {"oai_datacite", "http://schema.datacite.org/meta/kernel-4/metadata.xsd",
                                 "http://datacite.org/schema/kernel-4"},
        [FD_XML_OAI_OPENAIRE] = {"oai_openaire", "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd",
                                 "http://namespace.openaire.eu/schema/oaire/"},
};

const char *fd_xml_format_prefix(enum fd_xml_format f) {
        return (unsigned)f < FD_XML_COUNT ? xml_formats[f].prefix : NULL;
}

const char *fd_xml_format_schema(enum fd_xml_format f) {
        return (unsigned)f < FD_XML_COUNT ? xml_formats[f].schema : NULL;
}

const char *fd_xml_format_namespace(enum fd_xml_format f) {
        return (unsigned)f < FD_XML_COUNT ? xml_formats[f].ns : NULL;
}

bool fd_xml_format_parse(const char *prefix, enum fd_xml_format *ret) {
        for (int f = 0; prefix && f < FD_XML_COUNT; f++)
                if (strcmp(prefix, xml_formats[f].prefix) == 0) {
                        *ret = (enum fd_xml_format)f;
                        return true;
                }
        return false;
}

/* ---- writing ------------------------------------------------------------ */

/* Appends s escaped for text and attribute values; characters XML 1.0
 * forbids (C0 controls but tab, newline, return) are dropped. */
enum fd_status fd_xml_text(struct fd_buf *b, const char *s) {
        const char *run = s;
        enum fd_status st = FD_OK;

        for (const char *p = s; *p && !st; p++) {
                const char *rep = NULL;
                unsigned char c = (unsigned char)*p;
                if (c == '&')
                        rep = "&amp;";
                else if (c == '<')
                        rep = "&lt;";
                else if (c == '>')
                        rep = "&gt;";
                else if (c == '"')
                        rep = "&quot;";
                else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                        rep = "";
                if (!rep)
                        continue;
                st = fd_buf_append(b, run, (size_t)(p - run));
                if (!st)
                        st = fd_buf_append(b, rep, strlen(rep));
                run = p + 1;
        }
        if (!st)
                st = fd_buf_append(b, run, strlen(run));
        return st;
}

/* <name attrs>text</name> when text is set: attrs is a printf-free string
 * already escaped (or ""). */
static enum fd_status elem(struct fd_buf *b, const char *name, const char *attrs, const char *text) {
        enum fd_status st;

        if (!text || !*text)
                return FD_OK;
        st = fd_buf_printf(b, "<%s%s>", name, attrs ? attrs : "");
        if (!st)
                st = fd_xml_text(b, text);
        if (!st)
                st = fd_buf_printf(b, "</%s>", name);
        return st;
}

/* ` attr="value"` with value escaped; value NULL or "" leaves it out. */
static enum fd_status put_attr(struct fd_buf *b, const char *attr, const char *value) {
        enum fd_status st = FD_OK;

        if (!value || !*value)
                return FD_OK;
        st = fd_buf_printf(b, " %s=\"", attr);
        if (!st)
                st = fd_xml_text(b, value);
        if (!st)
                st = fd_buf_append(b, "\"", 1);
        return st;
}

/* <name attr="value"> with value escaped; value NULL leaves the attribute out. */
static enum fd_status open_attr(struct fd_buf *b, const char *name, const char *attr, const char *value) {
        enum fd_status st = fd_buf_printf(b, "<%s", name);
        if (!st)
                st = put_attr(b, attr, value);
        if (!st)
                st = fd_buf_append(b, ">", 1);
        return st;
}

static enum fd_status elem_attr(struct fd_buf *b, const char *name, const char *attr, const char *value,
                                const char *text) {
        enum fd_status st;

        if (!text || !*text)
                return FD_OK;
        st = open_attr(b, name, attr, value);
        if (!st)
                st = fd_xml_text(b, text);
        if (!st)
                st = fd_buf_printf(b, "</%s>", name);
        return st;
}

#define TRY(x)                            \
        do {                              \
                enum fd_status st_ = (x); \
                if (st_)                  \
                        return st_;       \
        } while (0)

static const char *doi_url(const struct fd_record *r, char *buf, size_t n) {
        return r->doi && fd_pid_url(FD_PID_DOI, r->doi, buf, n) ? buf : NULL;
}

static const char *access_uri(enum fd_access a) {
        static const char *const uris[FD_ACCESS_COUNT] = {
                [FD_ACCESS_OPEN] = "info:eu-repo/semantics/openAccess",
                [FD_ACCESS_EMBARGOED] = "info:eu-repo/semantics/embargoedAccess",
                [FD_ACCESS_RESTRICTED] = "info:eu-repo/semantics/restrictedAccess",
                [FD_ACCESS_CLOSED] = "info:eu-repo/semantics/closedAccess",
        };
        return (unsigned)a < FD_ACCESS_COUNT ? uris[a] : NULL;
}

/* ---- oai_dc ------------------------------------------------------------- */

static enum fd_status to_oai_dc(struct fd_buf *b, const struct fd_record *r) {
        char url[512];

        TRY(fd_buf_printf(b, "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
                             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                             "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "
                             "http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">"));
        for (size_t i = 0; i < r->titles.n; i++)
                TRY(elem_attr(b, "dc:title", "xml:lang", r->titles.v[i].lang, r->titles.v[i].value));
        for (size_t i = 0; i < r->creators.n; i++)
                TRY(elem(b, "dc:creator", NULL, r->creators.v[i].name));
        for (size_t i = 0; i < r->subjects.n; i++)
                TRY(elem(b, "dc:subject", NULL, r->subjects.v[i].value));
        for (size_t i = 0; i < r->descriptions.n; i++)
                TRY(elem_attr(b, "dc:description", "xml:lang", r->descriptions.v[i].lang,
                              r->descriptions.v[i].value));
        TRY(elem(b, "dc:publisher", NULL, r->publisher));
        for (size_t i = 0; i < r->contributors.n; i++)
                TRY(elem(b, "dc:contributor", NULL, r->contributors.v[i].name));
        for (size_t i = 0; i < r->dates.n; i++)
                TRY(elem(b, "dc:date", NULL, r->dates.v[i].value));
        TRY(elem(b, "dc:type", NULL, r->resource_type));
        for (size_t i = 0; i < r->formats.n; i++)
                TRY(elem(b, "dc:format", NULL, r->formats.v[i]));
        TRY(elem(b, "dc:identifier", NULL, doi_url(r, url, sizeof url)));
        for (size_t i = 0; i < r->identifiers.n; i++) {
                const struct fd_identifier *id = &r->identifiers.v[i];
                if (id->scheme == FD_PID_DOI && r->doi && strcmp(id->value, r->doi) == 0)
                        continue;
                TRY(elem(b, "dc:identifier", NULL,
                         fd_pid_url(id->scheme, id->value, url, sizeof url) ? url : id->value));
        }
        for (size_t i = 0; i < r->urls.n; i++)
                TRY(elem(b, "dc:identifier", NULL, r->urls.v[i]));
        for (size_t i = 0; i < r->languages.n; i++)
                TRY(elem(b, "dc:language", NULL, r->languages.v[i]));
        for (size_t i = 0; i < r->related.n; i++) {
                const struct fd_related *rel = &r->related.v[i];
                TRY(elem(b, "dc:relation", NULL,
                         fd_pid_url(rel->scheme, rel->value, url, sizeof url) ? url : rel->value));
        }
        for (size_t i = 0; i < r->licenses.n; i++) {
                const char *u = fd_license_url(&r->licenses.v[i], url, sizeof url);
                TRY(elem(b, "dc:rights", NULL, u ? u : r->licenses.v[i].text));
        }
        TRY(elem(b, "dc:rights", NULL, access_uri(r->access)));
        return fd_buf_printf(b, "</oai_dc:dc>");
}

/* ---- DataCite kernel 4 ---------------------------------------------------- */

/* The dateType of a normalized date type ("issued" -> "Issued"), NULL for
 * one DataCite does not have. */
static const char *datacite_date_type(const char *type) {
        static const char *const types[][2] = {
                {"accepted", "Accepted"}, {"available", "Available"}, {"collected", "Collected"},
                {"copyrighted", "Copyrighted"}, {"created", "Created"}, {"issued", "Issued"},
                {"modified", "Updated"}, {"submitted", "Submitted"}, {"updated", "Updated"},
                {"valid", "Valid"},
        };
        for (size_t i = 0; type && i < FD_ELEMENTSOF(types); i++)
                if (strcmp(type, types[i][0]) == 0)
                        return types[i][1];
        return NULL;
}

/* relatedIdentifierType of a scheme, NULL for none DataCite lists. */
static const char *datacite_id_type(enum fd_pid_scheme s) {
        switch (s) {
        case FD_PID_DOI:
                return "DOI";
        case FD_PID_HANDLE:
                return "Handle";
        case FD_PID_ARK:
                return "ARK";
        case FD_PID_URN:
                return "URN";
        case FD_PID_URL:
                return "URL";
        default:
                return NULL;
        }
}

/* <outer><inner>v</inner>…</outer> of a list of strings; nothing when it is empty. */
static enum fd_status wrapped_strs(struct fd_buf *b, const char *outer, const char *inner, const struct fd_strs *l) {
        if (!l->n)
                return FD_OK;
        TRY(fd_buf_printf(b, "<%s>", outer));
        for (size_t i = 0; i < l->n; i++)
                TRY(elem(b, inner, NULL, l->v[i]));
        return fd_buf_printf(b, "</%s>", outer);
}

static enum fd_status datacite_agent(struct fd_buf *b, const struct fd_agent *a, bool contributor) {
        const char *tag = contributor ? "contributor" : "creator";

        if (contributor)
                TRY(fd_buf_printf(b, "<contributor contributorType=\"%s\">",
                                  a->role && fd_ascii_alpha(a->role[0]) && !strpbrk(a->role, "\"<>&") ? a->role
                                                                                                     : "Other"));
        else
                TRY(fd_buf_printf(b, "<creator>"));
        TRY(elem(b, contributor ? "contributorName" : "creatorName", NULL, a->name ? a->name : "(:unav)"));
        if (a->orcid)
                TRY(elem(b, "nameIdentifier", " nameIdentifierScheme=\"ORCID\" schemeURI=\"https://orcid.org\"",
                         a->orcid));
        TRY(elem(b, "affiliation", NULL, a->affiliation));
        return fd_buf_printf(b, "</%s>", tag);
}

static enum fd_status datacite_body(struct fd_buf *b, const struct fd_record *r) {
        char url[512];
        int year = fd_record_year(r);

        if (r->doi)
                TRY(elem(b, "identifier", " identifierType=\"DOI\"", r->doi));
        TRY(fd_buf_printf(b, "<creators>"));
        for (size_t i = 0; i < r->creators.n; i++)
                TRY(datacite_agent(b, &r->creators.v[i], false));
        if (!r->creators.n)
                TRY(fd_buf_printf(b, "<creator><creatorName>(:unav)</creatorName></creator>"));
        TRY(fd_buf_printf(b, "</creators><titles>"));
        for (size_t i = 0; i < r->titles.n; i++)
                TRY(elem_attr(b, "title", "xml:lang", r->titles.v[i].lang, r->titles.v[i].value));
        if (!r->titles.n)
                TRY(fd_buf_printf(b, "<title>(:unav)</title>"));
        TRY(fd_buf_printf(b, "</titles>"));
        TRY(elem(b, "publisher", NULL, r->publisher ? r->publisher : "(:unav)"));
        TRY(fd_buf_printf(b, "<publicationYear>%04d</publicationYear>", year > 0 && year < 10000 ? year : 0));
        TRY(open_attr(b, "resourceType", "resourceTypeGeneral", r->resource_type ? r->resource_type : "Other"));
        TRY(fd_xml_text(b, r->resource_type_raw ? r->resource_type_raw : ""));
        TRY(fd_buf_printf(b, "</resourceType>"));
        if (r->subjects.n) {
                TRY(fd_buf_printf(b, "<subjects>"));
                for (size_t i = 0; i < r->subjects.n; i++)
                        TRY(elem_attr(b, "subject", "subjectScheme", r->subjects.v[i].scheme, r->subjects.v[i].value));
                TRY(fd_buf_printf(b, "</subjects>"));
        }
        if (r->contributors.n) {
                TRY(fd_buf_printf(b, "<contributors>"));
                for (size_t i = 0; i < r->contributors.n; i++)
                        TRY(datacite_agent(b, &r->contributors.v[i], true));
                TRY(fd_buf_printf(b, "</contributors>"));
        }
        TRY(fd_buf_printf(b, "<dates>"));
        for (size_t i = 0; i < r->dates.n; i++)
                TRY(elem_attr(b, "date", "dateType", datacite_date_type(r->dates.v[i].type) ?: "Other",
                              r->dates.v[i].value));
        TRY(fd_buf_printf(b, "</dates>"));
        if (r->languages.n)
                TRY(elem(b, "language", NULL, r->languages.v[0]));
        TRY(fd_buf_printf(b, "<alternateIdentifiers>"));
        TRY(elem(b, "alternateIdentifier", " alternateIdentifierType=\"OAI\"", r->local_id));
        for (size_t i = 0; i < r->identifiers.n; i++) {
                const struct fd_identifier *id = &r->identifiers.v[i];
                if (id->scheme == FD_PID_DOI && r->doi && strcmp(id->value, r->doi) == 0)
                        continue;
                TRY(elem_attr(b, "alternateIdentifier", "alternateIdentifierType",
                              datacite_id_type(id->scheme) ?: "Other", id->value));
        }
        TRY(fd_buf_printf(b, "</alternateIdentifiers><relatedIdentifiers>"));
        for (size_t i = 0; i < r->related.n; i++) {
                const struct fd_related *rel = &r->related.v[i];
                const char *type = datacite_id_type(rel->scheme);
                if (!type)
                        continue;
                TRY(fd_buf_printf(b, "<relatedIdentifier relatedIdentifierType=\"%s\"", type));
                TRY(put_attr(b, "relationType", rel->relation ? rel->relation : "References"));
                TRY(fd_buf_append(b, ">", 1));
                TRY(fd_xml_text(b, rel->value));
                TRY(fd_buf_printf(b, "</relatedIdentifier>"));
        }
        TRY(fd_buf_printf(b, "</relatedIdentifiers>"));
        TRY(wrapped_strs(b, "sizes", "size", &r->sizes));
        TRY(wrapped_strs(b, "formats", "format", &r->formats));
        TRY(elem(b, "version", NULL, r->version));
        TRY(fd_buf_printf(b, "<rightsList>"));
        for (size_t i = 0; i < r->licenses.n; i++) {
                const struct fd_license *l = &r->licenses.v[i];
                const char *u = fd_license_url(l, url, sizeof url);
                TRY(open_attr(b, "rights", "rightsURI", u));
                TRY(fd_xml_text(b, l->spdx ? l->spdx : l->text ? l->text : ""));
                TRY(fd_buf_printf(b, "</rights>"));
        }
        if (access_uri(r->access))
                TRY(fd_buf_printf(b, "<rights rightsURI=\"%s\"/>", access_uri(r->access)));
        TRY(fd_buf_printf(b, "</rightsList>"));
        if (r->descriptions.n) {
                TRY(fd_buf_printf(b, "<descriptions>"));
                for (size_t i = 0; i < r->descriptions.n; i++) {
                        const struct fd_text *d = &r->descriptions.v[i];
                        TRY(fd_buf_printf(b, "<description"));
                        TRY(put_attr(b, "descriptionType", d->type ? d->type : "Abstract"));
                        TRY(put_attr(b, "xml:lang", d->lang));
                        TRY(fd_buf_append(b, ">", 1));
                        TRY(fd_xml_text(b, d->value));
                        TRY(fd_buf_printf(b, "</description>"));
                }
                TRY(fd_buf_printf(b, "</descriptions>"));
        }
        if (r->geo_locations.n) {
                TRY(fd_buf_printf(b, "<geoLocations>"));
                for (size_t i = 0; i < r->geo_locations.n; i++) {
                        const struct fd_geo *g = &r->geo_locations.v[i];
                        TRY(fd_buf_printf(b, "<geoLocation>"));
                        TRY(elem(b, "geoLocationPlace", NULL, g->place));
                        if (g->has_point)
                                TRY(fd_buf_printf(b, "<geoLocationPoint><pointLongitude>%.6f</pointLongitude>"
                                                     "<pointLatitude>%.6f</pointLatitude></geoLocationPoint>",
                                                  g->lon, g->lat));
                        if (g->has_box)
                                TRY(fd_buf_printf(b, "<geoLocationBox><westBoundLongitude>%.6f</westBoundLongitude>"
                                                     "<eastBoundLongitude>%.6f</eastBoundLongitude>"
                                                     "<southBoundLatitude>%.6f</southBoundLatitude>"
                                                     "<northBoundLatitude>%.6f</northBoundLatitude></geoLocationBox>",
                                                  g->west, g->east, g->south, g->north));
                        TRY(fd_buf_printf(b, "</geoLocation>"));
                }
                TRY(fd_buf_printf(b, "</geoLocations>"));
        }
        if (r->funding.n) {
                TRY(fd_buf_printf(b, "<fundingReferences>"));
                for (size_t i = 0; i < r->funding.n; i++) {
                        const struct fd_funding *f = &r->funding.v[i];
                        TRY(fd_buf_printf(b, "<fundingReference>"));
                        TRY(elem(b, "funderName", NULL, f->funder ? f->funder : "(:unav)"));
                        TRY(elem_attr(b, "funderIdentifier", "funderIdentifierType",
                                      f->funder_id_type ? f->funder_id_type : "Other", f->funder_id));
                        TRY(elem(b, "awardNumber", NULL, f->award));
                        TRY(elem(b, "awardTitle", NULL, f->award_title));
                        TRY(fd_buf_printf(b, "</fundingReference>"));
                }
                TRY(fd_buf_printf(b, "</fundingReferences>"));
        }
        return FD_OK;
}

static enum fd_status to_datacite_xml(struct fd_buf *b, const struct fd_record *r) {
        TRY(fd_buf_printf(b, "<resource xmlns=\"http://datacite.org/schema/kernel-4\" "
                             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                             "xsi:schemaLocation=\"http://datacite.org/schema/kernel-4 "
                             "http://schema.datacite.org/meta/kernel-4/metadata.xsd\">"));
        TRY(datacite_body(b, r));
        return fd_buf_printf(b, "</resource>");
}

/* ---- OpenAIRE Guidelines 4 ------------------------------------------------ */

/* COAR resource type of a resourceTypeGeneral (a few; "other" else). */
static void coar_type(const char *type, const char **ret_label, const char **ret_uri) {
        static const char *const types[][3] = {
                {"Dataset", "dataset", "http://purl.org/coar/resource_type/c_ddb1"},
                {"Software", "software", "http://purl.org/coar/resource_type/c_5ce6"},
                {"Text", "text", "http://purl.org/coar/resource_type/c_18cf"},
                {"Image", "image", "http://purl.org/coar/resource_type/c_c513"},
                {"Collection", "collection", "http://purl.org/coar/resource_type/c_1843"},
        };
        *ret_label = "other";
        *ret_uri = "http://purl.org/coar/resource_type/c_1843";
        for (size_t i = 0; type && i < FD_ELEMENTSOF(types); i++)
                if (strcmp(type, types[i][0]) == 0) {
                        *ret_label = types[i][1];
                        *ret_uri = types[i][2];
                }
}

static enum fd_status to_openaire(struct fd_buf *b, const struct fd_record *r) {
        static const char *const coar_access[FD_ACCESS_COUNT][2] = {
                [FD_ACCESS_UNKNOWN] = {"metadata only access", "http://purl.org/coar/access_right/c_14cb"},
                [FD_ACCESS_OPEN] = {"open access", "http://purl.org/coar/access_right/c_abf2"},
                [FD_ACCESS_EMBARGOED] = {"embargoed access", "http://purl.org/coar/access_right/c_f1cf"},
                [FD_ACCESS_RESTRICTED] = {"restricted access", "http://purl.org/coar/access_right/c_16ec"},
                [FD_ACCESS_CLOSED] = {"metadata only access", "http://purl.org/coar/access_right/c_14cb"},
        };
        const char *label, *uri;
        char url[512];

        TRY(fd_buf_printf(b, "<oaire:resource xmlns:oaire=\"http://namespace.openaire.eu/schema/oaire/\" "
                             "xmlns:datacite=\"http://datacite.org/schema/kernel-4\" "
                             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                             "xsi:schemaLocation=\"http://namespace.openaire.eu/schema/oaire/ "
                             "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd\">"));
        TRY(fd_buf_printf(b, "<datacite:titles>"));
        for (size_t i = 0; i < r->titles.n; i++)
                TRY(elem_attr(b, "datacite:title", "xml:lang", r->titles.v[i].lang, r->titles.v[i].value));
        TRY(fd_buf_printf(b, "</datacite:titles><datacite:creators>"));
        for (size_t i = 0; i < r->creators.n; i++) {
                const struct fd_agent *a = &r->creators.v[i];
                TRY(fd_buf_printf(b, "<datacite:creator>"));
                TRY(elem(b, "datacite:creatorName", NULL, a->name));
                if (a->orcid)
                        TRY(elem(b, "datacite:nameIdentifier",
                                 " nameIdentifierScheme=\"ORCID\" schemeURI=\"https://orcid.org\"", a->orcid));
                TRY(elem(b, "datacite:affiliation", NULL, a->affiliation));
                TRY(fd_buf_printf(b, "</datacite:creator>"));
        }
        TRY(fd_buf_printf(b, "</datacite:creators>"));
        if (r->doi)
                TRY(elem(b, "datacite:identifier", " identifierType=\"DOI\"", r->doi));
        else if (r->urls.n)
                TRY(elem(b, "datacite:identifier", " identifierType=\"URL\"", r->urls.v[0]));
        TRY(fd_buf_printf(b, "<datacite:rights rightsURI=\"%s\">%s</datacite:rights>", coar_access[r->access][1],
                          coar_access[r->access][0]));
        for (size_t i = 0; i < r->licenses.n; i++) {
                const char *u = fd_license_url(&r->licenses.v[i], url, sizeof url);
                const char *text = r->licenses.v[i].spdx ? r->licenses.v[i].spdx : r->licenses.v[i].text;
                if (u)
                        TRY(elem_attr(b, "oaire:licenseCondition", "uri", u, text ? text : u));
        }
        if (r->subjects.n) {
                TRY(fd_buf_printf(b, "<datacite:subjects>"));
                for (size_t i = 0; i < r->subjects.n; i++)
                        TRY(elem_attr(b, "datacite:subject", "subjectScheme", r->subjects.v[i].scheme,
                                      r->subjects.v[i].value));
                TRY(fd_buf_printf(b, "</datacite:subjects>"));
        }
        for (size_t i = 0; i < r->descriptions.n; i++)
                TRY(elem_attr(b, "dc:description", "xml:lang", r->descriptions.v[i].lang,
                              r->descriptions.v[i].value));
        TRY(elem(b, "dc:publisher", NULL, r->publisher));
        for (size_t i = 0; i < r->languages.n; i++)
                TRY(elem(b, "dc:language", NULL, r->languages.v[i]));
        if (r->dates.n) {
                TRY(fd_buf_printf(b, "<datacite:dates>"));
                for (size_t i = 0; i < r->dates.n; i++)
                        TRY(elem_attr(b, "datacite:date", "dateType",
                                      datacite_date_type(r->dates.v[i].type) ?: "Issued", r->dates.v[i].value));
                TRY(fd_buf_printf(b, "</datacite:dates>"));
        }
        coar_type(r->resource_type, &label, &uri);
        TRY(fd_buf_printf(b, "<oaire:resourceType resourceTypeGeneral=\"%s\" uri=\"%s\">%s</oaire:resourceType>",
                          strcmp(label, "dataset") == 0 ? "dataset" : strcmp(label, "software") == 0 ? "software"
                                                                                                    : "other research product",
                          uri, label));
        for (size_t i = 0; i < r->formats.n; i++)
                TRY(elem(b, "dc:format", NULL, r->formats.v[i]));
        TRY(elem(b, "oaire:version", NULL, r->version));
        return fd_buf_printf(b, "</oaire:resource>");
}

enum fd_status fd_record_export_xml(const struct fd_record *r, enum fd_xml_format f, struct fd_buf *b) {
        switch (f) {
        case FD_XML_OAI_DC:
                return to_oai_dc(b, r);
        case FD_XML_OAI_DATACITE:
                return to_datacite_xml(b, r);
        case FD_XML_OAI_OPENAIRE:
                return to_openaire(b, r);
        default:
                return FD_E_INVALID;
        }
}
