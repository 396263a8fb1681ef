/*
 * kern_event_filt.c: the kqueue filters that do not belong to one file
 * type (FreeBSD kern/kern_event.c): EVFILT_READ/WRITE's entry into a
 * file's fo_kqfilter, EVFILT_PROC, EVFILT_SIGNAL, EVFILT_TIMER,
 * EVFILT_USER, the always-ready filter, and the process hooks (fork,
 * exec, exit, signal) that fire them.
 *
 * Process and signal knotes hang on the watched process's p_klist,
 * allocated when the first knote attaches and freed at exit, after
 * NOTE_EXIT has fired and every knote has been detached (a detached proc
 * knote keeps its EV_EOF event until collected).  Timer knotes each own
 * a callout; the callout runs at interrupt level and only takes
 * kqueue_mtx.  Semantics follow FreeBSD's kqueue(2) manual page.
 */
#include <callout.h>
#include <clock.h>
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <uapi/errno.h>

#define NOTE_SIGNAL	0x08000000	/* internal: a signal hint */
#define NSIG_MAX	64

/* EVFILT_READ / EVFILT_WRITE: the file decides (fo_kqfilter). --------- */

static int
filt_fileattach(struct knote *kn)
{
	struct file *fp = kn->kn_fp;

	if (fp->f_ops == NULL || fp->f_ops->fo_kqfilter == NULL)
		return (-EINVAL);
	return (fp->f_ops->fo_kqfilter(fp, kn));
}

static void
filt_nodetach(struct knote *kn)
{
	kn->kn_status |= KN_DETACHED;
}

static int
filt_true(struct knote *kn, long hint)
{
	return (1);
}

const struct filterops file_filtops = {
	.f_isfd = 1,
	.f_attach = filt_fileattach,
	.f_detach = filt_nodetach,
	.f_event = filt_true,
};

/* Always ready, data 0 (FreeBSD seltrue_kqfilter): /dev/null, /dev/zero. */
const struct filterops seltrue_filtops = {
	.f_isfd = 1,
	.f_detach = filt_nodetach,
	.f_event = filt_true,
};

int
seltrue_kqfilter(struct knote *kn)
{
	if (kn->kn_filter != EVFILT_READ && kn->kn_filter != EVFILT_WRITE)
		return (-EINVAL);
	kn->kn_fop = &seltrue_filtops;
	kn->kn_status &= ~KN_DETACHED;	/* attached to nothing */
	return (0);
}

/*
 * Hang kn on p's p_klist, which is allocated on first use from *spare
 * (taken: *spare becomes NULL).  With proc_lock held; takes kqueue_mtx.
 * EV_CLEAR is set automatically, as FreeBSD does for proc and signal.
 */
static int
proc_knote_attach(struct proc *p, struct knote *kn, struct knlist **spare)
{
	KASSERT(spin_owned(&proc_lock), "proc_knote_attach: proc_lock");
	spin_lock(&kqueue_mtx);
	if (p->p_klist == NULL) {
		if (*spare == NULL) {
			spin_unlock(&kqueue_mtx);
			return (-ENOMEM);
		}
		p->p_klist = *spare;
		*spare = NULL;
	}
	kn->kn_ptr.p_proc = p;
	kn->kn_flags |= EV_CLEAR;
	LIST_INSERT_HEAD(&p->p_klist->kl_list, kn, kn_selnext);
	kn->kn_knlist = p->p_klist;
	kn->kn_status &= ~KN_DETACHED;
	spin_unlock(&kqueue_mtx);
	return (0);
}

/* EVFILT_PROC ------------------------------------------------------ */

static int
filt_procattach(struct knote *kn)
{
	struct knlist *spare;
	struct proc *p;
	int error;

	if (kn->kn_id > (uint64_t)INT32_MAX || kn->kn_id == 0)
		return (-ESRCH);
	spare = kmalloc(sizeof(*spare), M_WAITOK | M_ZERO);
	spin_lock(&proc_lock);
	p = pfind((pid_t)kn->kn_id);
	if (p != NULL && p->p_state == PRS_ZOMBIE &&
	    (kn->kn_sfflags & NOTE_EXIT) && !(p->p_flag & P_KPROC)) {
		/*
		 * Exited, not yet reaped: NOTE_EXIT at once, as FreeBSD
		 * does (p_klist is gone; the knote stays detached).
		 */
		kn->kn_flags |= EV_CLEAR | EV_EOF | EV_ONESHOT;
		kn->kn_fflags = NOTE_EXIT;
		kn->kn_data = p->p_xstat;
		kn->kn_ptr.p_proc = NULL;
		spin_unlock(&proc_lock);
		kfree(spare);
		return (0);
	}
	if (p == NULL || p->p_state != PRS_NORMAL || (p->p_flag & P_KPROC)) {
		spin_unlock(&proc_lock);
		kfree(spare);
		return (-ESRCH);
	}
	error = proc_knote_attach(p, kn, &spare);
	spin_unlock(&proc_lock);
	kfree(spare);
	return (error);
}

