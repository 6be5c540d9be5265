/* gs-ui-test.h — helpers shared by the GTK tests: main loop, windows,
 * offscreen rendering with pixel access, and a trained hello model.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gs-snap.h"
#include "gs-train.h"

G_BEGIN_DECLS

#define GS_UI_TEST_TIMEOUT_S 120   /* per wait */

/* gtk_test_init, or when neither DISPLAY nor WAYLAND_DISPLAY is set a
 * "skipped" line and exit status 77 (with --tap, as meson runs them: a
 * TAP plan that skips, status 0), so the test reports SKIP instead of
 * crashing in gtk_init. */
void       gs_ui_test_init            (int        *argc,
                                       char     ***argv);

/* Main loop. */

gboolean   gs_ui_test_on_timeout      (gpointer data);
gboolean   gs_ui_test_on_tick         (gpointer data);
void       gs_ui_test_flush_main_loop (void);
void       gs_ui_test_spin_main_loop  (guint ms);
gboolean   gs_ui_test_has_size        (GtkWidget *widget,
                                       int        width,
                                       int        height);
void       gs_ui_test_wait_for_frames (GtkWidget *widget);

typedef gboolean (*GsUiTestCondition) (gpointer data);

/* Iterates the main loop until cond (data) holds: FALSE after `seconds`
 * (the caller says what failed); wait_for fails the test with "timed out
 * … waiting for `what`" after GS_UI_TEST_TIMEOUT_S. */
gboolean   gs_ui_test_wait_until      (GsUiTestCondition cond,
                                       gpointer          data,
                                       guint             seconds);
void       gs_ui_test_wait_for        (GsUiTestCondition cond,
                                       gpointer          data,
                                       const char       *what);
/* Conditions: the widget at data is mapped with a size; the window at data
 * has the keyboard focus. */
gboolean   gs_ui_test_is_shown        (gpointer data);
gboolean   gs_ui_test_is_active       (gpointer data);

/* Windows and styles. */

GtkWidget *gs_ui_test_show_in_window  (GtkWidget  *widget,
                                       int         width,
                                       int         height,
                                       gboolean    exact);
void       gs_ui_test_set_dark        (gboolean    dark);
GdkRGBA    gs_ui_test_named_color     (GtkWidget  *widget,
                                       const char *name);
/* The widget named `name` (gtk_widget_set_name) at or under `widget`. */
GtkWidget *gs_ui_test_find_named      (GtkWidget  *widget,
                                       const char *name);

/* Whether a mapped label at or under `widget` shows text containing
 * `needle`. */
gboolean   gs_ui_test_find_label      (GtkWidget  *widget,
                                       const char *needle);

/* Real input under X11: xdotool with `args` (NULL-terminated; fails the
 * test if it fails); the X keyboard focus given to `window` as a click
 * would, waiting until GTK has seen it. */
void       gs_ui_test_xdotool         (const char *const *args);
void       gs_ui_test_focus_window    (GtkWindow  *window);

/* openbox on an X11 display (it gives the focus, full screen), 0 on
 * others; fails the test when it cannot start. Stop it with its pid. */
GPid       gs_ui_test_start_window_manager (void);
void       gs_ui_test_stop_window_manager  (GPid pid);

/* Rendering. */

typedef enum
{
  GS_UI_RENDER_WAIT_FRAMES = 1 << 0,   /* let the window draw two frames first */
  GS_UI_RENDER_WINDOW_BG   = 1 << 1,   /* lay the widget over window_bg_color */
} GsUiRenderFlags;

typedef struct
{
  int     width, height;
  gsize   stride;
  guchar *data;       /* GDK_MEMORY_DEFAULT: premultiplied B8G8R8A8 */
} GsUiImage;

void       gs_ui_image_free           (GsUiImage *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GsUiImage, gs_ui_image_free)

GsUiImage *gs_ui_test_render          (GtkWidget      *widget,
                                       const char     *name,
                                       GsUiRenderFlags flags);
void       gs_ui_test_save_png        (GdkTexture     *texture,
                                       const char     *name);
void       gs_ui_test_pixel           (const GsUiImage *image,
                                       int              x,
                                       int              y,
                                       int             *r,
                                       int             *g,
                                       int             *b);
gboolean   gs_ui_test_is_color        (const GsUiImage *image,
                                       int              x,
                                       int              y,
                                       const GdkRGBA   *color,
                                       int              tolerance);
int        gs_ui_test_count_color     (const GsUiImage       *image,
                                       const graphene_rect_t *rect,
                                       const GdkRGBA         *color,
                                       int                    tolerance);

/* The engine: a trained hello model, a fresh sequence stepped by hand. */

GsTrainer *gs_ui_test_train_hello     (GsCell     cell,
                                       int        H,
                                       int        epochs);
GsSnap    *gs_ui_test_step_to         (GsTrainer *tr,
                                       int        t_fwd,
                                       int        t_bwd);

/* A fresh XDG_*_HOME for the process, and its removal. */

char      *gs_ui_test_make_fresh_home (void);
void       gs_ui_test_remove_tree     (const char *path);

G_END_DECLS
