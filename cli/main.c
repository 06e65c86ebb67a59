/* main.c: the fairdex client's entry point: global options, then one
 * command from the table below (each command lives in a cmd_*.c file).
 *
 *   fairdex [-s SOCKET] [--json] COMMAND [ARGS]
 *
 * Readable text by default, the daemon's JSON response with --json.
 * Exit status: 0 success, 1 the daemon answered with an error (e.g. no such
 * record), 2 usage error, 3 the daemon could not be reached.
 */
#include <getopt.h>

#include "cli-private.h"

#define DEFAULT_SOCKET "/run/fairdex/fairdex.sock"
#define MAX_RESPONSE (64 * 1024 * 1024)

static const struct fd_cli_command commands[] = {
        {"search", "[OPTIONS] QUERY...", "full-text search with facets (fairdex search --help)", fd_cli_search},
        {"get", "ID", "one record, with its FAIR assessment", fd_cli_get},
        {"status", "", "records in the index and each source's last harvest", fd_cli_status},
        {"sources", "", "each source: state, records, last and next harvest", fd_cli_sources},
        {"similar", "ID", "records like record ID", fd_cli_similar},
        {"related", "ID", "the links of record ID, both ways", fd_cli_related},
        {"suggest", "PREFIX", "completions of a typed prefix", fd_cli_suggest},
        {"export", "FORMAT (ID|QUERY...)", "bibtex, ris, datacite or schemaorg", fd_cli_export},
        {"harvest", "SOURCE", "harvest a source now (root or the daemon's user)", fd_cli_harvest},
        {"reload", "", "reread the daemon's configuration (root or the daemon's user)", fd_cli_reload},
        {"purge", "SOURCE", "delete a removed source's records (root or the daemon's user)", fd_cli_purge},
        {"errors", "SOURCE", "every error of a source's last runs", fd_cli_errors},
        {"metrics", "", "Prometheus text exposition of the daemon's counters", fd_cli_metrics},
        {"fair", "[SOURCE] [--worst N] [--html FILE]", "FAIR report of a source or all", fd_cli_fair},
        {"rescore", "", "rescore records of an older FAIR rubric (root or the daemon's user)", fd_cli_rescore},
        {"remap", "[SOURCE]", "map records again from their metadata as harvested (root or the daemon's user)",
         fd_cli_remap},
        {"dump", "[--since D] [--source S] [--reusable] [--croissant] --out FILE",
         "every record as gzip'ed JSON lines (or its Croissant descriptor)", fd_cli_dump},
        {"reshard", "--config FILE --to N --out DIR [--route R]",
         "rewrite a stopped daemon's index as N shards (offline)", fd_cli_reshard},
};

static void usage(FILE *f) {
        fprintf(f, "usage: fairdex [-s SOCKET] [--json] COMMAND [ARGS]\ncommands:\n");
        for (size_t i = 0; i < FD_ELEMENTSOF(commands); i++) {
                char left[64];
                snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].args);
                fprintf(f, "  %-40s %s\n", left, commands[i].summary);
        }
        fprintf(f, "options:\n"
                   "  -s, --socket PATH  the daemon's socket (default $FAIRDEX_SOCKET or " DEFAULT_SOCKET ")\n"
                   "  -j, --json         print the daemon's JSON response\n"
                   "exit status: 0 success, 1 the daemon answered with an error, 2 usage error,\n"
                   "  3 the daemon could not be reached\n");
}

int fd_cli_usage(const char *cmd, const char *args) {
        fprintf(stderr, "usage: fairdex %s%s%s\n", cmd, args[0] ? " " : "", args);
        return FD_CLI_USAGE;
}

const char *fd_cli_str(json_t *o, const char *key) {
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : "";
}

int fd_cli_call(struct fd_cli *cli, json_t *req, json_t **ret_resp) {
        _fd_cleanup_(fd_client_freep) struct fd_client *client = NULL;
        struct fd_error err = {0};
        json_t *resp = NULL;

        *ret_resp = NULL;
        if (!req) {
                fprintf(stderr, "fairdex: out of memory\n");
                return FD_CLI_USAGE;
        }
        if (fd_client_connect(cli->socket_path, &client, &err) != FD_OK ||
            fd_client_call(client, req, MAX_RESPONSE, &resp, &err) != FD_OK) {
                fprintf(stderr, "fairdex: %s\n", err.msg);
                json_decref(req);
                return FD_CLI_UNREACHABLE;
        }
        json_decref(req);

        bool ok = json_is_true(json_object_get(resp, "ok"));
        if (cli->json) {
                char *text = json_dumps(resp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                if (text)
                        puts(text);
                free(text);
                json_decref(resp);
        } else if (!ok) {
                json_t *e = json_object_get(resp, "error");
                fprintf(stderr, "fairdex: %s (%s)\n", fd_cli_str(e, "message"), fd_cli_str(e, "code"));
                json_decref(resp);
        } else
                *ret_resp = resp;
        return ok ? FD_CLI_OK : FD_CLI_DAEMON_ERROR;
}

int main(int argc, char **argv) {
        static const struct option longopts[] = {
                {"socket", required_argument, NULL, 's'},
                {"json", no_argument, NULL, 'j'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        struct fd_cli cli = {.socket_path = getenv("FAIRDEX_SOCKET")};
        int c;

        while ((c = getopt_long(argc, argv, "+s:jh", longopts, NULL)) != -1) {
                switch (c) {
                case 's': cli.socket_path = optarg; break;
                case 'j': cli.json = true; break;
                case 'h': usage(stdout); return FD_CLI_OK;
                default: usage(stderr); return FD_CLI_USAGE;
                }
        }
        if (!cli.socket_path || !*cli.socket_path)
                cli.socket_path = DEFAULT_SOCKET;
        if (optind >= argc) {
                usage(stderr);
                return FD_CLI_USAGE;
        }
        for (size_t i = 0; i < FD_ELEMENTSOF(commands); i++)
                if (strcmp(argv[optind], commands[i].name) == 0) {
                        int cargc = argc - optind;
                        char **cargv = argv + optind;
                        optind = 0; /* getopt restarts on the command's own arguments */
                        return commands[i].run(&cli, cargc, cargv);
                }
        fprintf(stderr, "fairdex: unknown command '%s'\n", argv[optind]);
        usage(stderr);
        return FD_CLI_USAGE;
}
