#include "entente/actors.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entente/features.h"
#include "entente/io.h"
#include "strmap.h"
#include "utf8.h"

#define MAX_DICTIONARY_BYTES ((size_t)64 * 1024 * 1024)
#define NO_PATTERN UINT32_MAX
/* Bits of the first-token filter (a power of two). */
#define FILTER_BITS ((size_t)1 << 16)

typedef struct pattern {
	uint32_t code;          /* index into codes */
	uint32_t role;          /* index into codes of the role, or NO_PATTERN */
	long from, to;          /* YYYYMMDD, 0 = open */
	int exact;              /* compare the surface, not only the normalized form */
	uint32_t first_norm;    /* offset into norms: token norms, NUL separated */
	uint32_t first_surface; /* offset into surfaces */
	uint32_t tokens;
	uint32_t next;          /* next pattern with the same first token */
	uint32_t entry;         /* dictionary entry (a plural variant shares it) */
	uint32_t first_len;     /* index into lens of the first token's lengths */
} pattern;

struct ent_actors {
	ent_strmap *codes;  /* code -> index of its display name in names */
	ent_buf names;      /* display names, NUL separated */
	uint32_t *name_offsets; /* per code index */
	ent_strmap *keys;   /* pattern key (text + dates) -> pattern index */
	ent_strmap *first;  /* first token norm -> head pattern index */
	pattern *patterns;
	size_t count, cap;
	ent_buf norms, surfaces;
	uint32_t *lens;     /* per pattern token: norm length, surface length */
	size_t lens_count, lens_cap;
	/* A Bloom filter over the keys of first: most words of a sentence start
	 * no pattern, and two bit tests are far cheaper than hashing them. */
	uint64_t filter[FILTER_BITS / 64];
	ent_buf source;     /* every text loaded, for embedding in a model */
	ent_text *tokenizer;
};

struct ent_actor_matches {
	ent_actor_match *items;
	size_t count, cap;
	unsigned char *marks;
	size_t marks_cap;
};

int ent_date_parse(const char *s, size_t len, long *out)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return ENT_EPARAM;
	long v[3] = {0, 0, 0};
	const int starts[] = {0, 5, 8}, widths[] = {4, 2, 2};
	for (int part = 0; part < 3; part++)
		for (int k = 0; k < widths[part]; k++) {
			char c = s[starts[part] + k];
			if (c < '0' || c > '9')
				return ENT_EPARAM;
			v[part] = v[part] * 10 + (c - '0');
		}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days[v[1] - 1])
		return ENT_EPARAM;
	int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	if (v[1] == 2 && v[2] == 29 && !leap)
		return ENT_EPARAM;
	*out = v[0] * 10000 + v[1] * 100 + v[2];
	return ENT_OK;
}

int ent_actors_new(ent_actors **out, ent_error *err)
{
	ent_actors *a = calloc(1, sizeof *a);
	if (a != NULL) {
		a->codes = ent_strmap_new(512);
		a->keys = ent_strmap_new(4096);
		a->first = ent_strmap_new(4096);
	}
	if (a == NULL || !a->codes || !a->keys || !a->first || ent_text_new(&a->tokenizer, err) != ENT_OK) {
		ent_actors_free(a);
		*out = NULL;
		return ent_error_set(err, ENT_ENOMEM, "out of memory for an actor dictionary");
	}
	*out = a;
	return ENT_OK;
}

void ent_actors_free(ent_actors *a)
{
	if (a == NULL)
		return;
	ent_strmap_free(a->codes);
	ent_strmap_free(a->keys);
	ent_strmap_free(a->first);
	ent_buf_release(&a->names);
	ent_buf_release(&a->norms);
	ent_buf_release(&a->surfaces);
	ent_buf_release(&a->source);
	free(a->patterns);
	free(a->lens);
	free(a->name_offsets);
	ent_text_free(a->tokenizer);
	free(a);
}

const char *ent_actors_source(const ent_actors *a, size_t *len)
{
	*len = a->source.len;
	return a->source.data ? a->source.data : "";
}

size_t ent_actors_code_count(const ent_actors *a)
{
	return ent_strmap_count(a->codes);
}

size_t ent_actors_pattern_count(const ent_actors *a)
{
	return ent_strmap_count(a->keys);
}

