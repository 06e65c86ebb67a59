/* rdf.c: the document graph, its spill to disk, and the serd, raptor2 and
 * JSON-LD readers.
 *
 * A document may describe a node anywhere (a DCAT catalogue's datasets,
 * their distributions before or after them), so a node's description can
 * only be cut out once the document is read.  Holding the document's graph
 * would make memory grow with the document; instead a streamed graph keeps
 * at most its budget of triples in memory: past it, they are sorted by
 * subject and written to a temporary file as one run (an external merge
 * sort).  Finishing merges the runs into one file sorted by subject, an
 * index file of each subject's first record (read with pread, never
 * mapped, so that it does not count against the process's memory) and a
 * fixed-size Bloom filter of the subjects that saves most lookups of
 * objects that are not described.  fd_rdf_graph_each_subject then walks
 * the file subject by subject, and fd_rdf_graph_describe builds what a
 * subject reaches in a small graph by binary search over the index.  The
 * links a caller wants to see from their object's side are kept reversed
 * in a second streamed graph, walked in step with the first (both are
 * sorted the same way).  A document that fits the budget never touches the
 * disk.  Which IRIs mean the same, and which triples are kept reversed or
 * aside, is the caller's vocabulary (struct fd_rdf_vocab): nothing here
 * knows DCAT (dcat_map.c does).  Readers never touch the network: serd
 * reads from the file the body was spooled to, raptor2 runs with NO_NET,
 * NO_FILE and without external entities, JSON-LD contexts come from the
 * binary or the operator's contexts_dir.
 *
 * Syntax errors lose as little as the syntax allows: serd runs lax, which
 * skips to the end of the line at an error (an N-Triples statement, the
 * rest of a Turtle statement's line) and reads on; raptor2 reads on past
 * the RDF/XML constructs it rejects.  Each is counted in the graph with the
 * place of the first few, for the run's warning.  An XML well-formedness
 * error ends the document (libxml2 does not resynchronise), and a document
 * of which nothing could be read fails with its first error.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>

#include <raptor2.h>
#include <serd/serd.h>

#include "harvesters-private.h"

#define DEFAULT_MAX_TRIPLES ((size_t)4 << 20)
#define DEFAULT_GRAPH_ARENA ((size_t)512 << 20)
#define DEFAULT_STREAM_TRIPLES ((size_t)100 << 20)
#define DEFAULT_BUDGET ((size_t)32 << 20)
#define MIN_BUDGET ((size_t)4 << 10)    /* a few triples a run: tests spill small documents */
#define MAX_RUNS 512                       /* runs merged in one pass */
#define RUN_READ_BUF ((size_t)32 << 10)    /* read buffer of one run while merging */
#define MAX_RECORD ((size_t)64 << 20)      /* one triple on disk */
#define BLOOM_BITS ((uint64_t)1 << 24)     /* 2 MiB */
#define DATASET_TRIPLES ((size_t)1 << 20)  /* one subject's description */
#define DATASET_ARENA ((size_t)128 << 20)
#define CBD_DEPTH 6
#define SAMPLE_EVERY 64                    /* groups per in-memory index entry */
#define DEFAULT_MAX_JSON ((size_t)256 << 20)

static unsigned long doc_counter;

enum fd_status fd_rdf_graph_new(size_t max_triples, size_t arena_cap, const struct fd_rdf_vocab *vocab,
                                struct fd_rdf_graph **ret, struct fd_error *err) {
        struct fd_rdf_graph *g = calloc(1, sizeof *g);

        if (!g)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        g->arena = fd_arena_new(arena_cap ? arena_cap : DEFAULT_GRAPH_ARENA);
        if (!g->arena) {
                free(g);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        g->max = max_triples ? max_triples : DEFAULT_MAX_TRIPLES;
        g->vocab = vocab;
        g->doc = __atomic_add_fetch(&doc_counter, 1, __ATOMIC_RELAXED);
        *ret = g;
        return FD_OK;
}

static void spill_free(struct fd_rdf_spill *sp);

void fd_rdf_graph_free(struct fd_rdf_graph *g) {
        if (!g)
                return;
        spill_free(g->spill);
        fd_rdf_graph_free(g->rev);
        fd_rdf_graph_free(g->aside);
        fd_arena_free(g->arena);
        free(g->v);
        free(g);
}

static bool starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static bool listed(const char *s, const char *const *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(s, v[i]) == 0)
                        return true;
        return false;
}

/* The IRI that iri means in g's vocabulary, in g's arena (a rename's
 * target is the vocabulary's own string). */
static const char *rename_iri(struct fd_rdf_graph *g, const char *iri) {
        const struct fd_rdf_vocab *v = g->vocab;

        for (size_t i = 0; v && i < v->n_iris; i++)
                if (strcmp(iri, v->iris[i].from) == 0)
                        return v->iris[i].to;
        for (size_t i = 0; v && i < v->n_prefixes; i++)
                if (starts(iri, v->prefixes[i].from))
                        return fd_arena_printf(g->arena, "%s%s", v->prefixes[i].to, iri + strlen(v->prefixes[i].from));
        return fd_arena_strdup(g->arena, iri);
}

static bool copy_term(struct fd_rdf_graph *g, struct fd_rdf_term *dst, const struct fd_rdf_term *src, bool rename) {
        dst->kind = src->kind;
        dst->lang = dst->datatype = NULL;
        if (src->kind == FD_RDF_IRI && rename)
                dst->value = rename_iri(g, src->value);
        else
                dst->value = fd_arena_strdup(g->arena, src->value ? src->value : "");
        if (!dst->value)
                return false;
        if (src->lang && src->lang[0] && !(dst->lang = fd_arena_strdup(g->arena, src->lang)))
                return false;
        if (src->datatype && !(dst->datatype = fd_arena_strdup(g->arena, src->datatype)))
                return false;
        return true;
}

static enum fd_status spill_run(struct fd_rdf_graph *g, struct fd_error *err);
static size_t spill_run_triples(const struct fd_rdf_spill *sp);
static enum fd_status keep_aside(struct fd_rdf_graph *g, const struct fd_rdf_triple *t, struct fd_error *err);

enum fd_status fd_rdf_graph_add(struct fd_rdf_graph *g, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                                const struct fd_rdf_term *o, const char *graph, struct fd_error *err) {
        enum fd_status st;

        if (g->total == g->max)
                return fd_error_set(err, FD_E_LIMIT, "document has more than %zu triples", g->max);
        if (g->spill && g->n >= spill_run_triples(g->spill) && (st = spill_run(g, err)))
                return st;
        if (g->n == g->cap) {
                size_t cap = g->cap ? g->cap * 2 : 1024;
                size_t most = g->spill ? spill_run_triples(g->spill) : g->max;
                if (cap > most)
                        cap = most;
                struct fd_rdf_triple *v = realloc(g->v, cap * sizeof *v);
                if (!v)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                g->v = v;
                g->cap = cap;
        }
        bool is_type = p->kind == FD_RDF_IRI && strcmp(p->value, FD_NS_RDF "type") == 0;
        for (int attempt = 0;; attempt++) {
                struct fd_rdf_triple *t = &g->v[g->n];
                bool ok = copy_term(g, &t->s, s, false) && copy_term(g, &t->p, p, true) &&
                          copy_term(g, &t->o, o, is_type);
                t->graph = NULL;
                if (ok && graph && !(t->graph = fd_arena_strdup(g->arena, graph)))
                        ok = false;
                if (ok)
                        break;
                if (!g->spill || g->n == 0 || attempt > 0)
                        return fd_error_set(err, FD_E_LIMIT, "document exceeds the graph's memory bound");
                /* the budget is spent: the triples in hand go to disk */
                if ((st = spill_run(g, err)))
                        return st;
        }
        g->n++;
        g->total++;
        g->sorted = false;
        return g->spill ? keep_aside(g, &g->v[g->n - 1], err) : FD_OK;
}

