/* entente — text: UTF-8 repair, normalization, sentence splitting, tokenization.
 *
 * An ent_text is a reusable analyser: ent_text_analyze() copies an article,
 * replaces invalid UTF-8 by U+FFFD, splits it into sentences and tokens, and
 * keeps everything until the next analyze or free. Pointers returned by the
 * accessors are borrowed and invalidated by the next ent_text_analyze().
 */
#ifndef ENTENTE_TEXT_H
#define ENTENTE_TEXT_H

#include <stddef.h>

#include "entente/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hard caps, so hostile input cannot exhaust memory. */
#define ENT_TEXT_MAX_ARTICLE_BYTES ((size_t)16 * 1024 * 1024)
#define ENT_TEXT_MAX_SENTENCE_TOKENS 1000 /* longer sentences are cut into pieces */

/* Token flags. */
enum {
	ENT_TOKEN_NUMBER = 1u << 0,     /* digits, with inner '.' or ',' ("3.5", "1,000") */
	ENT_TOKEN_PUNCT_AFTER = 1u << 1, /* dropped punctuation (, ; : ! ? . quotes brackets,
					  spaced dashes, CJK punctuation) follows */
	ENT_TOKEN_POSSESSIVE = 1u << 2, /* a possessive "'s" or "'" was stripped ("China's") */
	ENT_TOKEN_JOINED_PREV = 1u << 3, /* joined to the previous token by a hyphen ("China-US") */
	ENT_TOKEN_UPPER = 1u << 4,      /* the surface has an upper-case letter and no lower-case
					  one ("US", "NATO"); never set for caseless scripts */
	ENT_TOKEN_CAPITALIZED = 1u << 5 /* the original surface starts with an upper-case letter */
};

typedef struct ent_token {
	const char *norm; /* NFKC + case folded, default-ignorable characters (soft hyphens,
			     zero-width joiners, bidi marks) dropped, quotes/dashes unified;
			     NUL-terminated */
	size_t norm_len;
	size_t start, end; /* byte span of the surface in ent_text_source() */
	unsigned flags;
} ent_token;

typedef struct ent_span {
	size_t start, end; /* byte offsets in ent_text_source(), end exclusive */
} ent_span;

typedef enum ent_text_mode {
	ENT_TEXT_ARTICLE = 0, /* split into sentences (headline, paragraphs, abbreviations) */
	ENT_TEXT_SENTENCE = 1 /* the whole input is one sentence (a labeled training row) */
} ent_text_mode;

typedef struct ent_text ent_text;

int ent_text_new(ent_text **out, ent_error *err);
void ent_text_free(ent_text *text);

/* Analyses data[0..len) (need not be NUL-terminated). Fails with ENT_ELIMIT
 * over ENT_TEXT_MAX_ARTICLE_BYTES and ENT_ENOMEM; never on bad bytes. */
int ent_text_analyze(ent_text *text, const char *data, size_t len, ent_text_mode mode,
		     ent_error *err);

/* The analysed text after UTF-8 repair: what spans point into. */
const char *ent_text_source(const ent_text *text, size_t *len);
/* How many invalid sequences were replaced by U+FFFD, counted as Unicode's
 * "maximal subparts" (as Python and browsers do): "\xC0\xAF" counts 2. */
size_t ent_text_invalid_count(const ent_text *text);

size_t ent_text_sentence_count(const ent_text *text);
ent_span ent_text_sentence_span(const ent_text *text, size_t sentence);
const ent_token *ent_text_tokens(const ent_text *text, size_t sentence, size_t *count);

/* Normalizes one string (NFKC, case fold, quotes/dashes unified) into a new
 * NUL-terminated buffer the caller frees. Invalid UTF-8 becomes U+FFFD.
 * ENT_EPARAM for NULL arguments, ENT_ELIMIT over ENT_TEXT_MAX_ARTICLE_BYTES. */
int ent_text_normalize(const char *data, size_t len, char **out, size_t *out_len,
		       ent_error *err);

#ifdef __cplusplus
}
#endif
#endif
