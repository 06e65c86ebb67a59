/* fd_record.h: the normalized record model, persistent-identifier, license,
 * language and date normalization, and JSON encoding.
 *
 * One struct for every source and metadata format.  All strings and arrays
 * of a record live in the arena of the page that produced it (see
 * fd_arena in util/) and die with it; a record is never freed on its own.
 * Strings are UTF-8, NUL-terminated; NULL means "absent".
 */
#ifndef FD_RECORD_H
#define FD_RECORD_H

#include <jansson.h>

#include "fd_util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* fd_json_freep: _fd_cleanup_ for a json_t * (json_decref when not NULL),
 * for every library and program above record that builds JSON. */
FD_DEFINE_FREEP(json, json_t, json_decref)

/* ---- persistent identifiers ------------------------------------------- */

enum fd_pid_scheme {
        FD_PID_NONE = 0, /* not an identifier we recognize */
        FD_PID_DOI,      /* "10.1234/abc", lowercased (DOIs are case-insensitive) */
        FD_PID_HANDLE,   /* "20.500.12345/678" */
        FD_PID_ARK,      /* "ark:/12345/x7k9" (NAAN and name, "ark:" lowercased) */
        FD_PID_URN,      /* "urn:nbn:de:0001-1234" ("urn:nbn:" lowercased, rest kept) */
        FD_PID_ORCID,    /* "0000-0002-1825-0097", check digit verified */
        FD_PID_ROR,      /* "05dxps055": the 9-character ROR id */
        FD_PID_URL,      /* an http(s) URL that is none of the above, trimmed */
        FD_PID_SCHEME_COUNT
};

/* Stable lowercase name: "doi", "handle", "ark", "urn", "orcid", "ror",
 * "url"; "none" for FD_PID_NONE. */
const char *fd_pid_scheme_name(enum fd_pid_scheme s);

/* Detects the scheme of an identifier as real sources write it
 * ("https://doi.org/10.1/X", "doi:10.1/x", "http://dx.doi.org/...",
 * "hdl:…", "https://hdl.handle.net/…", "info:eu-repo/semantics/altIdentifier/doi/…",
 * "https://orcid.org/…", "https://ror.org/…", "ark:/…", "urn:nbn:…", bare
 * forms, surrounding white space) and writes its normal form (see the enum)
 * into out.  An ORCID with a wrong check digit, or anything unrecognized,
 * gives FD_PID_NONE and leaves out empty.  When hint is not FD_PID_NONE it
 * says what the source declared (DataCite identifierType) and a bare value
 * is read as that scheme (e.g. a bare "1234/5678" as a Handle). */
enum fd_pid_scheme fd_pid_normalize(const char *in, enum fd_pid_scheme hint, char *out, size_t outsz);

/* Writes the resolver URL of a normalized identifier into out
 * ("https://doi.org/10.1/x", "https://hdl.handle.net/…", "https://orcid.org/…",
 * "https://ror.org/…", "https://n2t.net/ark:/…", "https://nbn-resolving.org/urn:nbn:…";
 * a URL as is).  False when scheme has no resolver or out is too small. */
bool fd_pid_url(enum fd_pid_scheme scheme, const char *normalized, char *out, size_t outsz);

/* True when s is a valid ORCID iD (16 chars with hyphens, ISO 7064 11,2
 * check digit, possibly "X"). */
bool fd_orcid_valid(const char *s);

/* The inverse of a DataCite relationType ("IsSupplementTo" ->
 * "IsSupplementedBy", "Cites" -> "IsCitedBy"; any case), as the schema
 * spells it; NULL for a relation without one (IsPublishedIn) or unknown. */
const char *fd_relation_inverse(const char *relation);

/* ---- disciplines (record/discipline.c) ------------------------------- */

/* The label of OECD FOS 2007 id ("1.5" -> "Earth and related environmental
 * sciences", "1" -> "Natural sciences"); NULL when it is none. */
const char *fd_fos_label(const char *id);
/* The FOS id of an id or a label (any case, "FOS: " before it allowed);
 * NULL when it is neither. */
