/* test-safetensors.c — model files and atomic writes.
 *
 *   1. save → load round trips for every cell and input kind, bit-exact,
 *      metadata included, and the files PyTorch wrote for the parity tests;
 *   2. a table of broken files, in memory (gs_st_parse) and on disk
 *      (gs_model_load), each refused with a message naming the problem;
 *   3. seeded random mutations and every truncation of a valid file: never
 *      a crash, never a tensor outside the buffer (run it under ASan);
 *   4. gs_file_write_atomic: no temporary files left, failures leave the
 *      old file as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gs-file.h"
#include "gs-model.h"
#include "gs-rng.h"
#include "gs-safetensors.h"
#include "gs-test.h"

static char tmpdir[256];

/* --- helpers ------------------------------------------------------------------------- */

static void
path_in_tmp (char *out, size_t size, const char *name)
{
  snprintf (out, size, "%s/%s", tmpdir, name);
}

static GsModel *
make_model (GsCell cell, GsInput input, GsLoss loss, int V, int E, int H, int L, int O,
            uint64_t seed)
{
  GsConfig cfg = { cell, input, loss, V, input == GS_INPUT_EMBED ? E : 0, H, L, O };
  GsError err = { "" };
  GsRng rng;
  GsModel *m = gs_model_new (&cfg, &err);

  if (!GS_CHECK (m != NULL, "gs_model_new: %s", err.msg))
    return NULL;
  gs_rng_seed (&rng, seed);
  gs_model_init_params (m, &rng);
  return m;
}

/* A file from a JSON header and a data section, with the header length
 * field set to header_len (normally strlen (json)). malloc'd. */
static unsigned char *
build_file (const char *json, uint64_t header_len, const void *data, size_t data_len,
            size_t *len)
{
  size_t jl = strlen (json);
  unsigned char *buf = malloc (8 + jl + data_len + 1);

  for (int i = 0; i < 8; i++)
    buf[i] = (unsigned char) (header_len >> (8 * i));
  memcpy (buf + 8, json, jl);
  if (data_len > 0)
    memcpy (buf + 8 + jl, data, data_len);
  *len = 8 + jl + data_len;
  return buf;
}

static bool
contains (const char *haystack, const char *needle)
{
  return strstr (haystack, needle) != NULL;
}

/* GS_TEST_VERBOSE=1 shows every refusal's message, for reading them. */
static void
show_message (const char *what, const char *msg)
{
  const char *verbose = getenv ("GS_TEST_VERBOSE");
  if (verbose != NULL && *verbose == '1')
    printf ("  %-36s %s\n", what, msg);
}

/* The model's tensors as gs_st_write wants them. */
static int
model_writes (const GsModel *m, GsStWrite *w, GsTensorInfo *info)
{
  int n = gs_config_tensors (&m->cfg, info);
  for (int i = 0; i < n; i++) {
    memset (&w[i], 0, sizeof w[i]);
    w[i].name = info[i].name;
    w[i].ndim = info[i].ndim;
    w[i].shape[0] = info[i].shape[0];
    w[i].shape[1] = info[i].shape[1];
    w[i].data = m->params_mem + info[i].offset;
  }
  return n;
}

static int
find_write (GsStWrite *w, int n, const char *name)
{
  for (int i = 0; i < n; i++)
    if (strcmp (w[i].name, name) == 0)
      return i;
  return -1;
}

/* Names in dir that start with ".": temporary files left behind. */
static int
count_dot_files (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] == '.' && strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      n++;
  closedir (d);
  return n;
}

static void
write_raw (const char *path, const void *data, size_t len)
{
  GsError err = { "" };
  const void *parts[1] = { data };
  size_t lens[1] = { len };
  GS_CHECK (gs_file_write_atomic (path, 1, parts, lens, &err) == GS_OK, "write %s: %s", path, err.msg);
}

/* --- 1. round trips ---------------------------------------------------------------- */

static void
check_same_model (const GsModel *a, const GsModel *b, const char *what)
{
  GS_CHECK (a->cfg.cell == b->cfg.cell && a->cfg.input == b->cfg.input && a->cfg.loss == b->cfg.loss
            && a->cfg.V == b->cfg.V && a->cfg.E == b->cfg.E && a->cfg.H == b->cfg.H
            && a->cfg.L == b->cfg.L && a->cfg.O == b->cfg.O,
            "%s: config differs (cell %d/%d input %d/%d loss %d/%d V %d/%d E %d/%d H %d/%d L %d/%d O %d/%d)",
            what, a->cfg.cell, b->cfg.cell, a->cfg.input, b->cfg.input, a->cfg.loss, b->cfg.loss,
            a->cfg.V, b->cfg.V, a->cfg.E, b->cfg.E, a->cfg.H, b->cfg.H, a->cfg.L, b->cfg.L,
            a->cfg.O, b->cfg.O);
  if (a->n_params == b->n_params)
    GS_CHECK (memcmp (a->params_mem, b->params_mem, a->n_params * sizeof (float)) == 0,
              "%s: parameters differ after the round trip", what);
  else
    GS_CHECK (false, "%s: %zu parameters, loaded %zu", what, a->n_params, b->n_params);
}

