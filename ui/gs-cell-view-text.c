/* gs-cell-view-text.c — the cell view's hover formulas, numbers filled in.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each formula is the gate's equation followed by the snapshot's numbers,
 * e.g. f₃ = σ(W_f·[h, x] + b_f) = σ(0.83) = 0.70. Values print with two
 * decimals, gradients with three significant digits (they can be tiny).
 * Units are numbered from 0, as PyTorch indexes them.
 */

#include <string.h>

#include <glib/gi18n.h>

#include "gs-cell-view-private.h"
#include "gs-view-text.h"

/* Which convention a formula is written in, where the course's sources
 * differ (appended to the tooltip on a line of its own). */
const char *
gs_cell_view_convention_gru_h (void)
{
  return _("PyTorch's convention, also Keras' and Cho et al.'s: z keeps the old state. colah's diagrams "
           "write h = (1 − z)·h₋₁ + z·h̃: their z is 1 − z here.");
}

const char *
gs_cell_view_convention_gru_n (gboolean reset_before)
{
  return reset_before
    ? _("Reset before W_hn: Cho et al. 2014 and Keras with reset_after=False. PyTorch and Keras' default "
        "(reset_after=True) apply r after W_hn h + b_hn.")
    : _("Reset after W_hn h + b_hn: PyTorch, and Keras with reset_after=True (its default). Cho et al. 2014 "
        "and reset_after=False apply r to h₋₁ before W_hn.");
}

const char *
gs_cell_view_convention_forget (void)
{
  return _("PyTorch keeps two biases, b_if + b_hf. TensorFlow's LSTMCell keeps one, b_f, and adds "
           "forget_bias (1.0 by default) inside σ at every step.");
}

