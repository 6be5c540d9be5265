/* gs-cli-intervene.c — the intervention options (gs-intervene.h) of the
 * commands that run a model: --clamp, --set-c, --set-h, --ablate,
 * --set-weight; and the JSON that says what was applied and what the
 * layers computed with it. */
#include <math.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-i18n.h"

int
cli_intervention_option (GsCli *cli, int c, const char *arg, GsInterventions *list)
{
  static const struct { int opt; GsIvKind kind; const char *name; } kinds[] = {
    { OPT_IV_CLAMP, GS_IV_CLAMP, "--clamp" },
    { OPT_IV_SET_C, GS_IV_SET_C, "--set-c" },
    { OPT_IV_SET_H, GS_IV_SET_H, "--set-h" },
    { OPT_IV_ABLATE, GS_IV_ABLATE, "--ablate" },
    { OPT_IV_WEIGHT, GS_IV_WEIGHT, "--set-weight" },
  };

  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (kinds[i].opt == c) {
      GsError err = { "" };
      if (gs_interventions_parse (list, kinds[i].kind, arg, &err) != GS_OK) {
        cli_fail (cli, GS_CLI_EXIT_USAGE, "%s: %s", kinds[i].name, err.msg);
        return -1;
      }
      return 1;
    }
  return 0;
}

void
print_intervention_usage (FILE *f)
{
  fputs (_("\n"
           "Interventions (layers count from 1, units and timesteps from 0; UNITS is *,\n"
           "a unit, a range A-B or a comma list; without @T, every timestep):\n"
           "  --clamp LAYER:GATE:UNITS[@T]=VALUE\n"
           "                     hold a gate's units at VALUE: lstm i, f, g, o; gru r, z\n"
           "                     (1:f:*=1 is the conveyor belt, 1:f:*@3=0 wipes the memory)\n"
           "  --set-c LAYER:UNITS[@T]=VALUE\n"
           "                     lstm: set the cell state c after the update\n"
           "  --set-h LAYER:UNITS[@T]=VALUE\n"
           "                     set the hidden state h\n"
           "  --ablate LAYER:UNITS\n"
           "                     h of these units is 0 at every step\n"
           "  --set-weight NAME[ROW,COL]=VALUE\n"
           "                     overwrite one weight (NAME[I] for a vector), e.g.\n"
           "                     rnn.weight_hh_l0[3,1]=0.5\n"
           "A clamped gate or a set state passes no gradient to what computed it.\n"
           "A session (--model FILE.gatescope) brings the interventions saved in it;\n"
           "these options come after them.\n"
           "With interventions --json adds \"interventions\" (what was applied, units\n"
           "listed, \"from\": \"session\" or \"option\") and \"states\" (each layer's\n"
           "gates, c and h at every step).\n"), f);
}

static void
print_row (FILE *f, const float *x, int n)
{
  fputc ('[', f);
  for (int i = 0; i < n; i++)
    fprintf (f, i > 0 ? ",%.9g" : "%.9g", (double) x[i]);
  fputc (']', f);
}

/* rows t = 0 … T−1 of x (T, B, stride) at b = 0, columns [off, off + n) */
static void
print_time_rows (FILE *f, const float *x, int T, int B, int stride, int off, int n)
{
  fputc ('[', f);
  for (int t = 0; t < T; t++) {
    if (t > 0)
      fputc (',', f);
    print_row (f, x + ((size_t) t * B) * stride + off, n);
  }
  fputc (']', f);
}

int
cli_apply_interventions (GsModel *m, const GsInterventions *options, GsError *err)
{
  GsInterventions all = { .n = 0 };

  if (m->iv != NULL)
    all = *m->iv;
  if (options == NULL || options->n == 0)
    return GS_OK;
  for (int i = 0; i < options->n; i++) {
    if (all.n >= GS_MAX_INTERVENTIONS)
      return gs_error_set (err, _("at most %d interventions at once, with the session's"), GS_MAX_INTERVENTIONS);
    all.item[all.n++] = options->item[i];
  }
  return gs_model_set_interventions (m, &all, err);
}

void
cli_print_interventions_list_json (FILE *f, const GsModel *m)
{
  const GsInterventions *list = m->iv;
  const int H = m->cfg.H;

  if (list == NULL)
    return;
  /* what was asked, with the units resolved */
  fputs (",\"interventions\":[", f);
  for (int i = 0; i < list->n; i++) {
    const GsIntervention *iv = &list->item[i];
    if (i > 0)
      fputc (',', f);
    fprintf (f, "{\"kind\":\"%s\",\"from\":\"%s\"", gs_intervention_kind_name (iv->kind),
             iv->from_session ? "session" : "option");
    if (iv->kind == GS_IV_WEIGHT) {
      fputs (",\"tensor\":", f);
      cli_print_json_string (f, iv->tensor);
      fprintf (f, ",\"index\":[%d", iv->row);
      if (iv->col >= 0)
        fprintf (f, ",%d", iv->col);
      fprintf (f, "],\"value\":%.9g}", (double) iv->value);
      continue;
    }
    fprintf (f, ",\"layer\":%d", iv->layer + 1);
    if (iv->kind == GS_IV_CLAMP)
      fprintf (f, ",\"gate\":\"%c\"", iv->gate_letter);
    fputs (",\"units\":[", f);
    for (int u = iv->u0, end = gs_intervention_end (iv, iv->kind == GS_IV_SET_H ? m->P : H); u < end; u++)
      fprintf (f, u > iv->u0 ? ",%d" : "%d", u);
    if (iv->t >= 0)
      fprintf (f, "],\"t\":%d", iv->t);
    else
      fputs ("],\"t\":\"all\"", f);
    fprintf (f, ",\"value\":%.9g}", (double) iv->value);
  }
  fputc (']', f);
}

void
cli_print_interventions_json (FILE *f, const GsModel *m)
{
  const int H = m->cfg.H, G = m->G, T = m->T, B = m->B;
  const char *letters = gs_cell_gate_letters (m->cfg.cell);

  if (m->iv == NULL)
    return;
  cli_print_interventions_list_json (f, m);
  /* what each layer computed with them (sequence 0): gates, c and h per step */
  fputs (",\"states\":[", f);
  for (int k = 0; k < m->cfg.L; k++) {
    const GsLayerState *S = &m->layer[k];
    if (k > 0)
      fputc (',', f);
    fputs ("{\"gates\":{", f);
    for (int g = 0; g < G; g++) {
      fprintf (f, "%s\"%c\":", g ? "," : "", letters[g]);
      print_time_rows (f, S->act, T, B, G * H, g * H, H);
    }
    fputc ('}', f);
    if (S->c) {
      fputs (",\"c\":", f);
      print_time_rows (f, S->c, T, B, H, 0, H);
    }
    fputs (",\"h\":", f);
    print_time_rows (f, S->h, T, B, m->P, 0, m->P);
    fputc ('}', f);
  }
  fputc (']', f);
}
