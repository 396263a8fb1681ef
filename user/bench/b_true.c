/*
 * user/bench/b_true.c: the tiny static program that b_proc's fork+execve
 * benchmark runs; it only exits 0.
 */
int
main(void)
{
	return (0);
}
