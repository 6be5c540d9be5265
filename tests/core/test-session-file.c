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
 *
 * Format 2 keeps the interventions that hold (every kind comes back as it
 * was, and a run with them resumes exactly) and the history of learning
 * (the recordings' weights bit for bit, their snapshots computed again);
 * a format-1 file still opens; a damaged recordings tensor is refused.
 * Recordings over the 128 MiB budget are thinned on save, and a file that
 * holds more (or claims more than it holds) is refused on load, naming
 * the file, from its header: before a model or a copy of them is made.
 *
 * A file written before a task's default changed (copy's length, 2 until
 * its recipe memorised the 64 sequences) keeps the task it was written
 * for: a session's "copy" and a model file's resume at length 2, while a
 * session written now names its length.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gs-file.h"
#include "gs-intervene.h"
#include "gs-recorder.h"
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

/* Whether the file at path holds `needle`. */
static bool
file_has (const char *path, const char *needle)
{
  unsigned char *data;
  size_t len, n = strlen (needle);
  GsError err;
  bool found = false;

  if (gs_file_read (path, 1 << 26, &data, &len, &err) != GS_OK)
    return false;
  for (size_t i = 0; i + n <= len && !found; i++)
    found = memcmp (data + i, needle, n) == 0;
  free (data);
  return found;
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

  damaged_copy (good, bad, 0, "\"format_version\":\"2\"", "\"format_version\":\"7\"");
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
  /* a task spec refused after a value was read (under LSan: nothing leaks) */
  {
    char adding[512];
    gs_train_config_default (&cfg);
    snprintf (cfg.task, sizeof cfg.task, "%s", "adding:length=123");
    cfg.L = 1;
    s = gs_stepper_new (&cfg, &err);
    if (GS_CHECK (s != NULL, "adding stepper: %s", err.msg)) {
      path_in_tmp (adding, sizeof adding, "adding.gatescope");
      GS_CHECK (gs_session_file_save (s, adding, &err) == GS_OK, "saved: %s", err.msg);
      damaged_copy (adding, bad, 0, "adding:length=123", "adding:length=1,x");
      expect_refused (bad, "not key=value");
    }
    gs_stepper_free (s);
  }
  /* a model file is not a session */
  expect_refused ("/nonexistent/x.gatescope", "x.gatescope");
}

static bool
same_intervention (const GsIntervention *a, const GsIntervention *b)
{
  return a->kind == b->kind && a->layer == b->layer && a->gate_letter == b->gate_letter && a->u0 == b->u0
         && a->u1 == b->u1 && a->t == b->t && memcmp (&a->value, &b->value, sizeof a->value) == 0
         && strcmp (a->tensor, b->tensor) == 0 && a->row == b->row && a->col == b->col;
}

/* Every kind of intervention saved and loaded; a run with them resumes
 * bit for bit (the weight edit is not made again over trained weights). */
