/* gs-embedding-view.c — the embedding matrix, x_t = E[token], its PCA and neighbours.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three parts, left to right, drawn from the snapshot's GsEmbedding
 * (core/gs-embedding.h):
 *
 *   the matrix E (V, E)   one row per token, one column per dimension, on
 *                         the shared diverging scale (±max over E); the
 *                         current token's row is outlined. With more tokens
 *                         than rows fit, the rows around the current token.
 *   x_t = E[token]        that row again, standing up as the column vector
 *                         that enters the cell, with its numbers.
 *   the projection        every token at its first two principal components;
 *                         the current token and lines to its nearest
 *                         neighbours (cosine) in the accent colour.
 *
 * Under them, the nearest neighbours by name. With one-hot input there is
 * no matrix: the view shows the one-hot vector and says what an embedding
 * would change; with dense input, that there are no tokens.
 *
 * Letters: V tokens, E embedding size, T timesteps.
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gs-colormap.h"
#include "gs-embedding-view.h"
#include "gs-view-text.h"
#include "gs-view-widget.h"
#include "gs-visible.h"

#define PAD          12.0f   /* px, around everything */
#define GAP          18.0f   /* px, between the parts */
#define TITLE_PX     17
#define LABEL_PX     14      /* numbers, captions */
#define TOKEN_PX     15      /* token labels */
#define ROW_MIN      17.0f   /* px, a matrix row with its label */
#define ROW_MAX      26.0f
#define COL_MAX      26.0f   /* px, a matrix column */
#define VEC_ROW_MAX  22.0f   /* px, one dimension of x_t */
#define FRAME_WIDTH  3.0f
#define N_NEIGHBOURS 3
#define MAX_POINT_LABELS 80  /* more tokens: dots, and labels for the current one and its neighbours */

struct _GsEmbeddingView
{
  GsView parent_instance;
};

G_DEFINE_FINAL_TYPE (GsEmbeddingView, gs_embedding_view, GS_TYPE_VIEW)

/* Where everything goes at one size. */
typedef struct
{
  int   V, E;
  int   first, n_rows;       /* matrix rows shown: tokens [first, first + n_rows) */
  int   cols;                /* matrix columns drawn (E, or fewer when E > pixels) */
  float body_y, body_h;
  float label_x, cells_x;    /* token labels, then the cells */
  float row_h, col_w;
  float legend_y;
  float vec_x, vec_y, vec_w, vec_h;   /* x_t: the column's left, top, width, one dimension's height */
  int   vec_rows;            /* dimensions drawn (E, or fewer) */
  float plot_x, plot_y, plot_w, plot_h;   /* the projection's area, origin at its centre */
  float scale;               /* px per unit of projection, the same on both axes */
  float foot_y;
} Geometry;

/* ───────────────────────── what is shown ───────────────────────── */

static const GsSnapshot *
get_snapshot (GsEmbeddingView *self)
{
  GsSnap *snap = gs_view_get_snap (GS_VIEW (self));

  return snap != NULL ? gs_snap_get (snap) : NULL;
}

/* The token at the timestep, or −1. */
static int
current_token (GsEmbeddingView  *self,
               const GsSnapshot *s)
{
  int t = gs_view_get_timestep (GS_VIEW (self));

  if (s == NULL || s->tokens == NULL || s->cfg.input == GS_INPUT_DENSE || t < 0 || t >= s->T)
    return -1;
  return s->tokens[t] >= 0 && s->tokens[t] < s->cfg.V ? s->tokens[t] : -1;
}

/* Token v as it is shown (a blank as its symbol); `buf` holds a number
 * when the task names no tokens. */
static const char *
token_label (const GsSnapshot *s,
             int               v,
             char              buf[16])
{
  if (s->task != NULL && s->task->vocab != NULL && v >= 0 && v < s->task->V && s->task->vocab[v] != NULL)
    return gs_visible_token (s->task->vocab[v]);
  g_snprintf (buf, 16, "%d", v);
  return buf;
}

