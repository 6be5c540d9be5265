/* gs-model.h — a stacked recurrent network whose numbers are PyTorch's.
 *
 * Dimension letters, used in every shape comment in core/:
 *   B batch, T timesteps, V vocabulary (or dense input features),
 *   E embedding size, I input size of a layer (E, V or H), H hidden size,
 *   G gates per cell (RNN 1, LSTM 4, GRU 3), O outputs of the linear head,
 *   L layers, P units of h_t (the projection size with an LSTM projection,
 *   else H), D directions (2 when bidirectional, else 1).
 * All sequence arrays are time-major, (T, B, …), as PyTorch's default.
 *
 * The model is a state machine that a viewer can stop at any point:
 *
 *   gs_model_set_sequence ()       load inputs/targets, rewind both cursors
 *   gs_model_forward_step ()  × T  computes timestep t_fwd in every layer,
 *                                  the head and the loss at t_fwd
 *   gs_model_backward_step () × T  backpropagates timestep t_bwd − 1 in
 *                                  every layer (top to bottom), += into grads
 *   gs_optimizer_step ()           the update
 *
 * Running the whole sequence (gs_model_forward/backward) executes the very
 * same steps, so stepping and not stepping give identical bits. After every
 * step each intermediate value can be read from GsLayerState.
 *
 * Bidirectional models cannot be stepped causally: the reverse direction
 * of a layer needs the whole sequence, and every layer above the first
 * needs the reverse direction below it. For them the cursor t_fwd counts
 * the top layer's forward direction: the first forward step computes
 * everything else over the whole sequence, layer by layer (the layers
 * below the top in both directions, then the top layer's reverse
 * direction), and each step then advances the top forward direction, the
 * head and the loss by one timestep. Backward mirrors it: each step
 * backpropagates the head and the top forward direction at t_bwd − 1, and
 * the last step (t = 0) also does the top reverse direction and every
 * layer below, whole-sequence. Stepping and not stepping still give
 * identical bits; values of the parts done whole-sequence are final as
 * soon as they are computed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-rng.h"

#define GS_MAX_LAYERS 8
#define GS_MAX_GATES 4
#define GS_MAX_HIDDEN 4096
#define GS_MAX_VOCAB 65536
#define GS_MAX_EMBED 4096
/* emb, fc.weight, fc.bias and per layer and direction W_ih, W_hh, b_ih,
 * b_hh, W_hr (projection), w_ch (peepholes) and W_gg (full gate recurrence). */
#define GS_MAX_TENSORS (3 + 2 * 7 * GS_MAX_LAYERS)

typedef enum {
  GS_CELL_RNN_TANH,
  GS_CELL_RNN_RELU,
  GS_CELL_LSTM,
  GS_CELL_GRU,
  GS_N_CELLS
} GsCell;

typedef enum {
  GS_INPUT_EMBED,   /* token → row of emb.weight (V, E) */
  GS_INPUT_ONEHOT,  /* token → one-hot vector of size V (never materialised) */
  GS_INPUT_DENSE,   /* a float vector of size V per timestep */
} GsInput;

typedef enum {
  GS_LOSS_CE,   /* mean softmax cross-entropy over targeted steps (nn.CrossEntropyLoss) */
  GS_LOSS_MSE,  /* mean squared error over targeted elements (nn.MSELoss) */
} GsLoss;

/* Design choices the course material walks through (issue 7). All zero is
 * PyTorch's plain nn.RNN / nn.LSTM / nn.GRU. gs_variant_validate says which
 * cells each applies to and which combinations are refused.
 *
 * Parameter layout: every variant keeps PyTorch's tensors and shapes, so a
 * PyTorch model of the same shape loads. With cifg and no_forget_gate the
 * f rows of W_ih, W_hh, b_ih and b_hh stay in the layout but are not used:
 * their gradient is exactly zero (and the f row of pre/act holds −pre_i,
 * 1 − i for cifg and 0, 1 without a forget gate, for display). Peepholes
 * add a tensor PyTorch has not: rnn.weight_ch_l{k}[_reverse], shape (3H),
 * rows i, f, o — the diagonal weights w_ci, w_cf on c_{t−1} and w_co on c_t.
 * no_input_gate and no_output_gate keep the i or o rows the same way (pre
 * row 0, act row 1, gradient exactly zero; with peepholes w_ci or w_co too).
 * Full gate recurrence adds rnn.weight_gg_l{k}
 * [_reverse], shape (3H, 3H): rows the gates fed (i, f, o), columns the
 * previous step's activations i_{t−1}, f_{t−1}, o_{t−1} — Greff et al.'s
 * nine matrices R_{ab} (b ← a) in one, block (b, a) = R_{ab}.
 *
 * The variants of "LSTM: A Search Space Odyssey" (Greff et al. 2017) are
 * NIG no_input_gate, NFG no_forget_gate, NOG no_output_gate, NIAF
 * no_input_act, NOAF no_output_act, NP (the default: no peepholes; their
 * vanilla LSTM is peephole), CIFG cifg and FGR full_gate_recurrence. */
