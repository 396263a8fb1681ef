/*
 * dev_mem.c: the memory devices /dev/null (1,3), zero (1,5), full (1,7),
 * random (1,8) and urandom (1,9), and the kernel random generator behind
 * the last two (arc4rand, also for getrandom(2) and AT_RANDOM).
 *
 * The generator is ChaCha20 used as in FreeBSD's and OpenBSD's arc4random
 * with "fast key erasure": each request is served from a keystream under
 * the current key, then 32 more keystream bytes become the next key, so a
 * later memory dump cannot recover earlier output.  The first key comes
 * from RDRAND when the CPU has it, mixed with the TSC; every request mixes
 * in the TSC again.  Good enough for a teaching kernel; not audited, and
 * without RDRAND the seed is guessable (documented in docs/vfs.md).
 */
#include <cdev.h>
#include <file.h>
#include <kernel.h>
#include <libkern.h>
#include <spinlock.h>
#include <uio.h>
#include <vnode.h>
#ifndef HOST_TEST
#include <x86.h>
#endif

static struct spinlock rnd_lock = SPINLOCK_INIT("arc4rand");
static uint32_t rnd_key[8];	/* rnd_lock */
static uint64_t rnd_ctr;	/* rnd_lock */
static bool rnd_seeded;		/* rnd_lock */

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d) do {						\
	a += b; d ^= a; d = ROTL(d, 16);				\
	c += d; b ^= c; b = ROTL(b, 12);				\
	a += b; d ^= a; d = ROTL(d, 8);					\
	c += d; b ^= c; b = ROTL(b, 7);					\
} while (0)

static void
chacha20_block(const uint32_t key[8], uint64_t ctr, uint64_t nonce,
    uint32_t out[16])
{
	uint32_t x[16], s[16] = { 0x61707865, 0x3320646e, 0x79622d32,
		0x6b206574 };

	memcpy(&s[4], key, 32);
	s[12] = (uint32_t)ctr;
	s[13] = (uint32_t)(ctr >> 32);
	s[14] = (uint32_t)nonce;
	s[15] = (uint32_t)(nonce >> 32);
	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
}

static bool
rdrand64(uint64_t *v)
{
	uint32_t a, b, c, d;
	uint8_t ok;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 30)))
		return (false);
	for (int tries = 0; tries < 10; tries++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return (true);
	}
	return (false);
}

static void
rnd_seed(void)
{
	uint64_t v;

	for (int i = 0; i < 8; i += 2) {
		v = rdtsc() * 0x9e3779b97f4a7c15ULL;
		uint64_t r;
		if (rdrand64(&r))
			v ^= r;
		rnd_key[i] ^= (uint32_t)v;
		rnd_key[i + 1] ^= (uint32_t)(v >> 32);
	}
	rnd_seeded = true;
}

void
arc4rand(void *buf, size_t n)
{
	uint32_t blk[16];
	uint64_t nonce;
	char *p = buf;

	spin_lock(&rnd_lock);
	if (!rnd_seeded)
		rnd_seed();
	nonce = rdtsc();
	while (n > 0) {
		size_t c = MIN(n, sizeof(blk));

		chacha20_block(rnd_key, rnd_ctr++, nonce, blk);
		memcpy(p, blk, c);
		p += c;
		n -= c;
	}
	/* Fast key erasure: the next key is fresh keystream. */
	chacha20_block(rnd_key, rnd_ctr++, nonce, blk);
	memcpy(rnd_key, blk, sizeof(rnd_key));
	memset(blk, 0, sizeof(blk));
	spin_unlock(&rnd_lock);
}

enum { MEM_NULL = 3, MEM_ZERO = 5, MEM_FULL = 7, MEM_RANDOM = 8,
	MEM_URANDOM = 9 };

static int
mem_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	char buf[256];
	int error = 0;

	if (dev->si_unit == MEM_NULL)
		return (0);
	while (uio->uio_resid > 0 && error == 0) {
		size_t n = MIN(sizeof(buf), (size_t)uio->uio_resid);

		if (dev->si_unit == MEM_RANDOM || dev->si_unit == MEM_URANDOM)
			arc4rand(buf, n);
		else
			memset(buf, 0, n);
		error = uiomove(buf, n, uio);
	}
	return (error);
}

static int
mem_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	if (dev->si_unit == MEM_FULL)
		return (uio->uio_resid > 0 ? -ENOSPC : 0);
	/* Swallow everything; random input is not credited. */
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	return (0);
}

static const struct cdevsw mem_cdevsw = {
	.d_name = "mem",
	.d_read = mem_read,
	.d_write = mem_write,
	.d_flags = D_SEEKABLE,
};

void dev_mem_init(void);

void
dev_mem_init(void)
{
	static const struct { int minor; const char *name; } devs[] = {
		{ MEM_NULL, "null" }, { MEM_ZERO, "zero" },
		{ MEM_FULL, "full" }, { MEM_RANDOM, "random" },
		{ MEM_URANDOM, "urandom" },
	};

	for (size_t i = 0; i < nitems(devs); i++)
		if (make_dev(&mem_cdevsw, devs[i].minor,
		    makedev(1, devs[i].minor), 0666, devs[i].name) == NULL)
			printk(KERN_WARNING "devfs: cannot make /dev/%s\n",
			    devs[i].name);
}
