/* CUnit suite for actors: dictionary parsing and its FILE:LINE errors, and
 * matching over tokenized sentences (longest first, possessives, plurals,
 * case-sensitive acronyms, date-bounded roles, overrides, marks, names). */
#include "entente/actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/features.h"
#include "entente/text.h"
#include "util/test_util.h"

static const char dictionary[] = "# entente test dictionary: CODE<TAB>PATTERN[<TAB>option...]\n"
                                 "\n"
                                 "CHN\tChina\n"
                                 "CHN\tChinese\n"
                                 "CHN\tBeijing\n"
                                 "USA\tUnited States\n"
                                 "USA\tUS\tcase=exact\n"
                                 "USA\tU.S.\tcase=exact\n"
                                 "USA\tAmerican\n"
                                 "USA\tWhite House\n"
                                 "COD\tDemocratic Republic of the Congo\n"
                                 "COG\tCongo\n"
                                 "COG\tRepublic of the Congo\n"
                                 "   \n"
                                 "USA\tJoe Biden\trole=USAGOV\tfrom=2021-01-20\tto=2025-01-20\n"
                                 "USA\tDonald Trump\trole=USAGOV\tfrom=2017-01-20\tto=2021-01-20\n"
                                 "USA\tDonald Trump\trole=USAGOV\tfrom=2025-01-20\n"
                                 "UN\tUnited Nations\n"
                                 "UN\tUN\tcase=exact\n";

/* Everything one matching test needs. */
typedef struct fixture {
	ent_actors *a;
	ent_text *text;
	ent_actor_matches *m;
	const ent_token *tokens;
	size_t count;
} fixture;

static int fixture_open(fixture *f, const char *dict)
{
	ent_error err = ENT_ERROR_INIT;
	memset(f, 0, sizeof *f);
	if (ent_actors_new(&f->a, &err) != ENT_OK || ent_text_new(&f->text, &err) != ENT_OK ||
	    ent_actor_matches_new(&f->m, &err) != ENT_OK)
		return -1;
	if (dict != NULL && ent_actors_load(f->a, dict, strlen(dict), "test.tsv", &err) != ENT_OK) {
		fprintf(stderr, "\n    dictionary: %s\n", err.message);
		return -1;
	}
	return ENT_OK;
}

static void fixture_close(fixture *f)
{
	ent_actor_matches_free(f->m);
	ent_text_free(f->text);
	ent_actors_free(f->a);
}

/* Tokenizes s as one sentence and matches it on date (YYYYMMDD or 0). */
static size_t match(fixture *f, const char *s, long date)
{
	ent_error err = ENT_ERROR_INIT;
	f->count = 0;
	f->tokens = NULL;
	if (ent_text_analyze(f->text, s, strlen(s), ENT_TEXT_SENTENCE, &err) != ENT_OK)
		return (size_t)-1;
	if (ent_text_sentence_count(f->text) > 0)
		f->tokens = ent_text_tokens(f->text, 0, &f->count);
	if (ent_actors_match(f->a, f->tokens, f->count, ent_text_source(f->text, NULL), date, f->m, &err) !=
	    ENT_OK)
		return (size_t)-1;
	return ent_actor_matches_count(f->m);
}

static const ent_actor_match *get(const fixture *f, size_t i)
{
	return ent_actor_matches_get(f->m, i);
}

/* The code of the only match of s, or "" when there is not exactly one. */
static const char *only_code(fixture *f, const char *s)
{
	if (match(f, s, 0) != 1)
		return "";
	return get(f, 0)->code;
}

/* ---- loading ---- */

static void test_dictionary_parsing(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	/* CHN USA COD COG UN, and the role code USAGOV */
	CU_ASSERT_EQUAL(ent_actors_code_count(f.a), 6);
	/* 16 entries, none with the same text, dates and case */
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 16);
	size_t len = 0;
	const char *source = ent_actors_source(f.a, &len);
	CU_ASSERT_EQUAL(len, strlen(dictionary));
	CU_ASSERT(memcmp(source, dictionary, len) == 0);
	fixture_close(&f);
}

static void test_empty_dictionary(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_actors_code_count(f.a), 0);
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 0);
	size_t len = 99;
	CU_ASSERT_PTR_NOT_NULL(ent_actors_source(f.a, &len));
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_EQUAL(match(&f, "China and the US met", 0), 0);
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_actors_load(f.a, "# only a comment\n\n", 18, "c.tsv", &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 0);
	fixture_close(&f);
}

