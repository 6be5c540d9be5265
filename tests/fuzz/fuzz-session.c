/* fuzz-session — the session reader: safetensors bytes → a stepper.
 *
 * A session is a safetensors file whose __metadata__ holds the format
 * version, the configuration, the stepper's state, the loss history and
 * the text of a user's files, with a checksum over the tensors. The
 * loader must refuse every inconsistent file with a message naming it;
 * one that loads is a stepper that can go on: it takes one step (or says
 * why it cannot). A session that needs
 * a user file saved in it is refused here (no data directory: a fuzzer
 * must not write files).
 *
 * Note: mutated tensor bytes stop at the checksum; the metadata (JSON)
 * is what the fuzzer explores deepest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-safetensors.h"
#include "gs-session-file.h"
#include "gs-stepper.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GsError err;
  GsSafetensors *st = gs_st_parse (data, size, &err);
  GsStepper *s;

  if (st == NULL)
    return 0;
  if (!gs_session_file_is_session (st)) {
    gs_st_free (st);
    return 0;
  }
  s = gs_session_file_from_safetensors (st, "fuzz.gatescope", NULL, &err);
  if (s == NULL) {
    if (strstr (err.msg, "fuzz.gatescope") == NULL && strstr (err.msg, "out of memory") == NULL
        && strstr (err.msg, "session") == NULL)
      abort ();
  } else {
    GsError step_err;
    /* a loaded session steps on (or says why not) */
    gs_stepper_step (s, &step_err);
    gs_stepper_free (s);
  }
  gs_st_free (st);
  return 0;
}
