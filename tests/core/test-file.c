/* test-file.c — what gs_file_write_atomic must not damage, and what it
 * cleans up:
 *   1. a symlink stays a link and its target gets the new contents
 *      (absolute, relative, dangling);
 *   2. an existing file keeps its mode; a new one gets 0666 & ~umask;
 *   3. a FIFO, /dev/fd/N and "-" (stdout) are written in place, not
 *      replaced; "-" also reads stdin;
 *   4. temporary files of dead processes (and old versions' abandoned ones)
 *      go on the next save of the same file, live and unrelated ones stay;
 *   5. SIGTERM in the middle of writes leaves no temporary file;
 *   6. gs_file_check_writable finds what the write would fail on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gs-file.h"
#include "gs-test.h"

static char tmpdir[256];

static void
path_in_tmp (char *out, size_t size, const char *name)
{
  snprintf (out, size, "%s/%s", tmpdir, name);
}

static bool
contains (const char *s, const char *sub)
{
  return strstr (s, sub) != NULL;
}

static int
write_str (const char *path, const char *s, GsError *err)
{
  const void *parts[1] = { s };
  size_t lens[1] = { strlen (s) };
  return gs_file_write_atomic (path, 1, parts, lens, err);
}

/* The file's contents as a string, "" when it cannot be read. */
static const char *
slurp (const char *path)
{
  static char buf[4096];
  FILE *f = fopen (path, "rb");
  size_t n = 0;

  buf[0] = '\0';
  if (f != NULL) {
    n = fread (buf, 1, sizeof buf - 1, f);
    fclose (f);
  }
  buf[n] = '\0';
  return buf;
}

static int
count_temporaries (void)
{
  DIR *d = opendir (tmpdir);
  struct dirent *e;
  int n = 0;

  if (d == NULL)
    return -1;
  while ((e = readdir (d)) != NULL)
    if (strstr (e->d_name, ".gstmp.") != NULL)
      n++;
  closedir (d);
  return n;
}

/* --- 1. symlinks ---------------------------------------------------------------------- */

static void
test_symlinks (void)
{
  char target[512], link_abs[512], link_rel[512], dangling[512], dtarget[512];
  GsError err = { "" };
  struct stat sb;

  path_in_tmp (target, sizeof target, "real.txt");
  path_in_tmp (link_abs, sizeof link_abs, "abs-link.txt");
  path_in_tmp (link_rel, sizeof link_rel, "rel-link.txt");
  GS_CHECK (write_str (target, "old", &err) == GS_OK, "first write: %s", err.msg);
  GS_CHECK (symlink (target, link_abs) == 0 && symlink ("real.txt", link_rel) == 0, "make links");

  GS_CHECK (write_str (link_abs, "through the absolute link", &err) == GS_OK, "write via link: %s", err.msg);
  GS_CHECK (lstat (link_abs, &sb) == 0 && S_ISLNK (sb.st_mode), "the absolute link is still a link");
  GS_CHECK (strcmp (slurp (target), "through the absolute link") == 0, "target got it: '%s'", slurp (target));

  GS_CHECK (write_str (link_rel, "through the relative link", &err) == GS_OK, "write via link: %s", err.msg);
  GS_CHECK (lstat (link_rel, &sb) == 0 && S_ISLNK (sb.st_mode), "the relative link is still a link");
  GS_CHECK (strcmp (slurp (target), "through the relative link") == 0, "target got it: '%s'", slurp (target));

  /* A link to a file that does not exist yet creates that file, as `>` does. */
  path_in_tmp (dangling, sizeof dangling, "dangling.txt");
  path_in_tmp (dtarget, sizeof dtarget, "created-by-link.txt");
  GS_CHECK (symlink ("created-by-link.txt", dangling) == 0, "make dangling link");
  GS_CHECK (write_str (dangling, "new", &err) == GS_OK, "write via dangling link: %s", err.msg);
  GS_CHECK (lstat (dangling, &sb) == 0 && S_ISLNK (sb.st_mode), "the dangling link is still a link");
  GS_CHECK (strcmp (slurp (dtarget), "new") == 0, "the link's target was created");

  /* A loop of links is an error, not a hang. */
  {
    char a[512], b[512];
    path_in_tmp (a, sizeof a, "loop-a");
    path_in_tmp (b, sizeof b, "loop-b");
    GS_CHECK (symlink ("loop-b", a) == 0 && symlink ("loop-a", b) == 0, "make loop");
    GS_CHECK (write_str (a, "x", &err) == GS_FAIL && contains (err.msg, a), "loop refused: %s", err.msg);
  }
  GS_CHECK (count_temporaries () == 0, "no temporary files left");
}

