/* gs-recipe.h — the settings that solve each task.
 *
 * The seed model (gs_train_config_default) is the hello exercise's: 2 small
 * layers, 15 epochs of batch 1. It ends at chance on temporal_order and far
 * from solving charlm. Every task therefore carries a recipe: the cell, the
 * input, the sizes, the optimizer, the learning rate, the batch and the
 * number of steps that solved it, measured with its default parameters on
 * a 2-core machine (three seeds each; the numbers are in gs-recipe.c).
 *
 * The CLI's train fills whatever the user did not give from the task's
 * recipe, `tasks` lists them, and the window offers them when a task is
 * chosen. The recipe for hello is the seed model itself.
 */
#pragma once

#include <stdbool.h>

#include "gs-train.h"

typedef struct {
  const char *task;        /* the task class's name: "temporal_order" */
  const char *when;        /* NULL: the class's recipe; "corpus=zh": a variant for specs that set the
                            * parameter so (gs_recipe_variants) */
  GsCell      cell;
  int         E;           /* embedding size; 0 = one-hot input (ignored for dense input) */
  int         H, L, B;
  GsOptKind   opt;
  float       lr;
  float       clip;        /* 0 = none */
  float       forget_bias; /* LSTM: b_if starts here, b_hf at 0 (gs-model.h); 0 = PyTorch's init */
  float       recurrent_dropout; /* on h_{t-1} while training (gs-model.h); 0 = none */
  int         steps;
  float       seconds;     /* the measured CPU time of `steps` on the development VM (one core) */
  bool        unsolved;    /* these settings learn the training data but do not solve the task on
                            * its held-out data: the CLI and the window say so. No recipe is
                            * (copy's was, while its defaults had 64 sequences to memorise) */
} GsRecipe;

/* What the user gave, which gs_recipe_apply leaves alone. */
typedef enum {
  GS_RECIPE_KEEP_CELL        = 1 << 0,
  GS_RECIPE_KEEP_INPUT       = 1 << 1,   /* one_hot and E */
  GS_RECIPE_KEEP_HIDDEN      = 1 << 2,
  GS_RECIPE_KEEP_LAYERS      = 1 << 3,
  GS_RECIPE_KEEP_BATCH       = 1 << 4,
  GS_RECIPE_KEEP_OPTIMIZER   = 1 << 5,   /* the kind and its other PyTorch defaults */
  GS_RECIPE_KEEP_LR          = 1 << 6,
  GS_RECIPE_KEEP_CLIP        = 1 << 7,
  GS_RECIPE_KEEP_STEPS       = 1 << 8,
  GS_RECIPE_KEEP_FORGET_BIAS = 1 << 9,
  GS_RECIPE_KEEP_RECURRENT_DROPOUT = 1 << 10,
} GsRecipeKeep;

/* Every recipe, one per task class, in gs_task_classes () order. */
const GsRecipe *gs_recipes      (int *n_out);
/* The variants: recipes for a task whose data differs enough with one
 * parameter that the class's recipe does not solve it (charlm's Tang
 * poems), each `when` a key=value of its class's parameters. */
const GsRecipe *gs_recipe_variants (int *n_out);
/* The recipe of a task spec: the variant whose `when` the spec sets
 * ("charlm:corpus=zh"), else its class's ("adding:length=50" → adding's);
 * NULL for an unknown name. */
const GsRecipe *gs_recipe_find  (const char *spec);
/* Writes the recipe into cfg except the fields named in keep. The forget
 * bias is set only when the resulting cell is an LSTM; it is cleared
 * (PyTorch's init) when the recipe has none and keep does not name it, and
 * so is the recurrent dropout. The
 * task, the seed and the other cell variants are left as they are. */
void            gs_recipe_apply (const GsRecipe *r, GsTrainConfig *cfg, unsigned keep);
/* The recipe as command-line options, "--cell gru --embed 0 --hidden 32 …". */
void            gs_recipe_format (const GsRecipe *r, char *buf, size_t size);
