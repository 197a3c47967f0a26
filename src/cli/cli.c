#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "entente/io.h"
#include "entente/lines.h"

#ifndef ENT_DATADIR
#define ENT_DATADIR "/usr/local/share/entente"
#endif

#define DEFAULT_MODEL_NAME "default.model"
#define DEFAULT_ACTORS_NAME "actors.tsv"

volatile int cli_interrupted = 0;

int cli_exit_for(int status)
{
	switch (status) {
	case ENT_OK: return EXIT_OK;
	case ENT_EFORMAT:
	case ENT_EUTF8:
	case ENT_ELIMIT: return EXIT_DATA;
	case ENT_EPARAM: return EXIT_USAGE;
	case ENT_EMODEL: return EXIT_MODEL;
	case ENT_EINTR: return EXIT_INTERRUPTED;
	default: return EXIT_IO;
	}
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("entente: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_fail(const ent_error *err)
{
	cli_progress_done();
	cli_error("%s", err->message);
	return cli_exit_for(err->code);
}

int cli_usage(const char *command, const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	cli_error("%s: %s (see 'entente help %s')", command, message, command);
	return EXIT_USAGE;
}

int cli_flag(const char *arg, const char *name)
{
	return strcmp(arg, name) == 0;
}

int cli_option(int argc, char **argv, int *i, const char *name, const char *alias, const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) == 0 && arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (strcmp(arg, name) != 0 && (alias == NULL || strcmp(arg, alias) != 0))
		return 0;
	if (*i + 1 >= argc) {
		cli_error("option '%s' needs a value", arg);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int cli_parse_int(const char *command, const char *option, const char *text, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
		return cli_usage(command, "invalid value '%s' for %s (expected an integer from %ld to %ld)",
				 text, option, min, max);
	*out = v;
	return EXIT_OK;
}

int cli_parse_double(const char *command, const char *option, const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !(v > 0))
		return cli_usage(command, "invalid value '%s' for %s (expected a positive number)", text, option);
	*out = v;
	return EXIT_OK;
}

/* ---- default files ---- */

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *find_beside_binary(const char *name, char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	/* bin/entente and build/VARIANT/entente both sit two levels below models/ or share/. */
	static const char *const layouts[] = {"%s/../models/%s", "%s/../../models/%s",
					      "%s/../share/entente/%s"};
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		snprintf(out, size, layouts[i], exe, name);
		if (is_file(out))
			return out;
	}
	return NULL;
}

static const char *find_default(const char *env, const char *name, char *out, size_t size)
{
	const char *from_env = env ? getenv(env) : NULL;
	if (from_env != NULL && *from_env != '\0')
		return from_env;
	if (find_beside_binary(name, out, size) != NULL)
		return out;
	snprintf(out, size, "%s/%s", ENT_DATADIR, name);
	return is_file(out) ? out : NULL;
}

const char *cli_default_model(void)
{
	static char path[PATH_MAX + 64];
	return find_default("ENTENTE_MODEL", DEFAULT_MODEL_NAME, path, sizeof path);
}

const char *cli_default_actors(void)
{
	static char path[PATH_MAX + 64];
	return find_default("ENTENTE_ACTORS", DEFAULT_ACTORS_NAME, path, sizeof path);
}

int cli_load_model(const char *path, ent_model **out)
{
	ent_error err = ENT_ERROR_INIT;
	if (path == NULL)
		path = cli_default_model();
	if (path == NULL) {
		cli_error("cannot find the default model (looked for models/%s beside the binary and in %s; set ENTENTE_MODEL or pass -m)",
			  DEFAULT_MODEL_NAME, ENT_DATADIR);
		return EXIT_MODEL;
	}
	if (ent_model_load(out, path, &err) != ENT_OK)
		return cli_fail(&err);
	return EXIT_OK;
}

/* ---- progress ---- */

static int progress_shown;

void cli_progress(void *ctx, const char *stage, double fraction)
{
	(void)ctx;
	if (!isatty(STDERR_FILENO))
		return;
	int width = 30, filled = (int)(fraction * width + 0.5);
	fprintf(stderr, "\r%-18s [", stage);
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '#' : ' ', stderr);
	fprintf(stderr, "] %3d%%", (int)(fraction * 100 + 0.5));
	fflush(stderr);
	progress_shown = 1;
}

void cli_progress_done(void)
{
	if (progress_shown)
		fputc('\n', stderr);
	progress_shown = 0;
}

