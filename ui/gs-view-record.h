/* gs-view-record.h — where each view drew its text and its unit cells, for tests.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A layout test asks the views themselves what they drew: every layout
 * drawn through gs_view_text_append () (its ink rectangle and its type
 * size) and every unit cell a view reports with gs_view_record_unit ()
 * (a square that stands for one hidden unit or a bin of them), and the
 * boxes and chips that hold labels (gs_view_record_unit () with
 * GS_VIEW_RECORD_BOX: the cell's gate cards and the tag where hₜ goes
 * next, the unrolled network's input chips). GsView
 * brackets each redraw with gs_view_record_begin () and _end (), so the
 * rectangles arrive in the view's own widget pixels, the zoom and the
 * growth applied. Normally nothing is recorded and each call costs a
 * test of one pointer. Not thread-safe: tests only.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  GS_VIEW_RECORD_TEXT,   /* a layout: `text`, `px` its type size */
  GS_VIEW_RECORD_UNIT,   /* a unit cell (or a bin of units): a square of the unrolled view */
  GS_VIEW_RECORD_BAR,    /* a unit's bar in a gate of the cell view */
  GS_VIEW_RECORD_BOX,    /* a box or chip that holds labels: a text centred in it stays inside */
} GsViewRecordKind;

typedef struct {
  GtkWidget        *view;   /* the widget that drew it */
  GsViewRecordKind  kind;
  graphene_rect_t   rect;   /* widget pixels: the text's ink, the cell */
  double            px;     /* the type size in widget pixels (text), else 0 */
  const char       *text;   /* the text (text), else NULL; valid for the call */
  int               units;  /* how many units the cell stands for (unit), else 0 */
  gboolean          ellipsized;  /* the text ends in "…" where it did not fit (text) */
} GsViewRecord;

typedef void (*GsViewRecordFunc) (const GsViewRecord *record,
                                  gpointer            data);

/* Installs (or, with NULL, removes) the hook. */
void     gs_view_record_set_hook (GsViewRecordFunc       func,
                                  gpointer               data);
/* Whether a hook is installed and a view is drawing. */
gboolean gs_view_recording       (void);

/* A view starts or ends drawing at `scale` widget pixels per design pixel. */
void     gs_view_record_begin    (GtkWidget             *view,
                                  double                 scale);
void     gs_view_record_end      (void);

/* `layout` drawn with its top left at (x, y) design pixels. */
void     gs_view_record_text     (PangoLayout           *layout,
                                  float                  x,
                                  float                  y);
/* A unit cell (GS_VIEW_RECORD_UNIT) or bar drawn at `rect` (design
 * pixels), standing for `units` units; or a box of labels
 * (GS_VIEW_RECORD_BOX, `units` 0). */
void     gs_view_record_unit     (GsViewRecordKind       kind,
                                  const graphene_rect_t *rect,
                                  int                    units);

G_END_DECLS
