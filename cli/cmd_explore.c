/* cmd_explore.c: sources, similar, suggest, export and harvest — the
 * commands around search.  Each builds one request and prints the answer readably
 * (or as JSON with --json, in fd_cli_call); harvest is an admin request the
 * daemon allows only to root and its own user. */
#include <getopt.h>

#include "cli-private.h"

static long long count_of(json_t *o, const char *key) { return (long long)json_integer_value(json_object_get(o, key)); }

/* "312 added, 4 updated, 2 deleted, 0 unchanged, 0 skipped, 3 errors" */
static void print_counts(json_t *n) {
        printf("%lld added, %lld updated, %lld deleted, %lld unchanged, %lld skipped, %lld errors\n",
               count_of(n, "added"), count_of(n, "updated"), count_of(n, "deleted"), count_of(n, "unchanged"),
               count_of(n, "skipped"), count_of(n, "errors"));
}

int fd_cli_sources(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp, *s;
        size_t i;

        if (argc != 1)
                return fd_cli_usage("sources", "");
        int rc = fd_cli_call(cli, json_pack("{s:s}", "op", "sources"), &resp);
        if (!resp)
                return rc;
        printf("%-20s %-8s %-8s %9s  %-20s %-20s %s\n", "SOURCE", "TYPE", "STATE", "RECORDS", "LAST END", "NEXT RUN",
               "LAST ERROR");
        json_array_foreach(json_object_get(resp, "sources"), i, s) {
                json_t *last = json_object_get(s, "last_run");
                printf("%-20s %-8s %-8s %9lld  %-20s %-20s %s\n", fd_cli_str(s, "name"), fd_cli_str(s, "type"),
                       fd_cli_str(s, "state"), (long long)json_integer_value(json_object_get(s, "records")),
                       *fd_cli_str(s, "last_end") ? fd_cli_str(s, "last_end") : "-",
                       *fd_cli_str(s, "next_run") ? fd_cli_str(s, "next_run") : "-", fd_cli_str(s, "last_error"));
                if (strcmp(fd_cli_str(s, "state"), "running") == 0) {
                        printf("    running since %s: ", fd_cli_str(s, "last_start"));
                        print_counts(json_object_get(s, "run"));
                }
                if (json_is_object(last)) {
                        printf("    last run %s to %s, %s: ", *fd_cli_str(last, "start") ? fd_cli_str(last, "start") : "?",
                               fd_cli_str(last, "end"), fd_cli_str(last, "status"));
                        print_counts(last);
                }
        }
        json_decref(resp);
        return rc;
}

int fd_cli_similar(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp, *h;
        size_t i;

        if (argc != 2)
                return fd_cli_usage("similar", "ID");
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "similar", "id", argv[1]), &resp);
        if (!resp)
                return rc;
        json_array_foreach(json_object_get(resp, "hits"), i, h) {
                printf("%3zu. %s\n     %s", i + 1, fd_cli_str(h, "title"), fd_cli_str(h, "id"));
                if (*fd_cli_str(h, "doi"))
                        printf("  doi:%s", fd_cli_str(h, "doi"));
                printf("\n");
        }
        json_decref(resp);
        return rc;
}

int fd_cli_suggest(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp, *s;
        size_t i;

        if (argc != 2)
                return fd_cli_usage("suggest", "PREFIX");
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "suggest", "q", argv[1]), &resp);
        if (!resp)
                return rc;
        json_array_foreach(json_object_get(resp, "suggestions"), i, s)
                printf("%-40s %6lld\n", fd_cli_str(s, "value"), (long long)json_integer_value(json_object_get(s, "count")));
        json_decref(resp);
        return rc;
}

int fd_cli_harvest(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp;

        if (argc != 2)
                return fd_cli_usage("harvest", "SOURCE");
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "harvest", "source", argv[1]), &resp);
        if (!resp)
                return rc;
        printf("harvest of '%s' requested\n", fd_cli_str(resp, "source"));
        json_decref(resp);
        return rc;
}

/* Whether id names a record the daemon holds (one quiet get). */
static bool is_record(struct fd_cli *cli, const char *id) {
        _fd_cleanup_(fd_client_freep) struct fd_client *client = NULL;
        struct fd_error err = {0};
        json_t *req = json_pack("{s:s,s:s}", "op", "get", "id", id), *resp = NULL;
        bool found = false;

        if (req && fd_client_connect(cli->socket_path, &client, &err) == FD_OK &&
            fd_client_call(client, req, 64 * 1024 * 1024, &resp, &err) == FD_OK)
                found = json_is_true(json_object_get(resp, "ok"));
        json_decref(req);
        json_decref(resp);
        return found;
}

/* FORMAT then a record id or a query: an argument that names a record is
 * exported as that record, anything else as the hits of a search. */
int fd_cli_export(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp = NULL, *req;
        struct fd_buf q;
        int rc;

        if (argc < 3)
                return fd_cli_usage("export", "bibtex|ris|datacite|schemaorg (ID | QUERY...)");
        if (argc == 3 && is_record(cli, argv[2]))
                req = json_pack("{s:s,s:s,s:s}", "op", "export", "format", argv[1], "id", argv[2]);
        else {
                fd_buf_init(&q, 60 * 1024);
                for (int i = 2; i < argc; i++)
                        if (fd_buf_printf(&q, "%s%s", i > 2 ? " " : "", argv[i]) != FD_OK) {
                                fd_buf_release(&q);
                                fprintf(stderr, "fairdex: query too long\n");
                                return FD_CLI_USAGE;
                        }
                req = json_pack("{s:s,s:s,s:s,s:i}", "op", "export", "format", argv[1], "q", q.data ? q.data : "",
                                "limit", 100);
                fd_buf_release(&q);
        }
        rc = fd_cli_call(cli, req, &resp);
        if (!resp)
                return rc;
        if (json_is_string(json_object_get(resp, "content")))
                fputs(fd_cli_str(resp, "content"), stdout);
        else {
                char *text = json_dumps(json_object_get(resp, "records"), JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                if (text)
                        puts(text);
                free(text);
        }
        json_decref(resp);
        return rc;
}
