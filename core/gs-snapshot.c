/* gs-snapshot.c — one sequence of model state, copied for the views. */
#include "gs-snapshot.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "gs-i18n.h"

GsSnapshot *
gs_snapshot_new (void)
{
  GsSnapshot *s = calloc (1, sizeof *s);

  if (s)
    s->loss = NAN;
  return s;
}

/* n strings and their pointer array in one allocation; NULL for NULL. */
static char **
copy_labels (const char *const *src, int n)
{
  size_t bytes = (size_t) n * sizeof (char *);
  char **dst;
  char *p;

  if (src == NULL || n <= 0)
    return NULL;
  for (int i = 0; i < n; i++)
    bytes += strlen (src[i] ? src[i] : "") + 1;
  dst = malloc (bytes);
  if (dst == NULL)
    return NULL;
  p = (char *) (dst + n);
  for (int i = 0; i < n; i++) {
    size_t len = strlen (src[i] ? src[i] : "") + 1;
    memcpy (p, src[i] ? src[i] : "", len);
    dst[i] = p;
    p += len;
  }
  return dst;
}

/* The task's shape and labels, owned by the snapshot (the task itself may
 * be freed with its trainer while a view still draws this snapshot). */
static int
copy_task (GsSnapshot *s, const GsTask *task, GsError *err)
{
  free (s->in_labels);
  free (s->out_labels);
  s->in_labels = copy_labels (task->vocab, task->V);
  s->out_labels = copy_labels (task->out_vocab, task->O);
  if ((task->vocab && task->V > 0 && !s->in_labels) || (task->out_vocab && task->O > 0 && !s->out_labels))
    return gs_error_set (err, _("out of memory copying the model state for display"));
  s->task_copy = *task;
  s->task_copy.vocab = (const char *const *) s->in_labels;
  s->task_copy.out_vocab = (const char *const *) s->out_labels;
  s->task_copy.dec_vocab = NULL;
  s->task_copy.priv = NULL;
  memset (s->task_copy.str, 0, sizeof s->task_copy.str);
  s->task = &s->task_copy;
  return GS_OK;
}

void
gs_snapshot_free (GsSnapshot *s)
{
  if (s == NULL)
    return;
  free (s->in_labels);
  free (s->out_labels);
  free (s->mem);
  free (s->tokens);
  free (s->targets);
  gs_embedding_unref (s->embedding);
  gs_param_copy_unref (s->params);
  free (s);
}

/* Floats one snapshot of this shape needs. */
static size_t
snapshot_floats (const GsConfig *c, int G, int T)
{
  const size_t H = (size_t) c->H, GH = (size_t) G * H, t = (size_t) T;
  /* pre act dpre; h dh hn c dc m (h, dh sized for H ≥ P); h0 c0; w_ch; rmask */
  size_t per_layer = 3 * t * GH + 6 * t * H + 2 * H + 3 * H + H;

  return (size_t) c->L * (size_t) gs_config_dirs (c) * per_layer + 3 * t * (size_t) c->O + t * (size_t) c->V;
}

size_t
gs_snapshot_bytes (const GsModel *m)
{
  return snapshot_floats (&m->cfg, m->G, m->T) * sizeof (float);
}

