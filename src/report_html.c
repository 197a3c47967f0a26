/* Self-contained HTML reports (inline CSS and SVG, no scripts needed): the
 * building blocks every page shares, and the evaluation report of eval and
 * cv. Colours are the Okabe-Ito palette (blue cooperative, vermillion
 * conflictual, grey neutral), and no label is shown by colour alone: each
 * carries its name or a symbol (+, -, o), and conflictual marks are hatched
 * or dashed. Numbers are written locale-independently (ent_buf_fixed). */
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

#ifndef ENT_VERSION
#define ENT_VERSION "unknown"
#endif

/* ---- escaping ---- */

static const char replacement_char[] = "\xef\xbf\xbd";

static const char *ascii_escape(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\t': case '\n': case '\r': case '\f': return NULL;
	default: return c < 0x20 || c == 0x7f ? " " : NULL;
	}
}

/* Length of the well-formed UTF-8 sequence at s[0..n) and its code point
 * in *cp, or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (s[0] < 0xc2 || s[0] > 0xf4 || len > n)
		return 0;
	*cp = s[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3fu);
	}
	if (*cp < shortest[len] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* C1 controls and noncharacters are parse errors in HTML. */
static int html_allows(uint32_t cp)
{
	return cp > 0x9f && !(cp >= 0xfdd0 && cp <= 0xfdef) && (cp & 0xfffe) != 0xfffe;
}

int ent_html_text(ent_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0;
	int rc = ent_buf_reserve(b, n);
	while (rc == 0 && i < n) {
		size_t len = 1;
		const char *rep;
		if (u[i] < 0x80) {
			rep = ascii_escape(u[i]);
		} else {
			uint32_t cp = 0;
			len = utf8_sequence(u + i, n - i, &cp);
			rep = len && html_allows(cp) ? NULL : replacement_char;
			len = len ? len : 1;
		}
		if (rep != NULL) {
			rc = ent_buf_append(b, s + run, i - run) || ent_buf_puts(b, rep);
			run = i + len;
		}
		i += len;
	}
	return rc || ent_buf_append(b, s + run, n - run);
}

int ent_html_str(ent_buf *b, const char *s)
{
	return s ? ent_html_text(b, s, strlen(s)) : 0;
}

int ent_html_short(ent_buf *b, const char *s, size_t max)
{
	size_t chars = 0, i = 0, n = strlen(s);
	for (; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max)
			break;
	}
	if (i == n)
		return ent_html_text(b, s, n);
	return ent_html_text(b, s, i) || ent_buf_puts(b, "\xe2\x80\xa6");
}

/* ---- numbers and labels ---- */

int ent_html_signed(ent_buf *b, double value, int decimals)
{
	double half_unit = 0.5 / pow(10, decimals);
	return (value >= half_unit ? ent_buf_puts(b, "+") : 0) || ent_buf_fixed(b, value, decimals);
}

int ent_html_percent(ent_buf *b, double part, double whole)
{
	if (!(whole > 0))
		return ent_buf_puts(b, "\xe2\x80\x94");
	return ent_buf_fixed(b, 100.0 * part / whole, 1) || ent_buf_puts(b, "%");
}

const char *ent_html_label_class(int label)
{
	static const char *const names[] = {"coop", "conf", "neu"};
	return label >= 0 && label < ENT_LABEL_COUNT ? names[label] : "neu";
}

const char *ent_html_label_mark(int label)
{
	static const char *const marks[] = {"+", "\xe2\x88\x92", "\xe2\x97\x8b"}; /* + − ○ */
	return label >= 0 && label < ENT_LABEL_COUNT ? marks[label] : "?";
}

const char *ent_html_label_fill(int label)
{
	static const char *const fills[] = {"#0072B2", "url(#ent-hatch)", "#9a9a9a"};
	return label >= 0 && label < ENT_LABEL_COUNT ? fills[label] : "#9a9a9a";
}

int ent_html_badge(ent_buf *b, int label)
{
	return ent_buf_printf(b, "<span class=\"lab %s\"><span aria-hidden=\"true\">%s</span> %s</span>",
			      ent_html_label_class(label), ent_html_label_mark(label), ent_label_name(label));
}

int ent_html_legend(ent_buf *b)
{
	int rc = ent_buf_puts(b, "<p class=\"legend\">Labels: ");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = ent_buf_puts(b, c ? " " : "") || ent_html_badge(b, c);
	return rc || ent_buf_puts(b, " \xe2\x80\x94 cooperative is blue with a solid line, conflictual "
				     "vermillion with a dashed line or hatching, neutral grey with a dotted "
				     "line.</p>\n");
}

