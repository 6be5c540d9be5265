/* gs-window-unit-menu.c — a unit's own menu of interventions.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A right click on a unit in the cell view, the unrolled view or a
 * heatmap — or the Menu key or Shift+F10 while the view has the focus —
 * opens the view's context menu (gs-window-export.c) with a section for
 * the unit first: "Clamp this gate…", "Zero h", "Ablate unit". Each
 * fills the Intervene form (gs-window-intervene.c) with the unit's layer,
 * unit, timestep and gate in the syntax of `gatescope-cli step`, and opens
 * it for the user to check and apply. From the keyboard the unit is the
 * one a lesson points at (else unit 0) at the view's timestep.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Window"

#include <string.h>

#include <glib/gi18n.h>

#include "gs-heatmap.h"
#include "gs-window-private.h"

gboolean
_gs_window_can_pop_up (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;

  /* a view on a page not shown has no place on screen for a popover, nor
   * has a window the display has not put on a monitor yet */
  return gtk_widget_get_mapped (widget) && surface != NULL
         && gdk_display_get_monitor_at_surface (gtk_widget_get_display (widget), surface) != NULL;
}

gboolean
_gs_window_can_pop_up_at (GtkWidget              *widget,
                          const graphene_point_t *point)
{
  GtkWidget *native;
  graphene_point_t p;

  if (!_gs_window_can_pop_up (widget))
    return FALSE;
  /* GDK lays a popover out on the monitor under the point it points at: a
   * point scrolled out of the window's sight may be on none (then GTK 4.8
   * asks the geometry of no monitor, a critical) */
  native = GTK_WIDGET (gtk_widget_get_native (widget));
  return gtk_widget_compute_point (widget, native, point, &p)
         && p.x >= 0.0f && p.y >= 0.0f
         && p.x < gtk_widget_get_width (native) && p.y < gtk_widget_get_height (native);
}

/* The unit the menu was opened on. */
typedef struct {
  int  layer, unit, t;
  char gate;   /* '\0': none (h, c) */
} UnitTarget;

static const char *const clampable = "ifgorz";

static char
gate_of_letter (char letter)
{
  return letter != '\0' && strchr (clampable, letter) != NULL ? letter : '\0';
}

/* Units of the cell view at its timestep: its gate boxes, c_t, h_t and,
 * as the previous timestep's, c_{t−1} and h_{t−1}. */
static gboolean
cell_unit_at (GsWindow   *self,
              GsCellView *view,
              double      x,
              double      y,
              UnitTarget *out)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (view));
  const int t = gs_view_get_timestep (GS_VIEW (view));
  char boxes[GS_MAX_GATES + 5];

  if (snap == NULL || t < 0)
    return FALSE;
  g_snprintf (boxes, sizeof boxes, "%shcHC", gs_snap_get (snap)->gates);
  for (const char *b = boxes; *b != '\0'; b++)
    for (int u = 0; u < GS_MAX_HIDDEN; u++)
      {
        graphene_rect_t r;

        if (!gs_cell_view_get_unit_rect (view, *b, u, &r))
          break;
        if (!graphene_rect_contains_point (&r, &GRAPHENE_POINT_INIT (x, y)))
          continue;
        *out = (UnitTarget) { self->layer, u, *b == 'H' || *b == 'C' ? t - 1 : t,
                              *b == 'h' && gs_snap_get (snap)->cfg.cell != GS_CELL_LSTM
                              && gs_snap_get (snap)->cfg.cell != GS_CELL_GRU ? '\0' : gate_of_letter (*b) };
        /* c_{t−1}, h_{t−1} of t = 0: the initial state, not a timestep */
        return out->t >= 0;
      }
  return FALSE;
}

