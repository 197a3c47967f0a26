/* CUnit suite for model: training, the bundle on disk (round trip,
 * determinism, atomic save, corruption of every kind), prediction (the
 * linear fast path against libsvm), grid search and cross-validation. */
#include "entente/model.h"
#include "entente/classify.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/test_util.h"

/* ---- the training data: three labels with distinct vocabularies ---- */

static const char *const actor_words[] = {"Brazil", "Chile",   "Kenya",  "Norway", "Egypt",
                                          "Peru",   "Vietnam", "Canada", "Ghana",  "Poland"};
static const char *const verbs[ENT_LABEL_COUNT][8] = {
    {"praised", "welcomed", "signed", "supported", "thanked", "endorsed", "applauded", "embraced"},
    {"condemned", "attacked", "threatened", "denounced", "accused", "blamed", "sanctioned", "bombed"},
    {"reported", "scheduled", "published", "recorded", "measured", "listed", "observed", "noted"}};
static const char *const objects[ENT_LABEL_COUNT][5] = {
    {"partnership", "friendship", "treaty", "accord", "alliance"},
    {"aggression", "invasion", "provocation", "blockade", "incursion"},
    {"rainfall", "census", "timetable", "statistics", "forecast"}};

#define PER_LABEL 20

/* Sentence i of a label: "Brazil praised the partnership with Kenya." */
static int make_sentence(char *out, size_t cap, int label, int i)
{
	return snprintf(out, cap, "%s %s the %s with %s.", actor_words[i % 10], verbs[label][i % 8],
	                objects[label][i % 5], actor_words[(i * 3 + 1) % 10]);
}

/* 60 rows: cooperative, conflictual and neutral interleaved. */
static ent_dataset *make_dataset(int labels)
{
	ent_dataset *d = NULL;
	ent_error err = ENT_ERROR_INIT;
	if (ent_dataset_new(&d, &err) != ENT_OK)
		return NULL;
	for (int i = 0; i < PER_LABEL; i++)
		for (int label = 0; label < labels; label++) {
			char s[256];
			int n = make_sentence(s, sizeof s, label, i);
			if (ent_dataset_add(d, label, s, (size_t)n, "generated",
			                    (size_t)(i * labels + label + 1), &err) != ENT_OK) {
				ent_dataset_free(d);
				return NULL;
			}
		}
	return d;
}

static ent_model *train(const ent_dataset *d, const ent_actors *actors, const ent_train_options *opt)
{
	ent_model *m = NULL;
	ent_error err = ENT_ERROR_INIT;
	if (ent_model_train(&m, d, actors, opt, &err) != ENT_OK)
		fprintf(stderr, "\n    training failed: %s\n", err.message);
	return m;
}

/* The model most tests share, trained once with default options. */
static ent_dataset *shared_data;
static ent_model *shared;
static char *shared_bytes;
static size_t shared_len;

static void release_shared(void)
{
	ent_model_free(shared);
	ent_dataset_free(shared_data);
	free(shared_bytes);
}

static const ent_model *shared_model(void)
{
	if (shared == NULL) {
		ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
		shared_data = make_dataset(ENT_LABEL_COUNT);
		if (shared_data == NULL)
			return NULL;
		shared = train(shared_data, NULL, &opt);
		ent_error err = ENT_ERROR_INIT;
		if (shared == NULL || ent_model_serialize(shared, &shared_bytes, &shared_len, &err) != ENT_OK)
			return NULL;
		atexit(release_shared);
	}
	return shared;
}

/* ---- helpers ---- */

/* A word-salad sentence from all three vocabularies. */
static int random_sentence(char *out, size_t cap, uint64_t *state)
{
	size_t len = 0;
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	int words = 3 + (int)((*state >> 33) % 10);
	for (int w = 0; w < words; w++) {
		*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t r = *state >> 24;
		const char *word;
		switch (r % 4) {
		case 0:
			word = actor_words[(r >> 3) % 10];
			break;
		case 1:
			word = verbs[(r >> 3) % 3][(r >> 6) % 8];
			break;
		case 2:
			word = objects[(r >> 3) % 3][(r >> 6) % 5];
			break;
		default:
			word = (r >> 3) % 2 ? "the" : "and";
			break;
		}
		int n = snprintf(out + len, cap - len, "%s%s", w ? " " : "", word);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
	return (int)len;
}

/* A copy of exactly len bytes, so a parser reading past the end is caught. */
static char *exact_copy(const char *data, size_t len)
{
	char *p = malloc(len ? len : 1);
	if (p != NULL && len > 0)
		memcpy(p, data, len);
	return p;
}

/* Rewrites the "sha256 HEX" line of a bundle to match its body. */
static int fix_checksum(char *data, size_t len)
{
	char *first = memchr(data, '\n', len);
	if (first == NULL)
		return -1;
	char *second = memchr(first + 1, '\n', len - (size_t)(first + 1 - data));
	if (second == NULL || second - first - 1 != 7 + 64 || memcmp(first + 1, "sha256 ", 7) != 0)
		return -1;
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t body = (size_t)(second + 1 - data);
	sha256_init(&ctx);
	sha256_update(&ctx, len - body, (const uint8_t *)data + body);
	sha256_digest(&ctx, sizeof digest, digest);
	char hex[65];
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	memcpy(first + 8, hex, 64);
	return 0;
}

static int parse(const char *data, size_t len, ent_error *err, ent_model **out)
{
	char *copy = exact_copy(data, len);
	if (copy == NULL)
		return -100;
	int rc = ent_model_parse(out, copy, len, "bundle", err);
	free(copy);
	return rc;
}

/* Predicts every row of d with m: labels and probabilities. */
static int predict_rows(const ent_model *m, const ent_dataset *d, int *labels, double *probs)
{
	ent_error err = ENT_ERROR_INIT;
	return ent_model_evaluate(m, d, labels, probs, &err);
}

static double probs_sum(const double *p)
{
	return p[0] + p[1] + p[2];
}

/* Counts the entries of dir whose names contain ".tmp.". */
static int temporary_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (d == NULL)
		return -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

/* ---- training and prediction ---- */

static void test_train_learns_the_labels(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(ent_model_kernel(m), ENT_KERNEL_LINEAR);
	CU_ASSERT(ent_features_dimension(ent_model_features(m)) > 20);
	CU_ASSERT_PTR_NOT_NULL(ent_model_actors(m));
	size_t n = ent_dataset_count(shared_data);
	CU_ASSERT_EQUAL_FATAL(n, 3 * PER_LABEL);
	int *labels = malloc(n * sizeof *labels);
	double *probs = malloc(n * ENT_LABEL_COUNT * sizeof *probs);
	CU_ASSERT_FATAL(labels && probs);
	CU_ASSERT_EQUAL(predict_rows(m, shared_data, labels, probs), ENT_OK);
	size_t right = 0;
	for (size_t i = 0; i < n; i++)
		right += labels[i] == ent_dataset_row(shared_data, i)->label;
	CU_ASSERT(right >= n - 2);

	/* unseen combinations of the vocabulary */
	ent_sentence_featurizer *f = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)),
	                                                  ent_model_actors(m), &err),
	                      ENT_OK);
	const char *cases[][2] = {{"Poland welcomed the friendship and thanked Peru.", "cooperative"},
	                          {"Ghana threatened an invasion and denounced Chile.", "conflictual"},
	                          {"Norway published the census and the timetable.", "neutral"}};
	for (size_t i = 0; i < 3; i++) {
		double p[ENT_LABEL_COUNT];
		int label = ent_model_predict_text(m, f, cases[i][0], strlen(cases[i][0]), p, &err);
		CU_ASSERT_EQUAL(label, ent_label_parse(cases[i][1], strlen(cases[i][1])));
		CU_ASSERT(p[label] > 0.5);
		CU_ASSERT_DOUBLE_EQUAL(probs_sum(p), 1.0, 1e-9);
	}
	ent_sentence_featurizer_free(f);
	free(labels);
	free(probs);
}