/* ---- the page ---- */

/* The stylesheet, in pieces: ISO C only promises 4095-byte literals. */
static const char *const css[] = {
	":root{--coop:#0072B2;--conf:#D55E00;--neu:#8a8a8a;--ink:#1b1b1b;--mute:#555;"
	"--line:#d4d4d4;--coop-bg:#dcebf6;--conf-bg:#fae3d2;--neu-bg:#efefef}\n"
	"*{box-sizing:border-box}\n"
	"html{background:#fff;color:var(--ink)}\n"
	"body{margin:0 auto;max-width:1080px;padding:24px 32px 48px;"
	"font:15px/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
	"h1{font-size:1.55em;line-height:1.25;margin:0 0 .25em}\n"
	"h2{font-size:1.25em;margin:1.8em 0 .6em;padding-bottom:.2em;border-bottom:2px solid var(--line)}\n"
	"h3{font-size:1.05em;margin:1.4em 0 .4em}\n"
	"header p,.note,figcaption,footer{color:var(--mute)}\n"
	"header p{margin:.2em 0}\n"
	"footer{margin-top:3em;padding-top:.6em;border-top:1px solid var(--line);font-size:.85em}\n"
	"code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;"
	"overflow-wrap:anywhere}\n",
	"table{border-collapse:collapse;margin:.4em 0 1.2em;font-variant-numeric:tabular-nums}\n"
	"th,td{padding:4px 12px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}\n"
	"th:first-child,td:first-child,.l{text-align:left}\n"
	"thead th{border-bottom:2px solid #888;font-weight:600;white-space:nowrap}\n"
	"tbody th{font-weight:600}\n"
	"tr.sep>*{border-top:2px solid #888}\n"
	"td.text{text-align:left;max-width:44em}\n"
	"caption{text-align:left;color:var(--mute);padding-bottom:.3em}\n"
	".kpis{display:flex;flex-wrap:wrap;gap:12px;margin:1em 0;padding:0;list-style:none}\n"
	".kpis li{border:1px solid var(--line);border-radius:6px;padding:6px 16px;min-width:9em}\n"
	".kpis b{display:block;font-size:1.5em;font-variant-numeric:tabular-nums}\n"
	".kpis span{color:var(--mute);font-size:.9em}\n"
	"figure{margin:.6em 0 1.4em}\n"
	"figure svg{display:block;width:100%;max-width:900px;height:auto}\n"
	"svg text{font-family:inherit;font-size:12px;fill:#1b1b1b}\n"
	"svg .axis{fill:#555;font-size:11px}\n"
	"svg.defs{position:absolute;width:0;height:0;overflow:hidden}\n",
	".lab{display:inline-block;padding:0 .45em;border:1px solid;border-radius:3px;font-size:.85em;"
	"font-weight:600;white-space:nowrap;line-height:1.5}\n"
	".lab.coop{color:#00507e;background:var(--coop-bg);border-color:var(--coop)}\n"
	".lab.conf{color:#8f3e00;background:var(--conf-bg);border-color:var(--conf);border-style:dashed}\n"
	".lab.neu{color:#3d3d3d;background:var(--neu-bg);border-color:var(--neu);border-style:dotted}\n"
	".tone.coop{color:#00507e}.tone.conf{color:#8f3e00}\n"
	".bar{display:inline-block;height:.8em;min-width:1px;vertical-align:baseline}\n"
	".bar.coop{background:var(--coop)}.bar.neu{background:var(--neu)}\n"
	".bar.conf{background:repeating-linear-gradient(45deg,var(--conf) 0 4px,#eb9e66 4px 6px)}\n"
	".best{font-weight:700}\n"
	".nw,.nw code{white-space:nowrap;overflow-wrap:normal}\n",
	/* The article text: sentences tinted by label, actors outlined. */
	".article-text{max-width:48em;font-size:1.02em;line-height:1.9}\n"
	".s{padding:1px 1px;border-radius:2px;-webkit-box-decoration-break:clone;box-decoration-break:clone}\n"
	".s.coop{background:var(--coop-bg);border-bottom:2px solid var(--coop)}\n"
	".s.conf{background:var(--conf-bg);border-bottom:2px dashed var(--conf)}\n"
	".s.neu{border-bottom:1px dotted var(--neu)}\n"
	".s:focus{outline:2px solid #000;outline-offset:1px}\n"
	".mk{font-size:.75em;font-weight:700;vertical-align:super;line-height:0;margin-right:1px}\n"
	".s.coop .mk{color:#00507e}.s.conf .mk{color:#8f3e00}.s.neu .mk{color:#666}\n"
	"mark.actor{background:none;color:inherit;font-weight:650;border-radius:2px;"
	"box-shadow:0 0 0 1px #444;padding:0 1px}\n"
	".pr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n"
	".s:focus .pr,.s:hover .pr{position:static;width:auto;height:auto;overflow:visible;clip:auto;"
	"margin-left:4px;padding:0 4px;font-size:.78em;background:#fff;border:1px solid #888;"
	"border-radius:3px;white-space:normal}\n"
	"article.doc{margin-top:2.4em}\n"
	"article.doc h2 small{font-weight:400;color:var(--mute)}\n"
	".legend{font-size:.9em}\n",
	"@media print{\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{max-width:none;padding:0;font-size:10.5pt}\n"
	"h2,h3{break-after:avoid}\n"
	"figure,tr,.kpis{break-inside:avoid}\n"
	"article.doc+article.doc{break-before:page}\n"
	".pr{position:static;width:auto;height:auto;overflow:visible;clip:auto;white-space:normal;"
	"font-size:.75em;color:#333;margin-left:3px}\n"
	".s:focus{outline:none}\n"
	"a{color:inherit;text-decoration:none}\n"
	"}\n",
};

