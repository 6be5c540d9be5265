/* fuzz-spec — the task-spec parser: "NAME[:key=value,…]".
 *
 * The input is a spec as typed after --task. Names, keys, ranges, choices
 * and the canonical form are checked; a task that builds fills one batch
 * of its sequences, at most 4,096 steps long. Specs that name a file
 * (file=) are skipped: the text loaders have harnesses of their own, and a
 * fuzzer must not read arbitrary paths (or block on a FIFO).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-task.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char spec[GS_TASK_SPEC_MAX + 16];
  GsTask task;
  GsError err;
  GsBatch batch;
  GsRng rng;

  if (size >= sizeof spec)
    return 0;
  memcpy (spec, data, size);
  spec[size] = '\0';
  if (strstr (spec, "file") != NULL)
    return 0;
  if (gs_task_init (&task, spec, &err) != GS_OK)
    return 0;
  /* the canonical spec builds the same task */
  {
    GsTask again;
    char canonical[GS_TASK_SPEC_MAX];
    memcpy (canonical, task.spec, sizeof canonical);
    if (gs_task_init (&again, canonical, &err) != GS_OK || again.T != task.T || again.V != task.V
        || again.O != task.O)
      abort ();
    gs_task_clear (&again);
  }
  if ((task.T_eval > 0 ? task.T_eval : task.T) <= 4096 && task.T <= 4096
      && gs_batch_alloc (&batch, &task, 0, 2, &err) == GS_OK) {
    gs_rng_seed (&rng, size);
    gs_task_fill (&task, &rng, &batch);
    gs_batch_free (&batch);
  }
  gs_task_clear (&task);
  return 0;
}
