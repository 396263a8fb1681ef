/*
 * copy_test.c: self tests of copyin/copyout/copyinstr's address checks
 * and fault recovery.
 *
 * Kernel addresses, ranges that reach the top of user space or wrap past
 * 2^64, and user addresses with nothing mapped must all give -EFAULT
 * without touching the kernel buffer -- and without a panic.
 */
#include <kernel.h>
#include <ktest.h>
#include <libkern.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_param.h>

#define UNMAPPED_UVA	0x0000100000000000UL	/* no PML4 entry */

KTEST(copyin_kernel_address_efault)
{
	uint64_t buf = 0x1234;
	static uint64_t secret = 0xdeadbeef;

	KT_EQ(copyin((void *)KERNBASE, &buf, 8), -EFAULT);
	KT_EQ(copyin(&secret, &buf, 8), -EFAULT);
	KT_EQ(copyin(PHYS_TO_DMAP(0x1000), &buf, 8), -EFAULT);
	KT_EQ(buf, 0x1234);
	KT_EQ(copyout(&buf, &secret, 8), -EFAULT);
	KT_EQ(secret, 0xdeadbeef);
}

KTEST(copyin_range_wrap_or_top_efault)
{
	uint64_t buf = 0x1234;

	/* Wraps past 2^64. */
	KT_EQ(copyin((void *)0x1000, &buf, (size_t)-0x800), -EFAULT);
	KT_EQ(copyin((void *)0xfffffffffffff000UL, &buf, 0x2000), -EFAULT);
	/* Reaches past the top of user space. */
	KT_EQ(copyin((void *)(VM_MAXUSER_ADDRESS - 4), &buf, 8), -EFAULT);
	KT_EQ(copyout(&buf, (void *)(VM_MAXUSER_ADDRESS - 4), 8), -EFAULT);
	KT_EQ(buf, 0x1234);
	/* Zero bytes: nothing to check, nothing to do. */
	KT_EQ(copyin((void *)KERNBASE, &buf, 0), 0);
}

KTEST(copyin_unmapped_user_efault)
{
	uint64_t buf = 0x1234;
	char s[16];
	size_t done = 99;

	KT_EQ(copyin((void *)UNMAPPED_UVA, &buf, 8), -EFAULT);
	KT_EQ(buf, 0x1234);
	KT_EQ(copyout(&buf, (void *)(UNMAPPED_UVA + 4), 8), -EFAULT);
	KT_EQ(copyinstr((void *)UNMAPPED_UVA, s, sizeof(s), &done), -EFAULT);
	/* The recovery point was cleared: a later fault is a real one. */
	KT_ASSERT(*trap_onfault_slot() == NULL);
}

KTEST(copyinstr_bounds)
{
	char s[8];
	size_t done = 99;

	KT_EQ(copyinstr((void *)KERNBASE, s, sizeof(s), &done), -EFAULT);
	KT_EQ(done, 0);
	KT_EQ(copyinstr((void *)(VM_MAXUSER_ADDRESS), s, sizeof(s), &done),
	    -EFAULT);
	KT_EQ(copyinstr((void *)0x1000, s, 0, &done), -ENAMETOOLONG);
}
