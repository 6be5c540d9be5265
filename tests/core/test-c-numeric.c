/* test-c-numeric — numbers in text are C-locale whatever the user's locale.
 *
 * Under a locale whose decimal separator is a comma (de_DE.UTF-8, which
 * build-aux/bootstrap.sh check generates), every reader of the engine still
 * takes "0.25" and every writer still writes it: the task spec, the
 * variant spec, an intervention spec, a lesson's run and question, a
 * recipe's command line, the exported code and a model file's metadata
 * written and read back. Where no such locale is installed, the test
 * compiles de_DE.UTF-8 into a directory of its own (localedef, LOCPATH, as
 * tests/cli/test-cli.sh does); without localedef or the locale's source it
 * says so and is skipped (exit status 77).
 */
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-code.h"
#include "gs-intervene.h"
#include "gs-lesson.h"
#include "gs-recipe.h"
#include "gs-safetensors.h"
#include "gs-task.h"
#include "gs-test.h"
#include "gs-test-models.h"
#include "gs-variant-table.h"

static const char *const comma_locales[] = {
  "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8", "es_ES.UTF-8", "it_IT.UTF-8", "nl_NL.UTF-8",
  "pt_BR.UTF-8",
};

/* Sets the first comma-decimal locale there is; NULL when none. */
static const char *
set_comma_locale (void)
{
  for (size_t i = 0; i < sizeof comma_locales / sizeof *comma_locales; i++)
    if (setlocale (LC_ALL, comma_locales[i]) != NULL && strcmp (localeconv ()->decimal_point, ",") == 0)
      return comma_locales[i];
  return NULL;
}

/* Compiles de_DE.UTF-8 into a fresh directory (dir, 64 bytes) and points
 * LOCPATH at it; false where localedef or the source is missing. */
