/* mkdir [-p] DIR...: creates each DIR (with -p: and missing parents, no error if it exists). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Creates path and, if parents, its missing ancestors. Returns 0, or -1 with errno set. */
static int make(char *path, int parents)
{
    if (!parents) return mkdir(path, 0777);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        int r = mkdir(path, 0777);
        *p = '/';
        if (r < 0 && errno != EEXIST) return -1;
    }
    return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

int main(int argc, char **argv)
{
    int i = 1, parents = 0, rc = 0;
    if (i < argc && strcmp(argv[i], "-p") == 0) { parents = 1; i++; }
    if (i == argc) { fprintf(stderr, "usage: mkdir [-p] DIR...\n"); return 2; }
    for (; i < argc; i++)
        if (make(argv[i], parents) < 0) { fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno)); rc = 1; }
    return rc;
}
