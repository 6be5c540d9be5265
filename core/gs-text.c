/* gs-text.c — strict UTF-8 and character vocabularies (RFC 3629). */
#include "gs-text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gs-file.h"
#include "gs-i18n.h"

/* The length of the sequence that starts with byte c, from its high bits:
 * 0xxxxxxx 1, 110xxxxx 2, 1110xxxx 3, 11110xxx 4; 0 for a continuation byte
 * or a byte that never starts a sequence (0xF8–0xFF). */
static int
utf8_length (unsigned char c)
{
  if (c < 0x80)
    return 1;
  if (c < 0xC0)
    return 0;
  if (c < 0xE0)
    return 2;
  if (c < 0xF0)
    return 3;
  if (c < 0xF8)
    return 4;
  return 0;
}

int
gs_utf8_decode (uint32_t **cps, size_t *n, const char *s, size_t len, GsError *err)
{
  static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };  /* shortest form per length */
  const unsigned char *p = (const unsigned char *) s;
  uint32_t *out;
  size_t i = 0, k = 0;

  *cps = NULL;
  *n = 0;
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    i = 3;   /* byte-order mark */
  out = malloc ((len - i + 1) * sizeof *out);
  if (out == NULL)
    return gs_error_set (err, _("out of memory"));

  while (i < len) {
    int l = utf8_length (p[i]);
    uint32_t cp;

    if (l == 0) {
      free (out);
      return gs_error_set (err, _("invalid UTF-8 at byte %zu (byte 0x%02X cannot start a character)"),
                           i, p[i]);
    }
    if (i + (size_t) l > len) {
      free (out);
      return gs_error_set (err, _("invalid UTF-8 at byte %zu (the text ends inside a character)"), i);
    }
    cp = l == 1 ? p[i] : (uint32_t) (p[i] & (0x7F >> l));
    for (int j = 1; j < l; j++) {
      if ((p[i + j] & 0xC0) != 0x80) {
        free (out);
        return gs_error_set (err, _("invalid UTF-8 at byte %zu (a character is cut short)"), i);
      }
      cp = (cp << 6) | (p[i + j] & 0x3F);
    }
    if (cp < min_cp[l] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      free (out);
      return gs_error_set (err, _("invalid UTF-8 at byte %zu (U+%04X is overlong, a surrogate or out of range)"),
                           i, (unsigned) cp);
    }
    if (cp == 0) {
      free (out);
      return gs_error_set (err, _("the text contains a NUL character at byte %zu: is it a binary file?"), i);
    }
    out[k++] = cp;
    i += (size_t) l;
  }
  *cps = out;
  *n = k;
  return GS_OK;
}

/* Ranges of East Asian Wide (W) and Fullwidth (F) characters, from
 * Unicode's EastAsianWidth.txt as wcwidth implementations group them. */
static const uint32_t wide[][2] = {
  { 0x1100, 0x115F },   /* Hangul Jamo initials */
  { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC }, { 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 },
  { 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 },
  { 0x26A1, 0x26A1 }, { 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
  { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA },
  { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 }, { 0x274C, 0x274C },
  { 0x274E, 0x274E }, { 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 },
  { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 },
  { 0x2E80, 0x303E },   /* CJK radicals, punctuation 、。「」 */
  { 0x3041, 0x33FF },   /* kana, bopomofo, CJK compatibility */
  { 0x3400, 0x4DBF },   /* CJK extension A */
  { 0x4E00, 0x9FFF },   /* CJK unified ideographs */
  { 0xA000, 0xA4CF },   /* Yi */
  { 0xA960, 0xA97F },   /* Hangul Jamo extended A */
  { 0xAC00, 0xD7A3 },   /* Hangul syllables */
  { 0xF900, 0xFAFF },   /* CJK compatibility ideographs */
  { 0xFE10, 0xFE19 },   /* vertical forms */
  { 0xFE30, 0xFE6F },   /* CJK compatibility forms, small forms */
  { 0xFF00, 0xFF60 },   /* fullwidth forms: （），：；！？ */
  { 0xFFE0, 0xFFE6 },
  { 0x16FE0, 0x16FE4 }, { 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF },
  { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A },
  { 0x1F200, 0x1F251 }, { 0x1F300, 0x1F64F },   /* pictographs, emoticons */
  { 0x1F680, 0x1F6FF }, { 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
  { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },   /* CJK extensions B and later */
};

/* Combining marks and zero-width characters. */
static const uint32_t zero[][2] = {
  { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A }, { 0x064B, 0x065F },
  { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
  { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 },
  { 0x20D0, 0x20FF }, { 0x302A, 0x302D }, { 0x3099, 0x309A }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
  { 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
};

static bool
in_ranges (uint32_t cp, const uint32_t (*r)[2], size_t n)
{
  size_t lo = 0, hi = n;

  while (lo < hi) {   /* the ranges are sorted and disjoint */
    size_t mid = (lo + hi) / 2;
    if (cp < r[mid][0])
      hi = mid;
    else if (cp > r[mid][1])
      lo = mid + 1;
    else
      return true;
  }
  return false;
}

int
gs_char_width (uint32_t cp)
{
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
    return 0;
  if (cp == 0x00AD)   /* soft hyphen: shown as one column by terminals */
    return 1;
  if (in_ranges (cp, zero, sizeof zero / sizeof zero[0]))
    return 0;
  if (in_ranges (cp, wide, sizeof wide / sizeof wide[0]))
    return 2;
  return 1;
}

int
gs_utf8_width (const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  int width = 0;

  while (*p != '\0') {
    uint32_t cp = *p;
    int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len > 0;

    if (len > 1) {
      cp = *p & (0x7F >> len);
      for (int k = 1; k < len && ok; k++) {
        ok = (p[k] & 0xC0) == 0x80;
        cp = (cp << 6) | (p[k] & 0x3F);
      }
    }
    if (!ok) {   /* not UTF-8: one column for the byte */
      width++;
      p++;
      continue;
    }
    width += gs_char_width (cp);
    p += len;
  }
  return width;
}

size_t
gs_utf8_encode (char out[5], uint32_t cp)
{
  size_t l;

  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    out[0] = '\0';
    return 0;
  }
  if (cp < 0x80) {
    out[0] = (char) cp;
    l = 1;
  } else if (cp < 0x800) {
    out[0] = (char) (0xC0 | (cp >> 6));
    out[1] = (char) (0x80 | (cp & 0x3F));
    l = 2;
  } else if (cp < 0x10000) {
    out[0] = (char) (0xE0 | (cp >> 12));
    out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char) (0x80 | (cp & 0x3F));
    l = 3;
  } else {
    out[0] = (char) (0xF0 | (cp >> 18));
    out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char) (0x80 | (cp & 0x3F));
    l = 4;
  }
  out[l] = '\0';
  return l;
}

int
gs_text_load (uint32_t **cps, size_t *n, const char *path, size_t max_bytes, GsError *err)
{
  unsigned char *data = NULL;
  size_t len = 0;
  int rc;

  *cps = NULL;
  *n = 0;
  if (gs_file_read (path, max_bytes, &data, &len, err) != GS_OK)
    return GS_FAIL;
  /* Control characters other than \t \n \f \r mean the file is not text. */
  for (size_t i = 0; i < len; i++)
    if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\f' && data[i] != '\r') {
      unsigned byte = data[i];
      free (data);
      return gs_error_set (err, _("%s is not a text file (control byte 0x%02X at byte %zu)"),
                           path, byte, i);
    }
  rc = gs_utf8_decode (cps, n, (const char *) data, len, err);
  free (data);
  if (rc != GS_OK)
    return gs_error_prefix (err, "%s", path);
  if (*n == 0) {
    free (*cps);
    *cps = NULL;
    return gs_error_set (err, _("%s is empty"), path);
  }
  return GS_OK;
}

