/* entente — actors: a dictionary of countries, capitals, leaders and
 * international organizations, and its matcher over tokenized sentences.
 *
 * Dictionary text: one entry a line, CODE<TAB>PATTERN[<TAB>key=value...],
 * keys case=exact, role=CODE, from=YYYY-MM-DD, to=YYYY-MM-DD; '#' comments.
 * The first pattern of a code names it. Later entries override earlier ones
 * with the same pattern, so a user's file can add to or correct the shipped one.
 */
#ifndef ENTENTE_ACTORS_H
#define ENTENTE_ACTORS_H

#include <stddef.h>

#include "entente/error.h"
#include "entente/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_ACTORS_MAX_PATTERNS 1000000u
#define ENT_ACTORS_MAX_PATTERN_TOKENS 12

typedef struct ent_actors ent_actors;

int ent_actors_new(ent_actors **out, ent_error *err);
void ent_actors_free(ent_actors *a);
/* Adds the entries of a dictionary text (name is used in FILE:LINE messages). */
int ent_actors_load(ent_actors *a, const char *text, size_t len, const char *name,
		    ent_error *err);
int ent_actors_load_file(ent_actors *a, const char *path, ent_error *err);
/* The texts loaded so far, concatenated (what a model embeds). */
const char *ent_actors_source(const ent_actors *a, size_t *len);

size_t ent_actors_code_count(const ent_actors *a);
size_t ent_actors_pattern_count(const ent_actors *a);
/* Display name of a code ("China" for CHN), or the code itself if unknown. */
const char *ent_actors_name(const ent_actors *a, const char *code);

/* A date as YYYYMMDD (20240105), 0 for unknown. Parses "YYYY-MM-DD". */
int ent_date_parse(const char *s, size_t len, long *out);

typedef struct ent_actor_match {
	size_t first, count; /* tokens of the sentence */
	const char *code;    /* country or organization code (borrowed) */
	const char *role;    /* government role valid on the date, or NULL */
} ent_actor_match;

/* Per-thread working state for matching. */
typedef struct ent_actor_matches ent_actor_matches;

int ent_actor_matches_new(ent_actor_matches **out, ent_error *err);
void ent_actor_matches_free(ent_actor_matches *m);

/* Finds actors in one sentence, longest pattern first, no overlaps.
 * source is the ent_text_source() the token spans refer to (for case=exact
 * patterns); date is YYYYMMDD or 0. */
int ent_actors_match(const ent_actors *a, const ent_token *tokens, size_t count,
		     const char *source, long date, ent_actor_matches *m, ent_error *err);
size_t ent_actor_matches_count(const ent_actor_matches *m);
const ent_actor_match *ent_actor_matches_get(const ent_actor_matches *m, size_t i);
/* ENT_MARK_* per token of the last match run, for the feature extractor. */
const unsigned char *ent_actor_matches_marks(const ent_actor_matches *m);

#ifdef __cplusplus
}
#endif
#endif
