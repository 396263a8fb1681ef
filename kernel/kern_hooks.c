/*
 * kern_hooks.c: weak defaults for what other subsystems provide to the
 * process code, so each side builds and tests on its own.
 *
 * The signal code (kernel/kern_sig.c) replaces the signal hooks; the clock
 * code replaces `ticks`.  A strong definition elsewhere always wins.
 */
#include <clock.h>
#include <proc.h>
#include <trap.h>

__attribute__((weak)) volatile uint64_t ticks;

__attribute__((weak)) bool
sig_pending_unblocked(struct thread *td)
{
	return (false);
}

__attribute__((weak)) int
sig_sleep_intr(struct thread *td)
{
	return (0);
}

__attribute__((weak)) void
itimer_tick(void)
{
}

__attribute__((weak)) void
sigacts_copy(struct proc *dst, struct proc *src)
{
}

__attribute__((weak)) void
sigacts_free(struct proc *p)
{
}

__attribute__((weak)) void
execsigs(struct proc *p)
{
}

__attribute__((weak)) void
ast_signals(struct trapframe *tf)
{
}

__attribute__((weak)) void
psignal(struct proc *p, int sig)
{
}

__attribute__((weak)) void
pgsignal(struct pgrp *pg, int sig)
{
}

/* The cpu code's user-memory copies; until linked, every copy faults. */
__attribute__((weak)) int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	return (-14);	/* EFAULT */
}

__attribute__((weak)) int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	return (-14);
}

__attribute__((weak)) int
copyinstr(const void *uaddr, char *kaddr, size_t len, size_t *done)
{
	return (-14);
}
