/*
 * dev_kstat_test.c: ktests of /dev/kstat's text (kstat_format), read the
 * way the fuzzer reads it: by name.
 *
 * Every counter is there, once, as "name value"; the per-class heap
 * counters follow kmalloc/kfree of a size to exactly its class (and large
 * sizes to kmem_large), sum to kmem_objects, and reading allocates
 * nothing; a kqueue, a knote and a pipe each move their counter by one
 * and closing brings it back; the 9P counters follow a Mnt, its fids
 * (a dead channel forgets them, a double free is not counted twice) and
 * its tags, with no server (the fid and tag maps need none).
 */
#include <cdev.h>
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <p9.h>
#include <printf.h>
#include <uapi/errno.h>
#include <vm_object.h>

static char kt_text[KSTAT_BUFSIZE];

/* A decimal value ending the line, or -1 when it is not one. */
static long
kt_number(const char *p)
{
	long v = 0;

	if (*p < '0' || *p > '9')
		return (-1);
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return (*p == '\n' ? v : -1);
}

/* Counter name in a fresh snapshot, or -1 when missing or twice there. */
static long
kt_stat(const char *name)
{
	size_t len = strlen(name);
	long v = -1;
	int seen = 0;

	kstat_format(kt_text, sizeof(kt_text));
	for (char *p = kt_text; *p != '\0';) {
		char *nl = strchr(p, '\n');

		if (nl == NULL)
			return (-1);		/* every line ends */
		if (strncmp(p, name, len) == 0 && p[len] == ' ') {
			v = kt_number(p + len + 1);
			seen++;
		}
		p = nl + 1;
	}
	return (seen == 1 ? v : -1);
}

static long
kt_class(size_t size)
{
	char name[32];
	int c = kmem_size_class(size);

	if (c < 0)
		return (kt_stat("kmem_large"));
	snprintf(name, sizeof(name), "kmem_class_%zu", kmem_class_size(c));
	return (kt_stat(name));
}

KTEST(kstat_every_counter_once)
{
	static const char *names[] = { "free_pages", "total_pages",
		"kmem_objects", "kmem_bytes", "procs", "vnodes", "files",
		"vm_check", "kmem_pages", "vnode_objects", "kmem_class_16",
		"kmem_class_32", "kmem_class_64", "kmem_class_128",
		"kmem_class_256", "kmem_class_512", "kmem_class_1024",
		"kmem_class_2048", "kmem_large", "vnode_object_class",
		"vm_objects", "pipes", "kqueues", "knotes", "p9_mounts",
		"p9_fids", "p9_tags" };
	int n, lines = 0;

	for (size_t i = 0; i < nitems(names); i++)
		KT_ASSERT(kt_stat(names[i]) >= 0);
	n = kstat_format(kt_text, sizeof(kt_text));
	KT_EQ((size_t)n, strlen(kt_text));
	KT_ASSERT(n < KSTAT_BUFSIZE);
	for (int i = 0; i < n; i++)
		lines += kt_text[i] == '\n';
	KT_EQ(lines, (int)nitems(names));
	KT_EQ(kt_stat("vnode_object_class"),
	    (long)kmem_class_size(kmem_size_class(sizeof(struct vm_object))));
	KT_EQ(kt_stat("vm_check"), 0);
	KT_EQ(kt_stat("kmem_class_4096"), -1);	/* no such class */
	KT_EQ(kt_stat("kmem_class"), -1);	/* a prefix is no name */
}

KTEST(kstat_kmem_class_follows_kmalloc)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 128, 129, 700,
		2047, 2048, 2049, 5000, 20000 };
	long before[KMEM_NCLASS + 1], total, large;
	uint64_t sum = 0;
	char name[32];
	void *p;

	/* The classes and large objects add up to kmem_objects. */
	for (int c = 0; c <= KMEM_NCLASS; c++)
		sum += kmem_class_inuse(c);
	KT_EQ(sum, kmem_inuse());
	/* Reading allocates nothing. */
	total = kt_stat("kmem_objects");
	KT_EQ(kt_stat("kmem_objects"), total);
	for (size_t i = 0; i < nitems(sizes); i++) {
		int cls = kmem_size_class(sizes[i]);

		for (int c = 0; c < KMEM_NCLASS; c++) {
			snprintf(name, sizeof(name), "kmem_class_%zu",
			    kmem_class_size(c));
			before[c] = kt_stat(name);
		}
		before[KMEM_NCLASS] = large = kt_stat("kmem_large");
		p = kmalloc(sizes[i], M_WAITOK);
		KT_ASSERT(p != NULL);
		KT_EQ(kt_class(sizes[i]), (cls < 0 ? large :
		    before[cls]) + 1);
		KT_EQ(kt_stat("kmem_objects"), total + 1);
		/* Only that class moved. */
		for (int c = 0; c < KMEM_NCLASS; c++) {
			snprintf(name, sizeof(name), "kmem_class_%zu",
			    kmem_class_size(c));
			KT_EQ(kt_stat(name), before[c] + (c == cls));
		}
		KT_EQ(kt_stat("kmem_large"), large + (cls < 0));
		kfree(p);
		KT_EQ(kt_class(sizes[i]), cls < 0 ? large : before[cls]);
		KT_EQ(kt_stat("kmem_objects"), total);
	}
	KT_EQ(kmem_size_class(100), 3);		/* kmem_class_128 */
	KT_EQ(kmem_size_class(2049), -1);	/* kmem_large */
}

