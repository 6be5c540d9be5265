/* gs-window-intervene.c — asking the network "what if" from the window.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An "Intervene" button at the end of the scrubber's row opens a form: what to do
 * (clamp a gate, set c, set h, ablate a unit) and where, in the syntax of
 * `gatescope-cli step --clamp` (gs-intervene.h), filled in with the layer
 * and timestep the views show. The list goes to the worker as a session
 * command (gs_session_set_interventions), which computes the sequence
 * again with it. Under the epoch scrubber a bar, shown while interventions
 * hold, lists them — each with a button that removes it — and the
 * prediction of the sequence with them beside the one without.
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Window"

#include <math.h>

#include <glib/gi18n.h>

#include "gs-intervene.h"
#include "gs-window-private.h"

/* The form's choices, in the drop-down's order. */
static const struct {
  GsIvKind    kind;
  const char *label;
} kinds[] = {
  { GS_IV_CLAMP,  N_("Clamp a gate") },
  { GS_IV_SET_C,  N_("Set the cell state c") },
  { GS_IV_SET_H,  N_("Set the hidden state h") },
  { GS_IV_ABLATE, N_("Ablate a unit") },
};

/* What the entry starts with for a kind, at the views' layer and timestep. */
static char *
example_spec (GsWindow *self,
              GsIvKind  kind)
{
  const int layer = self->layer + 1, t = MAX (self->timestep, 0);

  switch (kind)
    {
    case GS_IV_CLAMP:  return g_strdup_printf ("%d:f:*=1", layer);
    case GS_IV_SET_C:  return g_strdup_printf ("%d:*@%d=0", layer, t);
    case GS_IV_SET_H:  return g_strdup_printf ("%d:0@%d=0", layer, t);
    case GS_IV_ABLATE: return g_strdup_printf ("%d:0", layer);
    case GS_IV_WEIGHT:
    default:           return g_strdup ("");
    }
}

static void
on_kind_changed (GsWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->iv_kind);
  g_autofree char *spec = NULL;

  /* the form was just filled for a unit (the unit menu): keep it */
  if (g_object_steal_data (G_OBJECT (self->iv_entry), "gs-prefilled") != NULL)
    return;
  spec = example_spec (self, kinds[MIN (i, G_N_ELEMENTS (kinds) - 1)].kind);
  gtk_editable_set_text (GTK_EDITABLE (self->iv_entry), spec);
}

gboolean
_gs_window_prefill_intervention (GsWindow   *self,
                                 GsIvKind    kind,
                                 const char *spec)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      {
        gtk_drop_down_set_selected (self->iv_kind, i);
        gtk_editable_set_text (GTK_EDITABLE (self->iv_entry), spec);
        if (_gs_window_can_pop_up (GTK_WIDGET (self->iv_button))
            && !gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (self->iv_button))))
          {
            /* opening the popover would put the example back */
            g_object_set_data (G_OBJECT (self->iv_entry), "gs-prefilled", GINT_TO_POINTER (1));
            gtk_menu_button_popup (self->iv_button);
            g_object_steal_data (G_OBJECT (self->iv_entry), "gs-prefilled");
          }
        gtk_widget_grab_focus (self->iv_entry);
        return TRUE;
      }
  return FALSE;
}

