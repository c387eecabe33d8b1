// SPDX-License-Identifier: GPL-3.0-or-later
/* A minimal gdb remote-protocol client for `make bench` (tests/bench/bench.py), run in the
 * test host against a stub on its loopback: how many single steps per second the stub
 * serves, without gdb and without the x86 side's network in the way.
 *
 * It connects (retrying while the stub starts), negotiates like gdb (qSupported, then
 * QStartNoAckMode when offered), asks `?`, and then times two loops, each for up to
 * COUNT steps or SECONDS, whichever ends first:
 *   step   `vCont;s` (or `s` if vCont? lacks it) and its stop reply: the bare round trip;
 *   steppc the same, plus `p20` (read pc) when the stop reply did not carry pc (register
 *          32, "20:" in a T reply): what a debugger needs at least before its next step;
 *   ping   `qC` (the current thread), which touches no vCPU: the transport and the stub's
 *          loop alone, the floor under every other figure.
 * Prints one line per loop: "rsp_step n=N seconds=S rate=R", "rsp_steppc ...", "rsp_ping ...". */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PKT_MAX 65536

static int sock;
static bool acks = true;
static char rx_buf[PKT_MAX];
static size_t rx_len, rx_pos;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int getbyte(void)
{
	if (rx_pos == rx_len) {
		ssize_t n = recv(sock, rx_buf, sizeof(rx_buf), 0);

		if (n <= 0) {
			fprintf(stderr, "rspbench: connection closed\n");
			exit(1);
		}
		rx_len = n;
		rx_pos = 0;
	}
	return (unsigned char)rx_buf[rx_pos++];
}

static void send_all(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(sock, buf, len, 0);

		if (n <= 0) {
			perror("rspbench: send");
			exit(1);
		}
		buf += n;
		len -= n;
	}
}

/* The next packet's payload into out (NUL-terminated); '+' and '-' in between are skipped,
 * and O (console output) packets are passed over. */
static void recv_packet(char *out, size_t size)
{
	size_t len;
	int c;

	for (;;) {
		while ((c = getbyte()) != '$')
			;
		len = 0;
		while ((c = getbyte()) != '#')
			if (len + 1 < size)
				out[len++] = c;
		out[len] = '\0';
		getbyte(); /* the checksum: TCP has its own */
		getbyte();
		if (acks)
			send_all("+", 1);
		if (out[0] != 'O' || out[1] == 'K' || !out[1])
			return;
	}
}

static void send_packet(const char *payload)
{
	static char buf[PKT_MAX];
	unsigned int sum = 0;
	size_t len = strlen(payload);

	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)payload[i];
	len = snprintf(buf, sizeof(buf), "$%s#%02x", payload, sum & 0xff);
	send_all(buf, len);
	if (acks)
		while (getbyte() != '+')
			;
}

static void xchg(const char *payload, char *reply, size_t size)
{
	send_packet(payload);
	recv_packet(reply, size);
}

/* host is a numeric IPv4 address: getaddrinfo() would pull NSS into a static binary. */
static int dial(const char *host, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	double end = now() + 30;
	int one = 1, fd;

	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "rspbench: %s: not an IPv4 address\n", host);
		exit(2);
	}
	for (;;) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		if (fd >= 0)
			close(fd);
		if (now() > end) {
			perror("rspbench: connect");
			exit(1);
		}
		usleep(50000);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static bool is_stop(const char *r)
{
	return r[0] == 'T' || r[0] == 'S';
}

/* Steps until count or seconds; with want_pc, reads pc when the stop did not carry it. */
static void step_loop(const char *name, const char *step, bool want_pc, long count, double seconds)
{
	static char r[PKT_MAX];
	double t0 = now(), t = t0;
	long n;

	for (n = 0; n < count && t - t0 < seconds; n++) {
		xchg(step, r, sizeof(r));
		if (!is_stop(r)) {
			fprintf(stderr, "rspbench: %s: unexpected reply %.80s\n", step, r);
			exit(1);
		}
		if (want_pc && !strstr(r, ";20:") && strncmp(r + 3, "20:", 3))
			xchg("p20", r, sizeof(r));
		t = now();
	}
	printf("%s n=%ld seconds=%.3f rate=%.1f\n", name, n, t - t0, n / (t - t0));
}

static void ping_loop(long count, double seconds)
{
	static char r[PKT_MAX];
	double t0 = now(), t = t0;
	long n;

	for (n = 0; n < count && t - t0 < seconds; n++) {
		xchg("qC", r, sizeof(r));
		t = now();
	}
	printf("rsp_ping n=%ld seconds=%.3f rate=%.1f\n", n, t - t0, n / (t - t0));
}

int main(int argc, char **argv)
{
	static char r[PKT_MAX];
	char *colon;
	const char *step = "s";
	long count;
	double seconds;

	if (argc != 4 || !(colon = strrchr(argv[1], ':'))) {
		fprintf(stderr, "usage: rspbench HOST:PORT COUNT SECONDS\n");
		return 2;
	}
	*colon = '\0';
	count = atol(argv[2]);
	seconds = atof(argv[3]);
	sock = dial(argv[1], colon + 1);
	send_all("+", 1);
	xchg("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+", r, sizeof(r));
	if (strstr(r, "QStartNoAckMode+")) {
		xchg("QStartNoAckMode", r, sizeof(r));
		acks = strcmp(r, "OK") != 0;
	}
	xchg("?", r, sizeof(r));
	xchg("vCont?", r, sizeof(r));
	if (strstr(r, ";s"))
		step = "vCont;s";
	step_loop("rsp_step", step, false, count, seconds);
	step_loop("rsp_steppc", step, true, count, seconds);
	ping_loop(count, seconds);
	printf("rsp_acks=%d rsp_step_packet=%s\n", acks, step);
	return 0;
}
