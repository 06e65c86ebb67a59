/* shards.cc: where an index lives, and every shard of it as one database.
 *
 * A location is a directory path or "tcp://host:port", a xapian-tcpsrv
 * serving one database (Xapian::Remote::open, open_writable), with a
 * bounded connect time and a bounded time per call so that a shard that
 * stops answering cannot hold a reader forever.
 *
 * Readers see every shard as one Xapian::Database (add_database): Xapian
 * merges term statistics, so weights, totals and spies come out as one
 * database holding the same records would give them, but for the order
 * of ties: date, fair and near ties go by record id, relevance ties by the
 * interleaved docids (search.cc; docs/protocol.md says so).  A shard that does not
 * open, or whose connection breaks in the middle of a call (NetworkError),
 * is left out: the call runs again on the shards that still answer, and
 * the answer lists the missing ones (shim.cc copies them into it).  Every
 * read tries the missing shards again, at most once a second, so a shard
 * that comes back is searched within a second of its return.  With every
 * shard missing a call fails with shards_down.  One shard (the unsharded
 * index, or a caller that needs every record: fd_index_ids) is strict:
 * errors pass through as they always did.
 */
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <xapian.h>

#include "index-private.hh"

#define REMOTE_SCHEME "tcp://"
/* Seconds between two tries of a missing shard. */
#define RETRY_SECONDS 1.0

bool fd_index_loc_remote(const char *loc) noexcept {
        return loc && strncmp(loc, REMOTE_SCHEME, strlen(REMOTE_SCHEME)) == 0;
}

/* host and port of "tcp://host:port" (an IPv6 host in brackets). */
static void remote_address(const std::string &loc, std::string *ret_host, unsigned *ret_port) {
        const std::string rest = loc.substr(strlen(REMOTE_SCHEME));
        const size_t colon = rest.rfind(':');
        char *end = nullptr;

        if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
                throw invalid_request("index location '" + loc + "' is not tcp://host:port");
        const unsigned long port = strtoul(rest.c_str() + colon + 1, &end, 10);
        if (*end || port == 0 || port > 65535)
                throw invalid_request("index location '" + loc + "' has no port from 1 to 65535");
        std::string host = rest.substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
                host = host.substr(1, host.size() - 2);
        *ret_host = host;
        *ret_port = (unsigned)port;
}

Xapian::Database shard_open(const std::string &loc) {
        if (!fd_index_loc_remote(loc.c_str()))
                return Xapian::Database(loc);
        std::string host;
        unsigned port;
        remote_address(loc, &host, &port);
        return Xapian::Remote::open(host, port, FD_INDEX_REMOTE_TIMEOUT_MS, FD_INDEX_REMOTE_CONNECT_MS);
}

Xapian::WritableDatabase shard_open_writable(const std::string &loc) {
        if (!fd_index_loc_remote(loc.c_str())) {
                struct fd_error err = {};
                /* Xapian creates only the last directory itself. */
                if (fd_mkdir_p(loc.c_str(), &err) != FD_OK)
                        throw Xapian::DatabaseCreateError(err.msg);
                return Xapian::WritableDatabase(loc, Xapian::DB_CREATE_OR_OPEN);
        }
        std::string host;
        unsigned port;
        remote_address(loc, &host, &port);
        return Xapian::Remote::open_writable(host, port, FD_INDEX_REMOTE_TIMEOUT_MS, FD_INDEX_REMOTE_CONNECT_MS);
}

bool shard_schema_new(const Xapian::Database &db, const std::string &name) {
        const std::string version = db.get_metadata(FD_SCHEMA_KEY);

        if (version.empty() && db.get_doccount() == 0)
                return true;
        if (version != FD_SCHEMA_VERSION) {
                char buf[64];
                throw schema_mismatch("index '" + name + "' has schema version " +
                                      (version.empty() ? std::string("(none)")
                                                       : fd_snippet(version.data(), version.size(), buf, sizeof buf)) +
                                      ", this fairdex needs " FD_SCHEMA_VERSION);
        }
        return false;
}

