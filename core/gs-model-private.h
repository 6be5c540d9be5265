/* gs-model-private.h — the pieces of one timestep that the stepping path
 * (gs-model.c) and the whole-sequence path (gs-seq.c) share. k is a layer,
 * d a direction (0 forward, 1 reverse), t a timestep. */
#pragma once

#include "gs-model.h"

GsLayerState *gs_model_state (GsModel *m, int k, int d);
/* (T, B, I) the input of layer k > 0: its x, or the layer below's h. */
const float  *gs_model_layer_input (const GsModel *m, int k);
/* (T, B, D*P) the head's input: the top layer's h, or out. */
const float  *gs_model_head_input (const GsModel *m);
/* x_t of layer k > 0 when it has an x (bidirectional or dropout). */
void gs_model_fill_input (GsModel *m, int k, int t);
/* out_t of a bidirectional model. */
void gs_model_fill_out (GsModel *m, int t);

/* pre (B, G*H) = x_t·W_ihᵀ + b_ih of layer 0, direction d, whatever the input kind. */
void gs_model_input_forward  (GsModel *m, int d, float *pre, int t);

/* One-hot input: Wt (V, GH) = W_ih (GH, V)ᵀ, and W_ih += Wtᵀ for its gradient. */
void gs_onehot_transpose     (float *Wt, const float *W, int GH, int V);
void gs_onehot_add_transpose (float *W, const float *Wt, int GH, int V);
/* Layer 0's input side of the backward pass at t: dW_ih, db_ih, demb. */
void gs_model_input_backward (GsModel *m, int d, const float *dpre, int t);
/* The cell of layer k, direction d at t (recurrent dropout included), once
 * pre_t holds the input projection. */
void gs_model_cell_forward_at  (GsModel *m, int k, int d, int t);
/* Its backward: dh_t = above + carry, the cell's gradients, the carries to
 * the previous step (recurrent dropout and truncated BPTT included). */
void gs_model_cell_backward_at (GsModel *m, int k, int d, int t, const float *above, int stride,
                                bool step_weights);
/* Softmax and per-step loss at t (loss_t[t]). */
void gs_model_loss_forward   (GsModel *m, int t);
/* dlogits (B, O) at t. */
void gs_model_loss_backward  (GsModel *m, float *dlogits, int t);

/* Bidirectional stepping (gs-seq.c): the first forward step's whole-sequence
 * part (every layer below the top, both directions, and the top reverse
 * direction), and the last backward step's (the top reverse direction,
 * then every layer below). */
void gs_seq_forward_lower (GsModel *m);
void gs_seq_backward_rest (GsModel *m);
