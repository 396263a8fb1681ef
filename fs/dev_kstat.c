/*
 * dev_kstat.c: /dev/kstat (10,240), the kernel's resource counters as text
 * for leak checks from user space (the fuzzer, the stress tests).
 *
 * Each read formats a fresh snapshot (kstat_format), one "name value" pair
 * per line, and serves it from the file offset, so `cat /dev/kstat` works
 * and a program reads it whole with one pread at offset 0.  The counters
 * are the ones a leak would move: free physical pages, live kernel heap
 * objects and bytes, in all and per size class (kmem_class_<size>,
 * kmem_large), processes, vnodes, open files, pipes, vm_objects, knotes
 * and kqueues, 9P channels, fids and tags in flight, and the pages the
 * heap holds (its slabs keep pages while any object in them lives, so
 * free_pages + kmem_pages is what comes back exactly), and how many vnodes
 * have a page-cache object (made on first use, kept as long as the vnode:
 * growth there is caching, not a leak; each is one vm_object from the size
 * class vnode_object_class names, so a checker knows which class may grow
 * with it).  vm_check runs the vm_map and page table consistency checker
 * over every process (vm_check_all, mm/) and reports the number of
 * problems it found; they are printed on the console.  The snapshot is
 * built on the stack (KSTAT_BUFSIZE) so that reading allocates nothing.
 * Writing anything prints the live heap objects grouped by the code that
 * allocated them (kmem_dump), to see what a leak is made of; writing
 * "smap-test" is the SMAP test hook (kstat_write).
 * A private debug interface until /proc/meminfo carries the same numbers;
 * the names are stable (docs/security.md).
 */
#include <cdev.h>
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <p9.h>
#include <printf.h>
#include <proc.h>
#include <uapi/errno.h>
#include <uio.h>
#include <vm_map.h>
#include <vm_object.h>
#include <vm_phys.h>
#include <vnode.h>
#include <vnode_pager.h>

struct kstat_buf {
	char *kb_buf;
	size_t kb_size;
	size_t kb_len;
};

static void
kstat_put(struct kstat_buf *kb, const char *name, long value)
{
	int n;

	n = snprintf(kb->kb_buf + kb->kb_len, kb->kb_size - kb->kb_len,
	    "%s %ld\n", name, value);
	KASSERT(n > 0 && (size_t)n < kb->kb_size - kb->kb_len,
	    "/dev/kstat: KSTAT_BUFSIZE too small");
	kb->kb_len += n;
}

int
kstat_format(char *buf, size_t size)
{
	struct kstat_buf kb = { buf, size, 0 };
	char name[32];

	KASSERT(size > 0, "kstat_format: no room");
	buf[0] = '\0';
	/* The first ten, in their historical order. */
	kstat_put(&kb, "free_pages", (long)vm_phys_free_count());
	kstat_put(&kb, "total_pages", (long)vm_phys_total_count());
	kstat_put(&kb, "kmem_objects", (long)kmem_inuse());
	kstat_put(&kb, "kmem_bytes", (long)kmem_inuse_bytes());
	kstat_put(&kb, "procs", nprocs);
	kstat_put(&kb, "vnodes", (long)numvnodes);
	kstat_put(&kb, "files", (long)nfiles);
	kstat_put(&kb, "vm_check", vm_check_all());
	kstat_put(&kb, "kmem_pages", (long)kmem_pages());
	kstat_put(&kb, "vnode_objects", (long)vnode_pager_nobjects);
	for (int c = 0; c < KMEM_NCLASS; c++) {
		snprintf(name, sizeof(name), "kmem_class_%zu",
		    kmem_class_size(c));
		kstat_put(&kb, name, (long)kmem_class_inuse(c));
	}
	kstat_put(&kb, "kmem_large", (long)kmem_class_inuse(KMEM_NCLASS));
	kstat_put(&kb, "vnode_object_class",
	    (long)kmem_class_size(kmem_size_class(sizeof(struct vm_object))));
	kstat_put(&kb, "vm_objects", vm_object_count);
	kstat_put(&kb, "pipes", (long)npipes);
	kstat_put(&kb, "kqueues", kq_nkqueues);
	kstat_put(&kb, "knotes", kq_nknotes);
	kstat_put(&kb, "p9_mounts", mnt_nmounts);
	kstat_put(&kb, "p9_fids", mnt_nfids);
	kstat_put(&kb, "p9_tags", mnt_ntags);
	return ((int)kb.kb_len);
}

static int
kstat_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	char buf[KSTAT_BUFSIZE];
	int n;

	n = kstat_format(buf, sizeof(buf));
	if (uio->uio_offset < 0)
		return (-EINVAL);
	if (uio->uio_offset >= n)
		return (0);
	return (uiomove(buf + uio->uio_offset,
	    MIN((size_t)(n - uio->uio_offset), (size_t)uio->uio_resid), uio));
}

/* Every process with its thread's state and sleep message (a hang). */
static void
kstat_ps(void)
{
	static const char st[] = "IQRSTZ";	/* enum td_state */
	struct proc *p;

	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		struct thread *td = p->p_thread;

		printk("ps: pid %d ppid %d %c %s sig %#lx/%#lx mask %#lx %.16s\n",
		    p->p_pid, p->p_pptr != NULL ? p->p_pptr->p_pid : 0,
		    td != NULL ? st[td->td_state] : '-',
		    td != NULL && td->td_wmesg != NULL ? td->td_wmesg : "-",
		    (unsigned long)p->p_sigpend,
		    td != NULL ? (unsigned long)td->td_sigpend : 0UL,
		    td != NULL ? (unsigned long)td->td_sigmask : 0UL,
		    p->p_comm);
	}
	spin_unlock(&proc_lock);
}

/*
 * A write prints the live heap objects by caller on the console ("ps":
 * the processes and what they sleep on).  Root
 * writing "smap-test" makes the kernel read the user's buffer directly,
 * without copyin: the bug SMAP exists to stop.  With SMAP the writer is
 * killed (trap_user_oops) and the system goes on; without it the read
 * works and the write fails with ENXIO.  (t_isolation uses it.)
 */
static int
kstat_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	volatile char *ubuf = NULL;
	char cmd[16] = { 0 };
	int error;

	if (uio->uio_iovcnt >= 1 && uio->uio_iov[0].iov_len > 0) {
		size_t n = MIN(uio->uio_iov[0].iov_len, sizeof(cmd) - 1);

		ubuf = uio->uio_iov[0].iov_base;
		if ((error = uiomove(cmd, n, uio)) != 0)
			return (error);
	}
	if (uio->uio_segflg == UIO_USERSPACE && ubuf != NULL &&
	    strncmp(cmd, "smap-test", 9) == 0 &&
	    curproc->p_ucred.cr_euid == 0) {
		(void)ubuf[0];		/* deliberately no copyin */
		return (-ENXIO);
	}
	if (strncmp(cmd, "ps", 2) == 0)
		kstat_ps();
	else
		kmem_dump();
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	return (0);
}

static const struct cdevsw kstat_cdevsw = {
	.d_name = "kstat",
	.d_read = kstat_read,
	.d_write = kstat_write,
	.d_flags = D_SEEKABLE,
};

void dev_kstat_init(void);

void
dev_kstat_init(void)
{
	if (make_dev(&kstat_cdevsw, 0, makedev(10, 240), 0444, "kstat") ==
	    NULL)
		printk(KERN_WARNING "devfs: cannot make /dev/kstat\n");
}
