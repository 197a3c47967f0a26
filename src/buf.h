/* Private: a growable byte buffer. Zero-initialise ({0}) before use. */
#ifndef ENT_BUF_H
#define ENT_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct ent_buf {
	char *data;
	size_t len, cap;
} ent_buf;

/* Each returns 0, or -1 when out of memory (the buffer is unchanged). */
int ent_buf_reserve(ent_buf *b, size_t extra);
int ent_buf_append_grow(ent_buf *b, const char *data, size_t len);

/* Inline because reports append thousands of short pieces per article: with
 * room to spare this is a copy, and the length of a literal folds away. */
static inline int ent_buf_append(ent_buf *b, const char *data, size_t len)
{
	if (b->data == NULL || len >= b->cap - b->len)
		return ent_buf_append_grow(b, data, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

static inline int ent_buf_puts(ent_buf *b, const char *s)
{
	return ent_buf_append(b, s, strlen(s));
}
int ent_buf_printf(ent_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Appends value with a fixed number of decimals (0-9), like "%.*f" in the C
 * locale but rounding half away from zero. */
int ent_buf_fixed(ent_buf *b, double value, int decimals);
int ent_buf_uint(ent_buf *b, unsigned long long value);
/* Appends a double that reads back bit-identically, whatever the locale. */
int ent_buf_double(ent_buf *b, double value);
void ent_buf_release(ent_buf *b);

/* Grows the array *p (room for *cap elements of elem bytes) to hold need,
 * doubling; allocates when *p is NULL. Returns 0, or -1 when memory or the
 * size runs out, leaving *p and *cap as they were. */
int ent_array_reserve(void **p, size_t *cap, size_t need, size_t elem);

#endif
