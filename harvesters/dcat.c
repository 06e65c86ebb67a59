/* dcat.c: the DCAT and CKAN harvest driver.
 *
 * A run reads the catalogue document by document: a Hydra-paged catalogue
 * (hydra:next / hydra:nextPage) is followed page by page, a CKAN site is
 * listed with package_search (start/rows, sorted by metadata_modified and,
 * after a complete run, restricted to what changed since).  Each document
 * is read whole into a graph (rdf.c says why and what bounds it), its
 * datasets are cut out and mapped, and they leave as pages of at most
 * static_page_records records, each page with the checkpoint to commit
 * with it (the next document's URL is the checkpoint's token, so a crash
 * resumes there).  Every request goes through the run's fetch policy
 * (fetch.c: the source's delay, retries with jitter or after Retry-After,
 * the per-run retry budget, cancellation), like the OAI-PMH driver's.
 *
 * What the previous complete run saw lives in a state file (one line per
 * dataset: the hash of its description and its id, headed by the run's
 * start).  Memory stays bounded by 16 bytes a dataset: the run keeps the
 * last complete run's 64-bit id hashes with their description's hash in a
 * sorted array with a bit each for "listed again" (struct prev), and the
 * id hashes of datasets new since then in a hash set (struct hset); the
 * ids themselves stream to the next state file as datasets are taken, and
 * the ids to delete are read back from the previous state file.  It
 * serves twice: a dataset whose hash did not change is not
 * rewritten (counted as skipped), and after a complete run that listed the
 * whole catalogue the ids it no longer lists become deletions in the run's
 * last page.  The hashes are trusted only when the committed checkpoint's
 * last_complete is the state file's run, i.e. when the pages that wrote
 * those datasets were committed; the state file is written before the
 * last page is handed over.  A run that fails, or resumes from a crash,
 * or lists only changes (CKAN incremental), or skipped statements of a
 * document for syntax errors (rdf.c), deletes nothing.
 */
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>

#include "harvesters-private.h"

#define DEFAULT_ARENA_CAP ((size_t)64 << 20)
#define DEFAULT_PAGE_RECORDS 500
#define DEFAULT_MAX_PAGES 100000UL
#define DEFAULT_MAX_DOC ((size_t)16 << 30)   /* on disk */
#define DEFAULT_MAX_JSON ((size_t)256 << 20) /* parsed whole by jansson */
#define CKAN_ROWS 100
/* what we read best first: serd's syntaxes stream fastest, JSON-LD needs the whole document */
#define ACCEPT_RDF                                                                                              \
        "text/turtle;q=1.0, application/n-triples;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7, " \
        "application/json;q=0.5, */*;q=0.1"
#define ACCEPT_CKAN "application/json"

/* ---- id and URL hashes: 8 bytes a slot, no strings -------------------------- *
 *
 * 256 open-addressing tables chosen by the hash's top byte, each grown
 * alone (doubled when seven eighths full): growing one moves 1/256 of the
 * set, so the set never holds its old and new slots at once (a single
 * table peaked at 48 MiB while growing to 2 M ids, now 32 MiB at most). */

#define HSET_SHARDS 256

struct hset {
        struct hshard {
                uint64_t *keys;  /* 0: empty slot */
                uint32_t n, cap;
        } s[HSET_SHARDS];
};

static uint64_t hash_key(const char *id) {
        uint64_t k = fd_hash_str(id);
        return k ? k : 1;
}

static void hset_release(struct hset *m) {
        for (size_t i = 0; i < HSET_SHARDS; i++)
                free(m->s[i].keys);
        memset(m, 0, sizeof *m);
}

static size_t hshard_slot(const struct hshard *h, uint64_t k) {
        size_t i = (size_t)(k ^ (k >> 29)) & (h->cap - 1);
        while (h->keys[i] && h->keys[i] != k)
                i = (i + 1) & (h->cap - 1);
        return i;
}

static bool hset_has(const struct hset *m, uint64_t k) {
        const struct hshard *h = &m->s[k >> 56];  /* the top byte picks the table */
        return h->cap && h->keys[hshard_slot(h, k)];
}

/* Adds k; false on OOM. */
static bool hset_add(struct hset *m, uint64_t k) {
        struct hshard *h = &m->s[k >> 56];
        if ((uint64_t)(h->n + 1) * 8 > (uint64_t)h->cap * 7) {
                struct hshard bigger = {.cap = h->cap ? h->cap * 2 : 64, .n = h->n};
                if (!(bigger.keys = calloc(bigger.cap, sizeof *bigger.keys)))
                        return false;
                for (size_t i = 0; i < h->cap; i++)
                        if (h->keys[i])
                                bigger.keys[hshard_slot(&bigger, h->keys[i])] = h->keys[i];
                free(h->keys);
                *h = bigger;
        }
        size_t i = hshard_slot(h, k);
        if (!h->keys[i])
                h->n++;
        h->keys[i] = k;
        return true;
}

