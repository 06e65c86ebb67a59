/* main.c: fairdexd's command line.
 *
 *   fairdexd -c CONFIG [--once] [--check-config]
 *
 * Runs in the foreground (systemd Type=notify), logging to stderr with
 * journald priority prefixes.  Exit status: 0 on a clean stop (and, with
 * --once, when every source harvested), 1 when a source or the index
 * failed, 2 on usage or configuration errors.
 */
#include <getopt.h>
#include <signal.h>

#include "daemon-private.h"

static void usage(FILE *f) {
        fprintf(f, "usage: fairdexd -c CONFIG [--once] [--check-config]\n"
                   "  -c, --config FILE   the YAML configuration (see fairdex.yaml(5))\n"
                   "      --once          harvest every source once, commit, and exit\n"
                   "      --check-config  validate the configuration and exit\n"
                   "  -h, --help          this text\n"
                   "  -V, --version       the version\n");
}

int main(int argc, char **argv) {
        static const struct option longopts[] = {
                {"config", required_argument, NULL, 'c'},
                {"once", no_argument, NULL, 'o'},
                {"check-config", no_argument, NULL, 'k'},
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, 'V'},
                {0},
        };
        const char *config_path = NULL;
        bool once = false, check = false;
        int c;

        while ((c = getopt_long(argc, argv, "c:hV", longopts, NULL)) != -1) {
                switch (c) {
                case 'c': config_path = optarg; break;
                case 'o': once = true; break;
                case 'k': check = true; break;
                case 'h': usage(stdout); return 0;
                case 'V': printf("fairdexd %s\n", FD_VERSION); return 0;
                default: usage(stderr); return 2;
                }
        }
        if (!config_path || optind != argc) {
                usage(stderr);
                return 2;
        }

        struct fd_error err = {0};
        struct fd_config *config = NULL;
        if (fd_config_load(config_path, &config, &err) != FD_OK) {
                fd_log(FD_LOG_ERR, "%s", err.msg);
                return 2;
        }
        if (check) {
                printf("%s: ok, %zu sources\n", config_path, config->n_sources);
                fd_config_free(config);
                return 0;
        }
        fd_log_set_level(config->log_level);

        /* Signals are taken synchronously by the main thread (daemon.c); block
         * them before any thread exists so that every thread inherits the mask. */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGUSR1);
        pthread_sigmask(SIG_BLOCK, &set, NULL);
        signal(SIGPIPE, SIG_IGN);

        struct fd_daemon d;
        if (fd_daemon_init(&d, config, once, &err) != FD_OK) {
                fd_log(FD_LOG_ERR, "%s", err.msg);
                fd_daemon_release(&d);
                return 1;
        }
        int rc = fd_daemon_run(&d);
        fd_daemon_release(&d);
        return rc;
}