static double now_seconds() {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

shard_set::shard_set(const struct fd_index_shards *s, bool strict_) : strict(strict_ || s->n == 1) {
        for (size_t i = 0; i < s->n; i++) {
                shard x;
                x.loc = s->locs[i];
                x.name = s->names && s->names[i] ? s->names[i] : s->locs[i];
                x.remote = fd_index_loc_remote(s->locs[i]);
                shards.push_back(x);
        }
}

std::string shard_set::label() const {
        std::string out;
        for (const shard &s : shards)
                out += (out.empty() ? "" : "', '") + s.name;
        return out;
}

bool shard_set::try_open(shard &s) {
        s.open = false;
        s.db = Xapian::Database();
        if (strict) {
                s.db = shard_open(s.loc);
                shard_schema_new(s.db, s.name);
                stats(s);
                s.open = true;
                return true;
        }
        try {
                s.db = shard_open(s.loc);
                shard_schema_new(s.db, s.name);
                stats(s);
                s.open = true;
        } catch (const Xapian::NetworkError &) {
        } catch (const Xapian::DatabaseOpeningError &) {
        }
        return s.open;
}

void shard_set::rebuild() {
        all = Xapian::Database();
        missing.clear();
        for (const shard &s : shards) {
                if (s.open)
                        all.add_database(s.db);
                else
                        missing.push_back(s.name);
        }
        if (missing.size() == shards.size())
                throw shards_down("no shard of index '" + label() + "' answers");
}

void shard_set::open_all() {
        for (shard &s : shards)
                try_open(s);
        last_retry = now_seconds();
        rebuild();
}

void shard_set::reopen() {
        for (shard &s : shards) {
                if (!s.open) {
                        try_open(s);
                        continue;
                }
                /* What stats() reads changes only with the database: over a
                 * remote shard each is a round trip per request. */
                if (strict) {
                        if (s.db.reopen())
                                stats(s);
                        continue;
                }
                try {
                        if (s.db.reopen())
                                stats(s);
                } catch (const Xapian::NetworkError &) {
                        try_open(s);
                }
        }
        last_retry = now_seconds();
        rebuild();
}

void shard_set::refresh() {
        if (missing.empty() || now_seconds() - last_retry < RETRY_SECONDS)
                return;
        bool any = false;
        for (shard &s : shards)
                if (!s.open)
                        any = try_open(s) || any;
        last_retry = now_seconds();
        if (any)
                rebuild();
}

void shard_set::failover() {
        for (shard &s : shards)
                if (s.remote || !s.open)
                        try_open(s);
        last_retry = now_seconds();
        rebuild();
}

const Xapian::Database &shard_set::home() const {
        if (!shards[0].open)
                throw shards_down("the home shard '" + shards[0].name + "' of index '" + label() + "' does not answer");
        return shards[0].db;
}

bool shard_set::any_remote() const {
        for (const shard &s : shards)
                if (s.open && s.remote)
                        return true;
        return false;
}

void shard_set::stats(shard &s) {
        s.doi_shared = s.db.get_metadata(FD_DOI_SHARED_KEY) != "0";
        s.doi_any = s.db.get_value_freq(SLOT_COLLAPSE) > 0;
}

struct index_view shard_set::view() {
        struct index_view v;
        size_t n_open = 0;
        bool any_doi = false;

        v.db = all;
        for (const shard &s : shards) {
                if (!s.open)
                        continue;
                n_open++;
                v.parts.push_back(s.db);
                v.collapse_doi = v.collapse_doi || s.doi_shared;
                any_doi = any_doi || s.doi_any;
                v.builtins_only = v.builtins_only || s.remote;
        }
        v.collapse_doi = v.collapse_doi || (n_open > 1 && any_doi);
        return v;
}
