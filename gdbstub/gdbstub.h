/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GDB Remote Serial Protocol session, one per gdb connection: event-driven, no threads, no
 * blocking and no allocation after gdb_session_new(). The VMM's poll loop feeds it the bytes
 * read from the socket; replies leave through gdb_io.write. See docs/gdbstub.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "gdbstub/target.h"

/*
 * Largest packet payload we accept and send (advertised as PacketSize). 16 KiB holds the aarch64
 * 'g' reply with FP/SIMD (x0-x30, sp, pc, cpsr, v0-v31, fpsr, fpcr: 788 bytes, 1576 hex
 * digits) ten times over, and lets one m/x packet move 8/16 KiB, so `dump memory` and
 * `x/1000i` do not crawl. SVE at the largest vector length (a 'G' near 18 KiB of hex) would
 * need 0x8000: a target with SVE keeps Z out of 'g' instead (get_g_nregs), and one Z in a 'p'
 * reply is 512 hex digits. Each session holds about 3 such buffers.
 */
#define GDB_PACKET_SIZE 0x4000

struct gdb_session;

struct gdb_io {
	/* Required: send all of buf to gdb (the VMM buffers or blocks; the stub never retries). */
	void (*write)(void *ctx, const void *buf, size_t len);
	/* Optional: one debug trace line (no newline), e.g. every packet in and out. */
	void (*log)(void *ctx, const char *msg);
	void *ctx;
};

/* A new session (the only allocation), target stopped, last stop "T05" on vCPU 0; NULL+errno. */
struct gdb_session *gdb_session_new(const struct gdb_target_ops *ops, void *opaque,
				    const struct gdb_io *io);
/* Free the session; does not touch the target (call gdb_disconnect() first). */
void gdb_session_free(struct gdb_session *s);
/* Handle bytes received from gdb: acks, packets (replies are written before it returns), ^C. */
void gdb_feed(struct gdb_session *s, const void *buf, size_t len);
/* The target stopped (or exited): if gdb waits for it, send the stop reply; always remember it. */
void gdb_notify_stop(struct gdb_session *s, const struct gdb_stop *stop);
/* The connection is gone: unless gdb sent D or k, detach the target (breakpoints out, resume). */
void gdb_disconnect(struct gdb_session *s);
/* True after c/s/vCont until the stop is notified: the target is running for gdb. */
bool gdb_is_running(const struct gdb_session *s);
/* True after D or k: the VMM should close the connection (gdb closes its side too). */
bool gdb_is_finished(const struct gdb_session *s);
