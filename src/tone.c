#include "entente/tone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strmap.h"

typedef struct table {
	ent_strmap *index; /* key -> position in entries */
	ent_tone_entry *entries;
	size_t count, cap;
	int sorted;
} table;

struct ent_tone {
	table actors, pairs;
	ent_tone_entry overall;
};

int64_t ent_tone_units(double probability)
{
	return (int64_t)llround(probability * (double)ENT_TONE_SCALE);
}

double ent_tone_sum(int64_t units)
{
	return (double)units / (double)ENT_TONE_SCALE;
}

double ent_tone_value(const ent_tone_entry *e)
{
	if (e->sentences == 0)
		return 0.0;
	return ent_tone_sum(e->sum_cooperative - e->sum_conflictual) / (double)e->sentences;
}

static int table_init(table *t)
{
	memset(t, 0, sizeof *t);
	t->index = ent_strmap_new(64);
	return t->index ? ENT_OK : ENT_ENOMEM;
}

static void table_release(table *t)
{
	ent_strmap_free(t->index);
	free(t->entries);
}

static void table_clear(table *t)
{
	ent_strmap_clear(t->index);
	t->count = 0;
}

static ent_tone_entry *table_get(table *t, const char *key)
{
	size_t len = strlen(key);
	if (len >= ENT_TONE_MAX_KEY)
		return NULL;
	int fresh = 0;
	uint32_t *slot = ent_strmap_upsert(t->index, key, len, (uint32_t)t->count, &fresh);
	if (slot == NULL)
		return NULL;
	t->sorted = 0; /* the caller changes the entry's counts */
	if (!fresh)
		return &t->entries[*slot];
	if (ent_array_reserve((void **)&t->entries, &t->cap, t->count + 1, sizeof *t->entries) != 0)
		return NULL;
	ent_tone_entry *e = &t->entries[t->count++];
	memset(e, 0, sizeof *e);
	memcpy(e->key, key, len + 1);
	t->sorted = 0;
	return e;
}

int ent_tone_new(ent_tone **out, ent_error *err)
{
	ent_tone *t = calloc(1, sizeof *t);
	if (t == NULL || table_init(&t->actors) != ENT_OK || table_init(&t->pairs) != ENT_OK) {
		ent_tone_free(t);
		*out = NULL;
		return ent_error_set(err, ENT_ENOMEM, "out of memory for tone sums");
	}
	*out = t;
	return ENT_OK;
}

void ent_tone_free(ent_tone *t)
{
	if (t == NULL)
		return;
	table_release(&t->actors);
	table_release(&t->pairs);
	free(t);
}

void ent_tone_clear(ent_tone *t)
{
	table_clear(&t->actors);
	table_clear(&t->pairs);
	memset(&t->overall, 0, sizeof t->overall);
}

static void accumulate(ent_tone_entry *into, const ent_tone_entry *from)
{
	if (into->name[0] == '\0' && from->name[0] != '\0')
		memcpy(into->name, from->name, sizeof into->name);
	into->sentences += from->sentences;
	for (int c = 0; c < ENT_LABEL_COUNT; c++)
		into->counts[c] += from->counts[c];
	into->sum_cooperative += from->sum_cooperative;
	into->sum_conflictual += from->sum_conflictual;
}

static int compare_codes(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts codes and drops duplicates and empty ones; returns the new count. */
static size_t distinct_codes(const char **codes, size_t n)
{
	qsort(codes, n, sizeof *codes, compare_codes);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (codes[i][0] != '\0' && (out == 0 || strcmp(codes[out - 1], codes[i]) != 0))
			codes[out++] = codes[i];
	return out;
}

#define MAX_SENTENCE_ACTORS 64

/* "A B" into key; 0 when it does not fit. Called for every pair of every
 * sentence, hence no snprintf. */
static int pair_key(char key[ENT_TONE_MAX_KEY], const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na + 1 + nb >= ENT_TONE_MAX_KEY)
		return 0;
	memcpy(key, a, na);
	key[na] = ' ';
	memcpy(key + na + 1, b, nb + 1);
	return 1;
}