/* Shared SVG paint: the hatching that marks conflictual bars. */
static const char svg_defs[] =
	"<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\" focusable=\"false\"><defs>"
	"<pattern id=\"ent-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	"patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#D55E00\"/>"
	"<rect width=\"2\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.45\"/></pattern>"
	"</defs></svg>\n";

int ent_html_page_begin(ent_buf *b, const char *title)
{
	int rc = ent_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				 "<meta name=\"generator\" content=\"entente " ENT_VERSION "\">\n<title>") ||
		 ent_html_str(b, title) || ent_buf_puts(b, "</title>\n<style>\n");
	for (size_t i = 0; rc == 0 && i < sizeof css / sizeof *css; i++)
		rc = ent_buf_puts(b, css[i]);
	return rc || ent_buf_puts(b, "</style>\n</head>\n<body>\n") || ent_buf_puts(b, svg_defs) ||
	       ent_buf_puts(b, "<header>\n<h1>") || ent_html_str(b, title) || ent_buf_puts(b, "</h1>\n");
}

int ent_html_page_end(ent_buf *b)
{
	return ent_buf_puts(b, "</main>\n<footer>Written by entente " ENT_VERSION
			       ". A self-contained page: no scripts, no network. Colours follow the "
			       "Okabe\xe2\x80\x93Ito palette; every label is also named or marked with a "
			       "symbol.</footer>\n</body>\n</html>\n");
}

/* ---- the evaluation report ---- */

static int px(double v)
{
	return (int)lround(v);
}

static int kpi(ent_buf *b, const char *name, double value, int decimals)
{
	return ent_buf_puts(b, "<li><b>") || ent_buf_fixed(b, value, decimals) ||
	       ent_buf_printf(b, "</b><span>%s</span></li>\n", name);
}

static int summary(ent_buf *b, const ent_eval_report *r)
{
	const ent_metrics *m = r->metrics;
	int rc = ent_buf_printf(b, "<p>%zu labeled sentences; rows are the gold labels, columns the model's "
				   "predictions.</p>\n</header>\n<main>\n<ul class=\"kpis\">\n",
				m->n) ||
		 kpi(b, "accuracy", m->accuracy, 3) || kpi(b, "macro F1", m->macro_f1, 3) ||
		 kpi(b, "weighted F1", m->weighted_f1, 3) || kpi(b, "sentences", (double)m->n, 0);
	if (rc == 0 && r->fold_macro_f1 != NULL && r->folds > 0) {
		double mean, sd;
		ent_report_spread(r->fold_macro_f1, r->folds, &mean, &sd);
		rc = ent_buf_puts(b, "<li><b>") || ent_buf_fixed(b, mean, 3) || ent_buf_puts(b, " \xc2\xb1 ") ||
		     ent_buf_fixed(b, sd, 3) ||
		     ent_buf_printf(b, "</b><span>macro F1 over %d folds (mean \xc2\xb1 sd)</span></li>\n", r->folds);
	}
	return rc || ent_buf_puts(b, "</ul>\n");
}

static int row_head(ent_buf *b, const char *cls, const char *name, int label)
{
	return ent_buf_printf(b, "<tr%s><th scope=\"row\">", cls) ||
	       (label >= 0 ? ent_html_badge(b, label) : ent_buf_puts(b, name)) || ent_buf_puts(b, "</th>");
}

