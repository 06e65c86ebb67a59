/* fair.c: the FAIR rubric v0.2, a pure function of one record.
 *
 * The indicator table is public (fd_fair_indicators) and a parallel table of
 * test functions reads the record; both are indexed alike, so adding an
 * indicator is one row in each and a new FD_FAIR_RUBRIC_VERSION.  Nothing
 * here resolves an identifier or fetches a page: every test looks only at
 * what the source wrote, which is why the score is cheap enough to compute
 * for every harvested record and why it is not F-UJI's (docs/fair.md).
 *
 * Points are whole numbers.  An indicator built from several items (F2-core,
 * I2-vocab, …) gives one point per item, or scales the items to its maximum;
 * either way 0 points means fail, the maximum means pass and anything in
 * between is partial, so outcome and points never disagree.  Hints are
 * static strings: when several items are missing, the hint names the first
 * one in the indicator's order, which is also the order of importance.
 */
#include <strings.h>

#include "fd_fair.h"

static const struct fd_fair_indicator indicators[] = {
        { "F1-unique", FD_FAIR_F, "FsF-F1-01D", "RDA-F1-02D", "globally unique identifier", 1 },
        { "F1-persistent", FD_FAIR_F, "FsF-F1-02D", "RDA-F1-01D", "persistent identifier", 2 },
        { "F2-core", FD_FAIR_F, "FsF-F2-01M", "RDA-F2-01M", "descriptive core metadata", 3 },
        { "F3-data-id", FD_FAIR_F, "FsF-F3-01M", "RDA-F3-01M", "data identifier in the metadata", 2 },
        { "A1-access-url", FD_FAIR_A, "FsF-A1-03D", "RDA-A1-04D", "access link over a standard protocol", 2 },
        { "A1-access-level", FD_FAIR_A, "FsF-A1-01M", "RDA-A1-01M", "access level stated", 2 },
        { "I1-standard", FD_FAIR_I, "FsF-I1-01M", "RDA-I1-01M", "structured metadata standard", 2 },
        { "I2-vocab", FD_FAIR_I, "FsF-I2-01M", "RDA-I2-01M", "controlled vocabularies", 4 },
        { "I3-links", FD_FAIR_I, "FsF-I3-01M", "RDA-I3-01M", "qualified links to related entities", 4 },
        { "R1-content", FD_FAIR_R, "FsF-R1-01MD", "RDA-R1-01M", "data content described", 3 },
        { "R1.1-license", FD_FAIR_R, "FsF-R1.1-01M", "RDA-R1.1-01M", "machine-readable reuse licence", 2 },
        { "R1.2-provenance", FD_FAIR_R, "FsF-R1.2-01M", "RDA-R1.2-01M", "provenance", 5 },
        { "R1.3-community", FD_FAIR_R, "FsF-R1.3-01M", "RDA-R1.3-01M", "community metadata standard", 2 },
        { "R1.3-formats", FD_FAIR_R, "FsF-R1.3-02D", "RDA-R1.3-01D", "open data file format", 1 },
};

_Static_assert(FD_ELEMENTSOF(indicators) <= FD_FAIR_MAX_INDICATORS, "too many FAIR indicators");

/* ---- reading the record ------------------------------------------------ */

static bool nonempty(const char *s) {
        return s && *s;
}

static bool has_prefix_ci(const char *s, const char *prefix) {
        return s && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_http(const char *s) {
        return has_prefix_ci(s, "http://") || has_prefix_ci(s, "https://");
}

/* A PID scheme with an https resolver (fd_pid_url): the identifier itself is
 * a persistent, actionable link. */
static bool resolvable_pid(enum fd_pid_scheme s) {
        return s == FD_PID_DOI || s == FD_PID_HANDLE || s == FD_PID_ARK || s == FD_PID_URN;
}

static bool has_pid(const struct fd_record *r) {
        if (nonempty(r->doi))
                return true;
        for (size_t i = 0; i < r->identifiers.n; i++)
                if (nonempty(r->identifiers.v[i].value) && resolvable_pid(r->identifiers.v[i].scheme))
                        return true;
        return false;
}

/* An identifier the record adders could not recognize although it is
 * written as a PID ("doi:10.abc", "hdl:", "ark:", "urn:nbn:", a doi.org or
 * handle.net URL): its syntax is wrong, which a steward can fix. */
static bool malformed_pid(const struct fd_record *r) {
        static const char *const shapes[] = {
                "doi:", "10.", "hdl:", "ark:", "urn:nbn:", "info:doi/", "info:hdl/",
                "https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "https://dx.doi.org/",
                "https://hdl.handle.net/", "http://hdl.handle.net/",
        };

        for (size_t i = 0; i < r->identifiers.n; i++) {
                const char *v = r->identifiers.v[i].value;
                if (r->identifiers.v[i].scheme != FD_PID_NONE || !nonempty(v))
                        continue;
                while (*v == ' ' || *v == '\t')
                        v++;
                for (size_t k = 0; k < FD_ELEMENTSOF(shapes); k++)
                        if (has_prefix_ci(v, shapes[k]))
                                return true;
        }
        return false;
}

static bool has_url_identifier(const struct fd_record *r) {
        for (size_t i = 0; i < r->identifiers.n; i++)
                if (r->identifiers.v[i].scheme == FD_PID_URL && nonempty(r->identifiers.v[i].value))
                        return true;
        return false;
}

static bool strs_any(const struct fd_strs *l, bool (*pred)(const char *)) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i]) && pred(l->v[i]))
                        return true;
        return false;
}

