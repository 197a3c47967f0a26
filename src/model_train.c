/* Training a model: grid search over C (and gamma), the final fit, the
 * metadata it records, and k-fold cross-validation. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entente/metrics.h"
#include "model_internal.h"

/* log2 grids: linear models only need C; RBF also needs gamma. */
static const int linear_c_exponents[] = {-3, -2, -1, 0, 1, 2, 3, 4, 5};
static const int rbf_c_exponents[] = {-1, 1, 3, 5};
static const int rbf_gamma_exponents[] = {-3, -1, 1};

typedef struct grid_point {
	double c, gamma, score;
} grid_point;

typedef struct grid_result {
	grid_point best;
	grid_point *points;
	size_t count;
} grid_result;

static int check_cancel(const ent_train_options *opt, ent_error *err)
{
	if (opt->cancel != NULL && *opt->cancel)
		return ent_error_set(err, ENT_EINTR, "training interrupted");
	return ENT_OK;
}

static void progress(const ent_train_options *opt, const char *stage, double fraction)
{
	if (opt->progress != NULL)
		opt->progress(opt->progress_ctx, stage, fraction);
}

/* Splits docs into the rows of fold f (test) and the others (train). */
static void split_fold(const size_t *docs, const int *folds, size_t n, int f, size_t *train,
		       size_t *n_train, size_t *test, size_t *n_test)
{
	*n_train = *n_test = 0;
	for (size_t i = 0; i < n; i++) {
		if (folds[i] == f)
			test[(*n_test)++] = docs[i];
		else
			train[(*n_train)++] = docs[i];
	}
}

typedef struct fold_work {
	size_t *train, *test;
	int *predicted, *gold;
	int *folds;
} fold_work;

static void fold_work_release(fold_work *w)
{
	free(w->train);
	free(w->test);
	free(w->predicted);
	free(w->gold);
	free(w->folds);
}

static int fold_work_init(fold_work *w, const ent_prepared *p, const size_t *docs, size_t n,
			  int k, unsigned long seed)
{
	memset(w, 0, sizeof *w);
	w->train = malloc(n * sizeof *w->train);
	w->test = malloc(n * sizeof *w->test);
	w->predicted = malloc(n * sizeof *w->predicted);
	w->gold = malloc(n * sizeof *w->gold);
	w->folds = malloc(n * sizeof *w->folds);
	if (!w->train || !w->test || !w->predicted || !w->gold || !w->folds)
		return ENT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		w->gold[i] = p->labels[docs[i]];
	/* The labels of docs, in docs order, decide the strata. */
	return ent_assign_folds_for_labels(w->gold, n, k, seed, w->folds);
}

/* Mean macro-F1 over k folds of docs at one grid point. */
static int score_point(const ent_prepared *p, const size_t *docs, size_t n, fold_work *w, int k,
		       const ent_train_options *opt, grid_point *point, ent_error *err)
{
	double sum = 0;
	for (int f = 0; f < k; f++) {
		size_t n_train, n_test;
		split_fold(docs, w->folds, n, f, w->train, &n_train, w->test, &n_test);
		ent_trained t;
		int rc = ent_train_docs(&t, p, w->train, n_train, opt, point->c, point->gamma, 0, err);
		if (rc == ENT_OK)
			rc = ent_predict_docs(&t, p, w->test, n_test, w->predicted, NULL, err);
		ent_trained_release(&t);
		if (rc != ENT_OK)
			return rc;
		for (size_t i = 0; i < n_test; i++)
			w->gold[i] = p->labels[w->test[i]];
		ent_metrics m;
		ent_metrics_compute(&m, w->gold, w->predicted, n_test);
		sum += m.macro_f1;
		if ((rc = check_cancel(opt, err)) != ENT_OK)
			return rc;
	}
	point->score = sum / k;
	return ENT_OK;
}

static int grid_points(const ent_train_options *opt, grid_point **out, size_t *count)
{
	size_t nc = opt->kernel == ENT_KERNEL_RBF ? sizeof rbf_c_exponents / sizeof(int)
						  : sizeof linear_c_exponents / sizeof(int);
	size_t ng = opt->kernel == ENT_KERNEL_RBF ? sizeof rbf_gamma_exponents / sizeof(int) : 1;
	grid_point *points = calloc(nc * ng, sizeof *points);
	if (points == NULL)
		return ENT_ENOMEM;
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < ng; j++) {
			grid_point *g = &points[i * ng + j];
			if (opt->kernel == ENT_KERNEL_RBF) {
				g->c = ldexp(1.0, rbf_c_exponents[i]);
				g->gamma = ldexp(1.0, rbf_gamma_exponents[j]);
			} else {
				g->c = ldexp(1.0, linear_c_exponents[i]);
				g->gamma = opt->gamma;
			}
		}
	*out = points;
	*count = nc * ng;
	return ENT_OK;
}

