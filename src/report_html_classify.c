/* The HTML page of classify: each article's text with its sentences tinted
 * by label and its actors outlined, a diverging bar chart of actor tone and
 * a table of pairs; for many articles an overview of the merged tone first.
 * Written in three parts (begin, one section per article, end) because an
 * article's result lives only until the classifier's next run. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entente/classify.h"
#include "report_internal.h"

#define CHART_MAX_ACTORS 30   /* actors in a tone chart */
#define TABLE_MAX_PAIRS 50    /* pairs in an article's table */
#define OVERVIEW_PAIRS 10     /* pairs in each overview table */
#define OVERVIEW_MIN_SUPPORT 3 /* sentences a pair needs for the overview, when any has them */

static const char *display_name(const ent_tone_entry *e, const char *code, const ent_actors *names)
{
	if (names != NULL)
		return ent_actors_name(names, code);
	return e != NULL && e->name[0] ? e->name : code;
}

static int tone_label(double tone)
{
	return tone >= 0.005 ? ENT_LABEL_COOPERATIVE : tone <= -0.005 ? ENT_LABEL_CONFLICTUAL : ENT_LABEL_NEUTRAL;
}

static int px(double v)
{
	return (int)lround(v);
}

/* ---- the diverging tone chart ---- */

#define TC_LABEL 200  /* right edge of the names */
#define TC_CENTER 385 /* tone 0 */
#define TC_HALF 165   /* pixels per unit of tone */
#define TC_VALUE 565  /* tone as text */
#define TC_VOLUME 625 /* left edge of the volume bars */
#define TC_VOLUME_MAX 150
#define TC_TOP 30
#define TC_ROW 22

static int chart_head(ent_buf *b, size_t rows)
{
	static const char *const ticks[] = {"-1", "-0.5", "0", "+0.5", "+1"};
	int bottom = TC_TOP + (int)rows * TC_ROW, height = bottom + 24;
	int rc = ent_buf_printf(b, "<svg viewBox=\"0 0 900 %d\" width=\"900\" height=\"%d\" role=\"img\" "
				   "aria-label=\"diverging bar chart of actor tone from -1 to +1\">\n",
				height, height);
	for (int k = -2; rc == 0 && k <= 2; k++) {
		int x = TC_CENTER + k * TC_HALF / 2;
		rc = ent_buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\"/>"
				       "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"axis\">%s</text>\n",
				    x, x, TC_TOP - 4, bottom, k ? "#e0e0e0" : "#555555", x, bottom + 16,
				    ticks[k + 2]);
	}
	return rc || ent_buf_printf(b, "<text x=\"%d\" y=\"16\" text-anchor=\"end\" font-weight=\"600\">"
				       "\xe2\x86\x90 conflictual (\xe2\x88\x92)</text>"
				       "<text x=\"%d\" y=\"16\" font-weight=\"600\">(+) cooperative \xe2\x86\x92</text>"
				       "<text x=\"%d\" y=\"16\" class=\"axis\">tone</text>"
				       "<text x=\"%d\" y=\"16\" class=\"axis\">sentences (+ / \xe2\x88\x92 / "
				       "\xe2\x97\x8b)</text>\n",
				    TC_CENTER - 8, TC_CENTER + 8, TC_VALUE, TC_VOLUME);
}

static int chart_title(ent_buf *b, const ent_tone_entry *e, const char *name)
{
	return ent_buf_puts(b, "<title>") || ent_html_str(b, name) || ent_buf_puts(b, " (") ||
	       ent_html_str(b, e->key) || ent_buf_puts(b, "): tone ") ||
	       ent_html_signed(b, ent_tone_value(e), 3) ||
	       ent_buf_printf(b, " over %llu sentences, %llu cooperative, %llu conflictual, %llu neutral</title>",
			      (unsigned long long)e->sentences, (unsigned long long)e->counts[0],
			      (unsigned long long)e->counts[1], (unsigned long long)e->counts[2]);
}