static void
test_interventions (void)
{
  static const struct { GsIvKind kind; const char *spec; } given[] = {
    { GS_IV_CLAMP,  "1:f:*=1" },
    { GS_IV_CLAMP,  "2:o:3@4=0" },
    { GS_IV_CLAMP,  "1:g:0-2,5@1=-0.5" },
    { GS_IV_SET_C,  "1:*@3=0.25" },
    { GS_IV_SET_H,  "2:1,2@0=0.125" },
    { GS_IV_ABLATE, "1:6" },
    { GS_IV_WEIGHT, "rnn.weight_hh_l0[3,1]=0.5" },
    { GS_IV_WEIGHT, "fc.bias[2]=-1.75" },
  };
  GsTrainConfig cfg;
  GsInterventions list = { .n = 0 };
  GsError err;
  char path[512];
  GsStepper *one, *first, *loaded;

  gs_train_config_default (&cfg);
  cfg.cell = GS_CELL_LSTM;
  cfg.L = 2;
  for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
    if (!GS_CHECK (gs_interventions_parse (&list, given[i].kind, given[i].spec, &err) == GS_OK,
                   "%s parses: %s", given[i].spec, err.msg))
      return;
  path_in_tmp (path, sizeof path, "interventions.gatescope");
  one = gs_stepper_new (&cfg, &err);
  first = gs_stepper_new (&cfg, &err);
  if (!GS_CHECK (one != NULL && first != NULL, "lstm steppers: %s", err.msg))
    return;
  {
    GsStepper *both[] = { one, first };
    for (int i = 0; i < 2; i++) {
      train (both[i], 3);
      GS_CHECK (gs_stepper_set_interventions (both[i], &list, &err) == GS_OK, "interventions hold: %s", err.msg);
      train (both[i], 4);
      steps (both[i], 3);
    }
  }
  steps (one, 5);
  train (one, 4);

  if (!GS_CHECK (gs_session_file_save (first, path, &err) == GS_OK, "saved with interventions: %s", err.msg))
    goto out;
  loaded = gs_session_file_load (path, NULL, &err);
  if (!GS_CHECK (loaded != NULL, "loaded with interventions: %s", err.msg))
    goto out;
  {
    const GsInterventions *back = loaded->trainer->model->iv;
    if (GS_CHECK (back != NULL && back->n == list.n, "%d interventions come back (%d)", list.n,
                  back ? back->n : 0))
      for (int i = 0; i < list.n; i++) {
        GS_CHECK (same_intervention (&list.item[i], &back->item[i]), "intervention %d (%s) comes back the same",
                  i, gs_intervention_kind_name (list.item[i].kind));
        GS_CHECK (back->item[i].from_session, "intervention %d is marked as from the session", i);
      }
  }
  same_run (first, loaded, "lstm with interventions");
  steps (loaded, 5);
  train (loaded, 4);
  same_run (one, loaded, "lstm with interventions, resumed");
  gs_stepper_free (loaded);
out:
  gs_stepper_free (one);
  gs_stepper_free (first);
}

/* The history of learning: recordings saved, loaded bit for bit, their
 * snapshots computed again; damage to the tensor is refused. */
static void
test_recordings (void)
{
  GsTrainConfig cfg;
  GsError err;
  char path[512], bad[512];
  GsStepper *s, *loaded;
  GsRecorder *rec;
  GsRecordings *r, *back = NULL;
  bool made;

  gs_train_config_default (&cfg);
  cfg.cell = GS_CELL_GRU;
  path_in_tmp (path, sizeof path, "recordings.gatescope");
  path_in_tmp (bad, sizeof bad, "recordings-bad.gatescope");
  s = gs_stepper_new (&cfg, &err);
  r = gs_recordings_new (GS_RECORDINGS_MAX, &err);
  rec = s ? gs_recorder_new (s->trainer, &err) : NULL;
  if (!GS_CHECK (s != NULL && r != NULL && rec != NULL, "a recorder: %s", err.msg))
    return;
  for (int e = 0; e <= 9; e++) {
    gs_recorder_record (rec, r, s->trainer, e == 9, &made, &err);
    train (s, 1);
  }
  GS_CHECK (r->n == 7, "epochs 0, 1, 2, 3, 5, 8 and the latest 9 are recorded (%d)", r->n);
  if (!GS_CHECK (gs_session_file_save_full (s, r, path, &err) == GS_OK, "saved with recordings: %s", err.msg))
    goto out;
  loaded = gs_session_file_load_full (path, NULL, &back, &err);
  if (GS_CHECK (loaded != NULL && back != NULL, "loaded with recordings: %s", err.msg)) {
    GsRecorder *again = gs_recorder_new (loaded->trainer, &err);
    same_run (s, loaded, "gru with recordings");
    GS_CHECK (back->n == 0 || back->rec[0].snap == NULL, "loading reads the weights only");
    GS_CHECK (again != NULL && gs_recordings_replay (back, again, &err) == GS_OK, "replayed: %s", err.msg);
    gs_recorder_free (again);
    if (GS_CHECK (back->n == r->n, "%d recordings come back (%d)", r->n, back->n))
      for (int i = 0; i < r->n; i++) {
        const GsRecording *a = &r->rec[i], *b = &back->rec[i];
        GS_CHECK (a->epoch == b->epoch && a->scheduled == b->scheduled && a->n_params == b->n_params
                  && memcmp (a->params, b->params, sizeof (float) * a->n_params) == 0,
                  "recording %d (epoch %ld) comes back bit for bit", i, a->epoch);
        GS_CHECK (b->snap != NULL && b->snap->T == a->snap->T && b->snap->epoch == a->snap->epoch
                  && b->snap->logits != NULL
                  && memcmp (a->snap->logits, b->snap->logits, sizeof (float) * (size_t) a->snap->T * a->snap->cfg.O) == 0,
                  "recording %d has its snapshot again, the same logits bit for bit", i);
      }
  }
  gs_stepper_free (loaded);
  gs_recordings_free (back);
  back = NULL;
  /* a session without recordings gives an empty set */
  GS_CHECK (gs_session_file_save (s, bad, &err) == GS_OK, "saved without recordings: %s", err.msg);
  loaded = gs_session_file_load_full (bad, NULL, &back, &err);
  GS_CHECK (loaded != NULL && back != NULL && back->n == 0, "no recordings: an empty set: %s", err.msg);
  gs_stepper_free (loaded);
  gs_recordings_free (back);
  back = NULL;

  /* damage: a flipped byte in the recordings, a shape that does not fit,
   * a list that disagrees with the tensor, the file cut inside it */
  {
    GsSafetensors *st = gs_st_read (path, &err);
    const GsStTensor *x = st ? gs_st_find (st, "recordings.params") : NULL;
    if (GS_CHECK (x != NULL, "recordings.params in the session")) {
      unsigned char *copy = malloc (st->len);
      const void *part = copy;
      size_t cut = (size_t) (x->data - st->buf) + x->nbytes / 2;
      memcpy (copy, st->buf, st->len);
      copy[x->data - st->buf + x->nbytes / 2] ^= 0x10;
      gs_file_write_atomic (bad, 1, &part, &st->len, &err);
      expect_refused (bad, "recordings.params is damaged");
      memcpy (copy, st->buf, st->len);
      gs_file_write_atomic (bad, 1, &part, &cut, &err);
      expect_refused (bad, "");
      free (copy);
    }
    gs_st_free (st);
  }
  damaged_copy (path, bad, 0, "\"epochs\\\":[0,", "\"epochs\\\":[4,");
  expect_refused (bad, "recording 2 is not valid");
  damaged_copy (path, bad, 0, "\"scheduled\\\":[true,", "\"scheduled\\\":[     ");
  expect_refused (bad, "recordings");
out:
  gs_recorder_free (rec);
  gs_recordings_free (r);
  gs_stepper_free (s);
}

