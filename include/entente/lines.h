/* entente — lines: reads a stream line by line with a hard cap on line length, so a
 * hostile file cannot exhaust memory. Lines are returned without "\n" or "\r\n". */
#ifndef ENTENTE_LINES_H
#define ENTENTE_LINES_H

#include <stdio.h>
#include <stddef.h>

typedef struct ent_lines ent_lines;

enum { ENT_LINE_OK = 0, ENT_LINE_EOF = 1, ENT_LINE_TOO_LONG = 2, ENT_LINE_ERROR = -1 };

/* stream is borrowed; max_len is the longest accepted line in bytes. */
ent_lines *ent_lines_new(FILE *stream, size_t max_len);
void ent_lines_free(ent_lines *r);

/* Next line: ENT_LINE_OK with line and len valid until the next call,
 * ENT_LINE_TOO_LONG (the rest of that line was skipped; *len holds how many
 * bytes it had), ENT_LINE_EOF, or ENT_LINE_ERROR (read error or no memory;
 * errno tells which). A UTF-8 byte order mark on line 1 is dropped. */
int ent_lines_next(ent_lines *r, const char **line, size_t *len);
/* 1-based number of the line last returned. */
size_t ent_lines_number(const ent_lines *r);

#endif
