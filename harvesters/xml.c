/* xml.c: the OAI-PMH stream parser.
 *
 * A libxml2 SAX2 push parser, fed chunk by chunk as the body arrives, so a
 * response of any size costs one record's worth of memory and never a DOM.
 * The envelope (OAI-PMH, a Static Repository, or a bare harvested <record>)
 * is recognized by namespace URI and local name, never by prefix.  Only
 * inside <metadata> is a tree built, in a scratch arena reset at every
 * record and bounded in text and nodes; at </record> the mapper chosen by
 * the metadata root element fills a struct fd_record in the page's arena.
 *
 * Text is gathered in one buffer used as a stack: an open element's text
 * starts at the offset where it opened and is cut off when it closes, so
 * mixed content costs no quadratic copies.
 *
 * Safety: XML_PARSE_NONET and neither NOENT nor DTDLOAD nor HUGE, so
 * libxml2 keeps its entity-amplification checks; entity lookups hide
 * external entities (a reference to one is "not defined"), resolveEntity
 * and externalSubset load nothing, and comments and processing
 * instructions are dropped rather than kept in the parser's document.
 * Parser messages go nowhere (a silent structured handler): we read the
 * last error from the context instead, since lower modules never print.
 */
#include <pthread.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "harvesters-private.h"

/* Scratch arena per parser: a record's text and its nodes, with room. */
#define SCRATCH_CAP ((size_t)FD_RECORD_MAX_TEXT * 3 + (size_t)FD_RECORD_MAX_NODES * 256)
/* Bytes of the body start kept to quote a body that is not XML. */
#define HEAD_KEEP 96

enum root_kind { ROOT_NONE, ROOT_OAI, ROOT_STATIC, ROOT_RECORD };

/* How the repair filter reads the body. */
enum encoding { ENC_UTF8, ENC_LATIN1, ENC_PASS };
enum repair_kind { REPAIR_UTF8, REPAIR_CHAR, REPAIR_REF, REPAIR_NONE };

struct repair {
        enum repair_kind kind;
        size_t raw_off;  /* in the body as received */
        size_t out_off;  /* in the bytes libxml2 reads */
};

/* Raw bytes filtered at a time: the repair buffer stays within 3 times this. */
#define FILTER_SLICE ((size_t)64 << 10)
#define CARRY_MAX 16

enum capture {
        CAP_NONE,
        CAP_RESPONSE_DATE,
        CAP_ERROR,
        CAP_TOKEN,
        CAP_IDENTIFIER,
        CAP_DATESTAMP,
        CAP_SETSPEC,
        CAP_FIELD,
};

/* Elements of Identify, ListMetadataFormats and ListSets handed to opts.field. */
static const char *const field_names[] = {
        "granularity", "deletedRecord", "earliestDatestamp", "compression", "metadataPrefix", "setSpec",
        "metadataNamespace", "schema",
};

#define MAX_FORMATS 32

/* A tree node while it is built: the public node, then what building needs. */
struct bnode {
        struct fd_xnode n;
        struct fd_xnode *last;  /* last child, for appending */
        size_t text_off;        /* where its text starts in the text buffer */
        bool has_text;          /* something other than white space came */
};

struct fd_oai_parser {
        struct fd_oai_parser_opts o;
        xmlParserCtxtPtr ctxt;
        struct fd_page *page;
        struct fd_arena *scratch;
        struct fd_buf text;
        struct fd_buf raw;     /* a record's metadata written back (raw.c) */
        const char *skip_format;  /* the record's format, once known, for count_skip */

        char head[HEAD_KEEP];  /* the body's first bytes */
        size_t n_head, n_fed;
        bool head_done;

        /* the repair filter */
        enum encoding enc;
        char declared[32];        /* the encoding declaration's value */
        bool told_decl;
        unsigned char carry[CARRY_MAX];
        size_t n_carry;
        unsigned char wbuf[CARRY_MAX + FILTER_SLICE];
        struct fd_buf fbuf;       /* a slice with its repairs */
        size_t raw_done;          /* raw bytes through the filter */
        size_t out_pos;           /* bytes handed to libxml2 */
        struct repair rq[32];     /* repairs not reported yet */
        size_t n_rq, rq_dropped, n_repairs;
        size_t rec_off;           /* where the record in hand started (libxml2's offset) */

        enum fd_status status;  /* first failure; sticky */
        struct fd_error err;
        /* libxml2's first fatal error: it may go on and overwrite its last error */
        bool have_xerr;
        int xerr_line, xerr_col;
        char xerr_msg[256];

        int depth;
        enum root_kind root;
        bool oai_no_ns;  /* an OAI-PMH root in no namespace: its elements too */
        bool list_ok;    /* records here are ours (a Static Repository list of our prefix) */
        int list_depth;

        enum capture cap;
        int cap_depth;

        /* the record in hand */
        bool in_record;
        struct fd_record *rec;  /* NULL when the page arena was full */
        int rec_depth;
        long rec_line;
        bool in_header;
        int header_depth;
        bool header_only;  /* a ListIdentifiers header, no record around it */
        const char *field;  /* CAP_FIELD: the element's name */

        /* a Static Repository's formats, to choose its list when no prefix was given */
        char formats[MAX_FORMATS][64];
        size_t n_formats;
        char chosen[64];
        bool deleted;
        const char *identifier, *datestamp;  /* in scratch */
        bool in_metadata;
        int metadata_depth;
        struct fd_xnode *md_root;
        struct bnode *md_wrap;  /* the made-up root around several elements, or NULL */
        struct bnode *cur;
        size_t n_nodes, n_text;
        bool oversized;

        /* reasons that repeat for every record: reported once per page */
        bool told_format, told_full;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void) { xmlInitParser(); }

/* ---- helpers --------------------------------------------------------------- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static bool all_space(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!is_space(s[i]))
                        return false;
        return true;
}

static bool str_eq(const xmlChar *a, const char *b) { return a && strcmp((const char *)a, b) == 0; }

static void fail(struct fd_oai_parser *p, enum fd_status st, const char *fmt, ...) _fd_printf_(3, 4);

static void fail(struct fd_oai_parser *p, enum fd_status st, const char *fmt, ...) {
        va_list ap;

        if (p->status)
                return;
        va_start(ap, fmt);
        vsnprintf(p->err.msg, sizeof p->err.msg, fmt, ap);
        va_end(ap);
        p->err.status = st;
        p->status = st;
        if (p->ctxt)
                xmlStopParser(p->ctxt);
}

static void warnf(struct fd_oai_parser *p, const char *fmt, ...) _fd_printf_(2, 3);

static void warnf(struct fd_oai_parser *p, const char *fmt, ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        if (!p->o.warn)
                return;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        p->o.warn(p->o.ud, msg);
}

static size_t parse_pos(const struct fd_oai_parser *p);
static void report_repairs(struct fd_oai_parser *p, size_t upto, size_t from, const char *id);

/* Copies s trimmed of surrounding white space (inner white space kept). */
static char *trim_in(struct fd_arena *a, const char *s, size_t n) {
        while (n && is_space(*s)) {
                s++;
                n--;
        }
        while (n && is_space(s[n - 1]))
                n--;
        return fd_arena_strndup(a, s, n);
}

