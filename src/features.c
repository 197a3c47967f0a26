#include "entente/features.h"

#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "features_internal.h"
#include "strmap.h"

#define ACTOR_TERM "<actor>"
#define NUMBER_TERM "<num>"
#define NEGATION_PREFIX "neg:"
#define NEGATION_PREFIX_LEN (sizeof NEGATION_PREFIX - 1)
/* The word cache is dropped when it would grow past this, bounding memory. */
#define WORD_CACHE_MAX 200000u
/* No vocabulary node: an unknown part or n-gram prefix. */
#define NO_NODE UINT32_MAX

typedef struct term_span {
	size_t offset, len;
} term_span;

/* Negation cues of a normalized word. */
enum {
	CUE_OPENS = 1,     /* opens a scope on the words after it ("not", "didn't") */
	CUE_BEFORE_TO = 2, /* opens one when "to" follows ("refused to") */
	CUE_TO = 4,
	CUE_CLOSES = 8     /* ends a scope ("but") */
};

/* What one distinct normalized word means to the extractor. Cached so each
 * word is stemmed, classified and looked up in the bound vocabulary once. */
typedef struct word_info {
	uint32_t base, base_len; /* its stem (or itself without stemming) in words */
	uint32_t node[2];        /* vocabulary nodes of the base and of "neg:" base */
	unsigned char cue;       /* CUE_* bits */
	unsigned char spaced;    /* the base holds a space (NFKC can make one) */
} word_info;

/* One base term of the sentence: a word's base or a placeholder, maybe
 * negated. Its text is words[offset..offset+len), prefixed by "neg:" when
 * negated. */
typedef struct base_term {
	uint32_t offset, len;
	uint32_t node; /* in the bound vocabulary */
	unsigned char negated, spaced;
} base_term;

struct ent_extractor {
	ent_feature_options opt;
	struct sb_stemmer *stemmer;
	const ent_features *vocab; /* bound vocabulary, or NULL */
	ent_strmap *word_cache;    /* normalized word -> index into infos */
	word_info *infos;
	size_t infos_count, infos_cap;
	ent_buf words;             /* placeholders, then cached bases, NUL separated */
	uint32_t placeholder_node[2][2]; /* [actor, number][plain, negated] */
	base_term *bases;
	size_t bases_count, bases_cap;
	int spaced;                /* some base of the last run holds a space */
	ent_buf terms;             /* all terms, NUL separated (unbound runs only) */
	term_span *term_spans;
	size_t terms_count, terms_cap;
};

/* The placeholders open the word store, so every base is an offset into it. */
#define ACTOR_OFFSET 0u
#define NUMBER_OFFSET ((uint32_t)sizeof ACTOR_TERM)
#define PLACEHOLDERS_LEN (sizeof ACTOR_TERM + sizeof NUMBER_TERM)

struct ent_corpus {
	ent_strmap *terms;   /* term -> id (insertion order) */
	uint32_t *ids;       /* the documents' term ids, concatenated */
	size_t ids_len, ids_cap;
	size_t *starts;      /* documents + 1 offsets into ids */
	size_t documents, starts_cap;
};

/* A vocabulary term is a path of parts, the pieces between its spaces:
 * "neg:condemn <actor>" is neg:condemn then <actor>. Each distinct part is
 * a node, and so is each path of two or more parts that begins a term, so a
 * sentence's n-grams are found by walking from its bases' nodes, with no
 * string built or hashed. n bases joined by spaces spell a term exactly
 * when their nodes follow its path, provided no base holds a space itself:
 * sentences with such a base take the spelled-out path instead. */
typedef struct pair_slot {
	uint64_t key;  /* (parent + 1) << 32 | part node; 0 = empty */
	uint32_t node;
} pair_slot;

typedef struct path_node {
	uint32_t term;    /* 1-based index of the term the path spells, or 0 */
	uint32_t extends; /* some longer path continues this one */
} path_node;

