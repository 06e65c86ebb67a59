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

/* ---- the data.europa.eu MQA, offline (mqa.c; docs/fair.md) -------------- */

enum fd_mqa_dimension {
        FD_MQA_FINDABILITY,
        FD_MQA_ACCESSIBILITY,
        FD_MQA_INTEROPERABILITY,
        FD_MQA_REUSABILITY,
        FD_MQA_CONTEXTUALITY,
        FD_MQA_DIMENSIONS
};

struct fd_mqa_indicator {
        const char *id;          /* stable, e.g. "keyword" */
        enum fd_mqa_dimension dimension;
        int max_points;          /* the MQA's points */
        bool assessed;           /* false: needs the network (URL status), never judged here */
};

#define FD_MQA_MAX_INDICATORS 32

/* DCAT-AP 3 recommended dataset properties, as bits of
 * dcat_ap_recommended_missing. */
enum {
        FD_MQA_REC_CONTACT_POINT = 1 << 0,
        FD_MQA_REC_DISTRIBUTION = 1 << 1,
        FD_MQA_REC_KEYWORD = 1 << 2,
        FD_MQA_REC_PUBLISHER = 1 << 3,
        FD_MQA_REC_SPATIAL = 1 << 4,
        FD_MQA_REC_TEMPORAL = 1 << 5,
        FD_MQA_REC_THEME = 1 << 6,
};

struct fd_mqa_result {
        bool assessed;
        int points;
        const char *hint;        /* static text; NULL when met or not assessed */
};

struct fd_mqa_assessment {
        size_t n;
        struct fd_mqa_result results[FD_MQA_MAX_INDICATORS];
        int points, max_points;  /* max_points: what could be assessed (of the MQA's 405) */
        const char *rating;      /* "excellent", "good", "sufficient", "bad": points scaled to 405 */
        unsigned dcat_ap_mandatory_missing;   /* 1: dct:title, 2: dct:description */
        unsigned dcat_ap_recommended_missing; /* FD_MQA_REC_* bits */
};

/* The MQA's indicators, in order; *ret_n gets their number. */
const struct fd_mqa_indicator *fd_mqa_indicators(size_t *ret_n);
const char *fd_mqa_dimension_name(enum fd_mqa_dimension d);
/* Assesses a DCAT record.  Pure; never fails. */
void fd_mqa_assess(const struct fd_record *r, struct fd_mqa_assessment *ret);
/* {"points","max_points","rating","dimensions":{name:{"points","max_points"}},
 *  "indicators":[{"id","dimension","points","max_points","hint"}…],
 *  "not_assessed":[id…], "dcat_ap":{"mandatory_missing":[…],"recommended_missing":[…]}};
 * NULL on OOM. */
json_t *fd_mqa_to_json(const struct fd_mqa_assessment *a);
/* The assessment back from fd_mqa_to_json's object (as stored with a
 * record) into *ret; hints are this build's.  Indicators it does not know
 * are ignored.  False when mqa is not such an object. */
bool fd_mqa_from_json(json_t *mqa, struct fd_mqa_assessment *ret);

/* The MQA over many records (a source's DCAT records): zero it, add each
 * assessment, then write it out. */
struct fd_mqa_totals {
        uint64_t records, points;
        uint64_t indicator_points[FD_MQA_MAX_INDICATORS]; /* summed */
        uint64_t pass[FD_MQA_MAX_INDICATORS];             /* records earning all its points */
        uint64_t mandatory_missing[2];                    /* dct:title, dct:description */
        uint64_t recommended_missing[7];                  /* in FD_MQA_REC_* bit order */
};

void fd_mqa_totals_add(struct fd_mqa_totals *t, const struct fd_mqa_assessment *a);
/* null when no record was added; else {"records","points" (mean),"max_points",
 *  "rating" (of the mean),"dimensions":{name:{"points" (mean),"max_points"}},
 *  "indicators":[{"id","dimension","points" (mean),"max_points","pass",
 *  "pass_share","hint" (when some record fails)}…] (most mean points lost
 *  first),"not_assessed":[id…],"dcat_ap":{"mandatory_missing":{name:count},
 *  "recommended_missing":{name:count}}}; NULL on OOM. */
json_t *fd_mqa_totals_to_json(const struct fd_mqa_totals *t);

#ifdef __cplusplus
}
#endif

#endif