static void
compute_geometry (GsEmbeddingView   *self,
                  const GsSnapshot  *s,
                  const GsEmbedding *e,
                  int                token,
                  int                width,
                  int                height,
                  Geometry          *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) title = gs_view_text_layout (widget, "Ag", TITLE_PX, TRUE);
  g_autoptr(PangoLayout) label = gs_view_text_layout (widget, "0.00", LABEL_PX, FALSE);
  int title_h, label_h, w, label_w = 0;
  float matrix_w, avail;
  char buf[16];

  pango_layout_get_pixel_size (title, &w, &title_h);
  pango_layout_get_pixel_size (label, &w, &label_h);
  memset (g, 0, sizeof *g);
  g->V = e->V;
  g->E = e->E;
  g->body_y = PAD + title_h + 10.0f;
  g->foot_y = height - PAD - label_h;
  /* The matrix's legend sits under it: a bar and its numbers. */
  g->body_h = MAX (g->foot_y - 8.0f - (10.0f + label_h + 4.0f) - g->body_y, 10.0f);

  /* Rows: all tokens when they fit, else a window around the current one. */
  if (g->V * ROW_MIN <= g->body_h)
    {
      g->first = 0;
      g->n_rows = g->V;
      g->row_h = MIN (floorf (g->body_h / g->V), ROW_MAX);
    }
  else
    {
      g->n_rows = MAX ((int) (g->body_h / ROW_MIN), 1);
      g->row_h = ROW_MIN;
      g->first = CLAMP (MAX (token, 0) - g->n_rows / 2, 0, g->V - g->n_rows);
    }
  for (int v = g->first; v < g->first + g->n_rows; v++)
    {
      g_autoptr(PangoLayout) l = gs_view_text_layout (widget, token_label (s, v, buf), TOKEN_PX, FALSE);
      pango_layout_get_pixel_size (l, &w, NULL);
      label_w = MAX (label_w, w);
    }

  /* Widths: the matrix ~40 %, x_t a narrow column, the projection the rest. */
  matrix_w = floorf ((width - 2 * PAD) * 0.40f);
  g->label_x = PAD;
  g->cells_x = PAD + label_w + 6.0f;
  avail = matrix_w - (g->cells_x - PAD);
  g->col_w = MIN (avail / g->E, COL_MAX);
  g->cols = g->col_w >= 1.0f ? g->E : MAX ((int) floorf (avail), 1);
  if (g->col_w < 1.0f)
    g->col_w = avail / g->cols;
  else
    g->col_w = floorf (g->col_w);
  g->legend_y = g->body_y + g->n_rows * g->row_h + 8.0f;

  g->vec_x = g->cells_x + g->cols * g->col_w + GAP + 24.0f;
  g->vec_w = 28.0f;
  g->vec_y = g->body_y + label_h + 4.0f;
  avail = g->body_h - 2 * (label_h + 4.0f);
  g->vec_h = MIN (avail / g->E, VEC_ROW_MAX);
  g->vec_rows = g->vec_h >= 1.0f ? g->E : MAX ((int) floorf (avail), 1);
  if (g->vec_h < 1.0f)
    g->vec_h = avail / g->vec_rows;

  /* The projection: the rest, right of x_t's numbers, one scale for both
   * axes so that distances in the picture are distances between vectors. */
  g->plot_x = g->vec_x + g->vec_w + 6.0f + 48.0f + GAP;
  g->plot_w = MAX (width - PAD - g->plot_x, 0.0f);
  g->plot_h = MAX (g->foot_y - 8.0f - label_h - 4.0f - g->body_y, 0.0f);
  g->plot_y = g->body_y;
  g->scale = 0.0f;
  if (e->pca_done && g->plot_w > 0.0f && g->plot_h > 0.0f)
    {
      float rx = 1e-6f, ry = 1e-6f;

      for (int v = 0; v < g->V; v++)
        {
          rx = MAX (rx, fabsf (e->proj[2 * v]));
          ry = MAX (ry, fabsf (e->proj[2 * v + 1]));
        }
      g->scale = MAX (MIN ((g->plot_w / 2.0f - 24.0f) / rx, (g->plot_h / 2.0f - 14.0f) / ry), 0.0f);
    }
}

/* ───────────────────────── drawing ───────────────────────── */