/* ent_model_evaluate featurizes through a vocabulary-bound extractor; a
 * caller's own featurizer goes the unbound way. Both must agree bit for bit. */
static void test_evaluate_equals_predict_text(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	size_t n = ent_dataset_count(shared_data);
	int *labels = malloc(n * sizeof *labels);
	double *probs = malloc(n * ENT_LABEL_COUNT * sizeof *probs);
	CU_ASSERT_FATAL(labels && probs);
	CU_ASSERT_EQUAL_FATAL(predict_rows(m, shared_data, labels, probs), ENT_OK);
	ent_sentence_featurizer *f = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)),
	                                                  ent_model_actors(m), &err),
	                      ENT_OK);
	size_t differ = 0;
	for (size_t i = 0; i < n; i++) {
		const ent_data_row *row = ent_dataset_row(shared_data, i);
		double p[ENT_LABEL_COUNT];
		int label = ent_model_predict_text(m, f, row->text, row->text_len, p, &err);
		differ += label != labels[i] || memcmp(p, probs + i * ENT_LABEL_COUNT, sizeof p) != 0;
	}
	CU_ASSERT_EQUAL(differ, 0);
	ent_sentence_featurizer_free(f);
	free(labels);
	free(probs);
}

/* Every byte that JSON must escape, at every offset of an 8-byte word, comes
 * back unchanged from the JSON report of the article. */
static void test_json_report_round_trips_every_byte(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_FATAL(m != NULL);
	ent_classifier *c = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_FATAL(ent_classifier_new(&c, m, NULL, &err) == ENT_OK);
	char text[4096];
	size_t len = 0;
	for (unsigned byte = 1; byte < 0x80; byte++)
		for (size_t offset = 0; offset < 9; offset++) {
			len += (size_t)snprintf(text + len, sizeof text - len, "Talks%.*s", (int)offset, "eeeeeeee");
			text[len++] = (char)byte;
			len += (size_t)snprintf(text + len, sizeof text - len, "resumed \xc3\xa9 today. ");
			if (len > sizeof text - 64) {
				const ent_article *a;
				CU_ASSERT_FATAL(ent_classifier_run(c, "x", NULL, text, len, &a, &err) == ENT_OK);
				char *out = NULL;
				size_t cap = 0, out_len = 0;
				CU_ASSERT_FATAL(ent_report_article(a, NULL, ENT_FORMAT_JSONL, &out, &cap, &out_len, &err) == ENT_OK);
				json_error_t jerr;
				json_t *root = json_loadb(out, out_len, 0, &jerr);
				CU_ASSERT_FATAL(root != NULL);
				json_t *sentences = json_object_get(root, "sentences");
				CU_ASSERT_EQUAL(json_array_size(sentences), a->sentence_count);
				for (size_t i = 0; i < a->sentence_count && i < json_array_size(sentences); i++) {
					json_t *t = json_object_get(json_array_get(sentences, i), "text");
					const ent_sentence_result *r = &a->sentences[i];
					CU_ASSERT(json_string_length(t) == r->end - r->start &&
						  memcmp(json_string_value(t), a->source + r->start, r->end - r->start) == 0);
				}
				json_decref(root);
				free(out);
				len = 0;
			}
		}
	ent_classifier_free(c);
}

static void test_probabilities_sum_to_one(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	ent_sentence_featurizer *f = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(
	    ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)), NULL, &err), ENT_OK);
	uint64_t state = 7;
	const char *extra[] = {"", "zzz qqq", "!!!", "\xC3\xA9t\xC3\xA9"};
	for (int i = 0; i < 300; i++) {
		char s[512];
		int n = i < 4 ? (int)strlen(extra[i]) : random_sentence(s, sizeof s, &state);
		const char *text = i < 4 ? extra[i] : s;
		double p[ENT_LABEL_COUNT];
		int label = ent_model_predict_text(m, f, text, (size_t)n, p, &err);
		CU_ASSERT(label >= 0 && label < ENT_LABEL_COUNT);
		CU_ASSERT_DOUBLE_EQUAL(probs_sum(p), 1.0, 1e-9);
		for (int c = 0; c < ENT_LABEL_COUNT; c++)
			CU_ASSERT(p[c] >= 0.0 && p[c] <= 1.0);
		/* the label is the most probable class */
		CU_ASSERT(p[label] >= p[0] && p[label] >= p[1] && p[label] >= p[2]);
	}
	ent_sentence_featurizer_free(f);
}

