/* test-variants — the cell variants outside the gradient checks.
 *
 * 1. Initialisation: the forget-gate bias (and 0 asked for explicitly),
 *    IRNN's identity, plain PyTorch init when nothing is asked.
 * 2. Unused f rows (CIFG, no forget gate), i rows (no input gate) and o rows
 *    (no output gate) get exactly zero gradient; g and h without their
 *    activation functions.
 * 3. Shapes: projection and bidirectional tensors, h_n and c_n.
 * 4. Dropout masks, statistically: the fraction of zeros is p within 4
 *    binomial standard deviations, kept units are scaled by exactly
 *    1/(1 − p), the same seed draws the same masks, and over many masks the
 *    mean of a dropped layer input is the undropped one; no dropout when not
 *    training.
 * 5. Model files: every variant saved and loaded back (metadata, tensors,
 *    outputs), and files whose metadata contradicts their tensors refused.
 * 6. The snapshot of a bidirectional, projected, peephole model.
 * 7. The table of variants (gs-variant-table.h): every row turned on alone
 *    passes validation for a cell it applies to and is refused, with its
 *    message, for one it does not; its range message is given for a value
 *    out of range; it round-trips through a model file under its metadata
 *    key; every refused pair is refused with its message; names, keys and
 *    flags are unique and found again by their look-ups.
 * 8. Every row, alone and all together, round-trips through the variant
 *    spec (gs_variant_format / gs_variant_parse) that the settings panel
 *    keeps in its one GSettings key, cell-variant; the schema has it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-safetensors.h"
#include "gs-snapshot.h"
#include "gs-task-experiment.h"
#include "gs-test.h"
#include "gs-test-models.h"
#include "gs-variant-table.h"

static char tmpdir[256];

/* ───────────────────────── 1. initialisation ───────────────────────── */

static void
check_init (void)
{
  GsVariant fb1 = { .forget_bias = 1.0f }, fb0 = { .forget_bias_set = true }, irnn = { .irnn = true };
  GsVariant bi = { .forget_bias = 2.5f, .bidirectional = true };
  GsModel *m;
  const int H = 5;
  bool ok;

  GS_CHECK (gs_variant_is_plain (&(GsVariant) { 0 }) && !gs_variant_is_plain (&fb0),
            "all-zero is plain; forget_bias_set with 0 is not");
  m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 2, H, 3, 1, 1, &fb1, 1.0f);
  ok = true;
  for (int k = 0; k < 2; k++)
    for (int j = 0; j < 4 * H; j++) {
      bool f = j >= H && j < 2 * H;
      ok &= !f || (m->p.layer[k].b_ih[j] == 1.0f && m->p.layer[k].b_hh[j] == 0.0f);
      ok &= f || (m->p.layer[k].b_ih[j] != 1.0f && fabsf (m->p.layer[k].b_ih[j]) <= 1.0f / sqrtf ((float) H));
    }
  GS_CHECK (ok, "forget bias 1: b_if = 1, b_hf = 0, the other rows PyTorch's init");
  gs_model_free (m);

  m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 1, H, 3, 1, 1, &fb0, 1.0f);
  ok = true;
  for (int j = H; j < 2 * H; j++)
    ok &= m->p.layer[0].b_ih[j] == 0.0f && m->p.layer[0].b_hh[j] == 0.0f;
  GS_CHECK (ok, "forget bias 0 asked for explicitly: b_if = b_hf = 0");
  gs_model_free (m);

  m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_ONEHOT, GS_LOSS_CE, 2, H, 3, 1, 1, &bi, 1.0f);
  GS_CHECK (m->p.rev[1].b_ih[H] == 2.5f && m->p.rev[1].b_hh[H] == 0.0f,
            "forget bias applies to the reverse direction too");
  gs_model_free (m);

  m = gs_test_model_new_variant (GS_CELL_RNN_RELU, GS_INPUT_EMBED, GS_LOSS_CE, 2, H, 3, 1, 1, &irnn, 1.0f);
  ok = true;
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < H; i++) {
      for (int j = 0; j < H; j++)
        ok &= m->p.layer[k].W_hh[i * H + j] == (i == j ? 1.0f : 0.0f);
      ok &= m->p.layer[k].b_ih[i] == 0.0f && m->p.layer[k].b_hh[i] == 0.0f;
    }
  }
  GS_CHECK (ok, "irnn: W_hh = I, b_ih = b_hh = 0 in every layer");
  gs_model_free (m);

  /* the experiment sets its forget bias through the variant */
  {
    const GsExperiment *e = gs_experiment_find ("temporal_order");
    GsTrainConfig tc;
    GS_CHECK (e != NULL, "temporal_order experiment exists");
    if (e) {
      gs_experiment_config (e, GS_CELL_LSTM, 3, 10, &tc);
      GS_CHECK (tc.variant.forget_bias_set && tc.variant.forget_bias == 1.0f,
                "temporal_order experiment: LSTM forget bias 1 as a variant");
      gs_experiment_config (e, GS_CELL_RNN_TANH, 3, 10, &tc);
      GS_CHECK (gs_variant_is_plain (&tc.variant), "temporal_order experiment: RNN plain");
    }
  }
}

/* ───────────────────────── 2. unused f rows ───────────────────────── */

