/* fuzz-lesson — the lesson reader: key = value text → a lesson.
 *
 * gs_lesson_parse checks every line (keys, languages, run settings, task
 * specs, interventions, questions and their rules against the run in
 * effect) and names the file and line of the first fault. A lesson that
 * parses is walked as the player walks it: every text in both languages,
 * every step's actions (each one's run, intervention items, count,
 * quantity and name, read whole, so that ASan sees every byte the reader
 * handed over), choices and point. Nothing is played: playing trains
 * networks, which the lesson tests (test-lessons) do on the shipped
 * lessons.
 *
 * Under ASan the harness makes ~5,000 runs a second on the seed corpus.
 * It made ~400 while the reader allocated and zeroed 1 MiB for any lesson
 * (every step had room for 16 full actions): what a parse costs is what
 * the file holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-lesson.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_quantity (const GsQuantity *q)
{
  if ((unsigned) q->kind > GS_Q_SAVED || strlen (q->name) >= sizeof q->name)
    abort ();
  if (q->kind == GS_Q_SAVED && q->name[0] == '\0')
    abort ();
}

/* Reads every field of an action: what its kind owns is there, and only that. */
static void
check_action (const GsLessonStep *st, const GsLessonAction *a, int prev_line)
{
  if ((unsigned) a->kind > GS_ACT_REMEMBER || a->line <= st->line || a->line < prev_line)
    abort ();
  if ((a->run != NULL) != (a->kind == GS_ACT_RUN))
    abort ();
  if ((a->iv != NULL) != (a->kind == GS_ACT_INTERVENE) || (a->n_iv > 0) != (a->iv != NULL))
    abort ();
  switch (a->kind) {
  case GS_ACT_RUN:
    if (strlen (a->run->task) >= sizeof a->run->task || strlen (a->run->init) >= sizeof a->run->init
        || a->run->L < 1 || a->run->L > GS_MAX_LAYERS || a->run->H < 1 || a->run->B < 1)
      abort ();
    break;
  case GS_ACT_TRAIN:
  case GS_ACT_TRAIN_SOLVED:
    if (a->n < 1 || a->n > 5000)
      abort ();
    break;
  case GS_ACT_FORWARD:
  case GS_ACT_BACKWARD:
    if (a->n != -1 && (a->n < 1 || a->n > 100000))
      abort ();
    break;
  case GS_ACT_INTERVENE:
    if (a->n_iv < 1 || a->n_iv > GS_MAX_INTERVENTIONS)
      abort ();
    for (int k = 0; k < a->n_iv; k++)
      if ((unsigned) a->iv[k].kind > GS_IV_WEIGHT || a->iv[k].layer < 0
          || strlen (a->iv[k].tensor) >= sizeof a->iv[k].tensor)
        abort ();
    break;
  case GS_ACT_REMEMBER:
    if (a->name[0] == '\0' || strlen (a->name) >= sizeof a->name)
      abort ();
    check_quantity (&a->q);
    break;
  case GS_ACT_RELEASE:
    break;
  }
}

/* Reads every byte of a text the player would show. */
static size_t
text_len (const GsLessonText *t)
{
  size_t n = 0;
  for (int lang = 0; lang < GS_N_LANGS; lang++) {
    const char *s = gs_lesson_text_get (t, (GsLang) lang);
    if (s != NULL)
      n += strlen (s);
  }
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GsError err;
  GsLesson *l = gs_lesson_parse ((const char *) data, size, "fuzz.lesson", &err);
  size_t n = 0;

  if (l == NULL) {
    /* every refusal names the input */
    if (strncmp (err.msg, "fuzz.lesson", 11) != 0 && strstr (err.msg, "out of memory") == NULL)
      abort ();
    return 0;
  }
  if (l->n_steps < 1 || l->n_steps > GS_LESSON_MAX_STEPS)
    abort ();
  n += text_len (&l->title) + text_len (&l->summary);
  for (int i = 0; i < l->n_steps; i++) {
    const GsLessonStep *st = &l->step[i];
    if (st->n_actions < 0 || st->n_actions > GS_LESSON_MAX_ACTIONS || (st->n_actions > 0) != (st->action != NULL))
      abort ();
    for (int k = 0; k < st->n_actions; k++)
      check_action (st, &st->action[k], k > 0 ? st->action[k - 1].line : 0);
    if (strlen (st->point) >= sizeof st->point)
      abort ();
    n += text_len (&st->title) + text_len (&st->text) + strlen (st->point);
    if (st->has_question) {
      const GsLessonQuestion *q = &st->question;
      if (q->n_choices < 2 || q->n_choices > GS_LESSON_MAX_CHOICES)
        abort ();
      n += text_len (&q->text) + text_len (&q->explain);
      for (int j = 0; j < q->n_choices; j++)
        n += text_len (&q->choice[j].label);
      if (q->n_operands < 0 || q->n_operands > GS_LESSON_MAX_OPERANDS)
        abort ();
      for (int k = 0; k < q->n_operands; k++)
        check_quantity (&q->operand[k]);
    }
  }
  if (n > 2 * size + 1024)   /* texts come from the input (plus a default or two) */
    abort ();
  gs_lesson_free (l);
  return 0;
}
