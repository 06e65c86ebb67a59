/* fd_test_record.h: lookups in a struct fd_record that the harvester
 * suites share (test_harvesters.c, test_formats.c), so that a check reads
 * as what it expects of the record.
 */
#ifndef FD_TEST_RECORD_H
#define FD_TEST_RECORD_H

#include <stdbool.h>
#include <string.h>

#include "fd_record.h"

/* Whether l holds s exactly. */
static inline bool has_str(const struct fd_strs *l, const char *s) {
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i], s) == 0)
                        return true;
        return false;
}

/* The first date of r of that type, or NULL. */
static inline const struct fd_date *date_typed(const struct fd_record *r, const char *type) {
        for (size_t i = 0; i < r->dates.n; i++)
                if (r->dates.v[i].type && strcmp(r->dates.v[i].type, type) == 0)
                        return &r->dates.v[i];
        return NULL;
}

/* The first agent of l with that name, or NULL. */
static inline const struct fd_agent *agent_named(const struct fd_agents *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->v[i].name, name) == 0)
                        return &l->v[i];
        return NULL;
}

#endif
