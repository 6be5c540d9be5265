/* gs-chart-view.c — one comparison chart (gs-chart.h) as a widget.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing is gs_chart_draw's, into the cairo context of
 * gtk_snapshot_append_cairo: the same code as the PNG, SVG and PDF exports
 * and as gatescope-cli compare. What the widget adds is its style (light
 * or dark, from the luminance of its own text colour), a transparent
 * background so the chart sits on its card, a cache of the last drawing,
 * and the hover: the pointer's x is mapped back to a step through
 * gs_chart_unmap_x and the chart marks it with every configuration's value.
 *
 * Drawing a few thousand noisy steps with their bands takes cairo tens of
 * milliseconds, and new records arrive up to 30 times a second. So the
 * widget rasterises the chart itself, into an image surface, timing it;
 * new records are then shown no sooner than REDRAW_FACTOR times that cost
 * after the last drawing, which keeps the main loop at most a third busy
 * with charts however long the run. What the user does (hover, log scale,
 * smoothing, resizing, style) is drawn at once.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-chart-view.h"
#include "gs-text-drawn.h"

#define NATURAL_W 640
#define NATURAL_H 360
#define MIN_W     320
#define MIN_H     220
#define HINT_PX   18     /* the empty state's text */
#define SCREEN_FONT_PX 16.0  /* the least tick and legend text on screen */
#define REDRAW_FACTOR  3                      /* records wait ≥ 3 × the last drawing's cost */
#define REDRAW_MAX_US  (G_USEC_PER_SEC / 2)   /* … but never longer than this */

/* ───────────────────────── GsChartRecords ───────────────────────── */

struct _GsChartRecords
{
  GsCompare *records;   /* owned, without trainers */
};

G_DEFINE_BOXED_TYPE (GsChartRecords, gs_chart_records, gs_chart_records_ref, gs_chart_records_unref)

static void
gs_chart_records_clear (GsChartRecords *records)
{
  g_clear_pointer (&records->records, gs_compare_free);
}

GsChartRecords *
gs_chart_records_new_take (GsCompare *records)
{
  GsChartRecords *self;

  g_return_val_if_fail (records != NULL, NULL);

  self = g_atomic_rc_box_new0 (GsChartRecords);
  self->records = records;
  return self;
}

GsChartRecords *
gs_chart_records_ref (GsChartRecords *records)
{
  g_return_val_if_fail (records != NULL, NULL);

  return g_atomic_rc_box_acquire (records);
}

void
gs_chart_records_unref (GsChartRecords *records)
{
  g_return_if_fail (records != NULL);

  g_atomic_rc_box_release_full (records, (GDestroyNotify) gs_chart_records_clear);
}

const GsCompare *
gs_chart_records_get (const GsChartRecords *records)
{
  g_return_val_if_fail (records != NULL, NULL);

  return records->records;
}

/* ───────────────────────── GsChartView ───────────────────────── */

struct _GsChartView
{
  GtkWidget       parent_instance;

  /* owned */
  GsChartRecords *records;
  GskRenderNode  *cache;        /* the last drawing, or NULL */
  guint           redraw_id;    /* a deferred redraw for new records, or 0 */

  gint64          drawn_at;     /* monotonic µs of the last drawing */
  gint64          draw_cost;    /* µs it took */

  /* what the cache was drawn for (besides the properties, which clear it) */
  int             cache_width;
  int             cache_height;
  gboolean        cache_dark;

  GsChartKind     kind;
  gboolean        log_y;
  double          smoothing;
  int             hover;
};

