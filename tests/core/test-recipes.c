/* test-recipes — every task's recommended settings, and the bidirectional
 * refusal of the tasks that predict their own next input.
 *
 * For every task class: it has a recipe, in the same order; the recipe is
 * a valid configuration that builds a run and trains a step; applying it
 * keeps exactly the fields it is told to keep. For every task: the
 * next_element flag agrees with the data (the target of every targeted
 * step is the next step's input, checked on a generated batch), and
 * bidirectional layers are refused exactly where it is set, with a message
 * that names the leak.
 *
 * Whether each recipe solves its task is measured, not tested here (the
 * runs take seconds each; gs-recipe.c lists the numbers), except for the
 * tasks judged on held-out text, classify and charlm (both its corpora,
 * seeds 0–2), and copy, whose recipe memorised its defaults' 64 sequences
 * until the defaults grew; the CLI test checks that
 * `train --task temporal_order` alone solves it.
 *
 * Letters as in gs-model.h: T timesteps, B batch, V vocabulary, O outputs.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-recipe.h"
#include "gs-task.h"
#include "gs-test.h"
#include "gs-train.h"

enum { B_TEST = 8 };

static void
test_every_task_has_a_valid_recipe (void)
{
  int n_classes, n_recipes;
  const GsTaskClass *const *classes = gs_task_classes (&n_classes);
  const GsRecipe *recipes = gs_recipes (&n_recipes);

  GS_CHECK (n_recipes == n_classes, "%d recipes for %d tasks", n_recipes, n_classes);
  for (int i = 0; i < n_classes && i < n_recipes; i++) {
    const GsRecipe *r = &recipes[i];
    GsTrainConfig cfg;
    GsTrainer *tr;
    GsError err = { { 0 } };

    GS_CHECK (strcmp (r->task, classes[i]->name) == 0, "recipe %d is for %s, the task is %s",
              i, r->task, classes[i]->name);
    GS_CHECK (gs_recipe_find (classes[i]->name) == r, "%s: gs_recipe_find", classes[i]->name);
    GS_CHECK (r->steps > 0 && r->seconds > 0.0f && r->seconds < 60.0f,
              "%s: %d steps measured at %.1f s (well under a minute)", r->task, r->steps, (double) r->seconds);

    gs_train_config_default (&cfg);
    snprintf (cfg.task, sizeof cfg.task, "%s", r->task);
    gs_recipe_apply (r, &cfg, 0);
    GS_CHECK (gs_train_config_validate (&cfg, &err) == GS_OK, "%s: the recipe is valid: %s", r->task, err.msg);
    GS_CHECK (cfg.cell == r->cell && cfg.H == r->H && cfg.L == r->L && cfg.B == r->B
              && cfg.opt.kind == r->opt && cfg.opt.lr == r->lr && cfg.clip == r->clip
              && cfg.epochs == r->steps && cfg.one_hot == (r->E == 0),
              "%s: the configuration is the recipe", r->task);
    GS_CHECK (gs_variant_has_forget_bias (&cfg.variant) == (r->cell == GS_CELL_LSTM && r->forget_bias != 0.0f),
              "%s: the forget bias goes with the recipe's LSTM", r->task);

    tr = gs_trainer_new (&cfg, &err);
    GS_CHECK (tr != NULL, "%s: the recipe builds a run: %s", r->task, tr ? "" : err.msg);
    if (tr != NULL) {
      GS_CHECK (gs_trainer_step (tr, &err) == GS_OK && isfinite (tr->last_loss),
                "%s: the recipe trains a step", r->task);
      gs_trainer_free (tr);
    }
  }
  /* The variants: each for a parameter value of a class that has a
   * recipe, found for specs that set it and for no others. */
  {
    int n_variants;
    const GsRecipe *variants = gs_recipe_variants (&n_variants);

    GS_CHECK (n_variants >= 1, "charlm:corpus=zh has a recipe of its own (%d variants)", n_variants);
    for (int v = 0; v < n_variants; v++) {
      const GsRecipe *r = &variants[v];
      char spec[256];
      GsTrainConfig cfg;
      GsError err = { { 0 } };

      snprintf (spec, sizeof spec, "%s:%s", r->task, r->when);
      GS_CHECK (gs_recipe_find (spec) == r && gs_recipe_find (r->task) != r
                && gs_recipe_find (r->task) != NULL && gs_recipe_find (r->task)->when == NULL,
                "%s: the variant is found for its spec, the class's recipe for the bare name", spec);
      GS_CHECK (r->steps > 0 && r->seconds > 0.0f && r->seconds < 60.0f, "%s: %d steps in %.1f s", spec, r->steps,
                (double) r->seconds);
      gs_train_config_default (&cfg);
      snprintf (cfg.task, sizeof cfg.task, "%s", spec);
      gs_recipe_apply (r, &cfg, 0);
      GS_CHECK (gs_train_config_validate (&cfg, &err) == GS_OK && cfg.epochs == r->steps
                && cfg.variant.recurrent_dropout == r->recurrent_dropout, "%s: a valid configuration: %s", spec,
                err.msg);
    }
    GS_CHECK (gs_recipe_find ("charlm:corpus=zh,length=32") == gs_recipe_find ("charlm:corpus=zh")
              && gs_recipe_find ("charlm:corpus=en") == gs_recipe_find ("charlm")
              && gs_recipe_find ("charlm:length=16") == gs_recipe_find ("charlm"),
              "the variant goes with corpus=zh, whatever else the spec sets, and only with it");
  }
  /* A spec with parameters finds its class's recipe; an unknown one none. */
  GS_CHECK (gs_recipe_find ("adding:length=50") == gs_recipe_find ("adding"), "a spec's recipe is its class's");
  GS_CHECK (gs_recipe_find ("nosuch") == NULL && gs_recipe_find ("") == NULL && gs_recipe_find (NULL) == NULL,
            "no recipe for an unknown task");
}

