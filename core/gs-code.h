/* gs-code.h — the PyTorch and Keras code of a run's model.
 *
 * The course writes its models as a small nn.Module: an embedding `emb`
 * (or one-hot vectors), a recurrent layer `rnn` and a linear head `fc`.
 * This writes that module for a configuration — the same tensor names as
 * our model files (emb.weight, rnn.weight_ih_l0, …, fc.bias), so
 * model.load_state_dict reads a file `gatescope-cli train --save` wrote —
 * with the loss and optimizer of the run; and the Keras model closest to it.
 * Cell variants PyTorch's modules cannot express (peepholes, CIFG, no
 * forget gate, cell clipping, the reset-before GRU, recurrent dropout,
 * truncated BPTT) are named in a comment at the top, not silently dropped.
 *
 * Letters as in gs-model.h.
 */
#pragma once

#include "gs-model.h"
#include "gs-train.h"

typedef enum {
  GS_CODE_PYTORCH,
  GS_CODE_KERAS,
} GsCodeFramework;

/* The code as one malloc'd UTF-8 string (a complete Python file that
 * builds the model and prints its parameter count), or NULL when out of
 * memory. `model` is the run's model (gs_shapes_describe_run's cfg, or a
 * GsModel's), `run` the run's training settings (may be NULL: no loss and
 * optimizer lines). The text is code, not translated. */
char *gs_code_generate (GsCodeFramework fw, const GsConfig *model, const GsTrainConfig *run);

/* PyTorch's own names for what the variant changes, e.g. "peepholes", in
 * `buf`; empty when PyTorch's modules compute exactly this model. */
void  gs_code_unsupported (char *buf, size_t size, const GsConfig *model, GsCodeFramework fw);
