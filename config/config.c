/* config.c: load and validate fairdex.yaml.
 *
 * libyaml's event API feeds a small tree of our own, built in an arena that
 * is dropped in one go after validation.  We take events rather than
 * yaml_parser_load because an event still says whether a scalar was plain,
 * quoted or explicitly tagged (which the loader forgets, so "123" and 123
 * would look alike) and because an alias arrives as an event with its own
 * mark, so it can be refused where it is written.  Refusing aliases, capping
 * the file at 1 MiB, the node count and the nesting depth keeps a hostile or
 * broken file from costing more than some tens of megabytes.
 *
 * Plain scalars are resolved with the YAML 1.2 core schema (null, true/false,
 * integers, floats, else string); quoted and block scalars are strings;
 * !!str, !!int, !!float, !!bool and !!null are honoured and any other tag is
 * refused.  An optional key whose value is empty (null) takes its default.
 *
 * Relative paths and file: URLs are made absolute here, against the config
 * file's directory, because only the loader knows where the file was: the
 * daemon, the harvesters and a later reload then never depend on the
 * working directory.
 *
 * A source's time window is parsed here too, and the window arithmetic the
 * scheduler uses lives at the end of this file: it is pure (epoch seconds
 * in, epoch seconds out, UTC days of 86400 s), so it is tested with the
 * parser rather than through a running daemon.
 *
 * Validation walks the tree once, copying what it accepts straight into the
 * heap-allocated config, so every error path frees the partial config and the
 * arena and nothing else.  Each error names file:line:column of the node at
 * fault (libyaml marks are 0-based, ours 1-based), then what and where.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/un.h>
#include <yaml.h>

#include "fd_util.h"
#include "fd_config.h"

#define CONFIG_MAX_BYTES (1024 * 1024)
#define CONFIG_MAX_NODES 131072
#define CONFIG_MAX_DEPTH 32
#define ARENA_CAP (64 * 1024 * 1024)
#define NAME_MAX_LEN 64
#define INTERVAL_MIN 60
#define INTERVAL_MAX (365 * 86400)
/* A reconciliation is only considered after a successful run, so a period
 * shorter than the interval means after every run. */
#define RECONCILE_MIN 1
#define SNIPPET 80

enum node_kind {
        NODE_SCALAR,
        NODE_SEQUENCE,
        NODE_MAPPING,
};

enum scalar_type {
        SCALAR_STR,
        SCALAR_INT,
        SCALAR_FLOAT,
        SCALAR_BOOL,
        SCALAR_NULL,
};

struct node {
        enum node_kind kind;
        enum scalar_type type;  /* scalars only */
        char *value;            /* scalars: NUL-terminated (may hold NULs) */
        size_t len;
        size_t line, column;    /* 1-based */
        struct node *parent;    /* while building */
        /* Children; a mapping stores key, value, key, value, ... */
        struct {
                struct node **v;
                size_t n, cap;
        } items;
};

struct ctx {
        const char *name;       /* file name for messages */
        struct fd_error *err;
        struct fd_arena *arena;
        size_t n_nodes;
        char *base;             /* absolute directory of name, in arena; on first use */
};

static enum fd_status fail_at(struct ctx *c, enum fd_status status, size_t line, size_t column, const char *fmt,
                              ...) _fd_printf_(5, 6);

static enum fd_status fail_at(struct ctx *c, enum fd_status status, size_t line, size_t column, const char *fmt,
                              ...) {
        char msg[FD_ERROR_MAX];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        return fd_error_set(c->err, status, "%s:%zu:%zu: %s", c->name, line, column, msg);
}

#define fail(c, node, ...) fail_at((c), FD_E_INVALID, (node)->line, (node)->column, __VA_ARGS__)

static char *snip(const struct node *n, char *out, size_t outsz) {
        return fd_snippet(n->value, n->len, out, outsz);
}

/* ---- building the tree from events ------------------------------------ */

static bool is_digits(const char *s, const char *digits) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!strchr(digits, *s))
                        return false;
        return true;
}

static bool looks_int(const char *s) {
        if (strncmp(s, "0o", 2) == 0)
                return is_digits(s + 2, "01234567");
        if (strncmp(s, "0x", 2) == 0)
                return is_digits(s + 2, "0123456789abcdefABCDEF");
        if (*s == '-' || *s == '+')
                s++;
        return is_digits(s, "0123456789");
}

