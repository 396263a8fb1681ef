/*
 * fuzz.h: what the system call fuzzer's parent (fuzz.c) and its workers
 * (fuzz_worker.c) share: the list of calls, the shared log each worker
 * writes and the parent reads, and the seeded random numbers.
 */
#ifndef _FUZZ_H_
#define _FUZZ_H_

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NWORKERS_MAX	16
#define RING		64
#define GEN_CALLS	4000	/* calls per generation at most */
#define GEN_MS		3000	/* and milliseconds */
#define CHILD_CALLS	24	/* calls a forked child makes */
#define BUFSZ		65536
#define ARENA_PAGES	256
#define PG		4096UL
#define PAGE_SLACK	16	/* free pages a check may find missing */
#define WARMUP_MS	4000	/* fuzzing before the baseline is read */
#define POKE_SIG	SIGURG	/* breaks a blocked worker's call */
#define POKE_US		1000	/* the parent's loop: signals, stuck workers */
#define PENDING		((int64_t)0x7eadbeefcafe0000LL)

/* ---- the list of calls (fuzz_worker.c) ---- */

struct sc {
	int nr;
	const char *name;
	const char *args;	/* one letter per argument, see gen_arg */
};

extern struct sc calls[];
extern const size_t ncalls;
#define NCALLS_MAX	512
extern int only[NCALLS_MAX], nonly;	/* -o: these calls only */
void fuzz_init_calls(void);		/* attach the argument specs */

/* ---- shared log ---- */

struct rec {
	uint32_t seq;
	int32_t pid;
	int32_t nr;
	uint64_t a[6];
	int64_t ret;
};

struct slot {
	volatile pid_t pid;
	volatile uint32_t gen;
	volatile uint64_t calls;	/* total over generations */
	volatile uint32_t seq;
	volatile uint32_t wseq;		/* the worker's call in progress, 0:
					 * none (its children log here too) */
	volatile int32_t kleak;		/* 1 + nr of a call that returned a
					 * kernel-half address, or 0 */
	volatile uint64_t kleak_ret;
	struct rec ring[RING];
};

extern struct slot *slots;	/* NWORKERS_MAX, shared with the workers */
extern uint64_t seed;
extern int nworkers;
extern int verbose;
extern char self_path[128];	/* this program, the execve target */

/* ---- random numbers (xorshift64*, seeded by splitmix64) ---- */

extern uint64_t rs;		/* the generator's state */

static inline uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

static inline uint64_t
rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (rs * 2685821657736338717ULL);
}

static inline uint64_t
rn(uint64_t n)
{
	return (n == 0 ? 0 : rnd() % n);
}

static inline int
pct(int p)
{
	return ((int)rn(100) < p);
}

/* ---- the 9P share (fuzz_9p.c) ---- */

#define P9_MNT		"/tmp/fuzz9p"
extern char p9_aname[256];	/* -9 ANAME: the export; "" = no 9P */
extern int p9_mounted;
void p9_start(void);
void p9_tend(void);
void p9_quiesce(void);
void p9_resume(void);
void p9_report(void);
void p9_worker_paths(int w, char (*paths)[128], int *npaths, int maxpaths,
    int *fds, int *nfds);

void *guarded(size_t size, int shared);
void umount_under(const char *dir, int self);	/* fuzz.c */
uint64_t now_ms(void);
void worker(int w, uint32_t gen) __attribute__((noreturn));

#endif /* !_FUZZ_H_ */
