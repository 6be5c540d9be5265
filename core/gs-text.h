/* gs-text.h — UTF-8 text and character vocabularies.
 *
 * A token of a text task is one Unicode character (a code point), never a
 * byte: "我饿了" is three tokens. Decoding is strict — an invalid,
 * overlong or truncated sequence, a surrogate, or a value past U+10FFFF is
 * refused with the byte offset where it starts — and a text file must not
 * be empty or binary (a NUL byte or other control characters besides tab,
 * line feed, carriage return and form feed).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "gs-error.h"

/* Decodes len bytes of UTF-8 into a malloc'd array of code points. A
 * leading byte-order mark is skipped. Fails on invalid UTF-8 and on a NUL
 * character. */
int    gs_utf8_decode (uint32_t **cps, size_t *n, const char *s, size_t len, GsError *err);
/* Writes the UTF-8 form of cp (at most 4 bytes) and a NUL into out; returns
 * the number of bytes (0 for a value that is not a Unicode scalar value). */
size_t gs_utf8_encode (char out[5], uint32_t cp);

/* The columns a character takes in a terminal or a monospace table, as
 * wcwidth(3) counts them in a UTF-8 locale (Markus Kuhn's rules): 2 for
 * East Asian Wide and Fullwidth characters (汉字, kana, hangul, fullwidth
 * punctuation such as “（”), 0 for combining marks and zero-width
 * characters, 1 for the rest (ambiguous ones such as “·” and “—” too).
 * Control characters count 0. */
int    gs_char_width (uint32_t cp);
/* The columns of a UTF-8 string: the sum of gs_char_width over its
 * characters (a byte that is not valid UTF-8 counts one column). */
int    gs_utf8_width (const char *s);

/* Reads a text file (at most max_bytes) as code points: refuses an empty
 * file, a binary one and invalid UTF-8, naming the file and the offset. */
int    gs_text_load (uint32_t **cps, size_t *n, const char *path, size_t max_bytes, GsError *err);

/* The distinct characters of a text, in code point order; index = token. */
typedef struct {
  int          V;
  uint32_t    *cps;   /* (V) sorted */
  const char **str;   /* (V) each character as a NUL-terminated UTF-8 string */
  char        *mem;   /* storage of the strings */
} GsCharVocab;

int  gs_vocab_build      (GsCharVocab *v, const uint32_t *cps, size_t n, GsError *err);
/* From a string whose characters are the vocabulary in token order (as saved
 * in a model's "chars" metadata): no duplicates allowed. */
int  gs_vocab_from_utf8  (GsCharVocab *v, const char *chars, GsError *err);
/* Token of cp, or −1 when it is not in the vocabulary. */
int  gs_vocab_index      (const GsCharVocab *v, uint32_t cp);
/* The characters in token order as one malloc'd UTF-8 string (NULL when out of memory). */
char *gs_vocab_to_utf8   (const GsCharVocab *v);
void gs_vocab_clear      (GsCharVocab *v);
