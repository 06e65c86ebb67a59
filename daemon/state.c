/* state.c: the state directory's layout and its write policy (state.h).
 *
 * One function names every path (fd_state_path), one writes every file
 * (write_file: the directory made with fd_mkdir_p, the content replaced
 * with fd_file_replace), so no caller derives a path or picks a level of
 * durability of its own.  The formats:
 *
 * errors/<source>.jsonl: one JSON line per run (ASCII, so a line is a
 * line whatever the warnings hold) with its start, end, status, error,
 * counts and warnings; the file keeps the last FD_ERRORS_RUNS.  The counts
 * let a restarted fairdexd say what the last run did.
 *
 * fair-history/<source>.json: a JSON array of summaries, capped at
 * FD_FAIR_HISTORY_MAX entries and 1 MiB.  A crash before the rename loses
 * that run's entry only (the history summarizes committed data).
 *
 * backoff/<source>.json: {"url","failures","failing_since","next_run"}
 * while the source fails, removed when a run succeeds.
 *
 * Readers are the query workers (errors, history) and the main thread
 * (backoff, last run); writers are the one thread that runs the source's
 * harvest or schedules it, so each file has one writer at a time.
 */
#include <errno.h>
#include <unistd.h>

#include "state.h"

#define HISTORY_MAX_BYTES (1u << 20)
/* An errors file: ten runs of 2,000 warnings of at most a few KiB each. */
#define ERRORS_MAX_BYTES ((size_t)256 << 20)

static const char *const subdirs[] = {
        [FD_STATE_ERRORS] = "errors",
        [FD_STATE_FAIR_HISTORY] = "fair-history",
        [FD_STATE_BACKOFF] = "backoff",
};
static const char *const suffixes[] = {
        [FD_STATE_ERRORS] = ".jsonl",
        [FD_STATE_FAIR_HISTORY] = ".json",
        [FD_STATE_BACKOFF] = ".json",
};

char *fd_state_path(const char *state_dir, enum fd_state_file kind, const char *source) {
        char *path = NULL;
        int r;

        switch (kind) {
        case FD_STATE_INDEX:
                r = asprintf(&path, "%s/index", state_dir);
                break;
        case FD_STATE_DCAT:
                r = asprintf(&path, "%s/dcat-%s.state", state_dir, source);
                break;
        default:
                r = asprintf(&path, "%s/%s/%s%s", state_dir, subdirs[kind], source, suffixes[kind]);
                break;
        }
        return r < 0 ? NULL : path;
}

enum fd_status fd_state_init(const char *state_dir, struct fd_error *err) { return fd_mkdir_p(state_dir, err); }

/* The write policy: the file's directory made, the content replaced
 * durably. */