static bool texts_any(const struct fd_texts *l) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i].value))
                        return true;
        return false;
}

static bool agents_any(const struct fd_agents *l) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i].name) || nonempty(l->v[i].orcid))
                        return true;
        return false;
}

static bool agents_with_orcid(const struct fd_agents *l) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i].orcid))
                        return true;
        return false;
}

static bool agents_with_ror(const struct fd_agents *l) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i].ror))
                        return true;
        return false;
}

static bool dates_any(const struct fd_dates *l, bool typed) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i].value) && (!typed || nonempty(l->v[i].type)))
                        return true;
        return false;
}

static bool subjects_any(const struct fd_subjects *l, bool controlled) {
        for (size_t i = 0; i < l->n; i++)
                if (nonempty(l->v[i].value) && (!controlled || nonempty(l->v[i].scheme) || nonempty(l->v[i].uri)))
                        return true;
        return false;
}

static bool any_true(_fd_unused_ const char *s) {
        return true;
}

static bool has_resource_type(const struct fd_record *r) {
        return nonempty(r->resource_type) || nonempty(r->resource_type_raw);
}

/* BCP 47 as the record keeps it: a 2–3 letter lowercase primary subtag,
 * then nothing or "-".  A raw "English" or "eng." is not normalized. */
static bool bcp47_like(const char *s) {
        size_t n = 0;

        while (s[n] >= 'a' && s[n] <= 'z')
                n++;
        return (n == 2 || n == 3) && (s[n] == '\0' || s[n] == '-');
}

/* An IANA media type looks like "type/subtype": one '/', no spaces. */
static bool media_type_like(const char *s) {
        const char *slash = strchr(s, '/');

        return slash && slash != s && slash[1] && !strchr(slash + 1, '/') && !strchr(s, ' ');
}

/* The EU Publications Office file-type authority, which DCAT-AP uses for
 * dct:format ("http://publications.europa.eu/resource/authority/file-type/CSV"). */
static bool eu_file_type(const char *s) {
        return has_prefix_ci(s, "http://publications.europa.eu/resource/authority/file-type/") ||
               has_prefix_ci(s, "https://publications.europa.eu/resource/authority/file-type/");
}

/* A format in a controlled vocabulary: an IANA media type or an EU
 * file-type IRI. */
static bool controlled_format(const char *s) {
        return eu_file_type(s) || media_type_like(s);
}

/* Open, long-term or scientific file formats, after F-UJI's lists
 * (open_formats, longterm_formats, science_formats and its text-format
 * rule: any "text/" type, "+xml", "+json").  Matches media types ("text/csv; charset=…")
 * and the bare names sources put in dc:format ("CSV", "NetCDF"). */
