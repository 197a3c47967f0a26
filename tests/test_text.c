/* CUnit suite of the text module: UTF-8 repair, normalization, sentence
 * splitting and tokenization, one named test per edge case, and a golden
 * wire-style article compared byte for byte. Runs from tests/. */
#include "entente/text.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/test_util.h"

#define BIG 16384

/* Like CU_ASSERT_STRING_EQUAL, and shows both strings when they differ. */
#define EXPECT_STR(actual, expected)                                                                         \
	do {                                                                                                 \
		const char *a_ = (actual), *e_ = (expected);                                                 \
		if (a_ == NULL || strcmp(a_, e_) != 0)                                                       \
			fprintf(stderr, "\n%s:%d:\n  got      <%s>\n  expected <%s>\n", __FILE__, __LINE__,  \
			        a_ ? a_ : "(null)", e_);                                                     \
		CU_ASSERT_PTR_NOT_NULL(a_);                                                                  \
		if (a_ != NULL)                                                                              \
			CU_ASSERT_STRING_EQUAL(a_, e_);                                                      \
	} while (0)

/* Sentences of input (article mode), as their source text joined by '|'. */
#define EXPECT_SPLIT(input, expected)                                                                        \
	do {                                                                                                 \
		char buf_[BIG];                                                                              \
		split_of(input, buf_, sizeof buf_);                                                          \
		EXPECT_STR(buf_, expected);                                                                  \
	} while (0)

/* Token norms of input, space-separated, sentences separated by " | ". */
#define EXPECT_TOKENS(input, mode, expected)                                                                 \
	do {                                                                                                 \
		char buf_[BIG];                                                                              \
		tokens_of(input, mode, buf_, sizeof buf_);                                                   \
		EXPECT_STR(buf_, expected);                                                                  \
	} while (0)

#define EXPECT_NORMALIZE(input, len, expected)                                                               \
	do {                                                                                                 \
		char *out_ = NULL;                                                                           \
		size_t out_len_ = 0;                                                                         \
		ent_error err_ = ENT_ERROR_INIT;                                                             \
		CU_ASSERT_EQUAL(ent_text_normalize(input, len, &out_, &out_len_, &err_), ENT_OK);            \
		EXPECT_STR(out_, expected);                                                                  \
		CU_ASSERT_EQUAL(out_len_, strlen(expected));                                                 \
		free(out_);                                                                                  \
	} while (0)

/* ---------------------------------------------------------------- helpers */

static ent_text *analyze_n(const char *input, size_t len, ent_text_mode mode)
{
	ent_text *text = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_text_new(&text, &err), ENT_OK);
	int rc = ent_text_analyze(text, input, len, mode, &err);
	if (rc != ENT_OK)
		fprintf(stderr, "\nent_text_analyze: %s\n", err.message);
	CU_ASSERT_EQUAL(rc, ENT_OK);
	return text;
}

static ent_text *analyze(const char *input, ent_text_mode mode)
{
	return analyze_n(input, strlen(input), mode);
}

static void append_bytes(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > cap)
		n = cap - *len - 1;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

static void sentences_text(const ent_text *text, char *out, size_t cap)
{
	size_t len = 0, source_len;
	const char *source = ent_text_source(text, &source_len);
	out[0] = '\0';
	for (size_t i = 0; i < ent_text_sentence_count(text); i++) {
		ent_span span = ent_text_sentence_span(text, i);
		CU_ASSERT(span.start < span.end && span.end <= source_len);
		if (i > 0)
			append_bytes(out, cap, &len, "|", 1);
		append_bytes(out, cap, &len, source + span.start, span.end - span.start);
	}
}

enum {
	PUNCT = ENT_TOKEN_PUNCT_AFTER,
	JOINED = ENT_TOKEN_JOINED_PREV,
	POSS = ENT_TOKEN_POSSESSIVE,
	NUM = ENT_TOKEN_NUMBER,
	UPPER = ENT_TOKEN_UPPER,
	CAP = ENT_TOKEN_CAPITALIZED
};

/* Token flags as letters after a '/': P J S N U C for PUNCT_AFTER,
 * JOINED_PREV, POSSESSIVE, NUMBER, UPPER, CAPITALIZED. */
static void append_flags(char *out, size_t cap, size_t *len, unsigned flags)
{
	static const char codes[] = "PJSNUC";
	static const unsigned bits[] = {PUNCT, JOINED, POSS, NUM, UPPER, CAP};
	if (flags != 0)
		append_bytes(out, cap, len, "/", 1);
	for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++)
		if (flags & bits[b])
			append_bytes(out, cap, len, codes + b, 1);
}

/* Token norms, sentences separated by " | ", with their flags if asked. */
static void tokens_text(const ent_text *text, char *out, size_t cap, int with_flags)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ent_text_sentence_count(text); i++) {
		size_t count;
		const ent_token *tokens = ent_text_tokens(text, i, &count);
		if (i > 0)
			append_bytes(out, cap, &len, " | ", 3);
		for (size_t j = 0; j < count; j++) {
			if (j > 0)
				append_bytes(out, cap, &len, " ", 1);
			CU_ASSERT_EQUAL(strlen(tokens[j].norm), tokens[j].norm_len);
			append_bytes(out, cap, &len, tokens[j].norm, tokens[j].norm_len);
			if (with_flags)
				append_flags(out, cap, &len, tokens[j].flags);
		}
	}
}

static void split_of(const char *input, char *out, size_t cap)
{
	ent_text *text = analyze(input, ENT_TEXT_ARTICLE);
	sentences_text(text, out, cap);
	ent_text_free(text);
}

static void tokens_of(const char *input, ent_text_mode mode, char *out, size_t cap)
{
	ent_text *text = analyze(input, mode);
	tokens_text(text, out, cap, 0);
	ent_text_free(text);
}

/* The first token whose norm is norm, in any sentence. */
static const ent_token *find_token(const ent_text *text, const char *norm)
{
	for (size_t i = 0; i < ent_text_sentence_count(text); i++) {
		size_t count;
		const ent_token *tokens = ent_text_tokens(text, i, &count);
		for (size_t j = 0; j < count; j++)
			if (strcmp(tokens[j].norm, norm) == 0)
				return &tokens[j];
	}
	return NULL;
}

/* Flags of the token norm in input (sentence mode), or ~0u when missing. */
static unsigned flags_of(const char *input, const char *norm)
{
	ent_text *text = analyze(input, ENT_TEXT_SENTENCE);
	const ent_token *token = find_token(text, norm);
	unsigned flags = token != NULL ? token->flags : ~0u;
	if (token == NULL)
		fprintf(stderr, "\nno token '%s' in '%s'\n", norm, input);
	ent_text_free(text);
	return flags;
}

/* The surface of a token in the repaired source. */
static void surface_of(const ent_text *text, const ent_token *token, char *out, size_t cap)
{
	size_t len = 0;
	const char *source = ent_text_source(text, NULL);
	out[0] = '\0';
	append_bytes(out, cap, &len, source + token->start, token->end - token->start);
}

static void expect_repair(const char *input, size_t len, const char *repaired, size_t invalid)
{
	ent_text *text = analyze_n(input, len, ENT_TEXT_ARTICLE);
	size_t source_len;
	const char *source = ent_text_source(text, &source_len);
	CU_ASSERT_EQUAL(source_len, strlen(repaired));
	CU_ASSERT(memcmp(source, repaired, strlen(repaired) + 1) == 0);
	CU_ASSERT_EQUAL(ent_text_invalid_count(text), invalid);
	ent_text_free(text);
}

