/* The JSON Lines reader: decoded members by hand, error columns, and a
 * differential check against jansson on valid and mutated lines. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entente/jsonl.h"
#include "util/test_util.h"

static const char *const FIELDS[] = {"id", "text", "date"};

static ent_jsonl *reader(void)
{
	ent_jsonl *j = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_FATAL(ent_jsonl_new(&j, FIELDS, 3, &err) == ENT_OK);
	return j;
}

static int parse(ent_jsonl *j, const char *line, ent_error *err)
{
	return ent_jsonl_parse(j, line, strlen(line), err);
}

static void assert_field(const ent_jsonl *j, size_t field, ent_json_kind kind, const char *expected,
			 size_t expected_len)
{
	const char *value = NULL;
	size_t len = 0;
	CU_ASSERT_EQUAL(ent_jsonl_get(j, field, &value, &len), kind);
	if (expected != NULL) {
		CU_ASSERT_EQUAL(len, expected_len);
		CU_ASSERT(value != NULL && memcmp(value, expected, expected_len) == 0 && value[len] == '\0');
	}
}

static void test_members_are_decoded(void)
{
	ent_jsonl *j = reader();
	ent_error err = ENT_ERROR_INIT;
	const char *line = " { \"skip\" : [1, {\"text\": \"inner\"}, null, -2.5e3], \"id\": 42,"
			   "\"te\\u0078t\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t \\u00e9\\u4e2d\\ud83d\\ude00 \xc3\xa9\","
			   " \"other\": true } ";
	CU_ASSERT_EQUAL_FATAL(parse(j, line, &err), ENT_OK);
	CU_ASSERT(ent_jsonl_is_object(j));
	assert_field(j, 0, ENT_JSON_INTEGER, "42", 2);
	const char text[] = "a\"b\\c/d\b\f\n\r\t \xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80 \xc3\xa9";
	assert_field(j, 1, ENT_JSON_STRING, text, sizeof text - 1);
	assert_field(j, 2, ENT_JSON_ABSENT, NULL, 0);
	ent_jsonl_free(j);
}

static void test_kinds_of_kept_members(void)
{
	ent_jsonl *j = reader();
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(parse(j, "{\"id\": -0.5, \"text\": [\"x\"], \"date\": \"\"}", &err), ENT_OK);
	assert_field(j, 0, ENT_JSON_OTHER, NULL, 0);
	assert_field(j, 1, ENT_JSON_OTHER, NULL, 0);
	assert_field(j, 2, ENT_JSON_STRING, "", 0);
	CU_ASSERT_EQUAL_FATAL(parse(j, "{\"id\": -17, \"text\": null}", &err), ENT_OK);
	assert_field(j, 0, ENT_JSON_INTEGER, "-17", 3);
	assert_field(j, 1, ENT_JSON_OTHER, NULL, 0);
	assert_field(j, 2, ENT_JSON_ABSENT, NULL, 0);
	CU_ASSERT_EQUAL_FATAL(parse(j, "[{\"text\": \"x\"}]", &err), ENT_OK);
	CU_ASSERT_FALSE(ent_jsonl_is_object(j));
	assert_field(j, 1, ENT_JSON_ABSENT, NULL, 0);
	CU_ASSERT_EQUAL_FATAL(parse(j, "\"just a string\"", &err), ENT_OK);
	CU_ASSERT_FALSE(ent_jsonl_is_object(j));
	ent_jsonl_free(j);
}

static void assert_error(ent_jsonl *j, const char *line, size_t len, const char *message)
{
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_jsonl_parse(j, line, len, &err), ENT_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.message, message);
	CU_ASSERT_FALSE(ent_jsonl_is_object(j));
	assert_field(j, 1, ENT_JSON_ABSENT, NULL, 0);
}

static void test_errors_name_the_column(void)
{
	ent_jsonl *j = reader();
	assert_error(j, "", 0, "column 1: unexpected end of the line");
	assert_error(j, "{\"text\": \"a\"", 12, "column 13: expected ',' or '}'");
	assert_error(j, "{\"text\": \"a}", 12, "column 13: unterminated string");
	assert_error(j, "{\"text\" \"a\"}", 12, "column 9: expected ':'");
	assert_error(j, "{\"text\": 'a'}", 13, "column 10: expected a JSON value");
	assert_error(j, "{\"text\": \"a\"} x", 15, "column 15: expected the end of the line after the JSON value");
	assert_error(j, "{\"text\": \"a\", \"text\": \"b\"}", 26, "column 15: member 'text' repeated");
	assert_error(j, "{\"text\": \"\\u0000\"}", 18, "column 11: \\u0000 is not allowed in a string");
	assert_error(j, "{\"text\": \"\\ud800x\"}", 19, "column 11: a \\u escape holds a high surrogate without its low half");
	assert_error(j, "{\"text\": \"\\udc00\"}", 18, "column 11: a \\u escape holds a lone low surrogate");
	assert_error(j, "{\"text\": \"\\u12g4\"}", 18, "column 11: expected four hex digits after \\u");
	assert_error(j, "{\"text\": \"\\x\"}", 14, "column 11: invalid escape in a string");
	assert_error(j, "{\"text\": \"a\tb\"}", 15, "column 12: control character in a string (escape it)");
	assert_error(j, "{\"text\": \"a\xc0\xaf" "b\"}", 16, "column 12: invalid UTF-8 in a string");
	assert_error(j, "{\"text\": \"a\xed\xa0\x80\"}", 16, "column 12: invalid UTF-8 in a string");
	assert_error(j, "{\"text\": \"a\0\"}", 14, "column 12: control character in a string (escape it)");
	assert_error(j, "{\"id\": 01}", 10, "column 9: expected ',' or '}'");
	assert_error(j, "{\"id\": 1.}", 10, "column 10: expected a digit after the decimal point");
	assert_error(j, "{\"id\": 1e+}", 11, "column 11: expected a digit in the exponent");
	assert_error(j, "{\"id\": -}", 9, "column 9: expected a digit");
	assert_error(j, "{\"id\": tru}", 11, "column 8: expected a JSON value");
	assert_error(j, "{\"id\": [1,]}", 12, "column 11: expected a JSON value");
	assert_error(j, "{\"id\": 1,}", 10, "column 10: expected a string");
	ent_jsonl_free(j);
}

static void test_nesting_is_bounded(void)
{
	ent_jsonl *j = reader();
	ent_error err = ENT_ERROR_INIT;
	size_t depth = ENT_JSONL_MAX_DEPTH + 5, len = 0;
	char *line = malloc(2 * depth + 32);
	CU_ASSERT_FATAL(line != NULL);
	len += (size_t)sprintf(line, "{\"x\":");
	for (size_t i = 0; i < depth; i++)
		line[len++] = '[';
	for (size_t i = 0; i < depth; i++)
		line[len++] = ']';
	line[len++] = '}';
	CU_ASSERT_EQUAL(ent_jsonl_parse(j, line, len, &err), ENT_EFORMAT);
	CU_ASSERT(strstr(err.message, "nested too deeply") != NULL);
	/* Just inside the limit: the outer object is depth 0, the arrays 1..MAX. */
	len = (size_t)sprintf(line, "{\"x\":");
	for (size_t i = 0; i < ENT_JSONL_MAX_DEPTH; i++)
		line[len++] = '[';
	for (size_t i = 0; i < ENT_JSONL_MAX_DEPTH; i++)
		line[len++] = ']';
	line[len++] = '}';
	CU_ASSERT_EQUAL(ent_jsonl_parse(j, line, len, &err), ENT_OK);
	free(line);
	ent_jsonl_free(j);
}