static void
filt_procdetach(struct knote *kn)
{
	if (kn->kn_knlist != NULL)
		knlist_remove(kn->kn_knlist, kn);
}

static int
filt_proc(struct knote *kn, long hint)
{
	uint32_t event = (uint32_t)hint & NOTE_PCTRLMASK;
	struct proc *p = kn->kn_ptr.p_proc;

	if (kn->kn_sfflags & event)
		kn->kn_fflags |= event;
	if (event == NOTE_EXIT) {
		kn->kn_flags |= EV_EOF | EV_ONESHOT;
		if ((kn->kn_fflags & NOTE_EXIT) && p != NULL)
			kn->kn_data = p->p_xstat;	/* as wait(2) gives */
	}
	return (kn->kn_fflags != 0);
}

const struct filterops proc_filtops = {
	.f_isfd = 0,
	.f_attach = filt_procattach,
	.f_detach = filt_procdetach,
	.f_event = filt_proc,
};

/* p_klist is read under kqueue_mtx: knote_exit may free it. */
static void
knote_proc(struct proc *p, long hint)
{
	spin_lock(&kqueue_mtx);
	knote_locked(p->p_klist, hint);
	spin_unlock(&kqueue_mtx);
}

void
knote_exec(struct proc *p)
{
	knote_proc(p, NOTE_EXEC);
}

/*
 * p forked child: NOTE_FORK to p's knotes, and for each NOTE_TRACK knote
 * a new knote on the child in the same kqueue with the same fflags, plus
 * a one-off NOTE_CHILD event (data = p's pid) -- or NOTE_TRACKERR on the
 * parent's knote if either fails.  Runs in
 * fork before the child can run; on one CPU no kqueue goes meanwhile.
 */
void
knote_fork(struct proc *p, pid_t child)
{
	struct track { struct kqueue *kq; struct kevent kev; } *tr;
	struct knote *kn;
	int n = 0, i = 0;

	if (p->p_klist == NULL)
		return;
	spin_lock(&kqueue_mtx);
	LIST_FOREACH(kn, &p->p_klist->kl_list, kn_selnext) {
		if (kn->kn_fop != &proc_filtops)
			continue;
		if (kn->kn_fop->f_event(kn, NOTE_FORK))
			knote_activate(kn);
		if (kn->kn_sfflags & NOTE_TRACK)
			n++;
	}
	spin_unlock(&kqueue_mtx);
	if (n == 0)
		return;
	tr = kcalloc(n, sizeof(*tr), M_WAITOK);
	spin_lock(&kqueue_mtx);
	LIST_FOREACH(kn, &p->p_klist->kl_list, kn_selnext) {
		if (kn->kn_fop != &proc_filtops ||
		    !(kn->kn_sfflags & NOTE_TRACK) || tr == NULL || i == n)
			continue;
		tr[i].kq = kn->kn_kq;
		tr[i].kev = kn->kn_kevent;
		tr[i].kev.ident = (uint64_t)child;
		tr[i].kev.flags = (kn->kn_flags & ~(EV_EOF | EV_ONESHOT)) |
		    EV_ADD | EV_ENABLE;
		tr[i].kev.fflags = kn->kn_sfflags;
		tr[i].kev.data = 0;
		i++;
	}
	spin_unlock(&kqueue_mtx);
	for (int j = 0; j < n; j++) {
		struct kevent pk;
		struct kevent notice;
		int error = tr == NULL ? -ENOMEM :
		    kqueue_register(tr[j].kq, &tr[j].kev);

		if (error == 0) {
			/* The child's NOTE_CHILD, data = the parent's pid. */
			notice = tr[j].kev;
			notice.flags = (notice.flags & ~(EV_ADD | EV_ENABLE)) |
			    EV_ONESHOT;
			notice.fflags = NOTE_CHILD;
			notice.data = p->p_pid;
			error = knote_notice(tr[j].kq, &notice);
		}
		if (error == 0 || tr == NULL)
			continue;
		/* NOTE_TRACKERR on the parent's knote. */
		spin_lock(&kqueue_mtx);
		pk.ident = (uint64_t)p->p_pid;
		LIST_FOREACH(kn, &p->p_klist->kl_list, kn_selnext)
			if (kn->kn_kq == tr[j].kq &&
			    kn->kn_fop == &proc_filtops &&
			    kn->kn_id == pk.ident) {
				kn->kn_fflags |= NOTE_TRACKERR;
				knote_activate(kn);
			}
		spin_unlock(&kqueue_mtx);
	}
	if (tr == NULL) {
		/* No memory to even try: every tracking knote reports it. */
		spin_lock(&kqueue_mtx);
		LIST_FOREACH(kn, &p->p_klist->kl_list, kn_selnext)
			if (kn->kn_fop == &proc_filtops &&
			    (kn->kn_sfflags & NOTE_TRACK)) {
				kn->kn_fflags |= NOTE_TRACKERR;
				knote_activate(kn);
			}
		spin_unlock(&kqueue_mtx);
	}
	kfree(tr);
}