/* ------------------------------------------------------------------------ */
/* Vocabularies                                                             */

static int
cmp_u32 (const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
  return x < y ? -1 : x > y;
}

/* Fills str/mem from cps[V]. */
static int
vocab_strings (GsCharVocab *v, GsError *err)
{
  char *p;

  v->str = malloc ((size_t) v->V * sizeof *v->str);
  v->mem = malloc ((size_t) v->V * 5);
  if (v->str == NULL || v->mem == NULL) {
    gs_vocab_clear (v);
    return gs_error_set (err, _("out of memory"));
  }
  p = v->mem;
  for (int i = 0; i < v->V; i++) {
    size_t l = gs_utf8_encode (p, v->cps[i]);
    v->str[i] = p;
    p += l + 1;
  }
  return GS_OK;
}

int
gs_vocab_build (GsCharVocab *v, const uint32_t *cps, size_t n, GsError *err)
{
  uint32_t *sorted;
  int V = 0;

  memset (v, 0, sizeof *v);
  if (n == 0)
    return gs_error_set (err, _("the text is empty"));
  sorted = malloc (n * sizeof *sorted);
  if (sorted == NULL)
    return gs_error_set (err, _("out of memory"));
  memcpy (sorted, cps, n * sizeof *sorted);
  qsort (sorted, n, sizeof *sorted, cmp_u32);
  for (size_t i = 0; i < n; i++)
    if (i == 0 || sorted[i] != sorted[i - 1])
      sorted[V++] = sorted[i];
  v->V = V;
  v->cps = sorted;
  return vocab_strings (v, err);
}

int
gs_vocab_from_utf8 (GsCharVocab *v, const char *chars, GsError *err)
{
  size_t n;

  memset (v, 0, sizeof *v);
  if (chars == NULL || gs_utf8_decode (&v->cps, &n, chars, strlen (chars), err) != GS_OK)
    return chars == NULL ? gs_error_set (err, _("no vocabulary")) : GS_FAIL;
  if (n == 0 || n > 65536) {
    gs_vocab_clear (v);
    return gs_error_set (err, _("a vocabulary must have between 1 and %d characters"), 65536);
  }
  v->V = (int) n;
  for (size_t i = 1; i < n; i++)
    if (v->cps[i] <= v->cps[i - 1]) {
      gs_vocab_clear (v);
      return gs_error_set (err, _("the vocabulary is not in code point order or repeats a character"));
    }
  return vocab_strings (v, err);
}

int
gs_vocab_index (const GsCharVocab *v, uint32_t cp)
{
  int lo = 0, hi = v->V - 1;

  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (v->cps[mid] == cp)
      return mid;
    if (v->cps[mid] < cp)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

char *
gs_vocab_to_utf8 (const GsCharVocab *v)
{
  size_t size = 1;
  char *s, *p;

  for (int i = 0; i < v->V; i++)
    size += strlen (v->str[i]);
  s = malloc (size);
  if (s == NULL)
    return NULL;
  p = s;
  for (int i = 0; i < v->V; i++) {
    size_t l = strlen (v->str[i]);
    memcpy (p, v->str[i], l);
    p += l;
  }
  *p = '\0';
  return s;
}

void
gs_vocab_clear (GsCharVocab *v)
{
  free (v->cps);
  free (v->str);
  free (v->mem);
  memset (v, 0, sizeof *v);
}