/* Picks the grid point with the best cross-validated macro-F1; ties go to
 * the earlier (smaller, more regularized) point. */
static int grid_search(const ent_prepared *p, const size_t *docs, size_t n,
		       const ent_train_options *opt, grid_result *out, ent_error *err)
{
	memset(out, 0, sizeof *out);
	fold_work w;
	int rc = ENT_OK;
	if (fold_work_init(&w, p, docs, n, opt->grid_folds, opt->seed) != ENT_OK ||
	    grid_points(opt, &out->points, &out->count) != ENT_OK) {
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for the grid search");
		goto done;
	}
	for (size_t i = 0; rc == ENT_OK && i < out->count; i++) {
		rc = score_point(p, docs, n, &w, opt->grid_folds, opt, &out->points[i], err);
		if (rc == ENT_OK && (i == 0 || out->points[i].score > out->best.score))
			out->best = out->points[i];
		progress(opt, "grid search", (double)(i + 1) / (double)out->count);
	}
done:
	fold_work_release(&w);
	if (rc != ENT_OK) {
		free(out->points);
		out->points = NULL;
	}
	return rc;
}

/* ---- metadata ---- */

static json_t *features_json(const ent_feature_options *f)
{
	return json_pack("{s:i, s:i, s:i, s:b, s:b, s:b, s:b}", "ngram_min", f->ngram_min,
			 "ngram_max", f->ngram_max, "min_df", f->min_df, "negation", f->negation,
			 "mask_actors", f->mask_actors, "stem", f->stem, "sublinear_tf",
			 f->sublinear_tf);
}

static json_t *grid_json(const grid_result *g)
{
	json_t *points = json_array();
	for (size_t i = 0; points != NULL && i < g->count; i++)
		json_array_append_new(points, json_pack("{s:f, s:f, s:f}", "c", g->points[i].c, "gamma",
							g->points[i].gamma, "macro_f1", g->points[i].score));
	return points;
}

static char *metadata_json(const ent_dataset *data, const ent_model *m, const ent_train_options *opt,
			   const grid_result *g)
{
	size_t counts[ENT_LABEL_COUNT];
	char sha[65];
	ent_dataset_label_counts(data, counts);
	ent_dataset_checksum(data, sha);
	json_t *labels = json_object();
	for (int c = 0; labels != NULL && c < ENT_LABEL_COUNT; c++)
		json_object_set_new(labels, ent_label_name(c), json_integer((json_int_t)counts[c]));
	json_t *root = json_pack(
		"{s:i, s:s, s:{s:I, s:s, s:o}, s:o, s:{s:s, s:f, s:f, s:s, s:I, s:b, s:i, s:o, s:i}, s:o, s:I, s:I}",
		"format", ENT_MODEL_FORMAT_VERSION, "entente_version", ENT_VERSION, "data", "rows",
		(json_int_t)ent_dataset_count(data), "sha256", sha, "labels", labels, "features",
		features_json(&opt->features), "params", "kernel",
		opt->kernel == ENT_KERNEL_RBF ? "rbf" : "linear", "c", ent_svm_c(m->svm), "gamma",
		ent_svm_gamma(m->svm), "class_weight",
		opt->class_weight == ENT_CLASS_WEIGHT_BALANCED ? "balanced" : "none", "seed",
		(json_int_t)opt->seed, "grid", opt->grid, "grid_folds", opt->grid_folds, "grid_scores",
		opt->grid ? grid_json(g) : json_null(), "calibration_fallbacks",
		ent_svm_calibration_fallbacks(m->svm), "cv_macro_f1",
		opt->grid ? json_real(g->best.score) : json_null(), "vocabulary",
		(json_int_t)ent_features_dimension(m->features), "support_vectors",
		(json_int_t)ent_svm_support_vectors(m->svm));
	if (root == NULL)
		return NULL;
	char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	json_decref(root);
	return text;
}

/* ---- the model ---- */

static int copy_actors(ent_actors **out, const ent_actors *src, ent_error *err)
{
	int rc = ent_actors_new(out, err);
	if (rc != ENT_OK || src == NULL)
		return rc;
	size_t len;
	const char *text = ent_actors_source(src, &len);
	return ent_actors_load(*out, text, len, "actors", err);
}

static size_t *all_docs(size_t n)
{
	size_t *docs = malloc((n ? n : 1) * sizeof *docs);
	for (size_t i = 0; docs != NULL && i < n; i++)
		docs[i] = i;
	return docs;
}