struct ent_features {
	ent_feature_options opt;
	ent_strmap *index; /* term -> 1-based index */
	double *idf;
	size_t dimension;
	ent_strmap *parts;     /* part s -> entry */
	uint32_t *part_nodes;  /* per entry: the nodes of s and of "neg:" s */
	size_t part_entries, part_nodes_cap;
	path_node *nodes;
	size_t nodes_count, nodes_cap;
	pair_slot *pairs;      /* (node, part node) -> node of the longer path */
	size_t pair_mask;
	unsigned pair_shift;
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
	if (ent_array_reserve((void **)&v->nodes, &v->cap, n + 1, sizeof *v->nodes) != 0)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a feature vector of %zu terms", n);
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

/* Empties the word cache; the store keeps only the placeholders. */
static void words_reset(ent_extractor *x)
{
	ent_strmap_clear(x->word_cache);
	x->infos_count = 0;
	x->words.len = PLACEHOLDERS_LEN;
}

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
	memset(x->placeholder_node, 0xff, sizeof x->placeholder_node); /* NO_NODE */
	x->word_cache = ent_strmap_new(4096);
	if (opt->stem)
		x->stemmer = sb_stemmer_new("english", "UTF_8");
	if (x->word_cache == NULL || (opt->stem && x->stemmer == NULL) ||
	    ent_buf_append(&x->words, ACTOR_TERM, sizeof ACTOR_TERM) != 0 ||
	    ent_buf_append(&x->words, NUMBER_TERM, sizeof NUMBER_TERM) != 0) {
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
	ent_strmap_free(x->word_cache);
	free(x->infos);
	ent_buf_release(&x->words);
	free(x->bases);
	ent_buf_release(&x->terms);
	free(x->term_spans);
	free(x);
}

static void part_nodes_of(const ent_features *f, const char *s, size_t len, uint32_t node[2]);

void ent_extractor_bind(ent_extractor *x, const ent_features *f)
{
	x->vocab = f;
	words_reset(x); /* its entries hold nodes of no vocabulary or another one */
	part_nodes_of(f, ACTOR_TERM, sizeof ACTOR_TERM - 1, x->placeholder_node[0]);
	part_nodes_of(f, NUMBER_TERM, sizeof NUMBER_TERM - 1, x->placeholder_node[1]);
}

typedef struct word {
	const char *s;
	size_t n;
} word;

#define WORD(w) {w, sizeof w - 1}

static int is_any(const char *s, size_t n, const word *words, size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (n == words[k].n && memcmp(s, words[k].s, n) == 0)
			return 1;
	return 0;
}

/* Whether c starts some cue word: most words are ruled out by this alone. */
static int starts_cue(char c)
{
	switch (c) {
	case 'a': case 'b': case 'c': case 'd': case 'f': case 'h': case 'n': case 'r': case 't': case 'w':
		return 1;
	default:
		return 0;
	}
}

/* The negation cues of a normalized word (CUE_* bits). */
static unsigned cue_of(const char *s, size_t n)
{
	static const word single[] = {WORD("not"), WORD("no"), WORD("never"), WORD("without"),
				      WORD("nor"), WORD("neither"), WORD("cannot"), WORD("nobody"),
				      WORD("nothing"), WORD("none")};
	static const word before_to[] = {WORD("refused"), WORD("refuses"), WORD("refuse"),
					 WORD("refusing"), WORD("declined"), WORD("declines"),
					 WORD("decline"), WORD("declining"), WORD("failed"),
					 WORD("fails"), WORD("fail"), WORD("failing")};
	static const word closers[] = {WORD("but"), WORD("however"), WORD("although")};
	/* Longer words open no scope, "n't" forms included. */
	int short_word = n <= 9;
	unsigned cue = short_word && n >= 3 && memcmp(s + n - 3, "n't", 3) == 0 ? CUE_OPENS : 0;
	if (n == 0 || !starts_cue(s[0]))
		return cue;
	if (is_any(s, n, closers, sizeof closers / sizeof *closers))
		cue |= CUE_CLOSES;
	if (n == 2 && memcmp(s, "to", 2) == 0)
		cue |= CUE_TO;
	if (short_word && is_any(s, n, single, sizeof single / sizeof *single))
		cue |= CUE_OPENS;
	if (short_word && is_any(s, n, before_to, sizeof before_to / sizeof *before_to))
		cue |= CUE_BEFORE_TO;
	return cue;
}

/* Appends the base of a word (its stem, or itself) to the store. */
static int store_base(ent_extractor *x, const char *norm, size_t len, word_info *w)
{
	const char *s = norm;
	size_t n = len;
	if (x->opt.stem) {
		s = (const char *)sb_stemmer_stem(x->stemmer, (const sb_symbol *)norm, (int)len);
		if (s == NULL)
			return ENT_ENOMEM;
		n = (size_t)sb_stemmer_length(x->stemmer);
	}
	if (n >= UINT32_MAX || x->words.len >= UINT32_MAX - n || ent_buf_append(&x->words, s, n) != 0 ||
	    ent_buf_append(&x->words, "", 1) != 0)
		return ENT_ENOMEM;
	w->base = (uint32_t)(x->words.len - n - 1);
	w->base_len = (uint32_t)n;
	w->spaced = memchr(s, ' ', n) != NULL;
	return ENT_OK;
}

/* The cached description of a normalized word, made on first sight; NULL
 * when out of memory. Valid until the next call. */
static const word_info *word_of(ent_extractor *x, const char *norm, size_t len)
{
	uint32_t *cached = ent_strmap_find(x->word_cache, norm, len);
	if (cached != NULL)
		return &x->infos[*cached];
	if (len > UINT32_MAX ||
	    ent_array_reserve((void **)&x->infos, &x->infos_cap, x->infos_count + 1, sizeof *x->infos) != 0)
		return NULL;
	word_info *w = &x->infos[x->infos_count];
	if (store_base(x, norm, len, w) != ENT_OK)
		return NULL;
	w->cue = (unsigned char)cue_of(norm, len);
	w->node[0] = w->node[1] = NO_NODE;
	if (x->vocab != NULL)
		part_nodes_of(x->vocab, x->words.data + w->base, w->base_len, w->node);
	if (ent_strmap_upsert(x->word_cache, norm, len, (uint32_t)x->infos_count, NULL) == NULL)
		return NULL;
	return &x->infos[x->infos_count++];
}

/* Appends the base term of token t: actor placeholder, number placeholder
 * or the word's base. */
static void push_base(ent_extractor *x, const ent_token *t, unsigned char mark, const word_info *w,
		      int negated)
{
	base_term *b = &x->bases[x->bases_count++];
	if (mark == ENT_MARK_ACTOR_START && x->opt.mask_actors) {
		*b = (base_term){ACTOR_OFFSET, sizeof ACTOR_TERM - 1, x->placeholder_node[0][negated],
				 (unsigned char)negated, 0};
	} else if (t->flags & ENT_TOKEN_NUMBER) {
		*b = (base_term){NUMBER_OFFSET, sizeof NUMBER_TERM - 1, x->placeholder_node[1][negated],
				 (unsigned char)negated, 0};
	} else {
		*b = (base_term){w->base, w->base_len, w->node[negated], (unsigned char)negated, w->spaced};
		x->spaced |= w->spaced;
	}
}

/* Whether token t's base is its word's (not a placeholder, not masked). */
static int needs_word(const ent_extractor *x, const ent_token *t, unsigned char mark)
{
	if (x->opt.mask_actors && (mark == ENT_MARK_ACTOR_START || mark == ENT_MARK_ACTOR_INSIDE))
		return 0;
	return !(t->flags & ENT_TOKEN_NUMBER);
}

/* Bases of the sentence with negation scope: after a cue up to the next
 * punctuation or closer. Numbers and masked actor words stay out of the
 * word cache (each amount would take a place of its own, and no stem of
 * theirs is used): their cues are worked out on the spot. */
static int collect_bases(ent_extractor *x, const ent_token *tokens, size_t count,
			 const unsigned char *marks)
{
	int negated = 0, before_to = 0;
	for (size_t i = 0; i < count; i++) {
		const ent_token *t = &tokens[i];
		unsigned char mark = marks ? marks[i] : ENT_MARK_NONE;
		const word_info *w = NULL;
		unsigned cue;
		if (!needs_word(x, t, mark)) {
			cue = cue_of(t->norm, t->norm_len);
		} else {
			if ((w = word_of(x, t->norm, t->norm_len)) == NULL)
				return ENT_ENOMEM;
			cue = w->cue;
		}
		if (before_to && (cue & CUE_TO))
			negated = 1;
		if (cue & CUE_CLOSES)
			negated = 0;
		if (!(mark == ENT_MARK_ACTOR_INSIDE && x->opt.mask_actors))
			push_base(x, t, mark, w, negated && x->opt.negation);
		before_to = 0;
		if (t->flags & ENT_TOKEN_PUNCT_AFTER)
			negated = 0;
		else if (cue & CUE_OPENS)
			negated = 1;
		else if (cue & CUE_BEFORE_TO)
			before_to = 1;
	}
	return ENT_OK;
}

/* Length of the n-gram of bases [first, first + n) spelled out. */
static size_t ngram_length(const ent_extractor *x, size_t first, size_t n)
{
	size_t len = n - 1;
	for (size_t k = first; k < first + n; k++)
		len += x->bases[k].len + (x->bases[k].negated ? NEGATION_PREFIX_LEN : 0);
	return len;
}

/* Spells out the n-gram of bases [first, first + n) at dst (no NUL). */
static void ngram_write(const ent_extractor *x, size_t first, size_t n, char *dst)
{
	for (size_t k = first; k < first + n; k++) {
		const base_term *b = &x->bases[k];
		if (k > first)
			*dst++ = ' ';
		if (b->negated) {
			memcpy(dst, NEGATION_PREFIX, NEGATION_PREFIX_LEN);
			dst += NEGATION_PREFIX_LEN;
		}
		memcpy(dst, x->words.data + b->offset, b->len);
		dst += b->len;
	}
}

static int add_ngram(ent_extractor *x, size_t first, size_t n)
{
	size_t len = ngram_length(x, first, n);
	if (ent_buf_reserve(&x->terms, len + 1) != 0 ||
	    ent_array_reserve((void **)&x->term_spans, &x->terms_cap, x->terms_count + 1, sizeof *x->term_spans) != 0)
		return ENT_ENOMEM;
	size_t offset = x->terms.len;
	ngram_write(x, first, n, x->terms.data + offset);
	x->terms.data[offset + len] = '\0';
	x->terms.len += len + 1;
	x->term_spans[x->terms_count++] = (term_span){offset, len};
	return ENT_OK;
}

/* The terms as strings: every n-gram of the bases, shortest first. */
static int spell_terms(ent_extractor *x)
{
	int rc = ENT_OK;
	for (size_t n = (size_t)x->opt.ngram_min; rc == ENT_OK && n <= (size_t)x->opt.ngram_max; n++)
		for (size_t i = 0; rc == ENT_OK && i + n <= x->bases_count; i++)
			rc = add_ngram(x, i, n);
	return rc;
}

int ent_extractor_run(ent_extractor *x, const ent_token *tokens, size_t count,
		      const unsigned char *marks, ent_error *err)
{
	x->terms.len = 0;
	x->bases_count = x->terms_count = 0;
	x->spaced = 0;
	/* Dropped between runs only: the bases of a run point into the store. */
	if (ent_strmap_count(x->word_cache) + count > WORD_CACHE_MAX)
		words_reset(x);
	int rc = ENT_OK;
	if (ent_array_reserve((void **)&x->bases, &x->bases_cap, count ? count : 1, sizeof *x->bases) != 0)
		rc = ENT_ENOMEM;
	if (rc == ENT_OK)
		rc = collect_bases(x, tokens, count, marks);
	if (rc == ENT_OK && x->vocab == NULL)
		rc = spell_terms(x);
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
	if (c->ids_len == c->ids_cap &&
	    ent_array_reserve((void **)&c->ids, &c->ids_cap, c->ids_len + 1, sizeof *c->ids) != 0)
		return ENT_ENOMEM;
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
	f->parts = ent_strmap_new(count);
	f->idf = malloc((count ? count : 1) * sizeof *f->idf);
	if (f->index == NULL || f->parts == NULL || f->idf == NULL) {
		ent_features_free(f);
		return NULL;
	}
	return f;
}

/* The nodes of a part and of its "neg:" form, NO_NODE when absent. */
static void part_nodes_of(const ent_features *f, const char *s, size_t len, uint32_t node[2])
{
	uint32_t *e = ent_strmap_find(f->parts, s, len);
	node[0] = e ? f->part_nodes[2 * *e] : NO_NODE;
	node[1] = e ? f->part_nodes[2 * *e + 1] : NO_NODE;
}

static uint32_t new_node(ent_features *f)
{
	if (f->nodes_count >= NO_NODE - 1 ||
	    ent_array_reserve((void **)&f->nodes, &f->nodes_cap, f->nodes_count + 1, sizeof *f->nodes) != 0)
		return NO_NODE;
	f->nodes[f->nodes_count] = (path_node){0, 0};
	return (uint32_t)f->nodes_count++;
}

/* The entry of string s in parts, made when new; UINT32_MAX when out of
 * memory. */
static uint32_t part_entry(ent_features *f, const char *s, size_t len)
{
	size_t next = f->part_entries;
	int fresh = 0;
	uint32_t *e = ent_strmap_upsert(f->parts, s, len, (uint32_t)next, &fresh);
	if (e == NULL)
		return UINT32_MAX;
	if (fresh) {
		if (ent_array_reserve((void **)&f->part_nodes, &f->part_nodes_cap, 2 * (next + 1),
			       sizeof *f->part_nodes) != 0)
			return UINT32_MAX;
		f->part_nodes[2 * next] = f->part_nodes[2 * next + 1] = NO_NODE;
		f->part_entries++;
	}
	return *e;
}

/* The node of a part, made when new. A part "neg:x" is also recorded as
 * the negated form of x, which is how a negated base looks it up. */
static uint32_t part_node(ent_features *f, const char *s, size_t len)
{
	uint32_t e = part_entry(f, s, len);
	if (e == UINT32_MAX)
		return NO_NODE;
	if (f->part_nodes[2 * e] != NO_NODE)
		return f->part_nodes[2 * e];
	uint32_t node = new_node(f);
	if (node == NO_NODE)
		return NO_NODE;
	f->part_nodes[2 * e] = node;
	if (len >= NEGATION_PREFIX_LEN && memcmp(s, NEGATION_PREFIX, NEGATION_PREFIX_LEN) == 0) {
		uint32_t plain = part_entry(f, s + NEGATION_PREFIX_LEN, len - NEGATION_PREFIX_LEN);
		if (plain == UINT32_MAX)
			return NO_NODE;
		f->part_nodes[2 * plain + 1] = node;
	}
	return node;
}

static size_t pair_slot_of(const ent_features *f, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> f->pair_shift);
}

