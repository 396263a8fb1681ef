/*
 * spinlock.c: interrupt-disabling spin locks and nested cli/sti.
 *
 * intr_disable_push remembers whether interrupts were on at the outermost
 * push; the matching outermost pop turns them back on only then.  A lock
 * taken twice, or released when not held, is a panic: on one CPU either is
 * a sure deadlock or a bug.
 */
#include <kernel.h>
#include <spinlock.h>
#include <x86.h>

static int intr_depth;		/* interrupts off */
static bool intr_were_on;	/* interrupts off */

void
intr_disable_push(void)
{
	uint64_t f = read_rflags();

	disable_intr();
	if (intr_depth++ == 0)
		intr_were_on = (f & PSL_I) != 0;
}

void
intr_disable_pop(void)
{
	KASSERT((read_rflags() & PSL_I) == 0, "interrupts on inside push");
	KASSERT(intr_depth > 0, "unbalanced intr_disable_pop");
	if (--intr_depth == 0 && intr_were_on)
		enable_intr();
}

int
intr_nesting(void)
{
	return (intr_depth);
}

void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_name = name;
}

void
spin_lock(struct spinlock *sl)
{
	intr_disable_push();
	if (sl->sl_locked)
		panic("spin_lock: %s already held", sl->sl_name);
	while (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) != 0)
		__asm__ volatile("pause");
}

void
spin_unlock(struct spinlock *sl)
{
	if (!sl->sl_locked)
		panic("spin_unlock: %s not held", sl->sl_name);
	__atomic_store_n(&sl->sl_locked, 0, __ATOMIC_RELEASE);
	intr_disable_pop();
}

bool
spin_owned(const struct spinlock *sl)
{
	return (sl->sl_locked != 0);
}

/*
 * The saved interrupt state belongs to the thread that did the outermost
 * push: mi_switch saves it before switching and restores it after, like
 * xv6's intena.
 */
bool
intr_state_save(void)
{
	return (intr_were_on);
}

void
intr_state_restore(bool on)
{
	intr_were_on = on;
}
