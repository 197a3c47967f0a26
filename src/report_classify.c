/* Classify output: text, JSON, JSONL and TSV for one article, and merged
 * tone sums. Written with a small streaming writer: one article may hold
 * thousands of sentences and the output is on the hot path. */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entente/classify.h"

/* Bytes at the start of s that need no escaping, found eight at a time: a
 * word is flagged when a byte is below 0x20 or equals '"' or '\\' (the
 * classic has-less and has-zero bit tests; a flag may be spurious, never
 * missing, and the caller checks the flagged bytes one by one). */
static size_t plain_prefix(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
		uint64_t flagged = (((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
				    ((backslash - ones) & ~backslash)) & highs;
		if (flagged != 0)
			break;
	}
	return i;
}

/* Appends s[0..n) as a JSON string literal (s is valid UTF-8). */
static int json_quote(ent_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (ent_buf_reserve(b, n + 2) != 0)
		return -1;
	int rc = ent_buf_append(b, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		i += plain_prefix(s + i, n - i);
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = ent_buf_append(b, s + run, i - run);
		run = i + 1;
		char esc[7] = {'\\', (char)c, 0};
		if (c == '\n')
			esc[1] = 'n';
		else if (c == '\t')
			esc[1] = 't';
		else if (c == '\r')
			esc[1] = 'r';
		else if (c < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
		}
		rc = rc || ent_buf_puts(b, esc);
	}
	return rc || ent_buf_append(b, s + run, n - run) || ent_buf_append(b, "\"", 1);
}

static int json_quote_cstr(ent_buf *b, const char *s)
{
	return json_quote(b, s, strlen(s));
}

/* A sum in 1e-9 units, printed exactly. */
static int json_units(ent_buf *b, int64_t units)
{
	uint64_t u = units < 0 ? (uint64_t)(-(units + 1)) + 1 : (uint64_t)units;
	char frac[10];
	uint64_t f = u % (uint64_t)ENT_TONE_SCALE;
	for (int i = 8; i >= 0; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	frac[9] = '\0';
	return (units < 0 && ent_buf_puts(b, "-")) || ent_buf_uint(b, u / (uint64_t)ENT_TONE_SCALE) ||
	       ent_buf_puts(b, ".") || ent_buf_append(b, frac, 9);
}

static int json_entry_fields(ent_buf *b, const ent_tone_entry *e)
{
	return ent_buf_puts(b, "\"sentences\": ") || ent_buf_uint(b, e->sentences) ||
	       ent_buf_puts(b, ", \"cooperative\": ") || ent_buf_uint(b, e->counts[ENT_LABEL_COOPERATIVE]) ||
	       ent_buf_puts(b, ", \"conflictual\": ") || ent_buf_uint(b, e->counts[ENT_LABEL_CONFLICTUAL]) ||
	       ent_buf_puts(b, ", \"neutral\": ") || ent_buf_uint(b, e->counts[ENT_LABEL_NEUTRAL]) ||
	       ent_buf_puts(b, ", \"sum_cooperative\": ") || json_units(b, e->sum_cooperative) ||
	       ent_buf_puts(b, ", \"sum_conflictual\": ") || json_units(b, e->sum_conflictual) ||
	       ent_buf_puts(b, ", \"tone\": ") || ent_buf_fixed(b, ent_tone_value(e), 6) || ent_buf_puts(b, "}");
}

static const char *display_name(const ent_tone_entry *e, const ent_actors *names)
{
	if (names != NULL)
		return ent_actors_name(names, e->key);
	return e->name[0] ? e->name : e->key;
}

static int json_actor(ent_buf *b, const ent_tone_entry *e, const ent_actors *names)
{
	return ent_buf_puts(b, "{\"code\": ") || json_quote_cstr(b, e->key) || ent_buf_puts(b, ", \"name\": ") ||
	       json_quote_cstr(b, display_name(e, names)) || ent_buf_puts(b, ", ") ||
	       json_entry_fields(b, e);
}

static int json_pair(ent_buf *b, const ent_tone_entry *e)
{
	const char *space = strchr(e->key, ' ');
	if (space == NULL)
		return -1;
	return ent_buf_puts(b, "{\"actors\": [") || json_quote(b, e->key, (size_t)(space - e->key)) ||
	       ent_buf_puts(b, ", ") || json_quote_cstr(b, space + 1) || ent_buf_puts(b, "], ") ||
	       json_entry_fields(b, e);
}

static int json_tone_lists(ent_buf *b, const ent_tone *t, const ent_actors *names, const char *nl)
{
	int rc = ent_buf_printf(b, "\"actors\": [");
	for (size_t i = 0; rc == 0 && i < ent_tone_actor_count(t); i++)
		rc = ent_buf_puts(b, i ? ", " : "") || ent_buf_puts(b, nl) ||
		     json_actor(b, ent_tone_actor(t, i), names);
	rc = rc || ent_buf_printf(b, "],%s\"pairs\": [", nl);
	for (size_t i = 0; rc == 0 && i < ent_tone_pair_count(t); i++)
		rc = ent_buf_puts(b, i ? ", " : "") || ent_buf_puts(b, nl) || json_pair(b, ent_tone_pair(t, i));
	const ent_tone_entry *all = ent_tone_overall(t);
	rc = rc || ent_buf_printf(b, "],%s\"actor_sentences\": %" PRIu64 ", \"sum_cooperative\": ", nl,
				  all->sentences) ||
	     json_units(b, all->sum_cooperative) || ent_buf_puts(b, ", \"sum_conflictual\": ") ||
	     json_units(b, all->sum_conflictual) || ent_buf_printf(b, ", \"tone\": %.6f", ent_tone_value(all));
	return rc;
}

/* Distinct codes of a sentence, in order of first mention. */
static size_t sentence_codes(const ent_article *a, const ent_sentence_result *s, const char **codes,
			     size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->mention_count; i++) {
		const char *code = a->mentions[s->first_mention + i].code;
		size_t k = 0;
		while (k < n && strcmp(codes[k], code) != 0)
			k++;
		if (k == n && n < max)
			codes[n++] = code;
	}
	return n;
}

static int json_sentence(ent_buf *b, const ent_article *a, size_t i)
{
	const ent_sentence_result *s = &a->sentences[i];
	const char *codes[64];
	size_t n = sentence_codes(a, s, codes, 64);
	int rc = ent_buf_puts(b, "{\"index\": ") || ent_buf_uint(b, i) || ent_buf_puts(b, ", \"text\": ") ||
		 json_quote(b, a->source + s->start, s->end - s->start) ||
		 ent_buf_puts(b, ", \"label\": \"") || ent_buf_puts(b, ent_label_name(s->label)) ||
		 ent_buf_puts(b, "\", \"probabilities\": {\"cooperative\": ") || ent_buf_fixed(b, s->probs[0], 6) ||
		 ent_buf_puts(b, ", \"conflictual\": ") || ent_buf_fixed(b, s->probs[1], 6) ||
		 ent_buf_puts(b, ", \"neutral\": ") || ent_buf_fixed(b, s->probs[2], 6) ||
		 ent_buf_puts(b, "}, \"actors\": [");
	for (size_t k = 0; rc == 0 && k < n; k++)
		rc = ent_buf_puts(b, k ? ", " : "") || json_quote_cstr(b, codes[k]);
	rc = rc || ent_buf_puts(b, "]");
	int roles = 0;
	for (size_t k = 0; rc == 0 && k < s->mention_count; k++) {
		const char *role = a->mentions[s->first_mention + k].role;
		if (role == NULL)
			continue;
		rc = ent_buf_puts(b, roles++ ? ", " : ", \"roles\": [") || json_quote_cstr(b, role);
	}
	return rc || ent_buf_puts(b, roles ? "]}" : "}");
}

static int render_json(ent_buf *b, const ent_article *a, const ent_actors *names, int pretty)
{
	const char *nl = pretty ? "\n " : "";
	int rc = ent_buf_puts(b, "{\"id\": ") || json_quote_cstr(b, a->id ? a->id : "");
	if (rc == 0 && a->date != NULL)
		rc = ent_buf_puts(b, ", \"date\": ") || json_quote_cstr(b, a->date);
	rc = rc || ent_buf_printf(b, ", \"invalid_bytes\": %zu,%s\"sentences\": [", a->invalid_bytes, nl);
	for (size_t i = 0; rc == 0 && i < a->sentence_count; i++)
		rc = ent_buf_puts(b, i ? ", " : "") || ent_buf_puts(b, pretty ? "\n  " : "") || json_sentence(b, a, i);
	rc = rc || ent_buf_printf(b, "],%s", nl) || json_tone_lists(b, a->tone, names, nl);
	return rc || ent_buf_puts(b, "}\n");
}

/* ---- text and TSV ---- */

/* Appends text with every run of whitespace (newlines, tabs) as one space. */
static int flat_text(ent_buf *b, const char *s, size_t n)
{
	int space = 0, rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = 1;
			continue;
		}
		if (space)
			rc = ent_buf_append(b, " ", 1);
		space = 0;
		rc = rc || ent_buf_append(b, &c, 1);
	}
	return rc;
}

