/* gs-chart.h — the comparison charts, drawn with plain cairo.
 *
 * One drawing code for the screen and for files: the GUI calls
 * gs_chart_draw from its snapshot, the CLI and the export buttons call
 * gs_chart_export_* which draw the same into cairo's image, SVG and PDF
 * surfaces. No GTK here, so that gatescope-cli links it without a display.
 *
 * Charts of a GsCompare (core/gs-compare.h):
 *   loss       loss per step, one colour per configuration: the mean over
 *              seeds as a line, the min–max over seeds as a translucent band
 *   accuracy   the same for accuracy (cross-entropy tasks)
 *   flow       gradient flow: ‖dL/dh_t‖ of the top layer against the
 *              distance back in time d = T−1−t, averaged over recent steps
 *   overview   loss on the left, accuracy and flow stacked on the right
 *
 * Colours per configuration come from Okabe and Ito's palette for colour
 * vision deficiencies (Okabe & Ito 2008, "Color Universal Design"), in a
 * fixed order, so a configuration keeps its colour across charts.
 */
#pragma once

#include <stdbool.h>

#include <cairo.h>

#include "gs-compare.h"
#include "gs-error.h"

typedef enum {
  GS_CHART_LOSS,
  GS_CHART_ACCURACY,
  GS_CHART_FLOW,
  GS_CHART_OVERVIEW,
  GS_N_CHART_KINDS
} GsChartKind;

int         gs_chart_kind_from_name (const char *name, GsChartKind *out);

typedef struct {
  double r, g, b, a;
} GsChartRgba;

typedef struct {
  GsChartRgba background;
  GsChartRgba foreground;   /* text, axes */
  GsChartRgba grid;
  GsChartRgba panel;        /* legend and hover boxes */
} GsChartColors;

void gs_chart_colors_light (GsChartColors *c);
void gs_chart_colors_dark  (GsChartColors *c);

#define GS_CHART_PALETTE_SIZE 7
/* Colour of configuration i (wraps around after GS_CHART_PALETTE_SIZE). */
GsChartRgba gs_chart_palette (int i);

typedef struct {
  GsChartKind   kind;
  bool          log_y;      /* loss chart (and the flow chart outside the overview) */
  float         smoothing;  /* EMA factor α of the curves, 0 ≤ α < 1; 0 = raw */
  double        font_px;    /* tick and legend text; 0 = from the size (never below 14) */
  int           hover;      /* step (loss, accuracy) or distance (flow) whose values are shown; < 0 = none */
  const char   *title;      /* NULL = the kind's own */
  GsChartColors colors;
} GsChartOptions;

/* Linear y, no smoothing, automatic text size, no hover, light colours. */
void gs_chart_options_default (GsChartOptions *o, GsChartKind kind);

/* Where a single chart (not the overview) puts its data, in device units. */
typedef struct {
  GsChartKind kind;
  double x, y, w, h;     /* the plot area */
  double x_min, x_max;   /* data range along x: steps, or distances */
  double y_min, y_max;   /* data range along y (decades when log_y) */
  bool   log_y;
  double font_px;
  double line_px;        /* width of a mean line */
} GsChartLayout;

/* Lays out chart `o->kind` (not GS_CHART_OVERVIEW) of cmp in the rectangle
 * (x, y, width, height). */
void gs_chart_layout (GsChartLayout *lay, const GsCompare *cmp, const GsChartOptions *o,
                      double x, double y, double width, double height);
/* The rectangles of the panels of an overview of the given size: the loss,
 * accuracy (zero-sized when the task has none) and flow panels. */
void gs_chart_overview_rects (const GsCompare *cmp, double width, double height,
                              double loss[4], double accuracy[4], double flow[4]);
/* A data point to device units; false when it has no place (y ≤ 0 on a log axis,
 * not finite). Points outside the ranges map outside the plot area. */
bool   gs_chart_map_point (const GsChartLayout *lay, double x, double y, double *px, double *py);
/* Device x to data x (for hovering): the nearest whole step or distance,
 * clamped to the range. */
int    gs_chart_unmap_x   (const GsChartLayout *lay, double px);

/* Draws the chart (any kind, overview included) into (0, 0, width, height). */
void gs_chart_draw (cairo_t *cr, const GsCompare *cmp, const GsChartOptions *o,
                    double width, double height);

/* The same drawing into a file of width × height pixels (SVG in px, PDF in
 * points), written atomically. */
int gs_chart_export_png (const char *path, int width, int height,
                         const GsCompare *cmp, const GsChartOptions *o, GsError *err);
int gs_chart_export_svg (const char *path, int width, int height,
                         const GsCompare *cmp, const GsChartOptions *o, GsError *err);
int gs_chart_export_pdf (const char *path, int width, int height,
                         const GsCompare *cmp, const GsChartOptions *o, GsError *err);
