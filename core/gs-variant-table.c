/* gs-variant-table.c — the cell variants, one row each (gs-variant-table.h).
 *
 * The rows' order is the order in which gs_variant_validate checks them
 * and in which a model file lists their metadata.
 */
#include "gs-variant-table.h"

#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"
#include "gs-i18n.h"

/* Row indices, for the refusals. */
enum {
  R_FORGET_BIAS, R_PEEPHOLE, R_CIFG, R_NO_FORGET_GATE, R_NO_INPUT_GATE, R_NO_OUTPUT_GATE,
  R_NO_INPUT_ACT, R_NO_OUTPUT_ACT, R_FULL_GATE_RECURRENCE, R_CELL_CLIP, R_PROJ, R_GRU_RESET,
  R_IRNN, R_BIDIRECTIONAL, R_DROPOUT, R_RECURRENT_DROPOUT, R_BPTT, N_ROWS
};

#define LSTM GS_CELL_BIT (GS_CELL_LSTM)
#define OFF(field) offsetof (GsVariant, field)

const GsVariantInfo gs_variant_table[] = {
  [R_FORGET_BIAS] = {
    .name = "forget_bias", .type = GS_VARIANT_FLOAT, .offset = OFF (forget_bias),
    .set_offset = OFF (forget_bias_set),
    .cells = LSTM, .cells_msg = N_("a forget-gate bias applies to lstm, not %s"),
    .min = -100.0, .max = 100.0,
    .range_msg = N_("the forget-gate bias must be a number between -100 and 100"),
    .meta_key = "forget_bias", .cli_flag = "forget-bias",
    .cli_arg = "X", .cli_help = N_("lstm: initialise the forget-gate bias b_if to X, b_hf to 0\n"
                   "(TensorFlow's forget_bias; default: PyTorch's random init)"),
    .label = N_("_Forget-gate bias"),
    .summary = N_("forget bias %g"),
    .help = N_("Start b_f here so the cell remembers from the first step (Gers et al. 2000; Jozefowicz et al. 2015)"),
    .panel_switch = true, .panel_min = -10.0, .panel_max = 10.0, .panel_step = 0.5, .panel_digits = 1, .panel_off = 1.0,
  },
  [R_PEEPHOLE] = {
    .name = "peephole", .type = GS_VARIANT_BOOL, .offset = OFF (peephole),
    .cells = LSTM, .cells_msg = N_("peephole connections apply to lstm, not %s"),
    .meta_key = "peephole", .from_tensors = true, .cli_flag = "peephole",
    .cli_help = N_("lstm: peephole connections, i and f see c(t-1), o sees c(t)"),
    .label = N_("_Peepholes"),
    .summary = N_("peephole"),
    .help = N_("The gates also see the cell state c (Gers and Schmidhuber 2000)"),
  },
  [R_CIFG] = {
    .name = "cifg", .type = GS_VARIANT_BOOL, .offset = OFF (cifg),
    .cells = LSTM, .cells_msg = N_("coupled input and forget gates (CIFG) apply to lstm, not %s"),
    .meta_key = "cifg", .cli_flag = "cifg",
    .cli_help = N_("lstm: coupled input and forget gates, f = 1 - i"),
    .label = N_("C_oupled input–forget gate"),
    .summary = N_("CIFG"),
    .help = N_("CIFG: f = 1 − i, what is written replaces what is forgotten (Greff et al. 2017)"),
  },
  [R_NO_FORGET_GATE] = {
    .name = "no_forget_gate", .type = GS_VARIANT_BOOL, .offset = OFF (no_forget_gate),
    .cells = LSTM, .cells_msg = N_("removing the forget gate applies to lstm, not %s"),
    .meta_key = "no_forget_gate", .cli_flag = "no-forget-gate",
    .cli_help = N_("lstm: no forget gate, f = 1 (the 1997 LSTM)"),
    .label = N_("_No forget gate"),
    .summary = N_("no forget gate"),
    .help = N_("f = 1: the original LSTM, c only accumulates (Hochreiter and Schmidhuber 1997)"),
  },
  [R_NO_INPUT_GATE] = {
    .name = "no_input_gate", .type = GS_VARIANT_BOOL, .offset = OFF (no_input_gate),
    .cells = LSTM, .cells_msg = N_("removing the input gate applies to lstm, not %s"),
    .meta_key = "no_input_gate", .cli_flag = "no-input-gate",
    .cli_help = N_("lstm: no input gate, i = 1"),
    .label = N_("No input gate"),
    .summary = N_("no input gate"),
    .help = N_("i = 1: everything written enters the cell (Greff et al. 2017, NIG)"),
  },
  [R_NO_OUTPUT_GATE] = {
    .name = "no_output_gate", .type = GS_VARIANT_BOOL, .offset = OFF (no_output_gate),
    .cells = LSTM, .cells_msg = N_("removing the output gate applies to lstm, not %s"),
    .meta_key = "no_output_gate", .cli_flag = "no-output-gate",
    .cli_help = N_("lstm: no output gate, o = 1"),
    .label = N_("No output gate"),
    .summary = N_("no output gate"),
    .help = N_("o = 1: h is tanh(c), the cell always shows its state (NOG)"),
  },
  [R_NO_INPUT_ACT] = {
    .name = "no_input_act", .type = GS_VARIANT_BOOL, .offset = OFF (no_input_act),
    .cells = LSTM, .cells_msg = N_("removing the input activation function applies to lstm, not %s"),
    .meta_key = "no_input_act", .cli_flag = "no-input-act",
    .cli_help = N_("lstm: no input activation function, g is linear (no tanh)"),
    .label = N_("No input activation"),
    .summary = N_("no input activation"),
    .help = N_("g is linear, without tanh (NIAF)"),
  },
  [R_NO_OUTPUT_ACT] = {
    .name = "no_output_act", .type = GS_VARIANT_BOOL, .offset = OFF (no_output_act),
    .cells = LSTM, .cells_msg = N_("removing the output activation function applies to lstm, not %s"),
    .meta_key = "no_output_act", .cli_flag = "no-output-act",
    .cli_help = N_("lstm: no output activation function, h = o * c (no tanh)"),
    .label = N_("No output activation"),
    .summary = N_("no output activation"),
    .help = N_("h = o ⊙ c, without tanh (NOAF)"),
  },
  [R_FULL_GATE_RECURRENCE] = {
    .name = "full_gate_recurrence", .type = GS_VARIANT_BOOL, .offset = OFF (full_gate_recurrence),
    .cells = LSTM, .cells_msg = N_("full gate recurrence applies to lstm, not %s"),
    .meta_key = "full_gate_recurrence", .from_tensors = true, .cli_flag = "full-gate-recurrence",
    .cli_help = N_("lstm: i, f and o of the previous step feed every gate\n"
                   "(Greff et al. 2017; the variants above are theirs too)"),
    .label = N_("Full gate recurrence"),
    .summary = N_("full gate recurrence"),
    .help = N_("The gates i, f and o of the previous step feed every gate (FGR)"),
  },
  [R_CELL_CLIP] = {
    .name = "cell_clip", .type = GS_VARIANT_FLOAT, .offset = OFF (cell_clip),
    .cells = LSTM, .cells_msg = N_("cell-state clipping applies to lstm, not %s"),
    .min = 0.0, .max = FLT_MAX, .range_first = true,
    .range_msg = N_("the cell clip must be a finite number of at least 0 (0 turns it off)"),
    .meta_key = "cell_clip", .cli_flag = "cell-clip", .cli_positive = true,
    .cli_arg = "X", .cli_help = N_("lstm: clip the cell state to [-X, X]"),
    .label = N_("Cell _clip"),
    .summary = N_("clip %g"),
    .help = N_("Clip c to [−x, x] after each step to keep it bounded (Sak et al. 2014)"),
    .panel_switch = true, .panel_min = 0.1, .panel_max = 1000.0, .panel_step = 0.5, .panel_digits = 1, .panel_off = 3.0,
  },
  [R_PROJ] = {
    .name = "proj", .type = GS_VARIANT_INT, .offset = OFF (proj),
    .cells = LSTM, .cells_msg = N_("an output projection applies to lstm, not %s"),
    .min = 1.0, .max_is_hidden = true,
    .range_msg = N_("the projection size must be between 1 and the hidden size − 1 (%d), not %d"),
    .range_args = GS_VARIANT_MSG_LIMIT_VALUE,
    .meta_key = "proj", .from_tensors = true, .cli_flag = "proj",
    .cli_arg = "P", .cli_help = N_("lstm: project h to P < hidden units (PyTorch's proj_size)"),
    .label = N_("_Projection size"),
    .summary = N_("projection %d"),
    .help = N_("h = W_hr (o ⊙ tanh c), smaller than c; 0 = off (LSTMP, Sak et al. 2014)"),
    .panel_min = 0.0, .panel_max = GS_MAX_HIDDEN, .panel_step = 1.0,
  },
  [R_GRU_RESET] = {
    .name = "gru_reset_before", .type = GS_VARIANT_CHOICE, .offset = OFF (gru_reset_before),
    .cells = GS_CELL_BIT (GS_CELL_GRU), .cells_msg = N_("the reset-gate position applies to gru, not %s"),
    .meta_key = "gru_reset", .choice_off = "after", .choice_on = "before", .cli_flag = "gru-reset",
    .cli_arg = "WHERE", .cli_help = N_("gru: reset gate 'after' the recurrent product (PyTorch,\n"
                   "the default) or 'before' it (Cho et al. 2014, TensorFlow)"),
    .label = N_("_Reset before the product"),
    .summary = N_("reset before"),
    .help = N_("n = tanh(W x + W_hn (r ⊙ h)), as in the paper, instead of PyTorch's r ⊙ (W_hn h) (Cho et al. 2014)"),
  },
  [R_IRNN] = {
    .name = "irnn", .type = GS_VARIANT_BOOL, .offset = OFF (irnn),
    .cells = GS_CELL_BIT (GS_CELL_RNN_TANH) | GS_CELL_BIT (GS_CELL_RNN_RELU),
    .cells_msg = N_("identity initialisation (IRNN) applies to rnn_relu and rnn_tanh, not %s"),
    .meta_key = "irnn", .cli_flag = "irnn",
    .cli_help = N_("rnn_relu, rnn_tanh: identity recurrent weights, zero biases"),
    .label = N_("_Identity initialisation"),
    .summary = N_("IRNN"),
    .help = N_("IRNN: W_hh = I and zero biases at the start (Le et al. 2015)"),
  },
  [R_BIDIRECTIONAL] = {
    .name = "bidirectional", .type = GS_VARIANT_BOOL, .offset = OFF (bidirectional),
    .meta_key = "bidirectional", .from_tensors = true, .cli_flag = "bidirectional",
    .cli_help = N_("every layer also reads the sequence backwards"),
    .label = N_("_Bidirectional"),
    .summary = N_("bidirectional"),
    .help = N_("Each layer also reads the sequence backward (Schuster and Paliwal 1997)"),
  },
  [R_DROPOUT] = {
    .name = "dropout", .type = GS_VARIANT_FLOAT, .offset = OFF (dropout),
    .min = 0.0, .max = 1.0, .max_open = true,
    .range_msg = N_("the dropout probability must be at least 0 and less than 1"),
    .min_layers = 2, .layers_msg = N_("dropout acts between layers: it needs 2 or more layers"),
    .meta_key = "dropout", .cli_flag = "dropout",
    .cli_arg = "P", .cli_help = N_("dropout between layers while training (2+ layers)"),
    .label = N_("_Dropout between layers"),
    .summary = N_("dropout %g"),
    .help = N_("Drop units of h between stacked layers while training; needs 2+ layers (Zaremba et al. 2014)"),
    .panel_min = 0.0, .panel_max = 0.9, .panel_step = 0.05, .panel_digits = 2,
  },
  [R_RECURRENT_DROPOUT] = {
    .name = "recurrent_dropout", .type = GS_VARIANT_FLOAT, .offset = OFF (recurrent_dropout),
    .min = 0.0, .max = 1.0, .max_open = true,
    .range_msg = N_("the recurrent dropout probability must be at least 0 and less than 1"),
    .meta_key = "recurrent_dropout", .cli_flag = "recurrent-dropout",
    .cli_arg = "P", .cli_help = N_("dropout on h(t-1) in the recurrence, one mask per sequence"),
    .label = N_("_Recurrent dropout"),
    .summary = N_("recurrent dropout %g"),
    .help = N_("One mask per sequence on h_{t−1} in the recurrence (Gal and Ghahramani 2016)"),
    .panel_min = 0.0, .panel_max = 0.9, .panel_step = 0.05, .panel_digits = 2,
  },
  [R_BPTT] = {
    .name = "bptt", .type = GS_VARIANT_INT, .offset = OFF (bptt),
    .min = 0.0, .max = INT_MAX,
    .range_msg = N_("the truncated BPTT length must be at least 0 (0 = the whole sequence), not %d"),
    .range_args = GS_VARIANT_MSG_VALUE,
    .meta_key = "bptt", .cli_flag = "bptt",
    .cli_arg = "K", .cli_help = N_("truncated backpropagation through time: the gradient\n"
                   "stops at every K-th step from the start"),
    .label = N_("_Truncated BPTT"),
    .summary = N_("BPTT %d"),
    .help = N_("Cut the gradient every k steps back in time; 0 = the whole sequence (Williams and Peng 1990)"),
    .panel_min = 0.0, .panel_max = 100000.0, .panel_step = 1.0,
  },
};
const int gs_variant_table_len = N_ROWS;

