/* entente — text: UTF-8 repair, normalization, sentence splitting, tokenization.
 *
 * ent_text_analyze() makes one pass over the repaired copy of an article.
 * Tokens never contain white space, so every decision is taken in the
 * stretch between two tokens (the "gap"): whether a paragraph or sentence
 * ends there, whether the earlier token is followed by clause punctuation,
 * whether the later one is joined to it by a hyphen.
 *
 * Sentence ends (ENT_TEXT_ARTICLE):
 *  - A blank line (only white space) or U+2029 ends the paragraph, and with
 *    it the sentence: a sentence never crosses a blank line. A single
 *    newline is a space.
 *  - The first line of the text is a headline, a sentence of its own, when
 *    it does not end with final punctuation, unless the next line starts
 *    with a lower-case letter: that is a hard-wrapped sentence going on.
 *  - A candidate end is a run of . ! ? … (or CJK 。！？), then any closing
 *    quotes or brackets, then white space or the end of the paragraph. The
 *    closers belong to the sentence that ends ('fight." Then', '(See
 *    below.) The'). CJK full stops need no following space.
 *  - At a candidate end, the next word decides. A lower-case next word
 *    means no end ('"Why?" she asked', 'approx. ten'). After an ordinary
 *    word, ! ? or an ellipsis, anything else is an end.
 *  - A period that belongs to an abbreviation (kept in its token) ends a
 *    sentence only in context, by class:
 *      titles, name suffixes, company and place abbreviations, dotted
 *      acronyms (U.S., U.N., a.m.) and single initials (J. Biden): only
 *      before a word that typically opens a sentence (The, He, It, But,
 *      In, ...). So "the U.S. President" and "U.S. officials" go on while
 *      "talks with the U.S. The meeting" breaks; at the end of a paragraph
 *      the blank line ends the sentence anyway;
 *      No. and months (No. 10, Jan. 5): not before a number, but before
 *      a capitalized word;
 *      e.g., i.e., vs., cf.: never;
 *      etc.: like an ordinary word.
 *
 * Tokens: runs of letters, digits and marks of any script (a run of CJK
 * characters stays one token), with inner apostrophes (don't, O'Brien),
 * dots between letters (U.S, e.g) or digits (3.5), and commas in digit
 * groups (1,000). A possessive 's or s' is cut off (ENT_TOKEN_POSSESSIVE),
 * except after pronouns where 's is a contraction (it's, that's). A
 * hyphen between two tokens with no space joins them (ENT_TOKEN_JOINED_PREV);
 * em dashes and spaced hyphens are separators. Everything else ($ % & /
 * emoji, orphan marks) is dropped.
 *
 * Speed: most of a news text is ASCII words between single spaces. Such a
 * gap (plain_space_gap) and such a token (scan_plain_token) take a short
 * way, and the norm of an ASCII token is lower-cased eight bytes at a
 * time; all else goes through scan_gap and scan_token_general, which give
 * the same results for the plain cases too (tests/test_text.c checks).
 */
#include "entente/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "utf8.h"

/* NFKC + case folding. IGNORE also drops default-ignorable code points
 * (soft hyphens, zero-width joiners, bidi marks), as utf8proc's own
 * NFKC_Casefold does, so that a word matches with or without them. */
#define NORM_OPTIONS                                                                                         \
	(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* A longer run of word characters (a hash, base64, hundreds of CJK
 * characters in a row) is cut into several tokens, which keeps the
 * normalization buffer of one token small. Trailing combining marks may
 * stretch a token to TOKEN_HARD_MAX_BYTES, never further. */
#define TOKEN_MAX_BYTES 1024
#define TOKEN_HARD_MAX_BYTES 4096

#define NONE SIZE_MAX

/* Zero bytes kept after the NUL of the repaired source, so that a token
 * can be lower-cased eight bytes at a time without a tail loop. */
#define SOURCE_PADDING 8

/* ---------------------------------------------------------------- buffers */

typedef struct byte_buf {
	char *data;
	size_t len, cap;
} byte_buf;

typedef struct cp_buf {
	utf8proc_int32_t *data;
	size_t cap;
} cp_buf;

typedef struct sentence_rec {
	ent_span span;
	size_t first, count; /* its tokens in ent_text.tokens */
} sentence_rec;

struct ent_text {
	byte_buf source; /* the repaired copy, NUL-terminated */
	size_t invalid;
	byte_buf arena; /* every token's norm and its NUL, in token order */
	ent_token *tokens;
	size_t token_count, token_cap;
	sentence_rec *sentences;
	size_t sentence_count, sentence_cap;
	cp_buf cps; /* utf8proc scratch space, reused */
};

static int buf_grow(byte_buf *b, size_t extra, ent_error *err)
{
	if (extra > SIZE_MAX - b->len || ent_array_reserve((void **)&b->data, &b->cap, b->len + extra, 1) != 0)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for %zu more bytes of text", extra);
	return ENT_OK;
}

/* Makes room for extra more bytes; inline, as it runs once a token. */
static inline int buf_reserve(byte_buf *b, size_t extra, ent_error *err)
{
	return extra < b->cap - b->len ? ENT_OK : buf_grow(b, extra, err);
}

static int cps_reserve(cp_buf *b, size_t need, ent_error *err)
{
	if (ent_array_reserve((void **)&b->data, &b->cap, need, sizeof *b->data) != 0)
		return ent_error_set(err, ENT_ENOMEM, "out of memory normalizing %zu code points", need);
	return ENT_OK;
}

/* ------------------------------------------------------------ UTF-8 repair */

/* Length of the UTF-8 sequence at p (see ent_utf8_sequence); NUL is valid
 * UTF-8 but would cut C strings short, so it is replaced too. */
static size_t utf8_sequence(const unsigned char *p, size_t avail, bool *valid)
{
	int ok;
	size_t n = ent_utf8_sequence(p, avail, &ok);
	*valid = ok && p[0] != 0;
	return n;
}

/* Bytes from p that are valid UTF-8 without NUL. */
static size_t valid_prefix(const unsigned char *p, size_t len)
{
	size_t i = 0;
	bool valid = true;
	/* Eight bytes at a time while they are ASCII without NUL. */
	while (i + 8 <= len) {
		uint64_t word;
		memcpy(&word, p + i, 8);
		uint64_t high = word & 0x8080808080808080u;
		uint64_t zero = (word - 0x0101010101010101u) & ~word & 0x8080808080808080u;
		if ((high | zero) != 0)
			break;
		i += 8;
	}
	while (i < len && valid) {
		if (p[i] >= 0x01 && p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence(p + i, len - i, &valid);
		if (valid)
			i += n;
	}
	return i;
}

/* Copies data into out (NUL-terminated), every invalid sequence replaced by
 * U+FFFD; counts the replacements in *invalid. */
static int repair_utf8(byte_buf *out, const char *data, size_t len, size_t *invalid, ent_error *err)
{
	const unsigned char *in = (const unsigned char *)data;
	size_t i = 0, replaced = 0;
	out->len = 0;
	int rc = buf_reserve(out, len + 1, err);
	while (rc == ENT_OK && i < len) {
		size_t run = valid_prefix(in + i, len - i);
		memcpy(out->data + out->len, in + i, run);
		out->len += run;
		i += run;
		if (i == len)
			break;
		bool valid;
		size_t bad = utf8_sequence(in + i, len - i, &valid);
		/* Each replacement grows the copy by at most two bytes. */
		rc = buf_reserve(out, 3 + (len - i - bad) + 1, err);
		if (rc == ENT_OK) {
			memcpy(out->data + out->len, "\xEF\xBF\xBD", 3);
			out->len += 3;
			i += bad;
			replaced++;
		}
	}
	if (rc == ENT_OK)
		rc = buf_reserve(out, 1 + SOURCE_PADDING, err);
	if (rc == ENT_OK) {
		memset(out->data + out->len, 0, 1 + SOURCE_PADDING); /* the NUL and the padding */
		*invalid = replaced;
	}
	return rc;
}

/* ----------------------------------------------------------- normalization */

/* Curly quotes and dashes become their ASCII forms, so "don’t" matches
 * "don't" and "China–US" matches "China-US". */
static utf8proc_int32_t unify_punctuation(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x2018:
	case 0x2019:
	case 0x02BC:
	case 0x2032:
		return '\'';
	case 0x201C:
	case 0x201D:
	case 0x201E:
		return '"';
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2015:
	case 0x2212:
		return '-';
	default:
		return cp;
	}
}

static int append_lower_ascii(byte_buf *out, const char *s, size_t n, ent_error *err)
{
	int rc = buf_reserve(out, n + 1, err);
	if (rc == ENT_OK) {
		char *dst = out->data + out->len;
		for (size_t i = 0; i < n; i++) {
			char c = s[i];
			dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
		}
		out->len += n;
	}
	return rc;
}

/* Lower-cases the ASCII letters among eight bytes at once. Bit 7 of each
 * byte ends up set when the byte is ASCII and lies in 'A'..'Z': with bit 7
 * masked off, adding a constant below 0x80 cannot carry into the next
 * byte, so each byte is compared on its own. */
static inline uint64_t lower_ascii8(uint64_t word)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t low7 = word & ~high;
	uint64_t from_a = low7 + ones * (0x80 - 'A');     /* bit 7 set from 'A' up */
	uint64_t past_z = low7 + ones * (0x80 - 'Z' - 1); /* bit 7 set past 'Z' */
	uint64_t upper = from_a & ~past_z & ~word & high;
	return word | (upper >> 2); /* bit 7 >> 2 is 0x20 */
}