static int tone_bar(ent_buf *b, int y, double tone)
{
	int w = px(fabs(tone) * TC_HALF);
	if (w == 0)
		return ent_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"2\" height=\"14\" fill=\"#555555\"/>",
				      TC_CENTER - 1, y + 4);
	if (tone > 0)
		return ent_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"#0072B2\"/>",
				      TC_CENTER, y + 4, w);
	return ent_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"url(#ent-hatch)\" "
				 "stroke=\"#D55E00\"/>",
			      TC_CENTER - w, y + 4, w);
}

/* The sentences of e as a bar stacked by label, scaled to max. */
static int volume_bar(ent_buf *b, int y, const ent_tone_entry *e, uint64_t max)
{
	int x = TC_VOLUME, rc = 0;
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++) {
		int w = max ? px((double)e->counts[c] * TC_VOLUME_MAX / (double)max) : 0;
		if (w > 0)
			rc = ent_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%s\"/>", x,
					    y + 4, w, ent_html_label_fill(c));
		x += w;
	}
	return rc || ent_buf_printf(b, "<text x=\"%d\" y=\"%d\">%llu (%llu / %llu / %llu)</text>", x + 6, y + 15,
				    (unsigned long long)e->sentences, (unsigned long long)e->counts[0],
				    (unsigned long long)e->counts[1], (unsigned long long)e->counts[2]);
}

static int chart_row(ent_buf *b, int y, const ent_tone_entry *e, const ent_actors *names, uint64_t max)
{
	const char *name = display_name(e, e->key, names);
	double tone = ent_tone_value(e);
	return ent_buf_puts(b, "<g>") || chart_title(b, e, name) ||
	       ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", TC_LABEL, y + 15) ||
	       ent_html_short(b, name, 22) || ent_buf_puts(b, " <tspan class=\"axis\">") ||
	       ent_html_str(b, e->key) || ent_buf_puts(b, "</tspan></text>") || tone_bar(b, y, tone) ||
	       ent_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-weight=\"600\">", TC_VALUE, y + 15) ||
	       ent_html_signed(b, tone, 2) || ent_buf_puts(b, "</text>") || volume_bar(b, y, e, max) ||
	       ent_buf_puts(b, "</g>\n");
}

static int by_tone(const void *x, const void *y)
{
	const ent_tone_entry *a = *(const ent_tone_entry *const *)x, *b = *(const ent_tone_entry *const *)y;
	double ta = ent_tone_value(a), tb = ent_tone_value(b);
	if (ta != tb)
		return ta < tb ? 1 : -1;
	if (a->sentences != b->sentences)
		return a->sentences < b->sentences ? 1 : -1;
	return strcmp(a->key, b->key);
}

/* The actors mentioned in most sentences, drawn from most cooperative down. */
static int tone_chart(ent_buf *b, const ent_tone *t, const ent_actors *names, const char *caption)
{
	const ent_tone_entry *rows[CHART_MAX_ACTORS];
	size_t total = ent_tone_actor_count(t), n = total < CHART_MAX_ACTORS ? total : CHART_MAX_ACTORS;
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		rows[i] = ent_tone_actor(t, i);
		max = rows[i]->sentences > max ? rows[i]->sentences : max;
	}
	qsort(rows, n, sizeof *rows, by_tone);
	int rc = ent_buf_puts(b, "<figure>\n") || chart_head(b, n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = chart_row(b, TC_TOP + (int)i * TC_ROW, rows[i], names, max);
	rc = rc || ent_buf_puts(b, "</svg>\n<figcaption>") || ent_buf_puts(b, caption);
	if (rc == 0 && n < total)
		rc = ent_buf_printf(b, " The %zu actors mentioned in most sentences, of %zu.", n, total);
	return rc || ent_buf_puts(b, " Tone = (\xce\xa3 p(cooperative) \xe2\x88\x92 \xce\xa3 p(conflictual)) / "
				     "sentences; conflictual bars are hatched.</figcaption>\n</figure>\n");
}