static void test_comments_blank_lines_crlf_bom(void)
{
	fixture f;
	const char *dict =
	    "\xEF\xBB\xBF# comment\r\n\r\n#CHN\tnot an entry\r\nJPN\tJapan\r\nJPN\tTokyo  \r\n";
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dict), ENT_OK);
	CU_ASSERT_EQUAL(ent_actors_code_count(f.a), 1);
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 2);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Tokyo protested"), "JPN");
	CU_ASSERT_STRING_EQUAL(ent_actors_name(f.a, "JPN"), "Japan");
	CU_ASSERT_EQUAL(match(&f, "not an entry", 0), 0);
	fixture_close(&f);
}

static void test_bad_lines(void)
{
	static const char *const cases[][2] = {
	    {"CHN\n", "bad.tsv:1: expected CODE<TAB>PATTERN"},
	    {"# header\n\nCHN\tChina\nCHN\t\n", "bad.tsv:4: expected CODE<TAB>PATTERN"},
	    {"chn\tChina\n", "bad.tsv:1: invalid code (expected 2-12 upper-case letters or digits)"},
	    {"C\tChina\n", "bad.tsv:1: invalid code (expected 2-12 upper-case letters or digits)"},
	    {"ABCDEFGHIJKLM\tChina\n",
	     "bad.tsv:1: invalid code (expected 2-12 upper-case letters or digits)"},
	    {"CHN\tChina\tcase=loose\n",
	     "bad.tsv:1: unknown option (expected case=exact, role=CODE, from=YYYY-MM-DD or to=YYYY-MM-DD)"},
	    {"CHN\tChina\trole=gov\n",
	     "bad.tsv:1: unknown option (expected case=exact, role=CODE, from=YYYY-MM-DD or to=YYYY-MM-DD)"},
	    {"CHN\tChina\tfrom=2020-02-30\n",
	     "bad.tsv:1: unknown option (expected case=exact, role=CODE, from=YYYY-MM-DD or to=YYYY-MM-DD)"},
	    {"CHN\tChina\tto=yesterday\n",
	     "bad.tsv:1: unknown option (expected case=exact, role=CODE, from=YYYY-MM-DD or to=YYYY-MM-DD)"},
	    {"CHN\tXi\tfrom=2020-01-01\tto=2019-01-01\n",
	     "bad.tsv:1: the 'to' date is not after the 'from' date"},
	    {"CHN\tXi\tfrom=2020-01-01\tto=2020-01-01\n",
	     "bad.tsv:1: the 'to' date is not after the 'from' date"},
	    {"CHN\tChina\nCHN\t!!!\n", "bad.tsv:2: the pattern has no words"},
	    {"CHN\ta b c d e f g h i j k l m\n", "bad.tsv:1: the pattern has too many words"},
	    {"CHN\tCh\xFFina\n", "bad.tsv:1: invalid UTF-8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ent_actors *a = NULL;
		ent_error err = ENT_ERROR_INIT;
		CU_ASSERT_EQUAL_FATAL(ent_actors_new(&a, &err), ENT_OK);
		CU_ASSERT_EQUAL(ent_actors_load(a, cases[i][0], strlen(cases[i][0]), "bad.tsv", &err),
		                ENT_EFORMAT);
		CU_ASSERT_EQUAL(err.code, ENT_EFORMAT);
		CU_ASSERT_STRING_EQUAL(err.message, cases[i][1]);
		if (strcmp(err.message, cases[i][1]) != 0)
			fprintf(stderr, "\n    case %zu: got '%s'\n", i, err.message);
		ent_actors_free(a);
	}
	/* twelve words is the most a pattern may have */
	ent_actors *a = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_actors_new(&a, NULL), ENT_OK);
	const char *twelve = "CHN\ta b c d e f g h i j k l\n";
	CU_ASSERT_EQUAL(ent_actors_load(a, twelve, strlen(twelve), "ok.tsv", NULL), ENT_OK);
	ent_actors_free(a);
}

