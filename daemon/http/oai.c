/* oai.c: the OAI-PMH 2.0 data provider at /oai (docs/federation.md).
 *
 * Every record of the index is an item, one per harvested record (not
 * collapsed by DOI), identified by its fairdex id; its datestamp is when
 * fairdex last wrote it, and a deleted one stays as a tombstone
 * (deletedRecord persistent).  Lists come from fd_index_changes in
 * (datestamp, id) order, so a resumption token carries the request and
 * the key of the last item sent: it needs no state here, stays exact
 * across the indexer's commits and outlives a restart.  Its
 * expirationDate is advisory (a day ahead): tokens do not expire.  The
 * list's size is counted once, for its first page, and carried in the
 * token as completeListSize (an estimate, as the specification allows,
 * when records change during the harvest): counting what is left for
 * every page would cost each page the size of the whole list.
 *
 * Sets: source:NAME per configured source, type:TYPE per resource type
 * the index holds, fair:BAND per quarter of the overall FAIR score.
 * Payloads: oai_dc, oai_datacite (DataCite kernel 4) and oai_openaire,
 * written by record/export_xml.c: stored so at indexing (fd_index_put) and
 * copied from the index in lists, else (GetRecord, an older index) written
 * from the stored record.
 *
 * Errors follow the specification: badVerb and badArgument answer with a
 * bare <request>, the others echo the request's arguments; every value
 * echoed has passed validation (valid UTF-8, known argument names).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../http.h"
#include "../ops/ops.h"
#include "fd_index.h"

#define OAI_PAGE 100
#define OAI_MAX_BODY (256u << 20)
#define OAI_TOKEN_MAX 4096
#define GRANULARITY "YYYY-MM-DDThh:mm:ssZ"

enum oai_verb { V_IDENTIFY, V_LIST_FORMATS, V_LIST_SETS, V_LIST_IDS, V_LIST_RECORDS, V_GET_RECORD, V_COUNT };

enum { A_IDENTIFIER = 1, A_PREFIX = 2, A_FROM = 4, A_UNTIL = 8, A_SET = 16, A_TOKEN = 32 };

static const struct {
        const char *name;
        unsigned allowed, required;
} verbs[V_COUNT] = {
        [V_IDENTIFY] = {"Identify", 0, 0},
        [V_LIST_FORMATS] = {"ListMetadataFormats", A_IDENTIFIER, 0},
        [V_LIST_SETS] = {"ListSets", A_TOKEN, 0},
        [V_LIST_IDS] = {"ListIdentifiers", A_PREFIX | A_FROM | A_UNTIL | A_SET | A_TOKEN, 0},
        [V_LIST_RECORDS] = {"ListRecords", A_PREFIX | A_FROM | A_UNTIL | A_SET | A_TOKEN, 0},
        [V_GET_RECORD] = {"GetRecord", A_IDENTIFIER | A_PREFIX, A_IDENTIFIER | A_PREFIX},
};

static const char *const arg_names[] = {"identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"};

struct oai {
        const struct fd_http_request *req;
        struct fd_buf b;
        enum oai_verb verb;
        const char *args[6];       /* by bit position of A_* */
        bool bad_arg;              /* unknown, repeated or not UTF-8 */
        bool bad_verb;
        bool errored;              /* the buffer holds a whole error response */
        const char *verb_name;
        char now[32];
};

static const char *arg(const struct oai *o, unsigned bit) {
        return o->args[__builtin_ctz(bit)];
}

static bool utf8_valid(const char *s) {
        const unsigned char *p = (const unsigned char *)s;
        while (*p) {
                int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
                if (n < 0 || (n == 1 && *p < 0xc2))
                        return false;
                p++;
                for (int i = 0; i < n; i++, p++)
                        if ((*p & 0xc0) != 0x80)
                                return false;
        }
        return true;
}

/* Takes each query argument: verb, the six others, anything else is a
 * bad argument (as is a repeated one). */
