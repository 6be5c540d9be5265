/* gs-shapes.c — a model's tensors and counts both ways (gs-shapes.h).
 *
 * Letters as in gs-model.h: B batch, T timesteps, V vocabulary, E
 * embedding, I input of a layer, H hidden, G gates, P units of h_t, L
 * layers, D directions, O outputs.
 */
#include "gs-shapes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"
#include "gs-text.h"

/* PyTorch's documented names of the gate blocks: W_ii | W_if | W_ig | W_io
 * for the LSTM, W_ir | W_iz | W_in for the GRU; the RNN has one block. */
static void
gate_parts (char *buf, size_t size, GsCell cell, const char *prefix, char from)
{
  const char *letters = gs_cell_gate_letters (cell);
  size_t len = 0;

  buf[0] = '\0';
  if (strlen (letters) < 2)
    return;
  for (const char *g = letters; *g != '\0' && len < size; g++)
    len += (size_t) snprintf (buf + len, size - len, "%s%s_%c%c", g == letters ? "" : " | ", prefix, from, *g);
}

int
gs_shapes_describe (GsShapes *s, const GsConfig *cfg, int T, int B, GsError *err)
{
  const int G = gs_cell_gates (cfg->cell), H = cfg->H, L = cfg->L;
  const int D = gs_config_dirs (cfg), P = gs_config_hidden_out (cfg);
  const bool lstm = cfg->cell == GS_CELL_LSTM, gru = cfg->cell == GS_CELL_GRU;
  int i = 0;

  if (gs_config_validate (cfg, err) != GS_OK)
    return GS_FAIL;
  if (T < 1 || B < 1)
    return gs_error_set (err, _("the batch and the length must be at least 1, not %d and %d"), B, T);
  memset (s, 0, sizeof *s);
  s->cfg = *cfg;
  s->T = T;
  s->B = B;
  {
    GsTensorInfo info[GS_MAX_TENSORS];

    s->n = gs_config_tensors (cfg, info);
    for (int k = 0; k < s->n; k++) {
      s->t[k].info = info[k];
      s->t[k].layer = -1;
    }
  }

  /* The buffer order of gs_config_tensors: emb, per layer and direction
   * W_ih, W_hh, b_ih, b_hh [, W_hr] [, w_ch], then fc. */
  if (cfg->input == GS_INPUT_EMBED)
    s->t[i++].kind = GS_SHAPE_EMB;
  for (int k = 0; k < L; k++)
    for (int d = 0; d < D; d++) {
      static const GsShapeKind kinds[4] = { GS_SHAPE_W_IH, GS_SHAPE_W_HH, GS_SHAPE_B_IH, GS_SHAPE_B_HH };
      static const char *const prefix[4] = { "W", "W", "b", "b" };
      static const char from[4] = { 'i', 'h', 'i', 'h' };

      for (int j = 0; j < 4; j++, i++) {
        s->t[i].kind = kinds[j];
        s->t[i].layer = k;
        s->t[i].dir = d;
        s->t[i].gates = G;
        gate_parts (s->t[i].parts, sizeof s->t[i].parts, cfg->cell, prefix[j], from[j]);
      }
      if (lstm && cfg->variant.proj > 0) {
        s->t[i].kind = GS_SHAPE_W_HR;
        s->t[i].layer = k;
        s->t[i++].dir = d;
      }
      if (lstm && cfg->variant.peephole) {
        s->t[i].kind = GS_SHAPE_W_CH;
        s->t[i].layer = k;
        s->t[i++].dir = d;
      }
    }
  s->t[i++].kind = GS_SHAPE_FC_W;
  s->t[i++].kind = GS_SHAPE_FC_B;

  /* Keras keeps one bias per gate: b_ih + b_hh is all the cell ever uses.
   * Its GRU with reset_after=True (TensorFlow 2's default, PyTorch's
   * formula) keeps two, because b_hn sits inside r ⊙ (…). */
  s->keras_biases = gru && !cfg->variant.gru_reset_before ? 2 : 1;
  for (int k = 0; k < s->n; k++) {
    const GsShapeTensor *t = &s->t[k];

    s->total += t->info.numel;
    if (t->layer >= 0) {
      s->layer[t->layer].pytorch += t->info.numel;
      if (!(t->kind == GS_SHAPE_B_HH && s->keras_biases == 1))
        s->layer[t->layer].keras += t->info.numel;
    }
  }
  s->total_keras = s->total;
  for (int k = 0; k < L; k++) {
    s->layer[k].I = gs_config_layer_input (cfg, k);
    s->layer[k].joined = P + s->layer[k].I;
    s->total_keras -= s->layer[k].pytorch - s->layer[k].keras;
  }

  /* Shapes, time-major (batch_first=False). */
  s->in_ndim = cfg->input == GS_INPUT_DENSE ? 3 : 2;
  s->input[0] = T, s->input[1] = B, s->input[2] = cfg->V;
  s->rnn_input[0] = T, s->rnn_input[1] = B, s->rnn_input[2] = gs_config_layer_input (cfg, 0);
  s->output[0] = T, s->output[1] = B, s->output[2] = D * P;
  s->h_n[0] = L * D, s->h_n[1] = B, s->h_n[2] = P;
  s->c_n[0] = lstm ? L * D : 0, s->c_n[1] = B, s->c_n[2] = H;
  s->logits[0] = T, s->logits[1] = B, s->logits[2] = cfg->O;
  return GS_OK;
}

