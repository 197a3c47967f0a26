/* Shared by the libFuzzer targets in tests/fuzz/: invariant checks, the
 * embedded training sentences and actor dictionary, and the small model
 * that the classify and model targets (and their seed corpora) are built on. */
#ifndef ENT_FUZZ_UTIL_H
#define ENT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "entente/actors.h"
#include "entente/model.h"

/* Stops the fuzzer on a broken invariant (a crash libFuzzer records). */
#define FUZZ_CHECK(cond)                  \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

/* libFuzzer's entry points; declared here for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
int fuzz_utf8_valid(const char *s, size_t n);

/* The embedded actor dictionary text (NUL-terminated). */
extern const char fuzz_actors_text[];

/* A small model trained on the embedded sentences with the embedded actor
 * dictionary (masking on, default options). Returns NULL on failure after
 * printing the error to stderr. The caller frees both. */
ent_model *fuzz_train_model(ent_actors **actors_out);

#endif
