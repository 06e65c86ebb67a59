/* fd_cli.h: talking to fairdexd over its socket, for the fairdex client.
 *
 * One connection, one JSON request per line and one response per line. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <jansson.h>

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

#endif