#define BIT(r) (1u << (r))

/* Each refusal is checked right after its row a's own checks. */
const GsVariantRefusal gs_variant_refusals[] = {
  { R_FORGET_BIAS, BIT (R_CIFG) | BIT (R_NO_FORGET_GATE),
    N_("a forget-gate bias needs a forget gate of its own "
       "(not with coupled gates or without a forget gate)"), GS_REFUSAL_PANEL_GREY },
  { R_NO_FORGET_GATE, BIT (R_CIFG),
    N_("coupled gates (f = 1 − i) and no forget gate (f = 1) exclude each other"), GS_REFUSAL_PANEL_EXCLUDE },
  /* f = 1 − i with i ≡ 1 would be f ≡ 0: a cell that forgets everything at every step. */
  { R_NO_INPUT_GATE, BIT (R_CIFG),
    N_("coupled gates (f = 1 − i) need an input gate: without one f would be 0"), GS_REFUSAL_PANEL_EXCLUDE },
  /* Greff et al. feed back all three gates; a removed or coupled gate has no
   * activation of its own to feed back, and no row of its own to feed. */
  { R_FULL_GATE_RECURRENCE, BIT (R_CIFG) | BIT (R_NO_FORGET_GATE) | BIT (R_NO_INPUT_GATE) | BIT (R_NO_OUTPUT_GATE),
    N_("full gate recurrence feeds the gates i, f and o back into each other: "
       "it needs all three (not with coupled gates or a removed gate)"), GS_REFUSAL_PANEL_EXCLUDE },
  { R_BPTT, BIT (R_BIDIRECTIONAL),
    N_("truncated BPTT applies to unidirectional models"), GS_REFUSAL_PANEL_NONE },
};
const int gs_variant_refusals_len = (int) (sizeof gs_variant_refusals / sizeof gs_variant_refusals[0]);

