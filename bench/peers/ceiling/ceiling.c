/*
 * Bench ceiling: the least a server can do for the bench's broadcast. One thread, epoll, no
 * token check, no JSON parser: it finds the fields at the places the load generator puts them,
 * encodes a broadcast's frame once and write()s the same bytes to every member socket, one
 * syscall per member. Not a product: a floor for server CPU per delivery on this machine.
 * Speaks just enough of the wshub bench protocol: join, echo, broadcast over WebSocket, and
 * POST /api/send/tag/{tag} over HTTP (keep-alive). Env: PORT, HOST (127.0.0.1).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    int fd, ws, member;          /* member: index in members[] or -1 */
    char *in; size_t in_len, in_cap;
    char *out; size_t out_len, out_cap;
} conn_t;

static conn_t **conns;           /* by fd */
static int conns_cap;
static int *members; static int members_len, members_cap;
static int ep;

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n) {
    if (*len + n > *cap) {
        *cap = (*len + n) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, data, n);
    *len += n;
}

static void close_conn(conn_t *c) {
    if (c->member >= 0) {
        int last = members[--members_len];
        members[c->member] = last;
        conns[last]->member = c->member;
    }
    close(c->fd);
    conns[c->fd] = NULL;
    free(c->in); free(c->out); free(c);
}

/* Writes now; whatever the socket does not take waits in out for EPOLLOUT. */
static void send_bytes(conn_t *c, const char *data, size_t n) {
    if (c->out_len == 0) {
        ssize_t w = write(c->fd, data, n);
        if (w == (ssize_t) n) return;
        if (w < 0) { if (errno != EAGAIN) return; w = 0; }
        data += w; n -= w;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = c->fd};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
    append(&c->out, &c->out_len, &c->out_cap, data, n);
}

/* A server text frame: header + payload in buf; returns its length. */
static size_t frame(char *buf, const char *payload, size_t n) {
    size_t h = 2;
    buf[0] = (char) 0x81;
    if (n < 126) buf[1] = (char) n;
    else if (n < 65536) { buf[1] = 126; buf[2] = (char) (n >> 8); buf[3] = (char) n; h = 4; }
    else { buf[1] = 127; for (int i = 0; i < 8; i++) buf[2 + i] = (char) ((unsigned long) n >> (56 - 8 * i)); h = 10; }
    memcpy(buf + h, payload, n);
    return h + n;
}

static void send_text(conn_t *c, const char *text, size_t n) {
    char *buf = malloc(n + 10);
    send_bytes(c, buf, frame(buf, text, n));
    free(buf);
}

/* Encodes the push once and writes it to every member: the operation this program measures. */
static int broadcast(const char *data, size_t n) {
    static const char head[] = "{\"event\":\"broadcast\",\"code\":0,\"data\":";
    size_t len = sizeof head - 1 + n + 1;
    char *json = malloc(len), *buf = malloc(len + 10);
    memcpy(json, head, sizeof head - 1);
    memcpy(json + sizeof head - 1, data, n);
    json[len - 1] = '}';
    size_t flen = frame(buf, json, len);
    for (int i = 0; i < members_len; i++) send_bytes(conns[members[i]], buf, flen);
    free(json); free(buf);
    return members_len;
}

static const char *find(const char *s, size_t n, const char *what) {
    size_t k = strlen(what);
    for (size_t i = 0; i + k <= n; i++) if (memcmp(s + i, what, k) == 0) return s + i;
    return NULL;
}

static const char *rfind(const char *s, size_t n, const char *what) {
    size_t k = strlen(what);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;) if (memcmp(s + i, what, k) == 0) return s + i;
    return NULL;
}

static void on_message(conn_t *c, const char *m, size_t n) {
    const char *seq = rfind(m, n, ",\"seqno\":\"");
    if (!seq) return;
    const char *digits = seq + 10, *end = memchr(digits, '"', m + n - digits);
    if (!end) return;
    char reply[256];
    int len;
    if (find(m, n, "{\"event\":\"join\"") == m) {
        if (c->member < 0) {
            if (members_len == members_cap) members = realloc(members, (members_cap = members_cap * 2 + 64) * sizeof *members);
            c->member = members_len;
            members[members_len++] = c->fd;
        }
        len = snprintf(reply, sizeof reply, "{\"event\":\"join\",\"code\":0,\"seqno\":\"%.*s\"}", (int) (end - digits), digits);
        send_text(c, reply, len);
    } else if (find(m, n, "{\"event\":\"broadcast\"") == m) {
        const char *p = find(m, n, "\"payload\":");
        if (!p) return;
        p += 10;
        int delivered = broadcast(p, (size_t) (seq - 1 - p)); /* the payload ends before data's '}' */
        len = snprintf(reply, sizeof reply, "{\"event\":\"broadcast\",\"code\":0,\"data\":{\"delivered\":%d},\"seqno\":\"%.*s\"}",
                       delivered, (int) (end - digits), digits);
        send_text(c, reply, len);
    } else if (find(m, n, "{\"event\":\"echo\",\"data\":") == m) {
        const char *d = m + 22;
        size_t dn = (size_t) (seq - d);
        char *out = malloc(dn + 64 + (end - digits));
        len = sprintf(out, "{\"event\":\"echo\",\"code\":0,\"data\":%.*s,\"seqno\":\"%.*s\"}", (int) dn, d, (int) (end - digits), digits);
        send_text(c, out, len);
        free(out);
    }
}

