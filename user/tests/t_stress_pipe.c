/*
 * t_stress_pipe.c: 1,000 processes passing data through pipes.
 *
 * The processes form a chain: process i reads a token from pipe i, adds
 * one to its counter, checks and rewrites a 512-byte payload, and writes
 * it to pipe i+1; the parent feeds pipe 0 and reads the last pipe.  Three
 * rounds must come back with the counter at 1,000 more each time and the
 * payload intact.  Closing the first pipe then ends the chain: each
 * process sees end of file, exits and closes its writer, and all 1,000
 * are reaped.  Afterwards the system is usable (a fork works).
 */
#include <signal.h>
#include <sys/wait.h>

#include "t.h"

#define NPROC	1000
#define ROUNDS	3

struct token {
	unsigned long count;
	unsigned char data[512];
};

static int
readall(int fd, void *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)b + got, n - got);

		if (r <= 0)
			return (-1);
		got += (size_t)r;
	}
	return (0);
}

static void
relay(int in, int out, int idx)
{
	struct token t;

	while (readall(in, &t, sizeof(t)) == 0) {
		for (size_t i = 0; i < sizeof(t.data); i++)
			if (t.data[i] != (unsigned char)(t.count + i))
				_exit(3);
		t.count++;
		for (size_t i = 0; i < sizeof(t.data); i++)
			t.data[i] = (unsigned char)(t.count + i);
		if (write(out, &t, sizeof(t)) != (ssize_t)sizeof(t))
			_exit(4);
	}
	_exit(0);
}

int
main(void)
{
	int first[2], prev, next[2], made = 0, reaped = 0, bad = 0, st;
	struct token t;
	pid_t pid;

	t_init();
	signal(SIGPIPE, SIG_IGN);
	if (pipe(first) != 0) {
		t_fail("pipe", "%s", strerror(errno));
		return (t_done());
	}
	prev = first[0];
	for (int i = 0; i < NPROC; i++) {
		if (pipe(next) != 0)
			break;
		pid = fork();
		if (pid == 0) {
			close(first[1]);
			close(next[0]);
			relay(prev, next[1], i);
		}
		close(prev);
		close(next[1]);
		prev = next[0];
		if (pid < 0) {
			close(prev);
			break;
		}
		made++;
	}
	CHECK_EQ("processes in the chain", made, NPROC);
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < sizeof(t.data); i++)
		t.data[i] = (unsigned char)i;
	for (int r = 0; r < ROUNDS && made == NPROC; r++) {
		unsigned long want = t.count + NPROC;

		if (write(first[1], &t, sizeof(t)) != (ssize_t)sizeof(t) ||
		    readall(prev, &t, sizeof(t)) != 0 || t.count != want) {
			bad = 1;
			break;
		}
		for (size_t i = 0; i < sizeof(t.data); i++)
			if (t.data[i] != (unsigned char)(t.count + i))
				bad = 1;
		for (size_t i = 0; i < sizeof(t.data); i++)
			t.data[i] = (unsigned char)(t.count + i);
	}
	CHECK("three rounds through the chain, counter and data right",
	    !bad && made == NPROC && t.count == (unsigned long)ROUNDS * NPROC);
	close(first[1]);
	close(prev);
	while ((pid = wait(&st)) > 0) {
		reaped++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	}
	CHECK_EQ("all reaped after the first pipe closed", reaped, made);
	CHECK("every relay exited 0", !bad);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK("fork works afterwards", pid > 0 && waitpid(pid, &st, 0) == pid);
	return (t_done());
}
