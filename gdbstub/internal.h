/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the gdbstub/ files share and nobody else sees: the session struct, the reply builder
 * and the parsed packet arguments handed to each command handler. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdbstub/gdbstub.h"
#include "gdbstub/rsp.h"

enum gdb_state {
	GDB_STOPPED,  /* gdb may inspect and resume */
	GDB_RUNNING,  /* resumed: only ^C until gdb_notify_stop() */
	GDB_EXITED,   /* the guest is gone (W/X sent or remembered) */
	GDB_FINISHED, /* after D or k, or a dropped connection: input is ignored */
};

/* Thread ids as parsed: -1 = all threads, 0 = any thread, else a thread (target.h). */
#define GDB_TID_ALL (-1)
#define GDB_TID_ANY 0

struct gdb_session {
	const struct gdb_target_ops *ops;
	void *opaque;
	struct gdb_io io;
	struct rsp_framer rx;
	enum gdb_state state;
	bool no_ack;                   /* QStartNoAckMode done */
	bool gdb_swbreak, gdb_hwbreak; /* gdb's qSupported took swbreak+/hwbreak+ */
	unsigned int g_cpu;            /* Hg: registers and memory */
	int64_t c_tid;                 /* Hc: -1, 0 or a thread id */
	unsigned int next_thread;      /* qsThreadInfo resumes the listing here */
	unsigned int next_symbol;      /* qSymbol: the target's next wanted symbol */
	struct gdb_stop last_stop;     /* for '?' */
	size_t tx_len;                 /* payload bytes built in out[1 ..] */
	bool tx_overflow;
	size_t out_len; /* framed length of the last packet sent, kept for a '-' */
	uint8_t in[GDB_PACKET_SIZE + 1];
	uint8_t out[GDB_PACKET_SIZE + 4]; /* '$' payload '#' c c */
	uint8_t scratch[GDB_PACKET_SIZE]; /* register and memory bytes of one packet */
};

#define GDB_MAX_ARGS 6

/* Arguments parsed by the command table's schema (see gdb_parse_args() in gdbstub.c). */
struct gdb_args {
	unsigned int n; /* how many schema fields were present */
	union {
		uint64_t x;
		int64_t tid;
		char *s;
	} v[GDB_MAX_ARGS];
	uint8_t *data; /* 'h' (decoded in place) or 'b' field */
	size_t len;
};

/* Reply builder: begin, append, send. Appends past GDB_PACKET_SIZE set tx_overflow. */
void gdb_tx_begin(struct gdb_session *s);
void gdb_tx_str(struct gdb_session *s, const char *str);
void gdb_tx_fmt(struct gdb_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gdb_tx_hex(struct gdb_session *s, const void *buf, size_t n);
/* Append n bytes binary-escaped, as many as fit; returns how many did. */
size_t gdb_tx_bin(struct gdb_session *s, const void *buf, size_t n);
/* Room left in the payload, in bytes. */
size_t gdb_tx_room(const struct gdb_session *s);
void gdb_tx_send(struct gdb_session *s);
void gdb_reply(struct gdb_session *s, const char *str);
/* Reply for error err (positive errno): empty for ENOTSUP/ENOSYS, else "E<nn>" (decimal). */
void gdb_reply_error(struct gdb_session *s, int err);
/* Log a packet going in ("<-") or out ("->"), printable characters only. */
void gdb_log_packet(struct gdb_session *s, const char *dir, const uint8_t *p, size_t n);
void gdb_log(struct gdb_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse packet text [p, end) by schema (see the command table in gdbstub.c) into a. */
int gdb_parse_args(char *p, char *end, const char *schema, struct gdb_args *a);
/* Parse a thread id: "-1" or hex; advances *p. */
int gdb_parse_tid(const char **p, const char *end, int64_t *tid);

/* Stop replies ('?', notify, vCont with nothing to run). */
void gdb_send_stop(struct gdb_session *s, const struct gdb_stop *stop);
/* Index of thread id tid if it exists and is alive, else -ESRCH; and the id of an index. */
int gdb_tid_to_cpu(struct gdb_session *s, int64_t tid);
uint64_t gdb_thread_id(struct gdb_session *s, unsigned int cpu);
bool gdb_cpu_is_alive(struct gdb_session *s, unsigned int cpu);
/* Monitor and console output as O packets. */
void gdb_print_o(void *ctx, const char *buf, size_t len);

/* For handlers that take no arguments: every handler has the table's signature. */
#define GDB_UNUSED __attribute__((unused))

/* Handlers: reply and return 0, or return -errno for gdb_dispatch() to turn into a reply. */
typedef int (*gdb_cmd_fn)(struct gdb_session *s, struct gdb_args *a);

int gdb_cmd_read_regs(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_write_regs(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_read_reg(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_write_reg(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_read_mem(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_read_mem_bin(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_write_mem(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_insert_bp(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_remove_bp(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_set_thread_g(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_set_thread_c(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_thread_alive(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_current_thread(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_thread_first(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_thread_next(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_thread_extra(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_xfer_features(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_xfer_memory_map(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_rcmd(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_offsets(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_supported(struct gdb_session *s, struct gdb_args *a);

int gdb_cmd_continue(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_continue_sig(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_step(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_step_sig(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_vcont_query(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_vcont(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_detach(struct gdb_session *s, struct gdb_args *a);
int gdb_cmd_kill(struct gdb_session *s, struct gdb_args *a);
/* Parse the actions of "vCont;..." (text after "vCont;") into r; exposed for the tests. */
int gdb_parse_vcont(struct gdb_session *s, char *text, struct gdb_resume *r);
