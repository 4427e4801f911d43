/*
 * A file-system workload for Spindle's ext2, run on a mounted image (`spindle run --disk IMG --mount vda:/mnt`).
 *
 *   fs_workload DIR full    create, write, append, truncate, rename (across directories, over a name), unlink,
 *                           mkdir/rmdir, symlinks, a hard link, a sparse file, 200 names in one directory; then sync.
 *   fs_workload DIR crash   write files f0, f1, ... (fsync each, then print "synced fN LEN"), unsynced noise between;
 *                           runs until killed (or 2000 files).
 *
 * File N's bytes: byte j is (N * 7 + j * 13) & 0xff; its length is 500 + (N * 7919) % 40000. The test computes the
 * same and reads the image back with debugfs. Output goes by write(2), unbuffered: a line is out before the next step.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static char path[512];

static void die(const char *what) { perror(what); exit(1); }

static void say(const char *text) { if (write(1, text, strlen(text)) < 0) exit(2); }

static const char *at(const char *dir, const char *name) { snprintf(path, sizeof path, "%s/%s", dir, name); return path; }

static long length_of(int n) { return 500 + (long)n * 7919 % 40000; }

/* Writes file `name` with the bytes of file n, optionally fsyncs it. */
static void put(const char *dir, const char *name, int n, int sync)
{
    static unsigned char buf[4096];
    int fd = open(at(dir, name), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) die("open");
    long len = length_of(n);
    for (long done = 0; done < len;) {
        int chunk = len - done < (long)sizeof buf ? (int)(len - done) : (int)sizeof buf;
        for (int j = 0; j < chunk; j++) buf[j] = (unsigned char)(n * 7 + (done + j) * 13);
        if (write(fd, buf, chunk) != chunk) die("write");
        done += chunk;
    }
    if (sync && fsync(fd) != 0) die("fsync");
    if (close(fd) != 0) die("close");
}

static void append(const char *dir, const char *name, const char *text)
{
    int fd = open(at(dir, name), O_WRONLY | O_APPEND);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) != 0) die("append");
}

static void full(const char *d)
{
    char a[512], b[512];
    if (mkdir(at(d, "dir"), 0755) || mkdir(at(d, "dir/sub"), 0755) || mkdir(at(d, "other"), 0755)) die("mkdir");
    put(d, "f1", 1, 0);
    put(d, "f2", 2, 0);
    put(d, "dir/f3", 3, 0);
    put(d, "t", 4, 0);
    if (truncate(at(d, "t"), 1000) != 0) die("truncate");
    append(d, "f1", "appended\n");
    snprintf(a, sizeof a, "%s/dir/f3", d); snprintf(b, sizeof b, "%s/other/moved", d);
    if (rename(a, b) != 0) die("rename across");
    snprintf(a, sizeof a, "%s/f2", d); snprintf(b, sizeof b, "%s/f1", d);
    put(d, "victim", 5, 0);
    snprintf(a, sizeof a, "%s/victim", d); snprintf(b, sizeof b, "%s/t", d);
    if (rename(a, b) != 0) die("rename over");
    snprintf(a, sizeof a, "%s/dir/sub", d); snprintf(b, sizeof b, "%s/other/sub", d);
    if (rename(a, b) != 0) die("rename a directory");
    if (mkdir(at(d, "gone"), 0755) || rmdir(at(d, "gone"))) die("rmdir");
    put(d, "unlinked", 6, 0);
    if (unlink(at(d, "unlinked")) != 0) die("unlink");
    snprintf(a, sizeof a, "%s/f2", d);
    if (symlink("f2", at(d, "fast")) != 0) die("symlink");
    char longer[300];
    memset(longer, 'L', sizeof longer - 1); longer[sizeof longer - 1] = 0;
    if (symlink(longer, at(d, "slow")) != 0) die("symlink slow");
    snprintf(b, sizeof b, "%s/other/hard", d);
    if (link(a, b) != 0) die("link");
    int fd = open(at(d, "sparse"), O_CREAT | O_WRONLY, 0644);
    if (fd < 0 || pwrite(fd, "end", 3, 20L << 20) != 3 || pwrite(fd, "start", 5, 0) != 5 || close(fd)) die("sparse");
    if (mkdir(at(d, "many"), 0755)) die("mkdir many");
    for (int i = 0; i < 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/n%03d", i);
        put(d, name, i, 0);
        if (i % 4 == 0 && unlink(at(d, name)) != 0) die("unlink many");
    }
    sync();
    say("done\n");
}

static void crash(const char *d)
{
    char line[128], name[64];
    for (int n = 0; n < 2000; n++) {
        snprintf(name, sizeof name, "noise%d", n % 7);
        put(d, name, n + 100000, 0);                                   /* unsynced: may be lost, must not corrupt */
        if (n % 3 == 0) { snprintf(name, sizeof name, "noise%d", (n + 3) % 7); unlink(at(d, name)); }
        snprintf(name, sizeof name, "f%d", n);
        put(d, name, n, 1);
        snprintf(line, sizeof line, "synced %s %ld\n", name, length_of(n));
        say(line);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) { say("usage: fs_workload DIR full|crash\n"); return 2; }
    if (strcmp(argv[2], "full") == 0) full(argv[1]);
    else crash(argv[1]);
    return 0;
}
