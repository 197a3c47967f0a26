/* entente classify: articles in, labeled sentences and actor tone out.
 *
 * Articles are read in windows of at most WINDOW_PER_THREAD x threads; the
 * threads classify a window in parallel, each article into its own output
 * buffer, and the main thread writes the buffers in input order. With two
 * or more threads there are two windows: while the threads classify one, the
 * main thread writes the one before and reads the next, so reading and
 * writing do not hold the threads up. Memory is bounded by the windows,
 * whatever the input size. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "entente/classify.h"
#include "entente/io.h"
#include "entente/jsonl.h"
#include "entente/lines.h"

#define WINDOW_PER_THREAD 64
#define MAX_JSONL_LINE (ENT_TEXT_MAX_ARTICLE_BYTES * 2)
#define MAX_HTML_BYTES ((size_t)512 << 20) /* article sections held for one HTML page */

typedef struct classify_options {
	const char *model_path, *actors_path, *date, *output;
	int format, jsonl_input;
	long threads;
} classify_options;

/* One article of a window: its input, then its rendered output or error. */
typedef struct job {
	char *input;      /* plain text, or one JSONL line */
	size_t input_len;
	char *id;         /* plain text: the file's base name */
	char where[512];  /* FILE or FILE:LINE for messages */
	char *out;
	size_t out_cap, out_len;
	ent_tone *tone;   /* html: the article's tone, for the overview */
	int status;       /* exit code */
	char message[ENT_ERROR_MESSAGE_MAX + 600];
} job;

enum { FIELD_ID, FIELD_DATE, FIELD_TEXT };
static const char *const JSONL_FIELDS[] = {"id", "date", "text"};

/* Articles classified together: filled by the main thread, then taken by
 * the workers through next. */
typedef struct window {
	job *jobs;
	size_t len;
	atomic_size_t next;
} window;

typedef struct worker {
	ent_classifier *classifier;
	ent_jsonl *reader;
	pthread_t thread;
	struct run *run;
	window *window;
} worker;

typedef struct run {
	classify_options o;
	ent_model *model;
	ent_actors *actors;
	worker *workers;
	long nworkers;
	window windows[2];
	size_t window_cap;
	int filling;     /* the window being read into; the other is classified or written */
	long running;    /* threads started on the other window, to be joined */
	cli_sink sink;
	size_t articles;
	int as_array;
	ent_tone *total;  /* html: the tone of every article so far */
	char *html;       /* html: the sections, written after the overview */
	size_t html_cap, html_len;
} run;

/* ---- one article, on a worker thread ---- */

static void fail_job(job *j, int status, const char *fmt, const char *detail)
{
	j->status = status;
	snprintf(j->message, sizeof j->message, fmt, j->where, detail);
}

/* Renders one article; for html also keeps its tone, since the result is
 * gone after the next run. */
static int render_article(run *r, job *j, const ent_article *a, ent_error *err)
{
	if (r->o.format != ENT_FORMAT_HTML)
		return ent_report_article(a, r->actors, (ent_report_format)r->o.format, &j->out, &j->out_cap,
					  &j->out_len, err);
	if (j->tone == NULL && ent_tone_new(&j->tone, err) != ENT_OK)
		return err->code;
	ent_tone_clear(j->tone);
	if (ent_tone_merge(j->tone, a->tone, err) != ENT_OK)
		return err->code;
	return ent_report_html_article(a, r->actors, &j->out, &j->out_cap, &j->out_len, err);
}

static void classify_job(run *r, ent_classifier *c, job *j, const char *id, const char *date,
			 const char *text, size_t len)
{
	const ent_article *a;
	ent_error err = ENT_ERROR_INIT;
	j->out_len = 0;
	if (ent_classifier_run(c, id, date, text, len, &a, &err) != ENT_OK || render_article(r, j, a, &err) != ENT_OK)
		fail_job(j, cli_exit_for(err.code), "%s: %s", err.message);
}