static bool open_format(const char *s) {
        static const char *const types[] = {
                "application/xml", "application/json", "application/pdf", "application/x-pdf",
                "application/netcdf", "application/x-netcdf", "application/x-hdf", "application/x-hdf5",
                "application/fits", "application/x-grib", "application/wmo-grib2", "application/dicom",
                "application/geopackage+sqlite3", "application/zip", "application/gzip", "application/x-tar",
                "application/ogg", "application/mxf", "application/vnd.geo+json",
                "image/png", "image/tiff", "image/jpeg", "image/jp2", "image/gif", "image/bmp", "image/fits",
                "image/svg+xml", "audio/flac", "audio/x-flac", "audio/wav", "audio/x-wav", "audio/ogg",
                "audio/mpeg", "video/mp4", "video/ogg", "video/mpeg",
        };
        static const char *const prefixes[] = {
                "text/", "chemical/", "model/x3d", "application/vnd.oasis.opendocument.",
        };
        static const char *const names[] = {
                "csv", "tsv", "txt", "text", "json", "json-ld", "xml", "pdf", "pdf/a", "netcdf", "nc",
                "hdf5", "hdf", "h5", "fits", "tiff", "tif", "geotiff", "png", "jpeg", "jpg", "jpeg2000",
                "jp2", "svg", "rdf", "ttl", "turtle", "geojson", "gpkg", "geopackage", "grib", "zip",
                "odt", "ods", "odp", "flac", "wav", "mp4", "dicom", "fasta", "fastq", "sdf", "cif",
        };
        char buf[128];
        size_t n;
        const char *slash;

        if (eu_file_type(s)) /* judge the IRI by its last segment, "…/file-type/CSV" */
                s = strrchr(s, '/') + 1;
        n = strcspn(s, ";");

        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                n--;
        while (*s == '.' && n > 1) { /* ".csv" */
                s++;
                n--;
        }
        if (n == 0 || n >= sizeof buf)
                return false;
        memcpy(buf, s, n);
        buf[n] = '\0';

        for (size_t i = 0; i < FD_ELEMENTSOF(types); i++)
                if (strcasecmp(buf, types[i]) == 0)
                        return true;
        for (size_t i = 0; i < FD_ELEMENTSOF(prefixes); i++)
                if (has_prefix_ci(buf, prefixes[i]))
                        return true;
        slash = strchr(buf, '/');
        if (slash) {
                size_t len = strlen(slash);
                if ((len > 4 && strcasecmp(slash + len - 4, "+xml") == 0) ||
                    (len > 5 && strcasecmp(slash + len - 5, "+json") == 0))
                        return true;
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(names); i++)
                if (strcasecmp(buf, names[i]) == 0)
                        return true;
        return false;
}

enum format_class { FORMAT_NONE, FORMAT_OTHER, FORMAT_DC, FORMAT_RICH };

/* DataCite, the OpenAIRE Guidelines (the CERIF profile too), DCAT(-AP) and
 * the domain standards the RDA Metadata Standards Catalog lists (DDI, EML,
 * ISO 19115/19139, MODS, CLARIN's CMDI) are community standards with typed,
 * controlled fields; (qualified) Dublin Core is structured but flat. */
static enum format_class format_class(const char *format) {
        static const char *const rich[] = { "datacite", "openaire", "dcat", "ddi",  "eml",
                                            "iso19139", "iso19115", "mods", "cerif", "cmdi" };
        char buf[64];
        size_t n;

        if (!nonempty(format))
                return FORMAT_NONE;
        n = strlen(format);
        if (n >= sizeof buf)
                return FORMAT_OTHER;
        for (size_t i = 0; i <= n; i++)
                buf[i] = (format[i] >= 'A' && format[i] <= 'Z') ? (char)(format[i] - 'A' + 'a') : format[i];
        for (size_t i = 0; i < FD_ELEMENTSOF(rich); i++)
                if (strstr(buf, rich[i]))
                        return FORMAT_RICH;
        if (strcmp(buf, "oai_dc") == 0 || strcmp(buf, "dc") == 0 || strcmp(buf, "oai_qdc") == 0 ||
            strcmp(buf, "qdc") == 0 || strcmp(buf, "dcterms") == 0)
                return FORMAT_DC;
        return FORMAT_OTHER;
}

/* Hints in a format's own words: where a record of that format holds a
 * licence, an access right, a persistent identifier.  Matched by the
 * start of r->format; NULL members fall back to the generic hint. */
struct format_hints {
        const char *format;
        const char *license, *access, *pid;
};

