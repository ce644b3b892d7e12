/*
 * stackwright-workload: the HTTP server every Stackwright integration test runs.
 *
 * A small, dependency-free HTTP/1.1 server (POSIX sockets + one thread per
 * connection) meant to be linked statically and shipped in a FROM-scratch
 * image. See ../README.md for the endpoints and environment variables.
 *
 * Build: gcc -static -O2 -pthread -Wall -Wextra -o server server.c
 *
 * No getaddrinfo()/getpwnam()/NSS calls are used anywhere, so the static glibc
 * binary never tries to dlopen anything at run time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PORT 8080
#define REQ_BUF_SIZE 16384           /* max size of request line + headers */
#define MAX_BODY_BYTES (1024 * 1024) /* request bodies are read and discarded */
#define MAX_CPU_MS 600000            /* /work?cpu-ms= upper bound (10 min) */
#define DEFAULT_MAX_CONNECTIONS 1024
#define IDLE_TIMEOUT_S 60            /* keep-alive / slow client timeout */
#define SEND_TIMEOUT_S 30
#define THREAD_STACK_SIZE (256 * 1024)
#define PROBE_TIMEOUT_MS 2000

/* ------------------------------------------------------------------------ */
/* configuration (read once at start-up)                                     */

static char g_hostname[256];
static const char *g_version = "v1";
static const char *g_health_fail_file = "/tmp/unhealthy";
static int g_fail_health_env;
/* FAIL_PERCENT: this share (0-100) of GET / answers 500, spread evenly (canary analysis tests) */
static long g_fail_percent;
static atomic_ullong g_root_requests;
static long g_startup_delay_ms;
static struct timespec g_start_mono;
static long g_max_connections = DEFAULT_MAX_CONNECTIONS;

/* ------------------------------------------------------------------------ */
/* state / metrics                                                           */

static atomic_ullong m_requests_total;
static atomic_llong m_in_flight;
static atomic_ullong m_cpu_work_ms_total;
static atomic_long g_open_connections;
static atomic_int g_admin_unhealthy;

/* ------------------------------------------------------------------------ */
/* small helpers                                                             */

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "stackwright-workload[%ld]: ", (long)getpid());
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof buf)
        vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = strnlen(buf, sizeof buf - 2);
    buf[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, buf, len);
    (void)w;
}

static int64_t ts_to_ns(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts_to_ns(&ts) / 1000000LL;
}

/* Parses a non-negative decimal integer made only of digits; -1 if invalid or > max. */
static long parse_nonneg(const char *s, size_t len, long max)
{
    if (len == 0 || len > 10)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v > max ? -1 : v;
}

static long env_long(const char *name, long def, long max)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return def;
    long r = parse_nonneg(v, strlen(v), max);
    if (r < 0) {
        log_line("ignoring invalid %s=%s (using %ld)", name, v, def);
        return def;
    }
    return r;
}

static int send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* health                                                                    */

static int startup_delay_pending(void)
{
    if (g_startup_delay_ms <= 0)
        return 0;
    return mono_ms() - ts_to_ns(&g_start_mono) / 1000000LL < g_startup_delay_ms;
}

static int is_healthy(void)
{
    if (g_fail_health_env)
        return 0;
    if (atomic_load(&g_admin_unhealthy))
        return 0;
    if (startup_delay_pending())
        return 0;
    if (g_health_fail_file[0] != '\0' && access(g_health_fail_file, F_OK) == 0)
        return 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* HTTP responses                                                            */

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default:  return "Unknown";
    }
}

/* Sends a complete response (headers + body in one send). Returns 0 on success. */
static int send_response(int fd, int status, const char *content_type, const char *body,
                         size_t body_len, int keep_alive, int head_only)
{
    char hdr[512];
    int n = snprintf(hdr, sizeof hdr,
                     "HTTP/1.1 %d %s\r\n"
                     "Server: stackwright-workload\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n"
                     "Connection: %s\r\n"
                     "\r\n",
                     status, reason_phrase(status), content_type, body_len,
                     keep_alive ? "keep-alive" : "close");
    if (n < 0 || (size_t)n >= sizeof hdr)
        return -1;
    if (head_only || body_len == 0)
        return send_all(fd, hdr, (size_t)n);

    size_t total = (size_t)n + body_len;
    char stackbuf[8192];
    char *out = total <= sizeof stackbuf ? stackbuf : malloc(total);
    if (out == NULL)
        return -1;
    memcpy(out, hdr, (size_t)n);
    memcpy(out + n, body, body_len);
    int rc = send_all(fd, out, total);
    if (out != stackbuf)
        free(out);
    return rc;
}

