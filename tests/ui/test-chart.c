/* test-chart.c — the comparison charts (ui/gs-chart.h), without a display.
 *
 *   pixels   an image-surface render of the loss, flow and overview charts:
 *            each configuration's colour is at the pixel where the chart's
 *            own mapping puts its mean curve, and not at the other curves'
 *   exports  PNG, SVG and PDF files are valid and have the requested size;
 *            the PNG holds exactly the pixels of a render; nothing is left
 *            behind but the file; an unwritable path is an error
 *   zh       the PNG export of `gatescope-cli compare --png` under
 *            LC_ALL=zh_CN.UTF-8: every text laid out (gs_text_drawn) has a
 *            glyph for each character, the powers of ten "10⁻³" included
 *            (cairo's toy text API drew "10▯3" there: the CJK font it chose
 *            for the string has no superscripts)
 */
#include <dirent.h>
#include <libintl.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include "gs-chart.h"
#include "gs-file.h"
#include "gs-test.h"
#include "gs-text-drawn.h"

static GsCompare *
make_compare (int steps)
{
  static const GsCell cells[3] = { GS_CELL_RNN_TANH, GS_CELL_LSTM, GS_CELL_GRU };
  GsCompareConfig cfgs[3];
  uint64_t seeds[2] = { 0, 1 };
  GsError err = { { 0 } };
  GsCompare *cmp;

  for (int c = 0; c < 3; c++) {
    memset (&cfgs[c], 0, sizeof cfgs[c]);
    snprintf (cfgs[c].label, sizeof cfgs[c].label, "%s", gs_cell_name (cells[c]));
    gs_train_config_default (&cfgs[c].cfg);
    cfgs[c].cfg.cell = cells[c];
  }
  cmp = gs_compare_new (cfgs, 3, seeds, 2, &err);
  if (cmp == NULL) {
    fprintf (stderr, "gs_compare_new: %s\n", err.msg);
    exit (1);
  }
  for (int s = 0; s < steps; s++)
    gs_compare_step (cmp, &err);
  return cmp;
}

/* The pixel (x, y) of an ARGB32 surface as r, g, b in [0, 1]. */
static void
pixel (cairo_surface_t *s, int x, int y, double rgb[3])
{
  const unsigned char *data = cairo_image_surface_get_data (s);
  uint32_t p = *(const uint32_t *) (data + (size_t) y * cairo_image_surface_get_stride (s) + (size_t) x * 4);

  rgb[0] = ((p >> 16) & 0xff) / 255.0;
  rgb[1] = ((p >> 8) & 0xff) / 255.0;
  rgb[2] = (p & 0xff) / 255.0;
}

static bool
near_color (const double rgb[3], GsChartRgba c, double tol)
{
  return fabs (rgb[0] - c.r) <= tol && fabs (rgb[1] - c.g) <= tol && fabs (rgb[2] - c.b) <= tol;
}

/* For chart `lay` of kind lay->kind: at every x where the mean curves of
 * all configurations are at least `gap` pixels apart, the pixel on curve c
 * has colour c and none of the others'. Counts hits per configuration. */
static void
check_curves (cairo_surface_t *surface, const GsCompare *cmp, const GsChartLayout *lay, float alpha,
              const char *what)
{
  int n = lay->kind == GS_CHART_FLOW ? cmp->runs[0].flow_T : cmp->step;
  float *mean[3], *lo, *hi;
  int checked[3] = { 0, 0, 0 }, right[3] = { 0, 0, 0 }, wrong = 0;
  double gap = lay->line_px * 3.0;

  lo = malloc (sizeof (float) * (size_t) n);
  hi = malloc (sizeof (float) * (size_t) n);
  for (int c = 0; c < 3; c++) {
    mean[c] = malloc (sizeof (float) * (size_t) n);
    if (lay->kind == GS_CHART_FLOW)
      gs_compare_flow_aggregate (cmp, c, mean[c], lo, hi, n);
    else
      gs_compare_aggregate (cmp, c, lay->kind == GS_CHART_ACCURACY ? GS_METRIC_ACCURACY : GS_METRIC_LOSS,
                            alpha, mean[c], lo, hi, NULL, n);
  }
  for (int i = 0; i < n; i++) {
    double x = lay->kind == GS_CHART_FLOW ? i : i + 1;
    double px[3], py[3];
    bool apart = true;

    for (int c = 0; c < 3; c++)
      apart = apart && gs_chart_map_point (lay, x, mean[c][i], &px[c], &py[c])
              && py[c] > lay->y + gap && py[c] < lay->y + lay->h - gap;
    for (int a = 0; apart && a < 3; a++)
      for (int b = a + 1; b < 3; b++)
        apart = apart && fabs (py[a] - py[b]) > gap;
    if (!apart)
      continue;
    for (int c = 0; c < 3; c++) {
      double rgb[3];
      pixel (surface, (int) floor (px[c]), (int) floor (py[c]), rgb);
      checked[c]++;
      right[c] += near_color (rgb, gs_chart_palette (c), 0.06);
      if (!near_color (rgb, gs_chart_palette (c), 0.06))
        fprintf (stderr, "%s: configuration %d at (%.1f, %.1f): colour %.3f %.3f %.3f\n", what, c, px[c], py[c],
                 rgb[0], rgb[1], rgb[2]);
      for (int o = 0; o < 3; o++)
        if (o != c && near_color (rgb, gs_chart_palette (o), 0.15))
          wrong++;
    }
  }
  for (int c = 0; c < 3; c++) {
    GS_CHECK (checked[c] >= 3, "%s: configuration %d is apart from the others at %d points (want ≥ 3)",
              what, c, checked[c]);
    GS_CHECK (right[c] == checked[c], "%s: configuration %d's colour is on its curve at %d of %d points",
              what, c, right[c], checked[c]);
    free (mean[c]);
  }
  GS_CHECK (wrong == 0, "%s: no curve's pixel has another configuration's colour (%d do)", what, wrong);
  free (lo);
  free (hi);
}

