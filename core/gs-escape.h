/* gs-escape.h — text from files, made safe to show.
 *
 * A vocabulary, a class label, a model's metadata or a corpus may hold
 * control characters: ESC [ 3 1 m turns a terminal red, a carriage return
 * overwrites the line, a C1 control (U+009B) starts an escape sequence on
 * some terminals. Everything read from a file goes through gs_escape
 * before it reaches a terminal or the window.
 *
 * Escaped: C0 controls (U+0000–U+001F) as \t \n \r or \xHH, DEL as \x7F,
 * C1 controls (U+0080–U+009F) as \u0080…\u009F, and bytes that are not
 * valid UTF-8 as \xHH. Everything else, Chinese included, is copied.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  GS_ESCAPE_ALL = 0,
  GS_ESCAPE_KEEP_LINES = 1 << 0,   /* a multi-line text: keep \n and \t as they are */
} GsEscapeFlags;

/* True when gs_escape would change s. */
bool   gs_escape_needed (const char *s, GsEscapeFlags flags);

/* Writes the escaped form of s into out (size bytes, always
 * NUL-terminated when size > 0, never cutting a character or an escape in
 * two) and returns the length the whole escaped form needs (without the
 * NUL), as snprintf does. */
size_t gs_escape (char *out, size_t size, const char *s, GsEscapeFlags flags);

/* The escaped form in a malloc'd string (NULL when out of memory). */
char  *gs_escape_dup (const char *s, GsEscapeFlags flags);