/* Appends the lower-cased ASCII s[0..n) to out, eight bytes a step, which
 * is what a token's norm costs most of the time. It reads up to seven
 * bytes past n, so s must lie in the padded source (SOURCE_PADDING), and
 * writes as far into out's spare room (bytes past n are overwritten later). */
static int append_lower_ascii_padded(byte_buf *out, const char *s, size_t n, ent_error *err)
{
	int rc = buf_reserve(out, n + 8, err);
	if (rc == ENT_OK) {
		char *dst = out->data + out->len;
		for (size_t i = 0; i < n; i += 8) {
			uint64_t word;
			memcpy(&word, s + i, 8);
			word = lower_ascii8(word);
			memcpy(dst + i, &word, 8);
		}
		out->len += n;
	}
	return rc;
}

/* Decomposes and recomposes s (valid UTF-8) into cps; *count code points. */
static int nfkc_casefold(cp_buf *cps, const char *s, size_t n, size_t *count, ent_error *err)
{
	const utf8proc_uint8_t *in = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t len = (utf8proc_ssize_t)n;
	int rc = ENT_OK;
	utf8proc_ssize_t got =
	    utf8proc_decompose(in, len, cps->data, (utf8proc_ssize_t)cps->cap, NORM_OPTIONS);
	if (got > (utf8proc_ssize_t)cps->cap) { /* too small: got is the size needed */
		rc = cps_reserve(cps, (size_t)got, err);
		if (rc == ENT_OK)
			got =
			    utf8proc_decompose(in, len, cps->data, (utf8proc_ssize_t)cps->cap, NORM_OPTIONS);
	}
	if (rc == ENT_OK && got >= 0)
		got = utf8proc_normalize_utf32(cps->data, got, NORM_OPTIONS);
	if (rc == ENT_OK && got < 0)
		rc = ent_error_set(err, ENT_EUTF8, "cannot normalize text: %s", utf8proc_errmsg(got));
	*count = rc == ENT_OK ? (size_t)got : 0;
	return rc;
}

static int append_nfkc(cp_buf *cps, byte_buf *out, const char *s, size_t n, ent_error *err)
{
	size_t count = 0;
	int rc = nfkc_casefold(cps, s, n, &count, err);
	if (rc == ENT_OK)
		rc = buf_reserve(out, 4 * count + 1, err);
	for (size_t i = 0; rc == ENT_OK && i < count; i++) {
		utf8proc_uint8_t *dst = (utf8proc_uint8_t *)out->data + out->len;
		out->len += (size_t)utf8proc_encode_char(unify_punctuation(cps->data[i]), dst);
	}
	return rc;
}

/* Appends the normalization of s (valid UTF-8) to out, without a NUL.
 * ASCII stretches are only lower-cased; utf8proc sees each non-ASCII
 * stretch with the ASCII character before it (a base for combining marks).
 * Cutting before any other ASCII character is safe: no decomposition spans
 * an ASCII character and none composes with a preceding one. */
static int normalize_append(cp_buf *cps, byte_buf *out, const char *s, size_t n, ent_error *err)
{
	int rc = ENT_OK;
	size_t i = 0;
	while (rc == ENT_OK && i < n) {
		size_t j = i;
		while (j < n && (unsigned char)s[j] < 0x80)
			j++;
		size_t ascii_end = (j < n && j > i) ? j - 1 : j;
		rc = append_lower_ascii(out, s + i, ascii_end - i, err);
		size_t k = j;
		while (k < n && (unsigned char)s[k] >= 0x80)
			k++;
		if (rc == ENT_OK && k > ascii_end)
			rc = append_nfkc(cps, out, s + ascii_end, k - ascii_end, err);
		i = k;
	}
	return rc;
}

/* ------------------------------------------------------ character classes */

enum {
	CI_WORD = 1u << 0,    /* letter, digit or number: starts or continues a token */
	CI_CONT = 1u << 1,    /* combining mark or format character: only continues one */
	CI_UPPER = 1u << 2,   /* upper- or title-case letter */
	CI_LOWER = 1u << 3,   /* lower-case letter */
	CI_DIGIT = 1u << 4,   /* decimal digit */
	CI_SPACE = 1u << 5,   /* white space, newlines included */
	CI_NEWLINE = 1u << 6, /* ends a line */
	CI_PARA = 1u << 7,    /* ends a paragraph by itself (U+2029) */
	CI_PUNCT = 1u << 8,   /* clause punctuation: sets ENT_TOKEN_PUNCT_AFTER */
	CI_APOS = 1u << 9,    /* apostrophe: inside words, possessives, single quotes */
	CI_HYPHEN = 1u << 10, /* joins two words written without spaces */
	CI_TERM = 1u << 11,   /* may end a sentence when white space follows */
	CI_STRONG = 1u << 12, /* ends a sentence even without white space (CJK) */
	CI_CLOSER = 1u << 13, /* closing quote or bracket, stays with the sentence it ends */
	CI_DOT = 1u << 14,    /* full stop */
	CI_LETTER = 1u << 15  /* a word character that is not a decimal digit */
};

