/* test-generate — 1→N generation (core/gs-generate.h).
 *
 * The generator's distribution at every step is the softmax of the model
 * run over the whole text from the zero state (so the state is carried
 * correctly); stepping gives the text gs_task_sample (what `gatescope-cli
 * sample` prints) gives for the same seed; τ = 0 takes the argmax; a
 * Chinese prime works; bad primes and temperatures are refused with a
 * message naming the fault.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-generate.h"
#include "gs-task.h"
#include "gs-test.h"
#include "gs-train.h"

/* A character model trained a little on `task`, and its characters in token order. */
static GsTrainer *
train (const char *task, int steps, char **chars)
{
  GsTrainConfig cfg;
  GsTrainer *tr;
  GsError err;
  size_t n = 0;

  gs_train_config_default (&cfg);
  snprintf (cfg.task, sizeof cfg.task, "%s", task);
  tr = gs_trainer_new (&cfg, &err);
  if (tr == NULL) {
    fprintf (stderr, "trainer: %s\n", err.msg);
    exit (1);
  }
  for (int i = 0; i < steps; i++)
    if (gs_trainer_step (tr, &err) != GS_OK) {
      fprintf (stderr, "step: %s\n", err.msg);
      exit (1);
    }
  for (int v = 0; v < tr->task.V; v++)
    n += strlen (tr->task.vocab[v]);
  *chars = calloc (n + 1, 1);
  for (int v = 0; v < tr->task.V; v++)
    strcat (*chars, tr->task.vocab[v]);
  return tr;
}

/* softmax(logits / τ) at the last step of `text` read from the zero state. */
static void
reference_probs (float *p, GsModel *m, const char *chars, const char *text, float tau)
{
  GsCharVocab vocab;
  uint32_t *cps;
  size_t n;
  int *tokens;
  GsError err;
  double sum = 0;
  const float *logits;
  float mx;

  gs_vocab_from_utf8 (&vocab, chars, &err);
  gs_utf8_decode (&cps, &n, text, strlen (text), &err);
  tokens = malloc (n * sizeof *tokens);
  for (size_t i = 0; i < n; i++)
    tokens[i] = gs_vocab_index (&vocab, cps[i]);
  gs_model_set_sequence (m, (int) n, 1, tokens, NULL, NULL, NULL, NULL, &err);
  gs_model_set_initial_state (m, NULL, NULL);
  gs_model_forward_seq (m);
  logits = m->logits + (size_t) (n - 1) * m->cfg.O;
  mx = logits[0];
  for (int v = 1; v < m->cfg.O; v++)
    mx = fmaxf (mx, logits[v]);
  for (int v = 0; v < m->cfg.O; v++)
    sum += p[v] = expf ((logits[v] - mx) / tau);
  for (int v = 0; v < m->cfg.O; v++)
    p[v] = (float) (p[v] / sum);
  free (tokens);
  free (cps);
  gs_vocab_clear (&vocab);
}

static void
check_model (const char *task, const char *prime, int steps)
{
  char *chars, *text = NULL;
  GsTrainer *tr = train (task, steps, &chars);
  GsError err;
  GsModel *gm = gs_model_clone_params (tr->model, &err);
  GsModel *ref = gs_model_clone_params (tr->model, &err);
  GsModel *cli = gs_model_clone_params (tr->model, &err);
  const int V = tr->task.V;
  float *p = malloc ((size_t) V * sizeof *p);

  for (int tau10 = 0; tau10 <= 10; tau10 += 5) {
    const float tau = tau10 / 10.0f;
    GsGenerator *g = gs_generator_new (gm, chars, prime, tau, 42, &err);
    GsRng rng;
    bool carried = true, argmax = true;

    GS_CHECK (g != NULL, "%s: generator on “%s”: %s", task, prime, g ? "" : err.msg);
    if (g == NULL)
      continue;
    for (int i = 0; i < 25; i++) {
      int tok, best = 0;
      reference_probs (p, ref, chars, g->text, tau > 0 ? tau : 1.0f);
      for (int v = 0; v < V; v++) {
        carried &= fabsf (p[v] - g->probs[v]) <= 1e-5f;
        if (g->probs[v] > g->probs[best])
          best = v;
      }
      GS_CHECK (gs_generator_step (g, &tok, &err) == GS_OK, "step: %s", err.msg);
      argmax &= tau > 0 || tok == best;
      GS_CHECK (tok == g->last && tok >= 0 && tok < V, "the character drawn is fed back");
    }
    GS_CHECK (carried, "%s τ=%.1f: each step's distribution is softmax(logits/τ) of the whole text read from the start",
              task, tau);
    GS_CHECK (argmax, "%s: τ = 0 takes the most probable character", task);
    GS_CHECK (g->n_generated == 25 && strncmp (g->text, prime, strlen (prime)) == 0,
              "%s: the text is the prime and 25 characters", task);

    /* What `sample --seed 42` prints. */
    gs_rng_seed (&rng, 42);
    GS_CHECK (gs_task_sample (&text, cli, chars, prime, 25, tau, &rng, &err) == GS_OK, "sample: %s", err.msg);
    GS_CHECK (text && strcmp (text, g->text) == 0, "%s τ=%.1f: stepping gives the CLI's text (“%s” vs “%s”)", task,
              tau, g->text, text ? text : "");
    free (text);
    text = NULL;
    gs_generator_free (g);
  }
  free (p);
  free (chars);
  gs_model_free (gm);
  gs_model_free (ref);
  gs_model_free (cli);
  gs_trainer_free (tr);
}

static void
check_errors (void)
{
  char *chars;
  GsTrainer *tr = train ("hello", 1, &chars);
  GsError err;

  GS_CHECK (gs_generator_new (tr->model, chars, "hex", 1.0f, 0, &err) == NULL &&
            strstr (err.msg, "“x” (character 3 of the prime)") != NULL,
            "a character outside the vocabulary is named: %s", err.msg);
  GS_CHECK (gs_generator_new (tr->model, chars, "", 1.0f, 0, &err) == NULL && strstr (err.msg, "empty") != NULL,
            "an empty prime is refused: %s", err.msg);
  GS_CHECK (gs_generator_new (tr->model, chars, "h", -1.0f, 0, &err) == NULL &&
            strstr (err.msg, "temperature") != NULL, "a negative temperature is refused: %s", err.msg);
  GS_CHECK (gs_generator_new (tr->model, chars, "h", NAN, 0, &err) == NULL, "a NaN temperature is refused");
  GS_CHECK (gs_generator_new (tr->model, "ehl", "h", 1.0f, 0, &err) == NULL &&
            strstr (err.msg, "not a character language model") != NULL,
            "characters that are not the model's are refused: %s", err.msg);
  free (chars);
  gs_trainer_free (tr);
}

int
main (void)
{
  check_model ("hello", "h", 30);
  check_model ("charlm:corpus=zh", "白日", 3);
  check_errors ();
  return gs_test_finish ("generate");
}