static void
test_round_trips (void)
{
  static const char *const input_names[] = { "embed", "onehot", "dense" };
  const char *const meta[] = { "vocab", "hel\"lo\n\xc3\xa9", "task", "copy" };
  char path[512];

  for (int cell = 0; cell < GS_N_CELLS; cell++)
    for (int input = 0; input < 3; input++)
      for (int L = 1; L <= 2; L++) {
        GsLoss loss = input == GS_INPUT_DENSE ? GS_LOSS_MSE : GS_LOSS_CE;
        GsModel *m = make_model ((GsCell) cell, (GsInput) input, loss, 7, 5, 6, L, 4,
                                 (uint64_t) (100 + 10 * cell + 3 * input + L));
        GsSafetensors *st = NULL;
        GsError err = { "" };
        GsModel *back;
        char what[96];

        if (m == NULL)
          continue;
        snprintf (what, sizeof what, "%s/%s/L%d", gs_cell_name ((GsCell) cell), input_names[input], L);
        path_in_tmp (path, sizeof path, "model.safetensors");
        GS_CHECK (gs_model_save (m, path, meta, 2, &err) == GS_OK, "%s: save: %s", what, err.msg);
        back = gs_model_load (path, &st, &err);
        if (GS_CHECK (back != NULL && st != NULL, "%s: load: %s", what, err.msg)) {
          const char *v;
          check_same_model (m, back, what);
          v = gs_st_meta (st, "cell");
          GS_CHECK (v && strcmp (v, gs_cell_name ((GsCell) cell)) == 0, "%s: cell metadata %s", what, v);
          v = gs_st_meta (st, "input");
          GS_CHECK (v && strcmp (v, input_names[input]) == 0, "%s: input metadata %s", what, v);
          v = gs_st_meta (st, "loss");
          GS_CHECK (v && strcmp (v, loss == GS_LOSS_CE ? "ce" : "mse") == 0, "%s: loss metadata %s", what, v);
          v = gs_st_meta (st, "vocab");
          GS_CHECK (v && strcmp (v, meta[1]) == 0, "%s: vocab metadata", what);
          v = gs_st_meta (st, "task");
          GS_CHECK (v && strcmp (v, "copy") == 0, "%s: task metadata", what);
          GS_CHECK (gs_st_meta (st, "nothing") == NULL, "%s: absent metadata found", what);
        }
        gs_st_free (st);
        gs_model_free (back);

        /* Without st_out, too. */
        back = gs_model_load (path, NULL, &err);
        GS_CHECK (back != NULL, "%s: load without st_out: %s", what, err.msg);
        gs_model_free (back);
        gs_model_free (m);
      }

  /* The header is padded with spaces so that the data section starts at a multiple of 8. */
  {
    unsigned char *buf = NULL;
    size_t len = 0;
    GsError err = { "" };
    path_in_tmp (path, sizeof path, "model.safetensors");
    if (GS_CHECK (gs_file_read (path, 1 << 20, &buf, &len, &err) == GS_OK, "read back: %s", err.msg)
        && GS_CHECK (len >= 8, "file too short")) {
      uint64_t n = 0;
      for (int i = 0; i < 8; i++)
        n |= (uint64_t) buf[i] << (8 * i);
      GS_CHECK ((8 + n) % 8 == 0, "data section starts at %llu, not a multiple of 8",
                (unsigned long long) (8 + n));
      GS_CHECK (n <= len - 8 && buf[8] == '{', "header starts with {");
      GS_CHECK (n >= 1 && (buf[8 + n - 1] == ' ' || buf[8 + n - 1] == '}'), "header ends in } or padding");
    }
    free (buf);
  }
}

/* A file as Python's json.dumps writes it (", " and ": " separators, no
 * metadata, no padding): an LSTM whose cell is inferred from 4H rows. */
static void
test_python_style_header (void)
{
  /* V 3 one-hot, H 2, L 1, O 3: W_ih (8, 3), W_hh (8, 2), b (8), b (8), fc (3, 2), (3) */
  const char *json =
    "{\"rnn.weight_ih_l0\": {\"dtype\": \"F32\", \"shape\": [8, 3], \"data_offsets\": [0, 96]}, "
    "\"rnn.weight_hh_l0\": {\"dtype\": \"F32\", \"shape\": [8, 2], \"data_offsets\": [96, 160]}, "
    "\"rnn.bias_ih_l0\": {\"dtype\": \"F32\", \"shape\": [8], \"data_offsets\": [160, 192]}, "
    "\"rnn.bias_hh_l0\": {\"dtype\": \"F32\", \"shape\": [8], \"data_offsets\": [192, 224]}, "
    "\"fc.weight\": {\"dtype\": \"F32\", \"shape\": [3, 2], \"data_offsets\": [224, 248]}, "
    "\"fc.bias\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [248, 260]}}";
  float values[65];
  unsigned char data[260];
  size_t len;
  unsigned char *buf;
  GsError err = { "" };
  GsSafetensors *st;
  GsModel *m = NULL;

  for (int i = 0; i < 65; i++) {
    uint32_t u;
    values[i] = 0.125f * (float) (i - 32);
    memcpy (&u, &values[i], 4);
    for (int b = 0; b < 4; b++)
      data[4 * i + b] = (unsigned char) (u >> (8 * b));
  }
  buf = build_file (json, strlen (json), data, sizeof data, &len);
  st = gs_st_parse (buf, len, &err);
  if (GS_CHECK (st != NULL, "python-style header: %s", err.msg)) {
    GS_CHECK (st->n_tensors == 6 && st->n_meta == 0, "python-style: %d tensors, %d meta",
              st->n_tensors, st->n_meta);
    m = gs_model_from_safetensors (st, &err);
    if (GS_CHECK (m != NULL, "python-style model: %s", err.msg)) {
      GS_CHECK (m->cfg.cell == GS_CELL_LSTM && m->cfg.input == GS_INPUT_ONEHOT && m->cfg.V == 3
                && m->cfg.H == 2 && m->cfg.L == 1 && m->cfg.O == 3 && m->cfg.loss == GS_LOSS_CE,
                "python-style: inferred config");
      GS_CHECK (memcmp (m->p.layer[0].W_ih, values, 24 * 4) == 0
                && memcmp (m->p.layer[0].W_hh, values + 24, 16 * 4) == 0
                && memcmp (m->p.W_fc, values + 56, 6 * 4) == 0
                && memcmp (m->p.b_fc, values + 62, 3 * 4) == 0,
                "python-style: values land in the right views");
    }
  }
  gs_model_free (m);
  gs_st_free (st);
  free (buf);
}

