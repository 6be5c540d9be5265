/* gs-intervene.c — the list of interventions: parsing, checking, and
 * handing it to a model. What the passes do with it is in gs-model.c (where
 * each step looks it up) and gs-cell.c (the clamped unit loops). */
#include "gs-intervene.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-c-numeric.h"
#include "gs-i18n.h"

const char *
gs_intervention_kind_name (GsIvKind kind)
{
  switch (kind) {
  case GS_IV_CLAMP: return "clamp";
  case GS_IV_SET_C: return "set_c";
  case GS_IV_SET_H: return "set_h";
  case GS_IV_ABLATE: return "ablate";
  case GS_IV_WEIGHT: return "weight";
  default: return "?";
  }
}

int
gs_intervention_end (const GsIntervention *iv, int n)
{
  return iv->u1 < 0 ? n : iv->u1;
}

/* A whole number 0 … max at *p, advancing p; false when there is none. */
static bool
read_int (const char **p, long max, int *out)
{
  char *end;
  long v;

  if (**p < '0' || **p > '9')
    return false;
  errno = 0;
  v = strtol (*p, &end, 10);
  if (errno != 0 || v > max)
    return false;
  *p = end;
  *out = (int) v;
  return true;
}

/* A finite number filling all of s. */
static bool
read_value (const char *s, float *out)
{
  char *end;
  float v;

  errno = 0;
  v = gs_c_strtof (s, &end);
  if (s[0] == '\0' || *end != '\0' || errno != 0 || !isfinite (v))
    return false;
  *out = v;
  return true;
}

static int
add (GsInterventions *list, const GsIntervention *iv, const char *spec, GsError *err)
{
  if (list->n >= GS_MAX_INTERVENTIONS)
    return gs_error_set (err, _("'%s': at most %d interventions at once"), spec, GS_MAX_INTERVENTIONS);
  list->item[list->n++] = *iv;
  return GS_OK;
}

/* NAME[ROW,COL]=VALUE or NAME[I]=VALUE */
static int
parse_weight (GsInterventions *list, const char *spec, GsError *err)
{
  GsIntervention iv = { .kind = GS_IV_WEIGHT, .col = -1, .u1 = -1, .t = -1 };
  const char *open = strchr (spec, '['), *close = open ? strchr (open, ']') : NULL;
  const char *p;

  if (open == NULL || close == NULL || close[1] != '=' || open == spec
      || (size_t) (open - spec) >= sizeof iv.tensor)
    return gs_error_set (err, _("'%s' is not a weight edit; expected NAME[ROW,COL]=VALUE, "
                                "for example rnn.weight_hh_l0[3,1]=0.5"), spec);
  memcpy (iv.tensor, spec, (size_t) (open - spec));
  p = open + 1;
  if (!read_int (&p, 1L << 30, &iv.row))
    return gs_error_set (err, _("'%s': the row of the weight is not a whole number"), spec);
  if (*p == ',') {
    p++;
    if (!read_int (&p, 1L << 30, &iv.col))
      return gs_error_set (err, _("'%s': the column of the weight is not a whole number"), spec);
  }
  if (p != close)
    return gs_error_set (err, _("'%s': expected ] after the weight's index"), spec);
  if (!read_value (close + 2, &iv.value))
    return gs_error_set (err, _("'%s': the value after = is not a finite number"), spec);
  return add (list, &iv, spec, err);
}

int
gs_interventions_parse (GsInterventions *list, GsIvKind kind, const char *spec, GsError *err)
{
  GsIntervention iv = { .kind = kind == GS_IV_ABLATE ? GS_IV_SET_H : kind, .t = -1 };
  const char *p = spec, *units, *units_end, *eq;
  const int n_before = list->n;

  if (kind == GS_IV_WEIGHT)
    return parse_weight (list, spec, err);
  /* LAYER: */
  if (!read_int (&p, GS_MAX_LAYERS, &iv.layer) || *p != ':' || iv.layer < 1)
    return gs_error_set (err, _("'%s' does not start with a layer (1, 2, …) and a colon"), spec);
  iv.layer -= 1;
  p++;
  /* GATE: */
  if (kind == GS_IV_CLAMP) {
    const char *letters = "ifgorz", *at = p[0] ? strchr (letters, p[0]) : NULL;
    if (at == NULL || p[1] != ':')
      return gs_error_set (err, _("'%s': the gate must be one of i, f, g, o (LSTM) or r, z (GRU), "
                                  "followed by a colon"), spec);
    iv.gate_letter = p[0];
    p += 2;
  }
  /* UNITS[@T][=VALUE] */
  units = p;
  units_end = p + strcspn (p, "@=");
  if (*units_end == '@') {
    p = units_end + 1;
    if (!read_int (&p, 1L << 30, &iv.t) || (*p != '=' && *p != '\0'))
      return gs_error_set (err, _("'%s': the timestep after @ is not a whole number"), spec);
  } else {
    p = units_end;
  }
  eq = p;
  if (kind == GS_IV_ABLATE) {
    if (*eq != '\0' || iv.t >= 0)
      return gs_error_set (err, _("'%s': an ablation is LAYER:UNITS (its h is 0 at every step)"), spec);
    iv.value = 0.0f;
  } else if (*eq != '=' || !read_value (eq + 1, &iv.value)) {
    return gs_error_set (err, _("'%s': expected =VALUE with a finite number at the end"), spec);
  }
  if (units == units_end)
    return gs_error_set (err, _("'%s': which units? (* for all, 3, 0-2 or 1,4)"), spec);
  /* one entry per comma-separated item */
  for (const char *q = units; q < units_end;) {
    if (*q == '*') {
      iv.u0 = 0;
      iv.u1 = -1;
      q++;
    } else {
      int a, b;
      if (!read_int (&q, GS_MAX_HIDDEN, &a))
        goto bad_units;
      b = a;
      if (*q == '-') {
        q++;
        if (!read_int (&q, GS_MAX_HIDDEN, &b) || b < a)
          goto bad_units;
      }
      iv.u0 = a;
      iv.u1 = b + 1;
    }
    if (q < units_end && *q != ',')
      goto bad_units;
    if (*q == ',')
      q++;
    if (add (list, &iv, spec, err) != GS_OK) {
      list->n = n_before;
      return GS_FAIL;
    }
  }
  return GS_OK;

bad_units:
  list->n = n_before;
  return gs_error_set (err, _("'%s': the units must be *, a unit, a range A-B or a list of those "
                              "separated by commas"), spec);
}