/* An attribute value as libxml2 hands it over without entity substitution:
 * a literal '&' arrives as "&#38;", which we turn back. */
static char *attr_value_in(struct fd_arena *a, const xmlChar *v, const xmlChar *end) {
        size_t n = (size_t)(end - v);
        const char *s = (const char *)v;

        if (!memchr(s, '&', n))
                return fd_arena_strndup(a, s, n);
        char *out = fd_arena_alloc(a, n + 1);
        if (!out)
                return NULL;
        size_t j = 0;
        for (size_t i = 0; i < n;) {
                if (n - i >= 5 && memcmp(s + i, "&#38;", 5) == 0) {
                        out[j++] = '&';
                        i += 5;
                } else
                        out[j++] = s[i++];
        }
        out[j] = '\0';
        return out;
}

/* Finds attribute {ns}name among libxml2's (local, prefix, URI, value, end) tuples. */
static const xmlChar **find_attr(int nb, const xmlChar **attrs, const char *ns, const char *name) {
        for (int i = 0; i < nb; i++) {
                const xmlChar **at = attrs + 5 * i;
                if (!str_eq(at[0], name))
                        continue;
                if (ns ? str_eq(at[2], ns) : at[2] == NULL)
                        return at;
        }
        return NULL;
}

static bool is_oai(const struct fd_oai_parser *p, const xmlChar *uri, const xmlChar *local, const char *name) {
        if (!str_eq(local, name))
                return false;
        if (uri)
                return str_eq(uri, FD_NS_OAI);
        return p->oai_no_ns;
}

/* ---- the metadata tree ---------------------------------------------------- */

const char *fd_xnode_attr(const struct fd_xnode *n, const char *ns, const char *name) {
        for (size_t i = 0; n && i < n->n_attrs; i++) {
                const struct fd_xattr *at = &n->attrs[i];
                if (strcmp(at->name, name) != 0)
                        continue;
                if (ns ? (at->ns && strcmp(at->ns, ns) == 0) : at->ns == NULL)
                        return at->value;
        }
        return NULL;
}

const char *fd_xnode_lang(const struct fd_xnode *n) {
        for (; n; n = n->parent) {
                const char *l = fd_xnode_attr(n, FD_NS_XML, "lang");
                if (l)
                        return l;
        }
        return NULL;
}

static void oversize(struct fd_oai_parser *p) {
        p->oversized = true;
        p->cur = NULL;
}

static void tree_start(struct fd_oai_parser *p, const xmlChar *local, const xmlChar *uri, int nb_attrs,
                       const xmlChar **attrs) {
        struct bnode *parent = p->cur;

        if (p->oversized)
                return;
        if (!parent && p->md_root && !p->md_wrap) {
                /* a second element inside <metadata>: Dublin Core with no
                 * wrapper element.  The elements go under one made up, so
                 * that the mapper sees them all. */
                struct bnode *w = fd_arena_alloc(p->scratch, sizeof *w);
                if (!w)
                        return oversize(p);
                memset(w, 0, sizeof *w);
                w->n.name = "metadata";
                w->n.ns = FD_NS_OAI;
                w->n.child = p->md_root;
                w->last = p->md_root;
                w->text_off = p->text.len;
                p->md_root->parent = &w->n;
                p->md_root = &w->n;
                p->md_wrap = w;
        }
        if (!parent && p->md_wrap)
                parent = p->md_wrap;
        if (++p->n_nodes > FD_RECORD_MAX_NODES)
                return oversize(p);
        if (parent && !parent->has_text)
                p->text.len = parent->text_off;  /* drop white space between elements */

        struct bnode *b = fd_arena_alloc(p->scratch, sizeof *b);
        if (!b)
                return oversize(p);
        b->n.name = (const char *)local;
        b->n.ns = (const char *)uri;
        if (nb_attrs > 0) {
                b->n.attrs = fd_arena_alloc(p->scratch, (size_t)nb_attrs * sizeof *b->n.attrs);
                if (!b->n.attrs)
                        return oversize(p);
                for (int i = 0; i < nb_attrs; i++) {
                        const xmlChar **at = attrs + 5 * i;
                        struct fd_xattr *x = &b->n.attrs[b->n.n_attrs];
                        p->n_text += (size_t)(at[4] - at[3]);
                        if (p->n_text > FD_RECORD_MAX_TEXT)
                                return oversize(p);
                        x->name = (const char *)at[0];
                        x->ns = (const char *)at[2];
                        x->value = attr_value_in(p->scratch, at[3], at[4]);
                        if (!x->value)
                                return oversize(p);
                        b->n.n_attrs++;
                }
        }
        b->text_off = p->text.len;
        if (parent) {
                b->n.parent = &parent->n;
                if (parent->last)
                        parent->last->next = &b->n;
                else
                        parent->n.child = &b->n;
                parent->last = &b->n;
        } else
                p->md_root = &b->n;
        p->cur = b;
}

static void tree_end(struct fd_oai_parser *p) {
        struct bnode *b = p->cur;

        if (p->oversized || !b)
                return;
        if (b->has_text) {
                b->n.text = fd_arena_strndup(p->scratch, p->text.data + b->text_off, p->text.len - b->text_off);
                if (!b->n.text)
                        return oversize(p);
        }
        p->text.len = b->text_off;
        p->cur = (struct bnode *)b->n.parent;
}

static void tree_text(struct fd_oai_parser *p, const char *s, size_t n) {
        struct bnode *b = p->cur;

        if (p->oversized || !b)
                return;
        p->n_text += n;
        if (p->n_text > FD_RECORD_MAX_TEXT || fd_buf_append(&p->text, s, n) != FD_OK)
                return oversize(p);
        if (!b->has_text && !all_space(s, n))
                b->has_text = true;
}

/* ---- records ---------------------------------------------------------------- */

static void record_start(struct fd_oai_parser *p) {
        if (p->o.cut && p->o.cut_records && p->page->records.n >= p->o.cut_records) {
                struct fd_error e = {0};
                enum fd_status st = p->o.cut(p->o.ud, p, &e);
                if (st)
                        return fail(p, st, "%s", e.msg);
        }
        fd_arena_reset(p->scratch);
        fd_buf_reset(&p->text);
        p->in_record = true;
        p->rec = fd_record_new_in(p->page->arena);
        p->rec_depth = p->depth;
        p->rec_line = xmlSAX2GetLineNumber(p->ctxt);
        p->rec_off = parse_pos(p);
        p->in_header = p->in_metadata = p->deleted = p->oversized = p->header_only = false;
        p->identifier = p->datestamp = NULL;
        p->skip_format = NULL;
        p->md_root = NULL;
        p->md_wrap = NULL;
        p->cur = NULL;
        p->n_nodes = p->n_text = 0;
}

