#include "entente/jsonl.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

typedef struct field {
	ent_json_kind kind;
	size_t offset, len;
} field;

struct ent_jsonl {
	const char *names[ENT_JSONL_MAX_FIELDS];
	size_t name_len[ENT_JSONL_MAX_FIELDS];
	size_t count;
	field fields[ENT_JSONL_MAX_FIELDS];
	int is_object;
	ent_buf values; /* decoded kept strings, each NUL-terminated */
	ent_buf key;    /* the member name being read */
};

typedef struct parser {
	const unsigned char *s;
	size_t len, pos;
	ent_jsonl *j;
	ent_error *err;
} parser;

int ent_jsonl_new(ent_jsonl **out, const char *const *names, size_t count, ent_error *err)
{
	*out = NULL;
	if (count > ENT_JSONL_MAX_FIELDS)
		return ent_error_set(err, ENT_EPARAM, "at most %d JSON fields can be kept, not %zu",
				     ENT_JSONL_MAX_FIELDS, count);
	ent_jsonl *j = calloc(1, sizeof *j);
	if (j == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for a JSON reader");
	for (size_t i = 0; i < count; i++) {
		j->names[i] = names[i];
		j->name_len[i] = strlen(names[i]);
	}
	j->count = count;
	*out = j;
	return ENT_OK;
}

void ent_jsonl_free(ent_jsonl *j)
{
	if (j == NULL)
		return;
	ent_buf_release(&j->values);
	ent_buf_release(&j->key);
	free(j);
}

static int fail(parser *p, const char *what)
{
	return ent_error_set(p->err, ENT_EFORMAT, "column %zu: %s", p->pos + 1, what);
}

/* Errors inside an escape point at its backslash. */
static int fail_at(parser *p, size_t at, const char *what)
{
	p->pos = at;
	return fail(p, what);
}

static int out_of_memory(parser *p)
{
	return ent_error_set(p->err, ENT_ENOMEM, "out of memory reading a JSON line");
}

static void skip_space(parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		p->pos++;
	}
}

static int peek(const parser *p)
{
	return p->pos < p->len ? p->s[p->pos] : -1;
}

static int expect(parser *p, unsigned char c, const char *what)
{
	skip_space(p);
	if (peek(p) != c)
		return fail(p, what);
	p->pos++;
	return ENT_OK;
}

static int append(parser *p, ent_buf *out, const void *data, size_t n)
{
	if (out != NULL && ent_buf_append(out, data, n) != 0)
		return out_of_memory(p);
	return ENT_OK;
}

