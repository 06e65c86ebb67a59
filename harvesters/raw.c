/* raw.c: the metadata as harvested, kept beside the record, and read again.
 *
 * At the end of each record the parser (xml.c) hands the metadata tree to
 * fd_raw_keep, which writes it back as XML (every element with its
 * namespace, attributes and text; comments and processing instructions are
 * already gone, and an element's text comes before its children) and keeps
 * it LZ4-compressed (zlib before 0.5, still read) in the page's arena as
 * r->raw.  The index stores those
 * bytes beside the record (a value slot).  `get … "raw":true` inflates them
 * (fd_raw_inflate); `remap` reads them with today's mappers: fd_oai_remap
 * wraps them in a harvested <record> with the stored header (identifier,
 * datestamp, sets) and parses that as the harvest did, so a re-mapped
 * record is exactly what a new harvest would make of the same metadata.
 *
 * A DCAT dataset (every form: RDF/XML, Turtle, JSON-LD, data.json, CKAN,
 * which all become one graph) keeps its statements as N-Triples: the
 * triples about its node and, following objects, about the blank nodes and
 * other non-dataset nodes it points to (the same concise bounded
 * description dcat_map.c maps), fd_raw_keep_rdf.
 */
#include <limits.h>
#include <lz4.h>
#include <serd/serd.h>
#include <zlib.h>

#include "harvesters-private.h"

#define NS_XML "http://www.w3.org/XML/1998/namespace"

static enum fd_status escape(struct fd_buf *b, const char *s, bool attr) {
        enum fd_status st = FD_OK;

        /* runs of plain text are copied whole: this is on every record's path */
        while (st == FD_OK) {
                size_t k = strcspn(s, attr ? "&<>\"\t\n\r" : "&<>\r");
                if (k)
                        st = fd_buf_append(b, s, k);
                s += k;
                if (st || !*s)
                        break;
                const char *rep;
                switch (*s) {
                case '&': rep = "&amp;"; break;
                case '<': rep = "&lt;"; break;
                case '>': rep = "&gt;"; break;
                case '"': rep = "&quot;"; break;
                case '\t': rep = "&#9;"; break;
                case '\n': rep = "&#10;"; break;
                default: rep = "&#13;"; break;
                }
                st = fd_buf_append(b, rep, strlen(rep));
                s++;
        }
        return st;
}

static enum fd_status put_str(struct fd_buf *b, const char *s) { return fd_buf_append(b, s, strlen(s)); }

/* Writes n (and its descendants) with default namespace declarations where
 * the namespace changes; a namespaced attribute gets a prefix of its own. */
static enum fd_status write_node(struct fd_buf *b, const struct fd_xnode *n, const char *inherited) {
        const char *ns = n->ns ? n->ns : "";
        enum fd_status st = fd_buf_append(b, "<", 1) ?: put_str(b, n->name);

        if (st == FD_OK && strcmp(ns, inherited) != 0)
                st = fd_buf_append(b, " xmlns=\"", 8) ?: escape(b, ns, true) ?: fd_buf_append(b, "\"", 1);
        for (size_t i = 0; st == FD_OK && i < n->n_attrs; i++) {
                const struct fd_xattr *x = &n->attrs[i];
                if (!x->ns || !*x->ns)
                        st = fd_buf_append(b, " ", 1) ?: put_str(b, x->name) ?: fd_buf_append(b, "=\"", 2);
                else if (strcmp(x->ns, NS_XML) == 0)
                        st = fd_buf_append(b, " xml:", 5) ?: put_str(b, x->name) ?: fd_buf_append(b, "=\"", 2);
                else
                        st = fd_buf_printf(b, " xmlns:a%zu=\"", i) ?: escape(b, x->ns, true) ?:
                             fd_buf_printf(b, "\" a%zu:%s=\"", i, x->name);
                if (st == FD_OK)
                        st = escape(b, x->value ? x->value : "", true) ?: fd_buf_append(b, "\"", 1);
        }
        if (st)
                return st;
        if (!n->text && !n->child)
                return fd_buf_append(b, "/>", 2);
        st = fd_buf_append(b, ">", 1);
        if (st == FD_OK && n->text)
                st = escape(b, n->text, false);
        for (const struct fd_xnode *c = n->child; st == FD_OK && c; c = c->next)
                st = write_node(b, c, ns);
        return st ?: fd_buf_append(b, "</", 2) ?: put_str(b, n->name) ?: fd_buf_append(b, ">", 1);
}