/* ---- the last complete run's datasets: a sorted array, 16 bytes each ---------- *
 *
 * Read once from the state file (counted first, so allocated to size) and
 * sorted by id hash; a bit per entry says whether this run listed it, so
 * a run over an unchanged catalogue adds nothing to this table (only the
 * datasets new since the last run go to a hash set).  At 2 M datasets:
 * 32 MiB and 256 KiB of bits, where a hash map of both at three quarters
 * full took up to 112 MiB (and 48 MiB more while growing). */

struct prev_entry {
        uint64_t key, hash;
};

struct prev {
        struct prev_entry *v;
        size_t n, cap;
        uint8_t *listed;  /* a bit per entry: this run listed it */
};

static void prev_release(struct prev *p) {
        free(p->v);
        free(p->listed);
        memset(p, 0, sizeof *p);
}

static int prev_cmp(const void *a, const void *b) {
        uint64_t x = ((const struct prev_entry *)a)->key, y = ((const struct prev_entry *)b)->key;
        return x < y ? -1 : x > y;
}

/* The entry of id hash k, or -1. */
static ptrdiff_t prev_find(const struct prev *p, uint64_t k) {
        size_t lo = 0, hi = p->n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (p->v[mid].key < k)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < p->n && p->v[lo].key == k ? (ptrdiff_t)lo : -1;
}

static bool prev_listed(const struct prev *p, ptrdiff_t i) {
        return (p->listed[i / 8] >> (i % 8)) & 1;
}

/* Whether this run listed id hash k already (an entry of the last run's
 * table or one in the set of new ones). */
static bool listed(const struct prev *p, const struct hset *fresh, uint64_t k) {
        ptrdiff_t i = prev_find(p, k);
        return i >= 0 ? prev_listed(p, i) : hset_has(fresh, k);
}

/* ---- the state file ------------------------------------------------------------ */

/* Calls each(ud, hash, id) for every dataset line of the state file at
 * path (none when it does not exist) and, when ret_run, sets *ret_run to
 * its run line. */
static enum fd_status state_read(const char *path, enum fd_status (*each)(void *, uint64_t, const char *, struct fd_error *),
                                 void *ud, char **ret_run, struct fd_error *err) {
        _fd_cleanup_(fd_file_freep) FILE *f = fopen(path, "re");
        _fd_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t n;

        if (!f)
                return errno == ENOENT ? FD_OK
                                       : fd_error_set(err, FD_E_IO, "cannot read '%s': %s", path, strerror(errno));
        while ((n = getline(&line, &cap, f)) > 0) {
                if (line[n - 1] == '\n')
                        line[--n] = '\0';
                if (strncmp(line, "run\t", 4) == 0) {
                        if (!ret_run)
                                continue;
                        free(*ret_run);
                        if (!(*ret_run = strdup(line + 4)))
                                return fd_error_set(err, FD_E_NOMEM, "out of memory");
                        continue;
                }
                char *tab = strchr(line, '\t');
                if (!tab)
                        continue;
                *tab = '\0';
                char *end;
                uint64_t h = strtoull(line, &end, 16);
                enum fd_status st;
                if (!*end && (st = each(ud, h, tab + 1, err)))
                        return st;
        }
        return FD_OK;
}

static enum fd_status state_count(void *ud, uint64_t h, const char *id, struct fd_error *err) {
        (void)h, (void)id, (void)err;
        ((struct prev *)ud)->cap++;
        return FD_OK;
}

static enum fd_status state_put(void *ud, uint64_t h, const char *id, struct fd_error *err) {
        struct prev *p = ud;
        (void)err;
        if (p->n < p->cap)  /* the file grew between the passes: the rest is not trusted */
                p->v[p->n++] = (struct prev_entry){hash_key(id), h};
        return FD_OK;
}

/* The last complete run's table from the state file at path (empty when
 * there is none) and its run line into *ret_run. */
static enum fd_status prev_load(struct prev *p, const char *path, char **ret_run, struct fd_error *err) {
        enum fd_status st = state_read(path, state_count, p, NULL, err);
        if (st || !p->cap)
                return st;
        p->v = malloc(p->cap * sizeof *p->v);
        p->listed = calloc(p->cap / 8 + 1, 1);
        if (!p->v || !p->listed)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if ((st = state_read(path, state_put, p, ret_run, err)))
                return st;
        qsort(p->v, p->n, sizeof *p->v, prev_cmp);
        return FD_OK;
}

static void state_write(FILE *f, uint64_t h, const char *id) {
        if (f && !strchr(id, '\n'))
                fprintf(f, "%016llx\t%s\n", (unsigned long long)h, id);
}

/* ---- the run ------------------------------------------------------------------- */

struct run {
        struct fd_fetch fetch;  /* every request goes through it */
        const struct fd_harvest_opts *o;
        const struct fd_dcat_opts *d;
        const struct fd_harvest_sink *sink;
        struct fd_http *http;
        struct fd_checkpoint cp;
        size_t page_records;
        struct prev old;        /* the last complete run's id hashes with their hashes, and which this run listed */
        struct hset seen;       /* the id hashes this run listed that old does not have */
        struct hset visited;    /* URL hashes of the documents read: a paging loop */
        struct fd_replace next; /* the next state file, written as datasets are taken */
        bool trusted;           /* old hashes may skip datasets */
        bool whole;             /* this run lists the whole catalogue from its start */
        struct fd_page *page;   /* the page being filled */
        const char *doc_url;    /* URL of the document in hand */
        struct fd_jsonld_contexts *contexts;  /* the operator's (contexts_dir), or NULL */
        struct fd_arena *scratch;  /* a dataset's id while it is taken, reset for each */
};