int ent_tone_add_sentence(ent_tone *t, const char *const *codes, size_t n, int label,
			  const double probs[ENT_LABEL_COUNT], ent_error *err)
{
	const char *sorted[MAX_SENTENCE_ACTORS];
	if (label < 0 || label >= ENT_LABEL_COUNT)
		return ent_error_set(err, ENT_EPARAM, "invalid label index %d", label);
	if (n > MAX_SENTENCE_ACTORS)
		n = MAX_SENTENCE_ACTORS;
	memcpy(sorted, codes, n * sizeof *codes);
	n = distinct_codes(sorted, n);
	if (n == 0)
		return ENT_OK;
	ent_tone_entry one = {.sentences = 1,
			      .sum_cooperative = ent_tone_units(probs[ENT_LABEL_COOPERATIVE]),
			      .sum_conflictual = ent_tone_units(probs[ENT_LABEL_CONFLICTUAL])};
	one.counts[label] = 1;
	accumulate(&t->overall, &one);
	for (size_t i = 0; i < n; i++) {
		ent_tone_entry *e = table_get(&t->actors, sorted[i]);
		if (e == NULL)
			return ent_error_set(err, ENT_ENOMEM, "out of memory for tone sums");
		accumulate(e, &one);
		for (size_t j = i + 1; j < n; j++) {
			char key[ENT_TONE_MAX_KEY];
			if (!pair_key(key, sorted[i], sorted[j]))
				continue;
			ent_tone_entry *p = table_get(&t->pairs, key);
			if (p == NULL)
				return ent_error_set(err, ENT_ENOMEM, "out of memory for tone sums");
			accumulate(p, &one);
		}
	}
	return ENT_OK;
}

/* Sums read back are non-negative, and adding them must not overflow. */
static int sums_fit(const ent_tone_entry *into, const ent_tone_entry *from)
{
	return from->sum_cooperative >= 0 && from->sum_conflictual >= 0 &&
	       into->sum_cooperative <= INT64_MAX - from->sum_cooperative &&
	       into->sum_conflictual <= INT64_MAX - from->sum_conflictual;
}

int ent_tone_add_entry(ent_tone *t, const ent_tone_entry *e, int pair, ent_error *err)
{
	ent_tone_entry *into = &t->overall;
	if (pair != ENT_TONE_OVERALL) {
		into = table_get(pair ? &t->pairs : &t->actors, e->key);
		if (into == NULL)
			return ent_error_set(err, ENT_ENOMEM, "out of memory for tone sums");
	}
	if (!sums_fit(into, e))
		return ent_error_set(err, ENT_ELIMIT, "tone sums of '%s' are negative or too large",
				     pair == ENT_TONE_OVERALL ? "all actors" : e->key);
	accumulate(into, e);
	return ENT_OK;
}

int ent_tone_merge(ent_tone *into, const ent_tone *from, ent_error *err)
{
	for (size_t i = 0; i < from->actors.count; i++)
		if (ent_tone_add_entry(into, &from->actors.entries[i], 0, err) != ENT_OK)
			return err ? err->code : ENT_ENOMEM;
	for (size_t i = 0; i < from->pairs.count; i++)
		if (ent_tone_add_entry(into, &from->pairs.entries[i], 1, err) != ENT_OK)
			return err ? err->code : ENT_ENOMEM;
	return ent_tone_add_entry(into, &from->overall, ENT_TONE_OVERALL, err);
}

static int by_volume(const void *a, const void *b)
{
	const ent_tone_entry *x = a, *y = b;
	if (x->sentences != y->sentences)
		return x->sentences < y->sentences ? 1 : -1;
	return strcmp(x->key, y->key);
}

static void sort_table(table *t)
{
	if (t->sorted)
		return;
	qsort(t->entries, t->count, sizeof *t->entries, by_volume);
	ent_strmap_clear(t->index);
	for (size_t i = 0; i < t->count; i++)
		ent_strmap_upsert(t->index, t->entries[i].key, strlen(t->entries[i].key), (uint32_t)i, NULL);
	t->sorted = 1;
}

size_t ent_tone_actor_count(const ent_tone *t)
{
	return t->actors.count;
}

const ent_tone_entry *ent_tone_actor(const ent_tone *t, size_t i)
{
	sort_table((table *)&t->actors);
	return &t->actors.entries[i];
}

size_t ent_tone_pair_count(const ent_tone *t)
{
	return t->pairs.count;
}

const ent_tone_entry *ent_tone_pair(const ent_tone *t, size_t i)
{
	sort_table((table *)&t->pairs);
	return &t->pairs.entries[i];
}

const ent_tone_entry *ent_tone_overall(const ent_tone *t)
{
	return &t->overall;
}
