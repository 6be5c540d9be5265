/* gs-file.c — reading bounded files and writing them safely.
 *
 * Writing follows the usual crash-safe sequence: create a temporary file
 * next to the destination (same directory, so the same filesystem), write
 * everything, fsync it, rename it over the destination, then fsync the
 * directory so that the rename itself is on disk. Until the rename the old
 * file is untouched; after it, the new file is complete.
 *
 * What the rename would damage is handled first: a symlink is followed to
 * the file it names (the link stays a link); the new file gets the old
 * one's permissions and owner; a FIFO, a device, a path through /dev or
 * /proc (/dev/stdout) and "-" are written in place, as a shell's `>`
 * would. Temporary files are named ".<name>.gstmp.<pid>.<random>" so that
 * the next write of the same file can remove those of dead processes, and
 * they are registered while they exist so that a handler of SIGINT or
 * SIGTERM can remove them before the process ends.
 */
#include "gs-file.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "gs-i18n.h"

/* Standard input to its end, in growing steps, refusing more than max_bytes. */
static int
read_stdin (size_t max_bytes, unsigned char **data, size_t *len, GsError *err)
{
  unsigned char *buf = NULL;
  size_t size = 0, got = 0;

  for (;;) {
    ssize_t r;
    if (got == size) {
      size_t want = size == 0 ? 65536 : size * 2;
      unsigned char *grown;
      if (size > max_bytes) {
        free (buf);
        return gs_error_set (err, _("standard input is too large (the limit is %zu bytes)"),
                             max_bytes);
      }
      if (want > max_bytes + 1)
        want = max_bytes + 1;
      grown = realloc (buf, want + 1);
      if (grown == NULL) {
        free (buf);
        return gs_error_set (err, _("out of memory reading standard input"));
      }
      buf = grown;
      size = want;
    }
    r = read (STDIN_FILENO, buf + got, size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int e = errno;
      free (buf);
      return gs_error_set (err, _("cannot read standard input: %s"), strerror (e));
    }
    if (r == 0)
      break;
    got += (size_t) r;
    if (got > max_bytes) {
      free (buf);
      return gs_error_set (err, _("standard input is too large (the limit is %zu bytes)"),
                           max_bytes);
    }
  }
  buf[got] = '\0';
  *data = buf;
  *len = got;
  return GS_OK;
}

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
  if (strcmp (path, "-") == 0)
    return read_stdin (max_bytes, data, len, err);

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

/* --- the temporary files in progress ------------------------------------------------- */

/* A slot is 0 free, 1 being filled, 2 holding the path of a temporary file
 * that exists. Lock-free atomics, so a signal handler may read them. */
#define N_SLOTS 16
static struct {
  atomic_int state;
  char       path[PATH_MAX];
} slots[N_SLOTS];

/* Registers path; returns the slot, or −1 when all are taken (the write
 * goes on, unregistered). */
static int
temp_register (const char *path)
{
  if (strlen (path) >= PATH_MAX)
    return -1;
  for (int i = 0; i < N_SLOTS; i++) {
    int expected = 0;
    if (atomic_compare_exchange_strong (&slots[i].state, &expected, 1)) {
      strcpy (slots[i].path, path);
      atomic_store (&slots[i].state, 2);
      return i;
    }
  }
  return -1;
}

static void
temp_unregister (int slot)
{
  if (slot >= 0)
    atomic_store (&slots[slot].state, 0);
}

void
gs_file_remove_temporaries (void)
{
  int saved = errno;

  for (int i = 0; i < N_SLOTS; i++)
    if (atomic_load (&slots[i].state) == 2)
      unlink (slots[i].path);
  errno = saved;
}

static void
remove_and_reraise (int sig)
{
  gs_file_remove_temporaries ();
  signal (sig, SIG_DFL);
  raise (sig);   /* delivered when the handler returns: the process ends by sig */
}

void
gs_file_install_signal_cleanup (void)
{
  static const int sigs[] = { SIGINT, SIGTERM };

  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction old, sa;
    if (sigaction (sigs[i], NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) != 0
        || old.sa_handler != SIG_DFL)
      continue;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = remove_and_reraise;
    sigemptyset (&sa.sa_mask);
    sigaction (sigs[i], &sa, NULL);
  }
}

/* --- where a write goes --------------------------------------------------------------- */

typedef struct {
  char       *target;     /* the file that gets replaced (symlinks followed); malloc'd */
  bool        exists;     /* target exists (then sb is its stat) */
  struct stat sb;
  bool        in_place;   /* write into path itself: "-", a FIFO, a device, /dev, /proc */
  bool        to_stdout;
} GsDest;