typedef struct {
  float forget_bias;     /* LSTM: b_if initialised to this, b_hf to 0 (Jozefowicz et al. 2015; TensorFlow's
                            forget_bias, 1.0 there); applies when forget_bias_set or when non-zero */
  bool  forget_bias_set; /* forget_bias applies even when it is 0 (0 is then "b_if = 0", not PyTorch's init) */
  bool  peephole;        /* LSTM: i, f see c_{t-1}, o sees c_t (Gers & Schmidhuber 2000) */
  bool  cifg;            /* LSTM: coupled input–forget gate, f = 1 − i */
  bool  no_forget_gate;  /* LSTM: f ≡ 1 (Hochreiter & Schmidhuber 1997) */
  bool  no_input_gate;   /* LSTM: i ≡ 1 (Greff et al.'s NIG) */
  bool  no_output_gate;  /* LSTM: o ≡ 1 (NOG) */
  bool  no_input_act;    /* LSTM: g = its pre-activation, no tanh (NIAF) */
  bool  no_output_act;   /* LSTM: m = o ⊙ c_t, no tanh (NOAF) */
  bool  full_gate_recurrence; /* LSTM: i_{t−1}, f_{t−1}, o_{t−1} feed i, f, o through W_gg (FGR) */
  float cell_clip;       /* LSTM: c_t clipped to [−x, x] after the update, gradient 0 where clipped; 0 = off */
  int   proj;            /* LSTM: output projection h_t = W_hr (o ⊙ tanh c_t), size P (PyTorch proj_size); 0 = off */
  bool  gru_reset_before;/* GRU: n = tanh(W_in x + b_in + W_hn (r ⊙ h_{t-1}) + b_hn) (Cho et al. 2014) */
  bool  irnn;            /* RNN: W_hh = I, b_ih = b_hh = 0 at init (Le et al. 2015) */
  bool  bidirectional;   /* every layer also runs backward in time; outputs [fwd, rev] (PyTorch's) */
  float dropout;         /* between layers, training only: on the input of layers 1…L−1 (PyTorch's dropout) */
  float recurrent_dropout; /* training only: one mask per sequence and layer on h_{t-1} where it enters
                              the recurrent products (Gal & Ghahramani 2016; Keras' recurrent_dropout) */
  int   bptt;            /* truncated BPTT: the gradient carried from t to t−1 is cut where t is a
                            multiple of bptt (chunks [0, K), [K, 2K), … from the start); 0 = full */
} GsVariant;

typedef struct {
  GsCell  cell;
  GsInput input;
  GsLoss  loss;
  int V;  /* vocabulary size, or input features for GS_INPUT_DENSE */
  int E;  /* embedding size (GS_INPUT_EMBED only, else 0) */
  int H;  /* hidden size */
  int L;  /* number of stacked layers */
  int O;  /* outputs of the linear head (classes, or regression targets) */
  GsVariant variant;
} GsConfig;

/* Canonical names, as PyTorch's nn.RNN(nonlinearity=…) / nn.LSTM / nn.GRU. */
const char *gs_cell_name       (GsCell cell);            /* "rnn_tanh", "lstm", … */
int         gs_cell_from_name  (const char *name, GsCell *out);  /* GS_OK/GS_FAIL */
int         gs_cell_gates      (GsCell cell);            /* G */
/* Letters of the gates in row order: "i", "i f g o", "r z n" → "h", "ifgo", "rzn". */
const char *gs_cell_gate_letters (GsCell cell);