const char *ent_actors_name(const ent_actors *a, const char *code)
{
	uint32_t *at = ent_strmap_find(a->codes, code, strlen(code));
	return at ? a->names.data + a->name_offsets[*at] : code;
}

/* ---- loading ---- */

typedef struct entry {
	const char *code, *text;
	size_t code_len, text_len;
	const char *role;
	size_t role_len;
	long from, to;
	int exact;
} entry;

static int valid_code(const char *s, size_t n)
{
	if (n < 2 || n > 12 || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '+'))
			return 0;
	return 1;
}

static int parse_option(entry *e, const char *s, size_t n)
{
	if (n == 10 && memcmp(s, "case=exact", 10) == 0) {
		e->exact = 1;
		return 1;
	}
	if (n > 5 && memcmp(s, "role=", 5) == 0 && valid_code(s + 5, n - 5)) {
		e->role = s + 5;
		e->role_len = n - 5;
		return 1;
	}
	if (n > 5 && memcmp(s, "from=", 5) == 0)
		return ent_date_parse(s + 5, n - 5, &e->from) == ENT_OK;
	if (n > 3 && memcmp(s, "to=", 3) == 0)
		return ent_date_parse(s + 3, n - 3, &e->to) == ENT_OK;
	return 0;
}

/* Splits one line into an entry; returns a message on failure, else NULL. */
static const char *parse_entry(const char *line, size_t len, entry *e)
{
	memset(e, 0, sizeof *e);
	const char *end = line + len, *field = line;
	int index = 0;
	while (field <= end) {
		const char *tab = memchr(field, '\t', (size_t)(end - field));
		const char *stop = tab ? tab : end;
		size_t n = (size_t)(stop - field);
		if (index == 0) {
			e->code = field;
			e->code_len = n;
		} else if (index == 1) {
			e->text = field;
			e->text_len = n;
		} else if (n > 0 && !parse_option(e, field, n)) {
			return "unknown option (expected case=exact, role=CODE, from=YYYY-MM-DD or to=YYYY-MM-DD)";
		}
		index++;
		field = stop + 1;
		if (tab == NULL)
			break;
	}
	if (index < 2 || e->text_len == 0)
		return "expected CODE<TAB>PATTERN";
	if (!valid_code(e->code, e->code_len))
		return "invalid code (expected 2-12 upper-case letters or digits)";
	if (e->from && e->to && e->to <= e->from)
		return "the 'to' date is not after the 'from' date";
	return NULL;
}

/* Index of a code, added with its display name when new. */
static uint32_t intern_code(ent_actors *a, const char *code, size_t n, const char *name,
			    size_t name_len)
{
	size_t index = ent_strmap_count(a->codes);
	int fresh = 0;
	uint32_t *at = ent_strmap_upsert(a->codes, code, n, (uint32_t)index, &fresh);
	if (at == NULL)
		return NO_PATTERN;
	if (!fresh)
		return *at;
	uint32_t *offsets = realloc(a->name_offsets, (index + 1) * sizeof *offsets);
	if (offsets == NULL)
		return NO_PATTERN;
	a->name_offsets = offsets;
	offsets[index] = (uint32_t)a->names.len;
	if (ent_buf_append(&a->names, name, name_len) != 0 || ent_buf_append(&a->names, "", 1) != 0)
		return NO_PATTERN;
	return (uint32_t)index;
}

static int push_pattern(ent_actors *a, const pattern *p)
{
	if (ent_array_reserve((void **)&a->patterns, &a->cap, a->count + 1, sizeof *a->patterns) != 0)
		return ENT_ENOMEM;
	a->patterns[a->count++] = *p;
	return ENT_OK;
}

/* The two filter bits of a first token, from its length and outer bytes. */
static void filter_bits(const char *s, size_t n, size_t bit[2])
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t k = n == 0 ? 0
			    : (uint64_t)u[0] | (uint64_t)u[n > 1] << 8 | (uint64_t)u[n - 1] << 16 |
				      (uint64_t)u[n > 2 ? n - 2 : 0] << 24 | (uint64_t)n << 32;
	k *= 0x9e3779b97f4a7c15ULL;
	bit[0] = (size_t)(k >> 48) & (FILTER_BITS - 1);
	bit[1] = (size_t)(k >> 32) & (FILTER_BITS - 1);
}

