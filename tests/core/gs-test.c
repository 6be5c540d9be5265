#include "gs-test.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int gs_test_passed;
int gs_test_failed;

bool
gs_test_check (bool ok, const char *file, int line, const char *fmt, ...)
{
  va_list ap;

  if (ok) {
    gs_test_passed++;
    return true;
  }
  gs_test_failed++;
  fprintf (stderr, "FAIL %s:%d: ", file, line);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  return false;
}

GsDiff
gs_test_diff (const float *a, const float *b, size_t n, double floor)
{
  GsDiff d = { 0.0, 0.0, 0 };

  for (size_t i = 0; i < n; i++) {
    double abs_diff = fabs ((double) a[i] - (double) b[i]);
    double rel = abs_diff / fmax (fabs ((double) b[i]), floor);
    if (isnan (abs_diff))
      abs_diff = rel = INFINITY;
    if (abs_diff > d.max_abs)
      d.max_abs = abs_diff;
    if (rel > d.max_rel) {
      d.max_rel = rel;
      d.worst = i;
    }
  }
  return d;
}

bool
gs_test_close (const char *what, const float *a, const float *b, size_t n,
               double atol, double rtol)
{
  size_t bad = n;
  GsDiff d = gs_test_diff (a, b, n, 1e-30);
  const char *verbose = getenv ("GS_TEST_VERBOSE");
  bool ok;

  for (size_t i = 0; i < n && bad == n; i++) {
    double diff = fabs ((double) a[i] - (double) b[i]);
    if (!(diff <= atol + rtol * fabs ((double) b[i])))
      bad = i;
  }
  ok = bad == n;
  if (!ok)
    fprintf (stderr, "  %-40s max abs %.3e  max rel %.3e  first bad [%zu] got %.9g want %.9g\n",
             what, d.max_abs, d.max_rel, bad, (double) a[bad], (double) b[bad]);
  else if (verbose && *verbose == '1')
    printf ("  %-40s max abs %.3e  max rel %.3e\n", what, d.max_abs, d.max_rel);
  return GS_CHECK (ok, "%s differs (atol %.1e, rtol %.1e)", what, atol, rtol);
}

int
gs_test_finish (const char *suite)
{
  printf ("%s: %d passed, %d failed\n", suite, gs_test_passed, gs_test_failed);
  return gs_test_failed == 0 && gs_test_passed > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
