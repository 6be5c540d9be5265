/* gs-cell.h — one timestep of one recurrent layer, forward and backward.
 *
 * The input side of the layer (x·W_ihᵀ + b_ih, a one-hot column gather, or a
 * dense vector) is the caller's (gs-model.c): it depends on the input kind.
 * The cell does the recurrent product, the gate non-linearities and the
 * state update, and their exact gradients. Letters as in gs-model.h.
 */
#pragma once

#include "gs-model.h"

/* On entry pre (B, G*H) holds the input projection x_t·W_ihᵀ + b_ih.
 * On return pre holds the gate pre-activations, act the activations,
 * hn (B, H, GRU only) W_hn·h_{t-1} + b_hn, c (B, H, LSTM only) c_t, h (B, H) h_t.
 * gh (B, G*H) is scratch. */
void gs_cell_forward (float *pre, float *act, float *hn, float *c, float *h, float *gh,
                      const float *h_prev, const float *c_prev, const GsLayerParams *p,
                      GsCell cell, int B, int H);

/* Given dh (B, H) = dL/dh_t (total) and, for LSTM, dc (B, H) holding the
 * carry dL/dc_t from t+1 (replaced by the total dL/dc_t), computes
 * dpre (B, G*H) = dL/d(pre-activation) — which is also dL/d(x_t·W_ihᵀ + b_ih) —
 * dh_prev (B, H) = dL/dh_{t-1} through this step (overwritten),
 * dc_prev (B, H) = dL/dc_{t-1} (LSTM; may alias dc), and accumulates
 * dW_hh, db_hh in dp. dgh (B, G*H) is scratch. */
/* The pointwise part of gs_cell_backward: dpre, the recurrent-product
 * gradient drec (B, G*H) — dpre itself except for GRU, whose n row is
 * dpre_n ⊙ r; drec == dpre for the other cells when passed the same
 * pointer — dc/dc_prev as above, and dh_prev (B, H) set to the part of
 * dL/dh_{t-1} that bypasses W_hh (GRU's z ⊙ dh; zero otherwise). The
 * caller adds drec·W_hh to dh_prev and accumulates dW_hh, db_hh. */
void gs_cell_backward_pointwise (float *dpre, float *drec, float *dh_prev, float *dc, float *dc_prev,
                                 const float *dh, const float *act, const float *hn,
                                 const float *c, const float *c_prev, const float *h_prev,
                                 GsCell cell, int B, int H);

void gs_cell_backward (float *dpre, float *dh_prev, float *dc, float *dc_prev,
                       GsLayerParams *dp, float *dgh,
                       const float *dh, const float *act, const float *hn,
                       const float *c, const float *c_prev, const float *h_prev,
                       const GsLayerParams *p, GsCell cell, int B, int H);
