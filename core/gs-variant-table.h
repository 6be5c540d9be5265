/* gs-variant-table.h — the cell variants, one row each.
 *
 * Every place that names a variant switch loops over this table: the
 * validation (gs_variant_validate), the model file's metadata, the CLI's
 * options and help (app/gs-cli-variants.c), the variant spec the settings
 * panel saves (gs_variant_format / gs_variant_parse), the panel's rows
 * (app/gs-settings-panel-variant.c) and the window's subtitle. Adding a
 * variant is one row here, one field in GsVariant (gs-model.h) and its
 * maths in the cell (gs-cell.c); see README.md, "Adding a cell variant".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-model.h"

typedef enum {
  GS_VARIANT_BOOL,    /* a bool field; on = true */
  GS_VARIANT_FLOAT,   /* a float field; on = not 0 (or its set flag) */
  GS_VARIANT_INT,     /* an int field; on = not 0 */
  GS_VARIANT_CHOICE,  /* a bool field named by two words (choice_off, choice_on) */
} GsVariantType;

/* How a range refusal's message takes its arguments. */
typedef enum {
  GS_VARIANT_MSG_PLAIN,        /* no argument */
  GS_VARIANT_MSG_VALUE,        /* %d: the value (int rows) */
  GS_VARIANT_MSG_LIMIT_VALUE,  /* %d %d: the largest allowed value, the value (int rows) */
} GsVariantMsg;

#define GS_CELL_BIT(c) (1u << (unsigned) (c))

typedef struct {
  const char   *name;          /* the switch, as GsVariant's field is named */
  GsVariantType type;
  size_t        offset;        /* of the field in GsVariant */
  size_t        set_offset;    /* of a bool "given even when 0" (forget_bias_set), or 0 for none */
  unsigned      cells;         /* GS_CELL_BIT of each cell it applies to; 0 = every cell */
  const char   *cells_msg;     /* N_(): refusal when on for another cell; %s = the cell's name */
  /* The engine's range (numbers), checked when the switch is on: */
  double        min, max;      /* min ≤ value ≤ max, or value < max with max_open */
  bool          max_open;
  bool          max_is_hidden; /* max is the hidden size − 1 (max is ignored) */
  bool          range_first;   /* the range is checked before the cells */
  const char   *range_msg;     /* N_() */
  GsVariantMsg  range_args;
  int           min_layers;    /* when on, needs this many layers (0 = any) */
  const char   *layers_msg;    /* N_() */
  /* The model file: */
  const char   *meta_key;      /* its metadata key */
  bool          from_tensors;  /* the tensors say it (the metadata, when given, must agree) */
  const char   *choice_off;    /* GS_VARIANT_CHOICE: the words for false and true */
  const char   *choice_on;
  /* The command line: --cli_flag; numbers need an argument. */
  const char   *cli_flag;
  const char   *cli_arg;       /* the argument's name in the help ("X"), NULL for a bool */
  const char   *cli_help;      /* N_(): its help, lines after the first indented by the CLI */
  bool          cli_positive;  /* floats: the CLI takes values > 0 only (ints: always 1 … INT_MAX) */
  /* The settings panel (app/gs-settings-panel-variant.c) makes one row of
   * each: a switch for bools and choices, a number for numbers, with a
   * switch beside it when panel_switch (the number shows panel_off while
   * off); else the number 0 is off. */
  const char   *label;         /* N_(): the row's title, with its mnemonic */
  const char   *help;          /* N_(): the row's subtitle */
  const char   *summary;       /* N_(): its short name in the window's subtitle, with the
                                  value as %g (floats) or %d (ints) */
  bool          panel_switch;
  double        panel_min, panel_max, panel_step;  /* the number's field */
  int           panel_digits;
  double        panel_off;
} GsVariantInfo;

/* What the settings panel does about a refused combination. */
typedef enum {
  GS_REFUSAL_PANEL_NONE,     /* nothing: Apply says the refusal */
  GS_REFUSAL_PANEL_EXCLUDE,  /* turning one on turns the others off */
  GS_REFUSAL_PANEL_GREY,     /* row a is greyed out (and off) while another is on */
} GsRefusalPanel;

/* A combination that is refused: row a on together with any row of others on. */
typedef struct {
  int            a;
  unsigned       others;  /* bit i = row i */
  const char    *msg;     /* N_() */
  GsRefusalPanel panel;
} GsVariantRefusal;

extern const GsVariantInfo    gs_variant_table[];
extern const int              gs_variant_table_len;
extern const GsVariantRefusal gs_variant_refusals[];
extern const int              gs_variant_refusals_len;

/* The row named name (a field name), its CLI flag (without the dashes) or
 * metadata key; −1 when there is none. */
int    gs_variant_find          (const char *name);
int    gs_variant_find_flag     (const char *cli_flag);
int    gs_variant_find_meta_key (const char *key);

bool   gs_variant_row_on        (const GsVariant *v, int row);
/* Numbers as double (bools and choices: 0 or 1). */
double gs_variant_row_get       (const GsVariant *v, int row);
/* Sets the row's field (and its set flag, if it has one). */
void   gs_variant_row_set       (GsVariant *v, int row, double value);
bool   gs_variant_row_applies   (int row, GsCell cell);

/* The variant as a spec, its rows that are on by their CLI flags:
 * "peephole,cell-clip=2.5,gru-reset=before" ("" for the plain cell).
 * Returns the length it needs (snprintf's rule). */
int    gs_variant_format        (char *buf, size_t size, const GsVariant *v);
/* Reads such a spec into v (cleared first); GS_OK, or an error naming
 * the part it cannot read. */
int    gs_variant_parse         (GsVariant *v, const char *spec, GsError *err);