G_DEFINE_FINAL_TYPE (GsChartView, gs_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_RECORDS,
  PROP_LOG_Y,
  PROP_SMOOTHING,
  PROP_HOVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gs_chart_view_invalidate (GsChartView *self)
{
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Dark style: the text is lighter than mid-grey (Rec. 709 luma). */
static gboolean
gs_chart_view_is_dark (GsChartView *self)
{
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

static void
fill_options (GsChartView    *self,
              GsChartOptions *o,
              gboolean        dark)
{
  gs_chart_options_default (o, self->kind);
  if (dark)
    gs_chart_colors_dark (&o->colors);
  o->log_y = self->log_y;
  o->smoothing = (float) self->smoothing;
  o->hover = self->hover;
  /* gs-chart's own rule, min(w, h) / 38, but never below 16 px on screen:
   * the back row of a classroom reads the ticks and the legend */
  o->font_px = CLAMP (MIN (gtk_widget_get_width (GTK_WIDGET (self)),
                           gtk_widget_get_height (GTK_WIDGET (self))) / 38.0, SCREEN_FONT_PX, 28.0);
}

static const char *
accessible_label (GsChartKind kind)
{
  switch (kind)
    {
    case GS_CHART_LOSS:     return _("Training loss of every configuration");
    case GS_CHART_ACCURACY: return _("Accuracy of every configuration");
    case GS_CHART_FLOW:     return _("Gradient flow of every configuration");
    default:                return _("Comparison of the configurations");
    }
}

static const char *
empty_hint (GsChartKind kind)
{
  switch (kind)
    {
    case GS_CHART_ACCURACY: return _("Accuracy: the share of right answers, where the task has them");
    case GS_CHART_FLOW:     return _("Gradient flow: how far back in time the loss’s gradient reaches");
    default:                return _("Press Start to train the cells side by side");
    }
}

static void
gs_chart_view_draw_hint (GsChartView   *self,
                         GtkSnapshot   *snapshot,
                         int            width,
                         int            height)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  GdkRGBA color;
  int w, h;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  color.alpha *= 0.55f;
  font = pango_font_description_copy (pango_context_get_font_description (
             gtk_widget_get_pango_context (GTK_WIDGET (self))));
  pango_font_description_set_absolute_size (font, HINT_PX * PANGO_SCALE);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), empty_hint (self->kind));
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, MAX (1, width - 32) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  /* the layout is as wide as the widget less the margins; it centres the lines */
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (16.0f, (height - h) / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  gs_text_drawn (layout);
}

/* The chart at the widget's size (in device pixels on a scaled display). */
static GdkTexture *
gs_chart_view_rasterize (GsChartView          *self,
                         const GsChartOptions *o,
                         int                   width,
                         int                   height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture = NULL;
  cairo_t *cr;

  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      cr = cairo_create (surface);
      cairo_scale (cr, scale, scale);
      gs_chart_draw (cr, gs_chart_records_get (self->records), o, width, height);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      /* cairo's ARGB32 is GDK's default memory format */
      bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                           (gsize) cairo_image_surface_get_stride (surface) * (gsize) (height * scale));
      texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                        (gsize) cairo_image_surface_get_stride (surface));
    }
  cairo_surface_destroy (surface);
  return texture;
}

static gboolean
on_redraw_due (gpointer data)
{
  GsChartView *self = GS_CHART_VIEW (data);

  self->redraw_id = 0;
  gs_chart_view_invalidate (self);
  return G_SOURCE_REMOVE;
}

/* New records: drawn now, or once the last drawing is REDRAW_FACTOR times
 * its cost in the past. */
static void
gs_chart_view_queue_records_redraw (GsChartView *self)
{
  gint64 wait = MIN (REDRAW_FACTOR * self->draw_cost, REDRAW_MAX_US)
                - (g_get_monotonic_time () - self->drawn_at);

  if (self->redraw_id != 0)
    return;
  if (self->cache == NULL || wait <= 0)
    {
      gs_chart_view_invalidate (self);
      return;
    }
  self->redraw_id = g_timeout_add ((guint) MAX (wait / 1000, 1), on_redraw_due, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->redraw_id),
                            "[gatescope] chart redraw");
}

static void
gs_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  GsChartView *self = GS_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark;

  if (width <= 0 || height <= 0)
    return;

  dark = gs_chart_view_is_dark (self);
  if (self->cache != NULL &&
      (width != self->cache_width || height != self->cache_height || dark != self->cache_dark))
    g_clear_pointer (&self->cache, gsk_render_node_unref);

  if (self->cache == NULL)
    {
      GtkSnapshot *sub = gtk_snapshot_new ();

      if (self->records == NULL)
        {
          gs_chart_view_draw_hint (self, sub, width, height);
        }
      else
        {
          g_autoptr(GdkTexture) texture = NULL;
          GsChartOptions o;
          gint64 start = g_get_monotonic_time ();

          fill_options (self, &o, dark);
          o.colors.background.a = 0.0;   /* the card shows through */
          texture = gs_chart_view_rasterize (self, &o, width, height);
          if (texture != NULL)
            gtk_snapshot_append_texture (sub, texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
          self->drawn_at = g_get_monotonic_time ();
          self->draw_cost = self->drawn_at - start;
        }
      self->cache = gtk_snapshot_free_to_node (sub);
      self->cache_width = width;
      self->cache_height = height;
      self->cache_dark = dark;
    }

  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);
}

