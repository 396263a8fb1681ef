/*
 * gdbstub.h: a GDB remote serial protocol stub inside the kernel.
 *
 * With gdb=ttyS1 (or ttyS0) on the command line the kernel talks to gdb on
 * that serial port whenever it stops: at a breakpoint (int3, Z0/Z1), after
 * a single step, at boot with gdbwait, on a panic or fatal kernel trap,
 * and when gdb sends Ctrl-C.  For real PCs, where QEMU's own stub is not
 * there: a null-modem cable and `target remote /dev/ttyUSB0`.
 */
#ifndef _GDBSTUB_H_
#define _GDBSTUB_H_

#include <types.h>

struct trapframe;

void gdb_init(void);			/* after the IDT and the IOAPIC */
bool gdb_active(void);
/* A #BP or #DB from kernel mode; false if it is not the stub's. */
bool gdb_trap(struct trapframe *tf);
/* A fatal kernel trap, before the panic; returns when gdb continues. */
void gdb_fatal(struct trapframe *tf);
void gdb_panic(void);			/* stop in gdb, from panic */

/* A compiled-in breakpoint: stops in gdb when the stub is active. */
static inline void
gdb_breakpoint(void)
{
	__asm__ volatile("int3");
}

#endif /* !_GDBSTUB_H_ */
