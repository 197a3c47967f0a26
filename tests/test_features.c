/* CUnit suite for features: terms, negation scope, actor masking, the
 * vocabulary with smooth idf, and tf-idf L2-normalized sparse vectors. */
#include "entente/features.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/features_internal.h"
#include "entente/text.h"
#include "util/test_util.h"

/* Options with everything off except what a test turns on. */
static ent_feature_options plain_options(int ngram_min, int ngram_max)
{
	ent_feature_options o = ENT_FEATURE_OPTIONS_INIT;
	o.ngram_min = ngram_min;
	o.ngram_max = ngram_max;
	o.min_df = 1;
	o.negation = 0;
	o.mask_actors = 0;
	o.stem = 0;
	o.sublinear_tf = 0;
	return o;
}

/* Tokenizes one sentence and runs the extractor on it (marks may be NULL). */
static int run_sentence(ent_text *t, ent_extractor *x, const char *s, const unsigned char *marks)
{
	ent_error err = ENT_ERROR_INIT;
	if (ent_text_analyze(t, s, strlen(s), ENT_TEXT_SENTENCE, &err) != ENT_OK)
		return -1;
	size_t count = 0;
	const ent_token *tokens = ent_text_sentence_count(t) ? ent_text_tokens(t, 0, &count) : NULL;
	return ent_extractor_run(x, tokens, count, marks, &err);
}

/* Number of tokens of the sentence last analysed. */
static size_t token_count(const ent_text *t)
{
	size_t count = 0;
	if (ent_text_sentence_count(t))
		ent_text_tokens(t, 0, &count);
	return count;
}

/* How many of the extractor's terms equal term. */
static size_t term_occurrences(const ent_extractor *x, const char *term)
{
	size_t hits = 0;
	for (size_t i = 0; i < ent_extractor_term_count(x); i++) {
		size_t len;
		const char *s = ent_extractor_term(x, i, &len);
		if (len == strlen(term) && memcmp(s, term, len) == 0)
			hits++;
	}
	return hits;
}

/* How many terms start with prefix. */
static size_t terms_with_prefix(const ent_extractor *x, const char *prefix)
{
	size_t hits = 0;
	for (size_t i = 0; i < ent_extractor_term_count(x); i++)
		if (strncmp(ent_extractor_term(x, i, NULL), prefix, strlen(prefix)) == 0)
			hits++;
	return hits;
}

typedef struct fixture {
	ent_text *text;
	ent_extractor *x;
} fixture;

static int fixture_open(fixture *f, const ent_feature_options *o)
{
	ent_error err = ENT_ERROR_INIT;
	f->text = NULL;
	f->x = NULL;
	if (ent_text_new(&f->text, &err) != ENT_OK)
		return -1;
	return ent_extractor_new(&f->x, o, &err);
}

static void fixture_close(fixture *f)
{
	ent_extractor_free(f->x);
	ent_text_free(f->text);
}

/* A corpus of the given sentences, extracted with o. */
static ent_corpus *make_corpus(const ent_feature_options *o, const char *const *sentences, size_t n)
{
	fixture f;
	ent_corpus *c = NULL;
	ent_error err = ENT_ERROR_INIT;
	if (fixture_open(&f, o) != ENT_OK || ent_corpus_new(&c, &err) != ENT_OK)
		goto done;
	for (size_t i = 0; i < n; i++)
		if (run_sentence(f.text, f.x, sentences[i], NULL) != ENT_OK ||
		    ent_corpus_add(c, f.x, &err) != ENT_OK) {
			ent_corpus_free(c);
			c = NULL;
			break;
		}
done:
	fixture_close(&f);
	return c;
}

/* Same length, indices and bit-identical values (padding ignored). */
static int same_vector(const ent_vector *a, const ent_vector *b)
{
	if (a->len != b->len)
		return 0;
	for (size_t i = 0; i <= a->len; i++)
		if (a->nodes[i].index != b->nodes[i].index ||
		    memcmp(&a->nodes[i].value, &b->nodes[i].value, sizeof(double)) != 0)
			return 0;
	return 1;
}

/* ---- n-grams ---- */

static void test_ngram_range_counts(void)
{
	/* four tokens: 4 unigrams, 3 bigrams, 2 trigrams */
	const char *s = "alpha beta gamma delta";
	const int ranges[][3] = {{1, 1, 4}, {1, 2, 7}, {1, 3, 9}, {2, 2, 3}, {2, 3, 5}, {3, 3, 2}};
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
		ent_feature_options o = plain_options(ranges[r][0], ranges[r][1]);
		fixture f;
		CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
		CU_ASSERT_EQUAL(run_sentence(f.text, f.x, s, NULL), ENT_OK);
		CU_ASSERT_EQUAL(ent_extractor_term_count(f.x), (size_t)ranges[r][2]);
		fixture_close(&f);
	}
}

static void test_ngram_terms_joined_by_space(void)
{
	ent_feature_options o = plain_options(1, 3);
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "alpha beta gamma delta", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "alpha"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "alpha beta"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "beta gamma delta"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "alpha gamma"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "alpha beta gamma delta"), 0);
	fixture_close(&f);
}

static void test_sentence_shorter_than_ngram(void)
{
	ent_feature_options o = plain_options(3, 3);
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "alpha beta", NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_extractor_term_count(f.x), 0);
	CU_ASSERT_EQUAL(ent_extractor_run(f.x, NULL, 0, NULL, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_extractor_term_count(f.x), 0);
	fixture_close(&f);
}

/* ---- negation ---- */