static int report_row(ent_buf *b, const char *name, int label, double p, double rec, double f,
		      size_t support)
{
	return row_head(b, "", name, label) || ent_buf_puts(b, "<td>") || ent_buf_fixed(b, p, 3) ||
	       ent_buf_puts(b, "</td><td>") || ent_buf_fixed(b, rec, 3) || ent_buf_puts(b, "</td><td>") ||
	       ent_buf_fixed(b, f, 3) || ent_buf_printf(b, "</td><td>%zu</td></tr>\n", support);
}

static int class_table(ent_buf *b, const ent_metrics *m)
{
	int rc = ent_buf_puts(b, "<section>\n<h2>Classification report</h2>\n<table class=\"report\">\n"
				 "<thead><tr><th></th><th>precision</th><th>recall</th><th>f1-score</th>"
				 "<th>support</th></tr></thead>\n<tbody>\n");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = report_row(b, NULL, c, m->precision[c], m->recall[c], m->f1[c], m->support[c]);
	rc = rc || row_head(b, " class=\"sep\"", "accuracy", -1) || ent_buf_puts(b, "<td></td><td></td><td>") ||
	     ent_buf_fixed(b, m->accuracy, 3) || ent_buf_printf(b, "</td><td>%zu</td></tr>\n", m->n);
	rc = rc || report_row(b, "macro avg", -1, m->macro_precision, m->macro_recall, m->macro_f1, m->n);
	rc = rc || report_row(b, "weighted avg", -1, m->weighted_precision, m->weighted_recall,
			      m->weighted_f1, m->n);
	return rc || ent_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

/* ---- per-class precision, recall and F1 bars ---- */

#define PRF_LEFT 250
#define PRF_WIDTH 520
#define PRF_ROW 20

static int prf_bar(ent_buf *b, int y, const char *metric, double v, const char *fill)
{
	int w = px(PRF_WIDTH * (v < 0 ? 0 : v > 1 ? 1 : v));
	return ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"axis\">%s</text>"
				 "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%s\"/>"
				 "<text x=\"%d\" y=\"%d\">",
			      PRF_LEFT - 8, y + 11, metric, PRF_LEFT, y, w, fill, PRF_LEFT + w + 6, y + 11) ||
	       ent_buf_fixed(b, v, 3) || ent_buf_puts(b, "</text>\n");
}

static int prf_group(ent_buf *b, int y, const char *name, const char *mark, const char *fill,
		     const double v[3])
{
	static const char *const metrics[] = {"precision", "recall", "F1"};
	int rc = ent_buf_printf(b, "<g><title>%s: precision ", name) || ent_buf_fixed(b, v[0], 3) ||
		 ent_buf_puts(b, ", recall ") || ent_buf_fixed(b, v[1], 3) || ent_buf_puts(b, ", F1 ") ||
		 ent_buf_fixed(b, v[2], 3) ||
		 ent_buf_printf(b, "</title><text x=\"4\" y=\"%d\" font-weight=\"600\">%s%s%s</text>\n", y + 11,
				mark, *mark ? " " : "", name);
	for (int i = 0; rc == 0 && i < 3; i++)
		rc = prf_bar(b, y + i * PRF_ROW, metrics[i], v[i], fill);
	return rc || ent_buf_puts(b, "</g>\n");
}

static int grid_lines(ent_buf *b, int left, int width, int top, int bottom)
{
	static const char *const ticks[] = {"0", "0.25", "0.5", "0.75", "1"};
	int rc = 0;
	for (int k = 0; rc == 0 && k <= 4; k++) {
		int x = left + width * k / 4;
		rc = ent_buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>"
				       "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"axis\">%s</text>\n",
				    x, x, top, bottom, x, bottom + 14, ticks[k]);
	}
	return rc;
}

static int prf_chart(ent_buf *b, const ent_metrics *m)
{
	int group = 3 * PRF_ROW + 14, height = 4 * group + 30;
	int rc = ent_buf_printf(b, "<section>\n<h2>Precision, recall and F1 per class</h2>\n<figure>\n"
				   "<svg viewBox=\"0 0 900 %d\" width=\"900\" height=\"%d\" role=\"img\" "
				   "aria-label=\"bar chart of precision, recall and F1 for each label\">\n",
				height, height) ||
		 grid_lines(b, PRF_LEFT, PRF_WIDTH, 4, height - 20);
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++) {
		const double v[3] = {m->precision[c], m->recall[c], m->f1[c]};
		rc = prf_group(b, 6 + c * group, ent_label_name(c), ent_html_label_mark(c), ent_html_label_fill(c), v);
	}
	const double avg[3] = {m->macro_precision, m->macro_recall, m->macro_f1};
	rc = rc || prf_group(b, 6 + 3 * group, "macro avg", "", "#3a3a3a", avg);
	return rc || ent_buf_puts(b, "</svg>\n<figcaption>Bars run from 0 to 1; conflictual bars are "
				     "hatched. Macro average over the labels present.</figcaption>\n"
				     "</figure>\n</section>\n");
}

