/* Private: what the model modules (model.c, model_train.c, model_io.c) share. */
#ifndef ENT_MODEL_INTERNAL_H
#define ENT_MODEL_INTERNAL_H

#include "entente/model.h"
#include "svm_backend.h"

struct ent_model {
	ent_features *features;
	ent_svm *svm;
	ent_actors *actors;   /* never NULL; may hold no entries */
	char *metadata;       /* compact JSON */
};

/* A dataset turned into interned terms once, for any number of trainings. */
typedef struct ent_prepared {
	ent_corpus *corpus;
	int *labels;
	size_t n;
} ent_prepared;

/* A vocabulary and the SVM trained on it. */
typedef struct ent_trained {
	ent_features *features;
	ent_svm *svm;
} ent_trained;

int ent_prepared_init(ent_prepared *p, const ent_dataset *data, const ent_actors *actors,
		      const ent_train_options *opt, ent_error *err);
void ent_prepared_release(ent_prepared *p);

int ent_train_docs(ent_trained *out, const ent_prepared *p, const size_t *docs, size_t n,
		   const ent_train_options *opt, double c, double gamma, int probability,
		   ent_error *err);
int ent_predict_docs(const ent_trained *t, const ent_prepared *p, const size_t *docs, size_t n,
		     int *predicted, double *probs, ent_error *err);
void ent_trained_release(ent_trained *t);

/* Stratified folds 0..k-1 for rows with these labels (deterministic by seed). */
int ent_assign_folds_for_labels(const int *labels, size_t n, int k, unsigned long seed, int *folds);

/* Tokens to terms with actor marks (actors may be NULL). */
int ent_featurize_tokens(ent_extractor *x, const ent_actors *actors, ent_actor_matches *matches,
			 const ent_token *tokens, size_t count, const char *source, long date,
			 ent_error *err);

#endif