static void test_negation_scope_ends_at_comma_and_but(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.negation = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(
	    run_sentence(f.text, f.x, "China did not condemn the attack, but praised the talks", NULL),
	    ENT_OK);
	/* inside the scope: from the word after "not" up to the comma */
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:condemn"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:the"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:attack"), 1);
	/* the cue itself and everything after the comma are plain */
	CU_ASSERT_EQUAL(term_occurrences(f.x, "not"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "did"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "praised"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "talks"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "the"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "condemn"), 0);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 3);
	fixture_close(&f);
}

static void test_negation_scope_closed_by_but_without_comma(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.negation = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "they never attacked but praised allies", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:attacked"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "but"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "praised"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "allies"), 1);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 1);
	fixture_close(&f);
}

static void test_negation_refused_to(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.negation = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Iran refused to sign the deal", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:sign"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:deal"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "refused"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "sign"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "iran"), 1);

	/* "refused" without "to" opens nothing; "agreed to" neither */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Iran refused the deal", NULL), ENT_OK);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 0);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Iran agreed to sign the deal", NULL), ENT_OK);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "sign"), 1);
	fixture_close(&f);
}

static void test_negation_contractions(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.negation = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Officials didn't criticize the plan", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:criticize"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:plan"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "criticize"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "officials"), 1);

	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Seoul won't attend", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:attend"), 1);
	/* a typographic apostrophe is unified with the ASCII one */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Tokyo doesn\xE2\x80\x99t object", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:object"), 1);
	fixture_close(&f);
}

static void test_negation_off_marks_nothing(void)
{
	ent_feature_options o = plain_options(1, 2);
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "China did not condemn the attack", NULL), ENT_OK);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "condemn"), 1);
	fixture_close(&f);
}

static void test_negation_in_ngrams(void)
{
	ent_feature_options o = plain_options(2, 2);
	o.negation = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "did not condemn attacks", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "did not"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "not neg:condemn"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:condemn neg:attacks"), 1);
	fixture_close(&f);
}

/* ---- actors and numbers ---- */

static void test_actor_masking_single_term(void)
{
	ent_feature_options o = plain_options(1, 2);
	o.mask_actors = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	const char *s = "the Democratic Republic of the Congo condemned raids";
	const unsigned char marks[] = {ENT_MARK_NONE,         ENT_MARK_ACTOR_START,  ENT_MARK_ACTOR_INSIDE,
	                               ENT_MARK_ACTOR_INSIDE, ENT_MARK_ACTOR_INSIDE, ENT_MARK_ACTOR_INSIDE,
	                               ENT_MARK_NONE,         ENT_MARK_NONE};
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, s, marks), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(token_count(f.text), sizeof marks);
	/* 4 unigrams (the <actor> condemned raids) and 3 bigrams */
	CU_ASSERT_EQUAL(ent_extractor_term_count(f.x), 7);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<actor>"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "the <actor>"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<actor> condemned"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "congo"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "democratic"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "the"), 1);

	/* two actors next to each other stay two placeholders */
	const unsigned char two[] = {ENT_MARK_ACTOR_START, ENT_MARK_ACTOR_START, ENT_MARK_NONE};
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "China Japan talks", two), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<actor>"), 2);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<actor> <actor>"), 1);
	fixture_close(&f);
}

static void test_actor_marks_ignored_without_masking(void)
{
	ent_feature_options o = plain_options(1, 1);
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	const unsigned char marks[] = {ENT_MARK_ACTOR_START, ENT_MARK_ACTOR_INSIDE, ENT_MARK_NONE};
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "South Korea protested", marks), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<actor>"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "south"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "korea"), 1);
	/* and NULL marks mean no actors even with masking on */
	ent_feature_options m = plain_options(1, 1);
	m.mask_actors = 1;
	fixture g;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&g, &m), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(g.text, g.x, "South Korea protested", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(g.x, "<actor>"), 0);
	CU_ASSERT_EQUAL(ent_extractor_term_count(g.x), 3);
	fixture_close(&g);
	fixture_close(&f);
}

static void test_numbers_become_placeholder(void)
{
	ent_feature_options o = plain_options(1, 1);
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "3,000 troops and 2.5 tanks in 2024", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<num>"), 3);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "3,000"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "2.5"), 0);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "troops"), 1);
	fixture_close(&f);
}

/* ---- stemming ---- */

static void test_stemming_on_and_off(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.stem = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "condemned condemns", NULL), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_extractor_term_count(f.x), 2);
	CU_ASSERT_STRING_EQUAL(ent_extractor_term(f.x, 0, NULL), ent_extractor_term(f.x, 1, NULL));
	CU_ASSERT_STRING_EQUAL(ent_extractor_term(f.x, 0, NULL), "condemn");
	/* the stem cache gives the same answer the second time */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "condemns", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "condemn"), 1);
	fixture_close(&f);

	o.stem = 0;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "condemned condemns", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "condemned"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "condemns"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "condemn"), 0);
	fixture_close(&f);
}

static void test_stemming_keeps_placeholders_and_negation(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.stem = 1;
	o.negation = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "they did not condemn 40 attacks", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:condemn"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:<num>"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:attack"), 1);
	fixture_close(&f);
}

/* ---- vocabulary ---- */