/* Every model the parity fixtures hold was written by PyTorch; all must load. */
static void
test_pytorch_fixtures (void)
{
  const char *src = getenv ("GS_SOURCE_DIR");
  char dir[512], path[1024];
  DIR *d;
  struct dirent *e;
  int n = 0;

  if (src == NULL) {
    printf ("GS_SOURCE_DIR not set: skipping the PyTorch fixtures\n");
    return;
  }
  snprintf (dir, sizeof dir, "%s/tests/reference/fixtures", src);
  d = opendir (dir);
  if (d == NULL) {
    printf ("no %s: skipping the PyTorch fixtures\n", dir);
    return;
  }
  while ((e = readdir (d)) != NULL) {
    size_t l = strlen (e->d_name);
    const char *suffix = ".model.safetensors";
    GsSafetensors *st = NULL;
    GsError err = { "" };
    GsModel *m;

    if (l < strlen (suffix) || strcmp (e->d_name + l - strlen (suffix), suffix) != 0)
      continue;
    snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
    m = gs_model_load (path, &st, &err);
    if (GS_CHECK (m != NULL, "PyTorch fixture %s: %s", e->d_name, err.msg)) {
      const char *cell = gs_st_meta (st, "cell");
      GS_CHECK (cell != NULL && strcmp (cell, gs_cell_name (m->cfg.cell)) == 0,
                "%s: cell %s", e->d_name, gs_cell_name (m->cfg.cell));
      /* fc.bias read directly from the file agrees with the model's view. */
      {
        float fc_bias[GS_MAX_VOCAB > 64 ? 64 : GS_MAX_VOCAB];
        if (m->cfg.O <= 64 && gs_st_get_f32 (st, "fc.bias", fc_bias, (size_t) m->cfg.O, &err) == GS_OK)
          GS_CHECK (memcmp (fc_bias, m->p.b_fc, (size_t) m->cfg.O * sizeof (float)) == 0,
                    "%s: fc.bias", e->d_name);
      }
      n++;
    }
    gs_st_free (st);
    gs_model_free (m);
  }
  closedir (d);
  printf ("loaded %d PyTorch-written models\n", n);
}

/* --- 2. broken files ---------------------------------------------------------------- */

typedef struct {
  const char *what;
  const char *json;        /* NULL: raw bytes below */
  long long   header_len;  /* −1: strlen (json) */
  size_t      data_len;    /* bytes of data section (zeros) */
  const char *expect;      /* substring of the message */
} BadCase;

