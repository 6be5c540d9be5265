/* gs-shapes.h — a model's tensors and parameter counts, as the course
 * teaches them.
 *
 * The PyTorch nn.LSTM chapter builds on input_size, hidden_size and
 * num_layers: W_ih is (G·H, I) and W_hh (G·H, H), both stacked gate by gate
 * (W_ii | W_if | W_ig | W_io), with two biases b_ih and b_hh. The
 * TensorFlow LSTMCell chapter (and colah's diagrams) draw the same numbers
 * the other way: one matrix per gate over the joined [h, x], (H, H + I)
 * ("128 × 228 per gate"), one bias per gate. This describes the model of a
 * configuration both ways, counts its parameters as PyTorch does
 * (sum(p.numel() for p in model.parameters())) and as Keras does, and gives
 * the shapes of the input, the output, h_n and c_n for a batch and length,
 * with batch_first off and on.
 *
 * Letters as in gs-model.h: B batch, T timesteps, V vocabulary, E
 * embedding, I a layer's input size, H hidden, G gates, P units of h_t, L
 * layers, D directions, O outputs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-model.h"
#include "gs-train.h"

typedef enum {
  GS_SHAPE_EMB,      /* emb.weight (V, E) */
  GS_SHAPE_W_IH,     /* (G·H, I), G blocks of H rows */
  GS_SHAPE_W_HH,     /* (G·H, P) */
  GS_SHAPE_B_IH,     /* (G·H) */
  GS_SHAPE_B_HH,     /* (G·H) */
  GS_SHAPE_W_HR,     /* (P, H) LSTM projection */
  GS_SHAPE_W_CH,     /* (3H) peepholes (not PyTorch's) */
  GS_SHAPE_FC_W,     /* (O, D·P) */
  GS_SHAPE_FC_B,     /* (O) */
} GsShapeKind;

typedef struct {
  GsTensorInfo info;     /* PyTorch's name, shape, numel (gs_config_tensors) */
  GsShapeKind  kind;
  int          layer;    /* −1 for emb and fc */
  int          dir;      /* 0 forward, 1 reverse */
  int          gates;    /* G for the gate-stacked tensors, else 0 */
  char         parts[96];/* the gate blocks by PyTorch's names: "W_ii | W_if | W_ig | W_io", "" */
} GsShapeTensor;

/* One layer's gates the other way: per gate a matrix (H, P + I) over the
 * joined [h_{t−1}, x_t] and one bias (H), TensorFlow's kernel (P + I, G·H). */
typedef struct {
  int I;                 /* the layer's input size */
  int joined;            /* P + I */
  size_t pytorch;        /* the layer's parameters in PyTorch (both directions) */
  size_t keras;          /* in Keras / TensorFlow */
} GsShapeLayer;

typedef struct {
  GsConfig      cfg;
  int           T, B;                 /* the batch and length the shapes are given for */
  int           n;
  GsShapeTensor t[GS_MAX_TENSORS];
  GsShapeLayer  layer[GS_MAX_LAYERS];
  size_t        total;                /* = sum(p.numel() for p in model.parameters()) */
  size_t        total_keras;          /* the same model in Keras (TensorFlow 2 defaults) */
  int           keras_biases;         /* biases per gate in Keras: 1, or 2 for a reset-after GRU */
  /* Shapes, batch_first=False; with batch_first=True the first two swap,
   * except h_n and c_n, which stay (L·D, B, P) / (L·D, B, H). */
  int           in_ndim;              /* 2: token ids (T, B); 3: dense (T, B, V) */
  int           input[3];             /* the model's input */
  int           rnn_input[3];         /* what nn.RNN/LSTM/GRU reads: (T, B, E or V) */
  int           output[3];            /* (T, B, D·P) */
  int           h_n[3];               /* (L·D, B, P) */
  int           c_n[3];               /* (L·D, B, H); LSTM only */
  int           logits[3];            /* (T, B, O) */
} GsShapes;

/* Describes the model of cfg (valid, see gs_config_validate) for a batch of
 * B sequences of T steps. */
int  gs_shapes_describe (GsShapes *s, const GsConfig *cfg, int T, int B, GsError *err);

/* The model a training run of `run` builds (gs_trainer_new's: the task
 * decides V, O and the input kind), for its batch and the task's sequence
 * length, or T when T > 0. Loads the task's data, nothing more. */
int  gs_shapes_describe_run (GsShapes *s, const GsTrainConfig *run, int T, GsError *err);

/* The description as text for people (translated), one malloc'd string:
 * every tensor with its gate blocks, the joined per-gate view, the totals
 * with the Keras count and why it differs, and the shapes with batch_first
 * off and on. NULL when out of memory. */
char *gs_shapes_format      (const GsShapes *s);
/* The same as one JSON object (not translated), malloc'd. */
char *gs_shapes_format_json (const GsShapes *s);

/* n with thousands separators, "117,760". */
void gs_shapes_group_digits (char *buf, size_t size, size_t n);
