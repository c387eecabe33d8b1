// SPDX-License-Identifier: GPL-3.0-or-later
/* The monitor prompt on the terminal: GNU readline's callback interface, fed by the main
 * loop when stdin is readable, so that gdb, the vCPUs and the guest keep being served while
 * the user types. Ctrl-A c switches between the guest console and the prompt (as in QEMU);
 * the guest's output is held meanwhile (console_hold()) and printed when the console is
 * back. History lives in $HOME/.minivmm_history: read at start, appended at exit; a history
 * that cannot be read or written is no error (the prompt works without). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* readline's headers declare K&R-style function types (rltypedefs.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <readline/history.h>
#include <readline/readline.h>
#pragma GCC diagnostic pop

#include "config.h"
#include "console.h"
#include "log.h"
#include "loop.h"
#include "src/monitor_internal.h"

#define PROMPT "(minivmm) "
#define HISTORY_MAX 1000

static struct {
	struct loop *loop;
	bool ready;         /* stdin is a terminal and readline is set up */
	bool up;            /* the prompt has the terminal */
	bool leave;         /* a key asked to go back to the guest console */
	char history[4096]; /* "" without HOME */
	bool history_exists;
	int added;                 /* lines added since start */
	char before[MON_LINE_MAX]; /* completion: the line before the word */
} tty;

static void tty_print(void *ctx, const char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
}

static void leave(void)
{
	tty.up = false;
	tty.leave = false;
	loop_remove(tty.loop, STDIN_FILENO);
	rl_callback_handler_remove(); /* the terminal as it was when the prompt came up */
	fputs("\n", stdout);
	fflush(stdout);
	console_resume();
	console_hold(false);
}

static void add_to_history(const char *line)
{
	HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;

	if (!*line || (last && !strcmp(last->line, line)))
		return;
	add_history(line);
	tty.added++;
}

static void on_line(char *line)
{
	static const struct mon_out out = { tty_print, NULL };

	if (!line) { /* Ctrl-D on an empty line, or the end of input */
		leave();
		return;
	}
	add_to_history(line);
	mon_exec(line, &out);
	fflush(stdout);
	free(line);
	if (tty.loop->quit) /* quit: no new prompt */
		rl_callback_handler_remove();
}

static void on_input(void *opaque, int fd, unsigned int revents)
{
	rl_callback_read_char();
	if (tty.leave && tty.up)
		leave();
}

/* Ctrl-A c and Ctrl-A x at the prompt, as on the guest console. Acting here, inside
 * readline's key dispatch, would pull the terminal from under it: just note it. */
static int key_console(int count, int key)
{
	tty.leave = true;
	return 0;
}

static int key_quit(int count, int key)
{
	loop_quit(tty.loop, EXIT_POWEROFF);
	tty.leave = true;
	return 0;
}

/* Ctrl-C drops the line being typed, as in a shell. */
static int key_cancel(int count, int key)
{
	fputs("^C", rl_outstream);
	rl_crlf();
	rl_replace_line("", 0);
	rl_on_new_line();
	return 0;
}

/* The terminal as the user had it, less ISIG: at the prompt Ctrl-C is a key (readline's),
 * not a SIGINT that would end minivmm and the guest with it. */
static void keys_not_signals(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_lflag &= ~ISIG;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
}

/* readline's own terminal set-up turns ISIG on (it expects to catch the signals). */
static void prep_terminal(int meta)
{
	rl_prep_terminal(meta);
	keys_not_signals();
}

static char *complete_word(const char *text, int state)
{
	static size_t pos;
	char word[64];

	if (!state)
		pos = 0;
	if (!mon_complete(mon_cmds, mon_nr_cmds, tty.before, text, &pos, word, sizeof(word)))
		return NULL;
	return strdup(word);
}

static char **complete(const char *text, int start, int end)
{
	rl_attempted_completion_over = 1; /* never host file names */
	snprintf(tty.before, sizeof(tty.before), "%.*s", start, rl_line_buffer);
	return rl_completion_matches(text, complete_word);
}

void mon_tty_enter(bool newline)
{
	if (!tty.ready || tty.up)
		return;
	console_suspend();
	keys_not_signals();
	console_hold(true);
	if (newline)
		fputs("\n", stdout);
	rl_reset_screen_size(); /* the window may have changed since (no SIGWINCH handler) */
	rl_callback_handler_install(PROMPT, on_line);
	if (loop_add(tty.loop, STDIN_FILENO, POLLIN, on_input, NULL)) {
		rl_callback_handler_remove();
		console_resume();
		console_hold(false);
		log_err("cannot open the monitor prompt: %s", strerror(ENOSPC));
		return;
	}
	tty.up = true;
}

static void enter_from_console(void)
{
	mon_tty_enter(true);
}

static void history_load(void)
{
	const char *home = getenv("HOME");
	int ret;

	stifle_history(HISTORY_MAX);
	if (!home || !*home)
		return;
	ret = snprintf(tty.history, sizeof(tty.history), "%s/.minivmm_history", home);
	if (ret < 0 || (size_t)ret >= sizeof(tty.history)) {
		tty.history[0] = '\0';
		return;
	}
	ret = read_history(tty.history);
	tty.history_exists = ret != ENOENT;
}

static void history_save(void)
{
	int ret;

	if (!tty.history[0] || !tty.added)
		return;
	if (tty.added > history_length)
		tty.added = history_length;
	/* append_history() does not create the file; write_history() does (mode 0600). */
	ret = tty.history_exists ? append_history(tty.added, tty.history)
				 : write_history(tty.history);
	if (!ret)
		ret = history_truncate_file(tty.history, HISTORY_MAX);
	if (ret)
		log_debug("history %s not saved: %s", tty.history, strerror(ret));
}

void mon_tty_init(struct loop *loop)
{
	tty.loop = loop;
	if (!console_is_tty())
		return;
	rl_readline_name = "minivmm";
	rl_instream = stdin;
	rl_outstream = stdout;
	rl_catch_signals = 0; /* SIGINT and friends are the main loop's (signalfd) */
	rl_catch_sigwinch = 0;
	rl_attempted_completion_function = complete;
	rl_prep_term_function = prep_terminal;
	rl_initialize();
	rl_bind_keyseq("\\C-ac", key_console);
	rl_bind_keyseq("\\C-ax", key_quit);
	rl_bind_keyseq("\\C-c", key_cancel);
	using_history();
	history_load();
	console_set_monitor(enter_from_console);
	tty.ready = true;
}

void mon_tty_close(void)
{
	if (!tty.ready)
		return;
	if (tty.up) {
		tty.up = false;
		rl_callback_handler_remove();
		fputs("\n", stdout);
		fflush(stdout);
	}
	console_hold(false);
	history_save();
	tty.ready = false;
}