/* --- 2. permissions ------------------------------------------------------------------- */

static void
test_permissions (void)
{
  char path[512], fresh[512];
  GsError err = { "" };
  struct stat sb;
  mode_t old_umask;

  path_in_tmp (path, sizeof path, "secret.txt");
  GS_CHECK (write_str (path, "v1", &err) == GS_OK, "write: %s", err.msg);
  GS_CHECK (chmod (path, 0600) == 0, "chmod 600");
  GS_CHECK (write_str (path, "v2", &err) == GS_OK, "rewrite: %s", err.msg);
  GS_CHECK (stat (path, &sb) == 0 && (sb.st_mode & 07777) == 0600,
            "a 0600 file stays 0600, not %o", (unsigned) (sb.st_mode & 07777));
  GS_CHECK (chmod (path, 0751) == 0, "chmod 751");
  GS_CHECK (write_str (path, "v3", &err) == GS_OK, "rewrite: %s", err.msg);
  GS_CHECK (stat (path, &sb) == 0 && (sb.st_mode & 07777) == 0751,
            "a 0751 file stays 0751, not %o", (unsigned) (sb.st_mode & 07777));
  GS_CHECK (strcmp (slurp (path), "v3") == 0, "contents v3");

  /* New files: 0666 & ~umask, for two umasks. */
  old_umask = umask (027);
  path_in_tmp (fresh, sizeof fresh, "fresh-027.txt");
  GS_CHECK (write_str (fresh, "x", &err) == GS_OK, "write: %s", err.msg);
  GS_CHECK (stat (fresh, &sb) == 0 && (sb.st_mode & 07777) == 0640,
            "new file under umask 027 is 0640, not %o", (unsigned) (sb.st_mode & 07777));
  umask (0);
  path_in_tmp (fresh, sizeof fresh, "fresh-000.txt");
  GS_CHECK (write_str (fresh, "x", &err) == GS_OK, "write: %s", err.msg);
  GS_CHECK (stat (fresh, &sb) == 0 && (sb.st_mode & 07777) == 0666,
            "new file under umask 000 is 0666, not %o", (unsigned) (sb.st_mode & 07777));
  umask (old_umask);
}

/* --- 3. FIFOs, /dev/fd/N, stdout ------------------------------------------------------ */