/* One intervention in words. */
static char *
describe (const GsIntervention *iv)
{
  g_autofree char *units = NULL;
  g_autofree char *when = NULL;

  if (iv->u0 == 0 && iv->u1 < 0)
    units = g_strdup (_("every unit"));
  else if (iv->u1 < 0)
    /* Translators: a range of units from %d to the last. */
    units = g_strdup_printf (_("units %d to the last"), iv->u0);
  else if (iv->u1 == iv->u0 + 1)
    units = g_strdup_printf (_("unit %d"), iv->u0);
  else
    /* Translators: a range of units, both ends included. */
    units = g_strdup_printf (_("units %d–%d"), iv->u0, iv->u1 - 1);
  when = iv->t < 0 ? g_strdup (_("every step")) : g_strdup_printf (_("t = %d"), iv->t);

  switch (iv->kind)
    {
    case GS_IV_CLAMP:
      /* Translators: "Layer 1: f = 1 · every unit · every step". */
      return g_strdup_printf (_("Layer %d: %c = %g · %s · %s"), iv->layer + 1, iv->gate_letter,
                              (double) iv->value, units, when);
    case GS_IV_SET_C:
      return g_strdup_printf (_("Layer %d: c = %g · %s · %s"), iv->layer + 1, (double) iv->value, units, when);
    case GS_IV_SET_H:
    case GS_IV_ABLATE:
      return g_strdup_printf (_("Layer %d: h = %g · %s · %s"), iv->layer + 1, (double) iv->value, units, when);
    case GS_IV_WEIGHT:
    default:
      return g_strdup_printf (_("Weight %s = %g"), iv->tensor, (double) iv->value);
    }
}

static void
on_remove_clicked (GtkButton *button,
                   GsWindow  *self)
{
  const GsInterventions *now = gs_session_get_interventions (self->session);
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "gs-index"));
  GsInterventions list = { .n = 0 };

  for (int i = 0; i < now->n; i++)
    if (i != index)
      list.item[list.n++] = now->item[i];
  gs_session_set_interventions (self->session, &list);
}

static void
update_comparison (GsWindow *self)
{
  const char *with, *without;
  float loss_with, loss_without;
  g_autofree char *text = NULL;

  if (!gs_session_get_comparison (self->session, &with, &without, &loss_with, &loss_without))
    {
      gtk_label_set_label (self->iv_compare, "");
      return;
    }
  if (*with != '\0' || *without != '\0')
    /* Translators: the sequence's prediction with the interventions and without them, and the two losses. */
    text = g_strdup_printf (_("With them: “%s” (loss %.3f)     Without: “%s” (loss %.3f)"),
                            with, (double) loss_with, without, (double) loss_without);
  else
    /* Translators: a regression task: the losses of the sequence with the interventions and without them. */
    text = g_strdup_printf (_("Loss with them %.4g, without %.4g"), (double) loss_with, (double) loss_without);
  gtk_label_set_label (self->iv_compare, text);
}

