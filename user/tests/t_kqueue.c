/*
 * t_kqueue.c: kqueue(2) and kevent(2) on descriptors -- EVFILT_READ and
 * EVFILT_WRITE on pipes, files and devices, EVFILT_VNODE on ramfs files
 * and directories, every EV_* flag, the errors
 * the manual page lists, kqueue on kqueue, and the lifetime rules
 * (closing a descriptor drops its knotes; a kqueue is not inherited).
 *
 * Expected values are FreeBSD's kqueue(2): "data contains the number of
 * bytes of protocol data available to read" (pipes), "the amount of space
 * remaining in the write buffer" (Mica's pipe holds 64 KiB, as Linux's),
 * "the offset from current position to end of file" (vnodes), "the number
 * of events pending" (a kqueue).  Per-change errors: "the error will be
 * returned as an event ... with EV_ERROR set in flags and the system
 * error in data" when there is room, else kevent fails with the errno.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kq.h"

#define PIPE_CAPACITY	65536

static void
test_pipe_read(void)
{
	struct kevent ev[4];
	int kq = kqueue(), p[2], n;
	char buf[64];

	pipe(p);
	CHECK_EQ("read-add", kq_change(kq, p[0], EVFILT_READ, EV_ADD, 0, 0,
	    (void *)0x1234), 0);
	CHECK_EQ("read-empty-no-event", kq_poll(kq, ev, 4), 0);
	write(p[1], "hello", 5);
	n = kq_poll(kq, ev, 4);
	CHECK_EQ("read-one-event", n, 1);
	CHECK_EQ("read-ident", ev[0].ident, p[0]);
	CHECK_EQ("read-filter", ev[0].filter, EVFILT_READ);
	CHECK_EQ("read-data-bytes", ev[0].data, 5);
	CHECK("read-udata", ev[0].udata == (void *)0x1234);
	CHECK_EQ("read-no-eof", ev[0].flags & (EV_EOF | EV_ERROR), 0);
	/* Level-triggered: still readable, still reported. */
	n = kq_poll(kq, ev, 4);
	CHECK("read-level-again", n == 1 && ev[0].data == 5);
	write(p[1], "abc", 3);
	n = kq_poll(kq, ev, 4);
	CHECK("read-data-grows", n == 1 && ev[0].data == 8);
	read(p[0], buf, sizeof(buf));
	CHECK_EQ("read-drained-no-event", kq_poll(kq, ev, 4), 0);
	/* Blocking kevent wakes on a write from a child. */
	if (fork() == 0) {
		kq_msleep(50);
		write(p[1], "x", 1);
		_exit(0);
	}
	n = kevent(kq, NULL, 0, ev, 4, NULL);
	CHECK("read-blocking-wakes", n == 1 && ev[0].data == 1);
	wait(NULL);
	read(p[0], buf, sizeof(buf));
	/* The last writer goes: EV_EOF. */
	close(p[1]);
	n = kq_poll(kq, ev, 4);
	CHECK("read-eof", n == 1 && (ev[0].flags & EV_EOF) && ev[0].data == 0);
	close(p[0]);
	close(kq);
}

static void
test_pipe_write(void)
{
	struct kevent ev[2];
	int kq = kqueue(), p[2], n;
	static char big[PIPE_CAPACITY];

	pipe(p);
	CHECK_EQ("write-add", kq_change(kq, p[1], EVFILT_WRITE, EV_ADD, 0, 0,
	    NULL), 0);
	n = kq_poll(kq, ev, 2);
	CHECK("write-ready-empty", n == 1 && ev[0].filter == EVFILT_WRITE &&
	    ev[0].data == PIPE_CAPACITY);
	write(p[1], big, 1000);
	n = kq_poll(kq, ev, 2);
	CHECK("write-space-left", n == 1 && ev[0].data == PIPE_CAPACITY - 1000);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	write(p[1], big, PIPE_CAPACITY - 1000);
	CHECK_EQ("write-full-no-event", kq_poll(kq, ev, 2), 0);
	read(p[0], big, 8192);
	n = kq_poll(kq, ev, 2);
	CHECK("write-after-drain", n == 1 && ev[0].data == 8192);
	close(p[0]);
	n = kq_poll(kq, ev, 2);
	CHECK("write-eof-no-reader", n == 1 && (ev[0].flags & EV_EOF));
	/* A filter against the descriptor's direction. */
	CHECK_ERR("write-on-read-end", kq_change(kq, p[1], EVFILT_READ,
	    EV_ADD, 0, 0, NULL), EINVAL);
	close(p[1]);
	close(kq);
}

