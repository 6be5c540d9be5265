/* gs-view-text.c — the text every view writes: Pango layouts, numbers, labels.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs-view-text.h"

#include "gs-escape.h"
#include "gs-text-drawn.h"
#include "gs-view-record.h"
#include "gs-visible.h"

/* Layouts and where they go */

/* Layouts are cached per widget: a view redraws the same labels (unit
 * numbers, t, the input characters, titles) for every snapshot, and making
 * and shaping a layout costs far more than drawing it. A cached layout is
 * handed out with the settings callers change (width, ellipsizing, wrap,
 * alignment) put back to Pango's defaults. The cache is dropped when the
 * widget's font changes, and when it grows past LAYOUT_CACHE_MAX (numbers
 * that change with every snapshot would otherwise pile up). */
#define LAYOUT_CACHE_MAX 512

typedef struct {
  GHashTable *layouts;   /* "px|bold|text" → PangoLayout (owned) */
  guint       serial;    /* pango_context_get_serial () when filled */
} LayoutCache;

static void
layout_cache_free (gpointer data)
{
  LayoutCache *cache = data;

  g_hash_table_unref (cache->layouts);
  g_free (cache);
}

PangoLayout *
gs_view_text_layout (GtkWidget  *widget,
                     const char *text,
                     double      px,
                     gboolean    bold)
{
  static GQuark quark;
  PangoContext *context;
  LayoutCache *cache;
  PangoLayout *layout;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autofree char *key = NULL;

  g_assert (GTK_IS_WIDGET (widget));

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("gs-view-text-layouts");
  context = gtk_widget_get_pango_context (widget);
  cache = g_object_get_qdata (G_OBJECT (widget), quark);
  if (cache == NULL)
    {
      cache = g_new0 (LayoutCache, 1);
      cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      cache->serial = pango_context_get_serial (context);
      g_object_set_qdata_full (G_OBJECT (widget), quark, cache, layout_cache_free);
    }
  if (cache->serial != pango_context_get_serial (context) ||
      g_hash_table_size (cache->layouts) >= LAYOUT_CACHE_MAX)
    {
      g_hash_table_remove_all (cache->layouts);
      cache->serial = pango_context_get_serial (context);
    }

  key = g_strdup_printf ("%g|%d|%s", px, bold ? 1 : 0, text != NULL ? text : "");
  layout = g_hash_table_lookup (cache->layouts, key);
  if (layout != NULL)
    {
      pango_layout_set_width (layout, -1);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
      return g_object_ref (layout);
    }

  layout = gtk_widget_create_pango_layout (widget, text);
  font = pango_font_description_copy (pango_context_get_font_description (context));
  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  g_hash_table_insert (cache->layouts, g_steal_pointer (&key), g_object_ref (layout));
  return layout;
}

void
gs_view_text_append (GtkSnapshot   *snapshot,
                     PangoLayout   *layout,
                     float          x,
                     float          y,
                     const GdkRGBA *color)
{
  /* Whole pixels: text between two pixels looks blurred. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x), roundf (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  gs_text_drawn (layout);
  gs_view_record_text (layout, roundf (x), roundf (y));
}

void
gs_view_text_append_centred (GtkSnapshot           *snapshot,
                             PangoLayout           *layout,
                             const graphene_rect_t *area,
                             const GdkRGBA         *color)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gs_view_text_append (snapshot, layout,
                       area->origin.x + (area->size.width - w) / 2.0f,
                       area->origin.y + (area->size.height - h) / 2.0f, color);
}

void
gs_view_text_append_message (GtkSnapshot           *snapshot,
                             GtkWidget             *widget,
                             const char            *text,
                             double                 px,
                             const graphene_rect_t *area,
                             float                  margin,
                             const GdkRGBA         *color)
{
  g_autoptr(PangoLayout) layout = gs_view_text_layout (widget, text, px, FALSE);

  int w, h;

  pango_layout_set_width (layout, (int) MAX (area->size.width - margin, 1.0f) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  /* Pango centres each line within the layout's width already: place the
   * layout's box, not its text, in the middle (centring the text's width
   * again would push it right by half the slack). */
  pango_layout_get_pixel_size (layout, &w, &h);
  gs_view_text_append (snapshot, layout, area->origin.x + margin / 2.0f,
                       area->origin.y + (area->size.height - h) / 2.0f, color);
}

/* Numbers */

char *
gs_view_format_compact (float v)
{
  const float a = fabsf (v);
  g_autofree char *text = NULL;
  char *mark;

  if (a == 0.0f)
    return g_strdup ("0");
  /* Rounding decides the form: 99.7 is "100", not "1e+02". */
  if (a >= 0.01f && a < 99.5f)
    return g_strdup_printf ("%.2g", (double) v);
  if (a >= 99.5f && a < 999.5f)
    return g_strdup_printf ("%.0f", (double) v);
  /* m·10^e with m rounded to one decimal by printf, so that 9.99e-7 is
   * "1.0e-6", never "10.0e-7"; the exponent without "+" or leading zeros. */
  text = g_strdup_printf ("%.1e", (double) v);
  mark = strrchr (text, 'e');
  if (mark == NULL)
    return g_steal_pointer (&text);
  *mark = '\0';
  return g_strdup_printf ("%se%d", text, atoi (mark + 1));
}

