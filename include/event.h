/*
 * event.h: kqueue and knotes inside the kernel (FreeBSD sys/event.h,
 * _KERNEL part, and kern/kern_event.c).
 *
 * A knote is one registered event: (ident, filter) in one kqueue.  It
 * hangs on two lists: the kqueue's own index (kq_knlist[fd] for
 * descriptors, kq_knhash for other identifiers) and the knlist of the
 * object that fires it (a pipe's, a process's, a kqueue's).  When the
 * object changes it calls knote(list, hint); each knote's filter decides
 * (f_event) whether that is an event, and if so the knote is put on its
 * kqueue's active queue, kq_head.  kevent collects from kq_head only, so
 * its cost is the number of events returned, not the number registered.
 *
 * Locking: one spin lock, kqueue_mtx, guards every kqueue, knote and
 * knlist (FreeBSD has a lock per kqueue plus the object's lock per
 * knlist; on one CPU a single lock is simpler and cannot deadlock on
 * kqueue chains).  Order: an object's own lock (pipe_mtx, t_lock, p_lock,
 * proc_lock) before kqueue_mtx.  f_event runs with kqueue_mtx held and
 * must not take it; from knote() it also runs under the object's lock,
 * from kqueue_scan it reads the object's fields without it, which is
 * safe on one CPU with interrupts off (SMP: take the knlist's lock).
 */
#ifndef _EVENT_H_
#define _EVENT_H_

#include <spinlock.h>
#include <sys/queue.h>
#include <types.h>
#include <uapi/event.h>

struct file;
struct filedesc;
struct kqueue;
struct knote;
struct proc;
struct callout;

LIST_HEAD(klist, knote);

/* The knotes an object fires: guarded by kqueue_mtx. */
struct knlist {
	struct klist kl_list;
};

/* f_touch types (FreeBSD): a change registered, an event collected. */
#define EVENT_REGISTER	1
#define EVENT_PROCESS	2

struct filterops {
	int f_isfd;				/* ident is a descriptor */
	int (*f_attach)(struct knote *kn);	/* no kqueue_mtx held */
	void (*f_detach)(struct knote *kn);	/* kqueue_mtx held */
	int (*f_event)(struct knote *kn, long hint);	/* kqueue_mtx held */
	void (*f_touch)(struct knote *kn, struct kevent *kev,
	    unsigned long type);		/* kqueue_mtx held */
};

struct knote {
	LIST_ENTRY(knote) kn_selnext;	/* on the object's knlist */
	LIST_ENTRY(knote) kn_link;	/* kq_knlist[fd] or a kq_knhash chain */
	TAILQ_ENTRY(knote) kn_tqe;	/* on kq_head while KN_QUEUED */
	struct kqueue *kn_kq;		/* the kqueue it belongs to */
	struct knlist *kn_knlist;	/* the list it hangs on, or NULL */
	struct kevent kn_kevent;	/* what kevent returns */
	int kn_status;			/* KN_* */
	uint32_t kn_sfflags;		/* saved filter flags (the change's) */
	int64_t kn_sdata;		/* saved data (the change's) */
	union {
		struct file *p_fp;	/* f_isfd: the file */
		struct proc *p_proc;	/* EVFILT_PROC, EVFILT_SIGNAL */
		struct kqueue *p_kq;	/* EVFILT_READ on a kqueue */
		void *p_obj;		/* the object a filter watches */
	} kn_ptr;
	const struct filterops *kn_fop;
	struct callout *kn_callout;	/* EVFILT_TIMER */
	uint64_t kn_tnext;		/* EVFILT_TIMER: next expiry, ns */
	uint64_t kn_tperiod;		/* EVFILT_TIMER: 0 = one-shot */
	int kn_hookid;			/* EVFILT_USER: triggered */
};

#define kn_id		kn_kevent.ident
#define kn_filter	kn_kevent.filter
#define kn_flags	kn_kevent.flags
#define kn_fflags	kn_kevent.fflags
#define kn_data		kn_kevent.data
#define kn_fp		kn_ptr.p_fp

