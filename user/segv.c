/* segv.c: dies by SIGSEGV (a store to address 0); qrun reports 139. */
#include <signal.h>

int
main(void)
{
	signal(SIGSEGV, SIG_DFL);
	*(volatile int *)0 = 1;
	return (0);
}