static void
gs_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_W;
      *natural = NATURAL_W;
    }
  else
    {
      *minimum = MIN_H;
      *natural = NATURAL_H;
    }
}

static void
gs_chart_view_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (gs_chart_view_parent_class)->css_changed (widget, change);
  gs_chart_view_invalidate (GS_CHART_VIEW (widget));
}

/* The pointer over the plot area marks the step under it; elsewhere nothing. */
static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           GsChartView              *self)
{
  GsChartLayout lay;
  int hover = -1;

  if (self->kind != GS_CHART_OVERVIEW && gs_chart_view_get_layout (self, &lay)
      && x >= lay.x - lay.font_px && x <= lay.x + lay.w + lay.font_px
      && y >= lay.y && y <= lay.y + lay.h)
    hover = gs_chart_unmap_x (&lay, x);
  gs_chart_view_set_hover (self, hover);
}

static void
on_leave (GtkEventControllerMotion *motion,
          GsChartView              *self)
{
  gs_chart_view_set_hover (self, -1);
}

static void
gs_chart_view_finalize (GObject *object)
{
  GsChartView *self = GS_CHART_VIEW (object);

  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_pointer (&self->records, gs_chart_records_unref);
  g_clear_pointer (&self->cache, gsk_render_node_unref);

  G_OBJECT_CLASS (gs_chart_view_parent_class)->finalize (object);
}

static void
gs_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GsChartView *self = GS_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_RECORDS:
      g_value_set_boxed (value, self->records);
      break;
    case PROP_LOG_Y:
      g_value_set_boolean (value, self->log_y);
      break;
    case PROP_SMOOTHING:
      g_value_set_double (value, self->smoothing);
      break;
    case PROP_HOVER:
      g_value_set_int (value, self->hover);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_chart_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GsChartView *self = GS_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      gs_chart_view_set_kind (self, (GsChartKind) g_value_get_int (value));
      break;
    case PROP_RECORDS:
      gs_chart_view_set_records (self, g_value_get_boxed (value));
      break;
    case PROP_LOG_Y:
      gs_chart_view_set_log_y (self, g_value_get_boolean (value));
      break;
    case PROP_SMOOTHING:
      gs_chart_view_set_smoothing (self, g_value_get_double (value));
      break;
    case PROP_HOVER:
      gs_chart_view_set_hover (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_chart_view_class_init (GsChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gs_chart_view_finalize;
  object_class->get_property = gs_chart_view_get_property;
  object_class->set_property = gs_chart_view_set_property;

  widget_class->snapshot = gs_chart_view_snapshot;
  widget_class->measure = gs_chart_view_measure;
  widget_class->css_changed = gs_chart_view_css_changed;

  /* A GsChartKind (gs-chart.h is plain C: no enum GType). */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, GS_N_CHART_KINDS - 1, GS_CHART_LOSS,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORDS] =
    g_param_spec_boxed ("records", NULL, NULL, GS_TYPE_CHART_RECORDS,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOG_Y] =
    g_param_spec_boolean ("log-y", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SMOOTHING] =
    g_param_spec_double ("smoothing", NULL, NULL, 0.0, 0.99, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HOVER] =
    g_param_spec_int ("hover", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_chart_view_init (GsChartView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->kind = GS_CHART_LOSS;
  self->hover = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label (self->kind),
                                  -1);
}

GtkWidget *
gs_chart_view_new (GsChartKind kind)
{
  g_return_val_if_fail ((unsigned) kind < GS_N_CHART_KINDS, NULL);

  return g_object_new (GS_TYPE_CHART_VIEW, "kind", (int) kind, NULL);
}

GsChartKind
gs_chart_view_get_kind (GsChartView *self)
{
  g_return_val_if_fail (GS_IS_CHART_VIEW (self), GS_CHART_LOSS);

  return self->kind;
}

void
gs_chart_view_set_kind (GsChartView *self,
                        GsChartKind  kind)
{
  g_return_if_fail (GS_IS_CHART_VIEW (self));
  g_return_if_fail ((unsigned) kind < GS_N_CHART_KINDS);

  if (self->kind == kind)
    return;
  self->kind = kind;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label (kind),
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  gs_chart_view_invalidate (self);
}

GsChartRecords *
gs_chart_view_get_records (GsChartView *self)
{
  g_return_val_if_fail (GS_IS_CHART_VIEW (self), NULL);

  return self->records;
}

void
gs_chart_view_set_records (GsChartView    *self,
                           GsChartRecords *records)
{
  g_return_if_fail (GS_IS_CHART_VIEW (self));

  if (self->records == records)
    return;
  if (records != NULL)
    gs_chart_records_ref (records);
  g_clear_pointer (&self->records, gs_chart_records_unref);
  self->records = records;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDS]);
  if (records != NULL)
    gs_chart_view_queue_records_redraw (self);
  else
    gs_chart_view_invalidate (self);
}