/* Points the views into s->mem for this shape. */
static void
layout (GsSnapshot *s)
{
  const GsConfig *c = &s->cfg;
  const size_t H = (size_t) c->H, GH = (size_t) s->G * H, T = (size_t) s->T;
  const bool lstm = c->cell == GS_CELL_LSTM;
  float *p = s->mem;

  for (int k = 0; k < GS_MAX_LAYERS; k++) {
    memset (&s->layer[k], 0, sizeof s->layer[k]);
    memset (&s->rev[k], 0, sizeof s->rev[k]);
  }
  for (int k = 0; k < c->L; k++)
    for (int d = 0; d < s->D; d++) {
      GsSnapLayer *l = d ? &s->rev[k] : &s->layer[k];
      l->pre = p;  p += T * GH;
      l->act = p;  p += T * GH;
      l->dpre = p; p += T * GH;
      l->h = p;    p += T * H;
      l->dh = p;   p += T * H;
      l->h0 = p;   p += H;
      l->c0 = p;   p += H;
      l->hn = c->cell == GS_CELL_GRU ? p : NULL;  p += T * H;
      l->c = lstm ? p : NULL;  p += T * H;
      l->dc = lstm ? p : NULL; p += T * H;
      l->m = lstm && c->variant.proj > 0 ? p : NULL; p += T * H;
      l->w_ch = lstm && c->variant.peephole ? p : NULL; p += 3 * H;
      l->rmask = c->variant.recurrent_dropout > 0.0f ? p : NULL; p += H;
    }
  s->logits = p; p += T * (size_t) c->O;
  s->probs = p;  p += T * (size_t) c->O;
  s->ys = c->loss == GS_LOSS_MSE ? p : NULL;  p += T * (size_t) c->O;
  s->xs = p;
}

/* Storage for a sequence of T timesteps of a model shaped as m (a pair's
 * snapshot holds the encoder's and the decoder's timesteps: T = T + M). */
static int
reserve (GsSnapshot *s, const GsModel *m, int T, GsError *err)
{
  size_t need = snapshot_floats (&m->cfg, m->G, T);
  bool same_shape = memcmp (&s->cfg, &m->cfg, sizeof s->cfg) == 0 && s->T == T;

  if (need > s->mem_len) {
    float *mem = realloc (s->mem, need * sizeof (float));
    int *tokens = realloc (s->tokens, (size_t) T * sizeof (int));
    int *targets;
    if (tokens)
      s->tokens = tokens;
    targets = realloc (s->targets, (size_t) T * sizeof (int));
    if (targets)
      s->targets = targets;
    if (mem)
      s->mem = mem;
    if (!mem || !tokens || !targets)
      return gs_error_set (err, _("out of memory copying the model state for display"));
    s->mem_len = need;
    same_shape = false;
  } else if (!same_shape) {
    int *tokens = realloc (s->tokens, (size_t) T * sizeof (int));
    int *targets;
    if (tokens)
      s->tokens = tokens;
    targets = realloc (s->targets, (size_t) T * sizeof (int));
    if (targets)
      s->targets = targets;
    if (!tokens || !targets)
      return gs_error_set (err, _("out of memory copying the model state for display"));
  }
  if (!same_shape) {
    s->cfg = m->cfg;
    s->G = m->G;
    s->D = m->D;
    s->P = m->P;
    s->T = T;
    layout (s);
  }
  return GS_OK;
}

/* dst (T, n) ← row b of src (T, B, n), for t in [t0, t1); zero elsewhere. */
static void
copy_rows (float *dst, const float *src, int T, int B, int b, size_t n, int t0, int t1)
{
  for (int t = 0; t < T; t++) {
    float *d = dst + (size_t) t * n;
    if (src != NULL && t >= t0 && t < t1)
      memcpy (d, src + ((size_t) t * B + b) * n, n * sizeof (float));
    else
      memset (d, 0, n * sizeof (float));
  }
}

/* Which timesteps of layer k, direction d the model holds (gs-model.h):
 * the cursors count the top layer's forward direction; in a bidirectional
 * model everything else is computed whole-sequence by the first forward
 * step (so all T once t_fwd > 0) and backpropagated whole by the last
 * backward step (so all T once t_bwd == 0). One rule for what is copied
 * and for what the views may draw (gs_snapshot_values_end). */
static bool
held_whole (int D, int L, int k, int d)
{
  return D == 2 && (d == 1 || k < L - 1);
}

static int
held_values_end (int D, int L, int T, int t_fwd, int k, int d)
{
  if (!held_whole (D, L, k, d))
    return t_fwd;
  return t_fwd > 0 ? T : 0;
}