static void test_min_df_filters_terms(void)
{
	ent_feature_options o = plain_options(1, 1);
	const char *docs[] = {"alpha beta", "alpha gamma", "alpha beta delta", "epsilon"};
	ent_corpus *c = make_corpus(&o, docs, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(ent_corpus_documents(c), 4);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;

	o.min_df = 1;
	CU_ASSERT_EQUAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_dimension(f), 5);
	ent_features_free(f);

	o.min_df = 2; /* alpha (3) and beta (2) */
	CU_ASSERT_EQUAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_features_dimension(f), 2);
	CU_ASSERT_STRING_EQUAL(ent_features_term(f, 0), "alpha");
	CU_ASSERT_STRING_EQUAL(ent_features_term(f, 1), "beta");
	CU_ASSERT_EQUAL(ent_features_lookup(f, "alpha", 5), 1);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "beta", 4), 2);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "gamma", 5), 0);
	CU_ASSERT_EQUAL(ent_features_options(f)->min_df, 2);
	ent_features_free(f);

	o.min_df = 3;
	CU_ASSERT_EQUAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_dimension(f), 1);
	ent_features_free(f);

	/* df counts documents, not occurrences: "zeta" repeated in one document */
	const char *repeat[] = {"zeta zeta zeta", "eta"};
	ent_corpus *c2 = make_corpus(&o, repeat, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c2);
	o.min_df = 2;
	CU_ASSERT_EQUAL(ent_features_build(&f, c2, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_dimension(f), 0);
	ent_features_free(f);
	ent_corpus_free(c2);
	ent_corpus_free(c);
}

static void test_min_df_over_document_subset(void)
{
	ent_feature_options o = plain_options(1, 1);
	const char *docs[] = {"alpha beta", "alpha gamma", "beta gamma", "beta delta"};
	ent_corpus *c = make_corpus(&o, docs, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	o.min_df = 2;
	const size_t subset[] = {0, 1};
	CU_ASSERT_EQUAL(ent_features_build(&f, c, subset, 2, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_features_dimension(f), 1);
	CU_ASSERT_STRING_EQUAL(ent_features_term(f, 0), "alpha");
	ent_features_free(f);
	const size_t others[] = {2, 3};
	CU_ASSERT_EQUAL(ent_features_build(&f, c, others, 2, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_features_dimension(f), 1);
	CU_ASSERT_STRING_EQUAL(ent_features_term(f, 0), "beta");
	ent_features_free(f);
	ent_corpus_free(c);
}

static void test_idf_formula(void)
{
	ent_feature_options o = plain_options(1, 1);
	const char *docs[] = {"alpha beta", "alpha gamma", "alpha beta delta"};
	ent_corpus *c = make_corpus(&o, docs, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_features_dimension(f), 4);
	/* n = 3: idf = ln((1 + 3) / (1 + df)) + 1 */
	const char *terms[] = {"alpha", "beta", "delta", "gamma"};
	const double expect[] = {1.0, log(4.0 / 3.0) + 1.0, log(2.0) + 1.0, log(2.0) + 1.0};
	for (size_t i = 0; i < 4; i++) {
		CU_ASSERT_STRING_EQUAL(ent_features_term(f, i), terms[i]);
		CU_ASSERT_DOUBLE_EQUAL(ent_features_idf(f, i), expect[i], 1e-14);
	}
	CU_ASSERT_DOUBLE_EQUAL(ent_features_idf(f, 1), 1.2876820724517809, 1e-14);
	ent_features_free(f);

	/* over documents {0, 1}: n = 2, beta df 1 -> ln(3/2) + 1, delta absent */
	const size_t subset[] = {0, 1};
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, subset, 2, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_features_dimension(f), 3);
	int beta = ent_features_lookup(f, "beta", 4);
	CU_ASSERT_EQUAL_FATAL(beta, 2);
	CU_ASSERT_DOUBLE_EQUAL(ent_features_idf(f, (size_t)beta - 1), log(1.5) + 1.0, 1e-14);
	CU_ASSERT_DOUBLE_EQUAL(ent_features_idf(f, 0), 1.0, 1e-14);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "delta", 5), 0);
	ent_features_free(f);
	ent_corpus_free(c);
}

static void test_vocabulary_sorted_bytewise(void)
{
	ent_feature_options o = plain_options(1, 2);
	o.negation = 1;
	const char *docs[] = {"zulu did not attack", "Zürich and zebra met 12 envoys",
	                      "émigrés and Alpha talked", "\xC3\xA9t\xC3\xA9 zulu alpha"};
	ent_corpus *c = make_corpus(&o, docs, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	size_t n = ent_features_dimension(f);
	CU_ASSERT_FATAL(n > 10);
	for (size_t i = 0; i + 1 < n; i++)
		CU_ASSERT(strcmp(ent_features_term(f, i), ent_features_term(f, i + 1)) < 0);
	for (size_t i = 0; i < n; i++) {
		const char *t = ent_features_term(f, i);
		CU_ASSERT_EQUAL(ent_features_lookup(f, t, strlen(t)), (int)(i + 1));
	}
	/* '<' sorts before letters, multi-byte UTF-8 after ASCII */
	CU_ASSERT_STRING_EQUAL(ent_features_term(f, 0), "<num>");
	CU_ASSERT_EQUAL((unsigned char)ent_features_term(f, n - 1)[0] >= 0x80, 1);
	ent_features_free(f);
	ent_corpus_free(c);
}

/* ---- vectors ---- */

static void check_vector_shape(const ent_vector *v)
{
	double norm = 0;
	for (size_t i = 0; i < v->len; i++) {
		CU_ASSERT(v->nodes[i].index >= 1);
		if (i > 0)
			CU_ASSERT(v->nodes[i].index > v->nodes[i - 1].index);
		norm += v->nodes[i].value * v->nodes[i].value;
	}
	CU_ASSERT_EQUAL(v->nodes[v->len].index, -1);
	if (v->len > 0)
		CU_ASSERT_DOUBLE_EQUAL(sqrt(norm), 1.0, 1e-12);
}

static void test_vectors_sorted_terminated_unit_norm(void)
{
	ent_feature_options o = plain_options(1, 2);
	const char *docs[] = {"zulu yankee xray whiskey", "victor zulu uniform", "tango sierra zulu yankee",
	                      "zulu zulu romeo"};
	ent_corpus *c = make_corpus(&o, docs, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	ent_vector v = ENT_VECTOR_INIT;
	for (size_t d = 0; d < 4; d++) {
		CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, d, &v, &err), ENT_OK);
		CU_ASSERT(v.len > 0);
		check_vector_shape(&v);
	}
	/* the same through the extractor */
	fixture fx;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&fx, &o), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(fx.text, fx.x, "yankee zulu tango whiskey romeo zulu", NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, fx.x, &v, &err), ENT_OK);
	CU_ASSERT(v.len >= 5);
	check_vector_shape(&v);
	CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, 4, &v, &err), ENT_EPARAM);
	fixture_close(&fx);
	ent_vector_release(&v);
	CU_ASSERT_PTR_NULL(v.nodes);
	ent_features_free(f);
	ent_corpus_free(c);
}

