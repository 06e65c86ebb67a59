/* fd_test.h: what every Check suite of tests/unit shares.
 *
 * FD_TEST_MAIN(make_suite) is each suite's main: it runs the suite that
 * make_suite() builds (forking per check, as Check does by default) and
 * exits non-zero when a check failed, which is what meson's test runner
 * and scripts/test read.
 */
#ifndef FD_TEST_H
#define FD_TEST_H

#include <stdlib.h>

#include <check.h>

#define FD_TEST_MAIN(make_suite)                                        \
        int main(void) {                                                \
                SRunner *sr = srunner_create(make_suite());             \
                srunner_run_all(sr, CK_NORMAL);                         \
                int failed = srunner_ntests_failed(sr);                 \
                srunner_free(sr);                                       \
                return failed ? EXIT_FAILURE : EXIT_SUCCESS;            \
        }

#endif
