/* Fuzz target: ent_text_analyze on arbitrary bytes, as an article and as one
 * sentence, and ent_text_normalize. Checks that every span lies inside the
 * repaired source, sentences and tokens are ordered and disjoint, every norm
 * is NUL-terminated UTF-8, and that analysing again (with the same analyser,
 * or one that saw the previous inputs) gives the same result. */
#include <stdlib.h>
#include <string.h>

#include "entente/text.h"
#include "fuzz_util.h"

/* Kept across inputs: an analyser that has seen other texts must give what
 * a fresh one gives. */
static ent_text *shared;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ent_error err = ENT_ERROR_INIT;
	if (ent_text_new(&shared, &err) != ENT_OK)
		__builtin_trap();
	return 0;
}

/* FNV-1a over the analysis: spans, flags and norms. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

static uint64_t check(const ent_text *t, ent_text_mode mode)
{
	size_t len;
	const char *source = ent_text_source(t, &len);
	FUZZ_CHECK(source != NULL);
	FUZZ_CHECK(source[len] == '\0');
	FUZZ_CHECK(fuzz_utf8_valid(source, len));
	size_t n = ent_text_sentence_count(t);
	uint64_t h = mix(14695981039346656037u, source, len);
	size_t prev_end = 0;
	const ent_token *next_tokens = NULL;
	for (size_t s = 0; s < n; s++) {
		ent_span span = ent_text_sentence_span(t, s);
		size_t count;
		const ent_token *tok = ent_text_tokens(t, s, &count);
		FUZZ_CHECK(span.start <= span.end && span.end <= len);
		FUZZ_CHECK(span.start >= prev_end);
		FUZZ_CHECK(count > 0 && count <= ENT_TEXT_MAX_SENTENCE_TOKENS && tok != NULL);
		FUZZ_CHECK(next_tokens == NULL || tok == next_tokens); /* one array, in order */
		FUZZ_CHECK(mode != ENT_TEXT_SENTENCE || s == 0 || count == ENT_TEXT_MAX_SENTENCE_TOKENS ||
			   s + 1 == n);
		size_t prev_tok_end = span.start;
		for (size_t i = 0; i < count; i++) {
			const ent_token *k = &tok[i];
			FUZZ_CHECK(k->start < k->end && k->end <= span.end);
			FUZZ_CHECK(k->start >= prev_tok_end);
			FUZZ_CHECK(k->norm != NULL && k->norm[k->norm_len] == '\0');
			FUZZ_CHECK(fuzz_utf8_valid(k->norm, k->norm_len));
			FUZZ_CHECK(i > 0 || !(k->flags & ENT_TOKEN_JOINED_PREV));
			prev_tok_end = k->end;
			h = mix(h, &k->start, sizeof k->start);
			h = mix(h, &k->end, sizeof k->end);
			h = mix(h, &k->flags, sizeof k->flags);
			h = mix(h, k->norm, k->norm_len + 1);
		}
		h = mix(h, &span, sizeof span);
		prev_end = span.end;
		next_tokens = tok + count;
	}
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ent_error err = ENT_ERROR_INIT;
	ent_text *t = NULL;
	const char *in = (const char *)data;
	FUZZ_CHECK(ent_text_new(&t, &err) == ENT_OK);

	FUZZ_CHECK(ent_text_analyze(t, in, size, ENT_TEXT_ARTICLE, &err) == ENT_OK);
	uint64_t article = check(t, ENT_TEXT_ARTICLE);
	size_t invalid = ent_text_invalid_count(t);
	FUZZ_CHECK(invalid <= size);
	FUZZ_CHECK(invalid > 0 || fuzz_utf8_valid(in, size));

	FUZZ_CHECK(ent_text_analyze(t, in, size, ENT_TEXT_SENTENCE, &err) == ENT_OK);
	check(t, ENT_TEXT_SENTENCE);
	FUZZ_CHECK(ent_text_invalid_count(t) == invalid);

	/* The analyser is reused: a second article run must see nothing of the first. */
	FUZZ_CHECK(ent_text_analyze(t, in, size, ENT_TEXT_ARTICLE, &err) == ENT_OK);
	FUZZ_CHECK(check(t, ENT_TEXT_ARTICLE) == article);
	ent_text_free(t);
	FUZZ_CHECK(ent_text_analyze(shared, in, size, ENT_TEXT_ARTICLE, &err) == ENT_OK);
	FUZZ_CHECK(check(shared, ENT_TEXT_ARTICLE) == article);

	char *norm = NULL;
	size_t norm_len = 0;
	FUZZ_CHECK(ent_text_normalize(in, size, &norm, &norm_len, &err) == ENT_OK);
	FUZZ_CHECK(norm != NULL && norm[norm_len] == '\0');
	FUZZ_CHECK(fuzz_utf8_valid(norm, norm_len));
	free(norm);
	return 0;
}
