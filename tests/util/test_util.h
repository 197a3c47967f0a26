/* Shared helpers for the CUnit suites: one binary per module. */
#ifndef ENT_TEST_UTIL_H
#define ENT_TEST_UTIL_H

#include <CUnit/Basic.h>
#include <stddef.h>

typedef struct ent_test_case {
	const char *name;
	void (*fn)(void);
} ent_test_case;

/* Runs the cases as one suite; returns the process exit status. */
int ent_test_run(const char *suite, const ent_test_case *cases, size_t count);

/* A fresh private directory under $TMPDIR (removed by ent_test_rmdir). */
char *ent_test_tmpdir(void);
void ent_test_rmdir(char *dir);
/* Writes len bytes to dir/name; returns the malloc'ed path. */
char *ent_test_write_file(const char *dir, const char *name, const char *data, size_t len);
/* Reads a whole file into a NUL-terminated malloc'ed buffer. */
char *ent_test_read_file(const char *path, size_t *len);

#define ENT_TEST_MAIN(suite, ...)                                                       \
	int main(void)                                                                  \
	{                                                                               \
		static const ent_test_case cases[] = {__VA_ARGS__};                     \
		return ent_test_run(suite, cases, sizeof cases / sizeof cases[0]);      \
	}
#define ENT_TEST(fn) {#fn, fn}

#endif