static void test_tf_idf_values(void)
{
	ent_feature_options o = plain_options(1, 1);
	/* n = 2; alpha df 2 -> idf 1; beta df 1 -> idf ln(3/2) + 1 */
	const char *docs[] = {"alpha alpha beta", "alpha"};
	ent_corpus *c = make_corpus(&o, docs, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	ent_vector v = ENT_VECTOR_INIT;
	double idf_beta = log(1.5) + 1.0;

	/* raw tf: alpha 2 * 1, beta 1 * idf_beta */
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, 0, &v, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(v.len, 2);
	double norm = sqrt(4.0 + idf_beta * idf_beta);
	CU_ASSERT_EQUAL(v.nodes[0].index, 1);
	CU_ASSERT_DOUBLE_EQUAL(v.nodes[0].value, 2.0 / norm, 1e-14);
	CU_ASSERT_EQUAL(v.nodes[1].index, 2);
	CU_ASSERT_DOUBLE_EQUAL(v.nodes[1].value, idf_beta / norm, 1e-14);
	ent_features_free(f);

	/* sublinear tf: alpha 1 + ln 2 */
	o.sublinear_tf = 1;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, 0, &v, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(v.len, 2);
	double a = 1.0 + log(2.0);
	norm = sqrt(a * a + idf_beta * idf_beta);
	CU_ASSERT_DOUBLE_EQUAL(v.nodes[0].value, a / norm, 1e-14);
	CU_ASSERT_DOUBLE_EQUAL(v.nodes[1].value, idf_beta / norm, 1e-14);
	/* a single term is 1 whatever its weight */
	CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, 1, &v, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(v.len, 1);
	CU_ASSERT_DOUBLE_EQUAL(v.nodes[0].value, 1.0, 1e-14);
	ent_features_free(f);
	ent_vector_release(&v);
	ent_corpus_free(c);
}

static void test_vectorize_deterministic(void)
{
	ent_feature_options o = ENT_FEATURE_OPTIONS_INIT;
	o.min_df = 1;
	const char *docs[] = {"China praised the new trade agreement with Japan",
	                      "Russia condemned the missile attack and threatened sanctions",
	                      "The weather office reported rain in the capital"};
	ent_corpus *c = make_corpus(&o, docs, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	fixture a, b;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&a, &o), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(fixture_open(&b, &o), ENT_OK);
	ent_vector v1 = ENT_VECTOR_INIT, v2 = ENT_VECTOR_INIT, v3 = ENT_VECTOR_INIT;
	const char *s = "Russia praised the trade agreement and condemned the attack";
	CU_ASSERT_EQUAL(run_sentence(a.text, a.x, s, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, a.x, &v1, &err), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(a.text, a.x, "something else entirely", NULL), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(a.text, a.x, s, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, a.x, &v2, &err), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(b.text, b.x, s, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, b.x, &v3, &err), ENT_OK);
	CU_ASSERT(v1.len > 3);
	CU_ASSERT_EQUAL_FATAL(v1.len, v2.len);
	CU_ASSERT_EQUAL_FATAL(v1.len, v3.len);
	for (size_t i = 0; i <= v1.len; i++) {
		CU_ASSERT_EQUAL(v1.nodes[i].index, v2.nodes[i].index);
		CU_ASSERT_EQUAL(v1.nodes[i].index, v3.nodes[i].index);
		CU_ASSERT(memcmp(&v1.nodes[i].value, &v2.nodes[i].value, sizeof(double)) == 0);
		CU_ASSERT(memcmp(&v1.nodes[i].value, &v3.nodes[i].value, sizeof(double)) == 0);
	}
	/* the corpus document and the fresh extraction agree too */
	CU_ASSERT_EQUAL(run_sentence(a.text, a.x, docs[1], NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, a.x, &v1, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, 1, &v2, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(v1.len, v2.len);
	CU_ASSERT(same_vector(&v1, &v2));

	/* vocabulary built twice is identical */
	ent_features *g = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&g, c, NULL, 0, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_features_dimension(f), ent_features_dimension(g));
	for (size_t i = 0; i < ent_features_dimension(f); i++) {
		CU_ASSERT_STRING_EQUAL(ent_features_term(f, i), ent_features_term(g, i));
		CU_ASSERT_EQUAL(ent_features_idf(f, i), ent_features_idf(g, i));
	}
	ent_features_free(g);
	ent_vector_release(&v1);
	ent_vector_release(&v2);
	ent_vector_release(&v3);
	fixture_close(&a);
	fixture_close(&b);
	ent_features_free(f);
	ent_corpus_free(c);
}

static void test_unknown_terms_ignored(void)
{
	ent_feature_options o = plain_options(1, 1);
	const char *docs[] = {"alpha beta", "beta gamma"};
	ent_corpus *c = make_corpus(&o, docs, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	fixture fx;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&fx, &o), ENT_OK);
	ent_vector known = ENT_VECTOR_INIT, mixed = ENT_VECTOR_INIT;
	CU_ASSERT_EQUAL(run_sentence(fx.text, fx.x, "alpha gamma", NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, fx.x, &known, &err), ENT_OK);
	CU_ASSERT_EQUAL(run_sentence(fx.text, fx.x, "omega alpha psi gamma chi", NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, fx.x, &mixed, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(known.len, 2);
	CU_ASSERT_EQUAL_FATAL(mixed.len, 2);
	CU_ASSERT(same_vector(&known, &mixed));
	/* nothing known: an empty, terminated vector */
	CU_ASSERT_EQUAL(run_sentence(fx.text, fx.x, "omega psi chi", NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, fx.x, &mixed, &err), ENT_OK);
	CU_ASSERT_EQUAL(mixed.len, 0);
	CU_ASSERT_EQUAL(mixed.nodes[0].index, -1);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "omega", 5), 0);
	ent_vector_release(&known);
	ent_vector_release(&mixed);
	fixture_close(&fx);
	ent_features_free(f);
	ent_corpus_free(c);
}

static void test_vector_copy(void)
{
	ent_feature_options o = plain_options(1, 1);
	const char *docs[] = {"alpha beta gamma"};
	ent_corpus *c = make_corpus(&o, docs, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, &o, &err), ENT_OK);
	ent_vector v = ENT_VECTOR_INIT, copy = ENT_VECTOR_INIT;
	CU_ASSERT_EQUAL(ent_features_vectorize_document(f, c, 0, &v, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_vector_copy(&copy, &v, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(copy.len, 3);
	CU_ASSERT(copy.nodes != v.nodes);
	CU_ASSERT(same_vector(&copy, &v));
	v.nodes[0].value = 42;
	CU_ASSERT(copy.nodes[0].value != 42);
	ent_vector_release(&v);
	ent_vector_release(&copy);
	ent_features_free(f);
	ent_corpus_free(c);
}

static void test_features_from_terms(void)
{
	ent_feature_options o = plain_options(1, 2);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	const char *terms[] = {"alpha", "alpha beta", "beta"};
	const double idf[] = {1.0, 2.5, 1.5};
	CU_ASSERT_EQUAL_FATAL(ent_features_from_terms(&f, &o, terms, idf, 3, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_features_dimension(f), 3);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "alpha beta", 10), 2);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "alpha", 4), 0); /* "alph" */
	CU_ASSERT_DOUBLE_EQUAL(ent_features_idf(f, 1), 2.5, 0);
	CU_ASSERT_EQUAL(ent_features_options(f)->ngram_max, 2);
	ent_features_free(f);

	const char *dup[] = {"alpha", "alpha"};
	CU_ASSERT_EQUAL(ent_features_from_terms(&f, &o, dup, idf, 2, &err), ENT_EFORMAT);
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "duplicate"));
	ent_features_free(NULL);
}