/* ------------------------------------------------------------ empty input */

static void test_empty_input(void)
{
	static const char *const inputs[] = {"", "   \n\n \t ", "... !!! $$ ***"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		for (int mode = ENT_TEXT_ARTICLE; mode <= ENT_TEXT_SENTENCE; mode++) {
			ent_text *text = analyze(inputs[i], (ent_text_mode)mode);
			CU_ASSERT_EQUAL(ent_text_sentence_count(text), 0);
			CU_ASSERT_EQUAL(ent_text_invalid_count(text), 0);
			ent_text_free(text);
		}
	}
	ent_text *text = analyze_n(NULL, 0, ENT_TEXT_ARTICLE);
	size_t len = 99;
	EXPECT_STR(ent_text_source(text, &len), "");
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_EQUAL(ent_text_sentence_count(text), 0);
	ent_text_free(text);
}

/* ------------------------------------------------------- sentence splitting */

static void test_sentence_mode_is_one_sentence(void)
{
	ent_text *text = analyze("  One. Two!\n\nThree?  ", ENT_TEXT_SENTENCE);
	CU_ASSERT_EQUAL(ent_text_sentence_count(text), 1);
	ent_span span = ent_text_sentence_span(text, 0);
	CU_ASSERT_EQUAL(span.start, 2);
	CU_ASSERT_EQUAL(span.end, 19);
	char buf[BIG];
	tokens_text(text, buf, sizeof buf, 0);
	EXPECT_STR(buf, "one two three");
	ent_text_free(text);
}

static void test_simple_split(void)
{
	EXPECT_SPLIT("The talks ended. Both sides left.", "The talks ended.|Both sides left.");
}

static void test_title_abbreviations(void)
{
	EXPECT_SPLIT("Mr. Smith, Mrs. Jones, Ms. Lee, Dr. Wu and Prof. Kim met Gen. Milley, "
	             "Lt. Gen. Day, Col. Ray, Sgt. Ortiz and Capt. Hook. Gov. Hochul, "
	             "Sen. Warren, Rep. Omar and Rev. King also came.",
	             "Mr. Smith, Mrs. Jones, Ms. Lee, Dr. Wu and Prof. Kim met Gen. Milley, "
	             "Lt. Gen. Day, Col. Ray, Sgt. Ortiz and Capt. Hook.|Gov. Hochul, "
	             "Sen. Warren, Rep. Omar and Rev. King also came.");
	EXPECT_TOKENS("Mr. Smith met Dr. Wu.", ENT_TEXT_ARTICLE, "mr. smith met dr. wu");
}

static void test_suffix_and_company_abbreviations(void)
{
	EXPECT_SPLIT("Martin Luther King Jr. Day fell on Monday. Acme Inc. said profit rose. "
	             "Beta Co. Ltd. and Gamma Corp. agreed. Hank Williams Sr. was a singer. "
	             "She moved to St. Louis. He lives on Main St. The house is old.",
	             "Martin Luther King Jr. Day fell on Monday.|Acme Inc. said profit rose.|"
	             "Beta Co. Ltd. and Gamma Corp. agreed.|Hank Williams Sr. was a singer.|"
	             "She moved to St. Louis.|He lives on Main St.|The house is old.");
}

/* Every abbreviation of the brief keeps its dot and does not end the
 * sentence before a name or a number. */
static void test_abbreviation_list(void)
{
	static const char *const names[] = {"Mr",  "Mrs", "Ms",   "Dr",  "Prof", "Gen", "Lt",
	                                    "Col", "Sgt", "Capt", "Gov", "Sen",  "Rep", "Rev",
	                                    "St",  "Jr",  "Sr",   "Inc", "Corp", "Ltd", "Co"};
	static const char *const dates[] = {"Jan", "Feb",  "Mar", "Apr", "Jun", "Jul", "Aug",
	                                    "Sep", "Sept", "Oct", "Nov", "Dec", "No"};
	char input[256], expected[256];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(input, sizeof input, "We saw %s. Smith there.", names[i]);
		EXPECT_SPLIT(input, input);
		snprintf(expected, sizeof expected, "we saw %s. smith there", names[i]);
		for (char *c = expected; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		EXPECT_TOKENS(input, ENT_TEXT_ARTICLE, expected);
	}
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		snprintf(input, sizeof input, "It was %s. 5 then.", dates[i]);
		EXPECT_SPLIT(input, input);
	}
}

static void test_dotted_abbreviations_inside_sentence(void)
{
	static const char input[] = "U.S. officials met U.K. and U.N. envoys at 9 a.m. Friday "
	                            "in Washington, D.C. on Monday.";
	EXPECT_SPLIT(input, input);
	EXPECT_TOKENS(input, ENT_TEXT_ARTICLE,
	              "u.s. officials met u.k. and u.n. envoys at 9 a.m. friday in washington "
	              "d.c. on monday");
}

static void test_us_before_capitalized_word(void)
{
	EXPECT_SPLIT("Talks were held with the U.S. The meeting lasted an hour.",
	             "Talks were held with the U.S.|The meeting lasted an hour.");
	EXPECT_SPLIT("He met the U.S. President on Monday.", "He met the U.S. President on Monday.");
	EXPECT_SPLIT("She criticized the U.S. But talks went on.",
	             "She criticized the U.S.|But talks went on.");
	EXPECT_SPLIT("He praised the U.S.\" Then he left.", "He praised the U.S.\"|Then he left.");
}

static void test_us_at_paragraph_end(void)
{
	ent_text *text = analyze("Talks were held with the U.S.\n\nOfficials said little.", ENT_TEXT_ARTICLE);
	char buf[BIG];
	sentences_text(text, buf, sizeof buf);
	EXPECT_STR(buf, "Talks were held with the U.S.|Officials said little.");
	const ent_token *us = find_token(text, "u.s.");
	CU_ASSERT_PTR_NOT_NULL_FATAL(us);
	CU_ASSERT_EQUAL(us->flags, PUNCT | UPPER | CAP); /* its dot is also the full stop */
	ent_text_free(text);
}

static void test_months_and_numbers(void)
{
	EXPECT_SPLIT("The vote is on Jan. 5 and the count on Feb. 10. Results come Sept. 30 or "
	             "Oct. 1. It was held in Dec. The result was close.",
	             "The vote is on Jan. 5 and the count on Feb. 10.|Results come Sept. 30 or "
	             "Oct. 1.|It was held in Dec.|The result was close.");
	EXPECT_SPLIT("He lives at No. 10 Downing Street. \"No.\" That was all.",
	             "He lives at No. 10 Downing Street.|\"No.\"|That was all.");
	EXPECT_TOKENS("It said no. No. 5 won.", ENT_TEXT_ARTICLE, "it said no | no. 5 won");
}

static void test_inline_abbreviations(void)
{
	EXPECT_SPLIT("Allies, e.g. France, agreed, i.e. they signed. Papers, e.g. The Times, "
	             "agreed. Biden vs. Trump was close.",
	             "Allies, e.g. France, agreed, i.e. they signed.|Papers, e.g. The Times, "
	             "agreed.|Biden vs. Trump was close.");
	EXPECT_TOKENS("Allies, e.g. France, i.e. Paris, vs. Berlin", ENT_TEXT_SENTENCE,
	              "allies e.g. france i.e. paris vs. berlin");
}

