/* gs-cell.h — one timestep of one recurrent layer, forward and backward.
 *
 * The input side of the layer (x·W_ihᵀ + b_ih, a one-hot column gather, or a
 * dense vector) is the caller's (gs-model.c): it depends on the input kind.
 * The cell does the recurrent products, the gate non-linearities, the state
 * update and the LSTM projection, and their exact gradients, for every
 * variant of gs-model.h. Letters as in gs-model.h.
 */
#pragma once

#include "gs-model.h"

/* What shapes a cell's equations: the cell and its variant, resolved. */
typedef struct {
  GsCell cell;
  int    B, H, P;            /* batch, hidden, units of h_t (P = H unless projected) */
  bool   peephole, cifg, no_forget_gate, gru_reset_before;
  bool   no_input_gate, no_output_gate, no_input_act, no_output_act, fgr;
  bool   lstm_plain;         /* LSTM without any of the variants above and no clip: the SIMD loop */
  float  cell_clip;          /* 0 = off */
} GsCellSpec;

void gs_cell_spec (GsCellSpec *spec, const GsConfig *cfg, int B);

/* Interventions at one timestep (gs-intervene.h): which units of which
 * gate are clamped, and which LSTM cell states are set, and to what. */
typedef struct {
  const unsigned char *gate_on;   /* (G*H) 1 where the gate's unit is clamped */
  const float         *gate_val;  /* (G*H) its value there */
  const unsigned char *c_on;      /* (H) LSTM: 1 where c_t is set */
  const float         *c_val;     /* (H) */
} GsCellClamp;

/* Timestep t of one layer direction: pointers into its caches at t. */
typedef struct {
  float *pre;           /* (B, G*H) in: x_t·W_ihᵀ + b_ih; out: the gate pre-activations */
  float *act;           /* (B, G*H) out: the gate activations */
  float *hn;            /* (B, H) GRU: out, see GsLayerState */
  float *rh;            /* (B, H) GRU reset-before: out, r ⊙ h_rec */
  float *c;             /* (B, H) LSTM: out, c_t */
  float *m;             /* (B, H) LSTM with projection: out, o ⊙ tanh(c_t) */
  float *h;             /* (B, P) out: h_t */
  const float *h_prev;  /* (B, P) the previous state (GRU's z ⊙ h_{t-1} reads it) */
  const float *h_rec;   /* (B, P) the previous state where it enters the recurrent products
                           (recurrent dropout masks it); may equal h_prev */
  const float *c_prev;  /* (B, H) LSTM */
  const float *act_prev;/* (B, G*H) LSTM full gate recurrence: the previous step's activations
                           (i, f, o rows are read), NULL at the first step: zeros */
  const float *W_hh_t;  /* W_hhᵀ packed (gs-gemm.h) for the forward product, or NULL: gs-blas */
  const float *W_hh_b;  /* W_hh packed for the backward product dgates·W_hh, or NULL */
  const float *W_hh_v;  /* B = 1: W_hh packed for gs_gemv_packed, or NULL */
  bool reverse;         /* gs_gemv_packed's panel order at this step */
  const GsCellClamp *clamp;  /* interventions at this step, or NULL (the plain loops) */
} GsCellStep;

/* Forward of one timestep. gh (B, G*H) is scratch. */
void gs_cell_forward (const GsCellStep *s, float *gh, const GsLayerParams *p, const GsCellSpec *spec);

/* The gradients of one timestep. */
typedef struct {
  const float *dh;  /* (B, P) in: dL/dh_t, total */
  float *dc;        /* (B, H) LSTM: in, the carry dL/dc_t from t+1; out, the total dL/dc_t */
  float *dc_prev;   /* (B, H) LSTM: out, dL/dc_{t-1} (must not alias dc) */
  const float *dg;  /* (B, 3H) LSTM full gate recurrence: in, dL/d(i, f, o)_t from step t+1 */
  float *dg_prev;   /* (B, 3H) LSTM full gate recurrence: out (overwritten), dL/d(i, f, o)_{t-1}
                       (must not alias dg) */
  float *dpre;      /* (B, G*H) out: dL/d(pre-activation), also dL/d(x_t·W_ihᵀ + b_ih) */
  float *drec;      /* (B, G*H) out: dL/d(outputs of the recurrent products); may be dpre
                       except for GRU (see GsLayerState.dgh for its layout) */
  float *dm;        /* (B, H) LSTM with projection: out, dL/d(o ⊙ tanh c_t) */
  float *dh_prev;   /* (B, P) out (overwritten): dL/dh_{t-1} through the state path
                       (GRU: z ⊙ dh; zero otherwise) */
  float *dh_rec;    /* (B, P) out: dL/d(h_rec); when it is dh_prev the two are summed,
                       otherwise it is overwritten */
} GsCellGrad;

/* Backward of one timestep. Peephole and gate-recurrence gradients go to
 * dp->w_ch and dp->W_gg always.
 * With step_weights the recurrent weights' gradients (dW_hh, db_hh, dW_hr)
 * are accumulated here too; without, the caller does them for all
 * timesteps at once — except for GRU reset-before, whose dW_hh is always
 * accumulated here. scratch is (B, 2H). */
void gs_cell_backward (GsCellGrad *g, GsLayerParams *dp, bool step_weights, float *scratch,
                       const GsCellStep *s, const GsLayerParams *p, const GsCellSpec *spec);
