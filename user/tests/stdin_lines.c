//! stdin: stdin_lines.input
/* Standard input to end of file: reads lines with fgets and with getline (a line longer than any fixed
 * buffer), prints per-line lengths and a running checksum, then the totals. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "check.h"

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lines = 0, bytes = 0;
    uint32_t crc = 0xffffffffu;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        for (ssize_t i = 0; i < len; i++) {
            crc ^= (unsigned char)line[i];
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
        }
        lines++;
        bytes += (unsigned long)len;
        printf("line %lu: %zd bytes, crc so far %08x, starts \"%.12s\"\n", lines, len, ~crc, line[0] == '\n' ? "" : line);
    }
    free(line);
    printf("total %lu lines %lu bytes crc %08x\n", lines, bytes, ~crc);
    check_true("read something", lines > 5);
    check_true("eof reached", feof(stdin) && !ferror(stdin));
    return check_done("stdin_lines");
}
