// SPDX-License-Identifier: GPL-3.0-or-later
/* rspload: the load test of issue 8 (docs/reliability.md), a gdb remote-protocol client run
 * in the test host against minivmm serving the smploop guest on 2 vCPUs, stopped at reset
 * (-S). It turns the guest's timer interrupts on (timer_hz), then in two rounds, a short
 * warm-up and the measured one:
 *   breakpoints  Z0 on hit(), then `vCont;c` until BPS stops: each must be a swbreak stop
 *                of a known thread at hit(); every 16 stops and at the end the guest's own
 *                count of calls (hits[]) must agree with the stops reported, so a stop lost
 *                or reported twice is seen;
 *   steps        z0, then STEPS `vCont;s:N`, the two threads in turn: each must stop that
 *                thread and nowhere but the loop's code (never in the interrupt handler,
 *                although the timer fires during the steps: ticks[] must grow).
 * Between the two rounds and after the second it counts minivmm's open files and memory
 * (/proc/PID), and prints one line of figures; then it ends the guest (run = 0) and expects
 * its exit. Any failure: one line on stderr, exit status 1.
 *
 *   rspload CONNECT PID hit=A hit_end=A hits=A ticks=A timer_hz=A run=A ok=LO-HI... [bps=N]
 *           [steps=N] [hz=N]
 *   CONNECT  HOST:PORT (numeric IPv4) or unix:PATH; ok= may be given several times. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PKT_MAX 8192
#define NCPU 2
#define MAX_OK 8
#define CHECK_EVERY 16

static int sock;
static bool acks = true;
static char rx_buf[PKT_MAX];
static size_t rx_len, rx_pos;

static uint64_t a_hit, a_hit_end, a_hits, a_ticks, a_timer_hz, a_run;
static uint64_t ok_lo[MAX_OK], ok_hi[MAX_OK];
static int n_ok;
static long pid;

/* Arrivals at hit() per CPU: breakpoint stops reported, and steps that ended there. */
static uint64_t stops[NCPU];
static int reporter = -1; /* the CPU of the last breakpoint stop */

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("rspload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- the protocol */

static int getbyte(void)
{
	if (rx_pos == rx_len) {
		ssize_t n = recv(sock, rx_buf, sizeof(rx_buf), 0);

		if (n <= 0)
			die("the connection closed (%s)", n ? strerror(errno) : "end of file");
		rx_len = (size_t)n;
		rx_pos = 0;
	}
	return (unsigned char)rx_buf[rx_pos++];
}

static void send_all(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(sock, buf, len, 0);

		if (n <= 0)
			die("send: %s", strerror(errno));
		buf += n;
		len -= (size_t)n;
	}
}

/* The next packet's payload (checksum verified), console output (O packets) passed over. */
static void recv_packet(char *out, size_t size)
{
	for (;;) {
		unsigned int sum = 0, want;
		size_t len = 0;
		char hex[3];
		int c;

		while ((c = getbyte()) != '$')
			;
		while ((c = getbyte()) != '#') {
			sum += (unsigned int)c;
			if (len + 1 >= size)
				die("a reply longer than %zu bytes", size);
			out[len++] = (char)c;
		}
		out[len] = '\0';
		hex[0] = (char)getbyte();
		hex[1] = (char)getbyte();
		hex[2] = '\0';
		want = (unsigned int)strtoul(hex, NULL, 16);
		if (want != (sum & 0xff))
			die("bad checksum on reply %.40s", out);
		if (acks)
			send_all("+", 1);
		if (out[0] != 'O' || out[1] == 'K' || !out[1])
			return;
	}
}

static void __attribute__((format(printf, 1, 2))) send_packet(const char *fmt, ...)
{
	char payload[PKT_MAX], buf[PKT_MAX + 4];
	unsigned int sum = 0;
	va_list ap;
	int len;

	va_start(ap, fmt);
	vsnprintf(payload, sizeof(payload), fmt, ap);
	va_end(ap);
	for (const char *p = payload; *p; p++)
		sum += (unsigned char)*p;
	len = snprintf(buf, sizeof(buf), "$%s#%02x", payload, sum & 0xff);
	send_all(buf, (size_t)len);
	if (acks && getbyte() != '+')
		die("no ack for %.40s", payload);
}

static char reply[PKT_MAX];

