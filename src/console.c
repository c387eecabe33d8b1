// SPDX-License-Identifier: GPL-3.0-or-later
/* stdin -> PL011 receive FIFO. When the FIFO is full we stop reading stdin; the
 * UART tells us (from a vCPU thread, through an eventfd) when the guest has made
 * room. A terminal is put in raw mode so that the guest sees every key; a fatal
 * signal or any exit restores it. Ctrl-A c hands the terminal to the monitor's
 * prompt (console_suspend()) until it gives it back (console_resume()). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "console.h"
#include "log.h"
#include "loop.h"
#include "pl011.h"

static struct {
	struct loop *loop;
	struct pl011 *uart;
	int room_fd;
	uint8_t buf[256];
	size_t len, off;
	bool escape;
	bool saved;
	struct termios saved_tio, raw_tio;
	bool suspended; /* the monitor has the terminal */
	bool eof;
	void (*monitor)(void); /* Ctrl-A c */
} con;

void console_restore(void)
{
	if (con.saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &con.saved_tio);
}

static void fatal_signal(int sig)
{
	console_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Push what we hold into the FIFO; stop watching stdin while some is left. */
static void flush_to_uart(void)
{
	con.off += pl011_receive(con.uart, con.buf + con.off, con.len - con.off);
	if (con.off == con.len)
		con.off = con.len = 0;
	if (!con.suspended) /* else stdin's loop entry is the monitor's */
		loop_set_events(con.loop, STDIN_FILENO, con.len ? 0 : POLLIN);
}

/* Ctrl-A x: quit; Ctrl-A c: the monitor prompt (what follows in this read was typed
 * for it and is dropped); Ctrl-A Ctrl-A: a literal Ctrl-A. Other keys after Ctrl-A
 * are passed through unchanged. */
static size_t filter_escapes(uint8_t *p, size_t n)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		if (con.escape) {
			con.escape = false;
			if (p[i] == 'x') {
				loop_quit(con.loop, EXIT_POWEROFF);
				return out;
			}
			if (p[i] == 'c' && con.monitor) {
				con.monitor();
				return out;
			}
			if (p[i] != CONSOLE_ESCAPE)
				p[out++] = CONSOLE_ESCAPE;
			p[out++] = p[i];
		} else if (p[i] == CONSOLE_ESCAPE && con.saved) {
			con.escape = true;
		} else {
			p[out++] = p[i];
		}
	}
	return out;
}

static void on_stdin(void *opaque, int fd, unsigned int revents)
{
	ssize_t n = read(fd, con.buf, sizeof(con.buf) / 2);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* End of input: the guest keeps running without it. */
		loop_remove(con.loop, fd);
		con.eof = true;
		return;
	}
	con.len = filter_escapes(con.buf, n);
	con.off = 0;
	flush_to_uart();
}

static void on_room(void *opaque, int fd, unsigned int revents)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0) {
		/* EAGAIN: already drained */
	}
	if (con.len)
		flush_to_uart();
}

static void uart_room(void *opaque)
{
	uint64_t one = 1;

	if (con.len && write(con.room_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the loop has a wake-up pending already */
	}
}

static void set_raw_mode(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct termios tio;
	unsigned int i;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &con.saved_tio) < 0)
		return;
	con.saved = true;
	atexit(console_restore);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], fatal_signal);
	tio = con.saved_tio;
	cfmakeraw(&tio);
	con.raw_tio = tio;
	tcsetattr(STDIN_FILENO, TCSANOW, &tio);
}

void console_set_monitor(void (*enter)(void))
{
	con.monitor = enter;
}

bool console_is_tty(void)
{
	return con.saved;
}

void console_suspend(void)
{
	if (con.suspended)
		return;
	con.suspended = true;
	con.escape = false;
	if (!con.eof)
		loop_remove(con.loop, STDIN_FILENO);
	console_restore();
}

void console_resume(void)
{
	if (!con.suspended)
		return;
	con.suspended = false;
	if (con.saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &con.raw_tio);
	if (!con.eof && !loop_add(con.loop, STDIN_FILENO, POLLIN, on_stdin, NULL))
		flush_to_uart();
}

int console_init(struct loop *loop, struct pl011 *uart)
{
	int ret;

	con.loop = loop;
	con.uart = uart;
	con.room_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con.room_fd < 0)
		return -errno;
	uart->rx_space = uart_room;
	ret = loop_add(loop, con.room_fd, POLLIN, on_room, NULL);
	if (!ret)
		ret = loop_add(loop, STDIN_FILENO, POLLIN, on_stdin, NULL);
	if (ret)
		return ret;
	set_raw_mode();
	return 0;
}
