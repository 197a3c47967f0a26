#include "entente/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ent_error_set(ent_error *err, int code, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	err->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return code;
}

int ent_error_prefix(ent_error *err, const char *fmt, ...)
{
	if (err == NULL)
		return ENT_OK;
	char old[ENT_ERROR_MESSAGE_MAX];
	memcpy(old, err->message, sizeof old);
	old[sizeof old - 1] = '\0';
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	size_t used = strlen(err->message);
	size_t room = sizeof err->message - used;
	if (room > 2) {
		memcpy(err->message + used, ": ", 3);
		used += 2;
		room -= 2;
		size_t keep = strlen(old);
		if (keep >= room)
			keep = room - 1;
		memcpy(err->message + used, old, keep);
		err->message[used + keep] = '\0';
	}
	return err->code;
}

void ent_error_clear(ent_error *err)
{
	if (err == NULL)
		return;
	err->code = ENT_OK;
	err->message[0] = '\0';
}

const char *ent_status_name(int code)
{
	switch (code) {
	case ENT_OK: return "ok";
	case ENT_ENOMEM: return "out of memory";
	case ENT_EIO: return "i/o error";
	case ENT_EFORMAT: return "bad input data";
	case ENT_EUTF8: return "invalid utf-8";
	case ENT_EMODEL: return "model problem";
	case ENT_EPARAM: return "invalid parameter";
	case ENT_ELIMIT: return "limit exceeded";
	case ENT_EINTR: return "interrupted";
	default: return "unknown error";
	}
}