static bool looks_float(const char *s) {
        static const char *const special[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"};
        bool mantissa = false;

        if (*s == '-' || *s == '+')
                s++;
        for (size_t i = 0; i < FD_ELEMENTSOF(special); i++)
                if (strcmp(s, special[i]) == 0)
                        return true;
        while (*s >= '0' && *s <= '9') {
                s++;
                mantissa = true;
        }
        if (*s == '.') {
                s++;
                while (*s >= '0' && *s <= '9') {
                        s++;
                        mantissa = true;
                }
        }
        if (!mantissa)
                return false;
        if (*s == 'e' || *s == 'E') {
                s++;
                if (*s == '-' || *s == '+')
                        s++;
                if (!(*s >= '0' && *s <= '9'))
                        return false;
                while (*s >= '0' && *s <= '9')
                        s++;
        }
        return *s == '\0';
}

static enum scalar_type resolve_plain(const char *s, size_t len) {
        static const char *const nulls[] = {"~", "null", "Null", "NULL"};
        static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE"};

        if (len == 0)
                return SCALAR_NULL;
        if (strlen(s) != len)
                return SCALAR_STR;
        for (size_t i = 0; i < FD_ELEMENTSOF(nulls); i++)
                if (strcmp(s, nulls[i]) == 0)
                        return SCALAR_NULL;
        for (size_t i = 0; i < FD_ELEMENTSOF(bools); i++)
                if (strcmp(s, bools[i]) == 0)
                        return SCALAR_BOOL;
        if (looks_int(s))
                return SCALAR_INT;
        if (looks_float(s))
                return SCALAR_FLOAT;
        return SCALAR_STR;
}

static enum fd_status resolve_scalar(struct ctx *c, const yaml_event_t *e, struct node *n) {
        const char *tag = (const char *)e->data.scalar.tag;
        char buf[SNIPPET];

        if (!tag) {
                n->type = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? resolve_plain(n->value, n->len)
                                                                          : SCALAR_STR;
                return FD_OK;
        }
        if (strcmp(tag, "!") == 0 || strcmp(tag, YAML_STR_TAG) == 0) {
                n->type = SCALAR_STR;
                return FD_OK;
        }
        if (strcmp(tag, YAML_INT_TAG) == 0) {
                if (!looks_int(n->value))
                        return fail(c, n, "'%s' is tagged !!int but is not an integer", snip(n, buf, sizeof buf));
                n->type = SCALAR_INT;
                return FD_OK;
        }
        if (strcmp(tag, YAML_FLOAT_TAG) == 0) {
                n->type = SCALAR_FLOAT;
                return FD_OK;
        }
        if (strcmp(tag, YAML_BOOL_TAG) == 0) {
                n->type = SCALAR_BOOL;
                return FD_OK;
        }
        if (strcmp(tag, YAML_NULL_TAG) == 0) {
                n->type = SCALAR_NULL;
                return FD_OK;
        }
        return fail(c, n, "unsupported tag '%s'", fd_snippet(tag, strlen(tag), buf, sizeof buf));
}

static enum fd_status check_collection_tag(struct ctx *c, const yaml_char_t *tag, const char *expected,
                                           const struct node *n) {
        char buf[SNIPPET];

        if (!tag || strcmp((const char *)tag, "!") == 0 || strcmp((const char *)tag, expected) == 0)
                return FD_OK;
        return fail(c, n, "unsupported tag '%s'", fd_snippet((const char *)tag, strlen((const char *)tag), buf,
                                                               sizeof buf));
}

static enum fd_status node_new(struct ctx *c, const yaml_event_t *e, enum node_kind kind, struct node *parent,
                               size_t depth, struct node **ret) {
        struct node *n;

        if (++c->n_nodes > CONFIG_MAX_NODES)
                return fail_at(c, FD_E_LIMIT, e->start_mark.line + 1, e->start_mark.column + 1,
                               "more than %d YAML nodes", CONFIG_MAX_NODES);
        if (depth > CONFIG_MAX_DEPTH)
                return fail_at(c, FD_E_LIMIT, e->start_mark.line + 1, e->start_mark.column + 1,
                               "nested deeper than %d levels", CONFIG_MAX_DEPTH);
        n = fd_arena_alloc(c->arena, sizeof *n);
        if (!n)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory for the YAML tree", c->name);
        n->kind = kind;
        n->line = e->start_mark.line + 1;
        n->column = e->start_mark.column + 1;
        n->parent = parent;
        if (parent) {
                struct node **slot = FD_PUSH(c->arena, parent->items);
                if (!slot)
                        return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory for the YAML tree", c->name);
                *slot = n;
        }
        *ret = n;
        return FD_OK;
}

/* Turns one event into tree nodes.  *cur is the open collection (NULL at
 * document level), *root the document's node, *depth the nesting, *docs the
 * number of documents begun. */
static enum fd_status on_event(struct ctx *c, const yaml_event_t *e, struct node **cur, struct node **root,
                               size_t *depth, size_t *docs) {
        struct node *n = NULL;
        enum fd_status s;
        char buf[SNIPPET];

        switch (e->type) {
        case YAML_DOCUMENT_START_EVENT:
                if (++*docs > 1)
                        return fail_at(c, FD_E_INVALID, e->start_mark.line + 1, e->start_mark.column + 1,
                                       "more than one YAML document in the file");
                return FD_OK;
        case YAML_ALIAS_EVENT: {
                const char *a = (const char *)e->data.alias.anchor;
                return fail_at(c, FD_E_INVALID, e->start_mark.line + 1, e->start_mark.column + 1,
                               "alias '*%s' not allowed: write the value out",
                               fd_snippet(a, strlen(a), buf, sizeof buf));
        }
        case YAML_SCALAR_EVENT:
                s = node_new(c, e, NODE_SCALAR, *cur, *depth + 1, &n);
                if (s)
                        return s;
                n->len = e->data.scalar.length;
                n->value = fd_arena_strndup(c->arena, (const char *)e->data.scalar.value, n->len);
                if (!n->value)
                        return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory for the YAML tree", c->name);
                s = resolve_scalar(c, e, n);
                if (s)
                        return s;
                break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
                bool seq = e->type == YAML_SEQUENCE_START_EVENT;
                s = node_new(c, e, seq ? NODE_SEQUENCE : NODE_MAPPING, *cur, *depth + 1, &n);
                if (s)
                        return s;
                s = check_collection_tag(c, seq ? e->data.sequence_start.tag : e->data.mapping_start.tag,
                                         seq ? YAML_SEQ_TAG : YAML_MAP_TAG, n);
                if (s)
                        return s;
                if (!*cur)
                        *root = n;
                *cur = n;
                ++*depth;
                return FD_OK;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
                if (*cur) {
                        *cur = (*cur)->parent;
                        --*depth;
                }
                return FD_OK;
        default:
                return FD_OK;
        }
        if (!*cur)
                *root = n;
        return FD_OK;
}

static void offset_position(const char *text, size_t len, size_t offset, size_t *ret_line, size_t *ret_col) {
        size_t line = 1, col = 1;

        for (size_t i = 0; i < offset && i < len; i++) {
                if (text[i] == '\n') {
                        line++;
                        col = 1;
                } else if (((unsigned char)text[i] & 0xc0) != 0x80)
                        col++;
        }
        *ret_line = line;
        *ret_col = col;
}

static enum fd_status parser_error(struct ctx *c, const yaml_parser_t *p, const char *text, size_t len) {
        const char *problem = p->problem ? p->problem : "unknown problem", *hint;
        size_t line, col;

        switch (p->error) {
        case YAML_MEMORY_ERROR:
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory parsing YAML", c->name);
        case YAML_READER_ERROR:
                offset_position(text, len, p->problem_offset, &line, &col);
                if (p->problem_value != -1)
                        return fail_at(c, FD_E_PARSE, line, col, "%s (byte #x%02X)", problem,
                                       (unsigned)p->problem_value);
                return fail_at(c, FD_E_PARSE, line, col, "%s", problem);
        default:
                line = p->problem_mark.line + 1;
                col = p->problem_mark.column + 1;
                /* libyaml says "cannot start any token"; say why. */
                hint = p->problem_mark.index < len && text[p->problem_mark.index] == '\t'
                               ? ": a tab, and YAML indents with spaces only"
                               : "";
                if (p->context)
                        return fail_at(c, FD_E_PARSE, line, col, "%s%s (%s at %zu:%zu)", problem, hint, p->context,
                                       p->context_mark.line + 1, p->context_mark.column + 1);
                return fail_at(c, FD_E_PARSE, line, col, "%s%s", problem, hint);
        }
}

/* Parses text into a tree living in c->arena; *ret_root is NULL when the
 * stream holds no document or an empty one. */
static enum fd_status build_tree(struct ctx *c, const char *text, size_t len, struct node **ret_root) {
        yaml_parser_t parser;
        struct node *cur = NULL, *root = NULL;
        size_t depth = 0, docs = 0;
        enum fd_status s = FD_OK;
        bool done = false;

        if (!yaml_parser_initialize(&parser))
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory starting the YAML parser", c->name);
        yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
        while (!done) {
                yaml_event_t e;
                if (!yaml_parser_parse(&parser, &e)) {
                        s = parser_error(c, &parser, text, len);
                        break;
                }
                done = e.type == YAML_STREAM_END_EVENT;
                s = on_event(c, &e, &cur, &root, &depth, &docs);
                yaml_event_delete(&e);
                if (s)
                        break;
        }
        yaml_parser_delete(&parser);
        if (s == FD_OK)
                *ret_root = root;
        return s;
}

/* ---- validating ------------------------------------------------------- */

static const char *kind_name(const struct node *n) {
        if (n->kind == NODE_MAPPING)
                return "a mapping";
        if (n->kind == NODE_SEQUENCE)
                return "a sequence";
        switch (n->type) {
        case SCALAR_INT:
                return "an integer";
        case SCALAR_FLOAT:
                return "a number";
        case SCALAR_BOOL:
                return "a boolean";
        case SCALAR_NULL:
                return "empty";
        default:
                return "a string";
        }
}

static bool is_null(const struct node *n) { return n->kind == NODE_SCALAR && n->type == SCALAR_NULL; }

/* Where a mapping sits, for messages: in is appended to "'key'" ("" at the
 * top level, " in source 'x'"), at to "unknown key 'k'". */
struct scope {
        char in[128];
        char at[128];
};

/* Finds each allowed key's value in map (vals[i], keys[i]'s node in
 * key_nodes[i], both NULL when absent), refusing unknown, duplicate and
 * non-scalar keys. */
static enum fd_status scan_mapping(struct ctx *c, const struct node *map, const char *const *keys, size_t n_keys,
                                   const struct scope *sc, const struct node **vals, const struct node **key_nodes) {
        char buf[SNIPPET], allowed[256];
        size_t off = 0;

        for (size_t i = 0; i < n_keys; i++) {
                vals[i] = key_nodes[i] = NULL;
                int w = snprintf(allowed + off, sizeof allowed - off, "%s%s", i ? ", " : "", keys[i]);
                if (w > 0 && (size_t)w < sizeof allowed - off)
                        off += (size_t)w;
        }
        for (size_t p = 0; p + 1 < map->items.n; p += 2) {
                const struct node *k = map->items.v[p], *v = map->items.v[p + 1];
                size_t i;

                if (k->kind != NODE_SCALAR)
                        return fail(c, k, "%s as a key%s: keys must be strings", kind_name(k), sc->at);
                for (i = 0; i < n_keys; i++)
                        if (strlen(k->value) == k->len && strcmp(k->value, keys[i]) == 0)
                                break;
                if (i == n_keys)
                        return fail(c, k, "unknown key '%s'%s (expected %s)", snip(k, buf, sizeof buf), sc->at,
                                    allowed);
                if (key_nodes[i])
                        return fail(c, k, "duplicate key '%s'%s (first at line %zu)", keys[i], sc->at,
                                    key_nodes[i]->line);
                key_nodes[i] = k;
                vals[i] = v;
        }
        return FD_OK;
}

static bool has_control(const struct node *n) {
        for (size_t i = 0; i < n->len; i++) {
                unsigned char ch = (unsigned char)n->value[i];
                if (ch < 0x20 || ch == 0x7f)
                        return true;
        }
        return false;
}

/* Checks that v is a non-empty string scalar without control characters;
 * what names it in messages ("'url'", "item 2 of 'sets'"). */
static enum fd_status want_string(struct ctx *c, const struct node *v, const char *what, const struct scope *sc) {
        if (v->kind != NODE_SCALAR || v->type != SCALAR_STR)
                return fail(c, v, "%s%s must be a string, not %s%s", what, sc->in, kind_name(v),
                            v->kind == NODE_SCALAR && v->type != SCALAR_NULL ? " (quote it)" : "");
        if (v->len == 0)
                return fail(c, v, "%s%s must not be empty", what, sc->in);
        if (has_control(v))
                return fail(c, v, "%s%s must not contain control characters", what, sc->in);
        return FD_OK;
}

static enum fd_status dup_string(struct ctx *c, const struct node *v, const char *what, const struct scope *sc,
                                 char **ret) {
        enum fd_status s = want_string(c, v, what, sc);
        char *copy;

        if (s)
                return s;
        copy = strdup(v->value);
        if (!copy)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        *ret = copy;
        return FD_OK;
}

static bool valid_name(const struct node *n) {
        if (n->kind != NODE_SCALAR || n->type != SCALAR_STR || n->len == 0 || n->len > NAME_MAX_LEN)
                return false;
        for (size_t i = 0; i < n->len; i++) {
                char ch = n->value[i];
                if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '_' || ch == '.' || ch == '-'))
                        return false;
        }
        return true;
}

