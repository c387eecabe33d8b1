// SPDX-License-Identifier: GPL-3.0-or-later
/* CFI flash model (include/pflash.h). The Intel command set as QEMU's pflash_cfi01 answers
 * it for QEMU virt's banks, with these choices where QEMU's is a bug or silent:
 * - an erase happens at its confirm (0xd0), not at its first cycle;
 * - a buffered program is collected and written at its confirm, and must stay within one
 *   write block and the buffer's size, else it is dropped with a sequence error (status
 *   0x30: both error bits), where QEMU writes through or exits;
 * - a bad second cycle sets the sequence error too and returns to read-array mode;
 * - in a read mode (status, ID, CFI) any write is a new command, as on the real parts;
 * - clear status (0x50) keeps the ready bit, which is the only one that is not an error.
 * Commands are the low byte of the written value (both devices get the same one). */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "dtb.h"
#include "pflash.h"

#define SR_SEQUENCE_ERR (PFLASH_SR_ERASE_ERR | PFLASH_SR_PROGRAM_ERR)
#define ID_MANUFACTURER 0x89
#define ID_DEVICE 0x18

enum {
	CMD_READ_ARRAY = 0xff,
	CMD_READ_ARRAY_AMD = 0xf0, /* U-Boot's AMD probe: a reset here */
	CMD_PROGRAM = 0x40,
	CMD_PROGRAM_ALT = 0x10,
	CMD_ERASE = 0x20,
	CMD_ERASE_ALT = 0x28,
	CMD_CLEAR_STATUS = 0x50,
	CMD_LOCK_SETUP = 0x60,
	CMD_READ_STATUS = 0x70,
	CMD_READ_ID = 0x90,
	CMD_CFI_QUERY = 0x98,
	CMD_BUFFERED = 0xe8,
	CMD_CONFIRM = 0xd0,
	CMD_LOCK = 0x01,
};

/* The CFI table of one x16 device (JESD68 / the CFI specification's layout), as QEMU fills
 * it for these parameters: "QRY", the Intel command set with its extended table at 0x31,
 * the device's size, one region of uniform erase blocks, the write buffer. */
static void build_cfi(struct pflash *f)
{
	const unsigned int devices = PFLASH_BANK_WIDTH / PFLASH_DEVICE_WIDTH;
	const uint64_t blocks = f->size / PFLASH_SECTOR;    /* each device: half of each block */
	const uint32_t block_len = PFLASH_SECTOR / devices; /* per device */
	uint8_t *t = f->cfi;

	memset(t, 0, PFLASH_CFI_LEN);
	t[0x10] = 'Q', t[0x11] = 'R', t[0x12] = 'Y';
	t[0x13] = 0x01;                 /* primary command set: Intel/Sharp extended */
	t[0x15] = 0x31;                 /* its extended table's address */
	t[0x1b] = 0x45, t[0x1c] = 0x55; /* Vcc 4.5 V .. 5.5 V */
	t[0x1f] = 0x07, t[0x20] = 0x07, t[0x21] = 0x0a;         /* typical timeouts, 2^n us/ms */
	t[0x23] = 0x04, t[0x24] = 0x04, t[0x25] = 0x04;         /* maximum: 2^n times typical */
	t[0x27] = (uint8_t)__builtin_ctzll(blocks * block_len); /* device size: 2^n bytes */
	t[0x28] = 0x02;                                         /* x8/x16 interface */
	t[0x2a] = (uint8_t)__builtin_ctz(PFLASH_WRITE_BUFFER / devices); /* 2^n write buffer */
	t[0x2c] = 0x01;                  /* one erase block region */
	t[0x2d] = (uint8_t)(blocks - 1); /* its blocks - 1, 16 bits */
	t[0x2e] = (uint8_t)((blocks - 1) >> 8);
	t[0x2f] = (uint8_t)(block_len >> 8); /* its block size / 256, 16 bits */
	t[0x30] = (uint8_t)(block_len >> 16);
	t[0x31] = 'P', t[0x32] = 'R', t[0x33] = 'I';
	t[0x34] = '1', t[0x35] = '0'; /* extended table version 1.0 */
	t[0x3f] = 0x01;               /* protection fields */
}

/* Called with the lock held, as every helper below. */
static void set_readable(struct pflash *f, bool readable)
{
	if (f->readable == readable)
		return;
	f->readable = readable;
	if (f->bk.set_romd)
		f->bk.set_romd(f->bk.opaque, readable);
}

static void to_read_array(struct pflash *f)
{
	f->cmd = 0;
	f->wcycle = 0;
	f->words = 0;
	set_readable(f, true);
}

static void persist(struct pflash *f, uint64_t off, uint64_t len, uint8_t err_bit)
{
	if (f->bk.persist && f->bk.persist(f->bk.opaque, off, f->array + off, len))
		f->status |= err_bit;
}

