/* CUnit suite for labeled data: TSV and JSONL reading, the FILE:LINE
 * message of every bad row, skip_invalid, label counts and checksums. */
#include "entente/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/test_util.h"

#define MAX_PROBLEMS 32

/* Collects the messages the reader hands to the problem callback. */
typedef struct problems {
	char *messages[MAX_PROBLEMS];
	size_t count;
} problems;

static void collect(void *ctx, const char *message)
{
	problems *p = ctx;
	if (p->count < MAX_PROBLEMS)
		p->messages[p->count] = strdup(message);
	p->count++;
}

static void problems_release(problems *p)
{
	for (size_t i = 0; i < p->count && i < MAX_PROBLEMS; i++)
		free(p->messages[i]);
	p->count = 0;
}

typedef struct result {
	int rc;
	ent_error err;
	problems p;
} result;

/* Reads len bytes of data as a stream named name into d. */
static void read_text(ent_dataset *d, const char *name, const char *data, size_t len, int skip, result *r)
{
	memset(r, 0, sizeof *r);
	ent_data_read_options opt = ENT_DATA_READ_OPTIONS_INIT;
	opt.skip_invalid = skip;
	opt.problem = collect;
	opt.problem_ctx = &r->p;
	FILE *f = fmemopen((void *)data, len, "rb");
	if (f == NULL && len == 0)
		f = fopen("/dev/null", "rb"); /* fmemopen of 0 bytes fails on some libcs */
	if (f == NULL) {
		r->rc = -100;
		return;
	}
	r->rc = ent_dataset_read(d, f, name, &opt, &r->err);
	fclose(f);
}

static void read_str(ent_dataset *d, const char *name, const char *data, int skip, result *r)
{
	read_text(d, name, data, strlen(data), skip, r);
}

static ent_dataset *new_dataset(void)
{
	ent_dataset *d = NULL;
	ent_error err = ENT_ERROR_INIT;
	ent_dataset_new(&d, &err);
	return d;
}

/* Checks the one problem of reading a bad TSV or JSONL text. */
static void expect_single_problem(const char *name, const char *data, size_t len, const char *message)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_text(d, name, data, len, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
	CU_ASSERT_EQUAL(r.err.code, ENT_EFORMAT);
	CU_ASSERT_EQUAL(r.p.count, 1);
	if (r.p.count >= 1) {
		CU_ASSERT_STRING_EQUAL(r.p.messages[0], message);
		if (strcmp(r.p.messages[0], message) != 0)
			fprintf(stderr, "\n    got      '%s'\n    expected '%s'\n", r.p.messages[0], message);
	}
	/* the error names the same place and problem */
	CU_ASSERT(strncmp(r.err.message, message, strlen(message)) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err.message, "(1 invalid row in all)"));
	CU_ASSERT_EQUAL(ent_dataset_count(d), 0);
	problems_release(&r.p);
	ent_dataset_free(d);
}

/* ---- good input ---- */

static void test_tsv_header_any_order_extra_columns(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	const char *tsv = "id\ttext\tsource\tlabel\n"
	                  "1\tChina praised the agreement.\twire\tcooperative\n"
	                  "2\tRussia condemned the strike.\tpaper\tconflictual\n"
	                  "3\tIt rained in Oslo.\t\tneutral\n";
	result r;
	read_str(d, "a.tsv", tsv, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(r.p.count, 0);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 3);
	const ent_data_row *row = ent_dataset_row(d, 0);
	CU_ASSERT_EQUAL(row->label, ENT_LABEL_COOPERATIVE);
	CU_ASSERT_STRING_EQUAL(row->text, "China praised the agreement.");
	CU_ASSERT_EQUAL(row->text_len, strlen("China praised the agreement."));
	CU_ASSERT_STRING_EQUAL(row->file, "a.tsv");
	CU_ASSERT_EQUAL(row->line, 2);
	row = ent_dataset_row(d, 1);
	CU_ASSERT_EQUAL(row->label, ENT_LABEL_CONFLICTUAL);
	CU_ASSERT_STRING_EQUAL(row->text, "Russia condemned the strike.");
	CU_ASSERT_EQUAL(row->line, 3);
	row = ent_dataset_row(d, 2);
	CU_ASSERT_EQUAL(row->label, ENT_LABEL_NEUTRAL);
	CU_ASSERT_STRING_EQUAL(row->text, "It rained in Oslo.");
	CU_ASSERT_EQUAL(row->line, 4);
	CU_ASSERT_EQUAL(ent_dataset_skipped(d), 0);

	/* header names in any case, label last, text first */
	read_str(d, "b.tsv", "Text\tLABEL\nJapan thanked Korea.\tcooperative\n", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 4);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 3)->text, "Japan thanked Korea.");
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 3)->file, "b.tsv");
	ent_dataset_free(d);
}