/* Parses an integer scalar of the core schema (decimal, 0o, 0x); false on
 * overflow. */
static bool int_value(const char *s, long long *ret) {
        int base = 10;
        bool neg = false;
        unsigned long long v;
        char *end;

        if (strncmp(s, "0o", 2) == 0) {
                base = 8;
                s += 2;
        } else if (strncmp(s, "0x", 2) == 0) {
                base = 16;
                s += 2;
        } else if (*s == '-' || *s == '+') {
                neg = *s == '-';
                s++;
        }
        errno = 0;
        v = strtoull(s, &end, base);
        if (errno || *end || v > (unsigned long long)LLONG_MAX)
                return false;
        *ret = neg ? -(long long)v : (long long)v;
        return true;
}

#define INTERVAL_FORMS "a number of seconds or a duration like 30s, 15m, 6h, 1d, 2w"

/* A period in seconds, min..max, as a number of seconds or N followed by
 * one of s m h d w; key names it in messages.  With allow_off, "off" (or
 * "never") is 0. */
static enum fd_status parse_duration(struct ctx *c, const struct node *v, const char *key, const struct scope *sc,
                                     long long min, long long max, bool allow_off, unsigned *ret) {
        const char *forms = allow_off ? INTERVAL_FORMS ", or off" : INTERVAL_FORMS;
        char buf[SNIPPET];
        long long secs;

        if (v->kind == NODE_SCALAR && v->type == SCALAR_INT) {
                if (!int_value(v->value, &secs))
                        return fail(c, v, "'%s'%s is out of range: '%s'", key, sc->in, snip(v, buf, sizeof buf));
                if (secs <= 0)
                        return fail(c, v, "'%s'%s must be positive, not '%s'", key, sc->in,
                                    snip(v, buf, sizeof buf));
        } else if (v->kind == NODE_SCALAR && v->type == SCALAR_STR) {
                static const struct {
                        char unit;
                        long long secs;
                } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
                long long mult = 1;
                size_t digits = v->len;
                char num[24];

                if (allow_off && (strcmp(v->value, "off") == 0 || strcmp(v->value, "never") == 0)) {
                        *ret = 0;
                        return FD_OK;
                }
                if (digits > 0 && !(v->value[digits - 1] >= '0' && v->value[digits - 1] <= '9')) {
                        size_t u;
                        for (u = 0; u < FD_ELEMENTSOF(units); u++)
                                if (v->value[digits - 1] == units[u].unit)
                                        break;
                        if (u == FD_ELEMENTSOF(units))
                                digits = 0;
                        else {
                                mult = units[u].secs;
                                digits--;
                        }
                }
                if (digits == 0 || digits >= sizeof num || strlen(v->value) != v->len)
                        return fail(c, v, "'%s'%s must be %s, not '%s'", key, sc->in, forms,
                                    snip(v, buf, sizeof buf));
                memcpy(num, v->value, digits);
                num[digits] = '\0';
                if (!is_digits(num, "0123456789"))
                        return fail(c, v, "'%s'%s must be %s, not '%s'", key, sc->in, forms,
                                    snip(v, buf, sizeof buf));
                /* At most 23 digits: cap before multiplying so nothing overflows. */
                if (!int_value(num, &secs) || secs > max)
                        secs = max + 1;
                else
                        secs *= mult;
        } else
                return fail(c, v, "'%s'%s must be %s, not %s", key, sc->in, forms, kind_name(v));

        if (secs < min)
                return fail(c, v, "'%s'%s must be at least %lld seconds, not '%s'", key, sc->in, min,
                            snip(v, buf, sizeof buf));
        if (secs > max)
                return fail(c, v, "'%s'%s must be at most %lld days, not '%s'", key, sc->in, max / 86400,
                            snip(v, buf, sizeof buf));
        *ret = (unsigned)secs;
        return FD_OK;
}

#define DELAY_FORMS "a number of seconds or a duration like 250ms, 2s, 1m"

/* The least time between two requests: 0 to FD_CONFIG_MAX_DELAY_MS, as
 * whole seconds or N followed by ms, s or m. */
static enum fd_status parse_delay(struct ctx *c, const struct node *v, const struct scope *sc, unsigned *ret) {
        char buf[SNIPPET], num[24];
        long long n, mult = 1000;
        size_t digits;

        if (v->kind != NODE_SCALAR || (v->type != SCALAR_INT && v->type != SCALAR_STR))
                return fail(c, v, "'delay'%s must be " DELAY_FORMS ", not %s", sc->in, kind_name(v));
        digits = v->len;
        if (v->type == SCALAR_STR && digits > 0 && !(v->value[digits - 1] >= '0' && v->value[digits - 1] <= '9')) {
                if (digits > 2 && strcmp(v->value + digits - 2, "ms") == 0) {
                        mult = 1;
                        digits -= 2;
                } else if (digits > 1 && v->value[digits - 1] == 's')
                        digits--;
                else if (digits > 1 && v->value[digits - 1] == 'm') {
                        mult = 60000;
                        digits--;
                } else
                        digits = 0;
        }
        if (digits == 0 || digits >= sizeof num || strlen(v->value) != v->len)
                return fail(c, v, "'delay'%s must be " DELAY_FORMS ", not '%s'", sc->in, snip(v, buf, sizeof buf));
        memcpy(num, v->value, digits);
        num[digits] = '\0';
        if (!is_digits(num, "0123456789"))
                return fail(c, v, "'delay'%s must be " DELAY_FORMS ", not '%s'", sc->in, snip(v, buf, sizeof buf));
        if (!int_value(num, &n) || n > FD_CONFIG_MAX_DELAY_MS || n * mult > FD_CONFIG_MAX_DELAY_MS)
                return fail(c, v, "'delay'%s must be at most %d seconds, not '%s'", sc->in,
                            FD_CONFIG_MAX_DELAY_MS / 1000, snip(v, buf, sizeof buf));
        *ret = (unsigned)(n * mult);
        return FD_OK;
}

/* A list of strings, or one string, into *ret_v / *ret_n; what names the
 * key ("'sets'"), noun one item ("setSpec").  With check, each item must
 * pass it (a metadataPrefix's characters); duplicates are refused. */
static enum fd_status parse_list(struct ctx *c, const struct node *v, const char *what, const char *noun,
                                 bool (*check)(const char *s), const struct scope *sc, char ***ret_v,
                                 size_t *ret_n) {
        const struct node *one[1] = {v};
        const struct node *const *items = one;
        size_t n = 1;
        enum fd_status s;
        char buf[SNIPPET];

        if (v->kind == NODE_SEQUENCE) {
                items = (const struct node *const *)v->items.v;
                n = v->items.n;
        } else if (v->kind != NODE_SCALAR || v->type != SCALAR_STR)
                return fail(c, v, "%s%s must be a list of %ss or one %s, not %s", what, sc->in, noun, noun,
                            kind_name(v));
        if (n == 0)
                return FD_OK;
        *ret_v = calloc(n, sizeof **ret_v);
        if (!*ret_v)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        for (size_t i = 0; i < n; i++) {
                const struct node *item = items[i];
                char label[48];

                if (v->kind == NODE_SEQUENCE)
                        snprintf(label, sizeof label, "item %zu of %s", i + 1, what);
                else
                        snprintf(label, sizeof label, "%s", what);
                s = dup_string(c, item, label, sc, &(*ret_v)[i]);
                if (s)
                        return s;
                *ret_n = i + 1;
                if (check && !check(item->value))
                        return fail(c, item, "%s%s is not a valid %s: '%s'", label, sc->in, noun,
                                    snip(item, buf, sizeof buf));
                for (size_t j = 0; check && j < i; j++)
                        if (strcmp((*ret_v)[j], item->value) == 0)
                                return fail(c, item, "%s%s repeats '%s'", label, sc->in,
                                            snip(item, buf, sizeof buf));
        }
        return FD_OK;
}

