/* gs-escape.c — see gs-escape.h. */
#include "gs-escape.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1–4) and its code point, or 0
 * when the bytes there are not one (invalid, overlong, surrogate, > U+10FFFF). */
static size_t
utf8_next (const unsigned char *s, uint32_t *cp)
{
  unsigned char c = s[0];
  size_t n;
  uint32_t v, min;

  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2; v = c & 0x1F; min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3; v = c & 0x0F; min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4; v = c & 0x07; min = 0x10000;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;   /* also stops at the NUL */
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

/* The escape of one code point (or invalid byte) into buf; 0 when it is
 * copied as it is. */
static size_t
escape_one (char buf[16], uint32_t cp, bool invalid, GsEscapeFlags flags)
{
  if (invalid)
    return (size_t) snprintf (buf, 16, "\\x%02X", cp);
  if (cp == '\n' || cp == '\t')
    return (flags & GS_ESCAPE_KEEP_LINES) ? 0 : (size_t) snprintf (buf, 16, cp == '\n' ? "\\n" : "\\t");
  if (cp == '\r')
    return (size_t) snprintf (buf, 16, "\\r");
  if (cp < 0x20 || cp == 0x7F)
    return (size_t) snprintf (buf, 16, "\\x%02X", cp);
  if (cp >= 0x80 && cp <= 0x9F)
    return (size_t) snprintf (buf, 16, "\\u%04X", cp);
  return 0;
}

size_t
gs_escape (char *out, size_t size, const char *s, GsEscapeFlags flags)
{
  const unsigned char *p = (const unsigned char *) (s != NULL ? s : "");
  size_t len = 0;   /* of the whole escaped form */
  bool full = false;

  if (size > 0)
    out[0] = '\0';
  while (*p != '\0') {
    char buf[16];
    uint32_t cp = 0;
    size_t n = utf8_next (p, &cp), m;
    const char *piece;

    if (n == 0) {   /* an invalid byte: escape it alone */
      m = escape_one (buf, *p, true, flags);
      n = 1;
      piece = buf;
    } else {
      m = escape_one (buf, cp, false, flags);
      piece = m > 0 ? buf : (const char *) p;
      if (m == 0)
        m = n;
    }
    if (!full && len + m < size) {
      memcpy (out + len, piece, m);
      out[len + m] = '\0';
    } else {
      full = true;   /* never a part of a character or an escape */
    }
    len += m;
    p += n;
  }
  return len;
}

bool
gs_escape_needed (const char *s, GsEscapeFlags flags)
{
  const unsigned char *p = (const unsigned char *) (s != NULL ? s : "");

  while (*p != '\0') {
    char buf[16];
    uint32_t cp = 0;
    size_t n = utf8_next (p, &cp);
    if (n == 0 || escape_one (buf, cp, false, flags) > 0)
      return true;
    p += n;
  }
  return false;
}

char *
gs_escape_dup (const char *s, GsEscapeFlags flags)
{
  size_t n = gs_escape (NULL, 0, s, flags);
  char *out = malloc (n + 1);

  if (out != NULL)
    gs_escape (out, n + 1, s, flags);
  return out;
}