static void
draw_matrix (GsEmbeddingView    *self,
             GtkSnapshot        *snapshot,
             const GsSnapshot   *s,
             const GsEmbedding  *e,
             const Geometry     *g,
             int                 token,
             GsColorRange        range,
             const GsViewColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const GdkRGBA faint = gs_view_with_alpha (&colors->fg, 0.6f);
  char buf[16];

  for (int i = 0; i < g->n_rows; i++)
    {
      int v = g->first + i;
      float y = g->body_y + i * g->row_h;
      g_autoptr(PangoLayout) l = gs_view_text_layout (widget, token_label (s, v, buf), TOKEN_PX, v == token);
      int w, h;

      pango_layout_get_pixel_size (l, &w, &h);
      gs_view_text_append (snapshot, l, g->cells_x - 6.0f - w, y + (g->row_h - h) / 2.0f,
                           v == token ? &colors->accent : &colors->fg);
      for (int c = 0; c < g->cols; c++)
        {
          GdkRGBA color;
          int first, end;

          gs_colormap_bin_span (c, g->cols, g->E, &first, &end);
          gs_colormap_mean (&color, e->W + (size_t) v * g->E + first, 1, end - first, range, colors->dark);
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (g->cells_x + c * g->col_w, y,
                                                          g->col_w, g->row_h));
        }
    }
  if (g->n_rows < g->V)
    {
      /* Translators: which rows of the embedding matrix are shown, e.g. “rows 40–62 of 3000”. */
      g_autofree char *text = g_strdup_printf (_("rows %d–%d of %d"), g->first, g->first + g->n_rows - 1, g->V);
      g_autoptr(PangoLayout) l = gs_view_text_layout (widget, text, LABEL_PX, FALSE);
      int w, h;

      /* Right of the legend, under the rows. */
      pango_layout_get_pixel_size (l, &w, &h);
      gs_view_text_append (snapshot, l, g->cells_x + g->cols * g->col_w - w, g->legend_y - 2.0f, &faint);
    }

  if (token >= g->first && token < g->first + g->n_rows)
    gs_view_append_frame (snapshot,
                          &GRAPHENE_RECT_INIT (g->cells_x - 2.0f,
                                               roundf (g->body_y + (token - g->first) * g->row_h - 2.0f),
                                               g->cols * g->col_w + 4.0f, g->row_h + 4.0f),
                          3.0f, FRAME_WIDTH, &colors->accent);

  {
    float lw = MIN (g->cols * g->col_w * (g->n_rows < g->V ? 0.45f : 1.0f), 160.0f);
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                             &GRAPHENE_RECT_INIT (g->cells_x - 20.0f, g->legend_y,
                                                                  lw + 40.0f, 40.0f));

    gs_colormap_draw_legend (cr, g->cells_x, g->legend_y, lw, 10.0, range, colors->dark, &faint, LABEL_PX - 2);
    cairo_destroy (cr);
  }
}

