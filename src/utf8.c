#include "utf8.h"

size_t ent_utf8_sequence(const unsigned char *s, size_t avail, int *valid)
{
	unsigned char lead = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need = 0;
	if (lead < 0x80)
		need = 1;
	else if (lead >= 0xC2 && lead <= 0xDF)
		need = 2;
	else if (lead >= 0xE0 && lead <= 0xEF)
		need = 3;
	else if (lead >= 0xF0 && lead <= 0xF4)
		need = 4;
	if (lead == 0xE0)
		lo = 0xA0; /* below is overlong */
	else if (lead == 0xED)
		hi = 0x9F; /* above is a surrogate */
	else if (lead == 0xF0)
		lo = 0x90; /* below is overlong */
	else if (lead == 0xF4)
		hi = 0x8F; /* above is beyond U+10FFFF */
	size_t got = 1;
	while (got < need && got < avail && s[got] >= lo && s[got] <= hi) {
		got++;
		lo = 0x80;
		hi = 0xBF;
	}
	*valid = need > 0 && got == need;
	return got;
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
		int valid;
		size_t n = ent_utf8_sequence(u + i, len - i, &valid);
		if (!valid)
			return i;
		i += n;
	}
	return (size_t)-1;
}
