/* test_jsonld.c: the W3C JSON-LD 1.1 test suite (../shared/jsonld-tests).
 *
 * Each toRdf and expand evaluation test of the two manifests runs.  toRdf:
 * the N-Quads are compared with the expected ones as sets, blank nodes
 * matched by a canonical labelling (iterated hashing of each blank node's
 * neighbourhood, ample for these sizes).  expand: the expanded document is
 * compared with the expected one by JSON-LD object comparison (arrays are
 * unordered except the values of @list).  Negative tests pass when the
 * reader rejects the input with the expected JSON-LD error code (the code
 * is part of the error message); positive syntax tests when it accepts it.
 * The files of the suite's directories are the only remote documents: they
 * are registered under the manifest's base IRI as operator contexts (struct
 * fd_jsonld_contexts), so nothing is fetched.  Excluded, as the W3C's
 * runners for JSON-LD 1.1 processors exclude them: the tests whose
 * specVersion is json-ld-1.0 only (their expectations contradict 1.1).
 * Each manifest prints one line with how many of its tests pass, and the
 * check fails when a test listed in tests/fixtures/dcat/jsonld-claimed.txt
 * (toRdf) or jsonld-expand-claimed.txt (expand) does not pass.
 * FD_JSONLD_VERBOSE=1 prints each failing test with what it got;
 * FD_JSONLD_CLAIM=FILE and FD_JSONLD_CLAIM_EXPAND=FILE write the ids that
 * pass (to refresh the claimed lists).  The "reader" case needs no shared
 * files: the context resolved once, operator contexts, SEMIC's example.
 */
#include <serd/serd.h>

#include <check.h>

#include "fd_test_http.h"
#include "fd_test_shared.h"

#include "fd_harvesters.h"
#include "harvesters-private.h"

#include <dirent.h>

#define MAXQ 4096

struct quads {
        char *s[MAXQ], *p[MAXQ], *o[MAXQ], *g[MAXQ];
        size_t n;
        bool overflow;
};

static void quads_release(struct quads *q) {
        for (size_t i = 0; i < q->n; i++) {
                free(q->s[i]);
                free(q->p[i]);
                free(q->o[i]);
                free(q->g[i]);
        }
        memset(q, 0, sizeof *q);
}

static char *term_str(const struct fd_rdf_term *t) {
        char *out = NULL;
        if (!t)
                return strdup("");
        switch (t->kind) {
        case FD_RDF_IRI:
                ck_assert_int_ge(asprintf(&out, "<%s>", t->value), 0);
                break;
        case FD_RDF_BLANK:
                ck_assert_int_ge(asprintf(&out, "_:%s", t->value), 0);
                break;
        default: {
                const char *dt = t->datatype;
                if (t->lang)
                        ck_assert_int_ge(asprintf(&out, "\"%s\"@%s", t->value, t->lang), 0);
                else if (dt && strcmp(dt, FD_NS_XSD "string") != 0)
                        ck_assert_int_ge(asprintf(&out, "\"%s\"^^<%s>", t->value, dt), 0);
                else
                        ck_assert_int_ge(asprintf(&out, "\"%s\"", t->value), 0);
        }
        }
        return out;
}

static void quads_add(struct quads *q, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                      const struct fd_rdf_term *o, const struct fd_rdf_term *g) {
        if (q->n == MAXQ) {
                q->overflow = true;
                return;
        }
        char *ss = term_str(s), *ps = term_str(p), *os = term_str(o), *gs = term_str(g);
        for (size_t i = 0; i < q->n; i++)
                if (!strcmp(q->s[i], ss) && !strcmp(q->p[i], ps) && !strcmp(q->o[i], os) && !strcmp(q->g[i], gs)) {
                        free(ss), free(ps), free(os), free(gs);
                        return;
                }
        q->s[q->n] = ss, q->p[q->n] = ps, q->o[q->n] = os, q->g[q->n] = gs;
        q->n++;
}