/* x_t = E[token] as a column, with an arrow from its row. */
static void
draw_vector (GsEmbeddingView    *self,
             GtkSnapshot        *snapshot,
             const GsSnapshot   *s,
             const GsEmbedding  *e,
             const Geometry     *g,
             int                 token,
             GsColorRange        range,
             const GsViewColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const GdkRGBA faint = gs_view_with_alpha (&colors->fg, 0.6f);
  const float *row = e->W + (size_t) token * g->E;
  g_autofree char *head = NULL;
  char buf[16];
  int w, h;

  /* Translators: the current input vector, x_t, is row “%s” (a token) of the embedding matrix E. */
  head = g_strdup_printf (_("x_t = E[“%s”]"), token_label (s, token, buf));
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, head, LABEL_PX, TRUE);
    pango_layout_get_pixel_size (l, &w, &h);
    gs_view_text_append (snapshot, l, g->vec_x + g->vec_w / 2.0f - w / 2.0f, g->body_y, &colors->accent);
  }
  for (int i = 0; i < g->vec_rows; i++)
    {
      GdkRGBA color;
      int first, end;
      float y = g->vec_y + i * g->vec_h;

      gs_colormap_bin_span (i, g->vec_rows, g->E, &first, &end);
      gs_colormap_mean (&color, row + first, 1, end - first, range, colors->dark);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (g->vec_x, y, g->vec_w, MAX (g->vec_h - (g->vec_h >= 6.0f), 1.0f)));
      if (g->vec_h >= 14.0f)
        {
          g_autofree char *num = g_strdup_printf ("%.2f", (double) row[i]);
          g_autoptr(PangoLayout) l = gs_view_text_layout (widget, num, LABEL_PX - 2, FALSE);
          pango_layout_get_pixel_size (l, &w, &h);
          gs_view_text_append (snapshot, l, g->vec_x + g->vec_w + 6.0f, y + (g->vec_h - h) / 2.0f, &faint);
        }
    }
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, _("enters the cell"), LABEL_PX, FALSE);
    pango_layout_get_pixel_size (l, &w, &h);
    gs_view_text_append (snapshot, l, g->vec_x + g->vec_w / 2.0f - w / 2.0f,
                         g->vec_y + g->vec_rows * g->vec_h + 4.0f, &faint);
  }

  /* The arrow from the row to the column. */
  if (token >= g->first && token < g->first + g->n_rows)
    {
      float y0 = g->body_y + (token - g->first + 0.5f) * g->row_h;
      float x0 = g->cells_x + g->cols * g->col_w + 6.0f;
      float x1 = g->vec_x - 4.0f, y1 = g->vec_y + 8.0f;
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                               &GRAPHENE_RECT_INIT (x0 - 2, MIN (y0, y1) - 8, x1 - x0 + 4,
                                                                    fabsf (y1 - y0) + 16));
      double dx = x1 - x0, dy = y1 - y0, n = hypot (dx, dy);

      gdk_cairo_set_source_rgba (cr, &colors->accent);
      cairo_set_line_width (cr, 2.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1 - 0.8 * 9.0 * dx / n, y1 - 0.8 * 9.0 * dy / n);
      cairo_stroke (cr);
      gs_view_cairo_arrowhead (cr, x1, y1, dx / n, dy / n, 9.0);
      cairo_destroy (cr);
    }
}