/* Writes the tree under root as XML to b (children: root's children one
 * after the other, root being the parser's made-up wrapper); FD_E_LIMIT
 * when b is full. */
static enum fd_status raw_write(struct fd_buf *b, const struct fd_xnode *root, bool children) {
        enum fd_status st = FD_OK;

        if (!children)
                return write_node(b, root, FD_NS_OAI);
        for (const struct fd_xnode *c = root->child; st == FD_OK && c; c = c->next)
                st = write_node(b, c, FD_NS_OAI);
        return st;
}

/* Kept metadata written by fairdex 0.5 and later: "FDz4", the text's length
 * (4 bytes, little endian), one LZ4 block.  Earlier indexes hold zlib
 * streams (they start with 0x78), which fd_raw_inflate reads too.  LZ4
 * because a record's few KiB went through compress2 at 60 MB/s on the
 * shared machine, more than the whole harvest + map of the record; LZ4
 * keeps them at about half their size several times faster. */
#define RAW_LZ4_MAGIC "FDz4"
#define RAW_LZ4_HEAD 8

/* tmp's text compressed as r->raw */
static enum fd_status keep_text(struct fd_record *r, struct fd_arena *a, const struct fd_buf *tmp) {
        if (tmp->len > (size_t)LZ4_MAX_INPUT_SIZE)
                return FD_OK;
        int bound = LZ4_compressBound((int)tmp->len);
        _fd_free_ char *z = malloc(RAW_LZ4_HEAD + (size_t)bound);
        if (!z)
                return FD_E_NOMEM;
        int zlen = LZ4_compress_default(tmp->data ? tmp->data : "", z + RAW_LZ4_HEAD, (int)tmp->len, bound);
        if (zlen <= 0 && tmp->len > 0)
                return FD_OK;  /* cannot happen with a bound-sized buffer: kept by no one */
        memcpy(z, RAW_LZ4_MAGIC, 4);
        for (int i = 0; i < 4; i++)
                z[4 + i] = (char)((tmp->len >> (8 * i)) & 0xff);
        void *kept = fd_arena_alloc(a, RAW_LZ4_HEAD + (size_t)zlen);
        if (!kept)
                return FD_OK;  /* the page is full: the record matters more than its copy */
        memcpy(kept, z, RAW_LZ4_HEAD + (size_t)zlen);
        r->raw = kept;
        r->raw_len = RAW_LZ4_HEAD + (size_t)zlen;
        return FD_OK;
}

enum fd_status fd_raw_keep(struct fd_record *r, struct fd_arena *a, const struct fd_xnode *root, bool children,
                           struct fd_buf *tmp) {
        enum fd_status st;

        fd_buf_reset(tmp);
        st = raw_write(tmp, root, children);
        if (st == FD_E_LIMIT)
                return FD_OK;  /* kept by no one rather than cut: the record goes on */
        if (st)
                return st;
        return keep_text(r, a, tmp);
}

/* ---- a DCAT dataset's statements (N-Triples) ---------------------------------------- */

#define RDF_MAX_DEPTH 6
#define RDF_MAX_NODES 512

/* The statements go out through serd's N-Triples writer, which escapes
 * what IRIREF forbids (space, <>"{}|^`\, control characters) as UCHAR and
 * a literal's quotes, backslashes and line ends as ECHAR.  Its sink
 * appends to the buffer and keeps the first failure (FD_E_LIMIT past
 * FD_RAW_MAX), since serd does not look at what a sink returns. */
struct ntriples {
        struct fd_buf *b;
        const struct fd_rdf_graph *g;
        SerdWriter *writer;
        enum fd_status st;  /* the sink's first failure */
        const struct fd_rdf_term *seen[RDF_MAX_NODES];
        size_t n_seen;
};

static size_t nt_sink(const void *buf, size_t len, void *stream) {
        struct ntriples *w = stream;
        if (w->st == FD_OK)
                w->st = fd_buf_append(w->b, buf, len);
        return w->st == FD_OK ? len : 0;
}

/* invalid UTF-8, which serd writes as U+FFFD: nothing to say */
static SerdStatus nt_error(void *handle, const SerdError *e) {
        (void)handle;
        (void)e;
        return SERD_SUCCESS;
}

static SerdNode nt_node(SerdType type, const char *value) {
        return value ? serd_node_from_string(type, (const uint8_t *)value) : SERD_NODE_NULL;
}