/* ---- output ---- */

int cli_write_output(const char *path, const char *data, size_t len)
{
	if (path == NULL || strcmp(path, "-") == 0) {
		fwrite(data, 1, len, stdout);
		return cli_finish_stdout();
	}
	ent_error err = ENT_ERROR_INIT;
	if (ent_file_write_atomic(path, data, len, &err) != ENT_OK)
		return cli_fail(&err);
	return EXIT_OK;
}

int cli_finish_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_OK;
	if (errno == EPIPE)
		return EXIT_OK;
	cli_error("cannot write to standard output: %s", strerror(errno));
	return EXIT_IO;
}

static void on_signal(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

void cli_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- output sinks ---- */

int cli_sink_open(cli_sink *s, const char *path)
{
	memset(s, 0, sizeof *s);
	if (path == NULL || strcmp(path, "-") == 0) {
		s->file = stdout;
		return EXIT_OK;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		s->path = path; /* a device or pipe: write to it directly */
		s->file = fopen(path, "wb");
	} else {
		size_t n = strlen(path) + 16;
		s->path = path;
		s->tmp = malloc(n);
		if (s->tmp == NULL)
			return EXIT_IO;
		snprintf(s->tmp, n, "%s.tmp.XXXXXX", path);
		int fd = mkstemp(s->tmp);
		s->file = fd >= 0 ? fdopen(fd, "wb") : NULL;
	}
	if (s->file == NULL) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		free(s->tmp);
		s->tmp = NULL;
		return EXIT_IO;
	}
	return EXIT_OK;
}

int cli_sink_write(cli_sink *s, const char *data, size_t len)
{
	if (s->reader_gone)
		return EXIT_STOP;
	if (s->failed)
		return EXIT_IO;
	if (fwrite(data, 1, len, s->file) == len)
		return EXIT_OK;
	if (s->path == NULL && errno == EPIPE) {
		s->reader_gone = 1;
		return EXIT_STOP;
	}
	s->failed = 1;
	cli_error("cannot write '%s': %s", s->path ? s->path : "standard output", strerror(errno));
	return EXIT_IO;
}

int cli_sink_close(cli_sink *s, int ok)
{
	if (s->file == NULL || s->reader_gone)
		return EXIT_OK;
	if (s->path == NULL)
		return s->failed ? EXIT_IO : cli_finish_stdout();
	int failed = s->failed || fflush(s->file) != 0 || (s->tmp && fsync(fileno(s->file)) != 0);
	int saved = errno;
	failed = (fclose(s->file) != 0) || failed;
	s->file = NULL;
	if (!failed && ok && s->tmp && (chmod(s->tmp, 0644) != 0 || rename(s->tmp, s->path) != 0)) {
		failed = 1;
		saved = errno;
	}
	if (s->tmp && (failed || !ok))
		unlink(s->tmp);
	free(s->tmp);
	s->tmp = NULL;
	if (failed && ok) {
		cli_error("cannot write '%s': %s", s->path, strerror(saved));
		return EXIT_IO;
	}
	return EXIT_OK;
}

int cli_read_stream(FILE *f, const char *name, size_t max, char **out, size_t *len)
{
	ent_error err = ENT_ERROR_INIT;
	if (ent_stream_read(f, name, "article", max, ENT_EIO, out, len, &err) != ENT_OK)
		return cli_fail(&err);
	return EXIT_OK;
}

int cli_for_each_line(FILE *f, const char *name, size_t max, cli_line_fn fn, void *ctx)
{
	ent_lines *lines = ent_lines_new(f, max);
	if (lines == NULL)
		return EXIT_IO;
	const char *line;
	size_t len;
	int st, rc = EXIT_OK;
	while (rc == EXIT_OK && (st = ent_lines_next(lines, &line, &len)) != ENT_LINE_EOF) {
		size_t number = ent_lines_number(lines);
		if (st == ENT_LINE_ERROR) {
			cli_error("cannot read '%s': %s", name, strerror(errno));
			rc = EXIT_IO;
		} else if (st == ENT_LINE_TOO_LONG) {
			cli_error("%s:%zu: line of %zu bytes exceeds the limit of %zu bytes", name, number, len, max);
			rc = EXIT_DATA;
		} else if (len > 0 && strspn(line, " \t") < len) {
			rc = fn(ctx, name, number, line, len);
		}
	}
	ent_lines_free(lines);
	return rc;
}