static void
test_bad_headers (void)
{
  static const BadCase cases[] = {
    { "garbage JSON", "{\"a\": {\"dtype\": ", -1, 0, "not valid JSON" },
    { "not JSON at all", "hello world!", -1, 0, "not valid JSON" },
    { "JSON array", "[1, 2, 3]", -1, 0, "not a JSON object" },
    { "JSON string", "\"text\"", -1, 0, "not a JSON object" },
    { "header length 0", "{}", 0, 8, "header length is 0" },
    { "header length huge", "{}", 1ll << 62, 0, "over the limit" },
    { "header length past EOF", "{}", 100, 0, "points past the end" },
    { "trailing garbage", "{} x", -1, 0, "unexpected bytes after" },
    { "entry not an object", "{\"a\": 3}", -1, 0, "tensor a is not an object" },
    { "missing dtype", "{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", -1, 4, "tensor a has no dtype" },
    { "dtype not a string", "{\"a\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 4]}}", -1, 4,
      "dtype of tensor a is not a string" },
    { "unknown dtype", "{\"a\": {\"dtype\": \"F33\", \"shape\": [1], \"data_offsets\": [0, 4]}}", -1, 4,
      "unknown dtype \"F33\"" },
    { "missing shape", "{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", -1, 4, "tensor a has no shape" },
    { "shape not a list", "{\"a\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", -1, 4,
      "shape of tensor a is not a list" },
    { "negative shape", "{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", -1, 4,
      "negative dimension" },
    { "fractional shape", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", -1, 4,
      "not an integer" },
    { "string in shape", "{\"a\": {\"dtype\": \"F32\", \"shape\": [\"1\"], \"data_offsets\": [0, 4]}}", -1, 4,
      "not an integer" },
    { "huge dimension", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1e300], \"data_offsets\": [0, 4]}}", -1, 4,
      "too large" },
    { "too many dims", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1,1,1,1,1,1,1,1,1], \"data_offsets\": [0, 4]}}",
      -1, 4, "9 dimensions; at most 8" },
    { "overflowing shape",
      "{\"a\": {\"dtype\": \"F32\", \"shape\": [4503599627370496, 4503599627370496], \"data_offsets\": [0, 4]}}",
      -1, 4, "too many elements" },
    { "missing offsets", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", -1, 4, "tensor a has no data_offsets" },
    { "one offset", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", -1, 4,
      "two non-negative integers" },
    { "string offset", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [\"0\", 4]}}", -1, 4,
      "two non-negative integers" },
    { "negative offset", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", -1, 4,
      "two non-negative integers" },
    { "reversed offsets", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", -1, 4,
      "reversed" },
    { "truncated data", "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", -1, 8,
      "past the end of the data section" },
    { "shape/offset mismatch", "{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 16]}}", -1, 16,
      "tensor a has 16 bytes of data, but shape [3] of F32 needs 12" },
    { "dtype size mismatch", "{\"a\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [0, 8]}}", -1, 8,
      "needs 16" },
    { "overlapping tensors",
      "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
      " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", -1, 12, "overlap" },
    { "tensor inside another",
      "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
      " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]},"
      " \"c\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [16, 20]}}", -1, 20, "overlap" },
    { "duplicate name",
      "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
      " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", -1, 8, "appears twice" },
    { "metadata not an object", "{\"__metadata__\": [1]}", -1, 0, "__metadata__ is not an object" },
    { "metadata value not a string", "{\"__metadata__\": {\"cell\": 4}}", -1, 0,
      "metadata value for key cell is not a string" },
    { "metadata twice", "{\"__metadata__\": {}, \"__metadata__\": {}}", -1, 0, "twice" },
  };
  unsigned char zeros[64] = { 0 };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const BadCase *c = &cases[i];
    uint64_t hl = c->header_len < 0 ? strlen (c->json) : (uint64_t) c->header_len;
    size_t len;
    unsigned char *buf = build_file (c->json, hl, zeros, c->data_len, &len);
    GsError err = { "" };
    GsSafetensors *st = gs_st_parse (buf, len, &err);

    show_message (c->what, err.msg);
    GS_CHECK (st == NULL, "%s: accepted", c->what);
    GS_CHECK (contains (err.msg, c->expect), "%s: message \"%s\" lacks \"%s\"", c->what, err.msg, c->expect);
    gs_st_free (st);
    free (buf);
  }

  /* Nesting far deeper than any header: refused, not a stack overflow. */
  {
    size_t depth = 200000, len;
    char *json = malloc (depth + 1);
    unsigned char *buf;
    GsError err = { "" };
    memset (json, '[', depth);
    json[depth] = '\0';
    buf = build_file (json, depth, NULL, 0, &len);
    GS_CHECK (gs_st_parse (buf, len, &err) == NULL && contains (err.msg, "not valid JSON"),
              "deep nesting: %s", err.msg);
    free (buf);
    free (json);
  }

  /* Too short to hold the length. */
  {
    GsError err = { "" };
    const unsigned char seven[7] = { 1, 0, 0, 0, 0, 0, 0 };
    GS_CHECK (gs_st_parse (seven, 0, &err) == NULL && contains (err.msg, "too short"),
              "empty buffer: %s", err.msg);
    err.msg[0] = '\0';
    GS_CHECK (gs_st_parse (seven, 7, &err) == NULL && contains (err.msg, "too short"),
              "7 bytes: %s", err.msg);
  }

  /* The empty object is a valid (empty) file; zero-length tensors are fine. */
  {
    const char *json = "{\"a\": {\"dtype\": \"F32\", \"shape\": [0, 3], \"data_offsets\": [0, 0]},"
                       " \"s\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [0, 4]}}  ";
    size_t len;
    float one = 1.0f, s = 0;
    unsigned char *buf = build_file (json, strlen (json), &one, 4, &len);
    GsError err = { "" };
    GsSafetensors *st = gs_st_parse (buf, len, &err);
    if (GS_CHECK (st != NULL, "zero-size and scalar tensors: %s", err.msg)) {
      const GsStTensor *a = gs_st_find (st, "a");
      GS_CHECK (a != NULL && a->numel == 0 && a->ndim == 2, "zero-size tensor parsed");
      GS_CHECK (gs_st_get_f32 (st, "s", &s, 1, &err) == GS_OK && s == 1.0f, "scalar value %g", (double) s);
      GS_CHECK (gs_st_find (st, "zzz") == NULL, "absent tensor found");
    }
    gs_st_free (st);
    free (buf);
  }
}

static void
test_dtypes (void)
{
  /* F32 1.5, F64 −2.25, I32 −7, I64 1<<40, BF16 two values */
  const char *json =
    "{\"f\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
    " \"d\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [8, 16]},"
    " \"i\": {\"dtype\": \"I32\", \"shape\": [1], \"data_offsets\": [16, 20]},"
    " \"l\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [24, 32]},"
    " \"b\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [32, 36]}}";
  unsigned char data[36] = { 0 };
  float f = 1.5f, v[2];
  double dd = -2.25;
  int32_t i32 = -7;
  int64_t i64 = (int64_t) 1 << 40;
  uint32_t u32;
  uint64_t u64;
  size_t len;
  unsigned char *buf;
  GsError err = { "" };
  GsSafetensors *st;

  memcpy (&u32, &f, 4);
  for (int b = 0; b < 4; b++)
    data[b] = (unsigned char) (u32 >> (8 * b));
  memcpy (&u64, &dd, 8);
  for (int b = 0; b < 8; b++)
    data[8 + b] = (unsigned char) (u64 >> (8 * b));
  for (int b = 0; b < 4; b++)
    data[16 + b] = (unsigned char) ((uint32_t) i32 >> (8 * b));
  for (int b = 0; b < 8; b++)
    data[24 + b] = (unsigned char) ((uint64_t) i64 >> (8 * b));

  buf = build_file (json, strlen (json), data, sizeof data, &len);
  st = gs_st_parse (buf, len, &err);
  free (buf);   /* the parser keeps its own copy */
  if (!GS_CHECK (st != NULL, "dtypes: %s", err.msg))
    return;
  GS_CHECK (gs_st_get_f32 (st, "f", v, 1, &err) == GS_OK && v[0] == 1.5f, "F32 read");
  GS_CHECK (gs_st_get_f32 (st, "d", v, 1, &err) == GS_OK && v[0] == -2.25f, "F64 read");
  GS_CHECK (gs_st_get_f32 (st, "i", v, 1, &err) == GS_OK && v[0] == -7.0f, "I32 read");
  GS_CHECK (gs_st_get_f32 (st, "l", v, 1, &err) == GS_OK && v[0] == 1099511627776.0f, "I64 read");
  GS_CHECK (gs_st_find (st, "b") != NULL && gs_st_find (st, "b")->dtype == GS_DT_OTHER
            && strcmp (gs_st_find (st, "b")->dtype_name, "BF16") == 0, "BF16 kept as OTHER");
  GS_CHECK (gs_st_get_f32 (st, "b", v, 2, &err) == GS_FAIL
            && contains (err.msg, "tensor b has dtype BF16; Gatescope reads F32"), "BF16 refused: %s", err.msg);
  GS_CHECK (gs_st_get_f32 (st, "f", v, 2, &err) == GS_FAIL && contains (err.msg, "has 1 elements; expected 2"),
            "element count checked: %s", err.msg);
  GS_CHECK (gs_st_get_f32 (st, "nope", v, 1, &err) == GS_FAIL && contains (err.msg, "tensor nope is missing"),
            "missing tensor: %s", err.msg);
  gs_st_free (st);
}

