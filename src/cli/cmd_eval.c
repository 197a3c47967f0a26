/* entente eval and entente cv: accuracy reports. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "entente/metrics.h"

typedef struct report_options {
	int format;
	const char *output;
	long errors;
} report_options;

/* 1 when argv[*i] was a report option, 0 if not, 100 + exit code on error. */
static int report_option(const char *command, int argc, char **argv, int *i, report_options *r)
{
	const char *v;
	int m;
	if ((m = cli_option(argc, argv, i, "--format", NULL, &v)) != 0) {
		if (m < 0)
			return 100 + EXIT_USAGE;
		r->format = ent_report_format_parse(v);
		if (r->format < 0 || r->format > ENT_FORMAT_HTML)
			return 100 + cli_usage(command, "unknown format '%s' (expected text, json, markdown or html)", v);
		return 1;
	}
	if ((m = cli_option(argc, argv, i, "--output", "-o", &v)) != 0) {
		r->output = v;
		return m < 0 ? 100 + EXIT_USAGE : 1;
	}
	if ((m = cli_option(argc, argv, i, "--errors", NULL, &v)) != 0) {
		if (m < 0)
			return 100 + EXIT_USAGE;
		int rc = cli_parse_int(command, "--errors", v, 0, 100000, &r->errors);
		return rc == EXIT_OK ? 1 : 100 + rc;
	}
	return 0;
}

typedef struct ranked {
	size_t row;
	double p;
} ranked;

static int by_confidence(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? 1 : -1;
	return (x->row > y->row) - (x->row < y->row);
}

/* The n most confident mistakes; caller frees. */
static ent_eval_mistake *pick_mistakes(const ent_dataset *data, const int *predicted,
				       const double *probs, size_t n, size_t *count)
{
	size_t rows = ent_dataset_count(data), wrong = 0;
	ranked *r = malloc((rows ? rows : 1) * sizeof *r);
	ent_eval_mistake *out = malloc((n ? n : 1) * sizeof *out);
	*count = 0;
	if (r == NULL || out == NULL) {
		free(r);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < rows; i++)
		if (predicted[i] != ent_dataset_row(data, i)->label)
			r[wrong++] = (ranked){i, probs[i * ENT_LABEL_COUNT + predicted[i]]};
	qsort(r, wrong, sizeof *r, by_confidence);
	for (size_t i = 0; i < wrong && i < n; i++) {
		const ent_data_row *row = ent_dataset_row(data, r[i].row);
		out[(*count)++] = (ent_eval_mistake){row->text, row->file, row->line, row->label,
						     predicted[r[i].row], r[i].p};
	}
	free(r);
	return out;
}

static void fill_gold(const ent_dataset *data, int *gold)
{
	for (size_t i = 0; i < ent_dataset_count(data); i++)
		gold[i] = ent_dataset_row(data, i)->label;
}

static int render(ent_eval_report *report, const report_options *ro, const ent_dataset *data,
		  const int *predicted, const double *probs)
{
	size_t n = ent_dataset_count(data);
	int *gold = malloc(n * sizeof *gold);
	ent_metrics metrics;
	if (gold == NULL)
		return EXIT_IO;
	fill_gold(data, gold);
	ent_metrics_compute(&metrics, gold, predicted, n);
	free(gold);
	report->metrics = &metrics;
	report->mistakes = ro->errors > 0 ? pick_mistakes(data, predicted, probs, (size_t)ro->errors,
							  &report->mistake_count)
					  : NULL;
	char *text = NULL;
	size_t len = 0;
	ent_error err = ENT_ERROR_INIT;
	int rc = ent_report_eval(report, (ent_report_format)ro->format, &text, &len, &err) == ENT_OK
			 ? cli_write_output(ro->output, text, len)
			 : cli_fail(&err);
	free(text);
	free((void *)report->mistakes);
	return rc;
}

static void join_files(char *title, size_t size, const char *prefix, char **files, int n)
{
	snprintf(title, size, "%s", prefix);
	for (int i = 0; i < n; i++) {
		size_t used = strlen(title);
		snprintf(title + used, size - used, "%s%s", i ? ", " : "", files[i]);
	}
}