/* ---- pair tables ---- */

static int pair_name(ent_buf *b, const ent_tone_entry *e, const ent_actors *names)
{
	char first[ENT_TONE_MAX_KEY];
	const char *space = strchr(e->key, ' ');
	size_t n = space ? (size_t)(space - e->key) : strlen(e->key);
	memcpy(first, e->key, n);
	first[n] = '\0';
	const char *second = space ? space + 1 : "";
	return ent_html_str(b, display_name(NULL, first, names)) || ent_buf_puts(b, " \xe2\x80\x93 ") ||
	       ent_html_str(b, display_name(NULL, second, names)) || ent_buf_puts(b, " <code>") ||
	       ent_html_str(b, first) || ent_buf_puts(b, "\xe2\x80\x93") || ent_html_str(b, second) ||
	       ent_buf_puts(b, "</code>");
}

static int tone_cell(ent_buf *b, double tone)
{
	int label = tone_label(tone);
	return ent_buf_printf(b, "<td class=\"tone %s\"><b>", ent_html_label_class(label)) ||
	       ent_html_signed(b, tone, 2) || ent_buf_puts(b, "</b></td>");
}

static int pair_row(ent_buf *b, const ent_tone_entry *e, const ent_actors *names)
{
	return ent_buf_puts(b, "<tr><th scope=\"row\">") || pair_name(b, e, names) ||
	       ent_buf_printf(b, "</th><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td>",
			      (unsigned long long)e->sentences, (unsigned long long)e->counts[0],
			      (unsigned long long)e->counts[1], (unsigned long long)e->counts[2]) ||
	       tone_cell(b, ent_tone_value(e)) || ent_buf_puts(b, "</tr>\n");
}

static int pair_table_head(ent_buf *b, const char *caption)
{
	return ent_buf_puts(b, "<table class=\"pairs\">\n<caption>") || ent_buf_puts(b, caption) ||
	       ent_buf_puts(b, "</caption>\n<thead><tr><th>pair</th><th>sentences</th>"
			       "<th>+ cooperative</th><th>\xe2\x88\x92 conflictual</th>"
			       "<th>\xe2\x97\x8b neutral</th><th>tone</th></tr></thead>\n<tbody>\n");
}

static int article_pairs(ent_buf *b, const ent_tone *t, const ent_actors *names)
{
	size_t total = ent_tone_pair_count(t), n = total < TABLE_MAX_PAIRS ? total : TABLE_MAX_PAIRS;
	if (total == 0)
		return ent_buf_puts(b, "<p class=\"note\">No sentence mentions two actors.</p>\n");
	int rc = pair_table_head(b, "Pairs of actors named in the same sentence, most mentioned first.");
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = pair_row(b, ent_tone_pair(t, i), names);
	rc = rc || ent_buf_puts(b, "</tbody>\n</table>\n");
	if (rc == 0 && n < total)
		rc = ent_buf_printf(b, "<p class=\"note\">The %zu most mentioned pairs of %zu.</p>\n", n, total);
	return rc;
}

/* ---- an article's text ---- */

/* "cooperative 0.81 (conflictual 0.07, neutral 0.12)": the label first. */
static int probabilities(ent_buf *b, const ent_sentence_result *s)
{
	int label = s->label >= 0 && s->label < ENT_LABEL_COUNT ? s->label : ENT_LABEL_NEUTRAL, others = 0;
	int rc = ent_buf_printf(b, "%s ", ent_label_name(label)) || ent_buf_fixed(b, s->probs[label], 2) ||
		 ent_buf_puts(b, " (");
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		if (c != label)
			rc = ent_buf_printf(b, "%s%s ", others++ ? ", " : "", ent_label_name(c)) ||
			     ent_buf_fixed(b, s->probs[c], 2);
	return rc || ent_buf_puts(b, ")");
}

