#include "entente/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ent_stream_read(FILE *f, const char *name, const char *what, size_t max_len, int error_code,
		    char **out, size_t *len, ent_error *err)
{
	*out = NULL;
	size_t cap = 65536, n = 0;
	int over = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		if (n + 1 == cap) {
			char probe;
			if (cap > max_len) {
				over = fread(&probe, 1, 1, f) == 1; /* more data beyond the buffer? */
				break;
			}
			char *grown = realloc(buf, cap * 2);
			if (grown == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	int rc = ENT_OK;
	if (buf == NULL)
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory reading %s '%s'", what, name);
	else if (ferror(f))
		rc = ent_error_set(err, error_code, "cannot read %s '%s': %s", what, name, strerror(errno));
	else if (over || n > max_len)
		rc = ent_error_set(err, ENT_ELIMIT, "%s '%s' is larger than the limit of %zu bytes", what, name,
				   max_len);
	if (rc != ENT_OK) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return ENT_OK;
}

int ent_file_read(const char *path, const char *what, size_t max_len, int error_code, char **out,
		  size_t *len, ent_error *err)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return ent_error_set(err, error_code, "cannot open %s '%s': %s", what, path, strerror(errno));
	struct stat st;
	int rc;
	if (fstat(fileno(f), &st) != 0)
		rc = ent_error_set(err, error_code, "cannot read %s '%s': %s", what, path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = ent_error_set(err, error_code, "cannot read %s '%s': is a directory", what, path);
	else
		rc = ent_stream_read(f, path, what, max_len, error_code, out, len, err);
	fclose(f);
	return rc;
}

static int write_all(FILE *f, const char *data, size_t len)
{
	if (len > 0 && fwrite(data, 1, len, f) != len)
		return -1;
	return fflush(f);
}

static int write_direct(const char *path, const char *data, size_t len, ent_error *err)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return ent_error_set(err, ENT_EIO, "cannot write '%s': %s", path, strerror(errno));
	int failed = write_all(f, data, len);
	int saved = errno;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (failed)
		return ent_error_set(err, ENT_EIO, "cannot write '%s': %s", path, strerror(saved));
	return ENT_OK;
}

int ent_file_write_atomic(const char *path, const char *data, size_t len, ent_error *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return ent_error_set(err, ENT_EIO, "cannot write '%s': is a directory", path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_direct(path, data, len, err);
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (tmp == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory writing '%s'", path);
	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int rc = ent_error_set(err, ENT_EIO, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	FILE *f = fdopen(fd, "wb");
	int failed = f == NULL || write_all(f, data, len) != 0 || fsync(fileno(f)) != 0;
	int saved = errno;
	if (f != NULL && fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	} else if (f == NULL) {
		close(fd);
	}
	/* mkstemp makes the file 0600; a model is an ordinary shareable file. */
	if (!failed && chmod(tmp, 0644) != 0) {
		failed = 1;
		saved = errno;
	}
	if (!failed && rename(tmp, path) != 0) {
		failed = 1;
		saved = errno;
	}
	int rc = ENT_OK;
	if (failed) {
		unlink(tmp);
		rc = ent_error_set(err, ENT_EIO, "cannot write '%s': %s", path, strerror(saved));
	}
	free(tmp);
	return rc;
}
