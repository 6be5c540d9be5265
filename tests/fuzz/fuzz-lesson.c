/* fuzz-lesson — the lesson reader: key = value text → a lesson.
 *
 * gs_lesson_parse checks every line (keys, languages, run settings, task
 * specs, interventions, questions and their rules against the run in
 * effect) and names the file and line of the first fault. A lesson that
 * parses is walked as the player walks it: every text in both languages,
 * every step's actions, choices and point. Nothing is played: playing
 * trains networks, which the lesson tests (test-lessons) do on the
 * shipped lessons.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-lesson.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

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
    if (st->n_actions < 0 || st->n_actions > GS_LESSON_MAX_ACTIONS)
      abort ();
    n += text_len (&st->title) + text_len (&st->text) + strlen (st->point);
    if (st->has_question) {
      const GsLessonQuestion *q = &st->question;
      if (q->n_choices < 2 || q->n_choices > GS_LESSON_MAX_CHOICES)
        abort ();
      n += text_len (&q->text) + text_len (&q->explain);
      for (int j = 0; j < q->n_choices; j++)
        n += text_len (&q->choice[j].label);
    }
  }
  if (n > 2 * size + 1024)   /* texts come from the input (plus a default or two) */
    abort ();
  gs_lesson_free (l);
  return 0;
}