char *
gs_view_format_fixed (double v,
                      int    decimals)
{
  const double half = 0.5 * pow (10.0, -CLAMP (decimals, 0, 9));

  if (isfinite (v) && fabs (v) < half)
    v = 0.0;   /* +0: printf writes −0.0 and −0.001 as "-0.00" */
  return g_strdup_printf ("%.*f", CLAMP (decimals, 0, 9), v);
}

char *
gs_view_text_drop_negative_zero (char *text)
{
  char *out = text;

  if (text == NULL)
    return NULL;
  for (const char *in = text; *in != '\0'; )
    {
      /* A '-' that starts a number (not one inside a word or after a digit)
       * whose digits up to the next non-digit are all zeros. */
      if (*in == '-' && g_ascii_isdigit (in[1]) && (in == text || !g_ascii_isalnum (in[-1])))
        {
          const char *end = in + 1;
          gboolean zero = TRUE;

          while (g_ascii_isdigit (*end) || (*end == '.' && g_ascii_isdigit (end[1])))
            {
              if (g_ascii_isdigit (*end) && *end != '0')
                zero = FALSE;
              end++;
            }
          if (zero && *end != 'e' && *end != 'E')
            {
              in++;   /* the number without its sign */
              continue;
            }
        }
      *out++ = *in++;
    }
  *out = '\0';
  return text;
}

char *
gs_view_format_probability (float p)
{
  if (!(p >= 0.0095f))
    {
      if (p >= 0.00095f)
        return g_strdup_printf ("%.3f", (double) p);
      if (p > 0.0f)
        return g_strdup ("<0.001");
    }
  return gs_view_format_fixed (p, 2);
}

/* n's decimal digits in the given glyphs, after `minus` when n < 0. */
static void
append_script (GString           *out,
               int                n,
               const char *const  digits[10],
               const char        *minus)
{
  char buf[16];

  if (n < 0)
    g_string_append (out, minus);
  g_snprintf (buf, sizeof buf, "%d", ABS (n));
  for (const char *c = buf; *c != '\0'; c++)
    g_string_append (out, digits[*c - '0']);
}

char *
gs_view_format_power_of_ten (int e)
{
  static const char *const digits[10] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  GString *out = g_string_new ("10");

  append_script (out, e, digits, "⁻");
  return g_string_free (out, FALSE);
}

char *
gs_view_format_subscript (int n)
{
  static const char *const digits[10] = { "₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉" };
  GString *out = g_string_new (NULL);

  append_script (out, n, digits, "₋");
  return g_string_free (out, FALSE);
}

/* What a snapshot's tokens and classes stand for */

/* A label with control characters (ESC, C1 …) from a data or model file,
 * shown escaped as the CLI shows it (gs-escape.h): "\x1B[31m". Blanks
 * were already given their symbol (gs-visible.h); other controls are escaped. The
 * escaped forms are interned: there are at most as many as tokens and
 * classes, and the views hold on to the pointers. */
static const char *
escaped (const char *label)
{
  char buf[1024];

  if (label == NULL || !gs_escape_needed (label, GS_ESCAPE_ALL))
    return label;
  gs_escape (buf, sizeof buf, label, GS_ESCAPE_ALL);
  return g_intern_string (buf);
}

const char *
gs_view_input_label (const GsSnapshot *s,
                     int               t)
{
  int token;

  g_assert (s != NULL);

  if (s->tokens == NULL || t < 0 || t >= s->T)
    return NULL;
  token = s->tokens[t];
  if (s->task != NULL && s->task->vocab != NULL && token >= 0 && token < s->task->V &&
      s->task->vocab[token] != NULL)
    return escaped (gs_visible_token (s->task->vocab[token]));
  return NULL;
}

/* What x_t is, for a label: the token, or the first dense features
 * ("0.53, 1.00", "0.53, 1.00, …"); NULL when neither is known. */
char *
gs_view_input_text (const GsSnapshot *s,
                    int               t)
{
  const char *token = gs_view_input_label (s, t);
  const int V = s->cfg.V;
  const float *x;

  if (token != NULL)
    return g_strdup (token);
  /* a token input without a label (not known yet: a greedy pass's later
   * decoder inputs): no dense features to read either */
  if (s->xs == NULL || t < 0 || t >= s->T || V < 1
      || (s->cfg.input != GS_INPUT_DENSE && s->tokens != NULL && s->tokens[t] < 0))
    return NULL;
  x = s->xs + (size_t) t * V;
  if (V == 1)
    return g_strdup_printf ("%.2f", (double) x[0]);
  return g_strdup_printf ("%.2f, %.2f%s", (double) x[0], (double) x[1], V > 2 ? ", …" : "");
}

const char *
gs_view_output_label (const GsSnapshot *s,
                      int               o)
{
  g_assert (s != NULL);

  if (s->task != NULL && s->task->out_vocab != NULL && o >= 0 && o < s->task->O &&
      s->task->out_vocab[o] != NULL)
    return escaped (gs_visible_token (s->task->out_vocab[o]));
  return "?";
}

int
gs_view_predicted_class (const GsSnapshot *s,
                         int               t)
{
  const float *p;
  int best = 0;

  g_assert (s != NULL && s->probs != NULL);

  /* argmax_o p[t, o] */
  p = s->probs + (size_t) t * s->cfg.O;
  for (int o = 1; o < s->cfg.O; o++)
    if (p[o] > p[best])
      best = o;
  return best;
}
