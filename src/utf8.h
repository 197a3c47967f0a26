/* Private: strict UTF-8 validation (no overlong forms, surrogates or values
 * past U+10FFFF). */
#ifndef ENT_UTF8_H
#define ENT_UTF8_H

#include <stddef.h>

/* Length of the valid sequence starting at s (1..4), or 0 when invalid. */
size_t ent_utf8_sequence(const unsigned char *s, size_t avail);
/* Byte offset of the first invalid sequence, or (size_t)-1 when all valid. */
size_t ent_utf8_invalid_at(const char *s, size_t len);

#endif
