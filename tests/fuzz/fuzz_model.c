/* Fuzz target: ent_model_parse on the input. The bundle's SHA-256 would stop
 * the fuzzer at the header, so the input is parsed twice: as it is, and with
 * its checksum line recomputed (the body is the input after a magic and a
 * checksum line when it has them, else the whole input). A bundle that parses
 * must serialize to bytes that parse again to the same bytes, and must
 * classify a short article with labels in range. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "entente/classify.h"
#include "fuzz_util.h"

static const char article[] =
	"Pakistan accused India of firing across the Line of Control.\n\n"
	"Modi and Putin signed a trade agreement in Moscow on Monday, the Kremlin said.";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_model(const ent_model *m)
{
	ent_error err = ENT_ERROR_INIT;
	FUZZ_CHECK(ent_model_metadata(m) != NULL && ent_model_actors(m) != NULL);
	int kernel = ent_model_kernel(m);
	FUZZ_CHECK(kernel == ENT_KERNEL_LINEAR || kernel == ENT_KERNEL_RBF);

	/* Serialize, parse, serialize: a fixed point. */
	char *once = NULL, *twice = NULL;
	size_t once_len = 0, twice_len = 0;
	ent_model *again = NULL;
	FUZZ_CHECK(ent_model_serialize(m, &once, &once_len, &err) == ENT_OK);
	FUZZ_CHECK(ent_model_parse(&again, once, once_len, "reserialized", &err) == ENT_OK);
	FUZZ_CHECK(ent_model_serialize(again, &twice, &twice_len, &err) == ENT_OK);
	FUZZ_CHECK(once_len == twice_len && memcmp(once, twice, once_len) == 0);
	ent_model_free(again);
	free(once);
	free(twice);

	/* One sentence through the featurizer, then an article through classify. */
	ent_sentence_featurizer *f = NULL;
	double probs[ENT_LABEL_COUNT];
	FUZZ_CHECK(ent_sentence_featurizer_new(&f, ent_features_options(ent_model_features(m)),
					       ent_model_actors(m), &err) == ENT_OK);
	int label = ent_model_predict_text(m, f, article, sizeof article - 1, probs, &err);
	FUZZ_CHECK(label >= 0 && label < ENT_LABEL_COUNT);
	ent_sentence_featurizer_free(f);

	ent_classifier *c = NULL;
	const ent_article *a = NULL;
	FUZZ_CHECK(ent_classifier_new(&c, m, NULL, &err) == ENT_OK);
	FUZZ_CHECK(ent_classifier_run(c, "fuzz", "2020-06-15", article, sizeof article - 1, &a, &err) == ENT_OK);
	for (size_t i = 0; i < a->sentence_count; i++)
		FUZZ_CHECK(ent_label_name(a->sentences[i].label) != NULL);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	FUZZ_CHECK(ent_report_article(a, ent_model_actors(m), ENT_FORMAT_JSONL, &buf, &cap, &len, &err) == ENT_OK);
	free(buf);
	ent_classifier_free(c);
}

static void parse(const char *data, size_t size)
{
	ent_error err = ENT_ERROR_INIT;
	ent_model *m = NULL;
	int rc = ent_model_parse(&m, data, size, "fuzz.model", &err);
	if (rc == ENT_OK) {
		FUZZ_CHECK(m != NULL);
		check_model(m);
	} else {
		FUZZ_CHECK(m == NULL && rc < 0 && err.code == rc && err.message[0] != '\0');
		FUZZ_CHECK(rc == ENT_EMODEL || rc == ENT_ENOMEM);
	}
	ent_model_free(m);
}

/* Skips one line starting with prefix; returns the position after it or 0. */
static size_t skip_line(const char *s, size_t len, size_t pos, const char *prefix)
{
	size_t n = strlen(prefix);
	if (len - pos < n || memcmp(s + pos, prefix, n) != 0)
		return 0;
	const char *nl = memchr(s + pos, '\n', len - pos);
	return nl ? (size_t)(nl - s) + 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	parse(in, size);

	size_t body = skip_line(in, size, 0, "entente-model ");
	if (body > 0)
		body = skip_line(in, size, body, "sha256 ");
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, size - body, data + body);
	sha256_digest(&ctx, sizeof digest, digest);
	char head[128];
	int n = snprintf(head, sizeof head, "entente-model %d\nsha256 ", ENT_MODEL_FORMAT_VERSION);
	for (size_t i = 0; i < sizeof digest; i++)
		n += snprintf(head + n, sizeof head - (size_t)n, "%02x", digest[i]);
	head[n++] = '\n';
	char *fixed = malloc((size_t)n + size - body);
	FUZZ_CHECK(fixed != NULL);
	memcpy(fixed, head, (size_t)n);
	memcpy(fixed + n, in + body, size - body);
	parse(fixed, (size_t)n + size - body);
	free(fixed);
	return 0;
}