static enum fd_status on_quad(void *ud, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                              const struct fd_rdf_term *o, const struct fd_rdf_term *g, struct fd_error *err) {
        quads_add(ud, s, p, o, g);
        return FD_OK;
}

/* ---- expected N-Quads through serd ------------------------------------------ */

static bool serd_to_term(const SerdNode *n, struct fd_rdf_term *t) {
        memset(t, 0, sizeof *t);
        if (!n || !n->buf)
                return false;
        t->value = (const char *)n->buf;
        t->kind = n->type == SERD_URI ? FD_RDF_IRI : n->type == SERD_BLANK ? FD_RDF_BLANK : FD_RDF_LITERAL;
        return true;
}

static SerdStatus on_serd(void *h, SerdStatementFlags f, const SerdNode *g, const SerdNode *s, const SerdNode *p,
                          const SerdNode *o, const SerdNode *dt, const SerdNode *lang) {
        struct fd_rdf_term ts, tp, to, tg;
        serd_to_term(s, &ts);
        serd_to_term(p, &tp);
        serd_to_term(o, &to);
        if (dt && dt->buf)
                to.datatype = (const char *)dt->buf;
        if (lang && lang->buf)
                to.lang = (const char *)lang->buf;
        quads_add(h, &ts, &tp, &to, serd_to_term(g, &tg) ? &tg : NULL);
        return SERD_SUCCESS;
}

static bool read_nquads(const char *path, struct quads *q) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return false;
        SerdReader *r = serd_reader_new(SERD_NQUADS, q, NULL, NULL, NULL, on_serd, NULL);
        SerdStatus st = serd_reader_read_file_handle(r, f, (const uint8_t *)path);
        serd_reader_free(r);
        fclose(f);
        return st == SERD_SUCCESS || st == SERD_FAILURE;
}

/* ---- canonical labelling ------------------------------------------------------ */

static uint64_t h64(const char *s, uint64_t h) {
        for (; *s; s++) {
                h ^= (unsigned char)*s;
                h *= 0x100000001b3ULL;
        }
        return h * 0x9E3779B97F4A7C15ULL;
}

