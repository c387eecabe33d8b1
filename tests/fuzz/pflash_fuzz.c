// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer harness for the CFI flash model (devices/pflash.c) as a guest drives it: one bank
 * of 4 erase blocks (1 MiB) with a variables file behind it. The input is a list of 8-byte
 * actions: a guest read or write of 1, 2, 4 or 8 bytes at any offset (also past the bank), a
 * command byte replicated to both devices as firmware writes it, a guest reset, the file
 * starting or stopping to fail. Invariants: no access reaches past the bank's bytes; the
 * read-only slot is mapped exactly in read-array mode and set_romd() is told only changes;
 * in read-array mode a read gives the bank's bytes; what persist() is given lies in the bank
 * and is the bank's bytes, so that while the file works it holds what the guest sees; the
 * status has only the ready and error bits; a buffered program stays in its buffer. */
#include <string.h>

#include "pflash.h"
#include "tests/fuzz/fuzz.h"

#define BASE 0x04000000ull
#define SIZE (4 * PFLASH_SECTOR)
#define MAX_ACTIONS 1024

enum { ACT_READ, ACT_WRITE, ACT_COMMAND, ACT_RESET, ACT_FILE_FAILS, ACT_WRITE_WORD };

struct harness {
	struct mmio_bus bus;
	struct pflash flash;
	uint8_t array[SIZE];
	uint8_t file[SIZE]; /* the variables file: what persist() kept */
	bool romd;
	bool fails;    /* persist() returns -EIO */
	bool diverged; /* a failed persist left the file behind the bank */
};

static int fake_persist(void *opaque, uint64_t off, const void *data, uint64_t len)
{
	struct harness *h = opaque;

	FUZZ_CHECK(len > 0 && off < SIZE && len <= SIZE - off);
	FUZZ_CHECK(data == h->array + off);
	if (h->fails) {
		h->diverged = true;
		return -5;
	}
	memcpy(h->file + off, data, len);
	return 0;
}

static void fake_set_romd(void *opaque, bool readable)
{
	struct harness *h = opaque;

	FUZZ_CHECK(readable != h->romd);
	h->romd = readable;
}

static void setup(struct harness *h, uint8_t seed)
{
	const struct pflash_backing bk = { fake_persist, fake_set_romd, h };
	unsigned int i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < SIZE; i++)
		h->array[i] = (uint8_t)(i * 31 + seed);
	memcpy(h->file, h->array, SIZE);
	h->romd = true;
	FUZZ_CHECK(pflash_init(&h->flash, &h->bus, "flash", BASE, h->array, SIZE, &bk) == 0);
}

static void check(const struct harness *h)
{
	const struct pflash *f = &h->flash;

	FUZZ_CHECK(h->romd == f->readable);
	FUZZ_CHECK(f->readable == (f->cmd == 0));
	FUZZ_CHECK((f->status & ~(PFLASH_SR_READY | PFLASH_SR_ERASE_ERR | PFLASH_SR_PROGRAM_ERR)) ==
		   0);
	FUZZ_CHECK(f->words <= PFLASH_WRITE_BUFFER / PFLASH_BANK_WIDTH);
	if (f->buf_started) {
		FUZZ_CHECK(f->buf_lo <= f->buf_hi && f->buf_hi <= PFLASH_WRITE_BUFFER);
		FUZZ_CHECK(f->buf_base % PFLASH_WRITE_BUFFER == 0 &&
			   f->buf_base + PFLASH_WRITE_BUFFER <= SIZE);
	}
}

/* At the end (a whole-bank compare per action would cost 1 MiB each): while the file
 * worked, it holds what the guest sees. */
static void check_file(const struct harness *h)
{
	if (!h->diverged)
		FUZZ_CHECK(memcmp(h->file, h->array, SIZE) == 0);
}

static void access(struct harness *h, uint64_t off, unsigned int len, bool write, uint64_t value)
{
	uint8_t buf[16];
	bool readable = h->flash.readable;
	int r;

	memset(buf, 0xa5, sizeof(buf));
	memcpy(buf, &value, 8);
	r = mmio_bus_access(&h->bus, BASE + off, buf, len, write);
	FUZZ_CHECK(r == 0 || off + len > SIZE); /* only what leaves the bank is refused */
	if (write || r)
		return;
	FUZZ_CHECK(buf[len] == (len < 8 ? (uint8_t)(value >> (8 * len)) : 0xa5));
	if (readable)
		FUZZ_CHECK(memcmp(buf, h->array + off, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int lens[4] = { 1, 2, 4, 8 };
	static struct harness h;
	size_t i;

	if (size < 1)
		return 0;
	setup(&h, data[0]);
	for (i = 1; i + 8 <= size && i / 8 <= MAX_ACTIONS; i += 8) {
		const uint8_t *a = data + i;
		unsigned int kind = (a[0] & 0xf) % 6;
		/* offsets: 20 bits cover the bank, the 21st goes past it */
		uint64_t off = (a[1] | (uint64_t)a[2] << 8 | (uint64_t)(a[3] & 0x1f) << 16);
		uint32_t value;

		memcpy(&value, a + 4, 4);
		switch (kind) {
		case ACT_READ:
		case ACT_WRITE:
			access(&h, off, lens[(a[0] >> 4) & 3], kind == ACT_WRITE,
			       (uint64_t)value << 32 | value);
			break;
		case ACT_WRITE_WORD:
			access(&h, off & ~3ull, 4, true, value);
			break;
		case ACT_COMMAND: /* as U-Boot and EDK2 write them: the byte in both devices */
			access(&h, off & ~3ull, 4, true, (uint32_t)a[4] << 16 | a[4]);
			break;
		case ACT_RESET:
			pflash_reset(&h.flash);
			break;
		case ACT_FILE_FAILS:
			h.fails = a[4] & 1;
			break;
		}
		check(&h);
	}
	check_file(&h);
	return 0;
}
