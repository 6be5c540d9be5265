/* gs-embedding.c — the embedding matrix, its projection and neighbours. */
#include "gs-embedding.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"

#define PCA_MAX_ITER 5000
#define PCA_TOL      1e-10   /* residual ‖C a − λ a‖ relative to λ_1 */

/* ───────────────────────── principal axes ───────────────────────── */

/* y (E) = C (E, E) x */
static void
symv (double *y, const double *C, const double *x, int E)
{
  for (int i = 0; i < E; i++) {
    const double *row = C + (size_t) i * E;
    double acc = 0.0;
    for (int j = 0; j < E; j++)
      acc += row[j] * x[j];
    y[i] = acc;
  }
}

static double
dot (const double *a, const double *b, int n)
{
  double acc = 0.0;
  for (int i = 0; i < n; i++)
    acc += a[i] * b[i];
  return acc;
}

/* Makes q1, q2 (E) orthonormal (Gram–Schmidt, twice for accuracy); a
 * column that vanishes is replaced by the first unit vector e_j that is
 * not in the span of the other. */
static void
orthonormalise (double *q1, double *q2, int E)
{
  double *q[2] = { q1, q2 };

  for (int k = 0; k < 2; k++) {
    double n0 = sqrt (dot (q[k], q[k], E)), n;
    for (int pass = 0; pass < 2; pass++)
      for (int l = 0; l < k; l++) {
        double d = dot (q[l], q[k], E);
        for (int i = 0; i < E; i++)
          q[k][i] -= d * q[l][i];
      }
    n = sqrt (dot (q[k], q[k], E));
    for (int j = 0; n <= 1e-12 * n0 || n == 0.0; j++) {
      /* Lost: a unit vector orthogonal to the columns before it. */
      memset (q[k], 0, (size_t) E * sizeof (double));
      q[k][j % E] = 1.0;
      for (int l = 0; l < k; l++) {
        double d = dot (q[l], q[k], E);
        for (int i = 0; i < E; i++)
          q[k][i] -= d * q[l][i];
      }
      n = sqrt (dot (q[k], q[k], E));
      n0 = 1.0;
      if (j >= E)
        break;
    }
    for (int i = 0; i < E; i++)
      q[k][i] /= n;
  }
}

/* The largest-magnitude entry positive (the first of equals). */
static void
flip_by_largest (double *a, int E)
{
  int best = 0;

  for (int i = 1; i < E; i++)
    if (fabs (a[i]) > fabs (a[best]))
      best = i;
  if (a[best] < 0.0)
    for (int i = 0; i < E; i++)
      a[i] = -a[i];
}

