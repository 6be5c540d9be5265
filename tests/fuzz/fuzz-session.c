/* fuzz-session — the session reader: safetensors bytes → a run, its
 * interventions and its history of learning (gs-session-file.h).
 *
 * No folder is given for copies of a task's files, so nothing is written;
 * a session naming a file that is not there is refused.
 */
#include <stdint.h>
#include <stdlib.h>

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
  s = gs_session_file_from_safetensors_full (st, "fuzz.gatescope", NULL, &recordings, &err);
  if (s != NULL) {
    /* the recordings' views, and one more step with whatever
     * interventions it brought */
    GsRecorder *rec = gs_recorder_new (s->trainer, &err);
    if (rec != NULL)
      gs_recordings_replay (recordings, rec, &err);
    gs_recorder_free (rec);
    gs_stepper_step (s, &err);
    gs_stepper_free (s);
  }
  gs_recordings_free (recordings);
  gs_st_free (st);
  return 0;
}