char *
gs_cell_view_tooltip_gate (const GsSnapshot *s,
                           int               k,
                           int               t,
                           gboolean          grads,
                           const Box        *b,
                           int               u)
{
  const GsSnapLayer *l = gs_cell_view_snap_layer (s, k);
  const GsVariant *v = &s->cfg.variant;
  const int H = s->cfg.H, P = s->P, GH = s->G * H, at = t * GH + b->gate * H + u;
  const int tp = gs_cell_view_prev_t (s, k, t);
  const char gate = s->gates[b->gate];
  const float pre = l->pre[at], act = l->act[at];
  g_autofree char *sub = gs_view_format_subscript (u);

  if (grads)
    {
      if (s->cfg.cell == GS_CELL_RNN_TANH || s->cfg.cell == GS_CELL_RNN_RELU)
        /* Translators: the RNN's h_t, gradient after and before its nonlinearity. */
        return g_strdup_printf (_("∂L/∂h%s = %.3g, before %s: %.3g"), sub, l->dh[t * P + u],
                                s->cfg.cell == GS_CELL_RNN_RELU ? "ReLU" : "tanh", l->dpre[at]);
      /* Translators: gradient of the loss with respect to a gate's input,
       * e.g. "∂L/∂f₃ = 0.012 (before σ)". */
      return g_strdup_printf (_("∂L/∂%c%s = %.3g (before %s)"), gate, sub, l->dpre[at],
                              gs_cell_view_is_sigmoid (gate) ? "σ" : "tanh");
    }

  switch (s->cfg.cell)
    {
    case GS_CELL_LSTM:
      if (v->peephole && l->w_ch != NULL && (gate == 'i' || gate == 'f' || gate == 'o'))
        {
          /* The peephole term: w_ci·c₋₁, w_cf·c₋₁, w_co·c (rows i, f, o of w_ch). */
          const int row = gate == 'i' ? 0 : gate == 'f' ? 1 : 2;
          const float w = l->w_ch[row * H + u];
          const float c = gate == 'o' ? l->c[t * H + u] : tp >= 0 ? l->c[tp * H + u] : l->c0[u];

          return g_strdup_printf (_("%c%s = σ(W_%c·[h, x] + w_c%c·%s + b_%c) = σ(%.2f + %.2f·%.2f) = σ(%.2f) = %.2f"),
                                  gate, sub, gate, gate, gate == 'o' ? "c" : "c₋₁", gate,
                                  pre - w * c, w, c, pre, act);
        }
      if (gate == 'f')
        {
          g_autofree char *formula = g_strdup_printf (_("%c%s = σ(W_%c·[h, x] + b_%c) = σ(%.2f) = %.2f"),
                                                      gate, sub, gate, gate, pre, act);
          return g_strdup_printf ("%s\n%s", formula, gs_cell_view_convention_forget ());
        }
      if (gs_cell_view_is_sigmoid (gate))
        return g_strdup_printf (_("%c%s = σ(W_%c·[h, x] + b_%c) = σ(%.2f) = %.2f"),
                                gate, sub, gate, gate, pre, act);
      return g_strdup_printf (_("%c%s = tanh(W_%c·[h, x] + b_%c) = tanh(%.2f) = %.2f"),
                              gate, sub, gate, gate, pre, act);

    case GS_CELL_GRU:
      if (gate == 'n')
        {
          /* pre = (W_in x + b_in) + r ⊙ hn, hn = W_hn h + b_hn */
          const float r = l->act[t * GH + (int) (strchr (s->gates, 'r') - s->gates) * H + u];
          const float hn = l->hn[t * H + u];

          g_autofree char *formula = NULL;

          if (v->gru_reset_before)
            /* pre = (W_in x + b_in) + hn, hn = W_hn (r ⊙ h) + b_hn */
            formula = g_strdup_printf (_("n%s = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn) = "
                                         "tanh(%.2f + %.2f) = tanh(%.2f) = %.2f"),
                                       sub, pre - hn, hn, pre, act);
          else
            formula = g_strdup_printf (_("n%s = tanh(W_in x + b_in + r·(W_hn h + b_hn)) = "
                                         "tanh(%.2f + %.2f·%.2f) = tanh(%.2f) = %.2f"),
                                       sub, pre - r * hn, r, hn, pre, act);
          return g_strdup_printf ("%s\n%s", formula, gs_cell_view_convention_gru_n (v->gru_reset_before));
        }
      return g_strdup_printf (_("%c%s = σ(W_i%c x + b_i%c + W_h%c h + b_h%c) = σ(%.2f) = %.2f"),
                              gate, sub, gate, gate, gate, gate, pre, act);

    case GS_CELL_RNN_RELU:
      return g_strdup_printf (_("h%s = ReLU(W_ih x + b_ih + W_hh h + b_hh) = ReLU(%.2f) = %.2f"),
                              sub, pre, act);

    default:
      return g_strdup_printf (_("h%s = tanh(W_ih x + b_ih + W_hh h + b_hh) = tanh(%.2f) = %.2f"),
                              sub, pre, act);
    }
}

static float
act_of (const GsSnapshot *s,
        int               k,
        int               t,
        char              gate,
        int               u)
{
  const int H = s->cfg.H;

  return gs_cell_view_snap_layer (s, k)->act[t * s->G * H + (int) (strchr (s->gates, gate) - s->gates) * H + u];
}