/* ---- confusion matrix heat map ---- */

#define CM_LEFT 150
#define CM_TOP 56
#define CM_W 150
#define CM_H 72

static int cm_cell(ent_buf *b, const ent_metrics *m, int g, int p, size_t row)
{
	double share = row ? (double)m->confusion[g][p] / (double)row : 0;
	int x = CM_LEFT + p * CM_W, y = CM_TOP + g * CM_H;
	const char *ink = share >= 0.7 ? "#ffffff" : "#1b1b1b"; /* the better contrast */
	int rc = ent_buf_printf(b, "<g><title>gold %s, predicted %s: %zu of %zu (", ent_label_name(g),
				ent_label_name(p), m->confusion[g][p], row) ||
		 ent_html_percent(b, (double)m->confusion[g][p], (double)row) ||
		 ent_buf_printf(b, " of the row)</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				   "fill=\"#1f2f5c\" fill-opacity=\"",
				x, y, CM_W, CM_H) ||
		 ent_buf_fixed(b, 0.04 + 0.86 * share, 3) ||
		 ent_buf_printf(b, "\" stroke=\"%s\" stroke-width=\"%d\"/>", g == p ? "#000000" : "#ffffff",
				g == p ? 3 : 1) ||
		 ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"18\" "
				   "font-weight=\"700\" style=\"fill:%s\">%zu</text>",
				x + CM_W / 2, y + 32, ink, m->confusion[g][p]) ||
		 ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" style=\"fill:%s\">",
				x + CM_W / 2, y + 54, ink) ||
		 ent_html_percent(b, (double)m->confusion[g][p], (double)row);
	return rc || ent_buf_puts(b, "</text></g>\n");
}

static int cm_labels(ent_buf *b)
{
	int rc = ent_buf_printf(b, "<text x=\"%d\" y=\"16\" text-anchor=\"middle\" font-weight=\"600\">"
				   "predicted \xe2\x86\x92</text>"
				   "<text x=\"%d\" y=\"%d\" font-weight=\"600\">gold \xe2\x86\x93</text>\n",
				CM_LEFT + 3 * CM_W / 2, 8, CM_TOP - 8);
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s %s</text>"
				       "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s %s</text>\n",
				    CM_LEFT + c * CM_W + CM_W / 2, CM_TOP - 10, ent_html_label_mark(c),
				    ent_label_name(c), CM_LEFT - 10, CM_TOP + c * CM_H + CM_H / 2 + 4,
				    ent_html_label_mark(c), ent_label_name(c));
	return rc || ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"axis\">row total</text>\n",
				    CM_LEFT + 3 * CM_W + 12, CM_TOP - 10);
}

static int confusion_chart(ent_buf *b, const ent_metrics *m)
{
	int width = CM_LEFT + 3 * CM_W + 100, height = CM_TOP + 3 * CM_H + 10;
	int rc = ent_buf_printf(b, "<section>\n<h2>Confusion matrix</h2>\n<figure>\n"
				   "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
				   "aria-label=\"confusion matrix heat map: counts and row percentages\" "
				   "style=\"max-width:%dpx\">\n",
				width, height, width, height, width) ||
		 cm_labels(b);
	for (int g = 0; rc == 0 && g < ENT_LABEL_COUNT; g++) {
		size_t row = 0;
		for (int p = 0; p < ENT_LABEL_COUNT; p++)
			row += m->confusion[g][p];
		for (int p = 0; rc == 0 && p < ENT_LABEL_COUNT; p++)
			rc = cm_cell(b, m, g, p, row);
		rc = rc || ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"axis\">n = %zu</text>\n",
					  CM_LEFT + 3 * CM_W + 12, CM_TOP + g * CM_H + CM_H / 2 + 4, row);
	}
	return rc || ent_buf_puts(b, "</svg>\n<figcaption>Rows are gold labels, columns predictions. Each "
				     "cell gives the count and its share of the row (the recall of the gold "
				     "label on the outlined diagonal); darker cells hold a larger share."
				     "</figcaption>\n</figure>\n</section>\n");
}

/* ---- cross-validation: macro-F1 per fold ---- */

#define FOLD_LEFT 90
#define FOLD_WIDTH 660
#define FOLD_TOP 30
#define FOLD_ROW 20

typedef struct fold_scale {
	double lo, hi, step;
} fold_scale;

