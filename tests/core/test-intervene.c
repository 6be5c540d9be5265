/* test-intervene — the interventions of gs-intervene.h outside the
 * gradient checks (those are in test-gradcheck.c).
 *
 * 1. Parsing: the CLI syntax, good and bad, entry by entry.
 * 2. Validation against a model: layers, gates, units, tensors, ranges.
 * 3. What the forward pass computes: f clamped to 1 gives exactly
 *    c_t = c_{t−1} + i ⊙ g and f = 1 in the cache; a set c_t and an
 *    ablated h are the values; a weight edit is in the parameters; an
 *    intervention at one step changes nothing before it; an empty list is
 *    the plain pass bit for bit.
 * 4. The backward pass: a clamped gate's pre-activation gets exactly 0.
 * 5. Stepping against the whole-sequence pass bit for bit, and the fast
 *    path against stepping, with interventions of every kind.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gs-intervene.h"
#include "gs-test.h"
#include "gs-test-models.h"

/* ───────────────────────── 1. parsing ───────────────────────── */

typedef struct {
  GsIvKind    kind;
  const char *spec;
  int         n;          /* entries it makes; 0: refused */
  int         layer, u0, u1, t;
  char        gate;
  float       value;
  const char *message;    /* refused: part of the message */
} ParseCase;

static const ParseCase parse_cases[] = {
  { GS_IV_CLAMP, "1:f:*=1",        1, 0, 0, -1, -1, 'f', 1.0f, NULL },
  { GS_IV_CLAMP, "2:o:3@4=0",      1, 1, 3, 4, 4, 'o', 0.0f, NULL },
  { GS_IV_CLAMP, "1:i:0-2,5@1=0.5", 2, 0, 0, 3, 1, 'i', 0.5f, NULL },
  { GS_IV_CLAMP, "1:z:7=0.25",     1, 0, 7, 8, -1, 'z', 0.25f, NULL },
  { GS_IV_SET_C, "1:*@3=-2",       1, 0, 0, -1, 3, 0, -2.0f, NULL },
  { GS_IV_SET_H, "3:1,2=0.5",      2, 2, 1, 2, -1, 0, 0.5f, NULL },
  { GS_IV_ABLATE, "1:4",           1, 0, 4, 5, -1, 0, 0.0f, NULL },
  { GS_IV_CLAMP, "0:f:*=1",        0, 0, 0, 0, 0, 0, 0, "does not start with a layer" },
  { GS_IV_CLAMP, "1:x:*=1",        0, 0, 0, 0, 0, 0, 0, "the gate must be one of" },
  { GS_IV_CLAMP, "1:n:*=1",        0, 0, 0, 0, 0, 0, 0, "the gate must be one of" },
  { GS_IV_CLAMP, "1:f:*",          0, 0, 0, 0, 0, 0, 0, "expected =VALUE" },
  { GS_IV_CLAMP, "1:f:*=nan",      0, 0, 0, 0, 0, 0, 0, "expected =VALUE" },
  { GS_IV_CLAMP, "1:f:3-1=1",      0, 0, 0, 0, 0, 0, 0, "the units must be" },
  { GS_IV_CLAMP, "1:f:a=1",        0, 0, 0, 0, 0, 0, 0, "the units must be" },
  { GS_IV_CLAMP, "1:f:@2=1",       0, 0, 0, 0, 0, 0, 0, "which units?" },
  { GS_IV_CLAMP, "1:f:*@x=1",      0, 0, 0, 0, 0, 0, 0, "the timestep after @" },
  { GS_IV_ABLATE, "1:2=0",         0, 0, 0, 0, 0, 0, 0, "an ablation is LAYER:UNITS" },
  { GS_IV_WEIGHT, "rnn.weight_hh_l0[3,1]=0.5", 1, 0, 0, 0, 0, 0, 0.5f, NULL },
  { GS_IV_WEIGHT, "fc.bias[2]=-1", 1, 0, 0, 0, 0, 0, -1.0f, NULL },
  { GS_IV_WEIGHT, "fc.bias=1",     0, 0, 0, 0, 0, 0, 0, "is not a weight edit" },
  { GS_IV_WEIGHT, "fc.bias[x]=1",  0, 0, 0, 0, 0, 0, 0, "the row of the weight" },
};