static bool take_arg(void *userdata, const char *key, const char *value) {
        struct oai *o = userdata;

        if (!value || !utf8_valid(value) || !utf8_valid(key)) {
                o->bad_arg = true;
                return true;
        }
        if (strcmp(key, "verb") == 0) {
                if (o->verb_name)
                        o->bad_verb = true;
                o->verb_name = value;
                return true;
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(arg_names); i++)
                if (strcmp(key, arg_names[i]) == 0) {
                        if (o->args[i])
                                o->bad_arg = true;
                        o->args[i] = value;
                        return true;
                }
        o->bad_arg = true;
        return true;
}

/* ---- envelope ----------------------------------------------------------- */

static const char *base_url(const struct oai *o) {
        return o->req->config->http.base_url;
}

static enum fd_status head(struct oai *o, bool echo) {
        enum fd_status st = fd_buf_printf(&o->b,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
                "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n"
                "<responseDate>%s</responseDate>\n<request", o->now);
        if (!st && echo) {
                st = fd_buf_printf(&o->b, " verb=\"%s\"", verbs[o->verb].name);
                for (size_t i = 0; !st && i < FD_ELEMENTSOF(arg_names); i++)
                        if (o->args[i]) {
                                st = fd_buf_printf(&o->b, " %s=\"", arg_names[i]);
                                if (!st)
                                        st = fd_xml_text(&o->b, o->args[i]);
                                if (!st)
                                        st = fd_buf_append(&o->b, "\"", 1);
                        }
        }
        if (!st)
                st = fd_buf_append(&o->b, ">", 1);
        if (!st)
                st = fd_xml_text(&o->b, base_url(o));
        if (!st)
                st = fd_buf_printf(&o->b, "/oai</request>\n");
        return st;
}

/* A whole error response (code as the specification names it). */
static enum fd_status oai_error(struct oai *o, const char *code, const char *msg) {
        bool echo = strcmp(code, "badVerb") != 0 && strcmp(code, "badArgument") != 0;
        enum fd_status st;

        fd_buf_reset(&o->b);
        o->errored = true;
        st = head(o, echo);
        if (!st)
                st = fd_buf_printf(&o->b, "<error code=\"%s\">", code);
        if (!st)
                st = fd_xml_text(&o->b, msg);
        if (!st)
                st = fd_buf_printf(&o->b, "</error>\n</OAI-PMH>\n");
        return st;
}

/* ---- dates and tokens --------------------------------------------------- */

/* A from/until argument as a datestamp to the second ("day" tells which
 * form it had); false when it is neither form.  until of a day ends it. */
static bool parse_date(const char *s, bool until, char out[32], bool *ret_day) {
        if (!fd_protocol_datestamp(s, out))
                return false;
        *ret_day = strlen(s) == 10;
        if (*ret_day && until)
                memcpy(out + 11, "23:59:59Z", 10);
        return true;
}

/* A token: hex of "2\tprefix\tset\tfrom\tuntil\tcursor\tafter\tsize"
 * (version 1, without size, is still read). */
static char *token_make(const char *prefix, const char *set, const char *from, const char *until, size_t cursor,
                        const char *after, uint64_t size) {
        char *plain = NULL, *hex;
        if (asprintf(&plain, "2\t%s\t%s\t%s\t%s\t%zu\t%s\t%llu", prefix, set ? set : "", from ? from : "",
                     until ? until : "", cursor, after, (unsigned long long)size) < 0)
                return NULL;
        hex = fd_http_hex(plain);
        free(plain);
        return hex;
}

struct token {
        char *buf;
        const char *prefix, *set, *from, *until, *after;
        size_t cursor;
        uint64_t size;             /* the list's, counted at its first page; 0: count it */
};

static void token_release(struct token *t) {
        free(t->buf);
}

