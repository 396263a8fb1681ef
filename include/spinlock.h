/*
 * spinlock.h: spin locks that disable interrupts while held.
 *
 * Mica runs on one CPU today, so a spin lock never actually spins against
 * another CPU; what it does now is keep interrupt handlers out of the
 * critical section and give every shared field a named guard that asserts
 * can check (spin_owned).  Interrupt state nests: the flags of the
 * outermost acquisition are restored by its release.
 */
#ifndef _SPINLOCK_H_
#define _SPINLOCK_H_

#include <types.h>

struct spinlock {
	volatile uint32_t sl_locked;
	const char *sl_name;
};

#define SPINLOCK_INIT(name) { 0, (name) }

void spin_init(struct spinlock *sl, const char *name);
void spin_lock(struct spinlock *sl);
void spin_unlock(struct spinlock *sl);
bool spin_owned(const struct spinlock *sl);

/* Interrupt disabling that nests (pushcli/popcli in xv6). */
void intr_disable_push(void);
void intr_disable_pop(void);
int intr_nesting(void);
/* Across a context switch (kernel/sched.c). */
bool intr_state_save(void);
void intr_state_restore(bool on);

#endif /* !_SPINLOCK_H_ */