#define xchg(...) (send_packet(__VA_ARGS__), recv_packet(reply, sizeof(reply)), reply)

static void expect_ok(const char *what)
{
	if (strcmp(reply, "OK"))
		die("%s: expected OK, got %.80s", what, reply);
}

static uint64_t le64(const char *hex)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		v = v << 8 | strtoul(b, NULL, 16);
	}
	return v;
}

static void write64(uint64_t addr, uint64_t val)
{
	char hex[17];

	for (int i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned int)(val >> (8 * i) & 0xff));
	xchg("M%" PRIx64 ",8:%s", addr, hex);
	expect_ok("M");
}

static void read64s(uint64_t addr, uint64_t *out, int n)
{
	xchg("m%" PRIx64 ",%x", addr, 8 * n);
	if (strlen(reply) != (size_t)16 * n)
		die("m%" PRIx64 ": got %.80s", addr, reply);
	for (int i = 0; i < n; i++)
		out[i] = le64(reply + 16 * i);
}

struct stop {
	int cpu;
	bool swbreak;
	uint64_t pc;
};

/* A T05 stop reply with its thread and expedited pc (register 32). */
static struct stop parse_stop(const char *what)
{
	struct stop s = { .cpu = -1 };
	const char *t = strstr(reply, "thread:"), *pc = strstr(reply, ";20:");

	if (strncmp(reply, "T05", 3) || !t || !pc || strlen(pc) < 4 + 16)
		die("%s: expected a T05 stop with its thread and pc, got %.80s", what, reply);
	s.cpu = (int)strtol(t + 7, NULL, 16) - 1;
	if (s.cpu < 0 || s.cpu >= NCPU)
		die("%s: a stop of thread %.10s, which should not exist", what, t + 7);
	s.swbreak = strstr(reply, "swbreak:") != NULL;
	s.pc = le64(pc + 4);
	return s;
}

/* ---------------------------------------------------------- the two loads */

/* At its k-th stop in hit() a CPU has made k - 1 calls; the CPU that did not report has
 * made as many calls as it reported stops, or one fewer if it was held inside hit(). */
static void check_hits(void)
{
	uint64_t hits[NCPU];

	read64s(a_hits, hits, NCPU);
	for (int c = 0; c < NCPU; c++) {
		bool good = c == reporter ? hits[c] + 1 == stops[c]
					  : hits[c] == stops[c] || hits[c] + 1 == stops[c];

		if (!good)
			die("CPU %d made %" PRIu64 " calls of hit() and %" PRIu64 " stops were "
			    "reported (CPU %d reported last): a stop lost or reported twice",
			    c, hits[c], stops[c], reporter);
	}
}

static double breakpoints(long n)
{
	double t0 = now();

	xchg("Z0,%" PRIx64 ",4", a_hit);
	expect_ok("Z0");
	for (long i = 0; i < n; i++) {
		struct stop s;

		xchg("vCont;c");
		s = parse_stop("vCont;c");
		if (!s.swbreak || s.pc != a_hit)
			die("stop %ld of %ld: expected the breakpoint at %#" PRIx64 ", got %.80s",
			    i + 1, n, a_hit, reply);
		stops[s.cpu]++;
		reporter = s.cpu;
		if (i % CHECK_EVERY == CHECK_EVERY - 1 || i == n - 1)
			check_hits();
	}
	xchg("z0,%" PRIx64 ",4", a_hit);
	expect_ok("z0");
	return now() - t0;
}

static bool in_hit(uint64_t pc)
{
	return pc >= a_hit && pc < a_hit_end;
}

static bool in_loop(uint64_t pc)
{
	for (int i = 0; i < n_ok; i++)
		if (pc >= ok_lo[i] && pc < ok_hi[i])
			return true;
	return false;
}

/* A thread held outside the loop (in its interrupt handler, when the other CPU stopped)
 * is stepped back into it first; from there on every step must end in the loop. */
static uint64_t entry_steps;

/* Steps end with no thread inside hit(): a breakpoint inserted there is to be met, not
 * stepped over, and every arrival counted is a call made. A thread that arrives at
 * hit() makes one more call than it reported. */
