/* entente — model: training, the model bundle, and prediction.
 *
 * A model bundle is one text file: a magic line with the format version, a
 * SHA-256 over everything after it, then the metadata (JSON), the feature
 * settings and vocabulary with idf, the actor dictionary used for masking,
 * and the libsvm model. Loading checks all of it before libsvm sees anything.
 */
#ifndef ENTENTE_MODEL_H
#define ENTENTE_MODEL_H

#include <stddef.h>

#include "entente/actors.h"
#include "entente/data.h"
#include "entente/error.h"
#include "entente/features.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_MODEL_FORMAT_VERSION 1
#define ENT_MODEL_MAX_BYTES ((size_t)1024 * 1024 * 1024)

enum { ENT_KERNEL_LINEAR = 0, ENT_KERNEL_RBF = 1 };
enum { ENT_CLASS_WEIGHT_BALANCED = 0, ENT_CLASS_WEIGHT_NONE = 1 };

/* Progress callback: fraction in [0, 1] of the named stage. */
typedef void (*ent_progress_fn)(void *ctx, const char *stage, double fraction);

typedef struct ent_train_options {
	ent_feature_options features;
	int kernel;           /* ENT_KERNEL_* */
	double c;             /* cost when not searching a grid */
	double gamma;         /* RBF width; 0 means 1 / number of features */
	int grid;             /* choose C (and gamma) by stratified cross-validation */
	int grid_folds;       /* folds of that search */
	int class_weight;     /* ENT_CLASS_WEIGHT_* */
	unsigned long seed;
	ent_progress_fn progress;
	void *progress_ctx;
	const volatile int *cancel; /* checked between steps: nonzero stops with ENT_EINTR */
} ent_train_options;

#define ENT_TRAIN_OPTIONS_INIT \
	{ENT_FEATURE_OPTIONS_INIT, ENT_KERNEL_LINEAR, 1.0, 0.0, 0, 5, ENT_CLASS_WEIGHT_BALANCED, 1, NULL, NULL, NULL}

int ent_train_options_check(const ent_train_options *opt, ent_error *err);

typedef struct ent_model ent_model;

/* Trains on every row of data. actors (may be NULL: no masking) is copied
 * into the model. */
int ent_model_train(ent_model **out, const ent_dataset *data, const ent_actors *actors,
		    const ent_train_options *opt, ent_error *err);
void ent_model_free(ent_model *m);

/* Writes atomically: a temporary file beside path, then rename. */
int ent_model_save(const ent_model *m, const char *path, ent_error *err);
/* Serialized bytes of the bundle (caller frees). */
int ent_model_serialize(const ent_model *m, char **out, size_t *len, ent_error *err);
int ent_model_load(ent_model **out, const char *path, ent_error *err);
/* Parses a bundle from memory; name is used in messages. */
int ent_model_parse(ent_model **out, const char *data, size_t len, const char *name,
		    ent_error *err);

const ent_features *ent_model_features(const ent_model *m);
/* The dictionary used for masking in training (borrowed; never NULL). */
const ent_actors *ent_model_actors(const ent_model *m);
/* The metadata as a JSON text (borrowed). */
const char *ent_model_metadata(const ent_model *m);
int ent_model_kernel(const ent_model *m);

/* Labels a vector: returns the label, fills probs[ENT_LABEL_COUNT] (sum 1).
 * Thread-safe: a model may be shared by many threads. */
int ent_model_predict(const ent_model *m, const ent_vector *x, double probs[ENT_LABEL_COUNT]);
/* The same computed by libsvm's svm_predict_probability (slower; for checks). */
int ent_model_predict_reference(const ent_model *m, const ent_vector *x,
				double probs[ENT_LABEL_COUNT]);

/* Turns one labeled-row text (a single sentence) into terms: tokens, actor
 * masks, extraction. Per-thread working state; actors may be NULL. */
typedef struct ent_sentence_featurizer ent_sentence_featurizer;

int ent_sentence_featurizer_new(ent_sentence_featurizer **out, const ent_feature_options *opt,
				const ent_actors *actors, ent_error *err);
void ent_sentence_featurizer_free(ent_sentence_featurizer *f);
int ent_sentence_featurizer_run(ent_sentence_featurizer *f, const char *text, size_t len,
				ent_error *err);
const ent_extractor *ent_sentence_featurizer_extractor(const ent_sentence_featurizer *f);

/* Featurizes and labels one sentence with f (made from the model's options
 * and actors). Returns the label or a negative error. */
int ent_model_predict_text(const ent_model *m, ent_sentence_featurizer *f, const char *text,
			   size_t len, double probs[ENT_LABEL_COUNT], ent_error *err);

/* Labels every row of data: predicted[i] and probs[i * ENT_LABEL_COUNT ..]
 * (arrays of ent_dataset_count(data) rows, owned by the caller). */
int ent_model_evaluate(const ent_model *m, const ent_dataset *data, int *predicted, double *probs,
		       ent_error *err);

/* ---- cross-validation ---- */

/* Stratified, seeded fold of each row (0..k-1); caller frees. */
int ent_folds_assign(const ent_dataset *data, int k, unsigned long seed, int **folds,
		     ent_error *err);

typedef struct ent_cv_result {
	int *predicted;    /* per row */
	double *probs;     /* per row, ENT_LABEL_COUNT each */
	int *folds;        /* per row */
	int k;
	double c, gamma;   /* the parameters used (chosen by grid when asked) */
} ent_cv_result;

/* k-fold cross-validation: each fold's vocabulary and model are built from
 * the other folds only. With opt->grid the grid runs inside each training
 * part (nested). Caller releases with ent_cv_result_release. */
int ent_cross_validate(const ent_dataset *data, const ent_actors *actors,
		       const ent_train_options *opt, int k, ent_cv_result *out, ent_error *err);
void ent_cv_result_release(ent_cv_result *r);

#ifdef __cplusplus
}
#endif
#endif
