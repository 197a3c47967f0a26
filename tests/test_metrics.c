/* CUnit suite for metrics: the confusion matrix and precision, recall, F1,
 * accuracy, macro and weighted averages with scikit-learn's semantics. */
#include "entente/metrics.h"

#include <math.h>
#include <string.h>

#include "util/test_util.h"

#define C ENT_LABEL_COOPERATIVE
#define X ENT_LABEL_CONFLICTUAL
#define N ENT_LABEL_NEUTRAL
#define EPS 1e-12

static void check_finite(const ent_metrics *m)
{
	for (int c = 0; c < ENT_LABEL_COUNT; c++) {
		CU_ASSERT(isfinite(m->precision[c]));
		CU_ASSERT(isfinite(m->recall[c]));
		CU_ASSERT(isfinite(m->f1[c]));
	}
	CU_ASSERT(isfinite(m->accuracy));
	CU_ASSERT(isfinite(m->macro_precision) && isfinite(m->macro_recall) && isfinite(m->macro_f1));
	CU_ASSERT(isfinite(m->weighted_precision) && isfinite(m->weighted_recall) &&
	          isfinite(m->weighted_f1));
}

/*
 * gold:      C C C C X X X N N N
 * predicted: C C X N X X C N N X
 *
 * confusion (rows gold, columns predicted):
 *          C  X  N   support
 *     C    2  1  1   4
 *     X    1  2  0   3
 *     N    0  1  2   3
 * predicted 3  4  3
 *
 * precision: C 2/3, X 2/4 = 1/2, N 2/3
 * recall:    C 2/4 = 1/2, X 2/3, N 2/3
 * F1 = 2PR / (P + R):
 *   C: 2 * (2/3 * 1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7
 *   X: 2 * (1/2 * 2/3) / (1/2 + 2/3) = 4/7
 *   N: 2/3
 * accuracy: 6/10 = 0.6
 * macro:    P (2/3 + 1/2 + 2/3) / 3 = 11/18, R 11/18, F1 (4/7 + 4/7 + 2/3) / 3 = 38/63
 * weighted: P (4 * 2/3 + 3 * 1/2 + 3 * 2/3) / 10 = (37/6) / 10 = 37/60
 *           R (4 * 1/2 + 3 * 2/3 + 3 * 2/3) / 10 = 6/10 (the accuracy, as always)
 *           F1 (4 * 4/7 + 3 * 4/7 + 3 * 2/3) / 10 = (4 + 2) / 10 = 0.6
 */
static const int gold_10[] = {C, C, C, C, X, X, X, N, N, N};
static const int pred_10[] = {C, C, X, N, X, X, C, N, N, X};

static void test_confusion_matrix_by_hand(void)
{
	ent_metrics m;
	ent_metrics_compute(&m, gold_10, pred_10, 10);
	const size_t expect[3][3] = {{2, 1, 1}, {1, 2, 0}, {0, 1, 2}};
	for (int g = 0; g < 3; g++)
		for (int p = 0; p < 3; p++)
			CU_ASSERT_EQUAL(m.confusion[g][p], expect[g][p]);
	CU_ASSERT_EQUAL(m.n, 10);
	CU_ASSERT_EQUAL(m.support[C], 4);
	CU_ASSERT_EQUAL(m.support[X], 3);
	CU_ASSERT_EQUAL(m.support[N], 3);
	CU_ASSERT(m.present[C] && m.present[X] && m.present[N]);
}

static void test_per_class_scores_by_hand(void)
{
	ent_metrics m;
	ent_metrics_compute(&m, gold_10, pred_10, 10);
	CU_ASSERT_DOUBLE_EQUAL(m.precision[C], 2.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.precision[X], 0.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.precision[N], 2.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.recall[C], 0.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.recall[X], 2.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.recall[N], 2.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[C], 4.0 / 7.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[X], 4.0 / 7.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[N], 2.0 / 3.0, EPS);
	/* the same numbers as printed by classification_report, 2 digits */
	CU_ASSERT_DOUBLE_EQUAL(m.f1[C], 0.57, 0.005);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[N], 0.67, 0.005);
}

