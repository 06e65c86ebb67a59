/* op_fair.c: the `fair` operation and each source's FAIR history.
 *
 * The report itself is computed over the index (fd_index_fair_report in
 * index/fair.cc, bounded memory) and written as JSON by json_fair.c; this
 * file checks the request, adds the per-source summaries and the history,
 * and answers.
 *
 * History.  At the end of each successful run the source's harvest thread
 * (not the indexer) records the source's score distribution: it waits
 * until the indexer has committed every page of the run, computes a
 * summary report on a fresh read-only view of the index, and appends one
 * entry to <state_dir>/fair-history/<source>.json, a JSON array capped at
 * FD_FAIR_HISTORY_MAX entries.  A file rather than index metadata because
 * the indexer thread is the index's only writer and owns no notion of a
 * run's end; a file written by the one thread that runs the source needs
 * no new path through the page queue.  Crash safety: the file is replaced
 * by write-to-temporary, fsync, rename, fsync of the directory, so a
 * reader sees the old array or the new one, never a torn one; a crash
 * before the rename loses that run's entry only (the history is a summary
 * of committed data, not data).  Only one run of a source is ever in
 * progress, so each file has one writer; the query threads only read it.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd_daemon.h"
#include "json_index.h"

#define HISTORY_DIR "fair-history"
#define HISTORY_MAX_BYTES (1u << 20)
#define DEFAULT_WORST 10

/* <dirname(index_path)>/fair-history: the index lives in <state_dir>/index
 * and index_path does not change while the daemon runs. */
static char *history_dir(const struct fd_daemon *d) {
        _fd_free_ char *copy = strdup(d->index_path);
        char *dir = NULL;

        if (!copy || asprintf(&dir, "%s/" HISTORY_DIR, dirname(copy)) < 0)
                return NULL;
        return dir;
}

static char *history_path(const struct fd_daemon *d, const char *source) {
        _fd_free_ char *dir = history_dir(d);
        char *path = NULL;

        if (!dir || asprintf(&path, "%s/%s.json", dir, source) < 0)
                return NULL;
        return path;
}

/* The history array of source: [] when there is none yet; NULL only on
 * out of memory.  A file that is not a JSON array is reported once by the
 * writer, which replaces it; readers just see []. */
static json_t *history_load(const struct fd_daemon *d, const char *source, bool *ret_broken) {
        _fd_free_ char *path = history_path(d, source);
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

static enum fd_status write_all(int fd, const char *s, size_t n) {
        while (n > 0) {
                ssize_t w = write(fd, s, n);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return FD_E_IO;
                s += w;
                n -= (size_t)w;
        }
        return FD_OK;
}

/* Replaces path with text: temporary file, fsync, rename, fsync(dir). */
static enum fd_status replace_file(const char *dir, const char *path, const char *text, struct fd_error *err) {
        _fd_free_ char *tmp = NULL;
        char buf[128];
        int fd, dfd, e;

        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                e = errno;
                return fd_error_set(err, FD_E_IO, "cannot create directory '%s': %s", dir,
                                    strerror_r(e, buf, sizeof buf));
        }
        if (asprintf(&tmp, "%s.tmp", path) < 0)
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                e = errno;
                return fd_error_set(err, FD_E_IO, "cannot write '%s': %s", tmp, strerror_r(e, buf, sizeof buf));
        }
        if (write_all(fd, text, strlen(text)) != FD_OK || fsync(fd) < 0) {
                e = errno;
                close(fd);
                unlink(tmp);
                return fd_error_set(err, FD_E_IO, "cannot write '%s': %s", tmp, strerror_r(e, buf, sizeof buf));
        }
        close(fd);
        if (rename(tmp, path) < 0) {
                e = errno;
                unlink(tmp);
                return fd_error_set(err, FD_E_IO, "cannot rename '%s' to '%s': %s", tmp, path,
                                    strerror_r(e, buf, sizeof buf));
        }
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
                fsync(dfd);
                close(dfd);
        }
        return FD_OK;
}

/* The report of opts over the daemon's index as the protocol's JSON (the
 * "fair" object without "history" or "sources"). */
static enum fd_status report_json(const struct fd_daemon *d, const struct fd_fair_report_opts *opts, json_t **ret,
                                  struct fd_error *err) {
        _fd_cleanup_(fd_fair_report_freep) struct fd_fair_report *rep = NULL;
        enum fd_status st = fd_index_fair_report(d->index_path, opts, &rep, err);

        if (st)
                return st;
        *ret = fd_json_fair_report(rep);
        return *ret ? FD_OK : fd_error_set(err, FD_E_NOMEM, "out of memory");
}

/* One history entry from a summary report. */
static json_t *history_entry(json_t *summary, int64_t now) {
        json_t *scores = json_object_get(summary, "scores");
        json_t *overall = json_object_get(scores, "overall");
        char iso[32];
        json_t *e = json_pack("{s:s,s:s,s:O,s:O,s:O}", "time", fd_time_iso(now, iso, sizeof iso), "rubric",
                              FD_FAIR_RUBRIC_VERSION, "records", json_object_get(summary, "records"), "mean",
                              json_object_get(overall, "mean"), "bands", json_object_get(overall, "bands"));

        for (int p = 0; e && p < FD_FAIR_PRINCIPLES; p++) {
                const char *name = fd_fair_principle_name(p);
                json_t *m = json_object_get(json_object_get(scores, name), "mean");
                if (m)
                        json_object_set(e, name, m);
        }
        return e;
}