bool   gs_variant_is_plain   (const GsVariant *v);
/* True when the forget-gate bias initialisation applies. */
bool   gs_variant_has_forget_bias (const GsVariant *v);
/* The variant's fields and combinations, for a cell of hidden size H and L layers. */
int    gs_variant_validate   (const GsVariant *v, GsCell cell, int H, int L, GsError *err);

int    gs_config_dirs        (const GsConfig *cfg);   /* D */
int    gs_config_hidden_out  (const GsConfig *cfg);   /* P: units of h_t */

/* Input size of layer k (layers above the first see D·P units). */
int    gs_config_layer_input (const GsConfig *cfg, int k);
int    gs_config_validate    (const GsConfig *cfg, GsError *err);
size_t gs_config_num_params  (const GsConfig *cfg);
/* Bytes of the (T, B, …) caches gs_model_set_sequence allocates for a
 * batch of B sequences of T steps (at most GS_MAX_CACHE_BYTES, gs-mem.h). */
size_t gs_config_sequence_bytes (const GsConfig *cfg, int T, int B);

/* One buffer, named views. Gradients and optimizer moments use the same
 * struct over buffers of the same layout. */
typedef struct {
  float *W_ih;  /* (G*H, I) rows i,f,g,o (LSTM) | r,z,n (GRU) | h (RNN) */
  float *W_hh;  /* (G*H, P) same row order */
  float *b_ih;  /* (G*H) */
  float *b_hh;  /* (G*H) */
  float *W_hr;  /* (P, H) LSTM projection (rnn.weight_hr_l{k}); NULL without */
  float *w_ch;  /* (3H) LSTM peepholes w_ci, w_cf, w_co (rnn.weight_ch_l{k}); NULL without */
  float *W_gg;  /* (3H, 3H) LSTM full gate recurrence (rnn.weight_gg_l{k}): rows i,f,o fed, columns
                   i,f,o of the previous step's activations; NULL without */
} GsLayerParams;

typedef struct {
  float *emb;                          /* (V, E), NULL unless GS_INPUT_EMBED */
  GsLayerParams layer[GS_MAX_LAYERS];
  GsLayerParams rev[GS_MAX_LAYERS];    /* bidirectional: the reverse direction (…_reverse) */
  float *W_fc;                         /* (O, D*P) */
  float *b_fc;                         /* (O) */
} GsParams;

void gs_params_bind (GsParams *p, const GsConfig *cfg, float *mem);

/* The tensors of a model under PyTorch's names (emb.weight, rnn.weight_ih_l0,
 * …, fc.bias), in buffer order — PyTorch's named_parameters () order: per
 * layer, per direction ("" then "_reverse"), weight_ih, weight_hh, bias_ih,
 * bias_hh, weight_hr (projection), then our weight_ch (peepholes) and weight_gg (full gate
 * recurrence). Used by the model files, the CLI's --grads
 * output and the weight views: one list, one order. */
typedef struct {
  char   name[40];
  int    ndim;        /* 1 or 2 */
  int    shape[2];
  size_t offset;      /* in floats, into the parameter buffer */
  size_t numel;
} GsTensorInfo;

int gs_config_tensors (const GsConfig *cfg, GsTensorInfo *out /* [GS_MAX_TENSORS] */);

/* What one layer (one direction of it) computed, per timestep. Forward
 * arrays are valid for t < t_fwd, backward arrays for t >= t_bwd (see the
 * top of this file for bidirectional models). The reverse direction keeps
 * the same time index t; its "previous" state is h_{t+1}, and its initial
 * state sits right after h instead of before it. */
