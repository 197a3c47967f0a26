#include "entente/report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "report_internal.h"

int ent_report_format_parse(const char *name)
{
	static const char *const names[] = {"text", "json", "markdown", "html", "jsonl", "tsv"};
	for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

void ent_report_spread(const double *v, int n, double *mean, double *sd)
{
	double sum = 0, sq = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	*mean = n > 0 ? sum / n : 0;
	for (int i = 0; i < n; i++)
		sq += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 0 ? sqrt(sq / n) : 0;
}

/* ---- text: scikit-learn's classification_report layout ---- */

#define NAME_WIDTH 12 /* strlen("weighted avg") */

static int text_row(ent_buf *b, const char *name, double p, double r, double f, size_t support)
{
	return ent_buf_printf(b, "%*s  %9.3f %9.3f %9.3f %9zu\n", NAME_WIDTH, name, p, r, f, support);
}

static int text_confusion(ent_buf *b, const ent_metrics *m)
{
	int rc = ent_buf_printf(b, "\nconfusion matrix (rows = gold, columns = predicted)\n%*s ",
				NAME_WIDTH, "");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = ent_buf_printf(b, " %12s", ent_label_name(c));
	rc = rc || ent_buf_puts(b, "\n");
	for (int g = 0; rc == 0 && g < ENT_LABEL_COUNT; g++) {
		rc = ent_buf_printf(b, "%*s ", NAME_WIDTH, ent_label_name(g));
		for (int p = 0; rc == 0 && p < ENT_LABEL_COUNT; p++)
			rc = ent_buf_printf(b, " %12zu", m->confusion[g][p]);
		rc = rc || ent_buf_puts(b, "\n");
	}
	return rc;
}

static int text_folds(ent_buf *b, const ent_eval_report *r)
{
	double mean, sd;
	ent_report_spread(r->fold_macro_f1, r->folds, &mean, &sd);
	int rc = ent_buf_printf(b, "\nmacro-F1 per fold:");
	for (int i = 0; rc == 0 && i < r->folds; i++)
		rc = ent_buf_printf(b, " %.3f", r->fold_macro_f1[i]);
	return rc || ent_buf_printf(b, "\nmacro-F1 over %d folds: %.3f ± %.3f (sd)\n", r->folds, mean, sd);
}

static int text_mistakes(ent_buf *b, const ent_eval_report *r)
{
	int rc = ent_buf_printf(b, "\nmost confident mistakes\n");
	for (size_t i = 0; rc == 0 && i < r->mistake_count; i++) {
		const ent_eval_mistake *e = &r->mistakes[i];
		rc = ent_buf_printf(b, "%s:%zu: gold %s, predicted %s (p=%.3f): %s\n", e->file, e->line,
				    ent_label_name(e->gold), ent_label_name(e->predicted), e->probability,
				    e->text);
	}
	return rc;
}

static int render_text(ent_buf *b, const ent_eval_report *r)
{
	const ent_metrics *m = r->metrics;
	int rc = 0;
	if (r->title)
		rc = ent_buf_printf(b, "%s\n\n", r->title);
	rc = rc || ent_buf_printf(b, "%*s  %9s %9s %9s %9s\n\n", NAME_WIDTH, "", "precision", "recall",
				  "f1-score", "support");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = text_row(b, ent_label_name(c), m->precision[c], m->recall[c], m->f1[c], m->support[c]);
	rc = rc || ent_buf_printf(b, "\n%*s  %9s %9s %9.3f %9zu\n", NAME_WIDTH, "accuracy", "", "",
				  m->accuracy, m->n);
	rc = rc || text_row(b, "macro avg", m->macro_precision, m->macro_recall, m->macro_f1, m->n);
	rc = rc || text_row(b, "weighted avg", m->weighted_precision, m->weighted_recall, m->weighted_f1, m->n);
	rc = rc || text_confusion(b, m);
	if (rc == 0 && r->fold_macro_f1 != NULL)
		rc = text_folds(b, r);
	if (rc == 0 && r->mistake_count > 0)
		rc = text_mistakes(b, r);
	return rc;
}

/* ---- markdown ---- */

static int render_markdown(ent_buf *b, const ent_eval_report *r)
{
	const ent_metrics *m = r->metrics;
	int rc = r->title ? ent_buf_printf(b, "### %s\n\n", r->title) : 0;
	rc = rc || ent_buf_puts(b, "| class | precision | recall | f1-score | support |\n|---|---:|---:|---:|---:|\n");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = ent_buf_printf(b, "| %s | %.3f | %.3f | %.3f | %zu |\n", ent_label_name(c),
				    m->precision[c], m->recall[c], m->f1[c], m->support[c]);
	rc = rc || ent_buf_printf(b, "| accuracy | | | %.3f | %zu |\n", m->accuracy, m->n);
	rc = rc || ent_buf_printf(b, "| macro avg | %.3f | %.3f | %.3f | %zu |\n", m->macro_precision,
				  m->macro_recall, m->macro_f1, m->n);
	rc = rc || ent_buf_printf(b, "| weighted avg | %.3f | %.3f | %.3f | %zu |\n",
				  m->weighted_precision, m->weighted_recall, m->weighted_f1, m->n);
	rc = rc || ent_buf_puts(b, "\nConfusion matrix (rows = gold, columns = predicted):\n\n| gold \\ predicted |");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = ent_buf_printf(b, " %s |", ent_label_name(c));
	rc = rc || ent_buf_puts(b, "\n|---|---:|---:|---:|\n");
	for (int g = 0; rc == 0 && g < ENT_LABEL_COUNT; g++) {
		rc = ent_buf_printf(b, "| %s |", ent_label_name(g));
		for (int p = 0; rc == 0 && p < ENT_LABEL_COUNT; p++)
			rc = ent_buf_printf(b, " %zu |", m->confusion[g][p]);
		rc = rc || ent_buf_puts(b, "\n");
	}
	if (rc == 0 && r->fold_macro_f1 != NULL) {
		double mean, sd;
		ent_report_spread(r->fold_macro_f1, r->folds, &mean, &sd);
		rc = ent_buf_printf(b, "\nMacro-F1 over %d folds: %.3f ± %.3f (sd).\n", r->folds, mean, sd);
	}
	return rc;
}

/* ---- json ---- */

json_t *ent_report_metrics_json(const ent_metrics *m)
{
	json_t *classes = json_object(), *confusion = json_object();
	for (int c = 0; c < ENT_LABEL_COUNT; c++) {
		json_object_set_new(classes, ent_label_name(c),
				    json_pack("{s:f, s:f, s:f, s:I}", "precision", m->precision[c], "recall",
					      m->recall[c], "f1", m->f1[c], "support", (json_int_t)m->support[c]));
		json_t *row = json_object();
		for (int p = 0; p < ENT_LABEL_COUNT; p++)
			json_object_set_new(row, ent_label_name(p), json_integer((json_int_t)m->confusion[c][p]));
		json_object_set_new(confusion, ent_label_name(c), row);
	}
	return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:o, s:o}", "n", (json_int_t)m->n, "accuracy",
			 m->accuracy, "macro_f1", m->macro_f1, "weighted_f1", m->weighted_f1,
			 "macro_precision", m->macro_precision, "macro_recall", m->macro_recall,
			 "classes", classes, "confusion", confusion);
}

