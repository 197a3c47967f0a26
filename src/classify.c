#include "entente/classify.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "features_internal.h"
#include "model_internal.h"

struct ent_classifier {
	const ent_model *model;
	const ent_actors *actors;
	ent_text *text;
	ent_actor_matches *matches;
	ent_extractor *extractor;
	ent_vector vector;
	ent_tone *tone;
	ent_sentence_result *sentences;
	size_t sentences_cap;
	ent_mention *mentions;
	size_t mentions_count, mentions_cap;
	ent_article article;
};

int ent_classifier_new(ent_classifier **out, const ent_model *model, const ent_actors *actors,
		       ent_error *err)
{
	*out = NULL;
	ent_classifier *c = calloc(1, sizeof *c);
	if (c == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a classifier");
	c->model = model;
	c->actors = actors ? actors : ent_model_actors(model);
	int rc = ent_text_new(&c->text, err);
	if (rc == ENT_OK)
		rc = ent_actor_matches_new(&c->matches, err);
	if (rc == ENT_OK)
		rc = ent_extractor_new(&c->extractor, ent_features_options(ent_model_features(model)), err);
	if (rc == ENT_OK)
		rc = ent_tone_new(&c->tone, err);
	if (rc != ENT_OK) {
		ent_classifier_free(c);
		return rc;
	}
	ent_extractor_bind(c->extractor, ent_model_features(model));
	*out = c;
	return ENT_OK;
}

void ent_classifier_free(ent_classifier *c)
{
	if (c == NULL)
		return;
	ent_text_free(c->text);
	ent_actor_matches_free(c->matches);
	ent_extractor_free(c->extractor);
	ent_vector_release(&c->vector);
	ent_tone_free(c->tone);
	free(c->sentences);
	free(c->mentions);
	free(c);
}

/* Records the sentence's actor mentions; fills codes with its codes. */
static int record_mentions(ent_classifier *c, size_t sentence, const ent_token *tokens,
			   const char **codes, size_t *ncodes)
{
	size_t n = ent_actor_matches_count(c->matches);
	if (ent_array_reserve((void **)&c->mentions, &c->mentions_cap, c->mentions_count + n, sizeof *c->mentions) != ENT_OK)
		return ENT_ENOMEM;
	*ncodes = 0;
	for (size_t i = 0; i < n; i++) {
		const ent_actor_match *m = ent_actor_matches_get(c->matches, i);
		c->mentions[c->mentions_count++] = (ent_mention){
			sentence, tokens[m->first].start, tokens[m->first + m->count - 1].end, m->code, m->role};
		if (*ncodes < 64)
			codes[(*ncodes)++] = m->code;
	}
	return ENT_OK;
}

static int classify_sentence(ent_classifier *c, size_t s, long date, ent_error *err)
{
	size_t count;
	const ent_token *tokens = ent_text_tokens(c->text, s, &count);
	const char *source = ent_text_source(c->text, NULL);
	ent_sentence_result *r = &c->sentences[s];
	ent_span span = ent_text_sentence_span(c->text, s);
	int rc = ent_featurize_tokens(c->extractor, c->actors, c->matches, tokens, count, source, date, err);
	if (rc == ENT_OK)
		rc = ent_features_vectorize(ent_model_features(c->model), c->extractor, &c->vector, err);
	if (rc != ENT_OK)
		return rc;
	r->start = span.start;
	r->end = span.end;
	r->label = ent_model_predict(c->model, &c->vector, r->probs);
	r->first_mention = c->mentions_count;
	const char *codes[64];
	size_t ncodes;
	if (record_mentions(c, s, tokens, codes, &ncodes) != ENT_OK)
		return ent_error_set(err, ENT_ENOMEM, "out of memory recording actors");
	r->mention_count = c->mentions_count - r->first_mention;
	return ent_tone_add_sentence(c->tone, codes, ncodes, r->label, r->probs, err);
}

int ent_classifier_run(ent_classifier *c, const char *id, const char *date, const char *text,
		       size_t len, const ent_article **out, ent_error *err)
{
	long day = 0;
	*out = NULL;
	if (date != NULL && ent_date_parse(date, strlen(date), &day) != ENT_OK)
		return ent_error_set(err, ENT_EFORMAT, "invalid date '%.20s' (expected YYYY-MM-DD)", date);
	int rc = ent_text_analyze(c->text, text, len, ENT_TEXT_ARTICLE, err);
	if (rc != ENT_OK)
		return rc;
	size_t n = ent_text_sentence_count(c->text);
	if (ent_array_reserve((void **)&c->sentences, &c->sentences_cap, n, sizeof *c->sentences) != ENT_OK)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for %zu sentences", n);
	c->mentions_count = 0;
	ent_tone_clear(c->tone);
	for (size_t s = 0; rc == ENT_OK && s < n; s++)
		rc = classify_sentence(c, s, day, err);
	if (rc != ENT_OK)
		return rc;
	ent_article *a = &c->article;
	a->id = id;
	a->date = date;
	a->source = ent_text_source(c->text, &a->source_len);
	a->invalid_bytes = ent_text_invalid_count(c->text);
	a->sentences = c->sentences;
	a->sentence_count = n;
	a->mentions = c->mentions;
	a->mention_count = c->mentions_count;
	a->tone = c->tone;
	*out = a;
	return ENT_OK;
}
