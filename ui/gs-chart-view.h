/* gs-chart-view.h — one comparison chart (gs-chart.h) as a widget.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget draws, with the very cairo code the exports and the CLI use,
 * one chart of a comparison's records: the loss, the accuracy, the gradient
 * flow or the overview. It never sees a trainer: it draws a GsChartRecords,
 * a reference-counted, read-only copy of the records
 * (gs_compare_copy_records) that the comparison's worker thread handed to
 * the main loop. Hovering the plot marks the step (or distance) under the
 * pointer and shows every configuration's value there.
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-chart.h"
#include "gs-compare.h"

G_BEGIN_DECLS

/* ── GsChartRecords: a comparison's records, shared read-only ── */

#define GS_TYPE_CHART_RECORDS (gs_chart_records_get_type ())

typedef struct _GsChartRecords GsChartRecords;

GType            gs_chart_records_get_type (void) G_GNUC_CONST;
/* Takes ownership of `records`, a trainer-free copy (gs_compare_copy_records). */
GsChartRecords  *gs_chart_records_new_take (GsCompare *records);
GsChartRecords  *gs_chart_records_ref      (GsChartRecords *records);
void             gs_chart_records_unref    (GsChartRecords *records);
const GsCompare *gs_chart_records_get      (const GsChartRecords *records);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsChartRecords, gs_chart_records_unref)

/* ── GsChartView ── */

#define GS_TYPE_CHART_VIEW (gs_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (GsChartView, gs_chart_view, GS, CHART_VIEW, GtkWidget)

GtkWidget      *gs_chart_view_new           (GsChartKind     kind);

GsChartKind     gs_chart_view_get_kind      (GsChartView    *self);
void            gs_chart_view_set_kind      (GsChartView    *self,
                                             GsChartKind     kind);
GsChartRecords *gs_chart_view_get_records   (GsChartView    *self);
void            gs_chart_view_set_records   (GsChartView    *self,
                                             GsChartRecords *records);
gboolean        gs_chart_view_get_log_y     (GsChartView    *self);
void            gs_chart_view_set_log_y     (GsChartView    *self,
                                             gboolean        log_y);
/* EMA factor α of the curves, 0 ≤ α < 1 (0 = raw). */
double          gs_chart_view_get_smoothing (GsChartView    *self);
void            gs_chart_view_set_smoothing (GsChartView    *self,
                                             double          smoothing);
/* The step (or distance) whose values are shown, −1 = none. Set by the
 * pointer; settable for tests and keyboard users. */
int             gs_chart_view_get_hover     (GsChartView    *self);
void            gs_chart_view_set_hover     (GsChartView    *self,
                                             int             hover);

/* What the widget draws with at its current size and style: the options
 * (colours included) and, for a single chart, where the plot area is.
 * FALSE when the widget has no size or no records yet. */
gboolean        gs_chart_view_get_options   (GsChartView    *self,
                                             GsChartOptions *options);
gboolean        gs_chart_view_get_layout    (GsChartView    *self,
                                             GsChartLayout  *layout);

/* Draws the widget's chart (or `kind`, with the same options) into a file
 * of width × height pixels: "png", "svg" or "pdf", written atomically. */
gboolean        gs_chart_view_export        (GsChartView    *self,
                                             GsChartKind     kind,
                                             const char     *format,
                                             const char     *path,
                                             int             width,
                                             int             height,
                                             GError        **error);

G_END_DECLS
