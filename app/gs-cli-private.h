/* gs-cli-private.h — what the gatescope-cli commands share: the run's
 * streams, the option ids, and the parsing and message helpers. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "gs-cli.h"

#define PROG "gatescope-cli"

/* forward --tokens: longer sequences belong in a file format, not argv. */
#define GS_CLI_MAX_TOKENS 100000

typedef struct {
  FILE       *out;      /* borrowed: normal output */
  FILE       *err;      /* borrowed: messages */
  const char *command;  /* the command being run, for "see … --help" hints */
} GsCli;

/* Long-only options: values above any character. */
enum {
  OPT_TASK = 256,
  OPT_CELL,
  OPT_LAYERS,
  OPT_HIDDEN,
  OPT_EMBED,
  OPT_OPTIMIZER,
  OPT_LR,
  OPT_MOMENTUM,
  OPT_CLIP,
  OPT_EPOCHS,
  OPT_SEED,
  OPT_SAVE,
  OPT_TRAP_FP,
  OPT_MODEL,
  OPT_TOKENS,
  OPT_TEXT,
  OPT_TARGETS,
  OPT_GRADS,
  OPT_JSON,
  OPT_BATCH,
  OPT_SUITE,
  OPT_ROUNDS,
  OPT_MIN_TIME,
  OPT_QUICK,
  OPT_INIT,
  OPT_LOG_EVERY,
  OPT_SAVE_SESSION,
  OPT_RESUME,
  OPT_GREEDY,
};


int  cli_fail (GsCli *cli, int status, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));
void cell_names (char *buf, size_t size);
void optimizer_names (char *buf, size_t size);
bool parse_integer (GsCli *cli, const char *what, const char *s, long long min, long long max, long long *out);
bool parse_int (GsCli *cli, const char *what, const char *s, int min, int max, int *out);
bool parse_float (GsCli *cli, const char *what, const char *s, float *out);
bool parse_int_list (GsCli *cli, const char *what, const char *s, int **out, int *n_out);
int  option_error (GsCli *cli, int c, char **argv);
int  check_no_arguments (GsCli *cli, int argc, char **argv);

/* The commands (gs-cli-train.c, gs-cli-forward.c, gs-cli-bench.c). */
int  cli_train (GsCli *cli, int argc, char **argv);
void print_train_usage (FILE *f);
int  cli_forward (GsCli *cli, int argc, char **argv);
void print_forward_usage (FILE *f);
int  cli_bench (GsCli *cli, int argc, char **argv);
void print_bench_usage (FILE *f);
int  cli_compare (GsCli *cli, int argc, char **argv);   /* gs-cli-compare.c */
/* experiment odyssey (gs-cli-odyssey.c); seeds, steps 0 = the defaults */
int  cli_odyssey (GsCli *cli, int seeds, int steps, bool quick, bool json);
void print_compare_usage (FILE *f);
int  cli_step (GsCli *cli, int argc, char **argv);      /* gs-cli-step.c */
void print_step_usage (FILE *f);

/* The task commands (gs-cli-tasks.c). Their option ids sit apart from the
 * enum above so that the two lists grow independently. */
#include "gs-train.h"

enum {
  OPT_TK_EVAL_EVERY = 2048,
  OPT_TK_UNTIL_SOLVED,
  OPT_TK_PRIME,
  OPT_TK_LENGTH,
  OPT_TK_TEMPERATURE,
  OPT_TK_SEEDS,
  OPT_TK_STEPS,
  OPT_TK_LANG,
};

/* The cell-variant options (gs-model.h's GsVariant), shared by every
 * command that trains: train and compare. */
/* The cell variants (gs-cli-variants.c): one long option per row of
 * gs_variant_table, --cli_flag, with the code OPT_VAR_BASE + the row. */
#define OPT_VAR_BASE 3072