static int
held_grads_begin (int D, int L, int T, int t_bwd, int k, int d)
{
  if (!held_whole (D, L, k, d))
    return t_bwd;
  return t_bwd == 0 ? 0 : T;
}

/* One layer direction of sequence b: forward values for t < f1, gradients
 * for t >= b0. */
static void
copy_layer (GsSnapLayer *l, const GsLayerState *S, const GsLayerParams *p, const GsModel *m, int b,
            int f1, int b0)
{
  const int T = m->T, B = m->B;
  const size_t H = (size_t) m->cfg.H, P = (size_t) m->P, GH = (size_t) m->G * H;

  copy_rows (l->pre, S->pre, T, B, b, GH, 0, f1);
  copy_rows (l->act, S->act, T, B, b, GH, 0, f1);
  copy_rows (l->h, S->h, T, B, b, P, 0, f1);
  copy_rows (l->dpre, S->dpre, T, B, b, GH, b0, T);
  copy_rows (l->dh, S->dh, T, B, b, P, b0, T);
  memcpy (l->h0, S->h0 + (size_t) b * P, P * sizeof (float));
  if (S->c0)
    memcpy (l->c0, S->c0 + (size_t) b * H, H * sizeof (float));
  else
    memset (l->c0, 0, H * sizeof (float));
  if (l->hn)
    copy_rows (l->hn, S->hn, T, B, b, H, 0, f1);
  if (l->c) {
    copy_rows (l->c, S->c, T, B, b, H, 0, f1);
    copy_rows (l->dc, S->dc, T, B, b, H, b0, T);
  }
  if (l->m)
    copy_rows (l->m, S->m, T, B, b, H, 0, f1);
  if (l->w_ch)
    memcpy (l->w_ch, p->w_ch, 3 * H * sizeof (float));
  if (l->rmask) {
    if (m->masks_on && S->rmask)
      memcpy (l->rmask, S->rmask + (size_t) b * P, P * sizeof (float));
    else
      for (size_t u = 0; u < P; u++)
        l->rmask[u] = 1.0f;
  }
}

int
gs_snapshot_take (GsSnapshot *s, const GsModel *m, const GsTask *task, int b,
                  GsPhase phase, long epoch, GsError *err)
{
  const GsConfig *c = &m->cfg;
  const int T = m->T, B = m->B, tf = m->t_fwd, tb = m->t_bwd;

  if (T < 1 || b < 0 || b >= B)
    return gs_error_set (err, _("the model holds no sequence to display"));
  if (reserve (s, m, m->T, err) != GS_OK)
    return GS_FAIL;
  snprintf (s->gates, sizeof s->gates, "%s", gs_cell_gate_letters (c->cell));
  s->t_fwd = tf;
  s->t_bwd = tb;
  s->phase = phase;
  s->epoch = epoch;
  s->loss = gs_model_loss (m);
  s->part = GS_PART_NONE;
  s->T_enc = T;
  s->T_dec = 0;
  s->decode = GS_DECODE_TEACHER;
  if (m->iv != NULL)
    s->iv = *m->iv;
  else
    s->iv.n = 0;
  if (copy_task (s, task, err) != GS_OK)
    return GS_FAIL;

  for (int t = 0; t < T; t++) {
    size_t tb_ = (size_t) t * B + b;
    s->tokens[t] = c->input != GS_INPUT_DENSE ? m->tokens[tb_] : -1;
    s->targets[t] = c->loss == GS_LOSS_CE ? m->targets[tb_] : (m->ymask[tb_] ? 0 : -1);
  }
  if (c->input == GS_INPUT_DENSE)
    copy_rows (s->xs, m->xs, T, B, b, (size_t) c->V, 0, T);
  if (s->ys)
    copy_rows (s->ys, m->ys, T, B, b, (size_t) c->O, 0, T);
  copy_rows (s->logits, m->logits, T, B, b, (size_t) c->O, 0, tf);
  copy_rows (s->probs, m->probs, T, B, b, (size_t) c->O, 0, tf);
  for (int k = 0; k < c->L; k++)
    for (int d = 0; d < m->D; d++)
      copy_layer (d ? &s->rev[k] : &s->layer[k], d ? &m->rev[k] : &m->layer[k],
                  d ? &m->p.rev[k] : &m->p.layer[k], m, b,
                  held_values_end (m->D, c->L, T, tf, k, d), held_grads_begin (m->D, c->L, T, tb, k, d));
  return GS_OK;
}