static void test_etc_ends_sentence_like_a_word(void)
{
	EXPECT_SPLIT("Fruit, nuts, etc. The list grew. Apples etc. are fine.",
	             "Fruit, nuts, etc.|The list grew.|Apples etc. are fine.");
	CU_ASSERT_EQUAL(flags_of("Fruit, nuts, etc.", "etc."), PUNCT);
}

static void test_initials(void)
{
	EXPECT_SPLIT("J. Biden met George W. Bush. They spoke. Plan B. The talks failed.",
	             "J. Biden met George W. Bush.|They spoke.|Plan B.|The talks failed.");
	EXPECT_TOKENS("J. Biden met George W. Bush.", ENT_TEXT_ARTICLE, "j. biden met george w. bush");
}

static void test_period_before_lowercase_word(void)
{
	EXPECT_SPLIT("It rose approx. ten percent. Prices fell 5 pct. on Friday.",
	             "It rose approx. ten percent.|Prices fell 5 pct. on Friday.");
	CU_ASSERT_EQUAL(flags_of("It rose approx. ten percent.", "approx"), PUNCT);
}

static void test_decimals_and_thousands(void)
{
	static const char input[] = "Growth was 3.5 percent, or $2.5 billion, with 1,000 jobs "
	                            "and 1,250,000 people in 2024.";
	EXPECT_SPLIT(input, input);
	EXPECT_TOKENS(input, ENT_TEXT_ARTICLE,
	              "growth was 3.5 percent or 2.5 billion with 1,000 jobs and 1,250,000 "
	              "people in 2024");
	CU_ASSERT_EQUAL(flags_of(input, "3.5"), NUM);
	CU_ASSERT_EQUAL(flags_of(input, "2.5"), NUM);
	CU_ASSERT_EQUAL(flags_of(input, "1,000"), NUM);
	CU_ASSERT_EQUAL(flags_of(input, "1,250,000"), NUM);
	CU_ASSERT_EQUAL(flags_of(input, "2024"), NUM | PUNCT);
	CU_ASSERT_EQUAL(flags_of(input, "percent"), PUNCT);
}

static void test_number_groups_need_three_digits(void)
{
	EXPECT_TOKENS("The years 2019,2020 and 3,5 or 12,3456 and v1.2.3", ENT_TEXT_SENTENCE,
	              "the years 2019 2020 and 3 5 or 12 3456 and v1.2.3");
	CU_ASSERT_EQUAL(flags_of("2019,2020", "2019"), NUM | PUNCT);
	CU_ASSERT_EQUAL(flags_of("v1.2.3", "v1.2.3"), 0);
}

static void test_numbers_end_sentences(void)
{
	EXPECT_SPLIT("Inflation hit 2.5. The bank acted. Sales rose in 2023. 2024 was worse.",
	             "Inflation hit 2.5.|The bank acted.|Sales rose in 2023.|2024 was worse.");
}

static void test_closing_quote_stays_with_sentence(void)
{
	EXPECT_SPLIT("He said \"we will fight.\" Then he left.", "He said \"we will fight.\"|Then he left.");
	EXPECT_SPLIT("He said \xE2\x80\x9Cwe will fight.\xE2\x80\x9D Then he left.",
	             "He said \xE2\x80\x9Cwe will fight.\xE2\x80\x9D|Then he left.");
	EXPECT_SPLIT("He said 'we will fight.' Then he left.", "He said 'we will fight.'|Then he left.");
}

static void test_brackets_after_period(void)
{
	EXPECT_SPLIT("Officials declined to comment. (See below.) The talks resume [on Monday.] "
	             "Next week.",
	             "Officials declined to comment.|(See below.)|The talks resume [on Monday.]|"
	             "Next week.");
}

static void test_exclamation_and_question(void)
{
	EXPECT_SPLIT("Stop! Why now? Because we must. Really?! Yes.",
	             "Stop!|Why now?|Because we must.|Really?!|Yes.");
}

static void test_question_in_quote_before_lowercase(void)
{
	EXPECT_SPLIT("\"Why now?\" she asked. \"Enough!\" he shouted.",
	             "\"Why now?\" she asked.|\"Enough!\" he shouted.");
}

static void test_ellipsis(void)
{
	EXPECT_SPLIT("He paused... Then he spoke. The talks ... will resume. Wait\xE2\x80\xA6 The end.",
	             "He paused...|Then he spoke.|The talks ... will resume.|"
	             "Wait\xE2\x80\xA6|The end.");
}

static void test_cjk_full_stops(void)
{
	EXPECT_SPLIT("中国和美国签署协议。双方会谈！好吗？", "中国和美国签署协议。|双方会谈！|好吗？");
}

static void test_headline_first_line(void)
{
	EXPECT_SPLIT("China and US agree to talks\nThe two sides met on Monday. They agreed.",
	             "China and US agree to talks|The two sides met on Monday.|They agreed.");
	EXPECT_SPLIT("\n\n  Talks resume\r\n\"We are ready,\" he said.",
	             "Talks resume|\"We are ready,\" he said.");
}

static void test_headline_before_blank_line(void)
{
	EXPECT_SPLIT("Talks resume\n\nThe two sides met.", "Talks resume|The two sides met.");
}

static void test_first_line_continued_in_lower_case(void)
{
	EXPECT_SPLIT("The two sides said on Monday that\nthey would meet again.",
	             "The two sides said on Monday that\nthey would meet again.");
}

static void test_only_first_line_is_a_headline(void)
{
	EXPECT_SPLIT("Headline one\nBody line two\nContinues here. End.",
	             "Headline one|Body line two\nContinues here.|End.");
	EXPECT_SPLIT("Intro.\n\nThe Talks\nResumed on Monday.", "Intro.|The Talks\nResumed on Monday.");
}

static void test_line_without_stop_before_blank_line(void)
{
	EXPECT_SPLIT("First paragraph.\n\nA subheading\n\nMore text here.",
	             "First paragraph.|A subheading|More text here.");
}

static void test_blank_lines_end_paragraphs(void)
{
	EXPECT_SPLIT("No stop here\n\nNor here\n \t \nLast one", "No stop here|Nor here|Last one");
	EXPECT_SPLIT("One line\r\n\r\nTwo line\r\n", "One line|Two line");
	EXPECT_SPLIT("Before the break\xE2\x80\xA9"
	             "after it",
	             "Before the break|after it");
}

static void test_single_newlines_are_spaces(void)
{
	EXPECT_SPLIT("The talks\nwill resume\non Monday. Officials\nsaid so.",
	             "The talks\nwill resume\non Monday.|Officials\nsaid so.");
}

static void test_whitespace_trimmed_from_spans(void)
{
	static const char input[] = "  \n\t Hello world.  \n\n  Bye.\n";
	ent_text *text = analyze(input, ENT_TEXT_ARTICLE);
	CU_ASSERT_EQUAL_FATAL(ent_text_sentence_count(text), 2);
	ent_span first = ent_text_sentence_span(text, 0);
	ent_span second = ent_text_sentence_span(text, 1);
	CU_ASSERT_EQUAL(first.start, 5);
	CU_ASSERT_EQUAL(first.end, 17);
	CU_ASSERT_EQUAL(second.start, 23);
	CU_ASSERT_EQUAL(second.end, 27);
	ent_text_free(text);
}

