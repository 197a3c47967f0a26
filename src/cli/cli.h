/* The command line: the only code that parses argv, prints and exits. */
#ifndef ENT_CLI_H
#define ENT_CLI_H

#include <stdio.h>

#include "entente/error.h"
#include "entente/model.h"
#include "entente/report.h"

/* Exit codes (DESIGN.md). */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_MODEL = 3, EXIT_IO = 4, EXIT_INTERRUPTED = 130 };
/* Internal: the reader of stdout went away; stop work and exit 0. */
enum { EXIT_STOP = -1 };

int cli_exit_for(int status);
/* Prints "entente: MESSAGE" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the error and returns its exit code. */
int cli_fail(const ent_error *err);
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Option parsing: matches "--name VALUE" and "--name=VALUE" (and a short
 * alias); advances *i past the value. Returns 1 on a match, -1 when the
 * value is missing (after printing a usage error), else 0. */
int cli_option(int argc, char **argv, int *i, const char *name, const char *alias, const char **value);
int cli_flag(const char *arg, const char *name);
int cli_parse_int(const char *command, const char *option, const char *text, long min, long max, long *out);
int cli_parse_double(const char *command, const char *option, const char *text, double *out);

/* The shipped default model and dictionary: $ENTENTE_MODEL, beside the
 * binary (../models/), or the install prefix. Returns a static path or NULL. */
const char *cli_default_model(void);
const char *cli_default_actors(void);
/* Loads -m MODEL or the default one. */
int cli_load_model(const char *path, ent_model **out);

/* A progress bar on stderr when it is a terminal, nothing otherwise. */
void cli_progress(void *ctx, const char *stage, double fraction);
void cli_progress_done(void);

/* Writes data to path ("-" or NULL: stdout) atomically; returns an exit code. */
int cli_write_output(const char *path, const char *data, size_t len);
/* After writing to stdout: a closed pipe ends quietly (0), other errors 4. */
int cli_finish_stdout(void);

/* An output that is stdout, or a temporary file renamed over the path on
 * success (so a failed run never leaves a half-written file). */
typedef struct cli_sink {
	FILE *file;
	const char *path; /* NULL for stdout */
	char *tmp;
	int failed;
	int reader_gone; /* stdout's reader closed the pipe */
} cli_sink;

int cli_sink_open(cli_sink *s, const char *path);
int cli_sink_write(cli_sink *s, const char *data, size_t len);
/* Commits (rename) when ok, else removes the temporary file. */
int cli_sink_close(cli_sink *s, int ok);

/* Reads a whole stream with a cap; returns an exit code. */
int cli_read_stream(FILE *f, const char *name, size_t max, char **out, size_t *len);

/* Calls fn(ctx, name, number, line, len) for each non-blank line; stops at
 * the first non-zero return. Over-long lines are a data error. */
typedef int (*cli_line_fn)(void *ctx, const char *name, size_t number, const char *line, size_t len);
int cli_for_each_line(FILE *f, const char *name, size_t max, cli_line_fn fn, void *ctx);

/* Interruption: SIGINT/SIGTERM set this flag. */
extern volatile int cli_interrupted;
void cli_catch_signals(void);

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_cv(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_actors(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* Shared by train and cv: parses one training option at argv[*i]; returns
 * 1 when consumed, 0 when not a training option, or an exit code + 100. */
int cli_train_option(const char *command, int argc, char **argv, int *i, ent_train_options *opt,
		     const char **actors_path, int *skip_invalid);
/* Reads every labeled file ("-" = stdin) into data, printing bad rows. */
int cli_read_data(ent_dataset *data, char **files, int count, int skip_invalid);
/* train and cv: reads the labeled files and the masking dictionary, and
 * wires progress and interruption into opt. Returns an exit code. */
int cli_prepare_training(char **files, int nfiles, int skip_invalid, const char *actors_path,
			 ent_train_options *opt, ent_dataset **data, ent_actors **actors);
/* The masking dictionary: path, "" for none, or NULL for the shipped one. */
int cli_load_training_actors(const char *path, ent_actors **out);

#endif
