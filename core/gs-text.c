/* gs-text.c — strict UTF-8 and character vocabularies (RFC 3629). */
#include "gs-text.h"

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