gboolean
gs_chart_view_get_log_y (GsChartView *self)
{
  g_return_val_if_fail (GS_IS_CHART_VIEW (self), FALSE);

  return self->log_y;
}

void
gs_chart_view_set_log_y (GsChartView *self,
                         gboolean     log_y)
{
  g_return_if_fail (GS_IS_CHART_VIEW (self));

  log_y = !!log_y;
  if (self->log_y == log_y)
    return;
  self->log_y = log_y;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_Y]);
  gs_chart_view_invalidate (self);
}

double
gs_chart_view_get_smoothing (GsChartView *self)
{
  g_return_val_if_fail (GS_IS_CHART_VIEW (self), 0.0);

  return self->smoothing;
}

void
gs_chart_view_set_smoothing (GsChartView *self,
                             double       smoothing)
{
  g_return_if_fail (GS_IS_CHART_VIEW (self));

  smoothing = CLAMP (smoothing, 0.0, 0.99);
  if (self->smoothing == smoothing)
    return;
  self->smoothing = smoothing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMOOTHING]);
  gs_chart_view_invalidate (self);
}

int
gs_chart_view_get_hover (GsChartView *self)
{
  g_return_val_if_fail (GS_IS_CHART_VIEW (self), -1);

  return self->hover;
}

void
gs_chart_view_set_hover (GsChartView *self,
                         int          hover)
{
  g_return_if_fail (GS_IS_CHART_VIEW (self));

  hover = MAX (hover, -1);
  if (self->hover == hover)
    return;
  self->hover = hover;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER]);
  gs_chart_view_invalidate (self);
}

gboolean
gs_chart_view_get_options (GsChartView    *self,
                           GsChartOptions *options)
{
  g_return_val_if_fail (GS_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  fill_options (self, options, gs_chart_view_is_dark (self));
  options->colors.background.a = 0.0;
  return self->records != NULL && gtk_widget_get_width (GTK_WIDGET (self)) > 0
         && gtk_widget_get_height (GTK_WIDGET (self)) > 0;
}

gboolean
gs_chart_view_get_layout (GsChartView   *self,
                          GsChartLayout *layout)
{
  GsChartOptions o;
  int width, height;

  g_return_val_if_fail (GS_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (layout != NULL, FALSE);

  if (!gs_chart_view_get_options (self, &o) || self->kind == GS_CHART_OVERVIEW)
    return FALSE;
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  gs_chart_layout (layout, gs_chart_records_get (self->records), &o, 0.0, 0.0, width, height);
  return TRUE;
}

gboolean
gs_chart_view_export (GsChartView  *self,
                      GsChartKind   kind,
                      const char   *format,
                      const char   *path,
                      int           width,
                      int           height,
                      GError      **error)
{
  const GsCompare *cmp;
  GsChartOptions o;
  GsError err = { { 0 } };
  int rc;

  g_return_val_if_fail (GS_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail ((unsigned) kind < GS_N_CHART_KINDS, FALSE);
  g_return_val_if_fail (format != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->records == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is nothing to export yet: start a comparison first"));
      return FALSE;
    }
  cmp = gs_chart_records_get (self->records);

  /* The screen's options, on an opaque background of the same style, and
   * without the pointer's marker. */
  fill_options (self, &o, gs_chart_view_is_dark (self));
  o.kind = kind;
  o.hover = -1;
  o.font_px = 0.0;   /* from the file's size */
  if (kind == GS_CHART_ACCURACY && !cmp->has_accuracy)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This task has no accuracy to chart"));
      return FALSE;
    }

  if (g_ascii_strcasecmp (format, "png") == 0)
    rc = gs_chart_export_png (path, width, height, cmp, &o, &err);
  else if (g_ascii_strcasecmp (format, "svg") == 0)
    rc = gs_chart_export_svg (path, width, height, cmp, &o, &err);
  else if (g_ascii_strcasecmp (format, "pdf") == 0)
    rc = gs_chart_export_pdf (path, width, height, cmp, &o, &err);
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Unknown image format “%s” (PNG, SVG or PDF)"), format);
      return FALSE;
    }
  if (rc != GS_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, err.msg);
      return FALSE;
    }
  return TRUE;
}