static const struct format_hints format_hints[] = {
        { "iso19139",
          "Add a reuse licence in gmd:resourceConstraints/gmd:MD_LegalConstraints: gmd:useLimitation or "
          "gmd:otherConstraints (a gmx:Anchor to e.g. https://creativecommons.org/licenses/by/4.0/).",
          "State the access right in gmd:MD_LegalConstraints: gmd:accessConstraints and gmd:otherConstraints "
          "(e.g. an INSPIRE LimitationsOnPublicAccess URI).",
          "Add a persistent identifier (DOI, Handle, ARK or URN:NBN) in gmd:citation/gmd:CI_Citation/"
          "gmd:identifier/gmd:MD_Identifier/gmd:code." },
        { "iso19115",
          "Add a reuse licence in mri:resourceConstraints/mco:MD_LegalConstraints: mco:useLimitation or "
          "mco:otherConstraints (a gcx:Anchor to e.g. https://creativecommons.org/licenses/by/4.0/).",
          "State the access right in mco:MD_LegalConstraints: mco:accessConstraints and mco:otherConstraints "
          "(e.g. an INSPIRE LimitationsOnPublicAccess URI).",
          "Add a persistent identifier (DOI, Handle, ARK or URN:NBN) in cit:CI_Citation/cit:identifier/"
          "mcc:MD_Identifier/mcc:code." },
        { "ddi",
          "Add a reuse licence in stdyDscr/dataAccs/useStmt/conditions (with the licence URL, e.g. "
          "https://creativecommons.org/licenses/by/4.0/).",
          "State the access conditions in stdyDscr/dataAccs/useStmt/restrctn or dataAccs/setAvail/avlStatus "
          "(e.g. info:eu-repo/semantics/openAccess).",
          "Add a persistent identifier (DOI or Handle) in stdyDscr/citation/titlStmt/IDNo with its agency "
          "(agency=\"DOI\")." },
        { "eml",
          "Add a reuse licence in dataset/licensed (licenseName and url) or dataset/intellectualRights.",
          "State the access right in eml:access (allow/deny rules) or dataset/intellectualRights.",
          "Add a persistent identifier (a DOI) as the eml packageId or in dataset/alternateIdentifier." },
        { "cmdi",
          "Add a reuse licence in the CMDI licence component (Licence with its URL) of the profile.",
          "State the availability in the CMDI access component (AccessInfo / Availability) of the profile.",
          "Add a persistent identifier (Handle or DOI) in cmd:Header/cmd:MdSelfLink and the "
          "cmd:ResourceProxy of the landing page." },
        { "oai_cerif",
          "Add a reuse licence in cerif:License (a licence URL) of the Product, Publication or Patent.",
          "State the access right in ar:Access (a COAR access-right URI) of the Product, Publication or Patent.",
          "Add a persistent identifier in cerif:DOI, cerif:Handle or cerif:URN of the Product, Publication or "
          "Patent." },
        { "mods",
          "Add a reuse licence in mods:accessCondition type=\"use and reproduction\" (xlink:href to the "
          "licence URL).",
          "State the access right in mods:accessCondition type=\"restriction on access\" (a COAR access-right "
          "URI).",
          "Add a persistent identifier in mods:identifier type=\"doi\", \"hdl\" or \"urn\"." },
        { "marc21",
          "Add a reuse licence in MARC field 540 ($a the terms, $u the licence URL).",
          "State the access right in MARC field 506 ($a, $f, $2 with a COAR access-right URI).",
          "Add a persistent identifier in MARC field 024 7_ ($a the DOI or Handle, $2 doi or hdl)." },
};

/* The hints of r's format, or NULL. */
static const struct format_hints *hints_of(const struct fd_record *r) {
        if (!r || !nonempty(r->format))
                return NULL;
        for (size_t i = 0; i < FD_ELEMENTSOF(format_hints); i++)
                if (strncmp(r->format, format_hints[i].format, strlen(format_hints[i].format)) == 0)
                        return &format_hints[i];
        return NULL;
}

/* The format's own hint when it has one, else generic. */
#define FORMAT_HINT(r, member, generic)                                         \
        ({                                                                      \
                const struct format_hints *h_ = hints_of(r);                    \
                h_ && h_->member ? h_->member : (generic);                      \
        })

/* ---- scoring helpers --------------------------------------------------- */

static void pass(struct fd_fair_result *res, int max) {
        res->outcome = FD_FAIR_PASS;
        res->points = max;
        res->hint = NULL;
}

static void fail(struct fd_fair_result *res, const char *hint) {
        res->outcome = FD_FAIR_FAIL;
        res->points = 0;
        res->hint = hint;
}

static void partial(struct fd_fair_result *res, int points, const char *hint) {
        res->outcome = FD_FAIR_PARTIAL;
        res->points = points;
        res->hint = hint;
}

/* present of n items, scaled to max points and rounded, but never 0 when
 * something is present nor max when something is missing. */