static void test_averages_by_hand(void)
{
	ent_metrics m;
	ent_metrics_compute(&m, gold_10, pred_10, 10);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 0.6, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_precision, 11.0 / 18.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_recall, 11.0 / 18.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 38.0 / 63.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_precision, 37.0 / 60.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_recall, 0.6, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 0.6, EPS);
	check_finite(&m);
}

static void test_finish_from_confusion(void)
{
	ent_metrics a, b;
	ent_metrics_compute(&a, gold_10, pred_10, 10);
	memset(&b, 0, sizeof b);
	/* scores left over from before are recomputed, not added to */
	b.macro_f1 = 99;
	b.n = 1234;
	memcpy(b.confusion, a.confusion, sizeof a.confusion);
	ent_metrics_finish(&b);
	CU_ASSERT_EQUAL(b.n, 10);
	CU_ASSERT_DOUBLE_EQUAL(b.macro_f1, a.macro_f1, 0);
	CU_ASSERT_DOUBLE_EQUAL(b.weighted_f1, a.weighted_f1, 0);
	CU_ASSERT_DOUBLE_EQUAL(b.accuracy, a.accuracy, 0);
	for (int c = 0; c < 3; c++) {
		CU_ASSERT_DOUBLE_EQUAL(b.precision[c], a.precision[c], 0);
		CU_ASSERT_DOUBLE_EQUAL(b.recall[c], a.recall[c], 0);
		CU_ASSERT_EQUAL(b.support[c], a.support[c]);
	}
	/* finishing twice changes nothing */
	ent_metrics_finish(&b);
	CU_ASSERT_DOUBLE_EQUAL(b.macro_f1, a.macro_f1, 0);
	CU_ASSERT_EQUAL(b.n, 10);
}

/*
 * A label in gold but never predicted (neutral): its precision is 0/0 -> 0,
 * recall 0/2 = 0, F1 0; it still counts in the macro average.
 * gold:      C C X X N N
 * predicted: C X X X C X
 *   C: P 1/2, R 1/2, F1 1/2
 *   X: P 2/4 = 1/2, R 2/2 = 1, F1 2 * (1/2) / (3/2) = 2/3
 *   N: P 0 (zero division), R 0, F1 0
 * macro F1 (1/2 + 2/3 + 0) / 3 = 7/18; macro P (1/2 + 1/2 + 0) / 3 = 1/3;
 * macro R (1/2 + 1 + 0) / 3 = 1/2
 * weighted F1 (2 * 1/2 + 2 * 2/3 + 0) / 6 = (7/3) / 6 = 7/18
 */
static void test_zero_division_never_predicted(void)
{
	const int gold[] = {C, C, X, X, N, N};
	const int pred[] = {C, X, X, X, C, X};
	ent_metrics m;
	ent_metrics_compute(&m, gold, pred, 6);
	CU_ASSERT_DOUBLE_EQUAL(m.precision[N], 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.recall[N], 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[N], 0.0, 0);
	CU_ASSERT(m.present[N]);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[C], 0.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[X], 2.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 7.0 / 18.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_precision, 1.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_recall, 0.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 7.0 / 18.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 0.5, EPS);
	check_finite(&m);
}

/*
 * A label predicted but absent from gold (neutral): support 0, precision
 * 0/1 = 0, recall 0/0 -> 0, F1 0. scikit-learn's report still lists it, so
 * it counts in the macro average; its weight in the weighted one is 0.
 * gold:      C C C
 * predicted: C C N
 *   C: P 2/2 = 1, R 2/3, F1 2 * (2/3) / (5/3) = 4/5
 * macro F1 (4/5 + 0) / 2 = 2/5; weighted F1 (3 * 4/5 + 0) / 3 = 4/5
 * macro P (1 + 0) / 2 = 1/2; macro R (2/3 + 0) / 2 = 1/3
 */
static void test_zero_division_absent_from_gold(void)
{
	const int gold[] = {C, C, C};
	const int pred[] = {C, C, N};
	ent_metrics m;
	ent_metrics_compute(&m, gold, pred, 3);
	CU_ASSERT_EQUAL(m.support[N], 0);
	CU_ASSERT(m.present[N]);
	CU_ASSERT(!m.present[X]);
	CU_ASSERT_DOUBLE_EQUAL(m.precision[N], 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.recall[N], 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[C], 0.8, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 0.4, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_precision, 0.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_recall, 1.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 0.8, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 2.0 / 3.0, EPS);
	check_finite(&m);
}