static void test_load_file(void)
{
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	const char *dict = "KOR\tSouth Korea\nKOR\tSeoul\nbroken\n";
	char *path = ent_test_write_file(dir, "actors.tsv", dict, strlen(dict));
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	ent_actors *a = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_actors_new(&a, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_actors_load_file(a, path, &err), ENT_EFORMAT);
	char expect[4400];
	snprintf(expect, sizeof expect, "%s:3: expected CODE<TAB>PATTERN", path);
	CU_ASSERT_STRING_EQUAL(err.message, expect);
	char missing[4200];
	snprintf(missing, sizeof missing, "%s/none.tsv", dir);
	CU_ASSERT_EQUAL(ent_actors_load_file(a, missing, &err), ENT_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "none.tsv"));
	ent_actors_free(a);
	free(path);
	ent_test_rmdir(dir);
}

/* ---- matching ---- */

static void test_multiword_longest_first(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(match(&f, "the Democratic Republic of the Congo accused Congo", 0), 2);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "COD");
	CU_ASSERT_EQUAL(get(&f, 0)->first, 1);
	CU_ASSERT_EQUAL(get(&f, 0)->count, 5);
	CU_ASSERT_STRING_EQUAL(get(&f, 1)->code, "COG");
	CU_ASSERT_EQUAL(get(&f, 1)->first, 7);
	CU_ASSERT_EQUAL(get(&f, 1)->count, 1);
	/* a shorter multi-word pattern inside the longer one */
	CU_ASSERT_EQUAL_FATAL(match(&f, "the Republic of the Congo", 0), 1);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "COG");
	CU_ASSERT_EQUAL(get(&f, 0)->count, 4);
	/* an incomplete long pattern falls back to what does match */
	CU_ASSERT_EQUAL_FATAL(match(&f, "Democratic Republic of Congo", 0), 1);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "COG");
	CU_ASSERT_EQUAL(get(&f, 0)->first, 3);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "a White House statement"), "USA");
	CU_ASSERT_EQUAL(match(&f, "a white wall", 0), 0);
	fixture_close(&f);
}

static void test_case_insensitive_by_default(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "CHINA RESPONDS"), "CHN");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "officials in beijing said"), "CHN");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the united nations voted"), "UN");
	fixture_close(&f);
}

static void test_possessives(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "China's foreign ministry"), "CHN");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Beijing\xE2\x80\x99s response"), "CHN");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the Democratic Republic of the Congo's army"), "COD");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the U.S.'s position"), "USA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the US's allies"), "USA");
	fixture_close(&f);
}

static void test_plural_demonyms(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Americans protested"), "USA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "an American diplomat"), "USA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the Americans' plan"), "USA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the Chinese delegation"), "CHN");
	/* exact patterns get no plural */
	CU_ASSERT_EQUAL(match(&f, "USs", 0), 0);
	fixture_close(&f);
}

static void test_case_sensitive_acronyms(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the US imposed tariffs"), "USA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the U.S. imposed tariffs"), "USA");
	CU_ASSERT_EQUAL_FATAL(match(&f, "China held talks with the U.S.", 0), 2);
	CU_ASSERT_STRING_EQUAL(get(&f, 1)->code, "USA");
	CU_ASSERT_EQUAL(match(&f, "let us talk", 0), 0);
	CU_ASSERT_EQUAL(match(&f, "Us and them", 0), 0);
	CU_ASSERT_EQUAL(match(&f, "the u.s. navy", 0), 0);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the UN said"), "UN");
	CU_ASSERT_EQUAL(match(&f, "un peu", 0), 0);
	/* "US" joined to another word by a hyphen still counts */
	CU_ASSERT_EQUAL_FATAL(match(&f, "US-China talks", 0), 2);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "USA");
	CU_ASSERT_STRING_EQUAL(get(&f, 1)->code, "CHN");
	fixture_close(&f);
}

static void test_date_bounded_roles(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	const char *s = "Joe Biden called for talks";
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 20220301), 1);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "USA");
	CU_ASSERT_EQUAL(get(&f, 0)->count, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(get(&f, 0)->role);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->role, "USAGOV");
	/* from is inclusive, to exclusive */
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 20210120), 1);
	CU_ASSERT_PTR_NOT_NULL(get(&f, 0)->role);
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 20250119), 1);
	CU_ASSERT_PTR_NOT_NULL(get(&f, 0)->role);
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 20250120), 1);
	CU_ASSERT_PTR_NULL(get(&f, 0)->role);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "USA");
	/* outside the term or without a date: the person, no role */
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 20100101), 1);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "USA");
	CU_ASSERT_PTR_NULL(get(&f, 0)->role);
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 0), 1);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "USA");
	CU_ASSERT_PTR_NULL(get(&f, 0)->role);
	fixture_close(&f);
}