static double steps(long n)
{
	uint64_t pc[NCPU];
	double t0 = now();

	uint64_t hits[NCPU];

	read64s(a_hits, hits, NCPU);
	for (int c = 0; c < NCPU; c++) {
		xchg("Hg%x", c + 1);
		expect_ok("Hg");
		xchg("p20");
		pc[c] = le64(reply);
		/* At hit() with its arrival reported (a stop reported while it was held there),
		 * or an arrival not reported: held at the breakpoint when another CPU stopped. */
		if (pc[c] == a_hit && hits[c] == stops[c])
			stops[c]++;
	}
	for (long i = 0; i < n || in_hit(pc[0]) || in_hit(pc[1]); i++) {
		int c = i < n ? (int)(i % NCPU) : in_hit(pc[0]) ? 0 : 1;
		struct stop s;

		xchg("vCont;s:%x", c + 1);
		s = parse_stop("vCont;s");
		if (s.cpu != c)
			die("step %ld: stepped thread %d, the stop names thread %d", i + 1, c + 1,
			    s.cpu + 1);
		if (s.pc == pc[c])
			die("step %ld: thread %d still at %#" PRIx64, i + 1, c + 1, s.pc);
		if (!in_loop(s.pc)) {
			if (in_loop(pc[c]))
				die("step %ld: thread %d went from %#" PRIx64 " in the loop to %#"
				    PRIx64 ", outside it", i + 1, c + 1, pc[c], s.pc);
			if (++entry_steps > 1000)
				die("thread %d does not come back to the loop", c + 1);
		}
		pc[c] = s.pc;
		stops[c] += s.pc == a_hit;
	}
	return now() - t0;
}

/* ---------------------------------------------------------------- counting */

struct usage {
	long fds, threads, rss_kb, anon_kb, data_kb;
};

static long status_field(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	return p ? atol(p + strlen(name)) : -1;
}

static struct usage usage(void)
{
	struct usage u = { 0 };
	char path[64], text[4096];
	struct dirent *e;
	size_t n;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	if (!(d = opendir(path)))
		die("%s: %s", path, strerror(errno));
	while ((e = readdir(d)))
		u.fds += e->d_name[0] != '.';
	closedir(d);
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if (!(f = fopen(path, "r")))
		die("%s: %s", path, strerror(errno));
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	u.threads = status_field(text, "\nThreads:");
	u.rss_kb = status_field(text, "\nVmRSS:");
	u.anon_kb = status_field(text, "\nRssAnon:");
	u.data_kb = status_field(text, "\nVmData:");
	return u;
}

/* ------------------------------------------------------------------- set-up */

static int dial(char *spec)
{
	double end = now() + 30;
	int fd, one = 1;

	for (;;) {
		if (!strncmp(spec, "unix:", 5)) {
			struct sockaddr_un sa = { .sun_family = AF_UNIX };

			snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", spec + 5);
			fd = socket(AF_UNIX, SOCK_STREAM, 0);
			if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
				return fd;
		} else {
			struct sockaddr_in sa = { .sin_family = AF_INET };
			char *colon = strrchr(spec, ':');

			if (!colon)
				die("%s: expected HOST:PORT or unix:PATH", spec);
			*colon = '\0';
			sa.sin_port = htons((uint16_t)atoi(colon + 1));
			if (inet_pton(AF_INET, spec, &sa.sin_addr) != 1)
				die("%s: not an IPv4 address", spec);
			*colon = ':';
			fd = socket(AF_INET, SOCK_STREAM, 0);
			if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				return fd;
			}
		}
		if (fd >= 0)
			close(fd);
		if (now() > end)
			die("connect %s: %s", spec, strerror(errno));
		usleep(50000);
	}
}

static uint64_t num(const char *arg, const char *val)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno || end == val || *end)
		die("%s: not a number", arg);
	return v;
}

