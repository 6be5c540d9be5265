/* test-embedding — the embedding view's numbers: its PCA, its neighbours,
 * and that snapshots share an unchanged matrix instead of copying it.
 *
 * With `--pca FILE` it prints instead the projection of the matrix in FILE
 * (first line "V E", then V rows of E numbers): the axes, the variances and
 * the projected tokens, for tests/reference/check_pca.py to compare with
 * numpy's eigh.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-embedding.h"
#include "gs-snapshot.h"
#include "gs-test.h"
#include "gs-test-models.h"

/* Rows ±2·r1 and ±1·r2 (r1, r2 orthonormal, E = 4) plus a constant offset:
 * C = 2 r1 r1ᵀ + 0.5 r2 r2ᵀ, so a_1 = ±r1, a_2 = ±r2, λ = 2, 0.5, and the
 * projections are (±2, 0), (0, ±1). */
static void
check_hand_case (void)
{
  /* r1 = (1, 1, 0, −2)/√6 has its largest entry negative: the sign rule
   * must turn it to (−1, −1, 0, 2)/√6. */
  const double s6 = sqrt (6.0), s2 = sqrt (2.0);
  const double r1[4] = { 1 / s6, 1 / s6, 0, -2 / s6 };
  const double r2[4] = { 1 / s2, -1 / s2, 0, 0 };
  const double off[4] = { 0.5, -1.0, 3.0, 0.25 };
  const double coef[4][2] = { { 2, 0 }, { -2, 0 }, { 0, 1 }, { 0, -1 } };
  float W[4 * 4], axis[8], want_axis[8];
  double var[2], total;
  GsError err;
  GsEmbedding *e;

  for (int v = 0; v < 4; v++)
    for (int j = 0; j < 4; j++)
      W[v * 4 + j] = (float) (off[j] + coef[v][0] * r1[j] + coef[v][1] * r2[j]);
  GS_CHECK (gs_embedding_pca (axis, var, &total, W, 4, 4, NULL, &err) == GS_OK, "pca: %s", err.msg);
  for (int j = 0; j < 4; j++) {
    want_axis[j] = (float) -r1[j];   /* largest |entry| (−2/√6) made positive */
    want_axis[4 + j] = (float) r2[j]; /* largest is the first, +1/√2 (the first of equals) */
  }
  gs_test_close ("hand case: axes", axis, want_axis, 8, 1e-5, 0);
  GS_CHECK (fabs (var[0] - 2.0) < 1e-5 && fabs (var[1] - 0.5) < 1e-5, "hand case: λ = %g, %g (want 2, 0.5)",
            var[0], var[1]);
  GS_CHECK (fabs (total - 2.5) < 1e-5, "hand case: trace C = %g (want 2.5)", total);

  e = gs_embedding_new (W, 4, 4, 7, NULL, &err);
  GS_CHECK (e != NULL && e->pca_done && e->epoch == 7, "new: %s", e ? "ok" : err.msg);
  if (e != NULL) {
    const float want_proj[8] = { -2, 0, 2, 0, 0, 1, 0, -1 };
    gs_test_close ("hand case: projections", e->proj, want_proj, 8, 1e-5, 0);
    gs_embedding_unref (e);
  }

  /* A previous frame's axes pointing the other way turn the new ones. */
  for (int i = 0; i < 8; i++)
    want_axis[i] = -want_axis[i];
  {
    float prev[8];
    memcpy (prev, want_axis, sizeof prev);
    GS_CHECK (gs_embedding_pca (axis, var, &total, W, 4, 4, prev, &err) == GS_OK, "pca: %s", err.msg);
    gs_test_close ("hand case: axes follow the previous frame's signs", axis, want_axis, 8, 1e-5, 0);
  }
}

/* A random matrix: the axes satisfy C a = λ a, are orthonormal, λ_1 ≥ λ_2,
 * and no unit vector has more variance than λ_1 (checked on random ones
 * and on every row direction). */
