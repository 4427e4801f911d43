/* prefix_paths DIR: what a program sees of the library prefix rule (qemu-user's -L, spindle run -L), run with
 * -L PREFIX where PREFIX/DIR/both and DIR/both both exist, DIR/only-real only outside it, PREFIX/DIR/only-prefix
 * only inside it. Prints the first line of each file it opens, stat results, and where a created file lands. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *label, const char *path)
{
    char buf[128] = "";
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("%s: open: %s\n", label, strerror(errno)); return; }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    buf[strcspn(buf, "\n")] = 0;
    printf("%s: %s\n", label, buf);
}

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    char path[512];
    snprintf(path, sizeof path, "%s/both", argv[1]);
    show("absolute, in both", path);
    snprintf(path, sizeof path, "%s/only-real", argv[1]);
    show("absolute, only outside the prefix", path);
    snprintf(path, sizeof path, "%s/only-prefix", argv[1]);
    show("absolute, only in the prefix", path);
    struct stat st;
    printf("stat of the prefix-only file: %s\n", stat(path, &st) == 0 ? "found" : strerror(errno));
    if (chdir(argv[1]) != 0) { perror("chdir"); return 2; }
    show("relative, in both", "both");
    show("relative, only in the prefix", "only-prefix");
    snprintf(path, sizeof path, "%s/created", argv[1]);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "created\n", 8) != 8 || close(fd)) { perror("create"); return 2; }
    show("the created file, relative", "created");
    return 0;
}
