/* gs-safetensors.h — the safetensors format, and models stored in it.
 *
 * Format (https://github.com/huggingface/safetensors): 8-byte little-endian
 * header length N, N bytes of JSON mapping tensor names to
 * {"dtype", "shape", "data_offsets": [begin, end]} plus an optional
 * "__metadata__" object of string → string, then the raw little-endian data.
 * The JSON header is parsed with cJSON.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "gs-error.h"
#include "gs-model.h"

#define GS_ST_MAX_HEADER (16u << 20)        /* 16 MiB of JSON at most */
#define GS_ST_MAX_FILE   (1024ull << 20)    /* 1 GiB per file at most */
#define GS_ST_MAX_DIMS   8

typedef enum { GS_DT_F32, GS_DT_F64, GS_DT_I32, GS_DT_I64, GS_DT_OTHER } GsDtype;

typedef struct {
  char       *name;
  GsDtype     dtype;
  const char *dtype_name;      /* as written in the file */
  int         ndim;
  int64_t     shape[GS_ST_MAX_DIMS];
  size_t      numel;
  const unsigned char *data;   /* into the file buffer; little-endian, maybe unaligned */
  size_t      nbytes;
} GsStTensor;

typedef struct {
  unsigned char *buf;          /* the whole file */
  size_t         len;
  GsStTensor    *tensors;
  int            n_tensors;
  char         **meta_keys;
  char         **meta_values;
  int            n_meta;
} GsSafetensors;

/* Reads and validates a whole file: header length in range, valid JSON,
 * known dtypes, shapes that match the byte ranges, byte ranges inside the
 * data section, no overlaps. */
GsSafetensors *gs_st_read  (const char *path, GsError *err);
/* The same from memory (the buffer is copied). */
GsSafetensors *gs_st_parse (const unsigned char *data, size_t len, GsError *err);
/* The same taking ownership of buf (malloc'd; freed on failure). */
GsSafetensors *gs_st_parse_owned (unsigned char *buf, size_t len, GsError *err);
void           gs_st_free  (GsSafetensors *st);
const GsStTensor *gs_st_find (const GsSafetensors *st, const char *name);
const char       *gs_st_meta (const GsSafetensors *st, const char *key);
/* Copies a tensor's values as float32 (F32 or F64 → float, I32/I64 → float),
 * checking that it has exactly `numel` elements. */
int gs_st_get_f32 (const GsSafetensors *st, const char *name, float *out, size_t numel,
                   GsError *err);

/* "(4, 10)" into buf; returns buf. */
const char *gs_st_format_shape (char *buf, size_t size, const int64_t *shape, int ndim);

/* A tensor to write: F32 data, shape of ndim ≤ 2 (ndim 0 = scalar). */
typedef struct {
  const char  *name;
  int          ndim;
  int64_t      shape[GS_ST_MAX_DIMS];
  const float *data;
} GsStWrite;

/* Writes F32 tensors and string metadata (meta_kv = key, value, key, value, …,
 * n_meta pairs) atomically. */
int gs_st_write (const char *path, const GsStWrite *tensors, int n,
                 const char *const *meta_kv, int n_meta, GsError *err);

/* Models: tensor names emb.weight, rnn.weight_ih_l{k}, rnn.weight_hh_l{k},
 * rnn.bias_ih_l{k}, rnn.bias_hh_l{k}, fc.weight, fc.bias (PyTorch shapes).
 * Metadata "cell" (rnn_tanh|rnn_relu|lstm|gru) is written and honoured;
 * without it the cell is inferred from the shapes (4H rows → lstm, 3H → gru,
 * H → rnn_tanh). Extra string metadata (e.g. "vocab") is round-tripped
 * through meta_kv. */
int      gs_model_save (const GsModel *m, const char *path,
                        const char *const *meta_kv, int n_meta, GsError *err);
GsModel *gs_model_load (const char *path, GsSafetensors **st_out /* nullable: keep metadata */,
                        GsError *err);
GsModel *gs_model_from_safetensors (const GsSafetensors *st, GsError *err);

/* Models as PyTorch users save them (gs-model-import.c). */
typedef struct {
  bool   set_cell;      /* in: the cell, for what the tensors cannot tell (RNN tanh or ReLU) */
  GsCell cell;
  char   warning[384];  /* out: what was assumed, for the user; "" when nothing */
} GsModelLoadOptions;

/* Renames st's tensors to emb.weight, rnn.*, fc.weight, fc.bias when they
 * are a PyTorch model's under other module names (self.lstm, self.embed,
 * self.out, …): the recurrent module by PyTorch's suffixes (weight_ih_l0,
 * _reverse, weight_hr_l0), the embedding and the output layer by their
 * shapes. A file already under these names is left as it is. Fails with a
 * message naming the tensors found when they do not make one model or
 * make it in more than one way. */
int gs_model_names_canonical (GsSafetensors *st, GsError *err);
/* Sets (or replaces) a metadata value. */
int gs_st_set_meta (GsSafetensors *st, const char *key, const char *value, GsError *err);
/* gs_model_load for whatever a student saved: safetensors or a torch.save
 * archive (.pt, .pth) of a state_dict, under any module names; "-" reads
 * stdin. opts may be NULL. Messages start with the path. */
GsModel *gs_model_load_with (const char *path, GsModelLoadOptions *opts,
                             GsSafetensors **st_out /* nullable */, GsError *err);
/* The same from a file already read (buf malloc'd, taken over; path for
 * messages). */
GsModel *gs_model_load_buffer (const char *path, unsigned char *buf, size_t len,
                               GsModelLoadOptions *opts, GsSafetensors **st_out, GsError *err);
