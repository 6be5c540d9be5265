/* test-text — strict UTF-8 and character vocabularies (core/gs-text.h).
 *
 * Chinese text decodes to one token per character; every kind of invalid
 * UTF-8 is refused with the byte offset where it starts; empty and binary
 * files are refused with their name; a vocabulary round-trips through the
 * "chars" string a saved model carries; every blank and invisible
 * character has its one visible symbol (gs-visible.h), and nothing else
 * has one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs-test.h"
#include "gs-text.h"
#include "gs-visible.h"

static char tmpdir[] = "/tmp/gs-test-text.XXXXXX";

static const char *
write_file (const char *name, const void *data, size_t len)
{
  static char path[512];
  FILE *f;

  snprintf (path, sizeof path, "%s/%s", tmpdir, name);
  f = fopen (path, "wb");
  if (f) {
    fwrite (data, 1, len, f);
    fclose (f);
  }
  return path;
}

/* Decoding `s` (len bytes) fails and the message names `needle`. */
static void
check_invalid (const char *what, const char *s, size_t len, const char *needle)
{
  uint32_t *cps = (uint32_t *) 1;
  size_t n = 99;
  GsError err = { "" };

  GS_CHECK (gs_utf8_decode (&cps, &n, s, len, &err) == GS_FAIL, "%s is refused", what);
  GS_CHECK (cps == NULL && n == 0, "%s: no output on failure", what);
  GS_CHECK (strstr (err.msg, needle) != NULL, "%s: message “%s” names “%s”", what, err.msg, needle);
}

static void
test_decode (void)
{
  const char *zh = "我饿了，春眠不觉晓。";
  uint32_t *cps;
  size_t n;
  GsError err;

  GS_CHECK (gs_utf8_decode (&cps, &n, zh, strlen (zh), &err) == GS_OK, "Chinese decodes: %s", err.msg);
  GS_CHECK (n == 10, "10 characters, not %zu bytes' worth: %zu", strlen (zh), n);
  GS_CHECK (cps[0] == 0x6211 && cps[1] == 0x997F && cps[2] == 0x4E86 && cps[3] == 0xFF0C,
            "我饿了， are U+6211 U+997F U+4E86 U+FF0C");
  free (cps);

  /* Every length of sequence, and a byte-order mark that is skipped. */
  {
    const char *mixed = "\xEF\xBB\xBF" "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";   /* BOM a é 中 😀 */
    GS_CHECK (gs_utf8_decode (&cps, &n, mixed, strlen (mixed), &err) == GS_OK, "mixed decodes");
    GS_CHECK (n == 4 && cps[0] == 'a' && cps[1] == 0xE9 && cps[2] == 0x4E2D && cps[3] == 0x1F600,
              "1-, 2-, 3- and 4-byte characters; BOM skipped (n = %zu)", n);
    for (size_t i = 0; i < n; i++) {
      char buf[5];
      size_t l = gs_utf8_encode (buf, cps[i]);
      GS_CHECK (l == i + 1, "U+%04X encodes to %zu bytes", (unsigned) cps[i], i + 1);
    }
    free (cps);
  }
  {
    char buf[5];
    GS_CHECK (gs_utf8_encode (buf, 0xD800) == 0 && gs_utf8_encode (buf, 0x110000) == 0,
              "surrogates and values past U+10FFFF do not encode");
  }

  check_invalid ("a lone continuation byte", "ab\x80", 3, "byte 2");
  check_invalid ("a byte that starts nothing", "\xFF", 1, "byte 0");
  check_invalid ("a truncated character", "ok\xE6\x88", 4, "byte 2");
  check_invalid ("a cut-short character", "\xE6\x41\x41", 3, "byte 0");
  check_invalid ("an overlong '/'", "x\xC0\xAF", 3, "byte 1");
  check_invalid ("an overlong 3-byte NUL", "\xE0\x80\x80", 3, "byte 0");
  check_invalid ("a surrogate", "\xED\xA0\x80", 3, "surrogate");
  check_invalid ("U+110000", "\xF4\x90\x80\x80", 4, "byte 0");
  check_invalid ("a NUL character", "ab\0c", 4, "NUL");
}