static void test_tsv_text_trimmed_and_utf8_kept(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "t.tsv", "label\ttext\n neutral \t  Z\xC3\xBCrich hosted talks.  \n", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 1);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "Z\xC3\xBCrich hosted talks.");
	CU_ASSERT_EQUAL(ent_dataset_row(d, 0)->label, ENT_LABEL_NEUTRAL);
	ent_dataset_free(d);
}

static void test_jsonl_by_name_and_by_first_byte(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	const char *jsonl =
	    "{\"label\": \"conflictual\", \"text\": \"Iran threatened Israel.\", \"id\": 7}\n"
	    "{\"text\": \"Caf\\u00e9 owners met \\\"officials\\\".\", \"label\": \"neutral\"}\n";
	result r;
	read_str(d, "x.jsonl", jsonl, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(r.p.count, 0);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 2);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 0)->label, ENT_LABEL_CONFLICTUAL);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "Iran threatened Israel.");
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 1)->text, "Caf\xC3\xA9 owners met \"officials\".");
	CU_ASSERT_EQUAL(ent_dataset_row(d, 1)->line, 2);

	/* a name without .jsonl: the first byte '{' decides */
	read_str(d, "rows.txt", "{\"label\":\"cooperative\",\"text\":\"They agreed.\"}\n", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 3);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 2)->label, ENT_LABEL_COOPERATIVE);

	/* .json counts as JSONL as well */
	read_str(d, "more.json", "\n{\"label\":\"neutral\",\"text\":\"Markets closed.\"}", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 4);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 3)->line, 2);
	ent_dataset_free(d);
}

static void test_bom_and_crlf_accepted(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "bom.tsv", "\xEF\xBB\xBFlabel\ttext\r\ncooperative\tThey met.\r\nneutral\tIt snowed.\r\n",
	         0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(r.p.count, 0);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 2);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "They met.");
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 1)->text, "It snowed.");
	CU_ASSERT_EQUAL(ent_dataset_row(d, 1)->line, 3);

	read_str(d, "bom.jsonl", "\xEF\xBB\xBF{\"label\":\"conflictual\",\"text\":\"Troops clashed.\"}\r\n",
	         0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 3);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 2)->text, "Troops clashed.");
	/* a BOM with a name that does not say JSONL still finds the '{' */
	read_str(d, "bom.txt", "\xEF\xBB\xBF{\"label\":\"neutral\",\"text\":\"Calm.\"}\n", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 4);
	ent_dataset_free(d);
}

static void test_blank_lines_ignored(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "blank.tsv", "\n  \nlabel\ttext\n\ncooperative\tA deal.\n \t \n\nneutral\tNews.\n\n", 0,
	         &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(r.p.count, 0);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 2);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 0)->line, 5);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 1)->line, 8);

	read_str(d, "blank.jsonl",
	         "\n{\"label\":\"neutral\",\"text\":\"x\"}\n\n\n{\"label\":\"neutral\",\"text\":\"y\"}\n", 0,
	         &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 4);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 2)->line, 2);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 3)->line, 5);
	ent_dataset_free(d);
}

static void test_last_line_without_newline(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "n.tsv", "label\ttext\nneutral\tNo newline at the end", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 1);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "No newline at the end");
	ent_dataset_free(d);
}

/* ---- bad rows: one message each, FILE:LINE: what ---- */