static void
check_parse (void)
{
  for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
    const ParseCase *c = &parse_cases[i];
    GsInterventions list = { .n = 0 };
    GsError err = { "" };
    int status = gs_interventions_parse (&list, c->kind, c->spec, &err);

    if (c->n == 0) {
      GS_CHECK (status == GS_FAIL && list.n == 0 && strstr (err.msg, c->message) != NULL,
                "'%s' refused with \"%s\" (got \"%s\")", c->spec, c->message, err.msg);
      continue;
    }
    if (!GS_CHECK (status == GS_OK && list.n == c->n, "'%s' parses into %d entries (%d: %s)", c->spec, c->n,
                   list.n, err.msg))
      continue;
    if (c->kind == GS_IV_WEIGHT) {
      GS_CHECK (list.item[0].kind == GS_IV_WEIGHT && list.item[0].value == c->value, "'%s': weight edit", c->spec);
      continue;
    }
    GS_CHECK (list.item[0].layer == c->layer && list.item[0].u0 == c->u0 && list.item[0].u1 == c->u1
              && list.item[0].t == c->t && list.item[0].value == c->value
              && (c->kind != GS_IV_CLAMP || list.item[0].gate_letter == c->gate)
              && list.item[0].kind == (c->kind == GS_IV_ABLATE ? GS_IV_SET_H : c->kind),
              "'%s': layer %d, units [%d, %d), t %d, value %g", c->spec, list.item[0].layer, list.item[0].u0,
              list.item[0].u1, list.item[0].t, (double) list.item[0].value);
  }
  {
    GsInterventions list = { .n = 0 };
    GsError err = { "" };
    GS_CHECK (gs_interventions_parse (&list, GS_IV_CLAMP, "1:i:0-2,5@1=0.5", &err) == GS_OK
              && list.item[1].u0 == 5 && list.item[1].u1 == 6 && list.item[1].t == 1,
              "a unit list makes one entry per item, each with the timestep and value");
  }
}

/* ───────────────────────── 2. validation ───────────────────────── */

typedef struct {
  GsCell      cell;
  GsVariant   v;
  GsIvKind    kind;
  const char *spec;
  const char *message;   /* NULL: accepted */
} ValidCase;

static const ValidCase valid_cases[] = {
  { GS_CELL_LSTM, { 0 }, GS_IV_CLAMP, "2:g:*=-0.5", NULL },
  { GS_CELL_LSTM, { 0 }, GS_IV_CLAMP, "3:f:*=1", "the model has 2 layer(s), not 3" },
  { GS_CELL_LSTM, { 0 }, GS_IV_CLAMP, "1:f:4=1", "layer 1 has units 0 to 3, not 4" },
  { GS_CELL_LSTM, { 0 }, GS_IV_CLAMP, "1:r:*=1", "an LSTM's gates are i, f, g and o" },
  { GS_CELL_LSTM, { 0 }, GS_IV_CLAMP, "1:f:*=1.5", "clamp it to a value from 0 to 1" },
  { GS_CELL_LSTM, { .cifg = true }, GS_IV_CLAMP, "1:f:*=1", "no gate f of its own" },
  { GS_CELL_LSTM, { .proj = 2 }, GS_IV_SET_H, "1:2=0", "layer 1 has units 0 to 1, not 2" },
  { GS_CELL_LSTM, { .bidirectional = true }, GS_IV_CLAMP, "1:f:*=1", "unidirectional" },
  { GS_CELL_GRU,  { 0 }, GS_IV_CLAMP, "1:o:*=1", "a GRU's gates that can be clamped are r and z" },
  { GS_CELL_GRU,  { 0 }, GS_IV_SET_C, "1:*=1", "only an LSTM has a cell state" },
  { GS_CELL_RNN_TANH, { 0 }, GS_IV_CLAMP, "1:i:*=1", "a plain RNN has no gates to clamp" },
  { GS_CELL_RNN_TANH, { 0 }, GS_IV_WEIGHT, "rnn.weight_hh_l1[3,3]=1", NULL },
  { GS_CELL_RNN_TANH, { 0 }, GS_IV_WEIGHT, "rnn.weight_hh_l1[4,0]=1", "the element [4,0] is outside it" },
  { GS_CELL_RNN_TANH, { 0 }, GS_IV_WEIGHT, "rnn.weight_hh_l1[3]=1", "give [ROW,COL]" },
  { GS_CELL_RNN_TANH, { 0 }, GS_IV_WEIGHT, "rnn.weight_xx_l0[0,0]=1", "the model has no tensor rnn.weight_xx_l0" },
};

