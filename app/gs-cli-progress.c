/* gs-cli-progress.c — one progress line, redrawn in place on a terminal.
 *
 *   step 1234/5000 · 812 steps/s · 5 s left · loss 0.1234
 *
 * Drawn only when the output is a terminal (not --json, not a pipe or a
 * file, whose output stays exactly as it was), at most ten times a second,
 * and only once the run has lasted half a second: a short run prints
 * nothing more than before. (GS_CLI_PROGRESS_DELAY=seconds changes that
 * wait, for the tests.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gs-cli-private.h"
#include "gs-i18n.h"

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

bool
cli_progress_wanted (GsCli *cli)
{
  const char *term = getenv ("TERM");
  int fd = fileno (cli->out);
  return fd >= 0 && isatty (fd) && !(term != NULL && strcmp (term, "dumb") == 0);
}

void
cli_progress_start (GsCliProgress *p, GsCli *cli, int total, bool enabled)
{
  memset (p, 0, sizeof *p);
  p->f = cli->out;
  p->total = total;
  p->on = enabled && total > 0 && cli_progress_wanted (cli);
  p->t0 = now ();
  p->delay = 0.5;
  if (getenv ("GS_CLI_PROGRESS_DELAY") != NULL)
    p->delay = atof (getenv ("GS_CLI_PROGRESS_DELAY"));
}

/* "5 s", "3 min 05 s", "2 h 10 min" */
static void
format_duration (char *buf, size_t size, double s)
{
  long t = (long) (s + 0.5);
  if (t < 60)
    snprintf (buf, size, _("%ld s"), t);
  else if (t < 3600)
    snprintf (buf, size, _("%ld min %02ld s"), t / 60, t % 60);
  else
    snprintf (buf, size, _("%ld h %02ld min"), t / 3600, (t % 3600) / 60);
}

void
cli_progress_update (GsCliProgress *p, int done, float loss)
{
  double t = now (), elapsed = t - p->t0, rate;
  char left[32], line[256];

  if (!p->on || elapsed < p->delay || (t - p->last < 0.1 && done < p->total))
    return;
  p->last = t;
  rate = elapsed > 0.0 ? done / elapsed : 0.0;
  format_duration (left, sizeof left, rate > 0.0 ? (p->total - done) / rate : 0.0);
  /* TRANSLATORS: the progress line of a long run on a terminal: steps done
   * and in all, steps per second, the time still needed, the last loss. */
  snprintf (line, sizeof line, _("step %d/%d · %.0f steps/s · %s left · loss %.4f"),
            done, p->total, rate, left, (double) loss);
  fprintf (p->f, "\r%s\033[K", line);
  fflush (p->f);
  p->drawn = true;
}

void
cli_progress_clear (GsCliProgress *p)
{
  if (!p->drawn)
    return;
  fputs ("\r\033[K", p->f);
  fflush (p->f);
  p->drawn = false;
}
