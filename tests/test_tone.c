/* CUnit suite for tone: per-actor and per-pair sums and counts, the overall
 * entry, exact merging of partial sums, and the tone value. */
#include "entente/tone.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/test_util.h"

#define C ENT_LABEL_COOPERATIVE
#define X ENT_LABEL_CONFLICTUAL
#define N ENT_LABEL_NEUTRAL

static ent_tone *new_tone(void)
{
	ent_tone *t = NULL;
	ent_error err = ENT_ERROR_INIT;
	ent_tone_new(&t, &err);
	return t;
}

static const ent_tone_entry *find_actor(const ent_tone *t, const char *key)
{
	for (size_t i = 0; i < ent_tone_actor_count(t); i++)
		if (strcmp(ent_tone_actor(t, i)->key, key) == 0)
			return ent_tone_actor(t, i);
	return NULL;
}

static const ent_tone_entry *find_pair(const ent_tone *t, const char *key)
{
	for (size_t i = 0; i < ent_tone_pair_count(t); i++)
		if (strcmp(ent_tone_pair(t, i)->key, key) == 0)
			return ent_tone_pair(t, i);
	return NULL;
}

static int add(ent_tone *t, const char *a, const char *b, const char *c, int label, double coop, double conf)
{
	const char *codes[3];
	size_t n = 0;
	if (a)
		codes[n++] = a;
	if (b)
		codes[n++] = b;
	if (c)
		codes[n++] = c;
	const double probs[ENT_LABEL_COUNT] = {coop, conf, 1.0 - coop - conf};
	return ent_tone_add_sentence(t, codes, n, label, probs, NULL);
}

/*
 * Three sentences:
 *   1. CHN USA   cooperative  p = (0.8, 0.1, 0.1)
 *   2. CHN       conflictual  p = (0.2, 0.7, 0.1)
 *   3. USA RUS   neutral      p = (0.3, 0.3, 0.4)
 * CHN: |S| = 2, coop 1.0, conf 0.8 -> tone (1.0 - 0.8) / 2 = 0.1
 * USA: |S| = 2, coop 1.1, conf 0.4 -> tone 0.7 / 2 = 0.35
 * RUS: |S| = 1, coop 0.3, conf 0.3 -> tone 0
 * "CHN USA": 1 sentence, tone 0.8 - 0.1 = 0.7; "RUS USA": tone 0
 * overall: 3 sentences, coop 1.3, conf 1.1 -> tone 0.2 / 3
 */
static ent_tone *three_sentences(void)
{
	ent_tone *t = new_tone();
	if (t == NULL || add(t, "CHN", "USA", NULL, C, 0.8, 0.1) != ENT_OK ||
	    add(t, "CHN", NULL, NULL, X, 0.2, 0.7) || add(t, "USA", "RUS", NULL, N, 0.3, 0.3) != ENT_OK) {
		ent_tone_free(t);
		return NULL;
	}
	return t;
}

static void test_actor_sums_by_hand(void)
{
	ent_tone *t = three_sentences();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 3);
	const ent_tone_entry *chn = find_actor(t, "CHN");
	CU_ASSERT_PTR_NOT_NULL_FATAL(chn);
	CU_ASSERT_EQUAL(chn->sentences, 2);
	CU_ASSERT_EQUAL(chn->counts[C], 1);
	CU_ASSERT_EQUAL(chn->counts[X], 1);
	CU_ASSERT_EQUAL(chn->counts[N], 0);
	CU_ASSERT_EQUAL(chn->sum_cooperative, 1000000000LL);
	CU_ASSERT_EQUAL(chn->sum_conflictual, 800000000LL);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(chn), 0.1, 1e-12);
	const ent_tone_entry *usa = find_actor(t, "USA");
	CU_ASSERT_PTR_NOT_NULL_FATAL(usa);
	CU_ASSERT_EQUAL(usa->sentences, 2);
	CU_ASSERT_EQUAL(usa->sum_cooperative, 1100000000LL);
	CU_ASSERT_EQUAL(usa->sum_conflictual, 400000000LL);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(usa), 0.35, 1e-12);
	const ent_tone_entry *rus = find_actor(t, "RUS");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rus);
	CU_ASSERT_EQUAL(rus->sentences, 1);
	CU_ASSERT_EQUAL(rus->counts[N], 1);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(rus), 0.0, 1e-12);
	ent_tone_free(t);
}

