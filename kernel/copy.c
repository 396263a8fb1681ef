/*
 * copy.c: copyin, copyout and copyinstr, the checked doors to user memory.
 *
 * A user range must lie wholly below VM_MAXUSER_ADDRESS and must not wrap
 * around 2^64; anything else is -EFAULT before a byte is touched, so a
 * program can never make the kernel read or write kernel memory for it.
 * Inside the range, a page that is not there is paged in by vm_fault from
 * the page-fault handler; a page that cannot be is -EFAULT, never a panic
 * (trap.c resumes at the recovery point kept in curthread->td_onfault, or
 * in a global slot when no thread runs yet).  The instructions that touch
 * user memory are in support.asm.
 */
#include <kernel.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_param.h>

int copy_user_bytes(void *dst, const void *src, size_t len, void **onfault);
long copy_user_str(char *dst, const char *src, size_t max, void **onfault);
void **trap_onfault_slot(void);

/* Is [uaddr, uaddr + len) a user range? */
static bool
user_range(const void *uaddr, size_t len)
{
	uint64_t start = (uint64_t)uaddr, end = start + len;

	return (end >= start && end <= VM_MAXUSER_ADDRESS);
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (len == 0)
		return (0);
	if (!user_range(uaddr, len))
		return (-EFAULT);
	return (copy_user_bytes(kaddr, uaddr, len, trap_onfault_slot()));
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (len == 0)
		return (0);
	if (!user_range(uaddr, len))
		return (-EFAULT);
	return (copy_user_bytes(uaddr, kaddr, len, trap_onfault_slot()));
}

/*
 * Copy a NUL-terminated string of at most len bytes (NUL included).
 * Returns 0 and the length with the NUL in *done, -ENAMETOOLONG when no
 * NUL came within len bytes, or -EFAULT.
 */
int
copyinstr(const void *uaddr, char *kaddr, size_t len, size_t *done)
{
	uint64_t u = (uint64_t)uaddr;
	size_t max = len;
	long n;

	if (done != NULL)
		*done = 0;
	if (len == 0)
		return (-ENAMETOOLONG);
	if (u >= VM_MAXUSER_ADDRESS)
		return (-EFAULT);
	if (max > VM_MAXUSER_ADDRESS - u)
		max = VM_MAXUSER_ADDRESS - u;
	n = copy_user_str(kaddr, uaddr, max, trap_onfault_slot());
	if (n < 0)
		return ((int)n);
	if (n == 0) {
		kaddr[len - 1] = '\0';
		if (done != NULL)
			*done = max;
		/* Ran into the end of user space before the NUL. */
		return (max < len ? -EFAULT : -ENAMETOOLONG);
	}
	if (done != NULL)
		*done = n;
	return (0);
}