static int mention(ent_buf *b, const ent_article *a, const ent_mention *m, const ent_actors *names)
{
	return ent_buf_puts(b, "<mark class=\"actor\" title=\"") || ent_html_str(b, m->code) ||
	       ent_buf_puts(b, " \xc2\xb7 ") || ent_html_str(b, display_name(NULL, m->code, names)) ||
	       (m->role ? ent_buf_puts(b, " \xc2\xb7 ") || ent_html_str(b, m->role) : 0) ||
	       ent_buf_puts(b, "\">") || ent_html_text(b, a->source + m->start, m->end - m->start) ||
	       ent_buf_puts(b, "</mark>");
}

/* The sentence's text with its actors marked (mentions inside it, in order). */
static int sentence_text(ent_buf *b, const ent_article *a, const ent_sentence_result *s, const ent_actors *names)
{
	size_t at = s->start;
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < s->mention_count; k++) {
		const ent_mention *m = &a->mentions[s->first_mention + k];
		if (m->start < at || m->end > s->end || m->end <= m->start)
			continue;
		rc = ent_html_text(b, a->source + at, m->start - at) || mention(b, a, m, names);
		at = m->end;
	}
	return rc || ent_html_text(b, a->source + at, s->end - at);
}

static int sentence(ent_buf *b, const ent_article *a, const ent_sentence_result *s, const ent_actors *names)
{
	return ent_buf_printf(b, "<span class=\"s %s\" tabindex=\"0\" title=\"", ent_html_label_class(s->label)) ||
	       probabilities(b, s) ||
	       ent_buf_printf(b, "\"><span class=\"mk\" aria-hidden=\"true\">%s</span>", ent_html_label_mark(s->label)) ||
	       sentence_text(b, a, s, names) || ent_buf_puts(b, "<span class=\"pr\"> [") || probabilities(b, s) ||
	       ent_buf_puts(b, "]</span></span>");
}

/* Text between sentences; a blank line in it starts a new paragraph. */
static int gap(ent_buf *b, const char *s, size_t n)
{
	size_t newlines = 0;
	for (size_t i = 0; i < n; i++)
		newlines += s[i] == '\n';
	return ent_html_text(b, s, n) || (newlines >= 2 ? ent_buf_puts(b, "</p>\n<p>") : 0);
}

static int article_text(ent_buf *b, const ent_article *a, const ent_actors *names)
{
	size_t at = 0;
	int rc = ent_buf_puts(b, "<div class=\"article-text\">\n<p>");
	for (size_t i = 0; rc == 0 && i < a->sentence_count; i++) {
		const ent_sentence_result *s = &a->sentences[i];
		if (s->start < at || s->end > a->source_len || s->end < s->start)
			continue;
		rc = gap(b, a->source + at, s->start - at) || sentence(b, a, s, names);
		at = s->end;
	}
	rc = rc || ent_html_text(b, a->source + at, a->source_len - at);
	return rc || ent_buf_puts(b, "</p>\n</div>\n");
}

/* ---- an article's section ---- */

static int article_summary(ent_buf *b, const ent_article *a)
{
	size_t counts[ENT_LABEL_COUNT] = {0};
	for (size_t i = 0; i < a->sentence_count; i++)
		if (a->sentences[i].label >= 0 && a->sentences[i].label < ENT_LABEL_COUNT)
			counts[a->sentences[i].label]++;
	const ent_tone_entry *all = ent_tone_overall(a->tone);
	int rc = ent_buf_printf(b, "<p>%zu sentences: ", a->sentence_count);
	for (int c = 0; rc == 0 && c < ENT_LABEL_COUNT; c++)
		rc = ent_buf_printf(b, "%s%zu ", c ? ", " : "", counts[c]) || ent_html_badge(b, c);
	rc = rc || ent_buf_printf(b, ". %llu mention actors; their tone is ", (unsigned long long)all->sentences) ||
	     ent_buf_printf(b, "<b class=\"tone %s\">", ent_html_label_class(tone_label(ent_tone_value(all)))) ||
	     ent_html_signed(b, ent_tone_value(all), 2) || ent_buf_puts(b, "</b>.");
	if (rc == 0 && a->invalid_bytes > 0)
		rc = ent_buf_printf(b, " %zu invalid UTF-8 bytes were replaced.", a->invalid_bytes);
	return rc || ent_buf_puts(b, "</p>\n");
}