/* What the user gave stays; what the recipe covers and was not given is the recipe's. */
static void
test_apply_keeps_what_was_given (void)
{
  const GsRecipe *r = gs_recipe_find ("temporal_order");
  GsTrainConfig cfg, given;

  if (!GS_CHECK (r != NULL, "temporal_order has a recipe"))
    return;
  gs_train_config_default (&given);
  given.cell = r->cell == GS_CELL_LSTM ? GS_CELL_GRU : GS_CELL_LSTM;
  given.H = r->H + 3;
  given.L = r->L == 1 ? 2 : 1;
  given.B = r->B + 5;
  given.opt.lr = r->lr * 3.0f;
  given.clip = r->clip + 2.0f;
  given.epochs = r->steps + 7;
  given.one_hot = r->E != 0;
  given.E = 13;
  given.seed = 42;
  given.variant.recurrent_dropout = 0.25f;

  cfg = given;
  gs_recipe_apply (r, &cfg, GS_RECIPE_KEEP_CELL | GS_RECIPE_KEEP_INPUT | GS_RECIPE_KEEP_HIDDEN
                   | GS_RECIPE_KEEP_LAYERS | GS_RECIPE_KEEP_BATCH | GS_RECIPE_KEEP_OPTIMIZER
                   | GS_RECIPE_KEEP_LR | GS_RECIPE_KEEP_CLIP | GS_RECIPE_KEEP_STEPS
                   | GS_RECIPE_KEEP_FORGET_BIAS | GS_RECIPE_KEEP_RECURRENT_DROPOUT);
  GS_CHECK (memcmp (&cfg, &given, sizeof cfg) == 0, "keeping everything changes nothing");

  cfg = given;
  gs_recipe_apply (r, &cfg, GS_RECIPE_KEEP_HIDDEN | GS_RECIPE_KEEP_STEPS);
  GS_CHECK (cfg.H == given.H && cfg.epochs == given.epochs, "kept: hidden and steps");
  GS_CHECK (cfg.cell == r->cell && cfg.L == r->L && cfg.B == r->B && cfg.opt.lr == r->lr
            && cfg.clip == r->clip && cfg.one_hot == (r->E == 0),
            "the rest is the recipe's");
  GS_CHECK (cfg.seed == 42 && strcmp (cfg.task, given.task) == 0, "the seed and the task are not the recipe's");
  GS_CHECK (cfg.variant.recurrent_dropout == r->recurrent_dropout, "the recurrent dropout is the recipe's (%g)",
            (double) cfg.variant.recurrent_dropout);
}

/* Whether every targeted step's target is the next step's input, on one
 * generated batch (false when no targeted step has a next one). */
static bool
targets_are_next_inputs (const GsTask *task, const GsBatch *b)
{
  const int T = b->T, B = b->B;
  int compared = 0;

  for (int t = 0; t + 1 < T; t++)
    for (int s = 0; s < B; s++) {
      if (task->input == GS_INPUT_DENSE) {
        if (!b->ymask[t * B + s])
          continue;
        for (int f = 0; f < task->V && f < task->O; f++)
          if (b->ys[((size_t) t * B + s) * task->O + f] != b->xs[((size_t) (t + 1) * B + s) * task->V + f])
            return false;
      } else {
        int y = b->targets[t * B + s];
        if (y < 0)
          continue;
        if (y != b->tokens[(t + 1) * B + s])
          return false;
      }
      compared++;
    }
  return compared > 0;
}