/* A FIFO is a pipe with a name: the same filters. */
static void
test_fifo(void)
{
	struct kevent ev[2];
	int kq = kqueue(), r, w, n;
	char buf[8];

	unlink("/tmp/kq-fifo");
	CHECK_EQ("fifo-mkfifo", mkfifo("/tmp/kq-fifo", 0600), 0);
	r = open("/tmp/kq-fifo", O_RDONLY | O_NONBLOCK);
	w = open("/tmp/kq-fifo", O_WRONLY | O_NONBLOCK);
	kq_change(kq, r, EVFILT_READ, EV_ADD, 0, 0, NULL);
	CHECK_EQ("fifo-idle", kq_poll(kq, ev, 2), 0);
	write(w, "fifo", 4);
	n = kq_poll(kq, ev, 2);
	CHECK("fifo-readable", n == 1 && ev[0].data == 4 &&
	    !(ev[0].flags & EV_EOF));
	read(r, buf, sizeof(buf));
	close(w);
	n = kq_poll(kq, ev, 2);
	CHECK("fifo-writer-gone-eof", n == 1 && (ev[0].flags & EV_EOF));
	close(r);
	unlink("/tmp/kq-fifo");
	close(kq);
}

static void
test_lowat(void)
{
	struct kevent ev[2];
	int kq = kqueue(), p[2], n;

	pipe(p);
	kq_change(kq, p[0], EVFILT_READ, EV_ADD, NOTE_LOWAT, 10, NULL);
	write(p[1], "12345", 5);
	CHECK_EQ("lowat-below", kq_poll(kq, ev, 2), 0);
	write(p[1], "67890", 5);
	n = kq_poll(kq, ev, 2);
	CHECK("lowat-reached", n == 1 && ev[0].data == 10);
	close(p[0]);
	close(p[1]);
	close(kq);
}