static int text_entry(ent_buf *b, const char *key, const char *name, const ent_tone_entry *e)
{
	return ent_buf_printf(b, "  %-9s %-24.24s %9" PRIu64 " %6" PRIu64 " %6" PRIu64 " %7" PRIu64 " %+7.3f\n",
			      key, name, e->sentences, e->counts[ENT_LABEL_COOPERATIVE],
			      e->counts[ENT_LABEL_CONFLICTUAL], e->counts[ENT_LABEL_NEUTRAL], ent_tone_value(e));
}

static int text_tone(ent_buf *b, const ent_tone *t, const ent_actors *names)
{
	int rc = ent_buf_printf(b, "  %-9s %-24s %9s %6s %6s %7s %7s\n", "actor", "name", "sentences", "coop",
				"conf", "neutral", "tone");
	for (size_t i = 0; rc == 0 && i < ent_tone_actor_count(t); i++) {
		const ent_tone_entry *e = ent_tone_actor(t, i);
		rc = text_entry(b, e->key, display_name(e, names), e);
	}
	rc = rc || ent_buf_printf(b, "\n  %-9s %-24s %9s %6s %6s %7s %7s\n", "pair", "", "sentences", "coop",
				  "conf", "neutral", "tone");
	for (size_t i = 0; rc == 0 && i < ent_tone_pair_count(t); i++) {
		const ent_tone_entry *e = ent_tone_pair(t, i);
		char key[ENT_TONE_MAX_KEY];
		snprintf(key, sizeof key, "%s", e->key);
		char *space = strchr(key, ' ');
		if (space)
			*space = '-';
		rc = text_entry(b, key, "", e);
	}
	return rc;
}

