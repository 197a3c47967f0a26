/* Fuzz target: the classify path. The input is classified as an article
 * (and, when it is a JSONL article line {"id", "date", "text"}, the way
 * `entente classify --input jsonl` reads it) with a small model trained once
 * from embedded sentences; the result is checked and rendered in every
 * format (text, json, jsonl, tsv and the HTML page), and the JSON outputs
 * must read back with ent_tone_add_json. The input is also given to
 * ent_tone_add_json directly, and whatever sums it yields must survive
 * ent_report_tone, a second ent_tone_add_json and an HTML overview. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/classify.h"
#include "fuzz_util.h"

static ent_model *model;
static ent_actors *actors;
static ent_classifier *classifier;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ent_error err = ENT_ERROR_INIT;
	model = fuzz_train_model(&actors);
	if (model == NULL || ent_classifier_new(&classifier, model, NULL, &err) != ENT_OK) {
		fprintf(stderr, "fuzz_classify: setup failed: %s\n", err.message);
		abort();
	}
	return 0;
}

static void check_article(const ent_article *a)
{
	size_t prev_end = 0, mentions = 0;
	FUZZ_CHECK(a->source != NULL && a->source[a->source_len] == '\0');
	for (size_t i = 0; i < a->sentence_count; i++) {
		const ent_sentence_result *s = &a->sentences[i];
		FUZZ_CHECK(s->start <= s->end && s->end <= a->source_len && s->start >= prev_end);
		FUZZ_CHECK(ent_label_name(s->label) != NULL);
		double sum = 0;
		for (int l = 0; l < ENT_LABEL_COUNT; l++) {
			FUZZ_CHECK(s->probs[l] >= 0.0 && s->probs[l] <= 1.0);
			sum += s->probs[l];
		}
		FUZZ_CHECK(fabs(sum - 1.0) < 1e-6);
		FUZZ_CHECK(s->first_mention == mentions);
		FUZZ_CHECK(s->first_mention + s->mention_count <= a->mention_count);
		for (size_t k = 0; k < s->mention_count; k++) {
			const ent_mention *m = &a->mentions[s->first_mention + k];
			FUZZ_CHECK(m->sentence == i && m->code != NULL && m->code[0] != '\0');
			FUZZ_CHECK(s->start <= m->start && m->start < m->end && m->end <= s->end);
		}
		mentions += s->mention_count;
		prev_end = s->end;
	}
	FUZZ_CHECK(mentions == a->mention_count);
	const ent_tone_entry *all = ent_tone_overall(a->tone);
	FUZZ_CHECK(all->sentences <= a->sentence_count);
}

/* Sums read back through a double are exact below about 2^53 units. */
static int exact(int64_t units)
{
	return units > -100000000000000 && units < 100000000000000;
}

/* Reads rendered JSON back: it must parse and its sums must add up. */
static void read_back(const char *out, size_t len, const ent_tone_entry *expected)
{
	ent_error err = ENT_ERROR_INIT;
	ent_tone *t = NULL;
	FUZZ_CHECK(ent_tone_new(&t, &err) == ENT_OK);
	FUZZ_CHECK(ent_tone_add_json(t, out, len, &err) == ENT_OK);
	const ent_tone_entry *all = ent_tone_overall(t);
	FUZZ_CHECK(all->sentences == expected->sentences);
	FUZZ_CHECK(!exact(expected->sum_cooperative) || all->sum_cooperative == expected->sum_cooperative);
	FUZZ_CHECK(!exact(expected->sum_conflictual) || all->sum_conflictual == expected->sum_conflictual);
	ent_tone_free(t);
}

/* One line per sentence: id, index, label, three probabilities, actors, text. */
static void check_tsv(const char *buf, size_t len, size_t sentences)
{
	size_t lines = 0, tabs = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\t') {
			tabs++;
		} else if (buf[i] == '\n') {
			FUZZ_CHECK(tabs == 7);
			tabs = 0;
			lines++;
		}
	}
	FUZZ_CHECK(tabs == 0 && lines == sentences && (len == 0 || buf[len - 1] == '\n'));
}