static void test_two_terms_of_the_same_person(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	const char *s = "Donald Trump spoke";
	const long with_role[] = {20170120, 20190601, 20250120, 20300101};
	const long without[] = {20160101, 20210120, 20230101, 0};
	for (size_t i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL_FATAL(match(&f, s, with_role[i]), 1);
		CU_ASSERT_PTR_NOT_NULL(get(&f, 0)->role);
		CU_ASSERT_EQUAL_FATAL(match(&f, s, without[i]), 1);
		CU_ASSERT_PTR_NULL(get(&f, 0)->role);
		CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "USA");
	}
	fixture_close(&f);
}

static void test_later_entries_override(void)
{
	fixture f;
	const char *dict = "XKX\tGeorgia\nGEO\tGeorgia\nUSA\tAmerican\n";
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dict), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Georgia voted"), "GEO");
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 2);
	/* a second file (a user's) overrides the first, plural included */
	ent_error err = ENT_ERROR_INIT;
	const char *user = "ZZA\tAmerican\nTWN\tFormosa\n";
	CU_ASSERT_EQUAL(ent_actors_load(f.a, user, strlen(user), "user.tsv", &err), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "an American ship"), "ZZA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Americans cheered"), "ZZA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Formosa"), "TWN");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "Georgia"), "GEO");
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 3);
	/* the model embeds both texts */
	size_t len;
	const char *source = ent_actors_source(f.a, &len);
	CU_ASSERT_EQUAL(len, strlen(dict) + 1 + strlen(user));
	CU_ASSERT(strncmp(source, dict, strlen(dict)) == 0);
	CU_ASSERT(strncmp(source + strlen(dict) + 1, user, strlen(user)) == 0);
	fixture_close(&f);
}

static void test_marks(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	const char *s = "Yesterday the Democratic Republic of the Congo and China's envoy met US officials";
	CU_ASSERT_EQUAL_FATAL(match(&f, s, 0), 3);
	const unsigned char expect[] = {ENT_MARK_NONE,         ENT_MARK_NONE,         ENT_MARK_ACTOR_START,
	                                ENT_MARK_ACTOR_INSIDE, ENT_MARK_ACTOR_INSIDE, ENT_MARK_ACTOR_INSIDE,
	                                ENT_MARK_ACTOR_INSIDE, ENT_MARK_NONE,         ENT_MARK_ACTOR_START,
	                                ENT_MARK_NONE,         ENT_MARK_NONE,         ENT_MARK_ACTOR_START,
	                                ENT_MARK_NONE};
	CU_ASSERT_EQUAL_FATAL(f.count, sizeof expect);
	const unsigned char *marks = ent_actor_matches_marks(f.m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(marks);
	CU_ASSERT(memcmp(marks, expect, sizeof expect) == 0);
	CU_ASSERT_STRING_EQUAL(get(&f, 0)->code, "COD");
	CU_ASSERT_STRING_EQUAL(get(&f, 1)->code, "CHN");
	CU_ASSERT_EQUAL(get(&f, 1)->first, 8);
	CU_ASSERT_STRING_EQUAL(get(&f, 2)->code, "USA");
	CU_ASSERT_EQUAL(get(&f, 2)->first, 11);
	/* the next run starts from clean marks */
	CU_ASSERT_EQUAL_FATAL(match(&f, "nothing here at all today but words and more words", 0), 0);
	marks = ent_actor_matches_marks(f.m);
	for (size_t i = 0; i < f.count; i++)
		CU_ASSERT_EQUAL(marks[i], ENT_MARK_NONE);
	/* no tokens at all */
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_actors_match(f.a, NULL, 0, "", 0, f.m, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_actor_matches_count(f.m), 0);
	fixture_close(&f);
}

static void test_marks_drive_masking(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(match(&f, "the White House praised Beijing", 0), 2);
	ent_feature_options o = ENT_FEATURE_OPTIONS_INIT;
	o.ngram_max = 1;
	o.stem = 0;
	ent_extractor *x = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_extractor_new(&x, &o, &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_extractor_run(x, f.tokens, f.count, ent_actor_matches_marks(f.m), &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_extractor_term_count(x), 4);
	CU_ASSERT_STRING_EQUAL(ent_extractor_term(x, 0, NULL), "the");
	CU_ASSERT_STRING_EQUAL(ent_extractor_term(x, 1, NULL), "<actor>");
	CU_ASSERT_STRING_EQUAL(ent_extractor_term(x, 2, NULL), "praised");
	CU_ASSERT_STRING_EQUAL(ent_extractor_term(x, 3, NULL), "<actor>");
	ent_extractor_free(x);
	fixture_close(&f);
}

static void test_display_names(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	CU_ASSERT_STRING_EQUAL(ent_actors_name(f.a, "CHN"), "China");
	CU_ASSERT_STRING_EQUAL(ent_actors_name(f.a, "USA"), "United States");
	CU_ASSERT_STRING_EQUAL(ent_actors_name(f.a, "COD"), "Democratic Republic of the Congo");
	CU_ASSERT_STRING_EQUAL(ent_actors_name(f.a, "UN"), "United Nations");
	CU_ASSERT_STRING_EQUAL(ent_actors_name(f.a, "USAGOV"), "USAGOV");
	const char *unknown = "ZZZ";
	CU_ASSERT_PTR_EQUAL(ent_actors_name(f.a, unknown), unknown);
	fixture_close(&f);
}

static void test_no_overlaps_in_order(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dictionary), ENT_OK);
	size_t n = match(&f, "China China Beijing the United States and the United Nations UN US", 0);
	CU_ASSERT_EQUAL_FATAL(n, 7);
	const char *codes[] = {"CHN", "CHN", "CHN", "USA", "UN", "UN", "USA"};
	size_t end = 0;
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(get(&f, i)->code, codes[i]);
		CU_ASSERT(get(&f, i)->first >= end);
		end = get(&f, i)->first + get(&f, i)->count;
	}
	CU_ASSERT(end <= f.count);
	fixture_close(&f);
}