#define SP CI_SPACE
#define NL (CI_SPACE | CI_NEWLINE)
#define DG (CI_WORD | CI_DIGIT)
#define UP (CI_WORD | CI_LETTER | CI_UPPER)
#define LO (CI_WORD | CI_LETTER | CI_LOWER)
#define TM (CI_PUNCT | CI_TERM)
#define DT (CI_PUNCT | CI_TERM | CI_DOT)
#define QT (CI_PUNCT | CI_CLOSER)
#define AP (CI_PUNCT | CI_APOS | CI_CLOSER)
#define PU CI_PUNCT
#define CL (CI_PUNCT | CI_CLOSER)
#define HY (CI_PUNCT | CI_HYPHEN)
#define OT 0

/* One row of eight characters a line, from NUL to DEL. Bytes from 0x80
 * are 0 (no CI_WORD), so a scan over ASCII words may look any byte up and
 * stops at the first non-ASCII one. */
/* clang-format off */
static const unsigned short ascii_info[256] = {
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, SP, NL, SP, SP, SP, SP, SP,
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, SP, SP, SP, SP, SP, SP, SP,
	SP, TM, QT, OT, OT, OT, OT, AP,
	PU, CL, OT, OT, PU, HY, DT, OT,
	DG, DG, DG, DG, DG, DG, DG, DG,
	DG, DG, PU, PU, OT, OT, OT, TM,
	OT, UP, UP, UP, UP, UP, UP, UP,
	UP, UP, UP, UP, UP, UP, UP, UP,
	UP, UP, UP, UP, UP, UP, UP, UP,
	UP, UP, UP, PU, OT, CL, OT, OT,
	OT, LO, LO, LO, LO, LO, LO, LO,
	LO, LO, LO, LO, LO, LO, LO, LO,
	LO, LO, LO, LO, LO, LO, LO, LO,
	LO, LO, LO, PU, OT, CL, OT, SP,
};
/* clang-format on */

#undef SP
#undef NL
#undef DG
#undef UP
#undef LO
#undef TM
#undef DT
#undef QT
#undef AP
#undef PU
#undef CL
#undef HY
#undef OT

static unsigned category_info(utf8proc_category_t category)
{
	switch (category) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		return CI_WORD | CI_LETTER | CI_UPPER;
	case UTF8PROC_CATEGORY_LL:
		return CI_WORD | CI_LETTER | CI_LOWER;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return CI_WORD | CI_LETTER;
	case UTF8PROC_CATEGORY_ND:
		return CI_WORD | CI_DIGIT;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_CF:
		return CI_CONT;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_CC:
		return CI_SPACE;
	case UTF8PROC_CATEGORY_ZL:
		return CI_SPACE | CI_NEWLINE;
	case UTF8PROC_CATEGORY_ZP:
		return CI_SPACE | CI_PARA;
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PF:
		return CI_PUNCT | CI_CLOSER;
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PO:
		return CI_PUNCT;
	default:
		return 0; /* symbols, connectors, private use, unassigned */
	}
}

static unsigned unicode_info(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x2019: /* ’ also closes a quotation */
		return CI_PUNCT | CI_APOS | CI_CLOSER;
	case 0x2018:
	case 0x02BC:
	case 0x2032:
	case 0xFF07:
		return CI_PUNCT | CI_APOS;
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2212:
	case 0xFE63:
	case 0xFF0D:
		return CI_PUNCT | CI_HYPHEN; /* em dashes stay separators */
	case 0x2026:
	case 0x061F:
	case 0x06D4:
	case 0x0964:
	case 0x0965:
	case 0x203C:
	case 0x2047:
	case 0x2048:
	case 0x2049:
		return CI_PUNCT | CI_TERM;
	case 0x3002:
	case 0xFF01:
	case 0xFF1F:
	case 0xFF61:
		return CI_PUNCT | CI_TERM | CI_STRONG;
	case 0x0085:
		return CI_SPACE | CI_NEWLINE;
	case 0x200B:
	case 0xFEFF: /* zero-width space and byte order mark separate words */
		return CI_SPACE;
	case 0x115F:
	case 0x1160:
	case 0x3164:
	case 0xFFA0:
		return 0; /* Hangul fillers: letters that normalize to nothing */
	case 0x00A7:
	case 0x00B6:
	case 0x2020:
	case 0x2021:
	case 0x2030:
	case 0x2031:
	case 0x203B:
		return 0; /* § ¶ † ‡ ‰ ‱ ※ are symbols rather than clause punctuation */
	default:
		return category_info(utf8proc_category(cp));
	}
}