/*
 * p is a zombie with p_xstat set: fire NOTE_EXIT, then detach every
 * knote (they keep their event) and free p_klist.
 */
void
knote_exit(struct proc *p)
{
	struct knlist *list;
	struct knote *kn;

	spin_lock(&kqueue_mtx);
	if ((list = p->p_klist) == NULL) {
		spin_unlock(&kqueue_mtx);
		return;
	}
	knote_locked(list, NOTE_EXIT);
	while ((kn = LIST_FIRST(&list->kl_list)) != NULL) {
		knlist_remove(list, kn);
		kn->kn_ptr.p_proc = NULL;
	}
	p->p_klist = NULL;
	spin_unlock(&kqueue_mtx);
	kfree(list);
}

/* EVFILT_SIGNAL ---------------------------------------------------- */

static int
filt_sigattach(struct knote *kn)
{
	struct knlist *spare;
	struct proc *p = curproc;
	int error;

	if (kn->kn_id < 1 || kn->kn_id > NSIG_MAX)
		return (-EINVAL);
	spare = kmalloc(sizeof(*spare), M_WAITOK | M_ZERO);
	spin_lock(&proc_lock);
	error = proc_knote_attach(p, kn, &spare);
	spin_unlock(&proc_lock);
	kfree(spare);
	return (error);
}

static int
filt_signal(struct knote *kn, long hint)
{
	if ((hint & NOTE_SIGNAL) &&
	    (uint64_t)(hint & ~NOTE_SIGNAL) == kn->kn_id)
		kn->kn_data++;
	return (kn->kn_data != 0);
}

const struct filterops sig_filtops = {
	.f_isfd = 0,
	.f_attach = filt_sigattach,
	.f_detach = filt_procdetach,
	.f_event = filt_signal,
};

/* A signal was sent to p: counted even if ignored (kqueue(2)). */
void
knote_signal(struct proc *p, int sig)
{
	if (p->p_klist != NULL)		/* the common case: no watcher */
		knote_proc(p, NOTE_SIGNAL | sig);
}

/* EVFILT_TIMER ----------------------------------------------------- */

/* The callout: interrupts off, no lock held. */
static void
filt_timerexpire(void *arg)
{
	struct knote *kn = arg;
	uint64_t now = nanouptime(), n;

	spin_lock(&kqueue_mtx);
	n = kevent_timer_expirations(now, &kn->kn_tnext, kn->kn_tperiod);
	if (n > 0) {
		kn->kn_data += (int64_t)n;
		knote_activate(kn);
	}
	if (n == 0 || kn->kn_tperiod != 0)
		callout_reset(kn->kn_callout, ns_to_ticks(kn->kn_tnext - now),
		    filt_timerexpire, kn);
	spin_unlock(&kqueue_mtx);
}

/*
 * (Re)start kn's timer from kn_sdata/kn_sfflags (already checked);
 * kqueue_mtx held.  Periodic unless EV_ONESHOT or NOTE_ABSTIME.
 */
static void
filt_timerstart(struct knote *kn)
{
	uint64_t ns = 0, now = nanouptime();

	(void)kevent_timer_ns(kn->kn_sdata, kn->kn_sfflags, &ns);
	if (kn->kn_sfflags & NOTE_ABSTIME) {
		uint64_t wall = nanotime();	/* data is an epoch time */

		kn->kn_tnext = now + (ns > wall ? ns - wall : 0);
		kn->kn_tperiod = 0;
	} else {
		kn->kn_tnext = now + ns;
		kn->kn_tperiod = (kn->kn_flags & EV_ONESHOT) ? 0 : ns;
	}
	callout_reset(kn->kn_callout, ns_to_ticks(kn->kn_tnext - now),
	    filt_timerexpire, kn);
}