static void test_option_validation(void)
{
	struct {
		int ngram_min, ngram_max, min_df;
		const char *needle;
	} bad[] = {{0, 1, 1, "n-gram"},
	           {1, 4, 1, "n-gram"},
	           {3, 2, 1, "n-gram"},
	           {-1, 2, 1, "n-gram"},
	           {1, 2, 0, "document frequency"},
	           {1, 2, -5, "document frequency"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ent_feature_options o = ENT_FEATURE_OPTIONS_INIT;
		o.ngram_min = bad[i].ngram_min;
		o.ngram_max = bad[i].ngram_max;
		o.min_df = bad[i].min_df;
		ent_error err = ENT_ERROR_INIT;
		CU_ASSERT_EQUAL(ent_feature_options_check(&o, &err), ENT_EPARAM);
		CU_ASSERT_EQUAL(err.code, ENT_EPARAM);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, bad[i].needle));
		ent_extractor *x = (ent_extractor *)&err; /* must be reset to NULL */
		CU_ASSERT_EQUAL(ent_extractor_new(&x, &o, NULL), ENT_EPARAM);
		CU_ASSERT_PTR_NULL(x);
		ent_corpus *c = NULL;
		CU_ASSERT_EQUAL_FATAL(ent_corpus_new(&c, NULL), ENT_OK);
		ent_features *f = (ent_features *)&err;
		CU_ASSERT_EQUAL(ent_features_build(&f, c, NULL, 0, &o, NULL), ENT_EPARAM);
		CU_ASSERT_PTR_NULL(f);
		ent_corpus_free(c);
	}
	ent_feature_options good = ENT_FEATURE_OPTIONS_INIT;
	CU_ASSERT_EQUAL(ent_feature_options_check(&good, NULL), ENT_OK);
	good.ngram_min = 3;
	good.ngram_max = 3;
	CU_ASSERT_EQUAL(ent_feature_options_check(&good, NULL), ENT_OK);
}

/* ---- the fast paths against the spelled-out terms ---- */

static int compare_indices(const void *a, const void *b)
{
	int ia = ((const struct svm_node *)a)->index, ib = ((const struct svm_node *)b)->index;
	return (ia > ib) - (ia < ib);
}

/* The vector of an unbound extractor's last run, computed the plain way:
 * every term string looked up, counted, sorted by index, weighted with
 * 1 + ln tf (the log taken even for tf = 1) and divided by the L2 norm. */