/* A file of format 1 (what Gatescope wrote before interventions and
 * recordings were saved) still opens, and resumes. */
static void
test_format_1 (void)
{
  GsTrainConfig cfg;
  GsError err;
  char good[512], old[512];
  GsStepper *s, *loaded;
  GsRecordings *back = NULL;

  gs_train_config_default (&cfg);
  path_in_tmp (good, sizeof good, "v2.gatescope");
  path_in_tmp (old, sizeof old, "v1.gatescope");
  s = gs_stepper_new (&cfg, &err);
  if (!GS_CHECK (s != NULL, "stepper: %s", err.msg))
    return;
  train (s, 3);
  GS_CHECK (gs_session_file_save (s, good, &err) == GS_OK, "saved: %s", err.msg);
  damaged_copy (good, old, 0, "\"format_version\":\"2\"", "\"format_version\":\"1\"");
  loaded = gs_session_file_load_full (old, NULL, &back, &err);
  if (GS_CHECK (loaded != NULL && back != NULL && back->n == 0, "a format-1 session opens: %s", err.msg)) {
    same_run (s, loaded, "format 1");
    GS_CHECK (loaded->trainer->model->iv == NULL, "a format-1 session has no interventions");
  }
  gs_stepper_free (loaded);
  gs_recordings_free (back);
  gs_stepper_free (s);
}

/* copy's length was 2 by default, is 5 now. A session written then said
 * "copy" (the canonical spec left defaults out): it goes on at length 2,
 * where it was. One written now says "copy:length=5" and opens at 5. A
 * model file whose task is "copy" opens as copy:length=2 too. */