/* Reads token hex into t (t->buf holds its fields, also on failure). */
static bool token_parse(const char *hex, struct token *t) {
        char *fields[8];
        int n = 0;

        if (!*hex || !(t->buf = fd_http_unhex(hex, OAI_TOKEN_MAX)))
                return false;
        for (char *p = t->buf; p && n < 8; n++) {
                fields[n] = p;
                if ((p = strchr(p, '\t')))
                        *p++ = '\0';
        }
        enum fd_xml_format f;
        char *end, *size_end = NULL;
        int want = t->buf[0] == '1' ? 7 : 8;
        if (n != want || strcmp(fields[0], want == 7 ? "1" : "2") != 0 || !fd_xml_format_parse(fields[1], &f) ||
            !*fields[6])
                return false;
        t->prefix = fields[1];
        t->set = *fields[2] ? fields[2] : NULL;
        t->from = *fields[3] ? fields[3] : NULL;
        t->until = *fields[4] ? fields[4] : NULL;
        t->cursor = strtoul(fields[5], &end, 10);
        t->after = fields[6];
        if (want == 8)
                t->size = strtoull(fields[7], &size_end, 10);
        return !*end && (!size_end || (!*size_end && *fields[7])) && utf8_valid(fields[6]);
}

/* ---- verbs -------------------------------------------------------------- */

static enum fd_status reader(struct oai *o, struct fd_index **ret) {
        struct fd_error err = {0};
        return fd_protocol_reader(o->req->ctx, ret, &err);
}

static enum fd_status identify(struct oai *o) {
        const struct fd_http_config *h = &o->req->config->http;
        struct fd_change_request cr = {.limit = 1};
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        enum fd_status st;

        if (reader(o, &idx) == FD_OK)
                fd_index_changes(idx, &cr, &l, &err);
        st = fd_buf_printf(&o->b, "<Identify><repositoryName>");
        if (!st)
                st = fd_xml_text(&o->b, h->repository_name);
        if (!st)
                st = fd_buf_printf(&o->b, "</repositoryName><baseURL>");
        if (!st)
                st = fd_xml_text(&o->b, base_url(o));
        if (!st)
                st = fd_buf_printf(&o->b, "/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>");
        if (!st)
                st = fd_xml_text(&o->b, h->admin_email);
        if (!st)
                st = fd_buf_printf(&o->b, "</adminEmail><earliestDatestamp>%s</earliestDatestamp>"
                                          "<deletedRecord>persistent</deletedRecord>"
                                          "<granularity>" GRANULARITY "</granularity>"
                                          "<compression>gzip</compression></Identify>\n",
                                   l && l->n ? l->v[0].changed : "1970-01-01T00:00:00Z");
        return st;
}

static enum fd_status list_formats(struct oai *o) {
        const char *id = arg(o, A_IDENTIFIER);
        enum fd_status st = FD_OK;

        if (id) {
                _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
                struct fd_index *idx = NULL;
                struct fd_error err = {0};
                if (reader(o, &idx) != FD_OK || fd_index_change(idx, id, &l, &err) != FD_OK)
                        return oai_error(o, "idDoesNotExist", "no such record");
        }
        st = fd_buf_printf(&o->b, "<ListMetadataFormats>");
        for (int f = 0; !st && f < FD_XML_COUNT; f++)
                st = fd_buf_printf(&o->b, "<metadataFormat><metadataPrefix>%s</metadataPrefix><schema>%s</schema>"
                                          "<metadataNamespace>%s</metadataNamespace></metadataFormat>",
                                   fd_xml_format_prefix(f), fd_xml_format_schema(f), fd_xml_format_namespace(f));
        if (!st)
                st = fd_buf_printf(&o->b, "</ListMetadataFormats>\n");
        return st;
}

static enum fd_status set_entry(struct oai *o, const char *spec, const char *what, const char *name) {
        enum fd_status st = fd_buf_printf(&o->b, "<set><setSpec>");
        if (!st)
                st = fd_xml_text(&o->b, spec);
        if (!st)
                st = fd_buf_printf(&o->b, "</setSpec><setName>%s", what);
        if (!st)
                st = fd_xml_text(&o->b, name);
        if (!st)
                st = fd_buf_printf(&o->b, "</setName></set>");
        return st;
}