static bool
is_special_tree (const char *p)
{
  return strncmp (p, "/dev/", 5) == 0 || strncmp (p, "/proc/", 6) == 0;
}

/* The directory part of p: "." for "name", "/" for "/name", "a/b" for "a/b/name". */
static char *
dir_of (const char *p)
{
  const char *slash = strrchr (p, '/');
  if (slash == NULL)
    return strdup (".");
  if (slash == p)
    return strdup ("/");
  return strndup (p, (size_t) (slash - p));
}

static const char *
base_of (const char *p)
{
  const char *slash = strrchr (p, '/');
  return slash != NULL ? slash + 1 : p;
}

static void
dest_clear (GsDest *d)
{
  free (d->target);
  d->target = NULL;
}

/* Follows path's symlinks (at most 40, as the kernel does) to the file a
 * write must replace, and decides whether it is written in place. */
static int
dest_resolve (GsDest *d, const char *path, GsError *err)
{
  char *cur;

  memset (d, 0, sizeof *d);
  if (path == NULL || *path == '\0')
    return gs_error_set (err, _("no file name given"));
  if (strcmp (path, "-") == 0) {
    d->in_place = d->to_stdout = true;
    return GS_OK;
  }
  cur = strdup (path);
  if (cur == NULL)
    return gs_error_set (err, _("out of memory"));

  for (int hops = 0;; hops++) {
    char link[PATH_MAX];
    ssize_t n;

    if (lstat (cur, &d->sb) != 0) {
      int e = errno;
      if (e == ENOENT) {
        d->exists = false;
        break;
      }
      free (cur);
      return gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    }
    if (!S_ISLNK (d->sb.st_mode)) {
      d->exists = true;
      break;
    }
    /* /dev/stdout → /proc/self/fd/1 → "pipe:[…]": only open() follows these. */
    if (is_special_tree (cur)) {
      d->in_place = true;
      break;
    }
    if (hops >= 40) {
      free (cur);
      return gs_error_set (err, _("cannot write %s: %s"), path, strerror (ELOOP));
    }
    n = readlink (cur, link, sizeof link - 1);
    if (n < 0) {
      int e = errno;
      free (cur);
      return gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    }
    link[n] = '\0';
    if (link[0] == '/') {
      free (cur);
      cur = strdup (link);
    } else {
      /* relative to the link's own directory */
      char *dir = dir_of (cur);
      size_t size = (dir != NULL ? strlen (dir) : 0) + 1 + (size_t) n + 1;
      char *joined = dir != NULL ? malloc (size) : NULL;
      if (joined != NULL)
        snprintf (joined, size, "%s/%s", dir, link);
      free (dir);
      free (cur);
      cur = joined;
    }
    if (cur == NULL)
      return gs_error_set (err, _("out of memory"));
  }

  if (d->exists && S_ISDIR (d->sb.st_mode)) {
    free (cur);
    return gs_error_set (err, _("cannot write %s: it is a directory"), path);
  }
  if ((d->exists && !S_ISREG (d->sb.st_mode)) || is_special_tree (cur))
    d->in_place = true;
  {
    const char *base = base_of (cur);
    if (!d->in_place && (*base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)) {
      free (cur);
      return gs_error_set (err, _("cannot write %s: not a file name"), path);
    }
  }
  d->target = cur;
  return GS_OK;
}

/* Writes the parts into fd, which is not replaced: stdout, a FIFO, a device. */
static int
write_in_place (const GsDest *d, const char *path, size_t n, const void *const *data,
                const size_t *len, GsError *err)
{
  int fd, e;

  if (!d->to_stdout) {
    /* /dev/stdout when stdout is a file: its descriptor, at its offset,
     * after what the program printed there — not a second opening at 0. */
    struct stat psb, osb;
    if (stat (path, &psb) == 0 && fstat (STDOUT_FILENO, &osb) == 0
        && psb.st_dev == osb.st_dev && psb.st_ino == osb.st_ino)
      return write_in_place (&(GsDest) { .in_place = true, .to_stdout = true }, path, n, data, len,
                             err);
  }
  if (d->to_stdout) {
    fflush (stdout);   /* what the program printed comes first */
    fd = STDOUT_FILENO;
  } else {
    fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd < 0) {
      e = errno;
      return gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    }
  }
  for (size_t i = 0; i < n; i++)
    if (len[i] > 0 && write_all (fd, data[i], len[i]) != 0) {
      e = errno;
      if (!d->to_stdout)
        close (fd);
      if (d->to_stdout)
        return gs_error_set (err, _("cannot write to standard output: %s"), strerror (e));
      return gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    }
  /* A regular file behind /dev/stdout is flushed; pipes and terminals cannot be. */
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP) {
    e = errno;
    if (!d->to_stdout)
      close (fd);
    return gs_error_set (err, _("cannot write %s: flushing to disk failed: %s"),
                         d->to_stdout ? "-" : path, strerror (e));
  }
  if (!d->to_stdout && close (fd) != 0) {
    e = errno;
    return gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
  }
  return GS_OK;
}

