/* gs-safetensors.c — the safetensors format, and models stored in it.
 *
 * (Models stored in it: gs-model-file.c.)
 *
 * A file is
 *
 *   u64 LE   N                     header length
 *   N bytes  JSON                  {"name": {"dtype", "shape", "data_offsets"}, …,
 *                                   "__metadata__": {"key": "value", …}}
 *   rest     data section          raw little-endian tensor bytes;
 *                                   data_offsets are relative to its start
 *
 * Everything read from a file is distrusted: every length, offset and shape
 * is checked before a byte of tensor data is touched, and every failure
 * names what was wrong (and the tensor) in the caller's GsError.
 */
#include "gs-safetensors.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs-file.h"
#include "gs-i18n.h"

/* Largest integer a JSON number (an IEEE double in cJSON) holds exactly. */
#define JSON_MAX_INT (UINT64_C (1) << 53)

/* Tensor names in messages are cut here: a hostile file may name a tensor
 * with a megabyte of text. */

/* --- dtypes ----------------------------------------------------------------- */

typedef struct {
  const char *name;
  GsDtype     dtype;
  size_t      size;   /* bytes per element */
} DtypeInfo;

/* The dtypes of the safetensors specification that have a whole number of
 * bytes per element. Only the first four can be read as numbers. */
static const DtypeInfo dtypes[] = {
  { "F32",     GS_DT_F32,   4 },
  { "F64",     GS_DT_F64,   8 },
  { "I32",     GS_DT_I32,   4 },
  { "I64",     GS_DT_I64,   8 },
  { "BF16",    GS_DT_OTHER, 2 },
  { "F16",     GS_DT_OTHER, 2 },
  { "F8_E4M3", GS_DT_OTHER, 1 },
  { "F8_E5M2", GS_DT_OTHER, 1 },
  { "I8",      GS_DT_OTHER, 1 },
  { "U8",      GS_DT_OTHER, 1 },
  { "BOOL",    GS_DT_OTHER, 1 },
  { "I16",     GS_DT_OTHER, 2 },
  { "U16",     GS_DT_OTHER, 2 },
  { "U32",     GS_DT_OTHER, 4 },
  { "U64",     GS_DT_OTHER, 8 },
};

static const DtypeInfo *
dtype_lookup (const char *name)
{
  for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
    if (strcmp (dtypes[i].name, name) == 0)
      return &dtypes[i];
  return NULL;
}

/* --- little-endian bytes ----------------------------------------------------- */

static uint32_t
le32 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint64_t
le64 (const unsigned char *p)
{
  return (uint64_t) le32 (p) | (uint64_t) le32 (p + 4) << 32;
}

static void
put_le64 (unsigned char *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char) (v >> (8 * i));
}

static int
host_is_little_endian (void)
{
  const uint32_t one = 1;
  unsigned char b;
  memcpy (&b, &one, 1);
  return b == 1;
}

/* "[3, 4]" into buf. */
const char *
gs_st_format_shape (char *buf, size_t size, const int64_t *shape, int ndim)
{
  size_t used = 0;

  used += (size_t) snprintf (buf, size, "[");
  for (int d = 0; d < ndim && used < size; d++)
    used += (size_t) snprintf (buf + used, size - used, "%s%" PRId64, d > 0 ? ", " : "", shape[d]);
  if (used < size)
    snprintf (buf + used, size - used, "]");
  return buf;
}

/* --- parsing ----------------------------------------------------------------- */

typedef enum { IDX_OK, IDX_NOT_INTEGER, IDX_NEGATIVE, IDX_TOO_LARGE } IndexStatus;

/* A JSON number that is a non-negative integer no larger than JSON_MAX_INT. */
static IndexStatus
json_index (const cJSON *item, uint64_t *out)
{
  double v;

  if (!cJSON_IsNumber (item))
    return IDX_NOT_INTEGER;
  v = item->valuedouble;
  if (!isfinite (v) || v != floor (v))
    return IDX_NOT_INTEGER;
  if (v < 0)
    return IDX_NEGATIVE;
  if (v > (double) JSON_MAX_INT)
    return IDX_TOO_LARGE;
  *out = (uint64_t) v;
  return IDX_OK;
}

