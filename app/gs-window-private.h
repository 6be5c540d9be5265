/* gs-window-private.h — what the files of GsWindow share.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GsWindow is split by concern:
 *   gs-window.c           the instance, its properties, the session's signals
 *   gs-window-views.c     what a new snapshot changes on screen (views,
 *                         status, plot), the shared timestep and layer
 *   gs-window-actions.c   the win.* actions, their keys, which are enabled,
 *                         the play timer
 *   gs-window-settings.c  the settings panel (GsSettingsPanel) ↔ the session
 *   gs-window-measure.c   frame timing: the fps overlay and --measure-frames
 *   gs-window-present.c   full screen, the presentation mode, the zoom
 *   gs-window-pace.c      training at a chosen speed, or for N epochs
 *   gs-window-export.c    pictures of the views and the page for slides
 */
#pragma once

#include "gs-cell-view.h"
#include "gs-embedding-view.h"
#include "gs-frame-meter.h"
#include "gs-generate-panel.h"
#include "gs-classify-panel.h"
#include "gs-gradient-view.h"
#include "gs-lesson-panel.h"
#include "gs-loss-plot.h"
#include "gs-prediction-bars.h"
#include "gs-recipe.h"
#include "gs-series-plot.h"
#include "gs-session.h"
#include "gs-settings-panel.h"
#include "gs-unrolled-view.h"
#include "gs-window.h"

G_BEGIN_DECLS

#define GS_WINDOW_MAX_LAYERS 3   /* what the layer selector offers */

typedef struct _GsWindowFile GsWindowFile;
typedef struct _GsWindowRecent GsWindowRecent;

