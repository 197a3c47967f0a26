#include "entente/features.h"

#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strmap.h"

#define ACTOR_TERM "<actor>"
#define NUMBER_TERM "<num>"
#define NEGATION_PREFIX "neg:"
/* The stem cache is dropped when it grows past this, bounding memory. */
#define STEM_CACHE_MAX 200000u

typedef struct term_span {
	size_t offset, len;
} term_span;

struct ent_extractor {
	ent_feature_options opt;
	struct sb_stemmer *stemmer;
	ent_strmap *stem_cache; /* word form -> offset of its stem in stems */
	ent_buf stems;
	ent_buf bases;          /* base terms of the sentence, NUL separated */
	term_span *base_spans;
	size_t bases_count, bases_cap;
	ent_buf terms;          /* all terms, NUL separated */
	term_span *term_spans;
	size_t terms_count, terms_cap;
};

struct ent_corpus {
	ent_strmap *terms;   /* term -> id (insertion order) */
	uint32_t *ids;       /* the documents' term ids, concatenated */
	size_t ids_len, ids_cap;
	size_t *starts;      /* documents + 1 offsets into ids */
	size_t documents, starts_cap;
};

struct ent_features {
	ent_feature_options opt;
	ent_strmap *index; /* term -> 1-based index */
	double *idf;
	size_t dimension;
};

int ent_feature_options_check(const ent_feature_options *opt, ent_error *err)
{
	if (opt->ngram_min < 1 || opt->ngram_min > ENT_FEATURES_MAX_NGRAM ||
	    opt->ngram_max < opt->ngram_min || opt->ngram_max > ENT_FEATURES_MAX_NGRAM)
		return ent_error_set(err, ENT_EPARAM,
				     "invalid n-gram range %d-%d (expected 1 <= min <= max <= %d)",
				     opt->ngram_min, opt->ngram_max, ENT_FEATURES_MAX_NGRAM);
	if (opt->min_df < 1)
		return ent_error_set(err, ENT_EPARAM, "invalid minimum document frequency %d (expected >= 1)",
				     opt->min_df);
	return ENT_OK;
}

void ent_vector_release(ent_vector *v)
{
	free(v->nodes);
	v->nodes = NULL;
	v->len = v->cap = 0;
}

