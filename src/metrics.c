#include "entente/metrics.h"

#include <string.h>

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0.0;
}

static void per_class(ent_metrics *m, int c)
{
	size_t tp = m->confusion[c][c], predicted = 0, gold = 0;
	for (int k = 0; k < ENT_LABEL_COUNT; k++) {
		predicted += m->confusion[k][c];
		gold += m->confusion[c][k];
	}
	m->support[c] = gold;
	m->present[c] = gold > 0 || predicted > 0;
	m->precision[c] = ratio((double)tp, (double)predicted);
	m->recall[c] = ratio((double)tp, (double)gold);
	m->f1[c] = ratio(2.0 * m->precision[c] * m->recall[c], m->precision[c] + m->recall[c]);
}

void ent_metrics_finish(ent_metrics *m)
{
	size_t correct = 0, present = 0;
	m->n = 0;
	m->macro_precision = m->macro_recall = m->macro_f1 = 0;
	m->weighted_precision = m->weighted_recall = m->weighted_f1 = 0;
	for (int c = 0; c < ENT_LABEL_COUNT; c++) {
		per_class(m, c);
		correct += m->confusion[c][c];
		m->n += m->support[c];
	}
	for (int c = 0; c < ENT_LABEL_COUNT; c++) {
		double w = ratio((double)m->support[c], (double)m->n);
		m->weighted_precision += w * m->precision[c];
		m->weighted_recall += w * m->recall[c];
		m->weighted_f1 += w * m->f1[c];
		if (!m->present[c])
			continue;
		present++;
		m->macro_precision += m->precision[c];
		m->macro_recall += m->recall[c];
		m->macro_f1 += m->f1[c];
	}
	m->macro_precision = ratio(m->macro_precision, (double)present);
	m->macro_recall = ratio(m->macro_recall, (double)present);
	m->macro_f1 = ratio(m->macro_f1, (double)present);
	m->accuracy = ratio((double)correct, (double)m->n);
}

void ent_metrics_compute(ent_metrics *m, const int *gold, const int *predicted, size_t n)
{
	memset(m, 0, sizeof *m);
	for (size_t i = 0; i < n; i++)
		if (gold[i] >= 0 && gold[i] < ENT_LABEL_COUNT && predicted[i] >= 0 &&
		    predicted[i] < ENT_LABEL_COUNT)
			m->confusion[gold[i]][predicted[i]]++;
	ent_metrics_finish(m);
}