struct _GsWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *switcher_bar;     /* the pages at the bottom of a narrow window */
  AdwViewStack         *view_stack;
  AdwFlap              *settings_flap;
  GtkLabel             *status_label;
  GtkLabel             *loss_label;
  GtkLabel             *hint_label;
  GtkWidget            *back_button;
  GtkWidget            *forward_button;
  GtkWidget            *play_button;
  GtkWidget            *train_button;
  GtkWidget            *gradients_button;
  AdwButtonContent     *play_content;
  GtkSpinButton        *speed_spin;
  GsUnrolledView       *unrolled_view;
  GsCellView           *cell_view;
  GtkLabel             *cell_title;
  GtkBox               *cell_head;        /* the title and cell_tools: a row, or a column where narrow */
  GtkWidget            *cell_tools;       /* the layer, direction and gradient buttons */
  GtkWidget            *layer_box;
  GtkToggleButton      *reverse_button;   /* the cell view's direction, for bidirectional layers */
  GtkWidget            *layer_buttons[GS_WINDOW_MAX_LAYERS];
  GsPredictionBars     *prediction_bars;
  GsSeriesPlot         *series_plot;      /* shown instead of the bars for regression tasks */
  GsGradientView       *gradient_view;
  GtkFlowBox           *heatmap_box;
  GsEmbeddingView      *embedding_view;
  GsGeneratePanel      *generate_panel;
  GsClassifyPanel      *classify_panel;
  GsLossPlot           *loss_plot;
  GtkLabel             *fps_label;
  GsSettingsPanel      *settings_panel;   /* the run's settings, in the flap */

  /* owned references */
  GSettings            *settings;
  GsSession            *session;
  GsFrameMeter         *meter;
  GPtrArray            *heatmaps;        /* GsHeatmap *, borrowed from heatmap_box */
  GsLessonPanel        *lesson_panel;    /* borrowed (a child beside the step page), NULL until a lesson opens */

  /* what the views show */
  char                  heatmap_gates[8]; /* the gate letters the heatmaps were made for */
  int                   timestep;         /* shared by every view, −1 = none */
  int                   layer;            /* shared by every view, 0 = bottom */
  gboolean              show_gradients;
  GsDecode              decode;           /* how the next passes feed a decoder ("decode", win.decode) */
  /* the engine's cursor in the last snapshot, to follow it when it moves */
  int                   cursor_phase;     /* GsPhase, −1 = no snapshot yet */
  int                   cursor_t_fwd;
  int                   cursor_t_bwd;
  gboolean              follow_cursor;    /* set by a reset: follow whatever comes */
  /* the loss plot mirrors the snapshot's history */
  guint                 plotted_run;     /* the session's run the loss plot shows */
  guint                 n_snapshots;      /* received since the window opened */

  /* the history of learning (gs-window-scrubber.c) */
  GtkWidget            *scrub_bar;
  GtkScale             *scrub_scale;
  GtkLabel             *scrub_label;
  GtkWidget            *scrub_live_button;
  GsSnap               *scrub_snap;       /* owned: the recording the views show; NULL = live */
  long                  scrub_epoch;      /* its epoch, −1 = live */
  gboolean              scrub_updating;   /* the scale is being set from code */
  char                 *scrub_marks;      /* owned: the marks' labels as last set, "1;;3;…" */

  /* how an encoder–decoder's passes feed the decoder (gs-window-decode.c) */
  GtkWidget            *decode_box;       /* Teacher forcing | Greedy, in the scrubber's row; shown for
                                             encoder–decoder tasks only */

  /* interventions (gs-window-intervene.c) */
  GtkMenuButton        *iv_button;
  GtkDropDown          *iv_kind;
  GtkWidget            *iv_entry;
  GtkWidget            *iv_add;
  GtkWidget            *iv_bar;
  GtkWidget            *iv_list;
  GtkLabel             *iv_compare;

  /* training just stopped (until the main loop is idle) */
  gboolean              training_stopped;
  guint                 training_stopped_source;

  /* keys: the user moved the focus with Tab (since the last click) */
  gboolean              tabbed;

  /* play */
  gboolean              playing;
  guint                 play_source;
  double                play_speed;       /* steps per second */

  /* paced training (gs-window-pace.c) */
  gboolean              pacing;           /* the window sends the training steps */
  guint                 pace_source;
  int                   pace_epochs_left; /* −1 = until stopped */
  int                   train_speed;      /* epochs per second, 0 = as fast as possible */
  gboolean              until_solved;     /* training stops when the held-out check passes */
  int                   solved_epoch;     /* when it last passed (−1: not in this run) */
  gboolean              solved_on_training; /* …judged on the data trained on (hello: nothing held out) */

  /* in front of a class (gs-window-present.c) */
  GtkWidget            *header_bar;       /* template */
  gboolean              presenting;
  gboolean              compact;          /* the views in their short-screen places (gs-window-present.c) */
  GtkWidget            *views_side;       /* borrowed: the column of the prediction and the loss */
  char                 *cell_caption;     /* owned: the cell's title, and its short form (or NULL) */
  char                 *cell_caption_short;
  gboolean              short_title;      /* the short form shown (share_room ()) */
  guint                 grow_source;      /* the size changed: idle update */
  double                zoom;             /* the user's, 1 = 100 % */
  gboolean              present_was_fullscreen;  /* before the presentation mode */
  gboolean              present_settings_revealed;
  gboolean              present_show_fps;

  /* frame timing */
  gboolean              show_fps;
  guint                 fps_source;
  guint                 measure_source;
  guint                 measure_warmup_source;
  double                measure_seconds;
  guint                 measure_first_snapshot;
  /* files: open, save, autosave, recovery (gs-window-file.c) */
  GsWindowFile         *file;             /* owned */
  GsWindowRecent       *recent;           /* owned: Open Recent (gs-window-recent.c) */
  long                  measure_rss_kb_start;     /* resident memory when the recording began */
  gsize                 measure_snap_bytes_first; /* the size of the snapshot shown then */
  guint                 measure_phase_source;     /* the end of the recording's first phase */
  double                measure_phase_seconds;    /* the length of its first and last phase */
  GsFrameStats          measure_first_phase;      /* the frames of its first phase */
  long                  measure_first_phase_rss_kb;

  /* pictures for slides (gs-window-export.c) */
  GtkWidget            *export_menu;      /* owned: the views' context menu (pictures, and a unit's
                                             interventions), parented to the view clicked */
  guint                 export_menu_idle;
  GtkWidget            *export_target;    /* weak: the view the menu was opened on */
  GtkFileChooserNative *export_chooser;   /* owned, while open */
  double                export_pointer_x; /* the pointer, in window coordinates */
  double                export_pointer_y;
  gboolean              export_pointer_inside;
};

/* gs-window-views.c */
void     gs_window_init_views            (GsWindow   *self);
void     gs_window_on_snap               (GsWindow   *self,
                                          GParamSpec *pspec,
                                          GsSession  *session);
void     gs_window_set_timestep          (GsWindow   *self,
                                          int         timestep);
void     gs_window_set_layer             (GsWindow   *self,
                                          int         layer);
void     gs_window_set_show_gradients    (GsWindow   *self,
                                          gboolean    show_gradients);
void     gs_window_update_status         (GsWindow   *self);

/* gs-window.c */
void     gs_window_show_toast            (GsWindow   *self,
                                          const char *message);
/* The same, staying until it is dismissed. */
void     gs_window_show_notice           (GsWindow   *self,
                                          const char *message);
/* A new run on `config`; the views follow its first snapshot. The session
 * refuses an invalid configuration with its "error" signal (a toast). */
void     gs_window_reset_session         (GsWindow            *self,
                                          const GsTrainConfig *config);
