/* fuzz-text — the text loader of the character language model.
 *
 * The input is a corpus file: charlm:file=… reads it (UTF-8 decoding,
 * the 16 MiB cap, the vocabulary, the tokens), then one training batch
 * and one held-out chunk are filled from it.
 */
#include <stdio.h>
#include <stdint.h>

#include "fuzz-common.h"
#include "gs-task.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char spec[1024];
  GsTask task;
  GsError err;
  GsBatch batch;
  GsRng rng;

  snprintf (spec, sizeof spec, "charlm:file=%s,length=4", fuzz_write_input (data, size));
  if (gs_task_init (&task, spec, &err) != GS_OK)
    return 0;
  if (gs_batch_alloc (&batch, &task, 0, 3, &err) == GS_OK) {
    gs_rng_seed (&rng, size);
    gs_task_fill (&task, &rng, &batch);
    batch.held_out = true;
    gs_task_fill (&task, &rng, &batch);
    gs_batch_free (&batch);
  }
  gs_task_clear (&task);
  return 0;
}