static bool cancelled(const struct run *r) { return r->o->cancel && atomic_load(r->o->cancel); }

static enum fd_status new_page(struct run *r, struct fd_error *err) {
        return fd_page_new(r->o->source, r->doc_url, r->o->page_arena_cap ? r->o->page_arena_cap : DEFAULT_ARENA_CAP,
                           &r->page, err);
}

/* Hands the page in hand to the sink with the checkpoint: token is where
 * the run continues (NULL: nothing open), last ends the run. */
static enum fd_status emit(struct run *r, const char *token, bool last, struct fd_error *err) {
        struct fd_page *page = FD_TAKE_PTR(r->page);

        if (!page && (new_page(r, err) || !(page = FD_TAKE_PTR(r->page))))
                return err->status ? err->status : FD_E_NOMEM;
        return fd_page_hand_over(page, &r->cp, token, last, r->sink, err);
}

struct take {
        struct run *r;
        const char *token;
};

/* One dataset of the document in hand into the page in hand (emitting
 * full pages whose checkpoint continues at this document, token). */
static enum fd_status take_one(void *ud, const struct fd_rdf_graph *g, const struct fd_rdf_term *ds,
                               struct fd_error *err) {
        struct take *tk = ud;
        struct run *r = tk->r;
        enum fd_status st;

        if (cancelled(r))  /* a catalogue of millions in one document: stop within a dataset */
                return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
        fd_arena_reset(r->scratch);
        const char *local = fd_dcat_local_id(g, ds, r->scratch);
        uint64_t key = local ? hash_key(local) : 0;
        ptrdiff_t was = local ? prev_find(&r->old, key) : -1;
        if (!local || (was >= 0 ? prev_listed(&r->old, was) : hset_has(&r->seen, key)))
                return FD_OK;  /* listed on an earlier page of this run */
        uint64_t h = fd_dcat_hash(g, ds);
        if (was >= 0)
                r->old.listed[was / 8] |= (uint8_t)(1u << (was % 8));
        else if (!hset_add(&r->seen, key))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        state_write(r->next.f, h, local);
        if (!r->page && (st = new_page(r, err)))
                return st;
        if (r->trusted && was >= 0 && r->old.v[was].hash == h) {
                r->page->n_skipped++;  /* unchanged since the last complete run */
                return FD_OK;
        }
        if (r->page->records.n >= r->page_records) {
                if ((st = emit(r, tk->token, false, err)) || (st = new_page(r, err)))
                        return st;
        }
        struct fd_record *rec = NULL;
        struct fd_error e = {0};
        void *wud = (void *)r->sink;
        if (fd_dcat_map(g, ds, r->o->source, r->page->arena, fd_harvest_forward_warn, wud, &rec, &e) != FD_OK) {
                fd_harvest_warnf(r->sink, "dataset '%s' of '%s' skipped: %s", local, r->doc_url, e.msg);
                return FD_OK;
        }
        struct fd_record **slot = FD_PUSH(r->page->arena, r->page->records);
        if (!slot) {
                if ((st = emit(r, tk->token, false, err)) || (st = new_page(r, err)))
                        return st;
                if (fd_dcat_map(g, ds, r->o->source, r->page->arena, fd_harvest_forward_warn, wud, &rec, &e) != FD_OK ||
                    !(slot = FD_PUSH(r->page->arena, r->page->records))) {
                        fd_harvest_warnf(r->sink, "dataset '%s' of '%s' skipped: too large for a page", local,
                                         r->doc_url);
                        return FD_OK;
                }
        }
        *slot = rec;
        return FD_OK;
}

static void skip_warn(void *ud, const char *msg) {
        struct take *tk = ud;
        fd_harvest_warnf(tk->r->sink, "a dataset of '%s' skipped: %s", tk->r->doc_url, msg);
}

/* Cuts the datasets of the finished graph g into pages; *ret_n counts them. */
static enum fd_status take_datasets(struct run *r, struct fd_rdf_graph *g, const char *token, size_t *ret_n,
                                    struct fd_error *err) {
        struct take tk = {.r = r, .token = token};
        return fd_dcat_each(g, take_one, skip_warn, &tk, ret_n, err);
}

/* ---- fetching -------------------------------------------------------------------- */

/* The body goes to a temporary file as it arrives: the parsers read it
 * from there a buffer at a time. */
struct body {
        const char *url;
        FILE *f;
        size_t len, max;
        bool over;
        int error;
};

static enum fd_status on_body(void *ud, const char *data, size_t len) {
        struct body *b = ud;
        if (len > b->max - b->len) {
                b->over = true;
                return FD_E_LIMIT;
        }
        if (fwrite(data, 1, len, b->f) != len) {
                b->error = errno;
                return FD_E_IO;
        }
        b->len += len;
        return FD_OK;
}