static void classify_jsonl_job(run *r, worker *w, job *j)
{
	ent_error err = ENT_ERROR_INIT;
	if (ent_jsonl_parse(w->reader, j->input, j->input_len, &err) != ENT_OK) {
		fail_job(j, cli_exit_for(err.code), err.code == ENT_EFORMAT ? "%s: invalid JSON at %s" : "%s: %s",
			 err.message);
		return;
	}
	const char *id = NULL, *date = NULL, *text = NULL;
	size_t id_len, date_len, text_len = 0;
	ent_json_kind id_kind = ent_jsonl_get(w->reader, FIELD_ID, &id, &id_len);
	ent_json_kind date_kind = ent_jsonl_get(w->reader, FIELD_DATE, &date, &date_len);
	ent_json_kind text_kind = ent_jsonl_get(w->reader, FIELD_TEXT, &text, &text_len);
	if (!ent_jsonl_is_object(w->reader) || text_kind != ENT_JSON_STRING)
		fail_job(j, EXIT_DATA, "%s: %s", "expected an object with a string 'text'");
	else if ((date_kind != ENT_JSON_ABSENT && date_kind != ENT_JSON_STRING) ||
		 (id_kind != ENT_JSON_ABSENT && id_kind != ENT_JSON_STRING && id_kind != ENT_JSON_INTEGER))
		fail_job(j, EXIT_DATA, "%s: %s", "'id' must be a string or an integer and 'date' a string");
	else
		classify_job(r, w->classifier, j, id_kind == ENT_JSON_ABSENT ? "" : id,
			     date_kind == ENT_JSON_ABSENT ? r->o.date : date, text, text_len);
}

static void *work(void *arg)
{
	worker *w = arg;
	run *r = w->run;
	window *win = w->window;
	for (;;) {
		size_t i = atomic_fetch_add(&win->next, 1);
		if (i >= win->len)
			break;
		job *j = &win->jobs[i];
		if (r->o.jsonl_input)
			classify_jsonl_job(r, w, j);
		else
			classify_job(r, w->classifier, j, j->id, r->o.date, j->input, j->input_len);
	}
	return NULL;
}

/* ---- windows, on the main thread ---- */

/* html: the overview comes first but needs every article, so the sections
 * wait in memory (up to ENT_REPORT_HTML_MAX_ARTICLES and MAX_HTML_BYTES). */
static int keep_html(run *r, const job *j)
{
	ent_error err = ENT_ERROR_INIT;
	if (r->articles > ENT_REPORT_HTML_MAX_ARTICLES || j->out_len > MAX_HTML_BYTES - r->html_len) {
		cli_error("an HTML report holds at most %d articles and %zu MB of HTML (use --format jsonl for more)",
			  ENT_REPORT_HTML_MAX_ARTICLES, MAX_HTML_BYTES >> 20);
		return EXIT_USAGE;
	}
	if ((r->total == NULL && ent_tone_new(&r->total, &err) != ENT_OK) ||
	    ent_tone_merge(r->total, j->tone, &err) != ENT_OK)
		return cli_fail(&err);
	if (r->html_len + j->out_len >= r->html_cap) {
		size_t cap = (r->html_len + j->out_len) * 2 + 4096;
		char *p = realloc(r->html, cap);
		if (p == NULL)
			return EXIT_IO;
		r->html = p;
		r->html_cap = cap;
	}
	memcpy(r->html + r->html_len, j->out, j->out_len);
	r->html_len += j->out_len;
	return EXIT_OK;
}