static void test_failed_load_leaves_dictionary_usable(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, NULL), ENT_OK);
	ent_error err = ENT_ERROR_INIT;
	/* the same bad pattern twice: an error each time, never a crash */
	const char *bad = "CHN\t!!!\n";
	CU_ASSERT_EQUAL(ent_actors_load(f.a, bad, strlen(bad), "bad.tsv", &err), ENT_EFORMAT);
	CU_ASSERT_EQUAL(ent_actors_load(f.a, bad, strlen(bad), "bad.tsv", &err), ENT_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.message, "bad.tsv:1: the pattern has no words");
	const char *many = "CHN\ta b c d e f g h i j k l m\n";
	CU_ASSERT_EQUAL(ent_actors_load(f.a, many, strlen(many), "many.tsv", &err), ENT_EFORMAT);
	CU_ASSERT_EQUAL(ent_actors_load(f.a, many, strlen(many), "many.tsv", &err), ENT_EFORMAT);
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 0);
	/* a good text afterwards loads and matches */
	const char *good = "CHN\tChina\n";
	CU_ASSERT_EQUAL(ent_actors_load(f.a, good, strlen(good), "good.tsv", &err), ENT_OK);
	CU_ASSERT_EQUAL(ent_actors_pattern_count(f.a), 1);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "China spoke"), "CHN");
	CU_ASSERT_EQUAL(ent_actors_load(f.a, bad, strlen(bad), "bad.tsv", &err), ENT_EFORMAT);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "China spoke"), "CHN");
	fixture_close(&f);
}

/* Every pattern of the shipped dictionary, given as a sentence of its own,
 * is matched whole from its first token (and its plural where it has one):
 * the first-token filter must never turn a real first token away. */
