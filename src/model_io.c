/* The model bundle on disk: writing it atomically and reading it strictly. */
#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "entente/io.h"
#include "model_internal.h"
#include "scan.h"
#include "utf8.h"

#define MAGIC "entente-model"

static void sha256_hex(const char *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* ---- writing ---- */

static int write_features(ent_buf *b, const ent_features *f)
{
	const ent_feature_options *o = ent_features_options(f);
	size_t n = ent_features_dimension(f);
	int rc = ent_buf_printf(b,
				"features ngram %d %d min_df %d negation %d mask_actors %d stem %d "
				"sublinear_tf %d\nvocabulary %zu\n",
				o->ngram_min, o->ngram_max, o->min_df, o->negation, o->mask_actors,
				o->stem, o->sublinear_tf, n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = ent_buf_puts(b, ent_features_term(f, i)) || ent_buf_puts(b, "\t") ||
		     ent_buf_double(b, ent_features_idf(f, i)) || ent_buf_puts(b, "\n");
	return rc;
}

static int write_body(ent_buf *b, const ent_model *m)
{
	size_t actors_len;
	const char *actors = ent_actors_source(m->actors, &actors_len);
	int rc = ent_buf_printf(b, "metadata %zu\n", strlen(m->metadata)) ||
		 ent_buf_puts(b, m->metadata) || ent_buf_puts(b, "\n") ||
		 write_features(b, m->features) ||
		 ent_buf_printf(b, "actors %zu\n", actors_len) ||
		 ent_buf_append(b, actors, actors_len) || ent_buf_puts(b, "\nsvm\n");
	if (rc == 0)
		rc = ent_svm_write(m->svm, b) != ENT_OK;
	return rc || ent_buf_puts(b, "end\n");
}

int ent_model_serialize(const ent_model *m, char **out, size_t *len, ent_error *err)
{
	ent_buf body = {0}, all = {0};
	char hex[65];
	*out = NULL;
	if (write_body(&body, m) != 0) {
		ent_buf_release(&body);
		return ent_error_set(err, ENT_ENOMEM, "out of memory serializing the model");
	}
	sha256_hex(body.data, body.len, hex);
	int rc = ent_buf_printf(&all, "%s %d\nsha256 %s\n", MAGIC, ENT_MODEL_FORMAT_VERSION, hex) ||
		 ent_buf_append(&all, body.data, body.len);
	ent_buf_release(&body);
	if (rc != 0) {
		ent_buf_release(&all);
		return ent_error_set(err, ENT_ENOMEM, "out of memory serializing the model");
	}
	*out = all.data;
	*len = all.len;
	return ENT_OK;
}

int ent_model_save(const ent_model *m, const char *path, ent_error *err)
{
	char *data;
	size_t len;
	int rc = ent_model_serialize(m, &data, &len, err);
	if (rc != ENT_OK)
		return rc;
	rc = ent_file_write_atomic(path, data, len, err);
	free(data);
	return rc;
}

/* ---- reading ---- */

static int corrupt(ent_error *err, const char *name, size_t line, const char *what)
{
	return ent_error_set(err, ENT_EMODEL, "model '%s' is corrupt at line %zu: %s", name, line, what);
}

static int check_header(const char *data, size_t len, const char *name, size_t *body,
			ent_error *err)
{
	if (len == 0)
		return ent_error_set(err, ENT_EMODEL, "model '%s' is empty", name);
	size_t magic_len = strlen(MAGIC);
	if (len < magic_len + 1 || memcmp(data, MAGIC " ", magic_len + 1) != 0)
		return ent_error_set(err, ENT_EMODEL, "'%s' is not an entente model (no '%s' header)", name,
				     MAGIC);
	ent_scan sc;
	ent_scan_init(&sc, data, len, 1);
	long long version;
	ent_scan_expect(&sc, MAGIC);
	if (!ent_scan_long(&sc, 1, 1000000, &version) || !ent_scan_eol(&sc))
		return ent_error_set(err, ENT_EMODEL, "model '%s' has a malformed header", name);
	if (version > ENT_MODEL_FORMAT_VERSION)
		return ent_error_set(err, ENT_EMODEL,
				     "model '%s' has format version %lld, newer than this entente reads (%d); upgrade entente",
				     name, version, ENT_MODEL_FORMAT_VERSION);
	if (version < ENT_MODEL_FORMAT_VERSION)
		return ent_error_set(err, ENT_EMODEL, "model '%s' has unsupported old format version %lld",
				     name, version);
	const char *hex;
	size_t hex_len;
	char actual[65];
	if (!ent_scan_expect(&sc, "sha256") || !ent_scan_word(&sc, &hex, &hex_len) || hex_len != 64 ||
	    !ent_scan_eol(&sc))
		return ent_error_set(err, ENT_EMODEL, "model '%s' is truncated or lacks its checksum", name);
	sha256_hex(data + sc.pos, len - sc.pos, actual);
	if (memcmp(actual, hex, 64) != 0)
		return ent_error_set(err, ENT_EMODEL,
				     "model '%s' is corrupt: checksum mismatch (truncated or modified)", name);
	*body = sc.pos;
	return ENT_OK;
}

static int read_sized_block(ent_scan *sc, const char *keyword, const char **text, size_t *len)
{
	long long n;
	if (!ent_scan_expect(sc, keyword) || !ent_scan_long(sc, 0, (long long)ENT_MODEL_MAX_BYTES, &n) ||
	    !ent_scan_eol(sc) || (size_t)n > sc->len - sc->pos || sc->len - sc->pos - (size_t)n < 1 ||
	    sc->s[sc->pos + (size_t)n] != '\n')
		return 0;
	*text = sc->s + sc->pos;
	*len = (size_t)n;
	for (size_t i = 0; i <= (size_t)n; i++)
		if (sc->s[sc->pos + i] == '\n')
			sc->line++;
	sc->pos += (size_t)n + 1;
	return 1;
}

static int read_metadata(ent_scan *sc, ent_model *m, const char *name, ent_error *err)
{
	const char *text;
	size_t len;
	if (!read_sized_block(sc, "metadata", &text, &len))
		return corrupt(err, name, sc->line, "expected 'metadata N' and N bytes of JSON");
	json_error_t jerr;
	json_t *meta = json_loadb(text, len, 0, &jerr);
	int ok = json_is_object(meta);
	json_decref(meta);
	if (!ok)
		return corrupt(err, name, sc->line, "the metadata is not a JSON object");
	m->metadata = malloc(len + 1);
	if (m->metadata == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory loading a model");
	memcpy(m->metadata, text, len);
	m->metadata[len] = '\0';
	return ENT_OK;
}

static int read_flag(ent_scan *sc, const char *key, int *out)
{
	long long v;
	if (!ent_scan_expect(sc, key) || !ent_scan_long(sc, 0, 1, &v))
		return 0;
	*out = (int)v;
	return 1;
}

static int read_feature_options(ent_scan *sc, ent_feature_options *o)
{
	long long a, b, df;
	if (!ent_scan_expect(sc, "features") || !ent_scan_expect(sc, "ngram") ||
	    !ent_scan_long(sc, 1, ENT_FEATURES_MAX_NGRAM, &a) ||
	    !ent_scan_long(sc, 1, ENT_FEATURES_MAX_NGRAM, &b) || !ent_scan_expect(sc, "min_df") ||
	    !ent_scan_long(sc, 1, 1000000000, &df))
		return 0;
	o->ngram_min = (int)a;
	o->ngram_max = (int)b;
	o->min_df = (int)df;
	return read_flag(sc, "negation", &o->negation) && read_flag(sc, "mask_actors", &o->mask_actors) &&
	       read_flag(sc, "stem", &o->stem) && read_flag(sc, "sublinear_tf", &o->sublinear_tf) &&
	       ent_scan_eol(sc) && ent_feature_options_check(o, NULL) == ENT_OK;
}

/* One "term<TAB>idf" line; terms must be valid UTF-8 and strictly ascending. */
static int read_term(ent_scan *sc, const char *prev, const char **term, size_t *term_len,
		     double *idf)
{
	const char *line;
	size_t len;
	if (!ent_scan_line(sc, &line, &len))
		return 0;
	const char *tab = memchr(line, '\t', len);
	if (tab == NULL || tab == line)
		return 0;
	*term = line;
	*term_len = (size_t)(tab - line);
	if (ent_utf8_invalid_at(line, *term_len) != (size_t)-1 || memchr(line, '\0', *term_len))
		return 0;
	if (prev != NULL) {
		size_t plen = strlen(prev), n = plen < *term_len ? plen : *term_len;
		int cmp = memcmp(prev, line, n);
		if (cmp > 0 || (cmp == 0 && plen >= *term_len))
			return 0;
	}
	return ent_parse_double(tab + 1, len - *term_len - 1, idf) && *idf > 0;
}

static int read_vocabulary(ent_scan *sc, ent_model *m, const char *name, ent_error *err)
{
	ent_feature_options o;
	long long n;
	if (!read_feature_options(sc, &o))
		return corrupt(err, name, sc->line, "expected valid feature settings");
	if (!ent_scan_expect(sc, "vocabulary") || !ent_scan_long(sc, 0, ENT_FEATURES_MAX_VOCAB, &n) ||
	    !ent_scan_eol(sc))
		return corrupt(err, name, sc->line, "expected 'vocabulary N'");
	char **terms = calloc((size_t)n + 1, sizeof *terms);
	double *idf = malloc(((size_t)n + 1) * sizeof *idf);
	int rc = (terms && idf) ? ENT_OK : ent_error_set(err, ENT_ENOMEM, "out of memory loading a model");
	for (long long i = 0; rc == ENT_OK && i < n; i++) {
		const char *t;
		size_t len;
		if (!read_term(sc, i ? terms[i - 1] : NULL, &t, &len, &idf[i]))
			rc = corrupt(err, name, sc->line, "expected 'TERM<TAB>IDF' in ascending term order");
		else if ((terms[i] = strndup(t, len)) == NULL)
			rc = ent_error_set(err, ENT_ENOMEM, "out of memory loading a model");
	}
	if (rc == ENT_OK)
		rc = ent_features_from_terms(&m->features, &o, (const char *const *)terms, idf, (size_t)n, err);
	for (long long i = 0; terms != NULL && i < n; i++)
		free(terms[i]);
	free(terms);
	free(idf);
	return rc;
}

static int read_actors(ent_scan *sc, ent_model *m, const char *name, ent_error *err)
{
	const char *text;
	size_t len;
	if (!read_sized_block(sc, "actors", &text, &len))
		return corrupt(err, name, sc->line, "expected 'actors N' and N bytes of dictionary");
	int rc = ent_actors_new(&m->actors, err);
	if (rc == ENT_OK)
		rc = ent_actors_load(m->actors, text, len, "embedded actors", err);
	if (rc != ENT_OK && rc != ENT_ENOMEM) {
		/* prefix copies the message first: never format err->message into itself */
		ent_error_prefix(err, "model '%s' has a bad actor dictionary", name);
		if (err != NULL)
			err->code = ENT_EMODEL;
		rc = ENT_EMODEL;
	}
	return rc;
}

static int read_svm(ent_scan *sc, ent_model *m, const char *name, ent_error *err)
{
	if (!ent_scan_expect(sc, "svm") || !ent_scan_eol(sc))
		return corrupt(err, name, sc->line, "expected 'svm'");
	size_t pos = sc->pos;
	int rc = ent_svm_read(&m->svm, sc->s, sc->len, &pos, ent_features_dimension(m->features),
			      ENT_LABEL_COUNT, err);
	if (rc == ENT_EMODEL)
		ent_error_prefix(err, "model '%s' is corrupt", name);
	if (rc != ENT_OK)
		return rc;
	sc->pos = pos;
	if (!ent_scan_expect(sc, "end") || !ent_scan_eol(sc) || !ent_scan_at_end(sc))
		return corrupt(err, name, sc->line, "expected 'end' as the last line");
	return ENT_OK;
}

int ent_model_parse(ent_model **out, const char *data, size_t len, const char *name,
		    ent_error *err)
{
	*out = NULL;
	size_t body = 0;
	int rc = check_header(data, len, name, &body, err);
	if (rc != ENT_OK)
		return rc;
	ent_model *m = calloc(1, sizeof *m);
	if (m == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory loading a model");
	ent_scan sc;
	ent_scan_init(&sc, data + body, len - body, 3);
	rc = read_metadata(&sc, m, name, err);
	if (rc == ENT_OK)
		rc = read_vocabulary(&sc, m, name, err);
	if (rc == ENT_OK)
		rc = read_actors(&sc, m, name, err);
	if (rc == ENT_OK)
		rc = read_svm(&sc, m, name, err);
	if (rc != ENT_OK) {
		ent_model_free(m);
		return rc;
	}
	*out = m;
	return ENT_OK;
}

int ent_model_load(ent_model **out, const char *path, ent_error *err)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = ent_file_read(path, "model", ENT_MODEL_MAX_BYTES, ENT_EMODEL, &data, &len, err);
	if (rc == ENT_ELIMIT)
		err->code = rc = ENT_EMODEL;
	if (rc != ENT_OK)
		return rc;
	rc = ent_model_parse(out, data, len, path, err);
	free(data);
	return rc;
}
