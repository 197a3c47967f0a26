/* entente train, and the training options cv shares. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_problem(void *ctx, const char *message)
{
	(void)ctx;
	cli_progress_done();
	fprintf(stderr, "%s\n", message);
}

int cli_read_data(ent_dataset *data, char **files, int count, int skip_invalid)
{
	ent_data_read_options opt = {skip_invalid, print_problem, NULL};
	ent_error err = ENT_ERROR_INIT;
	for (int i = 0; i < count; i++) {
		int rc = strcmp(files[i], "-") == 0 ? ent_dataset_read(data, stdin, "<stdin>", &opt, &err)
						    : ent_dataset_read_file(data, files[i], &opt, &err);
		if (rc != ENT_OK)
			return cli_fail(&err);
	}
	if (ent_dataset_skipped(data) > 0)
		fprintf(stderr, "entente: skipped %zu invalid row%s\n", ent_dataset_skipped(data),
			ent_dataset_skipped(data) == 1 ? "" : "s");
	if (ent_dataset_count(data) == 0) {
		cli_error("no labeled rows to use");
		return EXIT_DATA;
	}
	return EXIT_OK;
}

static int parse_ngrams(const char *command, const char *text, ent_feature_options *f)
{
	int lo, hi;
	char tail;
	if (sscanf(text, "%d-%d%c", &lo, &hi, &tail) != 2 || lo < 1 || hi < lo || hi > ENT_FEATURES_MAX_NGRAM)
		return cli_usage(command, "invalid --ngrams '%s' (expected MIN-MAX within 1-%d)", text,
				 ENT_FEATURES_MAX_NGRAM);
	f->ngram_min = lo;
	f->ngram_max = hi;
	return EXIT_OK;
}

static int parse_choice(const char *command, const char *option, const char *text, const char *a,
			const char *b, int *out)
{
	if (strcmp(text, a) == 0)
		*out = 0;
	else if (strcmp(text, b) == 0)
		*out = 1;
	else
		return cli_usage(command, "invalid %s '%s' (expected %s or %s)", option, text, a, b);
	return EXIT_OK;
}

static int int_option(const char *command, const char *name, const char *text, long min, long max,
		      int *out)
{
	long n;
	int rc = cli_parse_int(command, name, text, min, max, &n);
	if (rc == EXIT_OK)
		*out = (int)n;
	return rc;
}

static int seed_option(const char *command, const char *text, unsigned long *out)
{
	long n;
	int rc = cli_parse_int(command, "--seed", text, 0, 2147483647L, &n);
	if (rc == EXIT_OK)
		*out = (unsigned long)n;
	return rc;
}

/* The value-taking training options: 1 consumed, 0 not ours, 100 + code on error. */
static int value_option(const char *command, int argc, char **argv, int *i, ent_train_options *o,
			const char **actors_path)
{
	const char *v;
	int m, rc = EXIT_OK;
	if ((m = cli_option(argc, argv, i, "--ngrams", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : parse_ngrams(command, v, &o->features);
	else if ((m = cli_option(argc, argv, i, "--min-df", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : int_option(command, "--min-df", v, 1, 1000000, &o->features.min_df);
	else if ((m = cli_option(argc, argv, i, "--c", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : cli_parse_double(command, "--c", v, &o->c);
	else if ((m = cli_option(argc, argv, i, "--gamma", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : cli_parse_double(command, "--gamma", v, &o->gamma);
	else if ((m = cli_option(argc, argv, i, "--folds", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : int_option(command, "--folds", v, 2, 100, &o->grid_folds);
	else if ((m = cli_option(argc, argv, i, "--seed", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : seed_option(command, v, &o->seed);
	else if ((m = cli_option(argc, argv, i, "--kernel", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : parse_choice(command, "--kernel", v, "linear", "rbf", &o->kernel);
	else if ((m = cli_option(argc, argv, i, "--class-weight", NULL, &v)) != 0)
		rc = m < 0 ? EXIT_USAGE : parse_choice(command, "--class-weight", v, "balanced", "none", &o->class_weight);
	else if ((m = cli_option(argc, argv, i, "--actors", NULL, &v)) != 0) {
		if (m > 0)
			*actors_path = v;
		rc = m < 0 ? EXIT_USAGE : EXIT_OK;
	}
	else
		return 0;
	return rc == EXIT_OK ? 1 : 100 + rc;
}

int cli_train_option(const char *command, int argc, char **argv, int *i, ent_train_options *opt,
		     const char **actors_path, int *skip_invalid)
{
	const char *arg = argv[*i];
	if (cli_flag(arg, "--grid"))
		opt->grid = 1;
	else if (cli_flag(arg, "--no-negation"))
		opt->features.negation = 0;
	else if (cli_flag(arg, "--no-stem"))
		opt->features.stem = 0;
	else if (cli_flag(arg, "--no-sublinear-tf"))
		opt->features.sublinear_tf = 0;
	else if (cli_flag(arg, "--no-mask-actors"))
		opt->features.mask_actors = 0;
	else if (cli_flag(arg, "--no-actors"))
		*actors_path = "";
	else if (cli_flag(arg, "--skip-invalid"))
		*skip_invalid = 1;
	else
		return value_option(command, argc, argv, i, opt, actors_path);
	return 1;
}

/* The dictionary for masking: --actors FILE, none (--no-actors), or the shipped one. */
int cli_load_training_actors(const char *path, ent_actors **out)
{
	ent_error err = ENT_ERROR_INIT;
	*out = NULL;
	if (path != NULL && *path == '\0')
		return EXIT_OK;
	if (path == NULL && (path = cli_default_actors()) == NULL) {
		cli_error("warning: no actor dictionary found; training without actor masking");
		return EXIT_OK;
	}
	if (ent_actors_new(out, &err) != ENT_OK || ent_actors_load_file(*out, path, &err) != ENT_OK) {
		ent_actors_free(*out);
		*out = NULL;
		return cli_fail(&err);
	}
	return EXIT_OK;
}

int cli_prepare_training(char **files, int nfiles, int skip_invalid, const char *actors_path,
			 ent_train_options *opt, ent_dataset **data, ent_actors **actors)
{
	ent_error err = ENT_ERROR_INIT;
	*data = NULL;
	*actors = NULL;
	if (ent_dataset_new(data, &err) != ENT_OK)
		return cli_fail(&err);
	int rc = cli_read_data(*data, files, nfiles, skip_invalid);
	if (rc == EXIT_OK)
		rc = cli_load_training_actors(actors_path, actors);
	cli_catch_signals();
	opt->progress = cli_progress;
	opt->cancel = &cli_interrupted;
	return rc;
}

int cmd_train(int argc, char **argv)
{
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	const char *output = NULL, *actors_path = NULL, *v;
	int skip_invalid = 0, nfiles = 0, rc = EXIT_OK;
	char **files = calloc((size_t)argc, sizeof *files);
	if (files == NULL)
		return EXIT_IO;
	for (int i = 1; i < argc && rc == EXIT_OK; i++) {
		int m = cli_option(argc, argv, &i, "--output", "-o", &v);
		if (m != 0) {
			rc = m < 0 ? EXIT_USAGE : (output = v, EXIT_OK);
			continue;
		}
		m = cli_train_option("train", argc, argv, &i, &opt, &actors_path, &skip_invalid);
		if (m >= 100)
			rc = m - 100;
		else if (m == 0 && argv[i][0] == '-' && argv[i][1] != '\0')
			rc = cli_usage("train", "unknown option '%s'", argv[i]);
		else if (m == 0)
			files[nfiles++] = argv[i];
	}
	if (rc == EXIT_OK && (nfiles == 0 || output == NULL))
		rc = cli_usage("train", "expected DATA... and -o MODEL");
	ent_dataset *data = NULL;
	ent_actors *actors = NULL;
	ent_model *model = NULL;
	ent_error err = ENT_ERROR_INIT;
	if (rc == EXIT_OK)
		rc = cli_prepare_training(files, nfiles, skip_invalid, actors_path, &opt, &data, &actors);
	if (rc == EXIT_OK) {
		if (ent_model_train(&model, data, actors, &opt, &err) != ENT_OK)
			rc = cli_fail(&err);
		cli_progress_done();
	}
	if (rc == EXIT_OK && cli_interrupted) {
		cli_error("interrupted; '%s' was not written", output);
		rc = EXIT_INTERRUPTED;
	}
	if (rc == EXIT_OK && ent_model_save(model, output, &err) != ENT_OK)
		rc = cli_fail(&err);
	ent_model_free(model);
	ent_actors_free(actors);
	ent_dataset_free(data);
	free(files);
	return rc;
}