/* Writes the model with one change and expects gs_model_load to fail with `expect`. */
static void
expect_load_failure (const char *what, const char *path, const char *expect)
{
  GsError err = { "" };
  GsSafetensors *st = (GsSafetensors *) 1;
  GsModel *m = gs_model_load (path, &st, &err);

  show_message (what, err.msg);
  GS_CHECK (m == NULL, "%s: loaded", what);
  GS_CHECK (st == NULL, "%s: st_out not cleared", what);
  GS_CHECK (contains (err.msg, expect), "%s: message \"%s\" lacks \"%s\"", what, err.msg, expect);
  gs_model_free (m);
}

static void
write_variant (const char *path, GsStWrite *w, int n, const char *const *meta, int n_meta)
{
  GsError err = { "" };
  GS_CHECK (gs_st_write (path, w, n, meta, n_meta, &err) == GS_OK, "write variant: %s", err.msg);
}

static void
test_bad_models (void)
{
  GsModel *m = make_model (GS_CELL_GRU, GS_INPUT_EMBED, GS_LOSS_CE, 7, 5, 6, 2, 4, 7);
  GsTensorInfo info[GS_MAX_TENSORS];
  GsStWrite w[GS_MAX_TENSORS + 1];
  const char *meta_gru[] = { "cell", "gru" };
  const char *meta_lstm[] = { "cell", "lstm" };
  const char *meta_bad_cell[] = { "cell", "transformer" };
  const char *meta_onehot[] = { "input", "onehot" };
  const char *meta_loss[] = { "loss", "hinge" };
  char path[512], sub[512];
  int n, k;
  GsError err = { "" };

  if (m == NULL)
    return;
  path_in_tmp (path, sizeof path, "bad.safetensors");

  /* Files that are not safetensors at all. */
  write_raw (path, "", 0);
  expect_load_failure ("empty file", path, "too short");
  write_raw (path, "1234567", 7);
  expect_load_failure ("7 bytes", path, "too short");
  {
    size_t len;
    unsigned char *buf = build_file ("{\"a\":", 5, NULL, 0, &len);
    write_raw (path, buf, len);
    free (buf);
    expect_load_failure ("garbage JSON", path, "not valid JSON");
    buf = build_file ("{}", (uint64_t) 1 << 40, NULL, 0, &len);
    write_raw (path, buf, len);
    free (buf);
    expect_load_failure ("header length huge", path, "over the limit");
  }
  expect_load_failure ("a directory", tmpdir, "is a directory");
  path_in_tmp (sub, sizeof sub, "does-not-exist.safetensors");
  expect_load_failure ("a nonexistent path", sub, strerror (ENOENT));
  path_in_tmp (sub, sizeof sub, "fifo");
  if (mkfifo (sub, 0600) == 0)
    expect_load_failure ("a FIFO", sub, "not a regular file");

  /* Valid files that do not hold a model we can run. */
  n = model_writes (m, w, info);
  write_variant (path, w, n, meta_gru, 1);
  {
    GsModel *back = gs_model_load (path, NULL, &err);
    GS_CHECK (back != NULL, "unchanged variant loads: %s", err.msg);
    gs_model_free (back);
  }

  k = find_write (w, n, "fc.bias");
  w[k] = w[n - 1];
  write_variant (path, w, n - 1, meta_gru, 1);
  expect_load_failure ("missing tensor", path, "tensor fc.bias is missing");

  n = model_writes (m, w, info);
  k = find_write (w, n, "rnn.weight_hh_l1");
  w[k].shape[1] = 5;
  write_variant (path, w, n, meta_gru, 1);
  expect_load_failure ("weight_hh with wrong cols", path,
                       "tensor rnn.weight_hh_l1 has shape [18, 5]; expected [18, 6]");

  n = model_writes (m, w, info);
  k = find_write (w, n, "rnn.bias_ih_l0");
  w[k].ndim = 2;
  w[k].shape[0] = 1;
  w[k].shape[1] = 18;
  write_variant (path, w, n, meta_gru, 1);
  expect_load_failure ("bias as a matrix", path, "tensor rnn.bias_ih_l0 has shape [1, 18]; expected [18]");

  n = model_writes (m, w, info);
  k = find_write (w, n, "rnn.weight_hh_l0");
  w[k].shape[0] = 17;
  write_variant (path, w, n, meta_gru, 1);
  expect_load_failure ("weight_hh rows not a multiple of H", path, "expected 1, 3 or 4 times");

  n = model_writes (m, w, info);
  write_variant (path, w, n, meta_lstm, 1);
  expect_load_failure ("cell contradicting shapes", path, "metadata says cell lstm (4 gates)");
  write_variant (path, w, n, meta_bad_cell, 1);
  expect_load_failure ("unknown cell", path, "\"transformer\"");
  write_variant (path, w, n, meta_onehot, 1);
  expect_load_failure ("input contradicting emb.weight", path, "emb.weight");
  write_variant (path, w, n, meta_loss, 1);
  expect_load_failure ("unknown loss", path, "\"hinge\"");

  w[n] = w[0];
  w[n].name = "rnn.weight_xh_l0";
  write_variant (path, w, n + 1, meta_gru, 1);
  expect_load_failure ("extra rnn tensor", path, "unexpected tensor rnn.weight_xh_l0");
  /* a _reverse tensor makes the model bidirectional: all of them must be there, in shape */
  w[n].name = "rnn.weight_ih_l0_reverse";
  write_variant (path, w, n + 1, meta_gru, 1);
  expect_load_failure ("lone reverse tensor", path, "tensor rnn.weight_ih_l0_reverse has shape");
  w[n].name = "optimizer.step";
  write_variant (path, w, n + 1, meta_gru, 1);
  {
    GsModel *back = gs_model_load (path, NULL, &err);
    GS_CHECK (back != NULL, "tensors outside the model's names are ignored: %s", err.msg);
    gs_model_free (back);
  }

  /* Three layers of weight_ih but only two of everything else. */
  w[n] = w[find_write (w, n, "rnn.weight_ih_l1")];
  w[n].name = "rnn.weight_ih_l2";
  write_variant (path, w, n + 1, meta_gru, 1);
  expect_load_failure ("a half layer", path, "tensor rnn.weight_hh_l2 is missing");

  n = model_writes (m, w, info);
  k = find_write (w, n, "rnn.weight_ih_l0");
  w[k] = w[n - 1];
  write_variant (path, w, n - 1, meta_gru, 1);
  expect_load_failure ("no layer 0", path, "tensor rnn.weight_ih_l0 is missing");

  n = model_writes (m, w, info);
  k = find_write (w, n, "rnn.weight_hh_l0");
  w[k].shape[0] = 0;
  w[k].shape[1] = 0;
  write_variant (path, w, n, NULL, 0);
  expect_load_failure ("zero hidden size", path, "hidden size 0");

  n = model_writes (m, w, info);
  k = find_write (w, n, "emb.weight");
  w[k].shape[0] = GS_MAX_VOCAB + 1;
  w[k].shape[1] = 0;
  write_variant (path, w, n, NULL, 0);
  expect_load_failure ("embedding over the limit", path, "vocabulary size 65537");

  n = model_writes (m, w, info);
  k = find_write (w, n, "fc.weight");
  m->params_mem[info[k].offset + 3] = NAN;
  write_variant (path, w, n, meta_gru, 1);
  expect_load_failure ("NaN weight", path, "tensor fc.weight contains NaN/Inf");
  m->params_mem[info[k].offset + 3] = INFINITY;
  write_variant (path, w, n, meta_gru, 1);
  expect_load_failure ("Inf weight", path, "tensor fc.weight contains NaN/Inf");
  m->params_mem[info[k].offset + 3] = 0.5f;

  /* The metadata keys Gatescope writes itself cannot be given by the caller. */
  {
    const char *meta[] = { "cell", "lstm" };
    GS_CHECK (gs_model_save (m, path, meta, 1, &err) == GS_FAIL && contains (err.msg, "\"cell\""),
              "reserved metadata key: %s", err.msg);
  }

  /* A model tensor in BF16. */
  {
    const char *json =
      "{\"__metadata__\": {\"cell\": \"rnn_tanh\"},"
      " \"rnn.weight_ih_l0\": {\"dtype\": \"BF16\", \"shape\": [1, 1], \"data_offsets\": [0, 2]},"
      " \"rnn.weight_hh_l0\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [4, 8]},"
      " \"rnn.bias_ih_l0\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]},"
      " \"rnn.bias_hh_l0\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 16]},"
      " \"fc.weight\": {\"dtype\": \"F32\", \"shape\": [1, 1], \"data_offsets\": [16, 20]},"
      " \"fc.bias\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [20, 24]}}";
    unsigned char zeros[24] = { 0 };
    size_t len;
    unsigned char *buf = build_file (json, strlen (json), zeros, sizeof zeros, &len);
    write_raw (path, buf, len);
    expect_load_failure ("BF16 weights", path, "tensor rnn.weight_ih_l0 has dtype BF16; Gatescope reads F32");
    /* The same file with F32 instead loads, as a one-layer rnn_tanh of V 1. */
    memcpy (strstr ((char *) buf + 8, "\"BF16\""), "\"F32\" ", 6);
    memcpy (strstr ((char *) buf + 8, "[0, 2]"), "[0, 4]", 6);
    {
      GsSafetensors *st = gs_st_parse (buf, len, &err);
      GsModel *tiny = st ? gs_model_from_safetensors (st, &err) : NULL;
      GS_CHECK (tiny != NULL && tiny->cfg.cell == GS_CELL_RNN_TANH && tiny->cfg.V == 1,
                "tiny F32 rnn: %s", err.msg);
      gs_model_free (tiny);
      gs_st_free (st);
    }
    free (buf);
  }

  /* Nine layers: more than GS_MAX_LAYERS. */
  {
    GsModel *deep = make_model (GS_CELL_RNN_TANH, GS_INPUT_ONEHOT, GS_LOSS_CE, 2, 0, 2, GS_MAX_LAYERS, 2, 3);
    if (deep != NULL) {
      n = model_writes (deep, w, info);
      k = find_write (w, n, "rnn.weight_ih_l7");
      w[n] = w[k];
      w[n].name = "rnn.weight_ih_l8";
      write_variant (path, w, n + 1, NULL, 0);
      expect_load_failure ("nine layers", path, "more than 8 layers");
      gs_model_free (deep);
    }
  }

  /* A file over GS_ST_MAX_FILE (sparse: no disk is used). */
  path_in_tmp (sub, sizeof sub, "huge.safetensors");
  {
    int fd = open (sub, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0 && ftruncate (fd, (off_t) GS_ST_MAX_FILE + 1) == 0) {
      close (fd);
      expect_load_failure ("a file over 1 GiB", sub, "too large");
    } else if (fd >= 0) {
      close (fd);
    }
    unlink (sub);
  }

  gs_model_free (m);
}

