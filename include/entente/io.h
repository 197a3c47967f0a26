/* entente — io: whole-file reads with a size cap, and atomic writes. */
#ifndef ENTENTE_IO_H
#define ENTENTE_IO_H

#include <stddef.h>
#include <stdio.h>

#include "entente/error.h"

/* Reads path into a NUL-terminated buffer the caller frees. Fails with
 * error_code and a message naming what the file is ("model", "article"),
 * the path and the reason; ENT_ELIMIT when it is larger than max_len. */
int ent_file_read(const char *path, const char *what, size_t max_len, int error_code, char **out,
		  size_t *len, ent_error *err);
/* The same for an open stream (standard input); name is used in messages. */
int ent_stream_read(FILE *f, const char *name, const char *what, size_t max_len, int error_code,
		    char **out, size_t *len, ent_error *err);
/* Replaces path with data atomically: a temporary file in the same directory,
 * flushed to disk, then renamed over path. Special files (devices, pipes)
 * are written directly. */
int ent_file_write_atomic(const char *path, const char *data, size_t len, ent_error *err);

#endif
