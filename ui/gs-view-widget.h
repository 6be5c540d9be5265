/* gs-view-widget.h — what every drawing widget does alike.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GsView, the parent of every view that draws one snapshot: it holds the
 * "snap", "timestep" and "layer" properties and tells its subclass, through
 * GsViewClass.changed, which one changed. It keeps the drawing as one
 * render node, redrawn with GsViewClass.draw only when the data, the size or
 * the colours change; and the "timestep-activated" signal that the stepping
 * views share.
 *
 * Every view is focusable (with a visible focus ring, style.css), moves the
 * shared timestep with the arrow keys when it has the focus, and describes
 * what it shows in its accessible description (GsViewClass.describe).
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"

#include "gs-view-style.h"

G_BEGIN_DECLS

/* What GsViewClass.changed is told changed. */
typedef enum {
  GS_VIEW_CHANGE_SNAP,
  GS_VIEW_CHANGE_TIMESTEP,
  GS_VIEW_CHANGE_LAYER,
} GsViewChange;

/* Draws the whole widget, `width` × `height` px, into `snapshot`. */
typedef void (*GsViewDrawFunc) (GtkWidget          *widget,
                                GtkSnapshot        *snapshot,
                                int                 width,
                                int                 height,
                                const GsViewColors *colors);

#define GS_TYPE_VIEW (gs_view_get_type ())

G_DECLARE_DERIVABLE_TYPE (GsView, gs_view, GS, VIEW, GtkWidget)

struct _GsViewClass
{
  GtkWidgetClass parent_class;

  /* Draws the widget; set by every subclass in its class_init. GsView
   * draws nothing at zero size and calls it again only after the size or
   * the colours changed or gs_view_queue_redraw(). */
  GsViewDrawFunc draw;

  /* The widget's size in design pixels, before the zoom and the growth:
   * GtkWidgetClass.measure's signature. GsView's own measure scales it. */
  void (*measure_design) (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline);

  /* A property changed, already stored and notified. The default redraws
   * (gs_view_queue_redraw()); a subclass that also relayouts, forgets its
   * hover… chains up. `old_snap` is the snapshot shown before (alive for
   * the call, maybe NULL), given for GS_VIEW_CHANGE_SNAP only. */
  void (*changed) (GsView       *self,
                   GsViewChange  what,
                   GsSnap       *old_snap);

  /* What the view shows now, in words, for assistive technologies (the
   * accessible description): "LSTM, layer 1, t = 2: forget gate f mean
   * 0.73, …". A new string, or NULL for nothing to say. GsView asks again
   * after every change, at most every GS_VIEW_DESCRIBE_MS. */
  char *(*describe) (GsView *self);
};

#define GS_VIEW_DESCRIBE_MS 100

/* The snapshot shown, or NULL; and which timestep (−1 = none) and layer. */
GsSnap     *gs_view_get_snap                  (GsView         *self);
void        gs_view_set_snap                  (GsView         *self,
                                               GsSnap         *snap);
int         gs_view_get_timestep              (GsView         *self);
void        gs_view_set_timestep              (GsView         *self,
                                               int             timestep);
int         gs_view_get_layer                 (GsView         *self);
void        gs_view_set_layer                 (GsView         *self,
                                               int             layer);

/* The unit a lesson points at (gs-lesson.h `point … unit=N`), −1 for
 * none: views that show units frame it in the accent colour. */
int         gs_view_get_pointed_unit          (GsView         *self);
void        gs_view_set_pointed_unit          (GsView         *self,
                                               int             unit);

/* Sets the accessible description from GsViewClass.describe now, rather
 * than at the next coalesced update (tests; a view about to be read). */
void        gs_view_update_description        (GsView         *self);

/* The drawing is out of date (a property of the subclass's own changed, or
 * its style): drops the cached drawing and queues a draw. */
void        gs_view_queue_redraw              (GsView         *self);

/* The zoom, shared by every view (Ctrl+plus in the window): a view of
 * w × h pixels lays itself out and draws at w / scale × h / scale design
 * pixels, scaled up as a whole. Views measure in design pixels (a GsView
 * through GsViewClass.measure_design, other widgets through
 * gs_view_zoom_measure ()), and divide pointer positions by
 * gs_view_get_scale ().
 *
 * A GsView also grows with the room it is given: given w pixels of width,
 * its height asks for up to GS_VIEW_GROW_MAX times more, in proportion to
 * w over its natural width, and it draws as much larger as both its width
 * and its height allow: at 1920×1080 the views fill the window instead of
 * keeping their size in white space. The window turns this on for large
 * windows and the presentation mode (off, views draw on whole pixels;
 * grown by a fraction, their edges are smoothed). */
#define GS_VIEW_GROW_MAX 1.25
void        gs_view_set_grow                  (gboolean        grow);
gboolean    gs_view_get_grow                  (void);
#define GS_VIEW_ZOOM_MIN 0.5
#define GS_VIEW_ZOOM_MAX 3.0
void        gs_view_set_zoom                  (double          zoom);
double      gs_view_get_zoom                  (void);
/* Design pixels per widget pixel, for `widget`. */
double      gs_view_get_scale                 (GtkWidget      *widget);
/* The widget's size in design pixels. */
void        gs_view_get_design_size           (GtkWidget      *widget,
                                               int            *width,
                                               int            *height);
/* A measure's for_size (−1 stays) in design pixels; its results in widget pixels. */
int         gs_view_design_for_size           (int             for_size);
/* Widget pixels to design pixels, and a design rectangle to widget pixels. */
void        gs_view_to_design                 (GtkWidget      *widget,
                                               double         *x,
                                               double         *y);
void        gs_view_rect_to_widget            (GtkWidget      *widget,
                                               graphene_rect_t *rect);
void        gs_view_zoom_measure              (int            *minimum,
                                               int            *natural);

/* The last drawing and what it was drawn for; zero-initialised is empty.
 * GsView keeps one; a widget that is no GsView may keep its own. */
typedef struct {
  GskRenderNode *node;   /* owned, or NULL */
  int            width;      /* design pixels */
  int            height;
  double         scale;
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

/* A setter's common part: stores `value` and notifies `pspec`. Returns
 * FALSE, doing nothing, when the value is unchanged; the caller then
 * redraws. */
gboolean    gs_view_update_int                (int            *field,
                                               int             value,
                                               GObject        *object,
                                               GParamSpec     *pspec);

/* Whether two snapshots (either may be NULL) have the same configuration
 * and length, i.e. the same natural size for a view. */
gboolean    gs_view_same_shape                (const GsSnap   *a,
                                               const GsSnap   *b);

/* "timestep-activated" (int t): a click on timestep t's column, or, when
 * the view has the keyboard focus, ← → (the previous or next timestep),
 * Home and End (the first or last). */
guint       gs_view_signal_timestep_activated (GType           type);

G_END_DECLS
