/* ls [-a] [-l] [PATH...]: lists directories (sorted; dot files only with -a) and names files. -l adds the
 * type and permissions, link count, size. Exits 1 if any PATH could not be listed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int all, longform;

/* Prints one entry: name alone, or with -l its mode, links and size (st is its lstat). */
static void show(const char *name, const struct stat *st)
{
    if (!longform) { printf("%s\n", name); return; }
    char mode[11] = "----------";
    mode[0] = S_ISDIR(st->st_mode) ? 'd' : S_ISLNK(st->st_mode) ? 'l' : S_ISCHR(st->st_mode) ? 'c'
            : S_ISFIFO(st->st_mode) ? 'p' : S_ISBLK(st->st_mode) ? 'b' : S_ISSOCK(st->st_mode) ? 's' : '-';
    for (int i = 0; i < 9; i++)
        if (st->st_mode & (0400 >> i)) mode[1 + i] = "rwx"[i % 3];
    printf("%s %3lu %8lld %s\n", mode, (unsigned long)st->st_nlink, (long long)st->st_size, name);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Lists directory path. Returns 0, or 1 after printing an error. */
static int list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "ls: %s: %s\n", path, strerror(errno)); return 1; }
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)); ) {
        if (e->d_name[0] == '.' && !all) continue;
        if (n == cap) names = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (longform) {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, names[i]);
            if (lstat(full, &st) < 0) { fprintf(stderr, "ls: %s: %s\n", full, strerror(errno)); rc = 1; free(names[i]); continue; }
        }
        show(names[i], &st);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
        for (char *f = argv[i] + 1; *f; f++) {
            if (*f == 'a') all = 1;
            else if (*f == 'l') longform = 1;
            else { fprintf(stderr, "ls: unknown option -%c\nusage: ls [-al] [PATH...]\n", *f); return 2; }
        }
    if (i == argc) return list_dir(".");
    int rc = 0, many = argc - i > 1;
    for (int first = 1; i < argc; i++, first = 0) {
        struct stat st;
        if (lstat(argv[i], &st) < 0) { fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno)); rc = 1; continue; }
        if (!S_ISDIR(st.st_mode)) { show(argv[i], &st); continue; }
        if (many) printf("%s%s:\n", first ? "" : "\n", argv[i]);
        rc |= list_dir(argv[i]);
    }
    return rc;
}