/*
 * A label in neither gold nor predictions (neutral) is left out of the macro
 * average, as scikit-learn's labels = unique(y_true, y_pred) does.
 * gold:      C C X X
 * predicted: C X X X
 *   C: P 1/1, R 1/2, F1 2 * (1/2) / (3/2) = 2/3
 *   X: P 2/3, R 2/2, F1 2 * (2/3) / (5/3) = 4/5
 * macro F1 over two labels (2/3 + 4/5) / 2 = 11/15 (not / 3 = 22/45)
 * macro P (1 + 2/3) / 2 = 5/6; macro R (1/2 + 1) / 2 = 3/4
 * weighted F1 (2 * 2/3 + 2 * 4/5) / 4 = 11/15
 */
static void test_absent_label_excluded_from_macro(void)
{
	const int gold[] = {C, C, X, X};
	const int pred[] = {C, X, X, X};
	ent_metrics m;
	ent_metrics_compute(&m, gold, pred, 4);
	CU_ASSERT(!m.present[N]);
	CU_ASSERT(m.present[C] && m.present[X]);
	CU_ASSERT_EQUAL(m.support[N], 0);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[N], 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[C], 2.0 / 3.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.f1[X], 0.8, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 11.0 / 15.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_precision, 5.0 / 6.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_recall, 0.75, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 11.0 / 15.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 0.75, EPS);
}

static void test_perfect_and_all_wrong(void)
{
	const int gold[] = {C, X, N, N, C};
	ent_metrics m;
	ent_metrics_compute(&m, gold, gold, 5);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 1.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 1.0, EPS);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 1.0, EPS);
	for (int c = 0; c < 3; c++)
		CU_ASSERT_DOUBLE_EQUAL(m.f1[c], 1.0, 0);

	/* every prediction wrong: all zero, no NaN from 0/0 F1 */
	const int wrong[] = {X, N, C, C, N};
	ent_metrics_compute(&m, gold, wrong, 5);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_precision, 0.0, 0);
	check_finite(&m);
}

static void test_empty_input(void)
{
	ent_metrics m;
	memset(&m, 0x5a, sizeof m);
	ent_metrics_compute(&m, NULL, NULL, 0);
	CU_ASSERT_EQUAL(m.n, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 0.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_f1, 0.0, 0);
	for (int c = 0; c < 3; c++) {
		CU_ASSERT(!m.present[c]);
		CU_ASSERT_EQUAL(m.support[c], 0);
		CU_ASSERT_EQUAL(m.confusion[c][c], 0);
	}
	check_finite(&m);
}

static void test_out_of_range_labels_ignored(void)
{
	/* the two pairs with a label outside 0..2 are not counted */
	const int gold[] = {C, X, -1, N, 3};
	const int pred[] = {C, X, C, N, N};
	ent_metrics m;
	ent_metrics_compute(&m, gold, pred, 5);
	CU_ASSERT_EQUAL(m.n, 3);
	CU_ASSERT_DOUBLE_EQUAL(m.accuracy, 1.0, 0);
	CU_ASSERT_EQUAL(m.confusion[N][N], 1);
	CU_ASSERT_EQUAL(m.confusion[C][C], 1);
}

static void test_single_class(void)
{
	/* only cooperative anywhere: macro over one label */
	const int gold[] = {C, C, C, C};
	ent_metrics m;
	ent_metrics_compute(&m, gold, gold, 4);
	CU_ASSERT(m.present[C] && !m.present[X] && !m.present[N]);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_f1, 1.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.macro_precision, 1.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.weighted_recall, 1.0, 0);
}

ENT_TEST_MAIN("metrics", ENT_TEST(test_confusion_matrix_by_hand), ENT_TEST(test_per_class_scores_by_hand),
              ENT_TEST(test_averages_by_hand), ENT_TEST(test_finish_from_confusion),
              ENT_TEST(test_zero_division_never_predicted), ENT_TEST(test_zero_division_absent_from_gold),
              ENT_TEST(test_absent_label_excluded_from_macro), ENT_TEST(test_perfect_and_all_wrong),
              ENT_TEST(test_empty_input), ENT_TEST(test_out_of_range_labels_ignored),
              ENT_TEST(test_single_class))