int cmd_eval(int argc, char **argv)
{
	report_options ro = {ENT_FORMAT_TEXT, NULL, 0};
	const char *model_path = NULL, *v;
	int nfiles = 0, rc = EXIT_OK;
	char **files = calloc((size_t)argc, sizeof *files);
	if (files == NULL)
		return EXIT_IO;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		int m = cli_option(argc, argv, &i, "--model", "-m", &v);
		if (m != 0) {
			model_path = v;
			rc = m < 0 ? EXIT_USAGE : EXIT_OK;
		} else if ((m = report_option("eval", argc, argv, &i, &ro)) >= 100) {
			rc = m - 100;
		} else if (m == 0 && argv[i][0] == '-' && argv[i][1] != '\0') {
			rc = cli_usage("eval", "unknown option '%s'", argv[i]);
		} else if (m == 0) {
			files[nfiles++] = argv[i];
		}
	}
	if (rc == EXIT_OK && nfiles == 0)
		rc = cli_usage("eval", "expected DATA...");
	ent_model *model = NULL;
	ent_dataset *data = NULL;
	ent_error err = ENT_ERROR_INIT;
	int *predicted = NULL;
	double *probs = NULL;
	if (rc == EXIT_OK)
		rc = cli_load_model(model_path, &model);
	if (rc == EXIT_OK && ent_dataset_new(&data, &err) != ENT_OK)
		rc = cli_fail(&err);
	if (rc == EXIT_OK)
		rc = cli_read_data(data, files, nfiles, 0);
	if (rc == EXIT_OK) {
		size_t n = ent_dataset_count(data);
		predicted = malloc(n * sizeof *predicted);
		probs = malloc(n * ENT_LABEL_COUNT * sizeof *probs);
		if (predicted == NULL || probs == NULL)
			rc = EXIT_IO;
	}
	if (rc == EXIT_OK && ent_model_evaluate(model, data, predicted, probs, &err) != ENT_OK)
		rc = cli_fail(&err);
	if (rc == EXIT_OK) {
		char title[1024];
		join_files(title, sizeof title, "entente eval: ", files, nfiles);
		ent_eval_report report = {.title = title, .model_metadata = ent_model_metadata(model)};
		rc = render(&report, &ro, data, predicted, probs);
	}
	free(predicted);
	free(probs);
	ent_dataset_free(data);
	ent_model_free(model);
	free(files);
	return rc;
}

static void fold_scores(const ent_dataset *data, const ent_cv_result *cv, double *scores)
{
	size_t n = ent_dataset_count(data);
	int *gold = malloc(n * sizeof *gold), *pred = malloc(n * sizeof *pred);
	for (int f = 0; gold != NULL && pred != NULL && f < cv->k; f++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (cv->folds[i] == f) {
				gold[m] = ent_dataset_row(data, i)->label;
				pred[m++] = cv->predicted[i];
			}
		ent_metrics metrics;
		ent_metrics_compute(&metrics, gold, pred, m);
		scores[f] = metrics.macro_f1;
	}
	free(gold);
	free(pred);
}

int cmd_cv(int argc, char **argv)
{
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	report_options ro = {ENT_FORMAT_TEXT, NULL, 0};
	const char *actors_path = NULL, *v;
	int skip_invalid = 0, nfiles = 0, rc = EXIT_OK, k = 5;
	char **files = calloc((size_t)argc, sizeof *files);
	if (files == NULL)
		return EXIT_IO;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		long n;
		int m = cli_option(argc, argv, &i, "--k", "-k", &v);
		if (m != 0) {
			rc = m < 0 ? EXIT_USAGE : cli_parse_int("cv", "-k", v, 2, 100, &n);
			k = (int)(rc == EXIT_OK ? n : k);
		} else if ((m = report_option("cv", argc, argv, &i, &ro)) >= 100) {
			rc = m - 100;
		} else if (m == 0 && (m = cli_train_option("cv", argc, argv, &i, &opt, &actors_path, &skip_invalid)) >= 100) {
			rc = m - 100;
		} else if (m == 0 && argv[i][0] == '-' && argv[i][1] != '\0') {
			rc = cli_usage("cv", "unknown option '%s'", argv[i]);
		} else if (m == 0) {
			files[nfiles++] = argv[i];
		}
	}
	if (rc == EXIT_OK && nfiles == 0)
		rc = cli_usage("cv", "expected DATA...");
	ent_dataset *data = NULL;
	ent_actors *actors = NULL;
	ent_cv_result cv = {0};
	ent_error err = ENT_ERROR_INIT;
	if (rc == EXIT_OK)
		rc = cli_prepare_training(files, nfiles, skip_invalid, actors_path, &opt, &data, &actors);
	if (rc == EXIT_OK) {
		if (ent_cross_validate(data, actors, &opt, k, &cv, &err) != ENT_OK)
			rc = cli_fail(&err);
		cli_progress_done();
	}
	if (rc == EXIT_OK) {
		double scores[100];
		char title[1024];
		fold_scores(data, &cv, scores);
		join_files(title, sizeof title, "", files, nfiles);
		char full[1200];
		snprintf(full, sizeof full, "entente cv: %d-fold stratified cross-validation (seed %lu) on %s", k,
			 opt.seed, title);
		ent_eval_report report = {.title = full, .fold_macro_f1 = scores, .folds = k};
		rc = render(&report, &ro, data, cv.predicted, cv.probs);
	}
	ent_cv_result_release(&cv);
	ent_actors_free(actors);
	ent_dataset_free(data);
	free(files);
	return rc;
}