static int article_section(ent_buf *b, const ent_article *a, const ent_actors *names)
{
	int rc = ent_buf_puts(b, "<article class=\"doc\">\n<h2>") ||
		 ent_html_str(b, a->id && *a->id ? a->id : "article");
	if (rc == 0 && a->date != NULL)
		rc = ent_buf_puts(b, " <small>") || ent_html_str(b, a->date) || ent_buf_puts(b, "</small>");
	rc = rc || ent_buf_puts(b, "</h2>\n") || article_summary(b, a) || article_text(b, a, names) ||
	     ent_buf_puts(b, "<h3>Actor tone</h3>\n");
	if (rc == 0 && ent_tone_actor_count(a->tone) == 0)
		rc = ent_buf_puts(b, "<p class=\"note\">No actors found.</p>\n");
	else if (rc == 0)
		rc = tone_chart(b, a->tone, names, "Each actor's tone over the sentences that name it, with their count.");
	rc = rc || ent_buf_puts(b, "<h3>Pairs</h3>\n") || article_pairs(b, a->tone, names);
	return rc || ent_buf_puts(b, "</article>\n");
}

/* ---- the overview of many articles ---- */

static int by_tone_up(const void *x, const void *y)
{
	return by_tone(y, x);
}

/* The fewest sentences a pair needs for the overview: OVERVIEW_MIN_SUPPORT,
 * or less while too few pairs have that many. */
static uint64_t pair_support(const ent_tone *t)
{
	uint64_t support = OVERVIEW_MIN_SUPPORT;
	for (; support > 1; support--) {
		size_t enough = 0;
		for (size_t i = 0; i < ent_tone_pair_count(t); i++)
			enough += ent_tone_pair(t, i)->sentences >= support;
		if (enough >= 2 * OVERVIEW_PAIRS)
			break;
	}
	return support;
}

/* The OVERVIEW_PAIRS pairs with the lowest (sign -1) or highest tone. */
static int extreme_pairs(ent_buf *b, const ent_tone_entry **sorted, size_t n, int sign, uint64_t support,
			 const ent_actors *names)
{
	char caption[200];
	snprintf(caption, sizeof caption, "Pairs named together in at least %llu sentence%s, %s first.",
		 (unsigned long long)support, support == 1 ? "" : "s", sign < 0 ? "most conflictual" : "most cooperative");
	int rc = ent_buf_printf(b, "<h3>Most %s pairs</h3>\n", sign < 0 ? "conflictual" : "cooperative");
	size_t shown = 0;
	for (size_t i = 0; rc == 0 && i < n && shown < OVERVIEW_PAIRS; i++) {
		const ent_tone_entry *e = sorted[sign < 0 ? i : n - 1 - i];
		if (e->sentences < support || ent_tone_value(e) * sign <= 0)
			continue;
		rc = (shown++ == 0 ? pair_table_head(b, caption) : 0) || pair_row(b, e, names);
	}
	if (rc == 0 && shown == 0)
		return ent_buf_printf(b, "<p class=\"note\">No pair leans %s.</p>\n", sign < 0 ? "conflictual" : "cooperative");
	return rc || ent_buf_puts(b, "</tbody>\n</table>\n");
}