static cairo_surface_t *
render (const GsCompare *cmp, const GsChartOptions *o, int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  gs_chart_draw (cr, cmp, o, w, h);
  GS_CHECK (cairo_status (cr) == CAIRO_STATUS_SUCCESS, "cairo draws without error");
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static void
test_pixels (const GsCompare *cmp)
{
  GsChartOptions o;
  GsChartLayout lay;
  cairo_surface_t *s;
  double rgb[3];

  /* the loss chart, log y, smoothed */
  gs_chart_options_default (&o, GS_CHART_LOSS);
  o.log_y = true;
  o.smoothing = 0.3f;
  s = render (cmp, &o, 900, 600);
  gs_chart_layout (&lay, cmp, &o, 0, 0, 900, 600);
  GS_CHECK (lay.font_px >= 14.0 && lay.line_px >= 3.0, "text ≥ 14 px (%g), lines ≥ 3 px (%g)",
            lay.font_px, lay.line_px);
  check_curves (s, cmp, &lay, o.smoothing, "loss, log y");
  pixel (s, 2, 2, rgb);
  GS_CHECK (near_color (rgb, o.colors.background, 0.01), "the light background fills the corner");
  cairo_surface_destroy (s);

  /* the loss chart, linear, dark */
  gs_chart_options_default (&o, GS_CHART_LOSS);
  gs_chart_colors_dark (&o.colors);
  s = render (cmp, &o, 900, 600);
  gs_chart_layout (&lay, cmp, &o, 0, 0, 900, 600);
  pixel (s, 2, 2, rgb);
  GS_CHECK (near_color (rgb, o.colors.background, 0.01), "the dark background fills the corner");
  {
    /* a linear axis starts at 0: loss 0 is the bottom of the plot */
    double px, py;
    gs_chart_map_point (&lay, 1.0, 0.0, &px, &py);
    GS_CHECK (fabs (py - (lay.y + lay.h)) < 1e-9 && fabs (px - lay.x) < 1e-9,
              "(step 1, loss 0) maps to the plot's bottom-left corner");
  }
  cairo_surface_destroy (s);

  /* the gradient-flow chart, log y */
  gs_chart_options_default (&o, GS_CHART_FLOW);
  o.log_y = true;
  s = render (cmp, &o, 900, 600);
  gs_chart_layout (&lay, cmp, &o, 0, 0, 900, 600);
  GS_CHECK (lay.x_min == 0.0 && lay.x_max == 4.0, "flow's x runs over the distances 0 … T−1 = 4 (%g … %g)",
            lay.x_min, lay.x_max);
  check_curves (s, cmp, &lay, 0.0f, "flow");
  cairo_surface_destroy (s);

  /* the overview's loss panel, where gs_chart_overview_rects puts it */
  gs_chart_options_default (&o, GS_CHART_OVERVIEW);
  o.log_y = true;
  o.font_px = 16.0;
  s = render (cmp, &o, 1200, 700);
  {
    double loss[4], acc[4], flow[4];
    GsChartOptions sub = o;
    gs_chart_overview_rects (cmp, 1200, 700, loss, acc, flow);
    GS_CHECK (acc[2] > 0.0 && acc[3] > 0.0, "hello has accuracy: the overview has an accuracy panel");
    sub.kind = GS_CHART_LOSS;
    gs_chart_layout (&lay, cmp, &sub, loss[0], loss[1], loss[2], loss[3]);
    check_curves (s, cmp, &lay, 0.0f, "overview, loss panel");
  }
  cairo_surface_destroy (s);

  /* the hover rule and markers land on the step asked for */
  gs_chart_options_default (&o, GS_CHART_LOSS);
  o.log_y = true;
  gs_chart_layout (&lay, cmp, &o, 0, 0, 900, 600);
  {
    int at = gs_chart_unmap_x (&lay, lay.x + lay.w * 0.5);
    double px, py;
    gs_chart_map_point (&lay, at, 1.0, &px, &py);
    GS_CHECK (fabs (px - (lay.x + lay.w * 0.5)) <= lay.w / (lay.x_max - lay.x_min) * 0.5 + 1e-9,
              "unmap_x gives the step under the pointer (%d)", at);
    GS_CHECK (gs_chart_unmap_x (&lay, -100.0) == (int) lay.x_min && gs_chart_unmap_x (&lay, 1e6) == (int) lay.x_max,
              "unmap_x clamps to the range");
  }
}

static bool
read_file (const char *path, unsigned char **data, size_t *len)
{
  GsError err;
  return gs_file_read (path, 1 << 26, data, len, &err) == GS_OK;
}

/* Only the named files are in dir: no temporary file is left behind. */
static int
count_entries (const char *dir)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    n += e->d_name[0] != '.';
  closedir (d);
  return n;
}