void     gs_window_emit_frames_measured  (GsWindow   *self,
                                          const char *json);

/* gs-window-scrubber.c */
/* gs-window-decode.c: Teacher forcing | Greedy, for encoder–decoder tasks */
void     _gs_window_init_decode          (GsWindow   *self);

void     _gs_window_init_scrubber        (GsWindow   *self);
void     _gs_window_connect_scrubber     (GsWindow   *self);
void     _gs_window_reset_scrubber       (GsWindow   *self);
void     _gs_window_dispose_scrubber     (GsWindow   *self);
/* For tests: shows the recording at `epoch` (−1: live); TRUE when it is shown. */
gboolean _gs_window_scrub_to             (GsWindow   *self,
                                          long        epoch);
long     _gs_window_get_scrub_epoch      (GsWindow   *self);
/* The snapshot the views draw now: a recording, or the run's. */
GsSnap  *_gs_window_get_shown_snap       (GsWindow   *self);

/* gs-window-intervene.c */
void     _gs_window_init_interventions    (GsWindow   *self);
void     _gs_window_connect_interventions (GsWindow   *self);
/* For tests: fills the form (kind_index: clamp, set c, set h, ablate) and applies it. */
gboolean _gs_window_add_intervention      (GsWindow   *self,
                                           guint       kind_index,
                                           const char *spec);
/* Opens the form filled with `kind` and `spec`, for the user to check and apply. */
gboolean _gs_window_prefill_intervention  (GsWindow   *self,
                                           GsIvKind    kind,
                                           const char *spec);

/* gs-window-unit-menu.c */
void     _gs_window_init_unit_menu        (GsWindow   *self);
/* Whether a popover parented to `widget` has a place on screen now. */
gboolean _gs_window_can_pop_up            (GtkWidget  *widget);
/* … and one pointing at `point` of `widget`: it lies within the window. */
gboolean _gs_window_can_pop_up_at         (GtkWidget              *widget,
                                           const graphene_point_t *point);
/* For tests: the unit under (x, y) of `view` (widget coordinates), as the
 * right-click menu finds it: layer (0-based), unit, t, and the gate ('\0'
 * for none: h or c). FALSE when no unit is there. */
gboolean _gs_window_unit_at               (GsWindow   *self,
                                           GtkWidget  *view,
                                           double      x,
                                           double      y,
                                           int        *layer,
                                           int        *unit,
                                           int        *t,
                                           char       *gate);
/* The unit part of `view`'s context menu at (x, y) (x < 0: from the
 * keyboard, the view's pointed unit at its timestep): a new section item
 * titled with the unit, whose items act on it, and in `rect` where the
 * menu points; NULL when no unit is there. */
GMenuItem  *_gs_window_unit_section       (GsWindow        *self,
                                           GtkWidget       *view,
                                           double           x,
                                           double           y,
                                           graphene_rect_t *rect);

/* gs-window-actions.c */
void     gs_window_class_init_actions    (GtkWidgetClass *widget_class);
void     gs_window_init_actions          (GsWindow   *self);
void     gs_window_update_actions        (GsWindow   *self);
void     gs_window_set_playing           (GsWindow   *self,
                                          gboolean    playing);
void     gs_window_set_play_speed        (GsWindow   *self,
                                          double      speed);
void     gs_window_stop_play             (GsWindow   *self);

/* gs-window-settings.c */
void     gs_window_class_init_settings   (GtkWidgetClass *widget_class);
void     gs_window_init_settings         (GsWindow      *self);
/* The task's spec string as the panel sets it: "adding:length=50". */
char    *gs_window_settings_task_spec    (GsWindow      *self);
/* Sets the file parameter `key` of the selected task (NULL = shipped data). */
void     gs_window_settings_set_task_file (GsWindow     *self,
                                          const char    *key,
                                          const char    *path);
/* The run the settings describe (the saved ones at start-up). */
/* Whether a run's snapshots fit what the window can copy every frame;
 * else FALSE and why (newly allocated). */
gboolean gs_window_run_fits              (const GsTrainer *trial,
                                          char           **why);
void     gs_window_settings_to_config    (GsWindow      *self,
                                          GsTrainConfig *config);
void     gs_window_settings_from_config  (GsWindow            *self,
                                          const GsTrainConfig *config);
/* Applies the panel: validates, saves, resets the session. FALSE (and a
 * toast with the engine's message) when the engine refuses it. */
gboolean gs_window_apply_settings        (GsWindow      *self);
/* The saved settings, or the defaults when they are not a run the engine
 * can build; then, with `problem`, why (a trial build checks what only a
 * built run can judge: a file that is gone, a text too short). */
