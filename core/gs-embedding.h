/* gs-embedding.h — the embedding matrix as the views show it.
 *
 * A copy of emb.weight (V, E) taken after some update, with what the
 * embedding view draws from it: a 2-D principal-component projection of
 * the V token vectors and, on demand, a token's nearest neighbours by
 * cosine similarity.
 *
 * A GsEmbedding is immutable once made and reference-counted (atomically:
 * the training thread makes it, the main loop draws from it and drops it).
 * Snapshots share one while the matrix does not change, so stepping
 * through a sequence copies no matrix: gs_embedding_update compares the
 * model's matrix with the last copy and returns that copy, with one more
 * reference, when they are equal.
 *
 * The projection (principal component analysis):
 *   μ = (1/V) Σ_v w_v,   C = (1/V) Σ_v (w_v − μ)(w_v − μ)ᵀ   (E, E)
 *   a_1, a_2 the eigenvectors of C with the two largest eigenvalues
 *   λ_1 ≥ λ_2 (numpy.linalg.eigh's, or the right singular vectors of the
 *   centred matrix), p_v = ((w_v − μ)·a_1, (w_v − μ)·a_2).
 * They are found by subspace iteration with a Rayleigh–Ritz step on C, in
 * double precision, deterministic for a given matrix.
 *
 * Signs: an eigenvector is defined up to its sign, and a picture that
 * flips between two frames shows nothing. Without a previous projection
 * each axis is turned so that its entry of largest magnitude is positive
 * (the first such entry on a tie; scikit-learn's svd_flip does the same on
 * the other factor); with one, each axis is turned to point the way the
 * previous frame's did (a_k · a_k_prev ≥ 0), and iteration starts there,
 * so the picture moves continuously as training runs.
 *
 * Letters: V tokens, E embedding size.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>

#include "gs-error.h"

/* The projection is skipped (pca_done false) above this much work,
 * V·E² multiply-adds for the covariance: about a second on one core. */
#define GS_EMBEDDING_MAX_PCA_WORK 400000000.0

typedef struct {
  atomic_int refs;
  int    V, E;
  long   epoch;        /* the updates the model had when the copy was made */
  float *W;            /* (V, E) emb.weight */
  bool   pca_done;     /* false: too large to project (the fields below are zero) */
  float *axis;         /* (2, E) a_1, a_2, unit length, signs as above */
  float *proj;         /* (V, 2) p_v */
  double var[2];       /* λ_1, λ_2 */
  double var_total;    /* trace C: λ_k / var_total is the share of variance shown */
} GsEmbedding;

/* A copy of W (V, E) and its projection. `prev` (may be NULL), the frame
 * before, fixes the signs and starts the iteration (see above). NULL with
 * a message on bad sizes or out of memory. */
GsEmbedding *gs_embedding_new    (const float *W, int V, int E, long epoch,
                                  const GsEmbedding *prev, GsError *err);
GsEmbedding *gs_embedding_ref    (GsEmbedding *e);
void         gs_embedding_unref  (GsEmbedding *e);

/* The embedding to show for `W` (V, E) after `epoch` updates: `prev` with
 * one more reference when it holds the same shape and numbers (only
 * compared, nothing copied), else a new one (gs_embedding_new with prev).
 * NULL with a message on failure. */
GsEmbedding *gs_embedding_update (GsEmbedding *prev, const float *W, int V, int E, long epoch,
                                  GsError *err);

/* The 2 leading principal axes of the rows of W (V, E): axis (2, E),
 * var (2) their eigenvalues and *var_total trace C; signs and start from
 * prev_axis (2, E) when non-NULL, else the largest entry positive.
 * Exposed for the tests. */
int gs_embedding_pca (float *axis, double *var, double *var_total, const float *W, int V, int E,
                      const float *prev_axis, GsError *err);

/* Token `v`'s k nearest other tokens by cosine similarity
 * cos(w_v, w_u) = w_v·w_u / (‖w_v‖ ‖w_u‖) (raw rows, not centred; a zero
 * row has similarity 0 to everything), most similar first, ties by lower
 * token id. Writes at most k into tokens (k) and cosines (k); returns how
 * many, min (k, V − 1), or 0 for a v out of range. */
int gs_embedding_neighbours (const GsEmbedding *e, int v, int k, int *tokens, float *cosines);
