// SPDX-License-Identifier: GPL-3.0-or-later
/* The monitor's front ends other than the terminal (src/monitor_tty.c): gdb's `monitor CMD`
 * and --monitor unix:PATH. The socket speaks a plain line protocol for scripts: on connect
 * and after each command's output the server sends the line "(minivmm)"; the client sends
 * one command per line. One client at a time (another is told so and closed), any number
 * one after another. The socket file is made mode 0600 and removed at exit. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errmsg.h"
#include "log.h"
#include "loop.h"
#include "monitor.h"
#include "sock.h"
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

static void client_print(void *ctx, const char *buf, size_t len)
{
	/* fails when the client is gone, or has not read for SO_SNDTIMEO */
	if (!sock.broken && sock_send_all(sock.fd, buf, len))
		sock.broken = true;
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
	static const struct mon_out out = { client_print, NULL };

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
		client_print(NULL, SOCK_PROMPT, strlen(SOCK_PROMPT));
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
	int c = sock_accept(fd, NULL);

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
	client_print(NULL, SOCK_PROMPT, strlen(SOCK_PROMPT));
	log_debug("monitor client connected");
}

int mon_listen(struct loop *loop, const char *path, char *err, size_t errlen)
{
	char why[128];
	int fd, ret;

	sock.loop = loop;
	/* mode 0600: only our user may connect, the monitor controls the guest */
	fd = sock_listen_unix(path, 0600, why, sizeof(why));
	if (fd < 0)
		return errmsg_fail(err, errlen, fd, "--monitor unix:%s: %s", path, why);
	ret = loop_add(loop, fd, POLLIN, on_accept, NULL);
	if (ret) {
		unlink(path);
		close(fd);
		return errmsg_fail(err, errlen, ret, "--monitor unix:%s: %s", path, strerror(-ret));
	}
	strcpy(sock.path, path); /* fits: as long as sun_path */
	sock.listen_fd = fd;
	return 0;
}

void mon_init(const struct mon_wiring *w, bool prompt)
{
	sock.loop = w->loop;
	mon_cmds_init(w);
	mon_tty_init(w->loop);
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