/* One device's answer replicated across the bank, as its bytes at bank offset off. */
static uint8_t replicated(uint16_t device_word, uint64_t off)
{
	return (uint8_t)(device_word >> (8 * (off % PFLASH_DEVICE_WIDTH)));
}

/* Byte off of the bank as the guest reads it in the current mode. Query and ID addresses
 * count device words: with two x16 devices side by side, item i sits at bank offset 4 * i. */
static uint8_t read_byte(struct pflash *f, uint64_t off)
{
	uint64_t item = off / PFLASH_BANK_WIDTH;

	switch (f->cmd) {
	case 0:
		return f->array[off];
	case CMD_CFI_QUERY:
		return replicated(item < PFLASH_CFI_LEN ? f->cfi[item] : 0, off);
	case CMD_READ_ID: /* 0: manufacturer, 1: device; 2 (block lock status) and the rest 0 */
		return replicated((item & 0xff) == 0   ? ID_MANUFACTURER
				  : (item & 0xff) == 1 ? ID_DEVICE
						       : 0,
				  off);
	default: /* every other command reads the status */
		return replicated(f->status, off);
	}
}

static int pflash_read(void *opaque, uint64_t off, void *data, unsigned int len)
{
	struct pflash *f = opaque;
	uint8_t *out = data;
	unsigned int i;

	pthread_mutex_lock(&f->lock);
	for (i = 0; i < len; i++)
		out[i] = off + i < f->size ? read_byte(f, off + i) : 0;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static void erase(struct pflash *f, uint64_t off)
{
	uint64_t start = off & ~(uint64_t)(PFLASH_SECTOR - 1);

	memset(f->array + start, 0xff, PFLASH_SECTOR);
	persist(f, start, PFLASH_SECTOR, PFLASH_SR_ERASE_ERR);
}

/* A buffered program's data cycle: collect it, if it stays in the first word's block. */
static bool buffer_data(struct pflash *f, uint64_t off, const uint8_t *v, unsigned int len)
{
	uint64_t lo, hi;

	if (!f->buf_started) {
		/* The buffer starts as the array's bytes: unwritten ones keep them. */
		f->buf_base = off & ~(uint64_t)(PFLASH_WRITE_BUFFER - 1);
		if (f->buf_base + PFLASH_WRITE_BUFFER > f->size)
			return false;
		memcpy(f->buf, f->array + f->buf_base, PFLASH_WRITE_BUFFER);
		f->buf_lo = off - f->buf_base;
		f->buf_hi = f->buf_lo;
		f->buf_started = true;
	}
	if (off < f->buf_base || off + len > f->buf_base + PFLASH_WRITE_BUFFER)
		return false;
	lo = off - f->buf_base;
	hi = lo + len;
	memcpy(f->buf + lo, v, len);
	f->buf_lo = lo < f->buf_lo ? lo : f->buf_lo;
	f->buf_hi = hi > f->buf_hi ? hi : f->buf_hi;
	return true;
}

static void sequence_error(struct pflash *f)
{
	f->status |= SR_SEQUENCE_ERR;
	to_read_array(f);
}

static void first_cycle(struct pflash *f, uint8_t cmd)
{
	switch (cmd) {
	case 0x00:
	case CMD_READ_ARRAY:
	case CMD_READ_ARRAY_AMD:
		to_read_array(f);
		return;
	case CMD_CLEAR_STATUS:
		f->status = PFLASH_SR_READY;
		to_read_array(f);
		return;
	case CMD_READ_STATUS:
	case CMD_READ_ID:
	case CMD_CFI_QUERY:
		f->cmd = cmd;
		f->wcycle = 0;
		break;
	case CMD_BUFFERED:
		f->buf_started = false;
		f->status |= PFLASH_SR_READY; /* the buffer is free */
					      /* fall through */
	case CMD_PROGRAM:
	case CMD_PROGRAM_ALT:
	case CMD_ERASE:
	case CMD_ERASE_ALT:
	case CMD_LOCK_SETUP:
		f->cmd = cmd;
		f->wcycle = 1;
		break;
	default: /* unknown: ignored, as QEMU does, back to read array */
		to_read_array(f);
		return;
	}
	set_readable(f, false);
}

/* The second cycle of an erase or a lock setup: the confirm ends it (true: do it; the
 * status is ready and reads give it), read array cancels it, anything else is a sequence
 * error. */
static bool second_cycle(struct pflash *f, bool confirmed, uint8_t cmd)
{
	if (confirmed) {
		f->status |= PFLASH_SR_READY;
		f->wcycle = 0;
		return true;
	}
	if (cmd == CMD_READ_ARRAY)
		to_read_array(f);
	else
		sequence_error(f);
	return false;
}

static void write_cycle(struct pflash *f, uint64_t off, const uint8_t *v, unsigned int len)
{
	uint8_t cmd = v[0];

	if (f->wcycle == 0) {
		first_cycle(f, cmd);
		return;
	}
	switch (f->cmd) {
	case CMD_PROGRAM:
	case CMD_PROGRAM_ALT: /* the data, written as given (QEMU's, not NOR's AND) */
		memcpy(f->array + off, v, len);
		persist(f, off, len, PFLASH_SR_PROGRAM_ERR);
		f->status |= PFLASH_SR_READY;
		f->wcycle = 0; /* reads give the status until the next command */
		return;
	case CMD_ERASE:
	case CMD_ERASE_ALT:
		if (second_cycle(f, cmd == CMD_CONFIRM, cmd))
			erase(f, off);
		return;
	case CMD_LOCK_SETUP: /* lock (0x01) and unlock (0xd0) succeed and change nothing */
		second_cycle(f, cmd == CMD_CONFIRM || cmd == CMD_LOCK, cmd);
		return;
	case CMD_BUFFERED:
		if (f->wcycle == 1) { /* the count: words - 1, per device (16 bits) */
			uint32_t n = (uint32_t)(v[0] | (len > 1 ? v[1] << 8 : 0)) + 1;

			if (n > PFLASH_WRITE_BUFFER / PFLASH_BANK_WIDTH) {
				sequence_error(f);
				return;
			}
			f->words = n;
			f->wcycle = 2;
		} else if (f->wcycle == 2) {
			if (!buffer_data(f, off, v, len)) {
				sequence_error(f);
				return;
			}
			if (--f->words == 0)
				f->wcycle = 3;
		} else if (cmd == CMD_CONFIRM) {
			uint64_t at = f->buf_base + f->buf_lo;

			memcpy(f->array + at, f->buf + f->buf_lo, f->buf_hi - f->buf_lo);
			persist(f, at, f->buf_hi - f->buf_lo, PFLASH_SR_PROGRAM_ERR);
			f->status |= PFLASH_SR_READY;
			f->wcycle = 0;
		} else {
			sequence_error(f);
		}
		return;
	default:
		sequence_error(f);
	}
}

static int pflash_write(void *opaque, uint64_t off, const void *data, unsigned int len)
{
	struct pflash *f = opaque;
	const uint8_t *v = data;

	if (off >= f->size || len > f->size - off)
		return 0; /* outside the bank: ignored */
	pthread_mutex_lock(&f->lock);
	if (len == 8) { /* two bus cycles, low word first */
		write_cycle(f, off, v, 4);
		write_cycle(f, off + 4, v + 4, 4);
	} else {
		write_cycle(f, off, v, len);
	}
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int add_bank_width(void *fdt, void *opaque)
{
	return fdt_property_u32(fdt, "bank-width", PFLASH_BANK_WIDTH);
}

/* QEMU virt's node (hw/arm/virt.c, virt_flash_fdt): "cfi-flash", bank-width 4; with
 * pflash_join(), one node for both banks. */
static void pflash_describe(void *opaque, struct dtb_device *d)
{
	const struct pflash *f = opaque;

	d->compatible[0] = "cfi-flash";
	if (f->second) {
		d->base2 = f->second->base;
		d->size2 = f->second->size;
	}
	d->add_props = add_bank_width;
	d->opaque = opaque;
}

static const struct mmio_ops pflash_ops = {
	.read = pflash_read,
	.write = pflash_write,
};

int pflash_init(struct pflash *f, struct mmio_bus *bus, const char *name, gpa_t base,
		uint8_t *array, uint64_t size, const struct pflash_backing *bk)
{
	memset(f, 0, sizeof(*f));
	if (!size || size % PFLASH_SECTOR || size > (1ull << 32) || !array)
		return -EINVAL;
	pthread_mutex_init(&f->lock, NULL);
	f->array = array;
	f->size = size;
	if (bk)
		f->bk = *bk;
	f->status = PFLASH_SR_READY;
	f->readable = true;
	build_cfi(f);
	f->region = (struct mmio_region){ .name = name,
					  .base = base,
					  .size = size,
					  .ops = &pflash_ops,
					  .opaque = f,
					  .describe = pflash_describe };
	return mmio_bus_register(bus, &f->region);
}

void pflash_join(struct pflash *first, struct pflash *second)
{
	first->second = &second->region;
	second->region.describe = NULL;
}

void pflash_reset(struct pflash *f)
{
	pthread_mutex_lock(&f->lock);
	f->status = PFLASH_SR_READY;
	to_read_array(f);
	pthread_mutex_unlock(&f->lock);
}

bool pflash_readable(struct pflash *f)
{
	bool r;

	pthread_mutex_lock(&f->lock);
	r = f->readable;
	pthread_mutex_unlock(&f->lock);
	return r;
}