static void test_too_many_fields_is_a_parameter_error(void)
{
	static const char *const many[ENT_JSONL_MAX_FIELDS + 1] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
	ent_jsonl *j = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_jsonl_new(&j, many, ENT_JSONL_MAX_FIELDS + 1, &err), ENT_EPARAM);
	CU_ASSERT_PTR_NULL(j);
}

/* ---- differential against jansson ---- */

static const char *const SEEDS[] = {
	"{\"id\": 1, \"text\": \"Talks resumed in Geneva.\", \"date\": \"2024-01-10\"}",
	"{\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\" \xe4\xb8\xad\", \"meta\": {\"a\": [1, 2.5, -3e2, true, false, null]}}",
	"{\"id\": \"x-9\", \"tags\": [\"a\", [\"b\", {}], []], \"text\": \"\"}",
	"[1, \"two\", {\"text\": \"t\"}, [null]]",
	"{\"n\": -0.0e-0, \"text\": \"tab\\there\\nnewline\\/slash\\\\\"}",
};

static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static size_t mutate(const char *seed, char *out, size_t cap, uint32_t *rng)
{
	static const char alphabet[] = "{}[]\":,\\ u0123456789abcdefeE+-.tnrfl\xc3\xa9\xed\xa0\x80\x01";
	size_t len = strlen(seed);
	memcpy(out, seed, len);
	int edits = 1 + (int)(next_random(rng) % 3);
	for (int e = 0; e < edits && len > 0; e++) {
		size_t at = next_random(rng) % len;
		char c = alphabet[next_random(rng) % (sizeof alphabet - 1)];
		switch (next_random(rng) % 3) {
		case 0:
			out[at] = c;
			break;
		case 1:
			memmove(out + at, out + at + 1, len - at - 1);
			len--;
			break;
		default:
			if (len + 1 < cap) {
				memmove(out + at + 1, out + at, len - at);
				out[at] = c;
				len++;
			}
		}
	}
	return len;
}