static void
draw_projection (GsEmbeddingView    *self,
                 GtkSnapshot        *snapshot,
                 const GsSnapshot   *s,
                 const GsEmbedding  *e,
                 const Geometry     *g,
                 int                 token,
                 const int          *near,
                 int                 n_near,
                 const GsViewColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const GdkRGBA faint = gs_view_with_alpha (&colors->fg, 0.6f);
  const GdkRGBA axes = gs_view_with_alpha (&colors->fg, 0.25f);
  const float cx = g->plot_x + g->plot_w / 2.0f, cy = g->plot_y + g->plot_h / 2.0f;
  const gboolean labels = g->V <= MAX_POINT_LABELS;
  g_autofree char *pc1 = NULL;
  g_autofree char *pc2 = NULL;
  char buf[16];
  int w, h;

  if (g->plot_w < 60.0f || g->plot_h < 60.0f)
    return;
  if (!e->pca_done)
    {
      /* Translators: the embedding is too large to compute its projection in the window. */
      g_autofree char *text = g_strdup_printf (_("%d tokens × %d dimensions: too large to project here."),
                                               e->V, e->E);
      gs_view_text_append_message (snapshot, widget, text, LABEL_PX,
                                   &GRAPHENE_RECT_INIT (g->plot_x, g->plot_y, g->plot_w, g->plot_h),
                                   12.0f, &faint);
      return;
    }

  gtk_snapshot_append_color (snapshot, &axes, &GRAPHENE_RECT_INIT (g->plot_x, roundf (cy), g->plot_w, 1));
  gtk_snapshot_append_color (snapshot, &axes, &GRAPHENE_RECT_INIT (roundf (cx), g->plot_y, 1, g->plot_h));
  /* Translators: the first principal axis and the share of the variance it shows. */
  pc1 = g_strdup_printf (_("PC1 · %.0f %% of the variance"),
                         e->var_total > 0 ? 100.0 * e->var[0] / e->var_total : 0.0);
  /* Translators: the second principal axis and the share of the variance it shows. */
  pc2 = g_strdup_printf (_("PC2 · %.0f %%"), e->var_total > 0 ? 100.0 * e->var[1] / e->var_total : 0.0);
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, pc1, LABEL_PX, FALSE);
    pango_layout_get_pixel_size (l, &w, &h);
    gs_view_text_append (snapshot, l, g->plot_x + g->plot_w - w, g->plot_y + g->plot_h + 4.0f, &faint);
  }
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, pc2, LABEL_PX, FALSE);
    gs_view_text_append (snapshot, l, cx + 6.0f, g->plot_y, &faint);
  }

  /* Lines to the nearest neighbours. */
  if (token >= 0 && n_near > 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                               &GRAPHENE_RECT_INIT (g->plot_x, g->plot_y, g->plot_w, g->plot_h));
      GdkRGBA line = gs_view_with_alpha (&colors->accent, 0.55f);

      gdk_cairo_set_source_rgba (cr, &line);
      cairo_set_line_width (cr, 2.0);
      for (int i = 0; i < n_near; i++)
        {
          cairo_move_to (cr, cx + e->proj[2 * token] * g->scale, cy - e->proj[2 * token + 1] * g->scale);
          cairo_line_to (cr, cx + e->proj[2 * near[i]] * g->scale, cy - e->proj[2 * near[i] + 1] * g->scale);
        }
      cairo_stroke (cr);
      cairo_destroy (cr);
    }

  /* Every token: its label when few, else a dot; the current one last, on top. */
  for (int pass = 0; pass < 2; pass++)
    for (int v = 0; v < g->V; v++)
      {
        float x = cx + e->proj[2 * v] * g->scale, y = cy - e->proj[2 * v + 1] * g->scale;
        gboolean is_near = FALSE;

        for (int i = 0; i < n_near; i++)
          is_near |= near[i] == v;
        if ((v == token) != (pass == 1))
          continue;
        if (labels || v == token || is_near)
          {
            g_autoptr(PangoLayout) l = gs_view_text_layout (widget, token_label (s, v, buf), TOKEN_PX,
                                                            v == token);
            pango_layout_get_pixel_size (l, &w, &h);
            if (v == token)
              {
                GdkRGBA bg = gs_view_with_alpha (&colors->accent, 0.18f);
                gtk_snapshot_append_color (snapshot, &bg,
                                           &GRAPHENE_RECT_INIT (x - w / 2.0f - 4, y - h / 2.0f - 2, w + 8, h + 4));
                gs_view_append_frame (snapshot,
                                      &GRAPHENE_RECT_INIT (x - w / 2.0f - 4, y - h / 2.0f - 2, w + 8, h + 4),
                                      4.0f, 2.0f, &colors->accent);
              }
            gs_view_text_append (snapshot, l, x - w / 2.0f, y - h / 2.0f,
                                 v == token ? &colors->accent : is_near ? &colors->fg : &faint);
          }
        else
          gtk_snapshot_append_color (snapshot, &faint, &GRAPHENE_RECT_INIT (roundf (x) - 1, roundf (y) - 1, 3, 3));
      }
}

