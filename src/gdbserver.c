// SPDX-License-Identifier: GPL-3.0-or-later
/* The gdb connection: a listening socket (TCP, 127.0.0.1 unless the user names
 * another address, or a unix socket), one client at a time, and the bytes between
 * it and the protocol library (gdbstub/). A second client is refused with a line on
 * our stderr while the first one is attached. A client that goes away without
 * detaching is treated as if it had detached. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "debugger.h"
#include "errmsg.h"
#include "gdbserver.h"
#include "gdbstub/gdbstub.h"
#include "log.h"
#include "loop.h"
#include "sock.h"

struct gdbserver {
	struct loop *loop;
	struct dbg *dbg;          /* none until the machine exists */
	struct gdb_session *sess; /* the attached gdb */
	int listen_fd;
	int fd;
	bool broken; /* a write failed: drop the client at the next chance */
	char peer[128];
	char unix_path[108];
};

static void io_write(void *ctx, const void *buf, size_t len)
{
	struct gdbserver *srv = ctx;

	if (!srv->broken && sock_send_all(srv->fd, buf, len))
		srv->broken = true;
}

static void io_log(void *ctx, const char *msg)
{
	log_debug("gdb %s", msg);
}

static void drop_client(struct gdbserver *srv)
{
	if (!srv->sess)
		return;
	gdb_disconnect(srv->sess); /* detaches unless gdb did (D) or killed (k) */
	gdb_session_free(srv->sess);
	srv->sess = NULL;
	loop_remove(srv->loop, srv->fd);
	close(srv->fd);
	srv->fd = -1;
	srv->broken = false;
	log_debug("gdb at %s is gone", srv->peer);
}

static void on_client(void *opaque, int fd, unsigned int revents)
{
	struct gdbserver *srv = opaque;
	char buf[65536];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		drop_client(srv);
		return;
	}
	gdb_feed(srv->sess, buf, (size_t)n);
	if (srv->broken || (srv->sess && gdb_is_finished(srv->sess)))
		drop_client(srv);
}

static void describe_peer(struct gdbserver *srv, const struct sockaddr_storage *ss)
{
	char host[64] = "?", port[16] = "";

	if (ss->ss_family == AF_UNIX) {
		snprintf(srv->peer, sizeof(srv->peer), "unix:%s", srv->unix_path);
		return;
	}
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(port, sizeof(port), "%u", ntohs(in4->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(port, sizeof(port), "%u", ntohs(in6->sin6_port));
	}
	snprintf(srv->peer, sizeof(srv->peer), "%s:%s", host, port);
}

static void on_accept(void *opaque, int fd, unsigned int revents)
{
	struct gdbserver *srv = opaque;
	const struct gdb_io io = { .write = io_write, .log = io_log, .ctx = srv };
	struct sockaddr_storage ss;
	int c;

	c = sock_accept(fd, &ss);
	if (c < 0)
		return;
	if (srv->sess || !srv->dbg) {
		char other[128];

		memcpy(other, srv->peer, sizeof(other));
		describe_peer(srv, &ss);
		log_warn("refused a gdb connection from %s: gdb at %s is attached", srv->peer,
			 other);
		memcpy(srv->peer, other, sizeof(other));
		close(c);
		return;
	}
	describe_peer(srv, &ss);
	srv->sess = gdb_session_new(&dbg_gdb_ops, srv->dbg, &io);
	if (!srv->sess || loop_add(srv->loop, c, POLLIN, on_client, srv)) {
		log_err("cannot serve gdb at %s: %s", srv->peer, strerror(ENOMEM));
		if (srv->sess)
			gdb_session_free(srv->sess);
		srv->sess = NULL;
		close(c);
		return;
	}
	srv->fd = c;
	dbg_attach(srv->dbg);
	log_debug("gdb attached from %s", srv->peer);
}

static void on_stop(void *opaque, const struct gdb_stop *stop)
{
	struct gdbserver *srv = opaque;

	if (srv->sess)
		gdb_notify_stop(srv->sess, stop);
}

int gdbserver_set_debugger(struct gdbserver *srv, struct dbg *d)
{
	srv->dbg = d;
	return dbg_subscribe(d, on_stop, srv);
}

const char *gdbserver_peer(const struct gdbserver *srv)
{
	return srv && srv->sess ? srv->peer : NULL;
}

static int listen_unix(struct gdbserver *srv, const char *path, char *err, size_t errlen)
{
	char why[128];
	int fd = sock_listen_unix(path, 0, why, sizeof(why));

	if (fd < 0)
		return errmsg_fail(err, errlen, fd, "--gdb unix:%s: %s", path, why);
	/* Only once bound: a path someone else holds is not ours to remove at exit. */
	strcpy(srv->unix_path, path); /* fits: as long as sun_path */
	return fd;
}

/* HOST as an address: numeric IPv4 or IPv6, or "localhost". No name service: a
 * static binary has none to ask. */
static int parse_host(const char *host, uint16_t port, struct sockaddr_storage *ss,
		      socklen_t *len, bool *loopback)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!strcmp(host, "localhost"))
		host = "127.0.0.1";
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
		*loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		return 0;
	}
	return -EINVAL;
}