/* --- 3. mutations ------------------------------------------------------------------ */

static uint64_t fuzz_state = 0x9e3779b97f4a7c15ull;

static uint64_t
fuzz_next (void)
{
  /* xorshift64* */
  fuzz_state ^= fuzz_state >> 12;
  fuzz_state ^= fuzz_state << 25;
  fuzz_state ^= fuzz_state >> 27;
  return fuzz_state * 0x2545f4914f6cdd1dull;
}

/* Parses buf and, when that works, checks every tensor lies inside the
 * buffer and builds a model from it. Returns whether a model came out. */
static bool
parse_and_load (const unsigned char *buf, size_t len, int *bad_bounds)
{
  GsError err = { "" };
  GsSafetensors *st = gs_st_parse (buf, len, &err);
  GsModel *m = NULL;

  if (st == NULL) {
    if (err.msg[0] == '\0')
      (*bad_bounds)++;
    return false;
  }
  for (int i = 0; i < st->n_tensors; i++) {
    const GsStTensor *t = &st->tensors[i];
    if (t->data < st->buf + 8 || t->data + t->nbytes > st->buf + st->len)
      (*bad_bounds)++;
  }
  m = gs_model_from_safetensors (st, &err);
  if (m == NULL && err.msg[0] == '\0')
    (*bad_bounds)++;
  gs_model_free (m);
  gs_st_free (st);
  return m != NULL;
}