int ent_model_train(ent_model **out, const ent_dataset *data, const ent_actors *actors,
		    const ent_train_options *opt, ent_error *err)
{
	*out = NULL;
	int rc = ent_train_options_check(opt, err);
	if (rc != ENT_OK)
		return rc;
	ent_prepared p;
	grid_result g = {0};
	ent_trained t = {0};
	ent_model *m = calloc(1, sizeof *m);
	size_t n = ent_dataset_count(data);
	size_t *docs = all_docs(n);
	if (m == NULL || docs == NULL) {
		free(m);
		free(docs);
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a model");
	}
	rc = ent_prepared_init(&p, data, actors, opt, err);
	if (rc != ENT_OK)
		goto fail;
	g.best.c = opt->c;
	g.best.gamma = opt->gamma;
	if (opt->grid && (rc = grid_search(&p, docs, n, opt, &g, err)) != ENT_OK)
		goto fail_prepared;
	progress(opt, "training", 0.0);
	rc = ent_train_docs(&t, &p, docs, n, opt, g.best.c, g.best.gamma, 1, err);
	progress(opt, "training", 1.0);
	if (rc == ENT_OK)
		rc = copy_actors(&m->actors, actors, err);
	if (rc != ENT_OK)
		goto fail_prepared;
	m->features = t.features;
	m->svm = t.svm;
	m->metadata = metadata_json(data, m, opt, &g);
	if (m->metadata == NULL) {
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory writing the model metadata");
		goto fail_prepared;
	}
	ent_prepared_release(&p);
	free(g.points);
	free(docs);
	*out = m;
	return ENT_OK;
fail_prepared:
	ent_prepared_release(&p);
fail:
	free(g.points);
	free(docs);
	ent_model_free(m);
	return rc;
}

/* ---- cross-validation ---- */

void ent_cv_result_release(ent_cv_result *r)
{
	free(r->predicted);
	free(r->probs);
	free(r->folds);
	memset(r, 0, sizeof *r);
}

static int cv_fold(const ent_prepared *p, const size_t *train, size_t n_train, const size_t *test,
		   size_t n_test, const ent_train_options *opt, ent_cv_result *out, ent_error *err)
{
	grid_result g = {0};
	g.best.c = opt->c;
	g.best.gamma = opt->gamma;
	int rc = opt->grid ? grid_search(p, train, n_train, opt, &g, err) : ENT_OK;
	ent_trained t = {0};
	int *predicted = malloc((n_test ? n_test : 1) * sizeof *predicted);
	double *probs = malloc((n_test ? n_test : 1) * ENT_LABEL_COUNT * sizeof *probs);
	if (rc == ENT_OK && (predicted == NULL || probs == NULL))
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for a fold");
	if (rc == ENT_OK)
		rc = ent_train_docs(&t, p, train, n_train, opt, g.best.c, g.best.gamma, 1, err);
	if (rc == ENT_OK)
		rc = ent_predict_docs(&t, p, test, n_test, predicted, probs, err);
	for (size_t i = 0; rc == ENT_OK && i < n_test; i++) {
		out->predicted[test[i]] = predicted[i];
		memcpy(out->probs + test[i] * ENT_LABEL_COUNT, probs + i * ENT_LABEL_COUNT,
		       ENT_LABEL_COUNT * sizeof *probs);
	}
	out->c = g.best.c;
	out->gamma = g.best.gamma;
	ent_trained_release(&t);
	free(g.points);
	free(predicted);
	free(probs);
	return rc;
}

int ent_cross_validate(const ent_dataset *data, const ent_actors *actors,
		       const ent_train_options *opt, int k, ent_cv_result *out, ent_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ent_train_options_check(opt, err);
	if (rc != ENT_OK)
		return rc;
	size_t n = ent_dataset_count(data);
	rc = ent_folds_assign(data, k, opt->seed, &out->folds, err);
	if (rc != ENT_OK)
		return rc;
	out->k = k;
	out->predicted = malloc(n * sizeof *out->predicted);
	out->probs = malloc(n * ENT_LABEL_COUNT * sizeof *out->probs);
	size_t *train = malloc(n * sizeof *train), *test = malloc(n * sizeof *test);
	size_t *docs = all_docs(n);
	ent_prepared p = {0};
	if (!out->predicted || !out->probs || !train || !test || !docs)
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for cross-validation");
	if (rc == ENT_OK)
		rc = ent_prepared_init(&p, data, actors, opt, err);
	for (int f = 0; rc == ENT_OK && f < k; f++) {
		size_t n_train, n_test;
		split_fold(docs, out->folds, n, f, train, &n_train, test, &n_test);
		rc = cv_fold(&p, train, n_train, test, n_test, opt, out, err);
		progress(opt, "cross-validation", (double)(f + 1) / k);
		if (rc == ENT_OK)
			rc = check_cancel(opt, err);
	}
	ent_prepared_release(&p);
	free(train);
	free(test);
	free(docs);
	if (rc != ENT_OK)
		ent_cv_result_release(out);
	return rc;
}
