/* gs-torch-file.c — a torch.save archive of a state_dict, read without
 * running its pickle (see gs-torch-file.h).
 *
 * Three layers: the zip archive (stored entries only, zip64 sizes
 * understood), a pickle interpreter restricted to the opcodes and globals
 * of a state_dict that builds plain values, and the conversion of its
 * tensors into a GsSafetensors, which the model loader reads as it reads
 * a safetensors file. Every length and offset is checked against the
 * buffer before it is used; sizes are capped so that a hostile file costs
 * at most its own size in memory.
 */
#include "gs-torch-file.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-i18n.h"

/* --- the zip archive ----------------------------------------------------------------- */

#define ZIP_MAX_ENTRIES 65536

typedef struct {
  const char          *name;   /* not NUL-terminated */
  size_t               name_len;
  const unsigned char *data;
  size_t               size;
  int                  method; /* 0 stored */
} ZipEntry;

typedef struct {
  ZipEntry *entries;
  int       n;
} Zip;

static uint64_t
le (const unsigned char *p, int n)
{
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

bool
gs_torch_is_zip (const unsigned char *data, size_t len)
{
  return len >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4;
}

/* The zip64 extended information of a central directory entry: the fields
 * that are 0xFFFFFFFF in the entry, in the order uncompressed, compressed,
 * offset. */
static int
zip64_extra (const unsigned char *extra, size_t extra_len, uint64_t *usize, uint64_t *csize,
             uint64_t *offset)
{
  size_t pos = 0;

  while (pos + 4 <= extra_len) {
    uint64_t id = le (extra + pos, 2), size = le (extra + pos + 2, 2);
    const unsigned char *p = extra + pos + 4;
    size_t left = (size_t) size;
    if (pos + 4 + size > extra_len)
      return GS_FAIL;
    if (id == 1) {
      uint64_t *fields[3] = { usize, csize, offset };
      for (int i = 0; i < 3; i++) {
        if (*fields[i] != 0xFFFFFFFFu)
          continue;
        if (left < 8)
          return GS_FAIL;
        *fields[i] = le (p, 8);
        p += 8;
        left -= 8;
      }
      return GS_OK;
    }
    pos += 4 + (size_t) size;
  }
  return (*usize == 0xFFFFFFFFu || *csize == 0xFFFFFFFFu || *offset == 0xFFFFFFFFu) ? GS_FAIL : GS_OK;
}

static int
zip_open (Zip *z, const unsigned char *buf, size_t len, GsError *err)
{
  size_t eocd = SIZE_MAX, pos;
  uint64_t n_entries, cd_size, cd_offset;

  memset (z, 0, sizeof *z);
  if (len < 22)
    return gs_error_set (err, _("not a zip archive: too short"));
  /* The end record is in the last 22 + 65535 bytes (a comment may follow it). */
  for (size_t i = len - 22 + 1; i-- > 0 && len - i <= 22 + 65535;)
    if (le (buf + i, 4) == 0x06054b50u) {
      eocd = i;
      break;
    }
  if (eocd == SIZE_MAX)
    return gs_error_set (err, _("the zip archive has no end record (a truncated file?)"));
  n_entries = le (buf + eocd + 10, 2);
  cd_size = le (buf + eocd + 12, 4);
  cd_offset = le (buf + eocd + 16, 4);
  if (n_entries == 0xFFFFu || cd_size == 0xFFFFFFFFu || cd_offset == 0xFFFFFFFFu) {
    uint64_t z64;
    if (eocd < 20 || le (buf + eocd - 20, 4) != 0x07064b50u)
      return gs_error_set (err, _("the zip archive's zip64 end record is missing"));
    z64 = le (buf + eocd - 20 + 8, 8);
    if (z64 > len || len - z64 < 56 || le (buf + z64, 4) != 0x06064b50u)
      return gs_error_set (err, _("the zip archive's zip64 end record is damaged"));
    n_entries = le (buf + z64 + 32, 8);
    cd_size = le (buf + z64 + 40, 8);
    cd_offset = le (buf + z64 + 48, 8);
  }
  if (cd_offset > len || cd_size > len - cd_offset)
    return gs_error_set (err, _("the zip archive's directory lies outside the file"));
  if (n_entries > ZIP_MAX_ENTRIES)
    return gs_error_set (err, _("the zip archive has %" PRIu64 " entries; a model has far fewer"), n_entries);
  z->entries = calloc (n_entries > 0 ? (size_t) n_entries : 1, sizeof *z->entries);
  if (z->entries == NULL)
    return gs_error_set (err, _("out of memory"));

  pos = (size_t) cd_offset;
  for (uint64_t i = 0; i < n_entries; i++) {
    const unsigned char *c = buf + pos;
    uint64_t csize, usize, offset, name_len, extra_len, comment_len, lname, lextra, data;
    ZipEntry *e = &z->entries[z->n];

    if (pos > len || len - pos < 46 || le (c, 4) != 0x02014b50u)
      return gs_error_set (err, _("the zip archive's directory is damaged (entry %" PRIu64 ")"), i + 1);
    csize = le (c + 20, 4);
    usize = le (c + 24, 4);
    name_len = le (c + 28, 2);
    extra_len = le (c + 30, 2);
    comment_len = le (c + 32, 2);
    offset = le (c + 42, 4);
    if (len - pos - 46 < name_len + extra_len + comment_len)
      return gs_error_set (err, _("the zip archive's directory is damaged (entry %" PRIu64 ")"), i + 1);
    if (zip64_extra (c + 46 + name_len, (size_t) extra_len, &usize, &csize, &offset) != GS_OK)
      return gs_error_set (err, _("the zip archive's directory is damaged (entry %" PRIu64 ")"), i + 1);
    e->name = (const char *) c + 46;
    e->name_len = (size_t) name_len;
    e->method = (int) le (c + 10, 2);
    pos += 46 + (size_t) (name_len + extra_len + comment_len);

    /* The local header has its own name and extra lengths (PyTorch pads
     * the extra field to align the data). */
    if (offset > len || len - offset < 30 || le (buf + offset, 4) != 0x04034b50u)
      return gs_error_set (err, _("the zip entry %.*s has no local header"), (int) (name_len > 200 ? 200 : name_len), e->name);
    lname = le (buf + offset + 26, 2);
    lextra = le (buf + offset + 28, 2);
    data = offset + 30 + lname + lextra;
    if (data > len || csize > len - data)
      return gs_error_set (err, _("the zip entry %.*s lies outside the file (a truncated file?)"),
                           (int) (name_len > 200 ? 200 : name_len), e->name);
    if (e->method == 0 && csize != usize)
      return gs_error_set (err, _("the zip entry %.*s is damaged"), (int) (name_len > 200 ? 200 : name_len), e->name);
    e->data = buf + data;
    e->size = (size_t) csize;
    z->n++;
  }
  return GS_OK;
}

static const ZipEntry *
zip_find (const Zip *z, const char *dir, size_t dir_len, const char *name)
{
  size_t name_len = strlen (name);

  for (int i = 0; i < z->n; i++) {
    const ZipEntry *e = &z->entries[i];
    if (e->name_len == dir_len + name_len && memcmp (e->name, dir, dir_len) == 0
        && memcmp (e->name + dir_len, name, name_len) == 0)
      return e;
  }
  return NULL;
}

/* --- the pickle ---------------------------------------------------------------------- */

typedef enum {
  PV_NONE, PV_BOOL, PV_INT, PV_FLOAT, PV_STR, PV_TUPLE, PV_LIST, PV_DICT,
  PV_GLOBAL, PV_STORAGE, PV_TENSOR,
} PvKind;

/* The globals a state_dict names: nothing else is ever looked up. */
typedef enum {
  G_ORDERED_DICT, G_REBUILD_TENSOR_V2, G_REBUILD_PARAMETER, G_FLOAT_STORAGE, G_DOUBLE_STORAGE,
} PvGlobal;

static const struct {
  const char *module, *name;
} allowed_globals[] = {
  [G_ORDERED_DICT]      = { "collections", "OrderedDict" },
  [G_REBUILD_TENSOR_V2] = { "torch._utils", "_rebuild_tensor_v2" },
  [G_REBUILD_PARAMETER] = { "torch._utils", "_rebuild_parameter" },
  [G_FLOAT_STORAGE]     = { "torch", "FloatStorage" },
  [G_DOUBLE_STORAGE]    = { "torch", "DoubleStorage" },
};
#define N_ALLOWED ((int) (sizeof allowed_globals / sizeof allowed_globals[0]))

typedef struct {
  PvKind   kind;
  int64_t  i;          /* INT, BOOL; GLOBAL: its PvGlobal; STORAGE: element size */
  double   f;
  char    *s;          /* STR (NUL-terminated; may hold NULs before it); STORAGE: its key */
  size_t   s_len;
  int     *items;      /* TUPLE, LIST: values; DICT: key, value, key, value … */
  int      n, cap;
  /* TENSOR */
  int      storage;
  int64_t  offset;
  int      ndim;
  int64_t  shape[GS_ST_MAX_DIMS], stride[GS_ST_MAX_DIMS];
  int64_t  numel;      /* STORAGE: elements */
} PVal;

#define PK_MAX_VALUES  (1 << 22)
#define PK_MAX_STACK   (1 << 20)
#define PK_MAX_MARKS   4096
#define PK_MAX_MEMO    (1 << 22)

typedef struct {
  const char          *what;   /* the file, for messages */
  const unsigned char *p, *end, *start;
  PVal                *vals;
  int                  n_vals, cap_vals;
  int                 *stack;
  int                  sp, cap_stack;
  int                  marks[PK_MAX_MARKS];
  int                  n_marks;
  int                 *memo;
  int                  cap_memo;
  int                  n_memo;     /* entries set: MEMOIZE's next index */
  GsError             *err;
} Pk;

static void
pk_free (Pk *k)
{
  for (int i = 0; i < k->n_vals; i++) {
    free (k->vals[i].s);
    free (k->vals[i].items);
  }
  free (k->vals);
  free (k->stack);
  free (k->memo);
}

static int
pk_new (Pk *k, PvKind kind)
{
  if (k->n_vals == k->cap_vals) {
    int cap = k->cap_vals == 0 ? 256 : 2 * k->cap_vals;
    PVal *v;
    if (k->cap_vals >= PK_MAX_VALUES) {
      gs_error_set (k->err, _("the pickle builds too many values for a state_dict"));
      return -1;
    }
    v = realloc (k->vals, (size_t) cap * sizeof *v);
    if (v == NULL) {
      gs_error_set (k->err, _("out of memory"));
      return -1;
    }
    k->vals = v;
    k->cap_vals = cap;
  }
  memset (&k->vals[k->n_vals], 0, sizeof k->vals[0]);
  k->vals[k->n_vals].kind = kind;
  return k->n_vals++;
}

static int
pk_push (Pk *k, int v)
{
  if (v < 0)
    return GS_FAIL;
  if (k->sp == k->cap_stack) {
    int cap = k->cap_stack == 0 ? 256 : 2 * k->cap_stack;
    int *s;
    if (k->cap_stack >= PK_MAX_STACK)
      return gs_error_set (k->err, _("the pickle's stack grows too deep for a state_dict"));
    s = realloc (k->stack, (size_t) cap * sizeof *s);
    if (s == NULL)
      return gs_error_set (k->err, _("out of memory"));
    k->stack = s;
    k->cap_stack = cap;
  }
  k->stack[k->sp++] = v;
  return GS_OK;
}

static int
pk_pop (Pk *k)
{
  if (k->sp == 0 || (k->n_marks > 0 && k->sp <= k->marks[k->n_marks - 1])) {
    gs_error_set (k->err, _("the pickle is damaged: it takes a value from an empty stack"));
    return -1;
  }
  return k->stack[--k->sp];
}

static int
pv_append (Pk *k, int container, int item)
{
  PVal *c = &k->vals[container];
  if (c->n == c->cap) {
    int cap = c->cap == 0 ? 8 : 2 * c->cap;
    int *items = realloc (c->items, (size_t) cap * sizeof *items);
    if (items == NULL)
      return gs_error_set (k->err, _("out of memory"));
    c->items = items;
    c->cap = cap;
  }
  c->items[c->n++] = item;
  return GS_OK;
}

/* A tuple of the stack's values from position from to the top. */
static int
pk_tuple_from (Pk *k, int from)
{
  int t = pk_new (k, PV_TUPLE);
  if (t < 0)
    return GS_FAIL;
  for (int i = from; i < k->sp; i++)
    if (pv_append (k, t, k->stack[i]) != GS_OK)
      return GS_FAIL;
  k->sp = from;
  return pk_push (k, t);
}

static int
pk_pop_mark (Pk *k)
{
  if (k->n_marks == 0) {
    gs_error_set (k->err, _("the pickle is damaged: a mark is missing"));
    return -1;
  }
  return k->marks[--k->n_marks];
}

static bool
pk_need (Pk *k, size_t n)
{
  if ((size_t) (k->end - k->p) < n) {
    gs_error_set (k->err, _("the pickle ends in the middle of an instruction (a truncated file?)"));
    return false;
  }
  return true;
}

static int
pk_str (Pk *k, size_t n)
{
  int v;
  if (!pk_need (k, n))
    return -1;
  v = pk_new (k, PV_STR);
  if (v < 0)
    return -1;
  k->vals[v].s = malloc (n + 1);
  if (k->vals[v].s == NULL) {
    gs_error_set (k->err, _("out of memory"));
    return -1;
  }
  memcpy (k->vals[v].s, k->p, n);
  k->vals[v].s[n] = '\0';
  k->vals[v].s_len = n;
  k->p += n;
  return v;
}

static int
pk_int (Pk *k, int64_t x)
{
  int v = pk_new (k, PV_INT);
  if (v >= 0)
    k->vals[v].i = x;
  return v;
}

static int
memo_put (Pk *k, uint64_t key)
{
  if (k->sp == 0)
    return gs_error_set (k->err, _("the pickle is damaged: it memoizes an empty stack"));
  if (key >= PK_MAX_MEMO)
    return gs_error_set (k->err, _("the pickle's memo index %" PRIu64 " is too large"), key);
  if (key >= (uint64_t) k->cap_memo) {
    int cap = k->cap_memo == 0 ? 256 : k->cap_memo;
    int *m;
    while ((uint64_t) cap <= key)
      cap *= 2;
    m = realloc (k->memo, (size_t) cap * sizeof *m);
    if (m == NULL)
      return gs_error_set (k->err, _("out of memory"));
    for (int i = k->cap_memo; i < cap; i++)
      m[i] = -1;
    k->memo = m;
    k->cap_memo = cap;
  }
  if (k->memo[key] < 0)
    k->n_memo++;
  k->memo[key] = k->stack[k->sp - 1];
  return GS_OK;
}

static int
memo_get (Pk *k, uint64_t key)
{
  if (key >= (uint64_t) k->cap_memo || k->memo[key] < 0)
    return gs_error_set (k->err, _("the pickle is damaged: memo entry %" PRIu64 " is not set"), key);
  return pk_push (k, k->memo[key]);
}

/* module.name is one of the allowed globals, or the message says what it is. */
static int
pk_global (Pk *k, const char *module, const char *name)
{
  int v;

  for (int g = 0; g < N_ALLOWED; g++)
    if (strcmp (module, allowed_globals[g].module) == 0 && strcmp (name, allowed_globals[g].name) == 0) {
      v = pk_new (k, PV_GLOBAL);
      if (v < 0)
        return GS_FAIL;
      k->vals[v].i = g;
      return pk_push (k, v);
    }
  /* A class (by Python's naming) is most likely the student's nn.Module,
   * pickled whole by torch.save (model). */
  if (strcmp (module, "__main__") == 0 || strncmp (module, "torch.nn", 8) == 0
      || (name[0] >= 'A' && name[0] <= 'Z' && strncmp (module, "torch", 5) != 0))
    return gs_error_set (k->err, _("it holds a pickled object of class %.80s.%.80s (a whole model?), not a "
                                   "state_dict; in PyTorch, save model.state_dict() instead; nothing in it "
                                   "was run"), module, name);
  if (strcmp (module, "torch") == 0 && strstr (name, "Storage") != NULL)
    return gs_error_set (k->err, _("it holds tensors of type %.80s; Gatescope reads float32 and float64 "
                                   "(convert with model.float() before saving)"), name);
  return gs_error_set (k->err, _("its pickle asks for %.80s.%.80s, which a state_dict never does; "
                                 "nothing in it was run"), module, name);
}

static bool
is_int (const PVal *v)
{
  return v->kind == PV_INT || v->kind == PV_BOOL;
}

/* A tuple of at most GS_ST_MAX_DIMS non-negative integers into dims. */
static int
int_tuple (Pk *k, int t, int64_t *dims, int *n, const char *what)
{
  const PVal *v = &k->vals[t];
  if (v->kind != PV_TUPLE || v->n > GS_ST_MAX_DIMS)
    return gs_error_set (k->err, _("a tensor's %s is not a tuple of at most %d numbers"), what, GS_ST_MAX_DIMS);
  for (int i = 0; i < v->n; i++) {
    const PVal *x = &k->vals[v->items[i]];
    if (!is_int (x) || x->i < 0 || x->i > INT32_MAX)
      return gs_error_set (k->err, _("a tensor's %s holds a value that is not a size"), what);
    dims[i] = x->i;
  }
  *n = v->n;
  return GS_OK;
}

/* REDUCE: calls one of the allowed globals with args — by building a value. */
static int
pk_reduce (Pk *k, int fn, int args)
{
  const PVal *f = &k->vals[fn], *a = &k->vals[args];

  if (f->kind != PV_GLOBAL || a->kind != PV_TUPLE)
    return gs_error_set (k->err, _("the pickle calls something that is not a known function"));
  switch ((PvGlobal) f->i) {
  case G_ORDERED_DICT:
    if (a->n != 0)
      return gs_error_set (k->err, _("the pickle builds an OrderedDict from arguments"));
    return pk_push (k, pk_new (k, PV_DICT));
  case G_REBUILD_TENSOR_V2: {
    /* (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]) */
    int t, ndim_s = 0;
    PVal *tv;
    if (a->n != 6 && a->n != 7)
      return gs_error_set (k->err, _("_rebuild_tensor_v2 gets %d arguments; expected 6 or 7"), a->n);
    if (k->vals[a->items[0]].kind != PV_STORAGE || !is_int (&k->vals[a->items[1]])
        || k->vals[a->items[1]].i < 0)
      return gs_error_set (k->err, _("_rebuild_tensor_v2 gets arguments that are not a tensor's"));
    t = pk_new (k, PV_TENSOR);
    if (t < 0)
      return GS_FAIL;
    a = &k->vals[args];   /* pk_new may move the values */
    tv = &k->vals[t];
    tv->storage = a->items[0];
    tv->offset = k->vals[a->items[1]].i;
    if (int_tuple (k, a->items[2], tv->shape, &tv->ndim, "size") != GS_OK
        || int_tuple (k, a->items[3], tv->stride, &ndim_s, "stride") != GS_OK)
      return GS_FAIL;
    if (ndim_s != tv->ndim)
      return gs_error_set (k->err, _("a tensor has %d sizes but %d strides"), tv->ndim, ndim_s);
    return pk_push (k, t);
  }
  case G_REBUILD_PARAMETER:
    /* (data, requires_grad, backward_hooks): the tensor itself */
    if (a->n != 3 || k->vals[a->items[0]].kind != PV_TENSOR)
      return gs_error_set (k->err, _("_rebuild_parameter gets arguments that are not a parameter's"));
    return pk_push (k, a->items[0]);
  case G_FLOAT_STORAGE:
  case G_DOUBLE_STORAGE:
  default:
    return gs_error_set (k->err, _("the pickle calls a storage type as a function"));
  }
}

/* BINPERSID: ("storage", storage type, key, location, numel). */
static int
pk_persistent (Pk *k, int pid)
{
  const PVal *t = &k->vals[pid];
  const PVal *tag, *type, *key, *numel;
  int v;

  if (t->kind != PV_TUPLE || t->n != 5)
    return gs_error_set (k->err, _("the pickle refers to an outside object that is not a tensor's storage"));
  tag = &k->vals[t->items[0]];
  type = &k->vals[t->items[1]];
  key = &k->vals[t->items[2]];
  numel = &k->vals[t->items[4]];
  if (tag->kind != PV_STR || strcmp (tag->s, "storage") != 0 || type->kind != PV_GLOBAL
      || (type->i != G_FLOAT_STORAGE && type->i != G_DOUBLE_STORAGE) || key->kind != PV_STR
      || key->s_len == 0 || key->s_len > 64 || strchr (key->s, '/') != NULL
      || !is_int (numel) || numel->i < 0)
    return gs_error_set (k->err, _("the pickle refers to an outside object that is not a tensor's storage"));
  v = pk_new (k, PV_STORAGE);
  if (v < 0)
    return GS_FAIL;
  t = &k->vals[pid];
  k->vals[v].i = k->vals[t->items[1]].i == G_FLOAT_STORAGE ? 4 : 8;
  k->vals[v].numel = k->vals[t->items[4]].i;
  k->vals[v].s = strdup (k->vals[t->items[2]].s);
  if (k->vals[v].s == NULL)
    return gs_error_set (k->err, _("out of memory"));
  k->vals[v].s_len = strlen (k->vals[v].s);
  return pk_push (k, v);
}

/* Runs the restricted interpreter to STOP; *result is the value built. */
static int
pk_run (Pk *k, int *result)
{
  while (k->p < k->end) {
    unsigned char op = *k->p++;
    size_t at = (size_t) (k->p - k->start) - 1;
    int a, b, m, v;
    uint64_t n;

    switch (op) {
    case 0x80:   /* PROTO */
      if (!pk_need (k, 1))
        return GS_FAIL;
      if (*k->p > 5)
        return gs_error_set (k->err, _("the pickle uses protocol %d, which is newer than this reader"), *k->p);
      k->p++;
      break;
    case 0x95:   /* FRAME: a length hint */
      if (!pk_need (k, 8))
        return GS_FAIL;
      k->p += 8;
      break;
    case '.':    /* STOP */
      if (k->sp != 1 || k->n_marks != 0)
        return gs_error_set (k->err, _("the pickle is damaged: it stops with %d values left"), k->sp);
      *result = k->stack[0];
      return GS_OK;
    case '(':    /* MARK */
      if (k->n_marks == PK_MAX_MARKS)
        return gs_error_set (k->err, _("the pickle nests too deeply for a state_dict"));
      k->marks[k->n_marks++] = k->sp;
      break;
    case '0':    /* POP */
      if (pk_pop (k) < 0)
        return GS_FAIL;
      break;
    case '1':    /* POP_MARK */
      if ((m = pk_pop_mark (k)) < 0)
        return GS_FAIL;
      k->sp = m;
      break;
    case '2':    /* DUP */
      if ((v = pk_pop (k)) < 0 || pk_push (k, v) != GS_OK || pk_push (k, v) != GS_OK)
        return GS_FAIL;
      break;
    case 'N':
      if (pk_push (k, pk_new (k, PV_NONE)) != GS_OK)
        return GS_FAIL;
      break;
    case 0x88:   /* NEWTRUE */
    case 0x89:   /* NEWFALSE */
      v = pk_new (k, PV_BOOL);
      if (v < 0)
        return GS_FAIL;
      k->vals[v].i = op == 0x88;
      if (pk_push (k, v) != GS_OK)
        return GS_FAIL;
      break;
    case 'K':    /* BININT1 */
    case 'M':    /* BININT2 */
    case 'J':    /* BININT */
      n = op == 'K' ? 1 : op == 'M' ? 2 : 4;
      if (!pk_need (k, n))
        return GS_FAIL;
      {
        int64_t x = (int64_t) le (k->p, (int) n);
        if (op == 'J')
          x = (int32_t) (uint32_t) x;
        k->p += n;
        if (pk_push (k, pk_int (k, x)) != GS_OK)
          return GS_FAIL;
      }
      break;
    case 0x8a:   /* LONG1: n little-endian two's-complement bytes */
      if (!pk_need (k, 1))
        return GS_FAIL;
      n = *k->p++;
      if (n > 8)
        return gs_error_set (k->err, _("the pickle holds an integer too large for a tensor"));
      if (!pk_need (k, n))
        return GS_FAIL;
      {
        uint64_t u = le (k->p, (int) n);
        int64_t x = (int64_t) u;
        if (n > 0 && n < 8 && (k->p[n - 1] & 0x80))
          x = (int64_t) (u | (~(uint64_t) 0 << (8 * n)));
        k->p += n;
        if (pk_push (k, pk_int (k, x)) != GS_OK)
          return GS_FAIL;
      }
      break;
    case 'G':    /* BINFLOAT: big-endian double */
      if (!pk_need (k, 8))
        return GS_FAIL;
      {
        uint64_t u = 0;
        double d;
        for (int i = 0; i < 8; i++)
          u = (u << 8) | k->p[i];
        memcpy (&d, &u, sizeof d);
        k->p += 8;
        v = pk_new (k, PV_FLOAT);
        if (v < 0)
          return GS_FAIL;
        k->vals[v].f = d;
        if (pk_push (k, v) != GS_OK)
          return GS_FAIL;
      }
      break;
    case 'X':    /* BINUNICODE */
    case 0x8c:   /* SHORT_BINUNICODE */
    case 0x8d:   /* BINUNICODE8 */
    case 'T':    /* BINSTRING */
    case 'U':    /* SHORT_BINSTRING */
    case 'B':    /* BINBYTES */
    case 'C':    /* SHORT_BINBYTES */
      n = (op == 0x8c || op == 'U' || op == 'C') ? 1 : op == 0x8d ? 8 : 4;
      if (!pk_need (k, n))
        return GS_FAIL;
      {
        uint64_t len = le (k->p, (int) n);
        k->p += n;
        if (len > (uint64_t) (k->end - k->p))
          return gs_error_set (k->err, _("the pickle ends in the middle of an instruction (a truncated file?)"));
        if (pk_push (k, pk_str (k, (size_t) len)) != GS_OK)
          return GS_FAIL;
      }
      break;
    case 'c':    /* GLOBAL "module\nname\n" */
      {
        const unsigned char *nl1 = memchr (k->p, '\n', (size_t) (k->end - k->p)), *nl2;
        char module[128], name[128];
        if (nl1 == NULL || (nl2 = memchr (nl1 + 1, '\n', (size_t) (k->end - nl1 - 1))) == NULL)
          return gs_error_set (k->err, _("the pickle ends in the middle of an instruction (a truncated file?)"));
        snprintf (module, sizeof module, "%.*s", (int) (nl1 - k->p > 120 ? 120 : nl1 - k->p), k->p);
        snprintf (name, sizeof name, "%.*s", (int) (nl2 - nl1 - 1 > 120 ? 120 : nl2 - nl1 - 1), nl1 + 1);
        k->p = nl2 + 1;
        if (pk_global (k, module, name) != GS_OK)
          return GS_FAIL;
      }
      break;
    case 0x93:   /* STACK_GLOBAL */
      if ((b = pk_pop (k)) < 0 || (a = pk_pop (k)) < 0)
        return GS_FAIL;
      if (k->vals[a].kind != PV_STR || k->vals[b].kind != PV_STR)
        return gs_error_set (k->err, _("the pickle names a global by something other than text"));
      if (pk_global (k, k->vals[a].s, k->vals[b].s) != GS_OK)
        return GS_FAIL;
      break;
    case 'q':    /* BINPUT */
    case 'r':    /* LONG_BINPUT */
      n = op == 'q' ? 1 : 4;
      if (!pk_need (k, n) || memo_put (k, le (k->p, (int) n)) != GS_OK)
        return GS_FAIL;
      k->p += n;
      break;
    case 0x94:   /* MEMOIZE */
      if (memo_put (k, (uint64_t) k->n_memo) != GS_OK)
        return GS_FAIL;
      break;
    case 'h':    /* BINGET */
    case 'j':    /* LONG_BINGET */
      n = op == 'h' ? 1 : 4;
      if (!pk_need (k, n) || memo_get (k, le (k->p, (int) n)) != GS_OK)
        return GS_FAIL;
      k->p += n;
      break;
    case ')':    /* EMPTY_TUPLE */
      if (pk_push (k, pk_new (k, PV_TUPLE)) != GS_OK)
        return GS_FAIL;
      break;
    case 0x85:   /* TUPLE1 */
    case 0x86:   /* TUPLE2 */
    case 0x87:   /* TUPLE3 */
      n = op - 0x84;
      if ((uint64_t) k->sp < n || (k->n_marks > 0 && (uint64_t) (k->sp - k->marks[k->n_marks - 1]) < n))
        return gs_error_set (k->err, _("the pickle is damaged: it takes a value from an empty stack"));
      if (pk_tuple_from (k, k->sp - (int) n) != GS_OK)
        return GS_FAIL;
      break;
    case 't':    /* TUPLE */
      if ((m = pk_pop_mark (k)) < 0 || pk_tuple_from (k, m) != GS_OK)
        return GS_FAIL;
      break;
    case ']':    /* EMPTY_LIST */
    case '}':    /* EMPTY_DICT */
      if (pk_push (k, pk_new (k, op == ']' ? PV_LIST : PV_DICT)) != GS_OK)
        return GS_FAIL;
      break;
    case 'l':    /* LIST */
    case 'd':    /* DICT */
      if ((m = pk_pop_mark (k)) < 0)
        return GS_FAIL;
      if (op == 'd' && (k->sp - m) % 2 != 0)
        return gs_error_set (k->err, _("the pickle is damaged: a dictionary has a key without a value"));
      v = pk_new (k, op == 'l' ? PV_LIST : PV_DICT);
      if (v < 0)
        return GS_FAIL;
      for (int i = m; i < k->sp; i++)
        if (pv_append (k, v, k->stack[i]) != GS_OK)
          return GS_FAIL;
      k->sp = m;
      if (pk_push (k, v) != GS_OK)
        return GS_FAIL;
      break;
    case 'a':    /* APPEND */
    case 'e':    /* APPENDS */
    case 's':    /* SETITEM */
    case 'u':    /* SETITEMS */
      {
        int from, target;
        bool dict = op == 's' || op == 'u';
        if (op == 'a' || op == 's') {
          from = k->sp - (op == 'a' ? 1 : 2);
          if (from < 1 || (k->n_marks > 0 && from - 1 < k->marks[k->n_marks - 1]))
            return gs_error_set (k->err, _("the pickle is damaged: it takes a value from an empty stack"));
        } else {
          if ((from = pk_pop_mark (k)) < 0)
            return GS_FAIL;
          if (from < 1)
            return gs_error_set (k->err, _("the pickle is damaged: it takes a value from an empty stack"));
        }
        target = k->stack[from - 1];
        if (k->vals[target].kind != (dict ? PV_DICT : PV_LIST))
          return gs_error_set (k->err, _("the pickle is damaged: it adds items to something that is not a %s"),
                               dict ? "dict" : "list");
        if (dict && (k->sp - from) % 2 != 0)
          return gs_error_set (k->err, _("the pickle is damaged: a dictionary has a key without a value"));
        for (int i = from; i < k->sp; i++)
          if (pv_append (k, target, k->stack[i]) != GS_OK)
            return GS_FAIL;
        k->sp = from;
      }
      break;
    case 'R':    /* REDUCE */
      if ((b = pk_pop (k)) < 0 || (a = pk_pop (k)) < 0 || pk_reduce (k, a, b) != GS_OK)
        return GS_FAIL;
      break;
    case 'b':    /* BUILD: only an OrderedDict's attributes (its _metadata), dropped */
      if ((b = pk_pop (k)) < 0)
        return GS_FAIL;
      if (k->sp == 0 || (k->n_marks > 0 && k->sp <= k->marks[k->n_marks - 1])
          || k->vals[k->stack[k->sp - 1]].kind != PV_DICT || k->vals[b].kind != PV_DICT)
        return gs_error_set (k->err, _("the pickle sets the state of an object that is not a state_dict"));
      break;
    case 'Q':    /* BINPERSID */
      if ((a = pk_pop (k)) < 0 || pk_persistent (k, a) != GS_OK)
        return GS_FAIL;
      break;
    default:
      if (op >= 0x20 && op < 0x7f)
        return gs_error_set (k->err, _("its pickle uses instruction '%c' (at byte %zu), which a state_dict "
                                       "never does; nothing in it was run"), op, at);
      return gs_error_set (k->err, _("its pickle uses instruction 0x%02x (at byte %zu), which a state_dict "
                                     "never does; nothing in it was run"), op, at);
    }
  }
  return gs_error_set (k->err, _("the pickle ends without a STOP instruction (a truncated file?)"));
}

/* --- from values to tensors ---------------------------------------------------------- */

static bool
is_tensor_dict (const Pk *k, const PVal *d)
{
  if (d->kind != PV_DICT)
    return false;
  for (int i = 0; i + 1 < d->n; i += 2)
    if (k->vals[d->items[i]].kind != PV_STR || k->vals[d->items[i + 1]].kind != PV_TENSOR)
      return false;
  return true;
}

static const char *
kind_name (PvKind kind)
{
  static const char *const names[] = {
    "None", "bool", "int", "float", "str", "tuple", "list", "dict", "function", "storage", "tensor",
  };
  return names[kind];
}

/* The state_dict: the top value, or a checkpoint's "state_dict",
 * "model_state_dict" or "model" entry. */
static const PVal *
find_state_dict (Pk *k, int top)
{
  static const char *const keys[] = { "state_dict", "model_state_dict", "model" };
  const PVal *d = &k->vals[top];
  char found[256] = "";

  if (is_tensor_dict (k, d))
    return d;
  if (d->kind != PV_DICT) {
    gs_error_set (k->err, _("it holds a %s, not a state_dict (a dict of tensors)"), kind_name (d->kind));
    return NULL;
  }
  for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
    for (int i = 0; i + 1 < d->n; i += 2) {
      const PVal *key = &k->vals[d->items[i]];
      if (key->kind == PV_STR && strcmp (key->s, keys[j]) == 0
          && is_tensor_dict (k, &k->vals[d->items[i + 1]]))
        return &k->vals[d->items[i + 1]];
    }
  for (int i = 0; i + 1 < d->n && strlen (found) < 180; i += 2) {
    const PVal *key = &k->vals[d->items[i]];
    size_t len = strlen (found);
    snprintf (found + len, sizeof found - len, "%s%.40s (%s)", i > 0 ? ", " : "",
              key->kind == PV_STR ? key->s : "?", kind_name (k->vals[d->items[i + 1]].kind));
  }
  gs_error_set (k->err, _("it holds a dict that is not a state_dict and has none under \"state_dict\", "
                          "\"model_state_dict\" or \"model\"; found: %s"), found);
  return NULL;
}

/* One tensor's elements, gathered by its strides into out (contiguous). */
static int
gather (Pk *k, const char *name, const PVal *t, const PVal *storage, const ZipEntry *e,
        unsigned char *out, size_t numel)
{
  const size_t es = (size_t) storage->i;
  int64_t last = t->offset;
  int64_t idx[GS_ST_MAX_DIMS] = { 0 };

  if ((uint64_t) storage->numel > e->size / es)
    return gs_error_set (k->err, _("tensor %.80s: its storage says %" PRId64 " elements but holds %zu bytes"),
                         name, storage->numel, e->size);
  if (numel > 0)
    for (int d = 0; d < t->ndim; d++)
      last += (t->shape[d] - 1) * t->stride[d];
  if (numel > 0 && (t->offset >= storage->numel || last >= storage->numel))
    return gs_error_set (k->err, _("tensor %.80s reaches past the end of its storage"), name);
  for (size_t i = 0; i < numel; i++) {
    int64_t at = t->offset;
    for (int d = 0; d < t->ndim; d++)
      at += idx[d] * t->stride[d];
    memcpy (out + i * es, e->data + (size_t) at * es, es);
    for (int d = t->ndim - 1; d >= 0; d--) {
      if (++idx[d] < t->shape[d])
        break;
      idx[d] = 0;
    }
  }
  return GS_OK;
}

static GsSafetensors *
to_safetensors (Pk *k, const Zip *z, const char *dir, size_t dir_len, const PVal *sd)
{
  GsSafetensors *st = calloc (1, sizeof *st);
  size_t total = 0, pos = 0;
  int n = sd->n / 2;

  if (st == NULL) {
    gs_error_set (k->err, _("out of memory"));
    return NULL;
  }
  if (n > GS_TORCH_MAX_TENSORS) {
    gs_error_set (k->err, _("it holds %d tensors; a model has far fewer"), n);
    goto fail;
  }
  /* Sizes first, with their checks. */
  for (int i = 0; i < n; i++) {
    const PVal *t = &k->vals[sd->items[2 * i + 1]];
    const PVal *s = &k->vals[t->storage];
    uint64_t numel = 1;
    for (int d = 0; d < t->ndim; d++) {
      numel *= (uint64_t) t->shape[d];
      if (numel > GS_ST_MAX_FILE)
        break;
    }
    if (numel > GS_ST_MAX_FILE / (uint64_t) s->i || total + numel * (uint64_t) s->i > GS_ST_MAX_FILE) {
      gs_error_set (k->err, _("tensor %.80s is too large"), k->vals[sd->items[2 * i]].s);
      goto fail;
    }
    total += (size_t) numel * (size_t) s->i;
  }
  st->tensors = calloc (n > 0 ? (size_t) n : 1, sizeof *st->tensors);
  st->buf = malloc (total + 1);
  if (st->tensors == NULL || st->buf == NULL) {
    gs_error_set (k->err, _("out of memory"));
    goto fail;
  }
  st->len = total;
  for (int i = 0; i < n; i++) {
    const char *name = k->vals[sd->items[2 * i]].s;
    const PVal *t = &k->vals[sd->items[2 * i + 1]];
    const PVal *s = &k->vals[t->storage];
    char entry[96];
    const ZipEntry *e;
    GsStTensor *out = &st->tensors[i];
    size_t numel = 1;

    for (int d = 0; d < t->ndim; d++)
      numel *= (size_t) t->shape[d];
    snprintf (entry, sizeof entry, "data/%s", s->s);
    e = zip_find (z, dir, dir_len, entry);
    if (e == NULL) {
      gs_error_set (k->err, _("tensor %.80s: the archive has no entry %.*s%s"), name, (int) dir_len, dir, entry);
      goto fail;
    }
    if (e->method != 0) {
      gs_error_set (k->err, _("tensor %.80s: its data is compressed; torch.save stores it uncompressed"), name);
      goto fail;
    }
    if (gs_st_find (st, name) != NULL) {
      gs_error_set (k->err, _("tensor %.80s appears twice"), name);
      goto fail;
    }
    if (gather (k, name, t, s, e, st->buf + pos, numel) != GS_OK)
      goto fail;
    out->name = strdup (name);
    if (out->name == NULL) {
      gs_error_set (k->err, _("out of memory"));
      goto fail;
    }
    st->n_tensors++;
    out->dtype = s->i == 4 ? GS_DT_F32 : GS_DT_F64;
    out->dtype_name = s->i == 4 ? "F32" : "F64";
    out->ndim = t->ndim;
    for (int d = 0; d < t->ndim; d++)
      out->shape[d] = t->shape[d];
    out->numel = numel;
    out->data = st->buf + pos;
    out->nbytes = numel * (size_t) s->i;
    pos += out->nbytes;
  }
  return st;

fail:
  gs_st_free (st);
  return NULL;
}

GsSafetensors *
gs_torch_parse_owned (unsigned char *buf, size_t len, GsError *err)
{
  Zip z;
  Pk k;
  const ZipEntry *pkl = NULL, *order;
  size_t dir_len = 0;
  GsSafetensors *st = NULL;
  const PVal *sd;
  int top = -1;

  memset (&k, 0, sizeof k);
  k.err = err;
  if (zip_open (&z, buf, len, err) != GS_OK)
    goto out;
  /* The archive's one <dir>/data.pkl. */
  for (int i = 0; i < z.n; i++) {
    const ZipEntry *e = &z.entries[i];
    if (e->name_len >= 9 && memcmp (e->name + e->name_len - 9, "/data.pkl", 9) == 0
        && memchr (e->name, '/', e->name_len - 9) == NULL) {
      if (pkl != NULL) {
        gs_error_set (err, _("the archive holds more than one data.pkl"));
        goto out;
      }
      pkl = e;
      dir_len = e->name_len - 8;
    }
  }
  if (pkl == NULL) {
    gs_error_set (err, _("a zip archive, but not one torch.save wrote (it has no data.pkl)"));
    goto out;
  }
  if (pkl->method != 0 || pkl->size > GS_TORCH_MAX_PICKLE) {
    gs_error_set (err, pkl->method != 0 ? _("its data.pkl is compressed; torch.save stores it uncompressed")
                                        : _("its data.pkl is too large for a state_dict"));
    goto out;
  }
  order = zip_find (&z, pkl->name, dir_len, "byteorder");
  if (order != NULL && !(order->size == 6 && memcmp (order->data, "little", 6) == 0)) {
    gs_error_set (err, _("its tensors are not little-endian"));
    goto out;
  }

  k.start = k.p = pkl->data;
  k.end = pkl->data + pkl->size;
  if (pk_run (&k, &top) != GS_OK)
    goto out;
  sd = find_state_dict (&k, top);
  if (sd == NULL)
    goto out;
  st = to_safetensors (&k, &z, pkl->name, dir_len, sd);

out:
  pk_free (&k);
  free (z.entries);
  free (buf);
  return st;
}

GsSafetensors *
gs_torch_parse (const unsigned char *data, size_t len, GsError *err)
{
  unsigned char *buf = malloc (len + 1);

  if (buf == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  if (len > 0)
    memcpy (buf, data, len);
  return gs_torch_parse_owned (buf, len, err);
}