/* Consumes complete client frames from c->in; returns 0 when the connection should close. */
static int on_ws(conn_t *c) {
    size_t at = 0;
    while (c->in_len - at >= 6) {
        unsigned char *f = (unsigned char *) c->in + at;
        int op = f[0] & 0x0F;
        size_t n = f[1] & 0x7F, h = 2;
        if (n == 126) { if (c->in_len - at < 8) break; n = (f[2] << 8) | f[3]; h = 4; }
        else if (n == 127) return 0; /* the bench never sends frames that large */
        if (c->in_len - at < h + 4 + n) break;
        unsigned char *mask = f + h, *p = f + h + 4;
        for (size_t i = 0; i < n; i++) p[i] ^= mask[i & 3];
        if (op == 8) return 0;
        if (op == 9) {
            char pong[130];
            size_t len = frame(pong, (char *) p, n < 125 ? n : 125);
            pong[0] = (char) 0x8A;
            send_bytes(c, pong, len);
        }
        else if (op == 1) on_message(c, (char *) p, n);
        at += h + 4 + n;
    }
    memmove(c->in, c->in + at, c->in_len - at);
    c->in_len -= at;
    return 1;
}

static int on_http(conn_t *c) {
    for (;;) {
        const char *hend = find(c->in, c->in_len, "\r\n\r\n");
        if (!hend) return 1;
        size_t head = (size_t) (hend - c->in) + 4;
        if (memcmp(c->in, "GET ", 4) == 0) {
            const char *key = find(c->in, head, "Sec-WebSocket-Key: ");
            if (!key) key = find(c->in, head, "sec-websocket-key: ");
            if (!key) return 0;
            key += 19;
            const char *kend = memchr(key, '\r', c->in + head - key);
            char buf[128];
            int kl = snprintf(buf, sizeof buf, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", (int) (kend - key), key);
            unsigned char sha[SHA_DIGEST_LENGTH], b64[64];
            SHA1((unsigned char *) buf, kl, sha);
            EVP_EncodeBlock(b64, sha, SHA_DIGEST_LENGTH);
            char res[256];
            int rl = snprintf(res, sizeof res, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", b64);
            send_bytes(c, res, rl);
            c->ws = 1;
            memmove(c->in, c->in + head, c->in_len - head);
            c->in_len -= head;
            return on_ws(c);
        }
        const char *cl = find(c->in, head, "content-length: ");
        if (!cl) cl = find(c->in, head, "Content-Length: ");
        size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
        if (c->in_len < head + body) return 1;
        int delivered = 0;
        const char *b = c->in + head, *d = find(b, body, "\"data\":");
        if (memcmp(c->in, "POST /api/send/tag/", 19) == 0 && d) delivered = broadcast(d + 7, (size_t) (b + body - 1 - (d + 7)));
        char json[64], res[256];
        int jl = snprintf(json, sizeof json, "{\"code\":0,\"data\":{\"delivered\":%d}}", delivered);
        int rl = snprintf(res, sizeof res, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", jl, json);
        send_bytes(c, res, rl);
        memmove(c->in, c->in + head + body, c->in_len - head - body);
        c->in_len -= head + body;
    }
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const char *host = getenv("HOST") ? getenv("HOST") : "127.0.0.1";
    int port = getenv("PORT") ? atoi(getenv("PORT")) : 0, one = 1;
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    if (bind(ls, (struct sockaddr *) &addr, sizeof addr) || listen(ls, 4096)) { perror("listen"); return 1; }
    socklen_t al = sizeof addr;
    getsockname(ls, (struct sockaddr *) &addr, &al);
    printf("ceiling peer listening on %s:%d\n", host, ntohs(addr.sin_port));
    fflush(stdout);
    ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls}, evs[256];
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                int cfd;
                while ((cfd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    if (cfd >= conns_cap) {
                        int cap = cfd * 2 + 1024;
                        conns = realloc(conns, cap * sizeof *conns);
                        memset(conns + conns_cap, 0, (cap - conns_cap) * sizeof *conns);
                        conns_cap = cap;
                    }
                    conn_t *c = calloc(1, sizeof *c);
                    c->fd = cfd; c->member = -1;
                    conns[cfd] = c;
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = cfd};
                    epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &cev);
                }
                continue;
            }
            conn_t *c = conns[fd];
            if (!c) continue;
            if (evs[i].events & EPOLLOUT) {
                ssize_t w = write(fd, c->out, c->out_len);
                if (w > 0) { memmove(c->out, c->out + w, c->out_len - w); c->out_len -= w; }
                if (c->out_len == 0) {
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = fd};
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &cev);
                }
            }
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                char buf[65536];
                ssize_t r = read(fd, buf, sizeof buf);
                if (r == 0 || (r < 0 && errno != EAGAIN)) { close_conn(c); continue; }
                if (r < 0) continue;
                append(&c->in, &c->in_len, &c->in_cap, buf, r);
                if (!(c->ws ? on_ws(c) : on_http(c))) close_conn(c);
            }
        }
    }
}