static void compare_with_libsvm(const ent_model *m, int count, uint64_t seed)
{
	ent_sentence_featurizer *f = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)),
	                                                  ent_model_actors(m), &err),
	                      ENT_OK);
	ent_vector v = ENT_VECTOR_INIT;
	uint64_t state = seed;
	int label_mismatches = 0, prob_mismatches = 0, empty = 0;
	double worst = 0;
	for (int i = 0; i < count; i++) {
		char s[512];
		int n = random_sentence(s, sizeof s, &state);
		if (ent_sentence_featurizer_run(f, s, (size_t)n, &err) != ENT_OK ||
		    ent_features_vectorize(ent_model_features(m), ent_sentence_featurizer_extractor(f), &v,
		                           &err) != ENT_OK) {
			CU_FAIL("featurizing failed");
			break;
		}
		empty += v.len == 0;
		double fast[ENT_LABEL_COUNT], ref[ENT_LABEL_COUNT];
		int a = ent_model_predict(m, &v, fast);
		int b = ent_model_predict_reference(m, &v, ref);
		label_mismatches += a != b;
		for (int c = 0; c < ENT_LABEL_COUNT; c++) {
			double d = fabs(fast[c] - ref[c]);
			if (d > worst)
				worst = d;
			prob_mismatches += !(d <= 1e-9);
		}
	}
	CU_ASSERT_EQUAL(label_mismatches, 0);
	CU_ASSERT_EQUAL(prob_mismatches, 0);
	CU_ASSERT(empty < count / 10);
	if (label_mismatches || prob_mismatches)
		fprintf(stderr, "\n    %d label and %d probability mismatches, worst %g\n", label_mismatches,
		        prob_mismatches, worst);
	ent_vector_release(&v);
	ent_sentence_featurizer_free(f);
}

static void test_fast_path_equals_libsvm(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	compare_with_libsvm(m, 3000, 12345);
}

static void test_rbf_equals_libsvm(void)
{
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	opt.kernel = ENT_KERNEL_RBF;
	opt.c = 4;
	ent_model *m = train(d, NULL, &opt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(ent_model_kernel(m), ENT_KERNEL_RBF);
	compare_with_libsvm(m, 500, 99);
	/* and it survives a round trip */
	char *bytes = NULL;
	size_t len = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(m, &bytes, &len, &err), ENT_OK);
	ent_model *back = NULL;
	CU_ASSERT_EQUAL(parse(bytes, len, &err, &back), ENT_OK);
	CU_ASSERT_PTR_NOT_NULL(back);
	if (back != NULL)
		CU_ASSERT_EQUAL(ent_model_kernel(back), ENT_KERNEL_RBF);
	ent_model_free(back);
	free(bytes);
	ent_model_free(m);
	ent_dataset_free(d);
}

/* ---- the bundle ---- */

static void test_save_load_round_trip(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char path[4200];
	snprintf(path, sizeof path, "%s/model.ent", dir);
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_model_save(m, path, &err), ENT_OK);
	size_t len = 0;
	char *on_disk = ent_test_read_file(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(on_disk);
	CU_ASSERT_EQUAL(len, shared_len);
	CU_ASSERT(len == shared_len && memcmp(on_disk, shared_bytes, len) == 0);
	CU_ASSERT(strncmp(on_disk, "entente-model 1\nsha256 ", 23) == 0);
	struct stat st;
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);

	ent_model *back = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_model_load(&back, path, &err), ENT_OK);
	/* serialized again: the same bytes */
	char *again = NULL;
	size_t again_len = 0;
	CU_ASSERT_EQUAL(ent_model_serialize(back, &again, &again_len, &err), ENT_OK);
	CU_ASSERT(again_len == len && memcmp(again, on_disk, len) == 0);
	CU_ASSERT_STRING_EQUAL(ent_model_metadata(back), ent_model_metadata(m));
	CU_ASSERT_EQUAL(ent_features_dimension(ent_model_features(back)),
	                ent_features_dimension(ent_model_features(m)));

	/* identical predictions and probabilities, bit for bit */
	size_t n = ent_dataset_count(shared_data);
	int *la = malloc(n * sizeof *la), *lb = malloc(n * sizeof *lb);
	double *pa = malloc(n * 3 * sizeof *pa), *pb = malloc(n * 3 * sizeof *pb);
	CU_ASSERT_FATAL(la && lb && pa && pb);
	CU_ASSERT_EQUAL(predict_rows(m, shared_data, la, pa), ENT_OK);
	CU_ASSERT_EQUAL(predict_rows(back, shared_data, lb, pb), ENT_OK);
	CU_ASSERT(memcmp(la, lb, n * sizeof *la) == 0);
	CU_ASSERT(memcmp(pa, pb, n * 3 * sizeof *pa) == 0);
	free(la);
	free(lb);
	free(pa);
	free(pb);
	free(again);
	free(on_disk);
	ent_model_free(back);
	ent_test_rmdir(dir);
}

static void test_serialize_twice_identical(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(m, &a, &la, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(m, &b, &lb, &err), ENT_OK);
	CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
	CU_ASSERT(la > 1000);
	free(a);
	free(b);
}

static void test_training_deterministic(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_model *again = train(d, NULL, &opt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(again);
	char *bytes = NULL;
	size_t len = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(again, &bytes, &len, &err), ENT_OK);
	CU_ASSERT(len == shared_len && memcmp(bytes, shared_bytes, len) == 0);
	free(bytes);
	ent_model_free(again);

	/* another seed or C gives another model */
	opt.c = 0.25;
	ent_model *other = train(d, NULL, &opt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(other, &bytes, &len, &err), ENT_OK);
	CU_ASSERT(len != shared_len || memcmp(bytes, shared_bytes, len) != 0);
	free(bytes);
	ent_model_free(other);
	ent_dataset_free(d);
}