static void
test_exports (const GsCompare *cmp, const char *dir)
{
  GsChartOptions o;
  GsError err = { { 0 } };
  char png[4096], svg[4096], pdf[4096], bad[4096];
  unsigned char *data = NULL;
  size_t len = 0;
  const int W = 640, H = 400;

  gs_chart_options_default (&o, GS_CHART_OVERVIEW);
  snprintf (png, sizeof png, "%s/chart.png", dir);
  snprintf (svg, sizeof svg, "%s/chart.svg", dir);
  snprintf (pdf, sizeof pdf, "%s/chart.pdf", dir);

  GS_CHECK (gs_chart_export_png (png, W, H, cmp, &o, &err) == GS_OK, "export PNG: %s", err.msg);
  GS_CHECK (gs_chart_export_svg (svg, W, H, cmp, &o, &err) == GS_OK, "export SVG: %s", err.msg);
  GS_CHECK (gs_chart_export_pdf (pdf, W, H, cmp, &o, &err) == GS_OK, "export PDF: %s", err.msg);
  GS_CHECK (count_entries (dir) == 3, "the directory holds the three files and nothing else (%d entries)",
            count_entries (dir));

  /* PNG: read back by cairo, the requested size, the pixels of a render */
  {
    cairo_surface_t *back = cairo_image_surface_create_from_png (png);
    cairo_surface_t *ref = render (cmp, &o, W, H);
    bool ok = cairo_surface_status (back) == CAIRO_STATUS_SUCCESS;

    GS_CHECK (ok, "the PNG reads back");
    if (ok) {
      int diff = 0;
      GS_CHECK (cairo_image_surface_get_width (back) == W && cairo_image_surface_get_height (back) == H,
                "the PNG is %d×%d (got %d×%d)", W, H, cairo_image_surface_get_width (back),
                cairo_image_surface_get_height (back));
      for (int y = 0; y < H && cairo_image_surface_get_height (back) == H; y++)
        diff += memcmp (cairo_image_surface_get_data (back) + (size_t) y * cairo_image_surface_get_stride (back),
                        cairo_image_surface_get_data (ref) + (size_t) y * cairo_image_surface_get_stride (ref),
                        (size_t) W * 4) != 0;
      GS_CHECK (diff == 0, "the PNG holds the pixels of an on-screen render (%d rows differ)", diff);
    }
    cairo_surface_destroy (back);
    cairo_surface_destroy (ref);
  }

  /* SVG: an <svg> element whose width and height are the requested pixels */
  if (GS_CHECK (read_file (svg, &data, &len), "the SVG reads")) {
    const char *root = strstr ((const char *) data, "<svg");
    char want_w[32], want_h[32];
    const char *end = root ? strchr (root, '>') : NULL;
    bool ok = root != NULL && end != NULL;
    snprintf (want_w, sizeof want_w, " width=\"%dpx\"", W);
    snprintf (want_h, sizeof want_h, " height=\"%dpx\"", H);
    if (ok) {
      const char *w = strstr (root, want_w), *h = strstr (root, want_h);
      ok = w != NULL && w < end && h != NULL && h < end;
    }
    GS_CHECK (strncmp ((const char *) data, "<?xml", 5) == 0, "the SVG starts with an XML declaration");
    GS_CHECK (ok, "the SVG's root says width=\"%dpx\" height=\"%dpx\"", W, H);
    GS_CHECK (strstr ((const char *) data, "</svg>") != NULL, "the SVG is complete");
    free (data);
  }

  /* PDF: the header, a MediaBox of the requested size, the end-of-file marker */
  if (GS_CHECK (read_file (pdf, &data, &len), "the PDF reads")) {
    char want[64];
    bool found = false;
    snprintf (want, sizeof want, "/MediaBox [ 0 0 %d %d ]", W, H);
    for (size_t i = 0; i + strlen (want) <= len && !found; i++)
      found = memcmp (data + i, want, strlen (want)) == 0;
    GS_CHECK (len > 8 && memcmp (data, "%PDF-", 5) == 0, "the PDF starts with %%PDF-");
    GS_CHECK (found, "the PDF's page is %d×%d points (%s)", W, H, want);
    GS_CHECK (len > 6 && memmem (data + len - 16, 16, "%%EOF", 5) != NULL, "the PDF ends with %%%%EOF");
    free (data);
  }

  /* errors */
  snprintf (bad, sizeof bad, "%s/missing/chart.png", dir);
  GS_CHECK (gs_chart_export_png (bad, W, H, cmp, &o, &err) == GS_FAIL && err.msg[0] != '\0',
            "exporting into a missing directory fails with a message ('%s')", err.msg);
  GS_CHECK (gs_chart_export_svg (png, 10, H, cmp, &o, &err) == GS_FAIL, "a 10-pixel chart is refused ('%s')",
            err.msg);
  remove (png);
  remove (svg);
  remove (pdf);
}

