#define _POSIX_C_SOURCE 200809L
#include "mock_admin.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_to(const char *base_url) {
    int port = 0;
    if (sscanf(base_url, "http://127.0.0.1:%d", &port) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int mock_admin(const char *base_url, const char *method, const char *path,
               const char *json_body, char *out, size_t cap) {
    int fd = connect_to(base_url);
    if (fd < 0) return -1;
    const char *body = json_body ? json_body : "";
    /* Sized for the body: a fault's body can be a whole page of accounts. */
    size_t size = strlen(method) + strlen(path) + strlen(body) + 256;
    char *request = malloc(size);
    if (!request) {
        close(fd);
        return -1;
    }
    int n = snprintf(request, size,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, strlen(body), body);
    int sent = n >= 0 && (size_t)n < size && write(fd, request, (size_t)n) == n;
    free(request);
    if (!sent) {
        close(fd);
        return -1;
    }
    char response[8192];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof response - 1 &&
           (r = read(fd, response + got, sizeof response - 1 - got)) > 0)
        got += (size_t)r;
    response[got] = '\0';
    close(fd);
    int status = -1;
    if (sscanf(response, "HTTP/1.1 %d", &status) != 1) return -1;
    if (out && cap) {
        const char *start = strstr(response, "\r\n\r\n");
        start = start ? start + 4 : "";
        snprintf(out, cap, "%s", start);
    }
    return status;
}

int silent_listener(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

long json_number(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = json ? strstr(json, pattern) : NULL;
    return at ? strtol(at + strlen(pattern), NULL, 10) : -1;
}

long mock_stats_number(const char *base_url, const char *key) {
    char stats[1024];
    if (mock_admin(base_url, "GET", "/__mock/stats", NULL, stats, sizeof stats) != 200) return -1;
    return json_number(stats, key);
}
