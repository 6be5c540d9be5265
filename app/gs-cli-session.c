/* gs-cli-session.c — the commands read model files and sessions alike:
 * forward, step and sample take a .gatescope session wherever they take a
 * model file, and train --resume goes on with one (gs-session-file.h).
 * A session's interventions hold in all of them; --json marks each
 * intervention "from": "session" or "option".
 */
#include <stdlib.h>
#include <string.h>

#include "gs-cli-private.h"
#include "gs-file.h"
#include "gs-i18n.h"
#include "gs-session-file.h"

char *
cli_task_vocab (const GsTask *task)
{
  size_t size = 1;
  char *s;

  if (task->V <= 0 || task->vocab == NULL || task->vocab[0] == NULL)
    return NULL;
  for (int v = 0; v < task->V; v++)
    size += (task->vocab[v] != NULL ? strlen (task->vocab[v]) : 0) + 1;
  s = calloc (size, 1);
  if (s == NULL)
    return NULL;
  for (int v = 0; v < task->V; v++)
    {
      if (v > 0)
        strcat (s, ",");
      if (task->vocab[v] != NULL)
        strcat (s, task->vocab[v]);
    }
  return s;
}

void
cli_session_data_dir (char *buf, size_t size)
{
  const char *data = getenv ("XDG_DATA_HOME");
  const char *home = getenv ("HOME");

  if (data != NULL && data[0] == '/')
    snprintf (buf, size, "%s/gatescope/session-files", data);
  else
    snprintf (buf, size, "%s/.local/share/gatescope/session-files", home != NULL ? home : "/tmp");
}

/* The metadata a model file of the session's run would carry. */
static int
set_model_metadata (GsSafetensors *st, const GsTask *task, GsError *err)
{
  char *vocab = cli_task_vocab (task);
  char *chars = cli_task_chars (task);
  int status = gs_st_set_meta (st, "task", task->spec, err);

  if (status == GS_OK && vocab != NULL)
    status = gs_st_set_meta (st, "vocab", vocab, err);
  if (status == GS_OK && chars != NULL)
    status = gs_st_set_meta (st, "chars", chars, err);
  free (vocab);
  free (chars);
  return status;
}

GsModel *
cli_model_load (const char *path, GsModelLoadOptions *opts, GsSafetensors **st_out,
                GsStepper **session, GsError *err)
{
  unsigned char *buf;
  size_t len;
  GsSafetensors *st;
  GsStepper *s;
  GsModel *m;
  char data_dir[4096];

  *st_out = NULL;
  if (session != NULL)
    *session = NULL;
  if (opts != NULL)
    opts->warning[0] = '\0';
  if (gs_file_read (path, GS_ST_MAX_FILE, &buf, &len, err) != GS_OK)
    return NULL;
  /* A session is a safetensors file with "format": "gatescope-session". */
  st = len >= 8 ? gs_st_parse (buf, len, NULL) : NULL;
  if (st == NULL || !gs_session_file_is_session (st))
    {
      gs_st_free (st);
      return gs_model_load_buffer (path, buf, len, opts, st_out, err);
    }
  free (buf);
  cli_session_data_dir (data_dir, sizeof data_dir);
  s = gs_session_file_from_safetensors (st, path, data_dir, err);
  if (s == NULL)
    {
      gs_st_free (st);
      return NULL;
    }
  m = gs_model_clone_params (s->trainer->model, err);
  /* The session's interventions hold (marked from_session: its weights
   * already have their edits). */
  if (m != NULL && s->trainer->model->iv != NULL
      && gs_model_set_interventions (m, s->trainer->model->iv, err) != GS_OK)
    {
      gs_error_prefix (err, "%s", path);
      gs_model_free (m);
      gs_stepper_free (s);
      gs_st_free (st);
      return NULL;
    }
  if (m == NULL || set_model_metadata (st, &s->trainer->task, err) != GS_OK)
    {
      gs_error_prefix (err, "%s", path);
      gs_model_free (m);
      gs_stepper_free (s);
      gs_st_free (st);
      return NULL;
    }
  *st_out = st;
  if (session != NULL)
    *session = s;
  else
    gs_stepper_free (s);
  return m;
}
