/* test-lessons.c — the lesson format and player (gs-lesson.h), headless.
 *
 * 1. Every lesson in assets/lessons/ loads, has its title and every text,
 *    question and choice in English and Chinese, and plays step by step on
 *    a GsStepper: every action runs, and every question has exactly one
 *    right choice on the live values (the runner refuses a question whose
 *    rule lands on no choice, or on two candidates within its margin).
 *    GS_TEST_VERBOSE=1 prints each question with its right answer — the
 *    way to check a lesson being written.
 * 2. Broken lessons are refused with FILE:LINE and the fault.
 * 3. Rules and quantities on a small run, checked against the model's own
 *    arrays: an LSTM with f clamped to 1 keeps c_t − c_{t−1} = i_t g_t,
 *    an ambiguous question is refused, a value not computed yet is refused.
 * 4. A shipped lesson mutated byte by byte thousands of times: every
 *    mutant loads or is refused with a message, never a crash.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-intervene.h"
#include "gs-lesson.h"
#include "gs-rng.h"
#include "gs-snapshot.h"
#include "gs-test.h"

static bool verbose;

static bool
has_zh (const GsLessonText *t)
{
  return t->s[GS_LANG_EN] != NULL && t->s[GS_LANG_ZH] != NULL;
}

static GsStepper *
new_stepper (void)
{
  GsTrainConfig cfg;
  GsError err;
  GsStepper *s;

  gs_train_config_default (&cfg);
  s = gs_stepper_new (&cfg, &err);
  GS_CHECK (s != NULL, "a stepper on the default run: %s", s == NULL ? err.msg : "");
  return s;
}

static void
play_lesson (const char *path)
{
  GsError err;
  GsLesson *l = gs_lesson_load (path, &err);
  GsLessonRunner r;
  GsStepper *s;
  int questions = 0;

  if (!GS_CHECK (l != NULL, "%s loads: %s", path, l == NULL ? err.msg : ""))
    return;
  GS_CHECK (has_zh (&l->title) && has_zh (&l->summary), "%s: the title and summary in English and Chinese", path);
  for (int i = 0; i < l->n_steps; i++) {
    const GsLessonStep *st = &l->step[i];
    bool ok = has_zh (&st->title) && has_zh (&st->text);
    if (st->has_question) {
      ok = ok && has_zh (&st->question.text) && has_zh (&st->question.explain);
      for (int j = 0; j < st->question.n_choices; j++)
        ok = ok && has_zh (&st->question.choice[j].label);
    }
    GS_CHECK (ok, "%s:%d: the step's title, text, question, choices and explanation in English and Chinese",
              path, st->line);
  }
  if ((s = new_stepper ()) == NULL) {
    gs_lesson_free (l);
    return;
  }
  gs_lesson_runner_init (&r, l);
  for (int i = 0; i < l->n_steps; i++) {
    const GsLessonStep *st = &l->step[i];
    int right = -2;
    int rc = gs_lesson_run_step (&r, s, i, &right, &err);

    if (!GS_CHECK (rc == GS_OK, "%s step %d plays: %s", path, i + 1, rc == GS_OK ? "" : err.msg))
      break;
    if (st->has_question) {
      questions++;
      GS_CHECK (right >= 0 && right < st->question.n_choices, "%s:%d: one right choice (%d)", path,
                st->question.line, right);
      if (verbose && right >= 0)
        printf ("  %s step %d (epoch %d): %s → %s\n", path, i + 1, s->trainer->epoch,
                gs_lesson_text_get (&st->question.text, GS_LANG_EN), st->question.choice[right].key);
    }
  }
  GS_CHECK (questions >= 2, "%s asks at least two questions (%d)", path, questions);
  gs_stepper_free (s);
  gs_lesson_free (l);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
test_shipped (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  char *names[64];
  int n = 0;

  if (!GS_CHECK (d != NULL, "%s opens", dir))
    return;
  while ((e = readdir (d)) != NULL && n < 64) {
    size_t len = strlen (e->d_name);
    if (len > 7 && strcmp (e->d_name + len - 7, ".lesson") == 0)
      names[n++] = strdup (e->d_name);
  }
  closedir (d);
  qsort (names, n, sizeof names[0], cmp_str);
  GS_CHECK (n >= 6, "at least six lessons ship (%d)", n);
  for (int i = 0; i < n; i++) {
    char path[4096];
    snprintf (path, sizeof path, "%s/%s", dir, names[i]);
    play_lesson (path);
    free (names[i]);
  }
}

/* Broken lessons: each is refused, and the message starts with its place. */
static void
test_broken (void)
{
  static const struct { const char *text; const char *want; } cases[] = {
    { "title = x\n", "t.lesson: the lesson has no steps" },
    { "[step]\ntext = a\n", "t.lesson: the lesson has no title" },
    { "title = x\n[step]\n", "t.lesson:2: the step has no text" },
    { "title = x\nfoo = 1\n[step]\ntext = a\n", "t.lesson:2: unknown key “foo” before the first [step]" },
    { "title = x\n[step]\ntext = a\nbogus line\n", "t.lesson:4: expected KEY = VALUE or [step]" },
    { "title = x\n[steps]\n", "t.lesson:2: unknown section" },
    { "title = x\n[step]\ntext = a\nrun = task=hello cell=lstn\n", "t.lesson:4: unknown cell “lstn”" },
    { "title = x\n[step]\ntext = a\nrun = task=nosuchtask\n", "t.lesson:4: " },
    { "title = x\n[step]\ntext = a\nrun = hidden=0\n", "t.lesson:4: hidden must be a whole number from 1 to 512" },
    { "title = x\n[step]\ntext = a\ntrain = 5\n", "t.lesson:4: training needs a run set up before it" },
    { "title = x\n[step]\ntext = a\nrun = cell=lstm layers=1\nclamp = 1:q:*=1\n", "t.lesson:5: " },
    { "title = x\n[step]\ntext = a\nrun = cell=gru layers=1\nset-c = 1:*=0\n", "t.lesson:5: only an LSTM has a cell state c" },
    { "title = x\n[step]\ntext = a\nrun = cell=lstm layers=1 hidden=4\nclamp = 2:f:*=1\n", "t.lesson:5: clamp: the model has 1 layer" },
    { "title = x\n[step]\ntext = a\nrun = cell=lstm layers=1\nforward = many\n", "t.lesson:5: forward must be a whole number" },
    { "title = x\n[step]\ntext = a\nrun = cell=lstm layers=1\nquestion = q?\nanswer = closest-gate 1 1:0@2\n"
      "choice = f | f\nchoice = i | i\nchoice = g | g\n", "t.lesson:6: the rule can answer the gate o, which is not a choice" },
    { "title = x\n[step]\ntext = a\nrun = cell=lstm layers=1\nquestion = q?\nanswer = closest-gate 1 1:0@2\n"
      "choice = f | f\nchoice = i | i\nchoice = g | g\nchoice = o | o\nchoice = z | z\n", "t.lesson:6: the rule can never answer the choice “z”" },
    { "title = x\n[step]\ntext = a\nrun = cell=lstm layers=1 hidden=4\nquestion = q?\nanswer = sign c:1:4@0\n"
      "choice = zero | 0\nchoice = positive | +\n", "t.lesson:6: the run has 4 unit(s) per layer: there is no unit 4" },
    { "title = x\n[step]\ntext = a\nrun = cell=gru layers=1\nquestion = q?\nanswer = sign c:1:0@0\n"
      "choice = zero | 0\nchoice = positive | +\n", "t.lesson:6: “c:1:0@0”: only an LSTM has a cell state" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\nanswer = lowest a=$nothing b=loss\n",
      "t.lesson:6: nothing was remembered as “nothing” before this line" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\nanswer = magic 3\n", "t.lesson:6: unknown rule “magic”" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\nanswer = sign loss\nchoice = up | up\nchoice = zero | 0\n",
      "t.lesson:6: the rule can never answer the choice “up”" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\nanswer = sign loss\nchoice = zero | 0\n",
      "t.lesson:6: the question needs at least two choices" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\nchoice = zero | 0\nchoice = zero | 1\n",
      "t.lesson:7: two choices have the key “zero”" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\nchoice = a\n", "t.lesson:6: a choice is KEY | English | Chinese" },
    { "title = x\n[step]\ntext = a\nquestion = q?\nchoice = a | b\nchoice = c | d\n[step]\ntext = b\n",
      "t.lesson:2: the question has no rule (answer = …)" },
    { "title = x\ntitle = y\n[step]\ntext = a\n", "t.lesson:2: this key is given twice" },
    { "title.fr = x\n[step]\ntext = a\n", "t.lesson:1: unknown language in the key “title.fr”" },
    { "title = x\n[step]\ntext = a\nrun.zh = layers=1\n", "t.lesson:4: the key “run” has no translation" },
    { "title = x\n[step]\ntext = a\npoint = everywhere\n", "t.lesson:4: point names a view" },
    { "title = x\n[step]\ntext = a\ncompare = shut\n", "t.lesson:4: write compare = open" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nremember = 9 loss extra\n", "t.lesson:5: write remember = NAME QUANTITY" },
    { "title = x\n[step]\ntext = a\nrun = layers=1\nquestion = q?\n"
      "answer = lowest a=loss b=loss c=loss d=loss e=loss f=loss g=loss h=loss i=loss\n",
      "t.lesson:6: lowest can choose from at most 8 KEY=QUANTITY" },
    /* refused after a value was read: under LSan, nothing of it leaks */
    { "title = x\n[step]\ntext = a\nrun = task=adding:length=10,bogus=1\n", "t.lesson:4: task adding has no parameter “bogus”" },
    { "title = x\n\0[step]\n", "t.lesson:2: the file is not text" },
  };

  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    GsError err;
    size_t len = strlen (cases[k].text);
    GsLesson *l;
    const char *want = cases[k].want;

    if (k == sizeof cases / sizeof cases[0] - 1)
      len = 18;   /* the zero byte and what follows */
    err.msg[0] = '\0';
    l = gs_lesson_parse (cases[k].text, len, "t.lesson", &err);
    GS_CHECK (l == NULL, "broken lesson %zu is refused", k);
    GS_CHECK (strncmp (err.msg, want, strlen (want)) == 0, "broken lesson %zu: “%s” starts with “%s”", k, err.msg, want);
    gs_lesson_free (l);
  }
  /* A file that is not there. */
  {
    GsError err;
    GsLesson *l = gs_lesson_load ("/nonexistent/x.lesson", &err);
    GS_CHECK (l == NULL && strstr (err.msg, "/nonexistent/x.lesson") != NULL, "a missing file is named: %s", err.msg);
  }
}

static GsLesson *
parse_ok (const char *text)
{
  GsError err;
  GsLesson *l = gs_lesson_parse (text, strlen (text), "t.lesson", &err);
  GS_CHECK (l != NULL, "the lesson parses: %s", l == NULL ? err.msg : "");
  return l;
}

/* Rules and quantities against the model's own arrays. */
static void
test_rules (void)
{
  const char *text =
    "title = rules\n"
    "[step]\n"
    "text = one\n"
    "run = task=hello cell=lstm layers=1 hidden=4 embed=onehot seed=3\n"
    "train = 20\n"
    "forward = all\n"
    "clamp = 1:f:*=1\n"
    "question = belt?\n"
    "answer = compare dc:1:2@3 ig:1:2@3\n"
    "choice = equal | =\nchoice = less | <\nchoice = greater | >\n"
    "[step]\n"
    "text = two\n"
    "question = gate?\n"
    "answer = closest-gate 1 1:1@4\n"
    "choice = i | i\nchoice = f | f\nchoice = g | g\nchoice = o | o\n"
    "[step]\n"
    "text = three: the same number twice is ambiguous\n"
    "remember = a f:1:0@1\n"
    "question = which?\n"
    "answer = lowest x=$a y=$a\n"
    "choice = x | x\nchoice = y | y\n"
    "[step]\n"
    "text = four: t = 3 is not computed after forward = 2\n"
    "release = all\n"
    "forward = 2\n"
    "question = sign?\n"
    "answer = sign c:1:0@3\n"
    "choice = negative | -\nchoice = zero | 0\nchoice = positive | +\n";
  GsLesson *l = parse_ok (text);
  GsStepper *s = new_stepper ();
  GsLessonRunner r;
  GsError err;
  int right, rc;

  if (l == NULL || s == NULL)
    goto out;
  gs_lesson_runner_init (&r, l);
  rc = gs_lesson_run_step (&r, s, 0, &right, &err);
  GS_CHECK (rc == GS_OK && right == 0, "f = 1: c_t − c_{t−1} equals i_t g_t (%d %s)", right, rc ? err.msg : "");
  {
    const GsModel *m = gs_stepper_model (s, GS_PART_NONE);
    const GsLayerState *ls = &m->layer[0];
    bool all_one = true, belt = true;
    const int H = 4;
    GS_CHECK (s->trainer->epoch == 20 && m->t_fwd == 5, "20 epochs trained, the whole sequence forward (%d, %d)",
              s->trainer->epoch, m->t_fwd);
    for (int t = 0; t < 5; t++)
      for (int u = 0; u < H; u++) {
        const float *a = ls->act + (size_t) t * 4 * H;
        float cprev = t > 0 ? ls->c[(t - 1) * H + u] : 0.0f;
        all_one = all_one && a[1 * H + u] == 1.0f;
        belt = belt && ls->c[t * H + u] == cprev + a[0 * H + u] * a[2 * H + u];
      }
    GS_CHECK (all_one && belt, "the runner's clamp reached the model: f = 1 and c_t = c_{t−1} + i g exactly");
  }
  rc = gs_lesson_run_step (&r, s, 1, &right, &err);
  if (GS_CHECK (rc == GS_OK && right >= 0, "closest-gate answers: %s", rc ? err.msg : "")) {
    const GsModel *m = gs_stepper_model (s, GS_PART_NONE);
    const float *a = m->layer[0].act + (size_t) 4 * 4 * 4;
    int best = 0;
    for (int g = 1; g < 4; g++)
      if (fabsf (a[g * 4 + 1] - 1.0f) < fabsf (a[best * 4 + 1] - 1.0f))
        best = g;
    GS_CHECK (l->step[1].question.choice[right].key[0] == "ifgo"[best], "closest-gate picks gate %c, the model's own closest",
              "ifgo"[best]);
  }
  rc = gs_lesson_run_step (&r, s, 2, &right, &err);
  GS_CHECK (rc == GS_FAIL && strstr (err.msg, "t.lesson:25: no single right answer") != NULL,
            "a tie is refused: %s", err.msg);
  rc = gs_lesson_run_step (&r, s, 3, &right, &err);
  GS_CHECK (rc == GS_FAIL && strstr (err.msg, "t.lesson:33: t = 3 is not computed yet") != NULL,
            "a value not computed yet is refused: %s", err.msg);
  GS_CHECK (gs_stepper_model (s, GS_PART_NONE)->t_fwd == 2, "forward = 2 after a whole pass rewinds to 2");
out:
  gs_stepper_free (s);
  gs_lesson_free (l);
}

/* Mutants of a shipped lesson never crash the parser. */
static void
test_mutants (const char *dir)
{
  char path[4096];
  FILE *f;
  static char base[GS_LESSON_MAX_BYTES], buf[GS_LESSON_MAX_BYTES];
  size_t n;
  GsRng rng;
  int refused = 0, loaded = 0;

  snprintf (path, sizeof path, "%s/03-conveyor-belt.lesson", dir);
  f = fopen (path, "rb");
  if (!GS_CHECK (f != NULL, "%s opens", path))
    return;
  n = fread (base, 1, sizeof base, f);
  fclose (f);
  gs_rng_seed (&rng, 42);
  for (int k = 0; k < 3000; k++) {
    GsError err;
    GsLesson *l;
    size_t len = n;
    memcpy (buf, base, n);
    for (int j = 0, m = 1 + (int) gs_rng_below (&rng, 4); j < m; j++) {
      size_t at = gs_rng_below (&rng, (uint32_t) len);
      static const char pool[] = "=|[]@:*$#\n 0123456789-.,abcfgiozrnh\xe4\xb8\x80";
      switch (gs_rng_below (&rng, 3)) {
      case 0: buf[at] = pool[gs_rng_below (&rng, sizeof pool - 1)]; break;
      case 1: len = at; break;   /* truncated */
      default: memmove (buf + at, buf + at + 1, len - at - 1); len--; break;
      }
      if (len == 0)
        break;
    }
    err.msg[0] = '\0';
    l = gs_lesson_parse (buf, len, "m.lesson", &err);
    if (l != NULL)
      loaded++;
    else if (strncmp (err.msg, "m.lesson", 8) == 0)
      refused++;
    gs_lesson_free (l);
  }
  GS_CHECK (loaded + refused == 3000 && refused > 0,
            "3000 mutants: each loads or is refused naming the file (%d loaded, %d refused)", loaded, refused);
}

/* A 64-bit FNV-1a of n bytes, continuing from h. */
static unsigned long long
fnv (unsigned long long h, const void *data, size_t n)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

/* The bits of the network as a lesson leaves it: the parameters, what
 * the stepper's sequence holds (a snapshot of it: gates, c, h, gradients,
 * logits, inputs), the cursors, the epoch and the interventions. */
static unsigned long long
fingerprint (const GsLessonRunner *r, GsStepper *s)
{
  GsModel *m = s->trainer->model;
  GsSnapshot *snap = gs_snapshot_new ();
  GsError err;
  unsigned long long h = 14695981039346656037ULL;

  h = fnv (h, m->params_mem, m->n_params * sizeof (float));
  h = fnv (h, &s->phase, sizeof s->phase);
  h = fnv (h, &s->n_fwd, sizeof s->n_fwd);
  h = fnv (h, &s->n_bwd, sizeof s->n_bwd);
  h = fnv (h, &s->trainer->epoch, sizeof s->trainer->epoch);
  h = fnv (h, &r->iv.n, sizeof r->iv.n);
  h = fnv (h, r->iv.item, (size_t) r->iv.n * sizeof r->iv.item[0]);
  if (GS_CHECK (gs_snapshot_take (snap, m, &s->trainer->task, 0, s->phase, s->trainer->epoch, &err) == GS_OK,
                "a snapshot of the lesson's network: %s", err.msg)) {
    h = fnv (h, snap->mem, snap->mem_len * sizeof (float));
    h = fnv (h, snap->tokens, (size_t) snap->T * sizeof (int));
  }
  gs_snapshot_free (snap);
  return h;
}

/* Back (gs_lesson_replay_to): after going forward through a lesson, going
 * back to each step and then Next gives the very bits going forward gave
 * — with interventions applied and released on the way (lesson 3). */
static void
test_back (const char *dir)
{
  char path[4096];
  GsError err;
  GsLesson *l;
  GsLessonRunner r;
  GsStepper *s;
  unsigned long long fp[GS_LESSON_MAX_STEPS];
  int right[GS_LESSON_MAX_STEPS];

  snprintf (path, sizeof path, "%s/03-conveyor-belt.lesson", dir);
  l = gs_lesson_load (path, &err);
  if (!GS_CHECK (l != NULL, "%s loads: %s", path, l == NULL ? err.msg : ""))
    return;
  if ((s = new_stepper ()) == NULL) {
    gs_lesson_free (l);
    return;
  }
  GS_CHECK (gs_lesson_first_setup (l) == 0, "lesson 3 sets up its run in step 1 (%d)", gs_lesson_first_setup (l) + 1);
  gs_lesson_runner_init (&r, l);
  for (int i = 0; i < l->n_steps; i++) {
    GS_CHECK (gs_lesson_run_step (&r, s, i, &right[i], &err) == GS_OK, "step %d plays: %s", i + 1, err.msg);
    fp[i] = fingerprint (&r, s);
  }
  /* the steps differ, so an equal fingerprint is not an accident */
  GS_CHECK (fp[1] != fp[2] && fp[2] != fp[3], "steps 2, 3 and 4 leave different networks");
  for (int i = l->n_steps - 1; i >= 1; i--) {
    int back_right = -2, next_right = -2;
    /* Back from step i + 1 to step i … */
    if (!GS_CHECK (gs_lesson_replay_to (&r, s, i - 1, &back_right, &err) == GS_OK, "back to step %d: %s", i, err.msg))
      break;
    GS_CHECK (fingerprint (&r, s) == fp[i - 1] && back_right == right[i - 1],
              "back to step %d: the network going forward left there, bit for bit", i);
    /* … then Next */
    GS_CHECK (gs_lesson_run_step (&r, s, i, &next_right, &err) == GS_OK, "next to step %d: %s", i + 1, err.msg);
    GS_CHECK (fingerprint (&r, s) == fp[i] && next_right == right[i],
              "back, then next to step %d: bit for bit what going forward once gave", i + 1);
  }
  /* a lesson with no set-up cannot be played back */
  {
    static const char text[] = "title = t\ntitle.zh = t\n[step]\ntitle = a\ntext = a\n"
                               "[step]\ntitle = b\ntext = b\n";
    GsLesson *bare = gs_lesson_parse (text, sizeof text - 1, "bare.lesson", &err);
    int rr;
    if (GS_CHECK (bare != NULL, "a lesson without a run parses: %s", bare == NULL ? err.msg : "")) {
      gs_lesson_runner_init (&r, bare);
      GS_CHECK (gs_lesson_replay_to (&r, s, 0, &rr, &err) != GS_OK && strstr (err.msg, "bare.lesson") != NULL,
                "no set-up: Back is refused naming the lesson (%s)", err.msg);
      gs_lesson_free (bare);
    }
  }
  gs_stepper_free (s);
  gs_lesson_free (l);
}

/* One list: a lesson's clamp joins the interventions already on the model
 * (the user's), and releasing the lesson takes back only its own. */
static void
test_one_list (void)
{
  const char *text =
    "title = one list\n"
    "[step]\n"
    "text = set up\n"
    "run = task=hello cell=lstm layers=1 hidden=4 embed=onehot seed=3\n"
    "forward = all\n"
    "[step]\n"
    "text = clamp\n"
    "clamp = 1:f:*=1\n";
  GsLesson *l = parse_ok (text);
  GsStepper *s = new_stepper ();
  GsLessonRunner r;
  GsInterventions user = { .n = 0 };
  const GsModel *m;
  GsError err;
  int right;

  if (l == NULL || s == NULL)
    return;
  gs_lesson_runner_init (&r, l);
  GS_CHECK (gs_lesson_run_step (&r, s, 0, &right, &err) == GS_OK, "set up: %s", err.msg);
  GS_CHECK (gs_interventions_parse (&user, GS_IV_ABLATE, "1:2", &err) == GS_OK, "ablate: %s", err.msg);
  GS_CHECK (gs_stepper_set_interventions (s, &user, &err) == GS_OK, "the user's ablation: %s", err.msg);
  GS_CHECK (gs_lesson_run_step (&r, s, 1, &right, &err) == GS_OK, "clamp: %s", err.msg);
  m = gs_stepper_model (s, GS_PART_NONE);
  GS_CHECK (m->iv != NULL && m->iv->n == 2 && m->iv->item[0].u0 == 2 && m->iv->item[1].gate_letter == 'f',
            "the model holds the user's ablation, then the lesson's clamp (%d)", m->iv != NULL ? m->iv->n : 0);
  GS_CHECK (gs_lesson_runner_release (&r, s, &err) == GS_OK, "release: %s", err.msg);
  m = gs_stepper_model (s, GS_PART_NONE);
  GS_CHECK (m->iv != NULL && m->iv->n == 1 && m->iv->item[0].u0 == 2 && m->iv->item[0].kind == GS_IV_SET_H,
            "after the lesson, the user's ablation alone (%d)", m->iv != NULL ? m->iv->n : 0);
  gs_stepper_free (s);
  gs_lesson_free (l);
}

int
main (void)
{
  const char *src = getenv ("GS_SOURCE_DIR");
  char dir[4096];

  verbose = getenv ("GS_TEST_VERBOSE") != NULL;
  snprintf (dir, sizeof dir, "%s/assets/lessons", src != NULL ? src : ".");
  test_broken ();
  test_rules ();
  test_one_list ();
  test_shipped (dir);
  test_back (dir);
  test_mutants (dir);
  return gs_test_finish ("lessons");
}
