/* csw.c: the OGC CSW 2.0.2 driver (a `csw` source: INSPIRE, GeoNetwork,
 * pycsw, deegree catalogues).
 *
 * It pages through GetRecords (KVP GET: resultType=results,
 * outputSchema=ISO 19139, elementSetName=full, maxRecords, startPosition)
 * the way oai.c pages through ListRecords: each response is one page, its
 * csw:SearchResults' nextRecord the token of the next (0, or past
 * numberOfRecordsMatched: the last), kept in the checkpoint so that a run
 * stopped midway resumes where it was.  Requests go through the one fetch
 * policy (fetch.c: delay, retries, Retry-After, the run's budget).
 *
 * A response is read whole (a page of records is small) with libxml2, no
 * network and no entities; each record under csw:SearchResults is copied
 * into a document of its own (its namespaces declared on it) and handed,
 * wrapped as a harvested OAI-PMH record whose identifier is its
 * fileIdentifier (or ISO 19115-3 metadataIdentifier code) and datestamp its
 * dateStamp, to the OAI-PMH parser: the same mapper choice by namespace,
 * the same metadata kept as harvested, the same skips, as any OAI record.
 * Every run is a full one (CSW has no deletions to list); records the
 * catalogue no longer serves stay until purged.
 */
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "harvesters-private.h"

#define NS_CSW "http://www.opengis.net/cat/csw/2.0.2"
#define NS_OWS "http://www.opengis.net/ows"
#define NS_GMD "http://www.isotc211.org/2005/gmd"
#define NS_GCO "http://www.isotc211.org/2005/gco"
/* Records asked per GetRecords. */
#define CSW_PAGE_RECORDS 50
/* Bytes of one response. */
#define CSW_MAX_BODY ((size_t)256 << 20)
#define CSW_MAX_PAGES 1000000UL

static bool named(const xmlNode *n, const char *ns, const char *name) {
        return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
               (!ns || (n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0));
}

static xmlNode *child(const xmlNode *n, const char *ns, const char *name) {
        for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
                if (named(c, ns, name))
                        return c;
        return NULL;
}

/* The trimmed text of the first element at path (local names, any
 * namespace) under n, malloc'ed, or NULL. */
static char *text_at(const xmlNode *n, const char *const *path, size_t depth) {
        for (size_t i = 0; n && i < depth; i++)
                n = child(n, NULL, path[i]);
        if (!n)
                return NULL;
        xmlChar *t = xmlNodeGetContent(n);
        if (!t)
                return NULL;
        const char *s = (const char *)t;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
                s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
                len--;
        char *out = len ? strndup(s, len) : NULL;
        xmlFree(t);
        return out;
}

static char *record_id(const xmlNode *rec) {
        static const char *const iso[] = {"fileIdentifier", "CharacterString"};
        static const char *const iso3[] = {"metadataIdentifier", "MD_Identifier", "code", "CharacterString"};
        static const char *const dc[] = {"identifier"};
        char *id = text_at(rec, iso, 2);
        return id ? id : (id = text_at(rec, iso3, 4)) ? id : text_at(rec, dc, 1);
}

static char *record_stamp(const xmlNode *rec) {
        static const char *const dt[] = {"dateStamp", "DateTime"};
        static const char *const d[] = {"dateStamp", "Date"};
        static const char *const d3[] = {"dateInfo", "CI_Date", "date", "DateTime"};
        static const char *const dc[] = {"modified"};
        char *s = text_at(rec, dt, 2);
        if (!s)
                s = text_at(rec, d, 2);
        if (!s)
                s = text_at(rec, d3, 4);
        return s ? s : text_at(rec, dc, 1);
}

/* Appends rec as a harvested OAI-PMH <record> (pos: its place in the
 * result set, the identifier of a record that has none). */
static enum fd_status wrap_record(struct fd_buf *b, xmlNode *rec, unsigned long pos) {
        _fd_free_ char *id = record_id(rec), *stamp = record_stamp(rec);
        enum fd_status st = fd_buf_append(b, "<record><header><identifier>", 28);

        if (st == FD_OK)
                st = id ? fd_xml_text(b, id) : fd_buf_printf(b, "csw-record-%lu", pos);
        if (st == FD_OK && stamp)
                st = fd_buf_append(b, "</identifier><datestamp>", 24) ?: fd_xml_text(b, stamp) ?:
                     fd_buf_append(b, "</datestamp>", 12);
        else if (st == FD_OK)
                st = fd_buf_append(b, "</identifier>", 13);
        if (st == FD_OK)
                st = fd_buf_append(b, "</header><metadata>", 19);
        if (st)
                return st;
        /* a document of its own: the copy declares the namespaces it uses */
        xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
        xmlNodePtr copy = doc ? xmlDocCopyNode(rec, doc, 1) : NULL;
        xmlBufferPtr out = copy ? xmlBufferCreate() : NULL;
        if (!out) {
                if (copy)
                        xmlFreeNode(copy);
                xmlFreeDoc(doc);
                return FD_E_NOMEM;
        }
        xmlDocSetRootElement(doc, copy);
        xmlReconciliateNs(doc, copy);
        if (xmlNodeDump(out, doc, copy, 0, 0) < 0)
                st = FD_E_NOMEM;
        else
                st = fd_buf_append(b, xmlBufferContent(out), (size_t)xmlBufferLength(out));
        xmlBufferFree(out);
        xmlFreeDoc(doc);
        return st ?: fd_buf_append(b, "</metadata></record>", 20);
}