static void
test_next_element_and_bidirectional (void)
{
  int n;
  const GsTaskClass *const *classes = gs_task_classes (&n);
  int refused = 0;

  for (int i = 0; i < n; i++) {
    const GsTaskClass *k = classes[i];
    GsTask task;
    GsBatch batch;
    GsRng rng;
    GsTrainConfig cfg;
    GsError err = { { 0 } };
    int status;

    if (!GS_CHECK (gs_task_init (&task, k->name, &err) == GS_OK, "%s: init: %s", k->name, err.msg))
      continue;
    if (GS_CHECK (gs_batch_alloc (&batch, &task, 0, B_TEST, &err) == GS_OK, "%s: batch", k->name)) {
      gs_rng_seed (&rng, 7);
      gs_task_fill (&task, &rng, &batch);
      GS_CHECK (targets_are_next_inputs (&task, &batch) == k->next_element,
                "%s: next_element is %s, the data says otherwise", k->name, k->next_element ? "set" : "unset");
      gs_batch_free (&batch);
    }

    gs_train_config_default (&cfg);
    snprintf (cfg.task, sizeof cfg.task, "%s", k->name);
    cfg.L = 1;
    cfg.variant.bidirectional = true;
    status = gs_train_config_validate (&cfg, &err);
    if (k->next_element) {
      refused++;
      GS_CHECK (status != GS_OK && strstr (err.msg, k->name) != NULL && strstr (err.msg, "reverse direction") != NULL,
                "%s: bidirectional refused with the leak explained: %s", k->name, err.msg);
    } else {
      GS_CHECK (status == GS_OK, "%s: bidirectional layers pass validation: %s", k->name, err.msg);
    }
    cfg.variant.bidirectional = false;
    GS_CHECK (gs_train_config_validate (&cfg, &err) == GS_OK, "%s: one direction is valid", k->name);
    gs_task_clear (&task);
  }
  GS_CHECK (refused == 5, "charlm, series, reber, continual_reber and xor predict the next element (%d tasks)",
            refused);
}

/* The recipes solve these tasks on their held-out data, as gs-recipe.c
 * says, the recipe alone: classify's held-out quarter of the shipped
 * phrases (English and Chinese) and charlm's held-out last tenth of both
 * shipped corpora, where the bar is a bigram count model's accuracy plus a
 * twentieth of its errors (43 % and 22 %), seeds 0–2, and where the
 * training score is the higher (the gap is what the held-out judgement is
 * for); and copy's held-out fifth of its sequences, where it is not: a
 * recipe that copies does as well on sequences it never saw, one that
 * memorised pairs (as copy's did on the 64 sequences of its old defaults:
 * 100 % against 16–47 %) does not. (0.2 s, 2.8 s, 0.5 s and 4.5 s of CPU a
 * seed.) */
static void
test_recipe_solves_on_held_out_data (const char *spec, int seed, bool gap)
{
  const GsRecipe *r = gs_recipe_find (spec);
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsTaskEval held, train;
  GsError err = { { 0 } };

  if (!GS_CHECK (r != NULL, "%s has a recipe", spec))
    return;
  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "%s", spec);
  cfg.seed = (uint64_t) seed;
  gs_recipe_apply (r, &cfg, 0);
  tr = gs_trainer_new (&cfg, &err);
  if (!GS_CHECK (tr != NULL, "%s: %s", spec, tr ? "" : err.msg))
    return;
  for (int s = 0; s < cfg.epochs; s++)
    if (!GS_CHECK (gs_trainer_step (tr, &err) == GS_OK, "%s: step %d: %s", spec, s, err.msg))
      break;
  if (GS_CHECK (gs_trainer_evaluate (tr, &held, &err) == GS_OK && gs_trainer_evaluate_training (tr, &train, &err) == GS_OK,
                "%s: judged: %s", spec, err.msg)) {
    GS_CHECK (!held.on_training_data && !tr->task.no_held_out, "%s: judged on held-out data", spec);
    GS_CHECK (held.solved && held.metric >= held.threshold,
              "%s, seed %d: the recipe (%d steps) solves it on held-out data: %.1f %% (solved at %.0f %%)", spec, seed,
              cfg.epochs, 100.0 * held.metric, 100.0 * held.threshold);
    if (strncmp (spec, "charlm", 6) == 0)
      GS_CHECK (held.baseline_name != NULL && held.baseline > 0.1f && held.threshold > held.baseline + 0.02f,
                "%s: the bar (%.1f %%) is above a bigram count model's accuracy (%.1f %%)", spec,
                100.0 * held.threshold, 100.0 * held.baseline);
    if (gap)
      GS_CHECK (train.metric > held.metric, "%s: training %.1f %% above held-out %.1f %%", spec, 100.0 * train.metric,
                100.0 * held.metric);
    else
      GS_CHECK (train.metric - held.metric < 0.01f, "%s: training %.1f %%, held-out %.1f %%: learnt, not memorised",
                spec, 100.0 * train.metric, 100.0 * held.metric);
    printf ("%s: recipe, seed %d: training %.1f %%, held-out %.1f %% (baseline %.1f %%, solved at %.0f %%)\n", spec,
            seed, 100.0 * train.metric, 100.0 * held.metric, 100.0 * held.baseline, 100.0 * held.threshold);
  }
  gs_trainer_free (tr);
}

int
main (void)
{
  test_every_task_has_a_valid_recipe ();
  test_apply_keeps_what_was_given ();
  test_next_element_and_bidirectional ();
  test_recipe_solves_on_held_out_data ("classify", 0, true);
  test_recipe_solves_on_held_out_data ("classify:lang=zh", 0, true);
  for (int seed = 0; seed < 3; seed++) {
    test_recipe_solves_on_held_out_data ("charlm", seed, true);
    test_recipe_solves_on_held_out_data ("charlm:corpus=zh", seed, true);
  }
  test_recipe_solves_on_held_out_data ("copy", 0, false);
  return gs_test_finish ("recipes");
}
