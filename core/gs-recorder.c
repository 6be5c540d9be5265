/* gs-recorder.c — the held-out sequence under the weights of past epochs.
 *
 * Letters as in gs-model.h: T the held-out sequence's timesteps (the
 * encoder's), M the decoder's, L layers, D directions, H hidden, P units
 * of h, V inputs, O outputs.
 */
#include "gs-recorder.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"

/* ───────────────────────── the set of recordings ───────────────────────── */

GsRecordings *
gs_recordings_new (int max, GsError *err)
{
  GsRecordings *r = calloc (1, sizeof *r);

  if (r == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  r->max = max < 2 ? 2 : max > GS_RECORDINGS_MAX ? GS_RECORDINGS_MAX : max;
  return r;
}

static void
recording_clear (GsRecording *g)
{
  free (g->params);
  gs_snapshot_free (g->snap);
  memset (g, 0, sizeof *g);
}

void
gs_recordings_clear (GsRecordings *r)
{
  for (int i = 0; i < r->n; i++)
    recording_clear (&r->rec[i]);
  r->n = 0;
  r->n_made = 0;
}

void
gs_recordings_free (GsRecordings *r)
{
  if (r == NULL)
    return;
  gs_recordings_clear (r);
  free (r);
}

bool
gs_recordings_scheduled_epoch (long e)
{
  long a = 0, b = 1;

  if (e < 0)
    return false;
  while (a < e) {
    long next = a + b;
    a = b;
    b = next;
  }
  return a == e || e == 1;
}

static void
remove_at (GsRecordings *r, int i)
{
  recording_clear (&r->rec[i]);
  memmove (&r->rec[i], &r->rec[i + 1], sizeof r->rec[0] * (size_t) (r->n - i - 1));
  r->n--;
  memset (&r->rec[r->n], 0, sizeof r->rec[0]);
}

/* The thinning rule (gs-recorder.h): of the interior recordings, the one
 * whose neighbours are closest together on a log axis. */
static int
thin_victim (const GsRecordings *r)
{
  int best = 1;
  double best_gap = INFINITY;

  for (int i = 1; i < r->n - 1; i++) {
    double gap = log1p ((double) r->rec[i + 1].epoch) - log1p ((double) r->rec[i - 1].epoch);
    if (gap < best_gap) {
      best_gap = gap;
      best = i;
    }
  }
  return best;
}

bool
gs_recordings_add (GsRecordings *r, long epoch, bool scheduled, long long serial,
                   float *params, size_t n_params, GsSnapshot *snap)
{
  GsRecording g = { epoch, scheduled, serial, params, n_params, snap };

  if (r->n > 0 && !r->rec[r->n - 1].scheduled && (r->rec[r->n - 1].epoch < epoch || scheduled))
    remove_at (r, r->n - 1);
  if (r->n > 0 && r->rec[r->n - 1].epoch >= epoch) {
    recording_clear (&g);
    return false;
  }
  if (serial < 0)
    g.serial = r->n_made;
  if (g.serial >= r->n_made)
    r->n_made = g.serial + 1;
  r->rec[r->n++] = g;
  if (r->n > r->max)
    remove_at (r, thin_victim (r));
  return true;
}

int
gs_recordings_find (const GsRecordings *r, long e)
{
  for (int i = 0; i < r->n; i++)
    if (r->rec[i].epoch == e)
      return i;
  return -1;
}

int
gs_recordings_since (const GsRecordings *r, long long since, const GsRecording **out)
{
  int n = 0;

  for (int i = 0; i < r->n; i++)
    if (r->rec[i].serial >= since)
      out[n++] = &r->rec[i];
  return n;
}

void
gs_recordings_keep (GsRecordings *r, const long *epochs, int n)
{
  for (int i = r->n - 1; i >= 0; i--) {
    bool kept = false;
    for (int j = 0; j < n && !kept; j++)
      kept = epochs[j] == r->rec[i].epoch;
    if (!kept)
      remove_at (r, i);
  }
}

size_t
gs_recordings_bytes (const GsRecordings *r)
{
  size_t bytes = sizeof *r;

  for (int i = 0; i < r->n; i++)
    bytes += sizeof (float) * r->rec[i].n_params + (r->rec[i].snap ? gs_snapshot_size (r->rec[i].snap) : 0);
  return bytes;
}

/* ───────────────────────── the recorder ───────────────────────── */

struct GsRecorder {
  const GsTrainer *tr;     /* borrowed */
  GsModel  *model;         /* scratch, batch 1, evaluation mode (the encoder of a pair) */
  GsModel  *decoder;       /* scratch, or NULL */
  GsBatch   seq;           /* sequence 0 of the held-out batch, B = 1 */
  float    *state;         /* (2, L·D, 1, H) the encoder's final h and c */
};

/* Row b = 0 of an array laid out (T, B, F) into (T, 1, F). */
static void
copy_row0_int (int *dst, const int *src, int T, int B)
{
  for (int t = 0; t < T; t++)
    dst[t] = src[(size_t) t * B];
}

static void
copy_row0_float (float *dst, const float *src, int T, int B, int F)
{
  for (int t = 0; t < T; t++)
    memcpy (dst + (size_t) t * F, src + (size_t) t * B * F, sizeof (float) * (size_t) F);
}

GsRecorder *
gs_recorder_new (const GsTrainer *tr, GsError *err)
{
  const GsTask *task = &tr->task;
  GsRecorder *rec = calloc (1, sizeof *rec);
  GsBatch all;
  int T, B;

  if (rec == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  rec->tr = tr;
  if (gs_task_eval_batch (task, &all, err) != GS_OK) {
    free (rec);
    return NULL;
  }
  T = all.T;
  B = all.B;
  if (gs_batch_alloc (&rec->seq, task, T, 1, err) != GS_OK) {
    gs_batch_free (&all);
    free (rec);
    return NULL;
  }
  copy_row0_int (rec->seq.tokens, all.tokens, T, B);
  copy_row0_int (rec->seq.targets, all.targets, T, B);
  for (int t = 0; t < T; t++)
    rec->seq.ymask[t] = all.ymask[(size_t) t * B];
  if (all.xs)
    copy_row0_float (rec->seq.xs, all.xs, T, B, task->V);
  if (all.ys)
    copy_row0_float (rec->seq.ys, all.ys, T, B, task->O);
  if (all.T_dec > 0) {
    copy_row0_int (rec->seq.dec_tokens, all.dec_tokens, all.T_dec, B);
    copy_row0_int (rec->seq.dec_targets, all.dec_targets, all.T_dec, B);
  }
  gs_batch_free (&all);

  rec->model = gs_model_clone_params (tr->model, err);
  if (rec->model && tr->decoder)
    rec->decoder = gs_model_clone_params (tr->decoder, err);
  {
    const GsConfig *c = &tr->model->cfg;
    rec->state = calloc (2 * (size_t) c->L * (size_t) tr->model->D * (size_t) c->H, sizeof (float));
  }
  if (rec->model == NULL || (tr->decoder && rec->decoder == NULL) || rec->state == NULL) {
    if (rec->state == NULL)
      gs_error_set (err, _("out of memory"));
    gs_recorder_free (rec);
    return NULL;
  }
  return rec;
}

void
gs_recorder_free (GsRecorder *rec)
{
  if (rec == NULL)
    return;
  gs_model_free (rec->model);
  gs_model_free (rec->decoder);
  gs_batch_free (&rec->seq);
  free (rec->state);
  free (rec);
}

static size_t
run_params (const GsRecorder *rec)
{
  return rec->model->n_params + (rec->decoder ? rec->decoder->n_params : 0);
}

GsSnapshot *
gs_recorder_replay (GsRecorder *rec, const float *params, size_t n_params, long epoch, GsError *err)
{
  const GsTask *task = &rec->tr->task;
  const GsBatch *q = &rec->seq;
  GsModel *m = rec->model, *dec = rec->decoder;
  GsSnapshot *s;
  int rc;

  if (n_params != run_params (rec)) {
    gs_error_set (err, _("a recording has %zu parameters, but the model has %zu"), n_params, run_params (rec));
    return NULL;
  }
  memcpy (m->params_mem, params, sizeof (float) * m->n_params);
  gs_model_params_changed (m);
  rc = gs_model_set_sequence (m, q->T, 1, q->tokens, q->xs,
                              task->loss == GS_LOSS_CE ? q->targets : NULL,
                              task->loss == GS_LOSS_MSE ? q->ys : NULL, q->ymask, err);
  if (rc != GS_OK)
    return NULL;
  gs_model_forward_seq (m);
  if (dec) {
    const size_t LDH = (size_t) m->cfg.L * m->D * m->cfg.H;
    memcpy (dec->params_mem, params + m->n_params, sizeof (float) * dec->n_params);
    gs_model_params_changed (dec);
    if (gs_model_set_sequence (dec, q->T_dec, 1, q->dec_tokens, NULL, q->dec_targets, NULL, NULL, err) != GS_OK)
      return NULL;
    /* the hand-over: the decoder starts from the encoder's final state */
    gs_model_final_state (m, rec->state, rec->state + LDH);
    gs_model_set_initial_state (dec, rec->state, rec->state + LDH);
    gs_model_forward_seq (dec);
  }
  if ((s = gs_snapshot_new ()) == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  rc = dec ? gs_snapshot_take_pair (s, m, dec, task, 0, GS_PHASE_FORWARD, GS_DECODE_TEACHER, epoch, err)
           : gs_snapshot_take (s, m, task, 0, GS_PHASE_FORWARD, epoch, err);
  if (rc != GS_OK) {
    gs_snapshot_free (s);
    return NULL;
  }
  return s;
}

int
gs_recorder_record (GsRecorder *rec, GsRecordings *r, const GsTrainer *tr, bool latest, bool *made,
                    GsError *err)
{
  const long epoch = tr->epoch;
  const bool scheduled = gs_recordings_scheduled_epoch (epoch);
  const long newest = r->n > 0 ? r->rec[r->n - 1].epoch : -1;
  const bool newest_scheduled = r->n > 0 && r->rec[r->n - 1].scheduled;
  const size_t n = run_params (rec);
  GsSnapshot *s;
  float *params;

  *made = false;
  if (tr != rec->tr)
    return gs_error_set (err, _("the recorder belongs to another run"));
  /* due: a scheduled epoch not yet held as scheduled, or the latest */
  if (scheduled ? (epoch < newest || (epoch == newest && newest_scheduled)) : (!latest || epoch <= newest))
    return GS_OK;
  if ((params = malloc (sizeof (float) * n)) == NULL)
    return gs_error_set (err, _("out of memory"));
  memcpy (params, tr->model->params_mem, sizeof (float) * tr->model->n_params);
  if (tr->decoder)
    memcpy (params + tr->model->n_params, tr->decoder->params_mem, sizeof (float) * tr->decoder->n_params);
  if ((s = gs_recorder_replay (rec, params, n, epoch, err)) == NULL) {
    free (params);
    return GS_FAIL;
  }
  *made = gs_recordings_add (r, epoch, scheduled, -1, params, n, s);
  return GS_OK;
}

/* ───────────────────────── saving ─────────────────────────
 *
 * The format, all integers and floats little-endian:
 *   8 bytes   "GSREC01\n"
 *   u32       n, the number of recordings (≤ GS_RECORDINGS_MAX)
 *   u64       n_params of each recording
 *   n times:  i64 epoch, u8 scheduled (0 or 1), n_params × f32 weights
 * Epochs must increase. Snapshots are not stored: loading replays them.
 */

static const char MAGIC[8] = { 'G', 'S', 'R', 'E', 'C', '0', '1', '\n' };

static unsigned char *
put_u64 (unsigned char *p, uint64_t v, int bytes)
{
  for (int i = 0; i < bytes; i++)
    *p++ = (unsigned char) (v >> (8 * i));
  return p;
}

static uint64_t
get_u64 (const unsigned char *p, int bytes)
{
  uint64_t v = 0;

  for (int i = 0; i < bytes; i++)
    v |= (uint64_t) p[i] << (8 * i);
  return v;
}

int
gs_recordings_replay (GsRecordings *r, GsRecorder *rec, GsError *err)
{
  for (int i = 0; i < r->n; i++) {
    GsRecording *g = &r->rec[i];
    if (g->snap != NULL || g->params == NULL)
      continue;
    g->snap = gs_recorder_replay (rec, g->params, g->n_params, g->epoch, err);
    if (g->snap == NULL)
      return GS_FAIL;
  }
  return GS_OK;
}

int
gs_recordings_serialize (const GsRecordings *r, unsigned char **out, size_t *len, GsError *err)
{
  const size_t n_params = r->n > 0 ? r->rec[0].n_params : 0;
  const size_t size = 8 + 4 + 8 + (size_t) r->n * (8 + 1 + 4 * n_params);
  unsigned char *buf = malloc (size), *p = buf;

  *out = NULL;
  *len = 0;
  if (buf == NULL)
    return gs_error_set (err, _("out of memory"));
  memcpy (p, MAGIC, 8);
  p = put_u64 (p + 8, (uint64_t) r->n, 4);
  p = put_u64 (p, n_params, 8);
  for (int i = 0; i < r->n; i++) {
    const GsRecording *g = &r->rec[i];
    p = put_u64 (p, (uint64_t) (int64_t) g->epoch, 8);
    *p++ = g->scheduled ? 1 : 0;
    for (size_t j = 0; j < n_params; j++) {
      uint32_t bits;
      memcpy (&bits, &g->params[j], 4);
      p = put_u64 (p, bits, 4);
    }
  }
  *out = buf;
  *len = size;
  return GS_OK;
}

int
gs_recordings_deserialize (GsRecordings *r, GsRecorder *rec, const unsigned char *data, size_t len,
                           GsError *err)
{
  GsRecordings *fresh;
  uint64_t n, n_params;
  const unsigned char *p = data + 20;

  if (len < 20 || memcmp (data, MAGIC, 8) != 0)
    return gs_error_set (err, _("the recordings are not in Gatescope's format (no GSREC01 header)"));
  n = get_u64 (data + 8, 4);
  n_params = get_u64 (data + 12, 8);
  if (n > (uint64_t) r->max)
    return gs_error_set (err, _("the recordings say there are %llu of them; at most %d are allowed"),
                         (unsigned long long) n, r->max);
  if (n > 0 && n_params != run_params (rec))
    return gs_error_set (err, _("the recordings are of a model with %llu parameters, but this run's has %zu"),
                         (unsigned long long) n_params, run_params (rec));
  if ((len - 20) / (8 + 1 + 4 * (n_params ? n_params : 1)) < n || len - 20 != n * (8 + 1 + 4 * n_params))
    return gs_error_set (err, _("the recordings are %zu bytes long, which does not fit %llu recordings"),
                         len, (unsigned long long) n);
  if ((fresh = gs_recordings_new (r->max, err)) == NULL)
    return GS_FAIL;
  for (uint64_t i = 0; i < n; i++) {
    long epoch = (long) (int64_t) get_u64 (p, 8);
    bool scheduled = p[8] != 0;
    float *params;
    GsSnapshot *s;

    p += 9;
    if (epoch < 0 || p[-1] > 1 || (fresh->n > 0 && epoch <= fresh->rec[fresh->n - 1].epoch)) {
      gs_recordings_free (fresh);
      return gs_error_set (err, _("recording %llu is damaged: its epoch or flag is out of order"),
                           (unsigned long long) i + 1);
    }
    if ((params = malloc (sizeof (float) * n_params)) == NULL) {
      gs_recordings_free (fresh);
      return gs_error_set (err, _("out of memory"));
    }
    for (size_t j = 0; j < n_params; j++, p += 4) {
      uint32_t bits = (uint32_t) get_u64 (p, 4);
      memcpy (&params[j], &bits, 4);
    }
    if ((s = gs_recorder_replay (rec, params, n_params, epoch, err)) == NULL) {
      free (params);
      gs_recordings_free (fresh);
      return GS_FAIL;
    }
    /* scheduled as stored, so an unscheduled one in the middle stays */
    fresh->rec[fresh->n++] = (GsRecording) { epoch, scheduled || i + 1 < n, fresh->n_made++, params, n_params, s };
  }
  gs_recordings_clear (r);
  memcpy (r->rec, fresh->rec, sizeof r->rec);
  r->n = fresh->n;
  r->n_made = fresh->n_made;
  free (fresh);
  return GS_OK;
}