static void scaled(struct fd_fair_result *res, int present, int n, int max, const char *hint) {
        int points;

        if (present <= 0) {
                fail(res, hint);
                return;
        }
        if (present >= n) {
                pass(res, max);
                return;
        }
        points = (2 * max * present + n) / (2 * n);
        if (points < 1)
                points = 1;
        if (points > max - 1)
                points = max - 1;
        partial(res, points, hint);
}

/* One point per item that holds; hint is that of the first item that does
 * not. */
struct item {
        bool ok;
        const char *hint;
};

static void items(struct fd_fair_result *res, const struct item *it, int n, int max) {
        const char *hint = NULL;
        int present = 0;

        for (int i = 0; i < n; i++) {
                if (it[i].ok)
                        present++;
                else if (!hint)
                        hint = it[i].hint;
        }
        scaled(res, present, n, max, hint);
}

/* ---- the tests, one per indicator, in table order ----------------------- */

static void test_f1_unique(const struct fd_record *r, int max, struct fd_fair_result *res) {
        if (has_pid(r) || has_url_identifier(r) || strs_any(&r->urls, is_http) || is_http(r->local_id))
                pass(res, max);
        else
                fail(res, "Add a globally unique identifier (a DOI, Handle, ARK, URN:NBN or http(s) URL) "
                          "in dc:identifier / datacite:identifier.");
}

static void test_f1_persistent(const struct fd_record *r, int max, struct fd_fair_result *res) {
        if (has_pid(r))
                pass(res, max);
        else if (malformed_pid(r))
                fail(res, "Correct the persistent identifier in dc:identifier / datacite:identifier: it is written "
                          "as a DOI, Handle, ARK or URN:NBN but its syntax is not valid.");
        else if (has_url_identifier(r) || strs_any(&r->urls, is_http))
                fail(res, "Add a persistent identifier (DOI, Handle, ARK or URN:NBN) in dc:identifier / "
                          "datacite:identifier, since a plain URL can break or change.");
        else
                fail(res, FORMAT_HINT(r, pid, "Add a persistent identifier (DOI, Handle, ARK or URN:NBN) in "
                                              "dc:identifier / datacite:identifier."));
}

static void test_f2_core(const struct fd_record *r, int max, struct fd_fair_result *res) {
        const struct item it[] = {
                { texts_any(&r->titles), "Add a title (dc:title / datacite:title / dct:title)." },
                { agents_any(&r->creators), "Name the creators (dc:creator / datacite:creator / dct:creator)." },
                { dates_any(&r->dates, false),
                  "Add the publication date (dc:date / datacite:publicationYear / dct:issued)." },
                { nonempty(r->publisher), "Name the publisher (dc:publisher / datacite:publisher / dct:publisher)." },
                { texts_any(&r->descriptions),
                  "Add a description or abstract (dc:description / datacite:description / dct:description)." },
                { subjects_any(&r->subjects, false),
                  "Add subjects or keywords (dc:subject / datacite:subject / dcat:keyword)." },
                { has_resource_type(r), "State the resource type (dc:type / datacite:resourceType / dct:type)." },
        };

        items(res, it, (int)FD_ELEMENTSOF(it), max);
}

static void test_f3_data_id(const struct fd_record *r, int max, struct fd_fair_result *res) {
        bool raw = false;

        if (has_pid(r) || has_url_identifier(r) || strs_any(&r->urls, any_true) ||
            strs_any(&r->download_urls, any_true)) {
                pass(res, max);
                return;
        }
        for (size_t i = 0; i < r->identifiers.n; i++)
                if (nonempty(r->identifiers.v[i].value))
                        raw = true;
        if (raw)
                partial(res, max / 2, "Give the data's identifier as a DOI, Handle, ARK, URN:NBN or http(s) URL "
                                      "in dc:identifier / datacite:identifier, not only a local id.");
        else
                fail(res, "Name the data's identifier (its DOI or URL) in dc:identifier / datacite:identifier.");
}