/* Each attempt starts the file over. */
static enum fd_status body_start(void *ud, struct fd_error *err) {
        struct body *b = ud;

        rewind(b->f);
        if (ftruncate(fileno(b->f), 0) != 0)
                return fd_error_set(err, FD_E_IO, "cannot truncate a temporary file: %s", strerror(errno));
        b->len = 0;
        b->over = false;
        b->error = 0;
        return FD_OK;
}

static enum fd_status body_finish(void *ud, enum fd_status st, long code, const struct fd_error *herr,
                                  struct fd_error *err) {
        struct body *b = ud;

        (void)code;
        if (st == FD_E_LIMIT && b->over)
                return fd_error_set(err, st, "document '%s' exceeds %zu bytes", b->url, b->max);
        if (st == FD_E_IO && b->error)
                return fd_error_set(err, st, "cannot spool '%s': %s", b->url, strerror(b->error));
        if (st == FD_OK && fflush(b->f) != 0)
                return fd_error_set(err, FD_E_IO, "cannot spool '%s': %s", b->url, strerror(errno));
        return st ? fd_error_set(err, st, "%s", herr->msg) : FD_OK;
}

/* GETs url into b's file through the run's fetch policy; *ret_ct is the
 * Content-Type (copied) or NULL. */
static enum fd_status fetch(struct run *r, const char *url, struct body *b, char **ret_ct, struct fd_error *err) {
        struct fd_fetch_body fb = {.start = body_start, .chunk = on_body, .finish = body_finish, .ud = b};
        enum fd_status st;

        b->url = url;
        if ((st = fd_fetch_get(&r->fetch, url, &fb, err)))
                return st;
        const char *ct = fd_http_content_type(r->http);
        *ret_ct = ct ? strdup(ct) : NULL;
        return FD_OK;
}

/* next resolved against the document's url, into a new string. */
static char *resolve(const char *url, const char *next) {
        char *out = NULL;
        if (strstr(next, "://"))
                return strdup(next);
        const char *scheme_end = strstr(url, "://");
        if (!scheme_end)
                return NULL;
        if (next[0] == '/') {
                const char *host_end = strchr(scheme_end + 3, '/');
                size_t n = host_end ? (size_t)(host_end - url) : strlen(url);
                return asprintf(&out, "%.*s%s", (int)n, url, next) < 0 ? NULL : out;
        }
        if (next[0] == '?') {
                size_t n = strcspn(url, "?#");
                return asprintf(&out, "%.*s%s", (int)n, url, next) < 0 ? NULL : out;
        }
        const char *slash = strrchr(url, '/');
        size_t n = slash && slash > scheme_end + 2 ? (size_t)(slash - url) + 1 : strlen(url);
        return asprintf(&out, "%.*s%s%s", (int)n, url, slash && slash > scheme_end + 2 ? "" : "/", next) < 0 ? NULL
                                                                                                           : out;
}

/* ---- JSON documents, read as a stream ---------------------------------------------- */

enum json_mode { JSON_UNDECIDED, JSON_LD, JSON_PLAIN, JSON_WHOLE };

struct json_read {
        struct run *r;
        struct fd_rdf_graph *g;
        FILE *f;
        long start;
        const char *url, *site;
        enum json_mode mode;
        bool ckan_items;
        struct fd_jsonld_stream *ld;
        unsigned long blank;
};

static void json_warn(void *ud, const char *msg) {
        struct json_read *j = ud;
        fd_harvest_warnf(j->r->sink, "%s", msg);
}

/* How the items of the document's catalogue array are read, from what came
 * before the first: a top-level array's or a {"@context", "@graph"}'s as
 * JSON-LD, a data.json's "dataset" or a CKAN answer's results by key name,
 * anything else kept for the whole document. */
static enum fd_status json_decide(struct json_read *j, json_t *root, const char *key, struct fd_error *err) {
        json_t *ctx = json_is_object(root) ? json_object_get(root, "@context") : NULL;

        j->mode = JSON_WHOLE;
        if (!key)
                j->mode = JSON_LD;
        else if (strcmp(key, "@graph") == 0 && ctx && json_object_size(root) == 2)
                j->mode = JSON_LD;  /* a @context after its @graph: the document is read whole */
        else if ((strcmp(key, "dataset") == 0 || strcmp(key, "results") == 0) && fd_dcat_json_is_plain(root)) {
                j->mode = JSON_PLAIN;
                j->ckan_items = strcmp(key, "results") == 0;
        }
        if (j->mode == JSON_LD)
                return fd_rdf_jsonld_stream(j->g, key != NULL, ctx, j->url, j->url, err, &j->ld);
        return FD_OK;
}