static int
filt_timerattach(struct knote *kn)
{
	struct callout *c;
	uint64_t ns;
	int error;

	if ((error = kevent_timer_ns(kn->kn_sdata, kn->kn_sfflags, &ns)) != 0)
		return (error);
	if ((c = kmalloc(sizeof(*c), M_WAITOK | M_ZERO)) == NULL)
		return (-ENOMEM);
	callout_init(c);
	kn->kn_flags |= EV_CLEAR;		/* automatically set */
	spin_lock(&kqueue_mtx);
	kn->kn_callout = c;
	kn->kn_status &= ~KN_DETACHED;
	filt_timerstart(kn);
	spin_unlock(&kqueue_mtx);
	return (0);
}

/*
 * Re-adding a timer restarts it with the new data and fflags and throws
 * away expirations not yet collected (kqueue(2), FreeBSD 12); the new
 * values were checked by kqueue_register.
 */
static void
filt_timertouch(struct knote *kn, struct kevent *kev, unsigned long type)
{
	switch (type) {
	case EVENT_REGISTER:
		if (!(kev->flags & EV_ADD))
			break;
		callout_stop(kn->kn_callout);
		kn->kn_sfflags = kev->fflags;
		kn->kn_sdata = kev->data;
		kn->kn_kevent.udata = kev->udata;
		kn->kn_flags = (kn->kn_flags & ~EV_ONESHOT) |
		    (kev->flags & EV_ONESHOT);
		kn->kn_data = 0;
		kn->kn_status &= ~KN_ACTIVE;	/* a queued one goes idle */
		filt_timerstart(kn);
		break;
	case EVENT_PROCESS:
		*kev = kn->kn_kevent;
		kn->kn_data = 0;		/* EV_CLEAR, always set */
		kn->kn_fflags = 0;
		break;
	}
}

static void
filt_timerdetach(struct knote *kn)
{
	if (kn->kn_callout != NULL) {
		callout_stop(kn->kn_callout);
		kfree(kn->kn_callout);
		kn->kn_callout = NULL;
	}
	kn->kn_status |= KN_DETACHED;
}

static int
filt_timer(struct knote *kn, long hint)
{
	return (kn->kn_data != 0);
}

const struct filterops timer_filtops = {
	.f_isfd = 0,
	.f_attach = filt_timerattach,
	.f_detach = filt_timerdetach,
	.f_event = filt_timer,
	.f_touch = filt_timertouch,
};

/* EVFILT_USER ------------------------------------------------------ */

static int
filt_userattach(struct knote *kn)
{
	kn->kn_hookid = (kn->kn_sfflags & NOTE_TRIGGER) ? 1 : 0;
	kn->kn_sfflags &= NOTE_FFLAGSMASK;
	kn->kn_status &= ~KN_DETACHED;	/* attached to nothing */
	return (0);
}

static int
filt_user(struct knote *kn, long hint)
{
	return (kn->kn_hookid);
}

static void
filt_usertouch(struct knote *kn, struct kevent *kev, unsigned long type)
{
	uint32_t ffl;

	switch (type) {
	case EVENT_REGISTER:
		if (kev->fflags & NOTE_TRIGGER)
			kn->kn_hookid = 1;
		ffl = kev->fflags & NOTE_FFLAGSMASK;
		switch (kev->fflags & NOTE_FFCTRLMASK) {
		case NOTE_FFAND:
			kn->kn_sfflags &= ffl;
			break;
		case NOTE_FFOR:
			kn->kn_sfflags |= ffl;
			break;
		case NOTE_FFCOPY:
			kn->kn_sfflags = ffl;
			break;
		default:		/* NOTE_FFNOP */
			break;
		}
		kn->kn_sdata = kev->data;
		if (kev->flags & EV_ADD)
			kn->kn_kevent.udata = kev->udata;
		if (kev->flags & EV_CLEAR) {
			kn->kn_hookid = 0;
			kn->kn_data = 0;
			kn->kn_fflags = 0;
		}
		break;
	case EVENT_PROCESS:
		*kev = kn->kn_kevent;
		kev->fflags = kn->kn_sfflags;
		kev->data = kn->kn_sdata;
		if (kn->kn_flags & EV_CLEAR) {
			kn->kn_hookid = 0;
			kn->kn_data = 0;
			kn->kn_fflags = 0;
		}
		break;
	}
}

const struct filterops user_filtops = {
	.f_isfd = 0,
	.f_attach = filt_userattach,
	.f_detach = filt_nodetach,
	.f_event = filt_user,
	.f_touch = filt_usertouch,
};