static int overview_pairs(ent_buf *b, const ent_tone *t, const ent_actors *names)
{
	size_t n = ent_tone_pair_count(t);
	if (n == 0)
		return ent_buf_puts(b, "<p class=\"note\">No sentence mentions two actors.</p>\n");
	const ent_tone_entry **sorted = malloc(n * sizeof *sorted);
	if (sorted == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		sorted[i] = ent_tone_pair(t, i);
	qsort(sorted, n, sizeof *sorted, by_tone_up);
	uint64_t support = pair_support(t);
	int rc = extreme_pairs(b, sorted, n, -1, support, names) || extreme_pairs(b, sorted, n, 1, support, names);
	free(sorted);
	return rc;
}

static int overview_kpis(ent_buf *b, const ent_tone *t, size_t articles)
{
	const ent_tone_entry *all = ent_tone_overall(t);
	return ent_buf_printf(b, "<ul class=\"kpis\">\n<li><b>%zu</b><span>articles</span></li>\n"
				 "<li><b>%llu</b><span>sentences with actors</span></li>\n"
				 "<li><b>%zu</b><span>actors</span></li>\n<li><b>%zu</b><span>pairs</span></li>\n"
				 "<li><b class=\"tone %s\">",
			      articles, (unsigned long long)all->sentences, ent_tone_actor_count(t),
			      ent_tone_pair_count(t), ent_html_label_class(tone_label(ent_tone_value(all)))) ||
	       ent_html_signed(b, ent_tone_value(all), 2) ||
	       ent_buf_puts(b, "</b><span>overall tone</span></li>\n</ul>\n");
}

static int overview(ent_buf *b, const ent_tone *t, size_t articles, const ent_actors *names)
{
	int rc = ent_buf_puts(b, "<section class=\"overview\">\n<h2>Overview</h2>\n") ||
		 overview_kpis(b, t, articles) || ent_buf_puts(b, "<h3>Actors by tone and volume</h3>\n");
	if (rc == 0 && ent_tone_actor_count(t) == 0)
		rc = ent_buf_puts(b, "<p class=\"note\">No actors found.</p>\n");
	else if (rc == 0)
		rc = tone_chart(b, t, names, "Tone over all articles, and the number of sentences naming each actor.");
	return rc || overview_pairs(b, t, names) || ent_buf_puts(b, "</section>\n");
}

/* ---- the three parts ---- */

static int finish(ent_buf *b, char **buf, size_t *cap, size_t *len, int failed, ent_error *err)
{
	*buf = b->data;
	*cap = b->cap;
	*len = b->len;
	if (failed)
		return ent_error_set(err, ENT_ENOMEM, "out of memory writing the HTML report");
	return ENT_OK;
}

int ent_report_html_begin(const ent_tone *total, size_t articles, const ent_actors *names, const char *title,
			  char **buf, size_t *cap, size_t *len, ent_error *err)
{
	if (articles > ENT_REPORT_HTML_MAX_ARTICLES)
		return ent_error_set(err, ENT_ELIMIT,
				     "an HTML report holds at most %d articles, not %zu (use --format jsonl for more)",
				     ENT_REPORT_HTML_MAX_ARTICLES, articles);
	ent_buf b = {*buf, *len, *cap};
	int rc = ent_html_page_begin(&b, title ? title : "entente classify") ||
		 ent_buf_printf(&b, "<p>%zu article%s; each sentence is tinted by its label (hover or focus "
				    "it for the probabilities) and actors are outlined.</p>\n",
				articles, articles == 1 ? "" : "s") ||
		 ent_html_legend(&b) || ent_buf_puts(&b, "</header>\n<main>\n");
	if (rc == 0 && articles > 1 && total != NULL)
		rc = overview(&b, total, articles, names);
	return finish(&b, buf, cap, len, rc != 0, err);
}

int ent_report_html_article(const ent_article *a, const ent_actors *names, char **buf, size_t *cap, size_t *len,
			    ent_error *err)
{
	ent_buf b = {*buf, *len, *cap};
	return finish(&b, buf, cap, len, article_section(&b, a, names) != 0, err);
}

int ent_report_html_end(char **buf, size_t *cap, size_t *len, ent_error *err)
{
	ent_buf b = {*buf, *len, *cap};
	return finish(&b, buf, cap, len, ent_html_page_end(&b) != 0, err);
}
