/* checkpoint.c: a source's harvest state, to and from JSON.
 *
 * The JSON is what the indexer stores in the index's metadata with each
 * page, so it must read back whatever an older or newer fairdex wrote:
 * unknown keys are ignored, absent ones are NULL or 0, and a value of the
 * wrong type is an error naming the key rather than a silent default.
 * The source URL a checkpoint belongs to travels in it ("url"), so that a
 * changed URL is noticed from the committed state itself, even by a
 * fairdexd restarted before the new URL's first page was committed.
 */
#include <jansson.h>

#include "harvesters-private.h"

static void free_str(char **s) {
        free(*s);
        *s = NULL;
}

void fd_checkpoint_release(struct fd_checkpoint *c) {
        if (!c)
                return;
        free_str(&c->token);
        free_str(&c->from);
        free_str(&c->run_start);
        free_str(&c->last_complete);
        free_str(&c->granularity);
        free_str(&c->deleted_record);
        free_str(&c->metadata_prefix);
        free_str(&c->url);
        c->pages = c->records = c->deleted = c->skipped = 0;
        c->set = 0;
}

bool fd_checkpoint_moved(const struct fd_checkpoint *c, const char *url) {
        return c->url && strcmp(c->url, url) != 0;
}

static bool dup_str(char **dst, const char *src) {
        if (!src) {
                *dst = NULL;
                return true;
        }
        *dst = strdup(src);
        return *dst != NULL;
}

enum fd_status fd_checkpoint_copy(struct fd_checkpoint *dst, const struct fd_checkpoint *src) {
        struct fd_checkpoint c = *src;

        c.token = c.from = c.run_start = c.last_complete = NULL;
        c.granularity = c.deleted_record = c.metadata_prefix = c.url = NULL;
        if (!dup_str(&c.token, src->token) || !dup_str(&c.from, src->from) ||
            !dup_str(&c.run_start, src->run_start) || !dup_str(&c.last_complete, src->last_complete) ||
            !dup_str(&c.granularity, src->granularity) || !dup_str(&c.deleted_record, src->deleted_record) ||
            !dup_str(&c.metadata_prefix, src->metadata_prefix) || !dup_str(&c.url, src->url)) {
                fd_checkpoint_release(&c);
                memset(dst, 0, sizeof *dst);
                return FD_E_NOMEM;
        }
        *dst = c;
        return FD_OK;
}

static int set_str(json_t *o, const char *key, const char *v) {
        return v ? json_object_set_new(o, key, json_string(v)) : 0;
}

static int set_int(json_t *o, const char *key, uint64_t v) {
        return json_object_set_new(o, key, json_integer((json_int_t)v));
}

char *fd_checkpoint_to_json(const struct fd_checkpoint *c) {
        json_t *o = json_object();
        char *text = NULL;

        if (!o)
                return NULL;
        if (set_str(o, "token", c->token) == 0 && set_str(o, "from", c->from) == 0 &&
            set_str(o, "run_start", c->run_start) == 0 && set_str(o, "last_complete", c->last_complete) == 0 &&
            set_int(o, "pages", c->pages) == 0 && set_int(o, "records", c->records) == 0 &&
            set_int(o, "deleted", c->deleted) == 0 && set_int(o, "skipped", c->skipped) == 0 &&
            set_int(o, "set", c->set) == 0 && set_str(o, "granularity", c->granularity) == 0 &&
            set_str(o, "deleted_record", c->deleted_record) == 0 &&
            set_str(o, "metadata_prefix", c->metadata_prefix) == 0 && set_str(o, "url", c->url) == 0)
                text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(o);
        return text;
}

static enum fd_status get_str(json_t *o, const char *key, char **ret, struct fd_error *err) {
        json_t *v = json_object_get(o, key);

        if (!v || json_is_null(v))
                return FD_OK;
        if (!json_is_string(v))
                return fd_error_set(err, FD_E_PARSE, "checkpoint field '%s' is not a string", key);
        *ret = strdup(json_string_value(v));
        return *ret ? FD_OK : fd_error_set(err, FD_E_NOMEM, "out of memory");
}

static enum fd_status get_int(json_t *o, const char *key, uint64_t *ret, struct fd_error *err) {
        json_t *v = json_object_get(o, key);

        if (!v || json_is_null(v))
                return FD_OK;
        if (!json_is_integer(v) || json_integer_value(v) < 0)
                return fd_error_set(err, FD_E_PARSE, "checkpoint field '%s' is not a count", key);
        *ret = (uint64_t)json_integer_value(v);
        return FD_OK;
}

enum fd_status fd_checkpoint_from_json(const char *text, struct fd_checkpoint *ret, struct fd_error *err) {
        struct fd_checkpoint c = {0};
        json_error_t je;
        json_t *o;
        uint64_t set = 0;
        enum fd_status st;

        if (!text)
                return fd_error_set(err, FD_E_PARSE, "no checkpoint text");
        o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
        if (!o)
                return fd_error_set(err, FD_E_PARSE, "malformed checkpoint at line %d, col %d: %s", je.line,
                                    je.column, je.text);
        if (!json_is_object(o)) {
                json_decref(o);
                return fd_error_set(err, FD_E_PARSE, "checkpoint is not a JSON object");
        }
        if ((st = get_str(o, "token", &c.token, err)) || (st = get_str(o, "from", &c.from, err)) ||
            (st = get_str(o, "run_start", &c.run_start, err)) ||
            (st = get_str(o, "last_complete", &c.last_complete, err)) ||
            (st = get_int(o, "pages", &c.pages, err)) || (st = get_int(o, "records", &c.records, err)) ||
            (st = get_int(o, "deleted", &c.deleted, err)) || (st = get_int(o, "skipped", &c.skipped, err)) ||
            (st = get_int(o, "set", &set, err)) || (st = get_str(o, "granularity", &c.granularity, err)) ||
            (st = get_str(o, "deleted_record", &c.deleted_record, err)) ||
            (st = get_str(o, "metadata_prefix", &c.metadata_prefix, err)) ||
            (st = get_str(o, "url", &c.url, err))) {
                json_decref(o);
                fd_checkpoint_release(&c);
                return st;
        }
        json_decref(o);
        c.set = (size_t)set;
        *ret = c;
        return FD_OK;
}