static int send_text(int fd, int status, const char *body, int keep_alive, int head_only)
{
    return send_response(fd, status, "text/plain", body, strlen(body), keep_alive,
                         head_only);
}

/* ------------------------------------------------------------------------ */
/* endpoints                                                                 */

/* Appends s to dst escaping it as a Prometheus label value. */
static size_t prom_escape(char *dst, size_t cap, const char *s)
{
    size_t o = 0;
    for (; *s != '\0' && o + 3 < cap; s++) {
        if (*s == '\\' || *s == '"') {
            dst[o++] = '\\';
            dst[o++] = *s;
        } else if (*s == '\n') {
            dst[o++] = '\\';
            dst[o++] = 'n';
        } else {
            dst[o++] = *s;
        }
    }
    dst[o] = '\0';
    return o;
}

static int handle_metrics(int fd, int keep_alive, int head_only)
{
    char host_esc[600], ver_esc[600], body[4096];
    prom_escape(host_esc, sizeof host_esc, g_hostname);
    prom_escape(ver_esc, sizeof ver_esc, g_version);
    int n = snprintf(body, sizeof body,
                     "# HELP workload_requests_total Total number of HTTP requests served.\n"
                     "# TYPE workload_requests_total counter\n"
                     "workload_requests_total %llu\n"
                     "# HELP workload_in_flight_requests Number of HTTP requests currently being served.\n"
                     "# TYPE workload_in_flight_requests gauge\n"
                     "workload_in_flight_requests %lld\n"
                     "# HELP workload_cpu_work_ms_total Total CPU milliseconds burned by /work.\n"
                     "# TYPE workload_cpu_work_ms_total counter\n"
                     "workload_cpu_work_ms_total %llu\n"
                     "# HELP workload_open_connections Number of open client connections.\n"
                     "# TYPE workload_open_connections gauge\n"
                     "workload_open_connections %ld\n"
                     "# HELP workload_healthy 1 if /health currently answers 200, else 0.\n"
                     "# TYPE workload_healthy gauge\n"
                     "workload_healthy %d\n"
                     "# HELP workload_info Constant 1, labelled with the workload identity.\n"
                     "# TYPE workload_info gauge\n"
                     "workload_info{hostname=\"%s\",version=\"%s\"} 1\n",
                     (unsigned long long)atomic_load(&m_requests_total),
                     (long long)atomic_load(&m_in_flight),
                     (unsigned long long)atomic_load(&m_cpu_work_ms_total),
                     (long)atomic_load(&g_open_connections), is_healthy(), host_esc, ver_esc);
    if (n < 0 || (size_t)n >= sizeof body)
        return -1;
    return send_response(fd, 200, "text/plain; version=0.0.4", body, (size_t)n,
                         keep_alive, head_only);
}

/* Finds query parameter `name` in `query` (NUL-terminated, may be NULL). */
static const char *query_param(const char *query, const char *name, size_t *vlen)
{
    size_t nlen = strlen(name);
    const char *p = query;
    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, '&');
        size_t plen = end ? (size_t)(end - p) : strlen(p);
        if (plen > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            *vlen = plen - nlen - 1;
            return p + nlen + 1;
        }
        if (plen == nlen && strncmp(p, name, nlen) == 0) {
            *vlen = 0;
            return p + nlen;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

static void burn_cpu_ms(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    const int64_t deadline = ts_to_ns(&ts) + (int64_t)ms * 1000000LL;
    volatile uint64_t sink = 0;
    for (;;) {
        for (uint64_t i = 0; i < 20000; i++)
            sink += i * i;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        if (ts_to_ns(&ts) >= deadline)
            break;
    }
    (void)sink;
}

/* ------------------------------------------------------------------------ */
/* request handling                                                          */

enum { CONN_KEEP = 0, CONN_CLOSE = 1 };

struct request {
    char *method;
    char *path;
    char *query; /* NULL if none */
    int http11;
    int keep_alive;
    long content_length;
    int chunked;
};

static int header_has_token(const char *value, const char *token)
{
    size_t tlen = strlen(token);
    const char *p = value;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p != '\0' && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if ((size_t)(end - start) == tlen && strncasecmp(start, token, tlen) == 0)
            return 1;
    }
    return 0;
}