struct run {
        const struct fd_harvest_opts *o;
        const struct fd_harvest_sink *sink;
        struct fd_fetch fetch;
        struct fd_buf body, oai;
        struct fd_checkpoint cp;
};

static enum fd_status body_start(void *ud, struct fd_error *err) {
        (void)err;
        fd_buf_reset(&((struct run *)ud)->body);
        return FD_OK;
}

static enum fd_status body_chunk(void *ud, const char *data, size_t len) {
        return fd_buf_append(&((struct run *)ud)->body, data, len);
}

static unsigned long attr_ulong(const xmlNode *n, const char *name) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
        unsigned long x = v ? strtoul((const char *)v, NULL, 10) : 0;
        xmlFree(v);
        return x;
}

/* Reads the response in r->body into r->oai (an OAI-PMH ListRecords of its
 * records); *ret_next: the next startPosition, 0 when this is the last. */
static enum fd_status read_response(struct run *r, const char *url, unsigned long start, unsigned long *ret_next,
                                    long *ret_matched, struct fd_error *err) {
        xmlDocPtr doc = xmlReadMemory(r->body.data ? r->body.data : "", (int)r->body.len, url, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        enum fd_status st = FD_OK;

        if (!doc) {
                const xmlError *e = xmlGetLastError();
                return fd_error_set(err, FD_E_PARSE, "response of '%s' is not XML: line %d: %s", url,
                                    e ? e->line : 0, e && e->message ? e->message : "");
        }
        xmlNode *root = xmlDocGetRootElement(doc);
        if (named(root, NS_OWS, "ExceptionReport") || named(root, NULL, "ExceptionReport")) {
                static const char *const path[] = {"Exception", "ExceptionText"};
                _fd_free_ char *why = text_at(root, path, 2);
                xmlFreeDoc(doc);
                return fd_error_set(err, FD_E_PROTOCOL, "CSW '%s' answered an exception: %s", url,
                                    why ? why : "(no text)");
        }
        xmlNode *results = named(root, NS_CSW, "GetRecordsResponse") ? child(root, NS_CSW, "SearchResults") : NULL;
        if (!results) {
                xmlFreeDoc(doc);
                return fd_error_set(err, FD_E_PROTOCOL, "'%s' is not a CSW 2.0.2 GetRecords response (root '%s')",
                                    url, root ? (const char *)root->name : "");
        }
        unsigned long matched = attr_ulong(results, "numberOfRecordsMatched");
        unsigned long returned = attr_ulong(results, "numberOfRecordsReturned");
        unsigned long next = attr_ulong(results, "nextRecord");

        fd_buf_reset(&r->oai);
        st = fd_buf_printf(&r->oai, "<OAI-PMH xmlns=\"%s\"><ListRecords>", FD_NS_OAI);
        unsigned long pos = start, n = 0;
        for (xmlNode *c = results->children; st == FD_OK && c; c = c->next)
                if (c->type == XML_ELEMENT_NODE) {
                        st = wrap_record(&r->oai, c, pos++);
                        n++;
                }
        if (st == FD_OK)
                st = fd_buf_append(&r->oai, "</ListRecords></OAI-PMH>", 24);
        xmlFreeDoc(doc);
        if (st)
                return fd_error_set(err, st, "response of '%s': out of memory", url);
        /* the last page: no next record, one past the end, or nothing returned */
        if (next == 0 || (matched && next > matched) || (returned == 0 && n == 0) || next <= start)
                next = 0;
        *ret_next = next;
        *ret_matched = (long)matched;
        return FD_OK;
}

static enum fd_status page_url(const struct run *r, unsigned long start, char **ret, struct fd_error *err) {
        struct fd_buf b;
        const char *u = r->o->url;
        char sep = strchr(u, '?') ? (u[strlen(u) - 1] == '?' || u[strlen(u) - 1] == '&' ? 0 : '&') : '?';

        fd_buf_init(&b, 8192);
        enum fd_status st = fd_buf_printf(&b, "%s", u);
        if (st == FD_OK && sep)
                st = fd_buf_append(&b, &sep, 1);
        if (st == FD_OK)
                st = fd_buf_printf(&b, "service=CSW&version=2.0.2&request=GetRecords&typeNames=gmd%%3AMD_Metadata"
                                       "&resultType=results&elementSetName=full&outputSchema=");
        if (st == FD_OK)
                st = fd_url_encode(&b, NS_GMD);
        if (st == FD_OK)
                st = fd_buf_append(&b, "&namespace=", 11) ?: fd_url_encode(&b, "xmlns(gmd=" NS_GMD ")");
        if (st == FD_OK)
                st = fd_buf_printf(&b, "&maxRecords=%d&startPosition=%lu", CSW_PAGE_RECORDS, start);
        if (st) {
                fd_buf_release(&b);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        *ret = b.data;
        return FD_OK;
}

static enum fd_status run_pages(struct run *r, unsigned long start, struct fd_error *err) {
        struct fd_fetch_body fb = {.start = body_start, .chunk = body_chunk, .ud = r};

        for (unsigned long pages = 0; start; pages++) {
                _fd_free_ char *url = NULL;
                _fd_cleanup_(fd_page_freep) struct fd_page *page = NULL;
                _fd_cleanup_(fd_oai_parser_freep) struct fd_oai_parser *p = NULL;
                unsigned long next = 0;
                long matched = -1;
                char token[32] = "";
                enum fd_status st;

                if (pages >= CSW_MAX_PAGES)
                        return fd_error_set(err, FD_E_LIMIT, "source '%s': more than %lu pages in one run",
                                            r->o->source, CSW_MAX_PAGES);
                if ((st = page_url(r, start, &url, err)) || (st = fd_fetch_get(&r->fetch, url, &fb, err)) ||
                    (st = read_response(r, url, start, &next, &matched, err)))
                        return st;
                struct fd_oai_parser_opts po = {.source = r->o->source, .where = url, .prefix = "iso19139",
                                                .warn = fd_harvest_forward_warn, .ud = (void *)r->sink};
                if ((st = fd_page_new(r->o->source, url, r->o->page_arena_cap, &page, err)) ||
                    (st = fd_oai_parser_new(&po, page, &p, err)) ||
                    (st = fd_oai_parser_feed(p, r->oai.data, r->oai.len, err)) || (st = fd_oai_parser_finish(p, err)))
                        return st;
                page->complete_list_size = matched;
                if (next)
                        snprintf(token, sizeof token, "%lu", next);
                st = fd_page_hand_over(FD_TAKE_PTR(page), &r->cp, next ? token : NULL, next == 0, r->sink, err);
                if (st)
                        return st;
                start = next;
        }
        return FD_OK;
}

enum fd_status fd_csw_harvest(const struct fd_harvest_opts *opts, const struct fd_harvest_sink *sink,
                              struct fd_error *err) {
        _fd_cleanup_(fd_http_freep) struct fd_http *http = NULL;
        struct run r = {.o = opts, .sink = sink};
        const struct fd_checkpoint *res = opts ? opts->resume : NULL;
        unsigned long start = 1;
        char now[32];
        enum fd_status st;

        if (!opts || !sink || !sink->page || !opts->source || !opts->url)
                return fd_error_set(err, FD_E_INVALID, "harvest without a source, URL or sink");
        if (!fd_is_http(opts->url))
                return fd_error_set(err, FD_E_INVALID, "URL '%s' of CSW source '%s' is not http(s)", opts->url,
                                    opts->source);
        struct fd_http_opts ho = {.user_agent = opts->user_agent ? opts->user_agent : "fairdex",
                                  .max_body = CSW_MAX_BODY};
        if ((st = fd_http_new(&ho, &http, err)))
                return st;
        fd_http_set_compression(http, true);
        fd_fetch_init(&r.fetch, http, opts, sink, "page");
        fd_buf_init(&r.body, CSW_MAX_BODY);
        fd_buf_init(&r.oai, CSW_MAX_BODY + CSW_MAX_BODY / 4);

        fd_time_iso(fd_time_now(), now, sizeof now);
        bool ok = fd_harvest_set_str(&r.cp.last_complete, res ? res->last_complete : NULL);
        if (res && res->token && res->run_start && strtoul(res->token, NULL, 10) > 0) {
                /* a run stopped midway goes on from its next record */
                ok = ok && fd_harvest_set_str(&r.cp.run_start, res->run_start);
                r.cp.pages = res->pages;
                r.cp.records = res->records;
                r.cp.deleted = res->deleted;
                r.cp.skipped = res->skipped;
                start = strtoul(res->token, NULL, 10);
        } else
                ok = ok && fd_harvest_set_str(&r.cp.run_start, now);
        st = ok ? run_pages(&r, start, err) : fd_error_set(err, FD_E_NOMEM, "out of memory");
        fd_buf_release(&r.body);
        fd_buf_release(&r.oai);
        fd_checkpoint_release(&r.cp);
        return st;
}