_Static_assert (sizeof gs_variant_table / sizeof gs_variant_table[0] == N_ROWS, "one row per index");
_Static_assert (N_ROWS <= 32, "refusals hold the rows in an unsigned bit mask");

int
gs_variant_find (const char *name)
{
  for (int i = 0; i < N_ROWS; i++)
    if (strcmp (gs_variant_table[i].name, name) == 0)
      return i;
  return -1;
}

int
gs_variant_find_flag (const char *cli_flag)
{
  for (int i = 0; i < N_ROWS; i++)
    if (strcmp (gs_variant_table[i].cli_flag, cli_flag) == 0)
      return i;
  return -1;
}

int
gs_variant_find_meta_key (const char *key)
{
  for (int i = 0; i < N_ROWS; i++)
    if (strcmp (gs_variant_table[i].meta_key, key) == 0)
      return i;
  return -1;
}

double
gs_variant_row_get (const GsVariant *v, int row)
{
  const GsVariantInfo *r = &gs_variant_table[row];
  const char *p = (const char *) v + r->offset;

  switch (r->type) {
  case GS_VARIANT_FLOAT: return (double) *(const float *) p;
  case GS_VARIANT_INT: return (double) *(const int *) p;
  case GS_VARIANT_BOOL:
  case GS_VARIANT_CHOICE:
  default: return *(const bool *) p ? 1.0 : 0.0;
  }
}

