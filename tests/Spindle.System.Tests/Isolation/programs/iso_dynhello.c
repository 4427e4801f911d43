/* iso_dynhello: a dynamically linked program (the template of iso_badinterp): prints its arguments and where
 * the auxiliary vector says the interpreter and the program are, exits 0. */
#include <stdio.h>
#include <sys/auxv.h>

int main(int argc, char **argv)
{
    printf("dynamic program ran with %d arguments: %s %s\n", argc, argv[0], argc > 1 ? argv[1] : "");
    printf("AT_BASE set: %s, AT_ENTRY set: %s\n", getauxval(AT_BASE) ? "yes" : "no", getauxval(AT_ENTRY) ? "yes" : "no");
    return 0;
}
