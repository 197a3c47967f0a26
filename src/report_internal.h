/* Private: what the report renderers share. */
#ifndef ENT_REPORT_INTERNAL_H
#define ENT_REPORT_INTERNAL_H

#include <jansson.h>

#include "buf.h"
#include "entente/report.h"

json_t *ent_report_metrics_json(const ent_metrics *m);
/* Self-contained HTML evaluation report; 0 or -1 when out of memory. */
int ent_report_eval_html(ent_buf *b, const ent_eval_report *r);

/* ---- HTML building blocks (report_html.c); each returns 0, or -1 when out
 * of memory. ---- */

/* Appends s[0..n) escaped for text and attribute values (& < > " ');
 * control characters become spaces, invalid UTF-8 and characters HTML
 * forbids (C1 controls, noncharacters) become U+FFFD. */
int ent_html_text(ent_buf *b, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL appends nothing. */
int ent_html_str(ent_buf *b, const char *s);
/* The page up to and including <body>: doctype, head, inline stylesheet,
 * the shared SVG patterns, and <header><h1>title</h1>. */
int ent_html_page_begin(ent_buf *b, const char *title);
/* Closes <main>, adds the footer, ends the page. */
int ent_html_page_end(ent_buf *b);
/* "+0.47", "-0.12", "0.00": a fixed-point number with its sign. */
int ent_html_signed(ent_buf *b, double value, int decimals);
/* "81.6%" of part in whole, or an em dash when whole is 0. */
int ent_html_percent(ent_buf *b, double part, double whole);
/* A label badge: symbol and name, in the label's colour and border style. */
int ent_html_badge(ent_buf *b, int label);
/* The legend of the three labels (colour, symbol, underline style). */
int ent_html_legend(ent_buf *b);
/* Text truncated to max characters (UTF-8 aware) with an ellipsis. */
int ent_html_short(ent_buf *b, const char *s, size_t max);

/* Per label (ENT_LABEL_*): CSS class ("coop"), symbol ("+"), SVG fill. */
const char *ent_html_label_class(int label);
const char *ent_html_label_mark(int label);
const char *ent_html_label_fill(int label);

#endif