struct option;
/* own (ending in { NULL, … }) and every variant option after it, in a
 * static array: what a command that takes GS_CLI_TRAIN_OPTIONS hands to
 * getopt_long. */
const struct option *cli_with_variant_options (const struct option *own);
void print_variant_usage (FILE *f);

/* The intervention options (gs-intervene.h; gs-cli-intervene.c), for the
 * commands that run a model. */
#include "gs-intervene.h"

enum {
  OPT_IV_CLAMP = 3584,
  OPT_IV_SET_C,
  OPT_IV_SET_H,
  OPT_IV_ABLATE,
  OPT_IV_WEIGHT,
};

#define GS_CLI_INTERVENTION_OPTIONS                                             \
  { "clamp",             required_argument, NULL, OPT_IV_CLAMP },              \
  { "set-c",             required_argument, NULL, OPT_IV_SET_C },              \
  { "set-h",             required_argument, NULL, OPT_IV_SET_H },              \
  { "ablate",            required_argument, NULL, OPT_IV_ABLATE },             \
  { "set-weight",        required_argument, NULL, OPT_IV_WEIGHT }

/* 1 when c is one of them (appended to list), 0 when not, −1 after a usage error. */
int  cli_intervention_option (GsCli *cli, int c, const char *arg, GsInterventions *list);
void print_intervention_usage (FILE *f);
/* Sets on m the interventions it holds (a session's) followed by those
 * given as options. */
int  cli_apply_interventions (GsModel *m, const GsInterventions *options, GsError *err);
/* ,"interventions":[…] alone (train's summary). */
void cli_print_interventions_list_json (FILE *f, const GsModel *m);
/* ,"interventions":[…],"states":[…] of a model with interventions (nothing without);
 * each says "from": "session" or "option". */
void cli_print_interventions_json (FILE *f, const GsModel *m);

/* The training options of train and compare (gs-cli.c): --task, the model's
 * and the optimizer's settings, and every cell variant. A command lists
 * GS_CLI_TRAIN_OPTIONS in its table, gives getopt_long that table with the
 * variants (cli_with_variant_options), hands each option to
 * cli_train_option, then turns the result into its configuration with
 * cli_train_options_finish. Its own options (--cell, --epochs, --seed, …)
 * it may write into cfg directly. */
typedef struct {
  GsTrainConfig cfg;            /* gs_train_config_default's, with the options applied */
  const char   *task;           /* --task, borrowed from argv; NULL: the default */
  bool          have_kind;      /* --optimizer given: its PyTorch defaults replace cfg.opt */
  GsOptKind     kind;
  float         lr;             /* --lr, or the default's */
  bool          have_momentum;
  float         momentum;
  int           embed;          /* --embed; −1: the default, 0: one-hot input */
  unsigned      given;          /* GsRecipeKeep: the settings given on the command line */
} GsTrainOptions;

#define GS_CLI_TRAIN_OPTIONS                                                    \
  { "task",              required_argument, NULL, OPT_TASK },                  \
  { "layers",            required_argument, NULL, OPT_LAYERS },                \
  { "hidden",            required_argument, NULL, OPT_HIDDEN },                \
  { "embed",             required_argument, NULL, OPT_EMBED },                 \
  { "batch",             required_argument, NULL, OPT_BATCH },                 \
  { "optimizer",         required_argument, NULL, OPT_OPTIMIZER },             \
  { "lr",                required_argument, NULL, OPT_LR },                    \
  { "momentum",          required_argument, NULL, OPT_MOMENTUM },              \
  { "clip",              required_argument, NULL, OPT_CLIP }

void cli_train_options_init (GsTrainOptions *o);
/* A command's getopt loop ends in this for what it does not handle itself:
 * applies option c (its value arg) to o and returns GS_CLI_EXIT_OK, or
 * prints the usage error — a bad value, or an option neither the command
 * nor this list knows (option_error, which reads argv) — and returns its
 * status. */
