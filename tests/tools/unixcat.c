// SPDX-License-Identifier: GPL-3.0-or-later
/* unixcat: `nc -U` for the test host, whose busybox nc has no unix sockets. Connects to a
 * unix stream socket, copies stdin to it and it to stdout; at the end of stdin it shuts down
 * its sending side and keeps printing until the server closes. Built static for the test
 * host (make tools), usable anywhere.
 *
 *   unixcat [-w SECS] PATH     -w: keep trying to connect for up to SECS seconds
 *
 * Exit status: 0 when the server closed the connection, 1 on an error (one line on stderr). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "unixcat: %s%s%s: %s\n", what, path ? " " : "", path ? path : "",
		strerror(errno));
	return 1;
}

static int connect_to(const char *path, double wait_secs)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec t0, now, nap = { 0, 50 * 1000 * 1000 };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((errno != ENOENT && errno != ECONNREFUSED) ||
		    (double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9 >=
			    wait_secs)
			return -1;
		nanosleep(&nap, NULL);
	}
}

/* Copy what fd has to out; 0 at its end, -1 on an error, else 1. */
static int pump(int in, int out)
{
	char buf[4096];
	ssize_t n = read(in, buf, sizeof(buf)), done = 0, w;

	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return (int)n;
	while (done < n) {
		w = write(out, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		done += w;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct pollfd p[2];
	double wait_secs = 0;
	int fd, r, opt;

	while ((opt = getopt(argc, argv, "w:")) != -1) {
		if (opt != 'w')
			goto usage;
		wait_secs = atof(optarg);
	}
	if (optind != argc - 1)
		goto usage;
	fd = connect_to(argv[optind], wait_secs);
	if (fd < 0)
		return fail("cannot connect to", argv[optind]);
	p[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = fd, .events = POLLIN };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail("poll", NULL);
		}
		if (p[1].revents) {
			r = pump(fd, STDOUT_FILENO);
			if (r <= 0)
				return r < 0 ? fail("read from", argv[optind]) : 0;
		}
		if (p[0].revents) {
			r = pump(STDIN_FILENO, fd);
			if (r <= 0) { /* end of stdin (or the server stopped reading): half close */
				shutdown(fd, SHUT_WR);
				p[0].fd = -1;
			}
		}
	}

usage:
	fprintf(stderr, "usage: unixcat [-w SECS] PATH\n");
	return 2;
}