static void
test_load (void)
{
  static const unsigned char binary[] = { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0 };
  const char *poem = "床前明月光，\n疑是地上霜。\n";
  uint32_t *cps = NULL;
  size_t n;
  GsError err;
  const char *path;

  path = write_file ("poem.txt", poem, strlen (poem));
  GS_CHECK (gs_text_load (&cps, &n, path, 1 << 20, &err) == GS_OK && n == 14,
            "a Chinese file loads as 14 characters (%s)", err.msg);
  free (cps);

  path = write_file ("empty.txt", "", 0);
  GS_CHECK (gs_text_load (&cps, &n, path, 1 << 20, &err) == GS_FAIL && strstr (err.msg, "empty")
            && strstr (err.msg, "empty.txt"), "an empty file is refused by name: %s", err.msg);
  path = write_file ("bom-only.txt", "\xEF\xBB\xBF", 3);
  GS_CHECK (gs_text_load (&cps, &n, path, 1 << 20, &err) == GS_FAIL && strstr (err.msg, "empty"),
            "a file holding only a BOM is empty: %s", err.msg);
  path = write_file ("prog.bin", binary, sizeof binary);
  GS_CHECK (gs_text_load (&cps, &n, path, 1 << 20, &err) == GS_FAIL && strstr (err.msg, "not a text file")
            && strstr (err.msg, "prog.bin"), "a binary file is refused: %s", err.msg);
  path = write_file ("latin1.txt", "caf\xE9 au lait", 12);
  GS_CHECK (gs_text_load (&cps, &n, path, 1 << 20, &err) == GS_FAIL && strstr (err.msg, "latin1.txt")
            && strstr (err.msg, "byte 3"), "Latin-1 is refused with the offset: %s", err.msg);
  path = write_file ("big.txt", "0123456789", 10);
  GS_CHECK (gs_text_load (&cps, &n, path, 5, &err) == GS_FAIL && strstr (err.msg, "too large"),
            "a file over the limit is refused: %s", err.msg);
  GS_CHECK (gs_text_load (&cps, &n, "/nonexistent/x.txt", 100, &err) == GS_FAIL, "a missing file is refused");
}

static void
test_vocab (void)
{
  const char *text = "春眠不觉晓，处处闻啼鸟。春";
  GsCharVocab v, w;
  uint32_t *cps;
  size_t n;
  GsError err;
  char *chars;

  gs_utf8_decode (&cps, &n, text, strlen (text), &err);
  GS_CHECK (gs_vocab_build (&v, cps, n, &err) == GS_OK, "vocabulary builds");
  GS_CHECK (v.V == 11, "11 distinct characters (春 and 处 repeat): %d", v.V);
  for (int i = 1; i < v.V; i++)
    GS_CHECK (v.cps[i - 1] < v.cps[i], "code point order at %d", i);
  for (size_t i = 0; i < n; i++) {
    int k = gs_vocab_index (&v, cps[i]);
    char buf[5];
    gs_utf8_encode (buf, cps[i]);
    GS_CHECK (k >= 0 && strcmp (v.str[k], buf) == 0, "character %zu maps to its own token", i);
  }
  GS_CHECK (gs_vocab_index (&v, 'x') == -1, "a character outside the text has no token");

  chars = gs_vocab_to_utf8 (&v);
  GS_CHECK (chars != NULL && gs_vocab_from_utf8 (&w, chars, &err) == GS_OK, "round trip through a string");
  GS_CHECK (w.V == v.V && memcmp (w.cps, v.cps, sizeof (uint32_t) * v.V) == 0, "same characters, same order");
  gs_vocab_clear (&w);
  free (chars);
  GS_CHECK (gs_vocab_from_utf8 (&w, "abca", &err) == GS_FAIL, "a repeated character is refused");
  GS_CHECK (gs_vocab_from_utf8 (&w, "ba", &err) == GS_FAIL, "an unordered vocabulary is refused");
  GS_CHECK (gs_vocab_from_utf8 (&w, "", &err) == GS_FAIL, "an empty vocabulary is refused");
  GS_CHECK (gs_vocab_from_utf8 (&w, "a\xFF", &err) == GS_FAIL, "invalid UTF-8 is refused");
  gs_vocab_clear (&v);
  free (cps);
}