bool
gs_variant_row_on (const GsVariant *v, int row)
{
  const GsVariantInfo *r = &gs_variant_table[row];

  if (r->set_offset != 0 && *(const bool *) ((const char *) v + r->set_offset))
    return true;
  return gs_variant_row_get (v, row) != 0.0;
}

void
gs_variant_row_set (GsVariant *v, int row, double value)
{
  const GsVariantInfo *r = &gs_variant_table[row];
  char *p = (char *) v + r->offset;

  switch (r->type) {
  case GS_VARIANT_FLOAT: *(float *) p = (float) value; break;
  case GS_VARIANT_INT: *(int *) p = (int) value; break;
  case GS_VARIANT_BOOL:
  case GS_VARIANT_CHOICE:
  default: *(bool *) p = value != 0.0; break;
  }
  if (r->set_offset != 0)
    *(bool *) ((char *) v + r->set_offset) = true;
}

bool
gs_variant_row_applies (int row, GsCell cell)
{
  const unsigned cells = gs_variant_table[row].cells;

  return cells == 0 || (cells & GS_CELL_BIT (cell)) != 0;
}

int
gs_variant_format (char *buf, size_t size, const GsVariant *v)
{
  size_t n = 0;
  GsCNumeric scope;

  /* "2.5", never "2,5": a comma separates the switches. */
  gs_c_numeric_begin (&scope);
  if (size > 0)
    buf[0] = '\0';
  for (int i = 0; i < N_ROWS; i++) {
    const GsVariantInfo *r = &gs_variant_table[i];
    const char *sep = n > 0 ? "," : "";
    char *at = n < size ? buf + n : NULL;
    size_t left = n < size ? size - n : 0;
    int k;

    if (!gs_variant_row_on (v, i))
      continue;
    switch (r->type) {
    case GS_VARIANT_FLOAT:
      k = snprintf (at, left, "%s%s=%g", sep, r->cli_flag, gs_variant_row_get (v, i));
      break;
    case GS_VARIANT_INT:
      k = snprintf (at, left, "%s%s=%d", sep, r->cli_flag, (int) gs_variant_row_get (v, i));
      break;
    case GS_VARIANT_CHOICE:
      k = snprintf (at, left, "%s%s=%s", sep, r->cli_flag, r->choice_on);
      break;
    case GS_VARIANT_BOOL:
    default:
      k = snprintf (at, left, "%s%s", sep, r->cli_flag);
      break;
    }
    n += (size_t) k;
  }
  gs_c_numeric_end (&scope);
  return (int) n;
}

