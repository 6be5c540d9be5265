/* gs-generate.c — 1→N: a character model continues a prime. */
#include "gs-generate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"

void
gs_generator_free (GsGenerator *g)
{
  if (g == NULL)
    return;
  gs_vocab_clear (&g->vocab);
  free (g->h);
  free (g->c);
  free (g->weights);
  free (g->probs);
  free (g->text);
  free (g);
}

/* weights and probs from the last timestep's logits. */
static void
distribution (GsGenerator *g)
{
  const float *logits = g->m->logits + (size_t) (g->m->T - 1) * g->V;
  const float tau = g->temperature > 0.0f ? g->temperature : 1.0f;
  int best = 0;
  double sum = 0.0;

  for (int v = 1; v < g->V; v++)
    if (logits[v] > logits[best])
      best = v;
  /* w_v = exp((logit_v − max) / τ); p_v = w_v / Σ w */
  for (int v = 0; v < g->V; v++)
    sum += g->weights[v] = expf ((logits[v] - logits[best]) / tau);
  for (int v = 0; v < g->V; v++)
    g->probs[v] = (float) (g->weights[v] / sum);
}

static int
append (GsGenerator *g, const char *s, GsError *err)
{
  size_t n = strlen (s);

  if (g->len + n + 1 > g->cap) {
    size_t cap = (g->len + n + 1) * 2;
    char *text = realloc (g->text, cap);
    if (text == NULL)
      return gs_error_set (err, _("out of memory"));
    g->text = text;
    g->cap = cap;
  }
  memcpy (g->text + g->len, s, n + 1);
  g->len += n;
  return GS_OK;
}

GsGenerator *
gs_generator_new (GsModel *m, const char *chars, const char *prime, float temperature, uint64_t seed,
                  GsError *err)
{
  const int L = m->cfg.L, H = m->cfg.H;
  GsGenerator *g;
  uint32_t *cps = NULL;
  size_t n = 0;
  int *tokens = NULL;

  if (!(temperature >= 0.0f) || !isfinite (temperature)) {
    gs_error_set (err, _("the temperature must be a finite number of at least 0"));
    return NULL;
  }
  g = calloc (1, sizeof *g);
  if (g == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  g->m = m;
  g->temperature = temperature;
  gs_rng_seed (&g->rng, seed);
  if (gs_vocab_from_utf8 (&g->vocab, chars, err) != GS_OK) {
    free (g);
    return NULL;
  }
  g->V = g->vocab.V;
  if (m->cfg.input == GS_INPUT_DENSE || m->cfg.loss != GS_LOSS_CE || m->cfg.V != g->V || m->cfg.O != g->V) {
    gs_error_set (err, _("the model is not a character language model over its %d saved characters"), g->V);
    goto fail;
  }
  if (gs_utf8_decode (&cps, &n, prime, strlen (prime), err) != GS_OK)
    goto fail;
  if (n == 0) {
    gs_error_set (err, _("the prime is empty: give at least one character to start from"));
    goto fail;
  }
  tokens = malloc (n * sizeof *tokens);
  g->h = calloc ((size_t) L * m->D * H, sizeof *g->h);   /* (L·D, 1, P), P ≤ H */
  g->c = calloc ((size_t) L * m->D * H, sizeof *g->c);
  g->weights = malloc ((size_t) g->V * sizeof *g->weights);
  g->probs = malloc ((size_t) g->V * sizeof *g->probs);
  if (!tokens || !g->h || !g->c || !g->weights || !g->probs) {
    gs_error_set (err, _("out of memory"));
    goto fail;
  }
  for (size_t i = 0; i < n; i++) {
    tokens[i] = gs_vocab_index (&g->vocab, cps[i]);
    if (tokens[i] < 0) {
      char ch[5];
      gs_utf8_encode (ch, cps[i]);
      gs_error_set (err, _("“%s” (character %zu of the prime) is not in the model's vocabulary"), ch, i + 1);
      goto fail;
    }
  }
  if (append (g, prime, err) != GS_OK)
    goto fail;
  g->prime_len = g->len;

  /* Read the prime from the zero state. */
  if (gs_model_set_sequence (m, (int) n, 1, tokens, NULL, NULL, NULL, NULL, err) != GS_OK)
    goto fail;
  gs_model_forward_seq (m);
  g->last = tokens[n - 1];
  distribution (g);
  free (cps);
  free (tokens);
  return g;

fail:
  free (cps);
  free (tokens);
  gs_generator_free (g);
  return NULL;
}

void
gs_generator_set_rng (GsGenerator *g, const GsRng *rng)
{
  g->rng = *rng;
}

int
gs_generator_step (GsGenerator *g, int *token, GsError *err)
{
  const float *logits = g->m->logits + (size_t) (g->m->T - 1) * g->V;
  int next = 0;

  /* τ = 0: the largest logit (the first of equals); else a draw from w / Σ w. */
  for (int v = 1; v < g->V; v++)
    if (logits[v] > logits[next])
      next = v;
  if (g->temperature > 0.0f) {
    double sum = 0.0, r;
    for (int v = 0; v < g->V; v++)
      sum += g->weights[v];
    r = gs_rng_uniform (&g->rng, 0.0f, 1.0f) * sum;
    for (next = 0; next < g->V - 1 && (r -= g->weights[next]) >= 0.0; next++)
      ;
  }
  if (append (g, g->vocab.str[next], err) != GS_OK)
    return GS_FAIL;

  /* Feed it back in, the state carried over. */
  gs_model_final_state (g->m, g->h, g->c);
  if (gs_model_set_sequence (g->m, 1, 1, &next, NULL, NULL, NULL, NULL, err) != GS_OK)
    return GS_FAIL;
  gs_model_set_initial_state (g->m, g->h, g->c);
  gs_model_forward_seq (g->m);
  g->last = next;
  g->n_generated++;
  distribution (g);
  if (token != NULL)
    *token = next;
  return GS_OK;
}