typedef struct {
  float *x;        /* (T, B, I) layer input: embedding rows (layer 0), or for k > 0 the layer below's
                      output [fwd, rev] after dropout when D == 2 or dropout is configured; NULL when
                      the input is another buffer verbatim (one-hot/dense input, or k > 0 reading
                      layer k-1's h). The reverse direction shares the forward one's. */
  float *pre;      /* (T, B, G*H) gate pre-activations, peephole terms included;
                      GRU n row: W_in x + b_in + hn */
  float *act;      /* (T, B, G*H) gate activations σ/tanh/relu of pre */
  float *hn;       /* (T, B, H) GRU only: r ⊙ (W_hn h_{t-1} + b_hn) is added to the n row — hn is
                      W_hn h_{t-1} + b_hn; reset-before: W_hn (r ⊙ h_{t-1}) + b_hn */
  float *rh;       /* (T, B, H) GRU reset-before: r ⊙ h_{t-1} */
  float *c;        /* (T, B, H) LSTM only: cell state c_t (after clipping) */
  float *m;        /* (T, B, H) LSTM with projection: o ⊙ tanh(c_t), before W_hr */
  float *h;        /* (T, B, P) hidden state h_t */
  float *h0;       /* (B, P) initial hidden state (zeros unless set); forward direction: h0 + B·P == h,
                      so h_{t-1} for every t is one contiguous (T, B, P) matrix starting at h0;
                      reverse direction: h0 == h + T·B·P, so h_{t+1} for every t starts at h + B·P */
  float *c0;       /* (B, H) initial cell state (LSTM), placed as h0 is */
  float *hprev;    /* (T, B, P) the previous state of every t as one matrix (h0 or h + B·P) */
  float *cprev;    /* (T, B, H) the same for c (LSTM) */
  float *hrec;     /* (T, B, P) the previous state where it enters the recurrent products:
                      hprev, or hin under recurrent dropout */
  float *hin;      /* (T, B, P) recurrent dropout: rmask ⊙ previous state */
  float *rmask;    /* (B, P) recurrent dropout mask of this sequence: 0 or 1/(1−p) */
  float *xmask;    /* (T, B, I) dropout mask on this layer's input (k > 0): 0 or 1/(1−p) */
  float *hbuf;     /* (T+1, B, P) storage of h0 and h */
  float *cbuf;     /* (T+1, B, H) storage of c0 and c (LSTM) */
  float *dgh;      /* (T, B, G*H) GRU only: gradient of the recurrent products' outputs (after: n row
                      dpre_n ⊙ r; reset-before: per t a (B, 2H) block r,z then a (B, H) block n) */

  float *dh;       /* (T, B, P) dL/dh_t, total (from above/head and from t+1) */
  float *dc;       /* (T, B, H) LSTM only: dL/dc_t, total */
  float *dm;       /* (T, B, H) LSTM with projection: dL/d(o ⊙ tanh c_t) */
  float *dpre;     /* (T, B, G*H) dL/d(gate pre-activation) */
  float *dh_next;  /* (B, P) carry: dL/dh_{t-1} through the recurrence, from the step just done */
  float *dc_next;  /* (B, H) carry: dL/dc_{t-1} */
  float *dg_next;  /* (B, 3H) full gate recurrence: carry dL/d(i, f, o)_{t-1} through W_gg */
  float *dg_in;    /* (B, 3H) full gate recurrence: scratch, the carry dL/d(i, f, o)_t arriving at t */
  float *dx;       /* (B, I) scratch: dL/dx_t handed to the layer below / the embedding */
  float *dhrec;    /* (B, P) scratch: dL/d(hrec_t) under recurrent dropout */
  const float *whh_t;  /* W_hhᵀ packed (gs-gemm.h) while the whole-sequence path runs this direction
                          forward, else NULL */
  const float *whh_b;  /* W_hh packed while it runs it backward, else NULL */
  const float *whh_v;  /* batch 1: W_hh packed for gs_gemv_packed (gs-gemm.h) while a forward pass
                          runs — stepping, from its first step on (gs_model_forward_step), or the
                          whole-sequence path — else NULL */
  const float *wih_v;  /* batch-1 stepping: W_ih packed the same way; layer 0 with one-hot input:
                          W_ihᵀ, row v the column of token v; else NULL */
  bool   reverse;  /* the reverse direction */
} GsLayerState;

/* gs-intervene.h */
typedef struct GsInterventions GsInterventions;