static fold_scale fold_range(const double *v, int n, double mean, double sd)
{
	double lo = mean - sd, hi = mean + sd;
	for (int i = 0; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	fold_scale s = {floor(lo * 50) / 50, ceil(hi * 50) / 50, 0};
	if (s.hi - s.lo < 0.1) {
		double mid = (s.lo + s.hi) / 2;
		s.lo = floor((mid - 0.05) * 50) / 50;
		s.hi = s.lo + 0.1;
	}
	s.lo = s.lo < 0 ? 0 : s.lo;
	s.hi = s.hi > 1 ? 1 : s.hi <= s.lo ? s.lo + 0.1 : s.hi;
	s.step = s.hi - s.lo <= 0.12 ? 0.02 : s.hi - s.lo <= 0.3 ? 0.05 : 0.1;
	return s;
}

static int fold_x(const fold_scale *s, double v)
{
	return FOLD_LEFT + px(FOLD_WIDTH * (v - s->lo) / (s->hi - s->lo));
}

static int fold_axis(ent_buf *b, const fold_scale *s, int bottom)
{
	int rc = 0;
	for (long k = lround(ceil(s->lo / s->step - 1e-9)); rc == 0 && k * s->step <= s->hi + 1e-9; k++) {
		int x = fold_x(s, (double)k * s->step);
		rc = ent_buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>"
				       "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"axis\">",
				    x, x, FOLD_TOP - 6, bottom, x, bottom + 14) ||
		     ent_buf_fixed(b, (double)k * s->step, 2) || ent_buf_puts(b, "</text>\n");
	}
	return rc;
}

static int fold_mean(ent_buf *b, const fold_scale *s, double mean, double sd, int bottom)
{
	int x0 = fold_x(s, mean - sd < s->lo ? s->lo : mean - sd), x1 = fold_x(s, mean + sd > s->hi ? s->hi : mean + sd);
	int xm = fold_x(s, mean);
	return ent_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#000000\" "
				 "fill-opacity=\"0.07\"/><line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" "
				 "stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
				 "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"600\">mean ",
			      x0, FOLD_TOP - 6, x1 - x0, bottom - FOLD_TOP + 6, xm, xm, FOLD_TOP - 6, bottom, xm,
			      FOLD_TOP - 12) ||
	       ent_buf_fixed(b, mean, 3) || ent_buf_puts(b, " \xc2\xb1 ") || ent_buf_fixed(b, sd, 3) ||
	       ent_buf_puts(b, " (sd)</text>\n");
}

static int fold_dot(ent_buf *b, const fold_scale *s, int i, double v)
{
	int y = FOLD_TOP + i * FOLD_ROW + FOLD_ROW / 2, x = fold_x(s, v);
	return ent_buf_printf(b, "<g><title>fold %d: macro F1 ", i + 1) || ent_buf_fixed(b, v, 4) ||
	       ent_buf_printf(b, "</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"axis\">fold %d"
				 "</text><line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#cccccc\" "
				 "stroke-dasharray=\"2 3\"/><circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"#1b1b1b\"/>"
				 "<text x=\"%d\" y=\"%d\">",
			      FOLD_LEFT - 10, y + 4, i + 1, FOLD_LEFT, FOLD_LEFT + FOLD_WIDTH, y, y, x, y,
			      FOLD_LEFT + FOLD_WIDTH + 14, y + 4) ||
	       ent_buf_fixed(b, v, 3) || ent_buf_puts(b, "</text></g>\n");
}

static int fold_chart(ent_buf *b, const ent_eval_report *r)
{
	double mean, sd;
	ent_report_spread(r->fold_macro_f1, r->folds, &mean, &sd);
	fold_scale s = fold_range(r->fold_macro_f1, r->folds, mean, sd);
	int bottom = FOLD_TOP + r->folds * FOLD_ROW, height = bottom + 24;
	int rc = ent_buf_printf(b, "<section>\n<h2>Macro F1 per fold</h2>\n<figure>\n"
				   "<svg viewBox=\"0 0 900 %d\" width=\"900\" height=\"%d\" role=\"img\" "
				   "aria-label=\"dot plot of macro F1 for each of %d folds with the mean\">\n",
				height, height, r->folds) ||
		 fold_axis(b, &s, bottom) || fold_mean(b, &s, mean, sd, bottom);
	for (int i = 0; rc == 0 && i < r->folds; i++)
		rc = fold_dot(b, &s, i, r->fold_macro_f1[i]);
	return rc || ent_buf_puts(b, "</svg>\n<figcaption>One dot per fold; the dashed line is the mean "
				     "and the shaded band one standard deviation either side. The axis is "
				     "zoomed to the scores.</figcaption>\n</figure>\n</section>\n");
}