static gboolean
heatmap_unit_at (GsWindow  *self,
                 GsHeatmap *map,
                 double     x,
                 double     y,
                 UnitTarget *out)
{
  const char *quantity = gs_heatmap_get_quantity (map);
  const int t = gs_heatmap_timestep_at (map, x, y);

  if (t < 0 || quantity == NULL)
    return FALSE;
  for (int u = 0; u < GS_MAX_HIDDEN; u++)
    {
      graphene_rect_t r;

      if (!gs_heatmap_get_cell_rect (map, t, u, &r))
        break;
      if (y >= r.origin.y && y < r.origin.y + r.size.height)
        {
          *out = (UnitTarget) { gs_view_get_layer (GS_VIEW (map)), u, t,
                                quantity[1] == '\0' ? gate_of_letter (quantity[0]) : '\0' };
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
unrolled_unit_at (GsUnrolledView *view,
                  double          x,
                  double          y,
                  UnitTarget     *out)
{
  const int t = gs_unrolled_view_timestep_at (view, x, y);

  for (int k = 0; t >= 0 && k < GS_MAX_LAYERS; k++)
    for (int which = 0; which < 2; which++)
      for (int u = 0; u < GS_MAX_HIDDEN; u++)
        {
          graphene_rect_t r;
          int first, end;

          if (!gs_unrolled_view_get_unit_rect (view, t, k, which == 0 ? 'h' : 'c', u, &r, &first, &end))
            break;
          if (graphene_rect_contains_point (&r, &GRAPHENE_POINT_INIT (x, y)))
            {
              *out = (UnitTarget) { k, u, t, '\0' };
              return TRUE;
            }
        }
  return FALSE;
}

gboolean
_gs_window_unit_at (GsWindow  *self,
                    GtkWidget *view,
                    double     x,
                    double     y,
                    int       *layer,
                    int       *unit,
                    int       *t,
                    char      *gate)
{
  UnitTarget target;
  gboolean found;

  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (GS_IS_VIEW (view), FALSE);

  if (GS_IS_CELL_VIEW (view))
    found = cell_unit_at (self, GS_CELL_VIEW (view), x, y, &target);
  else if (GS_IS_HEATMAP (view))
    found = heatmap_unit_at (self, GS_HEATMAP (view), x, y, &target);
  else if (GS_IS_UNROLLED_VIEW (view))
    found = unrolled_unit_at (GS_UNROLLED_VIEW (view), x, y, &target);
  else
    found = FALSE;
  if (!found)
    return FALSE;
  *layer = target.layer;
  *unit = target.unit;
  *t = target.t;
  *gate = target.gate;
  return TRUE;
}

/* From the keyboard: the unit a lesson points at (else 0) at the view's
 * timestep (else 0), and where it is drawn. */
static gboolean
keyboard_target (GsWindow        *self,
                 GtkWidget       *view,
                 UnitTarget      *out,
                 graphene_rect_t *rect)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (view));
  const int unit = MAX (gs_view_get_pointed_unit (GS_VIEW (view)), 0);
  const int t = MAX (gs_view_get_timestep (GS_VIEW (view)), 0);
  int first, end;

  if (snap == NULL)
    return FALSE;
  *out = (UnitTarget) { gs_view_get_layer (GS_VIEW (view)), unit, t, '\0' };
  if (GS_IS_HEATMAP (view))
    {
      const char *quantity = gs_heatmap_get_quantity (GS_HEATMAP (view));
      out->gate = quantity != NULL && quantity[1] == '\0' ? gate_of_letter (quantity[0]) : '\0';
      return gs_heatmap_get_cell_rect (GS_HEATMAP (view), t, unit, rect);
    }
  if (GS_IS_CELL_VIEW (view))
    {
      /* the first gate of the cell, or h */
      char box = gate_of_letter (gs_snap_get (snap)->gates[0]);
      out->layer = self->layer;
      out->gate = box;
      return gs_cell_view_get_unit_rect (GS_CELL_VIEW (view), box != '\0' ? box : 'h', unit, rect);
    }
  out->layer = self->layer;
  return gs_unrolled_view_get_unit_rect (GS_UNROLLED_VIEW (view), t, self->layer, 'h', unit, rect, &first, &end);
}

static void
on_unit_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  GsWindow *self = GS_WINDOW (data);
  const UnitTarget *u = g_object_get_data (G_OBJECT (self), "gs-unit-target");
  const char *name = g_action_get_name (G_ACTION (action));
  g_autofree char *spec = NULL;

  if (u == NULL)
    return;
  if (g_strcmp0 (name, "clamp") == 0)
    {
      /* a σ gate at 1 (let through), the tanh candidate g at 0 */
      spec = g_strdup_printf ("%d:%c:%d@%d=%d", u->layer + 1, u->gate, u->unit, u->t, u->gate == 'g' ? 0 : 1);
      _gs_window_prefill_intervention (self, GS_IV_CLAMP, spec);
    }
  else if (g_strcmp0 (name, "zero-h") == 0)
    {
      spec = g_strdup_printf ("%d:%d@%d=0", u->layer + 1, u->unit, u->t);
      _gs_window_prefill_intervention (self, GS_IV_SET_H, spec);
    }
  else
    {
      spec = g_strdup_printf ("%d:%d", u->layer + 1, u->unit);
      _gs_window_prefill_intervention (self, GS_IV_ABLATE, spec);
    }
}