static int is_token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/*
 * Parses the head (request line + headers, NUL-terminated, modified in place).
 * Returns 0 on success, or the HTTP status to answer with.
 */
static int parse_head(char *head, struct request *rq)
{
    memset(rq, 0, sizeof *rq);
    char *line_end = strchr(head, '\n');
    if (line_end == NULL)
        return 400;
    *line_end = '\0';
    if (line_end > head && line_end[-1] == '\r')
        line_end[-1] = '\0';

    /* request line: METHOD SP request-target SP HTTP-version */
    char *sp1 = strchr(head, ' ');
    if (sp1 == NULL || sp1 == head)
        return 400;
    *sp1 = '\0';
    char *target = sp1 + 1;
    char *sp2 = strchr(target, ' ');
    if (sp2 == NULL || sp2 == target)
        return 400;
    *sp2 = '\0';
    char *version = sp2 + 1;
    for (char *c = head; *c; c++)
        if (!is_token_char(*c))
            return 400;
    if (target[0] != '/')
        return 400;
    for (char *c = target; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c == 0x7f)
            return 400;
    if (strcmp(version, "HTTP/1.1") == 0)
        rq->http11 = 1;
    else if (strcmp(version, "HTTP/1.0") != 0)
        return 400;

    rq->method = head;
    rq->path = target;
    char *q = strchr(target, '?');
    if (q != NULL) {
        *q = '\0';
        rq->query = q + 1;
    }
    rq->keep_alive = rq->http11;

    /* headers */
    char *p = line_end + 1;
    while (*p != '\0') {
        char *eol = strchr(p, '\n');
        if (eol == NULL)
            eol = p + strlen(p);
        char *next = *eol ? eol + 1 : eol;
        *eol = '\0';
        if (eol > p && eol[-1] == '\r')
            eol[-1] = '\0';
        if (*p == '\0')
            break; /* blank line: end of head */
        char *colon = strchr(p, ':');
        if (colon == NULL || colon == p)
            return 400;
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        char *vend = value + strlen(value);
        while (vend > value && (vend[-1] == ' ' || vend[-1] == '\t'))
            *--vend = '\0';

        if (strcasecmp(p, "Connection") == 0) {
            if (header_has_token(value, "close"))
                rq->keep_alive = 0;
            else if (header_has_token(value, "keep-alive"))
                rq->keep_alive = 1;
        } else if (strcasecmp(p, "Content-Length") == 0) {
            long cl = parse_nonneg(value, strlen(value), LONG_MAX / 2);
            if (cl < 0)
                return 400;
            rq->content_length = cl;
        } else if (strcasecmp(p, "Transfer-Encoding") == 0) {
            rq->chunked = 1;
        }
        p = next;
    }
    if (rq->chunked)
        return 501;
    if (rq->content_length > MAX_BODY_BYTES)
        return 413;
    return 0;
}

