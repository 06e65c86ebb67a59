/* oai.c: the OAI-PMH 2.0 data provider (docs/federation.md). */
#include "../http.h"

enum fd_status fd_http_oai(const struct fd_http_request *req, struct fd_http_answer *a) {
        (void)req;
        (void)a;
        return FD_E_NOTFOUND;
}
