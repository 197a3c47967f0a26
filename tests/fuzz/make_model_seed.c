/* Writes the seed corpus of fuzz_model: a real small bundle (the model the
 * fuzz targets train from embedded sentences, serialized with
 * ent_model_serialize), its truncations at every section and in the middle
 * of one, and its body alone (fuzz_model recomputes the checksum).
 * Usage: make_model_seed DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static int write_seed(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

/* Offset of the first line that starts with word and a space or newline,
 * or len. */
static size_t line_at(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n < len; i++)
		if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, word, n) == 0 &&
		    (s[i + n] == ' ' || s[i + n] == '\n'))
			return i;
	return len;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_model_seed DIR\n");
		return 2;
	}
	ent_actors *actors = NULL;
	ent_model *m = fuzz_train_model(&actors);
	ent_error err = ENT_ERROR_INIT;
	char *data = NULL;
	size_t len = 0;
	if (m == NULL || ent_model_serialize(m, &data, &len, &err) != ENT_OK) {
		fprintf(stderr, "make_model_seed: %s\n", err.message);
		return 1;
	}
	static const char *const sections[] = {"metadata", "features", "vocabulary", "actors", "svm", "kernel",
					       "classes", "sv", "end"};
	int rc = write_seed(argv[1], "bundle.model", data, len);
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		char name[64];
		size_t at = line_at(data, len, sections[i]);
		snprintf(name, sizeof name, "cut-before-%s.model", sections[i]);
		rc |= write_seed(argv[1], name, data, at);
	}
	rc |= write_seed(argv[1], "cut-half.model", data, len / 2);
	rc |= write_seed(argv[1], "cut-last-byte.model", data, len - 1);
	size_t body = line_at(data, len, "metadata");
	rc |= write_seed(argv[1], "body-only.model", data + body, len - body);
	free(data);
	ent_model_free(m);
	ent_actors_free(actors);
	return rc;
}