static int render_text(ent_buf *b, const ent_article *a, const ent_actors *names)
{
	const ent_tone_entry *all = ent_tone_overall(a->tone);
	int rc = ent_buf_printf(b, "== %s%s%s: %zu sentences, %" PRIu64 " with actors, tone %+.3f\n\n",
				a->id ? a->id : "", a->date ? " " : "", a->date ? a->date : "", a->sentence_count,
				all->sentences, ent_tone_value(all)) ||
		 text_tone(b, a->tone, names) || ent_buf_puts(b, "\n");
	for (size_t i = 0; rc == 0 && i < a->sentence_count; i++) {
		const ent_sentence_result *s = &a->sentences[i];
		const char *codes[64];
		size_t n = sentence_codes(a, s, codes, 64);
		rc = ent_buf_printf(b, "%4zu %-11s %.2f/%.2f/%.2f ", i, ent_label_name(s->label), s->probs[0],
				    s->probs[1], s->probs[2]);
		for (size_t k = 0; rc == 0 && k < n; k++)
			rc = ent_buf_printf(b, "%s%s", k ? "," : "[", codes[k]);
		rc = rc || ent_buf_puts(b, n ? "] " : "") || flat_text(b, a->source + s->start, s->end - s->start) ||
		     ent_buf_puts(b, "\n");
	}
	return rc || ent_buf_puts(b, "\n");
}

static int render_tsv(ent_buf *b, const ent_article *a)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < a->sentence_count; i++) {
		const ent_sentence_result *s = &a->sentences[i];
		const char *codes[64];
		size_t n = sentence_codes(a, s, codes, 64);
		rc = flat_text(b, a->id ? a->id : "", a->id ? strlen(a->id) : 0) ||
		     ent_buf_printf(b, "\t%zu\t%s\t%.6f\t%.6f\t%.6f\t", i, ent_label_name(s->label), s->probs[0],
				    s->probs[1], s->probs[2]);
		for (size_t k = 0; rc == 0 && k < n; k++)
			rc = ent_buf_printf(b, "%s%s", k ? " " : "", codes[k]);
		rc = rc || ent_buf_puts(b, "\t") || flat_text(b, a->source + s->start, s->end - s->start) ||
		     ent_buf_puts(b, "\n");
	}
	return rc;
}

static int finish(ent_buf *b, char **buf, size_t *cap, size_t *len, int failed, ent_error *err)
{
	*buf = b->data;
	*cap = b->cap;
	*len = b->len;
	if (failed)
		return ent_error_set(err, ENT_ENOMEM, "out of memory writing the output");
	return ENT_OK;
}

int ent_report_article(const ent_article *a, const ent_actors *names, ent_report_format format,
		       char **buf, size_t *cap, size_t *len, ent_error *err)
{
	ent_buf b = {*buf, *len, *cap};
	int rc;
	switch (format) {
	case ENT_FORMAT_TEXT: rc = render_text(&b, a, names); break;
	case ENT_FORMAT_JSON: rc = render_json(&b, a, names, 1); break;
	case ENT_FORMAT_JSONL: rc = render_json(&b, a, names, 0); break;
	case ENT_FORMAT_TSV: rc = render_tsv(&b, a); break;
	default:
		return ent_error_set(err, ENT_EPARAM, "classify has no such format");
	}
	return finish(&b, buf, cap, len, rc != 0, err);
}

