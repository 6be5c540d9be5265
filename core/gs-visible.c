/* gs-visible.c — one visible symbol for each blank or invisible character. */
#include "gs-visible.h"

#include <stddef.h>

const char *
gs_visible_blank (uint32_t cp)
{
  switch (cp) {
  case 0x0020: return "␣";
  case 0x3000: return "⬚";
  case 0x0009: return "⇥";
  case 0x000A: case 0x0085: case 0x2028: case 0x2029: return "↵";
  case 0x000D: return "↤";
  case 0x000B: case 0x000C: return "↡";
  case 0x00A0: case 0x2007: case 0x202F: return "⍽";
  case 0x205F: return "␣";
  case 0x00AD: case 0x180E: case 0xFEFF: return "◌";
  default: break;
  }
  if (cp >= 0x2000 && cp <= 0x200A)
    return "␣";
  if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064))
    return "◌";
  return NULL;
}

/* The code point of a token that is exactly one UTF-8 character; 0 otherwise. */
static uint32_t
single_code_point (const char *s)
{
  const unsigned char *u = (const unsigned char *) s;
  uint32_t cp;
  int extra;

  if (u[0] < 0x80)
    return u[0] != 0 && u[1] == 0 ? u[0] : 0;
  if ((u[0] & 0xE0) == 0xC0)
    cp = u[0] & 0x1F, extra = 1;
  else if ((u[0] & 0xF0) == 0xE0)
    cp = u[0] & 0x0F, extra = 2;
  else if ((u[0] & 0xF8) == 0xF0)
    cp = u[0] & 0x07, extra = 3;
  else
    return 0;
  for (int i = 1; i <= extra; i++) {
    if ((u[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (u[i] & 0x3F);
  }
  return u[extra + 1] == 0 ? cp : 0;
}

const char *
gs_visible_token (const char *token)
{
  const char *symbol;

  if (token == NULL)
    return NULL;
  symbol = gs_visible_blank (single_code_point (token));
  return symbol != NULL ? symbol : token;
}
