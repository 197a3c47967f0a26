/* Fuzz target: ent_actors_load on the input as dictionary text (alone, and
 * over the embedded dictionary so its entries override), then matching a
 * fixed sentence and the input's own sentences. Checks that every match
 * lies inside the sentence, matches do not overlap, and the per-token marks
 * agree with the matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/actors.h"
#include "fuzz_util.h"

static const char sentence[] =
	"Modi met Putin and Xi Jinping in Moscow on Monday, while the U.S. and the EU urged China, "
	"Pakistan's army and the Americans to talk; Indians and the UN's envoy (Macron) agreed.";

static ent_text *fixed;
static ent_text *own;
static ent_actor_matches *matches;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ent_error err = ENT_ERROR_INIT;
	if (ent_text_new(&fixed, &err) != ENT_OK || ent_text_new(&own, &err) != ENT_OK ||
	    ent_actor_matches_new(&matches, &err) != ENT_OK ||
	    ent_text_analyze(fixed, sentence, sizeof sentence - 1, ENT_TEXT_SENTENCE, &err) != ENT_OK) {
		fprintf(stderr, "fuzz_actors: setup failed: %s\n", err.message);
		abort();
	}
	return 0;
}

static void match(const ent_actors *a, const ent_text *t, size_t s, long date)
{
	ent_error err = ENT_ERROR_INIT;
	size_t count;
	const ent_token *tokens = ent_text_tokens(t, s, &count);
	const char *source = ent_text_source(t, NULL);
	FUZZ_CHECK(ent_actors_match(a, tokens, count, source, date, matches, &err) == ENT_OK);
	const unsigned char *marks = ent_actor_matches_marks(matches);
	size_t n = ent_actor_matches_count(matches), marked = 0, next = 0;
	for (size_t i = 0; i < n; i++) {
		const ent_actor_match *m = ent_actor_matches_get(matches, i);
		FUZZ_CHECK(m->count > 0 && m->count <= ENT_ACTORS_MAX_PATTERN_TOKENS);
		FUZZ_CHECK(m->first >= next && m->first + m->count <= count);
		FUZZ_CHECK(m->code != NULL && m->code[0] >= 'A' && m->code[0] <= 'Z');
		FUZZ_CHECK(ent_actors_name(a, m->code) != NULL);
		FUZZ_CHECK(m->role == NULL || (date != 0 && m->role[0] >= 'A' && m->role[0] <= 'Z'));
		FUZZ_CHECK(marks[m->first] == ENT_MARK_ACTOR_START);
		for (size_t k = 1; k < m->count; k++)
			FUZZ_CHECK(marks[m->first + k] == ENT_MARK_ACTOR_INSIDE);
		marked += m->count;
		next = m->first + m->count;
	}
	for (size_t k = 0; k < count; k++)
		marked -= marks[k] != ENT_MARK_NONE;
	FUZZ_CHECK(marked == 0);
}

static void match_all(const ent_actors *a, const uint8_t *data, size_t size)
{
	static const long dates[] = {0, 20200615, 20100101};
	ent_error err = ENT_ERROR_INIT;
	for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++)
		match(a, fixed, 0, dates[d]);
	/* The dictionary's own words are the likeliest to match. */
	FUZZ_CHECK(ent_text_analyze(own, (const char *)data, size, ENT_TEXT_ARTICLE, &err) == ENT_OK);
	for (size_t s = 0; s < ent_text_sentence_count(own); s++)
		match(a, own, s, 20200615);
}

static void check_loaded(const ent_actors *a, int rc, const ent_error *err, size_t before)
{
	size_t len;
	const char *source = ent_actors_source(a, &len);
	FUZZ_CHECK(source != NULL);
	if (rc == ENT_OK)
		FUZZ_CHECK(len >= before);
	else
		FUZZ_CHECK(rc < 0 && err->message[0] != '\0' && len == before);
	FUZZ_CHECK(ent_actors_pattern_count(a) <= ENT_ACTORS_MAX_PATTERNS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ent_error err = ENT_ERROR_INIT;
	ent_actors *a = NULL, *b = NULL;
	const char *text = (const char *)data;

	FUZZ_CHECK(ent_actors_new(&a, &err) == ENT_OK);
	int rc = ent_actors_load(a, text, size, "fuzz.tsv", &err);
	check_loaded(a, rc, &err, 0);
	match_all(a, data, size);

	FUZZ_CHECK(ent_actors_new(&b, &err) == ENT_OK);
	FUZZ_CHECK(ent_actors_load(b, fuzz_actors_text, strlen(fuzz_actors_text), "base.tsv", &err) == ENT_OK);
	size_t before;
	ent_actors_source(b, &before);
	rc = ent_actors_load(b, text, size, "fuzz.tsv", &err);
	check_loaded(b, rc, &err, before);
	match_all(b, data, size);

	ent_actors_free(a);
	ent_actors_free(b);
	return 0;
}
