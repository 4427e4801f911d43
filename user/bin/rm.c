/* rm [-f] [-r] PATH...: removes files (with -r: directories and their contents). -f: no error for a
 * missing PATH. Exits 1 if anything could not be removed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int force, recursive;

/* Removes path (recursively with -r). Returns 0, or 1 after printing an error. */
static int remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (force && errno == ENOENT) return 0;
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) == 0) return 0;
        fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!recursive) { fprintf(stderr, "rm: %s: is a directory\n", path); return 1; }
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "rm: %s: %s\n", path, strerror(errno)); return 1; }
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)); ) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        rc |= remove_path(full);
    }
    closedir(d);
    if (rmdir(path) < 0) { fprintf(stderr, "rm: %s: %s\n", path, strerror(errno)); rc = 1; }
    return rc;
}

int main(int argc, char **argv)
{
    int i = 1, rc = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
        for (char *f = argv[i] + 1; *f; f++) {
            if (*f == 'f') force = 1;
            else if (*f == 'r') recursive = 1;
            else { fprintf(stderr, "rm: unknown option -%c\nusage: rm [-fr] PATH...\n", *f); return 2; }
        }
    if (i == argc && !force) { fprintf(stderr, "usage: rm [-fr] PATH...\n"); return 2; }
    for (; i < argc; i++) rc |= remove_path(argv[i]);
    return rc;
}
