/* entente — a reader for the one-object-per-line records of JSON Lines input.
 *
 * Each line is validated as a whole against RFC 8259 (strict UTF-8, no
 * "\u0000", nesting at most ENT_JSONL_MAX_DEPTH deep), but only the top-level
 * members the caller names are kept: strings decoded, integers as written.
 * Nothing else is built, which makes reading an article several times cheaper
 * than a general JSON tree. */
#ifndef ENTENTE_JSONL_H
#define ENTENTE_JSONL_H

#include <stddef.h>

#include "entente/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_JSONL_MAX_DEPTH 512
#define ENT_JSONL_MAX_FIELDS 8

typedef struct ent_jsonl ent_jsonl;

typedef enum ent_json_kind {
	ENT_JSON_ABSENT = 0, /* not in the object, or the line is not an object */
	ENT_JSON_STRING,     /* decoded UTF-8; may hold no NUL */
	ENT_JSON_INTEGER,    /* the literal digits, e.g. "-42" */
	ENT_JSON_OTHER       /* a fraction, exponent, literal, array or object */
} ent_json_kind;

/* names: the top-level members to keep (at most ENT_JSONL_MAX_FIELDS; the
 * strings must outlive the reader). */
int ent_jsonl_new(ent_jsonl **out, const char *const *names, size_t count, ent_error *err);
void ent_jsonl_free(ent_jsonl *j);

/* Parses one line (without its newline). On invalid JSON, or when a kept
 * member occurs twice, returns ENT_EFORMAT with "column N: what was
 * expected". */
int ent_jsonl_parse(ent_jsonl *j, const char *line, size_t len, ent_error *err);

/* Whether the last parsed line was a JSON object. */
int ent_jsonl_is_object(const ent_jsonl *j);

/* Kind of the field-th named member of the last parsed line; for strings and
 * integers *value (NUL-terminated, valid until the next parse) and *len. */
ent_json_kind ent_jsonl_get(const ent_jsonl *j, size_t field, const char **value, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
