/* gs-view-record.c — where each view drew its text and its unit cells, for tests.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gs-view-record.h"

static GsViewRecordFunc hook_func;
static gpointer hook_data;
static GtkWidget *current_view;   /* borrowed, while it draws */
static double current_scale = 1.0;

void
gs_view_record_set_hook (GsViewRecordFunc func,
                         gpointer         data)
{
  hook_func = func;
  hook_data = data;
}

gboolean
gs_view_recording (void)
{
  return hook_func != NULL && current_view != NULL;
}

void
gs_view_record_begin (GtkWidget *view,
                      double     scale)
{
  current_view = view;
  current_scale = scale;
}

void
gs_view_record_end (void)
{
  current_view = NULL;
  current_scale = 1.0;
}

void
gs_view_record_text (PangoLayout *layout,
                     float        x,
                     float        y)
{
  const PangoFontDescription *font;
  PangoRectangle ink;
  GsViewRecord r;
  const float s = (float) current_scale;

  if (!gs_view_recording () || layout == NULL)
    return;
  pango_layout_get_pixel_extents (layout, &ink, NULL);
  if (ink.width <= 0 || ink.height <= 0)
    return;   /* blanks: nothing to read */
  font = pango_layout_get_font_description (layout);
  r = (GsViewRecord) {
    .view = current_view,
    .kind = GS_VIEW_RECORD_TEXT,
    .rect = GRAPHENE_RECT_INIT ((x + ink.x) * s, (y + ink.y) * s, ink.width * s, ink.height * s),
    .px = font != NULL ? pango_font_description_get_size (font) / (double) PANGO_SCALE * current_scale : 0.0,
    .text = pango_layout_get_text (layout),
    .ellipsized = pango_layout_is_ellipsized (layout),
  };
  hook_func (&r, hook_data);
}

void
gs_view_record_unit (GsViewRecordKind       kind,
                     const graphene_rect_t *rect,
                     int                    units)
{
  const float s = (float) current_scale;
  GsViewRecord r;

  if (!gs_view_recording ())
    return;
  r = (GsViewRecord) {
    .view = current_view,
    .kind = kind,
    .rect = GRAPHENE_RECT_INIT (rect->origin.x * s, rect->origin.y * s, rect->size.width * s, rect->size.height * s),
    .units = units,
  };
  hook_func (&r, hook_data);
}
