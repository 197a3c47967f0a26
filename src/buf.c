#include "buf.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ent_buf_reserve(ent_buf *b, size_t extra)
{
	if (extra > ((size_t)-1) / 2 - b->len)
		return -1;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int ent_buf_append_grow(ent_buf *b, const char *data, size_t len)
{
	if (ent_buf_reserve(b, len) != 0)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ent_buf_printf(ent_buf *b, const char *fmt, ...)
{
	/* Formats straight into the spare room; only a miss formats twice. */
	if (ent_buf_reserve(b, 64) != 0)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= room) {
		if (ent_buf_reserve(b, (size_t)n) != 0)
			return -1;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return 0;
}

int ent_buf_fixed(ent_buf *b, double value, int decimals)
{
	/* Like the "%.*f" conversion for the small numbers of reports, at a fraction of the cost. */
	static const double scale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	if (decimals < 0 || decimals > 9 || !(value > -1e9 && value < 1e9))
		return ent_buf_printf(b, "%.*f", decimals < 0 ? 0 : decimals, value);
	char tmp[32], *p = tmp + sizeof tmp;
	unsigned long long units = (unsigned long long)((value < 0 ? -value : value) * scale[decimals] + 0.5);
	int negative = value < 0 && units > 0;
	for (int d = 0; d < decimals; d++, units /= 10)
		*--p = (char)('0' + units % 10);
	if (decimals > 0)
		*--p = '.';
	do {
		*--p = (char)('0' + units % 10);
		units /= 10;
	} while (units > 0);
	if (negative)
		*--p = '-';
	return ent_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

int ent_buf_uint(ent_buf *b, unsigned long long value)
{
	char tmp[24], *p = tmp + sizeof tmp;
	do {
		*--p = (char)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	return ent_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

int ent_buf_double(ent_buf *b, double value)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.17g", value);
	/* A host program may have set a locale with a decimal comma. */
	const char *point = localeconv()->decimal_point;
	if (point != NULL && point[0] != '.' && point[0] != '\0') {
		char *p = strchr(tmp, point[0]);
		if (p != NULL)
			*p = '.';
	}
	return ent_buf_puts(b, tmp);
}

void ent_buf_release(ent_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int ent_array_reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap && *p != NULL)
		return 0;
	size_t n = *cap < 16 ? 16 : *cap;
	while (n < need)
		n = n > ((size_t)-1) / 4 ? need : n * 2;
	if (elem == 0 || n > ((size_t)-1) / elem)
		return -1;
	void *q = realloc(*p, n * elem);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}