/* The one-hot vector and what an embedding would change. */
static void
draw_one_hot (GsEmbeddingView    *self,
              GtkSnapshot        *snapshot,
              const GsSnapshot   *s,
              int                 width,
              int                 height,
              const GsViewColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const int V = s->cfg.V, token = current_token (self, s);
  const GdkRGBA faint = gs_view_with_alpha (&colors->fg, 0.6f);
  const GsColorRange range = { -1.0f, 0.0f, 1.0f };
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  char buf[16];
  float cell = 22.0f, x0 = PAD, y = PAD + 34.0f;
  int n = MAX ((int) ((width - 2 * PAD) / cell), 1), first, w, h;

  /* Translators: the input is one-hot: %d is the number of tokens. */
  title = g_strdup_printf (_("One-hot input: x_t has %d numbers, a single 1"), V);
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, title, TITLE_PX, TRUE);
    gs_view_text_append (snapshot, l, PAD, PAD, &colors->fg);
  }
  n = MIN (n, V);
  first = CLAMP (MAX (token, 0) - n / 2, 0, V - n);
  for (int i = 0; i < n; i++)
    {
      int v = first + i;
      GdkRGBA color;
      g_autoptr(PangoLayout) l = gs_view_text_layout (widget, token_label (s, v, buf), LABEL_PX, v == token);

      g_autoptr(PangoLayout) digit = gs_view_text_layout (widget, v == token ? "1" : "0", LABEL_PX - 2, FALSE);
      const GdkRGBA edge = gs_view_with_alpha (&colors->fg, 0.3f);

      /* Each cell outlined, so that the zeros show on any background. */
      gs_colormap_diverging (&color, v == token ? 1.0f : 0.0f, range, colors->dark);
      gtk_snapshot_append_color (snapshot, &edge, &GRAPHENE_RECT_INIT (x0 + i * cell, y, cell - 1, cell));
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x0 + i * cell + 1, y + 1, cell - 3, cell - 2));
      gs_view_text_append_centred (snapshot, digit, &GRAPHENE_RECT_INIT (x0 + i * cell, y, cell - 1, cell),
                                   v == token ? &(GdkRGBA) { 1, 1, 1, 1 } : &faint);
      pango_layout_get_pixel_size (l, &w, &h);
      if (w <= cell + 4 || v == token)
        gs_view_text_append (snapshot, l, x0 + i * cell + (cell - w) / 2.0f, y + cell + 2.0f,
                             v == token ? &colors->accent : &faint);
    }
  if (token >= first && token < first + n)
    gs_view_append_frame (snapshot, &GRAPHENE_RECT_INIT (x0 + (token - first) * cell - 2, y - 2, cell + 3, cell + 4),
                          3.0f, FRAME_WIDTH, &colors->accent);

  /* Translators: shown in the embedding view when the input is one-hot; %d is the number of tokens. */
  text = g_strdup_printf (_("Each token is a vector of %d numbers with a 1 at its own index, so every two "
                            "tokens are equally far apart and nothing learned about one carries over to "
                            "another. An embedding (Input: Embedding in the settings) would give each token "
                            "a learned row of a few numbers instead: tokens used alike move close together, "
                            "and the cell reads those few numbers rather than %d."), V, V);
  gs_view_text_append_message (snapshot, widget, text, LABEL_PX + 1,
                               &GRAPHENE_RECT_INIT (PAD, y + cell + 28.0f, width - 2 * PAD,
                                                    MIN (MAX (height - (y + cell + 28.0f) - PAD, 20.0f), 90.0f)),
                               0.0f, &colors->fg);
}

static void
gs_embedding_view_draw (GtkWidget          *widget,
                        GtkSnapshot        *snapshot,
                        int                 width,
                        int                 height,
                        const GsViewColors *colors)
{
  GsEmbeddingView *self = GS_EMBEDDING_VIEW (widget);
  const GsSnapshot *s = get_snapshot (self);
  const GsEmbedding *e;
  const GdkRGBA faint = gs_view_with_alpha (&colors->fg, 0.6f);
  g_autofree char *title = NULL;
  g_autofree char *foot = NULL;
  int token, near[N_NEIGHBOURS], n_near = 0;
  float cos_near[N_NEIGHBOURS];
  GsColorRange range;
  Geometry g;
  char buf[16];

  if (s == NULL)
    return;
  if (s->cfg.input == GS_INPUT_ONEHOT)
    {
      draw_one_hot (self, snapshot, s, width, height, colors);
      return;
    }
  e = s->embedding;
  if (s->cfg.input == GS_INPUT_DENSE || e == NULL)
    {
      gs_view_text_append_message (snapshot, widget,
                                   s->cfg.input == GS_INPUT_DENSE
                                   ? _("This task feeds numbers, not tokens: there is no embedding to show.")
                                   : _("No embedding in this snapshot."),
                                   LABEL_PX + 1, &GRAPHENE_RECT_INIT (0, 0, width, height), 24.0f, &faint);
      return;
    }

  token = current_token (self, s);
  compute_geometry (self, s, e, token, width, height, &g);
  range = gs_color_range_symmetric (e->W, (gsize) e->V * e->E, 1e-6f);
  if (token >= 0)
    n_near = gs_embedding_neighbours (e, token, N_NEIGHBOURS, near, cos_near);

  /* Translators: the embedding view's title: tokens × dimensions, then the epoch its numbers are from. */
  title = g_strdup_printf (_("Embedding E: %d tokens × %d dimensions · epoch %ld"), e->V, e->E, e->epoch);
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, title, TITLE_PX, TRUE);
    gs_view_text_append (snapshot, l, PAD, PAD, &colors->fg);
  }

  draw_matrix (self, snapshot, s, e, &g, token, range, colors);
  if (token >= 0)
    draw_vector (self, snapshot, s, e, &g, token, range, colors);
  draw_projection (self, snapshot, s, e, &g, token, near, n_near, colors);

  if (token >= 0 && n_near > 0)
    {
      GString *list = g_string_new (NULL);

      for (int i = 0; i < n_near; i++)
        {
          char nbuf[16];
          if (i > 0)
            g_string_append (list, " · ");
          /* Translators: one nearest neighbour: the token and its cosine similarity. */
          g_string_append_printf (list, _("“%s” %.2f"), token_label (s, near[i], nbuf), (double) cos_near[i]);
        }
      /* Translators: the first %s is the current token, the second the list of its nearest tokens. */
      foot = g_strdup_printf (_("Nearest to “%s” (cosine similarity): %s"), token_label (s, token, buf), list->str);
      g_string_free (list, TRUE);
    }
  else
    foot = g_strdup (_("Step forward to mark the current token: its row, the vector x_t it becomes, "
                       "and its nearest neighbours."));
  {
    g_autoptr(PangoLayout) l = gs_view_text_layout (widget, foot, LABEL_PX, FALSE);
    pango_layout_set_width (l, (int) MAX (width - 2 * PAD, 1) * PANGO_SCALE);
    pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
    gs_view_text_append (snapshot, l, PAD, g.foot_y, &colors->fg);
  }
}