int
gs_shapes_describe_run (GsShapes *s, const GsTrainConfig *run, int T, GsError *err)
{
  GsTask task;
  GsConfig mc;
  int status;

  if (gs_train_config_validate (run, err) != GS_OK || gs_task_init (&task, run->task, err) != GS_OK)
    return GS_FAIL;
  /* As gs_trainer_new builds its model. */
  memset (&mc, 0, sizeof mc);
  mc.cell = run->cell;
  mc.loss = task.loss;
  mc.V = task.V;
  mc.O = task.O;
  mc.H = run->H;
  mc.L = run->L;
  mc.variant = run->variant;
  if (task.input == GS_INPUT_DENSE) {
    mc.input = GS_INPUT_DENSE;
  } else if (run->one_hot) {
    mc.input = GS_INPUT_ONEHOT;
  } else {
    mc.input = GS_INPUT_EMBED;
    mc.E = run->E;
  }
  status = gs_shapes_describe (s, &mc, T > 0 ? T : task.T, run->B, err);
  gs_task_clear (&task);
  return status;
}

/* ------------------------------------------------------------------------ */
/* Text                                                                     */

typedef struct {
  char  *buf;
  size_t len, cap;
  bool   failed;
} Text;

static void text_add (Text *x, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
text_add (Text *x, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (x->failed)
    return;
  va_start (ap, fmt);
  n = vsnprintf (x->buf ? x->buf + x->len : NULL, x->buf ? x->cap - x->len : 0, fmt, ap);
  va_end (ap);
  if (n < 0) {
    x->failed = true;
    return;
  }
  if (x->buf == NULL || x->len + (size_t) n + 1 > x->cap) {
    size_t cap = (x->cap + (size_t) n + 1) * 2;
    char *b = realloc (x->buf, cap);
    if (b == NULL) {
      x->failed = true;
      return;
    }
    x->buf = b;
    x->cap = cap;
    va_start (ap, fmt);
    vsnprintf (x->buf + x->len, x->cap - x->len, fmt, ap);
    va_end (ap);
  }
  x->len += (size_t) n;
}

/* s, then spaces up to `columns` display columns (gs_utf8_width: a
 * Chinese character takes two), so that a table of translated labels lines
 * up in a terminal and in a monospace label — printf's %-28s counts bytes,
 * three to a Chinese character. A longer s is written whole. */
static void
text_add_cell (Text *x, const char *s, int columns)
{
  int pad = columns - gs_utf8_width (s);

  text_add (x, "%s%*s", s, pad > 0 ? pad : 0, "");
}

static char *
text_finish (Text *x)
{
  if (x->failed) {
    free (x->buf);
    return NULL;
  }
  return x->buf;
}

void
gs_shapes_group_digits (char *buf, size_t size, size_t n)
{
  char digits[32];
  int len = snprintf (digits, sizeof digits, "%zu", n);
  size_t o = 0;

  for (int k = 0; k < len && o + 1 < size; k++) {
    if (k > 0 && (len - k) % 3 == 0 && o + 2 < size)
      buf[o++] = ',';
    buf[o++] = digits[k];
  }
  buf[o < size ? o : size - 1] = '\0';
}

static void
shape_str (char *buf, size_t size, const int *dims, int ndim)
{
  size_t len = (size_t) snprintf (buf, size, "(");
  for (int k = 0; k < ndim && len < size; k++)
    len += (size_t) snprintf (buf + len, size - len, "%s%d", k ? ", " : "", dims[k]);
  if (len < size)
    snprintf (buf + len, size - len, ")");
}

/* dims with the first two swapped: batch_first=True. */
static void
shape_str_bf (char *buf, size_t size, const int *dims, int ndim)
{
  int swapped[3] = { dims[1], dims[0], ndim > 2 ? dims[2] : 0 };
  shape_str (buf, size, swapped, ndim);
}

static const char *
cell_module (GsCell cell)
{
  return cell == GS_CELL_LSTM ? "nn.LSTM" : cell == GS_CELL_GRU ? "nn.GRU" : "nn.RNN";
}

char *
gs_shapes_format (const GsShapes *s)
{
  const GsConfig *c = &s->cfg;
  const int G = gs_cell_gates (c->cell), D = gs_config_dirs (c), P = gs_config_hidden_out (c);
  const bool lstm = c->cell == GS_CELL_LSTM;
  const char *letters = gs_cell_gate_letters (c->cell);
  char a[64], b[64], total[32], keras[32], diff[32];
  Text x = { 0 };

  char gates[64] = "";

  text_add (&x, "%s(input_size=%d, hidden_size=%d, num_layers=%d", cell_module (c->cell),
            gs_config_layer_input (c, 0), c->H, c->L);
  if (c->cell == GS_CELL_RNN_RELU)
    text_add (&x, ", nonlinearity='relu'");
  if (lstm && c->variant.proj > 0)
    text_add (&x, ", proj_size=%d", c->variant.proj);
  text_add (&x, ", bidirectional=%s)\n", D == 2 ? "True" : "False");
  for (const char *g = letters; *g != '\0'; g++) {
    size_t len = strlen (gates);
    snprintf (gates + len, sizeof gates - len, "%sW_%c", g == letters ? "" : ", ", *g);
  }
  text_add (&x, "\n%s\n", _("Tensors, as PyTorch names them (named_parameters() order):"));
  for (int k = 0; k < s->n; k++) {
    const GsShapeTensor *t = &s->t[k];
    char numel[32];

    shape_str (a, sizeof a, t->info.shape, t->info.ndim);
    gs_shapes_group_digits (numel, sizeof numel, t->info.numel);
    text_add (&x, "  %-26s %-12s %9s", t->info.name, a, numel);
    if (t->parts[0] != '\0') {
      int block[2] = { t->info.shape[0] / G, t->info.shape[1] };
      shape_str (b, sizeof b, block, t->info.ndim);
      /* Translators: the gate blocks of a stacked tensor, e.g. "W_ii | W_if | W_ig | W_io, each (8, 10)". */
      text_add (&x, _("   = %s, each %s"), t->parts, b);
    } else if (t->kind == GS_SHAPE_W_HR) {
      text_add (&x, "   %s", _("projection: h_t = W_hr (o ⊙ tanh c_t)"));
    } else if (t->kind == GS_SHAPE_W_CH) {
      text_add (&x, "   %s", _("peepholes w_ci, w_cf, w_co (PyTorch has none)"));
    }
    text_add (&x, "\n");
  }

  gs_shapes_group_digits (total, sizeof total, s->total);
  gs_shapes_group_digits (keras, sizeof keras, s->total_keras);
  gs_shapes_group_digits (diff, sizeof diff, s->total - s->total_keras);
  text_add (&x, "\n");
  /* Translators: %s is a number of parameters with thousands separators. */
  text_add (&x, _("Total: %s parameters, PyTorch's sum(p.numel() for p in model.parameters()).\n"), total);
  /* Translators: %s is a number of parameters with thousands separators. */
  text_add (&x, _("Keras / TensorFlow: %s for the same model.\n"), keras);
  if (s->keras_biases == 1) {
    char per[32];
    gs_shapes_group_digits (per, sizeof per, (size_t) G * (size_t) c->H);
    /* Translators: the first %s is a number of parameters, the second G·H per layer and direction. */
    text_add (&x, _("  %s fewer: PyTorch keeps two biases per gate, b_i* and b_h*, which are only ever added;\n"
                    "  Keras keeps their sum, one bias per gate, so %s fewer per layer and direction.\n"), diff, per);
  } else {
    text_add (&x, "  %s\n", _("The same count: a Keras GRU with reset_after=True (TensorFlow 2's default,\n"
                              "  PyTorch's formula) keeps two biases per gate as PyTorch does, because b_hn sits\n"
                              "  inside r ⊙ (W_hn h + b_hn); with reset_after=False (--gru-reset before) it keeps one."));
  }
  if (lstm && (c->variant.proj > 0 || c->variant.peephole))
    text_add (&x, "  %s\n", _("Keras' LSTM has no projection and no peepholes: they are counted as here."));

  text_add (&x, "\n%s\n", _("The other way (colah's diagrams, TensorFlow's LSTMCell): one matrix per gate\n"
                            "over the joined [h_{t−1}, x_t], and one bias per gate:"));
  for (int k = 0; k < c->L; k++) {
    const GsShapeLayer *ly = &s->layer[k];
    char pt[32], kr[32];
    int per_gate[2] = { c->H, ly->joined };
    char cols[64];
    int kernel[2] = { ly->joined, G * c->H };

    snprintf (cols, sizeof cols, "(%d, %d + %d)", c->H, P, ly->I);
    shape_str (a, sizeof a, per_gate, 2);
    shape_str (b, sizeof b, kernel, 2);
    gs_shapes_group_digits (pt, sizeof pt, ly->pytorch);
    gs_shapes_group_digits (kr, sizeof kr, ly->keras);
    /* Translators: layer k: the gate matrices ("W_i, W_f, W_g, W_o"), their shape "(8, 18)" and
     * "(8, 8 + 10)" (hidden, hidden + input), the bias size, TensorFlow's kernel shape, then the
     * layer's parameters in PyTorch and in Keras. */
    text_add (&x, _("  layer %d: %s, each %s = %s, one bias (%d) each;\n"
                    "           TensorFlow's kernel %s; parameters: PyTorch %s, Keras %s\n"),
              k, gates, a, cols, c->H, b, pt, kr);
  }

  /* Which convention the formulas are in, where the course's sources differ. */
  text_add (&x, "\n%s\n", _("Conventions (PyTorch's are shown everywhere in Gatescope):"));
  if (lstm)
    text_add (&x, "%s\n", _("  Rows i, f, g, o. TensorFlow's LSTMCell keeps one bias per gate and adds forget_bias\n"
                             "  (1.0 by default) inside σ(…) of f at every step; Keras' LSTM starts b_f at 1\n"
                             "  (unit_forget_bias) and orders its kernel i, f, c, o."));
  else if (c->cell == GS_CELL_GRU)
    text_add (&x, "%s\n", _("  Rows r, z, n, and h = (1 − z) ⊙ n + z ⊙ h₋₁ (as in Keras and Cho et al. 2014): z keeps\n"
                             "  the old state. colah's diagrams write h = (1 − z) ⊙ h₋₁ + z ⊙ h̃: their z is 1 − z here.\n"
                             "  Keras orders its kernel z, r, h and defaults to reset_after=True, PyTorch's n;\n"
                             "  reset_after=False is Cho et al.'s (--gru-reset before)."));
  else
    text_add (&x, "%s\n", _("  h = tanh(W_ih x + b_ih + W_hh h₋₁ + b_hh); Keras' SimpleRNN keeps one bias."));

  text_add (&x, "\n");
  /* Translators: %d are the batch size and the sequence length. */
  text_add (&x, _("Shapes for batch B = %d and length T = %d:\n"), s->B, s->T);
  text_add (&x, "  %-28s %-18s %s\n", "", "batch_first=False", "batch_first=True");
  {
    struct { const char *what; const int *dims; int ndim; bool swap; } rows[] = {
      { c->input == GS_INPUT_DENSE ? _("input x") : _("input x (token ids)"), s->input, s->in_ndim, true },
      { _("what the RNN reads"), s->rnn_input, 3, true },
      { _("output (the top h_t)"), s->output, 3, true },
      { _("h_n"), s->h_n, 3, false },
      { _("c_n"), s->c_n, 3, false },
      { _("logits = fc(output)"), s->logits, 3, true },
    };

    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
      if (rows[r].dims == s->c_n && !lstm)
        continue;
      shape_str (a, sizeof a, rows[r].dims, rows[r].ndim);
      if (rows[r].swap)
        shape_str_bf (b, sizeof b, rows[r].dims, rows[r].ndim);
      else
        shape_str (b, sizeof b, rows[r].dims, rows[r].ndim);
      text_add (&x, "  ");
      text_add_cell (&x, rows[r].what, 28);
      text_add (&x, " %-18s %s\n", a, b);
    }
  }
  text_add (&x, "  %s\n", lstm ? _("h_n and c_n are (num_layers · directions, batch, hidden) whatever batch_first "
                                   "says:\n  it only reorders the input and the output.")
                                : _("h_n is (num_layers · directions, batch, hidden) whatever batch_first says:\n"
                                    "  it only reorders the input and the output."));
  return text_finish (&x);
}

