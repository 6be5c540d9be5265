/* gs-file.c — reading bounded files and writing them atomically.
 *
 * Writing follows the usual crash-safe sequence: create a temporary file
 * next to the destination (same directory, so the same filesystem), write
 * everything, fsync it, rename it over the destination, then fsync the
 * directory so that the rename itself is on disk. Until the rename the old
 * file is untouched; after it, the new file is complete.
 */
#include "gs-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "gs-i18n.h"

int
gs_file_read (const char *path, size_t max_bytes, unsigned char **data, size_t *len,
              GsError *err)
{
  struct stat sb;
  unsigned char *buf;
  size_t size, got = 0;
  int fd;

  *data = NULL;
  *len = 0;
  if (path == NULL || *path == '\0')
    return gs_error_set (err, _("no file name given"));

  /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then
   * refuses it. Regular files ignore the flag. */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return gs_error_set (err, _("cannot open %s: %s"), path, strerror (errno));
  if (fstat (fd, &sb) != 0) {
    int e = errno;
    close (fd);
    return gs_error_set (err, _("cannot read %s: %s"), path, strerror (e));
  }
  if (S_ISDIR (sb.st_mode)) {
    close (fd);
    return gs_error_set (err, _("%s is a directory, not a file"), path);
  }
  if (!S_ISREG (sb.st_mode)) {
    close (fd);
    return gs_error_set (err, _("%s is not a regular file"), path);
  }
  if (sb.st_size < 0 || (uintmax_t) sb.st_size > (uintmax_t) max_bytes) {
    close (fd);
    return gs_error_set (err, _("%s is too large (%jd bytes; the limit is %zu bytes)"),
                         path, (intmax_t) sb.st_size, max_bytes);
  }

  size = (size_t) sb.st_size;
  buf = malloc (size + 1);
  if (buf == NULL) {
    close (fd);
    return gs_error_set (err, _("out of memory reading %s (%zu bytes)"), path, size);
  }
  /* Reads what fstat promised; a file that shrinks meanwhile gives less. */
  while (got < size) {
    ssize_t r = read (fd, buf + got, size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int e = errno;
      free (buf);
      close (fd);
      return gs_error_set (err, _("cannot read %s: %s"), path, strerror (e));
    }
    if (r == 0)
      break;
    got += (size_t) r;
  }
  close (fd);
  buf[got] = '\0';
  *data = buf;
  *len = got;
  return GS_OK;
}

/* Writes all of buf, through short writes and interruptions. */
static int
write_all (int fd, const unsigned char *buf, size_t len)
{
  while (len > 0) {
    ssize_t w = write (fd, buf, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return -1;
    if (w == 0) {
      errno = EIO;
      return -1;
    }
    buf += w;
    len -= (size_t) w;
  }
  return 0;
}

int
gs_file_write_atomic (const char *path, size_t n, const void *const *data,
                      const size_t *len, GsError *err)
{
  const char *slash, *base;
  char *dir = NULL, *tmp = NULL;
  size_t dir_len, tmp_size;
  int fd = -1, dfd, e;

  if (path == NULL || *path == '\0')
    return gs_error_set (err, _("no file name given"));
  slash = strrchr (path, '/');
  base = slash != NULL ? slash + 1 : path;
  if (*base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    return gs_error_set (err, _("cannot write %s: not a file name"), path);

  /* dir: "." for "name", "/" for "/name", "a/b" for "a/b/name". */
  if (slash == NULL)
    dir = strdup (".");
  else if (slash == path)
    dir = strdup ("/");
  else
    dir = strndup (path, (size_t) (slash - path));
  if (dir == NULL)
    return gs_error_set (err, _("out of memory"));

  /* tmp: "<dir>/.<base>.XXXXXX" */
  dir_len = strlen (dir);
  tmp_size = dir_len + 2 + strlen (base) + 8 + 1;
  tmp = malloc (tmp_size);
  if (tmp == NULL) {
    free (dir);
    return gs_error_set (err, _("out of memory"));
  }
  snprintf (tmp, tmp_size, "%s/.%s.XXXXXX", dir, base);

  fd = mkostemp (tmp, O_CLOEXEC);
  if (fd < 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: cannot create a temporary file in %s: %s"),
                  path, dir, strerror (e));
    goto fail_nounlink;
  }
  for (size_t i = 0; i < n; i++) {
    if (len[i] > 0 && write_all (fd, data[i], len[i]) != 0) {
      e = errno;
      gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
      goto fail;
    }
  }
  if (fsync (fd) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: flushing to disk failed: %s"), path, strerror (e));
    goto fail;
  }
  /* mkstemp creates 0600; a model or a log is not a secret. */
  if (fchmod (fd, 0644) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    goto fail;
  }
  if (close (fd) != 0) {
    fd = -1;
    e = errno;
    gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    goto fail;
  }
  fd = -1;
  if (rename (tmp, path) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: renaming the temporary file failed: %s"),
                  path, strerror (e));
    goto fail;
  }

  /* The rename is durable once the directory is. Filesystems that cannot
   * sync a directory say EINVAL; that is not a failure of ours. */
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    if (fsync (dfd) != 0 && errno != EINVAL && errno != EROFS) {
      e = errno;
      close (dfd);
      gs_error_set (err, _("cannot write %s: flushing the directory failed: %s"),
                    path, strerror (e));
      goto fail_nounlink;
    }
    close (dfd);
  }
  free (tmp);
  free (dir);
  return GS_OK;

fail:
  if (fd >= 0)
    close (fd);
  unlink (tmp);
fail_nounlink:
  free (tmp);
  free (dir);
  return GS_FAIL;
}