int
gs_variant_parse (GsVariant *v, const char *spec, GsError *err)
{
  const char *p = spec;

  memset (v, 0, sizeof *v);
  while (*p != '\0') {
    size_t len = strcspn (p, ",");
    char part[128], *value, *end;
    const GsVariantInfo *r;
    double x;
    int row;

    if (len == 0 || len >= sizeof part)
      return gs_error_set (err, _("the variant \"%s\" has an empty or overlong part"), spec);
    memcpy (part, p, len);
    part[len] = '\0';
    p += len + (p[len] == ',');
    value = strchr (part, '=');
    if (value != NULL)
      *value++ = '\0';
    row = gs_variant_find_flag (part);
    if (row < 0)
      return gs_error_set (err, _("the variant \"%s\" names no switch \"%s\""), spec, part);
    r = &gs_variant_table[row];
    switch (r->type) {
    case GS_VARIANT_BOOL:
      if (value != NULL)
        return gs_error_set (err, _("the variant \"%s\": %s takes no value"), spec, part);
      x = 1.0;
      break;
    case GS_VARIANT_CHOICE:
      if (value == NULL || (strcmp (value, r->choice_on) != 0 && strcmp (value, r->choice_off) != 0))
        return gs_error_set (err, _("the variant \"%s\": %s is %s or %s"), spec, part, r->choice_off, r->choice_on);
      x = strcmp (value, r->choice_on) == 0 ? 1.0 : 0.0;
      break;
    case GS_VARIANT_FLOAT:
    case GS_VARIANT_INT:
    default:
      if (value != NULL)
        x = gs_c_strtod (value, &end);
      if (value == NULL || end == value || *end != '\0')
        return gs_error_set (err, _("the variant \"%s\": %s needs a number"), spec, part);
      break;
    }
    gs_variant_row_set (v, row, x);
  }
  return GS_OK;
}