/* The temporary files' names: ".<base>.gstmp.<pid>.<6 hex digits>", the base
 * cut to fit NAME_MAX. */
#define TMP_TAG ".gstmp."
#define TMP_BASE_MAX 200

static int
tmp_prefix (char *buf, size_t size, const char *base)
{
  return snprintf (buf, size, ".%.*s" TMP_TAG, TMP_BASE_MAX, base);
}

/* Whether name (after the prefix) is "<pid>.<6 hex>"; *pid gets the pid. */
static bool
parse_tmp_suffix (const char *s, long *pid)
{
  char *end;
  long p;

  if (*s < '0' || *s > '9')
    return false;
  p = strtol (s, &end, 10);
  if (*end != '.' || p <= 0)
    return false;
  end++;
  for (int i = 0; i < 6; i++)
    if (!((end[i] >= '0' && end[i] <= '9') || (end[i] >= 'a' && end[i] <= 'f')))
      return false;
  if (end[6] != '\0')
    return false;
  *pid = p;
  return true;
}

/* Earlier versions' mkstemp names: ".<base>." and six of [A-Za-z0-9], not
 * all lowercase letters (a word like "backup" is a user's name; mkstemp
 * gives one of those in 0.6 % of its names, which then stay). */
static bool
is_mkstemp_suffix (const char *s)
{
  bool word = true;

  for (int i = 0; i < 6; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
      return false;
    word = word && c >= 'a' && c <= 'z';
  }
  return s[6] == '\0' && !word;
}

/* A temporary file older than this is abandoned, whoever made it (a pid
 * can be reused by an unrelated process). */
#define STALE_SECONDS (60 * 60)

/* Removes the temporary files of base in dir that no running write owns:
 * those whose process has gone, those older than STALE_SECONDS, and earlier
 * versions' private (mode 0600) ones older than that. Best effort: what
 * cannot be removed stays. */
static void
remove_stale (const char *dir, const char *base)
{
  char prefix[TMP_BASE_MAX + 16], old_prefix[NAME_MAX + 2];
  size_t plen, olen;
  DIR *dp;
  struct dirent *e;
  time_t now = time (NULL);
  int dfd;

  plen = (size_t) tmp_prefix (prefix, sizeof prefix, base);
  olen = (size_t) snprintf (old_prefix, sizeof old_prefix, ".%s.", base);
  dp = opendir (dir);
  if (dp == NULL)
    return;
  dfd = dirfd (dp);
  while ((e = readdir (dp)) != NULL) {
    struct stat sb;
    long pid = 0;
    bool ours = strncmp (e->d_name, prefix, plen) == 0
                && parse_tmp_suffix (e->d_name + plen, &pid);
    bool older = olen < sizeof old_prefix && strncmp (e->d_name, old_prefix, olen) == 0
                 && is_mkstemp_suffix (e->d_name + olen);
    bool stale;

    if (!ours && !older)
      continue;
    if (fstatat (dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (sb.st_mode)
        || sb.st_uid != geteuid ())
      continue;
    stale = now - sb.st_mtime > STALE_SECONDS;
    if (ours)
      stale = stale || (pid != (long) getpid () && kill ((pid_t) pid, 0) != 0 && errno == ESRCH);
    else
      stale = stale && (sb.st_mode & 0777) == 0600;
    if (stale)
      unlinkat (dfd, e->d_name, 0);
  }
  closedir (dp);
}

/* Creates a new temporary file for base in dir: its path into *tmp_out. */
static int
create_temp (const char *dir, const char *base, char **tmp_out)
{
  static atomic_uint counter;
  char prefix[TMP_BASE_MAX + 16];
  size_t size = strlen (dir) + 1 + TMP_BASE_MAX + 16 + 24 + 8;
  char *tmp = malloc (size);

  *tmp_out = NULL;
  if (tmp == NULL) {
    errno = ENOMEM;
    return -1;
  }
  tmp_prefix (prefix, sizeof prefix, base);
  for (int attempt = 0; attempt < 100; attempt++) {
    struct timespec ts;
    unsigned r;
    int fd;

    clock_gettime (CLOCK_REALTIME, &ts);
    r = ((unsigned) ts.tv_nsec ^ (unsigned) getpid () * 2654435761u
         ^ atomic_fetch_add (&counter, 0x9e3779b9u)) & 0xffffffu;
    snprintf (tmp, size, "%s/%s%ld.%06x", dir, prefix, (long) getpid (), r);
    /* 0666: the kernel applies the umask, which tells the mode of a new file. */
    fd = open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd >= 0) {
      *tmp_out = tmp;
      return fd;
    }
    if (errno != EEXIST)
      break;
  }
  free (tmp);
  return -1;
}

