/* test-shapes — the tensors, counts and shapes the shapes panel shows.
 *
 * The course's numbers: its hello model (embedding 10, 2 layers of 8,
 * vocabulary 4) has 380 parameters as an RNN, 1,292 as an LSTM and 988 as
 * a GRU; one LSTM layer of 128 units over 100 inputs has 117,760 in PyTorch
 * and 117,248 in TensorFlow's LSTMCell, 128 × 228 per gate. For every
 * variant that changes the tensors, the total is the sum of the tensors'
 * sizes and gs_config_num_params; the Keras count drops one bias per gate
 * except for a reset-after GRU; h_n and c_n keep (L·D, B, ·) whatever
 * batch_first says. (tests/reference/code_check.py checks the same counts
 * against PyTorch's own modules.)
 *
 * Letters as in gs-model.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-recipe.h"
#include "gs-shapes.h"
#include "gs-test.h"

static GsConfig
hello_config (GsCell cell)
{
  GsConfig c = { .cell = cell, .input = GS_INPUT_EMBED, .loss = GS_LOSS_CE, .V = 4, .E = 10, .H = 8, .L = 2, .O = 4 };
  return c;
}

static void
test_hello_counts (void)
{
  static const struct { GsCell cell; size_t total, keras; } want[] = {
    { GS_CELL_RNN_TANH, 380, 380 - 2 * 8 },
    { GS_CELL_LSTM, 1292, 1292 - 2 * 32 },
    { GS_CELL_GRU, 988, 988 },   /* Keras' reset_after=True GRU keeps both biases */
  };

  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    GsConfig c = hello_config (want[i].cell);
    GsShapes s;
    GsError err;
    char *text;

    if (!GS_CHECK (gs_shapes_describe (&s, &c, 5, 1, &err) == GS_OK, "describe %s", gs_cell_name (c.cell)))
      continue;
    GS_CHECK (s.total == want[i].total, "%s: %zu parameters, the course says %zu", gs_cell_name (c.cell),
              s.total, want[i].total);
    GS_CHECK (s.total_keras == want[i].keras, "%s: Keras %zu, want %zu", gs_cell_name (c.cell), s.total_keras,
              want[i].keras);
    text = gs_shapes_format (&s);
    if (GS_CHECK (text != NULL, "text")) {
      char total[32];
      gs_shapes_group_digits (total, sizeof total, want[i].total);
      GS_CHECK (strstr (text, total) != NULL, "%s: the text shows %s", gs_cell_name (c.cell), total);
      GS_CHECK (strstr (text, "batch_first=True") != NULL, "the text shows batch_first");
      GS_CHECK (strstr (text, want[i].cell == GS_CELL_GRU ? "colah" : want[i].cell == GS_CELL_LSTM ? "forget_bias"
                              : "one bias") != NULL, "%s: the text names the conventions", gs_cell_name (c.cell));
    }
    free (text);
  }
}

static void
test_tf_lstmcell (void)
{
  /* One LSTM layer, 100 inputs, 128 units: the TensorFlow LSTMCell chapter. */
  GsConfig c = { .cell = GS_CELL_LSTM, .input = GS_INPUT_DENSE, .loss = GS_LOSS_MSE, .V = 100, .H = 128, .L = 1, .O = 1 };
  GsShapes s;
  GsError err;
  char *text;

  if (!GS_CHECK (gs_shapes_describe (&s, &c, 7, 3, &err) == GS_OK, "describe"))
    return;
  GS_CHECK (s.layer[0].pytorch == 117760, "the layer has %zu parameters in PyTorch, want 117,760", s.layer[0].pytorch);
  GS_CHECK (s.layer[0].keras == 117248, "the layer has %zu parameters in TensorFlow, want 117,248", s.layer[0].keras);
  GS_CHECK (s.layer[0].joined == 228, "each gate is 128 × %d over [h, x], want 228", s.layer[0].joined);
  GS_CHECK (strcmp (s.t[0].info.name, "rnn.weight_ih_l0") == 0 && s.t[0].info.shape[0] == 512
            && s.t[0].info.shape[1] == 100 && strcmp (s.t[0].parts, "W_ii | W_if | W_ig | W_io") == 0,
            "W_ih is (512, 100) = W_ii | W_if | W_ig | W_io: %s", s.t[0].parts);
  text = gs_shapes_format (&s);
  GS_CHECK (text != NULL && strstr (text, "117,760") && strstr (text, "117,248") && strstr (text, "(128, 228)"),
            "the text shows 117,760, 117,248 and (128, 228)");
  free (text);
}