static bool
make_comma_locale (char *dir)
{
  char cmd[256];

  snprintf (dir, 64, "/tmp/gatescope-locale-XXXXXX");
  if (access ("/usr/share/i18n/locales/de_DE", R_OK) != 0 || mkdtemp (dir) == NULL)
    return false;
  snprintf (cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
  if (system (cmd) != 0)
    return false;
  return setenv ("LOCPATH", dir, 1) == 0;
}

/* Removes what make_comma_locale made. */
static void
remove_comma_locale (const char *dir)
{
  char cmd[256];

  if (dir[0] == '\0')
    return;
  snprintf (cmd, sizeof cmd, "rm -rf %s", dir);
  if (system (cmd) != 0)
    fprintf (stderr, "could not remove %s\n", dir);
}

static void
check_task_spec (void)
{
  GsTask task;
  GsError err = { { 0 } };

  memset (&task, 0, sizeof task);
  GS_CHECK (gs_task_init (&task, "series:noise=0.25", &err) == GS_OK, "series:noise=0.25 parses: %s", err.msg);
  GS_CHECK (gs_task_num (&task, "noise") == 0.25, "noise is 0.25, not %g", gs_task_num (&task, "noise"));
  GS_CHECK (strcmp (task.spec, "series:noise=0.25") == 0, "canonical spec %s", task.spec);
  gs_task_clear (&task);

  /* The default "0.01" is still recognised as the default. */
  memset (&task, 0, sizeof task);
  GS_CHECK (gs_task_init (&task, "series:noise=0.01", &err) == GS_OK, "series:noise=0.01 parses: %s", err.msg);
  GS_CHECK (strcmp (task.spec, "series") == 0, "the default leaves the spec: %s", task.spec);
  gs_task_clear (&task);

  /* "0,25" is not a number here: a comma separates the parameters. */
  memset (&task, 0, sizeof task);
  GS_CHECK (gs_task_init (&task, "series:noise=0,25", &err) != GS_OK, "series:noise=0,25 is refused");
  gs_task_clear (&task);
}

static void
check_variant_spec (void)
{
  GsVariant v;
  GsError err = { { 0 } };
  char buf[256];

  GS_CHECK (gs_variant_parse (&v, "forget-bias=2.5", &err) == GS_OK, "forget-bias=2.5 parses: %s", err.msg);
  GS_CHECK (v.forget_bias == 2.5f, "forget bias 2.5, not %g", (double) v.forget_bias);
  gs_variant_format (buf, sizeof buf, &v);
  GS_CHECK (strcmp (buf, "forget-bias=2.5") == 0, "formatted as %s", buf);
}

static void
check_intervention (void)
{
  GsInterventions list = { .n = 0 };
  GsError err = { { 0 } };

  GS_CHECK (gs_interventions_parse (&list, GS_IV_CLAMP, "1:f:*=0.75", &err) == GS_OK, "1:f:*=0.75 parses: %s",
            err.msg);
  GS_CHECK (list.n == 1 && list.item[0].value == 0.75f, "clamped to 0.75");
}

static void
check_lesson (void)
{
  static const char text[] =
    "title = Decimals\n"
    "[step]\n"
    "text = a\n"
    "run = task=series:noise=0.25 cell=lstm lr=0.05 clip=0.5 forget-bias=1.5\n"
    "question = q\n"
    "answer = closest 0.5 a=loss b=epoch margin=0.125\n"
    "choice = a | A\n"
    "choice = b | B\n";
  GsError err = { { 0 } };
  GsLesson *lesson = gs_lesson_parse (text, sizeof text - 1, "decimals.lesson", &err);
  const GsLessonStep *st;

  GS_CHECK (lesson != NULL, "the lesson parses: %s", err.msg);
  if (lesson == NULL)
    return;
  st = &lesson->step[0];
  GS_CHECK (st->n_actions == 1 && st->action[0].kind == GS_ACT_RUN, "one run");
  GS_CHECK (st->action[0].run->opt.lr == 0.05f, "lr 0.05, not %g", (double) st->action[0].run->opt.lr);
  GS_CHECK (st->action[0].run->clip == 0.5f, "clip 0.5, not %g", (double) st->action[0].run->clip);
  GS_CHECK (st->action[0].run->variant.forget_bias == 1.5f, "forget bias 1.5");
  GS_CHECK (strcmp (st->action[0].run->task, "series:noise=0.25") == 0, "task %s", st->action[0].run->task);
  GS_CHECK (st->question.value == 0.5 && st->question.margin == 0.125, "closest 0.5, margin 0.125: %g, %g",
            st->question.value, st->question.margin);
  gs_lesson_free (lesson);
}

static void
check_recipe_and_code (void)
{
  const GsRecipe *r = gs_recipe_find ("charlm");
  GsConfig model = { .cell = GS_CELL_LSTM, .input = GS_INPUT_ONEHOT, .loss = GS_LOSS_CE,
                     .V = 4, .H = 4, .L = 1, .O = 4 };
  GsTrainConfig cfg;
  char buf[512];
  char *code;

  GS_CHECK (r != NULL, "the charlm recipe exists");
  if (r == NULL)
    return;
  gs_recipe_format (r, buf, sizeof buf);
  GS_CHECK (strstr (buf, "--lr 0.") != NULL && strstr (buf, "--lr 0,") == NULL, "recipe: %s", buf);

  memset (&cfg, 0, sizeof cfg);
  gs_recipe_apply (r, &cfg, 0);
  cfg.opt.lr = 0.25f;
  code = gs_code_generate (GS_CODE_PYTORCH, &model, &cfg);
  GS_CHECK (code != NULL && strstr (code, "lr=0.25") != NULL, "the PyTorch code says lr=0.25");
  free (code);
}

static void
check_model_file (void)
{
  GsVariant v = { .forget_bias = 2.5f };
  GsModel *m = gs_test_model_new_variant (GS_CELL_LSTM, GS_INPUT_ONEHOT, GS_LOSS_CE, 1, 4, 3, 2, 1, &v, 1.0f);
  char path[] = "/tmp/gatescope-c-numeric-XXXXXX";
  int fd = mkstemp (path);
  GsError err = { { 0 } };
  GsSafetensors *st = NULL;
  GsModel *back;

  GS_CHECK (fd >= 0, "a temporary file");
  if (fd < 0)
    return;
  close (fd);
  GS_CHECK (gs_model_save (m, path, NULL, 0, &err) == GS_OK, "saved: %s", err.msg);
  back = gs_model_load (path, &st, &err);
  GS_CHECK (back != NULL, "read back: %s", err.msg);
  if (back != NULL) {
    /* Written "2.5", as PyTorch's side reads it, and read back. */
    GS_CHECK (strcmp (gs_st_meta (st, "forget_bias"), "2.5") == 0, "metadata forget_bias is %s",
              gs_st_meta (st, "forget_bias"));
    GS_CHECK (back->cfg.variant.forget_bias == 2.5f, "forget bias 2.5 read back, not %g",
              (double) back->cfg.variant.forget_bias);
  }
  gs_st_free (st);
  gs_model_free (back);
  gs_model_free (m);
  unlink (path);
}

int
main (void)
{
  const char *name = set_comma_locale ();
  char made[64] = "";
  char *end;
  int status;

  if (name == NULL && make_comma_locale (made))
    name = set_comma_locale ();
  if (name == NULL) {
    printf ("SKIP: no locale with a decimal comma is installed and localedef could not make de_DE.UTF-8 "
            "(build-aux/bootstrap.sh check generates it)\n");
    remove_comma_locale (made);
    return 77;
  }
  printf ("under %s%s%s\n", name, made[0] != '\0' ? ", compiled into " : "", made);
  /* The locale is in force: the C library's own strtod stops at the point. */
  GS_CHECK (strtod ("0.5", &end) == 0.0 && *end == '.', "plain strtod reads 0.5 as 0 under %s", name);

  check_task_spec ();
  check_variant_spec ();
  check_intervention ();
  check_lesson ();
  check_recipe_and_code ();
  check_model_file ();
  status = gs_test_finish ("c-numeric");
  remove_comma_locale (made);
  return status;
}