static long hex4(const unsigned char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int c = s[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Reads the 4 hex digits after "\u" at p->pos; -1 when malformed. */
static long read_unit(parser *p)
{
	if (p->len - p->pos < 4)
		return -1;
	long unit = hex4(p->s + p->pos);
	if (unit >= 0)
		p->pos += 4;
	return unit;
}

static size_t encode_utf8(unsigned long cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* After "\u": one code point, a surrogate pair taking a second "\uXXXX". */
static int unicode_escape(parser *p, ent_buf *out, size_t at)
{
	long unit = read_unit(p);
	if (unit < 0)
		return fail_at(p, at, "expected four hex digits after \\u");
	unsigned long cp = (unsigned long)unit;
	if (unit >= 0xDC00 && unit <= 0xDFFF)
		return fail_at(p, at, "a \\u escape holds a lone low surrogate");
	if (unit >= 0xD800 && unit <= 0xDBFF) {
		long low = -1;
		if (p->len - p->pos >= 2 && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
			p->pos += 2;
			low = read_unit(p);
		}
		if (low < 0xDC00 || low > 0xDFFF)
			return fail_at(p, at, "a \\u escape holds a high surrogate without its low half");
		cp = 0x10000 + (((unsigned long)unit - 0xD800) << 10) + ((unsigned long)low - 0xDC00);
	}
	if (cp == 0)
		return fail_at(p, at, "\\u0000 is not allowed in a string");
	unsigned char bytes[4];
	return append(p, out, bytes, encode_utf8(cp, bytes));
}

static int escape(parser *p, ent_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t at = p->pos - 1;
	int c = peek(p);
	if (c < 0)
		return fail(p, "unterminated string");
	p->pos++;
	if (c == 'u')
		return unicode_escape(p, out, at);
	const char *known = c ? strchr(from, c) : NULL;
	if (known == NULL)
		return fail_at(p, at, "invalid escape in a string");
	return append(p, out, &to[known - from], 1);
}

static int plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* One piece of a string body starting at p->pos: a run of plain ASCII, one
 * UTF-8 sequence or one escape. Returns 1 at the closing quote. */
static int string_piece(parser *p, ent_buf *out)
{
	size_t start = p->pos;
	while (p->pos < p->len && plain_byte(p->s[p->pos]))
		p->pos++;
	if (p->pos > start)
		return append(p, out, p->s + start, p->pos - start);
	int c = peek(p);
	if (c < 0)
		return fail(p, "unterminated string");
	p->pos++;
	if (c == '"')
		return 1;
	if (c == '\\')
		return escape(p, out);
	p->pos--;
	if (c < 0x20)
		return fail(p, "control character in a string (escape it)");
	int valid;
	size_t n = ent_utf8_sequence(p->s + p->pos, p->len - p->pos, &valid);
	if (!valid)
		return fail(p, "invalid UTF-8 in a string");
	p->pos += n;
	return append(p, out, p->s + start, n);
}

/* A string at p->pos (after optional space); decoded into out unless NULL. */
static int string(parser *p, ent_buf *out)
{
	int rc = expect(p, '"', "expected a string");
	while (rc == ENT_OK)
		rc = string_piece(p, out);
	return rc == 1 ? ENT_OK : rc;
}

static void digits(parser *p)
{
	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
}

static int has_digit(const parser *p)
{
	int c = peek(p);
	return c >= '0' && c <= '9';
}

/* A number at p->pos; *integer tells whether it had no fraction or exponent. */
static int number(parser *p, int *integer)
{
	if (peek(p) == '-')
		p->pos++;
	if (!has_digit(p))
		return fail(p, "expected a digit");
	if (p->s[p->pos++] != '0')
		digits(p);
	*integer = 1;
	if (peek(p) == '.') {
		p->pos++;
		if (!has_digit(p))
			return fail(p, "expected a digit after the decimal point");
		digits(p);
		*integer = 0;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!has_digit(p))
			return fail(p, "expected a digit in the exponent");
		digits(p);
		*integer = 0;
	}
	return ENT_OK;
}

static int literal(parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "expected a JSON value");
	p->pos += n;
	return ENT_OK;
}

static int value(parser *p, int depth, ent_json_kind *kind);

/* The members or elements of a container after its opening bracket. */
static int container(parser *p, int depth, int object)
{
	unsigned char close = object ? '}' : ']';
	skip_space(p);
	if (peek(p) == close) {
		p->pos++;
		return ENT_OK;
	}
	for (;;) {
		ent_json_kind kind;
		int rc = ENT_OK;
		if (object && ((rc = string(p, NULL)) != ENT_OK || (rc = expect(p, ':', "expected ':'")) != ENT_OK))
			return rc;
		if ((rc = value(p, depth + 1, &kind)) != ENT_OK)
			return rc;
		skip_space(p);
		int c = peek(p);
		p->pos++;
		if (c == close)
			return ENT_OK;
		if (c != ',') {
			p->pos--;
			return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
}

static int value(parser *p, int depth, ent_json_kind *kind)
{
	if (depth > ENT_JSONL_MAX_DEPTH)
		return fail(p, "nested too deeply");
	skip_space(p);
	int c = peek(p), integer = 0;
	*kind = ENT_JSON_OTHER;
	switch (c) {
	case '"':
		*kind = ENT_JSON_STRING;
		return string(p, NULL);
	case '{':
	case '[':
		p->pos++;
		return container(p, depth, c == '{');
	case 't':
		return literal(p, "true");
	case 'f':
		return literal(p, "false");
	case 'n':
		return literal(p, "null");
	default:
		if (c != '-' && (c < '0' || c > '9'))
			return fail(p, c < 0 ? "unexpected end of the line" : "expected a JSON value");
		int rc = number(p, &integer);
		if (integer)
			*kind = ENT_JSON_INTEGER;
		return rc;
	}
}

static size_t named_field(const ent_jsonl *j)
{
	for (size_t i = 0; i < j->count; i++)
		if (j->key.len == j->name_len[i] && memcmp(j->key.data, j->names[i], j->key.len) == 0)
			return i;
	return (size_t)-1;
}

/* The value of a kept member: strings are decoded, integers copied. */
static int kept_value(parser *p, field *f)
{
	skip_space(p);
	size_t start = p->pos;
	ent_buf *values = &p->j->values;
	f->offset = values->len;
	int rc = peek(p) == '"' ? string(p, values) : value(p, 1, &f->kind);
	if (rc != ENT_OK)
		return rc;
	if (p->s[start] == '"')
		f->kind = ENT_JSON_STRING;
	else if (f->kind == ENT_JSON_INTEGER)
		rc = append(p, values, p->s + start, p->pos - start);
	f->len = values->len - f->offset;
	return rc != ENT_OK ? rc : append(p, values, "", 1);
}

static int member(parser *p)
{
	ent_jsonl *j = p->j;
	j->key.len = 0;
	size_t at = p->pos;
	int rc = string(p, &j->key);
	if (rc != ENT_OK || (rc = expect(p, ':', "expected ':'")) != ENT_OK)
		return rc;
	size_t i = named_field(j);
	if (i == (size_t)-1) {
		ent_json_kind kind;
		return value(p, 1, &kind);
	}
	if (j->fields[i].kind != ENT_JSON_ABSENT) {
		p->pos = at;
		return ent_error_set(p->err, ENT_EFORMAT, "column %zu: member '%s' repeated", at + 1, j->names[i]);
	}
	return kept_value(p, &j->fields[i]);
}

static int top_object(parser *p)
{
	p->pos++;
	p->j->is_object = 1;
	skip_space(p);
	if (peek(p) == '}') {
		p->pos++;
		return ENT_OK;
	}
	for (;;) {
		skip_space(p);
		int rc = member(p);
		if (rc != ENT_OK)
			return rc;
		skip_space(p);
		int c = peek(p);
		p->pos++;
		if (c == '}')
			return ENT_OK;
		if (c != ',') {
			p->pos--;
			return fail(p, "expected ',' or '}'");
		}
	}
}

int ent_jsonl_parse(ent_jsonl *j, const char *line, size_t len, ent_error *err)
{
	parser p = {(const unsigned char *)line, len, 0, j, err};
	memset(j->fields, 0, sizeof j->fields);
	j->is_object = 0;
	j->values.len = 0;
	skip_space(&p);
	ent_json_kind kind;
	int rc = peek(&p) == '{' ? top_object(&p) : value(&p, 0, &kind);
	if (rc == ENT_OK) {
		skip_space(&p);
		if (p.pos < p.len)
			rc = fail(&p, "expected the end of the line after the JSON value");
	}
	if (rc != ENT_OK) {
		memset(j->fields, 0, sizeof j->fields);
		j->is_object = 0;
	}
	return rc;
}

int ent_jsonl_is_object(const ent_jsonl *j)
{
	return j->is_object;
}

ent_json_kind ent_jsonl_get(const ent_jsonl *j, size_t i, const char **value, size_t *len)
{
	if (i >= j->count || j->fields[i].kind == ENT_JSON_ABSENT)
		return ENT_JSON_ABSENT;
	const field *f = &j->fields[i];
	if (f->kind == ENT_JSON_STRING || f->kind == ENT_JSON_INTEGER) {
		*value = j->values.data + f->offset;
		*len = f->len;
	}
	return f->kind;
}
