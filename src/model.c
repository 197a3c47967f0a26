#include "entente/model.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "entente/metrics.h"
#include "features_internal.h"
#include "model_internal.h"

/* ---- options ---- */

int ent_train_options_check(const ent_train_options *opt, ent_error *err)
{
	int rc = ent_feature_options_check(&opt->features, err);
	if (rc != ENT_OK)
		return rc;
	if (opt->kernel != ENT_KERNEL_LINEAR && opt->kernel != ENT_KERNEL_RBF)
		return ent_error_set(err, ENT_EPARAM, "unknown kernel %d (expected linear or rbf)", opt->kernel);
	if (!(opt->c > 0) || !isfinite(opt->c))
		return ent_error_set(err, ENT_EPARAM, "invalid C %g (expected a positive number)", opt->c);
	if (!(opt->gamma >= 0) || !isfinite(opt->gamma))
		return ent_error_set(err, ENT_EPARAM, "invalid gamma %g (expected >= 0)", opt->gamma);
	if (opt->grid && (opt->grid_folds < 2 || opt->grid_folds > 100))
		return ent_error_set(err, ENT_EPARAM, "invalid number of folds %d (expected 2 to 100)",
				     opt->grid_folds);
	if (opt->class_weight != ENT_CLASS_WEIGHT_BALANCED && opt->class_weight != ENT_CLASS_WEIGHT_NONE)
		return ent_error_set(err, ENT_EPARAM, "unknown class weight setting %d", opt->class_weight);
	return ENT_OK;
}

/* ---- the sentence featurizer ---- */

struct ent_sentence_featurizer {
	ent_text *text;
	ent_actor_matches *matches;
	ent_extractor *extractor;
	const ent_actors *actors;
	ent_vector vector;
};