typedef struct {
  GsConfig cfg;
  int      G;
  int      D, P;         /* directions, units of h_t */
  size_t   n_params;
  float   *params_mem;   /* (n_params) */
  float   *grads_mem;    /* (n_params) */
  GsParams p;            /* views into params_mem */
  GsParams g;            /* views into grads_mem */

  /* The current sequence. Buffers are sized for T_cap × B_cap and grow
   * only in gs_model_set_sequence; nothing allocates in the time loop. */
  int T, B;
  int T_cap, B_cap;
  int   *tokens;         /* (T, B) GS_INPUT_EMBED / ONEHOT */
  float *xs;             /* (T, B, V) GS_INPUT_DENSE */
  int   *targets;        /* (T, B) GS_LOSS_CE: class, or −1 for "no loss at this step" */
  float *ys;             /* (T, B, O) GS_LOSS_MSE */
  unsigned char *ymask;  /* (T, B) GS_LOSS_MSE: 1 where the step has a target */
  int    n_targets;      /* elements the mean is taken over */

  GsLayerState layer[GS_MAX_LAYERS];
  GsLayerState rev[GS_MAX_LAYERS];   /* bidirectional: the reverse direction of each layer */
  float *out;            /* (T, B, D*P) D == 2: the top layer's output [fwd, rev], the head's input */
  float *dout;           /* (T, B, D*P) D == 2: dL/d(out) from the head */
  float *logits;         /* (T, B, O) */
  float *probs;          /* (T, B, O) softmax of logits (GS_LOSS_CE) */
  float *dlogits;        /* (T, B, O) dL/dlogits, filled as backward reaches t */
  float *dh_top;         /* (B, D*P) dL/dh_t of the top layer through the head */
  float *dseq[2];        /* (T, B, max(D*P, E)) whole-sequence backward: gradient arriving from
                            the layer above, and the one handed to the layer below */
  double *loss_t;        /* (T) sum of the per-element losses at t (not yet divided) */
  float *scratch;        /* (B, G*H) per-step work space (the recurrent products) */
  float *scratch2;       /* (B, 2H) per-step work space (GRU reset-before) */
  float *rowstat;        /* (2, B) the softmax's row maxima and sums */
  float *onehot_t;       /* (V, G*H) one-hot input: W_ihᵀ or dW_ihᵀ of a whole sequence (gs-seq.c) */
  float *pack_hh;        /* W_hh packed for the per-timestep products of gs-seq.c (gs-gemm.h);
                            NULL where the CPU has no packed kernel */
  float *work;           /* (work_n) gs-seq.c's per-sequence products (gs_linear_work_size) */
  size_t work_n;
  float *step_pack;      /* batch-1 stepping of a unidirectional model: every weight matrix packed
                            at the pass's first step, seen through whh_v, wih_v and fc_v; allocated
                            by the first batch-1 sequence, NULL before, for small models and where
                            the CPU has no packed kernel */
  const float *fc_v;     /* W_fc in step_pack, or NULL */

  /* Dropout (gs_model_set_training): the masks of the current sequence are
   * drawn from rng by gs_model_set_sequence, so stepping and the fast path
   * see the same ones and a seed reproduces a run. */
  bool   training;
  GsRng *rng;            /* borrowed */
  bool   masks_on;       /* the current sequence has dropout masks */
  /* Interventions (gs-intervene.h): NULL, or the list every pass consults,
   * with per-step scratch for the cell: which gate units and cell states are
   * clamped at the step being computed, and to what. */
  GsInterventions *iv;
  unsigned char   *iv_on;   /* (G*H + H) gates, then c */
  float           *iv_val;  /* (G*H + H) */
  int t_fwd;             /* timesteps computed forward: 0 … T */
  int t_bwd;             /* backward has covered [t_bwd, T): T (not started) … 0 (done) */
} GsModel;

GsModel *gs_model_new  (const GsConfig *cfg, GsError *err);
void     gs_model_free (GsModel *m);

/* At batch 1 a forward pass of gs_model_forward_step packs the weights
 * it multiplies by at its first step (t = 0) and reads that copy until
 * the pass ends: write the parameters between passes (after a rewind or a
 * new sequence), as the optimizer does. Whoever writes params_mem in the
 * middle of a pass calls this, and the rest of the pass reads params_mem. */
void     gs_model_params_changed (GsModel *m);

/* PyTorch's default initialisation: every recurrent weight and bias
 * U(−1/√H, 1/√H) (the projection and peephole weights too); emb.weight
 * N(0, 1); fc.weight and fc.bias U(−1/√F, 1/√F), F = D·P the head's input
 * (nn.Linear's kaiming_uniform(a=√5) reduces to this bound). Then the
 * variants: forget bias (b_if = x, b_hf = 0), IRNN (W_hh = I, biases 0). */
