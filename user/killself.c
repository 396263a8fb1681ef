/* killself.c: dies by SIGKILL sent to itself; qrun reports 137. */
#include <signal.h>
#include <unistd.h>

int
main(void)
{
	kill(getpid(), SIGKILL);
	pause();
	return (0);
}