/* The table of gs-visible.h, and the characters that must keep their own face. */
static void
test_visible (void)
{
  static const struct { uint32_t cp; const char *symbol; } blanks[] = {
    { 0x0020, "␣" }, { 0x3000, "⬚" }, { 0x0009, "⇥" }, { 0x000A, "↵" }, { 0x0085, "↵" },
    { 0x2028, "↵" }, { 0x2029, "↵" }, { 0x000D, "↤" }, { 0x000B, "↡" }, { 0x000C, "↡" },
    { 0x00A0, "⍽" }, { 0x2007, "⍽" }, { 0x202F, "⍽" }, { 0x2000, "␣" }, { 0x2003, "␣" },
    { 0x200A, "␣" }, { 0x205F, "␣" }, { 0x200B, "◌" }, { 0x200D, "◌" }, { 0x2060, "◌" },
    { 0xFEFF, "◌" }, { 0x00AD, "◌" },
  };
  static const uint32_t visible[] = { 'a', '0', '_', 0x6211 /* 我 */, 0xFF0C /* ， */, 0x3001 /* 、 */,
                                      0x3002 /* 。 */, 0x2423 /* ␣ itself */, 0x1F600, 0x2B1A };
  char buf[5];

  for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
    const char *got = gs_visible_blank (blanks[i].cp);
    GS_CHECK (got != NULL && strcmp (got, blanks[i].symbol) == 0, "U+%04X is shown as %s, not %s",
              (unsigned) blanks[i].cp, blanks[i].symbol, got != NULL ? got : "(itself)");
    gs_utf8_encode (buf, blanks[i].cp);
    got = gs_visible_token (buf);
    GS_CHECK (strcmp (got, blanks[i].symbol) == 0, "the token U+%04X is shown as %s, not %s",
              (unsigned) blanks[i].cp, blanks[i].symbol, got);
  }
  for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++) {
    gs_utf8_encode (buf, visible[i]);
    GS_CHECK (gs_visible_blank (visible[i]) == NULL, "U+%04X is visible by itself", (unsigned) visible[i]);
    GS_CHECK (strcmp (gs_visible_token (buf), buf) == 0, "the token U+%04X is shown as itself", (unsigned) visible[i]);
  }
  /* only a token of exactly one blank is replaced */
  GS_CHECK (strcmp (gs_visible_token ("a b"), "a b") == 0, "a token of several characters stays");
  GS_CHECK (strcmp (gs_visible_token ("\xe3\x80\x80x"), "\xe3\x80\x80x") == 0, "U+3000 then x stays");
  GS_CHECK (strcmp (gs_visible_token (""), "") == 0, "the empty token stays");
  GS_CHECK (gs_visible_token (NULL) == NULL, "NULL stays NULL");
  GS_CHECK (strcmp (gs_visible_token ("\xe3\x80"), "\xe3\x80") == 0, "a truncated sequence stays");
}

/* Display columns as wcwidth counts them: the shapes table pads with them. */
static void
test_width (void)
{
  static const struct { const char *s; int width; } cases[] = {
    { "", 0 },
    { "h_n", 3 },
    { "输入 x", 6 },                       /* two Chinese characters, a space, x */
    { "输入 x（词元编号）", 18 },          /* fullwidth parentheses are wide too */
    { "RNN 读入的", 10 },
    { "“—·”", 4 },                         /* ambiguous: one column, as glibc in a UTF-8 locale */
    { "e\xcc\x81", 1 },                    /* e + combining acute */
    { "한국", 4 },                          /* hangul */
    { "カナ", 4 },                          /* katakana */
    { "，。", 4 },                          /* Chinese punctuation */
    { "\xf0\x9f\x98\x80", 2 },              /* an emoji */
    { "\xff" "ab", 3 },                     /* a byte that is not UTF-8: one column */
    { "\xe4\xbd", 2 },                      /* a truncated character: a column per byte */
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    GS_CHECK (gs_utf8_width (cases[i].s) == cases[i].width, "width of case %zu is %d, got %d", i, cases[i].width,
              gs_utf8_width (cases[i].s));
  GS_CHECK (gs_char_width (0x4E00) == 2 && gs_char_width (0x9FFF) == 2 && gs_char_width (0x20000) == 2,
            "CJK ideographs, extension B included, are two columns");
  GS_CHECK (gs_char_width ('\n') == 0 && gs_char_width (0x200B) == 0, "controls and zero-width spaces take none");
  GS_CHECK (gs_char_width ('a') == 1 && gs_char_width (0x00E9) == 1 && gs_char_width (0x03B1) == 1,
            "Latin and Greek are one column");
}

int
main (void)
{
  char cmd[600];

  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    return 2;
  }
  test_decode ();
  test_load ();
  test_vocab ();
  test_visible ();
  test_width ();
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    fprintf (stderr, "could not remove %s\n", tmpdir);
  return gs_test_finish ("text");
}
