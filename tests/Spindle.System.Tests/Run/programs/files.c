/* File I/O at absolute paths (under spindle's --root): create, write, read back, stat, list, remove. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    int fd = open("/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    if (write(fd, "written by the guest\n", 21) != 21) { perror("write"); return 1; }
    close(fd);

    char buf[64] = {0};
    fd = open("/out.txt", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read %zd: %s", n, buf);
    struct stat st;
    fstat(fd, &st);
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    close(fd);

    FILE *f = fopen("/in.txt", "r");
    if (f && fgets(buf, sizeof buf, f)) printf("host file: %s", buf);
    if (f) fclose(f);

    mkdir("/d", 0755);
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "/d/file%d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    DIR *d = opendir("/d");
    char *names[16];
    int count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && count < 16;)
        if (e->d_name[0] != '.') names[count++] = strdup(e->d_name);
    closedir(d);
    qsort(names, count, sizeof *names, cmp);
    for (int i = 0; i < count; i++) printf("entry %s\n", names[i]);

    for (int i = 0; i < 3; i++) { char name[32]; snprintf(name, sizeof name, "/d/file%d", i); unlink(name); }
    printf("rmdir %d\n", rmdir("/d"));
    printf("missing: %d %s\n", open("/nope", O_RDONLY), strerror(errno));
    printf("escape: %d\n", access("/../../../../out.txt", F_OK));
    return 0;
}