static int
parse_tensor (GsStTensor *t, uint64_t *begin_out, const cJSON *entry,
              const unsigned char *data_section, uint64_t data_len, GsError *err)
{
  const char *name = entry->string;
  const cJSON *dtype, *shape, *offsets, *item;
  const DtypeInfo *info;
  uint64_t numel = 1, nbytes, begin, end;
  int ndim, has_zero = 0;
  char sbuf[128];

  if (!cJSON_IsObject (entry))
    return gs_error_set (err, _("the header entry for tensor %.80s is not an object"), name);

  /* dtype */
  dtype = cJSON_GetObjectItemCaseSensitive (entry, "dtype");
  if (dtype == NULL)
    return gs_error_set (err, _("tensor %.80s has no dtype"), name);
  if (!cJSON_IsString (dtype) || dtype->valuestring == NULL)
    return gs_error_set (err, _("the dtype of tensor %.80s is not a string"), name);
  info = dtype_lookup (dtype->valuestring);
  if (info == NULL)
    return gs_error_set (err, _("tensor %.80s has unknown dtype \"%.16s\""),
                         name, dtype->valuestring);

  /* shape: at most GS_ST_MAX_DIMS non-negative integers */
  shape = cJSON_GetObjectItemCaseSensitive (entry, "shape");
  if (shape == NULL)
    return gs_error_set (err, _("tensor %.80s has no shape"), name);
  if (!cJSON_IsArray (shape))
    return gs_error_set (err, _("the shape of tensor %.80s is not a list"), name);
  ndim = cJSON_GetArraySize (shape);
  if (ndim > GS_ST_MAX_DIMS)
    return gs_error_set (err, _("tensor %.80s has %d dimensions; at most %d are supported"),
                         name, ndim, GS_ST_MAX_DIMS);
  t->ndim = 0;
  cJSON_ArrayForEach (item, shape) {
    uint64_t d = 0;
    switch (json_index (item, &d)) {
    case IDX_OK:
      break;
    case IDX_NEGATIVE:
      return gs_error_set (err, _("the shape of tensor %.80s has a negative dimension"), name);
    case IDX_TOO_LARGE:
      return gs_error_set (err, _("the shape of tensor %.80s has a dimension too large"), name);
    case IDX_NOT_INTEGER:
    default:
      return gs_error_set (err, _("the shape of tensor %.80s has a dimension that is not an integer"),
                           name);
    }
    t->shape[t->ndim++] = (int64_t) d;
  }

  /* numel = ∏ shape, refusing overflow (a zero dimension makes it 0 whatever the rest) */
  for (int k = 0; k < t->ndim; k++)
    has_zero |= t->shape[k] == 0;
  if (has_zero) {
    numel = 0;
  } else {
    for (int k = 0; k < t->ndim; k++) {
      uint64_t d = (uint64_t) t->shape[k];
      if (numel > UINT64_MAX / d)
        return gs_error_set (err, _("the shape of tensor %.80s %s has too many elements"),
                             name, gs_st_format_shape (sbuf, sizeof sbuf, t->shape, t->ndim));
      numel *= d;
    }
  }
  if (numel > UINT64_MAX / info->size || numel > SIZE_MAX)
    return gs_error_set (err, _("the shape of tensor %.80s %s has too many elements"),
                         name, gs_st_format_shape (sbuf, sizeof sbuf, t->shape, t->ndim));
  nbytes = numel * info->size;

  /* data_offsets: [begin, end] inside the data section */
  offsets = cJSON_GetObjectItemCaseSensitive (entry, "data_offsets");
  if (offsets == NULL)
    return gs_error_set (err, _("tensor %.80s has no data_offsets"), name);
  if (!cJSON_IsArray (offsets) || cJSON_GetArraySize (offsets) != 2
      || json_index (cJSON_GetArrayItem (offsets, 0), &begin) != IDX_OK
      || json_index (cJSON_GetArrayItem (offsets, 1), &end) != IDX_OK)
    return gs_error_set (err, _("the data_offsets of tensor %.80s"
                                " are not two non-negative integers"), name);
  if (begin > end)
    return gs_error_set (err, _("the data_offsets of tensor %.80s"
                                " are reversed (begin %" PRIu64 " > end %" PRIu64 ")"),
                         name, begin, end);
  if (end > data_len)
    return gs_error_set (err, _("tensor %.80s ends at byte %" PRIu64
                                ", past the end of the data section (%" PRIu64 " bytes)"),
                         name, end, data_len);
  if (end - begin != nbytes)
    return gs_error_set (err, _("tensor %.80s has %" PRIu64 " bytes of data, but shape %s"
                                " of %s needs %" PRIu64),
                         name, end - begin, gs_st_format_shape (sbuf, sizeof sbuf, t->shape, t->ndim),
                         info->name, nbytes);

  t->name = strdup (name);
  if (t->name == NULL)
    return gs_error_set (err, _("out of memory"));
  t->dtype = info->dtype;
  t->dtype_name = info->name;
  t->numel = (size_t) numel;
  t->data = data_section + begin;
  t->nbytes = (size_t) nbytes;
  *begin_out = begin;
  return GS_OK;
}