const char *fd_fos_id(const char *id_or_label);
/* The FOS ids r's subjects map to (data/disciplines/, sources named there):
 * subjects of the FOS scheme (DataCite's "FOS: …"), ANZSRC 2008 and 2020
 * Fields of Research codes (the subject's code, its URI's last segment or
 * the digits its value starts with), DFG subjects, DDC notations (through
 * ANZSRC 2008 divisions), EU data themes (by URI, code or label), LCSH
 * headings that name a discipline, and free keywords that are a FOS label
 * exactly (any case).  Distinct ids, in subject order, at most max into
 * out (static strings); returns how many. */
struct fd_record;
size_t fd_record_disciplines(const struct fd_record *r, const char **out, size_t max);

/* ---- licenses and access rights --------------------------------------- */

enum fd_access {
        FD_ACCESS_UNKNOWN = 0,
        FD_ACCESS_OPEN,
        FD_ACCESS_EMBARGOED,
        FD_ACCESS_RESTRICTED,
        FD_ACCESS_CLOSED,
        FD_ACCESS_COUNT
};

/* "unknown", "open", "embargoed", "restricted", "closed". */
const char *fd_access_name(enum fd_access a);

/* Reads an access right: info:eu-repo/semantics/{open,embargoed,restricted,closed}Access,
 * the COAR access-right URIs (c_abf2 open, c_f1cf embargoed, c_16ec restricted,
 * c_14cb metadata only = closed), the EU access-right authority
 * (…/access-right/PUBLIC, NON_PUBLIC, RESTRICTED) and plain words ("open access",
 * "openAccess").  FD_ACCESS_UNKNOWN when s is none of these. */
enum fd_access fd_access_parse(const char *s);

/* Maps a license as sources write it to its SPDX id (a static string):
 * Creative Commons URLs in their spellings (http/https, www or not, with or
 * without trailing slash, "legalcode", "deed.xx", version 1.0–4.0, CC0 /
 * publicdomain/zero, publicdomain/mark), names ("CC BY 4.0", "CC-BY-4.0",
 * "Creative Commons Attribution 4.0 International"), spdx.org/licenses URLs,
 * opensource.org URLs and names (MIT, Apache-2.0, GPL-3.0-only, BSD-3-Clause…),
 * SPDX ids in any case.  NULL when it does not resolve to an SPDX id,
 * including access rights such as info:eu-repo/semantics/openAccess, which
 * are not licenses ("CC-BY" without version also gives NULL: ambiguous). */
const char *fd_license_spdx(const char *s);

/* ---- languages and dates ---------------------------------------------- */

/* Normalizes a language to BCP 47 with an ISO 639-1 primary subtag when one
 * exists: "eng", "en", "English", "english", "EN" -> "en"; "en-GB", "en_gb"
 * -> "en-GB"; "deu", "ger", "German", "Deutsch" -> "de"; ISO 639-2/B and /T
 * codes of the European languages and their English and native names.
 * False (out empty) when unrecognized. */
bool fd_lang_normalize(const char *in, char *out, size_t outsz);

enum fd_date_precision {
        FD_DATE_NONE = 0,
        FD_DATE_YEAR,    /* "2019" */
        FD_DATE_MONTH,   /* "2019-03" */
        FD_DATE_DAY,     /* "2019-03-14" */
        FD_DATE_SECOND,  /* "2019-03-14T10:20:30Z" (normalized to UTC) */
};

/* Normalizes a date as sources write it to ISO 8601 keeping its precision:
 * "2019", "2019-03", "2019-03-14", "14/03/2019" and "14.03.2019" (day first,
 * as European sources write it), "2019/03/14", "March 2019", "2019-03-14 10:20:30",
 * "2019-03-14T10:20:30+01:00", "2019-03-14T10:20:30.123Z"; the first date of
 * a range "2016-06-14T06:00:00Z/2016-07-05". Validates month/day ranges.
 * Returns the precision (FD_DATE_NONE and out empty when unrecognized). */
enum fd_date_precision fd_date_normalize(const char *in, char *out, size_t outsz);

/* A normalized date ("2000", "2000-06", "2000-06-14…") as the number
 * YYYYMMDD of its first day, or with end of its last (the 31st for any
 * month: only the order of these numbers matters); -1 when it is none. */
int fd_date_day(const char *date, bool end);

/* ---- the record ------------------------------------------------------- */

/* Arena-backed arrays: v[0..n), cap is the allocation (grow with FD_PUSH). */
#define FD_LIST(name, type)                                                  \
        struct name {                                                        \
                type *v;                                                     \
                size_t n, cap;                                               \
        }

