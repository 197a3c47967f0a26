/* entente — features: tokens to tf-idf weighted, L2-normalized sparse vectors.
 *
 * Three pieces:
 *  - ent_extractor: per-thread working state that turns one sentence's tokens
 *    into terms (stemmed unigrams and n-grams, negation scope, actor masking).
 *  - ent_corpus: the interned terms of training sentences.
 *  - ent_features: the frozen vocabulary with idf weights and the options;
 *    immutable, so one instance may be shared by many threads.
 */
#ifndef ENTENTE_FEATURES_H
#define ENTENTE_FEATURES_H

#include <libsvm/svm.h>
#include <stddef.h>

#include "entente/error.h"
#include "entente/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENT_FEATURES_MAX_VOCAB 4000000u
#define ENT_FEATURES_MAX_NGRAM 3

typedef struct ent_feature_options {
	int ngram_min;    /* smallest n-gram, 1..ENT_FEATURES_MAX_NGRAM */
	int ngram_max;    /* largest n-gram, ngram_min..ENT_FEATURES_MAX_NGRAM */
	int min_df;       /* terms in fewer training sentences are dropped */
	int negation;     /* mark tokens inside a negation scope ("neg:" terms) */
	int mask_actors;  /* replace matched actor names by "<actor>" */
	int stem;         /* Snowball English stems instead of word forms */
	int sublinear_tf; /* 1 + ln(tf) instead of tf */
} ent_feature_options;

#define ENT_FEATURE_OPTIONS_INIT {1, 2, 2, 1, 1, 1, 1}

/* Validates option ranges; ENT_EPARAM with a message naming the option. */
int ent_feature_options_check(const ent_feature_options *opt, ent_error *err);

/* Per-token marks an actor matcher hands to the extractor. */
enum { ENT_MARK_NONE = 0, ENT_MARK_ACTOR_START = 1, ENT_MARK_ACTOR_INSIDE = 2 };

/* A sparse vector ready for libsvm: nodes[len].index == -1 terminates it. */
typedef struct ent_vector {
	struct svm_node *nodes;
	size_t len, cap;
} ent_vector;

#define ENT_VECTOR_INIT {NULL, 0, 0}
void ent_vector_release(ent_vector *v);
/* Deep copy into dst (reusing its storage). */
int ent_vector_copy(ent_vector *dst, const ent_vector *src, ent_error *err);

typedef struct ent_extractor ent_extractor;

int ent_extractor_new(ent_extractor **out, const ent_feature_options *opt, ent_error *err);
void ent_extractor_free(ent_extractor *x);
/* Computes the terms of one sentence. marks may be NULL (no actors); tokens
 * and marks are borrowed for the call only. */
int ent_extractor_run(ent_extractor *x, const ent_token *tokens, size_t count,
		      const unsigned char *marks, ent_error *err);
size_t ent_extractor_term_count(const ent_extractor *x);
/* The i-th term of the last run (borrowed until the next run). */
const char *ent_extractor_term(const ent_extractor *x, size_t i, size_t *len);

/* The terms of many sentences, interned: training extracts once, then builds
 * vocabularies and vectors for any subset of documents (folds). */
typedef struct ent_corpus ent_corpus;

int ent_corpus_new(ent_corpus **out, ent_error *err);
void ent_corpus_free(ent_corpus *c);
/* Appends the extractor's last run as the next document. */
int ent_corpus_add(ent_corpus *c, const ent_extractor *x, ent_error *err);
size_t ent_corpus_documents(const ent_corpus *c);

typedef struct ent_features ent_features;

/* Freezes a vocabulary from the documents docs[0..n) of c (all documents
 * when docs is NULL): terms with df >= opt->min_df, sorted bytewise,
 * smooth idf = ln((1 + n) / (1 + df)) + 1. */
int ent_features_build(ent_features **out, const ent_corpus *c, const size_t *docs, size_t n,
		       const ent_feature_options *opt, ent_error *err);
/* Rebuilds from stored terms and idf (model loading); copies everything. */
int ent_features_from_terms(ent_features **out, const ent_feature_options *opt,
			    const char *const *terms, const double *idf, size_t count,
			    ent_error *err);
void ent_features_free(ent_features *f);

const ent_feature_options *ent_features_options(const ent_features *f);
size_t ent_features_dimension(const ent_features *f);
const char *ent_features_term(const ent_features *f, size_t i); /* i in [0, dimension) */
double ent_features_idf(const ent_features *f, size_t i);
/* Index (1-based, as in the vectors) of a term, or 0 when unknown. */
int ent_features_lookup(const ent_features *f, const char *term, size_t len);

/* Vectorizes the extractor's last run into out (storage reused). */
int ent_features_vectorize(const ent_features *f, const ent_extractor *x, ent_vector *out,
			   ent_error *err);
/* Vectorizes document doc of a corpus into out (storage reused). */
int ent_features_vectorize_document(const ent_features *f, const ent_corpus *c, size_t doc,
				    ent_vector *out, ent_error *err);

#ifdef __cplusplus
}
#endif
#endif
