/* file.c: one hash, one durable file replace, one mkdir -p.
 *
 * The hash is 64-bit FNV-1a: cheap, stable across builds and machines (so
 * a hash written to a state file or an index term keeps its meaning), and
 * good enough for change detection and hash sets; never for anything an
 * adversary could exploit.
 *
 * A durable replace writes a temporary file beside the target, fsyncs it,
 * renames it over the target and fsyncs the directory: after a crash at
 * any moment the target holds either the old or the new content, whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>

#include "fd_util.h"

uint64_t fd_hash_more(uint64_t h, const void *data, size_t n) {
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}

uint64_t fd_hash(const void *data, size_t n) {
        return fd_hash_more(FD_HASH_INIT, data, n);
}

enum fd_status fd_mkdir_p(const char *path, struct fd_error *err) {
        char buf[4096], e[128];
        size_t n = path ? strlen(path) : 0;

        if (n == 0 || n >= sizeof buf)
                return fd_error_set(err, FD_E_INVALID, "path '%s' is empty or too long", path ? path : "");
        memcpy(buf, path, n + 1);
        for (size_t i = 1; i <= n; i++) {
                if (buf[i] != '/' && buf[i] != '\0')
                        continue;
                char c = buf[i];
                buf[i] = '\0';
                if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
                        int saved = errno;
                        return fd_error_set(err, FD_E_IO, "cannot create directory '%s': %s", buf,
                                            strerror_r(saved, e, sizeof e));
                }
                buf[i] = c;
        }
        return FD_OK;
}

enum fd_status fd_replace_open(struct fd_replace *r, const char *path, struct fd_error *err) {
        char e[128];

        memset(r, 0, sizeof *r);
        if (!(r->path = strdup(path)) || asprintf(&r->tmp, "%s.tmp", path) < 0) {
                free(r->path);
                r->path = r->tmp = NULL;
                return fd_error_set(err, FD_E_NOMEM, "out of memory");
        }
        if (!(r->f = fopen(r->tmp, "we"))) {
                int saved = errno;
                fd_error_set(err, FD_E_IO, "cannot write '%s': %s", r->tmp, strerror_r(saved, e, sizeof e));
                fd_replace_abort(r);
                return FD_E_IO;
        }
        return FD_OK;
}

void fd_replace_abort(struct fd_replace *r) {
        if (r->f) {
                fclose(r->f);
                unlink(r->tmp);
        }
        free(r->tmp);
        free(r->path);
        memset(r, 0, sizeof *r);
}

enum fd_status fd_replace_commit(struct fd_replace *r, struct fd_error *err) {
        char e[128];
        int saved = 0;
        bool ok = !ferror(r->f) && fflush(r->f) == 0 && fsync(fileno(r->f)) == 0;

        if (!ok)
                saved = errno ? errno : EIO;
        if (fclose(r->f) != 0 && ok) {
                ok = false;
                saved = errno;
        }
        r->f = NULL;
        if (ok && rename(r->tmp, r->path) != 0) {
                ok = false;
                saved = errno;
        }
        if (!ok) {
                unlink(r->tmp);
                fd_error_set(err, FD_E_IO, "cannot write '%s': %s", r->path, strerror_r(saved, e, sizeof e));
                fd_replace_abort(r);
                return FD_E_IO;
        }
        /* The rename is durable once the directory is. */
        char *dir = strdup(r->path);
        if (dir) {
                int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dfd >= 0) {
                        (void)fsync(dfd);
                        close(dfd);
                }
                free(dir);
        }
        fd_replace_abort(r);
        return FD_OK;
}

enum fd_status fd_file_replace(const char *path, const void *data, size_t n, struct fd_error *err) {
        struct fd_replace r;
        enum fd_status st = fd_replace_open(&r, path, err);

        if (st != FD_OK)
                return st;
        if (n && fwrite(data, 1, n, r.f) != n) {
                char e[128];
                int saved = errno;
                fd_error_set(err, FD_E_IO, "cannot write '%s': %s", r.tmp, strerror_r(saved, e, sizeof e));
                fd_replace_abort(&r);
                return FD_E_IO;
        }
        return fd_replace_commit(&r, err);
}
