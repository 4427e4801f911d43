/* iso_badinterp TEMPLATE: execve of dynamically linked programs whose interpreter (PT_INTERP) is missing, a directory,
 * not ELF, too short, of another machine, or whose PT_INTERP itself is malformed, each failing with the errno Linux's
 * load_elf_binary gives, the caller running on; then execve of TEMPLATE itself (a good dynamic program), whose output
 * ends the run. TEMPLATE is a dynamically linked program naming the usual /lib/ld-linux-riscv64-lp64d.so.1. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *program;
static long program_size;
static Elf64_Phdr *interp;   /* the template's PT_INTERP, inside `program` */

static const char *errname(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case ENOEXEC: return "ENOEXEC";
    case EIO: return "EIO";
    case EACCES: return "EACCES";
    case ELIBBAD: return "ELIBBAD";
    default: return strerror(e);
    }
}

static void write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd)) { perror(path); exit(2); }
    chmod(path, 0755);
}

/* Writes the template with PT_INTERP's path replaced by `path` (NUL-padded in place) and p_offset/p_filesz changed by
 * the caller's `edit` first, execve's it, prints the errno. */
static void try_exec(const char *name, const char *path, void (*edit)(Elf64_Phdr *, char *))
{
    char *copy = malloc(program_size);
    memcpy(copy, program, program_size);
    Elf64_Phdr *ph = (Elf64_Phdr *)(copy + ((char *)interp - program));
    if (path) {
        if (strlen(path) >= ph->p_filesz) { fprintf(stderr, "%s: path too long\n", name); exit(2); }
        memset(copy + ph->p_offset, 0, ph->p_filesz);
        memcpy(copy + ph->p_offset, path, strlen(path));
    }
    if (edit) edit(ph, copy);
    char exe[64];
    snprintf(exe, sizeof exe, "/tmp/iso-badinterp-%s", name);
    write_file(exe, copy, program_size);
    free(copy);
    char *args[] = { exe, NULL }, *env[] = { NULL };
    errno = 0;
    int r = execve(exe, args, env);
    printf("%s: execve returned %d, errno %s\n", name, r, errname(errno));
    unlink(exe);
}

static void unterminated(Elf64_Phdr *ph, char *f) { f[ph->p_offset + ph->p_filesz - 1] = 'x'; }
static void too_long(Elf64_Phdr *ph, char *f) { (void)f; ph->p_filesz = 4097; }
static void one_byte(Elf64_Phdr *ph, char *f) { (void)f; ph->p_filesz = 1; }
static void beyond_file(Elf64_Phdr *ph, char *f) { (void)f; ph->p_offset = program_size - 4; }

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc != 2) { fprintf(stderr, "usage: iso_badinterp TEMPLATE\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) { perror(argv[1]); return 2; }
    program_size = st.st_size;
    program = malloc(program_size);
    if (read(fd, program, program_size) != program_size) { perror("read"); return 2; }
    close(fd);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)program;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr *ph = (Elf64_Phdr *)(program + eh->e_phoff + i * sizeof(Elf64_Phdr));
        if (ph->p_type == PT_INTERP) { interp = ph; break; }
    }
    if (!interp) { fprintf(stderr, "%s has no PT_INTERP\n", argv[1]); return 2; }

    const char text[] = "#!/bin/sh\necho this is a shell script long enough to hold an ELF header, not an ELF file\n";
    write_file("/tmp/iso-interp-text", text, sizeof text - 1);
    write_file("/tmp/iso-interp-short", "\177ELF\2\1\1", 7);
    unlink("/tmp/iso-interp-none");
    try_exec("missing", "/tmp/iso-interp-none", NULL);
    try_exec("directory", "/tmp", NULL);
    try_exec("empty-path", "", NULL);
    try_exec("not-elf", "/tmp/iso-interp-text", NULL);
    try_exec("short", "/tmp/iso-interp-short", NULL);
    try_exec("host-machine", "/bin/true", NULL);
    try_exec("unterminated", NULL, unterminated);
    try_exec("too-long", NULL, too_long);
    try_exec("one-byte", NULL, one_byte);
    try_exec("beyond-file", NULL, beyond_file);
    unlink("/tmp/iso-interp-text");
    unlink("/tmp/iso-interp-short");
    printf("still running after bad interpreters: yes\n");
    char *args[] = { argv[1], "good", NULL }, *env[] = { NULL };
    execve(argv[1], args, env);
    printf("execve of the good template failed: %s\n", errname(errno));
    return 1;
}
