#include "svm_backend.h"

#include <libsvm/svm.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

#define MAX_CLASSES 16
#define MAX_SUPPORT_VECTORS 10000000LL
#define MAX_SV_NODES 200000000LL
/* libsvm clamps pairwise probabilities to keep the coupling well posed. */
#define MIN_PAIR_PROB 1e-7

struct ent_svm {
	struct svm_model model; /* every array malloc'ed here, SVs in one block */
	struct svm_node *sv_block;
	int classes;            /* label indices the caller uses: 0..classes-1 */
	int pairs;
	double *linear_w;       /* (dimension + 1) x pairs, NULL for RBF */
	int calibration_fallbacks; /* pairs whose Platt fit was replaced */
	size_t dimension;       /* largest feature index in any SV */
};

static void silence(const char *message)
{
	(void)message;
}

void ent_svm_free(ent_svm *m)
{
	if (m == NULL)
		return;
	struct svm_model *s = &m->model;
	if (s->sv_coef != NULL)
		for (int i = 0; i < s->nr_class - 1; i++)
			free(s->sv_coef[i]);
	free(s->sv_coef);
	free(s->SV);
	free(m->sv_block);
	free(s->rho);
	free(s->probA);
	free(s->probB);
	free(s->label);
	free(s->nSV);
	free(m->linear_w);
	free(m);
}

/* Allocates the arrays of a model with k classes and l SVs, nodes in all. */
static ent_svm *svm_alloc(int k, int l, size_t nodes, int probability)
{
	ent_svm *m = calloc(1, sizeof *m);
	if (m == NULL)
		return NULL;
	struct svm_model *s = &m->model;
	int pairs = k * (k - 1) / 2;
	s->nr_class = k;
	s->l = l;
	m->pairs = pairs;
	s->SV = calloc((size_t)(l ? l : 1), sizeof *s->SV);
	m->sv_block = malloc((nodes ? nodes : 1) * sizeof *m->sv_block);
	s->sv_coef = calloc((size_t)(k - 1), sizeof *s->sv_coef);
	s->rho = calloc((size_t)pairs, sizeof *s->rho);
	s->label = calloc((size_t)k, sizeof *s->label);
	s->nSV = calloc((size_t)k, sizeof *s->nSV);
	int ok = s->SV && m->sv_block && s->sv_coef && s->rho && s->label && s->nSV;
	for (int i = 0; ok && i < k - 1; i++)
		ok = (s->sv_coef[i] = calloc((size_t)(l ? l : 1), sizeof(double))) != NULL;
	if (ok && probability) {
		s->probA = calloc((size_t)pairs, sizeof *s->probA);
		s->probB = calloc((size_t)pairs, sizeof *s->probB);
		ok = s->probA && s->probB;
	}
	if (!ok) {
		ent_svm_free(m);
		return NULL;
	}
	s->free_sv = 0; /* storage is ours, never libsvm's to free */
	return m;
}

static size_t node_count(const struct svm_node *x)
{
	size_t n = 0;
	while (x[n].index != -1)
		n++;
	return n + 1;
}

/* Deep-copies a libsvm-trained model so the training problem can go. */
static ent_svm *svm_copy(const struct svm_model *src, int classes)
{
	size_t nodes = 0;
	for (int i = 0; i < src->l; i++)
		nodes += node_count(src->SV[i]);
	ent_svm *m = svm_alloc(src->nr_class, src->l, nodes, src->probA != NULL);
	if (m == NULL)
		return NULL;
	struct svm_model *s = &m->model;
	s->param = src->param;
	s->param.weight = NULL;
	s->param.weight_label = NULL;
	s->param.nr_weight = 0;
	m->classes = classes;
	size_t at = 0;
	for (int i = 0; i < src->l; i++) {
		size_t n = node_count(src->SV[i]);
		memcpy(m->sv_block + at, src->SV[i], n * sizeof *m->sv_block);
		s->SV[i] = m->sv_block + at;
		at += n;
	}
	for (int i = 0; i < src->nr_class - 1; i++)
		memcpy(s->sv_coef[i], src->sv_coef[i], (size_t)src->l * sizeof(double));
	memcpy(s->rho, src->rho, (size_t)m->pairs * sizeof(double));
	memcpy(s->label, src->label, (size_t)src->nr_class * sizeof(int));
	memcpy(s->nSV, src->nSV, (size_t)src->nr_class * sizeof(int));
	if (src->probA != NULL) {
		memcpy(s->probA, src->probA, (size_t)m->pairs * sizeof(double));
		memcpy(s->probB, src->probB, (size_t)m->pairs * sizeof(double));
	}
	return m;
}

