/* gs-colormap.h — the one colour scale every view uses.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A diverging scale (ColorBrewer's RdBu, blue for negative, red for
 * positive) around a centre that is the view's neutral value: 0 for tanh
 * outputs, states and gradients, 0.5 for sigmoid gates (closed ← → open).
 * In the dark style the centre is a mid grey instead of near-white, so a
 * neutral unit does not glare on a projector, yet lighter than the cards,
 * so that it does not vanish into them either. The legend is drawn by the
 * same code so that a colour always means the same number.
 */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>
#include <stdbool.h>

G_BEGIN_DECLS

typedef struct {
  float lo;       /* value drawn fully blue */
  float centre;   /* value drawn neutral */
  float hi;       /* value drawn fully red */
} GsColorRange;

/* The natural range of a gate's activation ('i','f','o','r','z' sigmoid:
 * 0..1 around 0.5; 'g','n','h' tanh: −1..1 around 0). */
GsColorRange gs_color_range_for_gate (char gate);
/* A symmetric range ±max|v| over n values (at least ±floor). */
GsColorRange gs_color_range_symmetric (const float *v, gsize n, float floor);

/* The colour of `value` (clamped to the range). */
void gs_colormap_diverging (GdkRGBA *out, float value, GsColorRange range, bool dark);

/* The mean of the colours of n values v[0], v[stride], … : what a pixel
 * that stands for all of them shows. n ≥ 1. */
void gs_colormap_mean (GdkRGBA *out, const float *v, gsize stride, int n, GsColorRange range, bool dark);

/* More items than pixels: n items in `bins` ≤ n runs, item k in run
 * ⌊k · bins / n⌋; run i holds items [*first, *end), never none. */
int  gs_colormap_bin_of   (int k, int bins, int n);
void gs_colormap_bin_span (int i, int bins, int n, int *first, int *end);

/* Where `value` sits on the scale, 0..1 (for legends and tests). */
float gs_colormap_position (float value, GsColorRange range);

/* A horizontal legend bar in (x, y, width, height) with tick labels at lo,
 * centre and hi in the given colour and pixel size. */
void gs_colormap_draw_legend (cairo_t *cr, double x, double y, double width, double height,
                              GsColorRange range, bool dark, const GdkRGBA *text, double font_px);

G_END_DECLS