static void
test_variants_sum (void)
{
  struct { const char *what; GsCell cell; GsVariant v; int L; } cases[] = {
    { "bidirectional gru", GS_CELL_GRU, { .bidirectional = true }, 2 },
    { "reset-before gru", GS_CELL_GRU, { .gru_reset_before = true }, 1 },
    { "projected lstm", GS_CELL_LSTM, { .proj = 3 }, 2 },
    { "bidirectional projected peephole lstm", GS_CELL_LSTM, { .proj = 5, .peephole = true, .bidirectional = true }, 3 },
    { "relu rnn", GS_CELL_RNN_RELU, { 0 }, 1 },
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    GsConfig c = { .cell = cases[i].cell, .input = GS_INPUT_ONEHOT, .loss = GS_LOSS_CE, .V = 6, .H = 7, .L = cases[i].L,
                   .O = 6, .variant = cases[i].v };
    const int D = gs_config_dirs (&c), P = gs_config_hidden_out (&c), G = gs_cell_gates (c.cell);
    GsShapes s;
    GsError err;
    size_t sum = 0, bias_hh = 0;
    char *json;

    if (!GS_CHECK (gs_shapes_describe (&s, &c, 9, 4, &err) == GS_OK, "%s: %s", cases[i].what, err.msg))
      continue;
    for (int k = 0; k < s.n; k++) {
      sum += s.t[k].info.numel;
      if (s.t[k].kind == GS_SHAPE_B_HH)
        bias_hh += s.t[k].info.numel;
    }
    GS_CHECK (sum == s.total && s.total == gs_config_num_params (&c), "%s: total %zu = Σ numel %zu = %zu",
              cases[i].what, s.total, sum, gs_config_num_params (&c));
    GS_CHECK (s.total - s.total_keras == (s.keras_biases == 2 ? 0 : bias_hh)
              && bias_hh == (size_t) (c.L * D * G * c.H),
              "%s: Keras drops b_hh (%zu) unless it keeps two biases", cases[i].what, bias_hh);
    GS_CHECK (s.keras_biases == ((c.cell == GS_CELL_GRU && !c.variant.gru_reset_before) ? 2 : 1),
              "%s: biases per gate in Keras", cases[i].what);
    GS_CHECK (s.h_n[0] == c.L * D && s.h_n[1] == 4 && s.h_n[2] == P, "%s: h_n (L·D, B, P)", cases[i].what);
    GS_CHECK (s.output[0] == 9 && s.output[1] == 4 && s.output[2] == D * P, "%s: output (T, B, D·P)", cases[i].what);
    GS_CHECK (c.cell != GS_CELL_LSTM || (s.c_n[0] == c.L * D && s.c_n[2] == c.H), "%s: c_n (L·D, B, H)",
              cases[i].what);
    json = gs_shapes_format_json (&s);
    if (GS_CHECK (json != NULL, "json")) {
      char want[128];
      snprintf (want, sizeof want, "\"batch_first\":{\"input\":[4,9],\"rnn_input\":[4,9,6],\"output\":[4,9,%d],"
                "\"h_n\":[%d,4,%d]", D * P, c.L * D, P);
      GS_CHECK (strstr (json, want) != NULL, "%s: batch_first swaps B and T except in h_n: %s", cases[i].what, want);
    }
    free (json);
  }
}

/* The model a run describes is the model its trainer builds, for every
 * task (with its recipe) and both inputs. */
static void
test_describe_run_is_the_trainers_model (void)
{
  int n;
  const GsRecipe *recipes = gs_recipes (&n);

  for (int i = 0; i < n; i++)
    for (int one_hot = 0; one_hot < 2; one_hot++) {
      GsTrainConfig cfg;
      GsTrainer *tr;
      GsShapes s;
      GsError err = { { 0 } };

      gs_train_config_default (&cfg);
      snprintf (cfg.task, sizeof cfg.task, "%s", recipes[i].task);
      gs_recipe_apply (&recipes[i], &cfg, 0);
      cfg.one_hot = one_hot;
      if (!one_hot && cfg.E == 0)
        cfg.E = 5;
      tr = gs_trainer_new (&cfg, &err);
      if (!GS_CHECK (tr != NULL, "%s: trainer: %s", cfg.task, err.msg))
        continue;
      if (GS_CHECK (gs_shapes_describe_run (&s, &cfg, 0, &err) == GS_OK, "%s: describe_run: %s", cfg.task, err.msg)) {
        GS_CHECK (memcmp (&s.cfg, &tr->model->cfg, sizeof s.cfg) == 0, "%s (one-hot %d): the trainer's model",
                  cfg.task, one_hot);
        GS_CHECK (s.total == tr->model->n_params, "%s: %zu parameters, the trainer's model %zu", cfg.task, s.total,
                  (size_t) tr->model->n_params);
        GS_CHECK (s.T == tr->task.T && s.B == cfg.B, "%s: the run's T and B", cfg.task);
      }
      gs_trainer_free (tr);
    }
}

static void
test_refuses_bad_input (void)
{
  GsConfig c = hello_config (GS_CELL_LSTM);
  GsShapes s;
  GsError err = { { 0 } };

  GS_CHECK (gs_shapes_describe (&s, &c, 0, 1, &err) == GS_FAIL && err.msg[0] != '\0', "T = 0 is refused");
  c.H = 0;
  GS_CHECK (gs_shapes_describe (&s, &c, 5, 1, &err) == GS_FAIL && strstr (err.msg, "hidden"), "H = 0 is refused");
}

int
main (void)
{
  test_hello_counts ();
  test_tf_lstmcell ();
  test_variants_sum ();
  test_describe_run_is_the_trainers_model ();
  test_refuses_bad_input ();
  return gs_test_finish ("shapes");
}
