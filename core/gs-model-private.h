/* gs-model-private.h — the pieces of one timestep that the stepping path
 * (gs-model.c) and the whole-sequence path (gs-seq.c) share. */
#pragma once

#include "gs-model.h"

/* pre (B, G*H) = x_t·W_ihᵀ + b_ih of layer 0, whatever the input kind. */
void gs_model_input_forward  (GsModel *m, float *pre, int t);
/* Layer 0's input side of the backward pass at t: dW_ih, db_ih, demb. */
void gs_model_input_backward (GsModel *m, const float *dpre, int t);
/* Softmax and per-step loss at t (loss_t[t]). */
void gs_model_loss_forward   (GsModel *m, int t);
/* dlogits (B, O) at t. */
void gs_model_loss_backward  (GsModel *m, float *dlogits, int t);