static enum fd_status list_sets(struct oai *o) {
        static const char *const bands[] = {"0-25", "25-50", "50-75", "75-100"};
        const struct fd_config *cfg = o->req->config;
        enum fd_search_field type = FD_FIELD_TYPE;
        struct fd_search_request sr = {.limit = 0, .facets = &type, .n_facets = 1,
                                       .facet_limit = FD_INDEX_MAX_FACET_LIMIT};
        _fd_cleanup_(fd_search_result_freep) struct fd_search_result *res = NULL;
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        char spec[128];
        enum fd_status st;

        if (arg(o, A_TOKEN))
                return oai_error(o, "badResumptionToken", "ListSets answers in one response");
        st = fd_buf_printf(&o->b, "<ListSets>");
        for (size_t i = 0; !st && i < cfg->n_sources; i++) {
                snprintf(spec, sizeof spec, "source:%s", cfg->sources[i].name);
                st = set_entry(o, spec, "Records harvested from ", cfg->sources[i].name);
        }
        sr.limit = 1;
        if (!st && reader(o, &idx) == FD_OK && fd_index_search(idx, &sr, &res, &err) == FD_OK && res->n_facets)
                for (size_t i = 0; !st && i < res->facets[0].n; i++) {
                        const char *t = res->facets[0].v[i].value;
                        if (strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(t) ||
                            strlen(t) > 100)
                                continue;
                        snprintf(spec, sizeof spec, "type:%s", t);
                        st = set_entry(o, spec, "Records of resource type ", t);
                }
        for (size_t i = 0; !st && i < FD_ELEMENTSOF(bands); i++) {
                snprintf(spec, sizeof spec, "fair:%s", bands[i]);
                st = set_entry(o, spec, "Records with an overall FAIR score in ", bands[i]);
        }
        if (!st)
                st = fd_buf_printf(&o->b, "</ListSets>\n");
        return st;
}

static enum fd_status header(struct oai *o, const struct fd_change *c) {
        enum fd_status st = fd_buf_printf(&o->b, "<header%s><identifier>", c->deleted ? " status=\"deleted\"" : "");
        if (!st)
                st = fd_xml_text(&o->b, c->id);
        if (!st)
                st = fd_buf_printf(&o->b, "</identifier><datestamp>%s</datestamp>", c->changed);
        for (const char *p = c->sets; !st && p && *p;) {
                size_t n = strcspn(p, " ");
                st = fd_buf_printf(&o->b, "<setSpec>%.*s</setSpec>", (int)n, p);
                p += n;
                p += *p == ' ';
        }
        if (!st)
                st = fd_buf_printf(&o->b, "</header>");
        return st;
}

static enum fd_status record(struct oai *o, const struct fd_change *c, enum fd_xml_format f,
                             struct fd_arena *arena) {
        enum fd_status st = fd_buf_printf(&o->b, "<record>");

        if (!st)
                st = header(o, c);
        if (!st && !c->deleted && c->payload) {
                st = fd_buf_printf(&o->b, "<metadata>");
                if (!st)
                        st = fd_buf_append(&o->b, c->payload, strlen(c->payload));
                if (!st)
                        st = fd_buf_printf(&o->b, "</metadata>");
        } else if (!st && !c->deleted && c->record_json) {
                struct fd_record *r = NULL;
                struct fd_error err = {0};
                fd_arena_reset(arena);
                st = fd_record_from_json_text(c->record_json, strlen(c->record_json), arena, &r, &err);
                if (!st)
                        st = fd_buf_printf(&o->b, "<metadata>");
                if (!st)
                        st = fd_record_export_xml(r, f, &o->b);
                if (!st)
                        st = fd_buf_printf(&o->b, "</metadata>");
        }
        if (!st)
                st = fd_buf_printf(&o->b, "</record>\n");
        return st;
}