int
gs_snapshot_values_end (const GsSnapshot *s, int k, int d)
{
  if (k < 0 || k >= s->cfg.L || d < 0 || d >= s->D)
    return 0;
  return held_values_end (s->D, s->cfg.L, s->T, s->t_fwd, k, d);
}

int
gs_snapshot_grads_begin (const GsSnapshot *s, int k, int d)
{
  if (k < 0 || k >= s->cfg.L || d < 0 || d >= s->D)
    return s->T;
  return held_grads_begin (s->D, s->cfg.L, s->T, s->t_bwd, k, d);
}

/* The views of l moved `off` timesteps on (where the decoder's part of a
 * pair's snapshot starts). */
static GsSnapLayer
layer_from (const GsSnapLayer *l, int off, size_t H, size_t GH)
{
  GsSnapLayer v = *l;
  const size_t o = (size_t) off;

  v.pre = l->pre + o * GH;
  v.act = l->act + o * GH;
  v.dpre = l->dpre + o * GH;
  v.h = l->h + o * H;
  v.dh = l->dh + o * H;
  v.hn = l->hn ? l->hn + o * H : NULL;
  v.c = l->c ? l->c + o * H : NULL;
  v.dc = l->dc ? l->dc + o * H : NULL;
  v.m = l->m ? l->m + o * H : NULL;
  return v;
}