static void filter_add(ent_actors *a, const char *s, size_t n)
{
	size_t bit[2];
	filter_bits(s, n, bit);
	for (int i = 0; i < 2; i++)
		a->filter[bit[i] / 64] |= (uint64_t)1 << (bit[i] % 64);
}

/* Whether some pattern may start with this token norm (no false "no"). */
static int may_start(const ent_actors *a, const char *s, size_t n)
{
	size_t bit[2];
	filter_bits(s, n, bit);
	return (a->filter[bit[0] / 64] >> (bit[0] % 64) & 1) && (a->filter[bit[1] / 64] >> (bit[1] % 64) & 1);
}

static int push_lens(ent_actors *a, size_t norm_len, size_t surface_len)
{
	if (ent_array_reserve((void **)&a->lens, &a->lens_cap, a->lens_count + 2, sizeof *a->lens) != 0)
		return ENT_ENOMEM;
	a->lens[a->lens_count++] = (uint32_t)norm_len;
	a->lens[a->lens_count++] = (uint32_t)surface_len;
	return ENT_OK;
}

/* Appends the pattern's tokens (norms, surfaces and their lengths, so
 * matching never measures them) and links it into the index. */
static int add_tokens(ent_actors *a, pattern *p, const ent_token *tokens, size_t n,
		      const char *source, int plural)
{
	p->first_norm = (uint32_t)a->norms.len;
	p->first_surface = (uint32_t)a->surfaces.len;
	p->first_len = (uint32_t)a->lens_count;
	p->tokens = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		int last = i + 1 == n;
		size_t surface_len = tokens[i].end - tokens[i].start;
		if (ent_buf_append(&a->norms, tokens[i].norm, tokens[i].norm_len) != 0 ||
		    (last && plural && ent_buf_append(&a->norms, "s", 1) != 0) ||
		    ent_buf_append(&a->norms, "", 1) != 0 ||
		    ent_buf_append(&a->surfaces, source + tokens[i].start, surface_len) != 0 ||
		    ent_buf_append(&a->surfaces, "", 1) != 0 ||
		    push_lens(a, tokens[i].norm_len + (last && plural), surface_len) != ENT_OK)
			return ENT_ENOMEM;
	}
	const char *head = a->norms.data + p->first_norm;
	size_t head_len = strlen(head);
	int fresh = 0;
	uint32_t *slot = ent_strmap_upsert(a->first, head, head_len, (uint32_t)a->count, &fresh);
	if (slot == NULL)
		return ENT_ENOMEM;
	filter_add(a, head, head_len);
	p->next = fresh ? NO_PATTERN : *slot;
	*slot = (uint32_t)a->count;
	return push_pattern(a, p);
}

static int wants_plural(const entry *e, const ent_token *tokens, size_t n)
{
	const ent_token *last = &tokens[n - 1];
	unsigned char c = (unsigned char)last->norm[last->norm_len - 1];
	return !e->exact && !(last->flags & ENT_TOKEN_NUMBER) && c >= 'a' && c <= 'z' && c != 's';
}