/* Serves one parsed request. Returns CONN_KEEP or CONN_CLOSE. */
static int dispatch(int fd, struct request *rq)
{
    const int ka = rq->keep_alive;
    const int is_get = strcmp(rq->method, "GET") == 0;
    const int is_head = strcmp(rq->method, "HEAD") == 0;
    const int is_post = strcmp(rq->method, "POST") == 0;
    const char *path = rq->path;
    int rc;

    if ((is_get || is_head) && strcmp(path, "/") == 0) {
        char body[600];
        unsigned long long nth = atomic_fetch_add(&g_root_requests, 1);
        snprintf(body, sizeof body, "hostname=%s version=%s\n", g_hostname, g_version);
        if (g_fail_percent > 0 && (long)((nth * (unsigned long long)g_fail_percent) % 100) < g_fail_percent)
            rc = send_text(fd, 500, body, ka, is_head);
        else
            rc = send_text(fd, 200, body, ka, is_head);
    } else if ((is_get || is_head) && strcmp(path, "/health") == 0) {
        rc = is_healthy() ? send_text(fd, 200, "ok\n", ka, is_head)
                          : send_text(fd, 503, "unhealthy\n", ka, is_head);
    } else if ((is_get || is_head) && strcmp(path, "/metrics") == 0) {
        rc = handle_metrics(fd, ka, is_head);
    } else if ((is_get || is_head) && strcmp(path, "/work") == 0) {
        size_t vlen = 0;
        const char *v = query_param(rq->query, "cpu-ms", &vlen);
        long ms = v ? parse_nonneg(v, vlen, MAX_CPU_MS) : -1;
        if (ms < 0) {
            rc = send_text(fd, 400, "missing or invalid cpu-ms (expected an integer 0..600000)\n",
                           ka, is_head);
        } else {
            burn_cpu_ms(ms);
            atomic_fetch_add(&m_cpu_work_ms_total, (unsigned long long)ms);
            char body[64];
            snprintf(body, sizeof body, "worked %ldms\n", ms);
            rc = send_text(fd, 200, body, ka, is_head);
        }
    } else if (is_post && strcmp(path, "/admin/health/fail") == 0) {
        atomic_store(&g_admin_unhealthy, 1);
        rc = send_text(fd, 200, "health=fail\n", ka, 0);
    } else if (is_post && strcmp(path, "/admin/health/ok") == 0) {
        atomic_store(&g_admin_unhealthy, 0);
        rc = send_text(fd, 200, "health=ok\n", ka, 0);
    } else if (is_post && strcmp(path, "/admin/exit") == 0) {
        size_t vlen = 0;
        const char *v = query_param(rq->query, "code", &vlen);
        long code = v ? parse_nonneg(v, vlen, 255) : -1;
        if (code < 0) {
            rc = send_text(fd, 400, "missing or invalid code (expected an integer 0..255)\n", ka,
                           0);
        } else {
            char body[64];
            snprintf(body, sizeof body, "exiting with code %ld\n", code);
            send_text(fd, 200, body, 0, 0);
            shutdown(fd, SHUT_WR); /* flush the reply (FIN after the data) */
            log_line("exiting with code %ld (POST /admin/exit)", code);
            _exit((int)code);
        }
    } else {
        rc = send_text(fd, 404, "not found\n", ka, is_head);
    }
    if (rc != 0)
        return CONN_CLOSE;
    return ka ? CONN_KEEP : CONN_CLOSE;
}

