#include "utf8.h"

static int continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t ent_utf8_sequence(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0; /* continuation byte, overlong 2-byte lead, or past U+10FFFF */
	size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!continuation(s[i]))
			return 0;
	if (c == 0xE0 && s[1] < 0xA0)
		return 0; /* overlong 3-byte form */
	if (c == 0xED && s[1] >= 0xA0)
		return 0; /* UTF-16 surrogate */
	if (c == 0xF0 && s[1] < 0x90)
		return 0; /* overlong 4-byte form */
	if (c == 0xF4 && s[1] >= 0x90)
		return 0; /* past U+10FFFF */
	return n;
}

size_t ent_utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = ent_utf8_sequence(u + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return (size_t)-1;
}