static int term_cmp(const struct fd_rdf_term *a, const struct fd_rdf_term *b) {
        if (a->kind != b->kind)
                return a->kind < b->kind ? -1 : 1;
        return strcmp(a->value, b->value);
}

static int triple_cmp(const void *x, const void *y) {
        const struct fd_rdf_triple *a = x, *b = y;
        int c = term_cmp(&a->s, &b->s);
        if (c)
                return c;
        if ((c = strcmp(a->p.value, b->p.value)))
                return c;
        return term_cmp(&a->o, &b->o);
}

void fd_rdf_graph_sort(struct fd_rdf_graph *g) {
        if (g->sorted)
                return;
        if (g->n > 1)
                qsort(g->v, g->n, sizeof *g->v, triple_cmp);
        g->sorted = true;
}

bool fd_rdf_term_eq(const struct fd_rdf_term *a, const struct fd_rdf_term *b) {
        return a->kind == b->kind && strcmp(a->value, b->value) == 0;
}

size_t fd_rdf_graph_about(const struct fd_rdf_graph *g, const struct fd_rdf_term *t, size_t *ret_n) {
        size_t lo = 0, hi = g->n;

        *ret_n = 0;
        if (t->kind != FD_RDF_IRI && t->kind != FD_RDF_BLANK)
                return 0;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (term_cmp(&g->v[mid].s, t) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        size_t end = lo;
        while (end < g->n && fd_rdf_term_eq(&g->v[end].s, t))
                end++;
        *ret_n = end - lo;
        return lo;
}

const struct fd_rdf_term *fd_rdf_graph_object(const struct fd_rdf_graph *g, const struct fd_rdf_term *s,
                                              const char *p) {
        size_t n, i = fd_rdf_graph_about(g, s, &n);
        for (size_t k = 0; k < n; k++)
                if (strcmp(g->v[i + k].p.value, p) == 0)
                        return &g->v[i + k].o;
        return NULL;
}

bool fd_rdf_graph_has_type(const struct fd_rdf_graph *g, const struct fd_rdf_term *s, const char *type) {
        size_t n, i = fd_rdf_graph_about(g, s, &n);
        for (size_t k = 0; k < n; k++) {
                const struct fd_rdf_triple *t = &g->v[i + k];
                if (t->o.kind == FD_RDF_IRI && strcmp(t->p.value, FD_NS_RDF "type") == 0 &&
                    strcmp(t->o.value, type) == 0)
                        return true;
        }
        return false;
}

/* ---- the spill to disk ---------------------------------------------------------- */

/* One triple on disk: this header, then its strings with their NULs. */
struct rec_hdr {
        uint8_t kind[3];
        uint8_t pad;
        uint32_t len[6];  /* s, p, o, lang, datatype, graph with the NUL; 0: NULL */
};

/* Reads records of a file region through a buffer that grows to the
 * largest record. */
struct rreader {
        int fd;
        uint64_t pos, end;
        char *buf;
        size_t cap, len, off;
};

struct sample {
        uint64_t group;
        enum fd_rdf_kind kind;
        char *key;
};

struct fd_rdf_spill {
        size_t run_triples;
        FILE *runs;
        uint64_t runs_len;
        uint64_t run_off[MAX_RUNS + 1];
        size_t n_runs;
        FILE *data, *index;        /* after the merge */
        uint64_t data_len, n_groups;
        uint64_t *bloom;
        struct sample *samples;    /* the subject of every SAMPLE_EVERY-th group */
        size_t n_samples, samples_cap;
        char *scratch;             /* a subject read for a comparison */
        size_t scratch_cap;
        struct rreader group;      /* reads the groups a description reaches */
};

static size_t spill_run_triples(const struct fd_rdf_spill *sp) { return sp->run_triples; }

static void spill_free(struct fd_rdf_spill *sp) {
        if (!sp)
                return;
        if (sp->runs)
                fclose(sp->runs);
        if (sp->data)
                fclose(sp->data);
        if (sp->index)
                fclose(sp->index);
        free(sp->bloom);
        free(sp->scratch);
        free(sp->group.buf);
        for (size_t i = 0; i < sp->n_samples; i++)
                free(sp->samples[i].key);
        free(sp->samples);
        free(sp);
}

FILE *fd_rdf_temp_file(void) {
        const char *dir = getenv("TMPDIR");
        char path[4096];

        snprintf(path, sizeof path, "%s/fairdex-rdf-XXXXXX", dir && dir[0] ? dir : "/tmp");
        int fd = mkostemp(path, O_CLOEXEC);
        if (fd < 0)
                return NULL;
        unlink(path);
        FILE *f = fdopen(fd, "w+");
        if (!f)
                close(fd);
        return f;
}

static enum fd_status graph_streamed(size_t max_triples, size_t budget, const struct fd_rdf_vocab *vocab,
                                     struct fd_rdf_graph **ret, struct fd_error *err) {
        struct fd_rdf_graph *g = NULL;
        enum fd_status st;

        if (budget < MIN_BUDGET)
                budget = MIN_BUDGET;
        /* a third of the budget for the triples, the rest for their strings */
        if ((st = fd_rdf_graph_new(max_triples ? max_triples : DEFAULT_STREAM_TRIPLES, budget - budget / 3, vocab, &g,
                                   err)))
                return st;
        if (!(g->spill = calloc(1, sizeof *g->spill))) {
                fd_rdf_graph_free(g);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        g->spill->run_triples = budget / 3 / sizeof(struct fd_rdf_triple);
        *ret = g;
        return FD_OK;
}

enum fd_status fd_rdf_graph_new_streamed(size_t max_triples, size_t budget, const struct fd_rdf_vocab *vocab,
                                         struct fd_rdf_graph **ret, struct fd_error *err) {
        _fd_cleanup_(fd_rdf_graph_freep) struct fd_rdf_graph *g = NULL;
        enum fd_status st;

        if (!budget)
                budget = DEFAULT_BUDGET;
        /* the reversed links get an eighth of the budget, the triples kept aside 4096 triples;
         * what they hold was read through the vocabulary already */
        if ((st = graph_streamed(max_triples, budget - budget / 8, vocab, &g, err)) ||
            (st = graph_streamed(max_triples, budget / 8, NULL, &g->rev, err)) ||
            (st = fd_rdf_graph_new(4096, (size_t)4 << 20, NULL, &g->aside, err)))
                return st;
        g->rev->doc = g->doc;
        g->aside->doc = g->doc;
        *ret = FD_TAKE_PTR(g);
        return FD_OK;
}

bool fd_rdf_graph_spilled(const struct fd_rdf_graph *g) { return g->spill && g->spill->data; }

static bool prefixed(const char *s, const char *const *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (starts(s, v[i]))
                        return true;
        return false;
}

static enum fd_status keep_aside(struct fd_rdf_graph *g, const struct fd_rdf_triple *t, struct fd_error *err) {
        const struct fd_rdf_vocab *v = g->vocab;
        const char *p = t->p.value;

        if (!v)
                return FD_OK;
        if (g->rev && (t->o.kind == FD_RDF_IRI || t->o.kind == FD_RDF_BLANK) && listed(p, v->reversed, v->n_reversed))
                return fd_rdf_graph_add(g->rev, &t->o, &t->p, &t->s, NULL, err);
        if (g->aside && g->aside->n < g->aside->max &&
            (listed(p, v->aside, v->n_aside) ||
             (strcmp(p, FD_NS_RDF "type") == 0 && prefixed(t->o.value, v->aside_types, v->n_aside_types)))) {
                struct fd_error e = {0};
                fd_rdf_graph_add(g->aside, &t->s, &t->p, &t->o, NULL, &e);  /* past its bound: not kept */
        }
        return FD_OK;
}

static bool write_record(FILE *f, uint64_t *pos, const struct fd_rdf_triple *t) {
        const char *str[6] = {t->s.value, t->p.value, t->o.value, t->o.lang, t->o.datatype, t->graph};
        struct rec_hdr h = {.kind = {(uint8_t)t->s.kind, (uint8_t)t->p.kind, (uint8_t)t->o.kind}};
        uint64_t total = sizeof h;

        for (int i = 0; i < 6; i++) {
                h.len[i] = str[i] ? (uint32_t)strlen(str[i]) + 1 : 0;
                total += h.len[i];
        }
        if (total > MAX_RECORD || fwrite(&h, sizeof h, 1, f) != 1)
                return false;
        for (int i = 0; i < 6; i++)
                if (h.len[i] && fwrite(str[i], h.len[i], 1, f) != 1)
                        return false;
        *pos += total;
        return true;
}

static enum fd_status spill_run(struct fd_rdf_graph *g, struct fd_error *err) {
        struct fd_rdf_spill *sp = g->spill;

        if (g->n == 0)
                return FD_OK;
        if (sp->n_runs == MAX_RUNS)
                return fd_error_set(err, FD_E_LIMIT, "document needs more than %d runs of its memory budget",
                                    MAX_RUNS);
        if (!sp->runs && !(sp->runs = fd_rdf_temp_file()))
                return fd_error_set(err, FD_E_IO, "cannot create a temporary file: %s", strerror(errno));
        fd_rdf_graph_sort(g);
        sp->run_off[sp->n_runs] = sp->runs_len;
        for (size_t i = 0; i < g->n; i++)
                if (!write_record(sp->runs, &sp->runs_len, &g->v[i]))
                        return fd_error_set(err, FD_E_IO, "cannot write a temporary file: %s",
                                            errno ? strerror(errno) : "record too large");
        sp->n_runs++;
        sp->run_off[sp->n_runs] = sp->runs_len;
        g->n = 0;
        fd_arena_reset(g->arena);
        return FD_OK;
}

static void rr_init(struct rreader *r, int fd, uint64_t pos, uint64_t end) {
        *r = (struct rreader){.fd = fd, .pos = pos, .end = end};
}

/* At least n bytes buffered from off; false at the end or on error. */
static bool rr_need(struct rreader *r, size_t n, size_t chunk) {
        if (r->len - r->off >= n)
                return true;
        if (r->off) {
                memmove(r->buf, r->buf + r->off, r->len - r->off);
                r->len -= r->off;
                r->off = 0;
        }
        if (n > r->cap || !r->buf) {
                size_t cap = n > chunk ? n : chunk;
                char *b = realloc(r->buf, cap);
                if (!b)
                        return false;
                r->buf = b;
                r->cap = cap;
        }
        while (r->len < n && r->pos < r->end) {
                size_t want = r->cap - r->len;
                if (want > r->end - r->pos)
                        want = (size_t)(r->end - r->pos);
                ssize_t got = pread(r->fd, r->buf + r->len, want, (off_t)r->pos);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0)
                        return false;
                r->len += (size_t)got;
                r->pos += (uint64_t)got;
        }
        return r->len >= n;
}

/* The next record into t (pointing into the reader's buffer until the next
 * call); *ret_size its bytes on disk.  false at the end. */
static bool rr_next(struct rreader *r, struct fd_rdf_triple *t, size_t chunk, size_t *ret_size) {
        struct rec_hdr h;
        const char *str[6];

        if (!rr_need(r, sizeof h, chunk))
                return false;
        memcpy(&h, r->buf + r->off, sizeof h);
        size_t total = sizeof h;
        for (int i = 0; i < 6; i++)
                total += h.len[i];
        if (total > MAX_RECORD + sizeof h || !rr_need(r, total, chunk))
                return false;
        const char *p = r->buf + r->off + sizeof h;
        for (int i = 0; i < 6; i++) {
                str[i] = h.len[i] ? p : NULL;
                p += h.len[i];
        }
        *t = (struct fd_rdf_triple){
                .s = {.kind = h.kind[0], .value = str[0]},
                .p = {.kind = h.kind[1], .value = str[1]},
                .o = {.kind = h.kind[2], .value = str[2], .lang = str[3], .datatype = str[4]},
                .graph = str[5],
        };
        r->off += total;
        if (ret_size)
                *ret_size = total;
        return true;
}

static uint64_t term_hash(const struct fd_rdf_term *t) {
        return fd_hash_more(FD_HASH_INIT ^ (uint64_t)t->kind, t->value, strlen(t->value));
}

/* Two lanes for double hashing: the term's FNV-1a, and a mix of it (odd). */
static void bloom_hashes(const struct fd_rdf_term *t, uint64_t *h1, uint64_t *h2) {
        uint64_t a = term_hash(t), b = a;

        b ^= b >> 33;
        b *= 0xff51afd7ed558ccdULL;
        b ^= b >> 33;
        b *= 0xc4ceb9fe1a85ec53ULL;
        b ^= b >> 33;
        *h1 = a;
        *h2 = b | 1;
}

static void bloom_add(uint64_t *bits, const struct fd_rdf_term *t) {
        uint64_t h1, h2;
        bloom_hashes(t, &h1, &h2);
        for (int i = 0; i < 4; i++) {
                uint64_t b = (h1 + (uint64_t)i * h2) & (BLOOM_BITS - 1);
                bits[b >> 6] |= (uint64_t)1 << (b & 63);
        }
}

static bool bloom_maybe(const uint64_t *bits, const struct fd_rdf_term *t) {
        uint64_t h1, h2;
        bloom_hashes(t, &h1, &h2);
        for (int i = 0; i < 4; i++) {
                uint64_t b = (h1 + (uint64_t)i * h2) & (BLOOM_BITS - 1);
                if (!(bits[b >> 6] & ((uint64_t)1 << (b & 63))))
                        return false;
        }
        return true;
}

static bool add_sample(struct fd_rdf_spill *sp, const struct fd_rdf_term *t) {
        if (sp->n_samples == sp->samples_cap) {
                size_t cap = sp->samples_cap ? sp->samples_cap * 2 : 256;
                struct sample *v = realloc(sp->samples, cap * sizeof *v);
                if (!v)
                        return false;
                sp->samples = v;
                sp->samples_cap = cap;
        }
        char *key = strdup(t->value);
        if (!key)
                return false;
        sp->samples[sp->n_samples++] = (struct sample){.group = sp->n_groups, .kind = t->kind, .key = key};
        return true;
}

struct merge_in {
        struct rreader r;
        struct fd_rdf_triple t;
        size_t size;
};

static bool heap_less(struct merge_in *in, size_t a, size_t b) {
        int c = triple_cmp(&in[a].t, &in[b].t);
        return c < 0 || (c == 0 && a < b);
}

static void heap_down(struct merge_in *in, size_t *heap, size_t n, size_t i) {
        for (;;) {
                size_t l = 2 * i + 1, m = i;
                if (l < n && heap_less(in, heap[l], heap[m]))
                        m = l;
                if (l + 1 < n && heap_less(in, heap[l + 1], heap[m]))
                        m = l + 1;
                if (m == i)
                        return;
                size_t tmp = heap[i];
                heap[i] = heap[m];
                heap[m] = tmp;
                i = m;
        }
}

/* Merges the runs into the data file, the index of subjects and the Bloom
 * filter; the runs file is closed. */
static enum fd_status spill_merge(struct fd_rdf_spill *sp, struct fd_error *err) {
        _fd_free_ struct merge_in *in = calloc(sp->n_runs, sizeof *in);
        _fd_free_ size_t *heap = calloc(sp->n_runs, sizeof *heap);
        _fd_free_ char *prev = NULL;
        size_t n = 0, prev_cap = 0;
        enum fd_rdf_kind prev_kind = FD_RDF_NONE;
        enum fd_status st = FD_OK;

        if (!in || !heap || !(sp->bloom = calloc(BLOOM_BITS / 64, sizeof *sp->bloom)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (fflush(sp->runs) != 0)
                return fd_error_set(err, FD_E_IO, "cannot write a temporary file: %s", strerror(errno));
        if (!(sp->data = fd_rdf_temp_file()) || !(sp->index = fd_rdf_temp_file()))
                return fd_error_set(err, FD_E_IO, "cannot create a temporary file: %s", strerror(errno));
        int fd = fileno(sp->runs);
        for (size_t i = 0; i < sp->n_runs; i++) {
                rr_init(&in[i].r, fd, sp->run_off[i], sp->run_off[i + 1]);
                if (rr_next(&in[i].r, &in[i].t, RUN_READ_BUF, &in[i].size))
                        heap[n++] = i;
        }
        for (size_t i = n / 2; i-- > 0;)
                heap_down(in, heap, n, i);
        while (n > 0) {
                struct merge_in *m = &in[heap[0]];
                if (prev_kind != m->t.s.kind || !prev || strcmp(prev, m->t.s.value) != 0) {
                        size_t len = strlen(m->t.s.value) + 1;
                        if (len > prev_cap) {
                                char *p = realloc(prev, len);
                                if (!p) {
                                        st = fd_error_set(err, FD_E_NOMEM, "out of memory");
                                        break;
                                }
                                prev = p;
                                prev_cap = len;
                        }
                        memcpy(prev, m->t.s.value, len);
                        prev_kind = m->t.s.kind;
                        if (fwrite(&sp->data_len, sizeof sp->data_len, 1, sp->index) != 1) {
                                st = fd_error_set(err, FD_E_IO, "cannot write a temporary file: %s", strerror(errno));
                                break;
                        }
                        if (sp->n_groups % SAMPLE_EVERY == 0 && !add_sample(sp, &m->t.s)) {
                                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
                                break;
                        }
                        sp->n_groups++;
                        bloom_add(sp->bloom, &m->t.s);
                }
                if (!write_record(sp->data, &sp->data_len, &m->t)) {
                        st = fd_error_set(err, FD_E_IO, "cannot write a temporary file: %s", strerror(errno));
                        break;
                }
                if (!rr_next(&m->r, &m->t, RUN_READ_BUF, &m->size))
                        heap[0] = heap[--n];
                heap_down(in, heap, n, 0);
        }
        for (size_t i = 0; i < sp->n_runs; i++)
                free(in[i].r.buf);
        fclose(sp->runs);
        sp->runs = NULL;
        if (!st && (fflush(sp->data) != 0 || fflush(sp->index) != 0))
                st = fd_error_set(err, FD_E_IO, "cannot write a temporary file: %s", strerror(errno));
        return st;
}

enum fd_status fd_rdf_graph_finish(struct fd_rdf_graph *g, struct fd_error *err) {
        enum fd_status st;

        if (g->rev && (st = fd_rdf_graph_finish(g->rev, err)))
                return st;
        if (g->aside)
                fd_rdf_graph_sort(g->aside);
        if (!g->spill || g->spill->n_runs == 0) {
                fd_rdf_graph_sort(g);
                return FD_OK;
        }
        if ((st = spill_run(g, err)) || (st = spill_merge(g->spill, err)))
                return st;
        free(g->v);
        g->v = NULL;
        g->n = g->cap = 0;
        fd_arena_reset(g->arena);
        g->sorted = true;
        return FD_OK;
}

/* The offset of t's first record in the data file: the in-memory samples
 * give the window of SAMPLE_EVERY groups it would be in, a binary search
 * over that window of the index file finds it. */
static bool spill_find(struct fd_rdf_spill *sp, const struct fd_rdf_term *t, uint64_t *ret) {
        uint64_t offs[SAMPLE_EVERY];
        int dfd = fileno(sp->data);

        if (!sp->n_samples || !bloom_maybe(sp->bloom, t))
                return false;
        size_t lo = 0, hi = sp->n_samples;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                struct fd_rdf_term k = {.kind = sp->samples[mid].kind, .value = sp->samples[mid].key};
                if (term_cmp(&k, t) <= 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == 0)
                return false;  /* before the first subject */
        uint64_t g0 = sp->samples[lo - 1].group;
        uint64_t g1 = lo < sp->n_samples ? sp->samples[lo].group : sp->n_groups;
        size_t n = (size_t)(g1 - g0);
        if (pread(fileno(sp->index), offs, n * sizeof *offs, (off_t)(g0 * sizeof *offs)) != (ssize_t)(n * sizeof *offs))
                return false;
        size_t a = 0, b = n;
        while (a < b) {
                size_t mid = a + (b - a) / 2;
                struct rec_hdr h;
                char buf[sizeof h + 256];
                ssize_t got = pread(dfd, buf, sizeof buf, (off_t)offs[mid]);
                if (got < (ssize_t)sizeof h)
                        return false;
                memcpy(&h, buf, sizeof h);
                if (h.len[0] == 0)
                        return false;
                const char *key = buf + sizeof h;
                if (h.len[0] > (size_t)got - sizeof h) {
                        if (h.len[0] > sp->scratch_cap) {
                                char *nb = realloc(sp->scratch, h.len[0]);
                                if (!nb)
                                        return false;
                                sp->scratch = nb;
                                sp->scratch_cap = h.len[0];
                        }
                        if (pread(dfd, sp->scratch, h.len[0], (off_t)(offs[mid] + sizeof h)) != (ssize_t)h.len[0])
                                return false;
                        key = sp->scratch;
                }
                struct fd_rdf_term s = {.kind = h.kind[0], .value = key};
                if (key[h.len[0] - 1] != '\0')
                        return false;
                int c = term_cmp(&s, t);
                if (c == 0) {
                        *ret = offs[mid];
                        return true;
                }
                if (c < 0)
                        a = mid + 1;
                else
                        b = mid;
        }
        return false;
}

/* Adds the triples about the subject whose records start at off to dst. */
static enum fd_status spill_read_group(struct fd_rdf_spill *sp, uint64_t off, struct fd_rdf_graph *dst,
                                       struct rreader *r, struct fd_error *err) {
        struct fd_rdf_triple t;
        enum fd_rdf_kind kind = FD_RDF_NONE;
        const char *subject = NULL;
        enum fd_status st;

        r->fd = fileno(sp->data);
        r->pos = off;
        r->end = sp->data_len;
        r->len = r->off = 0;
        while (rr_next(r, &t, 4096, NULL)) {
                if (subject && (t.s.kind != kind || strcmp(t.s.value, subject) != 0))
                        break;
                if ((st = fd_rdf_graph_add(dst, &t.s, &t.p, &t.o, t.graph, err)))
                        return st;
                kind = dst->v[dst->n - 1].s.kind;
                subject = dst->v[dst->n - 1].s.value;
        }
        return FD_OK;
}

/* ---- walking a finished graph subject by subject ----------------------------------- */

/* A cursor over a finished graph: in memory, or its spilled file. */
struct cursor {
        const struct fd_rdf_graph *g;
        size_t i;
        struct rreader r;
        struct fd_rdf_triple t;
        bool have;
};

static void cursor_open(struct cursor *c, const struct fd_rdf_graph *g) {
        *c = (struct cursor){.g = g};
        if (fd_rdf_graph_spilled(g))
                rr_init(&c->r, fileno(g->spill->data), 0, g->spill->data_len);
}

/* The current triple, or NULL at the end. */
static const struct fd_rdf_triple *cursor_peek(struct cursor *c) {
        if (!fd_rdf_graph_spilled(c->g))
                return c->i < c->g->n ? &c->g->v[c->i] : NULL;
        if (!c->have)
                c->have = rr_next(&c->r, &c->t, 256 << 10, NULL);
        return c->have ? &c->t : NULL;
}

static void cursor_advance(struct cursor *c) {
        if (!fd_rdf_graph_spilled(c->g))
                c->i++;
        else
                c->have = false;
}

static void cursor_close(struct cursor *c) { free(c->r.buf); }

/* A set of nodes (terms whose strings outlive it), open addressing. */
struct nodeset {
        const struct fd_rdf_term **v;
        size_t n, cap;
};

/* Adds t; false when it was there already or on OOM (*ret_nomem). */
static bool nodeset_add(struct nodeset *s, const struct fd_rdf_term *t, bool *ret_nomem) {
        if ((s->n + 1) * 2 > s->cap) {
                struct nodeset b = {.cap = s->cap ? s->cap * 2 : 256};
                if (!(b.v = calloc(b.cap, sizeof *b.v))) {
                        *ret_nomem = true;
                        return false;
                }
                for (size_t i = 0; i < s->cap; i++)
                        if (s->v[i]) {
                                size_t j = term_hash(s->v[i]) & (b.cap - 1);
                                while (b.v[j])
                                        j = (j + 1) & (b.cap - 1);
                                b.v[j] = s->v[i];
                        }
                b.n = s->n;
                free(s->v);
                *s = b;
        }
        size_t i = term_hash(t) & (s->cap - 1);
        for (; s->v[i]; i = (i + 1) & (s->cap - 1))
                if (fd_rdf_term_eq(s->v[i], t))
                        return false;
        s->v[i] = t;
        s->n++;
        return true;
}

enum fd_status fd_rdf_graph_describe(struct fd_rdf_graph *g, struct fd_rdf_graph *sub, bool (*stop)(const char *type),
                                     struct fd_error *err) {
        struct fd_rdf_spill *sp = g->spill;
        size_t layer_end = sub->n;
        struct nodeset seen = {0};
        bool nomem = false;
        int depth = 0;
        enum fd_status st = FD_OK;

        /* breadth first, by layers */
        for (size_t i = 0; i < sub->n && !st; i++) {
                if (i == layer_end) {
                        if (++depth >= CBD_DEPTH)
                                break;
                        layer_end = sub->n;
                }
                /* the term's strings live in sub's arena: the pointer to the
                 * triple may move as sub grows, the strings do not */
                const struct fd_rdf_term *o = &sub->v[i].o;
                if ((o->kind != FD_RDF_IRI && o->kind != FD_RDF_BLANK) ||
                    strcmp(sub->v[i].p.value, FD_NS_RDF "type") == 0 || fd_rdf_term_eq(o, &sub->v[0].s))
                        continue;
                struct fd_rdf_term *key = fd_arena_alloc(sub->arena, sizeof *key);
                if (!key) {
                        st = fd_error_set(err, FD_E_LIMIT, "description exceeds its memory bound");
                        break;
                }
                *key = *o;
                if (!nodeset_add(&seen, key, &nomem)) {
                        if (nomem)
                                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
                        continue;
                }
                uint64_t off;
                if (!sp || !spill_find(sp, key, &off))
                        continue;
                size_t before = sub->n;
                if ((st = spill_read_group(sp, off, sub, &sp->group, err)))
                        break;
                for (size_t k = before; k < sub->n; k++)
                        if (strcmp(sub->v[k].p.value, FD_NS_RDF "type") == 0 && sub->v[k].o.kind == FD_RDF_IRI &&
                            stop && stop(sub->v[k].o.value)) {
                                sub->n = before;  /* it stands for itself */
                                break;
                        }
        }
        free(seen.v);
        return st;
}

#define MAX_IN 16

/* The predicates of the reversed triples about s (each once) into in,
 * their strings in sub's arena; the cursor is left past them. */
static size_t reversed_about(struct cursor *rev, const struct fd_rdf_term *s, struct fd_rdf_graph *sub,
                             const char **in) {
        const struct fd_rdf_triple *x;
        size_t n = 0;

        while ((x = cursor_peek(rev)) && term_cmp(&x->s, s) < 0)
                cursor_advance(rev);
        for (; (x = cursor_peek(rev)) && term_cmp(&x->s, s) == 0; cursor_advance(rev)) {
                bool have = false;
                for (size_t i = 0; i < n && !have; i++)
                        have = strcmp(in[i], x->p.value) == 0;
                if (!have && n < MAX_IN && (in[n] = fd_arena_strdup(sub->arena, x->p.value)))
                        n++;
        }
        return n;
}

enum fd_status fd_rdf_graph_each_subject(struct fd_rdf_graph *g, fd_rdf_subject_fn fn,
                                         void (*skip)(void *ud, const char *msg), void *ud, struct fd_error *err) {
        _fd_cleanup_(fd_rdf_graph_freep) struct fd_rdf_graph *sub = NULL;
        struct cursor main, rev;
        enum fd_status st;

        if (!fd_rdf_graph_spilled(g) || !g->rev)
                return fd_error_set(err, FD_E_INVALID, "graph was not spilled");
        if ((st = fd_rdf_graph_new(DATASET_TRIPLES, DATASET_ARENA, NULL, &sub, err)))
                return st;
        sub->doc = g->doc;
        cursor_open(&main, g);
        cursor_open(&rev, g->rev);
        const struct fd_rdf_triple *t = cursor_peek(&main);
        while (t) {
                const char *in[MAX_IN];
                struct fd_error e = {0};
                sub->n = sub->total = 0;
                fd_arena_reset(sub->arena);
                st = FD_OK;
                /* the subject's own triples */
                do {
                        if (!st)
                                st = fd_rdf_graph_add(sub, &t->s, &t->p, &t->o, t->graph, &e);
                        cursor_advance(&main);
                        t = cursor_peek(&main);
                } while (t && sub->n && fd_rdf_term_eq(&t->s, &sub->v[0].s));
                if (st == FD_E_NOMEM) {
                        fd_error_set(err, st, "%s", e.msg);
                        break;
                }
                if (st) {
                        if (skip)
                                skip(ud, e.msg);
                        st = FD_OK;
                        continue;
                }
                size_t n_in = g->rev ? reversed_about(&rev, &sub->v[0].s, sub, in) : 0;
                if ((st = fn(ud, sub, in, n_in, err)))
                        break;
        }
        cursor_close(&main);
        cursor_close(&rev);
        return st;
}

/* ---- syntax ---------------------------------------------------------------- */

static bool ends_with(const char *s, size_t n, const char *suffix) {
        size_t m = strlen(suffix);
        return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

enum fd_rdf_syntax fd_rdf_sniff(const char *content_type, const char *url, const char *data, size_t len) {
        static const struct {
                const char *name;
                enum fd_rdf_syntax syntax;
        } types[] = {
                {"text/turtle", FD_RDF_TURTLE},          {"application/x-turtle", FD_RDF_TURTLE},
                {"application/n-triples", FD_RDF_NTRIPLES}, {"application/n-quads", FD_RDF_NQUADS},
                {"application/trig", FD_RDF_TRIG},       {"application/rdf+xml", FD_RDF_RDFXML},
                {"application/ld+json", FD_RDF_JSONLD},
        };

        if (content_type) {
                size_t n = strcspn(content_type, "; \t");
                for (size_t i = 0; i < FD_ELEMENTSOF(types); i++)
                        if (strlen(types[i].name) == n && strncasecmp(content_type, types[i].name, n) == 0)
                                return types[i].syntax;
                /* application/json and the generic XML types are decided by the bytes */
        }
        if (url) {
                size_t n = strcspn(url, "?#");
                if (ends_with(url, n, ".ttl"))
                        return FD_RDF_TURTLE;
                if (ends_with(url, n, ".nt"))
                        return FD_RDF_NTRIPLES;
                if (ends_with(url, n, ".nq"))
                        return FD_RDF_NQUADS;
                if (ends_with(url, n, ".trig"))
                        return FD_RDF_TRIG;
                if (ends_with(url, n, ".rdf") || ends_with(url, n, ".owl"))
                        return FD_RDF_RDFXML;
                if (ends_with(url, n, ".jsonld"))
                        return FD_RDF_JSONLD;
        }
        size_t i = 0;
        if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
            (unsigned char)data[2] == 0xBF)
                i = 3;
        while (i < len && isspace((unsigned char)data[i]))
                i++;
        if (i == len)
                return FD_RDF_UNKNOWN;
        if (data[i] == '{' || data[i] == '[')
                return FD_RDF_JSON;  /* JSON-LD or plain: decided on the parsed value */
        if (data[i] == '<') {
                /* an XML tag, or an N-Triples / Turtle IRI such as <http://…> */
                size_t n = len - i < 2048 ? len - i : 2048;
                const char *end = memchr(data + i, '>', n);
                if (len - i > 1 && (data[i + 1] == '?' || data[i + 1] == '!'))
                        return FD_RDF_RDFXML;
                if (!end)
                        return FD_RDF_RDFXML;
                size_t m = (size_t)(end - (data + i));
                if (memmem(data + i, m, "://", 3) || (m > 5 && strncasecmp(data + i + 1, "urn:", 4) == 0))
                        return FD_RDF_TURTLE;
                return FD_RDF_RDFXML;
        }
        return FD_RDF_TURTLE;  /* @prefix, PREFIX, comments, prefixed names */
}

/* ---- skipped statements ------------------------------------------------------ */

/* Counts a statement skipped for a syntax error; the first few places are
 * kept for the run's warning. */
static void note_skipped(struct fd_rdf_graph *g, unsigned long n, unsigned line, unsigned col, const char *why) {
        size_t len = strlen(g->skipped_at);

        g->skipped += n;
        if (g->skipped_named++ >= FD_RDF_SKIPS_NAMED || len >= sizeof g->skipped_at - 1)
                return;
        snprintf(g->skipped_at + len, sizeof g->skipped_at - len, "%sline %u column %u: %s", len ? "; " : "", line,
                 col, why);
}

/* The end of a reader that skipped: FD_E_PARSE with the first error when
 * nothing of the document could be read. */
static enum fd_status nothing_read(const struct fd_rdf_graph *g, size_t before, const struct fd_error *first,
                                   struct fd_error *err) {
        if (g->total == before && g->skipped)
                return fd_error_set(err, FD_E_PARSE, "%s (nothing of it could be read)", first->msg);
        return FD_OK;
}

/* ---- serd ------------------------------------------------------------------ */

struct serd_ctx {
        struct fd_rdf_graph *g;
        SerdEnv *env;
        const char *where;
        enum fd_status st;
        struct fd_error *err;
        bool have_error;
        struct fd_error perr;   /* the first error */
        char bad[256];          /* the first prefixed name that did not expand */
        unsigned long undefined; /* statements skipped for undefined prefixes */
};

static SerdStatus on_serd_base(void *h, const SerdNode *uri) {
        struct serd_ctx *c = h;
        return serd_env_set_base_uri(c->env, uri);
}

static SerdStatus on_serd_prefix(void *h, const SerdNode *name, const SerdNode *uri) {
        struct serd_ctx *c = h;
        return serd_env_set_prefix(c->env, name, uri);
}

/* Fills t from a serd node; *tmp gets the expanded node to free. */
static bool serd_term(struct serd_ctx *c, const SerdNode *n, struct fd_rdf_term *t, SerdNode *tmp, char *label,
                      size_t labelsz) {
        memset(t, 0, sizeof *t);
        *tmp = SERD_NODE_NULL;
        switch (n->type) {
        case SERD_URI:
        case SERD_CURIE:
                *tmp = serd_env_expand_node(c->env, n);
                if (!tmp->buf)
                        return false;
                t->kind = FD_RDF_IRI;
                t->value = (const char *)tmp->buf;
                return true;
        case SERD_BLANK:
                snprintf(label, labelsz, "d%lu_%s", c->g->doc, (const char *)n->buf);
                t->kind = FD_RDF_BLANK;
                t->value = label;
                return true;
        case SERD_LITERAL:
                t->kind = FD_RDF_LITERAL;
                t->value = (const char *)n->buf;
                return true;
        default:
                return false;
        }
}

static SerdStatus on_serd_statement(void *h, SerdStatementFlags flags, const SerdNode *graph,
                                    const SerdNode *subject, const SerdNode *predicate, const SerdNode *object,
                                    const SerdNode *datatype, const SerdNode *lang) {
        struct serd_ctx *c = h;
        struct fd_rdf_term s, p, o, gt;
        SerdNode ts, tp, to, tg = SERD_NODE_NULL, td = SERD_NODE_NULL;
        char ls[512], lp[64], lo[512], lg[512];  /* lp: a predicate is never blank in serd's syntaxes */
        bool ok;

        ok = serd_term(c, subject, &s, &ts, ls, sizeof ls) & serd_term(c, predicate, &p, &tp, lp, sizeof lp) &
             serd_term(c, object, &o, &to, lo, sizeof lo);
        if (ok && graph && graph->buf)
                ok = serd_term(c, graph, &gt, &tg, lg, sizeof lg);
        if (ok && datatype && datatype->buf) {
                td = serd_env_expand_node(c->env, datatype);
                o.datatype = (const char *)td.buf;
        }
        if (ok && lang && lang->buf)
                o.lang = (const char *)lang->buf;
        if (ok && p.kind == FD_RDF_IRI)
                c->st = fd_rdf_graph_add(c->g, &s, &p, &o, graph && graph->buf ? gt.value : NULL, c->err);
        serd_node_free(&ts);
        serd_node_free(&tp);
        serd_node_free(&to);
        serd_node_free(&tg);
        serd_node_free(&td);
        if (!ok && !c->undefined++) {
                const SerdNode *bad = subject->type == SERD_CURIE ? subject
                                      : predicate->type == SERD_CURIE ? predicate
                                                                      : object;
                snprintf(c->bad, sizeof c->bad, "%s", bad->buf ? (const char *)bad->buf : "");
        }
        /* a statement with an undefined prefix is skipped, the next ones read */
        return c->st ? SERD_ERR_BAD_SYNTAX : SERD_SUCCESS;
}

static SerdStatus on_serd_error(void *h, const SerdError *e) {
        struct serd_ctx *c = h;
        char msg[256];
        va_list ap;

        va_copy(ap, *e->args);
        vsnprintf(msg, sizeof msg, e->fmt, ap);
        va_end(ap);
        msg[strcspn(msg, "\n")] = '\0';
        note_skipped(c->g, 1, e->line, e->col, msg);
        if (!c->have_error)
                fd_error_set(&c->perr, FD_E_PARSE, "'%s' line %u column %u: %s", c->where, e->line, e->col, msg);
        c->have_error = true;
        return SERD_SUCCESS;
}

/* Line and column of the first occurrence of needle in f from start. */
static void locate(FILE *f, long start, const char *needle, unsigned *ret_line, unsigned *ret_col) {
        _fd_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t n;

        *ret_line = *ret_col = 1;
        if (!needle[0] || fseek(f, start, SEEK_SET) != 0)
                return;
        for (unsigned no = 1; (n = getline(&line, &cap, f)) > 0; no++) {
                const char *hit = memmem(line, (size_t)n, needle, strlen(needle));
                if (hit) {
                        *ret_line = no;
                        *ret_col = (unsigned)(hit - line) + 1;
                        return;
                }
        }
}

static enum fd_status read_serd(struct fd_rdf_graph *g, SerdSyntax syntax, FILE *f, const char *base,
                                const char *where, struct fd_error *err) {
        SerdNode base_node = serd_node_from_string(SERD_URI, (const uint8_t *)(base ? base : ""));
        struct serd_ctx c = {.g = g, .where = where, .err = err};
        long start = ftell(f);
        size_t before = g->total;

        c.env = serd_env_new(base ? &base_node : NULL);
        if (!c.env)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        SerdReader *r = serd_reader_new(syntax, &c, NULL, on_serd_base, on_serd_prefix, on_serd_statement, NULL);
        if (!r) {
                serd_env_free(c.env);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        serd_reader_set_strict(r, false);
        serd_reader_set_error_sink(r, on_serd_error, &c);
        /* serd pulls the file a page at a time: the document is never held whole */
        SerdStatus ss = serd_reader_read_file_handle(r, f, (const uint8_t *)where);
        serd_reader_free(r);
        serd_env_free(c.env);
        if (c.st)
                return c.st;
        if (c.undefined) {
                /* serd does not say where: the name's first use outside a directive */
                unsigned line, col;
                char why[320];
                locate(f, start, c.bad, &line, &col);
                snprintf(why, sizeof why, "undefined prefix in '%s'", c.bad);
                note_skipped(g, c.undefined, line, col, why);
                if (!c.have_error)
                        fd_error_set(&c.perr, FD_E_PARSE, "'%s' line %u column %u: %s", where, line, col, why);
                c.have_error = true;
        }
        if (!c.have_error && ss != SERD_SUCCESS && ss != SERD_FAILURE)
                return fd_error_set(err, FD_E_PARSE, "'%s': %s", where, (const char *)serd_strerror(ss));
        return nothing_read(g, before, &c.perr, err);
}

/* ---- raptor2 ----------------------------------------------------------------- */

struct raptor_ctx {
        struct fd_rdf_graph *g;
        const char *where;
        enum fd_status st;
        struct fd_error *err;
        bool have_error;        /* perr holds the first error */
        bool fatal;             /* an XML error: the document ends there */
        struct fd_error perr;
        raptor_parser *parser;
};

static bool raptor_fd_term(struct raptor_ctx *c, raptor_term *rt, struct fd_rdf_term *t, char *label,
                           size_t labelsz) {
        memset(t, 0, sizeof *t);
        if (!rt)
                return false;
        switch (rt->type) {
        case RAPTOR_TERM_TYPE_URI:
                t->kind = FD_RDF_IRI;
                t->value = (const char *)raptor_uri_as_string(rt->value.uri);
                return true;
        case RAPTOR_TERM_TYPE_BLANK:
                snprintf(label, labelsz, "d%lu_%s", c->g->doc, (const char *)rt->value.blank.string);
                t->kind = FD_RDF_BLANK;
                t->value = label;
                return true;
        case RAPTOR_TERM_TYPE_LITERAL:
                t->kind = FD_RDF_LITERAL;
                t->value = (const char *)rt->value.literal.string;
                t->lang = (const char *)rt->value.literal.language;
                if (rt->value.literal.datatype)
                        t->datatype = (const char *)raptor_uri_as_string(rt->value.literal.datatype);
                return true;
        default:
                return false;
        }
}

static void on_raptor_statement(void *ud, raptor_statement *st) {
        struct raptor_ctx *c = ud;
        struct fd_rdf_term s, p, o;
        char ls[512], lo[512];

        if (c->st)
                return;
        if (!raptor_fd_term(c, st->subject, &s, ls, sizeof ls) || !raptor_fd_term(c, st->predicate, &p, NULL, 0) ||
            !raptor_fd_term(c, st->object, &o, lo, sizeof lo) || p.kind != FD_RDF_IRI)
                return;
        c->st = fd_rdf_graph_add(c->g, &s, &p, &o, NULL, c->err);
        if (c->st)
                raptor_parser_parse_abort(c->parser);
}

static void on_raptor_log(void *ud, raptor_log_message *m) {
        struct raptor_ctx *c = ud;

        if (m->level < RAPTOR_LOG_LEVEL_ERROR || c->fatal)
                return;
        int line = m->locator ? raptor_locator_line(m->locator) : -1;
        int col = m->locator ? raptor_locator_column(m->locator) : -1;
        const char *text = m->text ? m->text : "RDF/XML error";
        /* libxml2 stops at a well-formedness error; raptor reads on past an RDF one */
        if (m->level >= RAPTOR_LOG_LEVEL_FATAL || strncmp(text, "XML parser", 10) == 0) {
                c->fatal = true;
                fd_error_set(&c->perr, FD_E_PARSE, "'%s' line %d column %d: %s", c->where, line, col, text);
                return;
        }
        if (!c->have_error)
                fd_error_set(&c->perr, FD_E_PARSE, "'%s' line %d column %d: %s", c->where, line, col, text);
        c->have_error = true;
        note_skipped(c->g, 1, line < 0 ? 0 : (unsigned)line, col < 0 ? 0 : (unsigned)col, text);
}

static enum fd_status read_raptor(struct fd_rdf_graph *g, FILE *f, const char *base, const char *where,
                                  struct fd_error *err) {
        _fd_free_ unsigned char *chunk = malloc(65536);
        struct raptor_ctx c = {.g = g, .where = where, .err = err};
        size_t before = g->total;
        raptor_world *w = raptor_new_world();
        enum fd_status st = FD_OK;

        if (!w || raptor_world_open(w)) {
                raptor_free_world(w);
                return fd_error_set(err, FD_E_NOMEM, "cannot start raptor");
        }
        raptor_world_set_log_handler(w, &c, on_raptor_log);
        raptor_parser *p = raptor_new_parser(w, "rdfxml");
        raptor_uri *buri = raptor_new_uri(w, (const unsigned char *)(base && base[0] ? base : "urn:fairdex:document"));
        if (!p || !buri || !chunk) {
                st = fd_error_set(err, FD_E_NOMEM, "cannot start the RDF/XML parser");
                goto out;
        }
        c.parser = p;
        raptor_parser_set_option(p, RAPTOR_OPTION_NO_NET, NULL, 1);
        raptor_parser_set_option(p, RAPTOR_OPTION_NO_FILE, NULL, 1);
        raptor_parser_set_option(p, RAPTOR_OPTION_LOAD_EXTERNAL_ENTITIES, NULL, 0);
        raptor_parser_set_statement_handler(p, &c, on_raptor_statement);
        if (raptor_parser_parse_start(p, buri)) {
                st = fd_error_set(err, FD_E_PARSE, "'%s': cannot start parsing", where);
                goto out;
        }
        /* chunks of 64 KiB: raptor hands them to libxml2's push parser */
        for (size_t n; !c.st && !c.fatal && (n = fread(chunk, 1, 65536, f)) > 0;)
                raptor_parser_parse_chunk(p, chunk, n, 0);
        if (ferror(f))
                st = fd_error_set(err, FD_E_IO, "cannot read '%s': %s", where, strerror(errno));
        else if (!c.st && !c.fatal)
                raptor_parser_parse_chunk(p, NULL, 0, 1);
        if (c.st)
                st = c.st;
        else if (c.fatal)
                st = fd_error_set(err, FD_E_PARSE, "%s", c.perr.msg);
        else if (!st)
                st = nothing_read(g, before, &c.perr, err);
out:
        if (buri)
                raptor_free_uri(buri);
        if (p)
                raptor_free_parser(p);
        raptor_free_world(w);
        return st;
}

/* ---- JSON ------------------------------------------------------------------- */

enum fd_status fd_json_parse(const char *data, size_t len, const char *where, json_t **ret, struct fd_error *err) {
        json_error_t je;
        json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);

        if (!v)
                return fd_error_set(err, FD_E_PARSE, "'%s' line %d column %d: %s", where, je.line, je.column,
                                    je.text);
        *ret = v;
        return FD_OK;
}

static enum fd_status on_jsonld_quad(void *ud, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                                     const struct fd_rdf_term *o, const struct fd_rdf_term *graph,
                                     struct fd_error *err) {
        struct fd_rdf_graph *g = ud;
        struct fd_rdf_term s2 = *s, o2 = *o;
        char ls[512], lo[512];

        if (s->kind == FD_RDF_BLANK) {
                snprintf(ls, sizeof ls, "d%lu_%s", g->doc, s->value);
                s2.value = ls;
        }
        if (o->kind == FD_RDF_BLANK) {
                snprintf(lo, sizeof lo, "d%lu_%s", g->doc, o->value);
                o2.value = lo;
        }
        return fd_rdf_graph_add(g, &s2, p, &o2, graph ? graph->value : NULL, err);
}

enum fd_status fd_rdf_jsonld_stream(struct fd_rdf_graph *g, bool graph, json_t *context, const char *base,
                                    const char *where, struct fd_error *err, struct fd_jsonld_stream **ret) {
        struct fd_jsonld_opts o = {.base = base, .where = where, .contexts = g->contexts};
        return fd_jsonld_stream_new(&o, graph, context, on_jsonld_quad, g, err, ret);
}

enum fd_status fd_json_load_file(FILE *f, size_t max, const char *where, json_t **ret, struct fd_error *err) {
        struct stat sb;
        json_error_t je;
        long at = ftell(f);

        if (!max)
                max = DEFAULT_MAX_JSON;
        /* jansson builds the whole value: bounded by the document's size */
        if (fstat(fileno(f), &sb) == 0 && at >= 0 && (uint64_t)sb.st_size - (uint64_t)at > max)
                return fd_error_set(err, FD_E_LIMIT, "JSON document '%s' exceeds %zu bytes", where, max);
        json_t *v = json_loadf(f, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
        if (!v)
                return fd_error_set(err, FD_E_PARSE, "'%s' line %d column %d: %s", where, je.line, je.column,
                                    je.text);
        *ret = v;
        return FD_OK;
}

enum fd_status fd_rdf_read_jsonld(struct fd_rdf_graph *g, json_t *doc, const char *base, const char *where,
                                  struct fd_error *err) {
        struct fd_jsonld_opts o = {.base = base, .where = where, .contexts = g->contexts};

        return fd_jsonld_to_rdf(doc, &o, on_jsonld_quad, g, err);
}

enum fd_status fd_rdf_read(struct fd_rdf_graph *g, enum fd_rdf_syntax syntax, FILE *f, const char *base,
                           const char *where, struct fd_error *err) {
        switch (syntax) {
        case FD_RDF_TURTLE:
                return read_serd(g, SERD_TURTLE, f, base, where, err);
        case FD_RDF_NTRIPLES:
                return read_serd(g, SERD_NTRIPLES, f, base, where, err);
        case FD_RDF_NQUADS:
                return read_serd(g, SERD_NQUADS, f, base, where, err);
        case FD_RDF_TRIG:
                return read_serd(g, SERD_TRIG, f, base, where, err);
        case FD_RDF_RDFXML:
                return read_raptor(g, f, base, where, err);
        default:
                return fd_error_set(err, FD_E_PARSE, "'%s': not RDF (Turtle, N-Triples, RDF/XML or JSON-LD)", where);
        }
}
