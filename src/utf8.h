/* Private: strict UTF-8 validation (no overlong forms, surrogates or values
 * past U+10FFFF). */
#ifndef ENT_UTF8_H
#define ENT_UTF8_H

#include <stddef.h>

/* Length of the sequence at s (avail >= 1 bytes). *valid tells whether it is
 * valid; when it is not, the length is that of its maximal subpart (Unicode
 * 15 section 3.9, as WHATWG and Python decode), so one U+FFFD replaces a
 * truncated sequence and one each byte of an overlong form, a surrogate or a
 * code point above U+10FFFF. NUL counts as valid here. */
size_t ent_utf8_sequence(const unsigned char *s, size_t avail, int *valid);
/* Byte offset of the first invalid sequence, or (size_t)-1 when all valid. */
size_t ent_utf8_invalid_at(const char *s, size_t len);

#endif
