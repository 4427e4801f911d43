/* mmap_file: a private file mapping holds the file's bytes from the offset (zeros past its end), writes to it
 * stay private (the file is unchanged), and mappings of what cannot be mapped fail with Linux's errno. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAIL"); failures += !ok; }

/* mmap that is expected to fail: prints the errno name it got. */
static void fails(const char *what, void *r)
{
    printf("%s: %s\n", what, r == MAP_FAILED ? strerror(errno) : "mapped (FAIL)");
    if (r != MAP_FAILED) failures++;
}

int main(void)
{
    char path[] = "/tmp/spindle-mmap-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); return 2; }
    char page[4096];
    memset(page, 'a', sizeof page);
    const char tail[] = "second page of the file";
    if (write(fd, page, sizeof page) != sizeof page || write(fd, tail, sizeof tail - 1) != sizeof tail - 1) { perror("write"); return 2; }
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);

    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    check("mmap whole file", m != MAP_FAILED);
    check("first page", m[0] == 'a' && m[4095] == 'a');
    check("second page", memcmp(m + 4096, tail, sizeof tail - 1) == 0);
    check("zeros past end", m[4096 + sizeof tail - 1] == 0 && m[8191] == 0);
    memcpy(m + 4096, "SECOND", 6);
    check("private write visible", memcmp(m + 4096, "SECOND page", 11) == 0);
    char back[32] = {0};
    check("file unchanged", pread(ro, back, 11, 4096) == 11 && strcmp(back, "second page") == 0);
    check("munmap", munmap(m, 8192) == 0);

    char *o = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 4096);
    check("offset mapping", o != MAP_FAILED && memcmp(o, tail, sizeof tail - 1) == 0);
    printf("offset mapping reads: %.*s\n", (int)sizeof tail - 1, o);
    check("still private after", o[0] == 's');

    fails("unaligned offset", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 100));
    fails("write-only fd", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, wo, 0));
    fails("bad fd", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0));
    int p[2];
    if (pipe(p) != 0) { perror("pipe"); return 2; }
    fails("pipe", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0));
    unlink(path);
    printf("mmap_file: %d failures\n", failures);
    return failures != 0;
}
