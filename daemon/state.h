/* state.h: the state directory, its layout and its write policy (state.c).
 *
 *   <state_dir>/index                     the Xapian database (records, checkpoints)
 *   <state_dir>/errors/<source>.jsonl     the warnings and counts of its last runs
 *   <state_dir>/fair-history/<source>.json  its FAIR score summary after each run
 *   <state_dir>/backoff/<source>.json     its failure backoff, while it fails
 *   <state_dir>/dcat-<source>.state       what its last complete DCAT run saw
 *
 * Every path is made here and nowhere else; every file the daemon writes
 * here is replaced durably (fd_file_replace: temporary file, fsync,
 * rename, fsync of the directory), so a reader or a restart after a crash
 * sees the old content or the new, never a torn file.  A leaf: it knows
 * files and their formats, nothing of threads or locks.
 */
#ifndef FD_STATE_H
#define FD_STATE_H

#include <jansson.h>

#include "engine.h"

enum fd_state_file {
        FD_STATE_INDEX,          /* source unused */
        FD_STATE_ERRORS,
        FD_STATE_FAIR_HISTORY,
        FD_STATE_BACKOFF,
        FD_STATE_DCAT,
};

/* The path of a state file (malloc'ed), NULL when out of memory. */
char *fd_state_path(const char *state_dir, enum fd_state_file kind, const char *source);

/* Creates the state directory (and its parents). */
enum fd_status fd_state_init(const char *state_dir, struct fd_error *err);

/* Each run's warnings kept in errors/<source>.jsonl: at most
 * FD_ERRORS_PER_RUN per run (then one "… N more" line), the last
 * FD_ERRORS_RUNS runs. */
#define FD_ERRORS_PER_RUN 2000
#define FD_ERRORS_RUNS 10

/* A run that ended, as the errors file keeps it. */
struct fd_run_report {
        int64_t start, end;
        enum fd_status status;
        const char *error;              /* NULL when it succeeded */
        struct fd_run_counts counts;
        char *const *warnings;          /* at most FD_ERRORS_PER_RUN */
        size_t n_warnings;
        uint64_t more_warnings;         /* beyond those */
};

/* Appends r as one line to the source's errors file, keeping the last
 * FD_ERRORS_RUNS lines.  FD_E_NOMEM, FD_E_IO. */
enum fd_status fd_state_errors_append(const char *state_dir, const char *source, const struct fd_run_report *r,
                                      struct fd_error *err);

/* The kept runs of source, oldest first, as a new JSON array (empty when
 * none ran).  FD_E_IO when the file cannot be read. */
enum fd_status fd_state_errors_read(const char *state_dir, const char *source, json_t **ret_runs,
                                    struct fd_error *err);

/* The last run of the errors file (the runs of an earlier fairdexd); false
 * when there is none or it says nothing of its counts. */
bool fd_state_last_run(const char *state_dir, const char *source, struct fd_run_summary *ret);

/* Entries a source's FAIR history keeps. */
#define FD_FAIR_HISTORY_MAX 100

/* The FAIR history of source, a new JSON array: [] when there is none yet
 * or when the file is not an array (*ret_broken says so; may be NULL).
 * NULL only when out of memory. */
json_t *fd_state_fair_history(const char *state_dir, const char *source, bool *ret_broken);

/* Appends entry (taken) to the source's FAIR history, keeping the last
 * FD_FAIR_HISTORY_MAX.  FD_E_NOMEM, FD_E_LIMIT (over 1 MiB), FD_E_IO. */
enum fd_status fd_state_fair_history_add(const char *state_dir, const char *source, json_t *entry,
                                         struct fd_error *err);

/* A failing source's backoff, kept so that a restart does not retry it at
 * once.  url: the source's URL when it failed (a moved source starts anew). */
struct fd_backoff {
        unsigned failures;              /* consecutive failed runs */
        int64_t failing_since;          /* end of the first of them */
        int64_t next_run;               /* when it is retried */
};

/* Saves b for source (b NULL: the source succeeded, forgets it). */
enum fd_status fd_state_backoff_save(const char *state_dir, const char *source, const char *url,
                                     const struct fd_backoff *b, struct fd_error *err);

/* The saved backoff of source at url; false when there is none (or it was
 * of another URL, or unreadable). */
bool fd_state_backoff_load(const char *state_dir, const char *source, const char *url, struct fd_backoff *ret);

#endif
