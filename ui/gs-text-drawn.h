/* gs-text-drawn.h — every Pango layout a view or chart draws, for tests.
 *
 * The drawing helpers (gs_view_text_append, the charts' text, the colour
 * legend) hand each layout they draw to gs_text_drawn (). Normally that
 * does nothing; a test installs a hook and learns each text and how many
 * of its glyphs no installed font has (pango_layout_get_unknown_glyphs_count:
 * the boxes a user would see). Plain Pango, no GTK: the CLI's charts use it.
 */
#pragma once

#include <pango/pango.h>

typedef void (*GsTextDrawnFunc) (const char *text, int unknown_glyphs, void *data);

/* Called by the drawing helpers for every layout they draw. */
void gs_text_drawn          (PangoLayout    *layout);
/* Installs (or, with NULL, removes) the hook. Not thread-safe: tests only. */
void gs_text_drawn_set_hook (GsTextDrawnFunc func,
                             void           *data);
