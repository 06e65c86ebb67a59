/* log.c: one stderr line per event with a "<N>" syslog priority prefix that
 * journald turns into the entry's priority.  No timestamps: journald adds
 * them.  Lines are written with one write(2) so threads do not interleave. */
#include <stdatomic.h>

#include "fd_util.h"

static atomic_int log_level = FD_LOG_INFO;

static const char *const level_names[] = {
        [FD_LOG_ERR] = "err",   [FD_LOG_WARNING] = "warning", [FD_LOG_NOTICE] = "notice",
        [FD_LOG_INFO] = "info", [FD_LOG_DEBUG] = "debug",
};

bool fd_log_level_parse(const char *s, enum fd_log_level *ret) {
        for (int l = FD_LOG_ERR; l <= FD_LOG_DEBUG; l++)
                if (strcmp(s, level_names[l]) == 0) {
                        *ret = (enum fd_log_level)l;
                        return true;
                }
        return false;
}

const char *fd_log_level_name(enum fd_log_level l) {
        return (l >= FD_LOG_ERR && l <= FD_LOG_DEBUG) ? level_names[l] : "info";
}

void fd_log_set_level(enum fd_log_level l) { atomic_store(&log_level, (int)l); }
enum fd_log_level fd_log_get_level(void) { return (enum fd_log_level)atomic_load(&log_level); }

void fd_log(enum fd_log_level l, const char *fmt, ...) {
        char line[2048];
        va_list ap;
        int n;

        if ((int)l > atomic_load(&log_level))
                return;
        n = snprintf(line, sizeof line, "<%d>", (int)l);
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
        va_end(ap);
        n = (int)strlen(line);
        /* one event, one line: newlines inside a message would split it */
        for (int i = 3; i < n; i++)
                if (line[i] == '\n' || line[i] == '\r')
                        line[i] = ' ';
        line[n++] = '\n';
        if (write(STDERR_FILENO, line, (size_t)n) < 0) {
                /* nowhere left to report it */
        }
}
