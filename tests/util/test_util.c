#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ent_test_run(const char *suite, const ent_test_case *cases, size_t count)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	CU_pSuite s = CU_add_suite(suite, NULL, NULL);
	for (size_t i = 0; s != NULL && i < count; i++)
		CU_add_test(s, cases[i].name, cases[i].fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	int status = (CU_get_error() != CUE_SUCCESS || failed > 0) ? 1 : 0;
	CU_cleanup_registry();
	return status;
}

char *ent_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/entente-test-XXXXXX", base ? base : "/tmp");
	if (mkdtemp(tmpl) == NULL)
		return NULL;
	return strdup(tmpl);
}

void ent_test_rmdir(char *dir)
{
	if (dir == NULL)
		return;
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
	free(dir);
}

char *ent_test_write_file(const char *dir, const char *name, const char *data, size_t len)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	if (path == NULL)
		return NULL;
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		free(path);
		return NULL;
	}
	size_t wrote = fwrite(data, 1, len, f);
	if (fclose(f) != 0 || wrote != len) {
		free(path);
		return NULL;
	}
	return path;
}

char *ent_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		if (n + 1 >= cap) {
			char *grown = realloc(buf, cap * 2);
			if (grown == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	if (buf != NULL) {
		buf[n] = '\0';
		if (len != NULL)
			*len = n;
	}
	return buf;
}