static enum fd_status json_item(void *ud, json_t *root, const char *key, json_t *item, bool *ret_keep,
                                struct fd_error *err) {
        struct json_read *j = ud;
        enum fd_status st;

        if (cancelled(j->r))  /* within a document of millions of items */
                return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
        if (j->mode == JSON_UNDECIDED && (st = json_decide(j, root, key, err)))
                return st;
        switch (j->mode) {
        case JSON_LD:
                return fd_jsonld_stream_item(j->ld, item);
        case JSON_PLAIN:
                return fd_dcat_json_item(j->g, item, j->ckan_items, j->url, j->site, &j->blank, err);
        default:
                /* held whole: bounded as jansson's whole documents were */
                if (ftell(j->f) - j->start > (long)DEFAULT_MAX_JSON)
                        return fd_error_set(err, FD_E_LIMIT,
                                            "JSON document '%s' exceeds %zu bytes and is not a catalogue array "
                                            "read item by item",
                                            j->url, DEFAULT_MAX_JSON);
                *ret_keep = true;
                return FD_OK;
        }
}

/* A JSON document (JSON-LD, data.json, a CKAN answer) into g: its
 * catalogue array item by item (dcat_stream.c), the rest as a whole. */
static enum fd_status read_json(struct run *r, struct fd_rdf_graph *g, FILE *f, const char *url,
                                struct fd_error *err) {
        bool ckan = r->d && r->d->ckan;
        struct json_read j = {.r = r, .g = g, .f = f, .start = ftell(f), .url = url, .site = ckan ? r->o->url : url};
        struct fd_json_stream_opts o = {.item = json_item, .warn = json_warn, .ud = &j, .where = url};
        json_t *doc = NULL;
        enum fd_status st = fd_json_stream_file(f, &o, &doc, err);

        fd_jsonld_stream_free(j.ld);
        if (st)
                return st;
        if (j.mode == JSON_UNDECIDED || j.mode == JSON_WHOLE) {
                /* JSON-LD, unless it is a plain data.json or CKAN answer */
                if (ckan || fd_dcat_json_is_plain(doc))
                        st = fd_dcat_json_read(g, doc, url, j.site, err);
                else
                        st = fd_rdf_read_jsonld(g, doc, url, url, err);
        }
        json_decref(doc);
        return st;
}

/* Reads one document into a new, finished graph. */
static enum fd_status read_doc(struct run *r, const char *url, struct fd_rdf_graph **ret_g, struct fd_error *err) {
        _fd_cleanup_(fd_file_freep) FILE *f = fd_rdf_temp_file();
        _fd_cleanup_(fd_rdf_graph_freep) struct fd_rdf_graph *g = NULL;
        _fd_free_ char *ct = NULL;
        char first[4096];
        enum fd_status st;

        if (!f)
                return fd_error_set(err, FD_E_IO, "cannot create a temporary file: %s", strerror(errno));
        struct body b = {.f = f, .max = r->d && r->d->max_document ? r->d->max_document : DEFAULT_MAX_DOC};
        if ((st = fetch(r, url, &b, &ct, err)))
                return st;
        rewind(f);
        size_t n = fread(first, 1, sizeof first - 1, f);
        first[n] = '\0';
        rewind(f);
        if ((st = fd_rdf_graph_new_streamed(r->d ? r->d->max_triples : 0, r->d ? r->d->memory_budget : 0,
                                            &fd_dcat_vocab, &g, err)))
                return st;
        g->contexts = r->contexts;
        bool ckan = r->d && r->d->ckan;
        enum fd_rdf_syntax syn = ckan ? FD_RDF_JSON : fd_rdf_sniff(ct, url, first, n);
        if (syn == FD_RDF_JSON || syn == FD_RDF_JSONLD)
                st = read_json(r, g, f, url, err);
        else
                st = fd_rdf_read(g, syn, f, url, url, err);
        if (st || (st = fd_rdf_graph_finish(g, err)))
                return st;
        *ret_g = FD_TAKE_PTR(g);
        return FD_OK;
}

/* One id of the last complete run (read back from the state file) this
 * one did not list becomes a deletion. */
static enum fd_status delete_one(void *ud, uint64_t h, const char *id, struct fd_error *err) {
        struct run *r = ud;
        enum fd_status st;
        (void)h;
        if (listed(&r->old, &r->seen, hash_key(id)))
                return FD_OK;
        if (!r->page && (st = new_page(r, err)))
                return st;
        if (r->page->records.n >= r->page_records &&
            ((st = emit(r, NULL, false, err)) || (st = new_page(r, err))))
                return st;
        struct fd_record *rec = fd_record_new_in(r->page->arena);
        struct fd_record **slot = rec ? FD_PUSH(r->page->arena, r->page->records) : NULL;
        if (!slot)
                return fd_error_set(err, FD_E_LIMIT, "page arena full");
        rec->deleted = true;
        rec->format = "dcat";
        rec->source = r->page->source;
        rec->local_id = fd_arena_strdup(r->page->arena, id);
        rec->id = fd_arena_printf(r->page->arena, "%s:%s", r->o->source, id);
        if (!rec->local_id || !rec->id)
                return fd_error_set(err, FD_E_LIMIT, "page arena full");
        *slot = rec;
        return FD_OK;
}

/* A partial run adds to the next state file what the last complete one saw
 * and this one did not list. */
static enum fd_status keep_one(void *ud, uint64_t h, const char *id, struct fd_error *err) {
        struct run *r = ud;
        (void)err;
        if (!listed(&r->old, &r->seen, hash_key(id)))
                state_write(r->next.f, h, id);
        return FD_OK;
}