static int write_html(run *r, char **inputs, int count)
{
	char title[1024] = "entente classify: ", *page = NULL;
	size_t cap = 0, len = 0;
	ent_error err = ENT_ERROR_INIT;
	for (int i = 0; i < count; i++) {
		size_t used = strlen(title);
		snprintf(title + used, sizeof title - used, "%s%s", i ? ", " : "",
			 strcmp(inputs[i], "-") ? inputs[i] : "standard input");
	}
	int rc = ent_report_html_begin(r->total, r->articles, r->actors, title, &page, &cap, &len, &err) == ENT_OK
			 ? cli_sink_write(&r->sink, page, len)
			 : cli_fail(&err);
	if (rc == EXIT_OK)
		rc = cli_sink_write(&r->sink, r->html, r->html_len);
	len = 0;
	if (rc == EXIT_OK)
		rc = ent_report_html_end(&page, &cap, &len, &err) == ENT_OK ? cli_sink_write(&r->sink, page, len)
									  : cli_fail(&err);
	free(page);
	return rc;
}

/* Classifies win: on the main thread alone with one thread, else on
 * threads the caller joins later (join_window). */
static void start_window(run *r, window *win)
{
	atomic_store(&win->next, 0);
	for (long t = 0; t < r->nworkers; t++)
		r->workers[t].window = win;
	if (r->nworkers == 1) {
		work(&r->workers[0]);
		return;
	}
	for (long t = 0; t < r->nworkers && (size_t)t < win->len; t++, r->running++)
		if (pthread_create(&r->workers[t].thread, NULL, work, &r->workers[t]) != 0)
			break;
	if (r->running == 0) /* no thread could start: classify here */
		work(&r->workers[0]);
}

static void join_window(run *r)
{
	for (long t = 0; t < r->running; t++)
		pthread_join(r->workers[t].thread, NULL);
	r->running = 0;
}

/* Writes a classified window in input order, then empties it. */
static int write_window(run *r, window *win)
{
	int rc = EXIT_OK;
	for (size_t i = 0; rc == EXIT_OK && i < win->len; i++) {
		job *j = &win->jobs[i];
		if (j->status != EXIT_OK) {
			cli_error("%s", j->message);
			rc = j->status;
			break;
		}
		if (r->as_array)
			rc = cli_sink_write(&r->sink, r->articles ? ",\n" : "[\n", 2);
		r->articles++;
		if (rc == EXIT_OK)
			rc = r->o.format == ENT_FORMAT_HTML ? keep_html(r, j) : cli_sink_write(&r->sink, j->out, j->out_len);
	}
	for (size_t i = 0; i < win->len; i++) {
		free(win->jobs[i].input);
		free(win->jobs[i].id);
		win->jobs[i].input = win->jobs[i].id = NULL;
		win->jobs[i].status = EXIT_OK;
	}
	win->len = 0;
	return rc;
}

/* The window being read is full (or the input ended): waits for the other
 * window's threads, starts on this one, and writes the other meanwhile. */
static int rotate_windows(run *r)
{
	window *full = &r->windows[r->filling], *done = &r->windows[!r->filling];
	join_window(r);
	if (full->len > 0)
		start_window(r, full);
	r->filling = !r->filling;
	return write_window(r, done);
}

/* At the end of the input: the last window, then the one before it. */
static int finish_windows(run *r)
{
	int rc = rotate_windows(r);
	return rc == EXIT_OK ? rotate_windows(r) : rc;
}

