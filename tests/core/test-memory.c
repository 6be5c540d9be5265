/* test-memory — every input bounded (issue 17, item 1).
 *
 *  1. A classify file of 200,001 one-letter phrases and one of 200
 *     characters trains and is judged on every example while the process
 *     stays small (ru_maxrss from getrusage): the phrases are stored back
 *     to back and the held-out batch is judged in chunks. Before, the
 *     loader took examples × longest phrase and the held-out batch needed
 *     40 GiB of caches.
 *  2. The judgement in chunks gives what one batch of every held-out
 *     sequence gives (accuracy, metric, loss, baseline), for tasks of
 *     every shape.
 *  3. adding:length=20000 is judged on its 1,000 held-out sequences
 *     (20 million steps: one batch would pass the 4 GiB cache cap).
 *  4. Hidden 4096 × 8 layers is refused before anything is allocated, with
 *     both sizes in the message; so is a training batch over the cache cap.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gs-mem.h"
#include "gs-task.h"
#include "gs-test.h"
#include "gs-train.h"

static char tmpdir[] = "/tmp/gs-test-memory.XXXXXX";

static long
max_rss_mib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;   /* KiB on Linux */
}

/* n lines "a<TAB>b" (or c for every third), then one phrase of 200 x. */
static void
write_classify (const char *path, int n)
{
  FILE *f = fopen (path, "w");

  if (f == NULL) {
    perror (path);
    exit (2);
  }
  for (int i = 0; i < n; i++)
    fputs (i % 3 ? "a\tb\n" : "b\tc\n", f);
  fputs ("a\t", f);
  for (int i = 0; i < 200; i++)
    fputc ('x', f);
  fputs ("\n", f);
  fclose (f);
}

static void
test_classify_rss (void)
{
  char path[600];
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval ev;
  GsError err;
  long before = max_rss_mib (), after;

  snprintf (path, sizeof path, "%s/big.tsv", tmpdir);
  write_classify (path, 200000);
  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "classify:file=%s", path);
  cfg.H = 4;
  cfg.L = 1;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "classify trainer: %s", err.msg))
    return;
  /* a quarter of each class held out: 33,334 of 133,334 a, 16,667 of 66,667 b */
  GS_CHECK (tr->task.T == 200 && tr->task.eval_B == 50001 && tr->task.n_train == 150000,
            "T = %d, held-out = %d, training = %d", tr->task.T, tr->task.eval_B, tr->task.n_train);
  GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "step: %s", err.msg);
  if (GS_CHECK (gs_trainer_evaluate (tr, &ev, &err) == GS_OK, "evaluate: %s", err.msg))
    GS_CHECK (ev.n == 50001 && ev.accuracy >= 0.0f && ev.accuracy <= 1.0f, "judged %d examples, accuracy %g",
              ev.n, (double) ev.accuracy);
  if (GS_CHECK (gs_trainer_evaluate_training (tr, &ev, &err) == GS_OK, "evaluate training: %s", err.msg))
    GS_CHECK (ev.n == 150000 && ev.accuracy >= 0.0f && ev.accuracy <= 1.0f,
              "judged %d training examples, accuracy %g", ev.n, (double) ev.accuracy);
  gs_trainer_free (tr);
  after = max_rss_mib ();
  printf ("classify, 200,001 examples × T = 200: max RSS %ld MiB (before %ld MiB)\n", after, before);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GS_CHECK (after < 2048, "max RSS %ld MiB under a sanitizer", after);
#else
  /* the old loader: 160 MB of padded phrases and 40 GiB of held-out caches */
  GS_CHECK (after < 400, "max RSS %ld MiB; at most 400 MiB expected", after);
#endif
}