static void skip_record(struct fd_oai_parser *p, const char *id, const char *fmt, ...) _fd_printf_(3, 4);

/* Counts a skipped record, by the format it was in (p->skip_format). */
static void count_skip(struct fd_oai_parser *p) {
        struct fd_page *page = p->page;
        const char *format = p->skip_format ? p->skip_format : p->o.prefix ? p->o.prefix : "unknown";

        page->n_skipped++;
        for (size_t i = 0; i < page->skipped_formats.n; i++)
                if (strcmp(page->skipped_formats.v[i].format, format) == 0) {
                        page->skipped_formats.v[i].n++;
                        return;
                }
        const char *copy = fd_arena_strdup(page->arena, format);
        struct fd_format_skip *k = copy ? FD_PUSH(page->arena, page->skipped_formats) : NULL;
        if (k)
                *k = (struct fd_format_skip){copy, 1};
}

static void skip_record(struct fd_oai_parser *p, const char *id, const char *fmt, ...) {
        char why[FD_ERROR_MAX], snip[160];
        va_list ap;

        count_skip(p);
        va_start(ap, fmt);
        vsnprintf(why, sizeof why, fmt, ap);
        va_end(ap);
        if (id)
                warnf(p, "record '%s' skipped: %s", fd_snippet(id, strlen(id), snip, sizeof snip), why);
        else
                warnf(p, "record at line %ld skipped: %s", p->rec_line, why);
}

static bool add_set(struct fd_record *r, struct fd_arena *a, const char *spec) {
        for (size_t i = 0; i < r->sets.n; i++)
                if (strcmp(r->sets.v[i], spec) == 0)
                        return true;
        const char **slot = FD_PUSH(a, r->sets);
        if (!slot)
                return false;
        *slot = spec;
        return true;
}

/* The first record on a page skipped for a reason that will repeat is
 * reported, the following ones only counted. */
static void skip_once(struct fd_oai_parser *p, const char *id, bool *told, const char *why) {
        if (*told) {
                count_skip(p);
                return;
        }
        *told = true;
        skip_record(p, id, "%s (further records skipped for this reason on the page are only counted)", why);
}

static void skip_full(struct fd_oai_parser *p, const char *id) {
        skip_once(p, id, &p->told_full, "the page arena is full");
}

static void record_end(struct fd_oai_parser *p) {
        struct fd_arena *a = p->page->arena;
        struct fd_record *r = p->rec;
        const char *id = p->identifier;
        char ds[64] = "";

        p->in_record = false;
        if (p->n_rq)
                report_repairs(p, parse_pos(p), p->rec_off, id);
        if (!id)
                return skip_record(p, NULL, "its header has no identifier");
        if (!r)
                return skip_full(p, id);
        if (p->oversized)
                return skip_record(p, id, "its metadata exceeds %u bytes of text or %u elements",
                                   FD_RECORD_MAX_TEXT, FD_RECORD_MAX_NODES);

        r->local_id = fd_arena_strdup(a, id);
        r->id = fd_arena_printf(a, "%s:%s", p->o.source, id);
        r->source = p->page->source;
        r->deleted = p->deleted;
        if (p->datestamp && fd_date_normalize(p->datestamp, ds, sizeof ds) != FD_DATE_NONE)
                r->datestamp = fd_arena_strdup(a, ds);
        if (!r->local_id || !r->id || (p->datestamp && ds[0] && !r->datestamp))
                return skip_full(p, id);

        if (p->deleted || p->header_only) {
                r->format = p->o.prefix;
        } else {
                if (!p->md_root)
                        return skip_record(p, id, "it has no metadata");
                const struct fd_mapper *m = fd_mapper_detect(p->md_root);
                if (!m) {
                        char why[FD_ERROR_MAX / 2];
                        snprintf(why, sizeof why, "metadata format {%s}%s is not supported",
                                 p->md_root->ns ? p->md_root->ns : "", p->md_root->name);
                        p->skip_format = fd_arena_printf(p->scratch, "{%s}%s", p->md_root->ns ? p->md_root->ns : "",
                                                         p->md_root->name);
                        return skip_once(p, id, &p->told_format, why);
                }
                struct fd_error e = {0};
                r->format = fd_mapper_format(m, p->o.prefix);
                p->skip_format = r->format;
                if (fd_mapper_map(m, r, a, p->scratch, p->md_root, &e) != FD_OK)
                        return e.status == FD_E_LIMIT ? skip_full(p, id) : skip_record(p, id, "%s", e.msg);
                if (fd_mapper_header_pid(r, a, id) != FD_OK)
                        return skip_full(p, id);
                r->mapper_version = fd_mapper_version(m);
                enum fd_status st = p->md_wrap ? fd_raw_keep(r, a, &p->md_wrap->n, true, &p->raw)
                                               : fd_raw_keep(r, a, p->md_root, false, &p->raw);
                if (st)
                        return skip_full(p, id);
        }
        struct fd_record **slot = FD_PUSH(a, p->page->records);
        if (!slot)
                return skip_full(p, id);
        *slot = r;
}

/* ---- captured OAI-PMH elements -------------------------------------------- */

static void capture_start(struct fd_oai_parser *p, enum capture c) {
        p->cap = c;
        p->cap_depth = p->depth;
        fd_buf_reset(&p->text);
}

