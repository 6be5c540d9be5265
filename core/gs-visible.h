/* gs-visible.h — one visible symbol for each blank or invisible character.
 *
 * A space, the ideographic space U+3000 (which opens the lines of the
 * Tang poems), a tab or a line break draws nothing: as a label of an
 * input, a prediction or a quoted character it would look like no
 * character at all. Every view and the status line show it as its symbol
 * instead, the same everywhere:
 *
 *   U+0020 space                          ␣
 *   U+3000 ideographic (full-width) space ⬚   as wide as a Chinese character
 *   U+0009 tab                            ⇥
 *   U+000A line feed, U+0085, U+2028/9    ↵
 *   U+000D carriage return                ↤
 *   U+000B, U+000C vertical tab, form feed ↡
 *   U+00A0, U+2007, U+202F no-break spaces ⍽
 *   U+2000…U+200A, U+205F other spaces    ␣
 *   zero-width and format characters      ◌   (U+00AD, U+180E, U+200B…U+200F,
 *                                               U+2060…U+2064, U+FEFF)
 *
 * Every symbol is in DejaVu Sans, which GTK's dependencies install. Other
 * control characters are not blanks: this table leaves them alone.
 */
#pragma once

#include <stdint.h>

/* The symbol that stands for cp, or NULL when cp is visible by itself. */
const char *gs_visible_blank (uint32_t cp);

/* A token (one character, as UTF-8) as it is shown: its symbol when it is a
 * single blank or invisible character, else the token itself. */
const char *gs_visible_token (const char *token);
