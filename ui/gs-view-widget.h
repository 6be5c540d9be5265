/* gs-view-widget.h — what every drawing widget does alike.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing kept as one render node and redrawn only when the data, the
 * size or the colours change; and the "snap", "timestep" and "layer"
 * properties and the "timestep-activated" signal that the stepping views
 * share, each still installed by its own class.
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"

#include "gs-view-style.h"

G_BEGIN_DECLS

/* Draws the whole widget, `width` × `height` px, into `snapshot`. */
typedef void (*GsViewDrawFunc) (GtkWidget          *widget,
                                GtkSnapshot        *snapshot,
                                int                 width,
                                int                 height,
                                const GsViewColors *colors);

/* The last drawing and what it was drawn for; zero-initialised is empty. */
typedef struct {
  GskRenderNode *node;   /* owned, or NULL */
  int            width;
  int            height;
  GdkRGBA        fg;
  GdkRGBA        accent;
} GsViewCache;

/* The widget's snapshot vfunc: redraws with `draw` when the size or the
 * colours changed or the cache was invalidated, then appends the node.
 * Draws nothing at zero size. */
void        gs_view_cache_snapshot            (GsViewCache    *cache,
                                               GtkSnapshot    *snapshot,
                                               GtkWidget      *widget,
                                               GsViewDrawFunc  draw);
/* The data changed: drops the node and queues a draw. */
void        gs_view_cache_invalidate          (GsViewCache    *cache,
                                               GtkWidget      *widget);
/* For finalize. */
void        gs_view_cache_clear               (GsViewCache    *cache);

/* The setters' common part: stores `value` (or a reference on `snap`,
 * dropping the old one) and notifies `pspec`. Returns FALSE, doing
 * nothing, when the value is unchanged; the caller then redraws. */
gboolean    gs_view_update_snap               (GsSnap        **field,
                                               GsSnap         *snap,
                                               GObject        *object,
                                               GParamSpec     *pspec);
gboolean    gs_view_update_int                (int            *field,
                                               int             value,
                                               GObject        *object,
                                               GParamSpec     *pspec);

/* Whether two snapshots (either may be NULL) have the same configuration
 * and length, i.e. the same natural size for a view. */
gboolean    gs_view_same_shape                (const GsSnap   *a,
                                               const GsSnap   *b);

/* The shared properties, as every view declares them. */
GParamSpec *gs_view_param_snap                (void);   /* GsSnap, boxed */
GParamSpec *gs_view_param_timestep            (void);   /* −1 = none */
GParamSpec *gs_view_param_layer               (void);   /* 0 … GS_MAX_LAYERS − 1 */

/* "timestep-activated" (int t): a click on timestep t's column. */
guint       gs_view_signal_timestep_activated (GType           type);

G_END_DECLS
