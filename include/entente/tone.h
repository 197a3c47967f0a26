/* entente — tone: per-actor and per-pair sums and counts, merged exactly.
 *
 * For an actor (or unordered pair) mentioned in sentences S,
 * tone = (sum_S p(cooperative) - sum_S p(conflictual)) / |S|.
 * Probabilities are accumulated as integer billionths, so sums from shards
 * add up to exactly what one run over all articles gives.
 */
#ifndef ENTENTE_TONE_H
#define ENTENTE_TONE_H

#include <stddef.h>
#include <stdint.h>

#include "entente/data.h"
#include "entente/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_TONE_SCALE 1000000000LL /* probabilities are summed in units of 1e-9 */
#define ENT_TONE_MAX_KEY 64

typedef struct ent_tone_entry {
	char key[ENT_TONE_MAX_KEY]; /* "CHN", or "CHN USA" for a pair (codes sorted) */
	char name[ENT_TONE_MAX_KEY]; /* display name when read back from output, else "" */
	uint64_t sentences;
	uint64_t counts[ENT_LABEL_COUNT];
	int64_t sum_cooperative, sum_conflictual; /* in 1e-9 units */
} ent_tone_entry;

typedef struct ent_tone ent_tone;

int ent_tone_new(ent_tone **out, ent_error *err);
void ent_tone_free(ent_tone *t);
void ent_tone_clear(ent_tone *t);

/* Adds one sentence that mentions codes[0..n) (duplicates are ignored). */
int ent_tone_add_sentence(ent_tone *t, const char *const *codes, size_t n, int label,
			  const double probs[ENT_LABEL_COUNT], ent_error *err);
enum { ENT_TONE_ACTOR = 0, ENT_TONE_PAIR = 1, ENT_TONE_OVERALL = 2 };
/* Adds a partial sum read back from output; kind is ENT_TONE_*. */
int ent_tone_add_entry(ent_tone *t, const ent_tone_entry *e, int kind, ent_error *err);
int ent_tone_merge(ent_tone *into, const ent_tone *from, ent_error *err);

/* Entries sorted by sentences (descending), then key. */
size_t ent_tone_actor_count(const ent_tone *t);
const ent_tone_entry *ent_tone_actor(const ent_tone *t, size_t i);
size_t ent_tone_pair_count(const ent_tone *t);
const ent_tone_entry *ent_tone_pair(const ent_tone *t, size_t i);
/* All sentences that mention at least one actor. */
const ent_tone_entry *ent_tone_overall(const ent_tone *t);

double ent_tone_value(const ent_tone_entry *e);
double ent_tone_sum(int64_t units);
int64_t ent_tone_units(double probability);

#ifdef __cplusplus
}
#endif
#endif
