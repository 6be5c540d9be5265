/* gs-torch-file.h — reading what PyTorch's torch.save writes, without
 * running it.
 *
 * A torch.save file (PyTorch ≥ 1.6, ".pt"/".pth") is a zip archive of
 * stored entries: <dir>/data.pkl, a pickle of the saved object in which
 * each tensor's storage is a persistent id ("storage", torch.FloatStorage,
 * key, location, numel), and <dir>/data/<key>, the storage's raw
 * little-endian bytes. A pickle is a program; this reader runs none of it.
 * It interprets only the opcodes a state_dict uses and accepts only the
 * globals it names — collections.OrderedDict, torch._utils._rebuild_tensor_v2
 * and _rebuild_parameter, torch.FloatStorage and torch.DoubleStorage —
 * building plain values from them. Anything else (a pickled nn.Module, a
 * call of os.system, another dtype) is refused with a message that names
 * what was found.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gs-error.h"
#include "gs-safetensors.h"

#define GS_TORCH_MAX_PICKLE   (16u << 20)   /* data.pkl of a state_dict is tiny */
#define GS_TORCH_MAX_TENSORS  4096

/* Whether data starts like a zip archive (and so is not safetensors). */
bool gs_torch_is_zip (const unsigned char *data, size_t len);

/* The state_dict in a torch.save archive as safetensors tensors (F32 or
 * F64, contiguous), named by their state_dict keys. A checkpoint dict
 * holding the state_dict under "state_dict", "model_state_dict" or
 * "model" is accepted too. Takes ownership of buf (malloc'd, len bytes). */
GsSafetensors *gs_torch_parse_owned (unsigned char *buf, size_t len, GsError *err);
/* The same from memory (for tests and fuzzing; data is not kept). */
GsSafetensors *gs_torch_parse (const unsigned char *data, size_t len, GsError *err);
