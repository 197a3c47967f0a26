#include "entente/lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct ent_lines {
	FILE *stream;
	size_t max_len;
	ent_buf line;
	size_t number;
	int at_eof;
};

ent_lines *ent_lines_new(FILE *stream, size_t max_len)
{
	ent_lines *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->stream = stream;
	r->max_len = max_len;
	return r;
}

void ent_lines_free(ent_lines *r)
{
	if (r == NULL)
		return;
	ent_buf_release(&r->line);
	free(r);
}

static void strip_line_end(ent_lines *r)
{
	if (r->line.len > 0 && r->line.data[r->line.len - 1] == '\r')
		r->line.data[--r->line.len] = '\0';
	if (r->number == 1 && r->line.len >= 3 && memcmp(r->line.data, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->line.data, r->line.data + 3, r->line.len - 2);
		r->line.len -= 3;
	}
}

int ent_lines_next(ent_lines *r, const char **line, size_t *len)
{
	if (r->at_eof)
		return ENT_LINE_EOF;
	r->line.len = 0;
	size_t seen = 0;
	int c;
	while ((c = getc_unlocked(r->stream)) != EOF && c != '\n') {
		seen++;
		if (seen > r->max_len + 1)
			continue; /* +1 leaves room for a '\r' before '\n' */
		if (r->line.len + 1 >= r->line.cap && ent_buf_reserve(&r->line, 1) != 0) {
			errno = ENOMEM;
			return ENT_LINE_ERROR;
		}
		r->line.data[r->line.len++] = (char)c;
	}
	if (c == EOF) {
		if (ferror(r->stream))
			return ENT_LINE_ERROR;
		r->at_eof = 1;
		if (seen == 0)
			return ENT_LINE_EOF;
	}
	r->number++;
	if (ent_buf_reserve(&r->line, 0) != 0) {
		errno = ENOMEM;
		return ENT_LINE_ERROR;
	}
	r->line.data[r->line.len] = '\0';
	strip_line_end(r);
	*line = r->line.data;
	*len = seen > r->max_len + 1 ? seen : r->line.len;
	return (r->line.len > r->max_len || seen > r->max_len + 1) ? ENT_LINE_TOO_LONG : ENT_LINE_OK;
}

size_t ent_lines_number(const ent_lines *r)
{
	return r->number;
}
