/* gs-generate.h — 1→N: a character model continues a prime, one character at a time.
 *
 * The generator reads the prime through the model, then repeats: take the
 * distribution of the next character from the last logits,
 *   p_v = softmax(logits / τ)_v          (τ = 0: the most probable, no draw)
 * draw a character from it with the generator's own random stream, append
 * it to the text and feed it back in as the next input, the state carried
 * over (h_0, c_0 of the next step = h_n, c_n of the last). One draw of
 * gs_rng_uniform per character with τ > 0, none with τ = 0, so the same
 * model, prime, τ and seed give the same text, whoever drives it:
 * `gatescope-cli sample` (gs_task_sample) and the window's generation
 * panel both step this object.
 *
 * The generator borrows a model of its own (a clone of the trained one,
 * gs_model_clone_params): it overwrites that model's sequence and state.
 *
 * Letters: V characters (the model's input vocabulary and its outputs).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "gs-error.h"
#include "gs-model.h"
#include "gs-rng.h"
#include "gs-text.h"

typedef struct {
  GsModel     *m;            /* borrowed: holds the last step's sequence and values */
  GsCharVocab  vocab;        /* the characters in token order */
  GsRng        rng;
  float        temperature;  /* τ ≥ 0 */
  int          V;
  float       *h, *c;        /* (L·D, 1, H) the state carried from step to step */
  float       *weights;      /* (V) exp((logit_v − max) / τ): what the draw reads */
  float       *probs;        /* (V) the distribution of the next character: softmax(logits / τ)
                                (τ = 0: softmax(logits), of which the most probable is taken) */
  int          last;         /* the character fed last: the prime's last, then each one drawn */
  long         n_generated;
  char        *text;         /* prime + continuation, UTF-8, NUL-terminated */
  size_t       len, cap;
  size_t       prime_len;    /* bytes of the prime in text */
} GsGenerator;

/* Reads `prime` (UTF-8, at least one character, each in `chars`, the
 * model's characters in token order) through m, leaving probs the
 * distribution of the first character to generate. NULL with a message
 * naming the fault (a character not in the vocabulary, a model that is
 * not a character model over chars, τ < 0). */
GsGenerator *gs_generator_new  (GsModel *m, const char *chars, const char *prime, float temperature,
                                uint64_t seed, GsError *err);
void         gs_generator_free (GsGenerator *g);

/* One character: drawn from probs, appended to text and fed back in;
 * probs becomes the next one's distribution. *token (may be NULL) gets
 * the character drawn. */
int          gs_generator_step (GsGenerator *g, int *token, GsError *err);

/* Replaces the random stream (gs_task_sample hands over its caller's). */
void         gs_generator_set_rng (GsGenerator *g, const GsRng *rng);