static void
test_flags(void)
{
	struct kevent ev[4], ch[2];
	int kq = kqueue(), p[2], n;
	char buf[64];

	pipe(p);

	/* EV_CLEAR: reported once per change of state. */
	kq_change(kq, p[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, NULL);
	write(p[1], "ab", 2);
	n = kq_poll(kq, ev, 4);
	CHECK("clear-first", n == 1 && ev[0].data == 2 &&
	    (ev[0].flags & EV_CLEAR));
	CHECK_EQ("clear-not-again", kq_poll(kq, ev, 4), 0);
	write(p[1], "c", 1);
	n = kq_poll(kq, ev, 4);
	CHECK("clear-new-data", n == 1 && ev[0].data == 3);
	/* Updating udata does not reset a triggered knote. */
	write(p[1], "d", 1);
	kq_change(kq, p[0], EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0,
	    (void *)0x77);
	n = kq_poll(kq, ev, 4);
	CHECK("update-keeps-trigger", n == 1 && ev[0].udata == (void *)0x77 &&
	    ev[0].data == 4);
	read(p[0], buf, sizeof(buf));

	/* EV_DELETE: gone; a second delete is ENOENT. */
	CHECK_EQ("delete", kq_change(kq, p[0], EVFILT_READ, EV_DELETE, 0, 0,
	    NULL), 0);
	write(p[1], "e", 1);
	CHECK_EQ("delete-no-event", kq_poll(kq, ev, 4), 0);
	CHECK_ERR("delete-missing", kq_change(kq, p[0], EVFILT_READ,
	    EV_DELETE, 0, 0, NULL), ENOENT);
	CHECK_ERR("enable-missing", kq_change(kq, p[0], EVFILT_READ,
	    EV_ENABLE, 0, 0, NULL), ENOENT);

	/* EV_ONESHOT: one report, then the knote is deleted. */
	kq_change(kq, p[0], EVFILT_READ, EV_ADD | EV_ONESHOT, 0, 0, NULL);
	n = kq_poll(kq, ev, 4);
	CHECK("oneshot-reported", n == 1 && (ev[0].flags & EV_ONESHOT));
	CHECK_EQ("oneshot-once", kq_poll(kq, ev, 4), 0);
	CHECK_ERR("oneshot-deleted", kq_change(kq, p[0], EVFILT_READ,
	    EV_DELETE, 0, 0, NULL), ENOENT);

	/* EV_DISABLE / EV_ENABLE. */
	kq_change(kq, p[0], EVFILT_READ, EV_ADD | EV_DISABLE, 0, 0, NULL);
	CHECK_EQ("disabled-silent", kq_poll(kq, ev, 4), 0);
	kq_change(kq, p[0], EVFILT_READ, EV_ENABLE, 0, 0, NULL);
	n = kq_poll(kq, ev, 4);
	CHECK("enabled-reports", n == 1 && ev[0].data == 1);
	kq_change(kq, p[0], EVFILT_READ, EV_DISABLE, 0, 0, NULL);
	CHECK_EQ("disable-existing", kq_poll(kq, ev, 4), 0);
	kq_change(kq, p[0], EVFILT_READ, EV_DELETE, 0, 0, NULL);

	/* EV_DISPATCH: reported once, then disabled until EV_ENABLE. */
	kq_change(kq, p[0], EVFILT_READ, EV_ADD | EV_DISPATCH, 0, 0, NULL);
	n = kq_poll(kq, ev, 4);
	CHECK("dispatch-first", n == 1 && ev[0].data == 1);
	CHECK_EQ("dispatch-disabled", kq_poll(kq, ev, 4), 0);
	kq_change(kq, p[0], EVFILT_READ, EV_ENABLE, 0, 0, NULL);
	n = kq_poll(kq, ev, 4);
	CHECK("dispatch-reenabled", n == 1 && ev[0].data == 1);
	kq_change(kq, p[0], EVFILT_READ, EV_DELETE, 0, 0, NULL);

	/* EV_RECEIPT: an EV_ERROR entry with data 0 for each change. */
	EV_SET(&ch[0], p[0], EVFILT_READ, EV_ADD | EV_RECEIPT, 0, 0, NULL);
	EV_SET(&ch[1], p[1], EVFILT_WRITE, EV_ADD | EV_RECEIPT, 0, 0, NULL);
	memset(ev, 0xff, sizeof(ev));
	n = kevent(kq, ch, 2, ev, 4, NULL);
	CHECK("receipt-two", n == 2 && ev[0].flags == EV_ERROR &&
	    ev[0].data == 0 && ev[0].ident == (uintptr_t)p[0] &&
	    ev[1].flags == EV_ERROR && ev[1].data == 0 &&
	    ev[1].filter == EVFILT_WRITE);
	/* Both were registered: the pending read and write come next. */
	CHECK_EQ("receipt-registered", kq_poll(kq, ev, 4), 2);
	close(p[0]);
	close(p[1]);
	close(kq);
}

static void
test_errors(void)
{
	struct kevent ev[4], ch[3];
	struct timespec ts;
	int kq = kqueue(), p[2], n;

	pipe(p);
	CHECK_ERR("bad-filter", kq_change(kq, 1, -100, EV_ADD, 0, 0, NULL),
	    EINVAL);
	CHECK_ERR("bad-ident-fd", kq_change(kq, 9999, EVFILT_READ, EV_ADD, 0,
	    0, NULL), EBADF);
	CHECK_ERR("bad-ident-huge", kq_change(kq, (uintptr_t)1 << 40,
	    EVFILT_READ, EV_ADD, 0, 0, NULL), EBADF);
	CHECK_ERR("kq-add-itself", kq_change(kq, kq, EVFILT_READ, EV_ADD, 0,
	    0, NULL), EINVAL);
	CHECK_ERR("timer-zero", kq_change(kq, 1, EVFILT_TIMER, EV_ADD, 0, 0,
	    NULL), EINVAL);
	CHECK_ERR("timer-negative", kq_change(kq, 1, EVFILT_TIMER, EV_ADD, 0,
	    -5, NULL), EINVAL);
	CHECK_ERR("nchanges-negative", kevent(kq, NULL, -1, ev, 4, NULL),
	    EINVAL);
	CHECK_ERR("nevents-negative", kevent(kq, NULL, 0, ev, -1, NULL),
	    EINVAL);
	CHECK_ERR("changelist-efault", kevent(kq, T_LOW, 1, NULL, 0, NULL),
	    EFAULT);
	CHECK_ERR("changelist-kernel", kevent(kq, T_KERNEL, 1, NULL, 0, NULL),
	    EFAULT);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000;
	CHECK_ERR("timeout-nsec-big", kevent(kq, NULL, 0, ev, 4, &ts), EINVAL);
	ts.tv_nsec = -1;
	CHECK_ERR("timeout-nsec-negative", kevent(kq, NULL, 0, ev, 4, &ts),
	    EINVAL);
	CHECK_ERR("timeout-efault", kevent(kq, NULL, 0, ev, 4, T_LOW), EFAULT);
	CHECK_ERR("not-a-kqueue", kevent(p[0], NULL, 0, ev, 4, NULL), EBADF);
	CHECK_ERR("closed-kqueue-fd", kevent(999, NULL, 0, ev, 4, NULL), EBADF);
	CHECK_ERR("kqueue1-bad-flags", kqueue1(0x4000000), EINVAL);

	/* An event to collect into a bad eventlist. */
	write(p[1], "x", 1);
	kq_change(kq, p[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
	CHECK_ERR("eventlist-efault", kevent(kq, NULL, 0, T_LOW, 4, NULL),
	    EFAULT);

	/* With room, errors come back as EV_ERROR events, in order. */
	EV_SET(&ch[0], 9999, EVFILT_READ, EV_ADD, 0, 0, NULL);
	EV_SET(&ch[1], p[1], EVFILT_WRITE, EV_ADD, 0, 0, NULL);
	EV_SET(&ch[2], 5, EVFILT_USER, EV_DELETE, 0, 0, NULL);
	n = kevent(kq, ch, 3, ev, 4, NULL);
	CHECK_EQ("errors-as-events", n, 2);
	CHECK("error-event-ebadf", ev[0].flags == EV_ERROR &&
	    ev[0].data == EBADF && ev[0].ident == 9999);
	CHECK("error-event-enoent", ev[1].flags == EV_ERROR &&
	    ev[1].data == ENOENT && ev[1].filter == EVFILT_USER);
	/* The good change in between was applied. */
	n = kq_poll(kq, ev, 4);
	CHECK_EQ("good-change-applied", n, 2);
	close(p[0]);
	close(p[1]);
	close(kq);
}

static void
test_files(void)
{
	struct kevent ev[2];
	char buf[100];
	int kq = kqueue(), fd, n;

	memset(buf, 'f', sizeof(buf));
	fd = open("/tmp/kq-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, buf, sizeof(buf));
	lseek(fd, 30, SEEK_SET);
	kq_change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("file-read-to-eof", n == 1 && ev[0].data == 70);
	lseek(fd, 0, SEEK_END);
	CHECK_EQ("file-at-eof-no-event", kq_poll(kq, ev, 2), 0);
	kq_change(kq, fd, EVFILT_READ, EV_DELETE, 0, 0, NULL);
	kq_change(kq, fd, EVFILT_WRITE, EV_ADD, 0, 0, NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("file-write-ready", n == 1 && ev[0].filter == EVFILT_WRITE);
	close(fd);
	unlink("/tmp/kq-file");

	fd = open("/dev/null", O_RDWR);
	kq_change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	kq_change(kq, fd, EVFILT_WRITE, EV_ADD, 0, 0, NULL);
	CHECK_EQ("dev-null-ready", kq_poll(kq, ev, 2), 2);
	close(fd);
	CHECK_EQ("dev-null-closed", kq_poll(kq, ev, 2), 0);
	fd = open("/dev/zero", O_RDONLY);
	kq_change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	n = kq_poll(kq, ev, 2);
	CHECK("dev-zero-readable", n == 1 && ev[0].ident == (uintptr_t)fd);
	close(fd);
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		kq_change(kq, fd, EVFILT_WRITE, EV_ADD, 0, 0, NULL);
		n = kq_poll(kq, ev, 2);
		CHECK("tty-writable", n == 1 && ev[0].filter == EVFILT_WRITE);
		CHECK_EQ("tty-read-add", kq_change(kq, fd, EVFILT_READ, EV_ADD,
		    0, 0, NULL), 0);
		close(fd);
	}
	close(kq);
}

/* EVFILT_VNODE: each NOTE_* as kqueue(2) describes it, on ramfs. */
static uint32_t
vnode_fflags(int kq)
{
	struct kevent ev[2];
	int n = kq_poll(kq, ev, 2);

	return (n == 1 && ev[0].filter == EVFILT_VNODE ? ev[0].fflags :
	    n == 0 ? 0 : 0xdead);
}

static void
test_vnode(void)
{
	struct kevent ev[2];
	int kq = kqueue(), fd, fd2, dfd, p[2], n;
	char buf[16];

	unlink("/tmp/kqv");
	unlink("/tmp/kqv2");
	unlink("/tmp/kqv3");
	unlink("/tmp/kqv4");
	rmdir("/tmp/kqd");
	fd = open("/tmp/kqv", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK_EQ("vnode-add", kq_change(kq, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR,
	    NOTE_DELETE | NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_LINK |
	    NOTE_RENAME, 0, NULL), 0);
	CHECK_EQ("vnode-idle", vnode_fflags(kq), 0);
	write(fd, "0123456789", 10);
	CHECK_EQ("vnode-write-extend", vnode_fflags(kq),
	    NOTE_WRITE | NOTE_EXTEND);
	pwrite(fd, "ab", 2, 0);
	CHECK_EQ("vnode-write-inside", vnode_fflags(kq), NOTE_WRITE);
	fchmod(fd, 0644);
	CHECK_EQ("vnode-attrib", vnode_fflags(kq), NOTE_ATTRIB);
	ftruncate(fd, 100);
	CHECK_EQ("vnode-truncate-grow", vnode_fflags(kq),
	    NOTE_ATTRIB | NOTE_EXTEND);
	link("/tmp/kqv", "/tmp/kqv2");
	CHECK_EQ("vnode-link", vnode_fflags(kq), NOTE_LINK);
	rename("/tmp/kqv2", "/tmp/kqv3");
	CHECK_EQ("vnode-rename", vnode_fflags(kq), NOTE_RENAME);
	unlink("/tmp/kqv3");
	CHECK_EQ("vnode-unlink", vnode_fflags(kq), NOTE_DELETE);
	/* Only the requested notes: NOTE_WRITE alone ignores chmod. */
	kq_change(kq, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE, 0,
	    NULL);
	fchmod(fd, 0600);
	CHECK_EQ("vnode-unrequested", vnode_fflags(kq), 0);
	kq_change(kq, fd, EVFILT_VNODE, EV_DELETE, 0, 0, NULL);

	/* A read knote at end of file fires when another write extends it. */
	lseek(fd, 0, SEEK_END);
	kq_change(kq, fd, EVFILT_READ, EV_ADD, 0, 0, NULL);
	CHECK_EQ("vnode-read-at-eof", kq_poll(kq, ev, 2), 0);
	fd2 = open("/tmp/kqv", O_WRONLY | O_APPEND);
	write(fd2, "more", 4);
	n = kq_poll(kq, ev, 2);
	CHECK("vnode-read-after-append", n == 1 && ev[0].data == 4);
	read(fd, buf, sizeof(buf));
	close(fd2);

	/* A directory: entries created (NOTE_WRITE), subdirectories
	 * (NOTE_LINK), and the file itself unlinked (NOTE_DELETE). */
	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	kq_change(kq, dfd, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE |
	    NOTE_LINK, 0, NULL);
	fd2 = open("/tmp/kqv4", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK_EQ("vnode-dir-create", vnode_fflags(kq), NOTE_WRITE);
	mkdir("/tmp/kqd", 0700);
	CHECK_EQ("vnode-dir-mkdir", vnode_fflags(kq), NOTE_WRITE | NOTE_LINK);
	rmdir("/tmp/kqd");
	CHECK_EQ("vnode-dir-rmdir", vnode_fflags(kq), NOTE_WRITE | NOTE_LINK);
	unlink("/tmp/kqv4");
	CHECK_EQ("vnode-dir-unlink", vnode_fflags(kq), NOTE_WRITE);
	unlink("/tmp/kqv");
	close(fd2);
	close(dfd);
	close(fd);
	pipe(p);
	CHECK_ERR("vnode-on-pipe", kq_change(kq, p[0], EVFILT_VNODE, EV_ADD,
	    NOTE_WRITE, 0, NULL), EINVAL);
	close(p[0]);
	close(p[1]);
	close(kq);
}

static void
test_kq_on_kq(void)
{
	struct kevent ev[4];
	struct pollfd pfd;
	int kq1 = kqueue(), kq2 = kqueue(), kq3 = kqueue(), p[2], n;

	pipe(p);
	kq_change(kq1, p[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
	kq_change(kq2, kq1, EVFILT_READ, EV_ADD, 0, 0, NULL);
	kq_change(kq3, kq2, EVFILT_READ, EV_ADD, 0, 0, NULL);
	CHECK_EQ("kqkq-idle", kq_poll(kq2, ev, 4), 0);
	pfd.fd = kq1;
	pfd.events = POLLIN;
	CHECK_EQ("kqkq-poll-idle", poll(&pfd, 1, 0), 0);
	write(p[1], "x", 1);
	n = kq_poll(kq3, ev, 4);
	CHECK("kqkq-chain-3", n == 1 && ev[0].ident == (uintptr_t)kq2 &&
	    ev[0].data == 1);
	n = kq_poll(kq2, ev, 4);
	CHECK("kqkq-pending-count", n == 1 && ev[0].ident == (uintptr_t)kq1 &&
	    ev[0].data == 1);
	CHECK("kqkq-poll-ready", poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & POLLIN));
	/* A cycle: kq1 watches kq2 too.  No hang, both report. */
	CHECK_EQ("kqkq-cycle-add", kq_change(kq1, kq2, EVFILT_READ, EV_ADD, 0,
	    0, NULL), 0);
	n = kq_poll(kq1, ev, 4);
	CHECK_EQ("kqkq-cycle-kq1", n, 2);
	n = kq_poll(kq2, ev, 4);
	CHECK_EQ("kqkq-cycle-kq2", n, 1);
	/* Closing kq1 drops kq2's knote on it. */
	close(kq1);
	CHECK_ERR("kqkq-closed-dropped", kq_change(kq2, kq1, EVFILT_READ,
	    EV_DELETE, 0, 0, NULL), EBADF);
	CHECK_EQ("kqkq-after-close", kq_poll(kq2, ev, 4), 0);
	close(kq2);
	close(kq3);
	close(p[0]);
	close(p[1]);
}

static void
test_lifetime(void)
{
	struct kevent ev[2];
	int kq = kqueue(), p[2], q[2], status;
	pid_t pid;

	/* Closing a descriptor drops its knote; the number can be reused. */
	pipe(p);
	kq_change(kq, p[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
	write(p[1], "x", 1);
	close(p[0]);
	CHECK_EQ("close-drops-event", kq_poll(kq, ev, 2), 0);
	pipe(q);	/* takes p[0]'s number */
	CHECK_EQ("close-fd-reused", q[0], p[0]);
	CHECK_ERR("close-dropped-knote", kq_change(kq, q[0], EVFILT_READ,
	    EV_DELETE, 0, 0, NULL), ENOENT);
	/* dup2 over a watched descriptor closes it too. */
	kq_change(kq, q[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
	dup2(p[1], q[0]);
	CHECK_ERR("dup2-dropped-knote", kq_change(kq, q[0], EVFILT_READ,
	    EV_DELETE, 0, 0, NULL), ENOENT);
	close(q[0]);
	close(q[1]);
	close(p[1]);

	/* Not inherited across fork: the child's descriptor is closed. */
	pid = fork();
	if (pid == 0) {
		struct timespec zero = { 0, 0 };

		_exit(kevent(kq, NULL, 0, ev, 2, &zero) == -1 &&
		    errno == EBADF && fcntl(kq, F_GETFD) == -1 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK("fork-not-inherited", WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
	close(kq);

	/* kqueue1(O_CLOEXEC) sets close-on-exec; kqueue() does not. */
	kq = kqueue1(O_CLOEXEC);
	CHECK_EQ("kqueue1-cloexec", fcntl(kq, F_GETFD) & FD_CLOEXEC,
	    FD_CLOEXEC);
	close(kq);
	kq = kqueue();
	CHECK_EQ("kqueue-no-cloexec", fcntl(kq, F_GETFD) & FD_CLOEXEC, 0);
	close(kq);
}

int
main(void)
{
	t_init();
	kq_require("kqueue");
	test_pipe_read();
	test_pipe_write();
	test_lowat();
	test_fifo();
	test_flags();
	test_errors();
	test_files();
	test_vnode();
	test_kq_on_kq();
	test_lifetime();
	return (t_done());
}