static void test_unknown_label(void)
{
	const char *tsv = "label\ttext\ncooperative\tFine.\npositve\tThey smiled.\n";
	expect_single_problem(
	    "train.tsv", tsv, strlen(tsv),
	    "train.tsv:3: unknown label 'positve' (expected cooperative, conflictual or neutral)");
	/* labels are exact lower-case names */
	const char *upper = "label\ttext\nNeutral\tCalm.\n";
	expect_single_problem(
	    "u.tsv", upper, strlen(upper),
	    "u.tsv:2: unknown label 'Neutral' (expected cooperative, conflictual or neutral)");
	const char *jsonl = "{\"label\":\"neutrall\",\"text\":\"Calm.\"}\n";
	expect_single_problem(
	    "j.jsonl", jsonl, strlen(jsonl),
	    "j.jsonl:1: unknown label 'neutrall' (expected cooperative, conflictual or neutral)");
}

static void test_wrong_field_count(void)
{
	const char *extra = "label\ttext\nneutral\tone\ttab too many\n";
	expect_single_problem("f.tsv", extra, strlen(extra),
	                      "f.tsv:2: expected 2 tab-separated fields as in the header, found 3");
	const char *missing = "id\tlabel\ttext\n1\tneutral\n";
	expect_single_problem("g.tsv", missing, strlen(missing),
	                      "g.tsv:2: expected 3 tab-separated fields as in the header, found 2");
	const char *trailing = "label\ttext\nneutral\ttext\t\n";
	expect_single_problem("h.tsv", trailing, strlen(trailing),
	                      "h.tsv:2: expected 2 tab-separated fields as in the header, found 3");
}

static void test_empty_text(void)
{
	const char *tsv = "label\ttext\nneutral\t\n";
	expect_single_problem("e.tsv", tsv, strlen(tsv), "e.tsv:2: empty text");
	const char *spaces = "label\ttext\nneutral\t   \n";
	expect_single_problem("e.tsv", spaces, strlen(spaces), "e.tsv:2: empty text");
	const char *jsonl = "{\"label\":\"neutral\",\"text\":\"\"}\n";
	expect_single_problem("e.jsonl", jsonl, strlen(jsonl), "e.jsonl:1: empty text");
}

static void test_invalid_utf8(void)
{
	const char *tsv = "label\ttext\nneutral\tgood\nneutral\tab\xC3(cd\n";
	expect_single_problem("u.tsv", tsv, strlen(tsv), "u.tsv:3: invalid UTF-8 in the text at byte 3");
	const char *overlong = "label\ttext\nneutral\t\xC0\xAF\n";
	expect_single_problem("o.tsv", overlong, strlen(overlong),
	                      "o.tsv:2: invalid UTF-8 in the text at byte 1");
	const char *surrogate = "label\ttext\nneutral\tx\xED\xA0\x80\n";
	expect_single_problem("s.tsv", surrogate, strlen(surrogate),
	                      "s.tsv:2: invalid UTF-8 in the text at byte 2");
	/* in JSONL the JSON parser refuses the line */
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "u.jsonl", "{\"label\":\"neutral\",\"text\":\"ab\xC3(cd\"}\n", 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
	CU_ASSERT_EQUAL(r.p.count, 1);
	if (r.p.count == 1)
		CU_ASSERT(strncmp(r.p.messages[0], "u.jsonl:1: invalid JSON", 23) == 0);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 0);
	problems_release(&r.p);
	ent_dataset_free(d);
}

static void test_nul_byte(void)
{
	static const char tsv[] = "label\ttext\nneutral\tab\0cd\n";
	expect_single_problem("z.tsv", tsv, sizeof tsv - 1, "z.tsv:2: NUL byte at byte 11");
	static const char jsonl[] = "{\"label\":\"neutral\",\"text\":\"a\"}\n{\"label\":\0}\n";
	expect_single_problem("z.jsonl", jsonl, sizeof jsonl - 1, "z.jsonl:2: NUL byte at byte 10");
}

