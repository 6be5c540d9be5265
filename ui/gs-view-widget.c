/* gs-view-widget.c — what every drawing widget does alike.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "gs-model.h"
#include "gs-snap.h"
#include "gs-view-widget.h"
#include "gs-view-record.h"

/* The zoom: one factor for every view of the application, as the font
 * size is one for its text. A view lays itself out and draws in design
 * pixels, its size divided by the scale; the cache scales the drawing up,
 * text and lines together, and the views divide pointer positions by it. */

static double view_zoom = 1.0;
static gboolean view_grow = FALSE;

void
gs_view_set_grow (gboolean grow)
{
  view_grow = !!grow;
}

gboolean
gs_view_get_grow (void)
{
  return view_grow;
}

void
gs_view_set_zoom (double zoom)
{
  g_return_if_fail (isfinite (zoom));

  view_zoom = CLAMP (zoom, GS_VIEW_ZOOM_MIN, GS_VIEW_ZOOM_MAX);
}

double
gs_view_get_zoom (void)
{
  return view_zoom;
}

/* The design size of a GsView (before the zoom), at for_size −1. */
static void
design_size (GtkWidget *widget,
             int       *min_w,
             int       *nat_w,
             int       *min_h,
             int       *nat_h)
{
  GsViewClass *klass = GS_VIEW_GET_CLASS (widget);

  klass->measure_design (widget, GTK_ORIENTATION_HORIZONTAL, -1, min_w, nat_w, NULL, NULL);
  klass->measure_design (widget, GTK_ORIENTATION_VERTICAL, -1, min_h, nat_h, NULL, NULL);
}

/* How much larger than the zoom a view of `width` (and `height`, −1 =
 * any) draws: in proportion to its width over its natural width, at most
 * GS_VIEW_GROW_MAX, and never more than its height holds. */
static double
growth (GtkWidget *widget,
        int        width,
        int        height)
{
  int min_w, nat_w, min_h, nat_h;
  double grow;

  if (!view_grow || !GS_IS_VIEW (widget) || GS_VIEW_GET_CLASS (widget)->measure_design == NULL)
    return 1.0;
  design_size (widget, &min_w, &nat_w, &min_h, &nat_h);
  if (nat_w <= 0 || min_h <= 0)
    return 1.0;
  grow = width / (nat_w * view_zoom);
  if (height >= 0)
    grow = MIN (grow, height / (MAX (min_h, 1) * view_zoom));
  return CLAMP (grow, 1.0, GS_VIEW_GROW_MAX);
}

double
gs_view_get_scale (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), 1.0);

  return view_zoom * growth (widget, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

void
gs_view_get_design_size (GtkWidget *widget,
                         int       *width,
                         int       *height)
{
  double scale = gs_view_get_scale (widget);

  *width = (int) floor (gtk_widget_get_width (widget) / scale);
  *height = (int) floor (gtk_widget_get_height (widget) / scale);
}

void
gs_view_to_design (GtkWidget *widget,
                   double    *x,
                   double    *y)
{
  double scale = gs_view_get_scale (widget);

  *x /= scale;
  *y /= scale;
}

void
gs_view_rect_to_widget (GtkWidget       *widget,
                        graphene_rect_t *rect)
{
  float scale = (float) gs_view_get_scale (widget);

  graphene_rect_init (rect, rect->origin.x * scale, rect->origin.y * scale,
                      rect->size.width * scale, rect->size.height * scale);
}

int
gs_view_design_for_size (int for_size)
{
  return for_size < 0 ? for_size : (int) floor (for_size / view_zoom);
}

void
gs_view_zoom_measure (int *minimum,
                      int *natural)
{
  *minimum = (int) ceil (*minimum * view_zoom);
  *natural = MAX (*minimum, (int) ceil (*natural * view_zoom));
}

/* The cached drawing */

void
gs_view_cache_snapshot (GsViewCache    *cache,
                        GtkSnapshot    *snapshot,
                        GtkWidget      *widget,
                        GsViewDrawFunc  draw)
{
  double scale = gs_view_get_scale (widget);
  int width, height;
  GsViewColors colors;

  g_assert (cache != NULL && draw != NULL);

  gs_view_get_design_size (widget, &width, &height);
  if (width <= 0 || height <= 0)
    return;

  gs_view_colors_get (&colors, widget);

  if (cache->node != NULL &&
      (width != cache->width || height != cache->height || scale != cache->scale ||
       !gdk_rgba_equal (&colors.fg, &cache->fg) || !gdk_rgba_equal (&colors.accent, &cache->accent)))
    g_clear_pointer (&cache->node, gsk_render_node_unref);

  if (cache->node == NULL)
    {
      GtkSnapshot *sub = gtk_snapshot_new ();

      if (scale != 1.0)
        gtk_snapshot_scale (sub, (float) scale, (float) scale);
      gs_view_record_begin (widget, scale);
      draw (widget, sub, width, height, &colors);
      gs_view_record_end ();
      cache->node = gtk_snapshot_free_to_node (sub);
      cache->width = width;
      cache->height = height;
      cache->scale = scale;
      cache->fg = colors.fg;
      cache->accent = colors.accent;
    }

  /* An empty drawing is no node at all. */
  if (cache->node != NULL)
    gtk_snapshot_append_node (snapshot, cache->node);
}

void
gs_view_cache_invalidate (GsViewCache *cache,
                          GtkWidget   *widget)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

void
gs_view_cache_clear (GsViewCache *cache)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
}