static int vector_reserve(ent_vector *v, size_t n, ent_error *err)
{
	if (n + 1 <= v->cap)
		return ENT_OK;
	size_t cap = v->cap ? v->cap : 32;
	while (cap < n + 1)
		cap *= 2;
	struct svm_node *p = realloc(v->nodes, cap * sizeof *p);
	if (p == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a feature vector of %zu terms", n);
	v->nodes = p;
	v->cap = cap;
	return ENT_OK;
}

int ent_vector_copy(ent_vector *dst, const ent_vector *src, ent_error *err)
{
	int rc = vector_reserve(dst, src->len, err);
	if (rc != ENT_OK)
		return rc;
	memcpy(dst->nodes, src->nodes, (src->len + 1) * sizeof *src->nodes);
	dst->len = src->len;
	return ENT_OK;
}

/* ---- extractor ---- */

int ent_extractor_new(ent_extractor **out, const ent_feature_options *opt, ent_error *err)
{
	*out = NULL;
	int rc = ent_feature_options_check(opt, err);
	if (rc != ENT_OK)
		return rc;
	ent_extractor *x = calloc(1, sizeof *x);
	if (x == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a feature extractor");
	x->opt = *opt;
	x->stem_cache = ent_strmap_new(4096);
	if (opt->stem)
		x->stemmer = sb_stemmer_new("english", "UTF_8");
	if (x->stem_cache == NULL || (opt->stem && x->stemmer == NULL)) {
		ent_extractor_free(x);
		return ent_error_set(err, ENT_ENOMEM, "out of memory for the stemmer");
	}
	*out = x;
	return ENT_OK;
}

void ent_extractor_free(ent_extractor *x)
{
	if (x == NULL)
		return;
	if (x->stemmer)
		sb_stemmer_delete(x->stemmer);
	ent_strmap_free(x->stem_cache);
	ent_buf_release(&x->stems);
	ent_buf_release(&x->bases);
	ent_buf_release(&x->terms);
	free(x->base_spans);
	free(x->term_spans);
	free(x);
}

static int push_span(term_span **spans, size_t *count, size_t *cap, size_t offset, size_t len)
{
	if (*count == *cap) {
		size_t grown = *cap ? *cap * 2 : 64;
		term_span *p = realloc(*spans, grown * sizeof *p);
		if (p == NULL)
			return ENT_ENOMEM;
		*spans = p;
		*cap = grown;
	}
	(*spans)[(*count)++] = (term_span){offset, len};
	return ENT_OK;
}

/* Returns the stem of a normalized word, cached; NULL when out of memory. */
static const char *stem_of(ent_extractor *x, const char *word, size_t len, size_t *stem_len)
{
	uint32_t *cached = ent_strmap_find(x->stem_cache, word, len);
	if (cached != NULL) {
		const char *s = x->stems.data + *cached;
		*stem_len = strlen(s);
		return s;
	}
	if (ent_strmap_count(x->stem_cache) >= STEM_CACHE_MAX) {
		ent_strmap_clear(x->stem_cache);
		x->stems.len = 0;
	}
	const sb_symbol *s = sb_stemmer_stem(x->stemmer, (const sb_symbol *)word, (int)len);
	if (s == NULL)
		return NULL;
	size_t n = (size_t)sb_stemmer_length(x->stemmer);
	size_t offset = x->stems.len;
	if (offset > UINT32_MAX || ent_buf_append(&x->stems, (const char *)s, n + 1) != 0)
		return NULL;
	uint32_t *slot = ent_strmap_upsert(x->stem_cache, word, len, (uint32_t)offset, NULL);
	if (slot == NULL)
		return NULL;
	*stem_len = n;
	return x->stems.data + offset;
}

typedef struct word {
	const char *s;
	size_t n;
} word;

#define WORD(w) {w, sizeof w - 1}

static int is_word(const ent_token *t, const word *w)
{
	return t->norm_len == w->n && memcmp(t->norm, w->s, w->n) == 0;
}

static int is_any(const ent_token *t, const word *words, size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (is_word(t, &words[k]))
			return 1;
	return 0;
}

static int ends_with(const ent_token *t, const char *suffix)
{
	size_t n = strlen(suffix);
	return t->norm_len >= n && memcmp(t->norm + t->norm_len - n, suffix, n) == 0;
}

/* A token that opens a negation scope on the tokens after it. */
static int opens_negation(const ent_token *tokens, size_t count, size_t i)
{
	static const word single[] = {WORD("not"), WORD("no"), WORD("never"), WORD("without"),
				      WORD("nor"), WORD("neither"), WORD("cannot"), WORD("nobody"),
				      WORD("nothing"), WORD("none")};
	static const word before_to[] = {WORD("refused"), WORD("refuses"), WORD("refuse"),
					 WORD("refusing"), WORD("declined"), WORD("declines"),
					 WORD("decline"), WORD("declining"), WORD("failed"),
					 WORD("fails"), WORD("fail"), WORD("failing")};
	static const word to = WORD("to");
	const ent_token *t = &tokens[i];
	if (t->norm_len > 9)
		return 0; /* longer than every negator */
	if (is_any(t, single, sizeof single / sizeof *single) || ends_with(t, "n't"))
		return 1;
	return i + 1 < count && is_word(&tokens[i + 1], &to) &&
	       is_any(t, before_to, sizeof before_to / sizeof *before_to);
}

static int closes_negation(const ent_token *t)
{
	static const word closers[] = {WORD("but"), WORD("however"), WORD("although")};
	return is_any(t, closers, sizeof closers / sizeof *closers);
}

static int add_base(ent_extractor *x, int negated, const char *s, size_t n)
{
	size_t plen = negated ? sizeof NEGATION_PREFIX - 1 : 0;
	if (ent_buf_reserve(&x->bases, plen + n + 1) != 0)
		return ENT_ENOMEM;
	size_t offset = x->bases.len;
	char *at = x->bases.data + offset;
	memcpy(at, NEGATION_PREFIX, plen);
	memcpy(at + plen, s, n);
	at[plen + n] = '\0';
	x->bases.len += plen + n + 1;
	return push_span(&x->base_spans, &x->bases_count, &x->bases_cap, offset, plen + n);
}

/* The surface term of token i: actor placeholder, number placeholder or stem. */
static const char *base_form(ent_extractor *x, const ent_token *t, unsigned char mark, size_t *n)
{
	if (mark == ENT_MARK_ACTOR_START && x->opt.mask_actors) {
		*n = sizeof ACTOR_TERM - 1;
		return ACTOR_TERM;
	}
	if (t->flags & ENT_TOKEN_NUMBER) {
		*n = sizeof NUMBER_TERM - 1;
		return NUMBER_TERM;
	}
	if (x->opt.stem)
		return stem_of(x, t->norm, t->norm_len, n);
	*n = t->norm_len;
	return t->norm;
}

static int collect_bases(ent_extractor *x, const ent_token *tokens, size_t count,
			 const unsigned char *marks)
{
	int negated = 0;
	for (size_t i = 0; i < count; i++) {
		const ent_token *t = &tokens[i];
		unsigned char mark = marks ? marks[i] : ENT_MARK_NONE;
		if (closes_negation(t))
			negated = 0;
		int skip = mark == ENT_MARK_ACTOR_INSIDE && x->opt.mask_actors;
		if (!skip) {
			size_t n;
			const char *s = base_form(x, t, mark, &n);
			if (s == NULL)
				return ENT_ENOMEM;
			int rc = add_base(x, negated && x->opt.negation, s, n);
			if (rc != ENT_OK)
				return rc;
		}
		if (t->flags & ENT_TOKEN_PUNCT_AFTER)
			negated = 0;
		else if (opens_negation(tokens, count, i))
			negated = 1;
	}
	return ENT_OK;
}

static int add_ngram(ent_extractor *x, size_t first, int n)
{
	const term_span *parts = x->base_spans + first;
	size_t len = (size_t)n - 1;
	for (int k = 0; k < n; k++)
		len += parts[k].len;
	if (ent_buf_reserve(&x->terms, len + 1) != 0)
		return ENT_ENOMEM;
	size_t offset = x->terms.len;
	char *at = x->terms.data + offset;
	for (int k = 0; k < n; k++) {
		if (k > 0)
			*at++ = ' ';
		memcpy(at, x->bases.data + parts[k].offset, parts[k].len);
		at += parts[k].len;
	}
	*at = '\0';
	x->terms.len += len + 1;
	return push_span(&x->term_spans, &x->terms_count, &x->terms_cap, offset, len);
}

int ent_extractor_run(ent_extractor *x, const ent_token *tokens, size_t count,
		      const unsigned char *marks, ent_error *err)
{
	x->bases.len = x->terms.len = 0;
	x->bases_count = x->terms_count = 0;
	int rc = collect_bases(x, tokens, count, marks);
	for (int n = x->opt.ngram_min; rc == ENT_OK && n <= x->opt.ngram_max; n++)
		for (size_t i = 0; rc == ENT_OK && i + (size_t)n <= x->bases_count; i++)
			rc = add_ngram(x, i, n);
	if (rc != ENT_OK)
		return ent_error_set(err, ENT_ENOMEM, "out of memory extracting features");
	return ENT_OK;
}

size_t ent_extractor_term_count(const ent_extractor *x)
{
	return x->terms_count;
}

const char *ent_extractor_term(const ent_extractor *x, size_t i, size_t *len)
{
	if (len)
		*len = x->term_spans[i].len;
	return x->terms.data + x->term_spans[i].offset;
}

/* ---- corpus ---- */

int ent_corpus_new(ent_corpus **out, ent_error *err)
{
	ent_corpus *c = calloc(1, sizeof *c);
	if (c != NULL) {
		c->terms = ent_strmap_new(1 << 16);
		c->starts = malloc(1024 * sizeof *c->starts);
		c->starts_cap = 1024;
	}
	if (c == NULL || c->terms == NULL || c->starts == NULL) {
		ent_corpus_free(c);
		*out = NULL;
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a corpus");
	}
	c->starts[0] = 0;
	*out = c;
	return ENT_OK;
}

void ent_corpus_free(ent_corpus *c)
{
	if (c == NULL)
		return;
	ent_strmap_free(c->terms);
	free(c->ids);
	free(c->starts);
	free(c);
}

static int corpus_push_id(ent_corpus *c, uint32_t id)
{
	if (c->ids_len == c->ids_cap) {
		size_t cap = c->ids_cap ? c->ids_cap * 2 : 4096;
		uint32_t *p = realloc(c->ids, cap * sizeof *p);
		if (p == NULL)
			return ENT_ENOMEM;
		c->ids = p;
		c->ids_cap = cap;
	}
	c->ids[c->ids_len++] = id;
	return ENT_OK;
}

int ent_corpus_add(ent_corpus *c, const ent_extractor *x, ent_error *err)
{
	if (c->documents + 2 > c->starts_cap) {
		size_t *p = realloc(c->starts, c->starts_cap * 2 * sizeof *p);
		if (p == NULL)
			return ent_error_set(err, ENT_ENOMEM, "out of memory for a corpus");
		c->starts = p;
		c->starts_cap *= 2;
	}
	for (size_t i = 0; i < x->terms_count; i++) {
		size_t len;
		const char *term = ent_extractor_term(x, i, &len);
		if (ent_strmap_count(c->terms) >= ENT_FEATURES_MAX_VOCAB && !ent_strmap_find(c->terms, term, len))
			return ent_error_set(err, ENT_ELIMIT, "vocabulary exceeds the limit of %u terms",
					     ENT_FEATURES_MAX_VOCAB);
		uint32_t next = (uint32_t)ent_strmap_count(c->terms);
		uint32_t *id = ent_strmap_upsert(c->terms, term, len, next, NULL);
		if (id == NULL || corpus_push_id(c, *id) != ENT_OK)
			return ent_error_set(err, ENT_ENOMEM, "out of memory for a corpus");
	}
	c->starts[++c->documents] = c->ids_len;
	return ENT_OK;
}

size_t ent_corpus_documents(const ent_corpus *c)
{
	return c->documents;
}

/* Document frequency of every corpus term over the chosen documents. */
static uint32_t *corpus_df(const ent_corpus *c, const size_t *docs, size_t n)
{
	size_t terms = ent_strmap_count(c->terms);
	uint32_t *df = calloc(terms ? terms : 1, sizeof *df);
	uint32_t *last = malloc((terms ? terms : 1) * sizeof *last);
	if (df == NULL || last == NULL) {
		free(df);
		free(last);
		return NULL;
	}
	memset(last, 0xff, (terms ? terms : 1) * sizeof *last);
	for (size_t k = 0; k < n; k++) {
		size_t d = docs ? docs[k] : k;
		for (size_t i = c->starts[d]; i < c->starts[d + 1]; i++) {
			uint32_t id = c->ids[i];
			if (last[id] != (uint32_t)k) {
				last[id] = (uint32_t)k;
				df[id]++;
			}
		}
	}
	free(last);
	return df;
}

/* ---- frozen features ---- */

static ent_features *features_alloc(const ent_feature_options *opt, size_t count)
{
	ent_features *f = calloc(1, sizeof *f);
	if (f == NULL)
		return NULL;
	f->opt = *opt;
	f->index = ent_strmap_new(count);
	f->idf = malloc((count ? count : 1) * sizeof *f->idf);
	if (f->index == NULL || f->idf == NULL) {
		ent_features_free(f);
		return NULL;
	}
	return f;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ent_features_build(ent_features **out, const ent_corpus *c, const size_t *docs, size_t n,
		       const ent_feature_options *opt, ent_error *err)
{
	*out = NULL;
	int rc = ent_feature_options_check(opt, err);
	if (rc != ENT_OK)
		return rc;
	if (docs == NULL)
		n = c->documents;
	size_t total = ent_strmap_count(c->terms), kept = 0;
	uint32_t *df = corpus_df(c, docs, n);
	const char **terms = malloc((total ? total : 1) * sizeof *terms);
	double *idf = malloc((total ? total : 1) * sizeof *idf);
	if (df == NULL || terms == NULL || idf == NULL) {
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory building the vocabulary");
		goto done;
	}
	for (size_t i = 0; i < total; i++)
		if (df[i] >= (uint32_t)opt->min_df)
			terms[kept++] = ent_strmap_key(c->terms, i, NULL);
	qsort(terms, kept, sizeof *terms, compare_strings);
	for (size_t i = 0; i < kept; i++) {
		uint32_t id = *ent_strmap_find(c->terms, terms[i], strlen(terms[i]));
		idf[i] = log((1.0 + (double)n) / (1.0 + (double)df[id])) + 1.0;
	}
	rc = ent_features_from_terms(out, opt, terms, idf, kept, err);
done:
	free(df);
	free(terms);
	free(idf);
	return rc;
}

int ent_features_from_terms(ent_features **out, const ent_feature_options *opt,
			    const char *const *terms, const double *idf, size_t count,
			    ent_error *err)
{
	*out = NULL;
	if (count > ENT_FEATURES_MAX_VOCAB)
		return ent_error_set(err, ENT_ELIMIT, "vocabulary of %zu terms exceeds the limit of %u",
				     count, ENT_FEATURES_MAX_VOCAB);
	ent_features *f = features_alloc(opt, count);
	if (f == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a vocabulary of %zu terms", count);
	for (size_t i = 0; i < count; i++) {
		int fresh = 0;
		uint32_t *slot = ent_strmap_upsert(f->index, terms[i], strlen(terms[i]),
						   (uint32_t)(i + 1), &fresh);
		if (slot == NULL) {
			ent_features_free(f);
			return ent_error_set(err, ENT_ENOMEM, "out of memory for a vocabulary of %zu terms", count);
		}
		if (!fresh) {
			ent_features_free(f);
			return ent_error_set(err, ENT_EFORMAT, "duplicate vocabulary term '%s'", terms[i]);
		}
		f->idf[i] = idf[i];
	}
	f->dimension = count;
	*out = f;
	return ENT_OK;
}

void ent_features_free(ent_features *f)
{
	if (f == NULL)
		return;
	ent_strmap_free(f->index);
	free(f->idf);
	free(f);
}

const ent_feature_options *ent_features_options(const ent_features *f)
{
	return &f->opt;
}

size_t ent_features_dimension(const ent_features *f)
{
	return f->dimension;
}

const char *ent_features_term(const ent_features *f, size_t i)
{
	return ent_strmap_key(f->index, i, NULL);
}

double ent_features_idf(const ent_features *f, size_t i)
{
	return f->idf[i];
}

int ent_features_lookup(const ent_features *f, const char *term, size_t len)
{
	uint32_t *v = ent_strmap_find(f->index, term, len);
	return v ? (int)*v : 0;
}

static int compare_nodes(const void *a, const void *b)
{
	int ia = ((const struct svm_node *)a)->index, ib = ((const struct svm_node *)b)->index;
	return (ia > ib) - (ia < ib);
}

static void sort_nodes(struct svm_node *nodes, size_t n)
{
	/* Sentences have a few dozen terms: insertion sort beats qsort there. */
	if (n > 64) {
		qsort(nodes, n, sizeof *nodes, compare_nodes);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct svm_node x = nodes[i];
		size_t j = i;
		while (j > 0 && nodes[j - 1].index > x.index) {
			nodes[j] = nodes[j - 1];
			j--;
		}
		nodes[j] = x;
	}
}

/* Sorts by index and folds repeated indices into one term frequency. */
static size_t merge_counts(struct svm_node *nodes, size_t n)
{
	sort_nodes(nodes, n);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && nodes[out - 1].index == nodes[i].index)
			nodes[out - 1].value += 1.0;
		else
			nodes[out++] = nodes[i];
	}
	return out;
}

static void weight_and_normalize(const ent_features *f, ent_vector *v)
{
	double norm = 0.0;
	for (size_t i = 0; i < v->len; i++) {
		double tf = v->nodes[i].value;
		if (f->opt.sublinear_tf)
			tf = 1.0 + log(tf);
		double w = tf * f->idf[v->nodes[i].index - 1];
		v->nodes[i].value = w;
		norm += w * w;
	}
	if (norm > 0.0) {
		norm = sqrt(norm);
		for (size_t i = 0; i < v->len; i++)
			v->nodes[i].value /= norm;
	}
}

/* Counts, weights and normalizes count terms given by term_at(ctx, i). */
static int vectorize_terms(const ent_features *f, size_t count,
			   const char *(*term_at)(const void *ctx, size_t i, size_t *len),
			   const void *ctx, ent_vector *out, ent_error *err)
{
	int rc = vector_reserve(out, count, err);
	if (rc != ENT_OK)
		return rc;
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *term = term_at(ctx, i, &len);
		int index = ent_features_lookup(f, term, len);
		if (index == 0)
			continue;
		out->nodes[n].index = index;
		out->nodes[n].value = 1.0;
		n++;
	}
	out->len = merge_counts(out->nodes, n);
	weight_and_normalize(f, out);
	out->nodes[out->len].index = -1;
	out->nodes[out->len].value = 0.0;
	return ENT_OK;
}

static const char *extractor_term_at(const void *ctx, size_t i, size_t *len)
{
	return ent_extractor_term(ctx, i, len);
}

int ent_features_vectorize(const ent_features *f, const ent_extractor *x, ent_vector *out,
			   ent_error *err)
{
	return vectorize_terms(f, x->terms_count, extractor_term_at, x, out, err);
}

typedef struct document_ref {
	const ent_corpus *c;
	size_t first;
} document_ref;

static const char *document_term_at(const void *ctx, size_t i, size_t *len)
{
	const document_ref *ref = ctx;
	return ent_strmap_key(ref->c->terms, ref->c->ids[ref->first + i], len);
}

int ent_features_vectorize_document(const ent_features *f, const ent_corpus *c, size_t doc,
				    ent_vector *out, ent_error *err)
{
	if (doc >= c->documents)
		return ent_error_set(err, ENT_EPARAM, "no document %zu in a corpus of %zu", doc, c->documents);
	document_ref ref = {c, c->starts[doc]};
	return vectorize_terms(f, c->starts[doc + 1] - c->starts[doc], document_term_at, &ref, out, err);
}