static int
parse_metadata (GsSafetensors *st, const cJSON *meta, GsError *err)
{
  const cJSON *item;
  int n = cJSON_GetArraySize (meta);

  if (!cJSON_IsObject (meta))
    return gs_error_set (err, _("__metadata__ is not an object"));
  st->meta_keys = calloc ((size_t) n + 1, sizeof (char *));
  st->meta_values = calloc ((size_t) n + 1, sizeof (char *));
  if (st->meta_keys == NULL || st->meta_values == NULL)
    return gs_error_set (err, _("out of memory"));
  cJSON_ArrayForEach (item, meta) {
    if (!cJSON_IsString (item) || item->valuestring == NULL)
      return gs_error_set (err, _("metadata value for key %.80s is not a string"),
                           item->string);
    st->meta_keys[st->n_meta] = strdup (item->string);
    st->meta_values[st->n_meta] = strdup (item->valuestring);
    if (st->meta_keys[st->n_meta] == NULL || st->meta_values[st->n_meta] == NULL) {
      st->n_meta++;
      return gs_error_set (err, _("out of memory"));
    }
    st->n_meta++;
  }
  return GS_OK;
}

typedef struct {
  uint64_t    begin, end;
  const char *name;
} Extent;

static int
compare_extents (const void *a, const void *b)
{
  const Extent *x = a, *y = b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return 0;
}

static int
compare_names (const void *a, const void *b)
{
  const Extent *x = a, *y = b;
  return strcmp (x->name, y->name);
}

/* Checks that no two tensors share a name or a byte. */
static int
check_extents (const GsSafetensors *st, const uint64_t *begins, GsError *err)
{
  Extent *ext;
  uint64_t max_end = 0;
  const char *max_name = NULL;
  int i;

  if (st->n_tensors < 2)
    return GS_OK;
  ext = malloc ((size_t) st->n_tensors * sizeof *ext);
  if (ext == NULL)
    return gs_error_set (err, _("out of memory"));
  for (i = 0; i < st->n_tensors; i++) {
    ext[i].begin = begins[i];
    ext[i].end = begins[i] + st->tensors[i].nbytes;
    ext[i].name = st->tensors[i].name;
  }

  qsort (ext, (size_t) st->n_tensors, sizeof *ext, compare_names);
  for (i = 1; i < st->n_tensors; i++)
    if (strcmp (ext[i - 1].name, ext[i].name) == 0) {
      gs_error_set (err, _("tensor %.80s appears twice in the header"), ext[i].name);
      free (ext);
      return GS_FAIL;
    }

  qsort (ext, (size_t) st->n_tensors, sizeof *ext, compare_extents);
  for (i = 0; i < st->n_tensors; i++) {
    if (max_name != NULL && ext[i].begin < max_end && ext[i].end > ext[i].begin) {
      gs_error_set (err, _("tensors %.80s and %.80s overlap in the data section"),
                    max_name, ext[i].name);
      free (ext);
      return GS_FAIL;
    }
    if (max_name == NULL || ext[i].end > max_end) {
      max_end = ext[i].end;
      max_name = ext[i].name;
    }
  }
  free (ext);
  return GS_OK;
}