static void
check_validate (void)
{
  for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++) {
    const ValidCase *c = &valid_cases[i];
    GsModel *m = gs_test_model_new_variant (c->cell, GS_INPUT_EMBED, GS_LOSS_CE, 2, 4, 3, 1, 40u + i, &c->v, 1.0f);
    GsInterventions list = { .n = 0 };
    GsError err = { "" };
    int status;

    GS_CHECK (gs_interventions_parse (&list, c->kind, c->spec, &err) == GS_OK, "'%s' parses: %s", c->spec, err.msg);
    status = gs_model_set_interventions (m, &list, &err);
    if (c->message == NULL)
      GS_CHECK (status == GS_OK && m->iv != NULL, "'%s' accepted on %s: %s", c->spec, gs_cell_name (c->cell), err.msg);
    else
      GS_CHECK (status == GS_FAIL && m->iv == NULL && strstr (err.msg, c->message) != NULL,
                "'%s' on %s refused with \"%s\" (got \"%s\")", c->spec, gs_cell_name (c->cell), c->message, err.msg);
    gs_model_free (m);
  }
}

/* ───────────────────────── 3, 4. what the passes compute ───────────────────────── */

static GsModel *
model_with (GsCell cell, const GsVariant *v, int L, int B, unsigned seed, GsIvKind kind, const char *spec)
{
  GsModel *m = gs_test_model_new_variant (cell, GS_INPUT_EMBED, GS_LOSS_CE, L, 5, 6, B, seed, v, 1.0f);
  GsInterventions list = { .n = 0 };
  GsError err = { "" };

  if (spec && (gs_interventions_parse (&list, kind, spec, &err) != GS_OK
               || gs_model_set_interventions (m, &list, &err) != GS_OK))
    GS_CHECK (false, "'%s': %s", spec, err.msg);
  return m;
}

static bool
same_bits (const float *a, const float *b, size_t n)
{
  return memcmp (a, b, n * sizeof (float)) == 0;
}

