/* Private: the one place that talks to libsvm. It trains C-SVC models,
 * keeps them in storage it owns (never pointing into a training problem),
 * serializes them in entente's own strict text format, and predicts either
 * through libsvm or, for linear kernels, through per-pair weight vectors. */
#ifndef ENT_SVM_BACKEND_H
#define ENT_SVM_BACKEND_H

#include <stddef.h>

#include "buf.h"
#include "entente/error.h"
#include "entente/features.h"

enum { ENT_SVM_LINEAR = 0, ENT_SVM_RBF = 1 };

typedef struct ent_svm_params {
	int kernel;
	double c;
	double gamma;         /* RBF only */
	const double *weight; /* per class (label index), NULL for none */
	int classes;          /* label indices are 0..classes-1 */
	int probability;
	unsigned long seed;
} ent_svm_params;

typedef struct ent_svm ent_svm;

/* Trains on x[0..n) with labels y; x is borrowed for the call only. */
int ent_svm_train(ent_svm **out, const ent_vector *x, const int *y, size_t n,
		  const ent_svm_params *p, ent_error *err);
void ent_svm_free(ent_svm *m);

/* Predicts a label index; fills probs[0..classes) when the model has
 * probability estimates (else a one-hot vector of the vote). */
int ent_svm_predict(const ent_svm *m, const struct svm_node *x, double *probs);
/* The same through libsvm's own svm_predict_probability (for checks). */
int ent_svm_predict_libsvm(const ent_svm *m, const struct svm_node *x, double *probs);
/* Label indices by the votes of the pairwise decision functions alone. */
int ent_svm_predict_vote(const ent_svm *m, const struct svm_node *x);

int ent_svm_kernel(const ent_svm *m);
double ent_svm_c(const ent_svm *m);
double ent_svm_gamma(const ent_svm *m);
size_t ent_svm_support_vectors(const ent_svm *m);
/* Class pairs whose probability calibration came out flat or inverted in
 * training and was replaced by a fixed monotone sigmoid. */
int ent_svm_calibration_fallbacks(const ent_svm *m);

/* Writes the model as text; reads it back strictly. dimension bounds the
 * feature indices; classes is the expected number of classes. *pos is the
 * parse position in text and advances past the model. */
int ent_svm_write(const ent_svm *m, ent_buf *out);
int ent_svm_read(ent_svm **out, const char *text, size_t len, size_t *pos, size_t dimension,
		 int classes, ent_error *err);

#endif