static void
on_interventions (GsWindow *self)
{
  const GsInterventions *list = gs_session_get_interventions (self->session);
  GtkWidget *child;

  g_assert (GS_IS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (self->iv_list)) != NULL)
    gtk_box_remove (GTK_BOX (self->iv_list), child);
  for (int i = 0; i < list->n; i++)
    {
      g_autofree char *text = describe (&list->item[i]);
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");

      gtk_widget_add_css_class (chip, "intervention");
      gtk_box_append (GTK_BOX (chip), gtk_label_new (text));
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_tooltip_text (remove, _("Remove this intervention"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove this intervention"), -1);
      g_object_set_data (G_OBJECT (remove), "gs-index", GINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      gtk_box_append (GTK_BOX (chip), remove);
      gtk_box_append (GTK_BOX (self->iv_list), chip);
    }
  gtk_widget_set_visible (self->iv_bar, list->n > 0);
  update_comparison (self);
}

static void
on_add (GsWindow *self)
{
  guint i = MIN (gtk_drop_down_get_selected (self->iv_kind), G_N_ELEMENTS (kinds) - 1);
  const char *spec = gtk_editable_get_text (GTK_EDITABLE (self->iv_entry));
  GsInterventions list = *gs_session_get_interventions (self->session);
  GsError err;

  if (gs_interventions_parse (&list, kinds[i].kind, spec, &err) != GS_OK)
    {
      gs_window_show_toast (self, err.msg);
      return;
    }
  gs_session_set_interventions (self->session, &list);
  gtk_menu_button_popdown (self->iv_button);
}

gboolean
_gs_window_add_intervention (GsWindow   *self,
                             guint       kind_index,
                             const char *spec)
{
  g_return_val_if_fail (GS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (kind_index < G_N_ELEMENTS (kinds), FALSE);

  gtk_drop_down_set_selected (self->iv_kind, kind_index);
  gtk_editable_set_text (GTK_EDITABLE (self->iv_entry), spec);
  g_signal_emit_by_name (self->iv_add, "clicked");
  return TRUE;
}

void
_gs_window_init_interventions (GsWindow *self)
{
  GtkWidget *form, *help, *title;
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkWidget *popover;

  /* the form, in a popover of the transport bar's "Intervene" button */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_string_list_append (names, _(kinds[i].label));
  self->iv_kind = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (names), NULL));
  self->iv_entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (self->iv_entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->iv_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Where and what value"), -1);
  /* Translators: the add button of the intervention form. */
  self->iv_add = gtk_button_new_with_label (_("Apply"));
  gtk_widget_add_css_class (self->iv_add, "suggested-action");
  help = gtk_label_new (_("LAYER:GATE:UNITS[@T]=VALUE for a gate (1:f:*=1 keeps every f at 1; 2:o:3@4=0 "
                          "closes o of unit 3 at t = 4); LAYER:UNITS[@T]=VALUE for c or h; LAYER:UNITS to "
                          "ablate. Layers count from 1, units and timesteps from 0; * is every unit, no @T "
                          "every step."));
  gtk_label_set_wrap (GTK_LABEL (help), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (help), 48);
  gtk_label_set_xalign (GTK_LABEL (help), 0);
  gtk_widget_add_css_class (help, "dim-label");
  form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (self->iv_kind));
  gtk_box_append (GTK_BOX (form), self->iv_entry);
  gtk_box_append (GTK_BOX (form), help);
  gtk_box_append (GTK_BOX (form), self->iv_add);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), form);
  gtk_popover_set_default_widget (GTK_POPOVER (popover), self->iv_add);

  self->iv_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  /* Translators: the button that opens the form to clamp a gate, set a state or ablate a unit. */
  gtk_menu_button_set_label (self->iv_button, _("Intervene"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->iv_button),
                               _("Ask the network “what if”: clamp a gate, set c or h, or ablate a unit"));
  gtk_menu_button_set_popover (self->iv_button, popover);
  /* at the end of the scrubber's row: the transport bar sets the window's
   * minimum width (1024 pixels: a projector) and has no room left */
  gtk_box_append (GTK_BOX (self->scrub_bar), GTK_WIDGET (self->iv_button));

  /* the bar of active interventions, under the epoch scrubber */
  self->iv_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->iv_bar, "intervention-bar");
  gtk_widget_set_margin_start (self->iv_bar, 12);
  gtk_widget_set_margin_end (self->iv_bar, 12);
  title = gtk_label_new (_("Interventions"));
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (self->iv_bar), title);
  self->iv_list = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (self->iv_bar), self->iv_list);
  self->iv_compare = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->iv_compare, 1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->iv_compare), TRUE);
  gtk_label_set_wrap (self->iv_compare, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->iv_compare), "numeric");
  gtk_box_append (GTK_BOX (self->iv_bar), GTK_WIDGET (self->iv_compare));
  gtk_widget_set_visible (self->iv_bar, FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->scrub_bar)), self->iv_bar, self->scrub_bar);

  g_signal_connect_object (self->iv_kind, "notify::selected", G_CALLBACK (on_kind_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->iv_add, "clicked", G_CALLBACK (on_add), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->iv_button, "notify::active", G_CALLBACK (on_kind_changed), self,
                           G_CONNECT_SWAPPED);
  on_kind_changed (self);
  _gs_window_init_unit_menu (self);
}

void
_gs_window_connect_interventions (GsWindow *self)
{
  g_signal_connect_object (self->session, "notify::n-interventions", G_CALLBACK (on_interventions), self,
                           G_CONNECT_SWAPPED);
  /* the comparison follows every snapshot */
  g_signal_connect_object (self->session, "notify::snap", G_CALLBACK (update_comparison), self,
                           G_CONNECT_SWAPPED);
  on_interventions (self);
}
