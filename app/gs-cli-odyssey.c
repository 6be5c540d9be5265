/* gs-cli-odyssey.c — gatescope-cli experiment odyssey: Greff et al.'s LSTM
 * variants (gs-task-experiment.h), each trained over seeds on the adding
 * problem, one line per run, then one line per variant. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "gs-cli-private.h"
#include "gs-i18n.h"
#include "gs-task-experiment.h"

/* The terminal columns of s: wcwidth's, so that Chinese counts two and
 * ⊙ or − one; a character it cannot tell counts one. */
static int
columns (const char *s)
{
  mbstate_t st;
  int cols = 0;
  size_t n = strlen (s);

  memset (&st, 0, sizeof st);
  while (n > 0) {
    wchar_t wc;
    size_t k = mbrtowc (&wc, s, n, &st);
    int w;
    if (k == (size_t) -1 || k == (size_t) -2 || k == 0) {
      memset (&st, 0, sizeof st);
      k = 1;
      w = 1;
    } else {
      w = wcwidth (wc);
    }
    cols += w < 0 ? 1 : w;
    s += k;
    n -= k;
  }
  return cols;
}

/* s padded with spaces to `width` columns, on the left when right-aligned. */
static void
put_padded (FILE *f, const char *s, int width, bool right)
{
  int pad = width - columns (s);

  for (; right && pad > 0; pad--)
    fputc (' ', f);
  fputs (s, f);
  for (; pad > 0; pad--)
    fputc (' ', f);
}

