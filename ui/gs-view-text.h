/* gs-view-text.h — the text every view writes: Pango layouts, numbers, labels.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One version of what each drawing widget used to carry a copy of: a
 * layout at an absolute pixel size, placed on whole pixels; a centred,
 * wrapped message for an empty state; short labels for numbers of any
 * size; and the characters a snapshot's tokens and classes stand for.
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snapshot.h"

G_BEGIN_DECLS

/* Layouts and where they go */

/* A layout of `text` in the widget's font at `px` pixels, bold or regular. */
PangoLayout *gs_view_text_layout          (GtkWidget             *widget,
                                           const char            *text,
                                           double                 px,
                                           gboolean               bold);
/* Draws `layout` with its top left at (x, y), rounded to whole pixels. */
void         gs_view_text_append          (GtkSnapshot           *snapshot,
                                           PangoLayout           *layout,
                                           float                  x,
                                           float                  y,
                                           const GdkRGBA         *color);
/* Draws `layout` centred in `area`. */
void         gs_view_text_append_centred  (GtkSnapshot           *snapshot,
                                           PangoLayout           *layout,
                                           const graphene_rect_t *area,
                                           const GdkRGBA         *color);
/* A message centred in `area`, word-wrapped to its width less `margin`. */
void         gs_view_text_append_message  (GtkSnapshot           *snapshot,
                                           GtkWidget             *widget,
                                           const char            *text,
                                           double                 px,
                                           const graphene_rect_t *area,
                                           float                  margin,
                                           const GdkRGBA         *color);

/* Numbers, newly allocated */

/* A short label for a number of any size: "0.12", "-1", "150", "8.3e-4". */
char        *gs_view_format_compact       (float                  v);
/* `v` with `decimals` decimals, never "-0.00": a value that rounds to zero
 * is written without a sign. */
char        *gs_view_format_fixed         (double                 v,
                                           int                    decimals);
/* Drops, in place, the sign of every number in text that printf wrote as
 * a negative zero ("-0", "-0.00", "-0.000" become "0", "0.00", "0.000");
 * other numbers and the minus sign − (U+2212) of the formulas are left
 * alone. Returns text. */
char        *gs_view_text_drop_negative_zero (char                  *text);
/* A probability for a bar: "0.71"; below 0.01, one more decimal ("0.003"),
 * so that the bars of a vocabulary of hundreds do not all read 0.00; and
 * "<0.001" below that. */
char        *gs_view_format_probability   (float                  p);
/* "10⁻³": a power of ten with a superscript exponent. */
char        *gs_view_format_power_of_ten  (int                    e);
/* "₁₂" for 12, "₋₁" for −1. */
char        *gs_view_format_subscript     (int                    n);

/* What a snapshot's tokens and classes stand for */

/* The input character at t, a blank shown as its symbol ("␣" for a space,
 * "⬚" for U+3000: gs_visible_token), or NULL for dense input. */
const char  *gs_view_input_label          (const GsSnapshot      *s,
                                           int                    t);
/* x_t as text: the token, or the first dense features ("0.53, 1.00, …");
 * NULL when unknown. Free with g_free (). */
char        *gs_view_input_text           (const GsSnapshot      *s,
                                           int                    t);
/* The label of output class o (a blank as its symbol, gs_visible_token),
 * or "?" when it has none. */
const char  *gs_view_output_label         (const GsSnapshot      *s,
                                           int                    o);
/* The most probable class at t (the first of equals). */
int          gs_view_predicted_class      (const GsSnapshot      *s,
                                           int                    t);

G_END_DECLS