void gs_model_init_params (GsModel *m, GsRng *rng);

/* Training mode: dropout and recurrent dropout are applied (with masks
 * drawn from rng, borrowed, at every gs_model_set_sequence from then on).
 * Off (the default, and for inference and evaluation): no dropout. */
void gs_model_set_training (GsModel *m, bool training, GsRng *rng);

/* Loads a sequence and rewinds the cursors. tokens (T, B) for token input,
 * xs (T, B, V) for dense input; targets (T, B) for CE (−1 = none), ys
 * (T, B, O) and ymask (T, B, may be NULL = all) for MSE; targets/ys may be
 * NULL for inference. Token and target values are checked. */
int gs_model_set_sequence (GsModel *m, int T, int B,
                           const int *tokens, const float *xs,
                           const int *targets, const float *ys,
                           const unsigned char *ymask, GsError *err);

/* Sets the initial state of every layer; h0 is (L*D, B, P), c0 (L*D, B, H)
 * (PyTorch's h_0/c_0: layer-major, forward then reverse), NULL = zeros.
 * Rewinds the cursors. */
void gs_model_set_initial_state (GsModel *m, const float *h0, const float *c0);

bool  gs_model_forward_step  (GsModel *m);   /* false when t_fwd == T */
void  gs_model_forward       (GsModel *m);   /* the remaining forward steps */
bool  gs_model_backward_step (GsModel *m);   /* false when done; requires t_fwd == T */
void  gs_model_backward      (GsModel *m);   /* the remaining backward steps */

/* The fast path (gs-seq.c) for training: the same computation, layer by
 * layer instead of timestep by timestep, so that the input projections of
 * all timesteps are one GEMM, only the recurrent product is done per step,
 * and the weight gradients are one GEMM over all timesteps. Results equal
 * the stepping path's within float32 reassociation. A sequence already
 * partly stepped is finished by the stepping path. */
void  gs_model_forward_seq   (GsModel *m);
void  gs_model_backward_seq  (GsModel *m);
void  gs_model_rewind        (GsModel *m);   /* t_fwd = 0, t_bwd = T */
/* t_bwd = T and the carries cleared, keeping the forward pass: with
 * gs_model_zero_grad, the way to step backward again from the start. */
void  gs_model_rewind_backward (GsModel *m);

/* Mean loss over the steps computed so far (NaN before any target is seen);
 * equals the full loss once t_fwd == T. */
float gs_model_loss          (const GsModel *m);
/* Argmax class at (t, b). */
int   gs_model_predict       (const GsModel *m, int t, int b);
/* Greedy decoding's input: token (t, b) ← the argmax class at (t − 1, b),
 * for every b. Once step t − 1 is computed (t_fwd == t, 1 ≤ t < T); for a
 * decoder whose input vocabulary holds its outputs (gs-task-seq2seq.c);
 * otherwise nothing is written. The one rule the task's judge and the stepper's greedy pass feed by. */
void  gs_model_feed_prediction (GsModel *m, int t);
/* Whether the input token at (t, b) is what teacher forcing feeds there:
 * the target at (t − 1, b); at t = 0 (the start symbol) always. */
bool  gs_model_feeds_target  (const GsModel *m, int t, int b);

void  gs_model_zero_grad     (GsModel *m);
/* torch.nn.utils.clip_grad_norm_: scales grads by max_norm/(norm+1e-6) when
 * that is < 1; returns the total norm before clipping. */
float gs_model_clip_grad_norm (GsModel *m, float max_norm);
/* True when every parameter and gradient is finite. */
bool  gs_model_is_finite     (const GsModel *m);
/* Whether none of x[0 … n) is NaN or ±inf. */
bool  gs_floats_finite       (const float *x, size_t n);

/* Final hidden (and cell) state of every layer, h_n (L*D, B, P), c_n
 * (L*D, B, H) as PyTorch's (the reverse direction's final state is its
 * state at t = 0). */
void  gs_model_final_state   (const GsModel *m, float *h_n, float *c_n);

/* A copy of the model's configuration and parameters (no sequence state). */
GsModel *gs_model_clone_params (const GsModel *m, GsError *err);