static void test_metadata(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	json_error_t jerr;
	json_t *meta = json_loads(ent_model_metadata(m), 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(meta);
	char sha[65];
	ent_dataset_checksum(shared_data, sha);
	json_t *data = json_object_get(meta, "data");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(data, "sha256")), sha);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(data, "rows")), 3 * PER_LABEL);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(data, "labels"), "neutral")),
	                PER_LABEL);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(meta, "format")), ENT_MODEL_FORMAT_VERSION);
	json_t *params = json_object_get(meta, "params");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(params, "kernel")), "linear");
	CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(params, "c")), 1.0, 0);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(meta, "vocabulary")),
	                (json_int_t)ent_features_dimension(ent_model_features(m)));
	CU_ASSERT(json_is_false(json_object_get(params, "grid")));
	CU_ASSERT(json_is_null(json_object_get(params, "grid_scores")));
	CU_ASSERT(json_is_null(json_object_get(meta, "cv_macro_f1")));
	json_decref(meta);
}

static void test_grid_search(void)
{
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	opt.grid = 1;
	opt.grid_folds = 3;
	opt.c = 1000; /* ignored with a grid */
	ent_model *m = train(d, NULL, &opt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	json_error_t jerr;
	json_t *meta = json_loads(ent_model_metadata(m), 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(meta);
	double c = json_real_value(json_object_get(json_object_get(meta, "params"), "c"));
	json_t *scores = json_object_get(json_object_get(meta, "params"), "grid_scores");
	CU_ASSERT_FATAL(json_is_array(scores));
	CU_ASSERT_EQUAL_FATAL(json_array_size(scores), 9);
	double best = -1, best_c = 0;
	for (size_t i = 0; i < json_array_size(scores); i++) {
		json_t *point = json_array_get(scores, i);
		double pc = json_real_value(json_object_get(point, "c"));
		double f1 = json_real_value(json_object_get(point, "macro_f1"));
		/* the grid is 2^-3 .. 2^5 */
		CU_ASSERT_DOUBLE_EQUAL(pc, ldexp(1.0, (int)i - 3), 0);
		CU_ASSERT(f1 >= 0 && f1 <= 1);
		if (f1 > best) {
			best = f1;
			best_c = pc;
		}
	}
	/* the chosen C is the first grid point with the best score */
	CU_ASSERT_DOUBLE_EQUAL(c, best_c, 0);
	CU_ASSERT(c != 1000);
	json_t *cv = json_object_get(meta, "cv_macro_f1");
	CU_ASSERT_FATAL(json_is_real(cv));
	CU_ASSERT_DOUBLE_EQUAL(json_real_value(cv), best, 0);
	CU_ASSERT(best > 0.8);
	CU_ASSERT(json_is_true(json_object_get(json_object_get(meta, "params"), "grid")));
	json_decref(meta);
	ent_model_free(m);
	ent_dataset_free(d);
}

static void test_cross_validate(void)
{
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	ent_cv_result r;
	ent_error err = ENT_ERROR_INIT;
	const int k = 3;
	CU_ASSERT_EQUAL_FATAL(ent_cross_validate(d, NULL, &opt, k, &r, &err), ENT_OK);
	CU_ASSERT_EQUAL(r.k, k);
	CU_ASSERT_DOUBLE_EQUAL(r.c, 1.0, 0);
	size_t n = ent_dataset_count(d);
	size_t per_fold[3][ENT_LABEL_COUNT] = {{0}}, right = 0;
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_FATAL(r.folds[i] >= 0 && r.folds[i] < k);
		CU_ASSERT(r.predicted[i] >= 0 && r.predicted[i] < ENT_LABEL_COUNT);
		CU_ASSERT_DOUBLE_EQUAL(probs_sum(r.probs + i * ENT_LABEL_COUNT), 1.0, 1e-9);
		int label = ent_dataset_row(d, i)->label;
		per_fold[r.folds[i]][label]++;
		right += r.predicted[i] == label;
	}
	/* stratified: 20 rows of each label over 3 folds is 7, 7, 6 */
	for (int label = 0; label < ENT_LABEL_COUNT; label++) {
		size_t lo = SIZE_MAX, hi = 0;
		for (int f = 0; f < k; f++) {
			lo = per_fold[f][label] < lo ? per_fold[f][label] : lo;
			hi = per_fold[f][label] > hi ? per_fold[f][label] : hi;
		}
		CU_ASSERT(hi - lo <= 1);
		CU_ASSERT(lo >= 6);
	}
	for (int f = 0; f < k; f++)
		CU_ASSERT_EQUAL(per_fold[f][0] + per_fold[f][1] + per_fold[f][2], n / 3);
	CU_ASSERT(right >= n * 8 / 10);
	ent_cv_result_release(&r);
	CU_ASSERT_PTR_NULL(r.predicted);

	/* too many folds */
	CU_ASSERT_EQUAL(ent_cross_validate(d, NULL, &opt, (int)n + 1, &r, &err), ENT_EPARAM);
	CU_ASSERT_EQUAL(ent_cross_validate(d, NULL, &opt, 1, &r, &err), ENT_EPARAM);
	ent_dataset_free(d);
}

static void test_folds_stratified_and_seeded(void)
{
	ent_dataset *d = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_dataset_new(&d, NULL), ENT_OK);
	/* uneven labels: 23 cooperative, 11 conflictual, 5 neutral */
	const size_t sizes[] = {23, 11, 5};
	for (int label = 0; label < 3; label++)
		for (size_t i = 0; i < sizes[label]; i++)
			CU_ASSERT_EQUAL_FATAL(ent_dataset_add(d, label, "x", 1, "f", i + 1, NULL), ENT_OK);
	int *a = NULL, *b = NULL, *c = NULL;
	ent_error err = ENT_ERROR_INIT;
	const int k = 4;
	CU_ASSERT_EQUAL_FATAL(ent_folds_assign(d, k, 42, &a, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_folds_assign(d, k, 42, &b, &err), ENT_OK);
	CU_ASSERT_EQUAL_FATAL(ent_folds_assign(d, k, 43, &c, &err), ENT_OK);
	size_t n = ent_dataset_count(d);
	CU_ASSERT(memcmp(a, b, n * sizeof *a) == 0);
	CU_ASSERT(memcmp(a, c, n * sizeof *a) != 0);
	size_t count[4][3] = {{0}}, size[4] = {0};
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_FATAL(a[i] >= 0 && a[i] < k);
		count[a[i]][ent_dataset_row(d, i)->label]++;
		size[a[i]]++;
	}
	for (int label = 0; label < 3; label++)
		for (int f = 1; f < k; f++)
			CU_ASSERT(labs((long)count[f][label] - (long)count[0][label]) <= 1);
	for (int f = 0; f < k; f++)
		for (int g = 0; g < k; g++)
			CU_ASSERT(labs((long)size[f] - (long)size[g]) <= 1);
	free(a);
	free(b);
	free(c);
	CU_ASSERT_EQUAL(ent_folds_assign(d, 1, 1, &a, &err), ENT_EPARAM);
	CU_ASSERT_PTR_NULL(a);
	CU_ASSERT_EQUAL(ent_folds_assign(d, (int)n + 1, 1, &a, &err), ENT_EPARAM);
	ent_dataset_free(d);
}