/* Finds the end of the request head; returns its length (incl. blank line) or 0. */
static size_t find_head_end(const char *buf, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n')
            return i + 2;
        if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/*
 * After an error reply the client may still be sending (e.g. an oversized
 * head): closing with unread data would make the kernel send RST and the client
 * could lose the reply. Half-close, then drain briefly before the caller closes.
 */
static void lingering_close_prepare(int fd)
{
    shutdown(fd, SHUT_WR);
    struct timeval tv = {.tv_sec = 0, .tv_usec = 200000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const int64_t deadline = mono_ms() + 1000;
    char scratch[4096];
    size_t total = 0;
    while (mono_ms() < deadline && total < 1024 * 1024) {
        ssize_t n = recv(fd, scratch, sizeof scratch, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += (size_t)n;
    }
}

static void serve_connection(int fd)
{
    char *buf = malloc(REQ_BUF_SIZE + 1);
    if (buf == NULL)
        return;
    size_t len = 0;

    for (;;) {
        /* RFC 9112 2.2: ignore empty lines before a request line */
        size_t skip = 0;
        while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
            skip++;
        if (skip > 0) {
            memmove(buf, buf + skip, len - skip);
            len -= skip;
        }

        size_t head_len;
        while ((head_len = find_head_end(buf, len)) == 0) {
            if (len >= REQ_BUF_SIZE) {
                atomic_fetch_add(&m_requests_total, 1);
                send_text(fd, 431, "request head too large\n", 0, 0);
                lingering_close_prepare(fd);
                goto out;
            }
            ssize_t n = recv(fd, buf + len, REQ_BUF_SIZE - len, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                goto out; /* EOF, error or idle timeout */
            len += (size_t)n;
            while (len > 0 && (buf[0] == '\r' || buf[0] == '\n')) {
                memmove(buf, buf + 1, --len);
            }
        }

        char saved = buf[head_len];
        buf[head_len] = '\0';
        struct request rq;
        int status = parse_head(buf, &rq);
        buf[head_len] = saved;

        atomic_fetch_add(&m_requests_total, 1);
        atomic_fetch_add(&m_in_flight, 1);
        if (status != 0) {
            static const char *const msgs[] = {"bad request\n", "payload too large\n",
                                               "transfer-encoding not supported\n"};
            const char *msg = status == 413 ? msgs[1] : status == 501 ? msgs[2] : msgs[0];
            send_text(fd, status, msg, 0, 0);
            atomic_fetch_sub(&m_in_flight, 1);
            lingering_close_prepare(fd);
            goto out;
        }

        /* consume (and discard) the request body so the stream stays in sync */
        size_t body_left = (size_t)rq.content_length;
        size_t in_buf = len - head_len;
        size_t take = in_buf < body_left ? in_buf : body_left;
        body_left -= take;
        size_t consumed = head_len + take;
        int body_ok = 1;
        while (body_left > 0) {
            char scratch[4096];
            ssize_t n = recv(fd, scratch, body_left < sizeof scratch ? body_left : sizeof scratch, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                body_ok = 0;
                break;
            }
            body_left -= (size_t)n;
        }
        if (!body_ok) {
            atomic_fetch_sub(&m_in_flight, 1);
            goto out;
        }

        /* method/path point into buf, which is only compacted after dispatch */
        int next = dispatch(fd, &rq);
        atomic_fetch_sub(&m_in_flight, 1);
        if (next == CONN_CLOSE)
            goto out;

        memmove(buf, buf + consumed, len - consumed);
        len -= consumed;
    }
out:
    free(buf);
}

struct conn_arg {
    int fd;
};

static void *conn_thread(void *arg)
{
    int fd = ((struct conn_arg *)arg)->fd;
    free(arg);
    serve_connection(fd);
    close(fd);
    atomic_fetch_sub(&g_open_connections, 1);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* signals                                                                   */

static void on_term(int sig)
{
    static const char msg_term[] = "stackwright-workload: SIGTERM received, exiting 0\n";
    static const char msg_int[] = "stackwright-workload: SIGINT received, exiting 0\n";
    ssize_t w = sig == SIGTERM ? write(STDERR_FILENO, msg_term, sizeof msg_term - 1)
                               : write(STDERR_FILENO, msg_int, sizeof msg_int - 1);
    (void)w;
    _exit(0);
}

static void install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

/* ------------------------------------------------------------------------ */
/* server mode                                                               */

static int run_server(void)
{
    clock_gettime(CLOCK_MONOTONIC, &g_start_mono);
    install_signal_handlers();

    if (gethostname(g_hostname, sizeof g_hostname - 1) != 0)
        strcpy(g_hostname, "unknown");
    g_hostname[sizeof g_hostname - 1] = '\0';

    const char *v = getenv("VERSION");
    if (v != NULL && *v != '\0')
        g_version = v;
    const char *hf = getenv("HEALTH_FAIL_FILE");
    if (hf != NULL)
        g_health_fail_file = hf; /* empty string disables the file check */
    const char *fh = getenv("FAIL_HEALTH");
    g_fail_health_env = fh != NULL && (strcmp(fh, "1") == 0 || strcasecmp(fh, "true") == 0);
    g_startup_delay_ms = env_long("STARTUP_DELAY_MS", 0, 86400000L);
    g_fail_percent = env_long("FAIL_PERCENT", 0, 100);
    g_max_connections = env_long("MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS, 100000);
    if (g_max_connections < 1)
        g_max_connections = 1;
    long port = env_long("PORT", DEFAULT_PORT, 65535);
    if (port < 1)
        port = DEFAULT_PORT;

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0) {
        log_line("socket: %s", strerror(errno));
        return 1;
    }
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons((uint16_t)port);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        log_line("bind 0.0.0.0:%ld: %s", port, strerror(errno));
        return 1;
    }
    if (listen(lfd, SOMAXCONN) != 0) {
        log_line("listen: %s", strerror(errno));
        return 1;
    }

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, THREAD_STACK_SIZE);

    log_line("listening on 0.0.0.0:%ld hostname=%s version=%s startup_delay_ms=%ld "
             "health_fail_file=%s fail_health=%d max_connections=%ld",
             port, g_hostname, g_version, g_startup_delay_ms,
             g_health_fail_file[0] ? g_health_fail_file : "(disabled)", g_fail_health_env,
             g_max_connections);

    for (;;) {
        int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                usleep(10000);
                continue;
            }
            log_line("accept: %s", strerror(errno));
            return 1;
        }
        setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct timeval rcv = {.tv_sec = IDLE_TIMEOUT_S}, snd = {.tv_sec = SEND_TIMEOUT_S};
        setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &rcv, sizeof rcv);
        setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof snd);

        if (atomic_fetch_add(&g_open_connections, 1) >= g_max_connections) {
            atomic_fetch_sub(&g_open_connections, 1);
            send_text(cfd, 503, "too many connections\n", 0, 0);
            close(cfd);
            continue;
        }
        struct conn_arg *ca = malloc(sizeof *ca);
        pthread_t tid;
        if (ca == NULL) {
            close(cfd);
            atomic_fetch_sub(&g_open_connections, 1);
            continue;
        }
        ca->fd = cfd;
        int err = pthread_create(&tid, &attr, conn_thread, ca);
        if (err != 0) {
            free(ca);
            send_text(cfd, 503, "cannot create thread\n", 0, 0);
            close(cfd);
            atomic_fetch_sub(&g_open_connections, 1);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* probe mode: server --probe [PATH] [PORT]                                  */

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "probe: timeout\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

static int wait_fd(int fd, short events, int64_t deadline_ms)
{
    for (;;) {
        int64_t left = deadline_ms - mono_ms();
        if (left <= 0)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = events};
        int r = poll(&pfd, 1, (int)left);
        if (r > 0)
            return 0;
        if (r < 0 && errno == EINTR)
            continue;
        return -1;
    }
}

static int run_probe(int argc, char **argv)
{
    const char *path = "/health";
    long port = env_long("PORT", DEFAULT_PORT, 65535);
    if (port < 1)
        port = DEFAULT_PORT;
    int ai = 2;
    if (ai < argc && argv[ai][0] == '/')
        path = argv[ai++];
    if (ai < argc) {
        long p = parse_nonneg(argv[ai], strlen(argv[ai]), 65535);
        if (p < 1) {
            fprintf(stderr, "usage: %s --probe [PATH] [PORT]\n", argv[0]);
            return 1;
        }
        port = p;
        ai++;
    }
    if (ai < argc || strlen(path) > 2048) {
        fprintf(stderr, "usage: %s --probe [PATH] [PORT]\n", argv[0]);
        return 1;
    }

    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm(3); /* backstop; the poll deadline below is the real 2 s timeout */
    const int64_t deadline = mono_ms() + PROBE_TIMEOUT_MS;

    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        fprintf(stderr, "probe: socket: %s\n", strerror(errno));
        return 1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (errno != EINPROGRESS) {
            fprintf(stderr, "probe: connect 127.0.0.1:%ld: %s\n", port, strerror(errno));
            return 1;
        }
        if (wait_fd(fd, POLLOUT, deadline) != 0) {
            fprintf(stderr, "probe: connect 127.0.0.1:%ld: timeout\n", port);
            return 1;
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
        if (soerr != 0) {
            fprintf(stderr, "probe: connect 127.0.0.1:%ld: %s\n", port, strerror(soerr));
            return 1;
        }
    }

    char req[2300];
    int rl = snprintf(req, sizeof req,
                      "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%ld\r\nUser-Agent: stackwright-probe\r\n"
                      "Connection: close\r\n\r\n",
                      path, port);
    size_t off = 0;
    while (off < (size_t)rl) {
        ssize_t n = send(fd, req + off, (size_t)rl - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline) != 0) {
                fprintf(stderr, "probe: send: timeout\n");
                return 1;
            }
        } else {
            fprintf(stderr, "probe: send: %s\n", strerror(errno));
            return 1;
        }
    }

    char resp[256];
    size_t got = 0;
    while (got < sizeof resp - 1 && memchr(resp, '\n', got) == NULL) {
        ssize_t n = recv(fd, resp + got, sizeof resp - 1 - got, 0);
        if (n > 0) {
            got += (size_t)n;
        } else if (n == 0) {
            break;
        } else if (errno == EAGAIN || errno == EINTR) {
            if (wait_fd(fd, POLLIN, deadline) != 0) {
                fprintf(stderr, "probe: GET %s: timeout waiting for response\n", path);
                return 1;
            }
        } else {
            fprintf(stderr, "probe: recv: %s\n", strerror(errno));
            return 1;
        }
    }
    resp[got] = '\0';
    close(fd);

    int status = 0;
    if (sscanf(resp, "HTTP/1.%*[01] %3d", &status) != 1) {
        fprintf(stderr, "probe: GET %s: malformed response\n", path);
        return 1;
    }
    printf("probe: GET %s -> %d\n", path, status);
    return status >= 200 && status <= 299 ? 0 : 1;
}

/* ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--probe") == 0)
        return run_probe(argc, argv);
    if (argc >= 2) {
        fprintf(stderr,
                "usage: %s            run the HTTP server on 0.0.0.0:$PORT (default 8080)\n"
                "       %s --probe [PATH] [PORT]   GET http://127.0.0.1:PORT/PATH, exit 0 on 2xx\n",
                argv[0], argv[0]);
        return 2;
    }
    return run_server();
}