KTEST(kstat_kqueue_knote_pipe_counts)
{
	long kq0 = kt_stat("kqueues"), kn0 = kt_stat("knotes");
	long pi0 = kt_stat("pipes");
	struct kevent kev;
	int kq, fds[2];

	KT_ASSERT(kq0 >= 0 && kn0 >= 0 && pi0 >= 0);
	kq = kern_kqueue(0);
	KT_ASSERT(kq >= 0);
	KT_EQ(kt_stat("kqueues"), kq0 + 1);
	KT_EQ(kt_stat("knotes"), kn0);
	KT_EQ(kern_pipe2(fds, 0), 0);
	KT_EQ(kt_stat("pipes"), pi0 + 1);
	EV_SET(&kev, fds[0], EVFILT_READ, EV_ADD, 0, 0, NULL);
	KT_EQ(kern_kevent(kq, &kev, 1, NULL, 0, 0, false), 0);
	KT_EQ(kt_stat("knotes"), kn0 + 1);
	EV_SET(&kev, fds[1], EVFILT_WRITE, EV_ADD, 0, 0, NULL);
	KT_EQ(kern_kevent(kq, &kev, 1, NULL, 0, 0, false), 0);
	KT_EQ(kt_stat("knotes"), kn0 + 2);
	/* A failed registration leaves no knote behind. */
	EV_SET(&kev, 999, EVFILT_READ, EV_ADD, 0, 0, NULL);
	KT_EQ(kern_kevent(kq, &kev, 1, NULL, 0, 0, false), -EBADF);
	KT_EQ(kt_stat("knotes"), kn0 + 2);
	/* Closing the read end drops its knote; the kqueue the other. */
	KT_EQ(kern_close(fds[0]), 0);
	KT_EQ(kt_stat("knotes"), kn0 + 1);
	KT_EQ(kt_stat("pipes"), pi0 + 1);	/* the write end holds it */
	KT_EQ(kern_close(kq), 0);
	KT_EQ(kt_stat("knotes"), kn0);
	KT_EQ(kt_stat("kqueues"), kq0);
	KT_EQ(kern_close(fds[1]), 0);
	KT_EQ(kt_stat("pipes"), pi0);
}

static const struct p9_trans kt_p9_trans = { .tr_name = "kstat-test" };

KTEST(kstat_p9_counts)
{
	long mo0 = kt_stat("p9_mounts"), fi0 = kt_stat("p9_fids");
	long tg0 = kt_stat("p9_tags");
	uint32_t a, b;
	struct p9_req *r;
	struct mnt *m;

	KT_ASSERT(mo0 >= 0 && fi0 >= 0 && tg0 >= 0);
	m = mnt_alloc(&kt_p9_trans, NULL);
	KT_ASSERT(m != NULL);
	m->m_rcap = 64;
	KT_EQ(kt_stat("p9_mounts"), mo0 + 1);
	KT_EQ(mnt_fid_alloc(m, &a), 0);
	KT_EQ(mnt_fid_alloc(m, &b), 0);
	KT_EQ(kt_stat("p9_fids"), fi0 + 2);
	mnt_fid_free(m, a);
	KT_EQ(kt_stat("p9_fids"), fi0 + 1);
	mnt_fid_free(m, a);			/* twice: counted once */
	KT_EQ(kt_stat("p9_fids"), fi0 + 1);
	r = mnt_request(m);
	KT_ASSERT(r != NULL);
	KT_EQ(kt_stat("p9_tags"), tg0 + 1);
	mnt_request_free(m, r);
	KT_EQ(kt_stat("p9_tags"), tg0);
	/* A dead channel forgets its fids: their holders free nothing. */
	mnt_hangup(m);
	KT_EQ(kt_stat("p9_fids"), fi0);
	mnt_fid_free(m, b);
	KT_EQ(kt_stat("p9_fids"), fi0);
	KT_EQ(mnt_fid_alloc(m, &a), -EIO);
	KT_EQ(kt_stat("p9_fids"), fi0);
	mnt_free(m);
	KT_EQ(kt_stat("p9_mounts"), mo0);
	/* A Mnt freed with a fid still set leaves it counted: a leak. */
	m = mnt_alloc(&kt_p9_trans, NULL);
	KT_ASSERT(m != NULL);
	KT_EQ(mnt_fid_alloc(m, &a), 0);
	mnt_free(m);
	KT_EQ(kt_stat("p9_mounts"), mo0);
	KT_EQ(kt_stat("p9_fids"), fi0 + 1);
	__atomic_sub_fetch(&mnt_nfids, 1, __ATOMIC_RELAXED);	/* undo */
	KT_EQ(kt_stat("p9_fids"), fi0);
}
