/* fd_fair.h: the FAIR rubric, a pure function of a record.
 *
 * Each indicator has a stable id, the principle it serves, and a test on
 * the record alone (no network) that passes, partly passes or fails, earns
 * points and, when not passed, carries a hint naming the field to fix.
 * Scores per principle and overall are 0–100.  docs/fair.md documents the
 * rubric; FD_FAIR_RUBRIC_VERSION changes whenever an indicator does.
 */
#ifndef FD_FAIR_H
#define FD_FAIR_H

#include "fd_record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FD_FAIR_RUBRIC_VERSION "0.3"

enum fd_fair_principle { FD_FAIR_F, FD_FAIR_A, FD_FAIR_I, FD_FAIR_R, FD_FAIR_PRINCIPLES };

enum fd_fair_outcome { FD_FAIR_FAIL, FD_FAIR_PARTIAL, FD_FAIR_PASS, FD_FAIR_NA };

struct fd_fair_indicator {
        const char *id;          /* stable, e.g. "F1-pid" */
        enum fd_fair_principle principle;
        const char *fuji;        /* corresponding F-UJI metric id */
        const char *rda;         /* corresponding RDA maturity model indicator */
        const char *title;       /* what it tests, in a few words */
        int max_points;
};

/* The rubric's indicators, in order; *ret_n gets their number. */
const struct fd_fair_indicator *fd_fair_indicators(size_t *ret_n);

/* The position of indicator id in fd_fair_indicators() and in an
 * assessment's results, or SIZE_MAX when there is no such indicator. */
size_t fd_fair_indicator_index(const char *id);

struct fd_fair_result {
        enum fd_fair_outcome outcome;
        int points;
        const char *hint;        /* static text; NULL when passed */
};

#define FD_FAIR_MAX_INDICATORS 32

struct fd_fair_assessment {
        size_t n;                /* = number of indicators */
        struct fd_fair_result results[FD_FAIR_MAX_INDICATORS];
        int score[FD_FAIR_PRINCIPLES];  /* 0–100 per principle */
        int overall;                    /* 0–100 */
};

/* Assesses r.  Pure; never fails. */
void fd_fair_assess(const struct fd_record *r, struct fd_fair_assessment *ret);

/* "F", "A", "I", "R"; "pass", "partial", "fail", "n/a". */
const char *fd_fair_principle_name(enum fd_fair_principle p);
const char *fd_fair_outcome_name(enum fd_fair_outcome o);

/* The assessment as a new JSON object: {"rubric","overall","F","A","I","R",
 * "indicators":[{"id","principle","outcome","points","max_points","hint"}…]}. */
json_t *fd_fair_to_json(const struct fd_fair_assessment *a);

#ifdef __cplusplus
}
#endif

#endif