static void
check_unused_forget_rows (void)
{
  GsVariant cases[2] = { { .cifg = true, .peephole = true }, { .no_forget_gate = true, .peephole = true } };

  for (int i = 0; i < 2; i++) {
    GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 2, 4, 6, 2, 3, &cases[i], 1.0f);
    const int H = 4;
    bool zero = true, other = false;
    gs_model_zero_grad (m);
    gs_model_forward (m);
    gs_model_backward (m);
    for (int k = 0; k < 2; k++) {
      const GsLayerParams *g = &m->g.layer[k];
      const int I = gs_config_layer_input (&m->cfg, k);
      for (int j = H; j < 2 * H; j++) {
        zero &= g->b_ih[j] == 0.0f && g->b_hh[j] == 0.0f && g->w_ch[j] == 0.0f;
        for (int c = 0; c < I; c++)
          zero &= g->W_ih[j * I + c] == 0.0f;
        for (int c = 0; c < H; c++)
          zero &= g->W_hh[j * H + c] == 0.0f;
      }
      other |= g->b_ih[0] != 0.0f;
    }
    GS_CHECK (zero && other, "%s: the f rows' gradients are exactly zero (the others are not)",
              i == 0 ? "cifg" : "no forget gate");
    /* and the f activations are what the variant says */
    {
      const GsLayerState *S = &m->layer[0];
      bool f_ok = true;
      for (int t = 0; t < m->T * m->B; t++)
        for (int u = 0; u < H; u++) {
          float ig = S->act[t * 4 * H + u], fg = S->act[t * 4 * H + H + u];
          f_ok &= i == 0 ? fg == 1.0f - ig : fg == 1.0f;
        }
      GS_CHECK (f_ok, "%s: f = %s", i == 0 ? "cifg" : "no forget gate", i == 0 ? "1 − i" : "1");
    }
    gs_model_free (m);
  }
}

/* The other removed gates and activation functions of Greff et al.: the
 * removed gate's rows get exactly zero gradient and its activation is 1;
 * without an activation function g is its pre-activation and h = o ⊙ c,
 * exactly. */
static void
check_removed_gates (void)
{
  GsVariant cases[3] = { { .no_input_gate = true, .peephole = true }, { .no_output_gate = true, .peephole = true },
                         { .no_input_act = true, .no_output_act = true } };
  const char *names[3] = { "no input gate", "no output gate", "no activation functions" };
  const int H = 4, G = 4;

  for (int i = 0; i < 3; i++) {
    GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 2, 4, 6, 2, 5, &cases[i], 1.0f);
    const int row = i == 0 ? 0 : 3 * H;   /* the rows of i or o */
    bool zero = true, other = false, acts = true;
    gs_model_zero_grad (m);
    gs_model_forward (m);
    gs_model_backward (m);
    for (int k = 0; k < 2; k++) {
      const GsLayerParams *g = &m->g.layer[k];
      const GsLayerState *S = &m->layer[k];
      const int I = gs_config_layer_input (&m->cfg, k);
      if (i < 2)
        for (int j = row; j < row + H; j++) {
          zero &= g->b_ih[j] == 0.0f && g->b_hh[j] == 0.0f && g->w_ch[i == 0 ? j : 2 * H + j - row] == 0.0f;
          for (int c = 0; c < I; c++)
            zero &= g->W_ih[j * I + c] == 0.0f;
          for (int c = 0; c < H; c++)
            zero &= g->W_hh[j * H + c] == 0.0f;
        }
      other |= g->b_ih[H] != 0.0f;
      for (int tb = 0; tb < m->T * m->B; tb++)
        for (int u = 0; u < H; u++) {
          const float *a = S->act + (size_t) tb * G * H, *pre = S->pre + (size_t) tb * G * H;
          if (i < 2)
            acts &= a[row + u] == 1.0f && pre[row + u] == 0.0f;
          else
            acts &= a[2 * H + u] == pre[2 * H + u]
                    && S->h[(size_t) tb * H + u] == a[3 * H + u] * S->c[(size_t) tb * H + u];
        }
    }
    if (i < 2)
      GS_CHECK (zero && other, "%s: the removed gate's gradients are exactly zero (the others are not)", names[i]);
    GS_CHECK (acts, "%s: %s", names[i], i == 0 ? "i = 1" : i == 1 ? "o = 1" : "g = pre_g and h = o ⊙ c");
    gs_model_free (m);
  }
}

/* ───────────────────────── 3. shapes ───────────────────────── */

static void
check_shapes (void)
{
  GsVariant v = { .proj = 3, .bidirectional = true, .peephole = true };
  GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 2, 5, 4, 2, 4, &v, 1.0f);
  GsTensorInfo t[GS_MAX_TENSORS];
  int n = gs_config_tensors (&m->cfg, t);
  const char *want[] = {
    "emb.weight",
    "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_hr_l0", "rnn.weight_ch_l0",
    "rnn.weight_ih_l0_reverse", "rnn.weight_hh_l0_reverse", "rnn.bias_ih_l0_reverse", "rnn.bias_hh_l0_reverse",
    "rnn.weight_hr_l0_reverse", "rnn.weight_ch_l0_reverse",
    "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "rnn.weight_hr_l1", "rnn.weight_ch_l1",
    "rnn.weight_ih_l1_reverse", "rnn.weight_hh_l1_reverse", "rnn.bias_ih_l1_reverse", "rnn.bias_hh_l1_reverse",
    "rnn.weight_hr_l1_reverse", "rnn.weight_ch_l1_reverse",
    "fc.weight", "fc.bias",
  };
  bool names = n == (int) (sizeof want / sizeof want[0]);
  float h_n[2 * 2 * 2 * 3], c_n[2 * 2 * 2 * 5];

  for (int i = 0; names && i < n; i++)
    names &= strcmp (t[i].name, want[i]) == 0;
  GS_CHECK (names, "tensor names in PyTorch's named_parameters order (%d tensors)", n);
  GS_CHECK (t[1].shape[0] == 20 && t[1].shape[1] == 3 && t[2].shape[1] == 3 && t[5].shape[0] == 3
            && t[5].shape[1] == 5 && t[6].shape[0] == 15 && t[13].shape[1] == 6 && t[25].shape[1] == 6,
            "shapes: W_ih_l0 (4H, E), W_hh (4H, P), W_hr (P, H), w_ch (3H), W_ih_l1 (4H, 2P), fc (O, 2P)");
  GS_CHECK (m->n_params == t[n - 1].offset + t[n - 1].numel && m->n_params == gs_config_num_params (&m->cfg),
            "parameter count %zu", m->n_params);
  gs_model_forward (m);
  gs_model_final_state (m, h_n, c_n);
  /* h_n (L·D, B, P): layer 1 reverse, batch 1 is its state at t = 0 */
  GS_CHECK (memcmp (h_n + (3 * 2 + 1) * 3, m->rev[1].h + 1 * 3, 3 * sizeof (float)) == 0
            && memcmp (h_n + (2 * 2 + 0) * 3, m->layer[1].h + ((size_t) 3 * 2) * 3, 3 * sizeof (float)) == 0
            && memcmp (c_n + (1 * 2 + 1) * 5, m->rev[0].c + 5, 5 * sizeof (float)) == 0,
            "h_n/c_n in PyTorch's (L·D, B, ·) order");
  gs_model_free (m);
}