int ent_sentence_featurizer_new(ent_sentence_featurizer **out, const ent_feature_options *opt,
				const ent_actors *actors, ent_error *err)
{
	*out = NULL;
	ent_sentence_featurizer *f = calloc(1, sizeof *f);
	if (f == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a featurizer");
	f->actors = actors;
	int rc = ent_text_new(&f->text, err);
	if (rc == ENT_OK)
		rc = ent_actor_matches_new(&f->matches, err);
	if (rc == ENT_OK)
		rc = ent_extractor_new(&f->extractor, opt, err);
	if (rc != ENT_OK) {
		ent_sentence_featurizer_free(f);
		return rc;
	}
	*out = f;
	return ENT_OK;
}

void ent_sentence_featurizer_free(ent_sentence_featurizer *f)
{
	if (f == NULL)
		return;
	ent_text_free(f->text);
	ent_actor_matches_free(f->matches);
	ent_extractor_free(f->extractor);
	ent_vector_release(&f->vector);
	free(f);
}

int ent_featurize_tokens(ent_extractor *x, const ent_actors *actors, ent_actor_matches *matches,
			 const ent_token *tokens, size_t count, const char *source, long date,
			 ent_error *err)
{
	const unsigned char *marks = NULL;
	if (actors != NULL) {
		int rc = ent_actors_match(actors, tokens, count, source, date, matches, err);
		if (rc != ENT_OK)
			return rc;
		marks = ent_actor_matches_marks(matches);
	}
	return ent_extractor_run(x, tokens, count, marks, err);
}

int ent_sentence_featurizer_run(ent_sentence_featurizer *f, const char *text, size_t len,
				ent_error *err)
{
	int rc = ent_text_analyze(f->text, text, len, ENT_TEXT_SENTENCE, err);
	if (rc != ENT_OK)
		return rc;
	size_t count = 0;
	const ent_token *tokens = NULL;
	/* A row is one sentence; a row cut for length keeps its first piece. */
	if (ent_text_sentence_count(f->text) > 0)
		tokens = ent_text_tokens(f->text, 0, &count);
	return ent_featurize_tokens(f->extractor, f->actors, f->matches, tokens, count,
				    ent_text_source(f->text, NULL), 0, err);
}

const ent_extractor *ent_sentence_featurizer_extractor(const ent_sentence_featurizer *f)
{
	return f->extractor;
}

int ent_model_predict_text(const ent_model *m, ent_sentence_featurizer *f, const char *text,
			   size_t len, double probs[ENT_LABEL_COUNT], ent_error *err)
{
	int rc = ent_sentence_featurizer_run(f, text, len, err);
	if (rc == ENT_OK)
		rc = ent_features_vectorize(m->features, f->extractor, &f->vector, err);
	if (rc != ENT_OK)
		return rc;
	return ent_model_predict(m, &f->vector, probs);
}

int ent_model_evaluate(const ent_model *m, const ent_dataset *data, int *predicted, double *probs,
		       ent_error *err)
{
	ent_sentence_featurizer *f;
	int rc = ent_sentence_featurizer_new(&f, ent_features_options(m->features), m->actors, err);
	if (rc == ENT_OK)
		ent_extractor_bind(f->extractor, m->features);
	for (size_t i = 0; rc == ENT_OK && i < ent_dataset_count(data); i++) {
		const ent_data_row *row = ent_dataset_row(data, i);
		int label = ent_model_predict_text(m, f, row->text, row->text_len, probs + i * ENT_LABEL_COUNT, err);
		if (label < 0)
			rc = ent_error_prefix(err, "%s:%zu", row->file, row->line);
		else
			predicted[i] = label;
	}
	ent_sentence_featurizer_free(f);
	return rc;
}

/* ---- prediction ---- */

int ent_model_predict(const ent_model *m, const ent_vector *x, double probs[ENT_LABEL_COUNT])
{
	return ent_svm_predict(m->svm, x->nodes, probs);
}

int ent_model_predict_reference(const ent_model *m, const ent_vector *x,
				double probs[ENT_LABEL_COUNT])
{
	return ent_svm_predict_libsvm(m->svm, x->nodes, probs);
}

const ent_features *ent_model_features(const ent_model *m)
{
	return m->features;
}

const ent_actors *ent_model_actors(const ent_model *m)
{
	return m->actors;
}

const char *ent_model_metadata(const ent_model *m)
{
	return m->metadata;
}

int ent_model_kernel(const ent_model *m)
{
	return ent_svm_kernel(m->svm) == ENT_SVM_RBF ? ENT_KERNEL_RBF : ENT_KERNEL_LINEAR;
}

void ent_model_free(ent_model *m)
{
	if (m == NULL)
		return;
	ent_features_free(m->features);
	ent_svm_free(m->svm);
	ent_actors_free(m->actors);
	free(m->metadata);
	free(m);
}

/* ---- folds ---- */

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void shuffle(size_t *v, size_t n, uint64_t *state)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(splitmix64(state) % i);
		size_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* Deals each label's shuffled rows round-robin over the folds, continuing
 * the rotation from label to label so fold sizes stay within one. */
int ent_assign_folds_for_labels(const int *labels, size_t n, int k, unsigned long seed, int *folds)
{
	size_t *rows = malloc((n ? n : 1) * sizeof *rows);
	if (rows == NULL)
		return ENT_ENOMEM;
	uint64_t state = (uint64_t)seed * 0x2545F4914F6CDD1DULL + 1;
	size_t next = 0;
	for (int label = 0; label < ENT_LABEL_COUNT; label++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (labels[i] == label)
				rows[m++] = i;
		shuffle(rows, m, &state);
		for (size_t i = 0; i < m; i++)
			folds[rows[i]] = (int)(next++ % (size_t)k);
	}
	free(rows);
	return ENT_OK;
}

int ent_folds_assign(const ent_dataset *data, int k, unsigned long seed, int **folds,
		     ent_error *err)
{
	size_t n = ent_dataset_count(data);
	*folds = NULL;
	if (k < 2 || (size_t)k > n)
		return ent_error_set(err, ENT_EPARAM, "cannot make %d folds of %zu rows (expected 2 <= k <= rows)",
				     k, n);
	int *labels = malloc(n * sizeof *labels);
	int *out = malloc(n * sizeof *out);
	if (labels == NULL || out == NULL) {
		free(labels);
		free(out);
		return ent_error_set(err, ENT_ENOMEM, "out of memory assigning folds");
	}
	for (size_t i = 0; i < n; i++)
		labels[i] = ent_dataset_row(data, i)->label;
	int rc = ent_assign_folds_for_labels(labels, n, k, seed, out);
	free(labels);
	if (rc != ENT_OK) {
		free(out);
		return ent_error_set(err, ENT_ENOMEM, "out of memory assigning folds");
	}
	*folds = out;
	return ENT_OK;
}

/* ---- training on a prepared corpus ---- */

int ent_prepared_init(ent_prepared *p, const ent_dataset *data, const ent_actors *actors,
		      const ent_train_options *opt, ent_error *err)
{
	memset(p, 0, sizeof *p);
	size_t n = ent_dataset_count(data);
	ent_sentence_featurizer *f = NULL;
	p->labels = malloc((n ? n : 1) * sizeof *p->labels);
	if (p->labels == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for %zu labels", n);
	int rc = ent_corpus_new(&p->corpus, err);
	if (rc == ENT_OK)
		rc = ent_sentence_featurizer_new(&f, &opt->features, actors, err);
	for (size_t i = 0; rc == ENT_OK && i < n; i++) {
		const ent_data_row *row = ent_dataset_row(data, i);
		p->labels[i] = row->label;
		rc = ent_sentence_featurizer_run(f, row->text, row->text_len, err);
		if (rc == ENT_OK)
			rc = ent_corpus_add(p->corpus, f->extractor, err);
		if (rc != ENT_OK)
			ent_error_prefix(err, "%s:%zu", row->file, row->line);
		if (opt->progress != NULL && (i % 256 == 0 || i + 1 == n))
			opt->progress(opt->progress_ctx, "features", (double)(i + 1) / (double)n);
		if (rc == ENT_OK && opt->cancel != NULL && *opt->cancel)
			rc = ent_error_set(err, ENT_EINTR, "training interrupted");
	}
	ent_sentence_featurizer_free(f);
	p->n = n;
	if (rc != ENT_OK)
		ent_prepared_release(p);
	return rc;
}

void ent_prepared_release(ent_prepared *p)
{
	ent_corpus_free(p->corpus);
	free(p->labels);
	memset(p, 0, sizeof *p);
}

static void balanced_weights(const int *labels, const size_t *docs, size_t n, double *w)
{
	size_t counts[ENT_LABEL_COUNT] = {0};
	int present = 0;
	for (size_t i = 0; i < n; i++)
		counts[labels[docs[i]]]++;
	for (int c = 0; c < ENT_LABEL_COUNT; c++)
		present += counts[c] > 0;
	for (int c = 0; c < ENT_LABEL_COUNT; c++)
		w[c] = counts[c] ? (double)n / ((double)present * (double)counts[c]) : 1.0;
}

void ent_trained_release(ent_trained *t)
{
	ent_features_free(t->features);
	ent_svm_free(t->svm);
	t->features = NULL;
	t->svm = NULL;
}

static int vectorize_docs(const ent_features *f, const ent_corpus *c, const size_t *docs,
			  size_t n, ent_vector *vectors, ent_error *err)
{
	int rc = ENT_OK;
	for (size_t i = 0; rc == ENT_OK && i < n; i++)
		rc = ent_features_vectorize_document(f, c, docs[i], &vectors[i], err);
	return rc;
}

static void release_vectors(ent_vector *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		ent_vector_release(&v[i]);
	free(v);
}

static int count_labels(const int *labels, const size_t *docs, size_t n)
{
	int seen[ENT_LABEL_COUNT] = {0}, distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (!seen[labels[docs[i]]]++)
			distinct++;
	return distinct;
}

int ent_train_docs(ent_trained *out, const ent_prepared *p, const size_t *docs, size_t n,
		   const ent_train_options *opt, double c, double gamma, int probability,
		   ent_error *err)
{
	memset(out, 0, sizeof *out);
	if (count_labels(p->labels, docs, n) < 2)
		return ent_error_set(err, ENT_EFORMAT, "training data needs at least two different labels");
	ent_vector *x = calloc(n, sizeof *x);
	int *y = malloc(n * sizeof *y);
	double weights[ENT_LABEL_COUNT];
	int rc = ENT_OK;
	if (x == NULL || y == NULL) {
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for %zu training vectors", n);
		goto done;
	}
	rc = ent_features_build(&out->features, p->corpus, docs, n, &opt->features, err);
	if (rc == ENT_OK)
		rc = vectorize_docs(out->features, p->corpus, docs, n, x, err);
	if (rc != ENT_OK)
		goto done;
	for (size_t i = 0; i < n; i++)
		y[i] = p->labels[docs[i]];
	balanced_weights(p->labels, docs, n, weights);
	size_t dim = ent_features_dimension(out->features);
	ent_svm_params params = {
		.kernel = opt->kernel == ENT_KERNEL_RBF ? ENT_SVM_RBF : ENT_SVM_LINEAR,
		.c = c,
		.gamma = gamma > 0 ? gamma : 1.0 / (double)(dim ? dim : 1),
		.weight = opt->class_weight == ENT_CLASS_WEIGHT_BALANCED ? weights : NULL,
		.classes = ENT_LABEL_COUNT,
		.probability = probability,
		.seed = opt->seed,
	};
	rc = ent_svm_train(&out->svm, x, y, n, &params, err);
done:
	release_vectors(x, n);
	free(y);
	if (rc != ENT_OK)
		ent_trained_release(out);
	return rc;
}

/* Predicts docs with a trained pair; probs may be NULL (votes only). */
int ent_predict_docs(const ent_trained *t, const ent_prepared *p, const size_t *docs, size_t n,
		     int *predicted, double *probs, ent_error *err)
{
	ent_vector v = ENT_VECTOR_INIT;
	int rc = ENT_OK;
	for (size_t i = 0; rc == ENT_OK && i < n; i++) {
		rc = ent_features_vectorize_document(t->features, p->corpus, docs[i], &v, err);
		if (rc != ENT_OK)
			break;
		if (probs != NULL)
			predicted[i] = ent_svm_predict(t->svm, v.nodes, probs + i * ENT_LABEL_COUNT);
		else
			predicted[i] = ent_svm_predict_vote(t->svm, v.nodes);
	}
	ent_vector_release(&v);
	return rc;
}