static void render_all(const ent_article *a)
{
	static const ent_report_format formats[] = {ENT_FORMAT_TEXT, ENT_FORMAT_JSON, ENT_FORMAT_JSONL,
						    ENT_FORMAT_TSV};
	ent_error err = ENT_ERROR_INIT;
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++)
		for (int named = 0; named < 2; named++) {
			char *buf = NULL;
			size_t cap = 0, len = 0;
			FUZZ_CHECK(ent_report_article(a, named ? actors : NULL, formats[f], &buf, &cap, &len,
						      &err) == ENT_OK);
			FUZZ_CHECK(len <= cap && (buf != NULL || len == 0));
			FUZZ_CHECK(fuzz_utf8_valid(buf, len));
			if (formats[f] == ENT_FORMAT_JSONL)
				FUZZ_CHECK(len > 0 && memchr(buf, '\n', len) == buf + len - 1);
			if (formats[f] == ENT_FORMAT_TSV)
				check_tsv(buf, len, a->sentence_count);
			if (formats[f] == ENT_FORMAT_JSON || formats[f] == ENT_FORMAT_JSONL)
				read_back(buf, len, ent_tone_overall(a->tone));
			free(buf);
		}
	/* The HTML page: begin (with an overview when "many" articles), section, end. */
	for (size_t articles = 1; articles <= 2; articles++) {
		char *buf = NULL;
		size_t cap = 0, len = 0;
		FUZZ_CHECK(ent_report_html_begin(a->tone, articles, articles == 1 ? actors : NULL, a->id, &buf, &cap,
						 &len, &err) == ENT_OK);
		FUZZ_CHECK(ent_report_html_article(a, articles == 1 ? actors : NULL, &buf, &cap, &len, &err) == ENT_OK);
		FUZZ_CHECK(ent_report_html_end(&buf, &cap, &len, &err) == ENT_OK);
		FUZZ_CHECK(buf != NULL && len <= cap && fuzz_utf8_valid(buf, len));
		free(buf);
	}
	/* Appending to a buffer that already holds something. */
	char *buf = malloc(4);
	size_t cap = 4, len = 3;
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, "ab\n", 3);
	FUZZ_CHECK(ent_report_article(a, actors, ENT_FORMAT_TSV, &buf, &cap, &len, &err) == ENT_OK);
	FUZZ_CHECK(len >= 3 && memcmp(buf, "ab\n", 3) == 0);
	free(buf);
	FUZZ_CHECK(ent_report_article(a, actors, (ent_report_format)99, &buf, &cap, &len, &err) ==
		   ENT_EPARAM);
}

static void classify(const char *id, const char *date, const char *text, size_t len)
{
	ent_error err = ENT_ERROR_INIT;
	const ent_article *a = NULL;
	int rc = ent_classifier_run(classifier, id, date, text, len, &a, &err);
	if (rc != ENT_OK) {
		/* Only a bad date may fail an article that fits the size cap. */
		FUZZ_CHECK(rc == ENT_EFORMAT && date != NULL && a == NULL);
		return;
	}
	FUZZ_CHECK(a != NULL);
	check_article(a);
	render_all(a);
}

/* The input as a JSONL article line, as the CLI reads one. */
static void classify_jsonl(const char *data, size_t size)
{
	json_error_t jerr;
	json_t *obj = json_loadb(data, size, 0, &jerr);
	json_t *id = json_object_get(obj, "id"), *date = json_object_get(obj, "date"),
	       *text = json_object_get(obj, "text");
	if (json_is_object(obj) && json_is_string(text) && (date == NULL || json_is_string(date)) &&
	    (id == NULL || json_is_string(id) || json_is_integer(id))) {
		char idbuf[32];
		if (json_is_integer(id))
			snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
		classify(json_is_string(id) ? json_string_value(id) : json_is_integer(id) ? idbuf : NULL,
			 date ? json_string_value(date) : NULL, json_string_value(text),
			 json_string_length(text));
	}
	json_decref(obj);
}

/* The input as one line of classify output read back for merging. */
static void tone_json(const char *data, size_t size)
{
	static const ent_report_format formats[] = {ENT_FORMAT_JSON, ENT_FORMAT_JSONL, ENT_FORMAT_TEXT};
	ent_error err = ENT_ERROR_INIT;
	ent_tone *t = NULL;
	FUZZ_CHECK(ent_tone_new(&t, &err) == ENT_OK);
	int rc = ent_tone_add_json(t, data, size, &err);
	FUZZ_CHECK(rc == ENT_OK || (rc == ENT_EFORMAT && err.message[0] != '\0'));
	if (rc == ENT_OK)
		for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
			char *buf = NULL;
			size_t cap = 0, len = 0;
			FUZZ_CHECK(ent_report_tone(t, f == 0 ? actors : NULL, formats[f], &buf, &cap, &len, &err) ==
				   ENT_OK);
			FUZZ_CHECK(fuzz_utf8_valid(buf, len));
			if (formats[f] != ENT_FORMAT_TEXT)
				read_back(buf, len, ent_tone_overall(t));
			free(buf);
		}
	if (rc == ENT_OK) {
		/* Merged sums from many articles open an HTML page with an overview. */
		char *buf = NULL;
		size_t cap = 0, len = 0;
		FUZZ_CHECK(ent_report_html_begin(t, 2, actors, NULL, &buf, &cap, &len, &err) == ENT_OK);
		FUZZ_CHECK(ent_report_html_end(&buf, &cap, &len, &err) == ENT_OK);
		FUZZ_CHECK(fuzz_utf8_valid(buf, len));
		free(buf);
	}
	ent_tone_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	classify("fuzz", size > 0 && data[0] & 1 ? "2020-06-15" : NULL, in, size);
	classify_jsonl(in, size);
	tone_json(in, size);
	return 0;
}
