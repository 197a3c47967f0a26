/* Private: a strict cursor over in-memory text, for entente's own file
 * formats. Every reader returns 1 on success and 0 when the text does not
 * match; ent_scan_where() gives the line for the error message. */
#ifndef ENT_SCAN_H
#define ENT_SCAN_H

#include <stddef.h>

typedef struct ent_scan {
	const char *s;
	size_t len, pos;
	size_t line; /* 1-based */
} ent_scan;

void ent_scan_init(ent_scan *sc, const char *s, size_t len, size_t first_line);
/* A run of non-blank bytes after optional spaces (not crossing a newline). */
int ent_scan_word(ent_scan *sc, const char **word, size_t *len);
int ent_scan_expect(ent_scan *sc, const char *word);
int ent_scan_long(ent_scan *sc, long long min, long long max, long long *out);
int ent_scan_double(ent_scan *sc, double *out);
/* Optional spaces, then the end of a line ("\n"), consumed. */
int ent_scan_eol(ent_scan *sc);
/* The rest of the line (without "\n"), consumed with its "\n". */
int ent_scan_line(ent_scan *sc, const char **line, size_t *len);
int ent_scan_at_end(const ent_scan *sc);

/* Parses a whole finite double from s[0..len), whatever the locale. */
int ent_parse_double(const char *s, size_t len, double *out);

#endif