/* Folds the support vectors of each class pair into one weight vector. */
static int build_linear_weights(ent_svm *m)
{
	const struct svm_model *s = &m->model;
	size_t dim = 0;
	for (int i = 0; i < s->l; i++)
		for (const struct svm_node *x = s->SV[i]; x->index != -1; x++)
			if ((size_t)x->index > dim)
				dim = (size_t)x->index;
	m->dimension = dim;
	m->linear_w = calloc((dim + 1) * (size_t)m->pairs, sizeof *m->linear_w);
	if (m->linear_w == NULL)
		return ENT_ENOMEM;
	int start[MAX_CLASSES];
	start[0] = 0;
	for (int i = 1; i < s->nr_class; i++)
		start[i] = start[i - 1] + s->nSV[i - 1];
	int p = 0;
	for (int i = 0; i < s->nr_class; i++)
		for (int j = i + 1; j < s->nr_class; j++, p++) {
			for (int k = 0; k < s->nSV[i]; k++)
				for (const struct svm_node *x = s->SV[start[i] + k]; x->index != -1; x++)
					m->linear_w[(size_t)x->index * (size_t)m->pairs + (size_t)p] +=
						s->sv_coef[j - 1][start[i] + k] * x->value;
			for (int k = 0; k < s->nSV[j]; k++)
				for (const struct svm_node *x = s->SV[start[j] + k]; x->index != -1; x++)
					m->linear_w[(size_t)x->index * (size_t)m->pairs + (size_t)p] +=
						s->sv_coef[i][start[j] + k] * x->value;
		}
	return ENT_OK;
}

/* Platt's sigmoid must fall as the decision value rises (A < 0). libsvm
 * fits it on internal cross-validation, and on small or heavily regularized
 * problems the fit can come out flat or inverted, which would turn every
 * label around. Such a pair gets a fixed monotone sigmoid instead: SVM
 * margins of +-1 map to probabilities of about 0.88 and 0.12. */
#define FALLBACK_SIGMOID_A (-2.0)

static void guard_calibration(ent_svm *m)
{
	if (m->model.probA == NULL)
		return;
	for (int p = 0; p < m->pairs; p++)
		if (!(m->model.probA[p] < 0)) {
			m->model.probA[p] = FALLBACK_SIGMOID_A;
			m->model.probB[p] = 0.0;
			m->calibration_fallbacks++;
		}
}

int ent_svm_calibration_fallbacks(const ent_svm *m)
{
	return m->calibration_fallbacks;
}

static int finish_model(ent_svm *m, ent_error *err)
{
	if (m->model.param.kernel_type == LINEAR && build_linear_weights(m) != ENT_OK)
		return ent_error_set(err, ENT_ENOMEM, "out of memory for the linear weights");
	return ENT_OK;
}

static void fill_parameters(struct svm_parameter *param, const ent_svm_params *p, int *labels,
			    double *weights)
{
	memset(param, 0, sizeof *param);
	param->svm_type = C_SVC;
	param->kernel_type = p->kernel == ENT_SVM_RBF ? RBF : LINEAR;
	param->gamma = p->gamma;
	param->C = p->c;
	param->cache_size = 200;
	param->eps = 1e-3;
	param->shrinking = 1;
	param->probability = p->probability ? 1 : 0;
	if (p->weight != NULL) {
		for (int i = 0; i < p->classes; i++) {
			labels[i] = i;
			weights[i] = p->weight[i];
		}
		param->nr_weight = p->classes;
		param->weight_label = labels;
		param->weight = weights;
	}
}