static enum fd_status nt_statement(struct ntriples *w, const struct fd_rdf_triple *x) {
        const struct fd_rdf_term *t[3] = {&x->s, &x->p, &x->o};
        SerdNode n[3];
        bool literal = x->o.kind == FD_RDF_LITERAL;
        SerdNode lang = nt_node(SERD_LITERAL, literal ? x->o.lang : NULL);
        SerdNode dt = nt_node(SERD_URI, literal && !x->o.lang ? x->o.datatype : NULL);

        for (size_t i = 0; i < 3; i++)
                n[i] = nt_node(t[i]->kind == FD_RDF_IRI ? SERD_URI : t[i]->kind == FD_RDF_BLANK ? SERD_BLANK : SERD_LITERAL,
                               t[i]->value);
        if (serd_writer_write_statement(w->writer, 0, NULL, &n[0], &n[1], &n[2], dt.buf ? &dt : NULL,
                                        lang.buf ? &lang : NULL) != SERD_SUCCESS && w->st == FD_OK)
                w->st = FD_E_INVALID;
        return w->st;
}

static bool nt_seen(struct ntriples *w, const struct fd_rdf_term *t) {
        for (size_t i = 0; i < w->n_seen; i++)
                if (w->seen[i]->kind == t->kind && strcmp(w->seen[i]->value, t->value) == 0)
                        return true;
        if (w->n_seen == RDF_MAX_NODES)
                return true;  /* as far as a description goes */
        w->seen[w->n_seen++] = t;
        return false;
}

/* The statements about node, then about the nodes they point to that are
 * not datasets of their own (distributions, agents, periods, places). */
static enum fd_status nt_describe(struct ntriples *w, const struct fd_rdf_term *node, int depth) {
        enum fd_status st = FD_OK;
        size_t n, first;

        if (depth > 0 && fd_dcat_is_dataset(w->g, node))
                return FD_OK;
        if (nt_seen(w, node))
                return FD_OK;
        first = fd_rdf_graph_about(w->g, node, &n);
        for (size_t k = 0; st == FD_OK && k < n; k++) {
                st = nt_statement(w, &w->g->v[first + k]);
        }
        for (size_t k = 0; st == FD_OK && k < n && depth < RDF_MAX_DEPTH; k++) {
                const struct fd_rdf_term *o = &w->g->v[first + k].o;
                if (o->kind != FD_RDF_LITERAL)
                        st = nt_describe(w, o, depth + 1);
        }
        return st;
}

enum fd_status fd_raw_keep_rdf(struct fd_record *r, struct fd_arena *a, const struct fd_rdf_graph *g,
                               const struct fd_rdf_term *ds) {
        _fd_cleanup_(fd_buf_release) struct fd_buf b;
        struct ntriples w = {.b = &b, .g = g};
        SerdEnv *env = serd_env_new(NULL);
        enum fd_status st = FD_E_NOMEM;

        fd_buf_init(&b, FD_RAW_MAX);
        if (env && (w.writer = serd_writer_new(SERD_NTRIPLES, 0, env, NULL, nt_sink, &w))) {
                serd_writer_set_error_sink(w.writer, nt_error, NULL);
                st = nt_describe(&w, ds, 0);
                serd_writer_finish(w.writer);
                serd_writer_free(w.writer);
        }
        serd_env_free(env);
        if (st == FD_E_LIMIT)
                return FD_OK;  /* as with XML: kept by no one rather than cut */
        if (st)
                return st;
        return keep_text(r, a, &b);
}

enum fd_status fd_raw_inflate(const void *data, size_t len, char **ret_text, size_t *ret_len, struct fd_error *err) {
        const unsigned char *d = data;

        if (len >= RAW_LZ4_HEAD && memcmp(d, RAW_LZ4_MAGIC, 4) == 0) {
                size_t n = (size_t)d[4] | (size_t)d[5] << 8 | (size_t)d[6] << 16 | (size_t)d[7] << 24;
                if (n > FD_RAW_MAX || len - RAW_LZ4_HEAD > (size_t)INT_MAX)
                        return fd_error_set(err, FD_E_CORRUPT, "stored metadata claims %zu bytes", n);
                char *text = malloc(n + 1);
                if (!text)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory inflating stored metadata");
                int got = LZ4_decompress_safe((const char *)d + RAW_LZ4_HEAD, text, (int)(len - RAW_LZ4_HEAD), (int)n);
                if (got < 0 || (size_t)got != n) {
                        free(text);
                        return fd_error_set(err, FD_E_CORRUPT, "stored metadata does not decompress (lz4 %d)", got);
                }
                text[n] = '\0';
                *ret_text = text;
                *ret_len = n;
                return FD_OK;
        }
        z_stream zs = {.next_in = (Bytef *)(uintptr_t)data, .avail_in = (uInt)len};
        struct fd_buf b;
        unsigned char out[16384];
        int zr = Z_OK;

