/* test-convergence — the hello task learns as fast as it does in PyTorch.
 *
 * For seeds 0–9 and each of rnn_tanh, lstm and gru, train the course's
 * setup (Embedding(4, 10), 2 layers, H = 8, Adam 0.05) and count the
 * epochs until the prediction of that epoch's forward pass is exactly
 * "ohlol" for the first time. Our seeds draw different initial weights
 * than torch.manual_seed does, so single runs differ; the medians over ten
 * seeds must be at most twice PyTorch's, which make_fixtures.py
 * --convergence measured with Debian's torch (convergence.json). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-file.h"
#include "gs-test.h"
#include "gs-train.h"

#define CAP 200

static int
cmp_int (const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

static double
median10 (int *v)
{
  qsort (v, 10, sizeof (int), cmp_int);
  return (v[4] + v[5]) / 2.0;
}

static int
epochs_to_ohlol (GsCell cell, uint64_t seed)
{
  GsTrainConfig c;
  GsError err;
  GsTrainer *tr;
  int epochs = CAP;

  gs_train_config_default (&c);
  c.cell = cell;
  c.seed = seed;
  c.epochs = CAP;
  tr = gs_trainer_new (&c, &err);
  if (!GS_CHECK (tr != NULL, "trainer: %s", tr ? "" : err.msg))
    return CAP;
  for (int e = 1; e <= CAP; e++) {
    char pred[16];
    if (!GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "%s seed %lu epoch %d: %s",
                   gs_cell_name (cell), (unsigned long) seed, e, err.msg))
      break;
    gs_task_decode_prediction (&tr->task, tr->model, 0, pred, sizeof pred);
    if (strcmp (pred, "ohlol") == 0) {
      GS_CHECK (gs_task_all_correct (tr->model, 0), "decode and all_correct agree");
      epochs = e;
      break;
    }
  }
  gs_trainer_free (tr);
  return epochs;
}

int
main (int argc, char **argv)
{
  static const GsCell cells[] = { GS_CELL_RNN_TANH, GS_CELL_LSTM, GS_CELL_GRU };
  unsigned char *json = NULL;
  size_t len;
  GsError err;
  cJSON *ref;

  if (argc != 2) {
    fprintf (stderr, "usage: test-convergence convergence.json\n");
    return 2;
  }
  if (!GS_CHECK (gs_file_read (argv[1], 1 << 20, &json, &len, &err) == GS_OK, "%s", err.msg))
    return gs_test_finish ("convergence");
  ref = cJSON_Parse ((const char *) json);
  GS_CHECK (ref != NULL, "%s parses", argv[1]);

  printf ("  cell       ours (seeds 0-9)                      median   torch median\n");
  for (size_t i = 0; ref && i < sizeof cells / sizeof cells[0]; i++) {
    const char *name = gs_cell_name (cells[i]);
    cJSON *entry = cJSON_GetObjectItem (ref, name);
    cJSON *tm = entry ? cJSON_GetObjectItem (entry, "median") : NULL;
    int e[10];
    double ours, theirs;
    char list[64] = "";

    if (!GS_CHECK (cJSON_IsNumber (tm), "%s: torch median in the reference", name))
      continue;
    theirs = tm->valuedouble;
    for (int s = 0; s < 10; s++) {
      e[s] = epochs_to_ohlol (cells[i], (uint64_t) s);
      snprintf (list + strlen (list), sizeof list - strlen (list), "%d ", e[s]);
    }
    ours = median10 (e);
    printf ("  %-9s  %-36s  %6.1f   %6.1f\n", name, list, ours, theirs);
    GS_CHECK (ours <= 2.0 * theirs, "%s: median %.1f epochs to ohlol is more than twice PyTorch's %.1f",
              name, ours, theirs);
    GS_CHECK (ours < CAP, "%s: converges within %d epochs", name, CAP);
  }
  cJSON_Delete (ref);
  free (json);
  return gs_test_finish ("convergence");
}