static enum fd_status ckan_url(struct run *r, unsigned long start, char **ret) {
        _fd_cleanup_(fd_buf_release) struct fd_buf b;
        const char *site = r->o->url;
        size_t n = strlen(site);
        enum fd_status st;

        while (n && site[n - 1] == '/')
                n--;
        fd_buf_init(&b, 64 << 10);
        st = fd_buf_printf(&b, "%.*s/api/3/action/package_search?rows=%d&start=%lu&sort=metadata_modified%%20asc",
                           (int)n, site, CKAN_ROWS, start);
        if (!st && !r->whole && r->cp.from) {
                _fd_free_ char *fq = NULL;
                if (asprintf(&fq, "metadata_modified:[%s TO *]", r->cp.from) < 0)
                        return FD_E_NOMEM;
                st = fd_buf_printf(&b, "&fq=") ?: fd_url_encode(&b, fq);
        }
        if (st)
                return st;
        *ret = FD_TAKE_PTR(b.data);
        return FD_OK;
}

static enum fd_status run_dcat(struct run *r, const char *first, struct fd_error *err) {
        unsigned long max_pages = r->d && r->d->max_pages ? r->d->max_pages : DEFAULT_MAX_PAGES;
        _fd_free_ char *url = strdup(first);
        enum fd_status failed = FD_OK;
        struct fd_error ferr = {0};
        unsigned long docs = 0, start = 0;
        enum fd_status st;

        if (!url)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (r->d && r->d->ckan && r->cp.token) {
                const char *p = strstr(r->cp.token, "start=");
                start = p ? strtoul(p + 6, NULL, 10) : 0;
        }
        while (url) {
                _fd_cleanup_(fd_rdf_graph_freep) struct fd_rdf_graph *g = NULL;
                _fd_free_ char *next = NULL;

                if (cancelled(r))
                        return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
                if (docs++ >= max_pages) {
                        failed = fd_error_set(&ferr, FD_E_LIMIT, "more than %lu documents in '%s', stopped",
                                              max_pages, r->o->url);
                        break;
                }
                if (hset_has(&r->visited, hash_key(url))) {
                        failed = fd_error_set(&ferr, FD_E_PROTOCOL, "paging loops back to '%s'", url);
                        break;
                }
                if (!hset_add(&r->visited, hash_key(url)))
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                r->doc_url = url;
                st = read_doc(r, url, &g, &ferr);
                if (st == FD_E_CANCELLED || st == FD_E_NOMEM)
                        return fd_error_set(err, st, "%s", ferr.msg);
                if (st) {
                        /* this document fails; what was read before stays indexed */
                        failed = st;
                        fd_harvest_warnf(r->sink, "%s", ferr.msg);
                        break;
                }
                if (g->skipped) {
                        /* what a syntax error lost may be a dataset: this run deletes nothing */
                        fd_harvest_warnf(r->sink, "'%s': %lu statement%s skipped for syntax errors: %s%s", url,
                                         g->skipped, g->skipped == 1 ? "" : "s", g->skipped_at,
                                         g->skipped_named > FD_RDF_SKIPS_NAMED ? "; ..." : "");
                        r->whole = false;
                }
                size_t n = 0;
                if ((st = take_datasets(r, g, url, &n, err)))
                        return st;
                if (r->d && r->d->ckan) {
                        if (n > 0) {
                                start += CKAN_ROWS;
                                if ((st = ckan_url(r, start, &next)))
                                        return fd_error_set(err, st, "out of memory");
                        }
                } else {
                        const char *nx = fd_dcat_hydra_next(g);
                        if (nx && !(next = resolve(url, nx)))
                                return fd_error_set(err, FD_E_NOMEM, "out of memory");
                }
                if (next) {
                        /* the page in hand is committed with the next document as token */
                        if (r->page && (st = emit(r, next, false, err)))
                                return st;
                }
                r->doc_url = NULL;
                free(url);
                url = FD_TAKE_PTR(next);
        }
        if (failed) {
                if (r->page && (st = emit(r, NULL, false, err)))
                        return st;
                return fd_error_set(err, failed, "%s", ferr.msg);
        }
        if (r->whole && r->d && r->d->state_file &&
            (st = state_read(r->d->state_file, delete_one, r, NULL, err)))
                return st;
        if (r->next.f) {
                struct fd_error e = {0};
                if ((!r->whole && state_read(r->d->state_file, keep_one, r, NULL, &e) != FD_OK) ||
                    fd_replace_commit(&r->next, &e) != FD_OK) {
                        fd_replace_abort(&r->next);
                        fd_harvest_warnf(r->sink, "%s", e.msg);
                }
        }
        return emit(r, NULL, true, err);
}

/* ---- the CKAN identifier listing (deletion reconciliation) ------------------------ */

#define CKAN_LIST_ROWS 1000

/* GETs a CKAN action API url through r's fetch policy: *ret is the answer
 * when it says success. */
static enum fd_status ckan_get(struct run *r, const char *url, json_t **ret, struct fd_error *err) {
        _fd_cleanup_(fd_file_freep) FILE *f = fd_rdf_temp_file();
        _fd_free_ char *ct = NULL;
        json_t *doc = NULL;
        enum fd_status st;