static void capture_end(struct fd_oai_parser *p) {
        struct fd_arena *pa = p->page->arena;
        const char *s = p->text.data ? p->text.data : "";
        size_t n = p->text.len;
        char *v;

        switch (p->cap) {
        case CAP_RESPONSE_DATE:
                if (!p->page->response_date && !(p->page->response_date = trim_in(pa, s, n)))
                        fail(p, FD_E_LIMIT, "page arena full while parsing '%s'", p->o.where);
                break;
        case CAP_ERROR:
                if (!p->page->error_message && !(p->page->error_message = fd_text_clean_in(pa, s)) &&
                    !all_space(s, n))
                        fail(p, FD_E_LIMIT, "page arena full while parsing '%s'", p->o.where);
                break;
        case CAP_TOKEN:
                if (!(v = trim_in(pa, s, n)))
                        fail(p, FD_E_LIMIT, "page arena full while parsing '%s'", p->o.where);
                else
                        p->page->token = v[0] ? v : NULL;
                break;
        case CAP_IDENTIFIER:
                if (p->in_record && !p->identifier && (v = trim_in(p->scratch, s, n)) && v[0])
                        p->identifier = v;
                break;
        case CAP_DATESTAMP:
                if (p->in_record && !p->datestamp)
                        p->datestamp = trim_in(p->scratch, s, n);
                break;
        case CAP_SETSPEC:
                if (p->in_record && p->rec && (v = trim_in(pa, s, n)) && v[0] && !add_set(p->rec, pa, v))
                        p->rec = NULL;
                break;
        case CAP_FIELD:
                if ((v = trim_in(p->scratch, s, n)) && v[0]) {
                        if (p->root == ROOT_STATIC && strcmp(p->field, "metadataPrefix") == 0 &&
                            p->n_formats < MAX_FORMATS && strlen(v) < sizeof p->formats[0])
                                memcpy(p->formats[p->n_formats++], v, strlen(v) + 1);
                        if (p->o.field)
                                p->o.field(p->o.ud, p->field, v);
                }
                break;
        case CAP_NONE:
                break;
        }
        p->cap = CAP_NONE;
        fd_buf_reset(&p->text);
}

/* ---- SAX callbacks ---------------------------------------------------------- */

/* A Static Repository names its formats before its lists: without a
 * configured prefix the first of the preference order it offers (and that
 * we map) is the list we read. */
static void choose_static_prefix(struct fd_oai_parser *p) {
        const char *pick = p->o.prefix;

        if (!p->o.prefix_fixed) {
                for (size_t i = 0; i < p->o.n_prefs && pick == p->o.prefix; i++)
                        for (size_t j = 0; j < p->n_formats; j++)
                                if (strcmp(p->o.prefs[i], p->formats[j]) == 0 &&
                                    fd_mapper_by_prefix(p->formats[j])) {
                                        pick = p->o.prefs[i];
                                        break;
                                }
        }
        snprintf(p->chosen, sizeof p->chosen, "%s", pick);
}

static void on_root(struct fd_oai_parser *p, const xmlChar *local, const xmlChar *uri) {
        if (str_eq(local, "OAI-PMH") && (!uri || str_eq(uri, FD_NS_OAI))) {
                p->root = ROOT_OAI;
                p->oai_no_ns = uri == NULL;
                p->list_ok = true;
        } else if (str_eq(local, "Repository") && str_eq(uri, FD_NS_STATIC)) {
                p->root = ROOT_STATIC;
        } else if (str_eq(local, "record") && (!uri || str_eq(uri, FD_NS_OAI))) {
                /* a harvested record saved alone, in no namespace too (OKHub, CONTENTdm) */
                p->root = ROOT_RECORD;
                p->oai_no_ns = uri == NULL;
                p->list_ok = true;
                record_start(p);
        } else {
                char snip[160];
                fd_snippet((const char *)local, strlen((const char *)local), snip, sizeof snip);
                fail(p, FD_E_PROTOCOL, "'%s' is not an OAI-PMH response (root element '%s')", p->o.where, snip);
        }
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
                      const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs) {
        struct fd_oai_parser *p = ((xmlParserCtxtPtr)ctx)->_private;

        p->depth++;
        if (p->status)
                return;
        if (p->depth == 1)
                return on_root(p, local, uri);
        if (p->in_metadata)
                return tree_start(p, local, uri, nb_attrs, attrs);
        if (p->cap != CAP_NONE)
                return;  /* markup inside a captured element: its text still counts */

        if (p->in_record) {
                if (p->depth == p->rec_depth + 1 && !p->header_only) {
                        if (is_oai(p, uri, local, "header")) {
                                const xmlChar **st = find_attr(nb_attrs, attrs, NULL, "status");
                                p->in_header = true;
                                p->header_depth = p->depth;
                                p->deleted = st && (size_t)(st[4] - st[3]) == 7 &&
                                             memcmp(st[3], "deleted", 7) == 0;
                        } else if (is_oai(p, uri, local, "metadata")) {
                                p->in_metadata = true;
                                p->metadata_depth = p->depth;
                                fd_buf_reset(&p->text);
                        } else if (!p->md_root && (uri ? !str_eq(uri, FD_NS_OAI) : !p->oai_no_ns)) {
                                /* metadata with no <metadata> around it (a CONTENTdm
                                 * record as DPLA keeps it): the record holds it */
                                p->in_metadata = true;
                                p->metadata_depth = p->rec_depth;
                                fd_buf_reset(&p->text);
                                return tree_start(p, local, uri, nb_attrs, attrs);
                        }
                } else if (p->in_header && p->depth == p->header_depth + 1) {
                        if (is_oai(p, uri, local, "identifier"))
                                capture_start(p, CAP_IDENTIFIER);
                        else if (is_oai(p, uri, local, "datestamp"))
                                capture_start(p, CAP_DATESTAMP);
                        else if (is_oai(p, uri, local, "setSpec"))
                                capture_start(p, CAP_SETSPEC);
                }
                return;
        }

        if (p->list_ok && is_oai(p, uri, local, "record"))
                return record_start(p);
        if (p->list_ok && is_oai(p, uri, local, "header")) {
                /* ListIdentifiers: a header is the whole record */
                const xmlChar **st = find_attr(nb_attrs, attrs, NULL, "status");
                record_start(p);
                if (p->status)
                        return;
                p->header_only = true;
                p->in_header = true;
                p->header_depth = p->depth;
                p->deleted = st && (size_t)(st[4] - st[3]) == 7 && memcmp(st[3], "deleted", 7) == 0;
                return;
        }
        if (p->root != ROOT_NONE && (uri ? str_eq(uri, FD_NS_OAI) : p->oai_no_ns)) {
                for (size_t i = 0; i < FD_ELEMENTSOF(field_names); i++)
                        if (str_eq(local, field_names[i])) {
                                p->field = field_names[i];
                                return capture_start(p, CAP_FIELD);
                        }
        }
        if (p->root == ROOT_OAI && p->depth == 2) {
                if (is_oai(p, uri, local, "responseDate"))
                        return capture_start(p, CAP_RESPONSE_DATE);
                if (is_oai(p, uri, local, "error")) {
                        const xmlChar **c = find_attr(nb_attrs, attrs, NULL, "code");
                        if (c && !p->page->error_code) {
                                p->page->error_code = attr_value_in(p->page->arena, c[3], c[4]);
                                if (!p->page->error_code)
                                        return fail(p, FD_E_LIMIT, "page arena full while parsing '%s'", p->o.where);
                        }
                        return capture_start(p, CAP_ERROR);
                }
        }
        if (p->list_ok && is_oai(p, uri, local, "resumptionToken")) {
                const xmlChar **c = find_attr(nb_attrs, attrs, NULL, "completeListSize");
                if (c) {
                        char buf[32];
                        size_t n = (size_t)(c[4] - c[3]);
                        if (n < sizeof buf) {
                                char *end;
                                memcpy(buf, c[3], n);
                                buf[n] = '\0';
                                long v = strtol(buf, &end, 10);
                                if (end != buf && *end == '\0' && v >= 0)
                                        p->page->complete_list_size = v;
                        }
                }
                return capture_start(p, CAP_TOKEN);
        }
        if (p->root == ROOT_STATIC && p->depth == 2 && str_eq(local, "ListRecords") && str_eq(uri, FD_NS_STATIC)) {
                const xmlChar **mp = find_attr(nb_attrs, attrs, NULL, "metadataPrefix");
                size_t n = mp ? (size_t)(mp[4] - mp[3]) : 0;
                if (!p->chosen[0])
                        choose_static_prefix(p);
                p->list_ok = mp && n == strlen(p->chosen) && memcmp(mp[3], p->chosen, n) == 0;
                p->list_depth = p->depth;
        }
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri) {
        struct fd_oai_parser *p = ((xmlParserCtxtPtr)ctx)->_private;

        if (!p->status) {
                if (p->in_metadata) {
                        if (p->depth != p->metadata_depth) {
                                tree_end(p);
                        } else {
                                p->in_metadata = false;
                                if (p->in_record && p->depth == p->rec_depth)
                                        record_end(p);
                        }
                } else if (p->cap != CAP_NONE) {
                        if (p->depth == p->cap_depth)
                                capture_end(p);
                } else if (p->in_record && p->in_header && p->depth == p->header_depth) {
                        p->in_header = false;
                        if (p->header_only)
                                record_end(p);
                } else if (p->in_record && p->depth == p->rec_depth) {
                        record_end(p);
                } else if (p->root == ROOT_STATIC && p->list_depth && p->depth == p->list_depth) {
                        p->list_ok = false;
                        p->list_depth = 0;
                }
        }
        p->depth--;
}

