/* Throughput of ent_text_analyze() on English news text.
 *
 *   cc -O2 -Iinclude -D_POSIX_C_SOURCE=200809L tests/bench/bench_text.c src/text.c \
 *      src/utf8.c src/error.c -lutf8proc -o /tmp/bench_text
 *   /tmp/bench_text [FILE] [MEGABYTES]
 *
 * Without FILE it generates wire-style articles (headline, paragraphs,
 * abbreviations, numbers, quotes, some accented names); with FILE it
 * analyses that file as one article, over and over. One ent_text is reused
 * throughout, as the classifier does. Prints MB/s of input.
 */
#include "entente/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ARTICLE_BYTES 3000

static const char *const words[] = {
    "the",          "said",      "on",          "talks",      "officials", "government", "minister",
    "foreign",      "would",     "with",        "a",          "of",        "to",         "and",
    "in",           "that",      "for",         "was",        "not",       "agreement",  "sanctions",
    "meeting",      "security",  "military",    "trade",      "economic",  "president",  "spokesman",
    "statement",    "week",      "Tuesday",     "China",      "Beijing",   "Washington", "Russia",
    "Moscow",       "Ukraine",   "Kyiv",        "NATO",       "European",  "Union",      "ceasefire",
    "negotiations", "relations", "cooperation", "tensions",   "accused",   "condemned",  "support",
    "aid",          "agreed",    "rejected",    "threatened", "border",    "troops",     "defense",
    "China's",      "don't",     "China-US",    "U.S.-led",   "Mr.",       "Gen.",       "U.S.",
    "U.N.",         "3.5",       "1,000",       "$2.5",       "billion",   "percent",    "2024",
    "Zürich",       "São",       "Paulo",       "Erdoğan",    "Moskva",    "“we",        "will",
    "fight,”",      "(Reuters)", "-",           "e.g.",       "Jan.",      "5",          "Sept.",
    "30",           "No.",       "10",          "Ministers'", "it's",
};

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static size_t append(char *out, size_t len, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (len + n < cap) {
		memcpy(out + len, s, n);
		len += n;
	}
	return len;
}

/* One article of about ARTICLE_BYTES: a headline and paragraphs of
 * sentences of 8 to 30 words. */
static size_t make_article(char *out, size_t cap, uint64_t *rng)
{
	size_t len = append(out, 0, cap, "China and U.S. agree to resume military talks\n\n");
	size_t nwords = sizeof words / sizeof words[0];
	while (len + 400 < cap && len < ARTICLE_BYTES) {
		size_t sentences = 2 + next_random(rng) % 4;
		for (size_t s = 0; s < sentences; s++) {
			size_t n = 8 + next_random(rng) % 23;
			len = append(out, len, cap, "The");
			for (size_t w = 0; w < n; w++) {
				len = append(out, len, cap, w % 11 == 10 ? ",\n" : " ");
				len = append(out, len, cap, words[next_random(rng) % nwords]);
			}
			len = append(out, len, cap, next_random(rng) % 8 == 0 ? "?\" " : ". ");
		}
		len = append(out, len, cap, "\n\n");
	}
	return len;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t cap = 0;
	*len = 0;
	while (f != NULL) {
		if (*len == cap) {
			char *grown = realloc(data, cap ? cap * 2 : 65536);
			if (grown == NULL)
				break;
			data = grown;
			cap = cap ? cap * 2 : 65536;
		}
		size_t got = fread(data + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	if (f != NULL)
		fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
	double megabytes = argc > 2 ? atof(argv[2]) : 200.0;
	size_t file_len = 0;
	char *file = path != NULL ? read_file(path, &file_len) : NULL;
	if (path != NULL && file == NULL) {
		fprintf(stderr, "bench_text: cannot read %s\n", path);
		return 1;
	}
	ent_text *text = NULL;
	ent_error err = ENT_ERROR_INIT;
	if (ent_text_new(&text, &err) != ENT_OK) {
		fprintf(stderr, "bench_text: %s\n", err.message);
		return 1;
	}
	/* Pre-generate the articles so the timing covers analysis only. */
	enum { ARTICLES = 4096 };
	static char generated[ARTICLES][ARTICLE_BYTES + 512];
	static size_t generated_len[ARTICLES];
	uint64_t rng = 0x9E3779B97F4A7C15u;
	for (size_t i = 0; path == NULL && i < ARTICLES; i++)
		generated_len[i] = make_article(generated[i], sizeof generated[i], &rng);

	double total = 0, target = megabytes * 1e6, start = now_seconds();
	size_t sentences = 0, tokens = 0, articles = 0;
	while (total < target) {
		const char *data = path ? file : generated[articles % ARTICLES];
		size_t len = path ? file_len : generated_len[articles % ARTICLES];
		if (ent_text_analyze(text, data, len, ENT_TEXT_ARTICLE, &err) != ENT_OK) {
			fprintf(stderr, "bench_text: %s\n", err.message);
			return 1;
		}
		for (size_t s = 0; s < ent_text_sentence_count(text); s++) {
			size_t count;
			ent_text_tokens(text, s, &count);
			tokens += count;
		}
		sentences += ent_text_sentence_count(text);
		total += (double)len;
		articles++;
	}
	double elapsed = now_seconds() - start;
	printf("%zu articles, %.1f MB, %zu sentences, %zu tokens in %.3f s: %.1f MB/s\n", articles,
	       total / 1e6, sentences, tokens, elapsed, total / 1e6 / elapsed);
	ent_text_free(text);
	free(file);
	return 0;
}