static void test_a1_access_url(const struct fd_record *r, int max, struct fd_fair_result *res) {
        bool http = false;

        if (has_pid(r)) {
                pass(res, max);
                return;
        }
        for (size_t i = 0; i < r->identifiers.n; i++) {
                const char *v = r->identifiers.v[i].value;
                if (r->identifiers.v[i].scheme != FD_PID_URL || !nonempty(v))
                        continue;
                if (has_prefix_ci(v, "https://")) {
                        pass(res, max);
                        return;
                }
                http = http || has_prefix_ci(v, "http://");
        }
        for (int k = 0; k < 2; k++) {
                const struct fd_strs *l = k == 0 ? &r->urls : &r->download_urls;
                for (size_t i = 0; i < l->n; i++) {
                        if (has_prefix_ci(l->v[i], "https://")) {
                                pass(res, max);
                                return;
                        }
                        http = http || has_prefix_ci(l->v[i], "http://") || has_prefix_ci(l->v[i], "ftp://");
                }
        }
        if (http)
                partial(res, max / 2, "Serve the landing page and downloads over https and give those https "
                                      "URLs (or a DOI) in the record.");
        else
                fail(res, "Add a landing page or download URL (dc:identifier, dcat:landingPage, "
                          "dcat:accessURL) or a DOI so the data can be reached.");
}

static void test_a1_access_level(const struct fd_record *r, int max, struct fd_fair_result *res) {
        if (r->access == FD_ACCESS_UNKNOWN || (unsigned)r->access >= FD_ACCESS_COUNT)
                fail(res, FORMAT_HINT(r, access, "State the access right (info:eu-repo/semantics/openAccess or a "
                                                 "COAR access-right URI) in dc:rights / datacite:rights / "
                                                 "dct:accessRights."));
        else if (r->access == FD_ACCESS_EMBARGOED && !nonempty(r->embargo_end))
                partial(res, max / 2, "Give the embargo end date (dc:date info:eu-repo/date/embargoEnd/… or "
                                      "datacite:date dateType=\"Available\").");
        else
                pass(res, max);
}

/* I1-standard and R1.3-community both read the metadata format: a
 * community standard passes, bare Dublin Core earns half. */
static void format_test(const struct fd_record *r, int max, struct fd_fair_result *res, const char *hint_dc,
                        const char *hint_none) {
        switch (format_class(r->format)) {
        case FORMAT_RICH:
                pass(res, max);
                break;
        case FORMAT_DC:
        case FORMAT_OTHER:
                partial(res, max / 2, hint_dc);
                break;
        case FORMAT_NONE:
        default:
                fail(res, hint_none);
                break;
        }
}

static void test_i1_standard(const struct fd_record *r, int max, struct fd_fair_result *res) {
        format_test(r, max, res,
                    "Offer the records in a richer metadata format than bare Dublin Core "
                    "(oai_datacite, oai_openaire or DCAT-AP).",
                    "Declare the records' metadata format (an OAI-PMH metadataPrefix such as "
                    "oai_datacite, or DCAT-AP).");
}

static void test_i2_vocab(const struct fd_record *r, int max, struct fd_fair_result *res) {
        const struct item it[] = {
                { subjects_any(&r->subjects, true),
                  "Give subjects a scheme or URI from a controlled vocabulary (datacite:subject "
                  "subjectScheme / valueURI)." },
                { nonempty(r->resource_type),
                  "State the resource type in a controlled vocabulary (DataCite resourceTypeGeneral, "
                  "COAR or info:eu-repo type) in dc:type / datacite:resourceType." },
                { strs_any(&r->languages, bcp47_like), "Add the language as an ISO 639 code (dc:language)." },
                { strs_any(&r->formats, controlled_format),
                  "Give formats as IANA media types (e.g. text/csv) or EU file-type IRIs in dc:format / "
                  "dcat:mediaType." },
        };

        items(res, it, (int)FD_ELEMENTSOF(it), max);
}

static void test_i3_links(const struct fd_record *r, int max, struct fd_fair_result *res) {
        bool related = false, funder = false;

        for (size_t i = 0; i < r->related.n; i++)
                if (nonempty(r->related.v[i].value) && nonempty(r->related.v[i].relation))
                        related = true;
        for (size_t i = 0; i < r->funding.n; i++)
                if (nonempty(r->funding.v[i].funder_id))
                        funder = true;

        const struct item it[] = {
                { related, "Link related outputs with a relation type (datacite:relatedIdentifier "
                           "relationType, e.g. IsSupplementTo)." },
                { agents_with_orcid(&r->creators) || agents_with_orcid(&r->contributors),
                  "Give the creators' ORCID iDs (datacite:nameIdentifier nameIdentifierScheme=\"ORCID\")." },
                { agents_with_ror(&r->creators) || agents_with_ror(&r->contributors) ||
                          nonempty(r->publisher_id),
                  "Give the affiliations' ROR ids (datacite:affiliation affiliationIdentifierScheme=\"ROR\")." },
                { funder, "Give the funder's identifier (funderIdentifier: a Crossref Funder ID or ROR) in the "
                          "funding reference." },
        };

        items(res, it, (int)FD_ELEMENTSOF(it), max);
}

