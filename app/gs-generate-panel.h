/* gs-generate-panel.h — 1→N in the window: a character model continues a prime.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"

G_BEGIN_DECLS

#define GS_TYPE_GENERATE_PANEL (gs_generate_panel_get_type ())

G_DECLARE_FINAL_TYPE (GsGeneratePanel, gs_generate_panel, GS, GENERATE_PANEL, GtkWidget)

GtkWidget  *gs_generate_panel_new      (void);

/* The run's latest snapshot: the model generation starts from (its shared
 * parameters, GsSnapshot.params) and its characters. Generation is offered
 * for character models (every output a character of the input). */
void        gs_generate_panel_set_snap (GsGeneratePanel *self,
                                        GsSnap          *snap);
/* Whether the model of the snapshot can generate. */
gboolean    gs_generate_panel_get_available (GsGeneratePanel *self);

/* The settings, as the entry and spin buttons hold them. */
void        gs_generate_panel_set_prime       (GsGeneratePanel *self,
                                               const char      *prime);
void        gs_generate_panel_set_temperature (GsGeneratePanel *self,
                                               double           temperature);
void        gs_generate_panel_set_seed        (GsGeneratePanel *self,
                                               guint64          seed);
void        gs_generate_panel_set_length      (GsGeneratePanel *self,
                                               int              length);

/* Generate: the prime and `length` characters, all at once. */
void        gs_generate_panel_generate (GsGeneratePanel *self);
/* One character: the first reads the prime; each draws one character from
 * the distribution and feeds it back. Emits "step" with a snapshot of the
 * generating model at that character. */
void        gs_generate_panel_step     (GsGeneratePanel *self);

/* The text shown (prime + continuation), or NULL before any generation;
 * the last error, or NULL. */
const char *gs_generate_panel_get_text  (GsGeneratePanel *self);
const char *gs_generate_panel_get_error (GsGeneratePanel *self);

G_END_DECLS