        if (inflateInit(&zs) != Z_OK)
                return fd_error_set(err, FD_E_NOMEM, "out of memory inflating stored metadata");
        fd_buf_init(&b, FD_RAW_MAX);
        while (zr == Z_OK) {
                zs.next_out = out;
                zs.avail_out = sizeof out;
                zr = inflate(&zs, Z_NO_FLUSH);
                if ((zr == Z_OK || zr == Z_STREAM_END) &&
                    fd_buf_append(&b, out, sizeof out - zs.avail_out) != FD_OK)
                        zr = Z_MEM_ERROR;
                if (zr == Z_OK && zs.avail_in == 0 && zs.avail_out != 0)
                        zr = Z_DATA_ERROR;  /* truncated */
        }
        inflateEnd(&zs);
        if (zr != Z_STREAM_END) {
                fd_buf_release(&b);
                return fd_error_set(err, zr == Z_MEM_ERROR ? FD_E_NOMEM : FD_E_CORRUPT,
                                    "stored metadata does not inflate (zlib %d)", zr);
        }
        if (!b.data && fd_buf_append(&b, "", 0) != FD_OK)
                return fd_error_set(err, FD_E_NOMEM, "out of memory inflating stored metadata");
        *ret_text = b.data;
        *ret_len = b.len;
        return FD_OK;
}

struct remap_warn {
        char msg[FD_ERROR_MAX];
};

static void remap_warn(void *ud, const char *msg) {
        struct remap_warn *w = ud;
        if (!w->msg[0])
                snprintf(w->msg, sizeof w->msg, "%s", msg);
}

static enum fd_status header_field(struct fd_buf *b, const char *name, const char *value) {
        if (!value)
                return FD_OK;
        return fd_buf_printf(b, "<%s>", name) ?: escape(b, value, false) ?: fd_buf_printf(b, "</%s>", name);
}

enum fd_status fd_oai_remap(const struct fd_record *stored, const char *xml, size_t len, struct fd_page **ret_page,
                            struct fd_error *err) {
        _fd_cleanup_(fd_page_freep) struct fd_page *page = NULL;
        _fd_cleanup_(fd_oai_parser_freep) struct fd_oai_parser *p = NULL;
        struct remap_warn w = {{0}};
        struct fd_oai_parser_opts o = {.source = stored->source, .where = "stored metadata",
                                       .prefix = stored->format, .warn = remap_warn, .ud = &w};
        struct fd_buf b;
        enum fd_status st;

        if (!stored->source || !stored->local_id)
                return fd_error_set(err, FD_E_INVALID, "stored record '%s' has no source or identifier",
                                    stored->id ? stored->id : "");
        fd_buf_init(&b, FD_RAW_MAX + 65536);
        st = fd_buf_printf(&b, "<record xmlns=\"%s\"><header>", FD_NS_OAI) ?:
             header_field(&b, "identifier", stored->local_id) ?: header_field(&b, "datestamp", stored->datestamp);
        for (size_t i = 0; st == FD_OK && i < stored->sets.n; i++)
                st = header_field(&b, "setSpec", stored->sets.v[i]);
        if (st == FD_OK)
                st = fd_buf_append(&b, "</header><metadata>", 19) ?: fd_buf_append(&b, xml, len) ?:
                     fd_buf_append(&b, "</metadata></record>", 20);
        if (st) {
                fd_buf_release(&b);
                return fd_error_set(err, st, "stored metadata of '%s' too large to read again", stored->id);
        }
        if ((st = fd_page_new(stored->source, NULL, 0, &page, err)) == FD_OK &&
            (st = fd_oai_parser_new(&o, page, &p, err)) == FD_OK && (st = fd_oai_parser_feed(p, b.data, b.len, err)) == FD_OK)
                st = fd_oai_parser_finish(p, err);
        fd_buf_release(&b);
        if (st) {
                fd_error_prefix(err, "record '%s': stored metadata", stored->id ? stored->id : "");
                return st;
        }
        if (page->records.n != 1)
                return fd_error_set(err, FD_E_PARSE, "record '%s': its stored metadata maps to no record: %s",
                                    stored->id ? stored->id : "", w.msg[0] ? w.msg : "skipped");
        *ret_page = FD_TAKE_PTR(page);
        return FD_OK;
}