/* ───────────────────────── the widget ───────────────────────── */

static void
gs_embedding_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 480;
      *natural = 900;
    }
  else
    {
      *minimum = 280;
      *natural = 400;
    }
}

static void
gs_embedding_view_changed (GsView       *view,
                           GsViewChange  what,
                           GsSnap       *old_snap)
{
  /* The matrix and the projection are the same for every layer. */
  if (what != GS_VIEW_CHANGE_LAYER)
    gs_view_queue_redraw (view);
}

static void
gs_embedding_view_class_init (GsEmbeddingViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GsViewClass *view_class = GS_VIEW_CLASS (klass);

  widget_class->measure = gs_embedding_view_measure;

  view_class->draw = gs_embedding_view_draw;
  view_class->changed = gs_embedding_view_changed;

  gtk_widget_class_set_css_name (widget_class, "embeddingview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gs_embedding_view_init (GsEmbeddingView *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The embedding matrix, the current input vector and the tokens projected on their two principal components"),
                                  -1);
}

GtkWidget *
gs_embedding_view_new (void)
{
  return g_object_new (GS_TYPE_EMBEDDING_VIEW, NULL);
}

int
gs_embedding_view_get_token (GsEmbeddingView *self)
{
  g_return_val_if_fail (GS_IS_EMBEDDING_VIEW (self), -1);

  return current_token (self, get_snapshot (self));
}

gboolean
gs_embedding_view_get_row_rect (GsEmbeddingView *self,
                                int              token,
                                graphene_rect_t *out)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  const GsSnapshot *s;
  Geometry g;

  g_return_val_if_fail (GS_IS_EMBEDDING_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  s = get_snapshot (self);
  if (s == NULL || s->embedding == NULL || width <= 0 || height <= 0)
    return FALSE;
  compute_geometry (self, s, s->embedding, current_token (self, s), width, height, &g);
  if (token < g.first || token >= g.first + g.n_rows)
    return FALSE;
  graphene_rect_init (out, g.cells_x, g.body_y + (token - g.first) * g.row_h, g.cols * g.col_w, g.row_h);
  return TRUE;
}

gboolean
gs_embedding_view_get_point (GsEmbeddingView  *self,
                             int               token,
                             graphene_point_t *out)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  const GsSnapshot *s;
  Geometry g;

  g_return_val_if_fail (GS_IS_EMBEDDING_VIEW (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  s = get_snapshot (self);
  if (s == NULL || s->embedding == NULL || !s->embedding->pca_done || width <= 0 || height <= 0 ||
      token < 0 || token >= s->embedding->V)
    return FALSE;
  compute_geometry (self, s, s->embedding, current_token (self, s), width, height, &g);
  if (g.plot_w < 60.0f || g.plot_h < 60.0f)
    return FALSE;
  graphene_point_init (out, g.plot_x + g.plot_w / 2.0f + s->embedding->proj[2 * token] * g.scale,
                       g.plot_y + g.plot_h / 2.0f - s->embedding->proj[2 * token + 1] * g.scale);
  return TRUE;
}
