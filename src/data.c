#include "entente/data.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "entente/jsonl.h"
#include "entente/lines.h"
#include "utf8.h"

static const char *const label_names[ENT_LABEL_COUNT] = {"cooperative", "conflictual", "neutral"};

const char *ent_label_name(int label)
{
	return (label >= 0 && label < ENT_LABEL_COUNT) ? label_names[label] : NULL;
}

int ent_label_parse(const char *name, size_t len)
{
	for (int i = 0; i < ENT_LABEL_COUNT; i++)
		if (strlen(label_names[i]) == len && memcmp(label_names[i], name, len) == 0)
			return i;
	return -1;
}

struct ent_dataset {
	ent_data_row *rows;
	size_t count, cap;
	char **files; /* interned file names, owned */
	size_t files_count;
	size_t skipped;
};

int ent_dataset_new(ent_dataset **out, ent_error *err)
{
	*out = calloc(1, sizeof **out);
	if (*out == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a dataset");
	return ENT_OK;
}

void ent_dataset_free(ent_dataset *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->count; i++)
		free((char *)d->rows[i].text);
	for (size_t i = 0; i < d->files_count; i++)
		free(d->files[i]);
	free(d->files);
	free(d->rows);
	free(d);
}

static const char *intern_file(ent_dataset *d, const char *file)
{
	for (size_t i = 0; i < d->files_count; i++)
		if (strcmp(d->files[i], file) == 0)
			return d->files[i];
	char **grown = realloc(d->files, (d->files_count + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	d->files = grown;
	char *copy = strdup(file);
	if (copy == NULL)
		return NULL;
	d->files[d->files_count++] = copy;
	return copy;
}

int ent_dataset_add(ent_dataset *d, int label, const char *text, size_t len, const char *file,
		    size_t line, ent_error *err)
{
	if (ent_label_name(label) == NULL)
		return ent_error_set(err, ENT_EPARAM, "invalid label index %d", label);
	if (d->count >= ENT_DATA_MAX_ROWS)
		return ent_error_set(err, ENT_ELIMIT, "more than %zu labeled rows", ENT_DATA_MAX_ROWS);
	if (ent_array_reserve((void **)&d->rows, &d->cap, d->count + 1, sizeof *d->rows) != 0)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for %zu rows", d->count + 1);
	char *copy = malloc(len + 1);
	const char *name = intern_file(d, file ? file : "");
	if (copy == NULL || name == NULL) {
		free(copy);
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a row of %zu bytes", len);
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	d->rows[d->count++] = (ent_data_row){label, copy, len, name, line};
	return ENT_OK;
}

size_t ent_dataset_count(const ent_dataset *d)
{
	return d->count;
}

const ent_data_row *ent_dataset_row(const ent_dataset *d, size_t i)
{
	return &d->rows[i];
}

size_t ent_dataset_skipped(const ent_dataset *d)
{
	return d->skipped;
}

void ent_dataset_label_counts(const ent_dataset *d, size_t counts[ENT_LABEL_COUNT])
{
	memset(counts, 0, ENT_LABEL_COUNT * sizeof *counts);
	for (size_t i = 0; i < d->count; i++)
		counts[d->rows[i].label]++;
}

void ent_dataset_checksum(const ent_dataset *d, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	for (size_t i = 0; i < d->count; i++) {
		const char *label = label_names[d->rows[i].label];
		sha256_update(&ctx, strlen(label), (const uint8_t *)label);
		sha256_update(&ctx, 1, (const uint8_t *)"\t");
		sha256_update(&ctx, d->rows[i].text_len, (const uint8_t *)d->rows[i].text);
		sha256_update(&ctx, 1, (const uint8_t *)"\n");
	}
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* ---- reading ---- */

typedef struct reader {
	ent_dataset *d;
	const char *name;
	const ent_data_read_options *opt;
	size_t bad;
	size_t first_bad_line;
	char first_problem[ENT_ERROR_MESSAGE_MAX];
	/* TSV header */
	size_t fields, label_col, text_col;
	ent_jsonl *json; /* JSONL input, made on its first row */
} reader;

static void report(reader *r, size_t line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void report(reader *r, size_t line, const char *fmt, ...)
{
	char what[ENT_ERROR_MESSAGE_MAX], message[ENT_ERROR_MESSAGE_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(message, sizeof message, "%s:%zu: %s", r->name, line, what);
	if (r->bad++ == 0) {
		r->first_bad_line = line;
		snprintf(r->first_problem, sizeof r->first_problem, "%s", what);
	}
	if (r->opt->problem)
		r->opt->problem(r->opt->problem_ctx, message);
}

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*len)--;
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* Checks a label and text, then adds the row; 1 when added, 0 when bad, <0 on failure. */
static int accept_row(reader *r, size_t line, const char *label, size_t label_len,
		      const char *text, size_t text_len, ent_error *err)
{
	trim(&label, &label_len);
	trim(&text, &text_len);
	int id = ent_label_parse(label, label_len);
	if (id < 0) {
		report(r, line, "unknown label '%.*s' (expected cooperative, conflictual or neutral)",
		       (int)(label_len > 40 ? 40 : label_len), label);
		return 0;
	}
	if (text_len == 0) {
		report(r, line, "empty text");
		return 0;
	}
	size_t bad = ent_utf8_invalid_at(text, text_len);
	if (bad != (size_t)-1) {
		report(r, line, "invalid UTF-8 in the text at byte %zu", bad + 1);
		return 0;
	}
	int rc = ent_dataset_add(r->d, id, text, text_len, r->name, line, err);
	return rc == ENT_OK ? 1 : rc;
}

static size_t split_tabs(const char *line, size_t len, const char **starts, size_t *lens, size_t max)
{
	size_t n = 0, begin = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != '\t')
			continue;
		if (n < max) {
			starts[n] = line + begin;
			lens[n] = i - begin;
		}
		n++;
		begin = i + 1;
	}
	return n;
}

#define MAX_COLUMNS 64

static int read_tsv_header(reader *r, size_t number, const char *line, size_t len, ent_error *err)
{
	const char *starts[MAX_COLUMNS];
	size_t lens[MAX_COLUMNS];
	size_t n = split_tabs(line, len, starts, lens, MAX_COLUMNS);
	if (n > MAX_COLUMNS)
		return ent_error_set(err, ENT_EFORMAT, "%s:%zu: header has %zu columns (at most %d)", r->name,
				     number, n, MAX_COLUMNS);
	r->fields = n;
	r->label_col = r->text_col = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		const char *s = starts[i];
		size_t l = lens[i];
		trim(&s, &l);
		if (l == 5 && strncasecmp(s, "label", 5) == 0)
			r->label_col = i;
		else if (l == 4 && strncasecmp(s, "text", 4) == 0)
			r->text_col = i;
	}
	if (r->label_col == (size_t)-1 || r->text_col == (size_t)-1)
		return ent_error_set(err, ENT_EFORMAT,
				     "%s:%zu: header must name a 'label' and a 'text' column (tab-separated)",
				     r->name, number);
	return ENT_OK;
}

static int read_tsv_row(reader *r, size_t number, const char *line, size_t len, ent_error *err)
{
	const char *starts[MAX_COLUMNS];
	size_t lens[MAX_COLUMNS];
	size_t n = split_tabs(line, len, starts, lens, MAX_COLUMNS);
	if (n != r->fields) {
		report(r, number, "expected %zu tab-separated fields as in the header, found %zu",
		       r->fields, n);
		return 0;
	}
	return accept_row(r, number, starts[r->label_col], lens[r->label_col], starts[r->text_col],
			  lens[r->text_col], err);
}

static const char *const JSONL_FIELDS[] = {"label", "text"};

static const char *json_string_field(const ent_jsonl *json, size_t field, size_t *len)
{
	const char *value;
	return ent_jsonl_get(json, field, &value, len) == ENT_JSON_STRING ? value : NULL;
}

static int read_jsonl_row(reader *r, size_t number, const char *line, size_t len, ent_error *err)
{
	ent_error bad = ENT_ERROR_INIT;
	if (r->json == NULL && ent_jsonl_new(&r->json, JSONL_FIELDS, 2, err) != ENT_OK)
		return err->code;
	int rc = ent_jsonl_parse(r->json, line, len, &bad);
	if (rc == ENT_ENOMEM)
		return ent_error_set(err, rc, "%s:%zu: %s", r->name, number, bad.message);
	if (rc != ENT_OK) {
		report(r, number, "invalid JSON at %s", bad.message);
		return 0;
	}
	size_t label_len = 0, text_len = 0;
	const char *label = json_string_field(r->json, 0, &label_len);
	const char *text = json_string_field(r->json, 1, &text_len);
	if (!ent_jsonl_is_object(r->json))
		report(r, number, "expected a JSON object with 'label' and 'text'");
	else if (label == NULL)
		report(r, number, "missing string field 'label'");
	else if (text == NULL)
		report(r, number, "missing string field 'text'");
	else
		return accept_row(r, number, label, label_len, text, text_len, err);
	return 0;
}

static int is_jsonl_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 6 && strcmp(name + n - 6, ".jsonl") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int is_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return 0;
	return 1;
}

/* Reads every line; 0 when the stream was read to its end. */
static int read_lines(reader *r, ent_lines *lines, ent_error *err)
{
	int jsonl = is_jsonl_name(r->name), header_done = 0;
	const char *line;
	size_t len;
	int st;
	while ((st = ent_lines_next(lines, &line, &len)) != ENT_LINE_EOF) {
		size_t number = ent_lines_number(lines);
		if (st == ENT_LINE_ERROR)
			return ent_error_set(err, ENT_EIO, "%s:%zu: read error: %s", r->name, number,
					     strerror(errno));
		if (st == ENT_LINE_TOO_LONG) {
			report(r, number, "line of %zu bytes exceeds the limit of %zu bytes", len,
			       ENT_DATA_MAX_LINE);
			continue;
		}
		if (memchr(line, '\0', len) != NULL) {
			report(r, number, "NUL byte at byte %zu", (size_t)((const char *)memchr(line, '\0', len) - line) + 1);
			continue;
		}
		if (is_blank(line, len))
			continue;
		if (!header_done) {
			header_done = 1;
			jsonl = jsonl || line[0] == '{';
			if (!jsonl) {
				int rc = read_tsv_header(r, number, line, len, err);
				if (rc != ENT_OK)
					return rc;
				continue;
			}
		}
		int rc = jsonl ? read_jsonl_row(r, number, line, len, err)
			       : read_tsv_row(r, number, line, len, err);
		if (rc < 0)
			return rc;
	}
	if (!header_done)
		return ent_error_set(err, ENT_EFORMAT, "%s: no data (expected a header line naming 'label' and 'text', or JSONL)",
				     r->name);
	return ENT_OK;
}

static void drop_rows_from(ent_dataset *d, size_t first)
{
	for (size_t i = first; i < d->count; i++)
		free((char *)d->rows[i].text);
	d->count = first;
}

int ent_dataset_read(ent_dataset *d, FILE *stream, const char *name,
		     const ent_data_read_options *opt, ent_error *err)
{
	static const ent_data_read_options defaults = ENT_DATA_READ_OPTIONS_INIT;
	reader r = {.d = d, .name = name, .opt = opt ? opt : &defaults};
	size_t first = d->count;
	ent_lines *lines = ent_lines_new(stream, ENT_DATA_MAX_LINE);
	if (lines == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory reading '%s'", name);
	int rc = read_lines(&r, lines, err);
	ent_lines_free(lines);
	ent_jsonl_free(r.json);
	if (rc == ENT_OK && r.bad > 0 && !r.opt->skip_invalid)
		rc = ent_error_set(err, ENT_EFORMAT, "%s:%zu: %s (%zu invalid row%s in all)", name,
				   r.first_bad_line, r.first_problem, r.bad, r.bad == 1 ? "" : "s");
	if (rc != ENT_OK)
		drop_rows_from(d, first);
	else
		d->skipped += r.bad;
	return rc;
}

int ent_dataset_read_file(ent_dataset *d, const char *path, const ent_data_read_options *opt,
			  ent_error *err)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return ent_error_set(err, ENT_EIO, "cannot open '%s': %s", path, strerror(errno));
	int rc = ent_dataset_read(d, f, path, opt, err);
	fclose(f);
	return rc;
}