static enum fd_status get_record(struct oai *o) {
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        _fd_cleanup_(fd_arena_freep) struct fd_arena *arena = fd_arena_new(64u << 20);
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        enum fd_xml_format f;
        enum fd_status st;

        if (!arena)
                return FD_E_NOMEM;
        if (!fd_xml_format_parse(arg(o, A_PREFIX), &f))
                return oai_error(o, "cannotDisseminateFormat", "metadataPrefix is none of oai_dc, oai_datacite, "
                                                               "oai_openaire");
        if (reader(o, &idx) != FD_OK || fd_index_change(idx, arg(o, A_IDENTIFIER), &l, &err) != FD_OK)
                return oai_error(o, "idDoesNotExist", "no such record");
        st = fd_buf_printf(&o->b, "<GetRecord>");
        if (!st)
                st = record(o, &l->v[0], f, arena);
        if (!st)
                st = fd_buf_printf(&o->b, "</GetRecord>\n");
        return st;
}

static enum fd_status list(struct oai *o, bool records) {
        const char *tok = arg(o, A_TOKEN);
        _fd_cleanup_(token_release) struct token t = {0};
        char from[32], until[32];
        enum fd_xml_format f;
        enum fd_status st;

        if (tok) {
                if (arg(o, A_PREFIX) || arg(o, A_FROM) || arg(o, A_UNTIL) || arg(o, A_SET))
                        return oai_error(o, "badArgument", "resumptionToken is an exclusive argument");
                if (!token_parse(tok, &t))
                        return oai_error(o, "badResumptionToken", "the resumptionToken is not one of this repository");
        } else {
                bool day_from = false, day_until = false;
                if (!arg(o, A_PREFIX))
                        return oai_error(o, "badArgument", "metadataPrefix is required");
                t.prefix = arg(o, A_PREFIX);
                t.set = arg(o, A_SET);
                if (arg(o, A_FROM) && !parse_date(arg(o, A_FROM), false, from, &day_from))
                        return oai_error(o, "badArgument", "from is not a date of granularity " GRANULARITY);
                if (arg(o, A_UNTIL) && !parse_date(arg(o, A_UNTIL), true, until, &day_until))
                        return oai_error(o, "badArgument", "until is not a date of granularity " GRANULARITY);
                if (arg(o, A_FROM) && arg(o, A_UNTIL) && day_from != day_until)
                        return oai_error(o, "badArgument", "from and until have different granularities");
                t.from = arg(o, A_FROM) ? from : NULL;
                t.until = arg(o, A_UNTIL) ? until : NULL;
                if (t.from && t.until && strcmp(t.from, t.until) > 0)
                        return oai_error(o, "badArgument", "from is later than until");
        }
        if (!fd_xml_format_parse(t.prefix, &f))
                return oai_error(o, "cannotDisseminateFormat", "metadataPrefix is none of oai_dc, oai_datacite, "
                                                               "oai_openaire");