int
gs_file_write_atomic (const char *path, size_t n, const void *const *data,
                      const size_t *len, GsError *err)
{
  GsDest d;
  struct stat tsb;
  char *dir = NULL, *tmp = NULL;
  const char *base;
  mode_t mode;
  int fd = -1, dfd, e, slot = -1;

  if (dest_resolve (&d, path, err) != GS_OK)
    return GS_FAIL;
  if (d.in_place) {
    int rc = write_in_place (&d, path, n, data, len, err);
    dest_clear (&d);
    return rc;
  }

  dir = dir_of (d.target);
  if (dir == NULL) {
    dest_clear (&d);
    return gs_error_set (err, _("out of memory"));
  }
  base = base_of (d.target);
  remove_stale (dir, base);

  /* SIGINT and SIGTERM wait while the temporary file is created and
   * registered: a signal between the two would leave it behind (the
   * signal cleanup only knows registered files). */
  {
    sigset_t block, old;
    sigemptyset (&block);
    sigaddset (&block, SIGINT);
    sigaddset (&block, SIGTERM);
    pthread_sigmask (SIG_BLOCK, &block, &old);
    fd = create_temp (dir, base, &tmp);
    e = errno;
    if (fd >= 0)
      slot = temp_register (tmp);
    pthread_sigmask (SIG_SETMASK, &old, NULL);
  }
  if (fd < 0) {
    gs_error_set (err, _("cannot write %s: cannot create a temporary file in %s: %s"),
                  path, dir, strerror (e));
    goto fail_nounlink;
  }
  /* The mode a new file gets is the umask's (0666 & ~umask); an existing
   * file keeps its own. Until the end the temporary file is private, so a
   * secret's new contents are never readable by others. */
  if (fstat (fd, &tsb) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    goto fail;
  }
  mode = d.exists ? (d.sb.st_mode & 07777) : (tsb.st_mode & 0777);
  if (fchmod (fd, 0600) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    goto fail;
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
  /* The old file's owner and group, where we may give them (root, or a
   * group we belong to); otherwise the new file is ours, as any copy is. */
  if (d.exists && (d.sb.st_uid != tsb.st_uid || d.sb.st_gid != tsb.st_gid))
    if (fchown (fd, d.sb.st_uid, d.sb.st_gid) != 0)
      (void) !fchown (fd, (uid_t) -1, d.sb.st_gid);
  if (fchmod (fd, mode) != 0) {
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
  if (rename (tmp, d.target) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: renaming the temporary file failed: %s"),
                  path, strerror (e));
    goto fail;
  }
  temp_unregister (slot);

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
  dest_clear (&d);
  return GS_OK;

fail:
  if (fd >= 0)
    close (fd);
  unlink (tmp);
  temp_unregister (slot);
fail_nounlink:
  free (tmp);
  free (dir);
  dest_clear (&d);
  return GS_FAIL;
}

int
gs_file_check_writable (const char *path, GsError *err)
{
  GsDest d;
  struct stat sb;
  char *dir;
  int e;

  if (dest_resolve (&d, path, err) != GS_OK)
    return GS_FAIL;
  if (d.to_stdout) {
    dest_clear (&d);
    return GS_OK;
  }
  if (d.in_place) {
    dest_clear (&d);
    if (access (path, W_OK) != 0 && errno != ENOENT) {
      e = errno;
      return gs_error_set (err, _("cannot write %s: %s"), path, strerror (e));
    }
    return GS_OK;
  }
  dir = dir_of (d.target);
  dest_clear (&d);
  if (dir == NULL)
    return gs_error_set (err, _("out of memory"));
  if (stat (dir, &sb) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: the directory %s: %s"), path, dir, strerror (e));
    free (dir);
    return GS_FAIL;
  }
  if (!S_ISDIR (sb.st_mode)) {
    gs_error_set (err, _("cannot write %s: %s is not a directory"), path, dir);
    free (dir);
    return GS_FAIL;
  }
  /* The new file is made in the directory and renamed there. */
  if (access (dir, W_OK | X_OK) != 0) {
    e = errno;
    gs_error_set (err, _("cannot write %s: the directory %s: %s"), path, dir, strerror (e));
    free (dir);
    return GS_FAIL;
  }
  free (dir);
  return GS_OK;
}
