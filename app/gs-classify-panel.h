/* gs-classify-panel.h — a phrase of one's own, classified by the run's model.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"

G_BEGIN_DECLS

#define GS_TYPE_CLASSIFY_PANEL (gs_classify_panel_get_type ())

G_DECLARE_FINAL_TYPE (GsClassifyPanel, gs_classify_panel, GS, CLASSIFY_PANEL, GtkWidget)

GtkWidget  *gs_classify_panel_new      (void);

/* The run's latest snapshot: the model (its shared parameters) and the
 * task's characters and class names. Offered for the classify task. */
void        gs_classify_panel_set_snap (GsClassifyPanel *self,
                                        GsSnap          *snap);
gboolean    gs_classify_panel_get_available (GsClassifyPanel *self);

void        gs_classify_panel_set_phrase (GsClassifyPanel *self,
                                          const char      *phrase);
/* Classifies the phrase with the snapshot's weights. */
void        gs_classify_panel_classify   (GsClassifyPanel *self);

/* The result: the class by name (NULL before a result or after an error),
 * its probability, the steps read, the unknown characters, the class's
 * probability after step t (0 ≤ t < steps), and the last error or NULL. */
const char *gs_classify_panel_get_class       (GsClassifyPanel *self);
double      gs_classify_panel_get_probability (GsClassifyPanel *self);
int         gs_classify_panel_get_steps       (GsClassifyPanel *self);
int         gs_classify_panel_get_unknown     (GsClassifyPanel *self);
double      gs_classify_panel_get_step_probability (GsClassifyPanel *self,
                                                    int              t);
const char *gs_classify_panel_get_error       (GsClassifyPanel *self);

G_END_DECLS