static void
test_in_place (void)
{
  char fifo[512], devfd[64], buf[64];
  GsError err = { "" };
  struct stat sb;
  int rfd, p[2], saved;
  ssize_t n;

  /* A FIFO with a reader: written into, still a FIFO afterwards. */
  path_in_tmp (fifo, sizeof fifo, "pipe");
  GS_CHECK (mkfifo (fifo, 0600) == 0, "mkfifo: %s", strerror (errno));
  rfd = open (fifo, O_RDONLY | O_NONBLOCK);
  GS_CHECK (rfd >= 0, "open the FIFO's reading end");
  GS_CHECK (write_str (fifo, "into the fifo", &err) == GS_OK, "write into a FIFO: %s", err.msg);
  n = rfd >= 0 ? read (rfd, buf, sizeof buf - 1) : -1;
  buf[n > 0 ? n : 0] = '\0';
  GS_CHECK (strcmp (buf, "into the fifo") == 0, "the FIFO's reader got '%s'", buf);
  GS_CHECK (lstat (fifo, &sb) == 0 && S_ISFIFO (sb.st_mode), "the FIFO is still a FIFO");
  if (rfd >= 0)
    close (rfd);

  /* /dev/fd/N (a symlink into /proc that only open() can follow). */
  GS_CHECK (pipe (p) == 0, "pipe");
  snprintf (devfd, sizeof devfd, "/dev/fd/%d", p[1]);
  GS_CHECK (write_str (devfd, "via /dev/fd", &err) == GS_OK, "write %s: %s", devfd, err.msg);
  n = read (p[0], buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = '\0';
  GS_CHECK (strcmp (buf, "via /dev/fd") == 0, "the pipe got '%s'", buf);
  close (p[0]);
  close (p[1]);

  /* "-": stdout, whatever it is (here a pipe). */
  GS_CHECK (pipe (p) == 0, "pipe");
  fflush (stdout);
  saved = dup (STDOUT_FILENO);
  dup2 (p[1], STDOUT_FILENO);
  GS_CHECK (write_str ("-", "to stdout", &err) == GS_OK, "write -: %s", err.msg);
  dup2 (saved, STDOUT_FILENO);
  close (saved);
  close (p[1]);
  n = read (p[0], buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = '\0';
  close (p[0]);
  GS_CHECK (strcmp (buf, "to stdout") == 0, "stdout got '%s'", buf);
  GS_CHECK (access ("-", F_OK) != 0, "no file named '-' was created");

  /* "-" reads stdin, with the size limit. */
  {
    unsigned char *data = NULL;
    size_t len = 0;
    GS_CHECK (pipe (p) == 0, "pipe");
    GS_CHECK (write (p[1], "from stdin", 10) == 10, "fill the pipe");
    close (p[1]);
    saved = dup (STDIN_FILENO);
    dup2 (p[0], STDIN_FILENO);
    close (p[0]);
    GS_CHECK (gs_file_read ("-", 100, &data, &len, &err) == GS_OK && len == 10
              && memcmp (data, "from stdin", 10) == 0, "read -: %s", err.msg);
    free (data);
    dup2 (saved, STDIN_FILENO);
    close (saved);

    GS_CHECK (pipe (p) == 0, "pipe");
    GS_CHECK (write (p[1], "from stdin", 10) == 10, "fill the pipe");
    close (p[1]);
    saved = dup (STDIN_FILENO);
    dup2 (p[0], STDIN_FILENO);
    close (p[0]);
    data = NULL;
    GS_CHECK (gs_file_read ("-", 9, &data, &len, &err) == GS_FAIL && contains (err.msg, "too large")
              && data == NULL, "read - over the limit: %s", err.msg);
    dup2 (saved, STDIN_FILENO);
    close (saved);
  }
  GS_CHECK (count_temporaries () == 0, "no temporary files left");
}

/* --- 4. stale temporary files --------------------------------------------------------- */

static void
make_file (const char *name, mode_t mode, time_t age)
{
  char path[512];
  struct timespec ts[2];
  int fd;

  path_in_tmp (path, sizeof path, name);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd >= 0) {
    (void) !write (fd, "partial", 7);
    fchmod (fd, mode);
    close (fd);
  }
  clock_gettime (CLOCK_REALTIME, &ts[0]);
  ts[0].tv_sec -= age;
  ts[1] = ts[0];
  utimensat (AT_FDCWD, path, ts, 0);
}

static bool
exists_in_tmp (const char *name)
{
  char path[512];
  path_in_tmp (path, sizeof path, name);
  return access (path, F_OK) == 0;
}

static void
test_stale (void)
{
  char path[512], dead[128], alive[128], other[128];
  GsError err = { "" };
  pid_t child = fork ();

  if (child == 0)
    _exit (0);
  if (!GS_CHECK (child > 0, "fork: %s", strerror (errno)))
    return;
  waitpid (child, NULL, 0);   /* child is now a pid no process has */

  snprintf (dead, sizeof dead, ".m.safetensors.gstmp.%ld.0a1b2c", (long) child);
  snprintf (alive, sizeof alive, ".m.safetensors.gstmp.%ld.0a1b2c", (long) getppid ());
  snprintf (other, sizeof other, ".other.safetensors.gstmp.%ld.0a1b2c", (long) child);
  make_file (dead, 0600, 5);
  make_file (alive, 0600, 5);                 /* a write in progress elsewhere */
  make_file (other, 0600, 5);                 /* another file's */
  make_file (".m.safetensors.Ab3dE9", 0600, 2 * 3600);   /* earlier versions', abandoned */
  make_file (".m.safetensors.Zz9yY8", 0600, 5);          /* earlier versions', maybe in progress */
  make_file (".m.safetensors.backup", 0600, 2 * 3600);   /* not a temporary name */
  make_file (".m.safetensors.Qq1wW2", 0644, 2 * 3600);   /* a user's file, not private */

  path_in_tmp (path, sizeof path, "m.safetensors");
  GS_CHECK (write_str (path, "model", &err) == GS_OK, "write: %s", err.msg);
  GS_CHECK (!exists_in_tmp (dead), "a dead process's temporary file is removed");
  GS_CHECK (exists_in_tmp (alive), "a live process's recent temporary file stays");
  GS_CHECK (exists_in_tmp (other), "another file's temporary file stays");
  GS_CHECK (!exists_in_tmp (".m.safetensors.Ab3dE9"), "an old abandoned temporary file is removed");
  GS_CHECK (exists_in_tmp (".m.safetensors.Zz9yY8"), "a recent old-style one stays");
  GS_CHECK (exists_in_tmp (".m.safetensors.backup"), "a file with another name stays");
  GS_CHECK (exists_in_tmp (".m.safetensors.Qq1wW2"), "a non-private file stays");
  GS_CHECK (strcmp (slurp (path), "model") == 0, "the file was written");

  /* A live pid's temporary file goes once it is older than an hour. */
  make_file (alive, 0600, 2 * 3600);
  GS_CHECK (write_str (path, "model 2", &err) == GS_OK, "write: %s", err.msg);
  GS_CHECK (!exists_in_tmp (alive), "an hour-old temporary file is removed");

  {
    const char *names[] = { other, ".m.safetensors.Zz9yY8", ".m.safetensors.backup",
                            ".m.safetensors.Qq1wW2" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      char p[512];
      path_in_tmp (p, sizeof p, names[i]);
      unlink (p);
    }
  }
}

/* --- 5. signals ----------------------------------------------------------------------- */

static void
test_signal (void)
{
  enum { SIZE = 8 << 20 };
  char path[512];
  int killed_mid = 0;

  path_in_tmp (path, sizeof path, "big.bin");
  for (int round = 0; round < 6; round++) {
    int status = 0;
    struct timespec ts = { 0, (long) (5 + 7 * round) * 1000000L };
    struct stat sb;
    pid_t child = fork ();

    if (child == 0) {
      char *big = calloc (SIZE, 1);
      const void *parts[1] = { big };
      size_t lens[1] = { SIZE };
      GsError err;
      gs_file_install_signal_cleanup ();
      for (;;)
        if (big == NULL || gs_file_write_atomic (path, 1, parts, lens, &err) != GS_OK)
          _exit (3);
    }
    if (!GS_CHECK (child > 0, "fork: %s", strerror (errno)))
      break;   /* never kill (-1, …) */
    nanosleep (&ts, NULL);
    kill (child, SIGTERM);
    waitpid (child, &status, 0);
    GS_CHECK (WIFSIGNALED (status) && WTERMSIG (status) == SIGTERM,
              "round %d: the writer ended by SIGTERM (status %#x)", round, (unsigned) status);
    GS_CHECK (count_temporaries () == 0, "round %d: no temporary file after SIGTERM", round);
    GS_CHECK (stat (path, &sb) != 0 || sb.st_size == SIZE,
              "round %d: the file is whole (%lld bytes)", round, (long long) sb.st_size);
    killed_mid++;
  }
  GS_CHECK (killed_mid == 6, "six rounds (%d)", killed_mid);
  unlink (path);
}

/* --- 6. checking before writing ------------------------------------------------------- */

static void
test_check_writable (void)
{
  char path[512], ro_dir[512];
  GsError err = { "" };

  path_in_tmp (path, sizeof path, "new.safetensors");
  GS_CHECK (gs_file_check_writable (path, &err) == GS_OK, "new file in tmp: %s", err.msg);
  GS_CHECK (gs_file_check_writable ("-", &err) == GS_OK, "stdout: %s", err.msg);
  GS_CHECK (gs_file_check_writable (tmpdir, &err) == GS_FAIL && contains (err.msg, "directory"),
            "a directory: %s", err.msg);
  path_in_tmp (path, sizeof path, "no-such-dir/m.safetensors");
  GS_CHECK (gs_file_check_writable (path, &err) == GS_FAIL && contains (err.msg, strerror (ENOENT)),
            "a missing directory: %s", err.msg);
  path_in_tmp (path, sizeof path, "real.txt/m.safetensors");
  GS_CHECK (gs_file_check_writable (path, &err) == GS_FAIL && contains (err.msg, "real.txt"),
            "under a file: %s", err.msg);
  GS_CHECK (gs_file_check_writable ("", &err) == GS_FAIL, "empty name");
  /* A directory without write permission (root may write anyway). */
  path_in_tmp (ro_dir, sizeof ro_dir, "ro");
  mkdir (ro_dir, 0555);
  path_in_tmp (path, sizeof path, "ro/m.safetensors");
  if (geteuid () != 0)
    GS_CHECK (gs_file_check_writable (path, &err) == GS_FAIL && contains (err.msg, strerror (EACCES)),
              "a read-only directory: %s", err.msg);
  rmdir (ro_dir);
}

/* --- main ----------------------------------------------------------------------------- */

static void
remove_tmpdir (void)
{
  DIR *d = opendir (tmpdir);
  struct dirent *e;
  char path[1024];

  if (d == NULL)
    return;
  while ((e = readdir (d)) != NULL) {
    if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
      continue;
    snprintf (path, sizeof path, "%s/%s", tmpdir, e->d_name);
    unlink (path);
  }
  closedir (d);
  rmdir (tmpdir);
}

int
main (void)
{
  const char *base = getenv ("TMPDIR");

  snprintf (tmpdir, sizeof tmpdir, "%s/gs-test-file.XXXXXX", base != NULL ? base : "/tmp");
  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    return 1;
  }
  umask (022);
  test_symlinks ();
  test_permissions ();
  test_in_place ();
  test_stale ();
  test_signal ();
  test_check_writable ();
  remove_tmpdir ();
  return gs_test_finish ("file");
}