        if (!f)
                return fd_error_set(err, FD_E_IO, "cannot create a temporary file: %s", strerror(errno));
        struct body b = {.f = f, .max = DEFAULT_MAX_JSON};
        if ((st = fetch(r, url, &b, &ct, err)))
                return st;
        rewind(f);
        if ((st = fd_json_load_file(f, DEFAULT_MAX_JSON, url, &doc, err)))
                return st;
        if (!json_is_true(json_object_get(doc, "success"))) {
                json_decref(doc);
                return fd_error_set(err, FD_E_PROTOCOL, "'%s' is not a successful CKAN answer", url);
        }
        *ret = doc;
        return FD_OK;
}

struct ckan_lister {
        const char *site;
        fd_identifier_fn fn;
        void *ud;
        unsigned long listed;
};

/* Hands one listed name to the callback as its dataset IRI. */
static enum fd_status ckan_listed(struct ckan_lister *l, json_t *name) {
        char iri[2048];
        if (!json_is_string(name) || !json_string_value(name)[0])
                return FD_OK;
        fd_ckan_dataset_iri(l->site, json_string_value(name), iri, sizeof iri);
        l->listed++;
        return l->fn(l->ud, iri, NULL, false);
}

/* package_list: every name in one answer, a snapshot of the site. */
static enum fd_status ckan_package_list(struct run *r, struct ckan_lister *l, size_t n_site, struct fd_error *err) {
        _fd_free_ char *url = NULL;
        json_t *doc = NULL, *x;
        size_t i;
        enum fd_status st = FD_OK;

        if (asprintf(&url, "%.*s/api/3/action/package_list", (int)n_site, l->site) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if ((st = ckan_get(r, url, &doc, err)))
                return st;
        json_t *res = json_object_get(doc, "result");
        if (!json_is_array(res))
                st = fd_error_set(err, FD_E_PROTOCOL, "'%s' answers no list of names", url);
        json_array_foreach(res, i, x) if (!st && (st = ckan_listed(l, x)))
                fd_error_set(err, st, "identifier listing of '%s' stopped by its callback", url);
        json_decref(doc);
        return st;
}

/* package_search with only names, by name: paging is trusted only when the
 * count did not change while it lasted and every counted name came. */
static enum fd_status ckan_search_list(struct run *r, struct ckan_lister *l, size_t n_site, struct fd_error *err) {
        long long first_count = -1, count = -1;
        enum fd_status st;

        for (unsigned long start = 0;; start += CKAN_LIST_ROWS) {
                _fd_free_ char *url = NULL;
                json_t *doc = NULL, *x;
                size_t i;

                if (cancelled(r))
                        return fd_error_set(err, FD_E_CANCELLED, "harvest cancelled");
                if (asprintf(&url, "%.*s/api/3/action/package_search?fl=name&rows=%d&start=%lu&sort=name%%20asc",
                             (int)n_site, l->site, CKAN_LIST_ROWS, start) < 0)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                if ((st = ckan_get(r, url, &doc, err)))
                        return st;
                json_t *res = json_object_get(doc, "result"), *list = json_object_get(res, "results");
                count = json_integer_value(json_object_get(res, "count"));
                if (first_count < 0)
                        first_count = count;
                st = json_is_array(list) && json_is_integer(json_object_get(res, "count"))
                             ? FD_OK
                             : fd_error_set(err, FD_E_PROTOCOL, "'%s' answers no counted list of datasets", url);
                json_array_foreach(list, i, x) if (!st && (st = ckan_listed(l, json_is_object(x) ? json_object_get(x, "name") : x)))
                        fd_error_set(err, st, "identifier listing of '%s' stopped by its callback", url);
                size_t n = json_array_size(list);
                json_decref(doc);
                if (st)
                        return st;
                if (n == 0 || start + n >= (unsigned long long)count)
                        break;
        }
        if (count != first_count || (long long)l->listed != count)
                return fd_error_set(err, FD_E_PROTOCOL,
                                    "the datasets of '%s' changed while they were listed (%lld, then %lld, %lu listed)",
                                    l->site, first_count, count, l->listed);
        return FD_OK;
}

enum fd_status fd_ckan_list_identifiers(const struct fd_harvest_opts *opts, fd_identifier_fn fn, void *userdata,
                                        struct fd_error *err) {
        _fd_cleanup_(fd_http_freep) struct fd_http *http = NULL;
        struct fd_harvest_sink sink = {0};
        struct run r = {.o = opts, .sink = &sink};
        struct ckan_lister l = {.fn = fn, .ud = userdata};
        struct fd_error e = {0};
        enum fd_status st;