/* ---- the model's metadata ---- */

/* Six significant digits, whatever the locale. */
static int short_real(ent_buf *b, double v)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.6g", v);
	/* A host program may have set a locale with a decimal comma. */
	const char *point = localeconv()->decimal_point;
	char *p = point && point[0] && point[0] != '.' ? strchr(tmp, point[0]) : NULL;
	if (p != NULL)
		*p = '.';
	return ent_buf_puts(b, tmp);
}

static int json_scalar(ent_buf *b, json_t *v)
{
	if (v == NULL)
		return ent_buf_puts(b, "\xe2\x80\x94");
	switch (json_typeof(v)) {
	case JSON_STRING: return ent_html_text(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER: return ent_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL: return short_real(b, json_real_value(v));
	case JSON_TRUE: return ent_buf_puts(b, "yes");
	case JSON_FALSE: return ent_buf_puts(b, "no");
	case JSON_NULL: return ent_buf_puts(b, "\xe2\x80\x94");
	default: return ent_buf_puts(b, "\xe2\x80\xa6");
	}
}

static int meta_row(ent_buf *b, const char *prefix, const char *key, json_t *v)
{
	return ent_buf_puts(b, "<tr><th scope=\"row\">") || ent_html_str(b, prefix) ||
	       ent_buf_puts(b, *prefix ? " \xc2\xb7 " : "") || ent_html_str(b, key) ||
	       ent_buf_puts(b, "</th><td class=\"l\">") || json_scalar(b, v) || ent_buf_puts(b, "</td></tr>\n");
}

/* Rows for the scalars of obj (one level of nesting, named "outer · key"). */
static int meta_rows(ent_buf *b, json_t *obj, const char *prefix)
{
	const char *key;
	json_t *v;
	int rc = 0;
	json_object_foreach(obj, key, v)
	{
		if (rc != 0 || strcmp(key, "data") == 0 || strcmp(key, "grid_scores") == 0 || json_is_array(v))
			continue;
		if (json_is_object(v))
			rc = *prefix ? 0 : meta_rows(b, v, key);
		else
			rc = meta_row(b, prefix, key, v);
	}
	return rc;
}

static int meta_labels(ent_buf *b, json_t *data)
{
	json_t *labels = json_object_get(data, "labels");
	json_int_t total = 0;
	int rc = ent_buf_puts(b, "<table>\n<caption>Training data per label</caption>\n<thead><tr><th>label</th>"
				 "<th>sentences</th><th>share</th><th class=\"l\"></th></tr></thead>\n<tbody>\n");
	for (int c = 0; c < ENT_LABEL_COUNT; c++)
		total += json_integer_value(json_object_get(labels, ent_label_name(c)));
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++) {
		json_int_t n = json_integer_value(json_object_get(labels, ent_label_name(c)));
		rc = ent_buf_puts(b, "<tr><th scope=\"row\">") || ent_html_badge(b, c) ||
		     ent_buf_printf(b, "</th><td>%" JSON_INTEGER_FORMAT "</td><td>", n) ||
		     ent_html_percent(b, (double)n, (double)total) ||
		     ent_buf_printf(b, "</td><td class=\"l\" style=\"width:240px\"><span class=\"bar %s\" style=\"width:",
				    ent_html_label_class(c)) ||
		     ent_buf_fixed(b, total > 0 ? 100.0 * (double)n / (double)total : 0, 1) ||
		     ent_buf_puts(b, "%\"></span></td></tr>\n");
	}
	json_t *rows = json_object_get(data, "rows"), *sha = json_object_get(data, "sha256");
	rc = rc || ent_buf_puts(b, "<tr class=\"sep\"><th scope=\"row\">all</th><td>") ||
	     (rows ? json_scalar(b, rows) : ent_buf_printf(b, "%" JSON_INTEGER_FORMAT, total)) ||
	     ent_buf_puts(b, "</td><td>100%</td><td></td></tr>\n</tbody>\n</table>\n");
	if (rc == 0 && json_is_string(sha))
		rc = ent_buf_puts(b, "<p class=\"note\">Data checksum (SHA-256): <code>") || json_scalar(b, sha) ||
		     ent_buf_puts(b, "</code></p>\n");
	return rc;
}

