// SPDX-License-Identifier: GPL-3.0-or-later
/* The socket calls the gdb server (src/gdbserver.c) and the monitor's socket (src/monitor.c)
 * share: a listening unix or TCP socket, accept, and a send that finishes its buffer. Errors
 * are -errno with the reason in err; the callers add which option it was about. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "errmsg.h"
#include "sock.h"

/* Both servers accept as soon as poll() says so: a few waiting connections are plenty. */
#define SOCK_BACKLOG 4

int sock_listen_unix(const char *path, mode_t mode, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old = 0;
	int fd, ret;

	if (!*path)
		return errmsg_fail(err, errlen, -EINVAL, "path empty");
	if (strlen(path) >= sizeof(sa.sun_path))
		return errmsg_fail(err, errlen, -ENAMETOOLONG, "path too long");
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		return errmsg_fail(err, errlen, ret, "%s", strerror(-ret));
	}
	/* bind() creates the file with the umask's mode: set around it, no one else can ever
	 * connect, as a chmod() afterwards would leave a moment for. */
	if (mode)
		old = umask(~mode & 0777);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (mode)
		umask(old);
	if (ret < 0) {
		ret = -errno;
		goto err_close;
	}
	if (listen(fd, SOCK_BACKLOG) < 0) {
		ret = -errno;
		goto err_unlink;
	}
	return fd;

err_unlink:
	unlink(path);
err_close:
	close(fd);
	return errmsg_fail(err, errlen, ret, "%s", strerror(-ret));
}

int sock_listen_tcp(const struct sockaddr *sa, socklen_t len, char *err, size_t errlen)
{
	int fd, one = 1, ret;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		return errmsg_fail(err, errlen, ret, "%s", strerror(-ret));
	}
	/* SO_REUSEADDR: a restarted minivmm need not wait for the last one's connections to
	 * leave TIME_WAIT. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, sa, len) < 0 || listen(fd, SOCK_BACKLOG) < 0) {
		ret = -errno;
		close(fd);
		return errmsg_fail(err, errlen, ret, "%s", strerror(-ret));
	}
	return fd;
}

int sock_accept(int listen_fd, struct sockaddr_storage *ss)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd, one = 1;

	memset(&peer, 0, sizeof(peer));
	fd = accept4(listen_fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Each gdb packet waits for its answer: Nagle's algorithm would only delay them. */
	if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (ss)
		*ss = peer;
	return fd;
}

int sock_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) /* not for a stream socket and len > 0, but never spin on it */
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