static void
check_random (int V, int E, unsigned seed)
{
  float *W = malloc ((size_t) V * E * sizeof (float));
  float axis[2 * 64];
  double var[2], total, mean[64] = { 0 };
  GsError err;
  bool eig = true, beaten = false;

  srand (seed);
  for (int i = 0; i < V * E; i++)
    W[i] = (float) rand () / RAND_MAX * 2.0f - 1.0f + (i % E == 1 ? 0.5f * (float) (i / E % 3) : 0.0f);
  GS_CHECK (gs_embedding_pca (axis, var, &total, W, V, E, NULL, &err) == GS_OK, "pca: %s", err.msg);
  for (int v = 0; v < V; v++)
    for (int j = 0; j < E; j++)
      mean[j] += W[v * E + j] / (double) V;
  /* (C a)_i = (1/V) Σ_v (w_v − μ)_i ((w_v − μ)·a) */
  for (int k = 0; k < 2; k++) {
    double Ca[64] = { 0 };
    for (int v = 0; v < V; v++) {
      double p = 0.0;
      for (int j = 0; j < E; j++)
        p += (W[v * E + j] - mean[j]) * axis[k * E + j];
      for (int i = 0; i < E; i++)
        Ca[i] += (W[v * E + i] - mean[i]) * p / V;
    }
    for (int i = 0; i < E; i++)
      eig &= fabs (Ca[i] - var[k] * axis[k * E + i]) < 1e-4 * var[0];
  }
  GS_CHECK (eig, "random %d×%d: C a_k = λ_k a_k", V, E);
  {
    double n1 = 0, n2 = 0, d = 0;
    for (int j = 0; j < E; j++) {
      n1 += axis[j] * axis[j];
      n2 += axis[E + j] * axis[E + j];
      d += axis[j] * axis[E + j];
    }
    GS_CHECK (fabs (n1 - 1) < 1e-5 && fabs (n2 - 1) < 1e-5 && fabs (d) < 1e-5,
              "random %d×%d: orthonormal axes (‖a1‖² %g, ‖a2‖² %g, a1·a2 %g)", V, E, n1, n2, d);
  }
  GS_CHECK (var[0] >= var[1] && var[1] >= 0 && var[0] <= total + 1e-9, "random %d×%d: 0 ≤ λ2 ≤ λ1 ≤ trace", V, E);
  for (int trial = 0; trial < 200 + V; trial++) {
    double u[64], n = 0, q = 0;
    for (int j = 0; j < E; j++) {
      u[j] = trial < V ? W[trial * E + j] - mean[j] : (double) rand () / RAND_MAX - 0.5;
      n += u[j] * u[j];
    }
    for (int v = 0; v < V; v++) {
      double p = 0;
      for (int j = 0; j < E; j++)
        p += (W[v * E + j] - mean[j]) * u[j];
      q += p * p / V;
    }
    beaten |= n > 0 && q / n > var[0] * (1 + 1e-6);
  }
  GS_CHECK (!beaten, "random %d×%d: no direction has more variance than λ1 = %g", V, E, var[0]);
  free (W);
}

/* Neighbours by brute force over all pairs. */
static void
check_neighbours (void)
{
  /* tokens 0 and 1 point alike, 2 the opposite way, 3 orthogonal, 4 zero */
  const float W[5 * 3] = { 1, 0, 0,   2, 0.1f, 0,   -1, 0, 0,   0, 0, 3,   0, 0, 0 };
  GsError err;
  GsEmbedding *e = gs_embedding_new (W, 5, 3, 0, NULL, &err);
  int tok[8];
  float cs[8];
  int n;

  GS_CHECK (e != NULL, "new: %s", err.msg);
  if (e == NULL)
    return;
  n = gs_embedding_neighbours (e, 0, 8, tok, cs);
  GS_CHECK (n == 4, "neighbours of 0: %d of 4 others", n);
  GS_CHECK (tok[0] == 1 && fabsf (cs[0] - 2.0f / sqrtf (4.01f)) < 1e-6f, "0's nearest is 1 (%d, %g)", tok[0], cs[0]);
  GS_CHECK (tok[1] == 3 && tok[2] == 4 && cs[1] == 0.0f && cs[2] == 0.0f,
            "then the orthogonal 3 and the zero row 4 at 0, lower id first (%d, %d)", tok[1], tok[2]);
  GS_CHECK (tok[3] == 2 && fabsf (cs[3] + 1.0f) < 1e-6f, "the opposite 2 last at −1 (%d, %g)", tok[3], cs[3]);
  n = gs_embedding_neighbours (e, 2, 1, tok, cs);
  GS_CHECK (n == 1 && tok[0] == 3, "k = 1 keeps only the best (%d, %d)", n, tok[0]);
  GS_CHECK (gs_embedding_neighbours (e, 5, 3, tok, cs) == 0 && gs_embedding_neighbours (e, -1, 3, tok, cs) == 0,
            "a token out of range has none");
  gs_embedding_unref (e);
}

/* Snapshots of an unchanged matrix share one copy; an update makes a new
 * one whose axes keep the previous frame's signs. */