/* Queues an article (taking ownership of input); runs a full window. */
static int queue(run *r, char *input, size_t len, const char *id, const char *where)
{
	window *win = &r->windows[r->filling];
	job *j = &win->jobs[win->len++];
	j->input = input;
	j->input_len = len;
	j->id = id ? strdup(id) : NULL;
	snprintf(j->where, sizeof j->where, "%s", where);
	if (id != NULL && j->id == NULL)
		return EXIT_IO;
	return win->len == r->window_cap ? rotate_windows(r) : EXIT_OK;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int read_text_file(run *r, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	ent_error err = ENT_ERROR_INIT;
	int is_stdin = strcmp(path, "-") == 0;
	int rc = is_stdin ? cli_read_stream(stdin, "<stdin>", ENT_TEXT_MAX_ARTICLE_BYTES, &text, &len)
			  : (ent_file_read(path, "article", ENT_TEXT_MAX_ARTICLE_BYTES, ENT_EIO, &text, &len, &err) ==
					     ENT_OK
				     ? EXIT_OK
				     : cli_fail(&err));
	if (rc != EXIT_OK)
		return rc;
	return queue(r, text, len, is_stdin ? "-" : base_name(path), path);
}

static int queue_line(void *ctx, const char *name, size_t number, const char *line, size_t len)
{
	char where[512];
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return EXIT_IO;
	memcpy(copy, line, len);
	copy[len] = '\0';
	snprintf(where, sizeof where, "%s:%zu", name, number);
	return queue(ctx, copy, len, NULL, where);
}

static int read_jsonl(run *r, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (f == NULL) {
		cli_error("cannot open '%s': %s", path, strerror(errno));
		return EXIT_IO;
	}
	int rc = cli_for_each_line(f, is_stdin ? "<stdin>" : path, MAX_JSONL_LINE, queue_line, r);
	if (!is_stdin)
		fclose(f);
	return rc;
}

/* ---- set-up ---- */

static int parse_args(int argc, char **argv, classify_options *o, char **files, int *nfiles)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		int m;
		if ((m = cli_option(argc, argv, &i, "--model", "-m", &v)) != 0)
			o->model_path = v;
		else if ((m = cli_option(argc, argv, &i, "--actors", NULL, &v)) != 0)
			o->actors_path = v;
		else if ((m = cli_option(argc, argv, &i, "--date", NULL, &v)) != 0)
			o->date = v;
		else if ((m = cli_option(argc, argv, &i, "--output", "-o", &v)) != 0)
			o->output = v;
		else if ((m = cli_option(argc, argv, &i, "--threads", "-j", &v)) != 0) {
			if (m > 0 && cli_parse_int("classify", "-j", v, 1, 256, &o->threads) != EXIT_OK)
				return EXIT_USAGE;
		} else if ((m = cli_option(argc, argv, &i, "--input", NULL, &v)) != 0) {
			if (m > 0 && strcmp(v, "jsonl") != 0 && strcmp(v, "text") != 0)
				return cli_usage("classify", "unknown input '%s' (expected text or jsonl)", v);
			o->jsonl_input = m > 0 && strcmp(v, "jsonl") == 0;
		} else if ((m = cli_option(argc, argv, &i, "--format", NULL, &v)) != 0) {
			o->format = m > 0 ? ent_report_format_parse(v) : 0;
			if (o->format < 0 || o->format == ENT_FORMAT_MARKDOWN)
				return cli_usage("classify", "unknown format '%s' (expected text, json, jsonl, tsv or html)", v);
		} else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage("classify", "unknown option '%s'", argv[i]);
		else
			files[(*nfiles)++] = argv[i];
		if (m < 0)
			return EXIT_USAGE;
	}
	long day;
	if (o->date && ent_date_parse(o->date, strlen(o->date), &day) != ENT_OK)
		return cli_usage("classify", "invalid --date '%s' (expected YYYY-MM-DD)", o->date);
	return EXIT_OK;
}

static int setup_workers(run *r)
{
	ent_error err = ENT_ERROR_INIT;
	r->nworkers = r->o.threads > 0 ? r->o.threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (r->nworkers < 1)
		r->nworkers = 1;
	r->workers = calloc((size_t)r->nworkers, sizeof *r->workers);
	r->window_cap = (size_t)r->nworkers * WINDOW_PER_THREAD;
	r->windows[0].jobs = calloc(r->window_cap, sizeof *r->windows[0].jobs);
	r->windows[1].jobs = calloc(r->window_cap, sizeof *r->windows[1].jobs);
	if (r->workers == NULL || r->windows[0].jobs == NULL || r->windows[1].jobs == NULL)
		return EXIT_IO;
	for (long t = 0; t < r->nworkers; t++) {
		r->workers[t].run = r;
		if (ent_classifier_new(&r->workers[t].classifier, r->model, r->actors, &err) != ENT_OK ||
		    ent_jsonl_new(&r->workers[t].reader, JSONL_FIELDS, 3, &err) != ENT_OK)
			return cli_fail(&err);
	}
	return EXIT_OK;
}