static void
check_semantics (void)
{
  const int H = 5, G = 4;

  /* f = 1 everywhere in layer 1: the 1997 conveyor belt, exactly */
  {
    GsModel *m = model_with (GS_CELL_LSTM, NULL, 2, 2, 7, GS_IV_CLAMP, "1:f:*=1");
    const GsLayerState *S = &m->layer[0];
    bool f_one = true, belt = true, pre_zero = true, other = false;
    gs_model_zero_grad (m);
    gs_model_forward (m);
    gs_model_backward (m);
    for (int tb = 0; tb < m->T * m->B; tb++)
      for (int u = 0; u < H; u++) {
        const float *a = S->act + (size_t) tb * G * H;
        float cp = S->cprev[(size_t) tb * H + u];
        f_one &= a[H + u] == 1.0f;
        belt &= S->c[(size_t) tb * H + u] == cp + a[u] * a[2 * H + u];
        pre_zero &= S->dpre[(size_t) tb * G * H + H + u] == 0.0f;
        other |= S->dpre[(size_t) tb * G * H + u] != 0.0f;
      }
    GS_CHECK (f_one, "clamp 1:f:*=1: f = 1 at every step of layer 1");
    GS_CHECK (belt, "clamp 1:f:*=1: c_t = c_{t-1} + i ⊙ g exactly");
    GS_CHECK (pre_zero && other, "clamp 1:f:*=1: dL/dpre_f is exactly 0 (and dL/dpre_i is not)");
    {
      bool layer2 = false;
      for (int j = 0; j < m->T * m->B * G * H; j++)
        layer2 |= (j / H) % G == 1 && m->layer[1].act[j] != 1.0f;
      GS_CHECK (layer2, "clamp 1:f:*=1: layer 2's f is left alone");
    }
    gs_model_free (m);
  }
  /* an intervention at t = 3 changes nothing before it, and something after */
  {
    GsModel *plain = model_with (GS_CELL_LSTM, NULL, 1, 1, 8, GS_IV_CLAMP, NULL);
    GsModel *m = model_with (GS_CELL_LSTM, NULL, 1, 1, 8, GS_IV_CLAMP, "1:f:*@3=0");
    const size_t BH = (size_t) H;
    gs_model_forward (plain);
    gs_model_forward (m);
    GS_CHECK (same_bits (m->layer[0].h, plain->layer[0].h, 3 * BH)
              && !same_bits (m->layer[0].c + 3 * BH, plain->layer[0].c + 3 * BH, BH),
              "clamp f = 0 at t = 3: h before t = 3 unchanged, c at t = 3 changed");
    {
      bool wiped = true;
      for (int u = 0; u < H; u++) {
        const float *a = m->layer[0].act + 3 * G * H;
        wiped &= m->layer[0].c[3 * BH + u] == a[u] * a[2 * H + u] && a[H + u] == 0.0f;
      }
      GS_CHECK (wiped, "clamp f = 0 at t = 3: c_3 = i ⊙ g, the memory is wiped");
    }
    gs_model_free (m);
    gs_model_free (plain);
  }
  /* set c, ablate h, and an empty list is the plain pass bit for bit */
  {
    GsModel *plain = model_with (GS_CELL_LSTM, NULL, 2, 2, 9, GS_IV_CLAMP, NULL);
    GsModel *setc = model_with (GS_CELL_LSTM, NULL, 2, 2, 9, GS_IV_SET_C, "2:1-2@4=0.75");
    GsModel *abl = model_with (GS_CELL_LSTM, NULL, 2, 2, 9, GS_IV_ABLATE, "1:0,4");
    GsInterventions none = { .n = 0 };
    GsError err;
    bool c_ok = true, h_ok = true;
    GsModel *cleared = model_with (GS_CELL_LSTM, NULL, 2, 2, 9, GS_IV_ABLATE, "1:3");
    gs_model_set_interventions (cleared, &none, &err);
    gs_model_forward (plain);
    gs_model_forward (setc);
    gs_model_forward (abl);
    gs_model_forward (cleared);
    for (int b = 0; b < 2; b++)
      for (int u = 1; u <= 2; u++)
        c_ok &= setc->layer[1].c[(size_t) (4 * 2 + b) * H + u] == 0.75f;
    for (int tb = 0; tb < abl->T * 2; tb++)
      h_ok &= abl->layer[0].h[(size_t) tb * H] == 0.0f && abl->layer[0].h[(size_t) tb * H + 4] == 0.0f
              && abl->layer[0].h[(size_t) tb * H + 1] != 0.0f;
    GS_CHECK (c_ok, "set c 2:1-2@4=0.75: c_4 of units 1, 2 in layer 2 is 0.75");
    GS_CHECK (h_ok, "ablate 1:0,4: h of units 0 and 4 is 0 at every step (unit 1 is not)");
    GS_CHECK (cleared->iv == NULL && same_bits (cleared->logits, plain->logits, (size_t) plain->T * 2 * plain->cfg.O),
              "an empty list: the plain pass, bit for bit");
    gs_model_free (plain);
    gs_model_free (setc);
    gs_model_free (abl);
    gs_model_free (cleared);
  }
  /* a weight edit is in the parameters */
  {
    GsModel *m = model_with (GS_CELL_GRU, NULL, 1, 1, 10, GS_IV_WEIGHT, "rnn.weight_hh_l0[7,2]=0.125");
    GS_CHECK (m->p.layer[0].W_hh[7 * H + 2] == 0.125f, "weight edit: W_hh[7, 2] = 0.125");
    gs_model_free (m);
  }
  /* GRU z = 1: h_t = h_{t-1} exactly */
  {
    GsModel *m = model_with (GS_CELL_GRU, NULL, 1, 2, 11, GS_IV_CLAMP, "1:z:*=1");
    bool copy = true;
    gs_model_forward (m);
    for (int i = 0; i < m->T * 2 * H; i++)
      copy &= m->layer[0].h[i] == m->layer[0].hprev[i];
    GS_CHECK (copy, "clamp 1:z:*=1 on a GRU: h_t = h_{t-1} exactly");
    gs_model_free (m);
  }
}

/* ───────────────────────── 5. stepping and the fast path ───────────────────────── */

