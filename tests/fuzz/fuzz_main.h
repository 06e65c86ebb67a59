/* fuzz_main.h: the replay main every fuzz target of tests/fuzz shares.
 *
 * A target defines LLVMFuzzerTestOneInput and one struct fd_fuzz_replay
 * saying how a saved file becomes its inputs; fuzz_main.c is its main when
 * built as a meson test (FD_LIBFUZZER undefined), the way systemd's
 * src/fuzz/fuzz-main.c is: it reads every file named on the command line,
 * or every file of a directory named there, and hands each to feed.  It
 * fails when a file cannot be read or when no file was replayed at all.
 * For libFuzzer, link the target without fuzz_main.c.
 */
#ifndef FD_FUZZ_MAIN_H
#define FD_FUZZ_MAIN_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fd_fuzz_replay {
        const char *name;    /* the target, in messages */
        const char *suffix;  /* of a directory, only the files whose name holds it; NULL: all */
        size_t max;          /* the bytes of a file read at most */
        /* one file's bytes, fed as that target's inputs (whole, cut, split) */
        void (*feed)(const uint8_t *data, size_t size);
};

/* Defined by the target. */
extern const struct fd_fuzz_replay fd_fuzz_replay;

#endif