int ent_report_tone(const ent_tone *t, const ent_actors *names, ent_report_format format, char **buf,
		    size_t *cap, size_t *len, ent_error *err)
{
	ent_buf b = {*buf, *len, *cap};
	int rc;
	if (format == ENT_FORMAT_TEXT)
		rc = text_tone(&b, t, names);
	else if (format == ENT_FORMAT_JSON || format == ENT_FORMAT_JSONL)
		rc = ent_buf_puts(&b, "{") || json_tone_lists(&b, t, names, format == ENT_FORMAT_JSON ? "\n " : "") ||
		     ent_buf_puts(&b, "}\n");
	else
		return ent_error_set(err, ENT_EPARAM, "merge has no such format (expected json, jsonl or text)");
	return finish(&b, buf, cap, len, rc != 0, err);
}

/* ---- reading sums back ---- */

static int read_units(json_t *v, int64_t *out)
{
	/* a sum of probabilities: never negative, and it must fit in int64 units */
	if (!json_is_number(v) || !(json_number_value(v) >= 0 && json_number_value(v) <= 9e9))
		return 0;
	*out = ent_tone_units(json_number_value(v));
	return 1;
}

static int read_count(json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return 0;
	*out = (uint64_t)json_integer_value(v);
	return 1;
}

static int read_entry(json_t *obj, ent_tone_entry *e)
{
	return read_count(obj, "sentences", &e->sentences) &&
	       read_count(obj, "cooperative", &e->counts[ENT_LABEL_COOPERATIVE]) &&
	       read_count(obj, "conflictual", &e->counts[ENT_LABEL_CONFLICTUAL]) &&
	       read_count(obj, "neutral", &e->counts[ENT_LABEL_NEUTRAL]) &&
	       read_units(json_object_get(obj, "sum_cooperative"), &e->sum_cooperative) &&
	       read_units(json_object_get(obj, "sum_conflictual"), &e->sum_conflictual);
}

static int read_key(json_t *obj, int pair, ent_tone_entry *e)
{
	char *key = e->key;
	if (!pair) {
		json_t *code = json_object_get(obj, "code"), *name = json_object_get(obj, "name");
		if (json_is_string(name))
			snprintf(e->name, sizeof e->name, "%s", json_string_value(name));
		return json_is_string(code) && json_string_length(code) < ENT_TONE_MAX_KEY &&
		       snprintf(key, ENT_TONE_MAX_KEY, "%s", json_string_value(code)) > 0;
	}
	json_t *codes = json_object_get(obj, "actors");
	json_t *a = json_array_get(codes, 0), *b = json_array_get(codes, 1);
	if (json_array_size(codes) != 2 || !json_is_string(a) || !json_is_string(b))
		return 0;
	return (size_t)snprintf(key, ENT_TONE_MAX_KEY, "%s %s", json_string_value(a), json_string_value(b)) <
	       ENT_TONE_MAX_KEY;
}

static int add_list(ent_tone *t, json_t *list, int pair, ent_error *err)
{
	size_t i;
	json_t *obj;
	if (!json_is_array(list))
		return ent_error_set(err, ENT_EFORMAT, "expected an array of %s", pair ? "pairs" : "actors");
	json_array_foreach(list, i, obj)
	{
		ent_tone_entry e;
		memset(&e, 0, sizeof e);
		if (!json_is_object(obj) || !read_key(obj, pair, &e) || !read_entry(obj, &e))
			return ent_error_set(err, ENT_EFORMAT, "%s %zu lacks its code, counts or sums",
					     pair ? "pair" : "actor", i + 1);
		int rc = ent_tone_add_entry(t, &e, pair ? ENT_TONE_PAIR : ENT_TONE_ACTOR, err);
		if (rc != ENT_OK)
			return rc;
	}
	return ENT_OK;
}

int ent_tone_add_json(ent_tone *t, const char *json, size_t len, ent_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return ent_error_set(err, ENT_EFORMAT, "invalid JSON at column %d: %s", jerr.column,
				     root ? "expected an object" : jerr.text);
	}
	ent_tone_entry all;
	memset(&all, 0, sizeof all);
	int rc = add_list(t, json_object_get(root, "actors"), 0, err);
	if (rc == ENT_OK)
		rc = add_list(t, json_object_get(root, "pairs"), 1, err);
	if (rc == ENT_OK && (!read_count(root, "actor_sentences", &all.sentences) ||
			     !read_units(json_object_get(root, "sum_cooperative"), &all.sum_cooperative) ||
			     !read_units(json_object_get(root, "sum_conflictual"), &all.sum_conflictual)))
		rc = ent_error_set(err, ENT_EFORMAT, "missing 'actor_sentences' or article sums");
	if (rc == ENT_OK)
		rc = ent_tone_add_entry(t, &all, ENT_TONE_OVERALL, err);
	json_decref(root);
	return rc;
}