static int meta_grid(ent_buf *b, json_t *scores)
{
	size_t i, best = 0;
	json_t *p;
	json_array_foreach(scores, i, p)
	{
		if (json_number_value(json_object_get(p, "macro_f1")) >
		    json_number_value(json_object_get(json_array_get(scores, best), "macro_f1")))
			best = i;
	}
	int rc = ent_buf_puts(b, "<table>\n<caption>Grid search: cross-validated macro F1 per setting</caption>\n"
				 "<thead><tr><th>C</th><th>gamma</th><th>macro F1</th><th class=\"l\"></th></tr>"
				 "</thead>\n<tbody>\n");
	json_array_foreach(scores, i, p)
	{
		if (rc != 0)
			break;
		rc = ent_buf_printf(b, "<tr%s><td>", i == best ? " class=\"best\"" : "") ||
		     json_scalar(b, json_object_get(p, "c")) || ent_buf_puts(b, "</td><td>") ||
		     json_scalar(b, json_object_get(p, "gamma")) || ent_buf_puts(b, "</td><td>") ||
		     json_scalar(b, json_object_get(p, "macro_f1")) ||
		     ent_buf_puts(b, i == best ? "</td><td class=\"l\">\xe2\x98\x85 chosen</td></tr>\n"
					       : "</td><td></td></tr>\n");
	}
	return rc || ent_buf_puts(b, "</tbody>\n</table>\n");
}

static int metadata_section(ent_buf *b, const ent_eval_report *r)
{
	int rc = ent_buf_puts(b, "<section>\n<h2>Model</h2>\n");
	json_t *meta = r->model_metadata ? json_loads(r->model_metadata, 0, NULL) : NULL;
	if (!json_is_object(meta)) {
		json_decref(meta);
		return rc || ent_buf_puts(b, r->fold_macro_f1 ? "<p class=\"note\">Cross-validation trains one model "
								"per fold; there is no single model to describe.</p>\n"
							      : "<p class=\"note\">No model metadata.</p>\n") ||
		       ent_buf_puts(b, "</section>\n");
	}
	json_t *data = json_object_get(meta, "data");
	json_t *grid = json_object_get(json_object_get(meta, "params"), "grid_scores");
	if (rc == 0 && json_is_object(data))
		rc = meta_labels(b, data);
	rc = rc || ent_buf_puts(b, "<table>\n<caption>Parameters and sizes</caption>\n<tbody>\n") ||
	     meta_rows(b, meta, "") || ent_buf_puts(b, "</tbody>\n</table>\n");
	if (rc == 0 && json_is_array(grid) && json_array_size(grid) > 0)
		rc = meta_grid(b, grid);
	json_decref(meta);
	return rc || ent_buf_puts(b, "</section>\n");
}

/* ---- the most confident mistakes ---- */

static int mistake_row(ent_buf *b, size_t i, const ent_eval_mistake *e)
{
	return ent_buf_printf(b, "<tr><td>%zu</td><td class=\"l nw\"><code>", i + 1) || ent_html_str(b, e->file) ||
	       ent_buf_printf(b, ":%zu</code></td><td class=\"l\">", e->line) || ent_html_badge(b, e->gold) ||
	       ent_buf_puts(b, "</td><td class=\"l\">") || ent_html_badge(b, e->predicted) ||
	       ent_buf_puts(b, "</td><td>") || ent_buf_fixed(b, e->probability, 3) ||
	       ent_buf_puts(b, "</td><td class=\"text\">") || ent_html_str(b, e->text) ||
	       ent_buf_puts(b, "</td></tr>\n");
}

static int mistakes_section(ent_buf *b, const ent_eval_report *r)
{
	int rc = ent_buf_printf(b, "<section>\n<h2>Most confident mistakes</h2>\n<p class=\"note\">The %zu "
				   "sentences the model got wrong with the highest probability for its "
				   "(wrong) prediction.</p>\n<table>\n<thead><tr><th>#</th><th class=\"l\">where"
				   "</th><th class=\"l\">gold</th><th class=\"l\">predicted</th><th>p</th>"
				   "<th class=\"l\">sentence</th></tr></thead>\n<tbody>\n",
				r->mistake_count);
	for (size_t i = 0; rc == 0 && i < r->mistake_count; i++)
		rc = mistake_row(b, i, &r->mistakes[i]);
	return rc || ent_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

int ent_report_eval_html(ent_buf *b, const ent_eval_report *r)
{
	const char *title = r->title ? r->title : "entente evaluation report";
	int rc = ent_html_page_begin(b, title) || summary(b, r) || ent_html_legend(b) ||
		 class_table(b, r->metrics) || confusion_chart(b, r->metrics) || prf_chart(b, r->metrics);
	if (rc == 0 && r->fold_macro_f1 != NULL && r->folds > 0)
		rc = fold_chart(b, r);
	rc = rc || metadata_section(b, r);
	if (rc == 0 && r->mistake_count > 0)
		rc = mistakes_section(b, r);
	return rc || ent_html_page_end(b);
}
