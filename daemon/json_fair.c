/* json_fair.c: the FAIR report (index/fair.cc's typed answer) as the
 * protocol's `fair` object.
 *
 * Member order follows docs/protocol.md.  A worst record's "fix" comes
 * from its stored assessment (the record JSON's "fair" block, whose hints
 * are the rubric's): the indicator that loses the most points, null when
 * none loses any.
 *
 * The MQA over a source (fd_json_mqa_source) has no index support: it
 * reads each record's stored JSON, parsing only its "mqa" block, which
 * the indexer writes last.  That costs a document read a record (about
 * what `dump` costs), so `fair` computes it only for one source.
 */
#include "json_index.h"

static bool set(json_t *o, const char *key, json_t *v) {
        return v && json_object_set_new(o, key, v) == 0;
}

static bool append(json_t *a, json_t *v) {
        return v && json_array_append_new(a, v) == 0;
}

static json_t *uint_array(const uint64_t *v, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (!append(a, json_integer((json_int_t)v[i]))) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static json_t *score_json(const struct fd_fair_score_stats *s) {
        json_t *o = json_object();

        if (o && set(o, "mean", json_real(s->mean)) && set(o, "bands", uint_array(s->bands, 4)) &&
            set(o, "histogram", uint_array(s->histogram, 10)))
                return o;
        json_decref(o);
        return NULL;
}

static json_t *scores_json(const struct fd_fair_report *rep) {
        json_t *o = json_object();
        bool ok = o && set(o, "overall", score_json(&rep->overall));

        for (int p = 0; ok && p < FD_FAIR_PRINCIPLES; p++)
                ok = set(o, fd_fair_principle_name((enum fd_fair_principle)p), score_json(&rep->principle[p]));
        if (ok)
                return o;
        json_decref(o);
        return NULL;
}

static json_t *indicator_json(const struct fd_fair_indicator_stats *s) {
        const struct fd_fair_indicator *d = s->indicator;

        return json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:I,s:I,s:f,s:f,s:f}", "id", d->id, "principle",
                         fd_fair_principle_name(d->principle), "title", d->title, "fuji", d->fuji, "rda", d->rda,
                         "max_points", d->max_points, "pass", (json_int_t)s->pass, "partial", (json_int_t)s->partial,
                         "fail", (json_int_t)s->fail, "na", (json_int_t)s->na, "fail_share", s->fail_share,
                         "partial_share", s->partial_share, "lift", s->lift);
}

/* The stored assessment's indicator that loses the most points, as
 * {"id","hint"}: what to fix first in this record; null when nothing. */
static json_t *first_fix(const char *record_json) {
        json_t *record = record_json ? json_loads(record_json, 0, NULL) : NULL;
        json_t *indicators = json_object_get(json_object_get(record, "fair"), "indicators");
        json_t *best = NULL, *ind, *fix;
        json_int_t best_lost = 0;
        size_t i;

        json_array_foreach(indicators, i, ind) {
                json_int_t lost = json_integer_value(json_object_get(ind, "max_points")) -
                                  json_integer_value(json_object_get(ind, "points"));
                const char *outcome = json_string_value(json_object_get(ind, "outcome"));
                if (!outcome || strcmp(outcome, "n/a") == 0 || !json_is_string(json_object_get(ind, "hint")))
                        continue;
                if (lost > best_lost) {
                        best = ind;
                        best_lost = lost;
                }
        }
        fix = best ? json_pack("{s:O,s:O}", "id", json_object_get(best, "id"), "hint", json_object_get(best, "hint"))
                   : json_null();
        json_decref(record);
        return fix;
}

static json_t *string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

static json_t *worst_json(const struct fd_fair_worst *w) {
        json_t *o = json_object();
        bool ok = o && set(o, "id", string_or_null(w->id)) && set(o, "title", string_or_null(w->title)) &&
                  set(o, "overall", json_integer(w->overall));

        for (int p = 0; ok && p < FD_FAIR_PRINCIPLES; p++)
                ok = set(o, fd_fair_principle_name((enum fd_fair_principle)p), json_integer(w->score[p]));
        if (ok && set(o, "fix", first_fix(w->record_json)))
                return o;
        json_decref(o);
        return NULL;
}