/* The signal the stepping views share */

guint
gs_view_signal_timestep_activated (GType type)
{
  return g_signal_new ("timestep-activated",
                       type,
                       G_SIGNAL_RUN_LAST,
                       0, NULL, NULL, NULL,
                       G_TYPE_NONE, 1, G_TYPE_INT);
}

gboolean
gs_view_same_shape (const GsSnap *a,
                    const GsSnap *b)
{
  const GsSnapshot *sa, *sb;

  if (a == NULL || b == NULL)
    return a == b;
  sa = gs_snap_get (a);
  sb = gs_snap_get (b);
  /* Configurations are plain numbers: compare them field by field. */
  return sa->T == sb->T && sa->cfg.cell == sb->cfg.cell && sa->cfg.input == sb->cfg.input &&
         sa->cfg.loss == sb->cfg.loss && sa->cfg.V == sb->cfg.V && sa->cfg.E == sb->cfg.E &&
         sa->cfg.H == sb->cfg.H && sa->cfg.L == sb->cfg.L && sa->cfg.O == sb->cfg.O &&
         sa->cfg.variant.proj == sb->cfg.variant.proj &&
         sa->cfg.variant.bidirectional == sb->cfg.variant.bidirectional;
}

gboolean
gs_view_update_int (int        *field,
                    int         value,
                    GObject    *object,
                    GParamSpec *pspec)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

/* GsView: the snapshot, the timestep, the layer and the drawing */

typedef struct
{
  /* owned */
  GsSnap      *snap;
  GsViewCache  cache;

  int          timestep;   /* −1 = none */
  int          layer;
  int          pointed_unit;   /* a lesson points at it, −1 = none */

  guint        describe_source;   /* a pending description update */
} GsViewPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GsView, gs_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SNAP,
  PROP_TIMESTEP,
  PROP_LAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
