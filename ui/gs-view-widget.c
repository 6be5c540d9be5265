/* gs-view-widget.c — what every drawing widget does alike.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gs-model.h"
#include "gs-snap.h"
#include "gs-view-widget.h"

/* The cached drawing */

void
gs_view_cache_snapshot (GsViewCache    *cache,
                        GtkSnapshot    *snapshot,
                        GtkWidget      *widget,
                        GsViewDrawFunc  draw)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GsViewColors colors;

  g_assert (cache != NULL && draw != NULL);

  if (width <= 0 || height <= 0)
    return;

  gs_view_colors_get (&colors, widget);

  if (cache->node != NULL &&
      (width != cache->width || height != cache->height ||
       !gdk_rgba_equal (&colors.fg, &cache->fg) || !gdk_rgba_equal (&colors.accent, &cache->accent)))
    g_clear_pointer (&cache->node, gsk_render_node_unref);

  if (cache->node == NULL)
    {
      GtkSnapshot *sub = gtk_snapshot_new ();

      draw (widget, sub, width, height, &colors);
      cache->node = gtk_snapshot_free_to_node (sub);
      cache->width = width;
      cache->height = height;
      cache->fg = colors.fg;
      cache->accent = colors.accent;
    }

  /* An empty drawing is no node at all. */
  if (cache->node != NULL)
    gtk_snapshot_append_node (snapshot, cache->node);
}

void
gs_view_cache_invalidate (GsViewCache *cache,
                          GtkWidget   *widget)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

void
gs_view_cache_clear (GsViewCache *cache)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
}

/* Properties and signals */

GParamSpec *
gs_view_param_snap (void)
{
  return g_param_spec_boxed ("snap", NULL, NULL,
                             GS_TYPE_SNAP,
                             (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

GParamSpec *
gs_view_param_timestep (void)
{
  return g_param_spec_int ("timestep", NULL, NULL,
                           -1, G_MAXINT, -1,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

GParamSpec *
gs_view_param_layer (void)
{
  return g_param_spec_int ("layer", NULL, NULL,
                           0, GS_MAX_LAYERS - 1, 0,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

guint
gs_view_signal_timestep_activated (GType type)
{
  return g_signal_new ("timestep-activated",
                       type,
                       G_SIGNAL_RUN_LAST,
                       0, NULL, NULL, NULL,
                       G_TYPE_NONE, 1, G_TYPE_INT);
}

gboolean
gs_view_same_shape (const GsSnap *a,
                    const GsSnap *b)
{
  const GsSnapshot *sa, *sb;

  if (a == NULL || b == NULL)
    return a == b;
  sa = gs_snap_get (a);
  sb = gs_snap_get (b);
  /* Configurations are plain numbers: compare them field by field. */
  return sa->T == sb->T && sa->cfg.cell == sb->cfg.cell && sa->cfg.input == sb->cfg.input &&
         sa->cfg.loss == sb->cfg.loss && sa->cfg.V == sb->cfg.V && sa->cfg.E == sb->cfg.E &&
         sa->cfg.H == sb->cfg.H && sa->cfg.L == sb->cfg.L && sa->cfg.O == sb->cfg.O &&
         sa->cfg.variant.proj == sb->cfg.variant.proj &&
         sa->cfg.variant.bidirectional == sb->cfg.variant.bidirectional;
}

gboolean
gs_view_update_snap (GsSnap    **field,
                     GsSnap     *snap,
                     GObject    *object,
                     GParamSpec *pspec)
{
  if (*field == snap)
    return FALSE;
  g_clear_pointer (field, gs_snap_unref);
  if (snap != NULL)
    *field = gs_snap_ref (snap);
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
gs_view_update_int (int        *field,
                    int         value,
                    GObject    *object,
                    GParamSpec *pspec)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}