/* OAI-PMH metadataPrefix characters: A-Z a-z 0-9 - _ . ! ~ * ' ( ). */
static bool valid_prefix(const char *s) {
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      strchr("-_.!~*'()", *s)))
                        return false;
        return true;
}

/* The directory relative paths are resolved against: the one holding the
 * config file, made absolute with the working directory when the file was
 * named relatively.  Lexical, so a symlinked config resolves next to the
 * link, and ".." is left for the kernel. */
static enum fd_status base_dir(struct ctx *c, const char **ret) {
        const char *slash = strrchr(c->name, '/');
        _fd_free_ char *cwd = NULL;
        char *base;

        if (c->base) {
                *ret = c->base;
                return FD_OK;
        }
        if (slash && c->name[0] == '/')
                base = fd_arena_strndup(c->arena, c->name, slash == c->name ? 1 : (size_t)(slash - c->name));
        else {
                char ebuf[128];
                cwd = getcwd(NULL, 0);
                if (!cwd)
                        return fd_error_set(c->err, FD_E_IO, "%s: cannot resolve relative paths: %s", c->name,
                                            strerror_r(errno, ebuf, sizeof ebuf));
                if (slash)
                        base = fd_arena_printf(c->arena, "%s%s%.*s", cwd, strcmp(cwd, "/") ? "/" : "",
                                               (int)(slash - c->name), c->name);
                else
                        base = fd_arena_strdup(c->arena, cwd);
        }
        if (!base)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        c->base = base;
        *ret = base;
        return FD_OK;
}

/* Drops empty, "." and ".." segments of an absolute path in place.  curl
 * does the same to a URL path, so doing it here keeps a resolved file: URL
 * and a resolved path pointing the same way (and messages short). */