static void test_r1_content(const struct fd_record *r, int max, struct fd_fair_result *res) {
        const struct item it[] = {
                { has_resource_type(r), "State what the data is: the resource type in dc:type / "
                                        "datacite:resourceType / dct:type." },
                { strs_any(&r->formats, any_true), "Describe the files' formats in dc:format / "
                                                   "datacite:format / dcat:mediaType." },
                { strs_any(&r->sizes, any_true), "Give the size of the data (datacite:size, e.g. \"6 MB\" or "
                                                 "\"1200 records\"; dcat:byteSize)." },
        };

        items(res, it, (int)FD_ELEMENTSOF(it), max);
}

static void test_r1_1_license(const struct fd_record *r, int max, struct fd_fair_result *res) {
        bool any = false;

        for (size_t i = 0; i < r->licenses.n; i++) {
                const struct fd_license *l = &r->licenses.v[i];
                if (nonempty(l->spdx)) {
                        pass(res, max);
                        return;
                }
                any = any || nonempty(l->url) || nonempty(l->text);
        }
        if (any)
                partial(res, max / 2, "Give the licence as an SPDX id or a Creative Commons / spdx.org URL in "
                                      "dc:rights / datacite:rightsIdentifier so machines can read it.");
        else
                fail(res, FORMAT_HINT(r, license, "Add a reuse licence (e.g. "
                                                  "https://creativecommons.org/licenses/by/4.0/) in dc:rights / "
                                                  "datacite:rightsURI / dct:license."));
}

static void test_r1_2_provenance(const struct fd_record *r, int max, struct fd_fair_result *res) {
        bool funded = false;

        for (size_t i = 0; i < r->funding.n; i++)
                if (nonempty(r->funding.v[i].funder) || nonempty(r->funding.v[i].funder_id))
                        funded = true;

        const struct item it[] = {
                { agents_with_orcid(&r->creators),
                  "Identify the creators with their ORCID iDs (datacite:nameIdentifier "
                  "nameIdentifierScheme=\"ORCID\")." },
                { dates_any(&r->dates, true), "Type the dates (datacite:date dateType=\"Issued\" / \"Created\", "
                                              "dct:issued) so the record says when the data was made." },
                { nonempty(r->publisher), "Name the publisher (dc:publisher / datacite:publisher / dct:publisher)." },
                { funded, "Name the funder and award (datacite:fundingReference / oaire:fundingReference)." },
                { nonempty(r->version), "State the version of the data (datacite:version / dcat:version / "
                                        "owl:versionInfo)." },
        };

        items(res, it, (int)FD_ELEMENTSOF(it), max);
}

static void test_r1_3_community(const struct fd_record *r, int max, struct fd_fair_result *res) {
        format_test(r, max, res,
                    "Publish the metadata in a community standard (DataCite, the OpenAIRE "
                    "Guidelines or DCAT-AP) besides oai_dc.",
                    "Publish the metadata in a community standard (DataCite, the OpenAIRE Guidelines or "
                    "DCAT-AP).");
}

static void test_r1_3_formats(const struct fd_record *r, int max, struct fd_fair_result *res) {
        if (!strs_any(&r->formats, any_true)) {
                res->outcome = FD_FAIR_NA;
                res->points = 0;
                res->hint = NULL;
        } else if (strs_any(&r->formats, open_format))
                pass(res, max);
        else
                fail(res, "Offer the data in an open file format (e.g. CSV, JSON, NetCDF, TIFF) and give its "
                          "media type in dc:format / dcat:mediaType.");
}

static void (*const tests[])(const struct fd_record *, int, struct fd_fair_result *) = {
        test_f1_unique,    test_f1_persistent,   test_f2_core,         test_f3_data_id,
        test_a1_access_url, test_a1_access_level, test_i1_standard,    test_i2_vocab,
        test_i3_links,     test_r1_content,      test_r1_1_license,    test_r1_2_provenance,
        test_r1_3_community, test_r1_3_formats,
};

_Static_assert(FD_ELEMENTSOF(tests) == FD_ELEMENTSOF(indicators), "one test per FAIR indicator");

/* ---- public ------------------------------------------------------------ */