/* [HOST]:PORT, HOST defaulting to 127.0.0.1; an IPv6 HOST in brackets. */
static int listen_tcp(const char *spec, char *err, size_t errlen)
{
	char host[64] = "127.0.0.1", *end;
	const char *colon = strrchr(spec, ':'), *port;
	struct sockaddr_storage ss;
	socklen_t sslen;
	bool loopback;
	char why[128];
	int fd;
	long p;

	if (!colon)
		return errmsg_fail(err, errlen, -EINVAL,
				   "--gdb %s: expected [HOST]:PORT or unix:PATH", spec);
	port = colon + 1;
	p = strtol(port, &end, 10);
	if (*port == '\0' || *end || p < 1 || p > 65535)
		return errmsg_fail(err, errlen, -EINVAL,
				   "--gdb %s: '%s' is not a port number (1-65535)", spec, port);
	if (colon > spec) {
		size_t n = (size_t)(colon - spec);

		if (spec[0] == '[' && colon[-1] == ']') {
			spec++;
			n -= 2;
		}
		if (n >= sizeof(host))
			return errmsg_fail(err, errlen, -EINVAL, "--gdb %s: host too long", spec);
		memcpy(host, spec, n);
		host[n] = '\0';
	}
	if (parse_host(host, (uint16_t)p, &ss, &sslen, &loopback))
		return errmsg_fail(err, errlen, -EINVAL,
				   "--gdb %s: '%s' is not an IP address (or localhost)", spec,
				   host);
	fd = sock_listen_tcp((struct sockaddr *)&ss, sslen, why, sizeof(why));
	if (fd < 0)
		return errmsg_fail(err, errlen, fd, "--gdb %s:%ld: cannot listen: %s", host, p,
				   why);
	if (!loopback)
		log_warn("gdb listens on %s:%ld: anyone who can reach it controls the guest", host,
			 p);
	return fd;
}

struct gdbserver *gdbserver_listen(struct loop *loop, const char *spec, char *err, size_t errlen)
{
	struct gdbserver *srv = calloc(1, sizeof(*srv));
	int fd, ret;

	if (!srv) {
		errmsg_fail(err, errlen, -ENOMEM, "--gdb: %s", strerror(ENOMEM));
		return NULL;
	}
	srv->loop = loop;
	srv->listen_fd = srv->fd = -1;
	fd = strncmp(spec, "unix:", 5) ? listen_tcp(spec, err, errlen)
				       : listen_unix(srv, spec + 5, err, errlen);
	if (fd < 0) {
		free(srv);
		return NULL;
	}
	ret = loop_add(loop, fd, POLLIN, on_accept, srv);
	if (ret) {
		close(fd);
		errmsg_fail(err, errlen, ret, "--gdb: %s", strerror(-ret));
		gdbserver_close(srv);
		return NULL;
	}
	srv->listen_fd = fd;
	return srv;
}

void gdbserver_close(struct gdbserver *srv)
{
	if (!srv)
		return;
	if (srv->sess)
		gdb_session_free(srv->sess);
	if (srv->fd >= 0)
		close(srv->fd);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	if (srv->unix_path[0])
		unlink(srv->unix_path);
	free(srv);
}