char *
gs_cell_view_tooltip_state (const GsSnapshot *s,
                            int               k,
                            int               t,
                            gboolean          grads,
                            const Ranges     *r,
                            const Box        *b,
                            int               u)
{
  const GsSnapLayer *l = gs_cell_view_snap_layer (s, k);
  const GsVariant *var = &s->cfg.variant;
  const int H = s->cfg.H, P = s->P;
  const int tp = gs_cell_view_prev_t (s, k, t);
  const char name = b->kind == KIND_C || b->kind == KIND_C_PREV ? 'c' : 'h';
  g_autofree char *sub = gs_view_format_subscript (u);
  GsColorRange range;
  float v;

  if (b->kind == KIND_M)
    return g_strdup_printf (_("m%s = o·tanh(c) = %.2f·tanh(%.2f) = %.2f"), sub,
                            act_of (s, k, t, 'o', u), l->c[t * H + u], l->m[t * H + u]);
  if (b->kind == KIND_RH)
    {
      const float h_prev = tp >= 0 ? l->h[tp * P + u] : l->h0[u];

      /* Translators: GRU with the reset gate applied before W_hn. */
      return g_strdup_printf (_("(r⊙h₋₁)%s = %.2f·%.2f = %.2f, then multiplied by W_hn"), sub,
                              act_of (s, k, t, 'r', u), h_prev, act_of (s, k, t, 'r', u) * h_prev);
    }

  if (b->kind == KIND_C_PREV || b->kind == KIND_H_PREV)
    {
      if (!gs_cell_view_box_value (s, k, t, grads, r, b, u, &v, &range))
        /* Translators: e.g. "∂L/∂h₃ at t = 1: not computed yet". */
        return tp < 0 ? g_strdup_printf (_("∂L/∂%c%s of the initial state: not shown"), name, sub)
                      : g_strdup_printf (_("∂L/∂%c%s at t = %d: not computed yet"), name, sub, tp);
      if (grads)
        return g_strdup_printf (_("∂L/∂%c%s at t = %d = %.3g"), name, sub, tp, v);
      if (tp < 0)
        /* Translators: h₀ or c₀ before the first step, e.g. "h₃ = 0.00 (initial state)". */
        return g_strdup_printf (_("%c%s = %.2f (initial state)"), name, sub, v);
      /* Translators: e.g. "h₃ = 0.12 (from t = 1)". */
      return g_strdup_printf (_("%c%s = %.2f (from t = %d)"), name, sub, v, tp);
    }

  if (grads)
    return g_strdup_printf (_("∂L/∂%c%s = %.3g"), name, sub,
                            name == 'c' ? l->dc[t * H + u] : l->dh[t * P + u]);

  if (name == 'c')
    {
      const float c_prev = tp >= 0 ? l->c[tp * H + u] : l->c0[u];
      const float i = act_of (s, k, t, 'i', u), g = act_of (s, k, t, 'g', u);
      g_autofree char *clip = var->cell_clip > 0.0f
        /* Translators: appended to the cell state's formula when a cell clip is set. */
        ? g_strdup_printf (_(", clipped to ±%g"), (double) var->cell_clip) : g_strdup ("");

      if (var->no_forget_gate)
        return g_strdup_printf (_("c%s = c₋₁ + i·g = %.2f + %.2f·%.2f = %.2f%s"), sub,
                                c_prev, i, g, l->c[t * H + u], clip);
      if (var->cifg)
        return g_strdup_printf (_("c%s = (1 − i)·c₋₁ + i·g = %.2f·%.2f + %.2f·%.2f = %.2f%s"), sub,
                                1.0f - i, c_prev, i, g, l->c[t * H + u], clip);
      if (var->cell_clip > 0.0f)
        return g_strdup_printf (_("c%s = f·c₋₁ + i·g = %.2f·%.2f + %.2f·%.2f = %.2f%s"), sub,
                                act_of (s, k, t, 'f', u), c_prev, i, g, l->c[t * H + u], clip);
      return g_strdup_printf (_("c%s = f·c₋₁ + i·g = %.2f·%.2f + %.2f·%.2f = %.2f"), sub,
                              act_of (s, k, t, 'f', u), c_prev,
                              act_of (s, k, t, 'i', u), act_of (s, k, t, 'g', u),
                              l->c[t * H + u]);
    }
  if (s->cfg.cell == GS_CELL_LSTM && l->m != NULL)
    /* Translators: h of an LSTM with a projection, P of H units. */
    return g_strdup_printf (_("h%s = (W_hr·m)%s = %.2f (%d units from %d)"), sub, sub,
                            l->h[t * P + u], P, H);
  if (s->cfg.cell == GS_CELL_LSTM)
    return g_strdup_printf (_("h%s = o·tanh(c) = %.2f·tanh(%.2f) = %.2f"), sub,
                            act_of (s, k, t, 'o', u), l->c[t * H + u], l->h[t * P + u]);

  /* GRU */
  {
    const float z = act_of (s, k, t, 'z', u);
    const float h_prev = tp >= 0 ? l->h[tp * P + u] : l->h0[u];

    g_autofree char *formula = g_strdup_printf (_("h%s = (1 − z)·n + z·h₋₁ = (1 − %.2f)·%.2f + %.2f·%.2f = %.2f"),
                                                sub, z, act_of (s, k, t, 'n', u), z, h_prev, l->h[t * P + u]);

    return g_strdup_printf ("%s\n%s", formula, gs_cell_view_convention_gru_h ());
  }
}