        if (!opts || !opts->url || !fn)
                return fd_error_set(err, FD_E_INVALID, "identifier listing without a URL or a callback");
        struct fd_http_opts ho = {.user_agent = opts->user_agent ? opts->user_agent : "fairdex",
                                  .max_body = DEFAULT_MAX_JSON};
        if ((st = fd_http_new(&ho, &http, err)))
                return st;
        fd_http_set_compression(http, true);
        if ((st = fd_http_set_accept(http, ACCEPT_CKAN, err)))
                return st;
        r.http = http;
        fd_fetch_init(&r.fetch, http, opts, &sink, "listing");
        l.site = opts->url;
        size_t n_site = strlen(l.site);
        while (n_site && l.site[n_site - 1] == '/')
                n_site--;
        /* package_list is one snapshot; sites that turn it off still search */
        st = ckan_package_list(&r, &l, n_site, &e);
        if (st != FD_E_HTTP && st != FD_E_PROTOCOL && st != FD_E_PARSE)
                return st ? fd_error_set(err, st, "%s", e.msg) : FD_OK;
        if (l.listed)
                return fd_error_set(err, st, "%s", e.msg);
        return ckan_search_list(&r, &l, n_site, err);
}

enum fd_status fd_dcat_harvest(const struct fd_harvest_opts *opts, const struct fd_dcat_opts *dopts,
                               const struct fd_harvest_sink *sink, struct fd_error *err) {
        _fd_cleanup_(fd_http_freep) struct fd_http *http = NULL;
        _fd_free_ char *state_run = NULL, *first = NULL;
        struct run r = {.o = opts, .d = dopts, .sink = sink};

        const struct fd_checkpoint *res = opts ? opts->resume : NULL;
        char now[32];
        enum fd_status st;

        if (!opts || !sink || !sink->page || !opts->source || !opts->url)
                return fd_error_set(err, FD_E_INVALID, "harvest without a source, URL or sink");
        if (strncasecmp(opts->url, "file://", 7) != 0 && !fd_is_http(opts->url))
                return fd_error_set(err, FD_E_INVALID, "URL '%s' of source '%s' is neither http(s) nor file",
                                    opts->url, opts->source);
        r.page_records = opts->static_page_records ? opts->static_page_records : DEFAULT_PAGE_RECORDS;
        struct fd_http_opts ho = {.user_agent = opts->user_agent ? opts->user_agent : "fairdex",
                                  .max_body = dopts && dopts->max_document ? dopts->max_document : DEFAULT_MAX_DOC};
        if ((st = fd_http_new(&ho, &http, err)))
                return st;
        fd_http_set_compression(http, true);
        if ((st = fd_http_set_accept(http, dopts && dopts->ckan ? ACCEPT_CKAN : ACCEPT_RDF, err)))
                return st;
        r.http = http;
        fd_fetch_init(&r.fetch, http, opts, sink, "document");
        _fd_cleanup_(fd_arena_freep) struct fd_arena *scratch = fd_arena_new(1 << 20);
        if (!scratch)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        r.scratch = scratch;
        _fd_cleanup_(fd_jsonld_contexts_freep) struct fd_jsonld_contexts *contexts = NULL;
        if (dopts && dopts->contexts_dir && (st = fd_jsonld_contexts_load(dopts->contexts_dir, &contexts, err)))
                return st;
        r.contexts = contexts;

        if (dopts && dopts->state_file && (st = prev_load(&r.old, dopts->state_file, &state_run, err)))
                goto out;
        r.trusted = state_run && res && res->last_complete && strcmp(state_run, res->last_complete) == 0;

        fd_time_iso(fd_time_now(), now, sizeof now);
        bool resuming = res && res->token && res->run_start;
        bool ok = fd_harvest_set_str(&r.cp.last_complete, res ? res->last_complete : NULL);
        if (resuming) {
                ok = ok && fd_harvest_set_str(&r.cp.run_start, res->run_start) &&
                     fd_harvest_set_str(&r.cp.from, res->from) && fd_harvest_set_str(&r.cp.token, res->token);
                r.cp.pages = res->pages;
                r.cp.records = res->records;
                r.cp.deleted = res->deleted;
                r.cp.skipped = res->skipped;
                first = strdup(res->token);
        } else {
                ok = ok && fd_harvest_set_str(&r.cp.run_start, now);
                if (dopts && dopts->ckan)
                        ok = ok && fd_harvest_set_str(&r.cp.from, res ? res->last_complete : NULL);
        }
        if (!ok) {
                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
                goto out;
        }
        /* a resumed run saw only part of the catalogue; an incremental CKAN run only its changes */
        r.whole = !resuming && !(dopts && dopts->ckan && r.cp.from);
        if (!first) {
                if (dopts && dopts->ckan) {
                        if (ckan_url(&r, 0, &first) != FD_OK) {
                                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
                                goto out;
                        }
                } else
                        first = strdup(opts->url);
        }
        if (!first) {
                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
                goto out;
        }
        if (dopts && dopts->state_file) {
                struct fd_error e = {0};
                if (fd_replace_open(&r.next, dopts->state_file, &e) != FD_OK)
                        fd_harvest_warnf(sink, "%s", e.msg);
                else
                        fprintf(r.next.f, "run\t%s\n", r.cp.run_start);
        }
        st = run_dcat(&r, first, err);
out:
        fd_replace_abort(&r.next);
        fd_page_free(r.page);
        fd_checkpoint_release(&r.cp);
        prev_release(&r.old);
        hset_release(&r.seen);
        hset_release(&r.visited);
        return st;
}