struct fd_text {
        const char *value;
        const char *lang;  /* BCP 47 or NULL */
        const char *type;  /* DataCite titleType / descriptionType ("TranslatedTitle",
                            * "Abstract", …) or NULL */
};

struct fd_agent {
        const char *name;
        const char *orcid;       /* normalized ORCID or NULL */
        const char *affiliation; /* name or NULL */
        const char *ror;         /* normalized ROR id of the affiliation or NULL */
        const char *role;        /* contributorType (contributors) or NULL */
};

struct fd_subject {
        const char *value;
        const char *scheme;  /* "ddc", "FOS", "LCSH", … or NULL */
        const char *uri;     /* the concept's URI or NULL */
        const char *code;    /* the classification code (DataCite classificationCode) or NULL */
};

struct fd_date {
        const char *value;   /* normalized ISO 8601 */
        const char *type;    /* "issued", "modified", "created", "available", … (lowercase) or NULL */
        enum fd_date_precision precision;
};

struct fd_identifier {
        const char *value;   /* normal form, or the raw value when scheme is NONE */
        enum fd_pid_scheme scheme;
};

struct fd_license {
        const char *url;     /* as given, or NULL */
        const char *spdx;    /* SPDX id or NULL */
        const char *text;    /* free text as given, or NULL */
};

struct fd_related {
        const char *value;   /* normal form (or raw) */
        enum fd_pid_scheme scheme;
        const char *relation; /* DataCite relationType ("IsSupplementTo", …), a DCAT link
                               * ("ConformsTo", "AccessService", "ServesDataset",
                               * "WasGeneratedBy") or NULL */
};

struct fd_funding {
        const char *funder;
        const char *funder_id;  /* e.g. a Crossref Funder ID or ROR, or NULL */
        const char *award;      /* award number or NULL */
        const char *award_title;
        const char *funder_id_type;  /* "Crossref Funder ID", "ROR", "GRID", "ISNI", "Other" or NULL */
};

/* A DataCite geoLocation: a place name, a point, a bounding box, or any of
 * them together (WGS 84 degrees). */
struct fd_geo {
        const char *place;
        bool has_point;
        double lat, lon;
        bool has_box;
        double west, east, south, north;
};

FD_LIST(fd_texts, struct fd_text);
FD_LIST(fd_agents, struct fd_agent);
FD_LIST(fd_subjects, struct fd_subject);
FD_LIST(fd_dates, struct fd_date);
FD_LIST(fd_identifiers, struct fd_identifier);
FD_LIST(fd_licenses, struct fd_license);
FD_LIST(fd_relateds, struct fd_related);
FD_LIST(fd_fundings, struct fd_funding);
FD_LIST(fd_geos, struct fd_geo);
FD_LIST(fd_strs, const char *);

struct fd_record {
        const char *id;          /* stable: "<source>:<oai identifier or dataset URI>" */
        const char *source;      /* the configured source name */
        const char *local_id;    /* OAI identifier or dataset URI at the source */
        const char *format;      /* metadata format: "oai_dc", "oai_datacite", "dcat" */
        const char *datestamp;   /* ISO 8601, the source's last change */
        bool deleted;

        struct fd_texts titles, descriptions;
        struct fd_agents creators, contributors;
        struct fd_subjects subjects;
        struct fd_dates dates;
        struct fd_identifiers identifiers;
        const char *doi;             /* the first DOI among identifiers, normalized, or NULL */
        const char *publisher;
        const char *resource_type;   /* DataCite resourceTypeGeneral ("Dataset", "Text"…) or NULL */
        const char *resource_type_raw; /* as the source wrote it */
        struct fd_licenses licenses;
        enum fd_access access;
        const char *embargo_end;     /* ISO 8601 date or NULL */
        struct fd_strs languages;    /* BCP 47 */
        struct fd_strs formats;      /* media types or format names */
        struct fd_strs sets;         /* OAI setSpecs */
        struct fd_strs urls;         /* landing / access URLs */
        struct fd_strs download_urls;
        struct fd_relateds related;
        struct fd_fundings funding;
        const char *version;
        const char *publisher_id;    /* the publisher's identifier (ROR normalized), or NULL */
        struct fd_geos geo_locations;
        struct fd_strs sizes;        /* "15 pages", "6 MB", "2048 bytes" (dcat:byteSize), … as written */
        /* DCAT-AP 3 (issue 19) */
        struct fd_strs checksums;    /* "<algorithm>:<value>" of the files (spdx:checksum), "sha256:9f86…" */
        const char *frequency;       /* dct:accrualPeriodicity: the EU frequency code ("ANNUAL") or as written */
        struct fd_strs legislation;  /* dcatap:applicableLegislation: IRIs (ELI) of the legal acts */

