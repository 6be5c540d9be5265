/* gs-settings-panel-private.h — what the files of GsSettingsPanel share.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GsSettingsPanel is split by concern:
 *   gs-settings-panel.c          the instance, its signals, the panel ↔
 *                                GsTrainConfig ↔ GSettings, Apply
 *   gs-settings-panel-task.c     the task's drop-down, its parameter rows
 *                                and recipe
 *   gs-settings-panel-variant.c  the cell variant's rows, one per row of
 *                                gs_variant_table
 */
#pragma once

#include "gs-recipe.h"
#include "gs-settings-panel.h"
#include "gs-task.h"

G_BEGIN_DECLS

enum { GS_INPUT_EMBEDDING, GS_INPUT_ONE_HOT };

/* The widgets of one row of gs_variant_table. */
typedef struct {
  GtkWidget     *row;     /* AdwActionRow, borrowed from variant_group */
  GtkSwitch     *sw;      /* NULL for a number without a switch */
  GtkSpinButton *spin;    /* NULL for a switch */
} GsVariantRowWidgets;

struct _GsSettingsPanel
{
  AdwBin                parent_instance;

  /* template widgets */
  AdwComboRow          *task_row;
  AdwPreferencesGroup  *task_group;
  AdwComboRow          *cell_row;
  GtkSpinButton        *layers_spin;
  AdwActionRow         *hidden_row;
  GtkSpinButton        *hidden_spin;
  AdwComboRow          *input_row;
  AdwActionRow         *embed_row;
  GtkSpinButton        *embed_spin;
  AdwPreferencesGroup  *variant_group;
  AdwComboRow          *optimizer_row;
  AdwActionRow         *lr_row;
  GtkSpinButton        *lr_spin;
  GtkSpinButton        *seed_spin;

  /* owned references */
  GSettings            *settings;
  GPtrArray            *task_param_rows;  /* GtkWidget *, borrowed from task_group */
  char                 *task_files[GS_TASK_MAX_PARAMS];  /* NULL = the shipped data */
  GtkFileChooserNative *file_chooser;     /* while open */
  GsVariantRowWidgets  *variant_rows;     /* gs_variant_table_len of them */

  /* borrowed references */
  const GsRecipe       *recipe;           /* "Use the task's settings" was pressed for this task's
                                             recipe: Apply takes its batch and clipping too (static) */
  GtkWidget            *recipe_row;       /* in task_group; NULL when the task has no recipe */
};

/* gs-settings-panel.c */
void  _gs_settings_panel_refuse          (GsSettingsPanel     *self,
                                          const char          *message);
/* Shows the cell, input, sizes, optimizer, rate and variant of config. */
void  _gs_settings_panel_show_network    (GsSettingsPanel     *self,
                                          const GsTrainConfig *config);
/* AdwComboRow's popover with whole names (not cut after 20 characters). */
void  _gs_settings_panel_whole_names     (AdwComboRow         *row);

/* gs-settings-panel-task.c */
void  _gs_settings_panel_init_task       (GsSettingsPanel     *self);
void  _gs_settings_panel_dispose_task    (GsSettingsPanel     *self);
void  _gs_settings_panel_select_task     (GsSettingsPanel     *self,
                                          const char          *spec);

/* gs-settings-panel-variant.c */
void  _gs_settings_panel_init_variant    (GsSettingsPanel     *self);
void  _gs_settings_panel_show_variant    (GsSettingsPanel     *self,
                                          const GsVariant     *v);
/* The variant the panel shows, for cell in L layers: rows that do not
 * apply (hidden) or are greyed out count as off. */
void  _gs_settings_panel_read_variant    (GsSettingsPanel     *self,
                                          GsCell               cell,
                                          int                  L,
                                          GsVariant           *v);
/* Which rows show and which are greyed, for the cell, layers and sizes shown. */
void  _gs_settings_panel_update_variant  (GsSettingsPanel     *self);
/* Whatever is typed in a number counts, even without Enter. */
void  _gs_settings_panel_commit_variant  (GsSettingsPanel     *self);

G_END_DECLS
