/* test-embedding-view.c — the embedding view, rendered offscreen.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The matrix cells are the colours of emb.weight on the shared scale, the
 * current token's row is outlined and its x_t column drawn, the points of
 * the projection sit where the PCA puts them, the neighbours line names
 * the cosine-nearest tokens, and one-hot input shows the one-hot vector
 * and the explanation instead; light and dark.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-colormap.h"
#include "gs-embedding-view.h"
#include "gs-text-drawn.h"
#include "gs-ui-test.h"
#include "gs-view-text.h"

#define RENDER (GS_UI_RENDER_WAIT_FRAMES | GS_UI_RENDER_WINDOW_BG)

static GsTrainer *lstm;

/* Every text the views draw, for the checks on what is written. */
static GPtrArray *drawn;

static void
on_text_drawn (const char *text,
               int         unknown_glyphs,
               void       *data)
{
  g_assert_cmpint (unknown_glyphs, ==, 0);
  g_ptr_array_add (drawn, g_strdup (text));
}

static gboolean
was_drawn (const char *needle)
{
  for (guint i = 0; i < drawn->len; i++)
    if (strstr (g_ptr_array_index (drawn, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_embedding (void)
{
  g_autoptr(GsSnap) snap = gs_ui_test_step_to (lstm, 3, lstm->model->T);
  const GsSnapshot *s = gs_snap_get (snap);
  const GsEmbedding *e = s->embedding;
  GsEmbeddingView *view = GS_EMBEDDING_VIEW (gs_embedding_view_new ());
  const int token = s->tokens[2];
  GtkWidget *window;
  GdkRGBA accent;
  int near[1];
  float cosine[1];

  g_assert_nonnull (e);
  g_assert_true (e->pca_done);
  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 2);
  g_assert_cmpint (gs_embedding_view_get_token (view), ==, token);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 1000, 400, TRUE);
  accent = gs_ui_test_named_color (GTK_WIDGET (view), "accent_color");

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GsUiImage) image = NULL;
      GsColorRange range = gs_color_range_symmetric (e->W, (gsize) e->V * e->E, 1e-6f);
      graphene_rect_t row;
      graphene_point_t p, q;
      char needle[64];

      gs_ui_test_set_dark (dark);
      accent = gs_ui_test_named_color (GTK_WIDGET (view), "accent_color");
      g_ptr_array_set_size (drawn, 0);
      gs_view_queue_redraw (GS_VIEW (view));   /* the texts are collected as they are drawn */
      image = gs_ui_test_render (GTK_WIDGET (view), dark ? "embedding-dark" : "embedding", RENDER);

      /* Every row: its cells in the colours of its numbers. */
      for (int v = 0; v < e->V; v++)
        {
          g_assert_true (gs_embedding_view_get_row_rect (view, v, &row));
          for (int j = 0; j < e->E; j++)
            {
              float col_w = row.size.width / e->E;
              GdkRGBA want;

              gs_colormap_diverging (&want, e->W[(size_t) v * e->E + j], range, dark);
              g_assert_true (gs_ui_test_is_color (image, (int) (row.origin.x + (j + 0.5f) * col_w),
                                                  (int) (row.origin.y + row.size.height / 2), &want, 3));
            }
        }
      /* The current row is outlined; another is not. */
      g_assert_true (gs_embedding_view_get_row_rect (view, token, &row));
      g_assert_true (gs_ui_test_is_color (image, (int) row.origin.x - 1,
                                          (int) (row.origin.y + row.size.height / 2), &accent, 8));
      g_assert_true (gs_embedding_view_get_row_rect (view, (token + 2) % e->V, &row));
      g_assert_false (gs_ui_test_is_color (image, (int) row.origin.x - 1,
                                           (int) (row.origin.y + row.size.height / 2), &accent, 40));

      /* The projection keeps the PCA's order along both axes. */
      for (int v = 0; v < e->V; v++)
        for (int u = 0; u < e->V; u++)
          {
            g_assert_true (gs_embedding_view_get_point (view, v, &p));
            g_assert_true (gs_embedding_view_get_point (view, u, &q));
            if (e->proj[2 * v] < e->proj[2 * u] - 1e-4f)
              g_assert_cmpfloat (p.x, <, q.x);
            if (e->proj[2 * v + 1] < e->proj[2 * u + 1] - 1e-4f)
              g_assert_cmpfloat (p.y, >, q.y);   /* up is positive */
          }
      /* The current token's point is framed in the accent colour. */
      g_assert_true (gs_embedding_view_get_point (view, token, &p));
      g_assert_cmpint (gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (p.x - 16, p.y - 16, 32, 32), &accent, 8),
                       >, 20);

      /* Texts: x_t = E[token], the axes' variance, the nearest neighbour by name. */
      g_snprintf (needle, sizeof needle, "x_t = E[“%s”]", s->task->vocab[token]);
      g_assert_true (was_drawn (needle));
      g_assert_true (was_drawn ("PC1 · "));
      g_assert_cmpint (gs_embedding_neighbours (e, token, 1, near, cosine), ==, 1);
      g_snprintf (needle, sizeof needle, "“%s” %.2f", s->task->vocab[near[0]], (double) cosine[0]);
      g_assert_true (was_drawn (needle));
    }
  gs_ui_test_set_dark (FALSE);

  /* No timestep: no row marked, and the hint to step. */
  gs_view_set_timestep (GS_VIEW (view), -1);
  g_ptr_array_set_size (drawn, 0);
  gs_view_queue_redraw (GS_VIEW (view));   /* the texts are collected as they are drawn */
  {
    g_autoptr(GsUiImage) image = gs_ui_test_render (GTK_WIDGET (view), NULL, RENDER);
    g_assert_true (was_drawn ("Step forward to mark the current token"));
    g_assert_false (was_drawn ("x_t = E["));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* One-hot input: the vector with its single 1, and what an embedding would change. */
static void
test_one_hot (void)
{
  GsTrainConfig cfg;
  GsError err;
  GsTrainer *tr;
  g_autoptr(GsSnap) snap = NULL;
  GsEmbeddingView *view = GS_EMBEDDING_VIEW (gs_embedding_view_new ());
  GtkWidget *window;
  GdkRGBA one;
  g_autoptr(GsUiImage) image = NULL;
  const GsColorRange range = { -1.0f, 0.0f, 1.0f };
  int n_one;

  gs_train_config_default (&cfg);
  cfg.one_hot = true;
  tr = gs_trainer_new (&cfg, &err);
  g_assert_nonnull (tr);
  snap = gs_ui_test_step_to (tr, 2, tr->model->T);
  g_assert_null (gs_snap_get (snap)->embedding);
  gs_view_set_snap (GS_VIEW (view), snap);
  gs_view_set_timestep (GS_VIEW (view), 1);
  window = gs_ui_test_show_in_window (GTK_WIDGET (view), 900, 300, TRUE);
  g_ptr_array_set_size (drawn, 0);
  gs_view_queue_redraw (GS_VIEW (view));   /* the texts are collected as they are drawn */
  image = gs_ui_test_render (GTK_WIDGET (view), "embedding-one-hot", RENDER);
  g_assert_true (was_drawn ("One-hot input: x_t has 4 numbers, a single 1"));
  g_assert_true (was_drawn ("An embedding (Input: Embedding in the settings)"));
  /* Exactly one cell in the colour of 1. */
  gs_colormap_diverging (&one, 1.0f, range, FALSE);
  n_one = gs_ui_test_count_color (image, &GRAPHENE_RECT_INIT (0, 0, image->width, image->height), &one, 3);
  g_assert_cmpint (n_one, >=, 15 * 15);
  g_assert_cmpint (n_one, <=, 21 * 21);
  gtk_window_destroy (GTK_WINDOW (window));
  gs_trainer_free (tr);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  drawn = g_ptr_array_new_with_free_func (g_free);
  gs_text_drawn_set_hook (on_text_drawn, NULL);
  lstm = gs_ui_test_train_hello (GS_CELL_LSTM, 0, 30);

  g_test_add_func ("/embedding-view/embedding", test_embedding);
  g_test_add_func ("/embedding-view/one-hot", test_one_hot);

  status = g_test_run ();
  gs_trainer_free (lstm);
  g_ptr_array_unref (drawn);
  return status;
}
