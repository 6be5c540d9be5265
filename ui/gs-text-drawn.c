/* gs-text-drawn.c — every Pango layout a view or chart draws, for tests. */
#include "gs-text-drawn.h"

static GsTextDrawnFunc hook_func;
static void *hook_data;

void
gs_text_drawn (PangoLayout *layout)
{
  if (hook_func == NULL || layout == NULL)
    return;
  hook_func (pango_layout_get_text (layout), pango_layout_get_unknown_glyphs_count (layout), hook_data);
}

void
gs_text_drawn_set_hook (GsTextDrawnFunc func, void *data)
{
  hook_func = func;
  hook_data = data;
}