int
gs_interventions_validate (const GsInterventions *list, const GsConfig *cfg, GsError *err)
{
  const int P = gs_config_hidden_out (cfg);

  if (list == NULL || list->n == 0)
    return GS_OK;
  if (cfg->variant.bidirectional)
    return gs_error_set (err, _("interventions apply to unidirectional models"));
  for (int i = 0; i < list->n; i++) {
    const GsIntervention *iv = &list->item[i];
    const char *kind = gs_intervention_kind_name (iv->kind);
    int n_units = iv->kind == GS_IV_SET_H ? P : cfg->H;

    if (iv->kind == GS_IV_WEIGHT) {
      GsTensorInfo t[GS_MAX_TENSORS];
      int nt = gs_config_tensors (cfg, t), k;
      for (k = 0; k < nt && strcmp (t[k].name, iv->tensor) != 0; k++)
        ;
      if (k == nt)
        return gs_error_set (err, _("the model has no tensor %s"), iv->tensor);
      if ((t[k].ndim == 2) != (iv->col >= 0))
        return gs_error_set (err, _("%s has %d dimension(s): give %s"), iv->tensor, t[k].ndim,
                             t[k].ndim == 2 ? "[ROW,COL]" : "[I]");
      if (iv->row >= t[k].shape[0] || (t[k].ndim == 2 && iv->col >= t[k].shape[1]))
        return gs_error_set (err, _("%s has shape %d×%d: the element [%d,%d] is outside it"), iv->tensor,
                             t[k].shape[0], t[k].ndim == 2 ? t[k].shape[1] : 1, iv->row, iv->col < 0 ? 0 : iv->col);
      continue;
    }
    if (iv->layer >= cfg->L)
      return gs_error_set (err, _("%s: the model has %d layer(s), not %d"), kind, cfg->L, iv->layer + 1);
    if (iv->u1 > n_units)
      return gs_error_set (err, _("%s: layer %d has units 0 to %d, not %d"), kind, iv->layer + 1, n_units - 1,
                           iv->u1 - 1);
    if (iv->kind == GS_IV_SET_C && cfg->cell != GS_CELL_LSTM)
      return gs_error_set (err, _("only an LSTM has a cell state c to set, not %s"), gs_cell_name (cfg->cell));
    if (iv->kind == GS_IV_CLAMP) {
      const char *letters = cfg->cell == GS_CELL_LSTM ? "ifgo" : cfg->cell == GS_CELL_GRU ? "rz" : "";
      const char *at = strchr (letters, iv->gate_letter);
      if (at == NULL || iv->gate_letter == '\0')
        return gs_error_set (err, cfg->cell == GS_CELL_LSTM ? _("an LSTM's gates are i, f, g and o, not %c")
                                  : cfg->cell == GS_CELL_GRU ? _("a GRU's gates that can be clamped are r and z, not %c")
                                  : _("a plain RNN has no gates to clamp (%c); set h instead"),
                             iv->gate_letter);
      /* σ gates lie in [0, 1] */
      if (iv->gate_letter != 'g' && (iv->value < 0.0f || iv->value > 1.0f))
        return gs_error_set (err, _("gate %c is a sigmoid: clamp it to a value from 0 to 1, not %g"),
                             iv->gate_letter, (double) iv->value);
      if (cfg->cell == GS_CELL_LSTM && ((iv->gate_letter == 'f' && (cfg->variant.cifg || cfg->variant.no_forget_gate))
                                        || (iv->gate_letter == 'i' && cfg->variant.no_input_gate)
                                        || (iv->gate_letter == 'o' && cfg->variant.no_output_gate)))
        return gs_error_set (err, _("this LSTM variant has no gate %c of its own to clamp"), iv->gate_letter);
    }
  }
  return GS_OK;
}