int
gs_snapshot_take_pair (GsSnapshot *s, const GsModel *enc, const GsModel *dec, const GsTask *task, int b,
                       GsPhase phase, GsDecode decode, long epoch, GsError *err)
{
  const int T = enc->T, M = dec->T, B = dec->B;
  const size_t H = (size_t) dec->cfg.H, GH = (size_t) dec->G * H;
  GsTask labels;

  if (T < 1 || M < 1 || b < 0 || b >= B || enc->B != B || enc->cfg.L != dec->cfg.L || enc->cfg.H != dec->cfg.H)
    return gs_error_set (err, _("the model holds no sequence to display"));
  if (reserve (s, dec, T + M, err) != GS_OK)
    return GS_FAIL;
  snprintf (s->gates, sizeof s->gates, "%s", gs_cell_gate_letters (dec->cfg.cell));
  /* The decoder's inputs include the start symbol; the encoder's tokens are
   * the first of them (gs-task-seq2seq.c), so one list labels both. */
  labels = *task;
  labels.vocab = task->dec_vocab;
  labels.V = task->V_dec;
  if (copy_task (s, &labels, err) != GS_OK)
    return GS_FAIL;
  s->phase = phase;
  s->epoch = epoch;
  s->loss = gs_model_loss (dec);
  s->T_enc = T;
  s->T_dec = M;
  s->decode = decode;
  s->iv.n = 0;   /* interventions apply to one-model tasks */
  /* Forward: the encoder's steps, then the decoder's; backward: the
   * decoder's, then the encoder's. */
  s->t_fwd = enc->t_fwd < T ? enc->t_fwd : T + dec->t_fwd;
  s->t_bwd = dec->t_bwd > 0 || enc->t_bwd == T ? T + dec->t_bwd : enc->t_bwd;
  if (phase == GS_PHASE_FORWARD || phase == GS_PHASE_IDLE)
    s->part = enc->t_fwd < T || dec->t_fwd == 0 ? GS_PART_ENCODER : GS_PART_DECODER;
  else if (phase == GS_PHASE_BACKWARD)
    s->part = s->t_bwd >= T && enc->t_bwd == T ? GS_PART_DECODER : GS_PART_ENCODER;
  else
    s->part = GS_PART_NONE;

  for (int t = 0; t < T + M; t++) {
    const GsModel *m = t < T ? enc : dec;
    size_t tb = (size_t) (t < T ? t : t - T) * B + b;
    s->tokens[t] = m->tokens[tb];
    s->targets[t] = t < T ? -1 : dec->targets[tb];
    /* Greedy: a decoder step's input is known once the step before it is
     * computed (the stepper feeds it then); the first reads <s>. */
    if (decode == GS_DECODE_GREEDY && t > T && t - T > dec->t_fwd)
      s->tokens[t] = -1;
  }
  /* The encoder's head is not used: no outputs there. */
  copy_rows (s->logits, NULL, T, B, b, (size_t) dec->cfg.O, 0, 0);
  copy_rows (s->probs, NULL, T, B, b, (size_t) dec->cfg.O, 0, 0);
  copy_rows (s->logits + (size_t) T * dec->cfg.O, dec->logits, M, B, b, (size_t) dec->cfg.O, 0, dec->t_fwd);
  copy_rows (s->probs + (size_t) T * dec->cfg.O, dec->probs, M, B, b, (size_t) dec->cfg.O, 0, dec->t_fwd);
  for (int k = 0; k < dec->cfg.L; k++) {
    GsSnapLayer d = layer_from (&s->layer[k], T, H, GH);
    /* The decoder first: the encoder's h_0 and c_0 are the sequence's. */
    copy_layer (&d, &dec->layer[k], &dec->p.layer[k], dec, b, dec->t_fwd, dec->t_bwd);
    copy_layer (&s->layer[k], &enc->layer[k], &enc->p.layer[k], enc, b, enc->t_fwd, enc->t_bwd);
  }
  return GS_OK;
}

int
gs_snapshot_take_embedding (GsSnapshot *s, const GsModel *m, long epoch, bool refresh,
                            GsEmbedding **last, GsError *err)
{
  const GsConfig *c = &m->cfg;
  GsEmbedding *e;

  gs_embedding_unref (s->embedding);
  s->embedding = NULL;
  if (c->input != GS_INPUT_EMBED || m->p.emb == NULL)
    return GS_OK;
  if (!refresh && *last != NULL && (*last)->V == c->V && (*last)->E == c->E) {
    s->embedding = gs_embedding_ref (*last);
    return GS_OK;
  }
  e = gs_embedding_update (*last, m->p.emb, c->V, c->E, epoch, err);
  if (e == NULL)
    return GS_FAIL;
  gs_embedding_unref (*last);
  *last = e;
  s->embedding = gs_embedding_ref (e);
  return GS_OK;
}

GsParamCopy *
gs_param_copy_ref (GsParamCopy *p)
{
  if (p != NULL)
    atomic_fetch_add (&p->refs, 1);
  return p;
}

void
gs_param_copy_unref (GsParamCopy *p)
{
  if (p == NULL || atomic_fetch_sub (&p->refs, 1) != 1)
    return;
  free (p->params);
  free (p);
}

GsModel *
gs_param_copy_model (const GsParamCopy *p, GsError *err)
{
  GsModel *m = gs_model_new (&p->cfg, err);

  if (m != NULL)
    memcpy (m->params_mem, p->params, p->n * sizeof (float));
  return m;
}

