/* cmd_rescore.c: fairdex rescore — asks the daemon to reassess every record
 * scored with another FAIR rubric from what it stored, without a harvest;
 * fairdex remap [SOURCE] — to map again, from the metadata as harvested,
 * every record read by another version of today's mapper.
 * The daemon queues the work for its indexer and answers at once; the
 * end is told in its log ("rescore: N records rescored to rubric X"), and
 * `fairdex fair` shows the records per rubric meanwhile; the remap's end
 * too ("remap: N records remapped, C of them changed"). */
#include "cli-private.h"

int fd_cli_rescore(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp;

        if (argc != 1)
                return fd_cli_usage("rescore", "");
        int rc = fd_cli_call(cli, json_pack("{s:s}", "op", "rescore"), &resp);
        if (!resp)
                return rc;
        printf("rescore to rubric %s queued; the daemon logs when it is done\n", fd_cli_str(resp, "rubric"));
        json_decref(resp);
        return rc;
}

int fd_cli_remap(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp;

        if (argc > 2)
                return fd_cli_usage("remap", "[SOURCE]");
        json_t *req = argc == 2 ? json_pack("{s:s,s:s}", "op", "remap", "source", argv[1])
                                : json_pack("{s:s}", "op", "remap");
        int rc = fd_cli_call(cli, req, &resp);
        if (!resp)
                return rc;
        printf("remap of %s%s%s queued; the daemon logs when it is done\n", argc == 2 ? "source '" : "every source",
               argc == 2 ? argv[1] : "", argc == 2 ? "'" : "");
        json_decref(resp);
        return rc;
}