static void test_pair_keys_sorted(void)
{
	ent_tone *t = three_sentences();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 2);
	const ent_tone_entry *p = find_pair(t, "CHN USA");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->sentences, 1);
	CU_ASSERT_EQUAL(p->counts[C], 1);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(p), 0.7, 1e-12);
	/* given as USA, RUS: stored as "RUS USA" */
	CU_ASSERT_PTR_NOT_NULL(find_pair(t, "RUS USA"));
	CU_ASSERT_PTR_NULL(find_pair(t, "USA RUS"));
	/* the same pair given the other way round adds to the same entry */
	CU_ASSERT_EQUAL(add(t, "USA", "CHN", NULL, X, 0.0, 1.0), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 2);
	p = find_pair(t, "CHN USA");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->sentences, 2);
	CU_ASSERT_EQUAL(p->sum_conflictual, 1100000000LL);
	/* (0.8 - 1.1) / 2 */
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(p), -0.15, 1e-12);
	ent_tone_free(t);
}

static void test_three_actors_three_pairs(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(add(t, "USA", "GBR", "FRA", C, 0.6, 0.2), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 3);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 3);
	CU_ASSERT_PTR_NOT_NULL(find_pair(t, "FRA GBR"));
	CU_ASSERT_PTR_NOT_NULL(find_pair(t, "FRA USA"));
	CU_ASSERT_PTR_NOT_NULL(find_pair(t, "GBR USA"));
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 1);
	ent_tone_free(t);
}

static void test_duplicate_codes_counted_once(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	/* "China ... Beijing ... Chinese": three mentions, one sentence */
	CU_ASSERT_EQUAL(add(t, "CHN", "CHN", "CHN", C, 0.9, 0.05), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 1);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 0); /* no "CHN CHN" */
	const ent_tone_entry *chn = find_actor(t, "CHN");
	CU_ASSERT_PTR_NOT_NULL_FATAL(chn);
	CU_ASSERT_EQUAL(chn->sentences, 1);
	CU_ASSERT_EQUAL(chn->sum_cooperative, 900000000LL);
	CU_ASSERT_EQUAL(chn->sum_conflictual, 50000000LL);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 1);

	CU_ASSERT_EQUAL(add(t, "USA", "CHN", "USA", X, 0.1, 0.8), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 1);
	const ent_tone_entry *usa = find_actor(t, "USA");
	CU_ASSERT_PTR_NOT_NULL_FATAL(usa);
	CU_ASSERT_EQUAL(usa->sentences, 1);
	CU_ASSERT_EQUAL(find_pair(t, "CHN USA")->sentences, 1);
	CU_ASSERT_EQUAL(find_actor(t, "CHN")->sentences, 2);
	ent_tone_free(t);
}

static void test_sentences_without_actors_excluded(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(add(t, NULL, NULL, NULL, X, 0.0, 1.0), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 0);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sum_conflictual, 0);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(ent_tone_overall(t)), 0.0, 0);
	/* empty codes do not count as actors either */
	CU_ASSERT_EQUAL(add(t, "", NULL, NULL, X, 0.0, 1.0), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 0);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 0);

	CU_ASSERT_EQUAL(add(t, "IND", NULL, NULL, C, 0.75, 0.25), ENT_OK);
	CU_ASSERT_EQUAL(add(t, NULL, NULL, NULL, X, 0.0, 1.0), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "PAK", "IND", NULL, X, 0.25, 0.5), ENT_OK);
	const ent_tone_entry *all = ent_tone_overall(t);
	CU_ASSERT_EQUAL(all->sentences, 2);
	CU_ASSERT_EQUAL(all->counts[C], 1);
	CU_ASSERT_EQUAL(all->counts[X], 1);
	CU_ASSERT_EQUAL(all->sum_cooperative, 1000000000LL);
	CU_ASSERT_EQUAL(all->sum_conflictual, 750000000LL);
	/* (1.0 - 0.75) / 2: the overall tone is over sentences, not actors */
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(all), 0.125, 1e-12);
	ent_tone_free(t);
}

