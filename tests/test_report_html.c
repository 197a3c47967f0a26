/* CUnit suite for the HTML reports: the evaluation page (report table,
 * confusion heat map with row percentages, per-class bars, folds, model
 * metadata, mistakes) and the classify page (tinted sentences, actors,
 * tone chart, pairs, overview), on hand-made metrics and articles. Checks
 * escaping, the elements present and the numbers shown. */
#include "entente/classify.h"
#include "entente/report.h"

#include <stdlib.h>
#include <string.h>

#include "util/test_util.h"

#define C ENT_LABEL_COOPERATIVE
#define X ENT_LABEL_CONFLICTUAL
#define N ENT_LABEL_NEUTRAL

static int contains(const char *page, const char *needle)
{
	return page != NULL && strstr(page, needle) != NULL;
}

static size_t count(const char *page, const char *needle)
{
	size_t n = 0;
	for (const char *p = page; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* A page is one document: doctype first, </html> last, no scripts. */
static void check_page(const char *page)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT(strncmp(page, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	size_t n = strlen(page);
	CU_ASSERT(n > 8 && strcmp(page + n - 8, "</html>\n") == 0);
	CU_ASSERT(!contains(page, "<script"));
	CU_ASSERT(!contains(page, "http://") && !contains(page, "https://"));
	CU_ASSERT(contains(page, "<style>") && contains(page, "@media print"));
	CU_ASSERT_EQUAL(count(page, "<main>"), 1);
	CU_ASSERT_EQUAL(count(page, "</main>"), 1);
}

/* ---- the evaluation page ---- */

/*
 * confusion (rows gold, columns predicted):
 *          C  X  N   row
 *     C    8  1  1   10   80.0% 10.0% 10.0%
 *     X    0  5  5   10    0.0% 50.0% 50.0%
 *     N    2  2  0    4   50.0% 50.0%  0.0%
 */
static void fill_metrics(ent_metrics *m)
{
	static const size_t confusion[3][3] = {{8, 1, 1}, {0, 5, 5}, {2, 2, 0}};
	memset(m, 0, sizeof *m);
	memcpy(m->confusion, confusion, sizeof confusion);
	ent_metrics_finish(m);
}

static char *eval_page(const ent_eval_report *r)
{
	char *out = NULL;
	size_t len = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_report_eval(r, ENT_FORMAT_HTML, &out, &len, &err), ENT_OK);
	CU_ASSERT(out == NULL || strlen(out) == len);
	return out;
}

static void test_eval_elements(void)
{
	ent_metrics m;
	fill_metrics(&m);
	ent_eval_report r = {.title = "entente eval: test.tsv", .metrics = &m};
	char *page = eval_page(&r);
	check_page(page);
	CU_ASSERT(contains(page, "<title>entente eval: test.tsv</title>"));
	CU_ASSERT(contains(page, "<h2>Classification report</h2>"));
	CU_ASSERT(contains(page, "<h2>Confusion matrix</h2>"));
	CU_ASSERT(contains(page, "<h2>Precision, recall and F1 per class</h2>"));
	CU_ASSERT(count(page, "<table") >= 1);
	CU_ASSERT(count(page, "<svg") >= 3); /* the shared patterns, heat map, bars */
	CU_ASSERT(contains(page, "<th>precision</th><th>recall</th><th>f1-score</th><th>support</th>"));
	for (int c = 0; c < ENT_LABEL_COUNT; c++)
		CU_ASSERT(count(page, ent_label_name(c)) >= 4);
	/* Labels carry a symbol and their name, not colour alone. */
	CU_ASSERT(contains(page, "<span class=\"lab coop\"><span aria-hidden=\"true\">+</span> cooperative</span>"));
	CU_ASSERT(contains(page, "<span class=\"lab conf\"><span aria-hidden=\"true\">\xe2\x88\x92</span> conflictual</span>"));
	CU_ASSERT(contains(page, "#0072B2") && contains(page, "#D55E00") && contains(page, "url(#ent-hatch)"));
	/* accuracy 13/24 = 0.542; cooperative precision 8/10 = 0.800, recall 0.800 */
	CU_ASSERT(contains(page, "<th scope=\"row\">accuracy</th><td></td><td></td><td>0.542</td><td>24</td>"));
	CU_ASSERT(contains(page, "<td>0.800</td><td>0.800</td><td>0.800</td><td>10</td>"));
	/* No folds, metadata or mistakes given: no such sections. */
	CU_ASSERT(!contains(page, "Macro F1 per fold"));
	CU_ASSERT(!contains(page, "Most confident mistakes"));
	CU_ASSERT(contains(page, "No model metadata."));
	free(page);
}

static void test_heat_map_percentages(void)
{
	ent_metrics m;
	fill_metrics(&m);
	ent_eval_report r = {.metrics = &m};
	char *page = eval_page(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT(contains(page, "<title>gold cooperative, predicted cooperative: 8 of 10 (80.0% of the row)</title>"));
	CU_ASSERT(contains(page, "<title>gold cooperative, predicted neutral: 1 of 10 (10.0% of the row)</title>"));
	CU_ASSERT(contains(page, "<title>gold conflictual, predicted cooperative: 0 of 10 (0.0% of the row)</title>"));
	CU_ASSERT(contains(page, "<title>gold neutral, predicted conflictual: 2 of 4 (50.0% of the row)</title>"));
	/* The counts and percentages are visible text in the cells. */
	CU_ASSERT(contains(page, "font-weight=\"700\" style=\"fill:#ffffff\">8</text>"));
	CU_ASSERT(contains(page, ">80.0%</text>"));
	CU_ASSERT(count(page, ">50.0%</text>") == 4);
	CU_ASSERT(count(page, ">0.0%</text>") == 2);
	CU_ASSERT(contains(page, ">n = 4</text>"));
	/* The default title. */
	CU_ASSERT(contains(page, "<title>entente evaluation report</title>"));
	free(page);
}

static void test_heat_map_empty_row(void)
{
	ent_metrics m;
	memset(&m, 0, sizeof m);
	m.confusion[C][C] = 3;
	m.confusion[X][X] = 2;
	ent_metrics_finish(&m);
	ent_eval_report r = {.metrics = &m};
	char *page = eval_page(&r);
	CU_ASSERT(contains(page, "<title>gold neutral, predicted neutral: 0 of 0 (\xe2\x80\x94 of the row)</title>"));
	CU_ASSERT(contains(page, ">100.0%</text>"));
	free(page);
}

static void test_eval_escaping(void)
{
	ent_metrics m;
	fill_metrics(&m);
	const ent_eval_mistake mistakes[] = {
		{"<script>alert('x')</script> & \"quoted\"", "a<b>.tsv", 7, C, X, 0.987},
		{"bad \xff byte \x01 ctl \xc2\x85 nel \xef\xbf\xbe end", "b.tsv", 9, N, C, 0.5},
	};
	ent_eval_report r = {.title = "eval of \"x\" <&> 'y'", .metrics = &m, .mistakes = mistakes, .mistake_count = 2};
	char *page = eval_page(&r);
	check_page(page);
	CU_ASSERT(contains(page, "<title>eval of &quot;x&quot; &lt;&amp;&gt; &#39;y&#39;</title>"));
	CU_ASSERT(contains(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"));
	CU_ASSERT(contains(page, "<code>a&lt;b&gt;.tsv:7</code>"));
	CU_ASSERT(!contains(page, "<script>") && !contains(page, "<b>.tsv"));
	/* Invalid UTF-8, a C0 control, a C1 control and a noncharacter. */
	CU_ASSERT(contains(page, "bad \xef\xbf\xbd byte   ctl \xef\xbf\xbd nel \xef\xbf\xbd end"));
	CU_ASSERT(!contains(page, "\x01") && !contains(page, "\xff"));
	CU_ASSERT(contains(page, "<h2>Most confident mistakes</h2>"));
	CU_ASSERT(contains(page, "<td>0.987</td>"));
	free(page);
}

static void test_eval_folds(void)
{
	ent_metrics m;
	fill_metrics(&m);
	const double folds[] = {0.70, 0.80, 0.90, 0.80, 0.80};
	ent_eval_report r = {.metrics = &m, .fold_macro_f1 = folds, .folds = 5};
	char *page = eval_page(&r);
	check_page(page);
	CU_ASSERT(contains(page, "<h2>Macro F1 per fold</h2>"));
	CU_ASSERT_EQUAL(count(page, "<circle"), 5);
	CU_ASSERT(contains(page, ">fold 5</text>"));
	/* mean 0.8, population sd sqrt(0.004) = 0.063 */
	CU_ASSERT(contains(page, ">mean 0.800 \xc2\xb1 0.063 (sd)</text>"));
	CU_ASSERT(contains(page, "macro F1 over 5 folds"));
	CU_ASSERT(contains(page, "one model per fold"));
	free(page);
}

static void test_eval_metadata(void)
{
	ent_metrics m;
	fill_metrics(&m);
	const char *meta = "{\"data\": {\"labels\": {\"conflictual\": 361, \"cooperative\": 332, \"neutral\": 380}, "
			   "\"rows\": 1073, \"sha256\": \"42ea<\"}, \"params\": {\"c\": 0.5, \"kernel\": \"linear\", "
			   "\"grid\": true, \"grid_scores\": [{\"c\": 0.1, \"gamma\": 0, \"macro_f1\": 0.7}, "
			   "{\"c\": 0.5, \"gamma\": 0, \"macro_f1\": 0.75}]}, \"vocabulary\": 3398, \"cv_macro_f1\": null}";
	ent_eval_report r = {.metrics = &m, .model_metadata = meta};
	char *page = eval_page(&r);
	check_page(page);
	CU_ASSERT(contains(page, "<h2>Model</h2>"));
	CU_ASSERT(contains(page, "</th><td>332</td><td>30.9%</td>"));
	CU_ASSERT(contains(page, "</th><td>361</td><td>33.6%</td>"));
	CU_ASSERT(contains(page, "<th scope=\"row\">all</th><td>1073</td>"));
	CU_ASSERT(contains(page, "<code>42ea&lt;</code>"));
	CU_ASSERT(contains(page, "<th scope=\"row\">params \xc2\xb7 c</th><td class=\"l\">0.5</td>"));
	CU_ASSERT(contains(page, "<th scope=\"row\">params \xc2\xb7 kernel</th><td class=\"l\">linear</td>"));
	CU_ASSERT(contains(page, "<th scope=\"row\">vocabulary</th><td class=\"l\">3398</td>"));
	CU_ASSERT(contains(page, "<tr class=\"best\"><td>0.5</td>"));
	CU_ASSERT(!contains(page, "grid_scores"));
	free(page);
	r.model_metadata = "not json {";
	page = eval_page(&r);
	CU_ASSERT(contains(page, "No model metadata."));
	free(page);
}

/* ---- the classify page ---- */

static const char article_text[] = "China and Russia <agree> on \"trade\" & 'tariffs'.\n\n"
				   "Taiwan protested against China.\n";

typedef struct fixture {
	ent_sentence_result sentences[2];
	ent_mention mentions[4];
	ent_tone *tone;
	ent_actors *names;
	ent_article article;
} fixture;

static size_t offset_of(const char *needle, size_t from)
{
	const char *p = strstr(article_text + from, needle);
	return p ? (size_t)(p - article_text) : 0;
}

static void set_sentence(fixture *f, size_t i, const char *first, const char *last, int label, double coop,
			 double conf)
{
	ent_sentence_result *s = &f->sentences[i];
	s->start = offset_of(first, 0);
	s->end = offset_of(last, s->start) + strlen(last);
	s->label = label;
	s->probs[C] = coop;
	s->probs[X] = conf;
	s->probs[N] = 1.0 - coop - conf;
	s->first_mention = 2 * i;
	s->mention_count = 2;
}

static void set_mention(fixture *f, size_t i, size_t sentence, const char *word, size_t from, const char *code)
{
	ent_mention *m = &f->mentions[i];
	m->sentence = sentence;
	m->start = offset_of(word, from);
	m->end = m->start + strlen(word);
	m->code = code;
	m->role = NULL;
}

/*
 * 0: "China and Russia <agree> ..."  cooperative (0.8, 0.1, 0.1)  CHN RUS
 * 1: "Taiwan protested against China." conflictual (0.05, 0.9, 0.05)  TWN CHN
 * RUS tone 0.70, TWN -0.85; pairs "CHN RUS" 0.70, "CHN TWN" -0.85.
 */
static int make_fixture(fixture *f)
{
	static const char dict[] = "CHN\tChina\nRUS\tRussia\nTWN\tTaiwan\n";
	memset(f, 0, sizeof *f);
	set_sentence(f, 0, "China and", "'tariffs'.", C, 0.8, 0.1);
	set_sentence(f, 1, "Taiwan", "against China.", X, 0.05, 0.9);
	set_mention(f, 0, 0, "China", 0, "CHN");
	set_mention(f, 1, 0, "Russia", 0, "RUS");
	set_mention(f, 2, 1, "Taiwan", 0, "TWN");
	set_mention(f, 3, 1, "China", f->sentences[1].start, "CHN");
	const char *first[] = {"CHN", "RUS"}, *second[] = {"TWN", "CHN"};
	if (ent_tone_new(&f->tone, NULL) != ENT_OK || ent_actors_new(&f->names, NULL) != ENT_OK ||
	    ent_actors_load(f->names, dict, sizeof dict - 1, "test", NULL) != ENT_OK ||
	    ent_tone_add_sentence(f->tone, first, 2, C, f->sentences[0].probs, NULL) != ENT_OK ||
	    ent_tone_add_sentence(f->tone, second, 2, X, f->sentences[1].probs, NULL) != ENT_OK)
		return -1;
	f->article = (ent_article){"wire <1>", "2024-03-04", article_text, sizeof article_text - 1, 0,
				   f->sentences, 2, f->mentions, 4, f->tone};
	return 0;
}

static void free_fixture(fixture *f)
{
	ent_tone_free(f->tone);
	ent_actors_free(f->names);
}

/* begin + each article + end. */
static char *classify_page(const ent_article *const *articles, size_t n, const ent_tone *total,
			   const ent_actors *names)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;
	ent_error err = ENT_ERROR_INIT;
	int rc = ent_report_html_begin(total, n, names, "news <today>", &buf, &cap, &len, &err);
	for (size_t i = 0; rc == ENT_OK && i < n; i++)
		rc = ent_report_html_article(articles[i], names, &buf, &cap, &len, &err);
	if (rc == ENT_OK)
		rc = ent_report_html_end(&buf, &cap, &len, &err);
	CU_ASSERT_EQUAL(rc, ENT_OK);
	CU_ASSERT(buf == NULL || strlen(buf) == len);
	return buf;
}

static void test_article_text(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(make_fixture(&f), 0);
	const ent_article *list[] = {&f.article};
	char *page = classify_page(list, 1, f.tone, f.names);
	check_page(page);
	CU_ASSERT(contains(page, "<title>news &lt;today&gt;</title>"));
	CU_ASSERT(contains(page, "<h2>wire &lt;1&gt; <small>2024-03-04</small></h2>"));
	/* The sentences, tinted, with their probabilities in a title and as text. */
	CU_ASSERT(contains(page, "<span class=\"s coop\" tabindex=\"0\" title=\"cooperative 0.80 (conflictual 0.10, "
				 "neutral 0.10)\"><span class=\"mk\" aria-hidden=\"true\">+</span>"));
	CU_ASSERT(contains(page, "<span class=\"pr\"> [cooperative 0.80 (conflictual 0.10, neutral 0.10)]</span></span>"));
	CU_ASSERT(contains(page, "<span class=\"s conf\" tabindex=\"0\" title=\"conflictual 0.90 (cooperative 0.05, "
				 "neutral 0.05)\">"));
	CU_ASSERT_EQUAL(count(page, "class=\"s "), 2);
	/* Actors marked at their spans, the text between escaped. */
	CU_ASSERT(contains(page, "<mark class=\"actor\" title=\"CHN \xc2\xb7 China\">China</mark> and "
				 "<mark class=\"actor\" title=\"RUS \xc2\xb7 Russia\">Russia</mark> &lt;agree&gt; on "
				 "&quot;trade&quot; &amp; &#39;tariffs&#39;."));
	CU_ASSERT(contains(page, "against <mark class=\"actor\" title=\"CHN \xc2\xb7 China\">China</mark>."));
	CU_ASSERT_EQUAL(count(page, "<mark class=\"actor\""), 4);
	/* The blank line starts a paragraph. */
	CU_ASSERT(contains(page, "</span></span>\n\n</p>\n<p><span class=\"s conf\""));
	CU_ASSERT(!contains(page, "<agree>") && !contains(page, "Overview"));
	free(page);
	free_fixture(&f);
}

static void test_article_chart_and_pairs(void)
{
	fixture f;
	CU_ASSERT_EQUAL_FATAL(make_fixture(&f), 0);
	const ent_article *list[] = {&f.article};
	char *page = classify_page(list, 1, f.tone, f.names);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT(contains(page, "aria-label=\"diverging bar chart of actor tone from -1 to +1\""));
	CU_ASSERT(contains(page, "<title>Russia (RUS): tone +0.700 over 1 sentences, 1 cooperative, 0 conflictual, 0 neutral</title>"));
	CU_ASSERT(contains(page, "<title>Taiwan (TWN): tone -0.850 over 1 sentences"));
	CU_ASSERT(contains(page, "font-weight=\"600\">+0.70</text>"));
	CU_ASSERT(contains(page, "font-weight=\"600\">-0.85</text>"));
	CU_ASSERT(contains(page, ">2 (1 / 1 / 0)</text>")); /* CHN: counts as text */
	/* The most cooperative actor is drawn first. */
	CU_ASSERT(strstr(page, "<title>Russia (RUS)") < strstr(page, "<title>Taiwan (TWN)"));
	CU_ASSERT(contains(page, "fill=\"url(#ent-hatch)\" stroke=\"#D55E00\""));
	/* The pair table. */
	CU_ASSERT(contains(page, "<th scope=\"row\">China \xe2\x80\x93 Russia <code>CHN\xe2\x80\x93RUS</code></th>"
				 "<td>1</td><td>1</td><td>0</td><td>0</td><td class=\"tone coop\"><b>+0.70</b></td>"));
	CU_ASSERT(contains(page, "China \xe2\x80\x93 Taiwan <code>CHN\xe2\x80\x93TWN</code></th>"
				 "<td>1</td><td>0</td><td>1</td><td>0</td><td class=\"tone conf\"><b>-0.85</b></td>"));
	free(page);
	free_fixture(&f);
}

static void test_overview(void)
{
	fixture f;
	ent_tone *total = NULL;
	CU_ASSERT_EQUAL_FATAL(make_fixture(&f), 0);
	CU_ASSERT_EQUAL_FATAL(ent_tone_new(&total, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_merge(total, f.tone, NULL), ENT_OK);
	CU_ASSERT_EQUAL(ent_tone_merge(total, f.tone, NULL), ENT_OK);
	const ent_article *list[] = {&f.article, &f.article};
	char *page = classify_page(list, 2, total, f.names);
	check_page(page);
	CU_ASSERT(contains(page, "<h2>Overview</h2>"));
	CU_ASSERT(contains(page, "<li><b>2</b><span>articles</span></li>"));
	CU_ASSERT(contains(page, "<li><b>4</b><span>sentences with actors</span></li>"));
	CU_ASSERT(contains(page, "<h3>Actors by tone and volume</h3>"));
	CU_ASSERT(contains(page, "<title>China (CHN): tone -0.075 over 4 sentences, 2 cooperative, 2 conflictual"));
	CU_ASSERT(contains(page, "<h3>Most conflictual pairs</h3>"));
	CU_ASSERT(contains(page, "<h3>Most cooperative pairs</h3>"));
	/* Each pair appears in its overview table and once per article. */
	CU_ASSERT_EQUAL(count(page, "<code>CHN\xe2\x80\x93TWN</code>"), 3);
	const char *conflictual = strstr(page, "Most conflictual pairs"), *cooperative = strstr(page, "Most cooperative pairs");
	CU_ASSERT(conflictual && cooperative && conflictual < strstr(page, "CHN\xe2\x80\x93TWN") &&
		  strstr(page, "CHN\xe2\x80\x93TWN") < cooperative);
	CU_ASSERT(strstr(page, "<h2>Overview</h2>") < strstr(page, "<article class=\"doc\">"));
	CU_ASSERT_EQUAL(count(page, "<article class=\"doc\">"), 2);
	free(page);
	ent_tone_free(total);
	free_fixture(&f);
}

static void test_no_actors_and_limit(void)
{
	static const char text[] = "Markets rose.";
	ent_tone *tone = NULL;
	CU_ASSERT_EQUAL_FATAL(ent_tone_new(&tone, NULL), ENT_OK);
	ent_sentence_result s = {0, sizeof text - 1, N, {0.1, 0.1, 0.8}, 0, 0};
	ent_article a = {NULL, NULL, text, sizeof text - 1, 2, &s, 1, NULL, 0, tone};
	const ent_article *list[] = {&a};
	char *page = classify_page(list, 1, tone, NULL);
	check_page(page);
	CU_ASSERT(contains(page, "<h2>article</h2>"));
	CU_ASSERT(contains(page, "No actors found."));
	CU_ASSERT(contains(page, "No sentence mentions two actors."));
	CU_ASSERT(contains(page, "2 invalid UTF-8 bytes were replaced."));
	CU_ASSERT(contains(page, "<span class=\"s neu\""));
	free(page);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	ent_error err = ENT_ERROR_INIT;
	CU_ASSERT_EQUAL(ent_report_html_begin(tone, ENT_REPORT_HTML_MAX_ARTICLES + 1, NULL, NULL, &buf, &cap, &len, &err),
			ENT_ELIMIT);
	CU_ASSERT(strstr(err.message, "at most 2000 articles") != NULL);
	free(buf);
	ent_tone_free(tone);
}

ENT_TEST_MAIN("report_html", ENT_TEST(test_eval_elements), ENT_TEST(test_heat_map_percentages),
	      ENT_TEST(test_heat_map_empty_row), ENT_TEST(test_eval_escaping), ENT_TEST(test_eval_folds),
	      ENT_TEST(test_eval_metadata), ENT_TEST(test_article_text), ENT_TEST(test_article_chart_and_pairs),
	      ENT_TEST(test_overview), ENT_TEST(test_no_actors_and_limit))