/* The node continuing path parent with part, NO_NODE when no term does. */
static uint32_t child_of(const ent_features *f, uint32_t parent, uint32_t part)
{
	uint64_t key = ((uint64_t)parent + 1) << 32 | part;
	for (size_t i = pair_slot_of(f, key);; i = (i + 1) & f->pair_mask) {
		if (f->pairs[i].key == key)
			return f->pairs[i].node;
		if (f->pairs[i].key == 0)
			return NO_NODE;
	}
}

/* Like child_of, making the node when new (the table is sized up front). */
static uint32_t child_make(ent_features *f, uint32_t parent, uint32_t part)
{
	uint64_t key = ((uint64_t)parent + 1) << 32 | part;
	size_t i = pair_slot_of(f, key);
	while (f->pairs[i].key != 0 && f->pairs[i].key != key)
		i = (i + 1) & f->pair_mask;
	if (f->pairs[i].key == key)
		return f->pairs[i].node;
	uint32_t node = new_node(f);
	if (node == NO_NODE)
		return NO_NODE;
	f->pairs[i] = (pair_slot){key, node};
	f->nodes[parent].extends = 1;
	return node;
}

/* Pieces of a term between its spaces, or 0 when more than the longest
 * n-gram has (no sentence without spaced bases can spell it). */
