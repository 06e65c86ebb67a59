/* cli-private.h: talking to fairdexd over its socket, for the fairdex client.
 *
 * One connection, one JSON request per line and one response per line. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <jansson.h>

#include "fd_record.h"
#include "fd_util.h"

struct fd_client;

/* Connects to the Unix socket at path.  FD_E_IO with the path and reason. */
enum fd_status fd_client_connect(const char *path, struct fd_client **ret_client, struct fd_error *err);
void fd_client_free(struct fd_client *c);
FD_DEFINE_FREEP(client, struct fd_client, fd_client_free)

/* Sends req (borrowed) and reads one response object into *ret_resp
 * (caller owns).  FD_E_IO when the daemon hangs up, FD_E_PARSE when the
 * answer is not a JSON object, FD_E_LIMIT when it exceeds max bytes. */
enum fd_status fd_client_call(struct fd_client *c, json_t *req, size_t max, json_t **ret_resp,
                              struct fd_error *err);

/* ---- the fairdex command line (main.c and cmd_*.c) --------------------- */

/* What every command gets: the global options. */
struct fd_cli {
        const char *socket_path;
        bool json;           /* --json: print the daemon's response as is */
};

/* Exit statuses of fairdex (documented in its usage and man page). */
enum {
        FD_CLI_OK = 0,
        FD_CLI_DAEMON_ERROR = 1,  /* the daemon answered with an error */
        FD_CLI_USAGE = 2,
        FD_CLI_UNREACHABLE = 3,   /* no daemon at the socket, or it hung up */
};

/* One command: argv[0] is its name; returns the exit status. */
struct fd_cli_command {
        const char *name;
        const char *args;     /* its arguments, for the usage text */
        const char *summary;
        int (*run)(struct fd_cli *cli, int argc, char **argv);
};

/* Sends req (taken) and waits for the answer.  With --json the answer is
 * printed and *ret_resp set to NULL; otherwise an error answer is printed
 * to stderr, and an ok answer is returned in *ret_resp (caller owns).
 * Returns the exit status. */
int fd_cli_call(struct fd_cli *cli, json_t *req, json_t **ret_resp);

/* Prints "usage: fairdex CMD ARGS" to stderr; returns FD_CLI_USAGE. */
int fd_cli_usage(const char *cmd, const char *args);

/* o[key] as a string, "" when absent or not a string. */
const char *fd_cli_str(json_t *o, const char *key);

/* cmd_records.c */
int fd_cli_search(struct fd_cli *cli, int argc, char **argv);
int fd_cli_related(struct fd_cli *cli, int argc, char **argv);
int fd_cli_get(struct fd_cli *cli, int argc, char **argv);
int fd_cli_status(struct fd_cli *cli, int argc, char **argv);

/* cmd_explore.c */
int fd_cli_sources(struct fd_cli *cli, int argc, char **argv);
int fd_cli_similar(struct fd_cli *cli, int argc, char **argv);
int fd_cli_suggest(struct fd_cli *cli, int argc, char **argv);
int fd_cli_harvest(struct fd_cli *cli, int argc, char **argv);
int fd_cli_export(struct fd_cli *cli, int argc, char **argv);

/* cmd_fair.c */
int fd_cli_fair(struct fd_cli *cli, int argc, char **argv);

/* cmd_dump.c */
int fd_cli_dump(struct fd_cli *cli, int argc, char **argv);

/* cmd_rescore.c: rescore, remap */
int fd_cli_rescore(struct fd_cli *cli, int argc, char **argv);
int fd_cli_remap(struct fd_cli *cli, int argc, char **argv);

/* cmd_ops.c */
int fd_cli_reload(struct fd_cli *cli, int argc, char **argv);
int fd_cli_purge(struct fd_cli *cli, int argc, char **argv);
int fd_cli_errors(struct fd_cli *cli, int argc, char **argv);
int fd_cli_metrics(struct fd_cli *cli, int argc, char **argv);

/* cmd_reshard.c: offline, no daemon */
int fd_cli_reshard(struct fd_cli *cli, int argc, char **argv);

/* report_html.c: writes the `fair` op's answer (borrowed) as one
 * self-contained HTML page (inline CSS and SVG, nothing to fetch) to path,
 * through a temporary file renamed into place.  FD_E_IO naming the file. */
enum fd_status fd_report_html_write(json_t *report, const char *path, struct fd_error *err);

#endif
