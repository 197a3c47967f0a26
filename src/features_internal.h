/* Private: what classify.c and model.c use of the feature extractor beyond
 * the public header. */
#ifndef ENT_FEATURES_INTERNAL_H
#define ENT_FEATURES_INTERNAL_H

#include "entente/features.h"

/* Binds x to the vocabulary f (borrowed; it must outlive x or the next
 * bind). The word cache then keeps each word's place in f, so
 * ent_features_vectorize(f, x) resolves a sentence's n-grams without
 * building or hashing their strings, and runs no longer spell out term
 * strings: ent_extractor_term_count() is 0 after a run and ent_corpus_add()
 * must not be given a bound extractor. Vectors stay bit-identical to the
 * unbound ones. */
void ent_extractor_bind(ent_extractor *x, const ent_features *f);

#endif