GMenuItem *
_gs_window_unit_section (GsWindow        *self,
                         GtkWidget       *view,
                         double           x,
                         double           y,
                         graphene_rect_t *rect)
{
  GActionGroup *group = g_object_get_data (G_OBJECT (self), "gs-unit-actions");
  g_autoptr (GMenu) section = NULL;
  UnitTarget target;
  GAction *clamp;
  g_autofree char *label = NULL;

  g_assert (GS_IS_WINDOW (self));
  g_assert (GTK_IS_WIDGET (view));

  g_object_set_data (G_OBJECT (self), "gs-unit-target", NULL);
  if (!GS_IS_VIEW (view))
    return NULL;
  if (x >= 0.0)
    {
      if (!_gs_window_unit_at (self, view, x, y, &target.layer, &target.unit, &target.t, &target.gate))
        return NULL;
      *rect = GRAPHENE_RECT_INIT (x, y, 1, 1);
    }
  else if (!keyboard_target (self, view, &target, rect))
    return NULL;
  g_object_set_data_full (G_OBJECT (self), "gs-unit-target", g_memdup2 (&target, sizeof target), g_free);
  clamp = g_action_map_lookup_action (G_ACTION_MAP (group), "clamp");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (clamp), target.gate != '\0');

  section = g_menu_new ();
  /* Translators: the menu of a unit (right click): fill the Intervene form to clamp the gate shown. */
  g_menu_append (section, _("Clamp this gate…"), "unit.clamp");
  /* Translators: the menu of a unit: fill the Intervene form to set this unit's h to 0 at this timestep. */
  g_menu_append (section, _("Zero h"), "unit.zero-h");
  /* Translators: the menu of a unit: fill the Intervene form to ablate it (h = 0 at every step). */
  g_menu_append (section, _("Ablate unit"), "unit.ablate");
  /* the section's title names the unit (short: GTK 4.8 clips a title
   * wider than the items); its layer and timestep are where it was clicked */
  label = g_strdup_printf (_("unit %d"), target.unit);
  return g_menu_item_new_section (label, G_MENU_MODEL (section));
}

void
_gs_window_init_unit_menu (GsWindow *self)
{
  static const GActionEntry entries[] = {
    { .name = "clamp", .activate = on_unit_action },
    { .name = "zero-h", .activate = on_unit_action },
    { .name = "ablate", .activate = on_unit_action },
  };
  GSimpleActionGroup *group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "unit", G_ACTION_GROUP (group));
  g_object_set_data_full (G_OBJECT (self), "gs-unit-actions", group, g_object_unref);
}