/* ───────────────────────── 4. dropout masks ───────────────────────── */

static void
check_dropout_masks (void)
{
  const float p = 0.3f, q = 0.2f;
  GsVariant v = { .dropout = p, .recurrent_dropout = q, .bidirectional = true };
  GsModel *a = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 3, 40, 50, 8, 6, &v, 1.0f);
  GsModel *b, *eval;
  GsError err;
  GsRng ra, rb;
  size_t n = 0, zeros = 0, bad_scale = 0, rn = 0, rzeros = 0;
  double sd, frac;
  float *x0, *mean;
  const size_t NX = (size_t) a->T * a->B * gs_config_layer_input (&a->cfg, 1);
  const int draws = 200;

  /* not training: no masks, the layer input is the layer below's output */
  gs_model_forward (a);
  GS_CHECK (!a->masks_on, "no dropout unless training");
  x0 = malloc (NX * sizeof *x0);
  mean = calloc (NX, sizeof *mean);
  memcpy (x0, a->layer[1].x, NX * sizeof *x0);
  eval = gs_model_clone_params (a, &err);
  gs_test_model_copy_sequence (eval, a);
  gs_model_forward (eval);
  GS_CHECK (memcmp (eval->logits, a->logits, sizeof (float) * a->T * a->B * a->cfg.O) == 0,
            "a fresh model (evaluation) computes what a non-training model does");

  gs_rng_seed (&ra, 42);
  gs_model_set_training (a, true, &ra);
  gs_test_model_reload (a);
  GS_CHECK (a->masks_on, "training draws masks");
  for (int k = 1; k < 3; k++)
    for (size_t i = 0; i < NX; i++) {
      float mk = a->layer[k].xmask[i];
      n++;
      zeros += mk == 0.0f;
      bad_scale += mk != 0.0f && mk != 1.0f / (1.0f - p);
    }
  sd = sqrt (p * (1.0 - p) / (double) n);
  frac = (double) zeros / (double) n;
  printf ("  dropout %.2f: %zu of %zu zeros (%.4f, binomial s.d. %.4f)\n", (double) p, zeros, n, frac, sd);
  GS_CHECK (fabs (frac - p) <= 4.0 * sd, "dropout: fraction of zeros %.4f is %.2f ± 4 s.d. (%.4f)", frac,
            (double) p, 4.0 * sd);
  GS_CHECK (bad_scale == 0, "dropout: every kept unit is scaled by exactly 1/(1 − p) (%zu not)", bad_scale);
  for (int k = 0; k < 3; k++)
    for (int d = 0; d < 2; d++)
      for (size_t i = 0; i < (size_t) a->B * a->P; i++) {
        float mk = (d ? a->rev[k] : a->layer[k]).rmask[i];
        rn++;
        rzeros += mk == 0.0f;
        bad_scale += mk != 0.0f && mk != 1.0f / (1.0f - q);
      }
  sd = sqrt (q * (1.0 - q) / (double) rn);
  frac = (double) rzeros / (double) rn;
  printf ("  recurrent dropout %.2f: %zu of %zu zeros (%.4f, binomial s.d. %.4f)\n", (double) q, rzeros, rn, frac, sd);
  GS_CHECK (fabs (frac - q) <= 4.0 * sd, "recurrent dropout: fraction of zeros %.4f is %.2f ± 4 s.d. (%.4f)",
            frac, (double) q, 4.0 * sd);
  GS_CHECK (bad_scale == 0, "recurrent dropout: kept units scaled by exactly 1/(1 − p)");

  /* same seed, same masks; another seed, others */
  b = gs_model_clone_params (a, &err);
  gs_rng_seed (&rb, 42);
  gs_model_set_training (b, true, &rb);
  gs_test_model_copy_sequence (b, a);
  GS_CHECK (memcmp (a->layer[2].xmask, b->layer[2].xmask, NX * sizeof (float)) == 0
            && memcmp (a->rev[1].rmask, b->rev[1].rmask, (size_t) a->B * a->P * sizeof (float)) == 0,
            "the same seed draws the same masks");
  gs_rng_seed (&rb, 43);
  gs_test_model_copy_sequence (b, a);
  GS_CHECK (memcmp (a->layer[2].xmask, b->layer[2].xmask, NX * sizeof (float)) != 0,
            "another seed draws other masks");

  /* E[mask ⊙ h] = h: the mean of layer 1's input over many masks. Layer 0
   * sees the same recurrent masks in every draw only if q = 0, so drop them
   * for this part. */
  {
    GsVariant v2 = v;
    GsModel *c;
    GsConfig cfg = a->cfg;
    double worst = 0.0, scale = 0.0;
    v2.recurrent_dropout = 0.0f;
    cfg.variant = v2;
    c = gs_model_new (&cfg, &err);
    memcpy (c->params_mem, a->params_mem, sizeof (float) * a->n_params);
    gs_rng_seed (&rb, 7);
    gs_model_set_training (c, true, &rb);
    for (int r = 0; r < draws; r++) {
      gs_test_model_copy_sequence (c, a);
      gs_model_forward_seq (c);
      for (size_t i = 0; i < NX; i++)
        mean[i] += c->layer[1].x[i] / (float) draws;
    }
    for (size_t i = 0; i < NX; i++) {
      worst = fmax (worst, fabs ((double) mean[i] - (double) x0[i]));
      scale = fmax (scale, fabs ((double) x0[i]));
    }
    /* per element the mean has s.d. |x|·√(p/(1−p)/draws) ≈ 0.046|x|: 5 s.d. */
    printf ("  mean of the dropped input over %d masks: max |mean − undropped| %.3f (max |x| %.3f)\n",
            draws, worst, scale);
    GS_CHECK (worst <= 5.0 * sqrt (p / (1.0 - p) / draws) * scale,
              "dropout keeps the expected input: max |mean − x| %.3f", worst);
    gs_model_free (c);
  }
  free (x0);
  free (mean);
  gs_model_free (eval);
  gs_model_free (b);
  gs_model_free (a);
}