int
gs_snapshot_take_params (GsSnapshot *s, const GsModel *m, long epoch, bool refresh,
                         GsParamCopy **last, GsError *err)
{
  const size_t n = gs_config_num_params (&m->cfg);
  GsParamCopy *p = *last;

  gs_param_copy_unref (s->params);
  s->params = NULL;
  if (p != NULL && memcmp (&p->cfg, &m->cfg, sizeof p->cfg) == 0 &&
      (!refresh || memcmp (p->params, m->params_mem, n * sizeof (float)) == 0)) {
    s->params = gs_param_copy_ref (p);
    return GS_OK;
  }
  p = calloc (1, sizeof *p);
  if (p == NULL || (p->params = malloc (n * sizeof (float))) == NULL) {
    free (p);
    return gs_error_set (err, _("out of memory copying the model state for display"));
  }
  atomic_init (&p->refs, 1);
  p->cfg = m->cfg;
  p->epoch = epoch;
  p->n = n;
  memcpy (p->params, m->params_mem, n * sizeof (float));
  gs_param_copy_unref (*last);
  *last = p;
  s->params = gs_param_copy_ref (p);
  return GS_OK;
}

void
gs_snapshot_take_history (GsSnapshot *s, const GsHistory *h, long long since)
{
  s->n_history = gs_history_read_since (h, since, s->history, GS_SNAP_HISTORY_MAX);
  s->n_updates = gs_history_count (h);
}

void
gs_snapshot_take_validation (GsSnapshot *s, const GsValSeries *v)
{
  s->validation = *v;
}

size_t
gs_snapshot_size (const GsSnapshot *s)
{
  size_t labels = 0;

  for (int v = 0; s->in_labels && v < s->task_copy.V; v++)
    labels += sizeof (char *) + strlen (s->in_labels[v]) + 1;
  for (int o = 0; s->out_labels && o < s->task_copy.O; o++)
    labels += sizeof (char *) + strlen (s->out_labels[o]) + 1;
  return sizeof *s + s->mem_len * sizeof (float) + 2 * (size_t) s->T * sizeof (int) + labels;
}

GsSnapshot *
gs_snapshot_copy (const GsSnapshot *s, GsError *err)
{
  GsSnapshot *d = gs_snapshot_new ();

  if (d == NULL)
    goto oom;
  *d = *s;
  d->in_labels = d->out_labels = NULL;
  gs_embedding_ref (d->embedding);
  gs_param_copy_ref (d->params);
  if (s->task != NULL && copy_task (d, s->task, err) != GS_OK) {
    d->mem = NULL;
    d->tokens = d->targets = NULL;
    gs_snapshot_free (d);
    return NULL;
  }
  d->mem = d->mem_len ? malloc (d->mem_len * sizeof (float)) : NULL;
  d->tokens = s->T ? malloc ((size_t) s->T * sizeof (int)) : NULL;
  d->targets = s->T ? malloc ((size_t) s->T * sizeof (int)) : NULL;
  if ((d->mem_len && !d->mem) || (s->T && (!d->tokens || !d->targets))) {
    gs_snapshot_free (d);
    goto oom;
  }
  if (d->mem_len)
    memcpy (d->mem, s->mem, d->mem_len * sizeof (float));
  if (s->T) {
    memcpy (d->tokens, s->tokens, (size_t) s->T * sizeof (int));
    memcpy (d->targets, s->targets, (size_t) s->T * sizeof (int));
  }
  if (d->mem_len)
    layout (d);
  return d;

oom:
  gs_error_set (err, _("out of memory copying the model state for display"));
  return NULL;
}

void
gs_snapshot_dh_norms (const GsSnapshot *s, int k, float *norms)
{
  const int P = s->P;

  for (int t = 0; t < s->T; t++) {
    double sq = 0.0;
    if (k >= 0 && k < s->cfg.L && t >= gs_snapshot_grads_begin (s, k, 0))
      for (int u = 0; u < P; u++) {
        double v = s->layer[k].dh[(size_t) t * P + u];
        sq += v * v;
      }
    norms[t] = (float) sqrt (sq);
  }
}
