/* private.h: what the hand-written oai_dc mapper of 05801cd~1 included,
 * for harvest_map_hand (see hand_mapper.c). */
#ifndef FD_BENCH_HAND_PRIVATE_H
#define FD_BENCH_HAND_PRIVATE_H

#include "harvesters-private.h"

enum fd_status fd_bench_oai_dc_hand_map(struct fd_record *r, struct fd_arena *a, struct fd_arena *scratch,
                                        const struct fd_xnode *root, struct fd_error *err);

#endif