/* Whether jansson accepts the line, and the "text" member when it is a string. */
static int jansson_reads(const char *line, size_t len, const char **text, size_t *text_len, json_t **root)
{
	json_error_t jerr;
	*root = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
	json_t *t = json_is_object(*root) ? json_object_get(*root, "text") : NULL;
	*text = json_is_string(t) ? json_string_value(t) : NULL;
	*text_len = json_is_string(t) ? json_string_length(t) : 0;
	return *root != NULL;
}

/* jansson lets a repeated key overwrite and refuses numbers that do not fit
 * its types; the reader refuses a repeated kept member and keeps integers as
 * written. Lines where those choices differ are not compared. */
static int comparable(const char *line, size_t len)
{
	json_error_t jerr;
	json_t *strict = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	json_decref(strict);
	return strict != NULL || (strstr(jerr.text, "duplicate") == NULL && strstr(jerr.text, "too big") == NULL &&
				  strstr(jerr.text, "overflow") == NULL);
}

static void compare_with_jansson(ent_jsonl *j, const char *line, size_t len, size_t *accepted)
{
	if (!comparable(line, len))
		return;
	ent_error err = ENT_ERROR_INIT;
	const char *text, *ours;
	size_t text_len, ours_len = 0;
	json_t *root;
	int theirs_ok = jansson_reads(line, len, &text, &text_len, &root);
	int ours_ok = ent_jsonl_parse(j, line, len, &err) == ENT_OK;
	CU_ASSERT_EQUAL(ours_ok, theirs_ok);
	if (ours_ok != theirs_ok)
		fprintf(stderr, "\n  differs on [%.*s]: ours %s\n", (int)len, line, ours_ok ? "accepts" : err.message);
	if (ours_ok && theirs_ok) {
		int ours_is_string = ent_jsonl_get(j, 1, &ours, &ours_len) == ENT_JSON_STRING;
		CU_ASSERT_EQUAL(ours_is_string, text != NULL);
		CU_ASSERT(text == NULL || (ours_len == text_len && memcmp(ours, text, text_len) == 0));
		*accepted += 1;
	}
	json_decref(root);
}

static void test_agrees_with_jansson(void)
{
	ent_jsonl *j = reader();
	char line[512];
	uint32_t rng = 2463534242u;
	size_t accepted = 0, lines = 0;
	for (size_t s = 0; s < sizeof SEEDS / sizeof SEEDS[0]; s++) {
		compare_with_jansson(j, SEEDS[s], strlen(SEEDS[s]), &accepted);
		for (int k = 0; k < 4000; k++, lines++)
			compare_with_jansson(j, line, mutate(SEEDS[s], line, sizeof line, &rng), &accepted);
	}
	/* The mutations must exercise both sides: some lines stay valid. */
	CU_ASSERT(accepted > 500 && accepted < lines / 2);
	ent_jsonl_free(j);
}

ENT_TEST_MAIN("jsonl", ENT_TEST(test_members_are_decoded), ENT_TEST(test_kinds_of_kept_members),
	      ENT_TEST(test_errors_name_the_column), ENT_TEST(test_nesting_is_bounded),
	      ENT_TEST(test_too_many_fields_is_a_parameter_error), ENT_TEST(test_agrees_with_jansson))
