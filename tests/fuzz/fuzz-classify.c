/* fuzz-classify — the classify loader (LABEL<TAB>PHRASE lines, @classes).
 *
 * The input is a data file: classify:file=… parses it (labels, the
 * @classes line, phrase and label limits, the vocabulary); then a training
 * batch and every held-out example, in chunks, are filled from it.
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

  snprintf (spec, sizeof spec, "classify:file=%s", fuzz_write_input (data, size));
  if (gs_task_init (&task, spec, &err) != GS_OK)
    return 0;
  if (gs_batch_alloc (&batch, &task, 0, 4, &err) == GS_OK) {
    gs_rng_seed (&rng, size);
    gs_task_fill (&task, &rng, &batch);
    batch.held_out = true;
    for (batch.first = 0; batch.first < task.eval_B; batch.first += batch.B) {
      batch.B = task.eval_B - batch.first < 4 ? task.eval_B - batch.first : 4;
      gs_task_fill (&task, &rng, &batch);
    }
    gs_batch_free (&batch);
  }
  gs_task_clear (&task);
  return 0;
}