/* Decodes the code point at s, which is valid UTF-8. */
static utf8proc_int32_t decode_utf8(const unsigned char *s, size_t *len)
{
	utf8proc_int32_t cp;
	if (s[0] < 0xE0) {
		*len = 2;
		cp = ((s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	} else if (s[0] < 0xF0) {
		*len = 3;
		cp = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	} else {
		*len = 4;
		cp = ((s[0] & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	}
	return cp;
}

static unsigned non_ascii_at(const char *s, size_t pos, size_t *len)
{
	return unicode_info(decode_utf8((const unsigned char *)s + pos, len));
}

/* Class bits of the character at s[pos] and its length in bytes. s is the
 * repaired, NUL-terminated source: the final NUL reads as white space.
 * Inline, as it runs once a character. */
static inline unsigned char_at(const char *s, size_t pos, size_t *len)
{
	unsigned char b = (unsigned char)s[pos];
	unsigned info;
	if (b < 0x80) {
		*len = 1;
		info = ascii_info[b];
	} else {
		info = non_ascii_at(s, pos, len);
	}
	return info;
}

static bool is_letter(unsigned info)
{
	return (info & CI_LETTER) != 0;
}

static bool is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ------------------------------------------------------------ word lists */

enum abbr_kind {
	ABBR_NONE = 0,
	ABBR_NAME,   /* ends a sentence only before a sentence opener: Mr. U.S. J. Inc. */
	ABBR_NUMBER, /* goes on before a number: No. 10, Jan. 5 */
	ABBR_INLINE, /* never ends a sentence: e.g. i.e. vs. */
	ABBR_PLAIN   /* keeps its dot but ends sentences like any word: etc. */
};

typedef struct word_entry {
	const char *text;
	unsigned char len;
	unsigned char kind;
} word_entry;

#define WORD(text, kind)                                                                                     \
	{                                                                                                    \
		text, sizeof text - 1, kind                                                                  \
	}

/* Titles and ranks (Mr, Gen, Sen), name suffixes and company or place
 * abbreviations (Jr, Inc, St, Calif) are ABBR_NAME; No and the months
 * ABBR_NUMBER. Sorted by bytes for binary search, compared case-sensitively:
 * "No." is an abbreviation, "no." is not. */
static const word_entry abbreviations[] = {
    WORD("Adm", ABBR_NAME),   WORD("Ala", ABBR_NAME),    WORD("Apr", ABBR_NUMBER), WORD("Ariz", ABBR_NAME),
    WORD("Ark", ABBR_NAME),   WORD("Atty", ABBR_NAME),   WORD("Aug", ABBR_NUMBER), WORD("Ave", ABBR_NAME),
    WORD("Blvd", ABBR_NAME),  WORD("Brig", ABBR_NAME),   WORD("Bros", ABBR_NAME),  WORD("Calif", ABBR_NAME),
    WORD("Capt", ABBR_NAME),  WORD("Cmdr", ABBR_NAME),   WORD("Co", ABBR_NAME),    WORD("Col", ABBR_NAME),
    WORD("Colo", ABBR_NAME),  WORD("Conn", ABBR_NAME),   WORD("Corp", ABBR_NAME),  WORD("Cpl", ABBR_NAME),
    WORD("Dec", ABBR_NUMBER), WORD("Del", ABBR_NAME),    WORD("Dr", ABBR_NAME),    WORD("Feb", ABBR_NUMBER),
    WORD("Fig", ABBR_NUMBER), WORD("Fla", ABBR_NAME),    WORD("Ft", ABBR_NAME),    WORD("Ga", ABBR_NAME),
    WORD("Gen", ABBR_NAME),   WORD("Gov", ABBR_NAME),    WORD("Hon", ABBR_NAME),   WORD("Ill", ABBR_NAME),
    WORD("Inc", ABBR_NAME),   WORD("Ind", ABBR_NAME),    WORD("Jan", ABBR_NUMBER), WORD("Jr", ABBR_NAME),
    WORD("Jul", ABBR_NUMBER), WORD("Jun", ABBR_NUMBER),  WORD("Kan", ABBR_NAME),   WORD("Ky", ABBR_NAME),
    WORD("La", ABBR_NAME),    WORD("Lt", ABBR_NAME),     WORD("Ltd", ABBR_NAME),   WORD("Maj", ABBR_NAME),
    WORD("Mar", ABBR_NUMBER), WORD("Mass", ABBR_NAME),   WORD("Md", ABBR_NAME),    WORD("Messrs", ABBR_NAME),
    WORD("Mich", ABBR_NAME),  WORD("Minn", ABBR_NAME),   WORD("Miss", ABBR_NAME),  WORD("Mo", ABBR_NAME),
    WORD("Mont", ABBR_NAME),  WORD("Mr", ABBR_NAME),     WORD("Mrs", ABBR_NAME),   WORD("Ms", ABBR_NAME),
    WORD("Mt", ABBR_NAME),    WORD("Neb", ABBR_NAME),    WORD("Nev", ABBR_NAME),   WORD("No", ABBR_NUMBER),
    WORD("Nos", ABBR_NUMBER), WORD("Nov", ABBR_NUMBER),  WORD("Oct", ABBR_NUMBER), WORD("Okla", ABBR_NAME),
    WORD("Ore", ABBR_NAME),   WORD("Pa", ABBR_NAME),     WORD("Pres", ABBR_NAME),  WORD("Prof", ABBR_NAME),
    WORD("Pvt", ABBR_NAME),   WORD("Rep", ABBR_NAME),    WORD("Rev", ABBR_NAME),   WORD("Sen", ABBR_NAME),
    WORD("Sep", ABBR_NUMBER), WORD("Sept", ABBR_NUMBER), WORD("Sgt", ABBR_NAME),   WORD("Sr", ABBR_NAME),
    WORD("St", ABBR_NAME),    WORD("Supt", ABBR_NAME),   WORD("Tenn", ABBR_NAME),  WORD("Va", ABBR_NAME),
    WORD("Vol", ABBR_NUMBER), WORD("Vt", ABBR_NAME),     WORD("Wash", ABBR_NAME),  WORD("Wis", ABBR_NAME),
    WORD("Wyo", ABBR_NAME),   WORD("cf", ABBR_INLINE),   WORD("e.g", ABBR_INLINE), WORD("etc", ABBR_PLAIN),
    WORD("i.e", ABBR_INLINE), WORD("vs", ABBR_INLINE),
};

/* Capitalized words that usually open a sentence, and rarely follow an
 * abbreviation inside one ("the U.S. The talks" vs "the U.S. Navy").
 * Sorted by bytes for binary search. */
static const word_entry sentence_openers[] = {
    WORD("A", 1),     WORD("After", 1),   WORD("Also", 1),  WORD("Although", 1),  WORD("An", 1),
    WORD("And", 1),   WORD("As", 1),      WORD("At", 1),    WORD("Because", 1),   WORD("Before", 1),
    WORD("Both", 1),  WORD("But", 1),     WORD("By", 1),    WORD("Despite", 1),   WORD("During", 1),
    WORD("Each", 1),  WORD("Earlier", 1), WORD("For", 1),   WORD("From", 1),      WORD("He", 1),
    WORD("Her", 1),   WORD("Here", 1),    WORD("His", 1),   WORD("How", 1),       WORD("However", 1),
    WORD("I", 1),     WORD("If", 1),      WORD("In", 1),    WORD("It", 1),        WORD("Its", 1),
    WORD("Last", 1),  WORD("Later", 1),   WORD("Many", 1),  WORD("Meanwhile", 1), WORD("Most", 1),
    WORD("My", 1),    WORD("Next", 1),    WORD("No", 1),    WORD("Now", 1),       WORD("On", 1),
    WORD("Or", 1),    WORD("Other", 1),   WORD("Our", 1),   WORD("She", 1),       WORD("Since", 1),
    WORD("So", 1),    WORD("Some", 1),    WORD("Still", 1), WORD("Such", 1),      WORD("That", 1),
    WORD("The", 1),   WORD("Their", 1),   WORD("Then", 1),  WORD("There", 1),     WORD("These", 1),
    WORD("They", 1),  WORD("This", 1),    WORD("Those", 1), WORD("Though", 1),    WORD("Under", 1),
    WORD("We", 1),    WORD("What", 1),    WORD("When", 1),  WORD("Where", 1),     WORD("Which", 1),
    WORD("While", 1), WORD("Who", 1),     WORD("Why", 1),   WORD("With", 1),      WORD("Without", 1),
    WORD("Yet", 1),   WORD("You", 1),
};

/* Words before which 's is "is" or "has", not a possessive (any case). */
static const word_entry contraction_words[] = {
    WORD("it", 1),   WORD("he", 1),   WORD("she", 1), WORD("that", 1),  WORD("there", 1),
    WORD("here", 1), WORD("what", 1), WORD("who", 1), WORD("where", 1), WORD("when", 1),
    WORD("why", 1),  WORD("how", 1),  WORD("let", 1),
};

#undef WORD

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The kind of the entry equal to s[0..n) in a short list of lower-case
 * words, ignoring ASCII case, or 0. */
static int find_word_ignore_case(const word_entry *list, size_t count, const char *s, size_t n)
{
	int kind = 0;
	for (size_t i = 0; i < count && kind == 0; i++) {
		if (list[i].len != n)
			continue;
		size_t j = 0;
		while (j < n && (s[j] | 0x20) == list[i].text[j])
			j++;
		if (j == n)
			kind = list[i].kind;
	}
	return kind;
}

/* Compares s[0..n) with an entry as memcmp and then the lengths would;
 * byte by byte, as most comparisons are settled by the first byte. */
static int compare_word(const char *s, size_t n, const word_entry *e)
{
	size_t common = n < e->len ? n : e->len, i = 0;
	while (i < common && s[i] == e->text[i])
		i++;
	int cmp = (n > e->len) - (n < e->len);
	if (i < common)
		cmp = (unsigned char)s[i] < (unsigned char)e->text[i] ? -1 : 1;
	return cmp;
}

/* The kind of the entry equal to s[0..n) in a list sorted by bytes, or 0:
 * these lookups run at every sentence end. */
static int search_word(const word_entry *list, size_t count, const char *s, size_t n)
{
	size_t lo = 0, hi = count;
	int kind = 0;
	while (lo < hi && kind == 0) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = compare_word(s, n, &list[mid]);
		if (cmp == 0)
			kind = list[mid].kind;
		else if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return kind;
}

/* ----------------------------------------------------------------- tokens */

typedef struct scanned_token {
	size_t start, end; /* the surface */
	size_t scan_end;   /* past the surface and a stripped possessive */
	unsigned flags;
	int abbr; /* ABBR_* when the token ends with an abbreviation's dot */
	bool ascii;
} scanned_token;

/* What a token is made of, gathered while scanning it. */
typedef struct word_shape {
	unsigned seen; /* class bits of all its word characters, or-ed */
	unsigned last; /* class of the last word character */
	bool first_upper, non_ascii;
	size_t chars;        /* word characters */
	size_t segment;      /* letters since the last inner dot */
	size_t long_segment; /* the longest dot-separated segment */
	size_t inner_dots;   /* dots between letters */
} word_shape;

static void note_char(word_shape *w, unsigned info, size_t len)
{
	w->non_ascii |= len > 1;
	if (info & CI_WORD) { /* marks change nothing else */
		w->first_upper |= w->chars == 0 && (info & CI_UPPER);
		w->chars++;
		w->segment++;
		w->seen |= info;
		w->last = info;
	}
}

/* End of the run of ASCII word characters (letters and digits) from pos,
 * but not past limit; ors their class bits into *seen. Most of a text is
 * such runs: one table lookup a byte. */
static inline size_t ascii_word_end(const char *s, size_t pos, size_t limit, unsigned *seen)
{
	unsigned bits = 0;
	for (; pos < limit; pos++) {
		unsigned info = ascii_info[(unsigned char)s[pos]];
		if (!(info & CI_WORD))
			break;
		bits |= info;
	}
	*seen |= bits;
	return pos;
}

/* Consumes ASCII word characters from pos, short of TOKEN_MAX_BYTES from
 * start, and notes them as note_char would one at a time. */
static size_t scan_ascii_word(const char *s, size_t start, size_t pos, word_shape *w)
{
	size_t end = ascii_word_end(s, pos, start + TOKEN_MAX_BYTES, &w->seen);
	if (end > pos) {
		w->first_upper |= w->chars == 0 && (ascii_info[(unsigned char)s[pos]] & CI_UPPER);
		w->chars += end - pos;
		w->segment += end - pos;
		w->last = ascii_info[(unsigned char)s[end - 1]];
	}
	return end;
}

/* Consumes word characters and marks from pos; returns where they stop. */
static size_t scan_word_chars(const char *s, size_t start, size_t pos, word_shape *w)
{
	for (;;) {
		pos = scan_ascii_word(s, start, pos, w);
		/* ASCII has no marks: an ASCII byte here is not a word character,
		 * or the token has reached TOKEN_MAX_BYTES */
		if ((unsigned char)s[pos] < 0x80)
			break;
		size_t n;
		unsigned info = non_ascii_at(s, pos, &n);
		bool too_long = pos - start >= TOKEN_MAX_BYTES && (info & CI_WORD);
		if (!(info & (CI_WORD | CI_CONT)) || too_long || pos - start >= TOKEN_HARD_MAX_BYTES)
			break;
		note_char(w, info, n);
		pos += n;
	}
	return pos;
}

/* True when "'s" at pos (the s) ends the word: "China's", not "it'solid". */
static bool is_apostrophe_s(const char *s, size_t len, size_t pos)
{
	size_t n;
	return pos < len && (s[pos] == 's' || s[pos] == 'S') &&
	       !(char_at(s, pos + 1, &n) & (CI_WORD | CI_CONT));
}

/* True when pos starts spaces on the same line and then a word: the
 * apostrophe of "Ministers' meeting" is a possessive, the one of
 * "weapons'," closes a quotation. */
static bool word_follows(const char *s, size_t pos)
{
	size_t n;
	unsigned info = char_at(s, pos, &n);
	bool spaced = false;
	while ((info & CI_SPACE) && !(info & CI_NEWLINE) && s[pos] != '\0') {
		spaced = true;
		pos += n;
		info = char_at(s, pos, &n);
	}
	return spaced && (info & CI_WORD);
}

/* Bytes to consume after an inner connector at q (apostrophe, dot, comma)
 * so that the token goes on, or 0 when the token ends at q. A possessive
 * "'s" ends it with *possessive set. */
static size_t inner_connector(const char *s, size_t len, size_t start, size_t q, const word_shape *w,
                              bool *possessive)
{
	size_t n = 0, next_n, go_on = 0;
	unsigned info = q < len ? char_at(s, q, &n) : 0; /* the final NUL ends the token */
	/* the character after the connector is looked at only behind one:
	 * most tokens end at a space */
	if (info & CI_APOS) {
		if (is_apostrophe_s(s, len, q + n) &&
		    !find_word_ignore_case(contraction_words, COUNT(contraction_words), s + start, q - start))
			*possessive = true;
		else if (is_letter(char_at(s, q + n, &next_n)))
			go_on = n;
	} else if (info & CI_DOT) {
		unsigned next = char_at(s, q + n, &next_n);
		bool letters = is_letter(w->last) && is_letter(next);
		bool digits = (w->last & CI_DIGIT) && (next & CI_DIGIT);
		if (letters || digits)
			go_on = 1;
	} else if (s[q] == ',' && (w->last & CI_DIGIT)) {
		/* a digit group: exactly three digits follow ("1,000", not "2019,2020") */
		size_t i = 1;
		while (i <= 4 && is_ascii_digit(s[q + i]))
			i++;
		if (i == 4)
			go_on = 1;
	}
	return go_on;
}

/* The kind of abbreviation whose dot follows s[start..end), or ABBR_NONE. */
static int abbreviation_kind(const char *s, size_t start, size_t end, const word_shape *w)
{
	int kind = ABBR_NONE;
	if (end - start <= 6)
		kind = search_word(abbreviations, COUNT(abbreviations), s + start, end - start);
	if (kind == ABBR_NONE && w->inner_dots > 0 && !(w->seen & CI_DIGIT) && w->long_segment <= 2)
		kind = ABBR_NAME; /* U.S, U.K, a.m, Ph.D */
	if (kind == ABBR_NONE && w->chars == 1 && (w->seen & CI_UPPER))
		kind = ABBR_NAME; /* an initial: J. Biden */
	return kind;
}

/* Bytes of a possessive after the surface s[start..q): "'s" after a kept
 * dot ("U.S.'s") or a lone apostrophe after s ("Ministers' meeting"). */
static size_t trailing_possessive(const char *s, size_t len, size_t start, size_t q)
{
	size_t n = 0, skip = 0;
	bool apostrophe = q < len && (char_at(s, q, &n) & CI_APOS);
	if (apostrophe && s[q - 1] == '.' && is_apostrophe_s(s, len, q + n))
		skip = n + 1;
	else if (apostrophe && (s[q - 1] == 's' || s[q - 1] == 'S') && q - start >= 2 &&
	         word_follows(s, q + n))
		skip = n;
	return skip;
}

/* Token flags from the class bits of its word characters. */
static unsigned class_flags(unsigned seen, bool first_upper)
{
	unsigned flags = 0;
	if ((seen & (CI_DIGIT | CI_LETTER)) == CI_DIGIT)
		flags |= ENT_TOKEN_NUMBER;
	if ((seen & (CI_UPPER | CI_LOWER)) == CI_UPPER)
		flags |= ENT_TOKEN_UPPER;
	if (first_upper)
		flags |= ENT_TOKEN_CAPITALIZED;
	return flags;
}

/* Scans the token that starts with the word character at s[start], in
 * every case: connectors, possessives, abbreviations, any script. */
static void scan_token_general(const char *s, size_t len, size_t start, scanned_token *t)
{
	word_shape w = {0};
	bool possessive = false;
	size_t q = start, apostrophe = 0;
	for (;;) {
		q = scan_word_chars(s, start, q, &w);
		size_t skip =
		    q - start < TOKEN_MAX_BYTES ? inner_connector(s, len, start, q, &w, &possessive) : 0;
		if (skip == 0)
			break;
		if (s[q] == '.' && is_letter(w.last)) {
			w.inner_dots++;
			w.long_segment = w.segment > w.long_segment ? w.segment : w.long_segment;
			w.segment = 0;
		}
		w.non_ascii |= skip > 1;
		q += skip;
	}
	w.long_segment = w.segment > w.long_segment ? w.segment : w.long_segment;
	t->start = start;
	t->abbr = ABBR_NONE;
	if (possessive) {
		char_at(s, q, &apostrophe);
		t->end = q;
		t->scan_end = q + apostrophe + 1;
	} else {
		if (s[q] == '.' && q - start < TOKEN_MAX_BYTES)
			t->abbr = abbreviation_kind(s, start, q, &w);
		t->end = q + (t->abbr != ABBR_NONE);
		apostrophe = trailing_possessive(s, len, start, t->end);
		possessive = apostrophe > 0;
		t->scan_end = t->end + apostrophe;
	}
	t->flags = class_flags(w.seen, w.first_upper) | (possessive ? ENT_TOKEN_POSSESSIVE : 0);
	t->ascii = !w.non_ascii;
}

/* True when the ASCII word characters of a token stop at s[q] (q past the
 * token's start) and nothing there can make it go on or change it: an
 * ASCII byte that is no word character, apostrophe or dot, or a comma
 * after a non-digit (only digits take a comma in: "1,000"). */
static bool plain_token_end(const char *s, size_t q)
{
	unsigned char b = (unsigned char)s[q];
	if (b == ',')
		return !is_ascii_digit(s[q - 1]);
	return b < 0x80 && !(ascii_info[b] & (CI_WORD | CI_APOS | CI_DOT));
}

/* Scans the token at s[start] when it is plain: ASCII letters and digits
 * followed by a space or plain punctuation, as most tokens are. Returns
 * false for any other, left to scan_token_general (which gives the same
 * result for the plain ones too). */
static inline bool scan_plain_token(const char *s, size_t start, scanned_token *t)
{
	unsigned seen = 0;
	size_t q = ascii_word_end(s, start, start + TOKEN_MAX_BYTES, &seen);
	bool plain = q > start && plain_token_end(s, q);
	if (plain) {
		bool first_upper = (ascii_info[(unsigned char)s[start]] & CI_UPPER) != 0;
		*t = (scanned_token){.start = start,
		                     .end = q,
		                     .scan_end = q,
		                     .flags = class_flags(seen, first_upper),
		                     .abbr = ABBR_NONE,
		                     .ascii = true};
	}
	return plain;
}

/* Scans the token that starts with the word character at s[start]. */
static inline void scan_token(const char *s, size_t len, size_t start, scanned_token *t)
{
	if (!scan_plain_token(s, start, t))
		scan_token_general(s, len, start, t);
}

/* ------------------------------------------------------------------- gaps */

enum gap_stop { GAP_TOKEN, GAP_PARAGRAPH, GAP_END };

enum break_kind {
	BREAK_ABBR,   /* the dot of an abbreviation: depends on its kind */
	BREAK_NORMAL, /* . ! ? or an ellipsis after an ordinary word */
	BREAK_ALWAYS  /* a CJK full stop */
};

/* The stretch between two tokens. */
typedef struct gap {
	int stop;           /* GAP_* */
	size_t end;         /* the next token, just past a paragraph break, or the text end */
	size_t ink_end;     /* end of the last visible character before the stop */
	size_t first_punct; /* the first clause punctuation, or NONE */
	size_t candidate;   /* a possible sentence end, after terminators and closers */
	int candidate_kind; /* BREAK_* */
	size_t line_end;    /* ink_end at the first newline, or NONE */
	bool join;          /* a single hyphen joins the two tokens */
} gap;

/* Consumes a run of terminators at pos and the closers after it; notes a
 * candidate end when white space, the text end or a CJK stop follows.
 * after_abbr: the previous token's own dot opens the run. */
static size_t scan_terminators(const char *s, size_t len, size_t pos, bool after_abbr, gap *g)
{
	int kind = after_abbr ? BREAK_ABBR : BREAK_NORMAL;
	size_t n;
	unsigned info = char_at(s, pos, &n);
	while (pos < len && (info & CI_TERM)) {
		if (info & CI_STRONG)
			kind = BREAK_ALWAYS;
		else if (kind != BREAK_ALWAYS)
			kind = BREAK_NORMAL; /* "U.S..." is an ellipsis, no longer an abbreviation */
		if (g->first_punct == NONE)
			g->first_punct = pos;
		pos += n;
		g->ink_end = pos;
		info = char_at(s, pos, &n);
	}
	while (pos < len && (info & CI_CLOSER)) {
		if (g->first_punct == NONE)
			g->first_punct = pos;
		pos += n;
		g->ink_end = pos;
		info = char_at(s, pos, &n);
	}
	if (pos >= len || (info & CI_SPACE) || kind == BREAK_ALWAYS) {
		g->candidate = pos;
		g->candidate_kind = kind;
	}
	return pos;
}

/* Scans from start to the next token, paragraph break (when paragraphs
 * count) or the end of the text. */
static void scan_gap(const char *s, size_t len, size_t start, bool after_abbr, bool paragraphs, gap *g)
{
	*g = (gap){.stop = GAP_END,
	           .end = len,
	           .ink_end = start,
	           .first_punct = NONE,
	           .candidate = NONE,
	           .line_end = NONE};
	size_t pos = after_abbr ? scan_terminators(s, len, start, true, g) : start;
	bool blank_line = false; /* only white space since the last newline */
	while (pos < len) {
		size_t n;
		unsigned info = char_at(s, pos, &n);
		if (info & CI_WORD) {
			g->stop = GAP_TOKEN;
			g->end = pos;
			break;
		}
		if (paragraphs && ((info & CI_PARA) || ((info & CI_NEWLINE) && blank_line))) {
			g->stop = GAP_PARAGRAPH;
			g->end = pos + n;
			break;
		}
		if (info & CI_NEWLINE) {
			blank_line = true;
			if (g->line_end == NONE)
				g->line_end = g->ink_end;
		}
		if (info & CI_SPACE) {
			pos += n;
			continue;
		}
		blank_line = false;
		if (info & CI_TERM) {
			pos = scan_terminators(s, len, pos, false, g);
			continue;
		}
		if ((info & CI_PUNCT) && g->first_punct == NONE)
			g->first_punct = pos;
		pos += n;
		g->ink_end = pos;
	}
	if (g->stop == GAP_TOKEN && g->end > start) {
		size_t n;
		g->join = (char_at(s, start, &n) & CI_HYPHEN) && start + n == g->end;
	}
}

/* ------------------------------------------------------------- splitting */

enum next_word { NEXT_LOWER, NEXT_DIGIT, NEXT_OPENER, NEXT_CAPITAL, NEXT_OTHER };

typedef struct splitter {
	ent_text *text;
	const char *s;
	size_t len;
	bool article;       /* ENT_TEXT_ARTICLE: sentences and paragraphs */
	bool sentence_open; /* the current sentence has tokens */
	size_t sentence_start;
	size_t sentence_first;
	size_t next_from; /* the next sentence starts at the first ink from here */
	bool have_prev;   /* a token precedes in this paragraph */
	int prev_abbr;    /* its ABBR_* */
	bool prev_dot;    /* it ends with its abbreviation's dot, nothing stripped after */
	size_t prev_index;
	bool first_line; /* no newline seen since the first token (headline rule) */
} splitter;

static int next_word_class(const char *s, const scanned_token *t)
{
	size_t n;
	unsigned info = char_at(s, t->start, &n);
	int kind = NEXT_OTHER; /* caseless scripts: Arabic, CJK */
	if (info & CI_LOWER)
		kind = NEXT_LOWER;
	else if (info & CI_DIGIT)
		kind = NEXT_DIGIT;
	else if (info & CI_UPPER)
		kind = search_word(sentence_openers, COUNT(sentence_openers), s + t->start, t->end - t->start)
		           ? NEXT_OPENER
		           : NEXT_CAPITAL;
	return kind;
}

static bool should_break(int break_kind, int abbr, int next)
{
	bool brk = next != NEXT_LOWER;
	if (break_kind == BREAK_ALWAYS)
		brk = true;
	else if (break_kind == BREAK_ABBR && abbr == ABBR_NAME)
		brk = next == NEXT_OPENER;
	else if (break_kind == BREAK_ABBR && abbr == ABBR_NUMBER)
		brk = next == NEXT_OPENER || next == NEXT_CAPITAL || next == NEXT_OTHER;
	else if (break_kind == BREAK_ABBR && abbr == ABBR_INLINE)
		brk = false;
	return brk;
}

/* Where the sentence ends between the previous token and next, or NONE. */
static size_t sentence_end(const splitter *sp, const gap *g, const scanned_token *next)
{
	size_t end = NONE;
	bool candidate = sp->article && g->candidate != NONE;
	bool headline = sp->article && !candidate && sp->first_line && g->line_end != NONE;
	/* The next word is looked at only here: its lookup costs. */
	if (candidate && should_break(g->candidate_kind, sp->prev_abbr, next_word_class(sp->s, next)))
		end = g->candidate;
	else if (headline && next_word_class(sp->s, next) != NEXT_LOWER)
		end = g->line_end;
	return end;
}

static int push_sentence(ent_text *t, size_t start, size_t end, size_t first, size_t count, ent_error *err)
{
	if (ent_array_reserve((void **)&t->sentences, &t->sentence_cap, t->sentence_count + 1,
			      sizeof *t->sentences) != 0)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for %zu sentences", t->sentence_count + 1);
	t->sentences[t->sentence_count++] = (sentence_rec){{start, end}, first, count};
	return ENT_OK;
}

/* Records the open sentence, cut into pieces of at most
 * ENT_TEXT_MAX_SENTENCE_TOKENS tokens; the next one starts at next_from. */
static int close_sentence(splitter *sp, size_t end, size_t next_from, ent_error *err)
{
	ent_text *t = sp->text;
	size_t first = sp->sentence_first, left = t->token_count - first;
	size_t start = sp->sentence_start;
	int rc = ENT_OK;
	while (rc == ENT_OK && left > 0) {
		size_t take = left < ENT_TEXT_MAX_SENTENCE_TOKENS ? left : ENT_TEXT_MAX_SENTENCE_TOKENS;
		size_t piece_end = take == left ? end : t->tokens[first + take - 1].end;
		rc = push_sentence(t, start, piece_end, first, take, err);
		first += take;
		left -= take;
		if (left > 0) { /* nothing precedes the first token of a piece */
			start = t->tokens[first].start;
			t->tokens[first].flags &= ~(unsigned)ENT_TOKEN_JOINED_PREV;
		}
	}
	sp->sentence_open = false;
	sp->next_from = next_from;
	return rc;
}

/* True when the previous token's own dot is the last thing before the gap. */
static bool prev_ends_with_dot(const splitter *sp)
{
	return sp->have_prev && sp->prev_dot;
}

/* Applies a gap between two tokens of a paragraph: flags, sentence end. */
static int link_tokens(splitter *sp, const gap *g, scanned_token *next, ent_error *err)
{
	size_t end = sentence_end(sp, g, next);
	ent_token *prev = &sp->text->tokens[sp->prev_index];
	int rc = ENT_OK;
	if (g->line_end != NONE)
		sp->first_line = false;
	if (g->join)
		next->flags |= ENT_TOKEN_JOINED_PREV;
	else if (g->first_punct < (end != NONE ? end : g->end))
		prev->flags |= ENT_TOKEN_PUNCT_AFTER;
	if (end != NONE) {
		if (prev_ends_with_dot(sp)) /* "the U.S." : its dot ends the sentence too */
			prev->flags |= ENT_TOKEN_PUNCT_AFTER;
		rc = close_sentence(sp, end, end, err);
	}
	return rc;
}

/* Ends the paragraph (or the text) at a gap that reached no token. */
static int end_paragraph(splitter *sp, const gap *g, ent_error *err)
{
	int rc = ENT_OK;
	if (sp->have_prev) {
		ent_token *prev = &sp->text->tokens[sp->prev_index];
		if (g->first_punct != NONE || prev_ends_with_dot(sp))
			prev->flags |= ENT_TOKEN_PUNCT_AFTER;
		sp->first_line = false;
	}
	if (sp->sentence_open)
		rc = close_sentence(sp, g->ink_end, g->end, err);
	sp->have_prev = false;
	sp->next_from = g->end;
	return rc;
}

static size_t skip_spaces(const char *s, size_t pos, size_t limit)
{
	size_t n;
	while (pos < limit && (char_at(s, pos, &n) & CI_SPACE))
		pos += n;
	return pos;
}

/* Appends the token's norm (and its NUL) to the arena. */
static int append_norm(ent_text *t, const char *surface, size_t n, bool ascii, size_t *norm_len,
                       ent_error *err)
{
	size_t before = t->arena.len;
	int rc = ascii ? append_lower_ascii_padded(&t->arena, surface, n, err)
	               : normalize_append(&t->cps, &t->arena, surface, n, err);
	if (rc == ENT_OK)
		rc = buf_reserve(&t->arena, 1, err);
	if (rc == ENT_OK) {
		*norm_len = t->arena.len - before;
		t->arena.data[t->arena.len++] = '\0';
	}
	return rc;
}

static int push_token(splitter *sp, const scanned_token *tok, ent_error *err)
{
	ent_text *t = sp->text;
	size_t norm_len = 0;
	int rc = ENT_OK;
	/* checked here: it runs once a token */
	if (t->token_count == t->token_cap &&
	    ent_array_reserve((void **)&t->tokens, &t->token_cap, t->token_count + 1, sizeof *t->tokens) != 0)
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for %zu tokens", t->token_count + 1);
	if (rc == ENT_OK)
		rc = append_norm(t, sp->s + tok->start, tok->end - tok->start, tok->ascii, &norm_len, err);
	if (rc == ENT_OK && !sp->sentence_open) {
		sp->sentence_open = true;
		sp->sentence_start = skip_spaces(sp->s, sp->next_from, tok->start);
		sp->sentence_first = t->token_count;
	}
	if (rc == ENT_OK) {
		/* norm is set once the arena has stopped moving (attach_norms) */
		t->tokens[t->token_count] = (ent_token){NULL, norm_len, tok->start, tok->end, tok->flags};
		sp->prev_abbr = tok->abbr;
		sp->prev_dot = tok->abbr != ABBR_NONE && tok->scan_end == tok->end;
		sp->prev_index = t->token_count++;
		sp->have_prev = true;
	}
	return rc;
}

/* True when the gap at pos is one space before an ASCII word character,
 * as between most words: such a gap holds no punctuation, no newline and
 * no sentence end, so scan_gap and link_tokens would change nothing. Not
 * after an abbreviation's dot, whose space makes a candidate end. */
static bool plain_space_gap(const splitter *sp, size_t pos)
{
	return sp->s[pos] == ' ' && (ascii_info[(unsigned char)sp->s[pos + 1]] & CI_WORD) &&
	       !prev_ends_with_dot(sp);
}

static int split_text(splitter *sp, ent_error *err)
{
	size_t pos = 0;
	int rc = ENT_OK;
	while (rc == ENT_OK) {
		scanned_token tok;
		if (plain_space_gap(sp, pos)) {
			scan_token(sp->s, sp->len, pos + 1, &tok);
		} else {
			gap g;
			scan_gap(sp->s, sp->len, pos, prev_ends_with_dot(sp), sp->article, &g);
			if (g.stop != GAP_TOKEN) {
				rc = end_paragraph(sp, &g, err);
				if (g.stop == GAP_END)
					break;
				pos = g.end;
				continue;
			}
			scan_token(sp->s, sp->len, g.end, &tok);
			if (sp->have_prev)
				rc = link_tokens(sp, &g, &tok, err);
		}
		if (rc == ENT_OK)
			rc = push_token(sp, &tok, err);
		pos = tok.scan_end;
	}
	return rc;
}

/* Points every token at its norm: norms sit in the arena in token order. */
static void attach_norms(ent_text *t)
{
	const char *norm = t->arena.data;
	for (size_t i = 0; i < t->token_count; i++) {
		t->tokens[i].norm = norm;
		norm += t->tokens[i].norm_len + 1;
	}
}

/* Forgets the last analysis, keeping every buffer for the next one. */
static void reset(ent_text *t)
{
	t->source.len = 0;
	if (t->source.data != NULL)
		t->source.data[0] = '\0';
	t->invalid = 0;
	t->arena.len = 0;
	t->token_count = 0;
	t->sentence_count = 0;
}

/* ------------------------------------------------------------ public API */

int ent_text_new(ent_text **out, ent_error *err)
{
	int rc = ENT_OK;
	if (out == NULL)
		rc = ent_error_set(err, ENT_EPARAM, "ent_text_new: out is NULL");
	else if ((*out = calloc(1, sizeof **out)) == NULL)
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory allocating a text analyser");
	return rc;
}

void ent_text_free(ent_text *text)
{
	if (text == NULL)
		return;
	free(text->source.data);
	free(text->arena.data);
	free(text->tokens);
	free(text->sentences);
	free(text->cps.data);
	free(text);
}

int ent_text_analyze(ent_text *text, const char *data, size_t len, ent_text_mode mode, ent_error *err)
{
	int rc = ENT_OK;
	if (text == NULL || (data == NULL && len > 0) ||
	    (mode != ENT_TEXT_ARTICLE && mode != ENT_TEXT_SENTENCE)) {
		rc = ent_error_set(err, ENT_EPARAM, "ent_text_analyze: %s",
		                   text == NULL                ? "text is NULL"
		                   : (data == NULL && len > 0) ? "data is NULL"
		                                               : "unknown mode");
		goto done;
	}
	reset(text);
	if (len > ENT_TEXT_MAX_ARTICLE_BYTES) {
		rc = ent_error_set(err, ENT_ELIMIT, "article of %zu bytes exceeds the limit of %zu bytes",
		                   len, ENT_TEXT_MAX_ARTICLE_BYTES);
		goto done;
	}
	rc = repair_utf8(&text->source, data != NULL ? data : "", len, &text->invalid, err);
	if (rc != ENT_OK)
		goto done;
	splitter sp = {.text = text,
	               .s = text->source.data,
	               .len = text->source.len,
	               .article = mode == ENT_TEXT_ARTICLE,
	               .first_line = true};
	rc = split_text(&sp, err);
	if (rc == ENT_OK)
		attach_norms(text);
done:
	if (rc != ENT_OK && text != NULL)
		reset(text);
	return rc;
}

const char *ent_text_source(const ent_text *text, size_t *len)
{
	const char *source = "";
	size_t n = 0;
	if (text != NULL && text->source.data != NULL) {
		source = text->source.data;
		n = text->source.len;
	}
	if (len != NULL)
		*len = n;
	return source;
}

size_t ent_text_invalid_count(const ent_text *text)
{
	return text != NULL ? text->invalid : 0;
}

size_t ent_text_sentence_count(const ent_text *text)
{
	return text != NULL ? text->sentence_count : 0;
}

ent_span ent_text_sentence_span(const ent_text *text, size_t sentence)
{
	ent_span span = {0, 0};
	if (text != NULL && sentence < text->sentence_count)
		span = text->sentences[sentence].span;
	return span;
}

const ent_token *ent_text_tokens(const ent_text *text, size_t sentence, size_t *count)
{
	const ent_token *tokens = NULL;
	size_t n = 0;
	if (text != NULL && sentence < text->sentence_count) {
		tokens = text->tokens + text->sentences[sentence].first;
		n = text->sentences[sentence].count;
	}
	if (count != NULL)
		*count = n;
	return tokens;
}

int ent_text_normalize(const char *data, size_t len, char **out, size_t *out_len, ent_error *err)
{
	byte_buf repaired = {0}, result = {0};
	cp_buf cps = {0};
	size_t invalid = 0;
	int rc = ENT_OK;
	if (out == NULL || (data == NULL && len > 0)) {
		rc = ent_error_set(err, ENT_EPARAM, "ent_text_normalize: %s",
		                   out == NULL ? "out is NULL" : "data is NULL");
		goto done;
	}
	*out = NULL;
	if (len > ENT_TEXT_MAX_ARTICLE_BYTES) {
		rc = ent_error_set(err, ENT_ELIMIT, "text of %zu bytes exceeds the limit of %zu bytes", len,
		                   ENT_TEXT_MAX_ARTICLE_BYTES);
		goto done;
	}
	rc = repair_utf8(&repaired, data != NULL ? data : "", len, &invalid, err);
	if (rc == ENT_OK)
		rc = buf_reserve(&result, repaired.len + 1, err);
	if (rc == ENT_OK)
		rc = normalize_append(&cps, &result, repaired.data, repaired.len, err);
	if (rc == ENT_OK)
		rc = buf_reserve(&result, 1, err);
	if (rc == ENT_OK) {
		result.data[result.len] = '\0';
		*out = result.data;
		if (out_len != NULL)
			*out_len = result.len;
		result.data = NULL;
	}
done:
	free(repaired.data);
	free(result.data);
	free(cps.data);
	return rc;
}
