/* cmd_reshard.c: fairdex reshard, an index of M shards rewritten as N.
 *
 *   fairdex reshard --config FILE --to N --out DIR [--route hash|source]
 *
 * Offline and local: it reads the daemon's configuration (the shards of
 * its index: map, or the one database under state_dir), never talks to
 * the daemon, and must run while fairdexd is stopped (a running writer
 * holds the home shard's lock, and reading is refused then: the copy
 * would miss what it commits meanwhile).  It writes DIR/shard0 ..
 * DIR/shard<N-1>, refusing a DIR that holds any of them, copies every
 * document as stored into the shard the route names (fd_index_reshard),
 * with the checkpoints in the new home shard (--to 1 over local shards:
 * Xapian's compaction of them, minutes for a million records), records
 * the new layout there, and prints the index: block to put in the
 * configuration.  The old shards are left as they are: the operator
 * swaps the configuration and starts fairdexd on the new ones.
 */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>

#include "cli-private.h"
#include "fd_config.h"
#include "fd_index.h"

#define RESHARD_ARGS "--config FILE --to N --out DIR [--route hash|source]"

struct route_ctx {
        enum fd_index_route route;
        size_t n;
};

static size_t route_record(void *userdata, const char *source, const char *id) {
        const struct route_ctx *r = userdata;
        return fd_index_route_shard(r->route, r->n, source, id);
}

/* The home shard's note of the layout the daemon checks at start. */
static enum fd_status write_layout(const char *home, const struct route_ctx *r, struct fd_error *err) {
        struct fd_index *idx = NULL;
        char layout[64];
        enum fd_status st = fd_index_open(home, true, &idx, err);

        snprintf(layout, sizeof layout, "%s %zu", fd_index_route_name(r->route), r->n);
        if (st == FD_OK)
                st = fd_index_set_meta(idx, FD_INDEX_LAYOUT_KEY, layout, err);
        if (st == FD_OK)
                st = fd_index_commit(idx, err);
        fd_index_free(idx);
        return st;
}

