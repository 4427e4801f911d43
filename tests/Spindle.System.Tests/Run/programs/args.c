/* Prints argc and every argv entry, one per line; exits with the status given by --exit=N if present. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
    int status = 0;
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) {
        printf("[%s]\n", argv[i]);
        if (strncmp(argv[i], "--exit=", 7) == 0) status = atoi(argv[i] + 7);
    }
    return status;
}