typedef struct {
  GsCell      cell;
  GsVariant   v;
  int         L;
  GsIvKind    kind[2];
  const char *spec[2];
} PathCase;

static const PathCase path_cases[] = {
  { GS_CELL_LSTM, { .peephole = true }, 2, { GS_IV_CLAMP, GS_IV_SET_C }, { "1:f:*=1", "2:0-2@5=0.5" } },
  { GS_CELL_LSTM, { .full_gate_recurrence = true }, 2, { GS_IV_CLAMP, GS_IV_ABLATE }, { "2:o:1,3@2=0", "1:2" } },
  { GS_CELL_LSTM, { .proj = 3 }, 2, { GS_IV_SET_H, GS_IV_CLAMP }, { "1:*@4=0.3", "1:g:0=0.9" } },
  { GS_CELL_GRU, { 0 }, 2, { GS_IV_CLAMP, GS_IV_SET_H }, { "1:r:*@3=0", "2:1@0=1" } },
  { GS_CELL_GRU, { .gru_reset_before = true }, 1, { GS_IV_CLAMP, GS_IV_CLAMP }, { "1:z:2-4=0.5", "1:r:0=1" } },
  { GS_CELL_RNN_RELU, { 0 }, 2, { GS_IV_ABLATE, GS_IV_WEIGHT }, { "2:0", "rnn.weight_ih_l1[0,0]=2" } },
};

static void
check_paths (void)
{
  for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++) {
    const PathCase *c = &path_cases[i];
    const int B = i % 2 ? 1 : 3;
    GsInterventions list = { .n = 0 };
    GsError err = { "" };
    GsModel *whole = gs_test_model_new_variant (c->cell, GS_INPUT_EMBED, GS_LOSS_CE, c->L, 6, 40, B, 60u + i, &c->v, 1.0f);
    GsModel *step = gs_model_clone_params (whole, &err), *fast = gs_model_clone_params (whole, &err);
    char what[160];
    const size_t TB = (size_t) whole->T * B;

    for (int j = 0; j < 2; j++)
      GS_CHECK (gs_interventions_parse (&list, c->kind[j], c->spec[j], &err) == GS_OK, "%s: %s", c->spec[j], err.msg);
    GS_CHECK (gs_model_set_interventions (whole, &list, &err) == GS_OK
              && gs_model_set_interventions (step, &list, &err) == GS_OK
              && gs_model_set_interventions (fast, &list, &err) == GS_OK, "path case %zu: %s", i, err.msg);
    gs_test_model_copy_sequence (step, whole);
    gs_test_model_copy_sequence (fast, whole);
    gs_model_zero_grad (whole);
    gs_model_forward (whole);
    gs_model_backward (whole);
    gs_model_zero_grad (step);
    while (gs_model_forward_step (step))
      ;
    while (gs_model_backward_step (step))
      ;
    gs_model_zero_grad (fast);
    gs_model_forward_seq (fast);
    gs_model_backward_seq (fast);
    snprintf (what, sizeof what, "%s %s + %s", gs_cell_name (c->cell), c->spec[0], c->spec[1]);
    GS_CHECK (same_bits (step->logits, whole->logits, TB * whole->cfg.O)
              && same_bits (step->grads_mem, whole->grads_mem, whole->n_params)
              && same_bits (step->layer[0].act, whole->layer[0].act, TB * whole->G * whole->cfg.H)
              && same_bits (step->layer[0].dh, whole->layer[0].dh, TB * whole->P),
              "%s: stepping and the whole-sequence pass agree bit for bit", what);
    snprintf (what, sizeof what, "fast path %s %s + %s logits", gs_cell_name (c->cell), c->spec[0], c->spec[1]);
    gs_test_close (what, fast->logits, step->logits, TB * step->cfg.O, 1e-6, 1e-5);
    snprintf (what, sizeof what, "fast path %s %s + %s gradients", gs_cell_name (c->cell), c->spec[0], c->spec[1]);
    gs_test_close (what, fast->grads_mem, step->grads_mem, step->n_params, 1e-7, 1e-4);
    gs_model_free (whole);
    gs_model_free (step);
    gs_model_free (fast);
  }
}

int
main (void)
{
  check_parse ();
  check_validate ();
  check_semantics ();
  check_paths ();
  return gs_test_finish ("intervene");
}
