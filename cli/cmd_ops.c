/* cmd_ops.c: the operator's commands: reload, purge, errors, metrics.
 *
 * reload and purge are admin ops: the daemon refuses them to anyone but
 * root and its own user, and the refusal is printed like any daemon error;
 * they print one line saying what happened, so that a script can log it.
 * metrics prints the exposition text as the daemon wrote it.
 */
#include <stdio.h>

#include "cli-private.h"

int fd_cli_reload(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp;

        (void)argv;
        if (argc != 1)
                return fd_cli_usage("reload", "");
        int rc = fd_cli_call(cli, json_pack("{s:s}", "op", "reload"), &resp);
        if (!resp)
                return rc;
        printf("configuration '%s' reloaded: %lld sources\n", fd_cli_str(resp, "config"),
               (long long)json_integer_value(json_object_get(resp, "sources")));
        json_decref(resp);
        return rc;
}

int fd_cli_purge(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp;

        if (argc != 2)
                return fd_cli_usage("purge", "SOURCE");
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "purge", "source", argv[1]), &resp);
        if (!resp)
                return rc;
        printf("source '%s' purged: %lld records deleted\n", fd_cli_str(resp, "source"),
               (long long)json_integer_value(json_object_get(resp, "deleted")));
        json_decref(resp);
        return rc;
}

int fd_cli_errors(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp, *run;
        size_t i;

        if (argc != 2)
                return fd_cli_usage("errors", "SOURCE");
        int rc = fd_cli_call(cli, json_pack("{s:s,s:s}", "op", "errors", "source", argv[1]), &resp);
        if (!resp)
                return rc;
        json_t *runs = json_object_get(resp, "runs");
        if (json_array_size(runs) == 0)
                printf("source '%s': no run recorded\n", argv[1]);
        json_array_foreach(runs, i, run) {
                json_t *errors = json_object_get(run, "errors"), *e;
                size_t j;
                printf("run %s to %s: %s, %lld errors%s%s\n", fd_cli_str(run, "start"), fd_cli_str(run, "end"),
                       fd_cli_str(run, "status"), (long long)json_integer_value(json_object_get(run, "count")),
                       json_is_string(json_object_get(run, "error")) ? ": " : "", fd_cli_str(run, "error"));
                json_array_foreach(errors, j, e)
                        printf("  %s\n", json_string_value(e) ? json_string_value(e) : "");
        }
        json_decref(resp);
        return rc;
}

int fd_cli_metrics(struct fd_cli *cli, int argc, char **argv) {
        json_t *resp;

        (void)argv;
        if (argc != 1)
                return fd_cli_usage("metrics", "");
        int rc = fd_cli_call(cli, json_pack("{s:s}", "op", "metrics"), &resp);
        if (!resp)
                return rc;
        fputs(fd_cli_str(resp, "text"), stdout);
        json_decref(resp);
        return rc;
}