static void sax_text(void *ctx, const xmlChar *ch, int len) {
        struct fd_oai_parser *p = ((xmlParserCtxtPtr)ctx)->_private;

        if (p->status || len <= 0)
                return;
        if (p->in_metadata)
                return tree_text(p, (const char *)ch, (size_t)len);
        if (p->cap != CAP_NONE && fd_buf_append(&p->text, ch, (size_t)len) != FD_OK)
                fail(p, FD_E_LIMIT, "an OAI-PMH element in '%s' exceeds %u bytes", p->o.where,
                     FD_RECORD_MAX_TEXT);
}

/* External entities are invisible: a reference to one is "not defined". */
static xmlEntityPtr sax_get_entity(void *ctx, const xmlChar *name) {
        xmlEntityPtr e = xmlSAX2GetEntity(ctx, name);
        if (e && e->etype != XML_INTERNAL_GENERAL_ENTITY && e->etype != XML_INTERNAL_PREDEFINED_ENTITY)
                return NULL;
        return e;
}

static xmlEntityPtr sax_get_pentity(void *ctx, const xmlChar *name) {
        xmlEntityPtr e = xmlSAX2GetParameterEntity(ctx, name);
        if (e && e->etype != XML_INTERNAL_PARAMETER_ENTITY)
                return NULL;
        return e;
}

static xmlParserInputPtr sax_resolve(void *ctx, const xmlChar *public_id, const xmlChar *system_id) {
        return NULL;
}

/* Nothing is printed; the first fatal error is kept for the message. */
static void sax_error(void *ud, xmlErrorPtr e) {
        xmlParserCtxtPtr ctxt = ud;
        struct fd_oai_parser *p = ctxt ? ctxt->_private : NULL;

        if (!p || !e || e->level != XML_ERR_FATAL || p->have_xerr)
                return;
        p->have_xerr = true;
        p->xerr_line = e->line;
        p->xerr_col = e->int2;
        snprintf(p->xerr_msg, sizeof p->xerr_msg, "%s", e->message ? e->message : "unknown error");
}

static void sax_init(xmlSAXHandler *h) {
        memset(h, 0, sizeof *h);
        xmlSAXVersion(h, 2);
        h->startElementNs = sax_start;
        h->endElementNs = sax_end;
        h->startElement = NULL;
        h->endElement = NULL;
        h->characters = sax_text;
        h->cdataBlock = sax_text;
        h->ignorableWhitespace = sax_text;
        h->reference = NULL;
        h->comment = NULL;
        h->processingInstruction = NULL;
        h->getEntity = sax_get_entity;
        h->getParameterEntity = sax_get_pentity;
        h->resolveEntity = sax_resolve;
        h->externalSubset = NULL;
        h->warning = NULL;
        h->error = NULL;
        h->fatalError = NULL;
        h->serror = sax_error;
}

/* ---- the parser ------------------------------------------------------------- */

