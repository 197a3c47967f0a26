/* Fuzz target: ent_dataset_read on the input as a stream (fmemopen), named
 * x.tsv and x.jsonl, with skip_invalid on and off. Checks every row that was
 * kept: a known label, non-empty NUL-terminated UTF-8 text without NULs or
 * outer blanks, and that a strict read keeps all rows or none. */
#include <stdio.h>
#include <string.h>

#include "entente/data.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

typedef struct problems {
	size_t count;
	const char *name;
} problems;

static void on_problem(void *ctx, const char *message)
{
	problems *p = ctx;
	size_t n = strlen(p->name);
	FUZZ_CHECK(strncmp(message, p->name, n) == 0 && message[n] == ':');
	p->count++;
}

static void check_rows(const ent_dataset *d, const char *name)
{
	size_t counts[ENT_LABEL_COUNT], total = 0;
	size_t prev_line = 0;
	for (size_t i = 0; i < ent_dataset_count(d); i++) {
		const ent_data_row *r = ent_dataset_row(d, i);
		FUZZ_CHECK(ent_label_name(r->label) != NULL);
		FUZZ_CHECK(r->text != NULL && r->text_len > 0 && r->text[r->text_len] == '\0');
		FUZZ_CHECK(strlen(r->text) == r->text_len);
		FUZZ_CHECK(fuzz_utf8_valid(r->text, r->text_len));
		FUZZ_CHECK(r->text[0] != ' ' && r->text[0] != '\t');
		FUZZ_CHECK(r->text[r->text_len - 1] != ' ' && r->text[r->text_len - 1] != '\t');
		FUZZ_CHECK(r->file != NULL && strcmp(r->file, name) == 0);
		FUZZ_CHECK(r->line > prev_line);
		prev_line = r->line;
	}
	ent_dataset_label_counts(d, counts);
	for (int l = 0; l < ENT_LABEL_COUNT; l++)
		total += counts[l];
	FUZZ_CHECK(total == ent_dataset_count(d));
	char hex[65];
	ent_dataset_checksum(d, hex);
	FUZZ_CHECK(strlen(hex) == 64);
}

/* Reads the input once into a dataset holding `earlier` rows already; returns
 * the rows it added (or (size_t)-1 on failure). */
static size_t read_once(const uint8_t *data, size_t size, const char *name, int skip_invalid,
			size_t earlier)
{
	ent_error err = ENT_ERROR_INIT;
	ent_dataset *d = NULL;
	problems p = {0, name};
	ent_data_read_options opt = ENT_DATA_READ_OPTIONS_INIT;
	opt.skip_invalid = skip_invalid;
	opt.problem = on_problem;
	opt.problem_ctx = &p;
	/* fmemopen refuses a zero-length buffer: read an empty file instead. */
	static char empty[1];
	FILE *f = size > 0 ? fmemopen((void *)data, size, "r") : fmemopen(empty, 1, "r");
	FUZZ_CHECK(f != NULL);
	if (size == 0)
		FUZZ_CHECK(fgetc(f) == 0);
	FUZZ_CHECK(ent_dataset_new(&d, &err) == ENT_OK);
	for (size_t i = 0; i < earlier; i++)
		FUZZ_CHECK(ent_dataset_add(d, ENT_LABEL_NEUTRAL, "An earlier row.", 15, name, i + 1, &err) == ENT_OK);
	int rc = ent_dataset_read(d, f, name, &opt, &err);
	fclose(f);
	size_t kept = (size_t)-1;
	if (rc == ENT_OK) {
		if (earlier == 0)
			check_rows(d, name);
		FUZZ_CHECK(ent_dataset_skipped(d) == (skip_invalid ? p.count : 0));
		kept = ent_dataset_count(d) - earlier;
	} else {
		FUZZ_CHECK(rc < 0 && err.code == rc && err.message[0] != '\0');
		FUZZ_CHECK(ent_dataset_count(d) == earlier); /* rows of a failed stream are not added */
		FUZZ_CHECK(rc != ENT_ENOMEM && rc != ENT_EIO);
	}
	ent_dataset_free(d);
	return kept;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"x.tsv", "x.jsonl"};
	for (size_t i = 0; i < 2; i++) {
		size_t strict = read_once(data, size, names[i], 0, 0);
		size_t lenient = read_once(data, size, names[i], 1, 0);
		/* A strict read that succeeds had no bad row: the lenient one keeps the same. */
		FUZZ_CHECK(strict == (size_t)-1 || lenient == strict);
		/* Reading into a dataset that has rows adds the same rows, or none. */
		FUZZ_CHECK(read_once(data, size, names[i], 0, 3) == strict);
	}
	return 0;
}
