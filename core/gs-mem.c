/* gs-mem.c — the engine's memory caps (gs-mem.h). */
#include "gs-mem.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gs-i18n.h"

size_t
gs_mem_available (void)
{
  FILE *f = fopen ("/proc/meminfo", "r");
  char line[256];
  unsigned long long kib = 0;
  bool found = false;

  if (f != NULL) {
    while (fgets (line, sizeof line, f) != NULL)
      if (sscanf (line, "MemAvailable: %llu kB", &kib) == 1) {
        found = true;
        break;
      }
    fclose (f);
  }
  if (found)
    return (size_t) kib * 1024u;
#ifdef _SC_AVPHYS_PAGES
  {
    long pages = sysconf (_SC_AVPHYS_PAGES), page = sysconf (_SC_PAGESIZE);
    if (pages > 0 && page > 0)
      return (size_t) pages * (size_t) page;
  }
#endif
  return 0;
}

static double
gib (size_t bytes)
{
  return (double) bytes / (double) (1ull << 30);
}

int
gs_mem_check (size_t need, size_t cap, const char *what, GsError *err)
{
  size_t avail;

  if (cap > 0 && need > cap)
    return gs_error_set (err, _("%s needs %.2f GiB; at most %.2f GiB is allowed"), what, gib (need), gib (cap));
  avail = gs_mem_available ();
  if (avail > 0 && need > avail)
    return gs_error_set (err, _("%s needs %.2f GiB; this machine has %.2f GiB available"), what, gib (need),
                         gib (avail));
  return GS_OK;
}
