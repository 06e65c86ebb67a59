/* fd_test.h: what every Check suite of tests/unit shares.
 *
 * FD_TEST_MAIN(make_suite) is each suite's main: it runs the suite that
 * make_suite() builds (forking per check, as Check does by default) and
 * exits non-zero when a check failed, which is what meson's test runner
 * and scripts/test read.
 */
#ifndef FD_TEST_H
#define FD_TEST_H

#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#define FD_TEST_MAIN(make_suite)                                        \
        int main(void) {                                                \
                SRunner *sr = srunner_create(make_suite());             \
                srunner_run_all(sr, CK_NORMAL);                         \
                int failed = srunner_ntests_failed(sr);                 \
                srunner_free(sr);                                       \
                return failed ? EXIT_FAILURE : EXIT_SUCCESS;            \
        }

static inline int fd_test_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

/* Removes dir and everything under it (not following symlinks). */
static inline void fd_test_rmtree(const char *dir) {
        nftw(dir, fd_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A free TCP port on 127.0.0.1: the kernel's pick, bound and closed again,
 * so nobody listens on it until someone binds it. */
static inline unsigned fd_test_free_port(void) {
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t len = sizeof sa;
        int fd = socket(AF_INET, SOCK_STREAM, 0);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
        close(fd);
        return ntohs(sa.sin_port);
}

#endif