/* kn_status */
#define KN_ACTIVE	0x01		/* event has been triggered */
#define KN_QUEUED	0x02		/* on kq_head */
#define KN_DISABLED	0x04		/* EV_DISABLE / EV_DISPATCH */
#define KN_DETACHED	0x08		/* off its object's knlist */
#define KN_MARKER	0x10		/* kqueue_scan's place holder */
#define KN_NOTICE	0x20		/* a one-off event, not looked up */

/* A kqueue: itself a file (DTYPE_KQUEUE), so kqueues can watch kqueues. */
struct kqueue {
	TAILQ_HEAD(, knote) kq_head;	/* kqueue_mtx: the active queue */
	int kq_count;			/* kqueue_mtx: knotes on kq_head */
	int kq_state;			/* kqueue_mtx: KQ_* */
	LIST_ENTRY(kqueue) kq_list;	/* kqueue_mtx: on fd_kqlist */
	struct filedesc *kq_fdp;	/* the table its descriptors are in */
	struct klist *kq_knlist;	/* kqueue_mtx: [kq_knlistsize], by fd */
	int kq_knlistsize;		/* kqueue_mtx */
	struct klist *kq_knhash;	/* kqueue_mtx: other identifiers */
	uint64_t kq_knhashmask;
	struct knlist kq_note;		/* knotes watching this kqueue */
};

#define KQ_SLEEP	0x01		/* a kevent sleeps on the kqueue */
#define KQ_CLOSING	0x02		/* its file is going */

#define KQ_NHASH	64		/* kq_knhash chains (power of two) */

extern struct spinlock kqueue_mtx;

/* Live objects, for tests and leak checks (kqueue_mtx). */
extern int kq_nkqueues;
extern int kq_nknotes;

/*
 * The objects' side.  knote(): "something changed", with kqueue_mtx not
 * held (the object's own lock may be).  knote_locked(): kqueue_mtx held.
 */
void knote(struct knlist *list, long hint);
void knote_locked(struct knlist *list, long hint);
void knlist_add(struct knlist *list, struct knote *kn);	/* takes lock */
void knlist_remove(struct knlist *list, struct knote *kn); /* held */
void knote_activate(struct knote *kn);			/* held */
bool knlist_empty(struct knlist *list);

/* Descriptor close, fork, exec, exit, signal hooks. */
void knote_fdclose(struct filedesc *fdp, int fd);
void kqueue_fdfree(struct filedesc *fdp);	/* the table is going */
void knote_fork(struct proc *p, pid_t child);
void knote_exec(struct proc *p);
void knote_exit(struct proc *p);
void knote_signal(struct proc *p, int sig);

/* Generic filters (kern_event_filt.c). */
extern const struct filterops file_filtops;	/* READ/WRITE on an fd */
extern const struct filterops proc_filtops;
extern const struct filterops sig_filtops;
extern const struct filterops timer_filtops;
extern const struct filterops user_filtops;
extern const struct filterops seltrue_filtops;
/* A filter that is always ready (FreeBSD seltrue_kqfilter). */
int seltrue_kqfilter(struct knote *kn);

/* Pure helpers (kern_event_subr.c, host-tested). */
int kevent_timer_ns(int64_t data, uint32_t fflags, uint64_t *ns);
unsigned knote_hashidx(uint64_t ident, uint64_t mask);
uint64_t kevent_timer_expirations(uint64_t now, uint64_t *next,
    uint64_t period);

/* Kernel-side kqueue calls (ktests use them with kernel buffers). */
int kern_kqueue(int flags);
int kern_kevent(int fd, const struct kevent *changes, int nchanges,
    struct kevent *events, int nevents, int64_t timo_ns, bool user);
int kqueue_register(struct kqueue *kq, struct kevent *kev);
/* Queue a one-off EV_ONESHOT event kev on kq (NOTE_CHILD). */
int knote_notice(struct kqueue *kq, const struct kevent *kev);

/* System calls (private numbers, include/uapi/syscalls.def). */
struct timespec;
long sys_kqueue(void);
long sys_kqueue1(int flags);
long sys_kevent(int fd, const struct kevent *changelist, int nchanges,
    struct kevent *eventlist, int nevents, const struct timespec *timeout);

#endif /* !_EVENT_H_ */
