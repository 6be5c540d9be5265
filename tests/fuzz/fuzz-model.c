/* fuzz-model — the model loader: safetensors bytes → a model.
 *
 * gs_st_parse validates the header, the JSON, dtypes, shapes and byte
 * ranges; gs_model_from_safetensors infers the cell and sizes and copies
 * the tensors; a model that loads runs one forward step over one token,
 * and its "vocab" metadata goes through the vocabulary reader, as
 * `gatescope-cli forward` and `sample` do. Every malformed file must be
 * refused with a message: a crash, a leak, a huge allocation or a hang is
 * a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-safetensors.h"
#include "gs-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GsError err;
  GsSafetensors *st = gs_st_parse (data, size, &err);
  GsModel *m;
  const char *vocab;

  if (st == NULL)
    return 0;
  vocab = gs_st_meta (st, "vocab");
  if (vocab != NULL) {
    GsCharVocab v;
    if (gs_vocab_from_utf8 (&v, vocab, &err) == GS_OK)
      gs_vocab_clear (&v);
  }
  m = gs_model_from_safetensors (st, &err);
  if (m != NULL) {
    /* one step of one sequence: token 0, or zero features */
    int token = 0;
    float *xs = calloc ((size_t) m->cfg.V, sizeof *xs);
    if (xs != NULL
        && gs_model_set_sequence (m, 1, 1, &token, xs, NULL, NULL, NULL, &err) == GS_OK)
      gs_model_forward_seq (m);
    free (xs);
    gs_model_free (m);
  }
  gs_st_free (st);
  return 0;
}