enum fd_status fd_oai_parser_new(const struct fd_oai_parser_opts *opts, struct fd_page *page,
                                 struct fd_oai_parser **ret_p, struct fd_error *err) {
        struct fd_oai_parser *p;

        pthread_once(&xml_once, xml_init);
        p = calloc(1, sizeof *p);
        if (!p)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        p->o = *opts;
        if (!p->o.where)
                p->o.where = "response";
        if (!p->o.prefix)
                p->o.prefix = "oai_dc";
        if (!p->o.source)
                p->o.source = "";
        p->page = page;
        /* +1: a text over the bound must fail to append, not fit exactly */
        fd_buf_init(&p->text, (size_t)FD_RECORD_MAX_TEXT + 1);
        fd_buf_init(&p->raw, FD_RAW_MAX);
        fd_buf_init(&p->fbuf, FILTER_SLICE * 3 + CARRY_MAX * 8 + 64);
        p->scratch = fd_arena_new(SCRATCH_CAP);
        if (!p->scratch) {
                free(p);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        *ret_p = p;
        return FD_OK;
}

void fd_oai_parser_free(struct fd_oai_parser *p) {
        if (!p)
                return;
        if (p->ctxt) {
                if (p->ctxt->myDoc)
                        xmlFreeDoc(p->ctxt->myDoc);
                p->ctxt->myDoc = NULL;
                xmlFreeParserCtxt(p->ctxt);
        }
        fd_arena_free(p->scratch);
        fd_buf_release(&p->text);
        fd_buf_release(&p->raw);
        fd_buf_release(&p->fbuf);
        free(p);
}

struct fd_page *fd_oai_parser_page(struct fd_oai_parser *p) { return p->page; }

const char *fd_oai_parser_prefix(const struct fd_oai_parser *p) { return p->chosen[0] ? p->chosen : p->o.prefix; }

void fd_oai_parser_set_page(struct fd_oai_parser *p, struct fd_page *page) {
        const struct fd_page *old = p->page;

        if (old && old->response_date && !page->response_date)
                page->response_date = fd_arena_strdup(page->arena, old->response_date);
        p->page = page;
        p->told_format = p->told_full = false;
}

bool fd_oai_parser_recognized(const struct fd_oai_parser *p) { return p->root != ROOT_NONE; }

static enum fd_status xml_failure(struct fd_oai_parser *p, struct fd_error *err) {
        const xmlError *e = xmlCtxtGetLastError(p->ctxt);
        char msg[256] = "unknown error", snip[HEAD_KEEP + 1];
        int line = e ? e->line : 0, col = e ? e->int2 : 0;
        size_t n;

        if (p->have_xerr) {
                snprintf(msg, sizeof msg, "%s", p->xerr_msg);
                line = p->xerr_line;
                col = p->xerr_col;
        } else if (e && e->message)
                snprintf(msg, sizeof msg, "%s", e->message);
        /* libxml2's messages end with a newline, some add the offending bytes on a second line */
        n = strcspn(msg, "\n");
        msg[n] = '\0';
        while (n && is_space(msg[n - 1]))
                msg[--n] = '\0';
        if (p->root == ROOT_NONE) {
                /* nothing looked like XML before the failure: not a damaged document */
                n = p->n_head;
                const char *h = p->head;
                while (n && is_space(*h)) {
                        h++;
                        n--;
                }
                fail(p, FD_E_PROTOCOL, "'%s' is not an OAI-PMH response: not XML (%s): '%s'", p->o.where, msg,
                     fd_snippet(h, n, snip, sizeof snip));
        } else {
                fail(p, FD_E_PARSE, "malformed XML in '%s' at line %d, col %d: %s", p->o.where, line, col, msg);
        }
        return fd_error_set(err, p->status, "%s", p->err.msg);
}

static enum fd_status push(struct fd_oai_parser *p, const char *data, size_t len, bool terminate,
                           struct fd_error *err) {
        while (len > 0 || terminate) {
                int n = len > (1u << 20) ? (1 << 20) : (int)len;
                bool last = terminate && (size_t)n == len;
                xmlParseChunk(p->ctxt, data, n, last);
                if (p->status)
                        return fd_error_set(err, p->status, "%s", p->err.msg);
                if (p->ctxt->disableSAX || !p->ctxt->wellFormed)
                        return xml_failure(p, err);
                data += n;
                len -= (size_t)n;
                if (last)
                        break;
        }
        return FD_OK;
}

static enum fd_status create_ctxt(struct fd_oai_parser *p, const char *data, size_t len, struct fd_error *err) {
        xmlSAXHandler h;

        sax_init(&h);
        /* the first bytes (up to 4) let libxml2 detect the encoding */
        int n0 = len < 4 ? (int)len : 4;
        p->ctxt = xmlCreatePushParserCtxt(&h, NULL, data, n0, NULL);
        if (!p->ctxt)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        p->ctxt->_private = p;
        xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        /* UseOptions resets some handlers: keep ours */
        p->ctxt->sax->warning = NULL;
        p->ctxt->sax->error = NULL;
        p->ctxt->sax->serror = sax_error;
        p->ctxt->replaceEntities = 0;
        p->ctxt->loadsubset = 0;
        p->ctxt->validate = 0;
        p->out_pos = len;
        if (len > (size_t)n0)
                return push(p, data + n0, len - (size_t)n0, false, err);
        return FD_OK;
}

/* Hands filtered bytes to libxml2, creating the parser on the first ones. */
static enum fd_status out(struct fd_oai_parser *p, const char *data, size_t len, struct fd_error *err) {
        if (!len)
                return FD_OK;
        if (!p->ctxt)
                return create_ctxt(p, data, len, err);
        p->out_pos += len;
        return push(p, data, len, false, err);
}

/* ---- the repair filter ---------------------------------------------------------
 *
 * Between the body and libxml2, one pass over the raw bytes makes a page
 * that one bad record would otherwise lose parseable: invalid UTF-8
 * sequences, characters XML forbids (C0 controls other than tab, LF, CR;
 * U+FFFE and U+FFFF; surrogates, which are invalid UTF-8 anyway) and
 * character references to them (&#55349;, &#x1;) become U+FFFD.  A body
 * declared ISO-8859-1 (or windows-1252, ASCII) is transcoded here, keeping
 * sequences that are valid UTF-8 (the declaration is then wrong, and told).
 * The common byte (printable ASCII) costs one compare; bytes go to libxml2
 * untouched unless a chunk needs a repair, and a sequence cut by a chunk
 * boundary waits in a carry of a few bytes for the next chunk.  Each repair
 * is remembered with its offsets and reported with the record it fell in. */

static void note_repair(struct fd_oai_parser *p, enum repair_kind kind, size_t raw_off, size_t out_off) {
        p->n_repairs++;
        if (p->n_rq < FD_ELEMENTSOF(p->rq)) {
                p->rq[p->n_rq].kind = kind;
                p->rq[p->n_rq].raw_off = raw_off;
                p->rq[p->n_rq].out_off = out_off;
                p->n_rq++;
        } else {
                p->rq_dropped++;
        }
}

static const char *const repair_names[] = {
        [REPAIR_UTF8] = "invalid UTF-8",
        [REPAIR_CHAR] = "a character XML forbids",
        [REPAIR_REF] = "a reference to a character XML forbids",
};

/* Reports the queued repairs up to output offset upto: those at or after
 * from belong to record id (when given). */
static void report_repairs(struct fd_oai_parser *p, size_t upto, size_t from, const char *id) {
        size_t k = 0;

        while (k < p->n_rq && p->rq[k].out_off <= upto)
                k++;
        if (!k)
                return;
        size_t mine = 0, first_mine = 0;
        for (size_t i = 0; i < k; i++) {
                const struct repair *r = &p->rq[i];
                if (id && r->out_off >= from) {
                        if (!mine++)
                                first_mine = i;
                        continue;
                }
                warnf(p, "'%s': %s replaced by U+FFFD at byte offset %zu", p->o.where, repair_names[r->kind],
                      r->raw_off);
        }
        if (mine) {
                char snip[160];
                const struct repair *r = &p->rq[first_mine];
                warnf(p, "record '%s' repaired: %s replaced by U+FFFD at byte offset %zu of '%s'%s",
                      fd_snippet(id, strlen(id), snip, sizeof snip), repair_names[r->kind], r->raw_off, p->o.where,
                      mine > 1 ? " (and more in the record)" : "");
        }
        memmove(p->rq, p->rq + k, (p->n_rq - k) * sizeof p->rq[0]);
        p->n_rq -= k;
}

static size_t parse_pos(const struct fd_oai_parser *p) {
        long c = p->ctxt ? xmlByteConsumed(p->ctxt) : 0;
        return c > 0 ? (size_t)c : 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes available): the
 * length, 0 when invalid, or -1 when it may be valid but is cut short. */
static int utf8_seq(const unsigned char *s, size_t n) {
        unsigned c = s[0];
        int len;
        unsigned char lo = 0x80, hi = 0xBF;

        if (c >= 0xC2 && c <= 0xDF)
                len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                if (c == 0xE0)
                        lo = 0xA0;
                else if (c == 0xED)
                        hi = 0x9F;  /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                if (c == 0xF0)
                        lo = 0x90;
                else if (c == 0xF4)
                        hi = 0x8F;
        } else
                return 0;
        for (int i = 1; i < len; i++) {
                if ((size_t)i >= n)
                        return -1;
                unsigned char b = s[i];
                if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
                        return 0;
        }
        return len;
}