static void
test_old_default (void)
{
  GsTrainConfig cfg, from_model;
  GsError err;
  char now[512], then[512], model[512], warning[256];
  const char *meta[] = { "task", "copy" };
  GsStepper *s, *loaded;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "copy");
  path_in_tmp (now, sizeof now, "copy-now.gatescope");
  s = gs_stepper_new (&cfg, &err);
  if (!GS_CHECK (s != NULL && s->trainer->task.T == 20, "copy at its defaults: T = 5 + 10 + 5: %s", err.msg))
    goto out;
  train (s, 2);
  GS_CHECK (gs_session_file_save (s, now, &err) == GS_OK, "saved: %s", err.msg);
  loaded = gs_session_file_load (now, NULL, &err);
  if (GS_CHECK (loaded != NULL, "a copy session written now opens: %s", err.msg)) {
    GS_CHECK (strcmp (loaded->trainer->cfg.task, "copy:length=5") == 0 && loaded->trainer->task.T == 20,
              "its configuration names the length: %s, T = %d", loaded->trainer->cfg.task, loaded->trainer->task.T);
    same_run (s, loaded, "copy now");
  }
  gs_stepper_free (loaded);
  gs_stepper_free (s);

  /* A session of the old defaults, as it was written then: its
   * configuration's task "copy" (padded with JSON white space to keep the
   * header's length). */
  snprintf (cfg.task, sizeof cfg.task, "copy:length=2");
  path_in_tmp (then, sizeof then, "copy-then.gatescope");
  s = gs_stepper_new (&cfg, &err);
  if (!GS_CHECK (s != NULL && s->trainer->task.T == 14, "copy:length=2: T = 14: %s", err.msg))
    goto out;
  train (s, 2);
  steps (s, 5);
  GS_CHECK (gs_session_file_save (s, now, &err) == GS_OK, "saved: %s", err.msg);
  damaged_copy (now, then, 0, "\\\"task\\\":\\\"copy:length=2\\\"", "\\\"task\\\":\\\"copy\\\"         ");
  damaged_copy (then, then, 0, "\"task\":\"copy:length=2\"", "\"task\":\"copy\"         ");
  GS_CHECK (file_has (then, "\\\"task\\\":\\\"copy\\\"         ,") && file_has (then, "\"task\":\"copy\"         ,")
            && !file_has (then, "length=2"), "the session says \"copy\", as one of the old defaults did");
  loaded = gs_session_file_load (then, NULL, &err);
  if (GS_CHECK (loaded != NULL, "a copy session of the old defaults opens: %s", err.msg)) {
    GS_CHECK (strcmp (loaded->trainer->cfg.task, "copy:length=2") == 0 && loaded->trainer->task.T == 14,
              "as copy:length=2 (%s, T = %d)", loaded->trainer->cfg.task, loaded->trainer->task.T);
    same_run (s, loaded, "copy then");
    steps (s, 30);
    steps (loaded, 30);
    same_run (s, loaded, "copy then, 30 steps on");
  }
  gs_stepper_free (loaded);

  path_in_tmp (model, sizeof model, "copy-then.safetensors");
  gs_train_config_default (&from_model);
  GS_CHECK (gs_model_save (s->trainer->model, model, meta, 1, &err) == GS_OK
            && gs_train_config_from_model (&from_model, model, false, true, warning, sizeof warning, &err) == GS_OK
            && strcmp (from_model.task, "copy:length=2") == 0,
            "a model file of task \"copy\" is copy:length=2: %s", err.msg[0] ? err.msg : from_model.task);
  gs_stepper_free (s);
out:
  return;
}

/* The budget: recordings that do not fit are thinned evenly, keeping the
 * first and the newest. */
static void
test_recordings_budget (void)
{
  int keep[GS_RECORDINGS_MAX + 1];
  int n;
  bool ok = true;

  n = gs_session_recordings_fit (5, 1000, 128u << 20, keep);
  GS_CHECK (n == 5 && keep[0] == 0 && keep[4] == 4, "five small recordings are all kept (%d)", n);
  /* 64 recordings of 10 MiB in 128 MiB: 12 */
  n = gs_session_recordings_fit (64, 10u << 20, 128u << 20, keep);
  GS_CHECK (n == 12, "12 of 64 recordings of 10 MiB fit in 128 MiB (%d)", n);
  GS_CHECK (keep[0] == 0 && keep[n - 1] == 63, "the first and the newest are kept (%d, %d)", keep[0], keep[n - 1]);
  for (int i = 1; i < n; i++) {
    int gap = keep[i] - keep[i - 1];
    ok &= gap == 5 || gap == 6;   /* 63 / 11 = 5.7 */
  }
  GS_CHECK (ok, "the rest are evenly spread");
  n = gs_session_recordings_fit (64, 100u << 20, 128u << 20, keep);
  GS_CHECK (n == 0, "not even two recordings of 100 MiB fit: none are kept (%d)", n);
  n = gs_session_recordings_fit (3, 64u << 20, 128u << 20, keep);
  GS_CHECK (n == 2 && keep[0] == 0 && keep[1] == 2, "two of three at 64 MiB: the first and the newest (%d)", n);
}

