/* gs-i18n.h — gettext for the engine's user-visible messages.
 *
 * core/ depends on the C library only; gettext is part of glibc. The
 * application binds the text domain; core only looks strings up in it.
 */
#pragma once

#include <libintl.h>

#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "gatescope"
#endif

#ifndef _
#define _(s) dgettext (GETTEXT_PACKAGE, s)
#endif
#ifndef N_
#define N_(s) (s)
#endif
