/* gs-compare-page-export.c — the comparison page's exports.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every chart to PNG, SVG or PDF through cairo's own surfaces, drawn by
 * the same code as the screen (gs_chart_view_export → gs-chart.h), and the
 * curves to CSV (gs_compare_write_csv); all written atomically. The file
 * dialog is GtkFileChooserNative (GtkFileDialog is GTK 4.10).
 */

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Gatescope-Compare"

#include <string.h>

#include <glib/gi18n.h>

#include "gs-compare-page.h"
#include "gs-compare-page-private.h"

#define EXPORT_W           1600         /* px of an exported single chart (16:9) */
#define EXPORT_H           900
#define EXPORT_OVERVIEW_W  1920
#define EXPORT_OVERVIEW_H  1080

typedef struct
{
  GsComparePage *self;   /* owned reference */
  char          *what;
} ExportRequest;

static void
export_request_free (ExportRequest *req)
{
  g_clear_object (&req->self);
  g_free (req->what);
  g_free (req);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    ExportRequest   *req)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        {
          gs_compare_page_toast (req->self, _("Only local files can be written"));
        }
      else if (!gs_compare_page_export (req->self, req->what, path, &error))
        {
          gs_compare_page_toast (req->self, error->message);
        }
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *msg = g_strdup_printf (_("Saved “%s”"), name);
          gs_compare_page_toast (req->self, msg);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  export_request_free (req);
}

void
gs_compare_page_action_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GsComparePage *self = GS_COMPARE_PAGE (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char *ext = strrchr (what, '.');
  g_autofree char *name = g_strdup_printf ("gatescope-%s", what);
  ExportRequest *req;

  if (ext == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  {
    g_autofree char *pattern = g_strdup_printf ("*%s", ext);
    g_autofree char *upper = g_ascii_strup (ext + 1, -1);
    gtk_file_filter_add_pattern (filter, pattern);
    gtk_file_filter_set_name (filter, upper);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  }
  req = g_new0 (ExportRequest, 1);
  req->self = g_object_ref (self);
  req->what = g_strdup (what);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), req);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

GMenuModel *
gs_compare_page_export_menu (void)
{
  static const struct { const char *title; const char *chart; } charts[] = {
    { N_("Loss chart"), "loss" },
    { N_("Accuracy chart"), "accuracy" },
    { N_("Gradient-flow chart"), "flow" },
    { N_("All charts on one page"), "overview" },
  };
  static const char *const formats[] = { "png", "svg", "pdf" };
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      g_autoptr(GMenu) section = g_menu_new ();

      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autofree char *target = g_strdup_printf ("%s.%s", charts[i].chart, formats[f]);
          g_autofree char *upper = g_ascii_strup (formats[f], -1);
          g_autofree char *label = g_strdup_printf ("%s (%s)", _(charts[i].title), upper);
          g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

          g_menu_item_set_action_and_target (item, "compare.export", "s", target);
          g_menu_append_item (section, item);
        }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
    }
  {
    g_autoptr(GMenu) section = g_menu_new ();
    g_autoptr(GMenuItem) item = g_menu_item_new (_("Curves (CSV)"), NULL);

    g_menu_item_set_action_and_target (item, "compare.export", "s", "curves.csv");
    g_menu_append_item (section, item);
    g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  }
  return G_MENU_MODEL (menu);
}

gboolean
gs_compare_page_export (GsComparePage *self,
                        const char    *what,
                        const char    *path,
                        GError       **error)
{
  const char *dot;
  g_autofree char *chart = NULL;
  GsChartKind kind;

  g_return_val_if_fail (GS_IS_COMPARE_PAGE (self), FALSE);
  g_return_val_if_fail (what != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->records == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is nothing to export yet: start a comparison first"));
      return FALSE;
    }
  if (strcmp (what, "curves.csv") == 0)
    {
      GsError err = { { 0 } };

      if (gs_compare_write_csv (gs_chart_records_get (self->records), path, &err) != GS_OK)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, err.msg);
          return FALSE;
        }
      return TRUE;
    }

  dot = strrchr (what, '.');
  chart = dot != NULL ? g_strndup (what, (gsize) (dot - what)) : NULL;
  if (chart == NULL || gs_chart_kind_from_name (chart, &kind) != GS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Cannot export “%s”"), what);
      return FALSE;
    }
  /* The loss chart's options (log scale, smoothing) for every chart. */
  if (kind == GS_CHART_OVERVIEW)
    return gs_chart_view_export (self->loss_view, kind, dot + 1, path,
                                 EXPORT_OVERVIEW_W, EXPORT_OVERVIEW_H, error);
  return gs_chart_view_export (gs_compare_page_get_chart_view (self, kind), kind, dot + 1, path,
                               EXPORT_W, EXPORT_H, error);
}
