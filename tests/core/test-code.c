/* test-code — the PyTorch and Keras code of a model, as text.
 *
 * What the text must say for each setting (the module, its arguments, the
 * input path, the loss and the optimizer), and that the variants PyTorch's
 * modules cannot express are named, not dropped. The code itself is
 * executed by tests/reference/code_check.py with python3-torch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-code.h"
#include "gs-test.h"

static void
expect (GsCodeFramework fw, const GsConfig *m, const GsTrainConfig *run, const char *const *want,
        const char *const *absent, const char *what)
{
  char *code = gs_code_generate (fw, m, run);

  if (!GS_CHECK (code != NULL, "%s: code", what))
    return;
  for (int i = 0; want[i] != NULL; i++)
    GS_CHECK (strstr (code, want[i]) != NULL, "%s: has “%s”", what, want[i]);
  for (int i = 0; absent != NULL && absent[i] != NULL; i++)
    GS_CHECK (strstr (code, absent[i]) == NULL, "%s: has no “%s”", what, absent[i]);
  free (code);
}

int
main (void)
{
  GsTrainConfig run;
  GsConfig m = { .cell = GS_CELL_LSTM, .input = GS_INPUT_EMBED, .loss = GS_LOSS_CE, .V = 4, .E = 10, .H = 8,
                 .L = 2, .O = 4 };

  gs_train_config_default (&run);
  run.clip = 5.0f;
  expect (GS_CODE_PYTORCH, &m, &run, (const char *const[]) {
            "self.emb = nn.Embedding(4, 10)", "self.rnn = nn.LSTM(input_size=10, hidden_size=8, num_layers=2)",
            "self.fc = nn.Linear(8, 4)", "out, (h_n, c_n) = self.rnn(x)", "nn.CrossEntropyLoss()",
            "torch.optim.Adam(model.parameters(), lr=0.05)", "clip_grad_norm_(model.parameters(), 5)", NULL },
          (const char *const[]) { "Not expressible", NULL }, "the hello LSTM");
  expect (GS_CODE_KERAS, &m, &run, (const char *const[]) {
            "keras.layers.Embedding(4, 10)", "keras.layers.LSTM(8, return_sequences=True, unit_forget_bias=False)",
            "keras.layers.Dense(4)", "global_clipnorm=5", NULL }, NULL, "the hello LSTM in Keras");

  m.cell = GS_CELL_GRU;
  m.input = GS_INPUT_ONEHOT;
  m.E = 0;
  m.variant.bidirectional = true;
  m.variant.dropout = 0.25f;
  expect (GS_CODE_PYTORCH, &m, NULL, (const char *const[]) {
            "nn.functional.one_hot(x, 4).float()", "nn.GRU(input_size=4, hidden_size=8, num_layers=2, dropout=0.25, "
            "bidirectional=True)", "nn.Linear(16, 4)", NULL },
          (const char *const[]) { "self.emb", "criterion", NULL }, "a one-hot bidirectional GRU");
  expect (GS_CODE_KERAS, &m, NULL, (const char *const[]) {
            "keras.layers.Bidirectional(keras.layers.GRU(8, return_sequences=True, reset_after=True))",
            "keras.layers.Dropout(0.25)", NULL }, NULL, "the same in Keras");

  memset (&m.variant, 0, sizeof m.variant);
  m.cell = GS_CELL_LSTM;
  m.input = GS_INPUT_DENSE;
  m.loss = GS_LOSS_MSE;
  m.V = 2;
  m.O = 1;
  m.variant.peephole = true;
  m.variant.proj = 3;
  m.variant.bptt = 5;
  expect (GS_CODE_PYTORCH, &m, &run, (const char *const[]) {
            "Not expressible with these layers, so left out: peepholes, truncated backpropagation through time.",
            "proj_size=3", "nn.Linear(3, 1)", "# x: (T, B, 2) features", "nn.MSELoss()", NULL },
          NULL, "a projected peephole LSTM on dense input");
  expect (GS_CODE_KERAS, &m, &run, (const char *const[]) {
            "left out: peepholes, the output projection (proj_size)", "loss='mse'", NULL }, NULL,
          "the same in Keras");

  memset (&m.variant, 0, sizeof m.variant);
  m.cell = GS_CELL_RNN_RELU;
  m.variant.irnn = true;
  expect (GS_CODE_PYTORCH, &m, NULL, (const char *const[]) { "nonlinearity='relu'", "torch.eye(8)", NULL }, NULL,
          "an IRNN");
  return gs_test_finish ("code");
}
