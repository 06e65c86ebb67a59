/* hand_mapper.c: harvest_map_hand's mapper switch, the baseline of
 * formats_bench.sh.
 *
 * harvest_map_hand is harvest_map.c linked with -Wl,--wrap=fd_mapper_map
 * (bench/meson.build): the parser's call of fd_mapper_map lands here, and a
 * record the Dublin Core mapper would read goes to the hand-written oai_dc
 * mapper fairdex had before mappings became data (05801cd~1's
 * harvesters/oai_dc.c, taken from git when building, renamed
 * fd_bench_oai_dc_hand_map), every other one to the library's
 * fd_mapper_map.  So the two programs differ in the mapper alone: fetching,
 * the SAX parse and the per-record tree, the choice of the mapper, the DOI
 * of the OAI identifier, keeping the metadata as harvested (written back
 * and LZ4-compressed) and the record's adders are the same code.
 */
#include "private.h"
#include "xmlmap.h"

enum fd_status __real_fd_mapper_map(const struct fd_mapper *m, struct fd_record *r, struct fd_arena *a,
                                    struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err);
enum fd_status __wrap_fd_mapper_map(const struct fd_mapper *m, struct fd_record *r, struct fd_arena *a,
                                    struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err);

enum fd_status __wrap_fd_mapper_map(const struct fd_mapper *m, struct fd_record *r, struct fd_arena *a,
                                    struct fd_arena *scratch, const struct fd_xnode *root, struct fd_error *err) {
        if (m->map == fd_oai_dc_map || m->xmap == &fd_xformat_dc)
                return fd_bench_oai_dc_hand_map(r, a, scratch, root, err);
        return __real_fd_mapper_map(m, r, a, scratch, root, err);
}
