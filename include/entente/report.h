/* entente — reports: evaluation reports in text (scikit-learn's
 * classification_report layout), JSON, Markdown and HTML. */
#ifndef ENTENTE_REPORT_H
#define ENTENTE_REPORT_H

#include <stddef.h>

#include "entente/error.h"
#include "entente/metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ent_report_format {
	ENT_FORMAT_TEXT = 0,
	ENT_FORMAT_JSON,
	ENT_FORMAT_MARKDOWN,
	ENT_FORMAT_HTML,
	ENT_FORMAT_JSONL,
	ENT_FORMAT_TSV
} ent_report_format;

/* Parses "text", "json", ...; -1 when unknown. */
int ent_report_format_parse(const char *name);

/* A mistake worth showing: the model was confident and wrong. */
typedef struct ent_eval_mistake {
	const char *text;
	const char *file;
	size_t line;
	int gold, predicted;
	double probability; /* of the predicted label */
} ent_eval_mistake;

typedef struct ent_eval_report {
	const char *title;            /* e.g. "entente eval: MODEL on DATA" */
	const ent_metrics *metrics;
	const char *model_metadata;   /* JSON text or NULL */
	const double *fold_macro_f1;  /* cross-validation only, else NULL */
	int folds;
	const ent_eval_mistake *mistakes;
	size_t mistake_count;
} ent_eval_report;

/* Renders the report into a new NUL-terminated buffer the caller frees. */
int ent_report_eval(const ent_eval_report *r, ent_report_format format, char **out, size_t *len,
		    ent_error *err);

/* Mean and (population) standard deviation of v[0..n). */
void ent_report_spread(const double *v, int n, double *mean, double *sd);

#ifdef __cplusplus
}
#endif
#endif