static enum fd_status write_file(const char *state_dir, enum fd_state_file kind, const char *source,
                                 const char *text, struct fd_error *err) {
        _fd_free_ char *path = fd_state_path(state_dir, kind, source), *dir = NULL;

        if (!path || asprintf(&dir, "%s/%s", state_dir, subdirs[kind]) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        enum fd_status st = fd_mkdir_p(dir, err);
        return st ? st : fd_file_replace(path, text, strlen(text), err);
}

/* ---- errors ----------------------------------------------------------- */

static json_t *report_json(const struct fd_run_report *r) {
        char t0[32], t1[32];
        json_t *list = json_array();

        for (size_t i = 0; list && i < r->n_warnings; i++)
                json_array_append_new(list, json_string(r->warnings[i]));
        if (list && r->more_warnings)
                json_array_append_new(list, json_sprintf("… %llu more", (unsigned long long)r->more_warnings));
        const struct fd_run_counts *n = &r->counts;
        json_t *o = list ? json_pack("{s:s,s:s,s:s,s:s?,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}",
                                     "start", fd_time_iso(r->start, t0, sizeof t0),
                                     "end", fd_time_iso(r->end, t1, sizeof t1), "status", fd_status_name(r->status),
                                     "error", r->error, "records", (json_int_t)n->records, "added", (json_int_t)n->added,
                                     "updated", (json_int_t)n->updated, "unchanged", (json_int_t)n->unchanged,
                                     "deleted", (json_int_t)n->deleted, "skipped", (json_int_t)n->skipped,
                                     "count", (json_int_t)(r->n_warnings + r->more_warnings), "errors", list)
                         : NULL;
        if (o && n->n_skipped_formats && json_object_set_new(o, "skipped_formats", fd_run_skips_json(n)) < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

/* Calls fn on each line of the source's errors file; false when it could
 * not be read (ENOENT counts as read: no runs yet). */
static bool each_line(const char *state_dir, const char *source, void (*fn)(void *userdata, char *line),
                      void *userdata, int *ret_errno) {
        _fd_free_ char *path = fd_state_path(state_dir, FD_STATE_ERRORS, source);
        char *buf = NULL;
        size_t cap = 0;
        FILE *f;

        if (!path) {
                *ret_errno = ENOMEM;
                return false;
        }
        if (!(f = fopen(path, "re"))) {
                *ret_errno = errno;
                return errno == ENOENT;
        }
        while (getline(&buf, &cap, f) > 0) {
                fn(userdata, buf);
                buf = NULL;
                cap = 0;
        }
        free(buf);
        fclose(f);
        return true;
}

/* The last FD_ERRORS_RUNS lines, in a ring. */
struct ring {
        char *line[FD_ERRORS_RUNS];
        size_t n;
};

static void ring_add(void *userdata, char *line) {
        struct ring *r = userdata;
        free(r->line[r->n % FD_ERRORS_RUNS]);
        r->line[r->n++ % FD_ERRORS_RUNS] = line;
}

enum fd_status fd_state_errors_append(const char *state_dir, const char *source, const struct fd_run_report *r,
                                      struct fd_error *err) {
        json_t *o = report_json(r);
        _fd_free_ char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
        struct ring ring = {.n = 0};
        struct fd_buf b;
        int e;

        json_decref(o);
        if (!line)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        each_line(state_dir, source, ring_add, &ring, &e);
        fd_buf_init(&b, ERRORS_MAX_BYTES);
        size_t keep = ring.n < FD_ERRORS_RUNS - 1 ? ring.n : FD_ERRORS_RUNS - 1;
        enum fd_status st = FD_OK;
        for (size_t i = ring.n - keep; !st && i < ring.n; i++)
                st = fd_buf_printf(&b, "%s", ring.line[i % FD_ERRORS_RUNS]);
        if (!st)
                st = fd_buf_printf(&b, "%s\n", line);
        for (size_t i = 0; i < FD_ERRORS_RUNS; i++)
                free(ring.line[i]);
        if (st)
                st = fd_error_set(err, FD_E_NOMEM, "out of memory");
        else
                st = write_file(state_dir, FD_STATE_ERRORS, source, b.data, err);
        fd_buf_release(&b);
        return st;
}

static void array_add(void *userdata, char *line) {
        json_t *run = json_loads(line, 0, NULL);
        if (run)
                json_array_append_new(userdata, run);
        free(line);
}

enum fd_status fd_state_errors_read(const char *state_dir, const char *source, json_t **ret_runs,
                                    struct fd_error *err) {
        json_t *runs = json_array();
        int e;

        if (!runs)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (!each_line(state_dir, source, array_add, runs, &e)) {
                json_decref(runs);
                if (e == ENOMEM)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                _fd_free_ char *path = fd_state_path(state_dir, FD_STATE_ERRORS, source);
                return fd_error_set(err, FD_E_IO, "cannot read '%s': %s", path ? path : source, strerror(e));
        }
        *ret_runs = runs;
        return FD_OK;
}

static void keep_last(void *userdata, char *line) {
        char **last = userdata;
        if (strlen(line) > 1) {
                free(*last);
                *last = line;
        } else
                free(line);
}

/* The counts of an errors file line ("count" is its errors), 0 when absent. */
static uint64_t count_in(json_t *o, const char *key) {
        json_int_t v = json_integer_value(json_object_get(o, key));
        return v > 0 ? (uint64_t)v : 0;
}

bool fd_state_last_run(const char *state_dir, const char *source, struct fd_run_summary *ret) {
        _fd_free_ char *last = NULL;
        int e;

        each_line(state_dir, source, keep_last, &last, &e);
        json_t *o = last ? json_loads(last, 0, NULL) : NULL;
        struct fd_run_summary r = {0};
        const char *status = json_string_value(json_object_get(o, "status"));
        const char *start = json_string_value(json_object_get(o, "start"));
        const char *end = json_string_value(json_object_get(o, "end"));
        /* lines of a fairdex that did not count runs say nothing of them */
        bool ok = status && end && json_object_get(o, "records") && fd_time_parse_iso(end, &r.end) && r.end;
        if (ok) {
                if (!start || !fd_time_parse_iso(start, &r.start))
                        r.start = 0;
                snprintf(r.status, sizeof r.status, "%s", status);
                r.counts = (struct fd_run_counts){
                        .records = count_in(o, "records"), .added = count_in(o, "added"),
                        .updated = count_in(o, "updated"), .unchanged = count_in(o, "unchanged"),
                        .deleted = count_in(o, "deleted"), .skipped = count_in(o, "skipped"),
                        .errors = count_in(o, "count"),
                };
                const char *format;
                json_t *n;
                json_object_foreach(json_object_get(o, "skipped_formats"), format, n)
                        if (json_is_integer(n) && json_integer_value(n) > 0)
                                fd_run_count_skip(&r.counts, format, (uint64_t)json_integer_value(n));
                *ret = r;
        }
        json_decref(o);
        return ok;
}

/* ---- FAIR history ----------------------------------------------------- */

json_t *fd_state_fair_history(const char *state_dir, const char *source, bool *ret_broken) {
        _fd_free_ char *path = fd_state_path(state_dir, FD_STATE_FAIR_HISTORY, source);
        json_t *a;
        FILE *f;

        if (ret_broken)
                *ret_broken = false;
        if (!path)
                return NULL;
        f = fopen(path, "re");
        if (!f)
                return json_array();
        a = json_loadf(f, JSON_REJECT_DUPLICATES, NULL);
        fclose(f);
        if (json_is_array(a))
                return a;
        json_decref(a);
        if (ret_broken)
                *ret_broken = true;
        return json_array();
}

enum fd_status fd_state_fair_history_add(const char *state_dir, const char *source, json_t *entry,
                                         struct fd_error *err) {
        bool broken = false;
        json_t *history = fd_state_fair_history(state_dir, source, &broken);

        if (!history || !entry || json_array_append_new(history, entry) < 0) {
                if (!history)
                        json_decref(entry);
                json_decref(history);
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        if (broken)
                fd_log(FD_LOG_WARNING, "source '%s': its FAIR history is not a JSON array, starting a new one",
                       source);
        while (json_array_size(history) > FD_FAIR_HISTORY_MAX)
                json_array_remove(history, 0);
        _fd_free_ char *text = json_dumps(history, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(history);
        if (!text)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        if (strlen(text) > HISTORY_MAX_BYTES)
                return fd_error_set(err, FD_E_LIMIT, "FAIR history larger than %u bytes, not recorded",
                                    HISTORY_MAX_BYTES);
        return write_file(state_dir, FD_STATE_FAIR_HISTORY, source, text, err);
}

/* ---- backoff ---------------------------------------------------------- */

enum fd_status fd_state_backoff_save(const char *state_dir, const char *source, const char *url,
                                     const struct fd_backoff *b, struct fd_error *err) {
        char since[32], next[32];

        if (!b) {
                _fd_free_ char *path = fd_state_path(state_dir, FD_STATE_BACKOFF, source);
                if (!path)
                        return fd_error_set(err, FD_E_NOMEM, "out of memory");
                if (unlink(path) < 0 && errno != ENOENT)
                        return fd_error_set(err, FD_E_IO, "cannot remove '%s': %s", path, strerror(errno));
                return FD_OK;
        }
        json_t *o = json_pack("{s:s,s:I,s:s,s:s}", "url", url, "failures", (json_int_t)b->failures, "failing_since",
                              fd_time_iso(b->failing_since, since, sizeof since), "next_run",
                              fd_time_iso(b->next_run, next, sizeof next));
        _fd_free_ char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        if (!text)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        return write_file(state_dir, FD_STATE_BACKOFF, source, text, err);
}

bool fd_state_backoff_load(const char *state_dir, const char *source, const char *url, struct fd_backoff *ret) {
        _fd_free_ char *path = fd_state_path(state_dir, FD_STATE_BACKOFF, source);
        json_t *o = path ? json_load_file(path, JSON_REJECT_DUPLICATES, NULL) : NULL;
        const char *saved = json_string_value(json_object_get(o, "url"));
        const char *since = json_string_value(json_object_get(o, "failing_since"));
        const char *next = json_string_value(json_object_get(o, "next_run"));
        json_int_t failures = json_integer_value(json_object_get(o, "failures"));
        struct fd_backoff b = {.failures = failures > 0 && failures < 1000 ? (unsigned)failures : 0};
        bool ok = saved && strcmp(saved, url) == 0 && b.failures && since && next &&
                  fd_time_parse_iso(since, &b.failing_since) && fd_time_parse_iso(next, &b.next_run);

        json_decref(o);
        if (ok)
                *ret = b;
        return ok;
}

void fd_run_count_skip(struct fd_run_counts *c, const char *format, uint64_t n) {
        size_t i;

        if (c->n_skipped_formats == FD_RUN_SKIP_FORMATS)
                format = "other";
        for (i = 0; i < c->n_skipped_formats; i++)
                if (strcmp(c->skipped_formats[i].format, format) == 0)
                        break;
        if (i == c->n_skipped_formats) {
                if (i == FD_RUN_SKIP_FORMATS) {
                        i--;  /* the last slot becomes "other" */
                        snprintf(c->skipped_formats[i].format, sizeof c->skipped_formats[i].format, "other");
                } else {
                        snprintf(c->skipped_formats[i].format, sizeof c->skipped_formats[i].format, "%s", format);
                        c->skipped_formats[i].n = 0;
                        c->n_skipped_formats++;
                }
        }
        c->skipped_formats[i].n += n;
}

json_t *fd_run_skips_json(const struct fd_run_counts *c) {
        json_t *o = json_object();

        for (size_t i = 0; o && i < c->n_skipped_formats; i++)
                json_object_set_new(o, c->skipped_formats[i].format, json_integer((json_int_t)c->skipped_formats[i].n));
        return o;
}
