/* fuzz_main.c: the replay main of the fuzz targets (fuzz_main.h). */
#ifndef FD_LIBFUZZER
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_main.h"

static int replay(const char *path, char *buf) {
        FILE *f = fopen(path, "rb");
        size_t n;

        if (!f) {
                fprintf(stderr, "%s: cannot open '%s'\n", fd_fuzz_replay.name, path);
                return 1;
        }
        n = fread(buf, 1, fd_fuzz_replay.max, f);
        fclose(f);
        fd_fuzz_replay.feed((const uint8_t *)buf, n);
        return 0;
}

int main(int argc, char **argv) {
        int failed = 0, files = 0;
        char *buf = malloc(fd_fuzz_replay.max);

        if (!buf) {
                fprintf(stderr, "%s: out of memory\n", fd_fuzz_replay.name);
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                DIR *d = opendir(argv[i]);
                struct dirent *e;
                if (!d) {
                        failed |= replay(argv[i], buf);
                        files++;
                        continue;
                }
                while ((e = readdir(d))) {
                        char path[4096];
                        if (e->d_name[0] == '.' || (fd_fuzz_replay.suffix && !strstr(e->d_name, fd_fuzz_replay.suffix)))
                                continue;
                        snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
                        failed |= replay(path, buf);
                        files++;
                }
                closedir(d);
        }
        free(buf);
        printf("%s: replayed %d inputs\n", fd_fuzz_replay.name, files);
        return failed || files == 0;
}
#endif