static void
check_sharing (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 1, 5, 6, 3, 9);
  GsModel *onehot = gs_test_model_new (GS_CELL_GRU, GS_INPUT_ONEHOT, GS_LOSS_CE, 1, 5, 6, 3, 9);
  GsSnapshot *a = gs_snapshot_new (), *b = gs_snapshot_new (), *c = gs_snapshot_new (), *copy;
  GsEmbedding *last = NULL;
  GsError err;
  const int V = m->cfg.V, E = m->cfg.E;

  GS_CHECK (gs_snapshot_take_embedding (a, m, 0, true, &last, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (a->embedding != NULL && a->embedding == last && a->embedding->V == V && a->embedding->E == E,
            "the snapshot holds the model's %d×%d embedding", V, E);
  GS_CHECK (a->embedding && memcmp (a->embedding->W, m->p.emb, (size_t) V * E * sizeof (float)) == 0,
            "its matrix is emb.weight");
  GS_CHECK (gs_snapshot_take_embedding (b, m, 0, true, &last, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (b->embedding == a->embedding, "an unchanged matrix is shared, not copied");
  copy = gs_snapshot_copy (b, &err);
  GS_CHECK (copy != NULL && copy->embedding == b->embedding, "a copied snapshot shares it too");
  gs_snapshot_free (copy);

  for (int i = 0; i < V * E; i++)
    m->p.emb[i] += 0.01f * (float) ((i * 7) % 5 - 2);
  GS_CHECK (gs_snapshot_take_embedding (c, m, 1, false, &last, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (c->embedding == a->embedding, "without refresh the cached one is shown while it changes");
  GS_CHECK (gs_snapshot_take_embedding (c, m, 1, true, &last, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (c->embedding != a->embedding && c->embedding == last && c->embedding->epoch == 1,
            "a changed matrix is a new copy");
  if (c->embedding && a->embedding && c->embedding->pca_done) {
    bool same_way = true;
    for (int k = 0; k < 2; k++) {
      double d = 0;
      for (int j = 0; j < E; j++)
        d += c->embedding->axis[k * E + j] * a->embedding->axis[k * E + j];
      same_way &= d > 0;
    }
    GS_CHECK (same_way, "the new axes point the way the previous frame's did");
  }
  gs_snapshot_free (a);
  gs_snapshot_free (b);
  GS_CHECK (last != NULL && atomic_load (&last->refs) == 2, "the cache and one snapshot hold the new one");

  GS_CHECK (gs_snapshot_take_embedding (c, onehot, 0, true, &last, &err) == GS_OK &&
            c->embedding == NULL, "one-hot input has no embedding");
  gs_snapshot_free (c);
  gs_embedding_unref (last);
  gs_model_free (m);
  gs_model_free (onehot);
}

/* The parameters are shared the same way, and a model made from the copy
 * has the model's parameters. */
static void
check_params (void)
{
  GsModel *m = gs_test_model_new (GS_CELL_GRU, GS_INPUT_EMBED, GS_LOSS_CE, 2, 4, 5, 2, 3);
  GsSnapshot *a = gs_snapshot_new (), *b = gs_snapshot_new ();
  GsParamCopy *last = NULL;
  GsModel *clone;
  GsError err;
  const size_t n = gs_config_num_params (&m->cfg);

  GS_CHECK (gs_snapshot_take_params (a, m, 0, true, &last, &err) == GS_OK && a->params == last, "take params");
  GS_CHECK (gs_snapshot_take_params (b, m, 0, true, &last, &err) == GS_OK && b->params == a->params,
            "unchanged parameters are shared");
  clone = gs_param_copy_model (a->params, &err);
  GS_CHECK (clone != NULL && memcmp (clone->params_mem, m->params_mem, n * sizeof (float)) == 0,
            "a model made from the copy has the model's parameters");
  m->params_mem[n - 1] += 1.0f;
  GS_CHECK (gs_snapshot_take_params (b, m, 1, true, &last, &err) == GS_OK && b->params != a->params &&
            b->params->params[n - 1] == m->params_mem[n - 1] && b->params->epoch == 1,
            "changed parameters are a new copy");
  gs_model_free (clone);
  gs_snapshot_free (a);
  gs_snapshot_free (b);
  GS_CHECK (atomic_load (&last->refs) == 1, "only the cache holds it after the snapshots went");
  gs_param_copy_unref (last);
  gs_model_free (m);
}

static int
print_pca (const char *path)
{
  FILE *f = fopen (path, "r");
  int V, E;
  float *W;
  GsError err;
  GsEmbedding *e;

  if (f == NULL || fscanf (f, "%d %d", &V, &E) != 2 || V < 1 || E < 2 || E > 4096 || V > 65536) {
    fprintf (stderr, "%s: cannot read \"V E\"\n", path);
    return 1;
  }
  W = malloc ((size_t) V * E * sizeof (float));
  for (int i = 0; i < V * E; i++)
    if (fscanf (f, "%f", &W[i]) != 1) {
      fprintf (stderr, "%s: value %d missing\n", path, i);
      return 1;
    }
  fclose (f);
  e = gs_embedding_new (W, V, E, 0, NULL, &err);
  if (e == NULL || !e->pca_done) {
    fprintf (stderr, "%s: %s\n", path, e ? "not projected" : err.msg);
    return 1;
  }
  printf ("%.9g %.9g %.9g\n", e->var[0], e->var[1], e->var_total);
  for (int i = 0; i < 2 * E; i++)
    printf ("%.9g%c", e->axis[i], i % E == E - 1 ? '\n' : ' ');
  for (int v = 0; v < V; v++)
    printf ("%.9g %.9g\n", e->proj[2 * v], e->proj[2 * v + 1]);
  gs_embedding_unref (e);
  free (W);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "--pca") == 0)
    return print_pca (argv[2]);
  check_hand_case ();
  check_random (12, 5, 1);
  check_random (40, 16, 2);
  check_random (5, 32, 3);   /* fewer tokens than dimensions: rank 4 */
  check_neighbours ();
  check_sharing ();
  check_params ();
  return gs_test_finish ("embedding");
}
