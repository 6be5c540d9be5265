/* test-escape — gs_escape, the one function that makes text from files
 * safe to show (gs-escape.h): a table of inputs and their escaped forms in
 * both modes, truncation that never cuts a character or an escape, and
 * gs_escape_needed agreeing with gs_escape. */
#include <stdlib.h>
#include <string.h>

#include "gs-escape.h"
#include "gs-test.h"

typedef struct {
  const char *in;
  const char *all;     /* GS_ESCAPE_ALL */
  const char *lines;   /* GS_ESCAPE_KEEP_LINES */
} Case;

static const Case cases[] = {
  { "hello", "hello", "hello" },
  { "", "", "" },
  { "床前明月光", "床前明月光", "床前明月光" },
  { "\x1b[31mred", "\\x1B[31mred", "\\x1B[31mred" },
  { "a\nb\tc", "a\\nb\\tc", "a\nb\tc" },
  { "over\rwrite", "over\\rwrite", "over\\rwrite" },
  { "\x01\x1f\x7f", "\\x01\\x1F\\x7F", "\\x01\\x1F\\x7F" },
  { "\xc2\x9b" "31m", "\\u009B31m", "\\u009B31m" },            /* C1 CSI */
  { "\xc2\x85\xc2\xa0", "\\u0085\xc2\xa0", "\\u0085\xc2\xa0" }, /* NEL escaped, NBSP kept */
  { "bad\xff\xfe", "bad\\xFF\\xFE", "bad\\xFF\\xFE" },         /* not UTF-8 */
  { "\xe5\xba", "\\xE5\\xBA", "\\xE5\\xBA" },                   /* a cut character */
  { "\xc0\xaf", "\\xC0\\xAF", "\\xC0\\xAF" },                   /* overlong */
  { "\xed\xa0\x80", "\\xED\\xA0\\x80", "\\xED\\xA0\\x80" },     /* a surrogate */
  { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
};

int
main (void)
{
  char buf[256];

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const Case *c = &cases[i];
    size_t n = gs_escape (buf, sizeof buf, c->in, GS_ESCAPE_ALL);
    char *dup;

    GS_CHECK (strcmp (buf, c->all) == 0 && n == strlen (c->all), "case %zu, all: got \"%s\"", i, buf);
    n = gs_escape (buf, sizeof buf, c->in, GS_ESCAPE_KEEP_LINES);
    GS_CHECK (strcmp (buf, c->lines) == 0 && n == strlen (c->lines), "case %zu, keep lines: got \"%s\"", i, buf);
    GS_CHECK (gs_escape_needed (c->in, GS_ESCAPE_ALL) == (strcmp (c->in, c->all) != 0), "case %zu: needed (all)", i);
    GS_CHECK (gs_escape_needed (c->in, GS_ESCAPE_KEEP_LINES) == (strcmp (c->in, c->lines) != 0),
              "case %zu: needed (keep lines)", i);
    dup = gs_escape_dup (c->in, GS_ESCAPE_ALL);
    GS_CHECK (dup != NULL && strcmp (dup, c->all) == 0, "case %zu: dup", i);
    free (dup);
  }

  /* Truncation: the length needed is returned, the output stays a whole
   * prefix (no half escape, no half character) and NUL-terminated. */
  {
    char small[6];
    size_t n = gs_escape (small, sizeof small, "ab\x1b" "cd", GS_ESCAPE_ALL);
    GS_CHECK (n == 8 && strcmp (small, "ab") == 0, "ESC does not fit: \"%s\", %zu", small, n);
    n = gs_escape (small, sizeof small, "a床前", GS_ESCAPE_ALL);
    GS_CHECK (n == 7 && strcmp (small, "a床") == 0, "a character does not fit: \"%s\", %zu", small, n);
    n = gs_escape (NULL, 0, "\x1b", GS_ESCAPE_ALL);
    GS_CHECK (n == 4, "size only: %zu", n);
    n = gs_escape (small, sizeof small, NULL, GS_ESCAPE_ALL);
    GS_CHECK (n == 0 && small[0] == '\0', "NULL is empty");
  }
  /* Every byte value alone: the output has no C0 byte and no DEL. */
  for (int b = 1; b < 256; b++) {
    char in[2] = { (char) b, 0 };
    bool clean = true;
    gs_escape (buf, sizeof buf, in, GS_ESCAPE_ALL);
    for (const char *p = buf; *p; p++)
      clean = clean && (unsigned char) *p >= 0x20 && (unsigned char) *p != 0x7f;
    GS_CHECK (clean, "byte 0x%02X escaped to clean text: \"%s\"", b, buf);
  }
  return gs_test_finish ("escape");
}