gs_view_update_description (GsView *self)
{
  GsViewPrivate *priv;
  GsViewClass *klass;
  g_autofree char *text = NULL;

  g_return_if_fail (GS_IS_VIEW (self));

  priv = gs_view_get_instance_private (self);
  klass = GS_VIEW_GET_CLASS (self);
  g_clear_handle_id (&priv->describe_source, g_source_remove);
  if (klass->describe != NULL)
    text = klass->describe (self);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static gboolean
describe_timeout (gpointer user_data)
{
  GsView *self = user_data;
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  priv->describe_source = 0;
  gs_view_update_description (self);
  return G_SOURCE_REMOVE;
}

static void
gs_view_changed (GsView       *self,
                 GsViewChange  what,
                 GsSnap       *old_snap)
{
  GsViewClass *klass = GS_VIEW_GET_CLASS (self);
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  if (klass->changed != NULL)
    klass->changed (self, what, old_snap);
  /* Training sends many snapshots a second: one description per
   * GS_VIEW_DESCRIBE_MS is plenty for a screen reader. */
  if (klass->describe != NULL && priv->describe_source == 0)
    {
      priv->describe_source = g_timeout_add (GS_VIEW_DESCRIBE_MS, describe_timeout, self);
      g_source_set_name_by_id (priv->describe_source, "[gatescope] view description");
    }
}

/* ← → Home End with the focus: the shared timestep, through the same
 * "timestep-activated" a click emits. Views without it pass the key on. */
static gboolean
move_timestep (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  GsView *self = GS_VIEW (widget);
  GsViewPrivate *priv = gs_view_get_instance_private (self);
  guint signal = g_signal_lookup ("timestep-activated", G_OBJECT_TYPE (self));
  int delta = g_variant_get_int32 (args);
  int T, t;

  if (signal == 0 || priv->snap == NULL || (T = gs_snap_get (priv->snap)->T) < 1)
    return FALSE;
  if (delta == G_MININT32)
    t = 0;
  else if (delta == G_MAXINT32)
    t = T - 1;
  else
    t = CLAMP (priv->timestep < 0 ? 0 : priv->timestep + delta, 0, T - 1);
  g_signal_emit (self, signal, 0, t);
  return TRUE;
}

static void
gs_view_real_changed (GsView       *self,
                      GsViewChange  what,
                      GsSnap       *old_snap)
{
  gs_view_queue_redraw (self);
}

static GtkSizeRequestMode
gs_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The design size, zoomed; the height, for a width, grown with it. */
static void
gs_view_measure (GtkWidget      *widget,
                 GtkOrientation  orientation,
                 int             for_size,
                 int            *minimum,
                 int            *natural,
                 int            *minimum_baseline,
                 int            *natural_baseline)
{
  GsViewClass *klass = GS_VIEW_GET_CLASS (widget);
  double grow = 1.0;

  g_assert (klass->measure_design != NULL);

  klass->measure_design (widget, orientation, gs_view_design_for_size (for_size),
                         minimum, natural, minimum_baseline, natural_baseline);
  /* The height for any width is at most the height for no width given
   * (GTK checks): unconstrained, the view counts on its largest growth. */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    grow = growth (widget, for_size >= 0 ? for_size : G_MAXINT / 2, -1);
  *minimum = (int) ceil (*minimum * view_zoom * grow);
  *natural = MAX (*minimum, (int) ceil (*natural * view_zoom * grow));
}

static void
gs_view_snapshot (GtkWidget   *widget,
                  GtkSnapshot *snapshot)
{
  GsView *self = GS_VIEW (widget);
  GsViewPrivate *priv = gs_view_get_instance_private (self);
  GsViewClass *klass = GS_VIEW_GET_CLASS (self);

  g_assert (klass->draw != NULL);

  gs_view_cache_snapshot (&priv->cache, snapshot, widget, klass->draw);
}

static void
gs_view_dispose (GObject *object)
{
  GsView *self = (GsView *) object;
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_clear_pointer (&priv->snap, gs_snap_unref);
  g_clear_handle_id (&priv->describe_source, g_source_remove);

  G_OBJECT_CLASS (gs_view_parent_class)->dispose (object);
}

static void
gs_view_finalize (GObject *object)
{
  GsView *self = (GsView *) object;
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  gs_view_cache_clear (&priv->cache);

  G_OBJECT_CLASS (gs_view_parent_class)->finalize (object);
}

static void
gs_view_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  GsView *self = GS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SNAP:
      g_value_set_boxed (value, gs_view_get_snap (self));
      break;

    case PROP_TIMESTEP:
      g_value_set_int (value, gs_view_get_timestep (self));
      break;

    case PROP_LAYER:
      g_value_set_int (value, gs_view_get_layer (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_view_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  GsView *self = GS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SNAP:
      gs_view_set_snap (self, g_value_get_boxed (value));
      break;

    case PROP_TIMESTEP:
      gs_view_set_timestep (self, g_value_get_int (value));
      break;

    case PROP_LAYER:
      gs_view_set_layer (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gs_view_class_init (GsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gs_view_dispose;
  object_class->finalize = gs_view_finalize;
  object_class->get_property = gs_view_get_property;
  object_class->set_property = gs_view_set_property;

  widget_class->snapshot = gs_view_snapshot;
  widget_class->measure = gs_view_measure;
  widget_class->get_request_mode = gs_view_get_request_mode;

  klass->changed = gs_view_real_changed;

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, move_timestep, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Left, 0, move_timestep, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, move_timestep, "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Right, 0, move_timestep, "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Home, 0, move_timestep, "i", G_MININT32);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_End, 0, move_timestep, "i", G_MAXINT32);

  /**
   * GsView:snap:
   *
   * The snapshot drawn, or %NULL.
   */
  properties[PROP_SNAP] =
    g_param_spec_boxed ("snap", NULL, NULL,
                        GS_TYPE_SNAP,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * GsView:timestep:
   *
   * The current timestep, −1 for none.
   */
  properties[PROP_TIMESTEP] =
    g_param_spec_int ("timestep", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * GsView:layer:
   *
   * The layer shown, 0 … GS_MAX_LAYERS − 1; views that draw no one layer
   * ignore it.
   */
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL,
                      0, GS_MAX_LAYERS - 1, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gs_view_init (GsView *self)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  priv->timestep = -1;
  priv->pointed_unit = -1;
  /* Reachable with Tab, its focus drawn by style.css (.gs-view). */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "gs-view");
}

GsSnap *
gs_view_get_snap (GsView *self)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_val_if_fail (GS_IS_VIEW (self), NULL);

  return priv->snap;
}

void
gs_view_set_snap (GsView *self,
                  GsSnap *snap)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);
  g_autoptr(GsSnap) old_snap = NULL;

  g_return_if_fail (GS_IS_VIEW (self));

  if (priv->snap == snap)
    return;

  /* The old snapshot lives until the subclass has compared it. */
  old_snap = g_steal_pointer (&priv->snap);
  if (snap != NULL)
    priv->snap = gs_snap_ref (snap);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP]);
  gs_view_changed (self, GS_VIEW_CHANGE_SNAP, old_snap);
}