        /* The mapper that read it: its version (0: none, e.g. DCAT), kept
         * in the JSON so that `remap` knows which records an improved mapper
         * would read otherwise. */
        int mapper_version;
        /* The metadata as harvested (the <metadata> content, re-serialized
         * XML), zlib-compressed; not in the JSON: the index keeps it beside
         * the record (NULL, 0: none). */
        const void *raw;
        size_t raw_len;
};

/* A zeroed record living in a; NULL on arena cap. */
struct fd_record *fd_record_new_in(struct fd_arena *a);

/* Adders used by every mapper: they normalize, skip empty values (all white
 * space, or DataCite's ":unav"/":unkn"/":none" placeholders) and duplicates,
 * and copy strings into a.  Each returns FD_OK, or FD_E_LIMIT on arena cap. */
enum fd_status fd_record_add_title(struct fd_record *r, struct fd_arena *a, const char *value, const char *lang);
enum fd_status fd_record_add_description(struct fd_record *r, struct fd_arena *a, const char *value, const char *lang);
/* name is "Family, Given" or as written; orcid and affiliation_id may be any
 * spelling (normalized here; an invalid ORCID is dropped). */
enum fd_status fd_record_add_agent(struct fd_record *r, struct fd_arena *a, bool contributor, const char *name,
                                   const char *orcid, const char *affiliation, const char *affiliation_id,
                                   const char *role);
enum fd_status fd_record_add_subject(struct fd_record *r, struct fd_arena *a, const char *value, const char *scheme,
                                     const char *uri);
/* The date is normalized; an unparseable date is dropped. type may be NULL. */
enum fd_status fd_record_add_date(struct fd_record *r, struct fd_arena *a, const char *value, const char *type);
/* Detects the scheme (hint as for fd_pid_normalize); unrecognized values
 * are kept raw with FD_PID_NONE.  Sets r->doi on the first DOI. */
enum fd_status fd_record_add_identifier(struct fd_record *r, struct fd_arena *a, const char *value,
                                        enum fd_pid_scheme hint);
/* A rights statement as written (URL or text): access rights set r->access,
 * licenses are added with their SPDX id when they resolve. */
enum fd_status fd_record_add_rights(struct fd_record *r, struct fd_arena *a, const char *text, const char *uri);
enum fd_status fd_record_add_language(struct fd_record *r, struct fd_arena *a, const char *value);
enum fd_status fd_record_add_format(struct fd_record *r, struct fd_arena *a, const char *value);
enum fd_status fd_record_add_url(struct fd_record *r, struct fd_arena *a, const char *value, bool download);
enum fd_status fd_record_add_related(struct fd_record *r, struct fd_arena *a, const char *value,
                                     enum fd_pid_scheme hint, const char *relation);
enum fd_status fd_record_add_funding(struct fd_record *r, struct fd_arena *a, const char *funder,
                                     const char *funder_id, const char *award, const char *award_title);
/* A geo location (place copied into a); one with neither place, point nor
 * box, or with coordinates out of range, is dropped. */
enum fd_status fd_record_add_geo(struct fd_record *r, struct fd_arena *a, const struct fd_geo *geo);
enum fd_status fd_record_add_size(struct fd_record *r, struct fd_arena *a, const char *value);
/* A file's checksum as "<algorithm>:<value>", the algorithm lowercased
 * ("sha256", "md5"); either part empty: nothing added. */
enum fd_status fd_record_add_checksum(struct fd_record *r, struct fd_arena *a, const char *algorithm,
                                      const char *value);
enum fd_status fd_record_add_legislation(struct fd_record *r, struct fd_arena *a, const char *iri);
/* Maps a resource type as written (DataCite resourceTypeGeneral, DCMI Type
 * "text"/"Dataset", info:eu-repo/semantics/article, COAR URIs, "Journal
 * article") to resourceTypeGeneral, keeping the raw value. */