/* A session file whose recordings.params is one float over the budget
 * (64 recordings of 524,289 weights: 128 MiB + 256 bytes), nothing else
 * in it but the format: the refusal must come from the header alone (no
 * checksum, no configuration, no model would pass). sparse: the file
 * holds the bytes (as zeros, without taking the disk space); else it
 * stops after the header and only claims them. */
static void
write_over_budget (const char *path, bool sparse)
{
  const unsigned long long rows = GS_RECORDINGS_MAX, cols = (GS_SESSION_RECORDINGS_BUDGET / 4 / GS_RECORDINGS_MAX) + 1;
  char header[400];
  unsigned char len8[8];
  const void *part[2] = { len8, header };
  size_t size[2] = { 8, 0 };
  int n;
  GsError err;

  n = snprintf (header, sizeof header,
                "{\"__metadata__\":{\"format\":\"%s\",\"format_version\":\"2\"},"
                "\"recordings.params\":{\"dtype\":\"F32\",\"shape\":[%llu,%llu],\"data_offsets\":[0,%llu]}}",
                GS_SESSION_FORMAT, rows, cols, rows * cols * 4);
  while (n % 8 != 0)
    header[n++] = ' ';
  size[1] = (size_t) n;
  for (int i = 0; i < 8; i++)
    len8[i] = (unsigned char) ((uint64_t) n >> (8 * i));
  GS_CHECK (rows * cols * 4 > GS_SESSION_RECORDINGS_BUDGET, "the tensor is over the budget");
  GS_CHECK (gs_file_write_atomic (path, 2, part, size, &err) == GS_OK, "written: %s", err.msg);
  if (sparse)
    GS_CHECK (truncate (path, (off_t) (8 + n + rows * cols * 4)) == 0, "%s made %llu bytes long", path,
              8 + n + rows * cols * 4);
}

/* The budget on load. */
static void
test_recordings_over_budget (void)
{
  char path[512];
  GsRecordings *back = NULL;
  GsError err = { { 0 } };
  GsStepper *s;

  path_in_tmp (path, sizeof path, "over-budget.gatescope");
  write_over_budget (path, true);
  s = gs_session_file_load_full (path, NULL, &back, &err);
  if (getenv ("GS_TEST_VERBOSE"))
    printf ("refused: %s\n", err.msg);
  GS_CHECK (s == NULL && back == NULL && strncmp (err.msg, path, strlen (path)) == 0
            && strstr (err.msg, "recordings.params holds 129 MiB, more than the 128 MiB") != NULL,
            "a session holding 128 MiB + 256 bytes of recordings is refused for its budget: %s", err.msg);
  gs_stepper_free (s);
  gs_recordings_free (back);
  back = NULL;
  unlink (path);

  /* claimed, not held: the file stops after the header */
  write_over_budget (path, false);
  s = gs_session_file_load_full (path, NULL, &back, &err);
  GS_CHECK (s == NULL && back == NULL && strncmp (err.msg, path, strlen (path)) == 0
            && strstr (err.msg, "recordings.params ends at byte 134217984, past the end") != NULL,
            "a session claiming 128 MiB + 256 bytes of recordings it does not hold is refused: %s", err.msg);
  gs_stepper_free (s);
  gs_recordings_free (back);
  unlink (path);
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
  test_interventions ();
  test_recordings ();
  test_recordings_budget ();
  test_recordings_over_budget ();
  test_format_1 ();
  test_old_default ();
  {
    char cmd[600];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", tmpdir);
  }
  return gs_test_finish ("session-file");
}
