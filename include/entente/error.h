/* entente — error codes and the caller-owned error record every call fills. */
#ifndef ENTENTE_ERROR_H
#define ENTENTE_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stable status codes: 0 is success, every failure is negative. */
enum {
	ENT_OK = 0,
	ENT_ENOMEM = -1,  /* an allocation failed */
	ENT_EIO = -2,     /* reading or writing a file failed */
	ENT_EFORMAT = -3, /* input data is malformed (with FILE:LINE context) */
	ENT_EUTF8 = -4,   /* text is not valid UTF-8 where it must be */
	ENT_EMODEL = -5,  /* a model bundle is missing, corrupt or incompatible */
	ENT_EPARAM = -6,  /* a caller passed an invalid option or argument */
	ENT_ELIMIT = -7,  /* a documented hard cap was exceeded */
	ENT_EINTR = -8    /* the work was cancelled */
};

#define ENT_ERROR_MESSAGE_MAX 512

/* Filled by a failing call; owned by the caller, usually on the stack. */
typedef struct ent_error {
	int code;
	char message[ENT_ERROR_MESSAGE_MAX];
} ent_error;

#define ENT_ERROR_INIT {ENT_OK, {0}}

/* Records code and a printf-style message in err (err may be NULL); returns code. */
int ent_error_set(ent_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Prefixes the existing message with "context: ", keeping the code. */
int ent_error_prefix(ent_error *err, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

void ent_error_clear(ent_error *err);

/* A short, static, lower-case name of a status code. */
const char *ent_status_name(int code);

#ifdef __cplusplus
}
#endif
#endif