static bool xml_char_ok(unsigned long cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
               (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* A character reference at s ("&#…;"): its length, 0 when it is not a
 * well-formed one (left to libxml2), -1 when cut short; *ret_ok says
 * whether the character is one XML allows. */
static int char_ref(const unsigned char *s, size_t n, bool *ret_ok) {
        size_t i = 2;
        bool hex = false;
        unsigned long cp = 0;

        if (n < 3)
                return -1;
        if (s[2] == 'x') {
                hex = true;
                i = 3;
        }
        size_t start = i;
        for (; i < n && i < 16; i++) {
                unsigned char c = s[i];
                int v;
                if (c == ';')
                        break;
                if (c >= '0' && c <= '9')
                        v = c - '0';
                else if (hex && c >= 'a' && c <= 'f')
                        v = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F')
                        v = c - 'A' + 10;
                else
                        return 0;
                if (cp <= 0x10FFFF)
                        cp = cp * (hex ? 16 : 10) + (unsigned long)v;
        }
        if (i == n)
                return n < 16 ? -1 : 0;
        if (i == 16 || i == start)
                return 0;
        *ret_ok = xml_char_ok(cp);
        return (int)i + 1;
}

/* True when none of the 8 bytes of w needs a look: no byte >= 0x80, none
 * below 0x20, no '&' (the classic SWAR zero-byte tests). */
static inline bool word_plain(uint64_t w) {
        const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        uint64_t lt = (w - ones * 0x20) & ~w & highs;
        uint64_t amp = w ^ (ones * '&');
        uint64_t eq = (amp - ones) & ~amp & highs;
        return ((w & highs) | lt | eq) == 0;
}

static bool fbuf_add(struct fd_oai_parser *p, const void *s, size_t n) {
        return fd_buf_append(&p->fbuf, s, n) == FD_OK;
}

/* Filters buf (n bytes, the first at raw offset raw) to libxml2; an
 * incomplete sequence at the end goes to the carry unless last. */
static enum fd_status filter_run(struct fd_oai_parser *p, const unsigned char *buf, size_t n, size_t raw, bool last,
                                 struct fd_error *err) {
        static const char fffd[] = "\xEF\xBF\xBD", ref_fffd[] = "&#xFFFD;";
        bool latin1 = p->enc == ENC_LATIN1, repaired = false;
        size_t i = 0, clean = 0, end = n;

        fd_buf_reset(&p->fbuf);
        while (i < n) {
                unsigned char c = buf[i];
                const char *rep = NULL;
                size_t rep_len = 0, skip = 1;
                char l1[2];
                enum repair_kind kind = REPAIR_UTF8;

                if (c >= 0x20 && c < 0x80 && c != '&') {
                        /* the common case, 8 bytes at a time */
                        uint64_t w;
                        i++;
                        while (i + 8 <= n) {
                                memcpy(&w, buf + i, 8);
                                if (!word_plain(w))
                                        break;
                                i += 8;
                        }
                        continue;
                }
                if (c == '&') {
                        bool ok = true;
                        int k = i + 1 < n ? (buf[i + 1] == '#' ? char_ref(buf + i, n - i, &ok) : 0) : -1;
                        if (k < 0 && !last) {
                                end = i;
                                break;
                        }
                        if (k <= 0 || ok) {
                                i += k > 0 ? (size_t)k : 1;
                                continue;
                        }
                        rep = ref_fffd;
                        rep_len = sizeof ref_fffd - 1;
                        skip = (size_t)k;
                        kind = REPAIR_REF;
                } else if (c < 0x20) {
                        if (c == '\n' || c == '\t' || c == '\r') {
                                i++;
                                continue;
                        }
                        rep = fffd;
                        rep_len = 3;
                        kind = REPAIR_CHAR;
                } else {
                        int k = utf8_seq(buf + i, n - i);
                        if (k < 0 && !last) {
                                end = i;
                                break;
                        }
                        if (k > 0) {
                                if (k == 3 && c == 0xEF && buf[i + 1] == 0xBF && buf[i + 2] >= 0xBE) {
                                        rep = fffd;  /* U+FFFE, U+FFFF */
                                        rep_len = 3;
                                        skip = 3;
                                        kind = REPAIR_CHAR;
                                } else {
                                        if (latin1 && !p->told_decl) {
                                                p->told_decl = true;
                                                warnf(p, "'%s' declares encoding '%s' but holds UTF-8 (byte offset "
                                                      "%zu): read as UTF-8", p->o.where, p->declared, raw + i);
                                        }
                                        i += (size_t)k;
                                        continue;
                                }
                        } else if (latin1) {
                                l1[0] = (char)(0xC0 | (c >> 6));
                                l1[1] = (char)(0x80 | (c & 0x3F));
                                rep = l1;
                                rep_len = 2;
                                kind = REPAIR_NONE;
                        } else {
                                rep = fffd;
                                rep_len = 3;
                        }
                }
                /* the clean run before, then the replacement */
                if (!fbuf_add(p, buf + clean, i - clean))
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                if (kind != REPAIR_NONE)
                        note_repair(p, kind, raw + i, p->out_pos + p->fbuf.len);
                if (!fbuf_add(p, rep, rep_len))
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                repaired = true;
                i += skip;
                clean = i;
        }
        if (end < n) {
                p->n_carry = n - end;
                memcpy(p->carry, buf + end, p->n_carry);
        }
        if (!repaired)
                return out(p, (const char *)buf, end, err);
        if (!fbuf_add(p, buf + clean, end - clean))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        return out(p, p->fbuf.data, p->fbuf.len, err);
}

/* Runs data through the filter in slices (bounding the repair buffer),
 * the carry of the previous call first. */
static enum fd_status filter(struct fd_oai_parser *p, const char *data, size_t len, bool last, struct fd_error *err) {
        enum fd_status st;

        if (p->enc == ENC_PASS) {
                st = out(p, data, len, err);
                p->raw_done += len;
                return st;
        }
        while (len > 0 || (last && p->n_carry)) {
                size_t take = len < FILTER_SLICE ? len : FILTER_SLICE;
                const unsigned char *buf = (const unsigned char *)data;
                size_t n = take, raw = p->raw_done;
                if (p->n_carry) {
                        memcpy(p->wbuf, p->carry, p->n_carry);
                        if (take)  /* finish passes no data: memcpy from NULL is undefined even for 0 bytes */
                                memcpy(p->wbuf + p->n_carry, data, take);
                        buf = p->wbuf;
                        n = p->n_carry + take;
                        raw -= p->n_carry;
                        p->n_carry = 0;
                }
                data += take;
                len -= take;
                p->raw_done += take;
                if ((st = filter_run(p, buf, n, raw, last && len == 0, err)))
                        return st;
        }
        return FD_OK;
}

static bool starts_ci(const char *s, size_t n, const char *lit) {
        size_t k = strlen(lit);
        return n >= k && strncasecmp(s, lit, k) == 0;
}

/* Reads the head of the body: byte-order marks and the encoding
 * declaration decide how the filter reads the rest.  Returns the bytes to
 * skip (a UTF-8 BOM) and, when the declaration is to be dropped (we
 * transcode), its span in *ret_cut_from/to. */
static size_t analyze_head(struct fd_oai_parser *p, size_t *ret_cut_from, size_t *ret_cut_to) {
        const unsigned char *h = (const unsigned char *)p->head;
        size_t n = p->n_head, skip = 0;

        *ret_cut_from = *ret_cut_to = 0;
        p->enc = ENC_UTF8;
        if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
                warnf(p, "'%s' starts with a UTF-8 byte-order mark (byte offset 0), skipped", p->o.where);
                skip = 3;
        } else if (n >= 2 && ((h[0] == 0xFE && h[1] == 0xFF) || (h[0] == 0xFF && h[1] == 0xFE))) {
                warnf(p, "'%s' starts with a UTF-16 byte-order mark (byte offset 0)", p->o.where);
                p->enc = ENC_PASS;
                return 0;
        } else if (n >= 2 && (h[0] == 0 || h[1] == 0)) {
                p->enc = ENC_PASS;  /* UTF-16 or UTF-32 without a mark: libxml2 detects it */
                return 0;
        }
        const char *s = p->head + skip;
        size_t m = n - skip;
        if (!starts_ci(s, m, "<?xml"))
                return skip;
        const char *close = memmem(s, m, "?>", 2);
        const char *enc = memmem(s, close ? (size_t)(close - s) : m, "encoding", 8);
        if (!enc)
                return skip;
        const char *q = enc + 8, *lim = close ? close : s + m;
        while (q < lim && (is_space(*q) || *q == '='))
                q++;
        if (q >= lim || (*q != '"' && *q != '\''))
                return skip;
        const char *v = q + 1, *ve = memchr(v, *q, (size_t)(lim - v));
        if (!ve)
                return skip;
        size_t vl = (size_t)(ve - v);
        snprintf(p->declared, sizeof p->declared, "%.*s", (int)(vl < sizeof p->declared ? vl : sizeof p->declared - 1),
                 v);
        static const char *const utf8[] = {"utf-8", "utf8"};
        static const char *const latin[] = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "iso-8859-15",
                                            "windows-1252", "cp1252", "us-ascii", "ascii", "iso_8859-1"};
        for (size_t i = 0; i < FD_ELEMENTSOF(utf8); i++)
                if (strcasecmp(p->declared, utf8[i]) == 0)
                        return skip;
        for (size_t i = 0; i < FD_ELEMENTSOF(latin); i++)
                if (strcasecmp(p->declared, latin[i]) == 0) {
                        /* we transcode: libxml2 must read UTF-8, so the declaration goes */
                        p->enc = ENC_LATIN1;
                        const char *from = enc;
                        while (from > s && is_space(from[-1]))
                                from--;
                        *ret_cut_from = (size_t)(from - p->head);
                        *ret_cut_to = (size_t)(ve + 1 - p->head);
                        return skip;
                }
        p->enc = ENC_PASS;  /* another encoding: libxml2 converts it */
        return skip;
}

