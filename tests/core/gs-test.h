/* gs-test.h — the core tests' few assertion helpers.
 *
 * A check that fails is printed with its place and counted; gs_test_finish
 * prints "N passed, N failed" and returns the process exit status, so a
 * failing check always fails the test binary.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

extern int gs_test_passed;
extern int gs_test_failed;

bool gs_test_check (bool ok, const char *file, int line, const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

#define GS_CHECK(cond, ...) gs_test_check ((cond), __FILE__, __LINE__, __VA_ARGS__)

/* Max absolute and relative difference between a and b (n floats); rel uses
 * |a−b| / max(|b|, floor). */
typedef struct {
  double max_abs;
  double max_rel;
  size_t worst;     /* index of the worst relative difference */
} GsDiff;

GsDiff gs_test_diff (const float *a, const float *b, size_t n, double floor);

/* Compares and records one check: passes when every element satisfies
 * |a−b| <= atol + rtol·|b|. Prints the max differences either way when
 * verbose (GS_TEST_VERBOSE=1) or on failure. */
bool gs_test_close (const char *what, const float *a, const float *b, size_t n,
                    double atol, double rtol);

int gs_test_finish (const char *suite);