static void test_over_long_line(void)
{
	const char *head = "label\ttext\nneutral\t";
	size_t over = ENT_DATA_MAX_LINE + 1; /* bytes in the bad line */
	size_t total = strlen(head) + (over - 8) + strlen("\nneutral\tafter\n");
	char *data = malloc(total + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	size_t at = strlen(head);
	memcpy(data, head, at);
	memset(data + at, 'a', over - 8);
	at += over - 8;
	memcpy(data + at, "\nneutral\tafter\n", strlen("\nneutral\tafter\n") + 1);
	char expect[128];
	snprintf(expect, sizeof expect, "long.tsv:2: line of %zu bytes exceeds the limit of %zu bytes", over,
	         ENT_DATA_MAX_LINE);
	expect_single_problem("long.tsv", data, total, expect);

	/* skipped, the next line is read with the right number */
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_text(d, "long.tsv", data, total, 1, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 1);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "after");
	CU_ASSERT_EQUAL(ent_dataset_row(d, 0)->line, 3);
	CU_ASSERT_EQUAL(ent_dataset_skipped(d), 1);
	problems_release(&r.p);
	ent_dataset_free(d);

	/* exactly the limit is fine, with or without a CR before the newline */
	data[strlen(head) + ENT_DATA_MAX_LINE - 8] = '\n';
	size_t exact = strlen(head) + ENT_DATA_MAX_LINE - 8 + 1;
	d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	read_text(d, "exact.tsv", data, exact, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 1);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 0)->text_len, ENT_DATA_MAX_LINE - 8);
	data[strlen(head) + ENT_DATA_MAX_LINE - 8] = '\r';
	data[strlen(head) + ENT_DATA_MAX_LINE - 8 + 1] = '\n';
	read_text(d, "crlf.tsv", data, exact + 1, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 2);
	problems_release(&r.p);
	ent_dataset_free(d);
	free(data);
}

static void test_broken_json(void)
{
	const char *cases[] = {"{\"label\":\"neutral\",\"text\":\"unterminated}\n",
	                       "{\"label\":\"neutral\" \"text\":\"x\"}\n",
	                       "{\"label\":\"neutral\",\"text\":\"x\"} trailing\n",
	                       "{\"label\":\"neutral\",\"label\":\"neutral\",\"text\":\"x\"}\n"};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ent_dataset *d = new_dataset();
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		result r;
		char data[256];
		snprintf(data, sizeof data, "{\"label\":\"neutral\",\"text\":\"ok\"}\n%s", cases[i]);
		read_str(d, "b.jsonl", data, 0, &r);
		CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
		CU_ASSERT_EQUAL(r.p.count, 1);
		if (r.p.count == 1)
			CU_ASSERT(strncmp(r.p.messages[0], "b.jsonl:2: invalid JSON at column ", 34) == 0);
		CU_ASSERT_EQUAL(ent_dataset_count(d), 0);
		problems_release(&r.p);
		ent_dataset_free(d);
	}
}

static void test_wrong_json_types(void)
{
	const char *label_number = "{\"label\":1,\"text\":\"x\"}\n";
	expect_single_problem("t.jsonl", label_number, strlen(label_number),
	                      "t.jsonl:1: missing string field 'label'");
	const char *no_label = "{\"text\":\"x\"}\n";
	expect_single_problem("t.jsonl", no_label, strlen(no_label),
	                      "t.jsonl:1: missing string field 'label'");
	const char *text_array = "{\"label\":\"neutral\",\"text\":[\"x\"]}\n";
	expect_single_problem("t.jsonl", text_array, strlen(text_array),
	                      "t.jsonl:1: missing string field 'text'");
	const char *text_null = "{\"label\":\"neutral\",\"text\":null}\n";
	expect_single_problem("t.jsonl", text_null, strlen(text_null),
	                      "t.jsonl:1: missing string field 'text'");
	const char *array = "{\"label\":\"neutral\",\"text\":\"x\"}\n[\"neutral\", \"x\"]\n";
	expect_single_problem("t.jsonl", array, strlen(array),
	                      "t.jsonl:2: expected a JSON object with 'label' and 'text'");
}

static void test_json_nul_escape_rejected(void)
{
	const char *jsonl = "{\"label\":\"neutral\",\"text\":\"a\\u0000b\"}\n";
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "n.jsonl", jsonl, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
	CU_ASSERT_EQUAL(r.p.count, 1);
	if (r.p.count == 1)
		CU_ASSERT(strncmp(r.p.messages[0], "n.jsonl:1: ", 11) == 0);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 0);
	problems_release(&r.p);
	ent_dataset_free(d);
}

