/* test-session-file.c — a saved session goes on exactly where it was.
 *
 * For every cell, a task with dropout, an encoder–decoder task and a
 * language model on a user's corpus: N training steps, save, load, M steps
 * must give bit for bit the weights, optimizer moments, loss history and
 * last loss of N + M steps in one go. A stepper saved in the middle of a
 * sequence (forward or backward) goes on from that step. Damaged files
 * (newer version, truncated, a flipped byte, a configuration that does not
 * fit the tensors, a missing corpus) are refused with a message naming the
 * file and the fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-file.h"
#include "gs-session-file.h"
#include "gs-test.h"

static char tmpdir[256];

static void
path_in_tmp (char *out, size_t size, const char *name)
{
  snprintf (out, size, "%s/%s", tmpdir, name);
}

/* Whether two steppers hold the same run, bit for bit. */
static bool
same_run (const GsStepper *a, const GsStepper *b, const char *what)
{
  const GsTrainer *x = a->trainer, *y = b->trainer;
  bool ok = true;
  int n;

  ok &= GS_CHECK (x->model->n_params == y->model->n_params
                  && memcmp (x->model->params_mem, y->model->params_mem,
                             sizeof (float) * x->model->n_params) == 0, "%s: the weights are the same", what);
  ok &= GS_CHECK ((x->opt->m1 == NULL || memcmp (x->opt->m1, y->opt->m1, sizeof (float) * x->opt->n) == 0)
                  && (x->opt->m2 == NULL || memcmp (x->opt->m2, y->opt->m2, sizeof (float) * x->opt->n) == 0)
                  && x->opt->step == y->opt->step, "%s: the optimizer state is the same", what);
  if (x->decoder)
    ok &= GS_CHECK (memcmp (x->decoder->params_mem, y->decoder->params_mem,
                            sizeof (float) * x->decoder->n_params) == 0, "%s: the decoder's weights are the same", what);
  ok &= GS_CHECK (memcmp (&x->last_loss, &y->last_loss, sizeof (float)) == 0 && x->epoch == y->epoch,
                  "%s: the last loss (%.9g, %.9g) and epoch (%d, %d) are the same", what,
                  (double) x->last_loss, (double) y->last_loss, x->epoch, y->epoch);
  n = gs_history_n_points (a->history);
  ok &= GS_CHECK (n == gs_history_n_points (b->history) && gs_history_count (a->history) == gs_history_count (b->history),
                  "%s: the histories have the same points", what);
  for (int i = 0; ok && i < n; i++)
    ok &= GS_CHECK (memcmp (gs_history_point (a->history, i), gs_history_point (b->history, i),
                            sizeof (GsHistPoint)) == 0, "%s: history point %d is the same", what, i);
  ok &= GS_CHECK (a->phase == b->phase && a->n_fwd == b->n_fwd && a->n_bwd == b->n_bwd,
                  "%s: the stepper is at the same step", what);
  return ok;
}

static void
train (GsStepper *s, int steps)
{
  GsError err;
  for (int i = 0; i < steps; i++)
    if (gs_stepper_train_step (s, &err) != GS_OK) {
      GS_CHECK (false, "training step %d: %s", i, err.msg);
      return;
    }
}

static void
steps (GsStepper *s, int k)
{
  GsError err;
  for (int i = 0; i < k; i++)
    if (gs_stepper_step (s, &err) != GS_OK) {
      GS_CHECK (false, "step %d: %s", i, err.msg);
      return;
    }
}

/* N training steps, then `mid` single steps, save, load; then M single
 * steps and M training steps — against the same without saving. */
static void
check_resume (const GsTrainConfig *cfg, const char *what, int N, int mid, int M)
{
  GsError err;
  char path[512];
  GsStepper *one, *first, *loaded;

  path_in_tmp (path, sizeof path, "resume.gatescope");
  one = gs_stepper_new (cfg, &err);
  first = gs_stepper_new (cfg, &err);
  if (!GS_CHECK (one != NULL && first != NULL, "%s: a stepper: %s", what, err.msg))
    return;
  train (one, N);
  steps (one, mid);
  steps (one, M);
  train (one, M);

  train (first, N);
  steps (first, mid);
  if (!GS_CHECK (gs_session_file_save (first, path, &err) == GS_OK, "%s: saved: %s", what, err.msg))
    goto out;
  loaded = gs_session_file_load (path, NULL, &err);
  if (!GS_CHECK (loaded != NULL, "%s: loaded: %s", what, err.msg))
    goto out;
  same_run (first, loaded, what);
  steps (loaded, M);
  train (loaded, M);
  same_run (one, loaded, what);
  gs_stepper_free (loaded);
out:
  gs_stepper_free (one);
  gs_stepper_free (first);
}