void fd_fair_history_add(struct fd_daemon *d, struct fd_source_state *s) {
        struct fd_fair_report_opts opts = {.source = s->config->name, .summary = true};
        struct fd_error err = {0};
        json_t *summary = NULL, *history, *entry;
        _fd_free_ char *dir = NULL, *path = NULL, *text = NULL;
        bool broken = false;

        /* The run's pages have to be committed for the summary to see them. */
        pthread_mutex_lock(&s->lock);
        while (s->pages_done < s->pages_pushed)
                pthread_cond_wait(&s->committed, &s->lock);
        pthread_mutex_unlock(&s->lock);
        if (atomic_load(&s->abort))
                return;

        if (report_json(d, &opts, &summary, &err) != FD_OK) {
                fd_log(FD_LOG_WARNING, "source '%s': cannot record the FAIR history of this run: %s",
                       s->config->name, err.msg);
                return;
        }
        dir = history_dir(d);
        path = history_path(d, s->config->name);
        history = history_load(d, s->config->name, &broken);
        entry = history_entry(summary, fd_time_now());
        json_decref(summary);
        if (!dir || !path || !history || !entry || json_array_append_new(history, entry) < 0) {
                json_decref(history);
                fd_log(FD_LOG_WARNING, "source '%s': out of memory recording the FAIR history", s->config->name);
                return;
        }
        if (broken)
                fd_log(FD_LOG_WARNING, "source '%s': '%s' is not a JSON array, starting a new FAIR history",
                       s->config->name, path);
        while (json_array_size(history) > FD_FAIR_HISTORY_MAX)
                json_array_remove(history, 0);
        text = json_dumps(history, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(history);
        if (!text) {
                fd_log(FD_LOG_WARNING, "source '%s': out of memory recording the FAIR history", s->config->name);
                return;
        }
        if (strlen(text) > HISTORY_MAX_BYTES) {
                fd_log(FD_LOG_WARNING, "source '%s': FAIR history larger than %u bytes, not recorded",
                       s->config->name, HISTORY_MAX_BYTES);
                return;
        }
        if (replace_file(dir, path, text, &err) != FD_OK)
                fd_log(FD_LOG_WARNING, "source '%s': cannot record the FAIR history: %s", s->config->name, err.msg);
        else
                fd_log(FD_LOG_INFO, "source '%s': FAIR history recorded in '%s'", s->config->name, path);
}

/* Whether source is configured or still has records in the index. */
static bool source_known(struct fd_query_ctx *ctx, const char *source) {
        struct fd_index *idx = NULL;
        uint64_t n = 0;

        if (fd_daemon_source(ctx->daemon, source))
                return true;
        if (fd_protocol_reader(ctx, &idx, NULL) != FD_OK)
                return false;
        return fd_index_count_source(idx, source, &n, NULL) == FD_OK && n > 0;
}

/* Every configured source's record count and mean scores. */
static json_t *sources_summary(struct fd_query_ctx *ctx, struct fd_error *err) {
        struct fd_daemon *d = ctx->daemon;
        json_t *list = json_array();

        for (size_t i = 0; list && i < d->n_sources; i++) {
                const char *name = d->sources[i].config->name;
                struct fd_fair_report_opts opts = {.source = name, .summary = true};
                json_t *rep = NULL, *scores, *o;

                if (report_json(d, &opts, &rep, err) != FD_OK) {
                        json_decref(list);
                        return NULL;
                }
                scores = json_object_get(rep, "scores");
                o = json_pack("{s:s,s:O}", "name", name, "records", json_object_get(rep, "records"));
                if (o) {
                        json_object_set(o, "mean", json_object_get(json_object_get(scores, "overall"), "mean"));
                        for (int p = 0; p < FD_FAIR_PRINCIPLES; p++) {
                                const char *pn = fd_fair_principle_name(p);
                                json_object_set(o, pn, json_object_get(json_object_get(scores, pn), "mean"));
                        }
                }
                json_decref(rep);
                if (!o || json_array_append_new(list, o) < 0) {
                        json_decref(list);
                        list = NULL;
                }
        }
        if (!list)
                fd_error_set(err, FD_E_NOMEM, "out of memory");
        return list;
}

char *fd_op_fair(struct fd_query_ctx *ctx, json_t *req) {
        struct fd_fair_report_opts opts = {.worst = DEFAULT_WORST};
        struct fd_error err = {0};
        json_t *source = json_object_get(req, "source"), *rep = NULL, *extra;

        if (source && !json_is_null(source) && (!json_is_string(source) || json_string_length(source) == 0))
                return fd_protocol_error(FD_E_INVALID, "'source' must be a non-empty string");
        if (fd_protocol_uint(req, "worst", FD_INDEX_FAIR_WORST_MAX, &opts.worst, &err))
                return fd_protocol_fail(&err);
        opts.source = json_string_value(source);
        if (opts.source && !source_known(ctx, opts.source)) {
                char snip[129];
                return fd_protocol_error(FD_E_NOTFOUND, "no source '%s' in the configuration or the index",
                                         fd_snippet(opts.source, strlen(opts.source), snip, sizeof snip));
        }
        if (report_json(ctx->daemon, &opts, &rep, &err) != FD_OK)
                return fd_protocol_fail(&err);
        if (opts.source) {
                extra = history_load(ctx->daemon, opts.source, NULL);
                if (!extra || json_object_set_new(rep, "history", extra) < 0) {
                        json_decref(rep);
                        return fd_protocol_error(FD_E_NOMEM, "out of memory");
                }
        } else {
                extra = sources_summary(ctx, &err);
                if (!extra || json_object_set_new(rep, "sources", extra) < 0) {
                        json_decref(rep);
                        if (err.status == FD_OK)
                                fd_error_set(&err, FD_E_NOMEM, "out of memory");
                        return fd_protocol_fail(&err);
                }
        }
        return fd_protocol_ok(rep);
}