static void drop_dot_segments(char *path) {
        const char *in = path;
        size_t o = 0;

        while (*in) {
                const char *seg;
                size_t n;

                while (*in == '/')
                        in++;
                seg = in;
                while (*in && *in != '/')
                        in++;
                n = (size_t)(in - seg);
                if (n == 0 || (n == 1 && seg[0] == '.'))
                        continue;
                if (n == 2 && seg[0] == '.' && seg[1] == '.') {
                        while (o > 0 && path[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                        continue;
                }
                /* Output never overtakes input: each segment read was
                 * preceded by at least one '/'. */
                path[o++] = '/';
                memmove(path + o, seg, n);
                o += n;
        }
        if (o == 0)
                path[o++] = '/';
        path[o] = '\0';
}

/* Replaces the heap string *p, a relative path, with base/path, dot
 * segments dropped; absolute paths never come here, so resolving twice
 * changes nothing.  url percent-encodes the base, for a file:// URL. */
static enum fd_status make_absolute(struct ctx *c, bool url, char **p) {
        const char *base = NULL, *rel = *p;
        struct fd_buf b;
        enum fd_status s;

        s = base_dir(c, &base);
        if (s)
                return s;
        while (strncmp(rel, "./", 2) == 0)
                rel += 2;
        fd_buf_init(&b, 3 * strlen(base) + strlen(rel) + 2);
        s = FD_OK;
        for (const char *q = base; s == FD_OK && *q; q++) {
                if (!url || strchr("-._~/!$&'()*+,;=:@", *q) || (*q >= '0' && *q <= '9') ||
                    (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
                        s = fd_buf_append(&b, q, 1);
                else
                        s = fd_buf_printf(&b, "%%%02X", (unsigned char)*q);
        }
        if (s == FD_OK && strcmp(base, "/") != 0)
                s = fd_buf_append(&b, "/", 1);
        if (s == FD_OK)
                s = fd_buf_append(&b, rel, strlen(rel));
        if (s) {
                fd_buf_release(&b);
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        }
        drop_dot_segments(b.data);
        free(*p);
        *p = b.data;
        return FD_OK;
}

/* A path from the file: relative ones are taken from the config file's
 * directory, so the daemon finds them whatever its working directory. */
static enum fd_status parse_path(struct ctx *c, const struct node *v, const char *what, const struct scope *sc,
                                 char **ret) {
        _fd_free_ char *path = NULL;
        enum fd_status s = dup_string(c, v, what, sc, &path);

        if (s)
                return s;
        if (path[0] != '/') {
                s = make_absolute(c, false, &path);
                if (s)
                        return s;
        }
        *ret = FD_TAKE_PTR(path);
        return FD_OK;
}

static enum fd_status parse_url(struct ctx *c, const struct node *v, const struct scope *sc, char **ret) {
        static const char *const schemes[] = {"http://", "https://", "file://"};
        _fd_free_ char *url = NULL;
        char buf[SNIPPET];
        enum fd_status s = want_string(c, v, "'url'", sc);
        size_t i, n = 0;

        if (s)
                return s;
        for (i = 0; i < FD_ELEMENTSOF(schemes); i++) {
                n = strlen(schemes[i]);
                if (strncasecmp(v->value, schemes[i], n) == 0)
                        break;
        }
        if (i == FD_ELEMENTSOF(schemes) && strncasecmp(v->value, "file:", 5) == 0)
                n = 5;  /* file:/abs/path or file:relative/path */
        else if (i == FD_ELEMENTSOF(schemes))
                return fail(c, v, "'url'%s must start with http://, https://, file:// or file:, not '%s'", sc->in,
                            snip(v, buf, sizeof buf));
        if (v->len == n)
                return fail(c, v, "'url'%s has nothing after '%.*s'", sc->in, (int)n, v->value);
        if (strchr(v->value, ' '))
                return fail(c, v, "'url'%s must not contain spaces: '%s'", sc->in, snip(v, buf, sizeof buf));
        if (n != 5)
                return dup_string(c, v, "'url'", sc, ret);

        /* Relative file: URLs, like relative paths, start from the config
         * file's directory; the result is always file:///absolute. */
        url = strdup(v->value + 5);
        if (!url)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        s = url[0] == '/' ? FD_OK : make_absolute(c, true, &url);
        if (s)
                return s;
        if (asprintf(ret, "file://%s", url) < 0)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        return FD_OK;
}

enum {
        SRC_NAME,
        SRC_TYPE,
        SRC_URL,
        SRC_METADATA_PREFIX,
        SRC_SETS,
        SRC_INTERVAL,
        SRC_DELAY,
        SRC_RECONCILE,
        SRC_FORMATS,
        SRC_WINDOW,
        SRC_KEYS
};

/* The name of each type, as 'type' takes it and fd_source_type_name
 * gives it back (the enum's order, no gaps). */
static const char *const source_type_names[] = {
        [FD_SOURCE_OAI_PMH] = "oai-pmh",
        [FD_SOURCE_DCAT] = "dcat",
        [FD_SOURCE_CKAN] = "ckan",
        [FD_SOURCE_CSW] = "csw",
};

static const char *const source_keys[SRC_KEYS] = {
        [SRC_NAME] = "name",
        [SRC_TYPE] = "type",
        [SRC_URL] = "url",
        [SRC_METADATA_PREFIX] = "metadata_prefix",
        [SRC_SETS] = "sets",
        [SRC_INTERVAL] = "interval",
        [SRC_DELAY] = "delay",
        [SRC_RECONCILE] = "reconcile",
        [SRC_FORMATS] = "formats",
        [SRC_WINDOW] = "window",
};

/* Fills cfg->sources[idx] from the mapping m; name_nodes[j] is where source
 * j's name was written, for duplicate reports. */
static enum fd_status parse_source(struct ctx *c, const struct node *m, size_t idx, struct fd_config *cfg,
                                   const struct node **name_nodes) {
        struct fd_source_config *src = &cfg->sources[idx];
        const struct node *vals[SRC_KEYS], *keys[SRC_KEYS], *name_val = NULL;
        struct scope sc;
        char label[96], buf[SNIPPET];
        enum fd_status s;

        if (m->kind != NODE_MAPPING)
                return fail(c, m, "source %zu must be a mapping, not %s", idx + 1, kind_name(m));

        /* Name the source in messages as soon as it has a usable name,
         * wherever the name key sits. */
        for (size_t p = 0; p + 1 < m->items.n; p += 2)
                if (m->items.v[p]->kind == NODE_SCALAR && strcmp(m->items.v[p]->value, "name") == 0) {
                        name_val = m->items.v[p + 1];
                        break;
                }
        if (name_val && valid_name(name_val))
                snprintf(label, sizeof label, "source '%s'", name_val->value);
        else
                snprintf(label, sizeof label, "source %zu", idx + 1);
        snprintf(sc.in, sizeof sc.in, " in %s", label);
        snprintf(sc.at, sizeof sc.at, " in %s", label);

        s = scan_mapping(c, m, source_keys, SRC_KEYS, &sc, vals, keys);
        if (s)
                return s;
        for (size_t k = SRC_NAME; k <= SRC_URL; k++)
                if (!vals[k])
                        return fail(c, m, "%s has no '%s'", label, source_keys[k]);

        s = want_string(c, vals[SRC_NAME], "'name'", &sc);
        if (s)
                return s;
        if (!valid_name(vals[SRC_NAME]))
                return fail(c, vals[SRC_NAME],
                            "'name' in source %zu must be 1 to %d characters of A-Z a-z 0-9 _ . -, not '%s'",
                            idx + 1, NAME_MAX_LEN, snip(vals[SRC_NAME], buf, sizeof buf));
        for (size_t j = 0; j < idx; j++)
                if (strcmp(cfg->sources[j].name, vals[SRC_NAME]->value) == 0)
                        return fail(c, vals[SRC_NAME], "duplicate source name '%s' (first at line %zu)",
                                    vals[SRC_NAME]->value, name_nodes[j]->line);
        s = dup_string(c, vals[SRC_NAME], "'name'", &sc, &src->name);
        if (s)
                return s;
        name_nodes[idx] = vals[SRC_NAME];

        s = want_string(c, vals[SRC_TYPE], "'type'", &sc);
        if (s)
                return s;
        size_t t = 0;
        while (t < FD_ELEMENTSOF(source_type_names) && strcmp(vals[SRC_TYPE]->value, source_type_names[t]) != 0)
                t++;
        if (t == FD_ELEMENTSOF(source_type_names))
                return fail(c, vals[SRC_TYPE], "'type'%s must be oai-pmh, dcat, ckan or csw, not '%s'", sc.in,
                            snip(vals[SRC_TYPE], buf, sizeof buf));
        src->type = (enum fd_source_type)t;

        s = parse_url(c, vals[SRC_URL], &sc, &src->url);
        if (s)
                return s;

        if (vals[SRC_METADATA_PREFIX] && !is_null(vals[SRC_METADATA_PREFIX])) {
                s = dup_string(c, vals[SRC_METADATA_PREFIX], "'metadata_prefix'", &sc, &src->metadata_prefix);
                if (s)
                        return s;
        }
        if (vals[SRC_SETS] && !is_null(vals[SRC_SETS])) {
                s = parse_list(c, vals[SRC_SETS], "'sets'", "setSpec", NULL, &sc, &src->sets, &src->n_sets);
                if (s)
                        return s;
        }
        src->interval = FD_CONFIG_DEFAULT_INTERVAL;
        if (vals[SRC_INTERVAL] && !is_null(vals[SRC_INTERVAL])) {
                s = parse_duration(c, vals[SRC_INTERVAL], "interval", &sc, INTERVAL_MIN, INTERVAL_MAX, false,
                                   &src->interval);
                if (s)
                        return s;
        }
        src->delay_ms = strncmp(src->url, "file://", 7) == 0 ? 0 : FD_CONFIG_DEFAULT_DELAY_MS;
        if (vals[SRC_DELAY] && !is_null(vals[SRC_DELAY])) {
                s = parse_delay(c, vals[SRC_DELAY], &sc, &src->delay_ms);
                if (s)
                        return s;
        }
        src->reconcile = FD_CONFIG_DEFAULT_RECONCILE;
        if (vals[SRC_RECONCILE] && !is_null(vals[SRC_RECONCILE])) {
                s = parse_duration(c, vals[SRC_RECONCILE], "reconcile", &sc, RECONCILE_MIN, INTERVAL_MAX, true,
                                   &src->reconcile);
                if (s)
                        return s;
        }
        if (vals[SRC_FORMATS] && !is_null(vals[SRC_FORMATS])) {
                s = parse_list(c, vals[SRC_FORMATS], "'formats'", "metadataPrefix", valid_prefix, &sc,
                               &src->formats, &src->n_formats);
                if (s)
                        return s;
        }
        if (vals[SRC_WINDOW] && !is_null(vals[SRC_WINDOW])) {
                struct fd_error e = {0};
                s = want_string(c, vals[SRC_WINDOW], "'window'", &sc);
                if (s)
                        return s;
                if (strlen(vals[SRC_WINDOW]->value) != vals[SRC_WINDOW]->len ||
                    fd_window_parse(vals[SRC_WINDOW]->value, &src->window, &e) != FD_OK)
                        return fail(c, vals[SRC_WINDOW], "'window'%s: %s", sc.in,
                                    e.msg[0] ? e.msg : "not a time window");
        }
        return FD_OK;
}

static enum fd_status parse_sources(struct ctx *c, const struct node *v, struct fd_config *cfg) {
        _fd_free_ const struct node **name_nodes = NULL;
        enum fd_status s;

        if (v->kind != NODE_SEQUENCE)
                return fail(c, v, "'sources' must be a sequence of sources (use [] for none), not %s",
                            kind_name(v));
        if (v->items.n == 0)
                return FD_OK;
        cfg->sources = calloc(v->items.n, sizeof *cfg->sources);
        name_nodes = calloc(v->items.n, sizeof *name_nodes);
        if (!cfg->sources || !name_nodes)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        for (size_t i = 0; i < v->items.n; i++) {
                /* Counted first so that fd_config_free sees a partly filled
                 * entry too. */
                cfg->n_sources = i + 1;
                s = parse_source(c, v->items.v[i], i, cfg, name_nodes);
                if (s)
                        return s;
        }
        return FD_OK;
}

enum {
        TOP_STATE_DIR,
        TOP_SOCKET,
        TOP_LOG_LEVEL,
        TOP_CONTACT,
        TOP_SOURCES,
        TOP_MAX_HARVESTS,
        TOP_STUCK_AFTER,
        TOP_SOCKET_MODE,
        TOP_CONTEXTS_DIR,
        TOP_HTTP,
        TOP_INDEX,
        TOP_KEYS
};

static const char *const top_keys[TOP_KEYS] = {
        [TOP_STATE_DIR] = "state_dir",
        [TOP_SOCKET] = "socket",
        [TOP_LOG_LEVEL] = "log_level",
        [TOP_CONTACT] = "contact",
        [TOP_SOURCES] = "sources",
        [TOP_MAX_HARVESTS] = "max_harvests",
        [TOP_STUCK_AFTER] = "stuck_after",
        [TOP_SOCKET_MODE] = "socket_mode",
        [TOP_CONTEXTS_DIR] = "contexts_dir",
        [TOP_HTTP] = "http",
        [TOP_INDEX] = "index",
};

enum { HTTP_LISTEN, HTTP_BASE_URL, HTTP_REPOSITORY_NAME, HTTP_ADMIN_EMAIL, HTTP_KEYS };

static const char *const http_keys[HTTP_KEYS] = {
        [HTTP_LISTEN] = "listen",
        [HTTP_BASE_URL] = "base_url",
        [HTTP_REPOSITORY_NAME] = "repository_name",
        [HTTP_ADMIN_EMAIL] = "admin_email",
};

/* http: the listener's address ("host:port", "[v6]:port") and what its
 * answers name (docs/configuration.md). */
static enum fd_status parse_http(struct ctx *c, const struct node *m, struct fd_config *cfg) {
        const struct node *vals[HTTP_KEYS], *keys[HTTP_KEYS];
        struct scope sc = {.in = " in 'http'", .at = " in 'http'"};
        struct fd_http_config *h = &cfg->http;
        char buf[SNIPPET];
        enum fd_status s;

        if (m->kind != NODE_MAPPING)
                return fail(c, m, "'http' must be a mapping, not %s", kind_name(m));
        s = scan_mapping(c, m, http_keys, HTTP_KEYS, &sc, vals, keys);
        if (s)
                return s;
        if (!vals[HTTP_LISTEN])
                return fail(c, m, "'http' has no 'listen'");
        s = want_string(c, vals[HTTP_LISTEN], "'listen'", &sc);
        if (s)
                return s;
        const char *l = vals[HTTP_LISTEN]->value, *colon = strrchr(l, ':');
        const char *host = l, *host_end = colon;
        if (l[0] == '[') {
                host = l + 1;
                host_end = strchr(l, ']');
                if (!host_end || host_end + 1 != colon)
                        host_end = NULL;
        }
        char *end = NULL;
        long port = colon ? strtol(colon + 1, &end, 10) : 0;
        if (!colon || !host_end || host_end == host || !end || end == colon + 1 || *end || port < 1 || port > 65535)
                return fail(c, vals[HTTP_LISTEN], "'listen' in 'http' must be host:port such as 127.0.0.1:8080, "
                                                  "not '%s'", snip(vals[HTTP_LISTEN], buf, sizeof buf));
        h->host = strndup(host, (size_t)(host_end - host));
        h->port = (unsigned)port;
        if (!h->host)
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        if (vals[HTTP_BASE_URL] && !is_null(vals[HTTP_BASE_URL])) {
                const struct node *v = vals[HTTP_BASE_URL];
                s = dup_string(c, v, "'base_url'", &sc, &h->base_url);
                if (s)
                        return s;
                if (strncmp(h->base_url, "http://", 7) != 0 && strncmp(h->base_url, "https://", 8) != 0)
                        return fail(c, v, "'base_url' in 'http' must be an http:// or https:// URL, not '%s'",
                                    snip(v, buf, sizeof buf));
                size_t n = strlen(h->base_url);
                while (n > 8 && h->base_url[n - 1] == '/')
                        h->base_url[--n] = '\0';
        } else if (asprintf(&h->base_url, "http://%s", l) < 0) {
                h->base_url = NULL;
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        }
        if (vals[HTTP_REPOSITORY_NAME] && !is_null(vals[HTTP_REPOSITORY_NAME]))
                s = dup_string(c, vals[HTTP_REPOSITORY_NAME], "'repository_name'", &sc, &h->repository_name);
        else
                s = (h->repository_name = strdup("fairdex")) ? FD_OK
                                                             : fd_error_set(c->err, FD_E_NOMEM, "out of memory");
        if (s)
                return s;
        if (vals[HTTP_ADMIN_EMAIL] && !is_null(vals[HTTP_ADMIN_EMAIL])) {
                s = dup_string(c, vals[HTTP_ADMIN_EMAIL], "'admin_email'", &sc, &h->admin_email);
                if (s)
                        return s;
                if (!strchr(h->admin_email, '@'))
                        return fail(c, vals[HTTP_ADMIN_EMAIL], "'admin_email' in 'http' must be an e-mail address, "
                                    "not '%s'", snip(vals[HTTP_ADMIN_EMAIL], buf, sizeof buf));
        } else if (!(h->admin_email = strdup(cfg->contact && strchr(cfg->contact, '@') ? cfg->contact
                                                                                        : "nobody@localhost")))
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        h->enabled = true;
        return FD_OK;
}

enum { IDX_ROUTE, IDX_READONLY, IDX_SHARDS, IDX_KEYS };

static const char *const index_keys[IDX_KEYS] = {
        [IDX_ROUTE] = "route",
        [IDX_READONLY] = "readonly",
        [IDX_SHARDS] = "shards",
};

enum { SHARD_PATH, SHARD_REMOTE, SHARD_SEARCH, SHARD_KEYS };

static const char *const shard_keys[SHARD_KEYS] = {
        [SHARD_PATH] = "path",
        [SHARD_REMOTE] = "remote",
        [SHARD_SEARCH] = "search",
};

static const char *const route_names[] = {
        [FD_ROUTE_HASH] = "hash",
        [FD_ROUTE_SOURCE] = "source",
};

/* A xapian-tcpsrv's address: tcp://host:port (host a name, an IPv4
 * address or [IPv6]; port 1..65535), nothing after the port. */
static bool valid_tcp_url(const char *u) {
        const char *host, *host_end, *colon;
        char *end = NULL;

        if (strncmp(u, "tcp://", 6) != 0)
                return false;
        host = u + 6;
        if (*host == '[') {
                host_end = strchr(host, ']');
                if (!host_end || host_end == host + 1 || host_end[1] != ':')
                        return false;
                colon = host_end + 1;
        } else {
                colon = strchr(host, ':');
                if (!colon || colon == host)
                        return false;
                for (const char *q = host; q < colon; q++)
                        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
                              *q == '.' || *q == '-' || *q == '_'))
                                return false;
        }
        if (!(colon[1] >= '0' && colon[1] <= '9'))
                return false;
        long port = strtol(colon + 1, &end, 10);
        return *end == '\0' && port >= 1 && port <= 65535;
}

static enum fd_status parse_tcp_url(struct ctx *c, const struct node *v, const char *what, const struct scope *sc,
                                    char **ret) {
        char buf[SNIPPET];
        enum fd_status s = want_string(c, v, what, sc);

        if (s)
                return s;
        if (strlen(v->value) != v->len || !valid_tcp_url(v->value))
                return fail(c, v, "%s%s must be tcp://host:port (a xapian-tcpsrv), not '%s'", what, sc->in,
                            snip(v, buf, sizeof buf));
        return dup_string(c, v, what, sc, ret);
}

/* Shard i of 'shards' from the mapping m. */
static enum fd_status parse_shard(struct ctx *c, const struct node *m, size_t i, struct fd_shard_config *sh) {
        const struct node *vals[SHARD_KEYS], *keys[SHARD_KEYS];
        struct scope sc;
        enum fd_status s;

        snprintf(sc.in, sizeof sc.in, " in shard %zu of 'index'", i + 1);
        snprintf(sc.at, sizeof sc.at, " in shard %zu of 'index'", i + 1);
        if (m->kind != NODE_MAPPING)
                return fail(c, m, "shard %zu of 'index' must be a mapping with 'path' or 'remote', not %s", i + 1,
                            kind_name(m));
        s = scan_mapping(c, m, shard_keys, SHARD_KEYS, &sc, vals, keys);
        if (s)
                return s;
        bool path = vals[SHARD_PATH] && !is_null(vals[SHARD_PATH]);
        bool remote = vals[SHARD_REMOTE] && !is_null(vals[SHARD_REMOTE]);
        if (path == remote)
                return fail(c, m, "shard %zu of 'index' must have either 'path' or 'remote'%s", i + 1,
                            path ? ", not both" : "");
        if (path) {
                s = parse_path(c, vals[SHARD_PATH], "'path'", &sc, &sh->path);
                if (s)
                        return s;
                sh->name = sh->path;
        } else {
                s = parse_tcp_url(c, vals[SHARD_REMOTE], "'remote'", &sc, &sh->remote);
                if (s)
                        return s;
                sh->name = sh->remote;
        }
        if (vals[SHARD_SEARCH] && !is_null(vals[SHARD_SEARCH])) {
                if (path)
                        return fail(c, keys[SHARD_SEARCH], "'search'%s is for remote shards: a 'path' is "
                                    "searched where it is", sc.in);
                return parse_tcp_url(c, vals[SHARD_SEARCH], "'search'", &sc, &sh->search);
        }
        if (!(sh->search = strdup(sh->name)))
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        return FD_OK;
}

/* index: shards and how records are routed to them (docs/configuration.md).
 * Without 'shards' the index stays the one database under state_dir (so
 * "index: {readonly: true}" serves a replica kept there). */
static enum fd_status parse_index(struct ctx *c, const struct node *m, struct fd_config *cfg) {
        const struct node *vals[IDX_KEYS], *keys[IDX_KEYS];
        struct scope sc = {.in = " in 'index'", .at = " in 'index'"};
        struct fd_index_config *ix = &cfg->index;
        char buf[SNIPPET];
        enum fd_status s;

        if (m->kind != NODE_MAPPING)
                return fail(c, m, "'index' must be a mapping, not %s", kind_name(m));
        s = scan_mapping(c, m, index_keys, IDX_KEYS, &sc, vals, keys);
        if (s)
                return s;
        ix->configured = true;
        ix->route = FD_ROUTE_HASH;
        if (vals[IDX_ROUTE] && !is_null(vals[IDX_ROUTE])) {
                const struct node *v = vals[IDX_ROUTE];
                size_t r = FD_ELEMENTSOF(route_names);
                if (v->kind == NODE_SCALAR && v->type == SCALAR_STR && strlen(v->value) == v->len)
                        for (r = 0; r < FD_ELEMENTSOF(route_names); r++)
                                if (strcmp(v->value, route_names[r]) == 0)
                                        break;
                if (r == FD_ELEMENTSOF(route_names))
                        return fail(c, v, "'route' in 'index' must be hash or source, not '%s'",
                                    v->kind == NODE_SCALAR ? snip(v, buf, sizeof buf) : kind_name(v));
                ix->route = (enum fd_index_route)r;
        }
        if (vals[IDX_READONLY] && !is_null(vals[IDX_READONLY])) {
                const struct node *v = vals[IDX_READONLY];
                if (v->kind != NODE_SCALAR || v->type != SCALAR_BOOL)
                        return fail(c, v, "'readonly' in 'index' must be true or false, not %s", kind_name(v));
                ix->readonly = v->value[0] == 't' || v->value[0] == 'T';
        }
        if (!vals[IDX_SHARDS] || is_null(vals[IDX_SHARDS]))
                return FD_OK;
        const struct node *v = vals[IDX_SHARDS];
        if (v->kind != NODE_SEQUENCE)
                return fail(c, v, "'shards' in 'index' must be a sequence of shards, not %s", kind_name(v));
        if (v->items.n == 0)
                return fail(c, v, "'shards' in 'index' lists no shard: name at least one, or leave 'shards' out "
                            "for the one database under 'state_dir'");
        if (v->items.n > FD_CONFIG_MAX_SHARDS)
                return fail(c, v, "'shards' in 'index' lists %zu shards: at most %d", v->items.n,
                            FD_CONFIG_MAX_SHARDS);
        if (!(ix->shards = calloc(v->items.n, sizeof *ix->shards)))
                return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
        for (size_t i = 0; i < v->items.n; i++) {
                ix->n_shards = i + 1;
                s = parse_shard(c, v->items.v[i], i, &ix->shards[i]);
                if (s)
                        return s;
                for (size_t j = 0; j < i; j++)
                        if (strcmp(ix->shards[j].name, ix->shards[i].name) == 0)
                                return fail(c, v->items.v[i], "shard %zu of 'index' repeats shard %zu ('%s')",
                                            i + 1, j + 1, ix->shards[i].name);
        }
        return FD_OK;
}

#define LOG_LEVELS "err, warning, notice, info, debug"

/* socket_mode: permission bits in octal, as chmod(1) takes them ("0660",
 * "660"; quoted or not, since YAML reads an unquoted 0660 as a number).
 * Only the read and write bits mean anything on a socket; set-id and
 * sticky bits are refused rather than ignored. */
static enum fd_status parse_mode(struct ctx *c, const struct node *v, unsigned *ret) {
        char buf[SNIPPET];
        unsigned mode = 0;
        size_t n = v->kind == NODE_SCALAR ? strlen(v->value) : 0;

        if (v->kind != NODE_SCALAR || n != v->len || n < 3 || n > 4)
                return fail(c, v, "'socket_mode' must be an octal mode such as \"0660\", not %s",
                            v->kind == NODE_SCALAR ? snip(v, buf, sizeof buf) : kind_name(v));
        for (size_t i = 0; i < n; i++) {
                if (v->value[i] < '0' || v->value[i] > '7')
                        return fail(c, v, "'socket_mode' must be an octal mode such as \"0660\", not '%s'",
                                    snip(v, buf, sizeof buf));
                mode = mode * 8 + (unsigned)(v->value[i] - '0');
        }
        if (mode > 0777)
                return fail(c, v, "'socket_mode' takes permission bits only (at most 0777), not '%s'",
                            snip(v, buf, sizeof buf));
        *ret = mode;
        return FD_OK;
}

static enum fd_status parse_top(struct ctx *c, const struct node *root, struct fd_config *cfg) {
        const struct node *vals[TOP_KEYS], *keys[TOP_KEYS];
        struct scope sc = {.in = "", .at = " at the top level"};
        char buf[SNIPPET];
        enum fd_status s;

        if (!root || is_null(root))
                return fail_at(c, FD_E_INVALID, root ? root->line : 1, root ? root->column : 1,
                               "empty configuration: expected a mapping with 'state_dir', 'socket' and 'sources'");
        if (root->kind != NODE_MAPPING)
                return fail(c, root, "the top level must be a mapping, not %s", kind_name(root));

        s = scan_mapping(c, root, top_keys, TOP_KEYS, &sc, vals, keys);
        if (s)
                return s;
        for (size_t k = 0; k < TOP_KEYS; k++)
                if (!vals[k] && (k == TOP_STATE_DIR || k == TOP_SOCKET || k == TOP_SOURCES))
                        return fail(c, root, "the configuration has no '%s'", top_keys[k]);

        s = parse_path(c, vals[TOP_STATE_DIR], "'state_dir'", &sc, &cfg->state_dir);
        if (s)
                return s;
        s = parse_path(c, vals[TOP_SOCKET], "'socket'", &sc, &cfg->socket);
        if (s)
                return s;
        if (strlen(cfg->socket) >= sizeof(((struct sockaddr_un *)NULL)->sun_path))
                return fail(c, vals[TOP_SOCKET],
                            "'socket' is longer than %zu bytes, the limit for a Unix socket path: '%s'",
                            sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1, cfg->socket);

        cfg->socket_mode = FD_CONFIG_DEFAULT_SOCKET_MODE;
        if (vals[TOP_SOCKET_MODE] && !is_null(vals[TOP_SOCKET_MODE])) {
                s = parse_mode(c, vals[TOP_SOCKET_MODE], &cfg->socket_mode);
                if (s)
                        return s;
        }

        cfg->log_level = FD_LOG_INFO;
        if (vals[TOP_LOG_LEVEL] && !is_null(vals[TOP_LOG_LEVEL])) {
                const struct node *v = vals[TOP_LOG_LEVEL];
                if (v->kind != NODE_SCALAR || v->type != SCALAR_STR)
                        return fail(c, v, "'log_level' must be one of " LOG_LEVELS ", not %s", kind_name(v));
                if (strlen(v->value) != v->len || !fd_log_level_parse(v->value, &cfg->log_level))
                        return fail(c, v, "'log_level' must be one of " LOG_LEVELS ", not '%s'",
                                    snip(v, buf, sizeof buf));
        }
        if (vals[TOP_CONTACT] && !is_null(vals[TOP_CONTACT])) {
                s = dup_string(c, vals[TOP_CONTACT], "'contact'", &sc, &cfg->contact);
                if (s)
                        return s;
        }
        cfg->max_harvests = FD_CONFIG_DEFAULT_MAX_HARVESTS;
        if (vals[TOP_MAX_HARVESTS] && !is_null(vals[TOP_MAX_HARVESTS])) {
                const struct node *v = vals[TOP_MAX_HARVESTS];
                long long n;
                if (v->kind != NODE_SCALAR || v->type != SCALAR_INT || !int_value(v->value, &n) || n < 1 ||
                    n > FD_CONFIG_MAX_HARVESTS)
                        return fail(c, v, "'max_harvests' must be an integer from 1 to %d, not '%s'",
                                    FD_CONFIG_MAX_HARVESTS, snip(v, buf, sizeof buf));
                cfg->max_harvests = (unsigned)n;
        }
        cfg->stuck_after = FD_CONFIG_DEFAULT_STUCK_AFTER;
        if (vals[TOP_STUCK_AFTER] && !is_null(vals[TOP_STUCK_AFTER])) {
                s = parse_duration(c, vals[TOP_STUCK_AFTER], "stuck_after", &sc, 1, INTERVAL_MAX, true,
                                   &cfg->stuck_after);
                if (s)
                        return s;
        }
        if (vals[TOP_CONTEXTS_DIR] && !is_null(vals[TOP_CONTEXTS_DIR])) {
                _fd_free_ char *index = NULL;
                s = parse_path(c, vals[TOP_CONTEXTS_DIR], "'contexts_dir'", &sc, &cfg->contexts_dir);
                if (s)
                        return s;
                if (asprintf(&index, "%s/index.tsv", cfg->contexts_dir) < 0)
                        return fd_error_set(c->err, FD_E_NOMEM, "%s: out of memory", c->name);
                if (access(index, R_OK) != 0)
                        return fail(c, vals[TOP_CONTEXTS_DIR], "'contexts_dir' has no readable index '%s': %s", index,
                                    strerror(errno));
        }
        if (vals[TOP_HTTP] && !is_null(vals[TOP_HTTP])) {
                s = parse_http(c, vals[TOP_HTTP], cfg);
                if (s)
                        return s;
        }
        if (vals[TOP_INDEX] && !is_null(vals[TOP_INDEX])) {
                s = parse_index(c, vals[TOP_INDEX], cfg);
                if (s)
                        return s;
        }
        return parse_sources(c, vals[TOP_SOURCES], cfg);
}

/* ---- public ----------------------------------------------------------- */

const char *fd_source_type_name(enum fd_source_type t) {
        return (unsigned)t < FD_ELEMENTSOF(source_type_names) ? source_type_names[t] : "unknown";
}

void fd_config_free(struct fd_config *c) {
        if (!c)
                return;
        for (size_t i = 0; i < c->n_sources; i++) {
                struct fd_source_config *s = &c->sources[i];
                free(s->name);
                free(s->url);
                free(s->metadata_prefix);
                for (size_t j = 0; j < s->n_sets; j++)
                        free(s->sets[j]);
                free(s->sets);
                for (size_t j = 0; j < s->n_formats; j++)
                        free(s->formats[j]);
                free(s->formats);
        }
        free(c->sources);
        free(c->path);
        free(c->state_dir);
        free(c->socket);
        free(c->contact);
        free(c->contexts_dir);
        free(c->http.host);
        free(c->http.base_url);
        free(c->http.repository_name);
        free(c->http.admin_email);
        for (size_t i = 0; i < c->index.n_shards; i++) {
                free(c->index.shards[i].path);
                free(c->index.shards[i].remote);
                free(c->index.shards[i].search);
        }
        free(c->index.shards);
        free(c);
}

enum fd_status fd_config_parse(const char *name, const char *text, size_t len, struct fd_config **ret_config,
                               struct fd_error *err) {
        _fd_cleanup_(fd_arena_freep) struct fd_arena *arena = NULL;
        _fd_cleanup_(fd_config_freep) struct fd_config *cfg = NULL;
        struct ctx c = {.name = name ? name : "(config)", .err = err};
        struct node *root = NULL;
        enum fd_status s;

        if (len > CONFIG_MAX_BYTES)
                return fd_error_set(err, FD_E_LIMIT, "%s: larger than %d bytes", c.name, CONFIG_MAX_BYTES);
        if (!text)
                text = "";
        arena = fd_arena_new(ARENA_CAP);
        cfg = calloc(1, sizeof *cfg);
        if (!arena || !cfg)
                return fd_error_set(err, FD_E_NOMEM, "%s: out of memory", c.name);
        c.arena = arena;
        cfg->path = strdup(c.name);
        if (!cfg->path)
                return fd_error_set(err, FD_E_NOMEM, "%s: out of memory", c.name);

        s = build_tree(&c, text, len, &root);
        if (s)
                return s;
        s = parse_top(&c, root, cfg);
        if (s)
                return s;
        *ret_config = FD_TAKE_PTR(cfg);
        return FD_OK;
}

enum fd_status fd_config_load(const char *path, struct fd_config **ret_config, struct fd_error *err) {
        _fd_close_ int fd = -1;
        struct fd_buf b;
        char chunk[16384], ebuf[128];
        enum fd_status s = FD_OK;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return fd_error_set(err, FD_E_IO, "cannot open '%s': %s", path, strerror_r(errno, ebuf, sizeof ebuf));
        fd_buf_init(&b, CONFIG_MAX_BYTES);
        for (;;) {
                ssize_t n = read(fd, chunk, sizeof chunk);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        s = fd_error_set(err, FD_E_IO, "cannot read '%s': %s", path,
                                         strerror_r(errno, ebuf, sizeof ebuf));
                        break;
                }
                if (n == 0)
                        break;
                s = fd_buf_append(&b, chunk, (size_t)n);
                if (s == FD_E_LIMIT) {
                        fd_error_set(err, s, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
                        break;
                }
                if (s) {
                        fd_error_set(err, s, "%s: out of memory reading the file", path);
                        break;
                }
        }
        if (s == FD_OK)
                s = fd_config_parse(path, b.data ? b.data : "", b.len, ret_config, err);
        fd_buf_release(&b);
        return s;
}

const char *fd_index_route_name(enum fd_index_route r) {
        return (unsigned)r < FD_ELEMENTSOF(route_names) ? route_names[r] : "unknown";
}

size_t fd_index_route_shard(enum fd_index_route route, size_t n, const char *source, const char *id) {
        if (n <= 1)
                return 0;
        return (size_t)(fd_hash_str(route == FD_ROUTE_SOURCE ? source : id) % n);
}

const struct fd_source_config *fd_config_source(const struct fd_config *c, const char *name) {
        if (!c || !name)
                return NULL;
        for (size_t i = 0; i < c->n_sources; i++)
                if (strcmp(c->sources[i].name, name) == 0)
                        return &c->sources[i];
        return NULL;
}

/* ---- time windows ----------------------------------------------------- */

#define DAY 86400

/* Seconds since 00:00 UTC of t's day, for any t. */
static int64_t day_second(int64_t t) {
        int64_t r = t % DAY;
        return r < 0 ? r + DAY : r;
}

/* "H:MM" or "HH:MM" at p into *ret (minutes after midnight); 24:00 only as
 * an end.  Returns what follows, or NULL. */
static const char *parse_hhmm(const char *p, bool end, unsigned *ret) {
        unsigned h = 0, m;
        int digits = 0;

        while (*p >= '0' && *p <= '9' && digits < 2) {
                h = h * 10 + (unsigned)(*p - '0');
                p++;
                digits++;
        }
        if (digits == 0 || *p != ':')
                return NULL;
        p++;
        if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
                return NULL;
        m = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
        if (m > 59 || h > 24 || (h == 24 && (!end || m != 0)))
                return NULL;
        *ret = h % 24 * 60 + m;
        return p + 2;
}

enum fd_status fd_window_parse(const char *text, struct fd_window *ret, struct fd_error *err) {
        unsigned start = 0, end = 0;
        const char *p = text;
        char buf[SNIPPET];

        p = parse_hhmm(p, false, &start);
        if (p) {
                p += strspn(p, " \t");
                p = *p == '-' ? p + 1 : NULL;
        }
        if (p) {
                p += strspn(p, " \t");
                p = parse_hhmm(p, true, &end);
        }
        if (!p || *p)
                return fd_error_set(err, FD_E_INVALID, "'%s' is not HH:MM-HH:MM (UTC, like 22:00-06:00)",
                                    fd_snippet(text, strlen(text), buf, sizeof buf));
        if (start == end)
                return fd_error_set(err, FD_E_INVALID, "'%s' opens and closes at the same time (leave the window "
                                    "out to harvest at any time)", fd_snippet(text, strlen(text), buf, sizeof buf));
        ret->start = (unsigned short)start;
        ret->end = (unsigned short)end;
        return FD_OK;
}

bool fd_window_set(const struct fd_window *w) { return w->start != w->end; }

bool fd_window_open(const struct fd_window *w, int64_t t) {
        int64_t s = (int64_t)w->start * 60, e = (int64_t)w->end * 60, x = day_second(t);

        if (!fd_window_set(w))
                return true;
        return s < e ? x >= s && x < e : x >= s || x < e;
}

int64_t fd_window_next_open(const struct fd_window *w, int64_t t) {
        int64_t s = (int64_t)w->start * 60, x = day_second(t);

        if (fd_window_open(w, t))
                return t;
        /* Closed: the next start is today's when it is still ahead. */
        return t - x + s + (x < s ? 0 : DAY);
}

int64_t fd_window_close(const struct fd_window *w, int64_t t) {
        int64_t e = (int64_t)w->end * 60, o, x;

        if (!fd_window_set(w))
                return INT64_MAX;
        o = fd_window_next_open(w, t);
        x = day_second(o);
        return o - x + e + (x < e ? 0 : DAY);
}

int64_t fd_window_length(const struct fd_window *w) {
        if (!fd_window_set(w))
                return DAY;
        return ((int64_t)w->end - (int64_t)w->start + 1440) % 1440 * 60;
}

char *fd_window_format(const struct fd_window *w, char *out, size_t outsz) {
        if (outsz == 0)
                return out;
        if (!fd_window_set(w))
                out[0] = '\0';
        else
                snprintf(out, outsz, "%02u:%02u-%02u:%02u", w->start / 60u, w->start % 60u, w->end / 60u,
                         w->end % 60u);
        return out;
}