static void test_one_label_is_an_error(void)
{
	ent_dataset *d = make_dataset(1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	ent_model *m = (ent_model *)&opt;
	ent_error err = ENT_ERROR_INIT;
	int rc = ent_model_train(&m, d, NULL, &opt, &err);
	CU_ASSERT(rc < 0);
	CU_ASSERT_EQUAL(rc, ENT_EFORMAT);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "two different labels"));
	/* an empty dataset too */
	ent_dataset *empty = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_dataset_new(&empty, NULL), ENT_OK);
	CU_ASSERT(ent_model_train(&m, empty, NULL, &opt, &err) < 0);
	CU_ASSERT_PTR_NULL(m);
	/* two labels are enough */
	ent_dataset *two = make_dataset(2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(two);
	CU_ASSERT_EQUAL(ent_model_train(&m, two, NULL, &opt, &err), ENT_OK);
	if (m != NULL) {
		double p[ENT_LABEL_COUNT];
		ent_sentence_featurizer *f = NULL;
		CU_ASSERT_EQUAL_FATAL(
		    ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)), NULL, &err),
		    ENT_OK);
		int label = ent_model_predict_text(m, f, "Chile condemned the invasion.", 29, p, &err);
		CU_ASSERT_EQUAL(label, ENT_LABEL_CONFLICTUAL);
		CU_ASSERT_DOUBLE_EQUAL(p[ENT_LABEL_NEUTRAL], 0.0, 0);
		CU_ASSERT_DOUBLE_EQUAL(probs_sum(p), 1.0, 1e-9);
		ent_sentence_featurizer_free(f);
		/* and it loads back */
		char *bytes = NULL;
		size_t len = 0;
		CU_ASSERT_EQUAL(ent_model_serialize(m, &bytes, &len, &err), ENT_OK);
		ent_model *back = NULL;
		CU_ASSERT_EQUAL(parse(bytes, len, &err, &back), ENT_OK);
		ent_model_free(back);
		free(bytes);
	}
	ent_model_free(m);
	ent_dataset_free(two);
	ent_dataset_free(empty);
	ent_dataset_free(d);
}

static void test_train_options_check(void)
{
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_OK);
	opt.c = 0;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	opt.c = NAN;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	opt.c = 1;
	opt.kernel = 7;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	opt.kernel = ENT_KERNEL_LINEAR;
	opt.gamma = -1;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	opt.gamma = 0;
	opt.grid = 1;
	opt.grid_folds = 1;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	opt.grid = 0;
	opt.class_weight = 5;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	opt.class_weight = ENT_CLASS_WEIGHT_NONE;
	opt.features.ngram_max = 9;
	CU_ASSERT_EQUAL(ent_train_options_check(&opt, &err), ENT_EPARAM);
	/* training checks them too */
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_model *m = NULL;
	CU_ASSERT_EQUAL(ent_model_train(&m, d, NULL, &opt, &err), ENT_EPARAM);
	CU_ASSERT_PTR_NULL(m);
	ent_dataset_free(d);
}

static void test_actors_embedded_and_masked(void)
{
	ent_actors *a = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_actors_new(&a, &err), ENT_OK);
	const char *dict = "BRA\tBrazil\nCHL\tChile\nKEN\tKenya\nNOR\tNorway\nEGY\tEgypt\nPER\tPeru\n"
	                   "VNM\tVietnam\nCAN\tCanada\nGHA\tGhana\nPOL\tPoland\n";
	CU_ASSERT_EQUAL_FATAL(ent_actors_load(a, dict, strlen(dict), "dict.tsv", &err), ENT_OK);
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	ent_model *m = train(d, a, &opt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	/* the dictionary is a copy: freeing ours changes nothing */
	ent_actors_free(a);
	const ent_features *f = ent_model_features(m);
	CU_ASSERT(ent_features_lookup(f, "<actor>", 7) > 0);
	CU_ASSERT_EQUAL(ent_features_lookup(f, "brazil", 6), 0);
	CU_ASSERT_EQUAL(ent_actors_code_count(ent_model_actors(m)), 10);

	char *bytes = NULL;
	size_t len = 0;
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(m, &bytes, &len, &err), ENT_OK);
	ent_model *back = NULL;
	CU_ASSERT_EQUAL_FATAL(parse(bytes, len, &err, &back), ENT_OK);
	CU_ASSERT_EQUAL(ent_actors_pattern_count(ent_model_actors(back)), 10);
	size_t slen = 0;
	const char *source = ent_actors_source(ent_model_actors(back), &slen);
	CU_ASSERT(slen == strlen(dict) && memcmp(source, dict, slen) == 0);
	size_t n = ent_dataset_count(d);
	int *la = malloc(n * sizeof *la), *lb = malloc(n * sizeof *lb);
	double *pa = malloc(n * 3 * sizeof *pa), *pb = malloc(n * 3 * sizeof *pb);
	CU_ASSERT_FATAL(la && lb && pa && pb);
	CU_ASSERT_EQUAL(predict_rows(m, d, la, pa), ENT_OK);
	CU_ASSERT_EQUAL(predict_rows(back, d, lb, pb), ENT_OK);
	CU_ASSERT(memcmp(la, lb, n * sizeof *la) == 0);
	CU_ASSERT(memcmp(pa, pb, n * 3 * sizeof *pa) == 0);
	free(la);
	free(lb);
	free(pa);
	free(pb);
	free(bytes);
	ent_model_free(back);
	ent_model_free(m);
	ent_dataset_free(d);
}