/* The most products a line lists; the rest are counted. */
#define TERMS_SHOWN 6

/* One line "W·v = a·b + c·d + … = total" over n inputs: the products
 * w[j]·v[j], the largest first, at most TERMS_SHOWN; v NULL = one-hot at
 * `hot`. Returns the total. */
static double
append_products (GString     *out,
                 const char  *name,
                 const float *w,
                 const float *v,
                 const float *mask,
                 int          n)
{
  g_autofree int *order = g_new (int, MAX (n, 1));
  double total = 0.0;
  int shown;

  for (int j = 0; j < n; j++)
    {
      order[j] = j;
      total += (double) w[j] * v[j] * (mask != NULL ? mask[j] : 1.0f);
    }
  /* The largest |w·v| first (a selection: n is a layer's width). */
  shown = MIN (n, TERMS_SHOWN);
  for (int a = 0; a < shown; a++)
    for (int c = a + 1; c < n; c++)
      if (fabsf (w[order[c]] * v[order[c]]) > fabsf (w[order[a]] * v[order[a]]))
        {
          int tmp = order[a];
          order[a] = order[c];
          order[c] = tmp;
        }
  g_string_append_printf (out, "%s =", name);
  for (int a = 0; a < shown; a++)
    {
      int j = order[a];
      double vj = (double) v[j] * (mask != NULL ? mask[j] : 1.0f);

      /* A negative factor in parentheses: "0.26·(-0.86)", not "0.26·-0.86". */
      g_string_append_printf (out, vj < -0.005 ? "%s %.2f·(%.2f)" : "%s %.2f·%.2f", a == 0 ? "" : " +",
                              (double) w[j], vj);
    }
  if (n > shown)
    /* Translators: the products of a weighted sum not listed, e.g. "+ 12 more". */
    g_string_append_printf (out, ngettext (" + %d more", " + %d more", n - shown), n - shown);
  g_string_append_printf (out, " = %.3f\n", total);
  return total;
}

