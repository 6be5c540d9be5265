/* fuzz-pt — the PyTorch reader (gs-torch-file.h): torch.save bytes → a
 * model.
 *
 * gs_torch_parse walks the zip archive and interprets data.pkl with its
 * restricted set of pickle opcodes and globals; what it accepts goes on to
 * gs_model_from_safetensors and, when it loads, one forward step. Any
 * malformed archive or pickle must be refused with a message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gs-safetensors.h"
#include "gs-torch-file.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GsError err;
  GsSafetensors *st = gs_torch_parse (data, size, &err);
  GsModel *m;

  if (st == NULL)
    return 0;
  m = gs_model_from_safetensors (st, &err);
  if (m != NULL) {
    int token = 0;
    float *xs = calloc ((size_t) m->cfg.V, sizeof *xs);
    if (xs != NULL && gs_model_set_sequence (m, 1, 1, &token, xs, NULL, NULL, NULL, &err) == GS_OK)
      gs_model_forward_seq (m);
    free (xs);
    gs_model_free (m);
  }
  gs_st_free (st);
  return 0;
}
