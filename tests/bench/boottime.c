// SPDX-License-Identifier: GPL-3.0-or-later
/* The measuring end of `make bench-boot` (tests/bench/boot.py), run in the test host:
 * forks and execs a command with its stdout on a pipe, and prints one line of
 * key=value: ms from exec to the first byte on that pipe and to the child's exit,
 * the exit status, and ru_maxrss. With -r RAM it also samples /proc/PID/smaps every
 * few ms and splits the resident set into the guest RAM mapping (the anonymous
 * mapping of exactly RAM bytes) and everything else, keeping the peak of each. With
 * -w TEXT it also reports the ms to the first occurrence of TEXT in the output; -k then
 * kills the child there (firmware waits at its prompt forever). */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_MS 5

struct rss {
	uint64_t guest_kb, other_kb;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Rss of the mapping sized ram (guest RAM) and of all the others, now. */
static int sample_smaps(pid_t pid, uint64_t ram, struct rss *r)
{
	char path[64], line[512];
	uint64_t start, end, kb;
	int is_guest = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	r->guest_kb = r->other_kb = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &start, &end) == 2)
			is_guest = end - start == ram;
		else if (sscanf(line, "Rss: %" SCNu64 " kB", &kb) == 1)
			*(is_guest ? &r->guest_kb : &r->other_kb) += kb;
	}
	fclose(f);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: boottime [-o OUTPUT] [-r GUEST_RAM_BYTES] [-w TEXT [-k]] -- "
			"COMMAND [ARG]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	/* The child stamps the time right before execve(), in memory we share. */
	double *t_exec = mmap(NULL, sizeof(double), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double t_first = -1, t_mark = -1, t_exit;
	const char *mark = NULL;
	char tail[256 + 4096];
	size_t tail_len = 0;
	struct rss peak = { 0 }, cur;
	const char *output = "/dev/null";
	uint64_t ram = 0, bytes = 0;
	struct rusage ru;
	int c, p[2], out, status;
	bool kill_at_mark = false;
	pid_t pid;

	while ((c = getopt(argc, argv, "+ko:r:w:")) != -1) {
		if (c == 'w' && strlen(optarg) < 256)
			mark = optarg;
		else if (c == 'k')
			kill_at_mark = true;
		else if (c == 'o')
			output = optarg;
		else if (c == 'r')
			ram = strtoull(optarg, NULL, 0);
		else
			usage();
	}
	if (optind >= argc || t_exec == MAP_FAILED || (kill_at_mark && !mark) || pipe(p))
		usage();
	out = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(output);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		*t_exec = now_ms();
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		char buf[4096];
		ssize_t n;
		int ready = poll(&pfd, 1, ram ? SAMPLE_MS : -1);

		if (ram && !sample_smaps(pid, ram, &cur)) {
			peak.guest_kb = cur.guest_kb > peak.guest_kb ? cur.guest_kb : peak.guest_kb;
			peak.other_kb = cur.other_kb > peak.other_kb ? cur.other_kb : peak.other_kb;
		}
		if (ready <= 0)
			continue; /* a sampling tick, or EINTR */
		n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (t_first < 0)
			t_first = now_ms();
		bytes += n;
		if (mark && t_mark < 0) {
			/* Keep the last strlen(mark) - 1 bytes: the marker may span reads. */
			size_t keep = strlen(mark) - 1;

			memcpy(tail + tail_len, buf, n);
			tail_len += n;
			if (memmem(tail, tail_len, mark, strlen(mark))) {
				t_mark = now_ms();
				if (kill_at_mark)
					kill(pid, SIGKILL);
			} else if (tail_len > keep) {
				memmove(tail, tail + tail_len - keep, keep);
				tail_len = keep;
			}
		}
		if (write(out, buf, n) != n)
			perror(output);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 1;
	}
	t_exit = now_ms();
	printf("first_ms=%.1f exit_ms=%.1f status=%d bytes=%" PRIu64 " maxrss_kb=%ld",
	       t_first < 0 ? -1 : t_first - *t_exec, t_exit - *t_exec,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), bytes,
	       ru.ru_maxrss);
	if (mark)
		printf(" mark_ms=%.1f", t_mark < 0 ? -1 : t_mark - *t_exec);
	if (ram)
		printf(" guest_rss_kb=%" PRIu64 " other_rss_kb=%" PRIu64, peak.guest_kb,
		       peak.other_kb);
	printf("\n");
	return 0;
}