int ent_svm_train(ent_svm **out, const ent_vector *x, const int *y, size_t n,
		  const ent_svm_params *p, ent_error *err)
{
	*out = NULL;
	if (n == 0 || n > INT32_MAX)
		return ent_error_set(err, ENT_EPARAM, "cannot train on %zu sentences", n);
	if (p->classes < 2 || p->classes > MAX_CLASSES)
		return ent_error_set(err, ENT_EPARAM, "invalid number of classes %d", p->classes);
	int labels[MAX_CLASSES];
	double weights[MAX_CLASSES];
	struct svm_parameter param;
	fill_parameters(&param, p, labels, weights);
	struct svm_problem prob = {(int)n, malloc(n * sizeof(double)), malloc(n * sizeof(struct svm_node *))};
	int rc = ENT_OK;
	if (prob.y == NULL || prob.x == NULL) {
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for a training problem of %zu rows", n);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		prob.y[i] = (double)y[i];
		prob.x[i] = x[i].nodes;
	}
	/* libsvm warns on stderr about a weight for a label absent from the
	 * data (a fold, a two-label set): pass the weights of present labels */
	int present[MAX_CLASSES] = {0}, kept = 0;
	for (size_t i = 0; i < n; i++)
		if (y[i] >= 0 && y[i] < p->classes)
			present[y[i]] = 1;
	for (int i = 0; i < param.nr_weight; i++)
		if (present[labels[i]]) {
			labels[kept] = labels[i];
			weights[kept++] = weights[i];
		}
	param.nr_weight = kept;
	const char *bad = svm_check_parameter(&prob, &param);
	if (bad != NULL) {
		rc = ent_error_set(err, ENT_EPARAM, "invalid training parameters: %s", bad);
		goto done;
	}
	/* libsvm prints through a process-wide hook and seeds its probability
	 * folds from rand(): both are set here, the only call site. */
	svm_set_print_string_function(silence);
	srand((unsigned)p->seed);
	struct svm_model *trained = svm_train(&prob, &param);
	if (trained == NULL) {
		rc = ent_error_set(err, ENT_ENOMEM, "libsvm failed to train a model");
		goto done;
	}
	*out = svm_copy(trained, p->classes);
	svm_free_and_destroy_model(&trained);
	if (*out != NULL)
		guard_calibration(*out);
	if (*out == NULL)
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory copying the trained model");
	else if ((rc = finish_model(*out, err)) != ENT_OK) {
		ent_svm_free(*out);
		*out = NULL;
	}
done:
	free(prob.y);
	free(prob.x);
	return rc;
}

/* ---- prediction ---- */

static double sigmoid(double decision, double a, double b)
{
	/* Platt's sigmoid, written to avoid overflow in exp. */
	double f = decision * a + b;
	if (f >= 0)
		return exp(-f) / (1.0 + exp(-f));
	return 1.0 / (1.0 + exp(f));
}

/* Wu, Lin and Weng (2004), method 2: class probabilities from pairwise ones
 * by minimising sum (r_ji p_i - r_ij p_j)^2 with a fixed-point iteration. */