/* The parts of a full report after the scores. */
static bool details(json_t *o, const struct fd_fair_report *rep) {
        json_t *inds, *worst, *rubrics;
        bool ok = set(o, "indicators", inds = json_array());

        for (size_t i = 0; ok && i < rep->n_indicators; i++)
                ok = append(inds, indicator_json(&rep->indicators[i]));
        ok = ok && set(o, "worst", worst = json_array());
        for (size_t i = 0; ok && i < rep->n_worst; i++)
                ok = append(worst, worst_json(&rep->worst[i]));
        ok = ok && set(o, "unrecognised_licenses", fd_json_counts(rep->licenses, rep->n_licenses)) &&
             (!rep->licenses_truncated || set(o, "unrecognised_licenses_truncated", json_true())) &&
             set(o, "rubrics", rubrics = json_object());
        for (size_t i = 0; ok && i < rep->n_rubrics; i++)
                ok = set(rubrics, rep->rubrics[i].value, json_integer((json_int_t)rep->rubrics[i].count));
        return ok;
}

json_t *fd_json_fair_report(const struct fd_fair_report *rep) {
        json_t *o = json_object();
        bool ok = o && set(o, "source", string_or_null(rep->source)) &&
                  set(o, "rubric", json_string(FD_FAIR_RUBRIC_VERSION)) &&
                  set(o, "records", json_integer((json_int_t)rep->records)) &&
                  set(o, "scored", json_integer((json_int_t)rep->scored)) && set(o, "scores", scores_json(rep));

        if (ok && !rep->summary)
                ok = details(o, rep);
        if (ok)
                ok = fd_json_partial(o, rep->partial, rep->missing_shards, rep->n_missing_shards);
        if (ok)
                return o;
        json_decref(o);
        return NULL;
}

enum fd_status fd_json_fair_report_at(const struct fd_index_shards *shards, const struct fd_fair_report_opts *opts,
                                      json_t **ret, struct fd_error *err) {
        _fd_cleanup_(fd_fair_report_freep) struct fd_fair_report *rep = NULL;
        enum fd_status st = fd_index_fair_report(shards, opts, &rep, err);
        json_t *o;

        if (st)
                return st;
        if (!(o = fd_json_fair_report(rep)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        *ret = o;
        return FD_OK;
}

struct mqa_walk {
        struct fd_index *idx;
        struct fd_mqa_totals totals;
        struct fd_error *err;
        enum fd_status st;
};

/* The "mqa" member of a stored record's JSON text, parsed alone: the key
 * is the object's last (a '"' inside a string is escaped, so the text
 * "mqa": occurs nowhere else); NULL when the record has none. */
static json_t *stored_mqa(const char *text) {
        const char *p = NULL;
        for (const char *q = text; (q = strstr(q, "\"mqa\":")); q++)
                p = q;
        return p ? json_loads(p + 6, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
}

static bool mqa_one(void *ud, const char *id) {
        struct mqa_walk *w = ud;
        struct fd_error e = {0};
        _fd_free_ char *text = NULL;
        struct fd_mqa_assessment a;
        enum fd_status st = fd_index_get(w->idx, id, &text, &e);

        if (st == FD_E_NOTFOUND)
                return true;  /* deleted since the ids were listed */
        if (st) {
                w->st = fd_error_set(w->err, st, "%s", e.msg);
                return false;
        }
        json_t *mqa = stored_mqa(text);
        if (mqa && fd_mqa_from_json(mqa, &a))
                fd_mqa_totals_add(&w->totals, &a);
        json_decref(mqa);
        return true;
}

enum fd_status fd_json_mqa_source(const struct fd_index_shards *shards, struct fd_index *idx, const char *source,
                                  json_t **ret, struct fd_error *err) {
        struct mqa_walk w = {.idx = idx, .err = err};
        enum fd_status st = fd_index_ids(shards, source, NULL, mqa_one, &w, err);
        json_t *o;

        if (st == FD_E_NOTFOUND)
                st = FD_OK;  /* no index yet */
        if (st || (st = w.st))
                return st;
        if (!(o = fd_mqa_totals_to_json(&w.totals)))
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        *ret = o;
        return FD_OK;
}