/* The head is complete (or the body ended): decide and send it on. */
static enum fd_status start_body(struct fd_oai_parser *p, bool last, struct fd_error *err) {
        size_t from, to, skip = analyze_head(p, &from, &to);
        enum fd_status st;

        p->raw_done = skip;
        if (to > from) {
                if ((st = filter(p, p->head + skip, from - skip, false, err)))
                        return st;
                p->raw_done = to;
                return filter(p, p->head + to, p->n_head - to, last, err);
        }
        return filter(p, p->head + skip, p->n_head - skip, last, err);
}

enum fd_status fd_oai_parser_feed(struct fd_oai_parser *p, const char *data, size_t len, struct fd_error *err) {
        if (p->status)
                return fd_error_set(err, p->status, "%s", p->err.msg);
        p->n_fed += len;
        if (!p->head_done) {
                /* keep the start for encoding detection and for quoting a non-XML body */
                size_t k = HEAD_KEEP - p->n_head < len ? HEAD_KEEP - p->n_head : len;
                memcpy(p->head + p->n_head, data, k);
                p->n_head += k;
                data += k;
                len -= k;
                if (p->n_head < HEAD_KEEP)
                        return FD_OK;
                p->head_done = true;
                enum fd_status st = start_body(p, false, err);
                if (st)
                        return st;
        }
        return len ? filter(p, data, len, false, err) : FD_OK;
}

enum fd_status fd_oai_parser_finish(struct fd_oai_parser *p, struct fd_error *err) {
        enum fd_status st;

        if (p->status)
                return fd_error_set(err, p->status, "%s", p->err.msg);
        if (!p->head_done) {
                if (all_space(p->head, p->n_head)) {
                        fail(p, FD_E_PROTOCOL, "'%s' is not an OAI-PMH response: empty body", p->o.where);
                        return fd_error_set(err, p->status, "%s", p->err.msg);
                }
                p->head_done = true;
                if ((st = start_body(p, true, err)))
                        return st;
        } else if ((st = filter(p, NULL, 0, true, err))) {
                return st;
        }
        if (!p->ctxt && (st = create_ctxt(p, "", 0, err)))
                return st;
        st = push(p, NULL, 0, true, err);
        report_repairs(p, SIZE_MAX, SIZE_MAX, NULL);
        if (st)
                return st;
        if (p->root == ROOT_NONE) {
                fail(p, FD_E_PROTOCOL, "'%s' is not an OAI-PMH response: no root element", p->o.where);
                return fd_error_set(err, p->status, "%s", p->err.msg);
        }
        return FD_OK;
}