int  cli_train_option (GsCli *cli, int c, const char *arg, char **argv, GsTrainOptions *o);
/* Settles o->cfg: the optimizer's defaults, --lr and --momentum over them,
 * --embed, --task. Returns GS_CLI_EXIT_OK or, after printing the message,
 * GS_CLI_EXIT_USAGE. */
int  cli_train_options_finish (GsCli *cli, GsTrainOptions *o);
/* train: fills whatever o->given does not name from the task's recipe
 * (gs-recipe.h), before cli_train_options_finish. */
void cli_train_options_recommend (GsTrainOptions *o);
/* The engine's rules for cfg (gs_train_config_validate), which depend on
 * the cell: compare checks each of its configurations. Returns as above. */
int  cli_train_config_check (GsCli *cli, const GsTrainConfig *cfg);

/* One progress line redrawn in place when cli->out is a terminal
 * (gs-cli-progress.c). Text printed meanwhile clears it first. */
typedef struct {
  FILE  *f;
  bool   on;        /* a terminal, and the caller wants it */
  bool   drawn;     /* the line is on the screen */
  int    total;
  double t0, last;
  double delay;     /* seconds before the first drawing */
} GsCliProgress;

bool cli_progress_wanted (GsCli *cli);
void cli_progress_start  (GsCliProgress *p, GsCli *cli, int total, bool enabled);
void cli_progress_update (GsCliProgress *p, int done, float loss);
void cli_progress_clear  (GsCliProgress *p);

/* s as a JSON string, quotes included. */
void cli_print_json_string (FILE *f, const char *s);

/* train's reporting for tasks other than the seed task, and with --json. */
typedef struct {
  bool json;          /* one JSON object per epoch, then {"final": true, …} */
  int  eval_every;    /* judge on the held-out batch every N steps; 0 = at the end only */
  bool until_solved;  /* stop at the first such evaluation that is solved */
  int  log_every;     /* a loss line every N epochs (and the last); 0 = every one */
  GsCliProgress *progress;  /* borrowed, nullable: on a terminal, instead of the lines */
} GsCliTrainReport;

bool  cli_train_epoch (GsCli *cli, GsTrainer *tr, const GsCliTrainReport *r, int epochs, int *status);
int   cli_train_final (GsCli *cli, GsTrainer *tr, const GsCliTrainReport *r);
char *cli_task_chars  (const GsTask *task);

/* Sessions and model files (gs-cli-session.c). */
#include "gs-safetensors.h"
#include "gs-stepper.h"
/* The task's token strings joined by commas ("e,h,l,o"), or NULL when the
 * task has none (dense input): a model file's "vocab". */
char *cli_task_vocab (const GsTask *task);
/* Where a session's copy of a user's corpus goes when its own path is gone:
 * $XDG_DATA_HOME/gatescope/session-files. */
void  cli_session_data_dir (char *buf, size_t size);
/* A model file or a session ("-": stdin). For a session the model is a
 * copy of the run's (evaluation mode), st carries the "task", "vocab" and
 * "chars" a model file of the run would, and *session (when asked for)
 * receives the run itself; for a model file *session is NULL. */
GsModel *cli_model_load (const char *path, GsModelLoadOptions *opts, GsSafetensors **st_out,
                         GsStepper **session, GsError *err);

int  cli_tasks (GsCli *cli, int argc, char **argv);
void print_tasks_usage (FILE *f);
int  cli_sample (GsCli *cli, int argc, char **argv);
void print_sample_usage (FILE *f);
int  cli_experiment (GsCli *cli, int argc, char **argv);
void print_experiment_usage (FILE *f);
int  cli_shapes (GsCli *cli, int argc, char **argv);      /* gs-cli-shapes.c */
void print_shapes_usage (FILE *f);
int  cli_code (GsCli *cli, int argc, char **argv);        /* gs-cli-code.c */
void print_code_usage (FILE *f);