static void test_missing_header_columns(void)
{
	const char *cases[][2] = {
	    {"label\tsentence\nneutral\tx\n",
	     "h.tsv:1: header must name a 'label' and a 'text' column (tab-separated)"},
	    {"text\nx\n", "h.tsv:1: header must name a 'label' and a 'text' column (tab-separated)"},
	    {"label text\nneutral x\n",
	     "h.tsv:1: header must name a 'label' and a 'text' column (tab-separated)"},
	    {"neutral\tThe data has no header.\n",
	     "h.tsv:1: header must name a 'label' and a 'text' column (tab-separated)"},
	    {"\n\nlabels\ttext\n", "h.tsv:3: header must name a 'label' and a 'text' column (tab-separated)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ent_dataset *d = new_dataset();
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_EQUAL(ent_dataset_add(d, ENT_LABEL_NEUTRAL, "kept", 4, "before", 1, NULL), ENT_OK);
		result r;
		read_str(d, "h.tsv", cases[i][0], 1, &r);
		CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
		CU_ASSERT_STRING_EQUAL(r.err.message, cases[i][1]);
		if (strcmp(r.err.message, cases[i][1]) != 0)
			fprintf(stderr, "\n    got '%s'\n", r.err.message);
		CU_ASSERT_EQUAL(ent_dataset_count(d), 1);
		problems_release(&r.p);
		ent_dataset_free(d);
	}
}

/* ---- skip_invalid ---- */

static const char mixed_tsv[] = "label\ttext\n"
                                "cooperative\tThey signed a pact.\n"
                                "happy\tBad label.\n"
                                "conflictual\tThey fired rockets.\n"
                                "neutral\n"
                                "neutral\tA report.\n"
                                "neutral\t\n";

static void test_skip_invalid_counts_and_succeeds(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "m.tsv", mixed_tsv, 1, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 3);
	CU_ASSERT_EQUAL(ent_dataset_skipped(d), 3);
	CU_ASSERT_EQUAL_FATAL(r.p.count, 3);
	CU_ASSERT_STRING_EQUAL(
	    r.p.messages[0], "m.tsv:3: unknown label 'happy' (expected cooperative, conflictual or neutral)");
	CU_ASSERT_STRING_EQUAL(r.p.messages[1],
	                       "m.tsv:5: expected 2 tab-separated fields as in the header, found 1");
	CU_ASSERT_STRING_EQUAL(r.p.messages[2], "m.tsv:7: empty text");
	CU_ASSERT_EQUAL(ent_dataset_row(d, 1)->line, 4);
	CU_ASSERT_EQUAL(ent_dataset_row(d, 2)->line, 6);
	problems_release(&r.p);

	/* skipped rows add up over files */
	read_str(d, "m2.tsv", mixed_tsv, 1, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 6);
	CU_ASSERT_EQUAL(ent_dataset_skipped(d), 6);
	problems_release(&r.p);
	ent_dataset_free(d);
}

static void test_without_skip_fails_and_adds_nothing(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	result r;
	read_str(d, "good.tsv", "label\ttext\nneutral\tFirst file.\n", 0, &r);
	CU_ASSERT_EQUAL_FATAL(r.rc, ENT_OK);
	read_str(d, "m.tsv", mixed_tsv, 0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
	/* every bad row was still reported */
	CU_ASSERT_EQUAL(r.p.count, 3);
	CU_ASSERT_STRING_EQUAL(r.err.message,
	                       "m.tsv:3: unknown label 'happy' (expected cooperative, conflictual or "
	                       "neutral) (3 invalid rows in all)");
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 1);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "First file.");
	CU_ASSERT_EQUAL(ent_dataset_skipped(d), 0);
	problems_release(&r.p);

	/* no callback: same outcome */
	FILE *f = fmemopen((void *)mixed_tsv, sizeof mixed_tsv - 1, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_dataset_read(d, f, "m.tsv", NULL, &err), ENT_EFORMAT);
	fclose(f);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 1);
	ent_dataset_free(d);
}

static void test_empty_file(void)
{
	const char *cases[] = {"", "\n\n  \n"};
	for (size_t i = 0; i < 2; i++) {
		ent_dataset *d = new_dataset();
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		result r;
		read_str(d, "empty.tsv", cases[i], 1, &r);
		CU_ASSERT_EQUAL(r.rc, ENT_EFORMAT);
		CU_ASSERT(strncmp(r.err.message, "empty.tsv: no data", 18) == 0);
		CU_ASSERT_EQUAL(ent_dataset_count(d), 0);
		ent_dataset_free(d);
	}
}