static void test_overall_by_hand(void)
{
	ent_tone *t = three_sentences();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	const ent_tone_entry *all = ent_tone_overall(t);
	CU_ASSERT_EQUAL(all->sentences, 3);
	CU_ASSERT_EQUAL(all->counts[C], 1);
	CU_ASSERT_EQUAL(all->counts[X], 1);
	CU_ASSERT_EQUAL(all->counts[N], 1);
	CU_ASSERT_EQUAL(all->sum_cooperative, 1300000000LL);
	CU_ASSERT_EQUAL(all->sum_conflictual, 1100000000LL);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(all), 0.2 / 3.0, 1e-12);
	ent_tone_free(t);
}

static void test_order_by_volume_then_key(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(add(t, "ZAF", NULL, NULL, N, 0.3, 0.3), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "BRA", NULL, NULL, N, 0.3, 0.3), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "IND", NULL, NULL, N, 0.3, 0.3), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "IND", NULL, NULL, N, 0.3, 0.3), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_tone_actor_count(t), 3);
	CU_ASSERT_STRING_EQUAL(ent_tone_actor(t, 0)->key, "IND");
	CU_ASSERT_STRING_EQUAL(ent_tone_actor(t, 1)->key, "BRA");
	CU_ASSERT_STRING_EQUAL(ent_tone_actor(t, 2)->key, "ZAF");
	/* adding after reading keeps every sum with its key */
	CU_ASSERT_EQUAL(add(t, "ZAF", NULL, NULL, C, 0.9, 0.0), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "ZAF", NULL, NULL, C, 0.9, 0.0), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "BRA", NULL, NULL, N, 0.3, 0.3), ENT_OK);
	CU_ASSERT_STRING_EQUAL(ent_tone_actor(t, 0)->key, "ZAF");
	CU_ASSERT_EQUAL(ent_tone_actor(t, 0)->sentences, 3);
	CU_ASSERT_EQUAL(ent_tone_actor(t, 0)->sum_cooperative, 2100000000LL);
	CU_ASSERT_STRING_EQUAL(ent_tone_actor(t, 1)->key, "BRA");
	CU_ASSERT_EQUAL(ent_tone_actor(t, 1)->sentences, 2);
	CU_ASSERT_STRING_EQUAL(ent_tone_actor(t, 2)->key, "IND");
	CU_ASSERT_EQUAL(ent_tone_actor(t, 2)->sentences, 2);
	ent_tone_free(t);
}

/* A reproducible stream of sentences: codes and probabilities. */
typedef struct sentence {
	const char *codes[3];
	size_t n;
	int label;
	double probs[ENT_LABEL_COUNT];
} sentence;

static const char *const pool[] = {"CHN", "USA", "RUS", "UKR", "FRA", "DEU", "IRN", "ISR", "JPN"};

static void make_sentences(sentence *s, size_t count)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < count; i++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t r = state >> 11;
		s[i].n = (size_t)(r % 4); /* 0..3 codes, sometimes repeated */
		for (size_t k = 0; k < s[i].n; k++)
			s[i].codes[k] = pool[(r >> (8 + 4 * k)) % 9];
		double a = (double)((r >> 24) % 1000003) / 1000003.0;
		double b = (double)((r >> 44) % 999983) / 999983.0 * (1.0 - a);
		s[i].probs[0] = a;
		s[i].probs[1] = b;
		s[i].probs[2] = 1.0 - a - b;
		s[i].label = a >= b && a >= s[i].probs[2] ? C : b >= s[i].probs[2] ? X : N;
	}
}

static int same_entry(const ent_tone_entry *a, const ent_tone_entry *b)
{
	return strcmp(a->key, b->key) == 0 && a->sentences == b->sentences && a->counts[0] == b->counts[0] &&
	       a->counts[1] == b->counts[1] && a->counts[2] == b->counts[2] &&
	       a->sum_cooperative == b->sum_cooperative && a->sum_conflictual == b->sum_conflictual;
}

