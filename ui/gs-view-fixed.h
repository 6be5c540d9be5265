/* gs-view-fixed.h — the mark of a value an intervention fixes.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where an intervention (core/gs-intervene.h) holds a value — a clamped
 * gate, a set c or h, an ablated unit — every view that draws that unit
 * at that timestep marks it the same way: a pin, a two-colour dashed
 * outline (the text colour over the background's, so that it shows on
 * any colour of the scale, in the light and the dark style) with a small
 * padlock in its top-right corner. A unit whose incoming weight was
 * edited gets the outline without the padlock. Which units are fixed is
 * the engine's rule (gs_interventions_fixes) on the interventions the
 * snapshot was computed with (GsSnapshot.iv); each view draws its legend,
 * the mark and the word "fixed", where it has room, whenever it marks
 * something.
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-intervene.h"
#include "gs-snapshot.h"
#include "gs-view-style.h"

G_BEGIN_DECLS

/* What holds quantity q (a gate letter, 'c' or 'h') of unit u of layer k
 * at t in the snapshot; GS_FIX_NONE for a NULL snapshot or none. */
GsFix gs_view_fixed_at            (const GsSnapshot      *s,
                                   int                    k,
                                   int                    t,
                                   char                   q,
                                   int                    u);
/* Whether the snapshot holds any intervention that marks something. */
gboolean gs_view_has_fixed        (const GsSnapshot      *s);
/* The mark over `rect` (the unit's cell as drawn). */
void  gs_view_append_fixed_mark   (GtkSnapshot           *snapshot,
                                   const graphene_rect_t *rect,
                                   GsFix                  fix,
                                   const GsViewColors    *colors);
/* The same in cairo, for a view that marks many units in one node. */
void  gs_view_cairo_fixed_mark    (cairo_t               *cr,
                                   double                 x,
                                   double                 y,
                                   double                 w,
                                   double                 h,
                                   GsFix                  fix,
                                   const GsViewColors    *colors);
/* The legend, a sample mark and "fixed by an intervention" (or the short
 * "fixed" when `brief`), `px` pixels high with its top left at (x, y);
 * returns its width. */
float gs_view_append_fixed_legend (GtkSnapshot           *snapshot,
                                   GtkWidget             *widget,
                                   float                  x,
                                   float                  y,
                                   float                  px,
                                   gboolean               brief,
                                   const GsViewColors    *colors);
/* The legend's width, without drawing it. */
float gs_view_fixed_legend_width  (GtkWidget             *widget,
                                   float                  px,
                                   gboolean               brief);

G_END_DECLS
