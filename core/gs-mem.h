/* gs-mem.h — how much memory the engine lets itself take.
 *
 * Every buffer whose size comes from a file or a setting is checked
 * against one of these caps before it is allocated, and refused with a
 * message that gives both sizes (README, "Limits"):
 *
 *   GS_MAX_CACHE_BYTES   one model's activation caches for one batch
 *                        (gs_model_set_sequence)
 *   GS_MAX_STATE_BYTES   a trainer's parameters with every copy of them:
 *                        gradients, optimizer moments, the divergence
 *                        backup, the evaluation clone (gs_trainer_new)
 *   GS_EVAL_CHUNK_BYTES  the held-out batch is judged in chunks whose
 *                        caches fit in this (gs_task_evaluate)
 *
 * and the sum of what a trainer needs must also fit in the memory the
 * machine has available.
 */
#pragma once

#include <stddef.h>

#include "gs-error.h"

#define GS_MAX_CACHE_BYTES  (4ull << 30)
#define GS_MAX_STATE_BYTES  (4ull << 30)
#define GS_EVAL_CHUNK_BYTES (256ull << 20)

/* Bytes the machine can still give without swapping (MemAvailable on
 * Linux); 0 when it cannot be told. */
size_t gs_mem_available (void);

/* GS_OK when `need` bytes fit under `cap` (0 = no cap) and in the
 * available memory; otherwise a message "WHAT needs X GiB; …" with both
 * sizes. `what` is a translated noun phrase. */
int gs_mem_check (size_t need, size_t cap, const char *what, GsError *err);