/* ───────────────────────── 5. model files ───────────────────────── */

typedef struct {
  const char *name;
  GsCell      cell;
  GsVariant   v;
  int         L;
  const char *key, *value;   /* one metadata entry the file must have */
} FileCase;

static const FileCase file_cases[] = {
  { "forget bias 1",   GS_CELL_LSTM,     { .forget_bias = 1.0f }, 1, "forget_bias", "1" },
  { "forget bias 0",   GS_CELL_LSTM,     { .forget_bias_set = true }, 1, "forget_bias", "0" },
  { "peephole",        GS_CELL_LSTM,     { .peephole = true }, 2, "peephole", "1" },
  { "cifg",            GS_CELL_LSTM,     { .cifg = true }, 1, "cifg", "1" },
  { "no forget gate",  GS_CELL_LSTM,     { .no_forget_gate = true }, 1, "no_forget_gate", "1" },
  { "no input gate",   GS_CELL_LSTM,     { .no_input_gate = true }, 1, "no_input_gate", "1" },
  { "no output gate",  GS_CELL_LSTM,     { .no_output_gate = true }, 1, "no_output_gate", "1" },
  { "no input act",    GS_CELL_LSTM,     { .no_input_act = true }, 1, "no_input_act", "1" },
  { "no output act",   GS_CELL_LSTM,     { .no_output_act = true }, 1, "no_output_act", "1" },
  { "fgr",             GS_CELL_LSTM,     { .full_gate_recurrence = true, .bidirectional = true }, 2,
                                           "full_gate_recurrence", "1" },
  { "cell clip",       GS_CELL_LSTM,     { .cell_clip = 3.0f }, 1, "cell_clip", "3" },
  { "proj",            GS_CELL_LSTM,     { .proj = 4 }, 2, "proj", "4" },
  { "gru reset",       GS_CELL_GRU,      { .gru_reset_before = true }, 1, "gru_reset", "before" },
  { "irnn",            GS_CELL_RNN_RELU, { .irnn = true }, 1, "irnn", "1" },
  { "bidirectional",   GS_CELL_GRU,      { .bidirectional = true }, 2, "bidirectional", "1" },
  { "dropout",         GS_CELL_LSTM,     { .dropout = 0.2f }, 2, "dropout", "0.2" },
  { "rec. dropout",    GS_CELL_RNN_TANH, { .recurrent_dropout = 0.25f }, 1, "recurrent_dropout", "0.25" },
  { "bptt",            GS_CELL_LSTM,     { .bptt = 20 }, 1, "bptt", "20" },
  { "everything lstm", GS_CELL_LSTM,     { .forget_bias = 0.5f, .peephole = true, .cell_clip = 1.5f, .proj = 2,
                                           .bidirectional = true, .dropout = 0.1f, .recurrent_dropout = 0.1f }, 2,
                                           "cell_clip", "1.5" },
};

static bool
same_variant (const GsVariant *a, const GsVariant *b)
{
  return a->forget_bias == b->forget_bias && gs_variant_has_forget_bias (a) == gs_variant_has_forget_bias (b)
         && a->peephole == b->peephole && a->cifg == b->cifg && a->no_forget_gate == b->no_forget_gate
         && a->cell_clip == b->cell_clip && a->proj == b->proj && a->gru_reset_before == b->gru_reset_before
         && a->irnn == b->irnn && a->bidirectional == b->bidirectional && a->dropout == b->dropout
         && a->recurrent_dropout == b->recurrent_dropout && a->bptt == b->bptt
         && a->no_input_gate == b->no_input_gate && a->no_output_gate == b->no_output_gate
         && a->no_input_act == b->no_input_act && a->no_output_act == b->no_output_act
         && a->full_gate_recurrence == b->full_gate_recurrence;
}

