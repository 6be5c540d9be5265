/* gs-task.c — the tasks a model can be trained on. */
#include "gs-task.h"

#include <stdio.h>
#include <string.h>

#include "gs-i18n.h"

/* The seed task of the course: learn to map "hello" to "ohlol".
 * Vocabulary (index order of the course's idx2char): e h l o. */
static const int hello_input[5] = { 1, 0, 2, 2, 3 };   /* h e l l o */
static const int hello_target[5] = { 3, 1, 2, 3, 2 };  /* o h l o l */

static void
hello_init (GsTask *task)
{
  static const char *const letters[4] = { "e", "h", "l", "o" };

  task->name = "hello";
  task->title = N_("hello → ohlol");
  task->input = GS_INPUT_EMBED;
  task->loss = GS_LOSS_CE;
  task->V = 4;
  task->O = 4;
  task->T = 5;
  for (int i = 0; i < 4; i++)
    task->vocab[i] = task->out_vocab[i] = letters[i];
}

int
gs_task_init (GsTask *task, const char *name, GsError *err)
{
  memset (task, 0, sizeof *task);
  if (name && strcmp (name, "hello") == 0) {
    hello_init (task);
    return GS_OK;
  }
  return gs_error_set (err, _("unknown task “%s” (known tasks: %s)"), name ? name : "", "hello");
}

void
gs_task_batch (const GsTask *task, GsRng *rng, int B,
               int *tokens, float *xs, int *targets, float *ys, unsigned char *ymask)
{
  (void) rng;   /* hello is one fixed sequence */
  (void) xs;
  (void) ys;
  (void) ymask;
  for (int t = 0; t < task->T; t++)
    for (int b = 0; b < B; b++) {
      tokens[t * B + b] = hello_input[t];
      targets[t * B + b] = hello_target[t];
    }
}

void
gs_task_decode_prediction (const GsTask *task, const GsModel *m, int b, char *buf, size_t size)
{
  size_t len = 0;

  if (size == 0)
    return;
  buf[0] = '\0';
  for (int t = 0; t < m->t_fwd; t++) {
    const char *label;
    size_t n;
    if (m->cfg.loss == GS_LOSS_CE && m->targets[(size_t) t * m->B + b] < 0)
      continue;
    label = task->out_vocab[gs_model_predict (m, t, b)];
    n = strlen (label);
    if (len + n + 1 > size)
      break;
    memcpy (buf + len, label, n + 1);
    len += n;
  }
}

bool
gs_task_all_correct (const GsModel *m, int b)
{
  if (m->cfg.loss != GS_LOSS_CE || m->t_fwd < m->T)
    return false;
  for (int t = 0; t < m->T; t++) {
    int target = m->targets[(size_t) t * m->B + b];
    if (target >= 0 && gs_model_predict (m, t, b) != target)
      return false;
  }
  return true;
}