static int
cmp_float (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

/* The median of x[0 … n), n ≥ 1, sorting x in place (∞ sorts last). */
static float
median (float *x, int n)
{
  qsort (x, (size_t) n, sizeof *x, cmp_float);
  return n % 2 ? x[n / 2] : 0.5f * (x[n / 2 - 1] + x[n / 2]);
}

/* metric and first (V × seeds) of every run: the per-variant summary. */
static void
print_summary (GsCli *cli, bool json, const GsOdysseyVariant *var, int nv, int seeds, int steps,
               float *metric, float *first, const int *solved)
{
  if (json)
    fprintf (cli->out, "{\"final\":true,\"experiment\":\"odyssey\",\"seeds\":%d,\"steps\":%d,\"variants\":[", seeds, steps);
  else {
    const char *right[] = { _("solved"), _("mean MSE"), _("median"), _("worst"), _("first") };
    const int widths[] = { 7, 10, 10, 10, 8 };
    fputc ('\n', cli->out);
    put_padded (cli->out, _("variant"), 7, false);
    fputc (' ', cli->out);
    put_padded (cli->out, _("what changes"), 34, false);
    for (int i = 0; i < 5; i++) {
      fputc (' ', cli->out);
      put_padded (cli->out, right[i], widths[i], true);
    }
    fputc ('\n', cli->out);
  }
  for (int v = 0; v < nv; v++) {
    float *m = metric + (size_t) v * seeds, *f = first + (size_t) v * seeds;
    double mean = 0.0;
    float med, worst, med_first;
    for (int s = 0; s < seeds; s++)
      mean += (double) m[s] / seeds;
    med = median (m, seeds);
    worst = m[seeds - 1];
    med_first = median (f, seeds);
    if (json) {
      /* JSON has no ∞: a variant with a run that never had a finite metric gets −1 */
      fprintf (cli->out, "%s{\"variant\":\"%s\",\"solved\":%d,\"mean\":%.9g,\"median\":%.9g,\"worst\":%.9g,"
               "\"median_first\":%d}", v ? "," : "", var[v].name, solved[v], isfinite (mean) ? mean : -1.0,
               isfinite (med) ? (double) med : -1.0, isfinite (worst) ? (double) worst : -1.0,
               isfinite (med_first) ? (int) med_first : 0);
    } else {
      char ratio[32], at[16] = "-";
      snprintf (ratio, sizeof ratio, "%d/%d", solved[v], seeds);
      if (isfinite (med_first))
        snprintf (at, sizeof at, "%.0f", (double) med_first);
      fprintf (cli->out, "%-7s ", var[v].name);
      put_padded (cli->out, _(var[v].title), 34, false);
      fprintf (cli->out, " %7s %10.4f %10.4f %10.4f %8s\n", ratio, mean, (double) med, (double) worst, at);
    }
  }
  if (json)
    fputs ("]}\n", cli->out);
  else
    fputs (_("\n'first' is the median over seeds of the step at which the held-out batch first counted as "
             "solved (- when half the seeds or more never did).\n"), cli->out);
}

#define RUN_COLUMNS 6
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* seeds and steps: 0 for the experiment's (or --quick's) default. */
int
cli_odyssey (GsCli *cli, int seeds, int steps, bool quick, bool json)
{
  const GsExperiment *e = gs_odyssey ();
  int nv, status = GS_CLI_EXIT_OK;
  const GsOdysseyVariant *var = gs_odyssey_variants (&nv);
  float *metric, *first;
  int *solved;
  const char *head[RUN_COLUMNS] = { _("seed"), _("variant"), _("steps"), _("first"), _("metric"), _("correct") };
  int widths[RUN_COLUMNS] = { 5, 7, 7, 7, 13, 9 };

  if (seeds == 0)
    seeds = quick ? 1 : e->seeds;
  if (steps == 0)
    steps = quick ? e->quick_steps : e->steps;
  metric = calloc ((size_t) nv * (size_t) seeds, sizeof *metric);
  first = calloc ((size_t) nv * (size_t) seeds, sizeof *first);
  solved = calloc ((size_t) nv, sizeof *solved);
  if (metric == NULL || first == NULL || solved == NULL) {
    status = cli_fail (cli, GS_CLI_EXIT_FAILURE, _("out of memory"));
    goto out;
  }
  if (!json) {
    fprintf (cli->out, "%s\n%s\n%s\n", _(e->title), _(e->claim), _(e->reference));
    fprintf (cli->out, _("Settings: task %s, %d hidden, batch %d, Adam %g, clip %g, %d steps, seeds 0–%d\n\n"),
             e->task, e->H, e->B, (double) e->lr, (double) e->clip, steps, seeds - 1);
    for (int i = 0; i < RUN_COLUMNS; i++) {
      widths[i] = MAX (widths[i], columns (head[i]));
      put_padded (cli->out, head[i], widths[i], i >= 2);
      fputc (' ', cli->out);
    }
    fprintf (cli->out, " %s\n", _("solved"));
  }
  for (int v = 0; v < nv; v++)
    for (int s = 0; s < seeds; s++) {
      GsExperimentRun run;
      GsError err;
      const size_t i = (size_t) v * seeds + s;

      if (gs_experiment_run_variant (e, &var[v].variant, (uint64_t) s, steps, NULL, NULL, NULL, &run, &err) != GS_OK) {
        status = cli_fail (cli, GS_CLI_EXIT_FAILURE, "%s", err.msg);
        goto out;
      }
      /* a diverged run counts with the last good evaluation, as in experiment adding */
      metric[i] = isfinite (run.ev.metric) ? run.ev.metric : INFINITY;
      first[i] = run.solved_at > 0 ? (float) run.solved_at : INFINITY;
      solved[v] += run.ev.solved;
      if (json) {
        fprintf (cli->out, "{\"experiment\":\"%s\",\"variant\":\"%s\",\"seed\":%d,\"steps\":%d,\"solved_at\":%d,"
                 "\"diverged\":%s,\"metric_name\":\"%s\",\"metric\":%.9g,\"accuracy\":%.9g,\"solved\":%s}\n",
                 e->name, var[v].name, s, run.steps, run.solved_at, run.diverged ? "true" : "false",
                 run.ev.metric_name, (double) run.ev.metric, (double) run.ev.accuracy,
                 run.ev.solved ? "true" : "false");
      } else {
        char cell[RUN_COLUMNS][32];
        snprintf (cell[0], sizeof cell[0], "%d", s);
        snprintf (cell[1], sizeof cell[1], "%s", var[v].name);
        snprintf (cell[2], sizeof cell[2], "%d", run.steps);
        snprintf (cell[3], sizeof cell[3], "%d", run.solved_at);
        if (run.solved_at <= 0)
          strcpy (cell[3], "-");
        snprintf (cell[4], sizeof cell[4], "%s %.4f", run.ev.metric_name, (double) run.ev.metric);
        snprintf (cell[5], sizeof cell[5], "%.1f%%", 100.0 * run.ev.accuracy);
        for (int col = 0; col < RUN_COLUMNS; col++) {
          put_padded (cli->out, cell[col], widths[col], col >= 2);
          fputc (' ', cli->out);
        }
        fprintf (cli->out, " %s%s\n", run.ev.solved ? _("yes") : _("no"), run.diverged ? _(" (diverged)") : "");
      }
      fflush (cli->out);
    }
  print_summary (cli, json, var, nv, seeds, steps, metric, first, solved);
out:
  free (metric);
  free (first);
  free (solved);
  return status;
}
