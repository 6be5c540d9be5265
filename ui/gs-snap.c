/* gs-snap.c — a reference-counted, read-only engine snapshot.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gs-snap.h"

struct _GsSnap
{
  GsSnapshot *snapshot;   /* owned */
};

G_DEFINE_BOXED_TYPE (GsSnap, gs_snap, gs_snap_ref, gs_snap_unref)

static void
gs_snap_clear (GsSnap *snap)
{
  g_clear_pointer (&snap->snapshot, gs_snapshot_free);
}

GsSnap *
gs_snap_new_take (GsSnapshot *snapshot)
{
  GsSnap *snap;

  g_return_val_if_fail (snapshot != NULL, NULL);

  snap = g_atomic_rc_box_new0 (GsSnap);
  snap->snapshot = snapshot;
  return snap;
}

GsSnap *
gs_snap_ref (GsSnap *snap)
{
  g_return_val_if_fail (snap != NULL, NULL);

  return g_atomic_rc_box_acquire (snap);
}

void
gs_snap_unref (GsSnap *snap)
{
  g_return_if_fail (snap != NULL);

  g_atomic_rc_box_release_full (snap, (GDestroyNotify) gs_snap_clear);
}

const GsSnapshot *
gs_snap_get (const GsSnap *snap)
{
  g_return_val_if_fail (snap != NULL, NULL);

  return snap->snapshot;
}