static void
check_round_trip (void)
{
  char path[512];

  snprintf (path, sizeof path, "%s/variant.safetensors", tmpdir);
  for (size_t i = 0; i < sizeof file_cases / sizeof file_cases[0]; i++) {
    const FileCase *fc = &file_cases[i];
    GsModel *m = gs_test_model_new_variant (fc->cell, GS_INPUT_EMBED, GS_LOSS_CE, fc->L, 5, 4, 2, 8u + i, &fc->v, 1.0f);
    GsModel *back;
    GsSafetensors *st = NULL;
    GsError err = { "" };
    const char *val;

    GS_CHECK (gs_model_save (m, path, NULL, 0, &err) == GS_OK, "%s: save: %s", fc->name, err.msg);
    back = gs_model_load (path, &st, &err);
    if (!GS_CHECK (back != NULL, "%s: load: %s", fc->name, err.msg)) {
      gs_model_free (m);
      continue;
    }
    val = gs_st_meta (st, fc->key);
    GS_CHECK (val && strcmp (val, fc->value) == 0, "%s: metadata %s = \"%s\", want \"%s\"", fc->name, fc->key,
              val ? val : "(none)", fc->value);
    GS_CHECK (same_variant (&back->cfg.variant, &m->cfg.variant), "%s: the variant reads back", fc->name);
    GS_CHECK (back->n_params == m->n_params
              && memcmp (back->params_mem, m->params_mem, sizeof (float) * m->n_params) == 0,
              "%s: parameters read back bit for bit", fc->name);
    gs_test_model_copy_sequence (back, m);
    gs_model_forward (m);
    gs_model_forward (back);
    GS_CHECK (memcmp (back->logits, m->logits, sizeof (float) * m->T * m->B * m->cfg.O) == 0,
              "%s: the loaded model computes the same logits", fc->name);
    gs_st_free (st);
    gs_model_free (back);
    gs_model_free (m);
  }
}

/* Rewrites `src` with one metadata entry changed (or a tensor left out). */
static void
rewrite (const char *dst, const char *src, const char *key, const char *value, const char *drop)
{
  GsError err = { "" };
  GsSafetensors *st = gs_st_read (src, &err);
  GsStWrite w[GS_MAX_TENSORS * 2];
  float *data[GS_MAX_TENSORS * 2];
  const char *kv[64];
  int n = 0, nkv = 0;

  if (!GS_CHECK (st != NULL, "read %s: %s", src, err.msg))
    return;
  for (int i = 0; i < st->n_tensors && n < GS_MAX_TENSORS * 2; i++) {
    const GsStTensor *t = &st->tensors[i];
    size_t numel = 1;
    if (drop && strcmp (t->name, drop) == 0)
      continue;
    for (int d = 0; d < t->ndim; d++)
      numel *= (size_t) t->shape[d];
    data[n] = malloc (numel * sizeof (float));
    gs_st_get_f32 (st, t->name, data[n], numel, &err);
    memset (&w[n], 0, sizeof w[n]);
    w[n].name = t->name;
    w[n].ndim = t->ndim;
    for (int d = 0; d < t->ndim; d++)
      w[n].shape[d] = t->shape[d];
    w[n].data = data[n];
    n++;
  }
  for (int i = 0; i < st->n_meta && nkv < 30; i++) {
    if (key && strcmp (st->meta_keys[i], key) == 0)
      continue;
    kv[2 * nkv] = st->meta_keys[i];
    kv[2 * nkv + 1] = st->meta_values[i];
    nkv++;
  }
  if (key && value) {
    kv[2 * nkv] = key;
    kv[2 * nkv + 1] = value;
    nkv++;
  }
  GS_CHECK (gs_st_write (dst, w, n, kv, nkv, &err) == GS_OK, "write %s: %s", dst, err.msg);
  for (int i = 0; i < n; i++)
    free (data[i]);
  gs_st_free (st);
}

static void
expect_refused (const char *what, const char *path, const char *expect)
{
  GsError err = { "" };
  GsModel *m = gs_model_load (path, NULL, &err);

  GS_CHECK (m == NULL && strstr (err.msg, expect) != NULL, "%s: refused with \"%s\" (got \"%s\")", what, expect,
            m ? "(loaded)" : err.msg);
  gs_model_free (m);
}

