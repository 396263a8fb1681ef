/*
 * kern_random.c: the kernel's random numbers, for getrandom(2) and
 * AT_RANDOM (named after FreeBSD's arc4random_buf).
 *
 * A xoshiro256** generator seeded at first use from RDRAND (when the CPU
 * has it) and the TSC, and stirred with the TSC on every call.  Good
 * enough for stack canaries and hash seeds in a teaching kernel; not a
 * cryptographic generator.
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <procsys.h>
#include <spinlock.h>
#include <trap.h>
#include <uapi/errno.h>
#include <x86.h>

static struct spinlock random_lock = SPINLOCK_INIT("random");
static uint64_t rs[4];			/* random_lock */
static bool seeded;			/* random_lock */

static uint64_t
rotl(uint64_t x, int k)
{
	return ((x << k) | (x >> (64 - k)));
}

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static bool
rdrand64(uint64_t *v)
{
	uint32_t a, b, c, d;
	uint8_t ok;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 30)))
		return (false);
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return (ok != 0);
}

static uint64_t
random_next(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return (r);
}

void
arc4random_buf(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint64_t seed, v;

	spin_lock(&random_lock);
	if (!seeded) {
		seed = rdtsc();
		if (rdrand64(&v))
			seed ^= v;
		for (int i = 0; i < 4; i++)
			rs[i] = splitmix(&seed);
		seeded = true;
	}
	rs[0] ^= rdtsc();
	while (n > 0) {
		v = random_next();
		for (int i = 0; i < 8 && n > 0; i++, n--)
			*p++ = (uint8_t)(v >> (8 * i));
	}
	spin_unlock(&random_lock);
}

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

/*
 * getrandom(2): fill buf with len random bytes (at most 32 MiB - 1 per
 * call, as Linux); never blocks, so GRND_NONBLOCK and GRND_RANDOM change
 * nothing.  Returns the byte count; EINVAL: unknown flags or both
 * GRND_RANDOM and GRND_INSECURE; EFAULT: bad buf.
 */
long
sys_getrandom(void *buf, size_t len, unsigned int flags)
{
	uint8_t chunk[256];
	size_t done = 0, n;
	int error;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return (-EINVAL);
	if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
		return (-EINVAL);
	if (len > 0x1ffffff)
		len = 0x1ffffff;
	while (done < len) {
		n = MIN(len - done, sizeof(chunk));
		arc4random_buf(chunk, n);
		if ((error = copyout(chunk, (char *)buf + done, n)) != 0)
			return (done > 0 ? (long)done : error);
		done += n;
	}
	return ((long)done);
}