char *
gs_shapes_format_json (const GsShapes *s)
{
  const GsConfig *c = &s->cfg;
  const int G = gs_cell_gates (c->cell);
  const bool lstm = c->cell == GS_CELL_LSTM;
  Text x = { 0 };

  text_add (&x, "{\"cell\":\"%s\",\"input_size\":%d,\"hidden_size\":%d,\"num_layers\":%d,\"directions\":%d,"
            "\"proj_size\":%d,\"batch\":%d,\"length\":%d,\"tensors\":[",
            gs_cell_name (c->cell), gs_config_layer_input (c, 0), c->H, c->L, gs_config_dirs (c),
            lstm ? c->variant.proj : 0, s->B, s->T);
  for (int k = 0; k < s->n; k++) {
    const GsShapeTensor *t = &s->t[k];

    text_add (&x, "%s{\"name\":\"%s\",\"shape\":[%d", k ? "," : "", t->info.name, t->info.shape[0]);
    if (t->info.ndim == 2)
      text_add (&x, ",%d", t->info.shape[1]);
    text_add (&x, "],\"numel\":%zu", t->info.numel);
    if (t->parts[0] != '\0') {
      text_add (&x, ",\"gates\":[");
      for (const char *p = t->parts; *p != '\0';) {
        size_t n = strcspn (p, " |");
        text_add (&x, "%s\"%.*s\"", p == t->parts ? "" : ",", (int) n, p);
        p += n;
        p += strspn (p, " |");
      }
      text_add (&x, "],\"gate_shape\":[%d", t->info.shape[0] / G);
      if (t->info.ndim == 2)
        text_add (&x, ",%d", t->info.shape[1]);
      text_add (&x, "]");
    }
    text_add (&x, "}");
  }
  text_add (&x, "],\"layers\":[");
  for (int k = 0; k < c->L; k++)
    text_add (&x, "%s{\"input\":%d,\"per_gate_joined\":[%d,%d],\"pytorch\":%zu,\"keras\":%zu}", k ? "," : "",
              s->layer[k].I, c->H, s->layer[k].joined, s->layer[k].pytorch, s->layer[k].keras);
  text_add (&x, "],\"total\":%zu,\"total_keras\":%zu,\"keras_biases_per_gate\":%d,", s->total, s->total_keras,
            s->keras_biases);
  {
    struct { const char *key; const int *d; int ndim; bool swap; } rows[] = {
      { "input", s->input, s->in_ndim, true }, { "rnn_input", s->rnn_input, 3, true },
      { "output", s->output, 3, true },        { "h_n", s->h_n, 3, false },
      { "c_n", s->c_n, 3, false },             { "logits", s->logits, 3, true },
    };
    for (int bf = 0; bf < 2; bf++) {
      text_add (&x, "\"%s\":{", bf ? "batch_first" : "time_major");
      for (size_t r = 0, first = 1; r < sizeof rows / sizeof rows[0]; r++) {
        int d0 = rows[r].d[0], d1 = rows[r].d[1];
        if (rows[r].d == s->c_n && !lstm)
          continue;
        if (bf && rows[r].swap)
          d0 = rows[r].d[1], d1 = rows[r].d[0];
        text_add (&x, "%s\"%s\":[%d,%d", first ? "" : ",", rows[r].key, d0, d1);
        if (rows[r].ndim == 3)
          text_add (&x, ",%d", rows[r].d[2]);
        text_add (&x, "]");
        first = 0;
      }
      text_add (&x, "}%s", bf ? "}" : ",");
    }
  }
  return text_finish (&x);
}