static size_t split_term(const char *term, size_t len, const char *piece[], size_t piece_len[])
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && term[i] != ' ')
			continue;
		if (n == ENT_FEATURES_MAX_NGRAM)
			return 0;
		piece[n] = term + start;
		piece_len[n++] = i - start;
		start = i + 1;
	}
	return n;
}

/* Sizes the pair table for the n-grams among count terms (load <= 1/2). */
static int pairs_alloc(ent_features *f, const char *const *terms, size_t count)
{
	size_t links = 0;
	for (size_t i = 0; i < count; i++) {
		const char *piece[ENT_FEATURES_MAX_NGRAM];
		size_t piece_len[ENT_FEATURES_MAX_NGRAM];
		size_t n = split_term(terms[i], strlen(terms[i]), piece, piece_len);
		links += n > 1 ? n - 1 : 0;
	}
	size_t slots = 16;
	unsigned bits = 4;
	while (slots < 2 * links + 1) {
		slots <<= 1;
		bits++;
	}
	f->pairs = calloc(slots, sizeof *f->pairs);
	f->pair_mask = slots - 1;
	f->pair_shift = 64 - bits;
	return f->pairs ? ENT_OK : ENT_ENOMEM;
}

/* Lays the path of term (index 1-based) into the nodes. */
static int add_path(ent_features *f, const char *term, uint32_t index)
{
	const char *piece[ENT_FEATURES_MAX_NGRAM];
	size_t piece_len[ENT_FEATURES_MAX_NGRAM];
	size_t n = split_term(term, strlen(term), piece, piece_len);
	if (n == 0)
		return ENT_OK;
	uint32_t node = part_node(f, piece[0], piece_len[0]);
	for (size_t k = 1; node != NO_NODE && k < n; k++) {
		uint32_t part = part_node(f, piece[k], piece_len[k]);
		node = part == NO_NODE ? NO_NODE : child_make(f, node, part);
	}
	if (node == NO_NODE)
		return ENT_ENOMEM;
	f->nodes[node].term = index;
	return ENT_OK;
}

