/* entente — classify: an article in, labeled sentences, actors and tone out. */
#ifndef ENTENTE_CLASSIFY_H
#define ENTENTE_CLASSIFY_H

#include <stddef.h>

#include "entente/actors.h"
#include "entente/model.h"
#include "entente/report.h"
#include "entente/tone.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ent_sentence_result {
	size_t start, end; /* span in the article's source text */
	int label;
	double probs[ENT_LABEL_COUNT];
	size_t first_mention, mention_count; /* into the article's mentions */
} ent_sentence_result;

typedef struct ent_mention {
	size_t sentence;
	size_t start, end; /* span in the source text */
	const char *code;  /* borrowed from the dictionary */
	const char *role;  /* government role on the article date, or NULL */
} ent_mention;

typedef struct ent_article {
	const char *id;    /* borrowed from the caller */
	const char *date;  /* "YYYY-MM-DD" or NULL, borrowed */
	const char *source; /* the text after UTF-8 repair */
	size_t source_len;
	size_t invalid_bytes;
	const ent_sentence_result *sentences;
	size_t sentence_count;
	const ent_mention *mentions;
	size_t mention_count;
	const ent_tone *tone;
} ent_article;

/* Per-thread working state; model and actors are borrowed and may be shared. */
typedef struct ent_classifier ent_classifier;

int ent_classifier_new(ent_classifier **out, const ent_model *model, const ent_actors *actors,
		       ent_error *err);
void ent_classifier_free(ent_classifier *c);

/* Classifies one article. id and date (YYYY-MM-DD or NULL) are borrowed.
 * The result stays valid until the next run on the same classifier. */
int ent_classifier_run(ent_classifier *c, const char *id, const char *date, const char *text,
		       size_t len, const ent_article **out, ent_error *err);

/* Appends the article in format (text, json, jsonl or tsv) to *buf (a
 * malloc'ed buffer of *cap bytes holding *len, grown as needed). */
int ent_report_article(const ent_article *a, const ent_actors *names, ent_report_format format,
		       char **buf, size_t *cap, size_t *len, ent_error *err);
/* Appends merged tone sums (from ent_tone_merge or merge) in json or text. */
int ent_report_tone(const ent_tone *t, const ent_actors *names, ent_report_format format,
		    char **buf, size_t *cap, size_t *len, ent_error *err);
/* Reads the actor, pair and overall sums of one JSON output line of
 * ent_report_article (jsonl or json) and adds them to t. */
int ent_tone_add_json(ent_tone *t, const char *json, size_t len, ent_error *err);

/* HTML: one self-contained page (inline CSS and SVG, no scripts) for one or
 * many articles. A result lives only until the next run, so the page is
 * written in three parts, each appended to *buf like ent_report_article:
 *   ent_report_html_article  one article's section, rendered right after its
 *                            run (thread-safe: touches nothing but its args);
 *   ent_report_html_begin    the start of the page and, for more than one
 *                            article, an overview of total (the articles'
 *                            tones merged with ent_tone_merge; borrowed);
 *   ent_report_html_end      the end of the page.
 * The page is begin, then the sections in input order, then end. names
 * gives display names (NULL: the codes); title may be NULL. begin fails with
 * ENT_ELIMIT beyond ENT_REPORT_HTML_MAX_ARTICLES articles. */
#define ENT_REPORT_HTML_MAX_ARTICLES 2000
int ent_report_html_begin(const ent_tone *total, size_t articles, const ent_actors *names,
			  const char *title, char **buf, size_t *cap, size_t *len, ent_error *err);
int ent_report_html_article(const ent_article *a, const ent_actors *names, char **buf, size_t *cap,
			    size_t *len, ent_error *err);
int ent_report_html_end(char **buf, size_t *cap, size_t *len, ent_error *err);

#ifdef __cplusplus
}
#endif
#endif