static void
test_mutations (void)
{
  GsModel *m = make_model (GS_CELL_LSTM, GS_INPUT_EMBED, GS_LOSS_CE, 5, 3, 4, 2, 5, 11);
  const char *meta[] = { "vocab", "abcde" };
  unsigned char *orig = NULL, *buf;
  size_t len = 0, header_end;
  char path[512];
  GsError err = { "" };
  int bad = 0, loaded = 0, truncated_loaded = 0;

  if (m == NULL)
    return;
  path_in_tmp (path, sizeof path, "fuzz.safetensors");
  if (!GS_CHECK (gs_model_save (m, path, meta, 1, &err) == GS_OK, "fuzz save: %s", err.msg)
      || !GS_CHECK (gs_file_read (path, 1 << 20, &orig, &len, &err) == GS_OK, "fuzz read: %s", err.msg)) {
    gs_model_free (m);
    return;
  }
  header_end = 8;
  for (int i = 0; i < 8; i++)
    header_end += (size_t) orig[i] << (8 * i);

  /* Every truncation, each into an exactly-sized heap block (ASan sees any over-read). */
  for (size_t l = 0; l < len; l++) {
    buf = malloc (l > 0 ? l : 1);
    memcpy (buf, orig, l);
    truncated_loaded += parse_and_load (buf, l, &bad);
    free (buf);
  }
  GS_CHECK (truncated_loaded == 0, "%d truncated files loaded", truncated_loaded);

  /* Seeded random mutations: mostly in the header, where the parser works. */
  for (int round = 0; round < 4000; round++) {
    int flips = 1 + (int) (fuzz_next () % 4);
    buf = malloc (len);
    memcpy (buf, orig, len);
    for (int f = 0; f < flips; f++) {
      size_t at = fuzz_next () % 4 == 0 ? fuzz_next () % len : fuzz_next () % header_end;
      switch (fuzz_next () % 4) {
      case 0: buf[at] ^= (unsigned char) (1u << (fuzz_next () % 8)); break;
      case 1: buf[at] = (unsigned char) fuzz_next (); break;
      case 2: buf[at] = (unsigned char) "{}[]\",:-0123456789e. "[fuzz_next () % 21]; break;
      default: buf[at] = (unsigned char) (fuzz_next () % 2 ? 0xff : 0x00); break;
      }
    }
    loaded += parse_and_load (buf, len, &bad);
    free (buf);
  }
  GS_CHECK (bad == 0, "%d parses left a tensor outside the buffer or failed without a message", bad);
  GS_CHECK (parse_and_load (orig, len, &bad), "the unmutated file loads");
  printf ("mutations: %d of 4000 still loaded as a model (a flipped weight bit is still a model)\n", loaded);

  free (orig);
  gs_model_free (m);
}

/* --- 4. atomic writes ---------------------------------------------------------------- */

