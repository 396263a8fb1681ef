/* hello.c: the smallest qrun check; prints one line and exits 0. */
#include <stdio.h>

int
main(void)
{
	printf("hello, world\n");
	return (0);
}
