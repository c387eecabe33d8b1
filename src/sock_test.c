// SPDX-License-Identifier: GPL-3.0-or-later
/* src/sock.c on the host: unix and TCP listeners (the socket file's mode, the reasons put in
 * err, what a failure leaves behind), accept's flags, and send-all through partial sends and
 * to a peer that is gone. Sockets live in a fresh folder under /tmp, TCP on 127.0.0.1. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "sock.h"

static char dir[] = "/tmp/sock_test.XXXXXX";

static void path_in_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	strcpy(sa.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int listen_loopback(uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sock_listen_tcp((struct sockaddr *)&sa, sizeof(sa), err, errlen);
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	return ntohs(sa.sin_port);
}

static void test_unix_mode_0600(void **state)
{
	char path[PATH_MAX], err[128] = "", buf[16] = "";
	struct stat st;
	mode_t old = umask(0);
	int fd, client, c;

	path_in_dir(path, sizeof(path), "mon.sock");
	fd = sock_listen_unix(path, 0600, err, sizeof(err));
	assert_true(fd >= 0);
	assert_string_equal(err, "");
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(umask(old), 0); /* put back as it was */
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	client = connect_unix(path);
	c = sock_accept(fd, NULL);
	assert_true(c >= 0);
	assert_true(fcntl(c, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(sock_send_all(c, "(minivmm)\n", 10), 0);
	assert_int_equal(recv(client, buf, sizeof(buf), 0), 10);
	assert_memory_equal(buf, "(minivmm)\n", 10);
	close(c);
	close(client);
	close(fd);
	unlink(path);
}

static void test_unix_mode_from_umask(void **state)
{
	char path[PATH_MAX], err[128];
	struct sockaddr_storage ss;
	mode_t old = umask(022);
	struct stat st;
	int fd, client, c;

	path_in_dir(path, sizeof(path), "gdb.sock");
	fd = sock_listen_unix(path, 0, err, sizeof(err));
	umask(old);
	assert_true(fd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	client = connect_unix(path);
	c = sock_accept(fd, &ss);
	assert_true(c >= 0);
	assert_int_equal(ss.ss_family, AF_UNIX);
	close(c);
	close(client);
	close(fd);
	unlink(path);
}

static void test_unix_bad_paths(void **state)
{
	char path[PATH_MAX], err[128];
	struct sockaddr_un sa;

	assert_int_equal(sock_listen_unix("", 0600, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "path empty");

	memset(path, 'x', sizeof(sa.sun_path));
	path[sizeof(sa.sun_path)] = '\0'; /* one too many for the NUL */
	assert_int_equal(sock_listen_unix(path, 0600, err, sizeof(err)), -ENAMETOOLONG);
	assert_string_equal(err, "path too long");

	path_in_dir(path, sizeof(path), "no/such/folder.sock");
	assert_int_equal(sock_listen_unix(path, 0, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, strerror(ENOENT));
}

/* A path in use is refused, and the socket file there is not removed (it is not ours). */
static void test_unix_in_use(void **state)
{
	char path[PATH_MAX], err[128];
	struct stat st;
	int fd;

	path_in_dir(path, sizeof(path), "used.sock");
	fd = sock_listen_unix(path, 0600, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(sock_listen_unix(path, 0600, err, sizeof(err)), -EADDRINUSE);
	assert_string_equal(err, strerror(EADDRINUSE));
	assert_int_equal(stat(path, &st), 0);
	close(fd);
	unlink(path);
}

static void test_err_may_be_null(void **state)
{
	assert_int_equal(sock_listen_unix("", 0, NULL, 0), -EINVAL);
}

static void test_tcp_accept_nodelay(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(int);
	char err[128] = "";
	int fd, client, c, on = 0;

	fd = listen_loopback(0, err, sizeof(err));
	assert_true(fd >= 0);
	assert_string_equal(err, "");
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, &len), 0);
	assert_true(on);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port_of(fd));
	client = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(client, (struct sockaddr *)&sa, sizeof(sa)), 0);
	c = sock_accept(fd, &ss);
	assert_true(c >= 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_true(fcntl(c, F_GETFD) & FD_CLOEXEC);
	on = 0;
	assert_int_equal(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, &len), 0);
	assert_true(on);
	close(c);
	close(client);
	close(fd);
}

static void test_tcp_port_in_use(void **state)
{
	char err[128];
	int fd = listen_loopback(0, err, sizeof(err));

	assert_true(fd >= 0);
	assert_int_equal(listen_loopback(port_of(fd), err, sizeof(err)), -EADDRINUSE);
	assert_string_equal(err, "Address already in use");
	close(fd);
}

static void test_accept_nothing_waiting(void **state)
{
	char err[128];
	int fd = listen_loopback(0, err, sizeof(err));

	assert_true(fd >= 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	assert_int_equal(sock_accept(fd, NULL), -EAGAIN);
	close(fd);
}

struct reader {
	int fd;
	size_t got;
	uint8_t sum;
};

static void *read_all(void *opaque)
{
	struct reader *r = opaque;
	uint8_t buf[4096];
	ssize_t n, i;

	while ((n = recv(r->fd, buf, sizeof(buf), 0)) > 0) {
		for (i = 0; i < n; i++)
			r->sum += buf[i];
		r->got += (size_t)n;
	}
	return NULL;
}

/* Much more than the socket buffer holds: send() returns short counts, and all must go. */
static void test_send_all_partial(void **state)
{
	size_t len = 4u << 20, i;
	uint8_t *buf = malloc(len), sum = 0;
	int sv[2], small = 4096;
	struct reader r;
	pthread_t t;

	assert_non_null(buf);
	for (i = 0; i < len; i++)
		sum += buf[i] = (uint8_t)(i * 7);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	r = (struct reader){ .fd = sv[1] };
	assert_int_equal(pthread_create(&t, NULL, read_all, &r), 0);
	assert_int_equal(sock_send_all(sv[0], buf, len), 0);
	shutdown(sv[0], SHUT_WR);
	pthread_join(t, NULL);
	assert_true(r.got == len);
	assert_int_equal(r.sum, sum);
	close(sv[0]);
	close(sv[1]);
	free(buf);
}

/* MSG_NOSIGNAL: a peer that is gone is -EPIPE; without it this test would die of SIGPIPE. */
static void test_send_all_peer_gone(void **state)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	assert_int_equal(sock_send_all(sv[0], "x", 1), -EPIPE);
	assert_int_equal(sock_send_all(sv[0], "", 0), 0); /* nothing to send: nothing fails */
	close(sv[0]);
}

static int make_dir(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix_mode_0600),
		cmocka_unit_test(test_unix_mode_from_umask),
		cmocka_unit_test(test_unix_bad_paths),
		cmocka_unit_test(test_unix_in_use),
		cmocka_unit_test(test_err_may_be_null),
		cmocka_unit_test(test_tcp_accept_nodelay),
		cmocka_unit_test(test_tcp_port_in_use),
		cmocka_unit_test(test_accept_nothing_waiting),
		cmocka_unit_test(test_send_all_partial),
		cmocka_unit_test(test_send_all_peer_gone),
	};

	return cmocka_run_group_tests_name("sock", tests, make_dir, remove_dir);
}