typedef struct progress_log {
	int calls, backwards, out_of_range;
	double last;
	char stage[32];
} progress_log;

static void record_progress(void *ctx, const char *stage, double fraction)
{
	progress_log *log = ctx;
	if (strcmp(stage, log->stage) != 0) {
		snprintf(log->stage, sizeof log->stage, "%s", stage);
		log->last = 0;
	}
	log->calls++;
	log->backwards += fraction < log->last;
	log->out_of_range += !(fraction >= 0 && fraction <= 1);
	log->last = fraction;
}

static void test_progress_and_cancel(void)
{
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	progress_log log;
	memset(&log, 0, sizeof log);
	opt.progress = record_progress;
	opt.progress_ctx = &log;
	ent_model *m = train(d, NULL, &opt);
	CU_ASSERT_PTR_NOT_NULL(m);
	CU_ASSERT(log.calls >= 3);
	CU_ASSERT_EQUAL(log.backwards, 0);
	CU_ASSERT_EQUAL(log.out_of_range, 0);
	CU_ASSERT_DOUBLE_EQUAL(log.last, 1.0, 0);
	/* progress reporting changes nothing in the model */
	char *bytes = NULL;
	size_t len = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	CU_ASSERT_EQUAL(ent_model_serialize(m, &bytes, &len, &err), ENT_OK);
	CU_ASSERT(len == shared_len && memcmp(bytes, shared_bytes, len) == 0);
	free(bytes);
	ent_model_free(m);

	volatile int cancel = 1;
	opt.cancel = &cancel;
	m = (ent_model *)&opt;
	CU_ASSERT_EQUAL(ent_model_train(&m, d, NULL, &opt, &err), ENT_EINTR);
	CU_ASSERT_PTR_NULL(m);
	ent_cv_result r;
	CU_ASSERT_EQUAL(ent_cross_validate(d, NULL, &opt, 3, &r, &err), ENT_EINTR);
	CU_ASSERT_PTR_NULL(r.predicted);
	ent_dataset_free(d);
}

/* ---- saving ---- */

static void test_atomic_save(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	ent_dataset *d = make_dataset(ENT_LABEL_COUNT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	ent_train_options opt = ENT_TRAIN_OPTIONS_INIT;
	opt.c = 0.25;
	ent_model *other = train(d, NULL, &opt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	char *b_bytes = NULL;
	size_t b_len = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL_FATAL(ent_model_serialize(other, &b_bytes, &b_len, &err), ENT_OK);

	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char path[4200];
	snprintf(path, sizeof path, "%s/model.ent", dir);
	CU_ASSERT_EQUAL_FATAL(ent_model_save(m, path, &err), ENT_OK);

	/* a writer replaces the file over and over while we read it: every
	 * read sees one whole model, old or new, never a mixture */
	fflush(NULL);
	pid_t child = fork();
	CU_ASSERT_FATAL(child >= 0);
	if (child == 0) {
		int failed = 0;
		for (int i = 0; i < 30 && !failed; i++)
			failed = ent_model_save(i % 2 ? m : other, path, NULL) != ENT_OK;
		_exit(failed);
	}
	int reads = 0, torn = 0, status = 0;
	for (;;) {
		pid_t done = waitpid(child, &status, WNOHANG);
		size_t len = 0;
		char *now = ent_test_read_file(path, &len);
		reads++;
		if (now == NULL || !((len == shared_len && memcmp(now, shared_bytes, len) == 0) ||
		                     (len == b_len && memcmp(now, b_bytes, len) == 0)))
			torn++;
		free(now);
		if (done == child)
			break;
	}
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT(reads > 0);
	CU_ASSERT_EQUAL(torn, 0);
	CU_ASSERT_EQUAL(temporary_files(dir), 0);

	/* in this process too: saving over an existing model replaces it */
	CU_ASSERT_EQUAL(ent_model_save(other, path, &err), ENT_OK);
	size_t len = 0;
	char *now = ent_test_read_file(path, &len);
	CU_ASSERT(now != NULL && len == b_len && memcmp(now, b_bytes, len) == 0);
	free(now);
	CU_ASSERT_EQUAL(temporary_files(dir), 0);
	free(b_bytes);
	ent_model_free(other);
	ent_dataset_free(d);
	ent_test_rmdir(dir);
}

static void test_save_unwritable_path(void)
{
	const ent_model *m = shared_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char path[4200];
	ent_error err = ENT_ERROR_INIT;
	snprintf(path, sizeof path, "%s/no/such/dir/model.ent", dir);
	CU_ASSERT_EQUAL(ent_model_save(m, path, &err), ENT_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "No such file or directory"));
	/* a directory in the way */
	CU_ASSERT_EQUAL(ent_model_save(m, dir, &err), ENT_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "directory"));
	CU_ASSERT_EQUAL(temporary_files(dir), 0);
	ent_test_rmdir(dir);
}

/* ---- corruption ---- */

static void expect_load_error(const char *path, const char *needle)
{
	ent_model *m = (ent_model *)&m;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_model_load(&m, path, &err), ENT_EMODEL);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(err.code, ENT_EMODEL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, path));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, needle));
	if (strstr(err.message, needle) == NULL)
		fprintf(stderr, "\n    '%s' lacks '%s'\n", err.message, needle);
	ent_model_free(m);
}

static void test_load_missing_empty_directory(void)
{
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char path[4200];
	snprintf(path, sizeof path, "%s/missing.ent", dir);
	expect_load_error(path, "No such file or directory");
	char *empty = ent_test_write_file(dir, "empty.ent", "", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	expect_load_error(empty, "empty");
	expect_load_error(dir, "directory");
	free(empty);
	ent_test_rmdir(dir);
}

static void test_load_foreign_files(void)
{
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	const struct {
		const char *data;
		size_t len;
	} foreign[] = {
	    {"hello world\n", 12},
	    {"PK\x03\x04\x14\x00\x00\x00\x08\x00", 10},
	    {"svm_type c_svc\nkernel_type linear\nnr_class 3\n", 45},
	    {"entente-model", 13},
	    {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16},
	};
	for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "foreign%zu", i);
		char *path = ent_test_write_file(dir, name, foreign[i].data, foreign[i].len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(path);
		expect_load_error(path, "not an entente model");
		free(path);
	}
	ent_test_rmdir(dir);
}