static int setup(run *r)
{
	ent_error err = ENT_ERROR_INIT;
	int rc = cli_load_model(r->o.model_path, &r->model);
	if (rc != EXIT_OK)
		return rc;
	size_t len;
	const char *embedded = ent_actors_source(ent_model_actors(r->model), &len);
	if (ent_actors_new(&r->actors, &err) != ENT_OK ||
	    ent_actors_load(r->actors, embedded, len, "model actors", &err) != ENT_OK ||
	    (r->o.actors_path && ent_actors_load_file(r->actors, r->o.actors_path, &err) != ENT_OK))
		return cli_fail(&err);
	rc = setup_workers(r);
	return rc == EXIT_OK ? cli_sink_open(&r->sink, r->o.output) : rc;
}

static void free_jobs(job *jobs, size_t count)
{
	for (size_t i = 0; jobs != NULL && i < count; i++) {
		free(jobs[i].input);
		free(jobs[i].id);
		free(jobs[i].out);
		ent_tone_free(jobs[i].tone);
	}
	free(jobs);
}

static void teardown(run *r)
{
	join_window(r);
	for (long t = 0; r->workers != NULL && t < r->nworkers; t++) {
		ent_classifier_free(r->workers[t].classifier);
		ent_jsonl_free(r->workers[t].reader);
	}
	free_jobs(r->windows[0].jobs, r->window_cap);
	free_jobs(r->windows[1].jobs, r->window_cap);
	ent_tone_free(r->total);
	free(r->html);
	free(r->workers);
	ent_actors_free(r->actors);
	ent_model_free(r->model);
}

static const char tsv_header[] = "id\tindex\tlabel\tp_cooperative\tp_conflictual\tp_neutral\tactors\ttext\n";

int cmd_classify(int argc, char **argv)
{
	run r;
	memset(&r, 0, sizeof r);
	r.o.format = ENT_FORMAT_TEXT;
	char *stdin_only[] = {"-"};
	char **files = calloc((size_t)argc, sizeof *files);
	int nfiles = 0;
	if (files == NULL)
		return EXIT_IO;
	int rc = parse_args(argc, argv, &r.o, files, &nfiles);
	char **inputs = nfiles ? files : stdin_only;
	int count = nfiles ? nfiles : 1;
	r.as_array = r.o.format == ENT_FORMAT_JSON && (r.o.jsonl_input || count > 1);
	if (rc == EXIT_OK)
		rc = setup(&r);
	if (rc == EXIT_OK && r.o.format == ENT_FORMAT_TSV)
		rc = cli_sink_write(&r.sink, tsv_header, sizeof tsv_header - 1);
	for (int i = 0; rc == EXIT_OK && i < count; i++)
		rc = r.o.jsonl_input ? read_jsonl(&r, inputs[i]) : read_text_file(&r, inputs[i]);
	if (rc == EXIT_OK)
		rc = finish_windows(&r);
	if (rc == EXIT_OK && r.o.format == ENT_FORMAT_HTML)
		rc = write_html(&r, inputs, count);
	if (rc == EXIT_OK && r.as_array)
		rc = cli_sink_write(&r.sink, r.articles ? "]\n" : "[]\n", r.articles ? 2 : 3);
	if (rc == EXIT_STOP)
		rc = EXIT_OK;
	int closed = cli_sink_close(&r.sink, rc == EXIT_OK);
	if (rc == EXIT_OK)
		rc = closed;
	teardown(&r);
	free(files);
	return rc;
}
