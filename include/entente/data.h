/* entente — labels and labeled data (TSV with a header, or JSONL). */
#ifndef ENTENTE_DATA_H
#define ENTENTE_DATA_H

#include <stddef.h>
#include <stdio.h>

#include "entente/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fixed label set; the order is the order of every report. */
enum { ENT_LABEL_COOPERATIVE = 0, ENT_LABEL_CONFLICTUAL = 1, ENT_LABEL_NEUTRAL = 2,
       ENT_LABEL_COUNT = 3 };

/* "cooperative", "conflictual", "neutral"; NULL outside the range. */
const char *ent_label_name(int label);
/* The label of an exact lower-case name, or -1. */
int ent_label_parse(const char *name, size_t len);

#define ENT_DATA_MAX_LINE ((size_t)1024 * 1024)    /* bytes in one row */
#define ENT_DATA_MAX_ROWS ((size_t)50 * 1000 * 1000)

typedef struct ent_data_row {
	int label;
	const char *text; /* NUL-terminated, valid UTF-8, borrowed from the dataset */
	size_t text_len;
	const char *file; /* where the row came from, for messages */
	size_t line;
} ent_data_row;

/* Receives each bad row's message ("FILE:LINE: what is wrong"). */
typedef void (*ent_data_problem_fn)(void *ctx, const char *message);

typedef struct ent_data_read_options {
	int skip_invalid;             /* keep reading past bad rows and succeed */
	ent_data_problem_fn problem;  /* may be NULL */
	void *problem_ctx;
} ent_data_read_options;

#define ENT_DATA_READ_OPTIONS_INIT {0, NULL, NULL}

typedef struct ent_dataset ent_dataset;

int ent_dataset_new(ent_dataset **out, ent_error *err);
void ent_dataset_free(ent_dataset *d);

/* Reads rows from a stream named name (used in messages). The format is
 * JSONL when the name ends in .jsonl/.json or the first byte is '{', else TSV.
 * Every bad row goes to opt->problem; without skip_invalid any bad row makes
 * the call fail with ENT_EFORMAT after the whole stream was read (rows of
 * that stream are then not added). */
int ent_dataset_read(ent_dataset *d, FILE *stream, const char *name,
		     const ent_data_read_options *opt, ent_error *err);
/* Same, opening path (ENT_EIO when it cannot be opened). */
int ent_dataset_read_file(ent_dataset *d, const char *path, const ent_data_read_options *opt,
			  ent_error *err);

/* Appends one row (text copied; must be valid UTF-8). */
int ent_dataset_add(ent_dataset *d, int label, const char *text, size_t len, const char *file,
		    size_t line, ent_error *err);

size_t ent_dataset_count(const ent_dataset *d);
const ent_data_row *ent_dataset_row(const ent_dataset *d, size_t i);
/* Rows that were reported and skipped under skip_invalid. */
size_t ent_dataset_skipped(const ent_dataset *d);
void ent_dataset_label_counts(const ent_dataset *d, size_t counts[ENT_LABEL_COUNT]);
/* SHA-256 over labels and texts in order, as 64 hex digits + NUL. */
void ent_dataset_checksum(const ent_dataset *d, char hex[65]);

#ifdef __cplusplus
}
#endif
#endif
