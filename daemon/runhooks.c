/* runhooks.c: what the engine does around a run, as hooks.
 *
 * The harvest thread calls them (struct fd_run_hooks, installed by
 * fd_daemon_init), so it needs to know nothing of metrics or of the FAIR
 * history: after each page, the page's latency goes into the metrics
 * histogram; after a run that succeeded, once every page of it is
 * committed, the source's FAIR score summary is appended to its history.
 *
 * History.  The summary is computed on a fresh read-only view of the index
 * (fd_index_fair_report with summary), so the indexer, the index's only
 * writer, owns no notion of a run's end and needs no new path through the
 * page queue; the entry goes to <state_dir>/fair-history/<source>.json
 * through the state directory's durable replace (state.c).  Only one run
 * of a source is ever in progress, so each file has one writer; the query
 * workers only read it (the fair op).  It logs and never fails the run.
 */
#include "daemon-private.h"
#include "json_index.h"
#include "metrics.h"

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

static void fair_history(const struct fd_index_shards *shards, const char *state_dir, const char *source) {
        struct fd_fair_report_opts opts = {.source = source, .summary = true};
        struct fd_error err = {0};
        json_t *summary = NULL;

        if (fd_json_fair_report_at(shards, &opts, &summary, &err) != FD_OK) {
                fd_log(FD_LOG_WARNING, "source '%s': cannot record the FAIR history of this run: %s", source,
                       err.msg);
                return;
        }
        json_t *entry = history_entry(summary, fd_time_now());
        json_decref(summary);
        if (fd_state_fair_history_add(state_dir, source, entry, &err) != FD_OK)
                fd_log(FD_LOG_WARNING, "source '%s': cannot record the FAIR history: %s", source, err.msg);
        else
                fd_log(FD_LOG_INFO, "source '%s': FAIR history recorded", source);
}

const struct fd_run_hooks fd_run_hooks_default = {
        .page = fd_metrics_page,
        .run_ok = fair_history,
};
