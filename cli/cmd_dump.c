/* cmd_dump.c: fairdex dump, the AI-ready export written to a file.
 *
 * Pages through the daemon's `dump` op (500 lines a request, each page
 * continuing after the previous one's "next", exact across the indexer's
 * commits) and writes the lines gzip-compressed (zlib) to a temporary
 * file beside --out, renamed over it once complete: memory is one page
 * whatever the corpus size, and a failed dump leaves no half file.
 * --croissant writes the Croissant 1.0 descriptor instead.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cli-private.h"

#define USAGE "usage: fairdex dump [--since DATESTAMP] [--source NAME] [--reusable] [--croissant] --out FILE\n"

static int write_croissant(struct fd_cli *cli, const char *out) {
        json_t *resp = NULL;
        struct fd_cli raw = *cli;

        raw.json = false;
        int rc = fd_cli_call(&raw, json_pack("{s:s,s:b,s:s}", "op", "dump", "croissant", 1, "content_url",
                                             "fairdex-dump.jsonl.gz"), &resp);
        if (!resp)
                return rc;
        FILE *f = fopen(out, "w");
        if (!f || json_dumpf(json_object_get(resp, "croissant"), f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF ||
            fclose(f) != 0) {
                fprintf(stderr, "fairdex: cannot write '%s'\n", out);
                json_decref(resp);
                return FD_CLI_DAEMON_ERROR;
        }
        json_decref(resp);
        printf("Croissant descriptor written to '%s'\n", out);
        return FD_CLI_OK;
}

int fd_cli_dump(struct fd_cli *cli, int argc, char **argv) {
        static const struct option longopts[] = {
                {"since", required_argument, NULL, 'S'}, {"source", required_argument, NULL, 's'},
                {"reusable", no_argument, NULL, 'r'},    {"croissant", no_argument, NULL, 'c'},
                {"out", required_argument, NULL, 'o'},   {0},
        };
        const char *since = NULL, *source = NULL, *out = NULL;
        bool reusable = false, croissant = false;
        int c;

        while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
                switch (c) {
                case 'S':
                        since = optarg;
                        break;
                case 's':
                        source = optarg;
                        break;
                case 'r':
                        reusable = true;
                        break;
                case 'c':
                        croissant = true;
                        break;
                case 'o':
                        out = optarg;
                        break;
                default:
                        fputs(USAGE, stderr);
                        return FD_CLI_USAGE;
                }
        }
        if (!out || optind < argc) {
                fputs(USAGE, stderr);
                return FD_CLI_USAGE;
        }
        if (croissant)
                return write_croissant(cli, out);

        _fd_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp", out) < 0)
                return FD_CLI_DAEMON_ERROR;
        gzFile gz = gzopen(tmp, "wb6");
        if (!gz) {
                fprintf(stderr, "fairdex: cannot write '%s'\n", tmp);
                return FD_CLI_DAEMON_ERROR;
        }
        struct fd_cli raw = *cli;
        char *after = NULL;
        unsigned long long n = 0;
        int rc = FD_CLI_OK;
        raw.json = false;
        for (;;) {
                json_t *req = json_pack("{s:s,s:i,s:b}", "op", "dump", "limit", 500, "reusable", reusable), *resp = NULL;
                if (req && since)
                        json_object_set_new(req, "since", json_string(since));
                if (req && source)
                        json_object_set_new(req, "source", json_string(source));
                if (req && after)
                        json_object_set_new(req, "after", json_string(after));
                rc = fd_cli_call(&raw, req, &resp);
                if (!resp)
                        break;
                size_t i;
                json_t *line;
                json_array_foreach(json_object_get(resp, "lines"), i, line) {
                        char *text = json_dumps(line, JSON_COMPACT);
                        if (!text || gzputs(gz, text) < 0 || gzputc(gz, '\n') < 0) {
                                free(text);
                                rc = FD_CLI_DAEMON_ERROR;
                                break;
                        }
                        free(text);
                        n++;
                }
                free(after);
                after = json_string_value(json_object_get(resp, "next"))
                                ? strdup(json_string_value(json_object_get(resp, "next")))
                                : NULL;
                json_decref(resp);
                if (rc != FD_CLI_OK || !after)
                        break;
        }
        free(after);
        if (gzclose(gz) != Z_OK && rc == FD_CLI_OK) {
                fprintf(stderr, "fairdex: cannot write '%s'\n", tmp);
                rc = FD_CLI_DAEMON_ERROR;
        }
        if (rc != FD_CLI_OK || rename(tmp, out) != 0) {
                unlink(tmp);
                if (rc == FD_CLI_OK) {
                        fprintf(stderr, "fairdex: cannot rename '%s' to '%s'\n", tmp, out);
                        rc = FD_CLI_DAEMON_ERROR;
                }
                return rc;
        }
        printf("%llu lines written to '%s'\n", n, out);
        return FD_CLI_OK;
}