int
gs_embedding_pca (float *axis, double *var, double *var_total, const float *W, int V, int E,
                  const float *prev_axis, GsError *err)
{
  double *C, *mean, *q, *z, *w;
  double trace = 0.0;

  if (V < 1 || E < 2)
    return gs_error_set (err, _("the embedding has %d tokens of %d dimensions: too few to project"), V, E);
  C = calloc ((size_t) E * E + 7 * (size_t) E, sizeof (double));
  if (C == NULL)
    return gs_error_set (err, _("out of memory projecting the embedding"));
  mean = C + (size_t) E * E;
  q = mean + E;   /* (2, E) */
  z = q + 2 * E;  /* (2, E) C q */
  w = z + 2 * E;  /* (E) scratch */

  /* μ = (1/V) Σ w_v */
  for (int v = 0; v < V; v++)
    for (int j = 0; j < E; j++)
      mean[j] += W[(size_t) v * E + j];
  for (int j = 0; j < E; j++)
    mean[j] /= V;
  /* C = (1/V) Σ (w_v − μ)(w_v − μ)ᵀ, upper triangle then mirrored */
  for (int v = 0; v < V; v++) {
    for (int j = 0; j < E; j++)
      w[j] = W[(size_t) v * E + j] - mean[j];
    for (int i = 0; i < E; i++) {
      double *row = C + (size_t) i * E;
      for (int j = i; j < E; j++)
        row[j] += w[i] * w[j];
    }
  }
  for (int i = 0; i < E; i++)
    for (int j = i; j < E; j++) {
      C[(size_t) i * E + j] /= V;
      C[(size_t) j * E + i] = C[(size_t) i * E + j];
    }
  for (int i = 0; i < E; i++)
    trace += C[(size_t) i * E + i];

  /* Start: the previous axes, else the two columns of C of largest norm
   * (they lie mostly in the leading subspace). */
  if (prev_axis != NULL) {
    for (int i = 0; i < 2 * E; i++)
      q[i] = prev_axis[i];
  } else {
    int c1 = 0, c2 = 1;
    double n1 = -1.0, n2 = -1.0;
    for (int j = 0; j < E; j++) {
      double n = 0.0;
      for (int i = 0; i < E; i++)
        n += C[(size_t) i * E + j] * C[(size_t) i * E + j];
      if (n > n1) {
        c2 = c1, n2 = n1;
        c1 = j, n1 = n;
      } else if (n > n2) {
        c2 = j, n2 = n;
      }
    }
    for (int i = 0; i < E; i++) {
      q[i] = C[(size_t) i * E + c1];
      q[E + i] = C[(size_t) i * E + c2];
    }
  }
  orthonormalise (q, q + E, E);

  var[0] = var[1] = 0.0;
  if (trace > 0.0)
    for (int iter = 0; iter < PCA_MAX_ITER; iter++) {
      double a, b, d, phi, cs, sn, r = 0.0;

      symv (z, C, q, E);
      symv (z + E, C, q + E, E);
      /* Rayleigh–Ritz in span(q1, q2): M = Qᵀ C Q, rotated to its eigenvectors. */
      a = dot (q, z, E);
      b = dot (q, z + E, E);
      d = dot (q + E, z + E, E);
      phi = 0.5 * atan2 (2.0 * b, a - d);
      cs = cos (phi), sn = sin (phi);
      for (int i = 0; i < E; i++) {
        double q1 = q[i], q2 = q[E + i], z1 = z[i], z2 = z[E + i];
        q[i] = cs * q1 + sn * q2;
        q[E + i] = -sn * q1 + cs * q2;
        z[i] = cs * z1 + sn * z2;
        z[E + i] = -sn * z1 + cs * z2;
      }
      var[0] = dot (q, z, E);
      var[1] = dot (q + E, z + E, E);
      /* Converged when both are eigenvectors: ‖C a − λ a‖ small. */
      for (int k = 0; k < 2; k++) {
        double rr = 0.0;
        for (int i = 0; i < E; i++) {
          double e = z[k * E + i] - var[k] * q[k * E + i];
          rr += e * e;
        }
        r = fmax (r, sqrt (rr));
      }
      if (r <= PCA_TOL * fmax (var[0], 1e-300))
        break;
      memcpy (q, z, 2 * (size_t) E * sizeof (double));
      orthonormalise (q, q + E, E);
    }

  for (int k = 0; k < 2; k++) {
    double *a = q + (size_t) k * E;
    double s = 0.0;
    if (prev_axis != NULL)
      for (int i = 0; i < E; i++)
        s += a[i] * prev_axis[(size_t) k * E + i];
    if (s < 0.0)
      for (int i = 0; i < E; i++)
        a[i] = -a[i];
    else if (s == 0.0)
      flip_by_largest (a, E);
    for (int i = 0; i < E; i++)
      axis[(size_t) k * E + i] = (float) a[i];
  }
  *var_total = trace;
  free (C);
  return GS_OK;
}

/* ───────────────────────── the shared copy ───────────────────────── */