/* Parses the header of st->buf (st->len bytes, length field already checked). */
static int
parse_header (GsSafetensors *st, size_t header_len, GsError *err)
{
  const unsigned char *data_section = st->buf + 8 + header_len;
  uint64_t data_len = st->len - 8 - header_len;
  const char *parse_end = NULL;
  char *text;
  cJSON *root, *entry;
  uint64_t *begins = NULL;
  int n_entries, has_meta = 0, status = GS_FAIL;

  /* A NUL-terminated copy: even a parser that strays past the length it
   * was given stops at the terminator. */
  text = malloc (header_len + 1);
  if (text == NULL)
    return gs_error_set (err, _("out of memory"));
  memcpy (text, st->buf + 8, header_len);
  text[header_len] = '\0';

  root = cJSON_ParseWithLengthOpts (text, header_len, &parse_end, 0);
  if (root == NULL) {
    size_t at = parse_end != NULL && parse_end >= text && parse_end <= text + header_len
                  ? (size_t) (parse_end - text) : 0;
    gs_error_set (err, _("the header is not valid JSON (error near byte %zu of %zu)"),
                  at, header_len);
    free (text);
    return GS_FAIL;
  }
  /* Writers pad the header with spaces; anything else after the JSON is not ours. */
  for (const char *p = parse_end; p != NULL && p < text + header_len; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
      gs_error_set (err, _("the header has unexpected bytes after its JSON (at byte %zu)"),
                    (size_t) (p - text));
      goto out;
    }
  if (!cJSON_IsObject (root)) {
    gs_error_set (err, _("the header is not a JSON object"));
    goto out;
  }

  n_entries = cJSON_GetArraySize (root);
  st->tensors = calloc ((size_t) n_entries + 1, sizeof *st->tensors);
  begins = calloc ((size_t) n_entries + 1, sizeof *begins);
  if (st->tensors == NULL || begins == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  cJSON_ArrayForEach (entry, root) {
    if (entry->string == NULL) {
      gs_error_set (err, _("the header has an entry without a name"));
      goto out;
    }
    if (strcmp (entry->string, "__metadata__") == 0) {
      if (has_meta) {
        gs_error_set (err, _("__metadata__ appears twice in the header"));
        goto out;
      }
      has_meta = 1;
      if (parse_metadata (st, entry, err) != GS_OK)
        goto out;
      continue;
    }
    if (parse_tensor (&st->tensors[st->n_tensors], &begins[st->n_tensors], entry,
                      data_section, data_len, err) != GS_OK)
      goto out;
    st->n_tensors++;
  }
  status = check_extents (st, begins, err);

out:
  free (begins);
  cJSON_Delete (root);
  free (text);
  return status;
}

/* Parses buf (len bytes, owned: freed on failure). */
static GsSafetensors *
parse_owned (unsigned char *buf, size_t len, GsError *err)
{
  GsSafetensors *st;
  uint64_t header_len;

  if ((uint64_t) len > GS_ST_MAX_FILE) {
    free (buf);
    gs_error_set (err, _("the file is too large (%zu bytes; the limit is %llu bytes)"),
                  len, (unsigned long long) GS_ST_MAX_FILE);
    return NULL;
  }
  if (len < 8) {
    free (buf);
    gs_error_set (err, _("the file is too short to be safetensors (%zu bytes; "
                         "the 8-byte header length alone needs more)"), len);
    return NULL;
  }
  header_len = le64 (buf);
  if (header_len == 0) {
    free (buf);
    gs_error_set (err, _("the header length is 0"));
    return NULL;
  }
  if (header_len > GS_ST_MAX_HEADER) {
    free (buf);
    gs_error_set (err, _("the header length %" PRIu64 " is over the limit of %u bytes"),
                  header_len, GS_ST_MAX_HEADER);
    return NULL;
  }
  if (header_len > len - 8) {
    free (buf);
    gs_error_set (err, _("the header length %" PRIu64 " points past the end of the file (%zu bytes)"),
                  header_len, len);
    return NULL;
  }

  st = calloc (1, sizeof *st);
  if (st == NULL) {
    free (buf);
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  st->buf = buf;
  st->len = len;
  if (parse_header (st, (size_t) header_len, err) != GS_OK) {
    gs_st_free (st);
    return NULL;
  }
  return st;
}

GsSafetensors *
gs_st_parse (const unsigned char *data, size_t len, GsError *err)
{
  unsigned char *buf;

  if (data == NULL && len > 0) {
    gs_error_set (err, _("no data"));
    return NULL;
  }
  if ((uint64_t) len > GS_ST_MAX_FILE) {
    gs_error_set (err, _("the file is too large (%zu bytes; the limit is %llu bytes)"),
                  len, (unsigned long long) GS_ST_MAX_FILE);
    return NULL;
  }
  buf = malloc (len + 1);
  if (buf == NULL) {
    gs_error_set (err, _("out of memory"));
    return NULL;
  }
  if (len > 0)
    memcpy (buf, data, len);
  buf[len] = '\0';
  return parse_owned (buf, len, err);
}

GsSafetensors *
gs_st_parse_owned (unsigned char *buf, size_t len, GsError *err)
{
  return parse_owned (buf, len, err);
}

GsSafetensors *
gs_st_read (const char *path, GsError *err)
{
  unsigned char *buf;
  size_t len;
  GsSafetensors *st;

  if (gs_file_read (path, GS_ST_MAX_FILE, &buf, &len, err) != GS_OK)
    return NULL;
  st = parse_owned (buf, len, err);
  if (st == NULL)
    gs_error_prefix (err, "%s", path);
  return st;
}

void
gs_st_free (GsSafetensors *st)
{
  if (st == NULL)
    return;
  for (int i = 0; i < st->n_tensors; i++)
    free (st->tensors[i].name);
  free (st->tensors);
  for (int i = 0; i < st->n_meta; i++) {
    free (st->meta_keys[i]);
    free (st->meta_values[i]);
  }
  free (st->meta_keys);
  free (st->meta_values);
  free (st->buf);
  free (st);
}

const GsStTensor *
gs_st_find (const GsSafetensors *st, const char *name)
{
  if (st == NULL || name == NULL)
    return NULL;
  for (int i = 0; i < st->n_tensors; i++)
    if (strcmp (st->tensors[i].name, name) == 0)
      return &st->tensors[i];
  return NULL;
}

const char *
gs_st_meta (const GsSafetensors *st, const char *key)
{
  if (st == NULL || key == NULL)
    return NULL;
  for (int i = 0; i < st->n_meta; i++)
    if (strcmp (st->meta_keys[i], key) == 0)
      return st->meta_values[i];
  return NULL;
}

int
gs_st_get_f32 (const GsSafetensors *st, const char *name, float *out, size_t numel,
               GsError *err)
{
  const GsStTensor *t = gs_st_find (st, name);
  const unsigned char *p;

  if (t == NULL)
    return gs_error_set (err, _("tensor %.80s is missing"), name);
  if (t->dtype == GS_DT_OTHER)
    return gs_error_set (err, _("tensor %.80s has dtype %s; Gatescope reads F32"),
                         name, t->dtype_name);
  if (t->numel != numel)
    return gs_error_set (err, _("tensor %.80s has %zu elements; expected %zu"),
                         name, t->numel, numel);
  p = t->data;
  switch (t->dtype) {
  case GS_DT_F32:
    for (size_t i = 0; i < numel; i++) {
      uint32_t u = le32 (p + 4 * i);
      memcpy (&out[i], &u, sizeof (float));
    }
    break;
  case GS_DT_F64:
    for (size_t i = 0; i < numel; i++) {
      uint64_t u = le64 (p + 8 * i);
      double v;
      memcpy (&v, &u, sizeof v);
      out[i] = (float) v;
    }
    break;
  case GS_DT_I32:
    for (size_t i = 0; i < numel; i++)
      out[i] = (float) (int32_t) le32 (p + 4 * i);
    break;
  case GS_DT_I64:
    for (size_t i = 0; i < numel; i++)
      out[i] = (float) (int64_t) le64 (p + 8 * i);
    break;
  case GS_DT_OTHER:
  default:
    return gs_error_set (err, _("tensor %.80s has dtype %s; Gatescope reads F32"),
                         name, t->dtype_name);
  }
  return GS_OK;
}

/* --- writing ----------------------------------------------------------------- */

static int
st_write_validate (const GsStWrite *tensors, int n, const char *const *meta_kv, int n_meta,
                   uint64_t *data_len, GsError *err)
{
  uint64_t total = 0;

  if (n < 0 || n_meta < 0 || (n > 0 && tensors == NULL) || (n_meta > 0 && meta_kv == NULL))
    return gs_error_set (err, _("invalid arguments to write a safetensors file"));
  for (int i = 0; i < n; i++) {
    const GsStWrite *t = &tensors[i];
    uint64_t numel = 1;
    if (t->name == NULL || *t->name == '\0' || strcmp (t->name, "__metadata__") == 0)
      return gs_error_set (err, _("tensor %d has no valid name"), i);
    if (t->ndim < 0 || t->ndim > GS_ST_MAX_DIMS)
      return gs_error_set (err, _("tensor %.80s has %d dimensions; at most %d are supported"),
                           t->name, t->ndim, GS_ST_MAX_DIMS);
    for (int d = 0; d < t->ndim; d++) {
      if (t->shape[d] < 0 || (uint64_t) t->shape[d] > GS_ST_MAX_FILE)
        return gs_error_set (err, _("tensor %.80s has an invalid shape"), t->name);
      numel *= (uint64_t) t->shape[d];
      if (numel > GS_ST_MAX_FILE)
        return gs_error_set (err, _("tensor %.80s is too large to write"), t->name);
    }
    if (numel > 0 && t->data == NULL)
      return gs_error_set (err, _("tensor %.80s has no data"), t->name);
    total += numel * sizeof (float);
    if (total > GS_ST_MAX_FILE)
      return gs_error_set (err, _("the tensors are too large for one file (limit %llu bytes)"),
                           (unsigned long long) GS_ST_MAX_FILE);
    for (int j = 0; j < i; j++)
      if (strcmp (tensors[j].name, t->name) == 0)
        return gs_error_set (err, _("tensor %.80s is given twice"), t->name);
  }
  for (int i = 0; i < n_meta; i++) {
    if (meta_kv[2 * i] == NULL || meta_kv[2 * i + 1] == NULL)
      return gs_error_set (err, _("metadata pair %d is incomplete"), i);
    for (int j = 0; j < i; j++)
      if (strcmp (meta_kv[2 * j], meta_kv[2 * i]) == 0)
        return gs_error_set (err, _("metadata key %.80s is given twice"), meta_kv[2 * i]);
  }
  *data_len = total;
  return GS_OK;
}

/* The JSON header, unformatted, as cJSON prints it (malloc'd). */
static char *
st_write_header (const GsStWrite *tensors, int n, const char *const *meta_kv, int n_meta)
{
  cJSON *root = cJSON_CreateObject ();
  uint64_t offset = 0;
  char *text = NULL;

  if (root == NULL)
    return NULL;
  if (n_meta > 0) {
    cJSON *meta = cJSON_AddObjectToObject (root, "__metadata__");
    if (meta == NULL)
      goto out;
    for (int i = 0; i < n_meta; i++)
      if (cJSON_AddStringToObject (meta, meta_kv[2 * i], meta_kv[2 * i + 1]) == NULL)
        goto out;
  }
  for (int i = 0; i < n; i++) {
    const GsStWrite *t = &tensors[i];
    cJSON *entry = cJSON_AddObjectToObject (root, t->name);
    cJSON *shape, *offsets;
    uint64_t numel = 1;

    if (entry == NULL || cJSON_AddStringToObject (entry, "dtype", "F32") == NULL)
      goto out;
    shape = cJSON_AddArrayToObject (entry, "shape");
    if (shape == NULL)
      goto out;
    for (int d = 0; d < t->ndim; d++) {
      cJSON *dim = cJSON_CreateNumber ((double) t->shape[d]);
      if (dim == NULL || !cJSON_AddItemToArray (shape, dim)) {
        cJSON_Delete (dim);
        goto out;
      }
      numel *= (uint64_t) t->shape[d];
    }
    offsets = cJSON_AddArrayToObject (entry, "data_offsets");
    if (offsets == NULL)
      goto out;
    for (int k = 0; k < 2; k++) {
      cJSON *v = cJSON_CreateNumber ((double) (k == 0 ? offset : offset + numel * sizeof (float)));
      if (v == NULL || !cJSON_AddItemToArray (offsets, v)) {
        cJSON_Delete (v);
        goto out;
      }
    }
    offset += numel * sizeof (float);
  }
  text = cJSON_PrintUnformatted (root);
out:
  cJSON_Delete (root);
  return text;
}

int
gs_st_write (const char *path, const GsStWrite *tensors, int n,
             const char *const *meta_kv, int n_meta, GsError *err)
{
  uint64_t data_len = 0;
  char *json;
  unsigned char *header = NULL, *swapped = NULL;
  unsigned char len_bytes[8];
  size_t json_len, header_len, n_parts = 0;
  const void **parts = NULL;
  size_t *part_lens = NULL;
  int status = GS_FAIL;

  if (st_write_validate (tensors, n, meta_kv, n_meta, &data_len, err) != GS_OK)
    return GS_FAIL;
  json = st_write_header (tensors, n, meta_kv, n_meta);
  if (json == NULL)
    return gs_error_set (err, _("out of memory"));

  /* The header is padded with spaces so that the data section starts at a
   * multiple of 8 bytes, as the reference implementation does. */
  json_len = strlen (json);
  header_len = (json_len + 7) & ~(size_t) 7;
  if (header_len > GS_ST_MAX_HEADER || 8 + header_len + data_len > GS_ST_MAX_FILE) {
    gs_error_set (err, _("cannot write %s: the model is too large for a safetensors file"), path);
    goto out;
  }
  header = malloc (header_len);
  parts = calloc ((size_t) n + 2, sizeof *parts);
  part_lens = calloc ((size_t) n + 2, sizeof *part_lens);
  if (header == NULL || parts == NULL || part_lens == NULL) {
    gs_error_set (err, _("out of memory"));
    goto out;
  }
  memcpy (header, json, json_len);
  memset (header + json_len, ' ', header_len - json_len);
  put_le64 (len_bytes, header_len);

  parts[n_parts] = len_bytes;
  part_lens[n_parts++] = 8;
  parts[n_parts] = header;
  part_lens[n_parts++] = header_len;
  if (host_is_little_endian ()) {
    for (int i = 0; i < n; i++) {
      size_t numel = 1;
      for (int d = 0; d < tensors[i].ndim; d++)
        numel *= (size_t) tensors[i].shape[d];
      parts[n_parts] = tensors[i].data;
      part_lens[n_parts++] = numel * sizeof (float);
    }
  } else {
    /* One little-endian copy of the whole data section. */
    size_t at = 0;
    swapped = malloc (data_len > 0 ? (size_t) data_len : 1);
    if (swapped == NULL) {
      gs_error_set (err, _("out of memory"));
      goto out;
    }
    for (int i = 0; i < n; i++) {
      size_t numel = 1;
      for (int d = 0; d < tensors[i].ndim; d++)
        numel *= (size_t) tensors[i].shape[d];
      for (size_t k = 0; k < numel; k++, at += 4) {
        uint32_t u;
        memcpy (&u, &tensors[i].data[k], 4);
        for (int b = 0; b < 4; b++)
          swapped[at + (size_t) b] = (unsigned char) (u >> (8 * b));
      }
    }
    parts[n_parts] = swapped;
    part_lens[n_parts++] = (size_t) data_len;
  }
  status = gs_file_write_atomic (path, n_parts, (const void *const *) parts, part_lens, err);

out:
  free (swapped);
  free (parts);
  free (part_lens);
  free (header);
  cJSON_free (json);
  return status;
}