static void
check_contradictions (void)
{
  char good_lstm[512], good_bi[512], bad[512], bad2[512];
  GsVariant vl = { .proj = 3, .peephole = true }, vb = { .bidirectional = true };
  GsModel *m;
  GsError err;

  snprintf (good_lstm, sizeof good_lstm, "%s/lstm.safetensors", tmpdir);
  snprintf (good_bi, sizeof good_bi, "%s/bi.safetensors", tmpdir);
  snprintf (bad, sizeof bad, "%s/bad.safetensors", tmpdir);
  snprintf (bad2, sizeof bad2, "%s/bad2.safetensors", tmpdir);
  m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 2, 5, 3, 1, 9, &vl, 1.0f);
  gs_model_save (m, good_lstm, NULL, 0, &err);
  gs_model_free (m);
  m = gs_test_model_new_variant (GS_CELL_GRU, GS_INPUT_ONEHOT, GS_LOSS_CE, 1, 5, 3, 1, 9, &vb, 1.0f);
  gs_model_save (m, good_bi, NULL, 0, &err);
  gs_model_free (m);

  rewrite (bad, good_lstm, "proj", "2", NULL);
  expect_refused ("proj contradicting weight_hr", bad, "metadata says proj 2 but tensor rnn.weight_hr_l0 has 3 rows");
  rewrite (bad, good_lstm, "peephole", "0", NULL);
  expect_refused ("peephole 0 with weight_ch", bad, "metadata says no peephole");
  rewrite (bad, good_lstm, NULL, NULL, "rnn.weight_ch_l1");
  expect_refused ("a missing peephole tensor", bad, "tensor rnn.weight_ch_l1 is missing");
  rewrite (bad, good_lstm, "cifg", "yes", NULL);
  expect_refused ("a flag that is not 0/1", bad, "metadata \"cifg\" is \"yes\"; expected 0 or 1");
  rewrite (bad, good_lstm, "cell_clip", "-2", NULL);
  expect_refused ("a negative cell clip", bad, "cell clip must be a finite number");
  rewrite (bad, good_lstm, "no_input_gate", "1", NULL);
  rewrite (bad2, bad, "cifg", "1", NULL);
  expect_refused ("no input gate with coupled gates", bad2, "need an input gate");
  rewrite (bad, good_lstm, "no_forget_gate", "1", NULL);
  {
    GsSafetensors *st;
    /* no_forget_gate alone is fine; with cifg the combination is refused */
    m = gs_model_load (bad, &st, &err);
    GS_CHECK (m != NULL && m->cfg.variant.no_forget_gate, "no_forget_gate read from metadata: %s", m ? "" : err.msg);
    gs_model_free (m);
    gs_st_free (st);
  }
  rewrite (good_lstm, bad, "cifg", "1", NULL);
  expect_refused ("cifg and no forget gate", good_lstm, "exclude each other");
  rewrite (bad, good_bi, "bidirectional", "0", NULL);
  expect_refused ("bidirectional 0 with _reverse tensors", bad, "metadata says not bidirectional");
  rewrite (bad, good_bi, NULL, NULL, "rnn.bias_hh_l0_reverse");
  expect_refused ("a missing reverse tensor", bad, "tensor rnn.bias_hh_l0_reverse is missing");
  rewrite (bad, good_bi, "gru_reset", "sideways", NULL);
  expect_refused ("an unknown reset position", bad, "expected after or before");
  rewrite (bad, good_bi, "peephole", "1", NULL);
  expect_refused ("peephole without its tensor", bad, "metadata says peephole but the file has no tensor");
  rewrite (bad, good_bi, "proj", "2", NULL);
  expect_refused ("proj without weight_hr", bad, "metadata says proj 2 but the file has no tensor");
  rewrite (bad, good_bi, "bptt", "-3", NULL);
  expect_refused ("a negative bptt", bad, "metadata \"bptt\" is \"-3\"");
  rewrite (bad, good_bi, "dropout", "0.5", NULL);
  expect_refused ("dropout with one layer", bad, "needs 2 or more layers");
  rewrite (bad, good_bi, "full_gate_recurrence", "1", NULL);
  expect_refused ("full gate recurrence without its tensor", bad,
                  "metadata says full_gate_recurrence but the file has no tensor rnn.weight_gg_l0");
  rewrite (bad, good_bi, "no_output_act", "1", NULL);
  expect_refused ("an lstm variant on a gru", bad, "removing the output activation function applies to lstm");
  {
    /* metadata keys the engine writes cannot be passed by a caller */
    const char *kv[2] = { "proj", "7" };
    m = gs_test_model_new_variant (GS_CELL_GRU, GS_INPUT_EMBED, GS_LOSS_CE, 1, 4, 3, 1, 9, NULL, 1.0f);
    GS_CHECK (gs_model_save (m, bad, kv, 1, &err) == GS_FAIL && strstr (err.msg, "\"proj\""),
              "reserved metadata key refused: %s", err.msg);
    gs_model_free (m);
  }
}

/* ───────────────────────── 6. the snapshot ───────────────────────── */

static void
check_snapshot (void)
{
  GsVariant v = { .proj = 3, .bidirectional = true, .peephole = true, .recurrent_dropout = 0.5f };
  GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 2, 5, 6, 3, 10, &v, 1.0f);
  GsSnapshot *s = gs_snapshot_new ();
  GsTask task;
  GsError err;
  GsRng rng;
  const int b = 1, B = m->B, P = 3, H = 5;
  bool ok = true;

  gs_rng_seed (&rng, 3);
  gs_model_set_training (m, true, &rng);
  gs_test_model_reload (m);
  gs_task_init (&task, "hello", &err);
  gs_model_forward_step (m);
  gs_model_forward_step (m);
  GS_CHECK (gs_snapshot_take (s, m, &task, b, GS_PHASE_FORWARD, 0, &err) == GS_OK, "take: %s", err.msg);
  GS_CHECK (s->D == 2 && s->P == P && s->rev[0].h != NULL && s->layer[0].m != NULL && s->layer[1].w_ch != NULL
            && s->rev[1].rmask != NULL, "snapshot: D, P, reverse layers, m, peepholes, masks");
  for (int t = 0; t < m->T; t++)
    for (int u = 0; u < P; u++) {
      /* the reverse directions are computed whole-sequence at the first step */
      ok &= s->rev[1].h[t * P + u] == m->rev[1].h[((size_t) t * B + b) * P + u];
      ok &= t < 2 ? s->layer[1].h[t * P + u] == m->layer[1].h[((size_t) t * B + b) * P + u]
                  : s->layer[1].h[t * P + u] == 0.0f;
    }
  for (int u = 0; u < H; u++)
    ok &= s->layer[0].m[H + u] == m->layer[0].m[((size_t) 1 * B + b) * H + u]
          && s->layer[1].w_ch[u] == m->p.layer[1].w_ch[u];
  for (int u = 0; u < P; u++)
    ok &= s->rev[0].rmask[u] == m->rev[0].rmask[(size_t) b * P + u];
  GS_CHECK (ok, "snapshot holds the model's values (reverse: all t; top forward: t < t_fwd)");
  gs_task_clear (&task);
  gs_snapshot_free (s);
  gs_model_free (m);
}

/* ───────────────────────── 7. the table of variants ───────────────────────── */

/* A cell the row applies to, and one it does not (GS_N_CELLS when none). */
static void
row_cells (int row, GsCell *yes, GsCell *no)
{
  *yes = *no = GS_N_CELLS;
  for (int c = 0; c < GS_N_CELLS; c++) {
    if (gs_variant_row_applies (row, (GsCell) c) && (*yes == GS_N_CELLS || c == GS_CELL_LSTM))
      *yes = (GsCell) c;
    if (!gs_variant_row_applies (row, (GsCell) c) && *no == GS_N_CELLS)
      *no = (GsCell) c;
  }
}

