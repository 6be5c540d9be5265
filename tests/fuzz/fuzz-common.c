/* fuzz-common.c — see fuzz-common.h. */
#include "fuzz-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* An anonymous in-memory file (memfd): rewriting a file on disk for every
 * input made the text harnesses wait on I/O, 300 runs a second instead of
 * thousands. Its path is /proc/self/fd/N. */
static int fd = -1;
static char path[64];

const char *
fuzz_write_input (const uint8_t *data, size_t size)
{
  if (fd < 0) {
    fd = memfd_create ("gs-fuzz-input", MFD_CLOEXEC);
    if (fd < 0) {
      perror ("memfd_create");
      abort ();
    }
    snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  }
  if (ftruncate (fd, 0) != 0) {
    perror ("ftruncate");
    abort ();
  }
  for (size_t done = 0; done < size;) {
    ssize_t n = pwrite (fd, data + done, size - done, (off_t) done);
    if (n <= 0) {
      perror ("pwrite");
      abort ();
    }
    done += (size_t) n;
  }
  return path;
}
