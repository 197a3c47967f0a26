/* Fuzz target: the JSON Lines reader against jansson. Both must accept and
 * refuse the same lines, and agree on every kept string member, except where
 * their documented choices differ (a repeated member, numbers too large for
 * jansson's types, jansson's nesting limit). jansson stops at a NUL byte; raw
 * NUL is never valid JSON, so the reader must refuse it. */
#include <jansson.h>
#include <string.h>

#include "entente/jsonl.h"
#include "fuzz_util.h"

static const char *const FIELDS[] = {"id", "text", "date"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int comparable(const char *line, size_t len)
{
	json_error_t jerr;
	json_t *strict = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	json_decref(strict);
	return strict != NULL || (strstr(jerr.text, "duplicate") == NULL && strstr(jerr.text, "too big") == NULL &&
				  strstr(jerr.text, "overflow") == NULL && strstr(jerr.text, "nested too deep") == NULL &&
				  strstr(jerr.text, "maximum parsing depth") == NULL);
}

static void check_member(const ent_jsonl *j, size_t field, json_t *root)
{
	const char *ours;
	size_t len;
	ent_json_kind kind = ent_jsonl_get(j, field, &ours, &len);
	json_t *theirs = json_is_object(root) ? json_object_get(root, FIELDS[field]) : NULL;
	FUZZ_CHECK((kind == ENT_JSON_ABSENT) == (theirs == NULL));
	FUZZ_CHECK((kind == ENT_JSON_STRING) == json_is_string(theirs));
	FUZZ_CHECK((kind == ENT_JSON_INTEGER) == json_is_integer(theirs));
	if (kind == ENT_JSON_STRING) {
		FUZZ_CHECK(len == json_string_length(theirs) && ours[len] == '\0');
		FUZZ_CHECK(memcmp(ours, json_string_value(theirs), len) == 0);
		FUZZ_CHECK(memchr(ours, '\0', len) == NULL && fuzz_utf8_valid(ours, len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	ent_jsonl *j = NULL;
	ent_error err = ENT_ERROR_INIT;
	FUZZ_CHECK(ent_jsonl_new(&j, FIELDS, 3, &err) == ENT_OK);
	int ours = ent_jsonl_parse(j, line, size, &err);
	FUZZ_CHECK(ours == ENT_OK || (ours == ENT_EFORMAT && strncmp(err.message, "column ", 7) == 0));
	if (memchr(line, '\0', size) != NULL)
		FUZZ_CHECK(ours != ENT_OK);
	else if (comparable(line, size)) {
		json_error_t jerr;
		json_t *root = json_loadb(line, size, JSON_DECODE_ANY, &jerr);
		FUZZ_CHECK((ours == ENT_OK) == (root != NULL));
		for (size_t f = 0; ours == ENT_OK && f < 3; f++)
			check_member(j, f, root);
		json_decref(root);
	}
	ent_jsonl_free(j);
	return 0;
}
