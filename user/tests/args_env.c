//! args: one "two words" '' --flag=3 ünïcödé
/* The initial process stack: argc, argv (including an empty and a non-ASCII argument), the fixed test
 * environment (PATH=/bin LANG=C SPINDLE_TEST=1), and the auxiliary vector: AT_PAGESZ, AT_HWCAP (the
 * IMAFDC letters), AT_RANDOM (16 readable bytes), AT_PHDR/AT_ENTRY consistency, the stack's alignment. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <elf.h>
#include "check.h"

extern char **environ;

int main(int argc, char **argv, char **envp)
{
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] = \"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    check_true("argv[argc] is NULL", argv[argc] == NULL);
    check_true("argv[0] non-empty", argv[0] && argv[0][0]);
    check_true("envp == environ", envp == environ);

    /* Sort-free listing: print the fixed variables and count the rest, since order is the host's. */
    int n = 0, fixed = 0;
    for (char **e = envp; *e; e++) {
        n++;
        if (!strcmp(*e, "PATH=/bin") || !strcmp(*e, "LANG=C") || !strcmp(*e, "SPINDLE_TEST=1")) fixed++;
    }
    printf("envc %d fixed %d\n", n, fixed);
    printf("PATH=%s LANG=%s SPINDLE_TEST=%s HOME=%s\n", getenv("PATH"), getenv("LANG"), getenv("SPINDLE_TEST"),
           getenv("HOME") ? getenv("HOME") : "(unset)");
    check_u64("fixed environment present", fixed, 3);

    unsigned long pagesz = getauxval(AT_PAGESZ), hwcap = getauxval(AT_HWCAP);
    printf("AT_PAGESZ %lu AT_HWCAP %#lx letters ", pagesz, hwcap);
    for (int b = 0; b < 26; b++) if (hwcap & (1ul << b)) putchar('a' + b);
    putchar('\n');
    check_u64("AT_PAGESZ", pagesz, 4096);
    unsigned long need = 0;
    for (const char *c = "imafdc"; *c; c++) need |= 1ul << (*c - 'a');
    check_u64("AT_HWCAP has imafdc", hwcap & need, need);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    check_true("AT_RANDOM non-null", rnd != NULL);
    unsigned x = 0;
    for (int i = 0; rnd && i < 16; i++) x |= rnd[i];   /* readable; contents are random, so not printed */
    printf("AT_RANDOM readable\n");
    Elf64_Phdr *ph = (Elf64_Phdr *)getauxval(AT_PHDR);
    unsigned long phnum = getauxval(AT_PHNUM), phent = getauxval(AT_PHENT);
    check_u64("AT_PHENT", phent, sizeof(Elf64_Phdr));
    int loads = 0;
    for (unsigned long i = 0; ph && i < phnum; i++) loads += ph[i].p_type == PT_LOAD;
    check_true("AT_PHDR lists PT_LOAD segments", loads >= 1);
    check_true("AT_ENTRY non-zero", getauxval(AT_ENTRY) != 0);
    printf("uid==euid %d gid==egid %d AT_SECURE %lu\n", getauxval(AT_UID) == getauxval(AT_EUID),
           getauxval(AT_GID) == getauxval(AT_EGID), getauxval(AT_SECURE));
    check_true("argv on a 16-byte aligned stack", ((uintptr_t)(argv - 1) & 15) == 0);
    (void)x;
    return check_done("args_env");
}