static void test_punctuation_only_paragraph_dropped(void)
{
	EXPECT_SPLIT("***\n\nText here.\n\n---\n", "Text here.");
	EXPECT_SPLIT("\xEF\xBB\xBFText after a byte order mark.", "Text after a byte order mark.");
}

/* 2,501 tokens in one sentence: pieces of 1,000, 1,000 and 501. */
static void test_long_sentence_is_cut(void)
{
	size_t len = 0, cap = 2 + 2500 * 4 + 2;
	char *input = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(input);
	memcpy(input, "x ", 2);
	len = 2;
	for (size_t i = 0; i < 1250; i++) {
		memcpy(input + len, "a-b ", 4);
		len += 4;
	}
	memcpy(input + len - 1, ".", 1); /* tokens: x a b(joined) a b(joined) ... */
	ent_text *text = analyze_n(input, len, ENT_TEXT_ARTICLE);
	CU_ASSERT_EQUAL_FATAL(ent_text_sentence_count(text), 3);
	size_t counts[3];
	for (size_t i = 0; i < 3; i++)
		ent_text_tokens(text, i, &counts[i]);
	CU_ASSERT_EQUAL(counts[0], ENT_TEXT_MAX_SENTENCE_TOKENS);
	CU_ASSERT_EQUAL(counts[1], ENT_TEXT_MAX_SENTENCE_TOKENS);
	CU_ASSERT_EQUAL(counts[2], 501);
	size_t count;
	const ent_token *second = ent_text_tokens(text, 1, &count);
	EXPECT_STR(second[0].norm, "b");
	CU_ASSERT_EQUAL(second[0].flags & JOINED, 0); /* no previous token in its piece */
	CU_ASSERT_EQUAL(ent_text_sentence_span(text, 1).start, second[0].start);
	CU_ASSERT_EQUAL(ent_text_sentence_span(text, 0).end, second[-1].end);
	CU_ASSERT_EQUAL(ent_text_sentence_span(text, 2).end, len);
	ent_text_free(text);
	free(input);
}

static void test_long_token_is_cut(void)
{
	char input[3001];
	memset(input, 'a', 3000);
	input[3000] = '\0';
	ent_text *text = analyze(input, ENT_TEXT_SENTENCE);
	size_t count;
	const ent_token *tokens = ent_text_tokens(text, 0, &count);
	CU_ASSERT_EQUAL_FATAL(count, 3);
	CU_ASSERT_EQUAL(tokens[0].norm_len, 1024);
	CU_ASSERT_EQUAL(tokens[1].start, 1024);
	CU_ASSERT_EQUAL(tokens[2].end, 3000);
	ent_text_free(text);
}

/* ------------------------------------------------------------ UTF-8 repair */

static void test_invalid_bad_bytes(void)
{
	expect_repair("a\xFF"
	              "b\x80"
	              "c",
	              5,
	              "a\xEF\xBF\xBD"
	              "b\xEF\xBF\xBD"
	              "c",
	              2);
	EXPECT_TOKENS("a\xFF"
	              "b\x80"
	              "c",
	              ENT_TEXT_SENTENCE, "a b c");
}

static void test_invalid_truncated(void)
{
	expect_repair("ab\xE4\xB8", 4, "ab\xEF\xBF\xBD", 1);
	expect_repair("\xE4\xB8x", 3, "\xEF\xBF\xBDx", 1);
	expect_repair("\xF0\x9F\x98 ok", 6, "\xEF\xBF\xBD ok", 1);
}