static int build_paths(ent_features *f, const char *const *terms, size_t count)
{
	int rc = pairs_alloc(f, terms, count);
	for (size_t i = 0; rc == ENT_OK && i < count; i++)
		rc = add_path(f, terms[i], (uint32_t)(i + 1));
	return rc;
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
	if (build_paths(f, terms, count) != ENT_OK) {
		ent_features_free(f);
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a vocabulary of %zu terms", count);
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
	ent_strmap_free(f->parts);
	free(f->part_nodes);
	free(f->nodes);
	free(f->pairs);
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

static void insertion_sort(struct svm_node *nodes, size_t n)
{
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

#define SORT_BUCKETS 32

/* Sorts n term indices (1..dimension) using tmp[0..n) as scratch. A
 * sentence has a few dozen terms in random order, where insertion sort
 * alone spends most of its time shifting: dealing them into buckets by
 * their leading bits first leaves it only the disorder within a bucket. */
static void sort_nodes(struct svm_node *nodes, size_t n, struct svm_node *tmp, size_t dimension)
{
	if (n > 4 * SORT_BUCKETS) {
		qsort(nodes, n, sizeof *nodes, compare_nodes);
		return;
	}
	if (n > 16) {
		unsigned shift = 0;
		while ((dimension >> shift) >= SORT_BUCKETS)
			shift++;
		uint32_t start[SORT_BUCKETS + 1] = {0};
		for (size_t i = 0; i < n; i++)
			start[(((size_t)nodes[i].index - 1) >> shift) + 1]++;
		for (size_t b = 1; b <= SORT_BUCKETS; b++)
			start[b] += start[b - 1];
		for (size_t i = 0; i < n; i++)
			tmp[start[((size_t)nodes[i].index - 1) >> shift]++] = nodes[i];
		memcpy(nodes, tmp, n * sizeof *nodes);
	}
	insertion_sort(nodes, n);
}

/* Sorts by index and folds repeated indices into one term frequency. */
static size_t merge_counts(const ent_features *f, struct svm_node *nodes, size_t n, struct svm_node *tmp)
{
	sort_nodes(nodes, n, tmp, f->dimension);
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
		/* 1 + ln 1 is exactly 1: most terms occur once, so skip the log. */
		if (f->opt.sublinear_tf && tf != 1.0)
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

/* Counts, weights, normalizes and terminates the n found term indices
 * (out has room for 2 n: the second half is sorting scratch). */
static void vector_finish(const ent_features *f, ent_vector *out, size_t n)
{
	out->len = merge_counts(f, out->nodes, n, out->nodes + n);
	weight_and_normalize(f, out);
	out->nodes[out->len].index = -1;
	out->nodes[out->len].value = 0.0;
}

/* Counts, weights and normalizes count terms given by term_at(ctx, i). */
static int vectorize_terms(const ent_features *f, size_t count,
			   const char *(*term_at)(const void *ctx, size_t i, size_t *len),
			   const void *ctx, ent_vector *out, ent_error *err)
{
	int rc = vector_reserve(out, 2 * count, err);
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
	vector_finish(f, out, n);
	return ENT_OK;
}

/* The vocabulary node of base i of the extractor's last run. */
static uint32_t base_node(const ent_features *f, const ent_extractor *x, size_t i)
{
	const base_term *b = &x->bases[i];
	if (x->vocab == f)
		return b->node;
	uint32_t node[2];
	part_nodes_of(f, x->words.data + b->offset, b->len, node);
	return node[b->negated];
}

/* Finds the run's n-grams by walking the vocabulary paths: path[k] is the
 * node of the (k + 1)-gram ending at the current base. */
static size_t find_by_paths(const ent_features *f, const ent_extractor *x, struct svm_node *found)
{
	size_t lo = (size_t)x->opt.ngram_min, hi = (size_t)x->opt.ngram_max, n = 0;
	uint32_t path[ENT_FEATURES_MAX_NGRAM];
	for (size_t k = 0; k < hi; k++)
		path[k] = NO_NODE;
	for (size_t i = 0; i < x->bases_count; i++) {
		uint32_t part = base_node(f, x, i);
		for (size_t k = hi - 1; k > 0; k--) {
			uint32_t prefix = path[k - 1];
			int go = part != NO_NODE && prefix != NO_NODE && f->nodes[prefix].extends;
			path[k] = go ? child_of(f, prefix, part) : NO_NODE;
		}
		path[0] = part;
		for (size_t k = lo - 1; k < hi; k++)
			if (path[k] != NO_NODE && f->nodes[path[k]].term != 0)
				found[n++] = (struct svm_node){(int)f->nodes[path[k]].term, 1.0};
	}
	return n;
}

/* Finds the run's n-grams by spelling each one out: for runs with a base
 * that holds a space, which the paths cannot tell apart from two bases. */
static int find_by_spelling(const ent_features *f, const ent_extractor *x, struct svm_node *found,
			    size_t *count)
{
	size_t longest = 0, n = 0;
	for (size_t i = 0; i < x->bases_count; i++)
		longest += x->bases[i].len + NEGATION_PREFIX_LEN + 1;
	char *term = malloc(longest ? longest : 1);
	if (term == NULL)
		return ENT_ENOMEM;
	for (size_t len = (size_t)x->opt.ngram_min; len <= (size_t)x->opt.ngram_max; len++)
		for (size_t i = 0; i + len <= x->bases_count; i++) {
			ngram_write(x, i, len, term);
			int index = ent_features_lookup(f, term, ngram_length(x, i, len));
			if (index != 0)
				found[n++] = (struct svm_node){index, 1.0};
		}
	free(term);
	*count = n;
	return ENT_OK;
}

int ent_features_vectorize(const ent_features *f, const ent_extractor *x, ent_vector *out,
			   ent_error *err)
{
	size_t lengths = (size_t)(x->opt.ngram_max - x->opt.ngram_min + 1);
	int rc = vector_reserve(out, 2 * x->bases_count * lengths, err);
	if (rc != ENT_OK)
		return rc;
	size_t n;
	if (!x->spaced)
		n = find_by_paths(f, x, out->nodes);
	else if (find_by_spelling(f, x, out->nodes, &n) != ENT_OK)
		return ent_error_set(err, ENT_ENOMEM, "out of memory vectorizing a sentence");
	vector_finish(f, out, n);
	return ENT_OK;
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
