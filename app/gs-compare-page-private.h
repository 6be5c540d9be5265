/* gs-compare-page-private.h — the comparison page's worker thread.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   main loop                          worker thread (one per Start)
 *   ─────────                          ─────────────
 *   Start: a GsCompareJob with   ──►   owns the GsCompare (every trainer),
 *   the configurations                 steps it in lock-step, and at most
 *                                      max_fps times a second copies the
 *                                      records and snapshots each seed-0
 *                                      model on its current sequence
 *   on_replies                   ◄──   GsCompareReply (GsShuttle)
 *   Stop: job->stop = 1                the last reply has done = TRUE
 *
 * The worker sees only the job: never the page, never a widget. The page
 * joins the thread when the last reply arrives, or in dispose.
 */
#pragma once

#include <adwaita.h>

#include "gs-chart-view.h"
#include "gs-compare.h"
#include "gs-compare-page.h"
#include "gs-shuttle.h"
#include "gs-snap.h"

G_BEGIN_DECLS

typedef struct
{
  GsChartRecords *records;                        /* owned, or NULL */
  GsSnap         *snaps[GS_COMPARE_MAX_CONFIGS];  /* owned; NULL where none */
  int             n_snaps;
  char           *error;                          /* owned, or NULL: the comparison failed */
  gboolean        done;                           /* the job's last reply */
} GsCompareReply;

typedef struct
{
  /* set before the thread starts, read-only afterwards */
  GsCompareConfig configs[GS_COMPARE_MAX_CONFIGS];
  int             n_configs;
  uint64_t        seeds[GS_COMPARE_MAX_SEEDS];
  int             n_seeds;
  int             steps;
  guint           max_fps;        /* publications per second at most */
  gint64          min_duration;   /* µs: a short comparison is spread over this, to be watched */

  /* shared */
  gint            stop;           /* atomic */
  GsShuttle      *shuttle;        /* replies: GsCompareReply * */

  /* worker-only */
  GsModel        *scratch[GS_COMPARE_MAX_CONFIGS];  /* the seed-0 models' copies that snapshots run */
} GsCompareJob;

/* A job whose replies wake `callback` (called with `data`) in the
 * thread-default main context. */
GsCompareJob *gs_compare_job_new   (GSourceFunc     callback,
                                    gpointer        data);
void          gs_compare_job_free  (GsCompareJob   *job);
/* The thread's function (g_thread_new). */
gpointer      gs_compare_job_run   (gpointer        job);

void          gs_compare_reply_free (GsCompareReply *reply);

/* ── the page (gs-compare-page.c, gs-compare-page-export.c) ── */

/* The cell views of the small multiples, one per configuration (for the
 * tests: the page's own widgets). */
guint      gs_compare_page_get_n_cell_views (GsComparePage *self);
GtkWidget *gs_compare_page_get_cell_view    (GsComparePage *self,
                                             guint          index);

#define GS_COMPARE_PAGE_N_CHOICES 5   /* the configurations offered */

struct _GsComparePage
{
  AdwBin              parent_instance;

  /* template widgets */
  AdwToastOverlay    *toast_overlay;
  AdwPreferencesGroup *configs_group;
  AdwPreferencesGroup *training_group;
  AdwComboRow        *task_row;
  AdwActionRow       *length_row;
  GtkSpinButton      *length_spin;
  GtkSpinButton      *seeds_spin;
  GtkSpinButton      *batch_spin;
  GtkSpinButton      *steps_spin;
  GtkSpinButton      *hidden_spin;
  GtkSpinButton      *lr_spin;
  GtkProgressBar     *progress;
  GtkLabel           *status_label;
  GtkToggleButton    *log_toggle;
  GtkScale           *smoothing_scale;
  GtkMenuButton      *export_button;
  GsChartView        *loss_view;
  GtkFlowBox         *charts_box;
  GsChartView        *accuracy_view;
  GsChartView        *flow_view;
  GtkScale           *timestep_scale;
  GtkAdjustment      *timestep_adjustment;
  GtkLabel           *timestep_label;
  GtkBox             *cells_box;

  /* borrowed: children of configs_group and cells_box */
  GtkCheckButton     *checks[GS_COMPARE_PAGE_N_CHOICES];
  GPtrArray          *cell_views;        /* GsCellView *, one per configuration of the last Start */

  /* owned */
  GsChartRecords     *records;
  GsCompareJob       *job;               /* the comparison under way, or NULL */
  GThread            *thread;
  GsSnap             *snap0;             /* the first configuration's latest snapshot (labels) */
  gboolean           *diverged_told;     /* (n_runs) a toast was shown for this run */

  int                 steps;             /* of the comparison under way (or the last) */
  int                 timestep;
  gboolean            running;
};

void        gs_compare_page_toast          (GsComparePage *self,
                                            const char    *message);
GMenuModel *gs_compare_page_export_menu    (void);
void        gs_compare_page_action_export  (GtkWidget     *widget,
                                            const char    *action_name,
                                            GVariant      *parameter);

G_END_DECLS
