/* gs-code.c — the PyTorch and Keras code of a run's model (gs-code.h).
 *
 * Letters as in gs-model.h: V vocabulary (or dense features), E embedding,
 * H hidden, L layers, P projection (or H), D directions, O outputs.
 */
#include "gs-code.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"

typedef struct {
  char  *buf;
  size_t len, cap;
  bool   failed;
} Code;

static void add (Code *x, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
add (Code *x, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (x->failed)
    return;
  va_start (ap, fmt);
  n = vsnprintf (NULL, 0, fmt, ap);
  va_end (ap);
  if (n < 0) {
    x->failed = true;
    return;
  }
  if (x->len + (size_t) n + 1 > x->cap) {
    size_t cap = (x->len + (size_t) n + 1) * 2;
    char *b = realloc (x->buf, cap);
    if (b == NULL) {
      x->failed = true;
      return;
    }
    x->buf = b;
    x->cap = cap;
  }
  va_start (ap, fmt);
  vsnprintf (x->buf + x->len, x->cap - x->len, fmt, ap);
  va_end (ap);
  x->len += (size_t) n;
}

static void
append_item (char *buf, size_t size, const char *item)
{
  size_t len = strlen (buf);
  snprintf (buf + len, size - len, "%s%s", len > 0 ? ", " : "", item);
}

void
gs_code_unsupported (char *buf, size_t size, const GsConfig *m, GsCodeFramework fw)
{
  const GsVariant *v = &m->variant;
  const bool lstm = m->cell == GS_CELL_LSTM;

  buf[0] = '\0';
  if (lstm && v->peephole)
    append_item (buf, size, "peepholes");
  if (lstm && v->cifg)
    append_item (buf, size, "a coupled input-forget gate (CIFG)");
  if (lstm && v->no_forget_gate)
    append_item (buf, size, "no forget gate");
  if (lstm && v->cell_clip > 0.0f)
    append_item (buf, size, "cell-state clipping");
  if (lstm && v->proj > 0 && fw == GS_CODE_KERAS)
    append_item (buf, size, "the output projection (proj_size)");
  if (m->cell == GS_CELL_GRU && v->gru_reset_before && fw == GS_CODE_PYTORCH)
    append_item (buf, size, "the reset gate before the recurrent product (Cho et al. 2014)");
  if (v->recurrent_dropout > 0.0f && fw == GS_CODE_PYTORCH)
    append_item (buf, size, "recurrent dropout");
  if (v->bptt > 0)
    append_item (buf, size, "truncated backpropagation through time");
}

static const char *
torch_module (GsCell cell)
{
  return cell == GS_CELL_LSTM ? "nn.LSTM" : cell == GS_CELL_GRU ? "nn.GRU" : "nn.RNN";
}

static void
pytorch (Code *x, const GsConfig *m, const GsTrainConfig *run)
{
  const GsVariant *v = &m->variant;
  const bool lstm = m->cell == GS_CELL_LSTM;
  const int D = gs_config_dirs (m), P = gs_config_hidden_out (m), I = gs_config_layer_input (m, 0);
  const char *in_comment;

  add (x, "import torch\nimport torch.nn as nn\n\n\n");
  add (x, "class Model(nn.Module):\n");
  add (x, "    def __init__(self):\n");
  add (x, "        super().__init__()\n");
  if (m->input == GS_INPUT_EMBED)
    add (x, "        self.emb = nn.Embedding(%d, %d)                # vocabulary %d, embedding %d\n",
         m->V, m->E, m->V, m->E);
  add (x, "        self.rnn = %s(input_size=%d, hidden_size=%d, num_layers=%d", torch_module (m->cell), I, m->H, m->L);
  if (m->cell == GS_CELL_RNN_RELU)
    add (x, ", nonlinearity='relu'");
  if (lstm && v->proj > 0)
    add (x, ", proj_size=%d", v->proj);
  if (v->dropout > 0.0f)
    add (x, ", dropout=%g", (double) v->dropout);
  if (D == 2)
    add (x, ", bidirectional=True");
  add (x, ")\n");
  add (x, "        self.fc = nn.Linear(%d, %d)\n", D * P, m->O);

  /* Initialisations PyTorch's modules do not make by themselves. */
  if (lstm && gs_variant_has_forget_bias (v)) {
    add (x, "        # The forget gate's bias starts at %g (b_if) and 0 (b_hf): rows H..2H are f.\n",
         (double) v->forget_bias);
    add (x, "        with torch.no_grad():\n");
    add (x, "            for name, p in self.rnn.named_parameters():\n");
    add (x, "                if name.startswith('bias_ih'):\n");
    add (x, "                    p[%d:%d].fill_(%g)\n", m->H, 2 * m->H, (double) v->forget_bias);
    add (x, "                elif name.startswith('bias_hh'):\n");
    add (x, "                    p[%d:%d].zero_()\n", m->H, 2 * m->H);
  }
  if (v->irnn && (m->cell == GS_CELL_RNN_TANH || m->cell == GS_CELL_RNN_RELU)) {
    add (x, "        # IRNN (Le et al. 2015): W_hh = I, biases 0.\n");
    add (x, "        with torch.no_grad():\n");
    add (x, "            for name, p in self.rnn.named_parameters():\n");
    add (x, "                if name.startswith('weight_hh'):\n");
    add (x, "                    p.copy_(torch.eye(%d))\n", m->H);
    add (x, "                elif name.startswith('bias'):\n");
    add (x, "                    p.zero_()\n");
  }

  add (x, "\n    def forward(self, x):\n");
  switch (m->input) {
  case GS_INPUT_EMBED:
    in_comment = "token ids";
    add (x, "        # x: (T, B) %s\n", in_comment);
    add (x, "        x = self.emb(x)                      # (T, B, %d)\n", m->E);
    break;
  case GS_INPUT_ONEHOT:
    in_comment = "token ids";
    add (x, "        # x: (T, B) %s\n", in_comment);
    add (x, "        x = nn.functional.one_hot(x, %d).float()  # (T, B, %d)\n", m->V, m->V);
    break;
  case GS_INPUT_DENSE:
  default:
    add (x, "        # x: (T, B, %d) features\n", m->V);
    break;
  }
  add (x, "        out, %s = self.rnn(x)          # out: (T, B, %d); h_n: (%d, B, %d)",
       lstm ? "(h_n, c_n)" : "h_n", D * P, m->L * D, P);
  if (lstm)
    add (x, "; c_n: (%d, B, %d)", m->L * D, m->H);
  add (x, "\n");
  add (x, "        return self.fc(out)                   # (T, B, %d)\n\n\n", m->O);

  add (x, "model = Model()\n");
  add (x, "print(model)\n");
  add (x, "print(sum(p.numel() for p in model.parameters()), 'parameters')\n");
  if (run != NULL) {
    static const char *const opt_class[] = { "SGD", "Adam", "RMSprop", "Adagrad" };
    const char *opt = (unsigned) run->opt.kind < 4 ? opt_class[run->opt.kind] : "Adam";

    add (x, "\ncriterion = nn.%s()\n", m->loss == GS_LOSS_MSE ? "MSELoss" : "CrossEntropyLoss");
    add (x, "optimizer = torch.optim.%s(model.parameters(), lr=%g", opt, (double) run->opt.lr);
    if ((run->opt.kind == GS_OPT_SGD || run->opt.kind == GS_OPT_RMSPROP) && run->opt.momentum != 0.0f)
      add (x, ", momentum=%g", (double) run->opt.momentum);
    add (x, ")\n");
    add (x, "# one step on a batch (x, y):\n");
    add (x, "#   optimizer.zero_grad()\n");
    if (m->loss == GS_LOSS_MSE)
      add (x, "#   loss = criterion(model(x), y)\n");
    else
      add (x, "#   loss = criterion(model(x).reshape(-1, %d), y.reshape(-1))\n", m->O);
    add (x, "#   loss.backward()\n");
    if (run->clip > 0.0f)
      add (x, "#   nn.utils.clip_grad_norm_(model.parameters(), %g)\n", (double) run->clip);
    add (x, "#   optimizer.step()\n");
  }
}

static const char *
keras_layer (GsCell cell)
{
  return cell == GS_CELL_LSTM ? "LSTM" : cell == GS_CELL_GRU ? "GRU" : "SimpleRNN";
}

static void
keras (Code *x, const GsConfig *m, const GsTrainConfig *run)
{
  const GsVariant *v = &m->variant;
  const int D = gs_config_dirs (m);

  add (x, "from tensorflow import keras\n\n");
  add (x, "# Keras is batch-first: x is (B, T%s).\n", m->input == GS_INPUT_EMBED ? "" : ", features");
  add (x, "model = keras.Sequential([\n");
  switch (m->input) {
  case GS_INPUT_EMBED:
    add (x, "    keras.Input(shape=(None,), dtype='int32'),          # (B, T) token ids\n");
    add (x, "    keras.layers.Embedding(%d, %d),\n", m->V, m->E);
    break;
  case GS_INPUT_ONEHOT:
    add (x, "    keras.Input(shape=(None, %d)),                     # (B, T, %d) one-hot vectors\n", m->V, m->V);
    break;
  case GS_INPUT_DENSE:
  default:
    add (x, "    keras.Input(shape=(None, %d)),                     # (B, T, %d) features\n", m->V, m->V);
    break;
  }
  for (int k = 0; k < m->L; k++) {
    char args[256];
    size_t len;

    if (k > 0 && v->dropout > 0.0f)
      add (x, "    keras.layers.Dropout(%g),\n", (double) v->dropout);
    len = (size_t) snprintf (args, sizeof args, "%d, return_sequences=True", m->H);
    if (m->cell == GS_CELL_RNN_RELU)
      len += (size_t) snprintf (args + len, sizeof args - len, ", activation='relu'");
    if (m->cell == GS_CELL_GRU)
      len += (size_t) snprintf (args + len, sizeof args - len, ", reset_after=%s",
                                v->gru_reset_before ? "False" : "True");
    if (m->cell == GS_CELL_LSTM)
      /* Keras starts b_f at 1 by default (unit_forget_bias); PyTorch at random. */
      len += (size_t) snprintf (args + len, sizeof args - len, ", unit_forget_bias=%s",
                                gs_variant_has_forget_bias (v) && v->forget_bias == 1.0f ? "True" : "False");
    if (v->recurrent_dropout > 0.0f)
      len += (size_t) snprintf (args + len, sizeof args - len, ", recurrent_dropout=%g", (double) v->recurrent_dropout);
    if (D == 2)
      add (x, "    keras.layers.Bidirectional(keras.layers.%s(%s)),\n", keras_layer (m->cell), args);
    else
      add (x, "    keras.layers.%s(%s),\n", keras_layer (m->cell), args);
  }
  add (x, "    keras.layers.Dense(%d),\n", m->O);
  add (x, "])\n");
  add (x, "model.summary()   # Keras counts one bias per gate: see 'gatescope-cli shapes'\n");
  if (run != NULL) {
    static const char *const opt_class[] = { "SGD", "Adam", "RMSprop", "Adagrad" };
    const char *opt = (unsigned) run->opt.kind < 4 ? opt_class[run->opt.kind] : "Adam";

    add (x, "model.compile(optimizer=keras.optimizers.%s(learning_rate=%g", opt, (double) run->opt.lr);
    if (run->clip > 0.0f)
      add (x, ", global_clipnorm=%g", (double) run->clip);
    add (x, "),\n              loss=%s)\n",
         m->loss == GS_LOSS_MSE ? "'mse'" : "keras.losses.SparseCategoricalCrossentropy(from_logits=True)");
  }
}

char *
gs_code_generate (GsCodeFramework fw, const GsConfig *model, const GsTrainConfig *run)
{
  Code x = { 0 };
  char missing[512];
  GsCNumeric scope;

  /* Python reads "0.5", whatever the user's locale. */
  gs_c_numeric_begin (&scope);
  add (&x, "# %s\n", fw == GS_CODE_PYTORCH ? "The PyTorch model of this run (written by Gatescope)."
                                           : "The Keras model closest to this run (written by Gatescope).");
  if (fw == GS_CODE_PYTORCH)
    add (&x, "# Its state_dict names are those of 'gatescope-cli train --save' files:\n"
             "# model.load_state_dict(...) reads them.\n");
  gs_code_unsupported (missing, sizeof missing, model, fw);
  if (missing[0] != '\0')
    add (&x, "# Not expressible with these layers, so left out: %s.\n", missing);
  if (fw == GS_CODE_PYTORCH)
    pytorch (&x, model, run);
  else
    keras (&x, model, run);
  gs_c_numeric_end (&scope);
  if (x.failed) {
    free (x.buf);
    return NULL;
  }
  return x.buf;
}
