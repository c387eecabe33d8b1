// SPDX-License-Identifier: GPL-3.0-or-later
/* The monitor's front ends other than the terminal (src/monitor_tty.c): gdb's `monitor CMD`
 * and --monitor unix:PATH. The socket speaks a plain line protocol for scripts: on connect
 * and after each command's output the server sends the line "(minivmm)"; the client sends
 * one command per line. One client at a time (another is told so and closed), any number
 * one after another. The socket file is made mode 0600 and removed at exit. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "monitor.h"
#include "src/monitor_internal.h"

#define SOCK_PROMPT "(minivmm)\n"

static struct {
	struct loop *loop;
	int listen_fd, fd;
	bool broken; /* a send failed: drop the client */
	char path[108];
	char line[MON_LINE_MAX];
	size_t len;
	bool overlong; /* the line being received went past MON_LINE_MAX: skip to its end */
} sock = { .listen_fd = -1, .fd = -1 };

int mon_rcmd(const char *line, void (*print)(void *ctx, const char *buf, size_t len), void *ctx)
{
	struct mon_out out = { print, ctx };

	mon_exec(line, &out);
	return 0;
}

/* ----------------------------------------------------------------- the socket */

static void sock_print(void *ctx, const char *buf, size_t len)
{
	while (len && !sock.broken) {
		ssize_t n = send(sock.fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) { /* gone, or not reading for SO_SNDTIMEO */
			sock.broken = true;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void drop_client(void)
{
	loop_remove(sock.loop, sock.fd);
	close(sock.fd);
	sock.fd = -1;
	sock.broken = false;
	sock.len = 0;
	sock.overlong = false;
	log_debug("monitor client gone");
}

static void run_line(void)
{
	static const struct mon_out out = { sock_print, NULL };

	sock.line[sock.len] = '\0';
	if (sock.len && sock.line[sock.len - 1] == '\r')
		sock.line[sock.len - 1] = '\0';
	if (sock.overlong)
		mon_printf(&out, "error: line too long (at most %d characters)\n",
			   MON_LINE_MAX - 1);
	else
		mon_exec(sock.line, &out);
	sock.len = 0;
	sock.overlong = false;
	if (!sock.loop->quit)
		sock_print(NULL, SOCK_PROMPT, strlen(SOCK_PROMPT));
}

static void on_client(void *opaque, int fd, unsigned int revents)
{
	char buf[4096];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	ssize_t i;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	for (i = 0; i < n && !sock.loop->quit && !sock.broken; i++) {
		if (buf[i] == '\n')
			run_line();
		else if (sock.len < sizeof(sock.line) - 1)
			sock.line[sock.len++] = buf[i];
		else
			sock.overlong = true;
	}
	if (n <= 0 && (sock.len || sock.overlong) && !sock.broken)
		run_line(); /* a last line without its newline */
	if (n <= 0 || sock.broken)
		drop_client();
}

static void on_accept(void *opaque, int fd, unsigned int revents)
{
	static const char busy[] = "error: another client is using the monitor\n";
	struct timeval tv = { .tv_sec = 2 };
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0)
		return;
	if (sock.fd >= 0) {
		if (send(c, busy, strlen(busy), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			/* it goes either way */
		}
		close(c);
		return;
	}
	/* A client that stops reading must not stall the main loop for long. */
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (loop_add(sock.loop, c, POLLIN, on_client, NULL)) {
		close(c);
		return;
	}
	sock.fd = c;
	sock_print(NULL, SOCK_PROMPT, strlen(SOCK_PROMPT));
	log_debug("monitor client connected");
}

int mon_listen(struct loop *loop, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, ret;

	sock.loop = loop;
	if (!*path || strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "--monitor unix:%s: path %s", path,
			 *path ? "too long" : "empty");
		return -EINVAL;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto err;
	old = umask(
		0177); /* mode 0600: only our user may connect, the monitor controls the guest */
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0)
		goto err;
	if (listen(fd, 4) < 0)
		goto err_unlink;
	ret = loop_add(loop, fd, POLLIN, on_accept, NULL);
	if (ret) {
		errno = -ret;
		goto err_unlink;
	}
	strcpy(sock.path, path);
	sock.listen_fd = fd;
	return 0;

err_unlink:
	ret = errno;
	unlink(path);
	errno = ret;
err:
	ret = -errno;
	snprintf(err, errlen, "--monitor unix:%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

void mon_init(struct board *b, struct loop *loop, bool prompt)
{
	sock.loop = loop;
	mon_cmds_init(b, loop);
	mon_tty_init(loop);
	if (prompt)
		mon_tty_enter(false);
}

void mon_close(void)
{
	mon_tty_close();
	if (sock.fd >= 0)
		drop_client();
	if (sock.listen_fd >= 0)
		close(sock.listen_fd);
	sock.listen_fd = -1;
	if (sock.path[0])
		unlink(sock.path);
	sock.path[0] = '\0';
}