static void test_invalid_overlong(void)
{
	expect_repair("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
	expect_repair("\xE0\x80\xAF", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3);
	expect_repair("\xC1\xBF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
}

static void test_invalid_surrogate(void)
{
	expect_repair("\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3);
	expect_repair("x\xED\xBF\xBFy", 5, "x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy", 3);
}

static void test_invalid_above_unicode(void)
{
	expect_repair("\xF4\x90\x80\x80", 4, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 4);
	expect_repair("\xF5\x80", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
	expect_repair("\xFE\xFF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
}

static void test_nul_bytes_replaced(void)
{
	expect_repair("a\0b", 3,
	              "a\xEF\xBF\xBD"
	              "b",
	              1);
	ent_text *text = analyze_n("a\0b", 3, ENT_TEXT_SENTENCE);
	size_t count;
	const ent_token *tokens = ent_text_tokens(text, 0, &count);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	CU_ASSERT_EQUAL(tokens[1].start, 4);
	CU_ASSERT_EQUAL(tokens[1].end, 5);
	ent_text_free(text);
}

static void test_valid_text_untouched(void)
{
	static const char input[] = "Zürich 北京 \xF0\x9F\x98\x80 naïve \xF4\x8F\xBF\xBF";
	expect_repair(input, sizeof input - 1, input, 0);
}

/* ---------------------------------------------------------- normalization */

static void test_normalize_fullwidth(void)
{
	EXPECT_NORMALIZE("ＣＨＩＮＡ", strlen("ＣＨＩＮＡ"), "china");
	EXPECT_TOKENS("ＣＨＩＮＡ’s ｔａｌｋｓ", ENT_TEXT_SENTENCE, "china talks");
}

static void test_normalize_ligature(void)
{
	EXPECT_NORMALIZE("ﬁnance ﬂow", strlen("ﬁnance ﬂow"), "finance flow");
}

static void test_normalize_case_folding(void)
{
	EXPECT_NORMALIZE("STRASSE Straße ΑΘΗΝΑ MOSCOW Москва", strlen("STRASSE Straße ΑΘΗΝΑ MOSCOW Москва"),
	                 "strasse strasse αθηνα moscow москва");
}

static void test_normalize_quotes_and_dashes(void)
{
	static const char input[] = "“Don’t” ‘x’ ʼ ′ „a” ‐‑‒–—―";
	EXPECT_NORMALIZE(input, strlen(input), "\"don't\" 'x' ' ' \"a\" ------");
}

static void test_normalize_composes_and_drops_ignorables(void)
{
	EXPECT_NORMALIZE("Cafe\xCC\x81", 6, "caf\xC3\xA9");
	EXPECT_NORMALIZE("co\xC2\xADoperate", 11, "cooperate"); /* soft hyphen */
	EXPECT_TOKENS("co\xC2\xADoperate", ENT_TEXT_SENTENCE, "cooperate");
}

static void test_normalize_repairs_utf8(void)
{
	EXPECT_NORMALIZE("A\xFF", 2, "a\xEF\xBF\xBD");
	EXPECT_NORMALIZE("a\0B", 3,
	                 "a\xEF\xBF\xBD"
	                 "b");
	EXPECT_NORMALIZE(NULL, 0, "");
}

static void test_normalize_agrees_with_tokens(void)
{
	static const char *const words[] = {"China", "ＣＨＩＮＡ", "Zürich", "Zu\xCC\x88rich",
	                                    "Don’t", "O'Brien",    "ﬁnance", "Москва",
	                                    "U.S",   "ΑΘΗΝΑ",      "北京"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		char *norm = NULL;
		ent_error err = ENT_ERROR_INIT;
		CU_ASSERT_EQUAL_FATAL(ent_text_normalize(words[i], strlen(words[i]), &norm, NULL, &err),
		                      ENT_OK);
		EXPECT_TOKENS(words[i], ENT_TEXT_SENTENCE, norm);
		free(norm);
	}
}

static void test_normalize_arguments(void)
{
	ent_error err = ENT_ERROR_INIT;
	char *out = NULL;
	CU_ASSERT_EQUAL(ent_text_normalize("x", 1, NULL, NULL, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_text_normalize(NULL, 1, &out, NULL, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_text_normalize("x", ENT_TEXT_MAX_ARTICLE_BYTES + 1, &out, NULL, &err),
	                ENT_ELIMIT);
	CU_ASSERT_PTR_NULL(out);
}

/* ----------------------------------------------------------- tokenization */

static void test_possessives(void)
{
	ent_text *text =
	    analyze("China's Ministers' meeting and James’s car. The U.S.'s role.", ENT_TEXT_ARTICLE);
	char buf[BIG];
	tokens_text(text, buf, sizeof buf, 0);
	EXPECT_STR(buf, "china ministers meeting and james car | the u.s. role");
	CU_ASSERT_EQUAL(find_token(text, "china")->flags, POSS | CAP);
	CU_ASSERT_EQUAL(find_token(text, "ministers")->flags, POSS | CAP);
	CU_ASSERT_EQUAL(find_token(text, "james")->flags, POSS | CAP);
	CU_ASSERT_EQUAL(find_token(text, "u.s.")->flags, POSS | UPPER | CAP);
	CU_ASSERT_EQUAL(find_token(text, "china")->start, 0);
	CU_ASSERT_EQUAL(find_token(text, "china")->end, 5); /* "China", not "China's" */
	ent_text_free(text);
}

static void test_closing_single_quote_is_not_possessive(void)
{
	CU_ASSERT_EQUAL(flags_of("'We need more weapons', he said", "weapons"), PUNCT);
	CU_ASSERT_EQUAL(flags_of("the ministers'\nmeeting", "ministers"), PUNCT);
}

static void test_contractions(void)
{
	static const char input[] = "don't won’t O'Brien it's that’s he's rock'n'roll";
	EXPECT_TOKENS(input, ENT_TEXT_SENTENCE, "don't won't o'brien it's that's he's rock'n'roll");
	CU_ASSERT_EQUAL(flags_of(input, "it's"), 0);
	CU_ASSERT_EQUAL(flags_of(input, "o'brien"), CAP);
}

static void test_hyphens(void)
{
	static const char input[] = "China-US ties, a U.S.-led war, pro - war, talks—and 2020–2021";
	ent_text *text = analyze(input, ENT_TEXT_SENTENCE);
	char buf[BIG];
	tokens_text(text, buf, sizeof buf, 0);
	EXPECT_STR(buf, "china us ties a u.s. led war pro war talks and 2020 2021");
	size_t count;
	const ent_token *t = ent_text_tokens(text, 0, &count);
	CU_ASSERT_EQUAL_FATAL(count, 13);
	static const unsigned want[] = {
	    CAP, JOINED | UPPER | CAP, PUNCT, 0, UPPER | CAP, JOINED, PUNCT, PUNCT, PUNCT, PUNCT, 0,
	    NUM, NUM | JOINED};
	for (size_t i = 0; i < count; i++) {
		if (t[i].flags != want[i])
			fprintf(stderr, "\ntoken %zu '%s': flags %u, expected %u\n", i, t[i].norm, t[i].flags,
			        want[i]);
		CU_ASSERT_EQUAL(t[i].flags, want[i]);
	}
	ent_text_free(text);
	CU_ASSERT_EQUAL(flags_of("yes--no", "no"), 0);
	CU_ASSERT_EQUAL(flags_of("yes--no", "yes"), PUNCT);
}

static void test_dotted_tokens_keep_dots(void)
{
	EXPECT_TOKENS("U.S. U.K. U.N. e.g. i.e. a.m. Ph.D. example.com", ENT_TEXT_SENTENCE,
	              "u.s. u.k. u.n. e.g. i.e. a.m. ph.d. example.com");
}

static void test_symbols_dropped(void)
{
	EXPECT_TOKENS("$5 100% AT&T #tag @user \xF0\x9F\x98\x80 x/y 5+5=10", ENT_TEXT_SENTENCE,
	              "5 100 at t tag user x y 5 5 10");
	CU_ASSERT_EQUAL(flags_of("$5 100% AT&T", "100"), NUM);
}

static void test_punct_after_flags(void)
{
	static const char input[] = "No, it is not; he said: (fine) \"ok\" [sure] - done. over";
	ent_text *text = analyze(input, ENT_TEXT_SENTENCE);
	size_t count;
	const ent_token *t = ent_text_tokens(text, 0, &count);
	CU_ASSERT_EQUAL_FATAL(count, 11);
	static const unsigned punct[] = {PUNCT, 0, 0, PUNCT, 0, PUNCT, PUNCT, PUNCT, PUNCT, PUNCT, 0};
	for (size_t i = 0; i < count; i++) {
		if ((t[i].flags & PUNCT) != punct[i])
			fprintf(stderr, "\ntoken %zu '%s': flags %u\n", i, t[i].norm, t[i].flags);
		CU_ASSERT_EQUAL(t[i].flags & PUNCT, punct[i]);
	}
	ent_text_free(text);
}

static void test_upper_and_capitalized_flags(void)
{
	static const char input[] = "US NATO U.S. China iPhone us McDonald 2024 ＵＮ";
	CU_ASSERT_EQUAL(flags_of(input, "us"), UPPER | CAP);
	CU_ASSERT_EQUAL(flags_of(input, "nato"), UPPER | CAP);
	CU_ASSERT_EQUAL(flags_of(input, "u.s."), UPPER | CAP);
	CU_ASSERT_EQUAL(flags_of(input, "china"), CAP);
	CU_ASSERT_EQUAL(flags_of(input, "iphone"), 0);
	CU_ASSERT_EQUAL(flags_of(input, "mcdonald"), CAP);
	CU_ASSERT_EQUAL(flags_of(input, "2024"), NUM);
	CU_ASSERT_EQUAL(flags_of(input, "un"), UPPER | CAP);
	CU_ASSERT_EQUAL(flags_of("us", "us"), 0);
}

static void test_cyrillic_tokens(void)
{
	static const char input[] = "Москва и Киев договорились.";
	EXPECT_TOKENS(input, ENT_TEXT_ARTICLE, "москва и киев договорились");
	CU_ASSERT_EQUAL(flags_of(input, "москва"), CAP);
	CU_ASSERT_EQUAL(flags_of(input, "и"), 0);
	CU_ASSERT_EQUAL(flags_of(input, "договорились"), PUNCT);
}

static void test_greek_and_arabic_tokens(void)
{
	EXPECT_TOKENS("Η ΑΘΗΝΑ και η القاهرة ١٢٣", ENT_TEXT_SENTENCE, "η αθηνα και η القاهرة ١٢٣");
	CU_ASSERT_EQUAL(flags_of("القاهرة", "القاهرة"), 0); /* caseless: not UPPER */
	CU_ASSERT_EQUAL(flags_of("١٢٣", "١٢٣"), NUM);
}

static void test_cjk_tokens(void)
{
	EXPECT_TOKENS("中国和美国签署协议。双方会谈！", ENT_TEXT_ARTICLE, "中国和美国签署协议 | 双方会谈");
	CU_ASSERT_EQUAL(flags_of("中国和美国，双方", "中国和美国"), PUNCT);
}

static void test_accented_tokens(void)
{
	EXPECT_TOKENS("Zürich, São Paulo, Erdoğan and naïve café", ENT_TEXT_SENTENCE,
	              "zürich são paulo erdoğan and naïve café");
}

static void test_combining_marks_stay_in_token(void)
{
	ent_text *text = analyze("Cafe\xCC\x81 noir", ENT_TEXT_SENTENCE);
	size_t count;
	const ent_token *t = ent_text_tokens(text, 0, &count);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	EXPECT_STR(t[0].norm, "caf\xC3\xA9");
	CU_ASSERT_EQUAL(t[0].end, 6);
	ent_text_free(text);
}

/* Every token's surface normalizes to its norm, apart from kept-off
 * possessives, and spans point at the right bytes. */
static void test_spans_map_back(void)
{
	static const char input[] = "  “We’ll see,” said China's envoy in U.S.-led talks.\n\n"
	                            "Ok \xFF then.";
	ent_text *text = analyze(input, ENT_TEXT_ARTICLE);
	char buf[BIG];
	sentences_text(text, buf, sizeof buf);
	EXPECT_STR(buf, "“We’ll see,” said China's envoy in U.S.-led talks.|Ok \xEF\xBF\xBD then.");
	for (size_t i = 0; i < ent_text_sentence_count(text); i++) {
		size_t count;
		const ent_token *t = ent_text_tokens(text, i, &count);
		for (size_t j = 0; j < count; j++) {
			char *norm = NULL;
			ent_error err = ENT_ERROR_INIT;
			surface_of(text, &t[j], buf, sizeof buf);
			CU_ASSERT_EQUAL(ent_text_normalize(buf, strlen(buf), &norm, NULL, &err), ENT_OK);
			EXPECT_STR(t[j].norm, norm);
			free(norm);
		}
	}
	surface_of(text, find_token(text, "we'll"), buf, sizeof buf);
	EXPECT_STR(buf, "We’ll");
	surface_of(text, find_token(text, "china"), buf, sizeof buf);
	EXPECT_STR(buf, "China");
	surface_of(text, find_token(text, "u.s."), buf, sizeof buf);
	EXPECT_STR(buf, "U.S.");
	ent_text_free(text);
}

/* ------------------------------------------------------------ the handle */

static void test_reuse_one_analyser(void)
{
	ent_text *text = NULL;
	ent_error err = ENT_ERROR_INIT;
	char buf[BIG], big[BIG];
	size_t len = 0;
	for (int i = 0; i < 200; i++)
		append_bytes(big, sizeof big, &len, "Mr. Xi met the U.S. envoy. ", 27);
	CU_ASSERT_EQUAL_FATAL(ent_text_new(&text, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_analyze(text, big, len, ENT_TEXT_ARTICLE, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_sentence_count(text), 200);

	CU_ASSERT_EQUAL(ent_text_analyze(text, "Short one. Done", 15, ENT_TEXT_ARTICLE, &err), ENT_OK);
	sentences_text(text, buf, sizeof buf);
	EXPECT_STR(buf, "Short one.|Done");
	tokens_text(text, buf, sizeof buf, 0);
	EXPECT_STR(buf, "short one | done");

	CU_ASSERT_EQUAL(ent_text_analyze(text, "Bad \xFF byte", 10, ENT_TEXT_SENTENCE, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_invalid_count(text), 1);
	tokens_text(text, buf, sizeof buf, 0);
	EXPECT_STR(buf, "bad byte");

	CU_ASSERT_EQUAL(ent_text_analyze(text, "", 0, ENT_TEXT_ARTICLE, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_sentence_count(text), 0);
	CU_ASSERT_EQUAL(ent_text_invalid_count(text), 0);
	ent_text_free(text);
}

static void test_over_limit_article(void)
{
	ent_text *text = NULL;
	ent_error err = ENT_ERROR_INIT;
	size_t len = ENT_TEXT_MAX_ARTICLE_BYTES + 1;
	char *data = malloc(len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	memset(data, 'a', len);
	CU_ASSERT_EQUAL_FATAL(ent_text_new(&text, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_analyze(text, "Before.", 7, ENT_TEXT_ARTICLE, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_analyze(text, data, len, ENT_TEXT_ARTICLE, &err), ENT_ELIMIT);
	CU_ASSERT_EQUAL(err.code, ENT_ELIMIT);
	EXPECT_STR(err.message, "article of 16777217 bytes exceeds the limit of 16777216 bytes");
	CU_ASSERT_EQUAL(ent_text_sentence_count(text), 0); /* the old analysis is gone */
	CU_ASSERT_EQUAL(ent_text_analyze(text, "After.", 6, ENT_TEXT_ARTICLE, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_sentence_count(text), 1);
	ent_text_free(text);
	free(data);
}

static void test_invalid_arguments(void)
{
	ent_text *text = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_text_new(NULL, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_text_analyze(NULL, "x", 1, ENT_TEXT_ARTICLE, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL_FATAL(ent_text_new(&text, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_text_analyze(text, NULL, 3, ENT_TEXT_ARTICLE, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_text_analyze(text, "x", 1, (ent_text_mode)7, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_text_analyze(text, "x", 1, ENT_TEXT_ARTICLE, NULL), ENT_OK);
	ent_text_free(text);
	ent_text_free(NULL);
	CU_ASSERT_EQUAL(ent_text_sentence_count(NULL), 0);
	CU_ASSERT_EQUAL(ent_text_invalid_count(NULL), 0);
	EXPECT_STR(ent_text_source(NULL, NULL), "");
}

static void test_accessors_out_of_range(void)
{
	ent_text *text = analyze("One. Two.", ENT_TEXT_ARTICLE);
	size_t count = 99;
	CU_ASSERT_PTR_NULL(ent_text_tokens(text, 2, &count));
	CU_ASSERT_EQUAL(count, 0);
	ent_span span = ent_text_sentence_span(text, 2);
	CU_ASSERT_EQUAL(span.start, 0);
	CU_ASSERT_EQUAL(span.end, 0);
	CU_ASSERT_PTR_NOT_NULL(ent_text_tokens(text, 1, NULL));
	ent_text_free(text);
}

/* ------------------------------------------------- short way vs general way */

/* Most tokens and gaps take a short way in text.c: an ASCII word followed
 * by a space or plain punctuation, a gap of one space. A zero-width space
 * (U+200B) after every ASCII word, unless a connector follows (. , after a
 * digit, ' or -), and before every space, changes nothing in the analysis
 * (it is white space, outside every token) but sends those tokens and gaps
 * the general way. The two analyses must agree token for token, spans
 * shifted by the inserted bytes. */
#define ZWSP "\xE2\x80\x8B"

static bool is_ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Whether the ZWSP goes before input[i] (i == len: the end). */
static bool zwsp_before(const char *input, size_t len, size_t i)
{
	char c = i < len ? input[i] : '\0';
	if (c == ' ')
		return true;
	if (i == 0 || !is_ascii_alnum(input[i - 1]) || is_ascii_alnum(c))
		return false;
	bool digit_before = input[i - 1] >= '0' && input[i - 1] <= '9';
	bool connector = c == '.' || c == '\'' || c == '-' || (c == ',' && digit_before);
	return !connector;
}

/* input with a ZWSP wherever zwsp_before says; shift[i]: bytes inserted
 * before input[i], not counting one just before it. */
static char *widen(const char *input, size_t len, size_t *wide_len, size_t **shift)
{
	char *wide = malloc(4 * len + 4);
	*shift = malloc((len + 1) * sizeof **shift);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wide);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*shift);
	size_t n = 0;
	for (size_t i = 0; i <= len; i++) {
		(*shift)[i] = n - i;
		if (zwsp_before(input, len, i)) {
			memcpy(wide + n, ZWSP, 3);
			n += 3;
		}
		if (i < len)
			wide[n++] = input[i];
	}
	wide[n] = '\0';
	*wide_len = n;
	return wide;
}

/* The flags and norm an ASCII surface must get, worked out here on their
 * own: lower-cased bytes; NUMBER, UPPER and CAPITALIZED by its letters. */
static void expect_ascii_token(const char *surface, size_t n, const ent_token *token)
{
	bool digit = false, upper = false, lower = false;
	char norm[4097]; /* a token has at most 4096 bytes */
	CU_ASSERT_FATAL(n < sizeof norm);
	for (size_t i = 0; i < n; i++) {
		char c = surface[i];
		digit |= c >= '0' && c <= '9';
		upper |= c >= 'A' && c <= 'Z';
		lower |= c >= 'a' && c <= 'z';
		norm[i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
	}
	norm[n] = '\0';
	unsigned shape = (digit && !upper && !lower ? NUM : 0) | (upper && !lower ? UPPER : 0) |
	                 (surface[0] >= 'A' && surface[0] <= 'Z' ? CAP : 0);
	CU_ASSERT_EQUAL(token->flags & (NUM | UPPER | CAP), shape);
	EXPECT_STR(token->norm, norm);
}

static void expect_same_analysis(const char *input, size_t len, ent_text_mode mode)
{
	size_t wide_len, *shift;
	char *wide = widen(input, len, &wide_len, &shift);
	ent_text *a = analyze_n(input, len, mode), *b = analyze_n(wide, wide_len, mode);
	size_t sentences = ent_text_sentence_count(a);
	CU_ASSERT_EQUAL(ent_text_sentence_count(b), sentences);
	for (size_t i = 0; i < sentences && i < ent_text_sentence_count(b); i++) {
		ent_span sa = ent_text_sentence_span(a, i), sb = ent_text_sentence_span(b, i);
		CU_ASSERT(sb.start == sa.start + shift[sa.start] && sb.end == sa.end + shift[sa.end]);
		size_t na, nb;
		const ent_token *ta = ent_text_tokens(a, i, &na), *tb = ent_text_tokens(b, i, &nb);
		CU_ASSERT_EQUAL(na, nb);
		for (size_t j = 0; j < na && j < nb; j++) {
			CU_ASSERT_EQUAL(tb[j].start, ta[j].start + shift[ta[j].start]);
			CU_ASSERT_EQUAL(tb[j].end, ta[j].end + shift[ta[j].end]);
			CU_ASSERT_EQUAL(tb[j].flags, ta[j].flags);
			EXPECT_STR(tb[j].norm, ta[j].norm);
			expect_ascii_token(input + ta[j].start, ta[j].end - ta[j].start, &ta[j]);
		}
	}
	ent_text_free(a);
	ent_text_free(b);
	free(wide);
	free(shift);
}

static void test_plain_ascii_agrees_with_general_path(void)
{
	static const char *const inputs[] = {
	    "The U.S. said on Tuesday it would send 1,000 troops, 3.5 percent more than in 2019,2020. "
	    "Mr. Smith's aides didn't agree.",
	    "NATO's chief met Ministers' aides in Brussels (Belgium) on Jan. 5; talks ended at 10 p.m. "
	    "U.S.-led forces and China-US ties - e.g. trade, etc. were discussed.",
	    "\"Why?\" she asked. 'We will fight,' he said... It's over! Is it? Yes. No. 10 and no. 5",
	    "Talks Collapse\r\n\r\nFirst paragraph here. Second one.\r\nwrapped line goes on\r\n \r\nLast.",
	    "Talks collapse\nThe talks collapsed. the end",
	    "headline without stop\nnext line in lower case",
	    "12 345 6.7.8 1,00 1,0000 10,000,000 3. .5 A1 b2 C3PO x86 ABC123 123abc 1,234,5678 2,a,b",
	    "ALL CAPS WORDS and MiXeD CaSe iPhone eBay A I a i X. Y. z. J. Biden Ph.D. a.m. U.K.",
	    "it's that's he's China's U.S.'s James' boss weapons', O'Brien rock'n'roll 'quoted' x'",
	    "He met Gen. Smith. The U.S. The U.N. Inc. Co. Ltd. St. Calif. said vs. them cf. this i.e. that",
	    "in 2019, 2020, and 2021,a,b  a\tb  c   d \t e  ,x , y ,",
	    "$5 5% A&B a/b #tag @user a_b a+b <x> [y] {z} a-b a -b a- b a--b --a b-- `q` ~ ^ |",
	    " leading and trailing ",
	    "  ",
	    " ",
	    "x",
	    "X.",
	    "a .",
	    "end. Next",
	    "U.S. officials",
	    "Sen. Warren, D-Mass., said.",
	    "(See below.) The end.",
	    "Yes! no? OK... fine.",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		expect_same_analysis(inputs[i], strlen(inputs[i]), ENT_TEXT_ARTICLE);
		expect_same_analysis(inputs[i], strlen(inputs[i]), ENT_TEXT_SENTENCE);
	}
}

/* Token norms as tokens_text, each with its flags (see append_flags). */
static void flagged_tokens_of(const char *input, char *out, size_t cap)
{
	ent_text *text = analyze(input, ENT_TEXT_ARTICLE);
	tokens_text(text, out, cap, 1);
	ent_text_free(text);
}

/* What follows the ASCII letters and digits of a word decides whether the
 * token takes the short way: each kind of follower, with the tokens and
 * flags the general way gives. */
static void test_ascii_word_followers(void)
{
	static const char *const cases[][2] = {
	    {"Cats, dogs; birds: fish! Why? (Yes) \"No\" end-",
	     "cats/PC dogs/P birds/P fish/P | why/PC | yes/PC no/PC end/P"},
	    {"1,000 2019,2020 1,00 3.5 A.B a.b Mr. Smith said.",
	     "1,000/N 2019/PN 2020/N 1/PN 00/N 3.5/N a.b/UC a.b mr./C smith/C said/P"},
	    {"China's it's James' boss weapons', x'y O'Brien",
	     "china/SC it's james/SC boss weapons/P x'y o'brien/C"},
	    {"China-US a - b a-b-c x--y", "china/C us/JUC a/P b a b/J c/J x/P y"},
	    {"Zebra ZEBRA zebra Z9 9Z @A [Z `a {z", "zebra/C zebra/UC zebra z9/UC 9z/U a/PUC z/UC a/P z"},
	    {"word\tword\nword\r\nword  word", "word word word word word"},
	    {"Caf\xC3\xA9 na\xC3\xAFve abc\xE2\x80\x99s x\xC2\xA0y", "caf\xC3\xA9/C na\xC3\xAFve abc/S x y"},
	    {"UN envoy", "un/UC envoy"},
	    {"end", "end"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[BIG];
		flagged_tokens_of(cases[i][0], buf, sizeof buf);
		EXPECT_STR(buf, cases[i][1]);
	}
}

/* Tokens at the length cap (TOKEN_MAX_BYTES, 1024 bytes) end there on
 * either way, whatever follows them. */
static void test_plain_ascii_long_tokens_agree(void)
{
	static const char *const tails[] = {" b", ",b", ",000 b", ". The", "'s x", ".b", "  x"};
	static const char fills[] = {'a', 'A', '1'};
	static const size_t lengths[] = {1, 7, 8, 9, 1023, 1024, 1025, 2047, 2048, 2049};
	char input[4096];
	for (size_t f = 0; f < sizeof fills; f++)
		for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++)
			for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
				size_t len = 0, tail = strlen(tails[t]);
				memcpy(input, "x ", 2);
				len += 2;
				memset(input + len, fills[f], lengths[l]);
				len += lengths[l];
				memcpy(input + len, tails[t], tail);
				len += tail;
				memcpy(input + len, " y", 3);
				len += 2;
				expect_same_analysis(input, len, ENT_TEXT_ARTICLE);
				expect_same_analysis(input, len, ENT_TEXT_SENTENCE);
			}
}

/* ------------------------------------------------------------------ golden */

/* golden/text/NAME.sentences: "START END<TAB>text" a sentence, newlines in
 * the text shown as spaces; NAME.tokens: the norms of a sentence a line. */
static void golden_outputs(const ent_text *text, char *sentences, char *tokens, size_t cap)
{
	size_t slen = 0, tlen = 0;
	const char *source = ent_text_source(text, NULL);
	sentences[0] = tokens[0] = '\0';
	for (size_t i = 0; i < ent_text_sentence_count(text); i++) {
		ent_span span = ent_text_sentence_span(text, i);
		char head[64];
		int n = snprintf(head, sizeof head, "%zu %zu\t", span.start, span.end);
		append_bytes(sentences, cap, &slen, head, (size_t)n);
		for (size_t j = span.start; j < span.end; j++)
			append_bytes(sentences, cap, &slen, source[j] == '\n' ? " " : source + j, 1);
		append_bytes(sentences, cap, &slen, "\n", 1);
		size_t count;
		const ent_token *t = ent_text_tokens(text, i, &count);
		for (size_t j = 0; j < count; j++) {
			if (j > 0)
				append_bytes(tokens, cap, &tlen, " ", 1);
			append_bytes(tokens, cap, &tlen, t[j].norm, t[j].norm_len);
		}
		append_bytes(tokens, cap, &tlen, "\n", 1);
	}
}

static void check_golden(const char *name)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof path, "golden/text/%s.txt", name);
	char *input = ent_test_read_file(path, &len);
	snprintf(path, sizeof path, "golden/text/%s.sentences", name);
	char *want_sentences = ent_test_read_file(path, NULL);
	snprintf(path, sizeof path, "golden/text/%s.tokens", name);
	char *want_tokens = ent_test_read_file(path, NULL);
	char *sentences = malloc(BIG), *tokens = malloc(BIG);
	CU_ASSERT_PTR_NOT_NULL_FATAL(input);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want_sentences);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want_tokens);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sentences);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tokens);
	ent_text *text = analyze_n(input, len, ENT_TEXT_ARTICLE);
	golden_outputs(text, sentences, tokens, BIG);
	EXPECT_STR(sentences, want_sentences);
	EXPECT_STR(tokens, want_tokens);
	ent_text_free(text);
	free(input);
	free(want_sentences);
	free(want_tokens);
	free(sentences);
	free(tokens);
}

static void test_golden_article1(void)
{
	check_golden("article1");
}

ENT_TEST_MAIN("text", ENT_TEST(test_empty_input), ENT_TEST(test_sentence_mode_is_one_sentence),
              ENT_TEST(test_simple_split), ENT_TEST(test_title_abbreviations),
              ENT_TEST(test_suffix_and_company_abbreviations), ENT_TEST(test_abbreviation_list),
              ENT_TEST(test_dotted_abbreviations_inside_sentence), ENT_TEST(test_us_before_capitalized_word),
              ENT_TEST(test_us_at_paragraph_end), ENT_TEST(test_months_and_numbers),
              ENT_TEST(test_inline_abbreviations), ENT_TEST(test_etc_ends_sentence_like_a_word),
              ENT_TEST(test_initials), ENT_TEST(test_period_before_lowercase_word),
              ENT_TEST(test_decimals_and_thousands), ENT_TEST(test_number_groups_need_three_digits),
              ENT_TEST(test_numbers_end_sentences), ENT_TEST(test_closing_quote_stays_with_sentence),
              ENT_TEST(test_brackets_after_period), ENT_TEST(test_exclamation_and_question),
              ENT_TEST(test_question_in_quote_before_lowercase), ENT_TEST(test_ellipsis),
              ENT_TEST(test_cjk_full_stops), ENT_TEST(test_headline_first_line),
              ENT_TEST(test_headline_before_blank_line), ENT_TEST(test_first_line_continued_in_lower_case),
              ENT_TEST(test_only_first_line_is_a_headline),
              ENT_TEST(test_line_without_stop_before_blank_line), ENT_TEST(test_blank_lines_end_paragraphs),
              ENT_TEST(test_single_newlines_are_spaces), ENT_TEST(test_whitespace_trimmed_from_spans),
              ENT_TEST(test_punctuation_only_paragraph_dropped), ENT_TEST(test_long_sentence_is_cut),
              ENT_TEST(test_long_token_is_cut), ENT_TEST(test_invalid_bad_bytes),
              ENT_TEST(test_invalid_truncated), ENT_TEST(test_invalid_overlong),
              ENT_TEST(test_invalid_surrogate), ENT_TEST(test_invalid_above_unicode),
              ENT_TEST(test_nul_bytes_replaced), ENT_TEST(test_valid_text_untouched),
              ENT_TEST(test_normalize_fullwidth), ENT_TEST(test_normalize_ligature),
              ENT_TEST(test_normalize_case_folding), ENT_TEST(test_normalize_quotes_and_dashes),
              ENT_TEST(test_normalize_composes_and_drops_ignorables), ENT_TEST(test_normalize_repairs_utf8),
              ENT_TEST(test_normalize_agrees_with_tokens), ENT_TEST(test_normalize_arguments),
              ENT_TEST(test_possessives), ENT_TEST(test_closing_single_quote_is_not_possessive),
              ENT_TEST(test_contractions), ENT_TEST(test_hyphens), ENT_TEST(test_dotted_tokens_keep_dots),
              ENT_TEST(test_symbols_dropped), ENT_TEST(test_punct_after_flags),
              ENT_TEST(test_upper_and_capitalized_flags), ENT_TEST(test_cyrillic_tokens),
              ENT_TEST(test_greek_and_arabic_tokens), ENT_TEST(test_cjk_tokens),
              ENT_TEST(test_accented_tokens), ENT_TEST(test_combining_marks_stay_in_token),
              ENT_TEST(test_spans_map_back), ENT_TEST(test_reuse_one_analyser),
              ENT_TEST(test_over_limit_article), ENT_TEST(test_invalid_arguments),
              ENT_TEST(test_accessors_out_of_range), ENT_TEST(test_plain_ascii_agrees_with_general_path),
              ENT_TEST(test_plain_ascii_long_tokens_agree), ENT_TEST(test_ascii_word_followers),
              ENT_TEST(test_golden_article1))