GsEmbedding *
gs_embedding_new (const float *W, int V, int E, long epoch, const GsEmbedding *prev, GsError *err)
{
  GsEmbedding *e;

  /* The model's own limits bound V and E (GS_MAX_VOCAB, GS_MAX_EMBED): the
   * copy is never larger than the matrix it copies. */
  if (W == NULL || V < 1 || E < 1) {
    gs_error_set (err, _("the embedding has %d tokens of %d dimensions: too few to project"), V, E);
    return NULL;
  }
  e = calloc (1, sizeof *e);
  if (e == NULL || (e->W = malloc ((size_t) V * E * sizeof (float))) == NULL) {
    free (e);
    gs_error_set (err, _("out of memory projecting the embedding"));
    return NULL;
  }
  atomic_init (&e->refs, 1);
  e->V = V;
  e->E = E;
  e->epoch = epoch;
  memcpy (e->W, W, (size_t) V * E * sizeof (float));

  if (E >= 2 && (double) V * E * E <= GS_EMBEDDING_MAX_PCA_WORK) {
    const bool same = prev != NULL && prev->pca_done && prev->E == E;
    e->axis = malloc (2 * (size_t) E * sizeof (float));
    e->proj = malloc (2 * (size_t) V * sizeof (float));
    if (e->axis == NULL || e->proj == NULL) {
      gs_error_set (err, _("out of memory projecting the embedding"));
      gs_embedding_unref (e);
      return NULL;
    }
    if (gs_embedding_pca (e->axis, e->var, &e->var_total, W, V, E, same ? prev->axis : NULL, err) != GS_OK) {
      gs_embedding_unref (e);
      return NULL;
    }
    /* p_v = (w_v − μ)·a_k */
    for (int k = 0; k < 2; k++) {
      const float *a = e->axis + (size_t) k * E;
      double mu_a = 0.0;
      for (int j = 0; j < E; j++) {
        double mu = 0.0;
        for (int v = 0; v < V; v++)
          mu += W[(size_t) v * E + j];
        mu_a += mu / V * a[j];
      }
      for (int v = 0; v < V; v++) {
        double p = 0.0;
        for (int j = 0; j < E; j++)
          p += (double) W[(size_t) v * E + j] * a[j];
        e->proj[2 * (size_t) v + k] = (float) (p - mu_a);
      }
    }
    e->pca_done = true;
  }
  return e;
}

GsEmbedding *
gs_embedding_ref (GsEmbedding *e)
{
  if (e != NULL)
    atomic_fetch_add (&e->refs, 1);
  return e;
}

void
gs_embedding_unref (GsEmbedding *e)
{
  if (e == NULL || atomic_fetch_sub (&e->refs, 1) != 1)
    return;
  free (e->W);
  free (e->axis);
  free (e->proj);
  free (e);
}

GsEmbedding *
gs_embedding_update (GsEmbedding *prev, const float *W, int V, int E, long epoch, GsError *err)
{
  if (prev != NULL && prev->V == V && prev->E == E && W != NULL &&
      memcmp (prev->W, W, (size_t) V * E * sizeof (float)) == 0)
    return gs_embedding_ref (prev);
  return gs_embedding_new (W, V, E, epoch, prev, err);
}

/* ───────────────────────── neighbours ───────────────────────── */

int
gs_embedding_neighbours (const GsEmbedding *e, int v, int k, int *tokens, float *cosines)
{
  const int V = e->V, E = e->E;
  const float *wv;
  double nv = 0.0;
  int n = 0;

  if (v < 0 || v >= V || k <= 0)
    return 0;
  wv = e->W + (size_t) v * E;
  for (int j = 0; j < E; j++)
    nv += (double) wv[j] * wv[j];
  nv = sqrt (nv);
  for (int u = 0; u < V; u++) {
    const float *wu = e->W + (size_t) u * E;
    double nu = 0.0, d = 0.0;
    float c;
    int at;
    if (u == v)
      continue;
    for (int j = 0; j < E; j++) {
      nu += (double) wu[j] * wu[j];
      d += (double) wv[j] * wu[j];
    }
    nu = sqrt (nu);
    c = nv > 0.0 && nu > 0.0 ? (float) (d / (nv * nu)) : 0.0f;
    /* Insert into the k best so far, most similar first; an equal one
     * goes after (lower ids came first). */
    at = n;
    while (at > 0 && cosines[at - 1] < c)
      at--;
    if (at >= k)
      continue;
    for (int i = (n < k ? n : k - 1); i > at; i--) {
      tokens[i] = tokens[i - 1];
      cosines[i] = cosines[i - 1];
    }
    tokens[at] = u;
    cosines[at] = c;
    if (n < k)
      n++;
  }
  return n;
}