static void reference_vector(const ent_features *f, const ent_extractor *x, ent_vector *out)
{
	size_t count = ent_extractor_term_count(x), n = 0;
	ent_vector_release(out);
	out->nodes = malloc((count + 1) * sizeof *out->nodes);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out->nodes);
	out->cap = count + 1;
	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *term = ent_extractor_term(x, i, &len);
		int index = ent_features_lookup(f, term, len);
		size_t k = 0;
		while (k < n && out->nodes[k].index != index)
			k++;
		if (index == 0)
			continue;
		if (k < n)
			out->nodes[k].value += 1.0;
		else
			out->nodes[n++] = (struct svm_node){index, 1.0};
	}
	qsort(out->nodes, n, sizeof *out->nodes, compare_indices);
	double norm = 0.0;
	for (size_t i = 0; i < n; i++) {
		double tf = out->nodes[i].value;
		if (ent_features_options(f)->sublinear_tf)
			tf = 1.0 + log(tf);
		out->nodes[i].value = tf * ent_features_idf(f, (size_t)out->nodes[i].index - 1);
		norm += out->nodes[i].value * out->nodes[i].value;
	}
	for (size_t i = 0; norm > 0.0 && i < n; i++)
		out->nodes[i].value /= sqrt(norm);
	out->nodes[n] = (struct svm_node){-1, 0.0};
	out->len = n;
}

/* An unbound extractor, one bound to f and one bound to other (may be f). */
typedef struct trio {
	ent_extractor *plain, *bound, *elsewhere;
} trio;

static void trio_open(trio *t, const ent_feature_options *o, const ent_features *f, const ent_features *other)
{
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_extractor_new(&t->plain, o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_extractor_new(&t->bound, o, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_extractor_new(&t->elsewhere, o, &err), ENT_OK);
	ent_extractor_bind(t->bound, f);
	ent_extractor_bind(t->elsewhere, other);
}

static void trio_close(trio *t)
{
	ent_extractor_free(t->plain);
	ent_extractor_free(t->bound);
	ent_extractor_free(t->elsewhere);
}

/* Runs the three extractors on tokens and checks that every way of
 * vectorizing gives the reference bit for bit; returns the vector length. */
static size_t check_paths(const ent_features *f, trio *t, const ent_token *tokens, size_t count,
                          const unsigned char *marks)
{
	ent_error err = ENT_ERROR_INIT;
	ent_vector ref = ENT_VECTOR_INIT, v = ENT_VECTOR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_extractor_run(t->plain, tokens, count, marks, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_extractor_run(t->bound, tokens, count, marks, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_extractor_run(t->elsewhere, tokens, count, marks, &err), ENT_OK);
	reference_vector(f, t->plain, &ref);
	CU_ASSERT_EQUAL(ent_features_vectorize(f, t->plain, &v, &err), ENT_OK);
	CU_ASSERT(same_vector(&ref, &v));
	CU_ASSERT_EQUAL(ent_features_vectorize(f, t->bound, &v, &err), ENT_OK);
	CU_ASSERT(same_vector(&ref, &v));
	CU_ASSERT_EQUAL(ent_features_vectorize(f, t->elsewhere, &v, &err), ENT_OK);
	CU_ASSERT(same_vector(&ref, &v));
	/* a bound extractor spells out no terms: nobody reads them */
	CU_ASSERT_EQUAL(ent_extractor_term_count(t->bound), 0);
	size_t len = ref.len;
	ent_vector_release(&ref);
	ent_vector_release(&v);
	return len;
}

static const char *const tricky[] = {
    "China did not condemn the attack, but praised the talks and did not condemn the attack",
    "Iran refused to sign the deal; Iraq refused, to everyone's surprise, and failed to",
    "Officials didn't criticize the plan however they never attacked nor threatened anyone",
    "3,000 troops and 2.5 tanks in 2024 did not cross 3,000 checkpoints",
    "the the the the talks talks talks resumed resumed",
    "Neither side declined to attend; nobody refused to talk but nothing happened",
    "Zürich and émigrés met 12 envoys in Genève without a deal",
    "a\xCD\xBA"
    "b condemned a\xCD\xBA"
    "b c, not a\xCD\xBA"
    "b", /* NFKC gives "a ιb": a base with a space */
    "refused",
    "",
};

static void tokens_of(ent_text *text, const char *s, const ent_token **tokens, size_t *count)
{
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_text_analyze(text, s, strlen(s), ENT_TEXT_SENTENCE, &err), ENT_OK);
	*count = 0;
	*tokens = ent_text_sentence_count(text) ? ent_text_tokens(text, 0, count) : NULL;
}

/* Actor marks on every fifth token and the one after it. */
static void some_marks(unsigned char *marks, size_t count)
{
	for (size_t i = 0; i < count; i++)
		marks[i] = i % 5 == 1   ? ENT_MARK_ACTOR_START
		           : i % 5 == 2 ? ENT_MARK_ACTOR_INSIDE
		                        : ENT_MARK_NONE;
}

static void check_sentences_with(const ent_feature_options *o)
{
	size_t n = sizeof tricky / sizeof *tricky;
	ent_corpus *c = make_corpus(o, tricky, n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL, *other = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&f, c, NULL, 0, o, &err), ENT_OK);
	const size_t half[] = {0, 2, 4, 6};
	CU_ASSERT_EQUAL_FATAL(ent_features_build(&other, c, half, 4, o, &err), ENT_OK);
	trio t;
	trio_open(&t, o, f, other);
	ent_text *text = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_text_new(&text, &err), ENT_OK);
	size_t found = 0;
	for (size_t i = 0; i < n; i++) {
		const ent_token *tokens;
		size_t count;
		unsigned char marks[256];
		tokens_of(text, tricky[i], &tokens, &count);
		CU_ASSERT_FATAL(count <= sizeof marks);
		some_marks(marks, count);
		found += check_paths(f, &t, tokens, count, NULL);
		check_paths(f, &t, tokens, count, marks);
		/* a sentence cut short: n-grams across the cut must not appear */
		check_paths(f, &t, tokens, count / 2, NULL);
	}
	CU_ASSERT(found > 20);
	ent_text_free(text);
	trio_close(&t);
	ent_features_free(f);
	ent_features_free(other);
	ent_corpus_free(c);
}

