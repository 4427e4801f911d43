/* A UDP echo server over sockets: binds PORT on every address, answers each datagram to its sender, and exits 0
 * after echoing one that says "quit". Before serving it shows what a fresh socket answers (getsockname, a
 * non-blocking receive, a second bind of the port). With "probe" it only reports what socket(AF_INET) gives. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (argc > 1 && strcmp(argv[1], "probe") == 0) {
        printf("socket: %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
        return 0;
    }
    if (fd < 0) { printf("socket: %s\n", strerrorname_np(errno)); return 1; }
    struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])) };
    if (bind(fd, (struct sockaddr *)&me, sizeof me) < 0) { printf("bind: %s\n", strerrorname_np(errno)); return 1; }
    int other = socket(AF_INET, SOCK_DGRAM, 0);
    printf("second bind: %s\n", bind(other, (struct sockaddr *)&me, sizeof me) < 0 ? strerrorname_np(errno) : "ok");
    struct sockaddr_in eph = { .sin_family = AF_INET };
    socklen_t len = sizeof eph;
    connect(other, (struct sockaddr *)&me, sizeof me);
    getsockname(other, (struct sockaddr *)&eph, &len);
    printf("ephemeral port in range: %d\n", ntohs(eph.sin_port) >= 32768 && ntohs(eph.sin_port) <= 60999);
    char buf[2048];
    printf("nonblocking receive: %s\n", recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0 ? strerrorname_np(errno) : "data");
    len = sizeof me;
    getsockname(fd, (struct sockaddr *)&me, &len);
    printf("bound to port %d len %u\n", ntohs(me.sin_port), (unsigned)len);
    fflush(stdout);
    for (int served = 0;; served++) {
        struct sockaddr_in from;
        len = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
        if (n < 0) { printf("recvfrom: %s\n", strerrorname_np(errno)); return 1; }
        if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) != n) { printf("sendto: %s\n", strerrorname_np(errno)); return 1; }
        if (n == 4 && memcmp(buf, "quit", 4) == 0) {
            printf("served %d datagrams, the last from %s\n", served + 1, inet_ntoa(from.sin_addr));
            return 0;
        }
    }
}