static void test_read_file(void)
{
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	const char *tsv = "label\ttext\ncooperative\tThey signed.\n";
	char *path = ent_test_write_file(dir, "rows.tsv", tsv, strlen(tsv));
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	ent_dataset *d = new_dataset();
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_dataset_read_file(d, path, NULL, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_dataset_count(d), 1);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->file, path);

	char missing[4200];
	snprintf(missing, sizeof missing, "%s/nope.tsv", dir);
	CU_ASSERT_EQUAL(ent_dataset_read_file(d, missing, NULL, &err), ENT_EIO);
	char expect[4300];
	snprintf(expect, sizeof expect, "cannot open '%s': No such file or directory", missing);
	CU_ASSERT_STRING_EQUAL(err.message, expect);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 1);
	ent_dataset_free(d);
	free(path);
	ent_test_rmdir(dir);
}

/* ---- labels, counts, checksums ---- */

static void test_label_names(void)
{
	CU_ASSERT_STRING_EQUAL(ent_label_name(ENT_LABEL_COOPERATIVE), "cooperative");
	CU_ASSERT_STRING_EQUAL(ent_label_name(ENT_LABEL_CONFLICTUAL), "conflictual");
	CU_ASSERT_STRING_EQUAL(ent_label_name(ENT_LABEL_NEUTRAL), "neutral");
	CU_ASSERT_PTR_NULL(ent_label_name(-1));
	CU_ASSERT_PTR_NULL(ent_label_name(ENT_LABEL_COUNT));
	CU_ASSERT_EQUAL(ent_label_parse("neutral", 7), ENT_LABEL_NEUTRAL);
	CU_ASSERT_EQUAL(ent_label_parse("conflictual", 11), ENT_LABEL_CONFLICTUAL);
	CU_ASSERT_EQUAL(ent_label_parse("neutral!", 7), ENT_LABEL_NEUTRAL);
	CU_ASSERT_EQUAL(ent_label_parse("neutra", 6), -1);
	CU_ASSERT_EQUAL(ent_label_parse("Neutral", 7), -1);
	CU_ASSERT_EQUAL(ent_label_parse("", 0), -1);
}

static void test_dataset_add(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_error err = ENT_ERROR_INIT;
	char text[] = "borrowed? no, copied";
	CU_ASSERT_EQUAL(ent_dataset_add(d, ENT_LABEL_CONFLICTUAL, text, 8, "mem", 9, &err), ENT_OK);
	text[0] = 'X';
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "borrowed");
	CU_ASSERT_EQUAL(ent_dataset_row(d, 0)->line, 9);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->file, "mem");
	CU_ASSERT_EQUAL(ent_dataset_add(d, 3, "x", 1, "mem", 1, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_dataset_add(d, -1, "x", 1, "mem", 1, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_dataset_count(d), 1);
	/* many rows: storage grows and earlier rows stay valid */
	for (int i = 0; i < 3000; i++) {
		char s[32];
		int n = snprintf(s, sizeof s, "row %d", i);
		CU_ASSERT_EQUAL_FATAL(
		    ent_dataset_add(d, i % 3, s, (size_t)n, i % 2 ? "odd" : "even", (size_t)i, &err), ENT_OK);
	}
	CU_ASSERT_EQUAL(ent_dataset_count(d), 3001);
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 0)->text, "borrowed");
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 3000)->text, "row 2999");
	CU_ASSERT_STRING_EQUAL(ent_dataset_row(d, 3000)->file, "odd");
	ent_dataset_free(d);
	ent_dataset_free(NULL);
}

