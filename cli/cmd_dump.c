/* cmd_dump.c: fairdex dump, the AI-ready export written to a file.
 *
 * Pages through the daemon's `dump` op (500 lines a request, each page
 * continuing after the previous one's "next", exact across the indexer's
 * commits) and writes the lines gzip-compressed (zlib) through util's
 * durable replace (fd_replace_*: a temporary file beside --out, renamed
 * over it once complete): memory is one page whatever the corpus size,
 * and a failed dump leaves no half file.  --croissant writes the
 * Croissant 1.0 descriptor instead, the same way.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cli-private.h"

#define DUMP_ARGS "[--since DATESTAMP] [--source NAME] [--reusable] [--croissant] --out FILE"

static int write_croissant(struct fd_cli *cli, const char *out) {
        _fd_cleanup_(fd_json_freep) json_t *resp = NULL;
        struct fd_cli raw = *cli;
        struct fd_replace f;
        struct fd_error err = {0};

        raw.json = false;
        int rc = fd_cli_call(&raw, json_pack("{s:s,s:b,s:s}", "op", "dump", "croissant", 1, "content_url",
                                             "fairdex-dump.jsonl.gz"), &resp);
        if (!resp)
                return rc;
        enum fd_status st = fd_replace_open(&f, out, &err);
        if (st == FD_OK && (json_dumpf(json_object_get(resp, "croissant"), f.f, JSON_INDENT(2)) != 0 ||
                            fputc('\n', f.f) == EOF)) {
                fd_replace_abort(&f);
                st = fd_error_set(&err, FD_E_IO, "cannot write '%s'", out);
        } else if (st == FD_OK)
                st = fd_replace_commit(&f, &err);
        if (st != FD_OK) {
                fprintf(stderr, "fairdex: %s\n", err.msg);
                return FD_CLI_DAEMON_ERROR;
        }
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
                        return fd_cli_usage("dump", DUMP_ARGS);
                }
        }
        if (!out || optind < argc)
                return fd_cli_usage("dump", DUMP_ARGS);
        if (croissant)
                return write_croissant(cli, out);

        /* zlib writes through its own descriptor of the temporary file;
         * the commit fsyncs and renames that file. */
        struct fd_replace file;
        struct fd_error err = {0};
        if (fd_replace_open(&file, out, &err) != FD_OK) {
                fprintf(stderr, "fairdex: %s\n", err.msg);
                return FD_CLI_DAEMON_ERROR;
        }
        int gz_fd = dup(fileno(file.f));
        gzFile gz = gz_fd >= 0 ? gzdopen(gz_fd, "wb6") : NULL;
        if (!gz) {
                fprintf(stderr, "fairdex: cannot write '%s'\n", file.tmp);
                if (gz_fd >= 0)
                        close(gz_fd);
                fd_replace_abort(&file);
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
                fprintf(stderr, "fairdex: cannot write '%s'\n", file.tmp);
                rc = FD_CLI_DAEMON_ERROR;
        }
        if (rc != FD_CLI_OK) {
                fd_replace_abort(&file);
                return rc;
        }
        if (fd_replace_commit(&file, &err) != FD_OK) {
                fprintf(stderr, "fairdex: %s\n", err.msg);
                return FD_CLI_DAEMON_ERROR;
        }
        printf("%llu lines written to '%s'\n", n, out);
        return FD_CLI_OK;
}