static void
test_atomic_write (void)
{
  char path[512], bad_path[1024];
  const void *parts[3] = { "hello, ", NULL, "world" };
  size_t lens[3] = { 7, 0, 5 };
  unsigned char *data = NULL;
  size_t len = 0;
  GsError err = { "" };
  struct stat sb;

  path_in_tmp (path, sizeof path, "atomic.txt");
  write_raw (path, "old contents", 12);
  GS_CHECK (gs_file_write_atomic (path, 3, parts, lens, &err) == GS_OK, "atomic write: %s", err.msg);
  if (GS_CHECK (gs_file_read (path, 100, &data, &len, &err) == GS_OK, "read back: %s", err.msg))
    GS_CHECK (len == 12 && memcmp (data, "hello, world", 12) == 0 && data[12] == '\0',
              "contents after the atomic write");
  free (data);
  data = NULL;
  GS_CHECK (count_dot_files (tmpdir) == 0, "temporary files left in %s", tmpdir);
  GS_CHECK (stat (path, &sb) == 0 && (sb.st_mode & 0777) == 0644, "mode %o", (unsigned) (sb.st_mode & 0777));

  /* Into a directory that does not exist: an error, the old file untouched. */
  snprintf (bad_path, sizeof bad_path, "%s/no-such-dir/atomic.txt", tmpdir);
  GS_CHECK (gs_file_write_atomic (bad_path, 3, parts, lens, &err) == GS_FAIL
            && contains (err.msg, bad_path) && contains (err.msg, strerror (ENOENT)),
            "write into a missing directory: %s", err.msg);
  /* Through a file as if it were a directory. */
  snprintf (bad_path, sizeof bad_path, "%s/atomic.txt/inner", tmpdir);
  GS_CHECK (gs_file_write_atomic (bad_path, 3, parts, lens, &err) == GS_FAIL
            && contains (err.msg, strerror (ENOTDIR)), "write under a file: %s", err.msg);
  /* Over a directory: the rename fails and the temporary file goes. */
  snprintf (bad_path, sizeof bad_path, "%s/subdir", tmpdir);
  mkdir (bad_path, 0755);
  GS_CHECK (gs_file_write_atomic (bad_path, 3, parts, lens, &err) == GS_FAIL
            && contains (err.msg, "cannot write"), "write over a directory: %s", err.msg);
  GS_CHECK (count_dot_files (tmpdir) == 0, "temporary files left after a failed rename");
  rmdir (bad_path);
  /* A model saved into a missing directory: a message, and nothing else changes. */
  {
    GsModel *m = make_model (GS_CELL_RNN_RELU, GS_INPUT_ONEHOT, GS_LOSS_CE, 3, 0, 2, 1, 3, 5);
    snprintf (bad_path, sizeof bad_path, "%s/no-such-dir/m.safetensors", tmpdir);
    if (m != NULL)
      GS_CHECK (gs_model_save (m, bad_path, NULL, 0, &err) == GS_FAIL && contains (err.msg, "no-such-dir"),
                "model save into a missing directory: %s", err.msg);
    gs_model_free (m);
  }
  if (GS_CHECK (gs_file_read (path, 100, &data, &len, &err) == GS_OK, "read after failures: %s", err.msg))
    GS_CHECK (len == 12 && memcmp (data, "hello, world", 12) == 0, "old file changed by a failed write");
  free (data);
  data = NULL;
  GS_CHECK (count_dot_files (tmpdir) == 0, "temporary files left after failures");

  /* Reading refuses what is too large, and files that are not files. */
  GS_CHECK (gs_file_read (path, 5, &data, &len, &err) == GS_FAIL && contains (err.msg, "too large")
            && data == NULL, "max_bytes: %s", err.msg);
  GS_CHECK (gs_file_read (tmpdir, 100, &data, &len, &err) == GS_FAIL && contains (err.msg, "is a directory"),
            "read a directory: %s", err.msg);

  /* A relative path: the temporary file goes in the current directory. */
  {
    char cwd[512];
    if (getcwd (cwd, sizeof cwd) != NULL && chdir (tmpdir) == 0) {
      GS_CHECK (gs_file_write_atomic ("relative.txt", 3, parts, lens, &err) == GS_OK,
                "relative path: %s", err.msg);
      GS_CHECK (access ("relative.txt", F_OK) == 0, "relative file written");
      unlink ("relative.txt");
      GS_CHECK (chdir (cwd) == 0, "chdir back");
    }
  }
  GS_CHECK (gs_file_write_atomic ("", 3, parts, lens, &err) == GS_FAIL, "empty path refused");
}

/* --- main ---------------------------------------------------------------------------- */

static void
remove_tmpdir (void)
{
  DIR *d = opendir (tmpdir);
  struct dirent *e;
  char path[1024];

  if (d == NULL)
    return;
  while ((e = readdir (d)) != NULL) {
    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    snprintf (path, sizeof path, "%s/%s", tmpdir, e->d_name);
    unlink (path);
  }
  closedir (d);
  rmdir (tmpdir);
}

int
main (void)
{
  const char *base = getenv ("TMPDIR");

  snprintf (tmpdir, sizeof tmpdir, "%s/gs-test-safetensors-XXXXXX", base && *base ? base : "/tmp");
  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    return EXIT_FAILURE;
  }

  test_round_trips ();
  test_python_style_header ();
  test_pytorch_fixtures ();
  test_bad_headers ();
  test_dtypes ();
  test_bad_models ();
  test_mutations ();
  test_atomic_write ();

  remove_tmpdir ();
  return gs_test_finish ("safetensors");
}
