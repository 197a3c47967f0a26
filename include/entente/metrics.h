/* entente — metrics: confusion matrix, precision, recall, F1, accuracy. */
#ifndef ENTENTE_METRICS_H
#define ENTENTE_METRICS_H

#include <stddef.h>

#include "entente/data.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ent_metrics {
	size_t confusion[ENT_LABEL_COUNT][ENT_LABEL_COUNT]; /* [gold][predicted] */
	size_t n;
	size_t support[ENT_LABEL_COUNT];
	double precision[ENT_LABEL_COUNT], recall[ENT_LABEL_COUNT], f1[ENT_LABEL_COUNT];
	int present[ENT_LABEL_COUNT]; /* gold or predicted at least once */
	double accuracy;
	double macro_precision, macro_recall, macro_f1;
	double weighted_precision, weighted_recall, weighted_f1;
} ent_metrics;

/* Counts gold/predicted pairs and derives every score. As in scikit-learn,
 * a ratio with a zero denominator is 0, and macro averages run over the
 * labels that occur in gold or predicted. */
void ent_metrics_compute(ent_metrics *m, const int *gold, const int *predicted, size_t n);
/* Derives the scores from m->confusion alone (already filled). */
void ent_metrics_finish(ent_metrics *m);

#ifdef __cplusplus
}
#endif
#endif