static void test_merge_equals_single_run(void)
{
	enum { COUNT = 500 };
	static sentence s[COUNT];
	make_sentences(s, COUNT);
	ent_tone *all = new_tone(), *shard[3] = {new_tone(), new_tone(), new_tone()};
	CU_ASSERT_FATAL(all && shard[0] && shard[1] && shard[2]);
	ent_error err = ENT_ERROR_INIT;
	int64_t coop_units = 0;
	uint64_t with_actors = 0;
	for (size_t i = 0; i < COUNT; i++) {
		CU_ASSERT_EQUAL(ent_tone_add_sentence(all, s[i].codes, s[i].n, s[i].label, s[i].probs, &err),
		                ENT_OK);
		CU_ASSERT_EQUAL(ent_tone_add_sentence(shard[(i * 7) % 3], s[i].codes, s[i].n, s[i].label,
		                                      s[i].probs, &err),
		                ENT_OK);
		if (s[i].n > 0) {
			coop_units += ent_tone_units(s[i].probs[0]);
			with_actors++;
		}
	}
	/* merge in another order than the sentences came */
	ent_tone *merged = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(merged);
	CU_ASSERT_EQUAL(ent_tone_merge(merged, shard[2], &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_merge(merged, shard[0], &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_merge(merged, shard[1], &err), ENT_OK);

	CU_ASSERT(with_actors > 100);
	CU_ASSERT_EQUAL(ent_tone_overall(all)->sentences, with_actors);
	CU_ASSERT_EQUAL(ent_tone_overall(all)->sum_cooperative, coop_units);
	CU_ASSERT(same_entry(ent_tone_overall(all), ent_tone_overall(merged)));
	CU_ASSERT_EQUAL_FATAL(ent_tone_actor_count(all), ent_tone_actor_count(merged));
	CU_ASSERT_EQUAL_FATAL(ent_tone_pair_count(all), ent_tone_pair_count(merged));
	CU_ASSERT(ent_tone_pair_count(all) > 10);
	for (size_t i = 0; i < ent_tone_actor_count(all); i++)
		CU_ASSERT(same_entry(ent_tone_actor(all, i), ent_tone_actor(merged, i)));
	for (size_t i = 0; i < ent_tone_pair_count(all); i++)
		CU_ASSERT(same_entry(ent_tone_pair(all, i), ent_tone_pair(merged, i)));
	/* and the tone values are then bit-identical */
	CU_ASSERT_EQUAL(ent_tone_value(ent_tone_overall(all)), ent_tone_value(ent_tone_overall(merged)));

	/* merging into a tone that already has sums adds to them */
	CU_ASSERT_EQUAL(ent_tone_merge(merged, all, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_overall(merged)->sentences, 2 * with_actors);
	CU_ASSERT_EQUAL(ent_tone_overall(merged)->sum_cooperative, 2 * coop_units);
	CU_ASSERT_EQUAL(ent_tone_actor(merged, 0)->sentences, 2 * ent_tone_actor(all, 0)->sentences);
	ent_tone_free(merged);
	for (int k = 0; k < 3; k++)
		ent_tone_free(shard[k]);
	ent_tone_free(all);
}

static void test_add_entry_kinds(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	ent_tone_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.key, sizeof e.key, "CHN");
	e.sentences = 4;
	e.counts[C] = 3;
	e.counts[N] = 1;
	e.sum_cooperative = 2500000000LL;
	e.sum_conflictual = 500000000LL;
	CU_ASSERT_EQUAL(ent_tone_add_entry(t, &e, ENT_TONE_ACTOR, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_add_entry(t, &e, ENT_TONE_ACTOR, NULL), ENT_OK);
	snprintf(e.key, sizeof e.key, "CHN USA");
	CU_ASSERT_EQUAL(ent_tone_add_entry(t, &e, ENT_TONE_PAIR, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_add_entry(t, &e, ENT_TONE_OVERALL, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 1);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 1);
	const ent_tone_entry *chn = find_actor(t, "CHN");
	CU_ASSERT_PTR_NOT_NULL_FATAL(chn);
	CU_ASSERT_EQUAL(chn->sentences, 8);
	CU_ASSERT_EQUAL(chn->counts[C], 6);
	CU_ASSERT_EQUAL(chn->sum_cooperative, 5000000000LL);
	/* (5.0 - 1.0) / 8 */
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(chn), 0.5, 1e-12);
	CU_ASSERT_EQUAL(find_pair(t, "CHN USA")->sentences, 4);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 4);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sum_conflictual, 500000000LL);
	ent_tone_free(t);
}

static void test_tone_value_range(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(add(t, "AAA", NULL, NULL, C, 1.0, 0.0), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "BBB", NULL, NULL, X, 0.0, 1.0), ENT_OK);
	CU_ASSERT_EQUAL(add(t, "CCC", NULL, NULL, N, 0.0, 0.0), ENT_OK);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(find_actor(t, "AAA")), 1.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(find_actor(t, "BBB")), -1.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(find_actor(t, "CCC")), 0.0, 0);
	ent_tone_entry empty;
	memset(&empty, 0, sizeof empty);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_value(&empty), 0.0, 0);
	ent_tone_free(t);

	enum { COUNT = 400 };
	static sentence s[COUNT];
	make_sentences(s, COUNT);
	t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (size_t i = 0; i < COUNT; i++)
		CU_ASSERT_EQUAL(ent_tone_add_sentence(t, s[i].codes, s[i].n, s[i].label, s[i].probs, NULL),
		                ENT_OK);
	for (size_t i = 0; i < ent_tone_actor_count(t); i++) {
		double v = ent_tone_value(ent_tone_actor(t, i));
		CU_ASSERT(v >= -1.0 && v <= 1.0);
	}
	for (size_t i = 0; i < ent_tone_pair_count(t); i++) {
		double v = ent_tone_value(ent_tone_pair(t, i));
		CU_ASSERT(v >= -1.0 && v <= 1.0);
	}
	ent_tone_free(t);
}