static void test_truncated_every_tenth(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	for (int tenth = 0; tenth < 10; tenth++) {
		size_t len = shared_len * (size_t)tenth / 10;
		ent_model *m = NULL;
		ent_error err = ENT_ERROR_INIT;
		CU_ASSERT_EQUAL(parse(shared_bytes, len, &err, &m), ENT_EMODEL);
		CU_ASSERT_PTR_NULL(m);
		CU_ASSERT(strlen(err.message) > 10);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "bundle"));
		ent_model_free(m);
		/* with a checksum that fits what is left, the parser itself must notice */
		char *copy = exact_copy(shared_bytes, len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		if (len > 100 && fix_checksum(copy, len) == 0) {
			CU_ASSERT_EQUAL(parse(copy, len, &err, &m), ENT_EMODEL);
			CU_ASSERT_PTR_NULL(m);
			ent_model_free(m);
		}
		free(copy);
	}
	/* one byte short */
	ent_model *m = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(parse(shared_bytes, shared_len - 1, &err, &m), ENT_EMODEL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "checksum"));
	ent_model_free(m);
}

static void test_bit_flips(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	char *copy = exact_copy(shared_bytes, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	int failures = 0;
	for (size_t k = 0; k < 50; k++) {
		size_t offset = (shared_len - 1) * k / 49;
		unsigned char bit = (unsigned char)(1u << (k % 8));
		copy[offset] = (char)(copy[offset] ^ bit);
		ent_model *m = NULL;
		ent_error err = ENT_ERROR_INIT;
		int rc = ent_model_parse(&m, copy, shared_len, "flipped", &err);
		if (rc != ENT_EMODEL || m != NULL || strstr(err.message, "flipped") == NULL) {
			failures++;
			fprintf(stderr, "\n    flip at %zu bit %d: rc %d '%s'\n", offset, (int)(k % 8), rc,
			        err.message);
		}
		ent_model_free(m);
		copy[offset] = (char)(copy[offset] ^ bit);
	}
	CU_ASSERT_EQUAL(failures, 0);
	/* restored, it loads */
	ent_model *m = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_model_parse(&m, copy, shared_len, "restored", &err), ENT_OK);
	ent_model_free(m);
	free(copy);
}

/* Flips with a matching checksum: the parser sees the damage itself. It
 * must reject it or give a model that still predicts sanely; never crash. */
static void test_bit_flips_behind_valid_checksum(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	char *copy = exact_copy(shared_bytes, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	const char *first = memchr(copy, '\n', shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	const char *second = memchr(first + 1, '\n', shared_len - (size_t)(first + 1 - copy));
	CU_ASSERT_PTR_NOT_NULL_FATAL(second);
	size_t body = (size_t)(second + 1 - copy);
	int rejected = 0, accepted = 0, bad = 0;
	ent_vector v = ENT_VECTOR_INIT;
	for (size_t k = 0; k < 300; k++) {
		size_t offset = body + (shared_len - body - 1) * k / 299;
		unsigned char bit = (unsigned char)(1u << ((k * 3) % 8));
		copy[offset] = (char)(copy[offset] ^ bit);
		CU_ASSERT_EQUAL_FATAL(fix_checksum(copy, shared_len), 0);
		ent_model *m = NULL;
		ent_error err = ENT_ERROR_INIT;
		int rc = ent_model_parse(&m, copy, shared_len, "flipped", &err);
		if (rc == ENT_EMODEL && m == NULL) {
			rejected++;
		} else if (rc == ENT_OK && m != NULL) {
			accepted++;
			/* predict a few rows through both paths */
			ent_sentence_featurizer *f = NULL;
			if (ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)),
			                                ent_model_actors(m), &err) != ENT_OK) {
				bad++;
			} else {
				for (size_t i = 0; i < 6; i++) {
					const ent_data_row *row = ent_dataset_row(shared_data, i);
					double p[ENT_LABEL_COUNT], q[ENT_LABEL_COUNT];
					if (ent_sentence_featurizer_run(f, row->text, row->text_len, &err) !=
					        ENT_OK ||
					    ent_features_vectorize(ent_model_features(m),
					                           ent_sentence_featurizer_extractor(f), &v,
					                           &err) != ENT_OK) {
						bad++;
						continue;
					}
					int a = ent_model_predict(m, &v, p);
					int b = ent_model_predict_reference(m, &v, q);
					if (a < 0 || a >= ENT_LABEL_COUNT || b < 0 || b >= ENT_LABEL_COUNT ||
					    !(fabs(probs_sum(p) - 1.0) < 1e-6))
						bad++;
				}
				ent_sentence_featurizer_free(f);
			}
			ent_model_free(m);
		} else {
			bad++;
			fprintf(stderr, "\n    flip at %zu: rc %d model %p '%s'\n", offset, rc, (void *)m,
			        err.message);
			ent_model_free(m);
		}
		copy[offset] = (char)(copy[offset] ^ bit);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(rejected > 50);
	CU_ASSERT_EQUAL(rejected + accepted, 300);
	ent_vector_release(&v);
	free(copy);
}