enum fd_status fd_record_set_type(struct fd_record *r, struct fd_arena *a, const char *value);

/* Copies s trimmed of leading/trailing white space with inner runs of
 * white space collapsed to one space into a; NULL when nothing is left. */
char *fd_text_clean_in(struct fd_arena *a, const char *s);

/* The record's title: the first without a language tag, else the first;
 * NULL when it has none.  Every reader of a record (the index, its hits,
 * the FAIR report, the exports) shows this one. */
const char *fd_record_title(const struct fd_record *r);
/* The record's description, picked the same way. */
const char *fd_record_description(const struct fd_record *r);
/* The year of the issued date (else the first date, else the datestamp), or 0. */
int fd_record_year(const struct fd_record *r);

/* JSON encoding: the full record as a new json_t object (caller owns),
 * NULL on OOM.  Field names and shapes are documented in docs/protocol.md. */
json_t *fd_record_to_json(const struct fd_record *r);
/* The inverse (record/json_read.c): reads every member fd_record_to_json
 * writes back into a new record living in a (members it does not know, such
 * as a stored "fair", are ignored).  FD_E_PARSE naming the member when obj
 * is not such an object (no "id", a member of the wrong type, an unknown
 * scheme, precision or access name), FD_E_LIMIT on arena cap. */
enum fd_status fd_record_from_json(json_t *obj, struct fd_arena *a, struct fd_record **ret, struct fd_error *err);
/* The same from the JSON text of n bytes (a stored record): FD_E_PARSE as
 * well when the text is not JSON. */
enum fd_status fd_record_from_json_text(const char *text, size_t n, struct fd_arena *a, struct fd_record **ret,
                                        struct fd_error *err);

/* ---- export formats (record/export.c) ------------------------------- */

enum fd_export_format {
        FD_EXPORT_BIBTEX,
        FD_EXPORT_RIS,
        FD_EXPORT_DATACITE,   /* JSON: DataCite REST API attributes (kernel 4) */
        FD_EXPORT_SCHEMAORG,  /* JSON: a schema.org Dataset or CreativeWork as JSON-LD */
        FD_EXPORT_COUNT
};

/* "bibtex", "ris", "datacite", "schemaorg"; NULL for no format. */
const char *fd_export_format_name(enum fd_export_format f);
/* The format named name; false when there is none. */
bool fd_export_format_parse(const char *name, enum fd_export_format *ret);
/* Appends r as a BibTeX entry or a RIS record to b: FD_E_LIMIT (or the
 * buffer's status) when b is full, FD_E_INVALID for a JSON format. */
enum fd_status fd_record_export_text(const struct fd_record *r, enum fd_export_format f, struct fd_buf *b);
/* r as a new DataCite or schema.org object (caller owns); NULL on OOM or
 * for a text format. */
json_t *fd_record_export_json(const struct fd_record *r, enum fd_export_format f);

/* ---- XML payloads of OAI-PMH (record/export_xml.c) -------------------- */

enum fd_xml_format {
        FD_XML_OAI_DC,        /* Dublin Core, oai_dc */
        FD_XML_OAI_DATACITE,  /* DataCite kernel 4 <resource> */
        FD_XML_OAI_OPENAIRE,  /* OpenAIRE Guidelines 4 <oaire:resource> */
        FD_XML_COUNT
};

/* The metadataPrefix ("oai_dc", "oai_datacite", "oai_openaire"), its
 * schema URL and namespace; NULL for no format. */
const char *fd_xml_format_prefix(enum fd_xml_format f);
const char *fd_xml_format_schema(enum fd_xml_format f);
const char *fd_xml_format_namespace(enum fd_xml_format f);
/* The format of metadataPrefix prefix; false when there is none. */
bool fd_xml_format_parse(const char *prefix, enum fd_xml_format *ret);
/* Appends r's payload in format f to b (one element with its namespace
 * declarations, no XML declaration): FD_E_LIMIT when b is full. */
enum fd_status fd_record_export_xml(const struct fd_record *r, enum fd_xml_format f, struct fd_buf *b);
/* Appends s to b escaped for XML text and attribute values, dropping the
 * characters XML 1.0 cannot carry. */
enum fd_status fd_xml_text(struct fd_buf *b, const char *s);

#ifdef __cplusplus
}
#endif

#endif
