/* fuzz-session — the session reader: safetensors bytes → a run, its
 * interventions and its history of learning (gs-session-file.h).
 *
 * A session is a safetensors file whose __metadata__ holds the format
 * version, the configuration, the stepper's state, the loss history, the
 * interventions and the text of a user's files, with checksums over the
 * tensors (so mutated tensor bytes stop there, and the fuzzer goes deepest
 * through the JSON metadata). The loader must refuse every inconsistent
 * file with a message naming it; one that loads replays its recordings'
 * views and takes one more step with whatever interventions it brought.
 * No folder is given for copies of a task's files, so nothing is written;
 * a session naming a file that is not there is refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gs-session-file.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GsError err;
  GsSafetensors *st = gs_st_parse (data, size, &err);
  GsRecordings *recordings = NULL;
  GsStepper *s;

  if (st == NULL)
    return 0;
  if (!gs_session_file_is_session (st)) {
    gs_st_free (st);
    return 0;
  }
  s = gs_session_file_from_safetensors_full (st, "fuzz.gatescope", NULL, &recordings, &err);
  if (s != NULL) {
    GsRecorder *rec = gs_recorder_new (s->trainer, &err);
    if (rec != NULL)
      gs_recordings_replay (recordings, rec, &err);
    gs_recorder_free (rec);
    gs_stepper_step (s, &err);
    gs_stepper_free (s);
  } else if (strstr (err.msg, "fuzz.gatescope") == NULL && strstr (err.msg, "session") == NULL
             && strstr (err.msg, "out of memory") == NULL) {
    abort ();   /* every refusal says which file (or that it is a session) */
  }
  gs_recordings_free (recordings);
  gs_st_free (st);
  return 0;
}