static void
test_resume_every_cell (void)
{
  static const char *const cells[] = { "rnn_tanh", "rnn_relu", "lstm", "gru" };
  for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
    GsTrainConfig cfg;
    char what[64];
    gs_train_config_default (&cfg);
    gs_cell_from_name (cells[i], &cfg.cell);
    snprintf (what, sizeof what, "hello, %s", cells[i]);
    check_resume (&cfg, what, 7, 0, 6);
    snprintf (what, sizeof what, "hello, %s, mid-forward", cells[i]);
    check_resume (&cfg, what, 5, 3, 9);
  }
}

static void
test_resume_dropout (void)
{
  GsTrainConfig cfg;
  gs_train_config_default (&cfg);
  strcpy (cfg.task, "adding:length=12");
  cfg.cell = GS_CELL_LSTM;
  cfg.L = 3;
  cfg.B = 4;
  cfg.variant.dropout = 0.3f;
  cfg.variant.recurrent_dropout = 0.2f;
  cfg.opt.kind = GS_OPT_RMSPROP;
  gs_opt_config_default (&cfg.opt, GS_OPT_RMSPROP);
  check_resume (&cfg, "adding with dropout", 9, 0, 8);
  /* saved in the backward pass: 12 forward steps and 5 backward */
  check_resume (&cfg, "adding with dropout, mid-backward", 9, 17, 20);
}

static void
test_resume_pair (void)
{
  GsTrainConfig cfg;
  gs_train_config_default (&cfg);
  strcpy (cfg.task, "seq2seq:kind=date");
  cfg.cell = GS_CELL_GRU;
  cfg.B = 2;
  check_resume (&cfg, "seq2seq", 6, 0, 5);
  check_resume (&cfg, "seq2seq, in the decoder", 6, 13, 9);
}

static void
test_corpus (void)
{
  GsTrainConfig cfg;
  GsError err;
  char corpus[512], path[512], data_dir[512];
  const char *text = "the quick brown fox jumps over the lazy dog\nthe quick brown fox\n";
  const void *part = text;
  size_t len = strlen (text);
  GsStepper *s, *loaded;

  path_in_tmp (corpus, sizeof corpus, "corpus.txt");
  path_in_tmp (path, sizeof path, "corpus.gatescope");
  path_in_tmp (data_dir, sizeof data_dir, "data/kept");
  gs_file_write_atomic (corpus, 1, &part, &len, &err);
  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "charlm:file=%s,length=16", corpus);   /* 64 characters: 17 to train on, 17 held out */
  check_resume (&cfg, "charlm on a user's corpus", 4, 0, 4);

  s = gs_stepper_new (&cfg, &err);
  if (!GS_CHECK (s != NULL, "charlm stepper: %s", err.msg))
    return;
  train (s, 3);
  GS_CHECK (gs_session_file_save (s, path, &err) == GS_OK, "saved: %s", err.msg);
  /* The corpus is gone (another computer): the session's copy is used. */
  unlink (corpus);
  loaded = gs_session_file_load (path, NULL, &err);
  GS_CHECK (loaded == NULL && strstr (err.msg, path) && strstr (err.msg, "corpus.txt"),
            "without a folder for the copy, a missing corpus is refused: %s", err.msg);
  loaded = gs_session_file_load (path, data_dir, &err);
  if (GS_CHECK (loaded != NULL, "the corpus comes from the session: %s", err.msg)) {
    GS_CHECK (strstr (loaded->trainer->cfg.task, data_dir) != NULL, "the task reads the copy: %s",
              loaded->trainer->cfg.task);
    train (s, 3);
    train (loaded, 3);
    GS_CHECK (memcmp (s->trainer->model->params_mem, loaded->trainer->model->params_mem,
                      sizeof (float) * s->trainer->model->n_params) == 0,
              "training on the copy goes on as on the original");
    gs_stepper_free (loaded);
  }
  gs_stepper_free (s);
}