static void test_units(void)
{
	CU_ASSERT_EQUAL(ent_tone_units(0.0), 0);
	CU_ASSERT_EQUAL(ent_tone_units(1.0), ENT_TONE_SCALE);
	CU_ASSERT_EQUAL(ent_tone_units(0.1234567894), 123456789);
	CU_ASSERT_EQUAL(ent_tone_units(0.1234567896), 123456790);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_sum(2500000000LL), 2.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(ent_tone_sum(-1), -1e-9, 1e-24);
	/* ten sentences of 0.1 sum to exactly 1 in units */
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(add(t, "NOR", NULL, NULL, N, 0.1, 0.1), ENT_OK);
	CU_ASSERT_EQUAL(find_actor(t, "NOR")->sum_cooperative, ENT_TONE_SCALE);
	ent_tone_free(t);
}

static void test_clear(void)
{
	ent_tone *t = three_sentences();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT(ent_tone_actor_count(t) > 0);
	ent_tone_clear(t);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 0);
	CU_ASSERT_EQUAL(ent_tone_pair_count(t), 0);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 0);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sum_cooperative, 0);
	/* usable again, with fresh sums */
	CU_ASSERT_EQUAL(add(t, "CHN", NULL, NULL, C, 0.5, 0.25), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 1);
	CU_ASSERT_EQUAL(find_actor(t, "CHN")->sentences, 1);
	CU_ASSERT_EQUAL(find_actor(t, "CHN")->sum_cooperative, 500000000LL);
	CU_ASSERT_PTR_NULL(find_actor(t, "USA"));
	ent_tone_free(t);
	ent_tone_free(NULL);
}

static void test_invalid_label_rejected(void)
{
	ent_tone *t = new_tone();
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	ent_error err = ENT_ERROR_INIT;
	const char *codes[] = {"CHN"};
	const double probs[ENT_LABEL_COUNT] = {0.2, 0.3, 0.5};
	CU_ASSERT_EQUAL(ent_tone_add_sentence(t, codes, 1, ENT_LABEL_COUNT, probs, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_tone_add_sentence(t, codes, 1, -1, probs, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_tone_actor_count(t), 0);
	CU_ASSERT_EQUAL(ent_tone_overall(t)->sentences, 0);
	ent_tone_free(t);
}

ENT_TEST_MAIN("tone", ENT_TEST(test_actor_sums_by_hand), ENT_TEST(test_pair_keys_sorted),
              ENT_TEST(test_three_actors_three_pairs), ENT_TEST(test_duplicate_codes_counted_once),
              ENT_TEST(test_sentences_without_actors_excluded), ENT_TEST(test_overall_by_hand),
              ENT_TEST(test_order_by_volume_then_key), ENT_TEST(test_merge_equals_single_run),
              ENT_TEST(test_add_entry_kinds), ENT_TEST(test_tone_value_range), ENT_TEST(test_units),
              ENT_TEST(test_clear), ENT_TEST(test_invalid_label_rejected))
