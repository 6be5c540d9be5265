/* gs-snap.h — a reference-counted, read-only engine snapshot for the views.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The training thread fills a GsSnapshot (core/gs-snapshot.h) and wraps it
 * in a GsSnap; from then on nobody writes to it. The main loop hands the
 * same GsSnap to every view, each of which keeps a reference for as long as
 * it draws from it. Views never read the live model.
 */
#pragma once

#include <glib-object.h>

#include "gs-snapshot.h"

G_BEGIN_DECLS

#define GS_TYPE_SNAP (gs_snap_get_type ())

typedef struct _GsSnap GsSnap;

GType             gs_snap_get_type (void) G_GNUC_CONST;
/* Takes ownership of `snapshot`. */
GsSnap           *gs_snap_new_take (GsSnapshot *snapshot);
GsSnap           *gs_snap_ref      (GsSnap *snap);
void              gs_snap_unref    (GsSnap *snap);
const GsSnapshot *gs_snap_get      (const GsSnap *snap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsSnap, gs_snap_unref)

G_END_DECLS