static void
test_empty (void)
{
  GsCompare *cmp = make_compare (0);
  GsChartOptions o;
  cairo_surface_t *s;

  /* before the first step: axes and a message, no crash */
  for (int k = 0; k < GS_N_CHART_KINDS; k++) {
    gs_chart_options_default (&o, (GsChartKind) k);
    o.log_y = k % 2 == 0;
    o.hover = 3;
    s = render (cmp, &o, 300, 200);
    cairo_surface_destroy (s);
  }
  GsChartKind kind;
  GS_CHECK (gs_chart_kind_from_name ("flow", &kind) == GS_OK && kind == GS_CHART_FLOW
            && gs_chart_kind_from_name ("pie", &kind) == GS_FAIL, "chart kinds by name");
  gs_compare_free (cmp);
}

typedef struct {
  int layouts, missing, powers, chinese;
} Drawn;

static void
on_text_drawn (const char *text, int unknown_glyphs, void *data)
{
  Drawn *d = data;

  d->layouts++;
  if (strstr (text, "10⁻") != NULL)
    d->powers++;
  /* a lead byte of U+4000…U+9FFF: the CJK ideographs */
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    if (*p >= 0xE4 && *p <= 0xE9) {
      d->chinese++;
      break;
    }
  if (unknown_glyphs > 0) {
    d->missing++;
    fprintf (stderr, "no glyph for %d character(s) of “%s”\n", unknown_glyphs, text);
  }
}

static void
test_zh (const GsCompare *cmp, const char *dir)
{
  char png[256];
  GsChartOptions o;
  GsError err = { { 0 } };
  Drawn d = { 0 };
  const char *locale = setlocale (LC_ALL, "zh_CN.UTF-8");

  if (!GS_CHECK (locale != NULL, "the zh_CN.UTF-8 locale is installed (build-aux/bootstrap.sh check generates it)"))
    return;
  /* the build's catalogs: the titles and axes in Chinese, as the CLI run
   * from build/ writes them */
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  snprintf (png, sizeof png, "%s/zh.png", dir);
  /* what `gatescope-cli compare --png zh.png --log-y` draws */
  gs_chart_options_default (&o, GS_CHART_OVERVIEW);
  o.log_y = true;
  gs_text_drawn_set_hook (on_text_drawn, &d);
  GS_CHECK (gs_chart_export_png (png, 1200, 700, cmp, &o, &err) == GS_OK, "zh_CN PNG export: %s", err.msg);
  gs_text_drawn_set_hook (NULL, NULL);
  GS_CHECK (d.layouts > 20, "the overview lays out its texts (%d)", d.layouts);
  GS_CHECK (d.powers > 0, "a log axis is labelled 10⁻ⁿ (%d labels)", d.powers);
  GS_CHECK (d.chinese > 0, "titles and axes are in Chinese (%d texts)", d.chinese);
  GS_CHECK (d.missing == 0, "no text has an unknown glyph under zh_CN.UTF-8 (%d have)", d.missing);
  remove (png);
  setlocale (LC_ALL, "C.UTF-8");
}

int
main (void)
{
  char dir[] = "/tmp/gs-test-chart.XXXXXX";
  GsCompare *cmp;

  if (mkdtemp (dir) == NULL) {
    perror ("mkdtemp");
    return 1;
  }
  cmp = make_compare (120);
  test_pixels (cmp);
  test_exports (cmp, dir);
  test_empty ();
  test_zh (cmp, dir);
  gs_compare_free (cmp);
  rmdir (dir);
  return gs_test_finish ("chart");
}
