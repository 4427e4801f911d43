/* echo [-n] [WORD...]: prints the words separated by spaces, then a newline unless -n. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int i = 1, newline = 1;
    if (i < argc && strcmp(argv[i], "-n") == 0) { newline = 0; i++; }
    for (int first = 1; i < argc; i++, first = 0) printf("%s%s", first ? "" : " ", argv[i]);
    if (newline) putchar('\n');
    return fflush(stdout) == 0 ? 0 : 1;
}