/* An allowed value that is on: 1 for switches, something inside the range. */
static double
row_value (const GsVariantInfo *r)
{
  switch (r->type) {
  case GS_VARIANT_FLOAT: return r->max_open ? 0.25 : 1.5;
  case GS_VARIANT_INT: return 3.0;
  case GS_VARIANT_BOOL:
  case GS_VARIANT_CHOICE:
  default: return 1.0;
  }
}

/* The table's messages are formats held in data (as in gs_variant_validate). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
check_table (void)
{
  const int H = 5, L = 2;
  char path[512], want[512];

  snprintf (path, sizeof path, "%s/table.safetensors", tmpdir);
  GS_CHECK (gs_variant_table_len >= 17, "the table holds every variant (%d rows)", gs_variant_table_len);
  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    GsVariant v = { 0 }, plain = { 0 };
    GsCell yes, no;
    GsError err = { "" };

    GS_CHECK (gs_variant_find (r->name) == i && gs_variant_find_flag (r->cli_flag) == i
              && gs_variant_find_meta_key (r->meta_key) == i,
              "%s: its name, flag and key are unique", r->name);
    GS_CHECK (r->label != NULL && r->label[0] != '\0', "%s: has a label", r->name);
    GS_CHECK (r->type != GS_VARIANT_CHOICE || (r->choice_off != NULL && r->choice_on != NULL),
              "%s: a choice has its two words", r->name);
    GS_CHECK (!gs_variant_row_on (&plain, i), "%s: off in the plain variant", r->name);
    row_cells (i, &yes, &no);
    gs_variant_row_set (&v, i, row_value (r));
    GS_CHECK (gs_variant_row_on (&v, i) && !gs_variant_is_plain (&v), "%s: on once set", r->name);
    GS_CHECK (gs_variant_validate (&v, yes, H, L, &err) == GS_OK, "%s on %s: valid: %s",
              r->name, gs_cell_name (yes), err.msg);

    /* refused for another cell, with the row's message */
    if (no != GS_N_CELLS) {
      GS_CHECK (r->cells_msg != NULL, "%s: has a message for the cells it does not apply to", r->name);
      snprintf (want, sizeof want, r->cells_msg, gs_cell_name (no));
      GS_CHECK (gs_variant_validate (&v, no, H, L, &err) == GS_FAIL && strcmp (err.msg, want) == 0,
                "%s on %s: refused with \"%s\", got \"%s\"", r->name, gs_cell_name (no), want, err.msg);
    }

    /* out of range, with the row's message */
    if (r->range_msg != NULL) {
      GsVariant bad = { 0 };
      const double x = r->type == GS_VARIANT_INT ? (r->max_is_hidden ? H : -1) : (r->max_open ? 1.0 : -200.0);

      gs_variant_row_set (&bad, i, x);
      if (r->range_args == GS_VARIANT_MSG_VALUE)
        snprintf (want, sizeof want, r->range_msg, (int) x);
      else if (r->range_args == GS_VARIANT_MSG_LIMIT_VALUE)
        snprintf (want, sizeof want, r->range_msg, H - 1, (int) x);
      else
        snprintf (want, sizeof want, "%s", r->range_msg);
      GS_CHECK (gs_variant_validate (&bad, yes, H, L, &err) == GS_FAIL && strcmp (err.msg, want) == 0,
                "%s = %g: refused with \"%s\", got \"%s\"", r->name, x, want, err.msg);
    }
    if (r->min_layers > 1) {
      snprintf (want, sizeof want, "%s", r->layers_msg);
      GS_CHECK (gs_variant_validate (&v, yes, H, r->min_layers - 1, &err) == GS_FAIL && strcmp (err.msg, want) == 0,
                "%s with %d layer(s): refused with \"%s\", got \"%s\"", r->name, r->min_layers - 1, want, err.msg);
    }

    /* the model file: written under its key, read back the same */
    {
      GsModel *m = gs_test_model_new_variant (yes, GS_INPUT_EMBED, GS_LOSS_CE, L, H, 4, 2, 70u + (unsigned) i, &v, 1.0f);
      GsSafetensors *st = NULL;
      GsModel *back;

      if (!GS_CHECK (m != NULL, "%s: model", r->name))
        continue;
      GS_CHECK (gs_model_save (m, path, NULL, 0, &err) == GS_OK, "%s: save: %s", r->name, err.msg);
      back = gs_model_load (path, &st, &err);
      if (GS_CHECK (back != NULL, "%s: load: %s", r->name, err.msg)) {
        GS_CHECK (gs_st_meta (st, r->meta_key) != NULL, "%s: metadata key %s written", r->name, r->meta_key);
        GS_CHECK (gs_variant_row_get (&back->cfg.variant, i) == gs_variant_row_get (&v, i)
                  && gs_variant_row_on (&back->cfg.variant, i), "%s: read back %g, wrote %g", r->name,
                  gs_variant_row_get (&back->cfg.variant, i), gs_variant_row_get (&v, i));
        GS_CHECK (same_variant (&back->cfg.variant, &v), "%s: the rest of the variant is unchanged", r->name);
        gs_model_free (back);
      }
      gs_st_free (st);
      gs_model_free (m);
    }
  }

  /* every refused pair, with its message */
  for (int k = 0; k < gs_variant_refusals_len; k++) {
    const GsVariantRefusal *no = &gs_variant_refusals[k];

    for (int j = 0; j < gs_variant_table_len; j++) {
      GsVariant v = { 0 };
      GsError err = { "" };
      GsCell yes, other;

      if ((no->others & (1u << j)) == 0)
        continue;
      gs_variant_row_set (&v, no->a, row_value (&gs_variant_table[no->a]));
      gs_variant_row_set (&v, j, row_value (&gs_variant_table[j]));
      row_cells (no->a, &yes, &other);
      GS_CHECK (gs_variant_validate (&v, yes, H, L, &err) == GS_FAIL && strcmp (err.msg, no->msg) == 0,
                "%s with %s: refused with \"%s\", got \"%s\"", gs_variant_table[no->a].name,
                gs_variant_table[j].name, no->msg, err.msg);
    }
  }
}
#pragma GCC diagnostic pop