void     gs_window_load_saved_config     (GsWindow      *self,
                                          GsTrainConfig *config,
                                          char         **problem);
char    *gs_window_describe_config       (const GsTrainConfig *config);

/* gs-window-pace.c */
void     gs_window_init_pace             (GsWindow   *self);
void     gs_window_dispose_pace          (GsWindow   *self);
gboolean gs_window_get_pacing            (GsWindow   *self);
/* Trains `epochs` epochs (−1: until stopped) at the chosen speed. */
void     gs_window_start_training        (GsWindow   *self,
                                          int         epochs);
void     gs_window_stop_pacing           (GsWindow   *self);
/* Trains at the chosen speed until the task's held-out check passes, then
 * stops and says so (gs_window_get_solved_epoch). */
void     gs_window_train_until_solved    (GsWindow   *self);
/* The epoch at which training until solved found the run solved; −1
 * before, and after a reset. */
int      gs_window_get_solved_epoch      (GsWindow   *self);

/* gs-window-present.c */
#define GS_WINDOW_ZOOM_MIN 0.5
#define GS_WINDOW_ZOOM_MAX 2.5
void     gs_window_class_init_present    (GtkWidgetClass *widget_class);
void     gs_window_init_present          (GsWindow   *self);
void     gs_window_dispose_present       (GsWindow   *self);
/* The cell's title, and a shorter one for where it would not fit whole
 * beside its buttons (NULL: none shorter). */
void     _gs_window_set_cell_caption     (GsWindow   *self,
                                          const char *caption,
                                          const char *short_caption);
double   gs_window_get_zoom              (GsWindow   *self);
void     gs_window_set_zoom              (GsWindow   *self,
                                          double      zoom);
/* gs-window-file.c */
void     _gs_window_file_class_init      (GtkWidgetClass *widget_class);
void     _gs_window_file_init            (GsWindow   *self);
void     _gs_window_file_dispose         (GsWindow   *self);
/* TRUE when closing waits for the user's answer about unsaved work. */
gboolean _gs_window_file_close_request   (GsWindow   *self);
/* This window's autosave file (each window has its own). */
const char *_gs_window_file_autosave_path (GsWindow  *self);
/* Puts file on the desktop's list of recent files, as Gatescope's. */
void     _gs_window_file_add_recent      (GFile      *file);
/* gs-window-recent.c: the Open Recent submenu (set up by gs-window-file.c) */
void        _gs_window_recent_class_init (GtkWidgetClass *widget_class);
/* The submenu's model (borrowed), kept up to date. */
GMenuModel *_gs_window_recent_init       (GsWindow   *self);
void        _gs_window_recent_dispose    (GsWindow   *self);
GMenuModel *_gs_window_recent_get_menu   (GsWindow   *self);
/* gs-window-lessons.c */
void       gs_window_class_init_lessons  (GtkWidgetClass *widget_class);
/* The directory of the shipped lessons, or NULL. */
char      *gs_window_lessons_dir         (void);
/* The list of lessons, a modal window over self. */
GtkWidget *gs_window_lessons_dialog_new  (GsWindow   *self);

/* gs-window-export.c */
void       _gs_window_export_class_init  (GtkWidgetClass *widget_class);
void       _gs_window_export_init        (GsWindow   *self);
void       _gs_window_export_dispose     (GsWindow   *self);
/* The stepping page without the settings, and its views that are shown
 * (GsView or the loss plot; a new array of borrowed widgets). */
GtkWidget *_gs_window_export_page        (GsWindow   *self);
GPtrArray *_gs_window_export_views       (GsWindow   *self);
/* "hello · LSTM · 1 layer × 8 units · epoch 12 · t = 3" (newly allocated). */
char      *_gs_window_export_caption     (GsWindow   *self);
/* Writes the picture of `widget` to `path` (caption as the user chose), or
 * copies it; a toast says what happened, and names the file and the fault. */
gboolean   _gs_window_export_to_file     (GsWindow   *self,
                                          GtkWidget  *widget,
                                          const char *path);
gboolean   _gs_window_export_copy        (GsWindow   *self,
                                          GtkWidget  *view);
/* Opens the context menu of `view`, pointing at (x, y) in its coordinates
 * (a right click; x < 0: from the keyboard): the unit's items when a unit
 * is there, then the picture's. It pops up only where it can
 * (_gs_window_can_pop_up); FALSE when it is open already. */
gboolean   _gs_window_context_menu       (GsWindow   *self,
                                          GtkWidget  *view,
                                          double      x,
                                          double      y);

/* gs-window-measure.c */
void     gs_window_set_show_fps          (GsWindow   *self,
                                          gboolean    show_fps);
void     gs_window_stop_measuring        (GsWindow   *self);

G_END_DECLS