static void test_vectorize_equals_spelled_terms(void)
{
	const int ranges[][2] = {{1, 1}, {1, 2}, {1, 3}, {2, 2}, {2, 3}, {3, 3}};
	for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
		for (int variant = 0; variant < 4; variant++) {
			ent_feature_options o = ENT_FEATURE_OPTIONS_INIT;
			o.min_df = 1;
			o.ngram_min = ranges[r][0];
			o.ngram_max = ranges[r][1];
			o.stem = variant != 1;
			o.negation = variant != 2;
			o.mask_actors = variant != 3;
			o.sublinear_tf = variant != 3;
			check_sentences_with(&o);
		}
}

/* A token with the given normalized form (spans unused by the extractor). */
static ent_token token(const char *norm, unsigned flags)
{
	return (ent_token){norm, strlen(norm), 0, 0, flags};
}

/* Vocabularies can hold terms no tokenizer makes (a model file is text):
 * parts with spaces, "neg:" written out, empty parts, four parts. */
static void test_vectorize_crafted_vocabulary(void)
{
	const char *terms[] = {"x",
	                       "y",
	                       "x y",
	                       "x y z",
	                       "a \xCE\xB9"
	                       "b",
	                       "a \xCE\xB9"
	                       "b x",
	                       "a",
	                       "a \xCE\xB9"
	                       "b x y",
	                       "neg:x",
	                       "neg:neg:x",
	                       "neg:x y",
	                       "x  y",
	                       " x",
	                       "x ",
	                       "",
	                       "x y z w",
	                       "<actor>",
	                       "neg:<num>",
	                       "<num> <actor>",
	                       "neg:y neg:z",
	                       "z",
	                       "w x",
	                       "y z w"};
	size_t n = sizeof terms / sizeof *terms;
	double idf[sizeof terms / sizeof *terms];
	for (size_t i = 0; i < n; i++)
		idf[i] = 1.0 + 0.37 * (double)i;
	ent_feature_options o = plain_options(1, 3);
	o.negation = 1;
	o.mask_actors = 1;
	o.sublinear_tf = 1;
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_from_terms(&f, &o, terms, idf, n, &err), ENT_OK);
	trio t;
	trio_open(&t, &o, f, f);
	const ent_token plain[] = {token("x", 0), token("y", 0), token("z", 0),
	                           token("w", 0), token("x", 0), token("y", 0)};
	const ent_token spaced[] = {token("a \xCE\xB9"
	                                  "b",
	                                  0),
	                            token("x", 0),
	                            token("y", 0),
	                            token("a", 0),
	                            token("\xCE\xB9"
	                                  "b",
	                                  0),
	                            token("x", 0)};
	const ent_token written[] = {token("neg:x", 0), token("y", 0), token("neg:neg:x", 0), token("", 0),
	                             token("x", 0),     token("", 0),  token("y", 0)};
	const ent_token negated[] = {
	    token("not", 0), token("x", 0),    token("y", 0), token("z", 0), token("7", ENT_TOKEN_NUMBER),
	    token("but", 0), token("neg:x", 0)};
	const ent_token actors[] = {
	    token("7", ENT_TOKEN_NUMBER), token("china", 0), token("x", 0), token("no", 0),
	    token("7", ENT_TOKEN_NUMBER), token("x", 0)};
	const unsigned char marks[] = {ENT_MARK_NONE, ENT_MARK_ACTOR_START, ENT_MARK_ACTOR_INSIDE,
	                               ENT_MARK_NONE, ENT_MARK_NONE,        ENT_MARK_NONE};
	CU_ASSERT_EQUAL(check_paths(f, &t, plain, 6, NULL), 7); /* x y x,y z w... */
	CU_ASSERT(check_paths(f, &t, spaced, 6, NULL) >= 4);
	CU_ASSERT(check_paths(f, &t, written, 7, NULL) >= 4);
	CU_ASSERT(check_paths(f, &t, negated, 7, NULL) >= 3);
	CU_ASSERT(check_paths(f, &t, actors, 6, marks) >= 2);
	check_paths(f, &t, negated, 0, NULL);
	trio_close(&t);
	ent_features_free(f);
}

/* The word cache is dropped once it has seen enough distinct words; the
 * runs after that (and across it) must not notice. */