/* Judged in one batch and in chunks of 7 sequences: the same numbers. */
static void
check_chunks_agree (const char *spec, GsCell cell)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval whole, parts;
  GsError err;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "%s", spec);
  cfg.cell = cell;
  cfg.H = 16;
  cfg.L = 1;
  cfg.B = 8;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "%s: %s", spec, err.msg))
    return;
  for (int i = 0; i < 5; i++)
    GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "%s step: %s", spec, err.msg);
  /* the evaluation clone, made on first use */
  if (GS_CHECK (gs_trainer_evaluate (tr, &whole, &err) == GS_OK, "%s evaluate: %s", spec, err.msg)
      && GS_CHECK (gs_task_evaluate_chunked (&tr->task, tr->eval_model, tr->eval_decoder, 1000000, &whole, &err)
                     == GS_OK, "%s whole: %s", spec, err.msg)
      && GS_CHECK (gs_task_evaluate_chunked (&tr->task, tr->eval_model, tr->eval_decoder, 7, &parts, &err)
                     == GS_OK, "%s chunked: %s", spec, err.msg)) {
    GS_CHECK (parts.n == whole.n && whole.n > 7, "%s: judged %d and %d", spec, parts.n, whole.n);
    GS_CHECK (fabsf (parts.accuracy - whole.accuracy) <= 1e-6f, "%s: accuracy chunked %.9g, whole %.9g", spec,
              (double) parts.accuracy, (double) whole.accuracy);
    GS_CHECK (fabsf (parts.metric - whole.metric) <= 1e-5f * fabsf (whole.metric) + 1e-7f,
              "%s: metric chunked %.9g, whole %.9g", spec, (double) parts.metric, (double) whole.metric);
    GS_CHECK (fabsf (parts.loss - whole.loss) <= 1e-5f * fabsf (whole.loss) + 1e-7f,
              "%s: loss chunked %.9g, whole %.9g", spec, (double) parts.loss, (double) whole.loss);
    GS_CHECK (fabsf (parts.baseline - whole.baseline) <= 1e-5f * fabsf (whole.baseline) + 1e-7f
                && parts.solved == whole.solved,
              "%s: baseline chunked %.9g, whole %.9g", spec, (double) parts.baseline, (double) whole.baseline);
  }
  gs_trainer_free (tr);
}

static void
test_chunks_agree (void)
{
  char spec[700];

  snprintf (spec, sizeof spec, "classify:file=%s/chunks.tsv", tmpdir);
  {
    char path[600];
    snprintf (path, sizeof path, "%s/chunks.tsv", tmpdir);
    write_classify (path, 500);
  }
  check_chunks_agree (spec, GS_CELL_LSTM);
  check_chunks_agree ("classify", GS_CELL_GRU);
  check_chunks_agree ("adding:length=30", GS_CELL_LSTM);
  check_chunks_agree ("copy", GS_CELL_RNN_TANH);
  check_chunks_agree ("series", GS_CELL_GRU);
  check_chunks_agree ("xor", GS_CELL_LSTM);
  check_chunks_agree ("seq2seq", GS_CELL_LSTM);
}

static void
test_long_adding (void)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval ev;
  GsError err;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "adding:length=20000");
  cfg.H = 4;
  cfg.L = 1;
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "adding trainer: %s", err.msg))
    return;
  GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "step: %s", err.msg);
  if (GS_CHECK (gs_trainer_evaluate (tr, &ev, &err) == GS_OK, "evaluate adding:length=20000: %s", err.msg))
    GS_CHECK (ev.n == 1000 && isfinite (ev.metric), "judged %d sequences, mse %g", ev.n, (double) ev.metric);
  gs_trainer_free (tr);
}

static void
test_refused (void)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsError err;
  long before = max_rss_mib ();

  gs_train_config_default (&cfg);
  cfg.H = 4096;
  cfg.L = 8;
  memset (&err, 0, sizeof err);
  tr = gs_trainer_new (&cfg, &err);
  GS_CHECK (tr == NULL, "hidden 4096 × 8 layers is refused");
  gs_trainer_free (tr);
  GS_CHECK (strstr (err.msg, "6.57 GiB") != NULL && strstr (err.msg, "4.00 GiB") != NULL,
            "the message gives both sizes: %s", err.msg);
  GS_CHECK (max_rss_mib () - before < 64, "nothing big was allocated (%ld MiB more)", max_rss_mib () - before);

  /* a training batch whose caches pass GS_MAX_CACHE_BYTES */
  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "adding:length=100000");
  cfg.H = 256;
  cfg.L = 1;
  cfg.B = 64;
  tr = gs_trainer_new (&cfg, &err);
  GS_CHECK (tr == NULL && strstr (err.msg, "GiB") != NULL, "a 64 × 100,000 batch at H = 256 is refused: %s",
            tr ? "(accepted)" : err.msg);
  gs_trainer_free (tr);
}

int
main (void)
{
  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    return 2;
  }
  test_classify_rss ();   /* first: ru_maxrss is the whole process's */
  test_refused ();
  test_chunks_agree ();
  test_long_adding ();
  {
    char cmd[600];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", tmpdir);
  }
  return gs_test_finish ("memory");
}
