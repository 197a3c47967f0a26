#include "entente/lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define CHUNK 65536

struct ent_lines {
	FILE *stream;
	size_t max_len;
	ent_buf line;
	size_t number;
	int at_eof;
	char chunk[CHUNK]; /* read ahead, so lines are found with memchr */
	size_t chunk_pos, chunk_len;
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

/* Refills the chunk; 0 on data, 1 at the end, -1 on a read error. */
static int refill(ent_lines *r)
{
	r->chunk_pos = 0;
	r->chunk_len = fread(r->chunk, 1, CHUNK, r->stream);
	if (r->chunk_len > 0)
		return 0;
	return ferror(r->stream) ? -1 : 1;
}

/* Appends up to the cap (+1 for a '\r' before '\n'); the excess is counted only. */
static int keep(ent_lines *r, const char *data, size_t n)
{
	size_t cap = r->max_len + 1;
	size_t room = r->line.len < cap ? cap - r->line.len : 0;
	return ent_buf_append(&r->line, data, n < room ? n : room);
}

int ent_lines_next(ent_lines *r, const char **line, size_t *len)
{
	if (r->at_eof)
		return ENT_LINE_EOF;
	r->line.len = 0;
	size_t seen = 0;
	for (;;) {
		if (r->chunk_pos == r->chunk_len) {
			int st = refill(r);
			if (st < 0)
				return ENT_LINE_ERROR;
			if (st > 0) {
				r->at_eof = 1;
				if (seen == 0)
					return ENT_LINE_EOF;
				break;
			}
		}
		const char *start = r->chunk + r->chunk_pos;
		size_t avail = r->chunk_len - r->chunk_pos;
		const char *nl = memchr(start, '\n', avail);
		size_t n = nl ? (size_t)(nl - start) : avail;
		if (keep(r, start, n) != 0) {
			errno = ENOMEM;
			return ENT_LINE_ERROR;
		}
		seen += n;
		r->chunk_pos += n + (nl != NULL);
		if (nl != NULL)
			break;
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