int
gs_view_get_timestep (GsView *self)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_val_if_fail (GS_IS_VIEW (self), -1);

  return priv->timestep;
}

void
gs_view_set_timestep (GsView *self,
                      int     timestep)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_if_fail (GS_IS_VIEW (self));
  g_return_if_fail (timestep >= -1);

  if (priv->timestep == timestep)
    return;

  priv->timestep = timestep;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTEP]);
  gs_view_changed (self, GS_VIEW_CHANGE_TIMESTEP, NULL);
}

int
gs_view_get_pointed_unit (GsView *self)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_val_if_fail (GS_IS_VIEW (self), -1);

  return priv->pointed_unit;
}

void
gs_view_set_pointed_unit (GsView *self,
                          int     unit)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_if_fail (GS_IS_VIEW (self));
  g_return_if_fail (unit >= -1);

  if (priv->pointed_unit == unit)
    return;
  priv->pointed_unit = unit;
  gs_view_queue_redraw (self);
}

int
gs_view_get_layer (GsView *self)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_val_if_fail (GS_IS_VIEW (self), 0);

  return priv->layer;
}

void
gs_view_set_layer (GsView *self,
                   int     layer)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_if_fail (GS_IS_VIEW (self));
  g_return_if_fail (layer >= 0 && layer < GS_MAX_LAYERS);

  if (priv->layer == layer)
    return;

  priv->layer = layer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  gs_view_changed (self, GS_VIEW_CHANGE_LAYER, NULL);
}

void
gs_view_queue_redraw (GsView *self)
{
  GsViewPrivate *priv = gs_view_get_instance_private (self);

  g_return_if_fail (GS_IS_VIEW (self));

  gs_view_cache_invalidate (&priv->cache, GTK_WIDGET (self));
}