static void test_label_counts(void)
{
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	size_t counts[ENT_LABEL_COUNT] = {9, 9, 9};
	ent_dataset_label_counts(d, counts);
	CU_ASSERT(counts[0] == 0 && counts[1] == 0 && counts[2] == 0);
	result r;
	read_str(d, "c.tsv",
	         "label\ttext\ncooperative\ta\nneutral\tb\ncooperative\tc\nconflictual\td\ncooperative\te\n",
	         0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	ent_dataset_label_counts(d, counts);
	CU_ASSERT_EQUAL(counts[ENT_LABEL_COOPERATIVE], 3);
	CU_ASSERT_EQUAL(counts[ENT_LABEL_CONFLICTUAL], 1);
	CU_ASSERT_EQUAL(counts[ENT_LABEL_NEUTRAL], 1);
	ent_dataset_free(d);
}

static void test_checksum_stability(void)
{
	char hex[65], again[65];
	ent_dataset *d = new_dataset();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	/* SHA-256 of nothing */
	ent_dataset_checksum(d, hex);
	CU_ASSERT_STRING_EQUAL(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	/* SHA-256 of "cooperative\tThey met.\nneutral\tIt rained.\n" (sha256sum) */
	const char *expect = "5f7e3cca09a52b5ca1ef3fc05b2cde08eb4d51591471463320a5286d420b351a";
	result r;
	read_str(d, "a.tsv", "id\ttext\tlabel\n1\tThey met.\tcooperative\n2\tIt rained.\tneutral\n", 0, &r);
	CU_ASSERT_EQUAL_FATAL(r.rc, ENT_OK);
	ent_dataset_checksum(d, hex);
	CU_ASSERT_EQUAL(strlen(hex), 64);
	CU_ASSERT_STRING_EQUAL(hex, expect);
	ent_dataset_checksum(d, again);
	CU_ASSERT_STRING_EQUAL(hex, again);

	/* the same rows from JSONL, or added by hand, in another file: same sum */
	ent_dataset *j = new_dataset();
	read_str(j, "b.jsonl",
	         "{\"text\":\"They met.\",\"label\":\"cooperative\"}\n{\"label\":\"neutral\",\"text\":\"It "
	         "rained.\"}\n",
	         0, &r);
	CU_ASSERT_EQUAL(r.rc, ENT_OK);
	ent_dataset_checksum(j, again);
	CU_ASSERT_STRING_EQUAL(hex, again);
	ent_dataset *h = new_dataset();
	CU_ASSERT_EQUAL(ent_dataset_add(h, ENT_LABEL_COOPERATIVE, "They met.", 9, "x", 40, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_add(h, ENT_LABEL_NEUTRAL, "It rained.", 10, "y", 2, NULL), ENT_OK);
	ent_dataset_checksum(h, again);
	CU_ASSERT_STRING_EQUAL(hex, again);

	/* order, labels and text all count */
	ent_dataset *o = new_dataset();
	CU_ASSERT_EQUAL(ent_dataset_add(o, ENT_LABEL_NEUTRAL, "It rained.", 10, "y", 2, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_add(o, ENT_LABEL_COOPERATIVE, "They met.", 9, "x", 1, NULL), ENT_OK);
	ent_dataset_checksum(o, again);
	CU_ASSERT_STRING_NOT_EQUAL(hex, again);
	ent_dataset *l = new_dataset();
	CU_ASSERT_EQUAL(ent_dataset_add(l, ENT_LABEL_CONFLICTUAL, "They met.", 9, "x", 1, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_dataset_add(l, ENT_LABEL_NEUTRAL, "It rained.", 10, "y", 2, NULL), ENT_OK);
	ent_dataset_checksum(l, again);
	CU_ASSERT_STRING_NOT_EQUAL(hex, again);
	ent_dataset_free(d);
	ent_dataset_free(j);
	ent_dataset_free(h);
	ent_dataset_free(o);
	ent_dataset_free(l);
}

ENT_TEST_MAIN("data", ENT_TEST(test_tsv_header_any_order_extra_columns),
              ENT_TEST(test_tsv_text_trimmed_and_utf8_kept), ENT_TEST(test_jsonl_by_name_and_by_first_byte),
              ENT_TEST(test_bom_and_crlf_accepted), ENT_TEST(test_blank_lines_ignored),
              ENT_TEST(test_last_line_without_newline), ENT_TEST(test_unknown_label),
              ENT_TEST(test_wrong_field_count), ENT_TEST(test_empty_text), ENT_TEST(test_invalid_utf8),
              ENT_TEST(test_nul_byte), ENT_TEST(test_over_long_line), ENT_TEST(test_broken_json),
              ENT_TEST(test_wrong_json_types), ENT_TEST(test_json_nul_escape_rejected),
              ENT_TEST(test_missing_header_columns), ENT_TEST(test_skip_invalid_counts_and_succeeds),
              ENT_TEST(test_without_skip_fails_and_adds_nothing), ENT_TEST(test_empty_file),
              ENT_TEST(test_read_file), ENT_TEST(test_label_names), ENT_TEST(test_dataset_add),
              ENT_TEST(test_label_counts), ENT_TEST(test_checksum_stability))