static void test_word_cache_refills(void)
{
	enum { PER_RUN = 4000, RUNS = 53 };
	ent_feature_options o = plain_options(1, 2);
	const char *terms[] = {"w0000001", "w0000001 w0000002", "w0203999", "w0203999 w0000001"};
	const double idf[] = {1.5, 2.5, 3.5, 4.5};
	ent_error err = ENT_ERROR_INIT;
	ent_features *f = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_features_from_terms(&f, &o, terms, idf, 4, &err), ENT_OK);
	trio t;
	trio_open(&t, &o, f, f);
	char(*words)[16] = malloc(PER_RUN * sizeof *words);
	ent_token *tokens = malloc((PER_RUN + 2) * sizeof *tokens);
	CU_ASSERT_FATAL(words != NULL && tokens != NULL);
	size_t found = 0, misspelled = 0;
	for (int run = 0; run < RUNS; run++) {
		for (int i = 0; i < PER_RUN; i++) {
			snprintf(words[i], sizeof words[i], "w%07d", run * PER_RUN + i);
			tokens[i] = token(words[i], 0);
		}
		/* words seen before the cache was dropped come back */
		tokens[PER_RUN] = token("w0000001", 0);
		tokens[PER_RUN + 1] = token("w0000002", 0);
		found += check_paths(f, &t, tokens, PER_RUN + 2, NULL);
		/* the spelled terms still read the words of this run */
		for (size_t i = 0; i < PER_RUN + 2; i++)
			misspelled += strcmp(ent_extractor_term(t.plain, i, NULL), tokens[i].norm) != 0;
	}
	CU_ASSERT(found >= 2 * RUNS + 2);
	CU_ASSERT_EQUAL(misspelled, 0);
	free(words);
	free(tokens);
	trio_close(&t);
	ent_features_free(f);
}

static void test_negation_cue_edges(void)
{
	ent_feature_options o = plain_options(1, 1);
	o.negation = 1;
	o.mask_actors = 1;
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, &o), ENT_OK);
	/* "refused" then punctuation: "to" opens nothing */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Iran refused, to sign", NULL), ENT_OK);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 0);
	/* "to" itself is inside the scope it completes */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "Iran failed to sign", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:to"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:sign"), 1);
	/* a cue as the last word, and a cue right after a closer */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "talks but never", NULL), ENT_OK);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 0);
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "no deal but no talks", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:deal"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:talks"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:but"), 0);
	/* "n't" opens a scope only on words of at most nine bytes */
	CU_ASSERT_EQUAL(run_sentence(f.text, f.x, "they shouldn't go", NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:go"), 1);
	const ent_token long_nt[] = {token("abcdefgn't", 0), token("go", 0)};
	CU_ASSERT_EQUAL(ent_extractor_run(f.x, long_nt, 2, NULL, NULL), ENT_OK);
	CU_ASSERT_EQUAL(terms_with_prefix(f.x, "neg:"), 0);
	/* masked actor words still open and close scopes, and numbers join them */
	const ent_token masked[] = {token("no", 0),      token("deal", 0),  token("but", 0),
	                            token("talks", 0),   token("not", 0),   token("12", ENT_TOKEN_NUMBER),
	                            token("however", 0), token("envoys", 0)};
	const unsigned char marks[] = {ENT_MARK_ACTOR_START, ENT_MARK_NONE, ENT_MARK_ACTOR_START,
	                               ENT_MARK_NONE,        ENT_MARK_NONE, ENT_MARK_NONE,
	                               ENT_MARK_ACTOR_START, ENT_MARK_NONE};
	CU_ASSERT_EQUAL(ent_extractor_run(f.x, masked, 8, marks, NULL), ENT_OK);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:deal"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "talks"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "neg:<num>"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "envoys"), 1);
	CU_ASSERT_EQUAL(term_occurrences(f.x, "<actor>"), 3);
	fixture_close(&f);
}

static void test_defaults(void)
{
	ent_feature_options o = ENT_FEATURE_OPTIONS_INIT;
	CU_ASSERT_EQUAL(o.ngram_min, 1);
	CU_ASSERT_EQUAL(o.ngram_max, 2);
	CU_ASSERT_EQUAL(o.min_df, 2);
	CU_ASSERT(o.negation && o.mask_actors && o.stem && o.sublinear_tf);
	ent_extractor_free(NULL);
	ent_corpus_free(NULL);
	ent_vector v = ENT_VECTOR_INIT;
	ent_vector_release(&v);
	CU_ASSERT_EQUAL(v.len, 0);
}

ENT_TEST_MAIN("features", ENT_TEST(test_ngram_range_counts), ENT_TEST(test_ngram_terms_joined_by_space),
              ENT_TEST(test_sentence_shorter_than_ngram), ENT_TEST(test_negation_scope_ends_at_comma_and_but),
              ENT_TEST(test_negation_scope_closed_by_but_without_comma), ENT_TEST(test_negation_refused_to),
              ENT_TEST(test_negation_contractions), ENT_TEST(test_negation_off_marks_nothing),
              ENT_TEST(test_negation_in_ngrams), ENT_TEST(test_actor_masking_single_term),
              ENT_TEST(test_actor_marks_ignored_without_masking), ENT_TEST(test_numbers_become_placeholder),
              ENT_TEST(test_stemming_on_and_off), ENT_TEST(test_stemming_keeps_placeholders_and_negation),
              ENT_TEST(test_min_df_filters_terms), ENT_TEST(test_min_df_over_document_subset),
              ENT_TEST(test_idf_formula), ENT_TEST(test_vocabulary_sorted_bytewise),
              ENT_TEST(test_vectors_sorted_terminated_unit_norm), ENT_TEST(test_tf_idf_values),
              ENT_TEST(test_vectorize_deterministic), ENT_TEST(test_unknown_terms_ignored),
              ENT_TEST(test_vector_copy), ENT_TEST(test_features_from_terms),
              ENT_TEST(test_option_validation), ENT_TEST(test_defaults),
              ENT_TEST(test_vectorize_equals_spelled_terms), ENT_TEST(test_vectorize_crafted_vocabulary),
              ENT_TEST(test_word_cache_refills), ENT_TEST(test_negation_cue_edges))