/* Overrides an earlier entry with the same pattern and dates, else adds. */
static int add_entry(ent_actors *a, const entry *e, const char **problem)
{
	if (ent_actors_pattern_count(a) >= ENT_ACTORS_MAX_PATTERNS) {
		*problem = "too many patterns";
		return ENT_ELIMIT;
	}
	/* Checked before anything is recorded, so a bad entry leaves no trace. */
	ent_error ignored;
	if (ent_text_analyze(a->tokenizer, e->text, e->text_len, ENT_TEXT_SENTENCE, &ignored) != ENT_OK)
		return ENT_ENOMEM;
	size_t n = 0;
	const ent_token *tokens = ent_text_sentence_count(a->tokenizer) ? ent_text_tokens(a->tokenizer, 0, &n) : NULL;
	if (n == 0 || n > ENT_ACTORS_MAX_PATTERN_TOKENS) {
		*problem = n == 0 ? "the pattern has no words" : "the pattern has too many words";
		return ENT_EFORMAT;
	}
	uint32_t code = intern_code(a, e->code, e->code_len, e->text, e->text_len);
	uint32_t role = e->role ? intern_code(a, e->role, e->role_len, e->role, e->role_len) : NO_PATTERN;
	if (code == NO_PATTERN || (e->role && role == NO_PATTERN))
		return ENT_ENOMEM;
	pattern p = {code, role, e->from, e->to, e->exact, 0, 0, 0, NO_PATTERN,
		     (uint32_t)ent_strmap_count(a->keys), 0};
	char key[64];
	snprintf(key, sizeof key, "\t%ld\t%ld\t%d", e->from, e->to, e->exact);
	ent_buf full = {0};
	int rc = ent_buf_append(&full, e->text, e->text_len) || ent_buf_puts(&full, key) ? ENT_ENOMEM : ENT_OK;
	int fresh = 0;
	uint32_t *known = rc ? NULL : ent_strmap_upsert(a->keys, full.data, full.len, (uint32_t)a->count, &fresh);
	ent_buf_release(&full);
	if (known == NULL)
		return ENT_ENOMEM;
	if (!fresh) {
		/* Same pattern again: the later entry wins, plural variant included. */
		uint32_t entry_id = a->patterns[*known].entry;
		for (uint32_t i = *known; i < a->count && a->patterns[i].entry == entry_id; i++) {
				a->patterns[i].code = p.code;
				a->patterns[i].role = p.role;
			}
		return ENT_OK;
	}
	const char *source = ent_text_source(a->tokenizer, NULL);
	rc = add_tokens(a, &p, tokens, n, source, 0);
	if (rc == ENT_OK && wants_plural(e, tokens, n))
		rc = add_tokens(a, &p, tokens, n, source, 1);
	return rc;
}

static int load_line(ent_actors *a, const char *line, size_t len, const char *name, size_t number,
		     ent_error *err)
{
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0 || line[0] == '#')
		return ENT_OK;
	if (ent_utf8_invalid_at(line, len) != (size_t)-1 || memchr(line, '\0', len))
		return ent_error_set(err, ENT_EFORMAT, "%s:%zu: invalid UTF-8", name, number);
	entry e;
	const char *problem = parse_entry(line, len, &e);
	if (problem != NULL)
		return ent_error_set(err, ENT_EFORMAT, "%s:%zu: %s", name, number, problem);
	int rc = add_entry(a, &e, &problem);
	if (rc == ENT_ENOMEM)
		return ent_error_set(err, rc, "out of memory loading actors");
	if (rc != ENT_OK)
		return ent_error_set(err, rc, "%s:%zu: %s", name, number, problem);
	return ENT_OK;
}

int ent_actors_load(ent_actors *a, const char *text, size_t len, const char *name,
		    ent_error *err)
{
	if (len > MAX_DICTIONARY_BYTES)
		return ent_error_set(err, ENT_ELIMIT, "%s: dictionary of %zu bytes exceeds the limit of %zu",
				     name, len, MAX_DICTIONARY_BYTES);
	size_t number = 0, pos = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		int rc = load_line(a, text + pos, end - pos, name, ++number, err);
		if (rc != ENT_OK)
			return rc;
		pos = end + 1;
	}
	if ((a->source.len > 0 && ent_buf_append(&a->source, "\n", 1) != 0) ||
	    ent_buf_append(&a->source, text, len) != 0)
		return ent_error_set(err, ENT_ENOMEM, "out of memory loading actors");
	return ENT_OK;
}

int ent_actors_load_file(ent_actors *a, const char *path, ent_error *err)
{
	char *text;
	size_t len;
	int rc = ent_file_read(path, "actor dictionary", MAX_DICTIONARY_BYTES, ENT_EIO, &text, &len, err);
	if (rc != ENT_OK)
		return rc;
	rc = ent_actors_load(a, text, len, path, err);
	free(text);
	return rc;
}

/* ---- matching ---- */

int ent_actor_matches_new(ent_actor_matches **out, ent_error *err)
{
	*out = calloc(1, sizeof **out);
	return *out ? ENT_OK : ent_error_set(err, ENT_ENOMEM, "out of memory for actor matches");
}

void ent_actor_matches_free(ent_actor_matches *m)
{
	if (m == NULL)
		return;
	free(m->items);
	free(m->marks);
	free(m);
}

size_t ent_actor_matches_count(const ent_actor_matches *m)
{
	return m->count;
}