int main(int argc, char **argv)
{
	long bps = 10000, nsteps = 100000, warm_bps = 200, warm_steps = 2000;
	uint64_t hz = 1000, ticks0[NCPU], ticks1[NCPU], ticks2[NCPU], hits[NCPU];
	double t_bp, t_step;
	struct usage before, after;

	if (argc < 4)
		die("usage: rspload CONNECT PID hit=A hit_end=A hits=A ticks=A timer_hz=A run=A "
		    "ok=LO-HI... [bps=N] [steps=N] [hz=N]");
	pid = (long)num("PID", argv[2]);
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *dash;

		if (!eq)
			die("%s: expected NAME=VALUE", argv[i]);
		*eq++ = '\0';
		if (!strcmp(argv[i], "ok")) {
			if (n_ok == MAX_OK || !(dash = strchr(eq, '-')))
				die("ok=%s: expected LO-HI, at most %d of them", eq, MAX_OK);
			*dash = '\0';
			ok_lo[n_ok] = num("ok", eq);
			ok_hi[n_ok++] = num("ok", dash + 1);
		} else {
			uint64_t v = num(argv[i], eq);

			if (!strcmp(argv[i], "hit")) a_hit = v;
			else if (!strcmp(argv[i], "hit_end")) a_hit_end = v;
			else if (!strcmp(argv[i], "hits")) a_hits = v;
			else if (!strcmp(argv[i], "ticks")) a_ticks = v;
			else if (!strcmp(argv[i], "timer_hz")) a_timer_hz = v;
			else if (!strcmp(argv[i], "run")) a_run = v;
			else if (!strcmp(argv[i], "bps")) bps = (long)v;
			else if (!strcmp(argv[i], "steps")) nsteps = (long)v;
			else if (!strcmp(argv[i], "hz")) hz = v;
			else die("%s: unknown setting", argv[i]);
		}
	}
	if (!a_hit || a_hit_end <= a_hit || !a_hits || !a_ticks || !a_timer_hz || !a_run || !n_ok)
		die("hit=, hit_end=, hits=, ticks=, timer_hz=, run= and ok= are all needed");

	sock = dial(argv[1]);
	send_all("+", 1);
	xchg("qSupported:swbreak+;hwbreak+;vContSupported+");
	if (strstr(reply, "QStartNoAckMode+")) {
		xchg("QStartNoAckMode");
		expect_ok("QStartNoAckMode");
		acks = false;
	}
	xchg("?");
	write64(a_timer_hz, hz);

	/* The warm-up: whatever minivmm allocates once is allocated by the end of it. */
	breakpoints(warm_bps);
	steps(warm_steps);
	before = usage();

	read64s(a_ticks, ticks0, NCPU);
	t_bp = breakpoints(bps);
	read64s(a_ticks, ticks1, NCPU);
	t_step = steps(nsteps);
	read64s(a_ticks, ticks2, NCPU);
	after = usage();

	for (int c = 0; c < NCPU; c++) {
		if (ticks1[c] <= ticks0[c])
			die("CPU %d took no timer interrupt while it ran to breakpoints", c);
		if (ticks2[c] <= ticks1[c])
			die("CPU %d took no timer interrupt while it was stepped", c);
	}
	read64s(a_hits, hits, NCPU);
	for (int c = 0; c < NCPU; c++)
		if (hits[c] != stops[c])
			die("CPU %d made %" PRIu64 " calls of hit() and arrived there %" PRIu64
			    " times", c, hits[c], stops[c]);
	printf("rspload bps=%ld bp_seconds=%.1f bp_rate=%.0f steps=%ld step_seconds=%.1f "
	       "step_rate=%.0f entry_steps=%" PRIu64 "\n",
	       bps, t_bp, (double)bps / t_bp, nsteps, t_step, (double)nsteps / t_step,
	       entry_steps);
	printf("rspload stops=%" PRIu64 ",%" PRIu64 " hits=%" PRIu64 ",%" PRIu64
	       " ticks_bp=%" PRIu64 ",%" PRIu64 " ticks_step=%" PRIu64 ",%" PRIu64 "\n",
	       stops[0], stops[1], hits[0], hits[1], ticks1[0] - ticks0[0],
	       ticks1[1] - ticks0[1], ticks2[0] - ticks1[0], ticks2[1] - ticks1[1]);
	printf("rspload before fds=%ld threads=%ld rss_kb=%ld anon_kb=%ld data_kb=%ld\n",
	       before.fds, before.threads, before.rss_kb, before.anon_kb, before.data_kb);
	printf("rspload after fds=%ld threads=%ld rss_kb=%ld anon_kb=%ld data_kb=%ld\n",
	       after.fds, after.threads, after.rss_kb, after.anon_kb, after.data_kb);

	write64(a_run, 0);
	xchg("vCont;c");
	if (strcmp(reply, "W00"))
		die("after run = 0: expected the guest's exit (W00), got %.80s", reply);
	return 0;
}