static void test_every_shipped_pattern_matches_itself(void)
{
	size_t len = 0;
	char *dict = ent_test_read_file("../models/actors.tsv", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dict);
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dict), ENT_OK);
	size_t checked = 0, plurals = 0, missed = 0;
	for (char *line = strtok(dict, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || tab == NULL)
			continue;
		char pattern[512];
		size_t n = strcspn(tab + 1, "\t\r");
		CU_ASSERT_FATAL(n + 2 <= sizeof pattern);
		memcpy(pattern, tab + 1, n);
		pattern[n] = '\0';
		int exact = strstr(tab + 1, "case=exact") != NULL;
		for (int plural = 0; plural < 2; plural++) {
			if (match(&f, pattern, 0) < 1 || get(&f, 0)->first != 0 ||
			    get(&f, 0)->count != f.count) {
				if (missed++ < 5)
					fprintf(stderr, "\n    not matched whole: '%s'", pattern);
				break;
			}
			const ent_token *last = &f.tokens[f.count - 1];
			char c = last->norm[last->norm_len - 1];
			if (plural || exact || (last->flags & ENT_TOKEN_NUMBER) || c < 'a' || c > 'z' ||
			    c == 's')
				break;
			/* the plural of the last word, whatever follows it */
			memcpy(pattern, ent_text_source(f.text, NULL), last->end);
			strcpy(pattern + last->end, "s");
			plurals++;
		}
		checked++;
	}
	CU_ASSERT(checked > 2000);
	CU_ASSERT(plurals > 500);
	CU_ASSERT_EQUAL(missed, 0);
	fixture_close(&f);
	free(dict);
}

/* First tokens of one and two bytes, non-ASCII, numbers and long words. */
static void test_unusual_first_tokens(void)
{
	const char *dict = "QQA\tQ\n"
	                   "EEA\t\xC3\x89\n"
	                   "GGA\tG7\n"
	                   "NNA\t7 Up\n"
	                   "LLA\tSupercalifragilisticexpialidocious Republic\n"
	                   "ZZA\tZ Z Z Z Z Z Z Z Z Z Z Z\n";
	fixture f;
	CU_ASSERT_EQUAL_FATAL(fixture_open(&f, dict), ENT_OK);
	CU_ASSERT_STRING_EQUAL(only_code(&f, "then q said"), "QQA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "and \xC3\xA9 said"), "EEA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the g7 met"), "GGA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "a 7 up can"), "NNA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "the SUPERCALIFRAGILISTICEXPIALIDOCIOUS republic"), "LLA");
	CU_ASSERT_STRING_EQUAL(only_code(&f, "z z z z z z z z z z z z"), "ZZA");
	CU_ASSERT_EQUAL(match(&f, "r \xC3\xA8 g8 7 down supercalifragilistic z z", 0), 0);
	CU_ASSERT_EQUAL(match(&f, "", 0), 0);
	fixture_close(&f);
}

static void test_date_parse(void)
{
	long d = -1;
	CU_ASSERT_EQUAL(ent_date_parse("2024-01-05", 10, &d), ENT_OK);
	CU_ASSERT_EQUAL(d, 20240105);
	CU_ASSERT_EQUAL(ent_date_parse("2024-02-29", 10, &d), ENT_OK);
	CU_ASSERT_EQUAL(d, 20240229);
	CU_ASSERT_EQUAL(ent_date_parse("2000-02-29", 10, &d), ENT_OK);
	CU_ASSERT_EQUAL(ent_date_parse("2024-12-31xyz", 10, &d), ENT_OK);
	CU_ASSERT_EQUAL(d, 20241231);
	const char *bad[] = {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
	                     "2024-01-00", "0000-01-01", "2024-1-05",  "2024/01/05", "abcd-ef-gh",
	                     "",           "20240105",   "2024-01-5a"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		d = -1;
		CU_ASSERT_EQUAL(ent_date_parse(bad[i], strlen(bad[i]), &d), ENT_EPARAM);
		CU_ASSERT_EQUAL(d, -1);
	}
}

ENT_TEST_MAIN("actors", ENT_TEST(test_dictionary_parsing), ENT_TEST(test_empty_dictionary),
              ENT_TEST(test_comments_blank_lines_crlf_bom), ENT_TEST(test_bad_lines),
              ENT_TEST(test_load_file), ENT_TEST(test_multiword_longest_first),
              ENT_TEST(test_case_insensitive_by_default), ENT_TEST(test_possessives),
              ENT_TEST(test_plural_demonyms), ENT_TEST(test_case_sensitive_acronyms),
              ENT_TEST(test_date_bounded_roles), ENT_TEST(test_two_terms_of_the_same_person),
              ENT_TEST(test_later_entries_override), ENT_TEST(test_marks), ENT_TEST(test_marks_drive_masking),
              ENT_TEST(test_display_names), ENT_TEST(test_no_overlaps_in_order),
              ENT_TEST(test_failed_load_leaves_dictionary_usable), ENT_TEST(test_date_parse),
              ENT_TEST(test_every_shipped_pattern_matches_itself), ENT_TEST(test_unusual_first_tokens))
