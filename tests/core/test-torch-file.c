/* test-torch-file.c — the restricted torch.save reader, without PyTorch:
 *   1. the course's hello.pt gives exactly the weights of the same model
 *      saved as safetensors;
 *   2. an LSTM under other module names (embedding / lstm / out),
 *      bidirectional with proj_size, gets its configuration from the tensors;
 *   3. a pickle that calls os.system is refused and runs nothing;
 *   4. a run configured from a file (GsTrainConfig.init, what the window
 *      opens) starts from its weights, and one whose task it does not fit
 *      is refused with the file and the reason;
 *   5. every truncation of hello.pt is refused with a message, and every
 *      one-byte change is either refused or read (never a crash: the ASan
 *      build of `make check` runs this too).
 * The fixtures come from tests/reference/make_torch_fixtures.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-file.h"
#include "gs-safetensors.h"
#include "gs-test.h"
#include "gs-torch-file.h"
#include "gs-train.h"

static char dir[512];

static void
fixture (char *out, size_t size, const char *name)
{
  snprintf (out, size, "%s/torch/%s", dir, name);
}

static void
test_hello (void)
{
  char pt[600], st[600];
  GsError err = { "" };
  GsModel *a, *b;

  fixture (pt, sizeof pt, "hello.pt");
  fixture (st, sizeof st, "hello.safetensors");
  a = gs_model_load (pt, NULL, &err);
  GS_CHECK (a != NULL, "hello.pt: %s", err.msg);
  b = gs_model_load (st, NULL, &err);
  GS_CHECK (b != NULL, "hello.safetensors: %s", err.msg);
  if (a != NULL && b != NULL) {
    GS_CHECK (a->cfg.cell == GS_CELL_RNN_TANH && a->cfg.L == 2 && a->cfg.H == 8 && a->cfg.E == 10
              && a->cfg.V == 4 && a->cfg.O == 4 && a->cfg.input == GS_INPUT_EMBED,
              "hello.pt: the course's model (cell %d, L %d, H %d, E %d)", a->cfg.cell, a->cfg.L, a->cfg.H,
              a->cfg.E);
    GS_CHECK (a->n_params == b->n_params
              && memcmp (a->params_mem, b->params_mem, a->n_params * sizeof *a->params_mem) == 0,
              "hello.pt and hello.safetensors hold the same weights, bit for bit");
  }
  gs_model_free (a);
  gs_model_free (b);
}

static void
test_other_names (void)
{
  char pt[600];
  GsError err = { "" };
  GsModelLoadOptions opts = { 0 };
  GsModel *m;

  fixture (pt, sizeof pt, "lstm-other.pt");
  m = gs_model_load_with (pt, &opts, NULL, &err);
  GS_CHECK (m != NULL, "lstm-other.pt: %s", err.msg);
  if (m != NULL)
    GS_CHECK (m->cfg.cell == GS_CELL_LSTM && m->cfg.L == 2 && m->cfg.H == 6 && m->cfg.E == 4 && m->cfg.V == 5
              && m->cfg.O == 5 && m->cfg.variant.bidirectional && m->cfg.variant.proj == 3,
              "lstm-other.pt: a 2-layer bidirectional LSTM with proj 3");
  GS_CHECK (opts.warning[0] == '\0', "no warning for an LSTM: %s", opts.warning);
  gs_model_free (m);
}

static void
test_evil (void)
{
  char pt[600];
  GsError err = { "" };
  GsModel *m;

  unlink ("gatescope-pwned");
  fixture (pt, sizeof pt, "evil.pt");
  m = gs_model_load (pt, NULL, &err);
  GS_CHECK (m == NULL && strstr (err.msg, "system") != NULL && strstr (err.msg, "nothing in it was run") != NULL
            && strstr (err.msg, "evil.pt") != NULL, "evil.pt refused: %s", err.msg);
  GS_CHECK (access ("gatescope-pwned", F_OK) != 0, "evil.pt ran nothing");
  gs_model_free (m);
}

static void
test_start_from (void)
{
  char pt[600], other[600], warning[384];
  GsError err = { "" };
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsModel *m;

  fixture (pt, sizeof pt, "hello.pt");
  fixture (other, sizeof other, "lstm-other.pt");
  gs_train_config_default (&cfg);
  cfg.cell = GS_CELL_LSTM;   /* not kept: the file decides */
  GS_CHECK (gs_train_config_from_model (&cfg, pt, false, true, warning, sizeof warning, &err) == GS_OK,
            "config from hello.pt: %s", err.msg);
  GS_CHECK (cfg.cell == GS_CELL_RNN_TANH && cfg.H == 8 && cfg.L == 2 && cfg.E == 10 && !cfg.one_hot
            && strcmp (cfg.init, pt) == 0, "the config is hello.pt's model");
  GS_CHECK (strstr (warning, "tanh") != NULL, "an RNN file warns that it runs as tanh: '%s'", warning);
  tr = gs_trainer_new (&cfg, &err);
  m = gs_model_load (pt, NULL, &err);
  GS_CHECK (tr != NULL && m != NULL, "trainer from hello.pt: %s", err.msg);
  if (tr != NULL && m != NULL)
    GS_CHECK (tr->model->n_params == m->n_params
              && memcmp (tr->model->params_mem, m->params_mem, m->n_params * sizeof (float)) == 0,
              "the run starts from the file's weights");
  gs_trainer_free (tr);
  gs_model_free (m);

  /* The LSTM reads 5 symbols; the hello task has 4. */
  gs_train_config_default (&cfg);
  GS_CHECK (gs_train_config_from_model (&cfg, other, false, true, warning, sizeof warning, &err) == GS_OK,
            "config from lstm-other.pt: %s", err.msg);
  tr = gs_trainer_new (&cfg, &err);
  GS_CHECK (tr == NULL && strstr (err.msg, other) != NULL && strstr (err.msg, "5 symbols") != NULL,
            "a model that does not fit the task is refused: %s", err.msg);
  gs_trainer_free (tr);
}