const struct fd_fair_indicator *fd_fair_indicators(size_t *ret_n) {
        if (ret_n)
                *ret_n = FD_ELEMENTSOF(indicators);
        return indicators;
}

size_t fd_fair_indicator_index(const char *id) {
        for (size_t i = 0; id && i < FD_ELEMENTSOF(indicators); i++)
                if (strcmp(indicators[i].id, id) == 0)
                        return i;
        return SIZE_MAX;
}

/* 100 * earned / max, rounded to the nearest; 0 when nothing applies. */
static int percent(int earned, int max) {
        if (max <= 0 || earned <= 0)
                return 0;
        if (earned >= max)
                return 100;
        return (200 * earned + max) / (2 * max);
}

void fd_fair_assess(const struct fd_record *r, struct fd_fair_assessment *ret) {
        static const struct fd_record empty;
        int earned[FD_FAIR_PRINCIPLES] = { 0 }, max[FD_FAIR_PRINCIPLES] = { 0 };
        int total_earned = 0, total_max = 0;

        if (!ret)
                return;
        if (!r)
                r = &empty;
        memset(ret, 0, sizeof *ret);
        ret->n = FD_ELEMENTSOF(indicators);
        for (size_t i = 0; i < ret->n; i++) {
                const struct fd_fair_indicator *ind = &indicators[i];
                struct fd_fair_result *res = &ret->results[i];

                tests[i](r, ind->max_points, res);
                if (res->outcome == FD_FAIR_NA)
                        continue;
                earned[ind->principle] += res->points;
                max[ind->principle] += ind->max_points;
                total_earned += res->points;
                total_max += ind->max_points;
        }
        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++)
                ret->score[p] = percent(earned[p], max[p]);
        ret->overall = percent(total_earned, total_max);
}

const char *fd_fair_principle_name(enum fd_fair_principle p) {
        static const char *const names[FD_FAIR_PRINCIPLES] = {
                [FD_FAIR_F] = "F", [FD_FAIR_A] = "A", [FD_FAIR_I] = "I", [FD_FAIR_R] = "R",
        };

        if ((unsigned)p >= FD_FAIR_PRINCIPLES)
                return "unknown";
        return names[p];
}

const char *fd_fair_outcome_name(enum fd_fair_outcome o) {
        switch (o) {
        case FD_FAIR_FAIL:
                return "fail";
        case FD_FAIR_PARTIAL:
                return "partial";
        case FD_FAIR_PASS:
                return "pass";
        case FD_FAIR_NA:
                return "n/a";
        }
        return "unknown";
}

/* Sets key to a new value, taking it; false when either is NULL (OOM). */
static bool set_new(json_t *o, const char *key, json_t *v) {
        if (!v)
                return false;
        return json_object_set_new(o, key, v) == 0;
}

json_t *fd_fair_to_json(const struct fd_fair_assessment *a) {
        _fd_cleanup_(fd_json_freep) json_t *o = NULL;
        json_t *list;
        size_t n;

        if (!a)
                return NULL;
        o = json_object();
        if (!o)
                return NULL;
        if (!set_new(o, "rubric", json_string(FD_FAIR_RUBRIC_VERSION)) ||
            !set_new(o, "overall", json_integer(a->overall)))
                return NULL;
        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++)
                if (!set_new(o, fd_fair_principle_name(p), json_integer(a->score[p])))
                        return NULL;
        list = json_array();
        if (!set_new(o, "indicators", list))
                return NULL;

        n = a->n < FD_ELEMENTSOF(indicators) ? a->n : FD_ELEMENTSOF(indicators);
        for (size_t i = 0; i < n; i++) {
                const struct fd_fair_indicator *ind = &indicators[i];
                const struct fd_fair_result *res = &a->results[i];
                json_t *e = json_object();

                if (!e || json_array_append_new(list, e) != 0)
                        return NULL;
                if (!set_new(e, "id", json_string(ind->id)) ||
                    !set_new(e, "principle", json_string(fd_fair_principle_name(ind->principle))) ||
                    !set_new(e, "outcome", json_string(fd_fair_outcome_name(res->outcome))) ||
                    !set_new(e, "points", json_integer(res->points)) ||
                    !set_new(e, "max_points", json_integer(ind->max_points)) ||
                    !set_new(e, "hint", res->hint ? json_string(res->hint) : json_null()))
                        return NULL;
        }
        return FD_TAKE_PTR(o);
}
