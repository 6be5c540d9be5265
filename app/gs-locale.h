/* gs-locale.h — the locale and the text domain, for both executables.
 *
 * Copyright 2026 The Gatescope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain C (no GLib): gatescope-cli calls it too.
 */
#pragma once

/* Sets the process locale from the environment and binds the gatescope
 * text domain, to the build tree's catalogs when the executable runs
 * from the build tree (`make run`, the tests), else to LOCALEDIR.
 *
 * language: a LANGUAGE list ("zh_CN", "en") that overrides the
 * environment's (the window's Language setting), or NULL / "" to follow
 * the environment. LANGUAGE is honoured even when the locale is C or
 * POSIX (glibc ignores it there): messages then come from C.UTF-8. */
void        gs_locale_init       (const char *language);

/* The directory the text domain was bound to (for tests and messages). */
const char *gs_locale_catalog_dir (void);
