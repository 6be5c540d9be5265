/* gs-window-decode.c — how an encoder–decoder's passes feed the decoder.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two linked toggles, Teacher forcing | Greedy, in the scrubber's row
 * before "Intervene" (the transport bar sets the window's minimum width
 * and has no room left), shown for encoder–decoder tasks only
 * (gs_window_update_status). They are the stateful action win.decode of
 * the window's "decode" property, which hands the choice to the worker
 * (gs_session_set_decode): a training pass (teacher forcing, the default)
 * or an evaluation pass (greedy decoding: forward only, each decoder step
 * reading its own prediction of the step before) — at once on a fresh
 * sequence, else from the next. → steps it like any other pass; the
 * unrolled view draws which (gs-unrolled-view-decoder.c).
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Window"

#include <glib/gi18n.h>

#include "gs-window-private.h"

static GtkWidget *
toggle (const char *label,
        const char *tooltip,
        const char *target)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.decode");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  return button;
}

void
_gs_window_init_decode (GsWindow *self)
{
  g_assert (GS_IS_WINDOW (self));
  g_assert (self->scrub_bar != NULL && self->iv_button != NULL);

  self->decode_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_name (self->decode_box, "decode_box");
  gtk_widget_add_css_class (self->decode_box, "linked");
  gtk_widget_set_valign (self->decode_box, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->decode_box, FALSE);
  gtk_box_append (GTK_BOX (self->decode_box),
                  /* Translators: toggle of an encoder–decoder task: the decoder reads the targets (training). */
                  toggle (_("Teacher forcing"),
                          _("Training passes: each decoder step reads the target of the step before"),
                          "teacher"));
  gtk_box_append (GTK_BOX (self->decode_box),
                  /* Translators: toggle of an encoder–decoder task: the decoder reads its own
                   * predictions (greedy decoding, an evaluation pass). */
                  toggle (_("Greedy"),
                          _("Evaluation passes: each decoder step reads its own prediction of the step "
                            "before, as the held-out check decodes; forward only, the weights stay as "
                            "they are. From the next sequence on, or at once on a fresh one"),
                          "greedy"));
  gtk_box_insert_child_after (GTK_BOX (self->scrub_bar), self->decode_box,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->iv_button)));
}