static const char *relabel(const char *t, char **labels, uint64_t *hashes, size_t nl, char *buf, size_t n) {
        if (strncmp(t, "_:", 2) != 0)
                return t;
        for (size_t i = 0; i < nl; i++)
                if (strcmp(labels[i], t) == 0) {
                        snprintf(buf, n, "_:%016llx", (unsigned long long)hashes[i]);
                        return buf;
                }
        return t;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The sorted canonical lines of q. */
static char **canon(struct quads *q) {
        char **labels = calloc(4 * MAXQ, sizeof *labels);
        uint64_t *hs = calloc(4 * MAXQ, sizeof *hs), *nh = calloc(4 * MAXQ, sizeof *nh);
        size_t nl = 0;
        for (size_t i = 0; i < q->n; i++) {
                char *ts[4] = {q->s[i], q->p[i], q->o[i], q->g[i]};
                for (int k = 0; k < 4; k++) {
                        if (strncmp(ts[k], "_:", 2) != 0)
                                continue;
                        bool have = false;
                        for (size_t l = 0; l < nl && !have; l++)
                                have = strcmp(labels[l], ts[k]) == 0;
                        if (!have)
                                labels[nl++] = ts[k];
                }
        }
        for (int round = 0; round < 6; round++) {
                for (size_t l = 0; l < nl; l++) {
                        uint64_t acc = hs[l] * 31 + 7;
                        for (size_t i = 0; i < q->n; i++) {
                                char *ts[4] = {q->s[i], q->p[i], q->o[i], q->g[i]};
                                for (int k = 0; k < 4; k++)
                                        if (strcmp(ts[k], labels[l]) == 0) {
                                                uint64_t e = 0xcbf29ce484222325ULL + (uint64_t)k;
                                                for (int m = 0; m < 4; m++) {
                                                        char b[40];
                                                        e = h64(m == k ? "SELF" : relabel(ts[m], labels, hs, nl, b, sizeof b), e);
                                                }
                                                acc += e;
                                        }
                        }
                        nh[l] = acc;
                }
                memcpy(hs, nh, nl * sizeof *hs);
        }
        char **lines = calloc(q->n + 1, sizeof *lines);
        for (size_t i = 0; i < q->n; i++) {
                char b1[40], b2[40], b3[40], b4[40];
                ck_assert_int_ge(asprintf(&lines[i], "%s %s %s %s", relabel(q->s[i], labels, hs, nl, b1, 40),
                                          relabel(q->p[i], labels, hs, nl, b2, 40), relabel(q->o[i], labels, hs, nl, b3, 40),
                                          relabel(q->g[i], labels, hs, nl, b4, 40)),
                                 0);
        }
        qsort(lines, q->n, sizeof *lines, cmpstr);
        free(labels);
        free(hs);
        free(nh);
        return lines;
}

static bool same(struct quads *a, struct quads *b) {
        if (a->n != b->n)
                return false;
        char **la = canon(a), **lb = canon(b);
        bool eq = true;
        for (size_t i = 0; i < a->n; i++) {
                eq = eq && strcmp(la[i], lb[i]) == 0;
                free(la[i]);
                free(lb[i]);
        }
        free(la);
        free(lb);
        return eq;
}

/* ---- the manifest ------------------------------------------------------------- */

static char *path_of(const char *rel) {
        const char *root = getenv("FD_SOURCE_ROOT");
        char *p = NULL;
        ck_assert_int_ge(asprintf(&p, "%s/%s", root ? root : ".", rel), 0);
        return p;
}

/* the JSON-LD object comparison of the test suite's README */
static bool jsonld_equal(json_t *a, json_t *b, bool ordered) {
        size_t i, k;
        json_t *x;
        if (json_is_array(a) && json_is_array(b)) {
                size_t n = json_array_size(a);
                if (n != json_array_size(b))
                        return false;
                if (ordered) {
                        for (i = 0; i < n; i++)
                                if (!jsonld_equal(json_array_get(a, i), json_array_get(b, i), false))
                                        return false;
                        return true;
                }
                bool *used = calloc(n + 1, sizeof *used);
                bool ok = true;
                json_array_foreach(a, i, x) {
                        bool found = false;
                        for (k = 0; k < n && !found; k++)
                                if (!used[k] && jsonld_equal(x, json_array_get(b, k), false))
                                        found = used[k] = true;
                        if (!(ok = found))
                                break;
                }
                free(used);
                return ok;
        }
        if (json_is_object(a) && json_is_object(b)) {
                const char *key;
                if (json_object_size(a) != json_object_size(b))
                        return false;
                json_object_foreach(a, key, x) {
                        json_t *y = json_object_get(b, key);
                        if (!y || !jsonld_equal(x, y, strcmp(key, "@list") == 0))
                                return false;
                }
                return true;
        }
        if (json_is_number(a) && json_is_number(b))
                return json_number_value(a) == json_number_value(b);
        return json_equal(a, b);
}

/* every file of the suite's directories, as a remote document under the base IRI */
static struct fd_jsonld_contexts *suite_documents(const char *dir, const char *base_iri) {
        static const char *const subdirs[] = {"toRdf", "expand", "toRdf/c031", "expand/c031"};
        struct fd_jsonld_contexts *c = NULL;
        ck_assert_int_eq(fd_jsonld_contexts_new(&c, NULL), FD_OK);
        for (size_t s = 0; s < FD_ELEMENTSOF(subdirs); s++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", dir, subdirs[s]);
                DIR *d = opendir(path);
                struct dirent *e;
                while (d && (e = readdir(d))) {
                        char url[2048], file[8192];
                        if (!strstr(e->d_name, ".json"))
                                continue;
                        snprintf(url, sizeof url, "%s%s/%s", base_iri, subdirs[s], e->d_name);
                        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
                        (void)fd_jsonld_contexts_add(c, url, file, NULL); /* documents that are not contexts fail */
                }
                if (d)
                        closedir(d);
        }
        return c;
}

struct suite {
        const char *dir, *base_iri;
        const struct fd_jsonld_contexts *docs;
        bool expand;  /* the expand manifest, else toRdf */
};

/* 1 pass, 0 fail; an excluded test (json-ld-1.0 only) runs too: -2 when
 * it passes, -1 when not */
static int run_test(const struct suite *su, json_t *t) {
        json_t *types = json_object_get(t, "@type"), *opt = json_object_get(t, "option");
        bool negative = false, syntax = false;
        size_t i;
        json_t *x;
        json_array_foreach(types, i, x) {
                negative |= strcmp(json_string_value(x), "jld:NegativeEvaluationTest") == 0;
                syntax |= strcmp(json_string_value(x), "jld:PositiveSyntaxTest") == 0;
        }
        const char *spec = json_string_value(json_object_get(opt, "specVersion"));
        bool only_1_0 = spec && strcmp(spec, "json-ld-1.0") == 0;
        const char *input = json_string_value(json_object_get(t, "input"));
        char path[4096], base[4096];
        snprintf(path, sizeof path, "%s/%s", su->dir, input);
        snprintf(base, sizeof base, "%s%s", su->base_iri, input);
        const char *b2 = json_string_value(json_object_get(opt, "base"));
        const char *mode = json_string_value(json_object_get(opt, "processingMode"));
        const char *ec = json_string_value(json_object_get(opt, "expandContext"));
        size_t len;
        char *text = fd_test_slurp(path, &len);
        if (!text)
                return 0;
        json_t *doc = NULL, *expand_ctx = NULL, *ex = NULL;
        struct fd_error err = {0};
        struct quads got = {0}, want = {0};
        int result = 0;
        if (ec) {
                snprintf(path, sizeof path, "%s/%s", su->dir, ec);
                expand_ctx = json_load_file(path, 0, NULL);
        }
        enum fd_status st = fd_json_parse(text, len, input, &doc, &err);
        free(text);
        if (!st) {
                struct fd_jsonld_opts o = {
                        .base = b2 ? b2 : base,
                        .where = input,
                        .produce_generalized = json_is_true(json_object_get(opt, "produceGeneralizedRdf")),
                        .json_1_0 = mode && strcmp(mode, "json-ld-1.0") == 0,
                        .contexts = su->docs,
                        .expand_context = expand_ctx,
                        .rdf_direction = json_string_value(json_object_get(opt, "rdfDirection")),
                };
                st = su->expand ? fd_jsonld_expand(doc, &o, &ex, &err) : fd_jsonld_to_rdf(doc, &o, on_quad, &got, &err);
                json_decref(doc);
        }
        if (negative) {
                const char *code = json_string_value(json_object_get(t, "expectErrorCode"));
                result = st != FD_OK && code && strstr(err.msg, code) != NULL;
        } else if (!st && syntax)
                result = 1;
        else if (!st && su->expand) {
                snprintf(path, sizeof path, "%s/%s", su->dir, json_string_value(json_object_get(t, "expect")));
                json_t *expect = json_load_file(path, 0, NULL);
                result = expect && jsonld_equal(ex, expect, false);
                if (!result && getenv("FD_JSONLD_VERBOSE")) {
                        char *dump = json_dumps(ex, JSON_INDENT(1));
                        printf("%s\n", dump);
                        free(dump);
                }
                json_decref(expect);
        } else if (!st) {
                snprintf(path, sizeof path, "%s/%s", su->dir, json_string_value(json_object_get(t, "expect")));
                if (read_nquads(path, &want) && !got.overflow && !want.overflow)
                        result = same(&got, &want);
                for (i = 0; !result && getenv("FD_JSONLD_VERBOSE") && i < got.n; i++)
                        printf("got %s %s %s %s\n", got.s[i], got.p[i], got.o[i], got.g[i]);
                for (i = 0; !result && getenv("FD_JSONLD_VERBOSE") && i < want.n; i++)
                        printf("want %s %s %s %s\n", want.s[i], want.p[i], want.o[i], want.g[i]);
        }
        if (getenv("FD_JSONLD_VERBOSE") && result != 1)
                printf("%s: %s\n", json_string_value(json_object_get(t, "@id")), st ? err.msg : "wrong result");
        json_decref(ex);
        json_decref(expand_ctx);
        quads_release(&got);
        quads_release(&want);
        return only_1_0 ? (result ? -2 : -1) : result;
}

/* Runs one manifest ("toRdf" or "expand"), prints its line, fails on a claimed test that fails. */
static void run_manifest(const char *kind, const char *claimed_rel, const char *claim_env) {
        char *dir = path_of("../shared/jsonld-tests");
        char *manifest = NULL, *claimed_path = path_of(claimed_rel);
        ck_assert_int_ge(asprintf(&manifest, "%s/%s-manifest.jsonld", dir, kind), 0);
        json_t *m = json_load_file(manifest, 0, NULL);
        ck_assert_msg(m != NULL, "cannot read %s", manifest);
        size_t cl = 0;
        char *claimed = fd_test_slurp(claimed_path, &cl);
        const char *base_iri = json_string_value(json_object_get(m, "baseIri"));
        struct fd_jsonld_contexts *docs = suite_documents(dir, base_iri);
        struct suite su = {.dir = dir, .base_iri = base_iri, .docs = docs, .expand = strcmp(kind, "expand") == 0};
        json_t *seq = json_object_get(m, "sequence"), *t;
        size_t i, total = json_array_size(seq), passed = 0, excluded = 0, excluded_passed = 0, claimed_failed = 0;
        FILE *out = getenv(claim_env) ? fopen(getenv(claim_env), "w") : NULL;
        json_array_foreach(seq, i, t) {
                const char *id = json_string_value(json_object_get(t, "@id"));
                int r = run_test(&su, t);
                if (r < 0) {
                        excluded++;
                        excluded_passed += r == -2;
                        continue;
                }
                char needle[64];
                snprintf(needle, sizeof needle, "%s\n", id);
                bool is_claimed = claimed && strstr(claimed, needle);
                if (r == 1) {
                        passed++;
                        if (out)
                                fprintf(out, "%s\n", id);
                } else if (is_claimed) {
                        claimed_failed++;
                        printf("claimed %s test %s fails\n", kind, id);
                }
        }
        if (out)
                fclose(out);
        printf("JSON-LD %s: %zu of the manifest's %zu tests pass (%.1f %% of the %zu counted; excluded: the %zu whose "
               "specVersion is json-ld-1.0 only, which assert what 1.1 changed; %zu of them pass anyway)\n",
               kind, passed, total, total > excluded ? 100.0 * (double)passed / (double)(total - excluded) : 0.0,
               total - excluded, excluded, excluded_passed);
        ck_assert_int_eq(claimed_failed, 0);
        ck_assert_ptr_nonnull(claimed);
        fd_jsonld_contexts_free(docs);
        json_decref(m);
        free(claimed);
        free(dir);
        free(manifest);
        free(claimed_path);
}

START_TEST(test_w3c_torrdf) {
        run_manifest("toRdf", "tests/fixtures/dcat/jsonld-claimed.txt", "FD_JSONLD_CLAIM");
}
END_TEST

START_TEST(test_w3c_expand) {
        run_manifest("expand", "tests/fixtures/dcat/jsonld-expand-claimed.txt", "FD_JSONLD_CLAIM_EXPAND");
}
END_TEST

static enum fd_status count_quad(void *ud, const struct fd_rdf_term *s, const struct fd_rdf_term *p,
                                 const struct fd_rdf_term *o, const struct fd_rdf_term *g, struct fd_error *err) {
        (*(size_t *)ud)++;
        return FD_OK;
}

static void write_text(const char *path, const char *text) {
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

/* An aggregator's array of records that each name schema.org as their
 * context (5,000 here, 750 in the issue) is read whole: the context is
 * resolved once, not counted per record towards "context overflow". */
START_TEST(test_context_once) {
        json_t *doc = json_array();
        for (int i = 0; i < 5000; i++)
                json_array_append_new(doc, json_pack("{s:s, s:s, s:s, s:s}", "@context", "http://schema.org/", "@type",
                                                     "Dataset", "name", "soil", "url", "https://example.org/d"));
        struct fd_jsonld_opts o = {.where = "records.jsonld"};
        struct fd_error err = {0};
        size_t n = 0;
        ck_assert_msg(fd_jsonld_to_rdf(doc, &o, count_quad, &n, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(n, 3 * 5000);
        json_decref(doc);
}
END_TEST

/* contexts_dir: an operator's context is used, an unknown one fails the
 * document naming its URL, a context that names itself ends bounded. */
START_TEST(test_operator_contexts) {
        char dir[] = "/tmp/fd_test_jsonld_XXXXXX", path[256];
        struct fd_jsonld_contexts *c = NULL;
        struct fd_error err = {0};
        size_t n = 0;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/index.tsv", dir);
        write_text(path, "# URL<TAB>file\n\nhttps://example.org/ctx.jsonld\tctx.jsonld\n"
                         "https://example.org/loop.jsonld\tloop.jsonld\n");
        snprintf(path, sizeof path, "%s/ctx.jsonld", dir);
        write_text(path, "{\"@context\": {\"title\": \"http://purl.org/dc/terms/title\"}}");
        snprintf(path, sizeof path, "%s/loop.jsonld", dir);
        write_text(path, "{\"@context\": \"https://example.org/loop.jsonld\"}");
        ck_assert_msg(fd_jsonld_contexts_load(dir, &c, &err) == FD_OK, "%s", err.msg);

        struct fd_jsonld_opts o = {.where = "doc.jsonld", .contexts = c};
        json_t *doc = json_pack("{s:s, s:s, s:s}", "@context", "https://example.org/ctx.jsonld", "@id",
                                "https://example.org/d", "title", "Bees");
        ck_assert_msg(fd_jsonld_to_rdf(doc, &o, count_quad, &n, &err) == FD_OK, "%s", err.msg);
        ck_assert_uint_eq(n, 1);
        json_decref(doc);

        doc = json_pack("{s:s, s:s}", "@context", "https://example.org/never-fetched.jsonld", "title", "Bees");
        ck_assert_int_eq(fd_jsonld_to_rdf(doc, &o, count_quad, &n, &err), FD_E_UNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(err.msg, "'doc.jsonld'"));
        ck_assert_ptr_nonnull(strstr(err.msg, "https://example.org/never-fetched.jsonld"));
        json_decref(doc);

        doc = json_pack("{s:s, s:s}", "@context", "https://example.org/loop.jsonld", "title", "Bees");
        ck_assert_int_eq(fd_jsonld_to_rdf(doc, &o, count_quad, &n, &err), FD_E_LIMIT);
        ck_assert_ptr_nonnull(strstr(err.msg, "context overflow"));
        json_decref(doc);
        fd_jsonld_contexts_free(c);

        /* a malformed index line and a file without @context are named */
        snprintf(path, sizeof path, "%s/index.tsv", dir);
        write_text(path, "https://example.org/ctx.jsonld ctx.jsonld\n");
        ck_assert_int_eq(fd_jsonld_contexts_load(dir, &c, &err), FD_E_INVALID);
        ck_assert_ptr_nonnull(strstr(err.msg, "line 1"));
        write_text(path, "https://example.org/x.jsonld\tindex.tsv\n");
        ck_assert_int_eq(fd_jsonld_contexts_load(dir, &c, &err), FD_E_PARSE);
        ck_assert_ptr_nonnull(strstr(err.msg, "line 1"));
        write_text(path, "https://example.org/x.jsonld\tmissing.jsonld\n");
        ck_assert_int_eq(fd_jsonld_contexts_load(dir, &c, &err), FD_E_IO);
        ck_assert_ptr_nonnull(strstr(err.msg, "missing.jsonld"));

        unlink(path);
        snprintf(path, sizeof path, "%s/ctx.jsonld", dir);
        unlink(path);
        snprintf(path, sizeof path, "%s/loop.jsonld", dir);
        unlink(path);
        rmdir(dir);
}
END_TEST

/* The bundled SEMIC examples context reads SEMIC's example as published
 * (its type-scoped terms and language maps). */
START_TEST(test_semic_examples_context) {
        static const char text[] =
                "{\"@context\": \"https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/"
                "context.jsonld\", \"@graph\": [{\"@id\": \"example-ds:BeePopulation2022\", \"@type\": [\"Dataset\", "
                "\"DatasetMemberOfADatasetSeries\"], \"inSeries\": \"example-ser:BeePopulation\"}, {\"@id\": "
                "\"example-ser:BeePopulation\", \"@type\": \"DatasetSeries\", \"title\": {\"en\": \"Bee population\"}}]}";
        json_t *doc = NULL, *ex = NULL;
        struct fd_error err = {0};
        ck_assert_int_eq(fd_json_parse(text, strlen(text), "semic.jsonld", &doc, &err), FD_OK);
        struct fd_jsonld_opts o = {.where = "semic.jsonld"};
        ck_assert_msg(fd_jsonld_expand(doc, &o, &ex, &err) == FD_OK, "%s", err.msg);
        char *dump = json_dumps(ex, JSON_COMPACT | JSON_SORT_KEYS);
        ck_assert_ptr_nonnull(strstr(dump, "\"http://www.w3.org/ns/dcat#inSeries\":[{\"@id\":\"https://data.gov.gr/id/"
                                           "datasetseries/BeePopulation\"}]"));
        ck_assert_ptr_nonnull(strstr(dump, "\"http://purl.org/dc/terms/title\":[{\"@language\":\"en\",\"@value\":\"Bee "
                                           "population\"}]"));
        free(dump);
        json_decref(ex);
        json_decref(doc);
}
END_TEST

/* Every bundled context is valid JSON-LD 1.1 to the reader: a document
 * naming it expands. */
START_TEST(test_bundled_contexts) {
        static const char *const urls[] = {
                "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
                "https://semiceu.github.io/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
                "http://schema.org", "https://schema.org/", "https://schema.org/docs/jsonldcontext.json",
                "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
                "https://project-open-data.cio.gov/v1.1/schema/dataset.jsonld",
                "http://www.w3.org/ns/hydra/context.jsonld",
                "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
                "https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld",
                "https://semiceu.github.io/DCAT-AP/releases/2.0.1/dcat-ap_2.0.1.jsonld",
        };
        for (size_t i = 0; i < FD_ELEMENTSOF(urls); i++) {
                json_t *doc = json_pack("{s:s, s:s, s:s}", "@context", urls[i], "@id", "https://example.org/d",
                                        "http://purl.org/dc/terms/title", "Bees"), *ex = NULL;
                struct fd_jsonld_opts o = {.where = urls[i]};
                struct fd_error err = {0};
                ck_assert_msg(fd_jsonld_bundled(urls[i]) != NULL, "%s is not bundled", urls[i]);
                ck_assert_msg(fd_jsonld_expand(doc, &o, &ex, &err) == FD_OK, "%s", err.msg);
                ck_assert_uint_eq(json_array_size(ex), 1);
                json_decref(ex);
                json_decref(doc);
        }
}
END_TEST

int main(void) {
        setvbuf(stdout, NULL, _IOLBF, 0);
        Suite *s = suite_create("jsonld");
        struct shared_case sh = shared_case_new(s, "jsonld", "jsonld", "../shared/jsonld-tests");
        if (sh.tc)
                tcase_set_timeout(sh.tc, 120);
        shared_case_add_test(&sh, test_w3c_torrdf);
        shared_case_add_test(&sh, test_w3c_expand);
        shared_case_finish(&sh);
        TCase *tc = tcase_create("reader");
        tcase_add_test(tc, test_context_once);
        tcase_add_test(tc, test_operator_contexts);
        tcase_add_test(tc, test_semic_examples_context);
        tcase_add_test(tc, test_bundled_contexts);
        suite_add_tcase(s, tc);
        SRunner *sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