        struct fd_change_request cr = {.after = t.after, .from = t.from, .until = t.until, .set = t.set,
                                       .limit = OAI_PAGE, .total = !t.size,
                                       .payload = records ? 1 + (int)f : 0};
        _fd_cleanup_(fd_change_list_freep) struct fd_change_list *l = NULL;
        _fd_cleanup_(fd_arena_freep) struct fd_arena *arena = fd_arena_new(64u << 20);
        struct fd_index *idx = NULL;
        struct fd_error err = {0};
        st = arena ? reader(o, &idx) : FD_E_NOMEM;
        if (st == FD_E_NOTFOUND)
                return oai_error(o, "noRecordsMatch", "the index is empty");
        if (!st)
                st = fd_index_changes(idx, &cr, &l, &err);
        if (st == FD_E_INVALID)
                return oai_error(o, "noRecordsMatch", "no such set");
        if (st)
                return st;
        if (l->n == 0)
                return oai_error(o, tok ? "badResumptionToken" : "noRecordsMatch",
                                 tok ? "the list this token continues has ended" : "no record matches");
        st = fd_buf_printf(&o->b, "<%s>\n", verbs[o->verb].name);
        for (size_t i = 0; !st && i < l->n; i++)
                st = records ? record(o, &l->v[i], f, arena) : header(o, &l->v[i]);
        if (!st && (l->next || tok)) {
                uint64_t size = t.size ? t.size : l->total + t.cursor;
                if (size < t.cursor + l->n + (l->next != NULL))
                        size = t.cursor + l->n + (l->next != NULL);  /* the list grew since its first page */
                _fd_free_ char *next = l->next ? token_make(t.prefix, t.set, t.from, t.until, t.cursor + l->n,
                                                            l->next, size)
                                               : NULL;
                char exp[32];
                fd_time_iso(fd_time_now() + 86400, exp, sizeof exp);
                if (l->next && !next)
                        st = FD_E_NOMEM;
                else if (next)
                        st = fd_buf_printf(&o->b, "<resumptionToken completeListSize=\"%llu\" cursor=\"%zu\" "
                                                  "expirationDate=\"%s\">%s</resumptionToken>\n",
                                           (unsigned long long)size, t.cursor, exp, next);
                else
                        st = fd_buf_printf(&o->b, "<resumptionToken completeListSize=\"%llu\" cursor=\"%zu\"/>\n",
                                           (unsigned long long)size, t.cursor);
        }
        if (!st)
                st = fd_buf_printf(&o->b, "</%s>\n", verbs[o->verb].name);
        return st;
}

/* ---- entry -------------------------------------------------------------- */

enum fd_status fd_http_oai(const struct fd_http_request *req, struct fd_http_answer *a) {
        struct oai o = {.req = req};
        enum fd_status st;

        fd_buf_init(&o.b, OAI_MAX_BODY);
        fd_time_iso(fd_time_now(), o.now, sizeof o.now);
        fd_http_args_each(req, take_arg, &o);
        o.verb = V_COUNT;
        for (int v = 0; o.verb_name && v < V_COUNT; v++)
                if (strcmp(o.verb_name, verbs[v].name) == 0)
                        o.verb = (enum oai_verb)v;
        if (o.bad_verb || o.verb == V_COUNT) {
                st = oai_error(&o, "badVerb", o.bad_verb ? "the verb is repeated" : "no such verb");
                goto done;
        }
        unsigned present = 0;
        for (size_t i = 0; i < FD_ELEMENTSOF(arg_names); i++)
                if (o.args[i])
                        present |= 1u << i;
        if (o.bad_arg || (present & ~verbs[o.verb].allowed) ||
            (present & verbs[o.verb].required) != verbs[o.verb].required) {
                st = oai_error(&o, "badArgument", "illegal, missing or repeated arguments");
                goto done;
        }
        st = head(&o, true);
        if (st)
                goto done;
        switch (o.verb) {
        case V_IDENTIFY:
                st = identify(&o);
                break;
        case V_LIST_FORMATS:
                st = list_formats(&o);
                break;
        case V_LIST_SETS:
                st = list_sets(&o);
                break;
        case V_LIST_IDS:
        case V_LIST_RECORDS:
                st = list(&o, o.verb == V_LIST_RECORDS);
                break;
        case V_GET_RECORD:
                st = get_record(&o);
                break;
        default:
                break;
        }
        if (!st && !o.errored)
                st = fd_buf_printf(&o.b, "</OAI-PMH>\n");
done:
        if (st) {
                fd_buf_release(&o.b);
                return st;
        }
        a->status = 200;
        a->content_type = "text/xml; charset=utf-8";
        a->body = o.b.data;
        a->len = o.b.len;
        return FD_OK;
}