int
gs_model_set_interventions (GsModel *m, const GsInterventions *list, GsError *err)
{
  const size_t n = (size_t) m->G * m->cfg.H + m->cfg.H;

  if (list == NULL || list->n == 0) {
    free (m->iv);
    free (m->iv_on);
    free (m->iv_val);
    m->iv = NULL;
    m->iv_on = NULL;
    m->iv_val = NULL;
    gs_model_rewind (m);
    return GS_OK;
  }
  if (gs_interventions_validate (list, &m->cfg, err) != GS_OK)
    return GS_FAIL;
  if (m->iv == NULL) {
    m->iv = malloc (sizeof *m->iv);
    m->iv_on = malloc (n);
    m->iv_val = malloc (n * sizeof (float));
    if (m->iv == NULL || m->iv_on == NULL || m->iv_val == NULL) {
      gs_model_set_interventions (m, NULL, NULL);
      return gs_error_set (err, _("out of memory"));
    }
  }
  *m->iv = *list;
  /* weight edits: once, now */
  for (int i = 0; i < list->n; i++) {
    const GsIntervention *iv = &list->item[i];
    GsTensorInfo t[GS_MAX_TENSORS];
    int nt = gs_config_tensors (&m->cfg, t);
    if (iv->kind != GS_IV_WEIGHT || iv->from_session)
      continue;
    for (int k = 0; k < nt; k++)
      if (strcmp (t[k].name, iv->tensor) == 0)
        m->params_mem[t[k].offset + (size_t) iv->row * (t[k].ndim == 2 ? (size_t) t[k].shape[1] : 1)
                      + (size_t) (iv->col < 0 ? 0 : iv->col)] = iv->value;
  }
  gs_model_params_changed (m);
  gs_model_rewind (m);
  return GS_OK;
}

/* The gate letter (or h) and unit that the edited element's row feeds, when
 * iv edits one of layer k's forward recurrent weights or biases (row r of
 * weight_ih, weight_hh, bias_ih, bias_hh: gate r / H, unit r mod H; of the
 * projection weight_hr: h unit r); false otherwise. */
static bool
weight_target (const GsConfig *cfg, const GsIntervention *iv, int k, char *q, int *u)
{
  const char *letters = gs_cell_gate_letters (cfg->cell);
  const char *suffix = strrchr (iv->tensor, '_'), *p;
  char kind[16];
  int layer;

  /* rnn.KIND_lLAYER, without _reverse */
  if (strncmp (iv->tensor, "rnn.", 4) != 0 || suffix == NULL || suffix[1] != 'l'
      || (size_t) (suffix - iv->tensor - 4) >= sizeof kind || cfg->H < 1)
    return false;
  p = suffix + 2;
  if (!read_int (&p, GS_MAX_LAYERS, &layer) || *p != '\0' || layer != k)
    return false;
  memcpy (kind, iv->tensor + 4, (size_t) (suffix - iv->tensor - 4));
  kind[suffix - iv->tensor - 4] = '\0';
  if (strcmp (kind, "weight_hr") == 0) {
    *q = 'h';
    *u = iv->row;
    return true;
  }
  if (strcmp (kind, "weight_ih") != 0 && strcmp (kind, "weight_hh") != 0
      && strcmp (kind, "bias_ih") != 0 && strcmp (kind, "bias_hh") != 0)
    return false;
  if (iv->row / cfg->H >= (int) strlen (letters))
    return false;
  *q = letters[iv->row / cfg->H];
  *u = iv->row % cfg->H;
  return true;
}

GsFix
gs_interventions_fixes (const GsInterventions *list, const GsConfig *cfg,
                        int k, int t, char q, int u)
{
  GsFix fix = GS_FIX_NONE;

  if (list == NULL || cfg == NULL)
    return GS_FIX_NONE;
  for (int i = 0; i < list->n; i++) {
    const GsIntervention *iv = &list->item[i];
    char wq;
    int wu;

    switch (iv->kind) {
    case GS_IV_WEIGHT:
      if (weight_target (cfg, iv, k, &wq, &wu) && wq == q && wu == u)
        fix = GS_FIX_WEIGHT;
      continue;
    case GS_IV_CLAMP:
      if (q != iv->gate_letter)
        continue;
      break;
    case GS_IV_SET_C:
      if (q != 'c')
        continue;
      break;
    case GS_IV_SET_H:
    case GS_IV_ABLATE:
      if (q != 'h')
        continue;
      break;
    default:
      continue;
    }
    if (iv->layer == k && (iv->t < 0 || iv->t == t) && u >= iv->u0 && (iv->u1 < 0 || u < iv->u1))
      return GS_FIX_VALUE;
  }
  return fix;
}
