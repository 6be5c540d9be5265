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
  OPT_TARGETS,
  OPT_GRADS,
  OPT_JSON,
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

/* The commands (gs-cli-train.c, gs-cli-forward.c). */
int  cli_train (GsCli *cli, int argc, char **argv);
void print_train_usage (FILE *f);
int  cli_forward (GsCli *cli, int argc, char **argv);
void print_forward_usage (FILE *f);