static void
test_damage (void)
{
  char pt[600];
  GsError err = { "" };
  unsigned char *data = NULL, *copy;
  size_t len = 0;
  int refused = 0, read_ok = 0, silent = 0;

  fixture (pt, sizeof pt, "hello.pt");
  if (!GS_CHECK (gs_file_read (pt, 1 << 20, &data, &len, &err) == GS_OK, "read: %s", err.msg))
    return;
  copy = malloc (len);
  for (size_t n = 0; n < len; n++) {
    GsSafetensors *st;
    err.msg[0] = '\0';
    st = gs_torch_parse (data, n, &err);
    if (st != NULL)
      gs_st_free (st);
    else
      refused++;
    if (st == NULL && err.msg[0] == '\0')
      silent++;
  }
  GS_CHECK (refused == (int) len, "every truncation refused (%d of %zu)", refused, len);
  GS_CHECK (silent == 0, "%d truncations refused without a message", silent);

  refused = 0;
  for (size_t i = 0; copy != NULL && i < len; i++) {
    GsSafetensors *st;
    memcpy (copy, data, len);
    copy[i] ^= (unsigned char) (i % 7 == 0 ? 0xff : 1u << (i % 8));
    err.msg[0] = '\0';
    st = gs_torch_parse (copy, len, &err);
    if (st == NULL) {
      refused++;
      silent += err.msg[0] == '\0';
      continue;
    }
    read_ok++;
    /* whatever was read must still make a model or a message */
    if (gs_model_names_canonical (st, &err) == GS_OK) {
      GsModel *m = gs_model_from_safetensors (st, &err);
      gs_model_free (m);
    }
    gs_st_free (st);
  }
  GS_CHECK (silent == 0, "%d changed files refused without a message", silent);
  GS_CHECK (refused > 0 && read_ok > 0, "one-byte changes: %d refused, %d read (weights change freely)",
            refused, read_ok);
  free (copy);
  free (data);
}

int
main (int argc, char **argv)
{
  if (argc != 2) {
    fprintf (stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
    return 2;
  }
  snprintf (dir, sizeof dir, "%s", argv[1]);
  test_hello ();
  test_other_names ();
  test_evil ();
  test_start_from ();
  test_damage ();
  return gs_test_finish ("torch-file");
}