static json_t *mistakes_json(const ent_eval_report *r)
{
	json_t *list = json_array();
	for (size_t i = 0; i < r->mistake_count; i++) {
		const ent_eval_mistake *e = &r->mistakes[i];
		json_array_append_new(list, json_pack("{s:s, s:I, s:s, s:s, s:f, s:s}", "file", e->file,
						      "line", (json_int_t)e->line, "gold", ent_label_name(e->gold),
						      "predicted", ent_label_name(e->predicted),
						      "probability", e->probability, "text", e->text));
	}
	return list;
}

static int render_json(ent_buf *b, const ent_eval_report *r)
{
	json_t *root = ent_report_metrics_json(r->metrics);
	if (root == NULL)
		return -1;
	if (r->fold_macro_f1 != NULL) {
		json_t *folds = json_array();
		double mean, sd;
		for (int i = 0; i < r->folds; i++)
			json_array_append_new(folds, json_real(r->fold_macro_f1[i]));
		ent_report_spread(r->fold_macro_f1, r->folds, &mean, &sd);
		json_object_set_new(root, "fold_macro_f1", folds);
		json_object_set_new(root, "fold_macro_f1_mean", json_real(mean));
		json_object_set_new(root, "fold_macro_f1_sd", json_real(sd));
	}
	if (r->mistake_count > 0)
		json_object_set_new(root, "mistakes", mistakes_json(r));
	if (r->model_metadata != NULL) {
		json_t *meta = json_loads(r->model_metadata, 0, NULL);
		if (meta != NULL)
			json_object_set_new(root, "model", meta);
	}
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(root);
	if (text == NULL)
		return -1;
	int rc = ent_buf_puts(b, text) || ent_buf_puts(b, "\n");
	free(text);
	return rc;
}

int ent_report_eval(const ent_eval_report *r, ent_report_format format, char **out, size_t *len,
		    ent_error *err)
{
	ent_buf b = {0};
	int rc;
	switch (format) {
	case ENT_FORMAT_TEXT: rc = render_text(&b, r); break;
	case ENT_FORMAT_JSON: rc = render_json(&b, r); break;
	case ENT_FORMAT_MARKDOWN: rc = render_markdown(&b, r); break;
	case ENT_FORMAT_HTML: rc = ent_report_eval_html(&b, r); break;
	default:
		return ent_error_set(err, ENT_EPARAM, "this report has no such format (expected text, json, markdown or html)");
	}
	if (rc != 0 || ent_buf_reserve(&b, 0) != 0) {
		ent_buf_release(&b);
		return ent_error_set(err, ENT_ENOMEM, "out of memory rendering a report");
	}
	*out = b.data;
	*len = b.len;
	return ENT_OK;
}
