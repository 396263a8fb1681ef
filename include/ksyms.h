/*
 * ksyms.h: the kernel's own symbol table, for symbolized backtraces.
 *
 * The Makefile links the kernel twice; the second link carries a table of
 * every text symbol of the first (tools/mksyms), sorted by address.
 */
#ifndef _KSYMS_H_
#define _KSYMS_H_

#include <types.h>

/* Name of the function containing addr and the offset into it, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* Address of a symbol by name, or 0. */
uint64_t ksym_addr(const char *name);
/* Print a frame-pointer backtrace starting at rbp (0: from the caller). */
void backtrace_print(uint64_t rip, uint64_t rbp);

#endif /* !_KSYMS_H_ */
