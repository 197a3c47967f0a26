#include "scan.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ent_scan_init(ent_scan *sc, const char *s, size_t len, size_t first_line)
{
	sc->s = s;
	sc->len = len;
	sc->pos = 0;
	sc->line = first_line;
}

static void skip_spaces(ent_scan *sc)
{
	while (sc->pos < sc->len && sc->s[sc->pos] == ' ')
		sc->pos++;
}

int ent_scan_word(ent_scan *sc, const char **word, size_t *len)
{
	skip_spaces(sc);
	size_t start = sc->pos;
	while (sc->pos < sc->len && sc->s[sc->pos] != ' ' && sc->s[sc->pos] != '\n' &&
	       sc->s[sc->pos] != '\t')
		sc->pos++;
	*word = sc->s + start;
	*len = sc->pos - start;
	return *len > 0;
}

int ent_scan_expect(ent_scan *sc, const char *word)
{
	const char *w;
	size_t n;
	size_t saved = sc->pos;
	if (ent_scan_word(sc, &w, &n) && n == strlen(word) && memcmp(w, word, n) == 0)
		return 1;
	sc->pos = saved;
	return 0;
}

int ent_scan_long(ent_scan *sc, long long min, long long max, long long *out)
{
	const char *w;
	size_t n;
	char tmp[32];
	if (!ent_scan_word(sc, &w, &n) || n >= sizeof tmp)
		return 0;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	char *end;
	errno = 0;
	long long v = strtoll(tmp, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

int ent_parse_double(const char *s, size_t len, double *out)
{
	char tmp[64];
	if (len == 0 || len >= sizeof tmp)
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	/* strtod follows the locale's decimal point; the files always use '.'. */
	const char *point = localeconv()->decimal_point;
	if (point != NULL && point[0] != '.' && point[0] != '\0') {
		char *p = strchr(tmp, '.');
		if (p != NULL)
			*p = point[0];
	}
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (errno == ERANGE && fabs(v) > 1.0)
		return 0;
	if (*end != '\0' || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

int ent_scan_double(ent_scan *sc, double *out)
{
	const char *w;
	size_t n;
	return ent_scan_word(sc, &w, &n) && ent_parse_double(w, n, out);
}

int ent_scan_eol(ent_scan *sc)
{
	skip_spaces(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == '\n') {
		sc->pos++;
		sc->line++;
		return 1;
	}
	return 0;
}

int ent_scan_line(ent_scan *sc, const char **line, size_t *len)
{
	const char *nl = memchr(sc->s + sc->pos, '\n', sc->len - sc->pos);
	if (nl == NULL)
		return 0;
	*line = sc->s + sc->pos;
	*len = (size_t)(nl - *line);
	sc->pos += *len + 1;
	sc->line++;
	return 1;
}

int ent_scan_at_end(const ent_scan *sc)
{
	return sc->pos >= sc->len;
}