const ent_actor_match *ent_actor_matches_get(const ent_actor_matches *m, size_t i)
{
	return &m->items[i];
}

const unsigned char *ent_actor_matches_marks(const ent_actor_matches *m)
{
	return m->marks;
}

/* Whether p matches at token at, whose norm is known to equal p's first. */
static int pattern_matches(const ent_actors *a, const pattern *p, const ent_token *tokens,
			   size_t count, size_t at, const char *source)
{
	if (p->tokens > count - at)
		return 0;
	/* Patterns that share a first word mostly differ in the second one's
	 * length: rejected here, before any string is touched. */
	if (p->tokens > 1 && tokens[at + 1].norm_len != a->lens[p->first_len + 2])
		return 0;
	const char *norm = a->norms.data + p->first_norm;
	const char *surface = a->surfaces.data + p->first_surface;
	const uint32_t *lens = a->lens + p->first_len;
	for (size_t k = 0; k < p->tokens; k++, lens += 2) {
		const ent_token *t = &tokens[at + k];
		size_t nlen = lens[0], slen = lens[1];
		if (k > 0 && (t->norm_len != nlen || memcmp(t->norm, norm, nlen) != 0))
			return 0;
		if (p->exact && (t->end - t->start != slen || memcmp(source + t->start, surface, slen) != 0))
			return 0;
		norm += nlen + 1;
		surface += slen + 1;
	}
	return 1;
}

static int in_term(const pattern *p, long date)
{
	return date != 0 && (p->from == 0 || date >= p->from) && (p->to == 0 || date < p->to);
}

/* The longest pattern at token at; among equals, one whose term holds the date. */
static const pattern *best_at(const ent_actors *a, const ent_token *tokens, size_t count,
			      size_t at, const char *source, long date)
{
	if (!may_start(a, tokens[at].norm, tokens[at].norm_len))
		return NULL;
	uint32_t *head = ent_strmap_find(a->first, tokens[at].norm, tokens[at].norm_len);
	const pattern *best = NULL;
	for (uint32_t i = head ? *head : NO_PATTERN; i != NO_PATTERN; i = a->patterns[i].next) {
		const pattern *p = &a->patterns[i];
		if (!pattern_matches(a, p, tokens, count, at, source))
			continue;
		if (best == NULL || p->tokens > best->tokens ||
		    (p->tokens == best->tokens && in_term(p, date) && !in_term(best, date)))
			best = p;
	}
	return best;
}

static int reserve_matches(ent_actor_matches *m, size_t tokens)
{
	if (tokens > m->marks_cap) {
		unsigned char *marks = realloc(m->marks, tokens);
		if (marks == NULL)
			return ENT_ENOMEM;
		m->marks = marks;
		m->marks_cap = tokens;
	}
	if (ent_array_reserve((void **)&m->items, &m->cap, m->count + 1, sizeof *m->items) != 0)
		return ENT_ENOMEM;
	return ENT_OK;
}

int ent_actors_match(const ent_actors *a, const ent_token *tokens, size_t count,
		     const char *source, long date, ent_actor_matches *m, ent_error *err)
{
	m->count = 0;
	if (reserve_matches(m, count ? count : 1) != ENT_OK)
		return ent_error_set(err, ENT_ENOMEM, "out of memory matching actors");
	memset(m->marks, ENT_MARK_NONE, count);
	for (size_t i = 0; i < count;) {
		const pattern *p = best_at(a, tokens, count, i, source, date);
		if (p == NULL) {
			i++;
			continue;
		}
		if (reserve_matches(m, count) != ENT_OK)
			return ent_error_set(err, ENT_ENOMEM, "out of memory matching actors");
		const char *code = ent_strmap_key(a->codes, p->code, NULL);
		const char *role = p->role != NO_PATTERN && in_term(p, date) ? ent_strmap_key(a->codes, p->role, NULL) : NULL;
		m->items[m->count++] = (ent_actor_match){i, p->tokens, code, role};
		m->marks[i] = ENT_MARK_ACTOR_START;
		for (size_t k = 1; k < p->tokens; k++)
			m->marks[i + k] = ENT_MARK_ACTOR_INSIDE;
		i += p->tokens;
	}
	return ENT_OK;
}