char *
gs_cell_view_formula_terms (const GsSnapshot *s,
                            int               k,
                            int               t,
                            const Box        *b,
                            int               u,
                            double           *sum)
{
  const GsConfig *cfg = &s->cfg;
  const GsVariant *v = &cfg->variant;
  const int layer = KEY_LAYER (k), H = cfg->H, P = s->P, GH = s->G * H;
  const char gate = b->kind == KIND_GATE ? s->gates[b->gate] : 0;
  const GsSnapLayer *l = gs_cell_view_snap_layer (s, k);
  GsParams params;
  const GsLayerParams *lp;
  g_autoptr(GString) out = NULL;
  g_autofree char *sub = NULL;
  g_autofree float *x = NULL;
  const float *h_prev;
  int row, n_in, tp;
  double wx, wh, bias, pre;
  const char *act_name;

  if (b->kind != KIND_GATE || s->params == NULL || KEY_IS_REV (k) || t < 0 || t >= gs_snapshot_values_end (s, layer, 0)
      || (cfg->cell == GS_CELL_GRU && gate == 'n')
      || (cfg->cell == GS_CELL_LSTM && (v->peephole || v->full_gate_recurrence))
      || (layer > 0 && v->dropout > 0.0f))
    return NULL;

  gs_params_bind (&params, cfg, s->params->params);
  lp = &params.layer[layer];
  row = b->gate * H + u;

  /* x: the layer's input at t. */
  if (layer > 0)
    {
      n_in = s->D * P;
      x = g_new (float, n_in);
      memcpy (x, s->layer[layer - 1].h + (size_t) t * P, sizeof (float) * P);
      if (s->D == 2)
        memcpy (x + P, s->rev[layer - 1].h + (size_t) t * P, sizeof (float) * P);
    }
  else if (cfg->input == GS_INPUT_DENSE)
    {
      if (s->xs == NULL)
        return NULL;
      n_in = cfg->V;
      x = g_memdup2 (s->xs + (size_t) t * cfg->V, sizeof (float) * cfg->V);
    }
  else
    {
      int token = s->tokens != NULL ? s->tokens[t] : -1;

      if (token < 0 || token >= cfg->V)
        return NULL;
      n_in = cfg->input == GS_INPUT_EMBED ? cfg->E : cfg->V;
      x = g_new0 (float, n_in);
      if (cfg->input == GS_INPUT_EMBED)
        memcpy (x, params.emb + (size_t) token * cfg->E, sizeof (float) * cfg->E);
      else
        x[token] = 1.0f;
    }

  tp = gs_cell_view_prev_t (s, k, t);
  h_prev = tp >= 0 ? l->h + (size_t) tp * P : l->h0;
  if (h_prev == NULL)
    return NULL;

  sub = gs_view_format_subscript (u);
  out = g_string_new (NULL);
  if (cfg->cell == GS_CELL_LSTM || cfg->cell == GS_CELL_GRU)
    {
      g_autofree char *wi = g_strdup_printf ("W_i%c·x", gate);
      g_autofree char *whh = g_strdup_printf ("W_h%c·h₋₁", gate);

      /* Translators: the heading of the pinned formula; a gate's letter
       * and its unit, then the timestep. */
      g_string_append_printf (out, _("%c%s at t = %d, term by term:"), gate, sub, t);
      g_string_append_c (out, '\n');
      wx = append_products (out, wi, lp->W_ih + (size_t) row * n_in, x, NULL, n_in);
      wh = append_products (out, whh, lp->W_hh + (size_t) row * P, h_prev, l->rmask, P);
      bias = (double) lp->b_ih[row] + lp->b_hh[row];
      g_string_append_printf (out, "b_i%c + b_h%c = %.2f + %.2f = %.3f\n", gate, gate,
                              (double) lp->b_ih[row], (double) lp->b_hh[row], bias);
    }
  else
    {
      /* Translators: the heading of the pinned formula of an RNN's unit;
       * its unit, then the timestep. */
      g_string_append_printf (out, _("h%s at t = %d, term by term:"), sub, t);
      g_string_append_c (out, '\n');
      wx = append_products (out, "W_ih·x", lp->W_ih + (size_t) row * n_in, x, NULL, n_in);
      wh = append_products (out, "W_hh·h₋₁", lp->W_hh + (size_t) row * P, h_prev, l->rmask, P);
      bias = (double) lp->b_ih[row] + lp->b_hh[row];
      g_string_append_printf (out, "b_ih + b_hh = %.2f + %.2f = %.3f\n",
                              (double) lp->b_ih[row], (double) lp->b_hh[row], bias);
    }
  pre = wx + wh + bias;
  if (sum != NULL)
    *sum = pre;
  /* Translators: the pinned formula's pre-activation line: the three
   * sums above, then their total (the value the network computed). */
  g_string_append_printf (out, _("pre-activation = %.3f + %.3f + %.3f = %.3f"), wx, wh, bias,
                          (double) l->pre[(size_t) t * GH + row]);
  g_string_append_c (out, '\n');
  if (cfg->cell == GS_CELL_RNN_RELU)
    act_name = "ReLU";
  else if (gs_cell_view_is_sigmoid (gate))
    act_name = "σ";
  else if (cfg->cell == GS_CELL_LSTM && gate == 'g' && v->no_input_act)
    act_name = "";
  else
    act_name = "tanh";
  /* Translators: the pinned formula's last line: the activation function
   * (σ, tanh, ReLU) of the pre-activation, and the result. */
  g_string_append_printf (out, _("%c%s = %s(%.3f) = %.3f"), cfg->cell == GS_CELL_LSTM || cfg->cell == GS_CELL_GRU ? gate : 'h',
                          sub, act_name, (double) l->pre[(size_t) t * GH + row],
                          (double) l->act[(size_t) t * GH + row]);
  return gs_view_text_drop_negative_zero (g_string_free (g_steal_pointer (&out), FALSE));
}