int fd_cli_reshard(struct fd_cli *cli, int argc, char **argv) {
        static const struct option longopts[] = {
                {"config", required_argument, NULL, 'c'},
                {"to", required_argument, NULL, 't'},
                {"out", required_argument, NULL, 'o'},
                {"route", required_argument, NULL, 'r'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        _fd_cleanup_(fd_config_freep) struct fd_config *cfg = NULL;
        const char *config = NULL, *out = NULL, *route = NULL;
        struct fd_error err = {0};
        long to = 0;
        int c;

        (void)cli;
        while ((c = getopt_long(argc, argv, "c:t:o:r:h", longopts, NULL)) != -1) {
                char *end = NULL;
                switch (c) {
                case 'c': config = optarg; break;
                case 'o': out = optarg; break;
                case 'r': route = optarg; break;
                case 't':
                        to = strtol(optarg, &end, 10);
                        if (!*optarg || *end || to < 1 || to > FD_CONFIG_MAX_SHARDS) {
                                fprintf(stderr, "fairdex: --to takes a number of shards from 1 to %d, not '%s'\n",
                                        FD_CONFIG_MAX_SHARDS, optarg);
                                return FD_CLI_USAGE;
                        }
                        break;
                case 'h':
                        printf("usage: fairdex reshard " RESHARD_ARGS "\n");
                        return FD_CLI_OK;
                default:
                        return fd_cli_usage("reshard", RESHARD_ARGS);
                }
        }
        if (optind != argc || !config || !out || !to)
                return fd_cli_usage("reshard", RESHARD_ARGS);
        if (fd_config_load(config, &cfg, &err) != FD_OK) {
                fprintf(stderr, "fairdex: %s\n", err.msg);
                return FD_CLI_USAGE;
        }
        struct route_ctx r = {.route = cfg->index.route, .n = (size_t)to};
        if (route && strcmp(route, "hash") == 0)
                r.route = FD_ROUTE_HASH;
        else if (route && strcmp(route, "source") == 0)
                r.route = FD_ROUTE_SOURCE;
        else if (route) {
                fprintf(stderr, "fairdex: --route takes hash or source, not '%s'\n", route);
                return FD_CLI_USAGE;
        }

        /* The old shards, as the daemon writes them. */
        size_t n_src = cfg->index.n_shards ? cfg->index.n_shards : 1;
        _fd_free_ const char **src = calloc(n_src, sizeof *src);
        _fd_free_ char *single = NULL;
        _fd_free_ char **dst = calloc((size_t)to, sizeof *dst);
        if (!src || !dst || (!cfg->index.n_shards && asprintf(&single, "%s/index", cfg->state_dir) < 0)) {
                fprintf(stderr, "fairdex: out of memory\n");
                return FD_CLI_USAGE;
        }
        for (size_t i = 0; i < n_src; i++) {
                const struct fd_shard_config *sh = cfg->index.n_shards ? &cfg->index.shards[i] : NULL;
                src[i] = sh ? (sh->path ? sh->path : sh->search) : single;
        }

        int rc = FD_CLI_OK;
        _fd_free_ char *abs_out = NULL;
        if (fd_mkdir_p(out, &err) != FD_OK || !(abs_out = realpath(out, NULL))) {
                fprintf(stderr, "fairdex: cannot make '%s': %s\n", out, err.msg[0] ? err.msg : strerror(errno));
                return FD_CLI_USAGE;
        }
        out = abs_out;
        for (long k = 0; k < to && rc == FD_CLI_OK; k++) {
                struct stat stb;
                if (asprintf(&dst[k], "%s/shard%ld", out, k) < 0) {
                        dst[k] = NULL;
                        fprintf(stderr, "fairdex: out of memory\n");
                        rc = FD_CLI_USAGE;
                } else if (stat(dst[k], &stb) == 0 || errno != ENOENT) {
                        fprintf(stderr, "fairdex: '%s' is there already: reshard writes only new shards\n", dst[k]);
                        rc = FD_CLI_USAGE;
                }
        }
        for (size_t i = 0; i < n_src && rc == FD_CLI_OK; i++) {
                /* the daemon must not be writing: its lock says it is */
                struct fd_index *w = NULL;
                struct stat stb;
                if (strncmp(src[i], "tcp://", 6) != 0 && stat(src[i], &stb) != 0) {
                        fprintf(stderr, "fairdex: no shard at '%s': %s\n", src[i], strerror(errno));
                        rc = FD_CLI_USAGE;
                } else if (strncmp(src[i], "tcp://", 6) != 0 && fd_index_open(src[i], true, &w, &err) == FD_E_LOCKED) {
                        fprintf(stderr, "fairdex: shard '%s' is open for writing (is fairdexd running?): stop the "
                                        "daemon before resharding\n", src[i]);
                        rc = FD_CLI_DAEMON_ERROR;
                }
                fd_index_free(w);
        }
        uint64_t docs = 0;
        if (rc == FD_CLI_OK &&
            (fd_index_reshard(src, n_src, (const char *const *)dst, (size_t)to, route_record, &r, &docs, &err) ||
             write_layout(dst[0], &r, &err))) {
                fprintf(stderr, "fairdex: reshard failed, '%s' holds a partial copy to delete: %s\n", out, err.msg);
                rc = FD_CLI_DAEMON_ERROR;
        }
        if (rc == FD_CLI_OK) {
                fprintf(stderr, "fairdex: %llu records of %zu shards rewritten as %ld shards in '%s'\n",
                        (unsigned long long)docs, n_src, to, out);
                printf("index:\n  route: %s\n  shards:\n", fd_index_route_name(r.route));
                for (long k = 0; k < to; k++)
                        printf("    - path: %s\n", dst[k]);
        }
        for (long k = 0; k < to; k++)
                free(dst[k]);
        return rc;
}