/* Writes a copy of src with the first `find` replaced by `repl` (same length). */
static void
damaged_copy (const char *src, const char *dst, size_t keep, const char *find, const char *repl)
{
  unsigned char *data;
  size_t len;
  GsError err;
  const void *part;

  if (gs_file_read (src, 1 << 26, &data, &len, &err) != GS_OK)
    return;
  if (find != NULL) {
    for (size_t i = 0; i + strlen (find) <= len; i++)
      if (memcmp (data + i, find, strlen (find)) == 0) {
        memcpy (data + i, repl, strlen (repl));
        break;
      }
  }
  if (keep > 0 && keep < len)
    len = keep;
  part = data;
  gs_file_write_atomic (dst, 1, &part, &len, &err);
  free (data);
}

static void
expect_refused (const char *path, const char *fault)
{
  GsError err = { { 0 } };
  GsStepper *s = gs_session_file_load (path, NULL, &err);
  if (getenv ("GS_TEST_VERBOSE"))
    printf ("refused: %s\n", err.msg);
  GS_CHECK (s == NULL && strstr (err.msg, path) != NULL && strstr (err.msg, fault) != NULL,
            "%s is refused with \"%s\": %s", path, fault, err.msg);
  gs_stepper_free (s);
}

static void
test_bad_files (void)
{
  GsTrainConfig cfg;
  GsError err;
  char good[512], bad[512];
  GsStepper *s;
  unsigned char *data;
  size_t len = 0;

  gs_train_config_default (&cfg);
  s = gs_stepper_new (&cfg, &err);
  if (!GS_CHECK (s != NULL, "stepper: %s", err.msg))
    return;
  train (s, 2);
  path_in_tmp (good, sizeof good, "good.gatescope");
  path_in_tmp (bad, sizeof bad, "bad.gatescope");
  GS_CHECK (gs_session_file_save (s, good, &err) == GS_OK, "saved: %s", err.msg);
  gs_stepper_free (s);

  damaged_copy (good, bad, 0, "\"format_version\":\"1\"", "\"format_version\":\"7\"");
  expect_refused (bad, "newer");
  damaged_copy (good, bad, 0, "\\\"H\\\":8", "\\\"H\\\":9");
  expect_refused (bad, "shape");
  damaged_copy (good, bad, 0, "\\\"phase\\\":\\\"updated\\\"", "\\\"phase\\\":\\\"forward\\\"");
  expect_refused (bad, "phase forward");
  damaged_copy (good, bad, 0, "\\\"epoch\\\":2", "\\\"epoch\\\":x");
  expect_refused (bad, "not valid JSON");
  gs_file_read (good, 1 << 26, &data, &len, &err);
  free (data);
  damaged_copy (good, bad, len - 5, NULL, NULL);
  expect_refused (bad, "");
  damaged_copy (good, bad, 100, NULL, NULL);
  expect_refused (bad, "");
  /* a flipped byte in the weights (the last bytes of the data section) */
  {
    GsSafetensors *st = gs_st_read (good, &err);
    const GsStTensor *w = st ? gs_st_find (st, "fc.bias") : NULL;
    if (GS_CHECK (w != NULL, "fc.bias in the session")) {
      unsigned char *copy = malloc (st->len);
      const void *part = copy;
      memcpy (copy, st->buf, st->len);
      copy[w->data - st->buf] ^= 0x40;
      gs_file_write_atomic (bad, 1, &part, &st->len, &err);
      free (copy);
      expect_refused (bad, "checksum");
    }
    gs_st_free (st);
  }
  /* a model file is not a session */
  expect_refused ("/nonexistent/x.gatescope", "x.gatescope");
}

int
main (void)
{
  const char *base = getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp";
  snprintf (tmpdir, sizeof tmpdir, "%s/gs-session-XXXXXX", base);
  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    return 1;
  }
  test_resume_every_cell ();
  test_resume_dropout ();
  test_resume_pair ();
  test_corpus ();
  test_bad_files ();
  {
    char cmd[600];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", tmpdir);
  }
  return gs_test_finish ("session-file");
}