static void test_newer_format_version(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	char *copy = exact_copy(shared_bytes, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	CU_ASSERT_FATAL(memcmp(copy, "entente-model 1\n", 16) == 0);
	copy[14] = '2';
	CU_ASSERT_EQUAL_FATAL(fix_checksum(copy, shared_len), 0);
	/* only the version differs from the original */
	size_t differ = 0;
	for (size_t i = 0; i < shared_len; i++)
		differ += copy[i] != shared_bytes[i];
	CU_ASSERT_EQUAL(differ, 1);
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char *path = ent_test_write_file(dir, "v2.ent", copy, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	expect_load_error(path, "newer");
	ent_model *m = NULL;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_model_load(&m, path, &err), ENT_EMODEL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "version 2"));
	free(path);
	/* a version 0 is not newer, and not valid either */
	copy[14] = '0';
	path = ent_test_write_file(dir, "v0.ent", copy, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	CU_ASSERT_EQUAL(ent_model_load(&m, path, &err), ENT_EMODEL);
	CU_ASSERT_PTR_NULL(strstr(err.message, "newer"));
	free(path);
	ent_test_rmdir(dir);
	free(copy);
}

static void test_wrong_checksum(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	char *copy = exact_copy(shared_bytes, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	CU_ASSERT_FATAL(memcmp(copy + 16, "sha256 ", 7) == 0);
	copy[23] = copy[23] == '0' ? '1' : '0';
	char *dir = ent_test_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	char *path = ent_test_write_file(dir, "bad-sum.ent", copy, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	expect_load_error(path, "checksum mismatch");
	free(path);
	/* a checksum line that is not 64 hex digits */
	memcpy(copy + 23, "xyz ", 4);
	path = ent_test_write_file(dir, "no-sum.ent", copy, shared_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	expect_load_error(path, "checksum");
	free(path);
	ent_test_rmdir(dir);
	free(copy);
}

/* Replaces the first occurrence of from by to in a bundle and fixes its checksum. */
static char *replace_in_bundle(const char *from, const char *to, size_t *len)
{
	const char *at = strstr(shared_bytes, from);
	if (at == NULL)
		return NULL;
	size_t head = (size_t)(at - shared_bytes), fl = strlen(from), tl = strlen(to);
	*len = shared_len - fl + tl;
	char *out = malloc(*len);
	if (out == NULL)
		return NULL;
	memcpy(out, shared_bytes, head);
	memcpy(out + head, to, tl);
	memcpy(out + head + tl, at + fl, shared_len - head - fl);
	if (fix_checksum(out, *len) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_bad_sections_behind_valid_checksum(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	const char *cases[][3] = {
	    {"\nactors 0\n\nsvm\n", "\nactors 3\nXX\n\nsvm\n",
	     "bad actor dictionary: embedded actors:1: expected CODE<TAB>PATTERN"},
	    {"\nkernel linear\n", "\nkernel poly\n", "kernel"},
	    {"\nclasses 3 3\n", "\nclasses 4 3\n", "classes"},
	    {"\nlabels 0 1 2\n", "\nlabels 0 1 1\n", "twice"},
	    {"\nlabels 0 1 2\n", "\nlabels 0 1 7\n", "labels"},
	    {"metadata ", "metadata 9", "metadata"},
	    {"\nvocabulary ", "\nvocabulary 9", "TERM"},
	    {"\nend\n", "\nend\ntrailing\n", "end"},
	    {"\nend\n", "\n", "end"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = 0;
		char *bytes = replace_in_bundle(cases[i][0], cases[i][1], &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
		ent_model *m = NULL;
		ent_error err = ENT_ERROR_INIT;
		CU_ASSERT_EQUAL(parse(bytes, len, &err, &m), ENT_EMODEL);
		CU_ASSERT_PTR_NULL(m);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "bundle"));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, cases[i][2]));
		if (strstr(err.message, cases[i][2]) == NULL)
			fprintf(stderr, "\n    case %zu: '%s'\n", i, err.message);
		ent_model_free(m);
		free(bytes);
	}
}

static void test_errors_without_error_record(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared_model());
	ent_model *m = NULL;
	/* err may be NULL everywhere: the code still comes back */
	CU_ASSERT_EQUAL(ent_model_parse(&m, shared_bytes, shared_len / 2, "half", NULL), ENT_EMODEL);
	CU_ASSERT_EQUAL(ent_model_parse(&m, "", 0, "empty", NULL), ENT_EMODEL);
	size_t len = 0;
	char *bytes = replace_in_bundle("\nactors 0\n\nsvm\n", "\nactors 3\nXX\n\nsvm\n", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
	CU_ASSERT_EQUAL(ent_model_parse(&m, bytes, len, "actors", NULL), ENT_EMODEL);
	free(bytes);
	bytes = replace_in_bundle("\nkernel linear\n", "\nkernel poly\n", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
	CU_ASSERT_EQUAL(ent_model_parse(&m, bytes, len, "svm", NULL), ENT_EMODEL);
	free(bytes);
	CU_ASSERT_EQUAL(ent_model_load(&m, "/nonexistent/entente/model.ent", NULL), ENT_EMODEL);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT_EQUAL(ent_model_parse(&m, shared_bytes, shared_len, "whole", NULL), ENT_OK);
	ent_model_free(m);
}

ENT_TEST_MAIN("model", ENT_TEST(test_train_learns_the_labels), ENT_TEST(test_probabilities_sum_to_one), ENT_TEST(test_json_report_round_trips_every_byte),
              ENT_TEST(test_fast_path_equals_libsvm), ENT_TEST(test_rbf_equals_libsvm),
              ENT_TEST(test_save_load_round_trip), ENT_TEST(test_serialize_twice_identical),
              ENT_TEST(test_training_deterministic), ENT_TEST(test_metadata), ENT_TEST(test_grid_search),
              ENT_TEST(test_cross_validate), ENT_TEST(test_folds_stratified_and_seeded),
              ENT_TEST(test_one_label_is_an_error), ENT_TEST(test_train_options_check),
              ENT_TEST(test_actors_embedded_and_masked), ENT_TEST(test_progress_and_cancel),
              ENT_TEST(test_atomic_save), ENT_TEST(test_save_unwritable_path),
              ENT_TEST(test_load_missing_empty_directory), ENT_TEST(test_load_foreign_files),
              ENT_TEST(test_truncated_every_tenth), ENT_TEST(test_bit_flips),
              ENT_TEST(test_bit_flips_behind_valid_checksum), ENT_TEST(test_newer_format_version),
              ENT_TEST(test_wrong_checksum), ENT_TEST(test_bad_sections_behind_valid_checksum),
              ENT_TEST(test_errors_without_error_record), ENT_TEST(test_evaluate_equals_predict_text))