static void couple_pairwise(int k, double r[MAX_CLASSES][MAX_CLASSES], double *p)
{
	double q[MAX_CLASSES][MAX_CLASSES], qp[MAX_CLASSES];
	double eps = 0.005 / k;
	int max_iter = k > 100 ? k : 100;
	for (int t = 0; t < k; t++) {
		p[t] = 1.0 / k;
		q[t][t] = 0;
		for (int j = 0; j < k; j++) {
			if (j == t)
				continue;
			q[t][t] += r[j][t] * r[j][t];
			q[t][j] = j < t ? q[j][t] : -r[j][t] * r[t][j];
		}
	}
	for (int iter = 0; iter < max_iter; iter++) {
		double pqp = 0, max_error = 0;
		for (int t = 0; t < k; t++) {
			qp[t] = 0;
			for (int j = 0; j < k; j++)
				qp[t] += q[t][j] * p[j];
			pqp += p[t] * qp[t];
		}
		for (int t = 0; t < k; t++)
			if (fabs(qp[t] - pqp) > max_error)
				max_error = fabs(qp[t] - pqp);
		if (max_error < eps)
			break;
		for (int t = 0; t < k; t++) {
			double diff = (-qp[t] + pqp) / q[t][t];
			p[t] += diff;
			pqp = (pqp + diff * (diff * q[t][t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
			for (int j = 0; j < k; j++) {
				qp[j] = (qp[j] + diff * q[t][j]) / (1 + diff);
				p[j] /= (1 + diff);
			}
		}
	}
}

/* Three labels make three pairs, entente's own case: the sums held in
 * registers, each still accumulated node by node in the same order, so the
 * decisions are the same bits as the general loop's. */
static void linear_decisions3(const ent_svm *m, const struct svm_node *x, double *dec)
{
	double d0 = 0, d1 = 0, d2 = 0;
	for (; x->index != -1; x++) {
		if (x->index < 1 || (size_t)x->index > m->dimension)
			continue;
		const double *w = m->linear_w + (size_t)x->index * 3;
		d0 += w[0] * x->value;
		d1 += w[1] * x->value;
		d2 += w[2] * x->value;
	}
	dec[0] = d0 - m->model.rho[0];
	dec[1] = d1 - m->model.rho[1];
	dec[2] = d2 - m->model.rho[2];
}

static void linear_decisions(const ent_svm *m, const struct svm_node *x, double *dec)
{
	size_t pairs = (size_t)m->pairs;
	if (pairs == 3) {
		linear_decisions3(m, x, dec);
		return;
	}
	for (size_t p = 0; p < pairs; p++)
		dec[p] = 0;
	for (; x->index != -1; x++) {
		if (x->index < 1 || (size_t)x->index > m->dimension)
			continue;
		const double *w = m->linear_w + (size_t)x->index * pairs;
		for (size_t p = 0; p < pairs; p++)
			dec[p] += w[p] * x->value;
	}
	for (size_t p = 0; p < pairs; p++)
		dec[p] -= m->model.rho[p];
}

static void decisions(const ent_svm *m, const struct svm_node *x, double *dec)
{
	if (m->linear_w != NULL)
		linear_decisions(m, x, dec);
	else
		svm_predict_values(&m->model, x, dec);
}

/* Maps libsvm's class order onto label indices and returns the argmax. */
static int scatter(const ent_svm *m, const double *by_class, double *probs)
{
	for (int i = 0; i < m->classes; i++)
		probs[i] = 0;
	int best = 0;
	for (int k = 0; k < m->model.nr_class; k++) {
		probs[m->model.label[k]] = by_class[k];
		if (by_class[k] > by_class[best])
			best = k;
	}
	return m->model.label[best];
}

static int vote(const ent_svm *m, const double *dec, double *by_class)
{
	int k = m->model.nr_class, p = 0;
	for (int i = 0; i < k; i++)
		by_class[i] = 0;
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++, p++)
			by_class[dec[p] > 0 ? i : j] += 1;
	int best = 0;
	for (int i = 1; i < k; i++)
		if (by_class[i] > by_class[best])
			best = i;
	for (int i = 0; i < k; i++)
		by_class[i] = i == best ? 1.0 : 0.0;
	return best;
}

int ent_svm_predict(const ent_svm *m, const struct svm_node *x, double *probs)
{
	double dec[MAX_CLASSES * (MAX_CLASSES - 1) / 2], by_class[MAX_CLASSES];
	double r[MAX_CLASSES][MAX_CLASSES];
	int k = m->model.nr_class;
	decisions(m, x, dec);
	if (m->model.probA == NULL) {
		vote(m, dec, by_class);
		return scatter(m, by_class, probs);
	}
	int p = 0;
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++, p++) {
			double v = sigmoid(dec[p], m->model.probA[p], m->model.probB[p]);
			v = fmin(fmax(v, MIN_PAIR_PROB), 1 - MIN_PAIR_PROB);
			r[i][j] = v;
			r[j][i] = 1 - v;
		}
	couple_pairwise(k, r, by_class);
	return scatter(m, by_class, probs);
}

int ent_svm_predict_libsvm(const ent_svm *m, const struct svm_node *x, double *probs)
{
	double by_class[MAX_CLASSES];
	if (m->model.probA == NULL) {
		double dec[MAX_CLASSES * (MAX_CLASSES - 1) / 2];
		svm_predict_values(&m->model, x, dec);
		vote(m, dec, by_class);
		return scatter(m, by_class, probs);
	}
	svm_predict_probability(&m->model, x, by_class);
	return scatter(m, by_class, probs);
}

int ent_svm_predict_vote(const ent_svm *m, const struct svm_node *x)
{
	double dec[MAX_CLASSES * (MAX_CLASSES - 1) / 2], by_class[MAX_CLASSES];
	decisions(m, x, dec);
	return m->model.label[vote(m, dec, by_class)];
}

int ent_svm_kernel(const ent_svm *m)
{
	return m->model.param.kernel_type == RBF ? ENT_SVM_RBF : ENT_SVM_LINEAR;
}

double ent_svm_c(const ent_svm *m)
{
	return m->model.param.C;
}

double ent_svm_gamma(const ent_svm *m)
{
	return m->model.param.gamma;
}

size_t ent_svm_support_vectors(const ent_svm *m)
{
	return (size_t)m->model.l;
}

/* ---- serialization ---- */

static int write_doubles(ent_buf *out, const char *name, const double *v, int n)
{
	int rc = ent_buf_puts(out, name);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = ent_buf_puts(out, " ") || ent_buf_double(out, v[i]);
	return rc || ent_buf_puts(out, "\n");
}

static int write_ints(ent_buf *out, const char *name, const int *v, int n)
{
	int rc = ent_buf_puts(out, name);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = ent_buf_printf(out, " %d", v[i]);
	return rc || ent_buf_puts(out, "\n");
}

static int write_support_vector(ent_buf *out, const ent_svm *m, int i)
{
	const struct svm_model *s = &m->model;
	int rc = 0;
	for (int c = 0; rc == 0 && c < s->nr_class - 1; c++)
		rc = ent_buf_double(out, s->sv_coef[c][i]) || ent_buf_puts(out, " ");
	for (const struct svm_node *x = s->SV[i]; rc == 0 && x->index != -1; x++)
		rc = ent_buf_printf(out, "%d:", x->index) || ent_buf_double(out, x->value) ||
		     ent_buf_puts(out, " ");
	return rc || ent_buf_puts(out, "\n");
}

int ent_svm_write(const ent_svm *m, ent_buf *out)
{
	const struct svm_model *s = &m->model;
	int rc = ent_buf_printf(out, "kernel %s\n", s->param.kernel_type == RBF ? "rbf" : "linear") ||
		 write_doubles(out, "gamma", &s->param.gamma, 1) ||
		 write_doubles(out, "c", &s->param.C, 1) ||
		 ent_buf_printf(out, "classes %d %d\n", m->classes, s->nr_class) ||
		 write_ints(out, "labels", s->label, s->nr_class) ||
		 write_ints(out, "nsv", s->nSV, s->nr_class) ||
		 write_doubles(out, "rho", s->rho, m->pairs);
	if (rc == 0 && s->probA != NULL)
		rc = write_doubles(out, "prob_a", s->probA, m->pairs) ||
		     write_doubles(out, "prob_b", s->probB, m->pairs);
	if (rc == 0)
		rc = ent_buf_printf(out, "sv %d\n", s->l);
	for (int i = 0; rc == 0 && i < s->l; i++)
		rc = write_support_vector(out, m, i);
	return rc ? ENT_ENOMEM : ENT_OK;
}

/* ---- strict reading ---- */

typedef struct svm_header {
	int kernel;
	double gamma, c;
	int classes, nr_class;
	int label[MAX_CLASSES], nsv[MAX_CLASSES];
	double rho[MAX_CLASSES * MAX_CLASSES], prob_a[MAX_CLASSES * MAX_CLASSES],
		prob_b[MAX_CLASSES * MAX_CLASSES];
	int has_prob;
	long long l;
} svm_header;

static int bad(ent_error *err, const ent_scan *sc, const char *what)
{
	return ent_error_set(err, ENT_EMODEL, "model line %zu: %s", sc->line, what);
}

static int read_doubles(ent_scan *sc, const char *name, double *v, int n)
{
	if (!ent_scan_expect(sc, name))
		return 0;
	for (int i = 0; i < n; i++)
		if (!ent_scan_double(sc, &v[i]))
			return 0;
	return ent_scan_eol(sc);
}

static int read_ints(ent_scan *sc, const char *name, int *v, int n, long long min, long long max)
{
	if (!ent_scan_expect(sc, name))
		return 0;
	for (int i = 0; i < n; i++) {
		long long x;
		if (!ent_scan_long(sc, min, max, &x))
			return 0;
		v[i] = (int)x;
	}
	return ent_scan_eol(sc);
}

static int read_header(ent_scan *sc, svm_header *h, int classes, ent_error *err)
{
	long long a, b;
	if (!ent_scan_expect(sc, "kernel"))
		return bad(err, sc, "expected 'kernel linear' or 'kernel rbf'");
	if (ent_scan_expect(sc, "rbf"))
		h->kernel = RBF;
	else if (ent_scan_expect(sc, "linear"))
		h->kernel = LINEAR;
	else
		return bad(err, sc, "expected 'kernel linear' or 'kernel rbf'");
	if (!ent_scan_eol(sc))
		return bad(err, sc, "expected the end of the kernel line");
	if (!read_doubles(sc, "gamma", &h->gamma, 1) || !read_doubles(sc, "c", &h->c, 1) ||
	    h->c <= 0 || h->gamma < 0)
		return bad(err, sc, "expected 'gamma G' and 'c C' with C > 0");
	if (!ent_scan_expect(sc, "classes") || !ent_scan_long(sc, 2, MAX_CLASSES, &a) ||
	    !ent_scan_long(sc, 2, MAX_CLASSES, &b) || !ent_scan_eol(sc) || a != classes || b > a)
		return bad(err, sc, "expected 'classes' with the model's label count");
	h->classes = (int)a;
	h->nr_class = (int)b;
	int pairs = h->nr_class * (h->nr_class - 1) / 2;
	if (!read_ints(sc, "labels", h->label, h->nr_class, 0, h->classes - 1))
		return bad(err, sc, "expected 'labels' with one label index per class");
	for (int i = 0; i < h->nr_class; i++)
		for (int j = 0; j < i; j++)
			if (h->label[i] == h->label[j])
				return bad(err, sc, "a label appears twice");
	if (!read_ints(sc, "nsv", h->nsv, h->nr_class, 0, MAX_SUPPORT_VECTORS))
		return bad(err, sc, "expected 'nsv' with one count per class");
	if (!read_doubles(sc, "rho", h->rho, pairs))
		return bad(err, sc, "expected 'rho' with one value per class pair");
	h->has_prob = read_doubles(sc, "prob_a", h->prob_a, pairs);
	if (h->has_prob && !read_doubles(sc, "prob_b", h->prob_b, pairs))
		return bad(err, sc, "expected 'prob_b' after 'prob_a'");
	long long total = 0;
	for (int i = 0; i < h->nr_class; i++)
		total += h->nsv[i];
	if (!ent_scan_expect(sc, "sv") || !ent_scan_long(sc, 0, MAX_SUPPORT_VECTORS, &h->l) ||
	    !ent_scan_eol(sc) || h->l != total)
		return bad(err, sc, "expected 'sv N' with N the sum of 'nsv'");
	return ENT_OK;
}

/* Counts the nodes of the SV lines ahead without consuming them. */
static int count_nodes(const ent_scan *sc, long long l, size_t *nodes)
{
	size_t n = 0, pos = sc->pos;
	for (long long i = 0; i < l; i++) {
		const char *nl = memchr(sc->s + pos, '\n', sc->len - pos);
		if (nl == NULL)
			return 0;
		for (const char *c = sc->s + pos; c < nl; c++)
			n += *c == ':';
		n++;
		pos = (size_t)(nl - sc->s) + 1;
		if (n > (size_t)MAX_SV_NODES)
			return 0;
	}
	*nodes = n;
	return 1;
}

static int read_node(ent_scan *sc, size_t dimension, int prev, struct svm_node *node)
{
	const char *w;
	size_t n;
	if (!ent_scan_word(sc, &w, &n))
		return 0;
	const char *colon = memchr(w, ':', n);
	if (colon == NULL)
		return 0;
	char tmp[16];
	size_t ilen = (size_t)(colon - w);
	if (ilen == 0 || ilen >= sizeof tmp)
		return 0;
	memcpy(tmp, w, ilen);
	tmp[ilen] = '\0';
	char *end;
	long index = strtol(tmp, &end, 10);
	if (*end != '\0' || index <= prev || index < 1 || (size_t)index > dimension)
		return 0;
	node->index = (int)index;
	return ent_parse_double(colon + 1, n - ilen - 1, &node->value);
}

static int read_support_vectors(ent_scan *sc, ent_svm *m, size_t dimension, ent_error *err)
{
	struct svm_model *s = &m->model;
	size_t at = 0;
	for (int i = 0; i < s->l; i++) {
		for (int c = 0; c < s->nr_class - 1; c++)
			if (!ent_scan_double(sc, &s->sv_coef[c][i]))
				return bad(err, sc, "expected the support vector's coefficients");
		s->SV[i] = m->sv_block + at;
		int prev = 0;
		while (!ent_scan_eol(sc)) {
			if (!read_node(sc, dimension, prev, &m->sv_block[at]))
				return bad(err, sc, "expected INDEX:VALUE with increasing indices within the vocabulary");
			prev = m->sv_block[at++].index;
		}
		m->sv_block[at].index = -1;
		m->sv_block[at++].value = 0;
	}
	return ENT_OK;
}

int ent_svm_read(ent_svm **out, const char *text, size_t len, size_t *pos, size_t dimension,
		 int classes, ent_error *err)
{
	*out = NULL;
	ent_scan sc;
	ent_scan_init(&sc, text + *pos, len - *pos, 1);
	svm_header *h = calloc(1, sizeof *h);
	if (h == NULL)
		return ent_error_set(err, ENT_ENOMEM, "out of memory reading a model");
	size_t nodes = 0;
	ent_svm *m = NULL;
	int rc = read_header(&sc, h, classes, err);
	if (rc == ENT_OK && !count_nodes(&sc, h->l, &nodes))
		rc = bad(err, &sc, "support vectors are truncated or too many");
	if (rc == ENT_OK && (m = svm_alloc(h->nr_class, (int)h->l, nodes, h->has_prob)) == NULL)
		rc = ent_error_set(err, ENT_ENOMEM, "out of memory for %lld support vectors", h->l);
	if (rc == ENT_OK) {
		struct svm_model *s = &m->model;
		int pairs = m->pairs;
		m->classes = h->classes;
		s->param.svm_type = C_SVC;
		s->param.kernel_type = h->kernel;
		s->param.gamma = h->gamma;
		s->param.C = h->c;
		memcpy(s->label, h->label, (size_t)h->nr_class * sizeof(int));
		memcpy(s->nSV, h->nsv, (size_t)h->nr_class * sizeof(int));
		memcpy(s->rho, h->rho, (size_t)pairs * sizeof(double));
		if (h->has_prob) {
			memcpy(s->probA, h->prob_a, (size_t)pairs * sizeof(double));
			memcpy(s->probB, h->prob_b, (size_t)pairs * sizeof(double));
		}
		rc = read_support_vectors(&sc, m, dimension, err);
	}
	if (rc == ENT_OK)
		rc = finish_model(m, err);
	free(h);
	if (rc != ENT_OK) {
		ent_svm_free(m);
		return rc;
	}
	*pos += sc.pos;
	*out = m;
	return ENT_OK;
}