/* ───────────────────────── 8. the variant spec and the GSettings schema ───────────────────────── */

static void
check_spec (void)
{
  GsVariant v, back;
  GsError err;
  char spec[512];

  /* Every row alone, and all of them at once, come back as they went. */
  memset (&v, 0, sizeof v);
  for (int i = 0; i < gs_variant_table_len; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const double x = r->type == GS_VARIANT_FLOAT ? 0.5 : r->type == GS_VARIANT_INT ? 3.0 : 1.0;
    GsVariant one;

    memset (&one, 0, sizeof one);
    gs_variant_row_set (&one, i, x);
    gs_variant_row_set (&v, i, x);
    gs_variant_format (spec, sizeof spec, &one);
    GS_CHECK (strstr (spec, r->cli_flag) == spec, "%s: the spec \"%s\" names its flag", r->name, spec);
    GS_CHECK (gs_variant_parse (&back, spec, &err) == GS_OK, "%s: \"%s\" parses", r->name, spec);
    GS_CHECK (memcmp (&back, &one, sizeof one) == 0, "%s: \"%s\" round-trips", r->name, spec);
  }
  GS_CHECK (gs_variant_format (spec, sizeof spec, &v) < (int) sizeof spec, "every row fits %zu bytes", sizeof spec);
  GS_CHECK (gs_variant_parse (&back, spec, &err) == GS_OK && memcmp (&back, &v, sizeof v) == 0,
            "all rows round-trip: %s", spec);
  /* A forget-gate bias of 0 is a bias, not "off". */
  memset (&v, 0, sizeof v);
  gs_variant_row_set (&v, gs_variant_find ("forget_bias"), 0.0);
  gs_variant_format (spec, sizeof spec, &v);
  GS_CHECK (strcmp (spec, "forget-bias=0") == 0, "a bias of 0 is written: %s", spec);
  GS_CHECK (gs_variant_parse (&back, spec, &err) == GS_OK && back.forget_bias_set, "and read as set");
  /* The plain cell is the empty spec; what cannot be read is refused by name. */
  memset (&v, 0, sizeof v);
  GS_CHECK (gs_variant_format (spec, sizeof spec, &v) == 0 && spec[0] == '\0', "the plain cell is \"\"");
  GS_CHECK (gs_variant_parse (&back, "", &err) == GS_OK && gs_variant_is_plain (&back), "\"\" is the plain cell");
  GS_CHECK (gs_variant_parse (&back, "peephole,wormhole", &err) != GS_OK && strstr (err.msg, "wormhole") != NULL,
            "an unknown switch is named: %s", err.msg);
  GS_CHECK (gs_variant_parse (&back, "cell-clip=x", &err) != GS_OK && strstr (err.msg, "cell-clip") != NULL,
            "a number that is none is named: %s", err.msg);
  GS_CHECK (gs_variant_parse (&back, "peephole=1", &err) != GS_OK, "a switch takes no value");
  GS_CHECK (gs_variant_parse (&back, "gru-reset=middle", &err) != GS_OK, "a choice is one of its words");
}

static bool
schema_has_key (const char *xml, const char *key, char type)
{
  char want[160];

  snprintf (want, sizeof want, "<key name=\"%s\" type=\"%c\">", key, type);
  return strstr (xml, want) != NULL;
}

/* The panel keeps the variant as one spec in one key: a new row needs no
 * schema edit. */
static void
check_schema (void)
{
  const char *src = getenv ("GS_SOURCE_DIR");
  char path[1024];
  char *xml;
  long n;
  FILE *f;

  if (!GS_CHECK (src != NULL, "GS_SOURCE_DIR is set (meson test sets it)"))
    return;
  snprintf (path, sizeof path, "%s/assets/org.gatescope.Gatescope.gschema.xml", src);
  f = fopen (path, "rb");
  if (!GS_CHECK (f != NULL, "open %s", path))
    return;
  fseek (f, 0, SEEK_END);
  n = ftell (f);
  rewind (f);
  xml = calloc ((size_t) n + 1, 1);
  if (GS_CHECK (xml != NULL && fread (xml, 1, (size_t) n, f) == (size_t) n, "read %s", path))
    GS_CHECK (schema_has_key (xml, "cell-variant", 's'), "the schema has the key cell-variant of type s");
  free (xml);
  fclose (f);
}

int
main (void)
{
  const char *base = getenv ("TMPDIR");

  snprintf (tmpdir, sizeof tmpdir, "%s/gs-test-variants-XXXXXX", base ? base : "/tmp");
  if (!GS_CHECK (mkdtemp (tmpdir) != NULL, "mkdtemp"))
    return gs_test_finish ("variants");
  check_init ();
  check_unused_forget_rows ();
  check_removed_gates ();
  check_shapes ();
  check_dropout_masks ();
  check_round_trip ();
  check_contradictions ();
  check_snapshot ();
  check_table ();
  check_spec ();
  check_schema ();
  {
    char cmd[600];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", tmpdir);
  }
  return gs_test_finish ("variants");
}
