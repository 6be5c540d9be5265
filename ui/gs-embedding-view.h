/* gs-embedding-view.h — the embedding matrix, x_t = E[token], its PCA and neighbours.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gs-snap.h"
#include "gs-view-widget.h"

G_BEGIN_DECLS

#define GS_TYPE_EMBEDDING_VIEW (gs_embedding_view_get_type ())

G_DECLARE_FINAL_TYPE (GsEmbeddingView, gs_embedding_view, GS, EMBEDDING_VIEW, GsView)

GtkWidget *gs_embedding_view_new          (void);

/* The token shown as current (the input at the timestep), or −1. */
int        gs_embedding_view_get_token    (GsEmbeddingView *self);

/* Geometry at the widget's current size, for tests: the matrix row of
 * `token` (FALSE when it is not among the rows shown), and the point of
 * `token` in the projection (FALSE without one). */
gboolean   gs_embedding_view_get_row_rect (GsEmbeddingView *self,
                                           int              token,
                                           graphene_rect_t *out);
gboolean   gs_embedding_view_get_point    (GsEmbeddingView *self,
                                           int              token,
                                           graphene_point_t *out);

G_END_DECLS
