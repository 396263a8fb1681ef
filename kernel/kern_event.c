/*
 * kern_event.c: kqueue and kevent (FreeBSD kern/kern_event.c).
 *
 * kqueue_register adds, changes or deletes one knote from a change list
 * entry; kqueue_scan collects events from the kqueue's active queue,
 * kq_head.  A knote gets on kq_head only through knote_activate, when its
 * filter said "event" -- at registration or when its object called
 * knote() -- so a kevent call never looks at idle knotes.  Level-triggered
 * knotes are checked again (f_event) when collected and go back to the
 * tail of the queue while still ready; a marker knote at the tail stops a
 * scan from seeing them twice.
 *
 * The index: knotes on descriptors hang on kq_knlist[fd] (an array that
 * grows with the largest fd watched), so knote_fdclose finds a closed
 * descriptor's knotes in every kqueue of the table at once; other
 * identifiers (pids, signals, timers, user events) hash into kq_knhash.
 *
 * A kqueue is a file (DTYPE_KQUEUE) that can itself be watched with
 * EVFILT_READ (data = events pending).  When a knote is newly queued the
 * kqueue fires the knotes on its own kq_note; that recursion ends because
 * a knote that is already queued fires nothing, so even a cycle of
 * kqueues watching each other stops after one round.  Adding a kqueue to
 * itself is EINVAL.  Locking: see include/event.h (one lock, kqueue_mtx).
 */
#include <clock.h>
#include <event.h>
#include <file.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <uapi/errno.h>

struct spinlock kqueue_mtx = SPINLOCK_INIT("kqueue");
int kq_nkqueues;		/* kqueue_mtx */
int kq_nknotes;			/* kqueue_mtx */

#define KQ_NEVENTS	16	/* events copied out per round */
#define KQ_MAXDEPTH	8	/* kqueue-on-kqueue propagation depth */

static int kq_depth;		/* kqueue_mtx: nesting of kq_note firing */

static const struct filterops *
kfilter_find(int filter)
{
	switch (filter) {
	case EVFILT_READ:
	case EVFILT_WRITE:
	case EVFILT_VNODE:
		return (&file_filtops);
	case EVFILT_PROC:
		return (&proc_filtops);
	case EVFILT_SIGNAL:
		return (&sig_filtops);
	case EVFILT_TIMER:
		return (&timer_filtops);
	case EVFILT_USER:
		return (&user_filtops);
	}
	return (NULL);
}

/* knlists ---------------------------------------------------------- */

void
knlist_add(struct knlist *list, struct knote *kn)
{
	spin_lock(&kqueue_mtx);
	LIST_INSERT_HEAD(&list->kl_list, kn, kn_selnext);
	kn->kn_knlist = list;
	kn->kn_status &= ~KN_DETACHED;
	spin_unlock(&kqueue_mtx);
}

void
knlist_remove(struct knlist *list, struct knote *kn)
{
	KASSERT(spin_owned(&kqueue_mtx), "knlist_remove: kqueue_mtx");
	if (kn->kn_status & KN_DETACHED)
		return;
	LIST_REMOVE(kn, kn_selnext);
	kn->kn_knlist = NULL;
	kn->kn_status |= KN_DETACHED;
}

bool
knlist_empty(struct knlist *list)
{
	return (LIST_EMPTY(&list->kl_list));
}

/* The queue ------------------------------------------------------- */

static void
kqueue_wakeup(struct kqueue *kq)
{
	if (kq->kq_state & KQ_SLEEP) {
		kq->kq_state &= ~KQ_SLEEP;
		wakeup(kq);
	}
	selwakeup_poll();
	/* Kqueues watching this one (a no-op on an already queued knote). */
	if (kq_depth < KQ_MAXDEPTH) {
		kq_depth++;
		knote_locked(&kq->kq_note, 0);
		kq_depth--;
	}
}

static void
knote_enqueue(struct knote *kn)
{
	struct kqueue *kq = kn->kn_kq;

	TAILQ_INSERT_TAIL(&kq->kq_head, kn, kn_tqe);
	kn->kn_status |= KN_QUEUED;
	kq->kq_count++;
	kqueue_wakeup(kq);
}

static void
knote_dequeue(struct knote *kn)
{
	struct kqueue *kq = kn->kn_kq;

	TAILQ_REMOVE(&kq->kq_head, kn, kn_tqe);
	kn->kn_status &= ~KN_QUEUED;
	kq->kq_count--;
}

/* KNOTE_ACTIVATE: the filter reported an event. */
void
knote_activate(struct knote *kn)
{
	KASSERT(spin_owned(&kqueue_mtx), "knote_activate: kqueue_mtx");
	kn->kn_status |= KN_ACTIVE;
	if ((kn->kn_status & (KN_QUEUED | KN_DISABLED)) == 0)
		knote_enqueue(kn);
}

void
knote_locked(struct knlist *list, long hint)
{
	struct knote *kn, *next;

	if (list == NULL)
		return;
	LIST_FOREACH_SAFE(kn, &list->kl_list, kn_selnext, next) {
		if (kn->kn_fop->f_event(kn, hint))
			knote_activate(kn);
	}
}

void
knote(struct knlist *list, long hint)
{
	if (list == NULL || LIST_EMPTY(&list->kl_list))
		return;		/* the common case: nobody watches */
	spin_lock(&kqueue_mtx);
	knote_locked(list, hint);
	spin_unlock(&kqueue_mtx);
}

/* The index ------------------------------------------------------- */

static struct klist *
knote_chain(struct kqueue *kq, const struct filterops *fops, uint64_t ident)
{
	if (fops->f_isfd)
		return (ident < (uint64_t)kq->kq_knlistsize ?
		    &kq->kq_knlist[ident] : NULL);
	if (kq->kq_knhash == NULL)
		return (NULL);
	return (&kq->kq_knhash[knote_hashidx(ident, kq->kq_knhashmask)]);
}

static struct knote *
knote_lookup(struct kqueue *kq, const struct filterops *fops,
    const struct kevent *kev)
{
	struct klist *chain = knote_chain(kq, fops, kev->ident);
	struct knote *kn;

	if (chain == NULL)
		return (NULL);
	LIST_FOREACH(kn, chain, kn_link)
		if (kn->kn_id == kev->ident && kn->kn_filter == kev->filter &&
		    !(kn->kn_status & KN_NOTICE))
			return (kn);
	return (NULL);
}

/* Unhook kn from everything and free it; kqueue_mtx held. */
static void
knote_drop(struct knote *kn)
{
	KASSERT(spin_owned(&kqueue_mtx), "knote_drop: kqueue_mtx");
	if (!(kn->kn_status & KN_DETACHED))
		kn->kn_fop->f_detach(kn);
	LIST_REMOVE(kn, kn_link);
	if (kn->kn_status & KN_QUEUED)
		knote_dequeue(kn);
	kq_nknotes--;
	kfree(kn);
}

/*
 * Make room in kq_knlist for descriptor fd.  Allocates with kqueue_mtx
 * dropped; returns with it held.
 */
static int
kqueue_expand(struct kqueue *kq, int fd)
{
	struct klist *nl, *ol;
	int n;

	KASSERT(spin_owned(&kqueue_mtx), "kqueue_expand: kqueue_mtx");
	while (fd >= kq->kq_knlistsize) {
		n = MAX(kq->kq_knlistsize * 2, 64);
		while (n <= fd)
			n *= 2;
		spin_unlock(&kqueue_mtx);
		nl = kcalloc(n, sizeof(*nl), M_WAITOK);
		spin_lock(&kqueue_mtx);
		if (nl == NULL)
			return (-ENOMEM);
		if (n <= kq->kq_knlistsize) {
			kfree(nl);	/* grown meanwhile */
			continue;
		}
		/* Entries hold list heads: move every chain over. */
		for (int i = 0; i < kq->kq_knlistsize; i++) {
			struct knote *kn;

			LIST_INIT(&nl[i]);
			while ((kn = LIST_FIRST(&kq->kq_knlist[i])) != NULL) {
				LIST_REMOVE(kn, kn_link);
				LIST_INSERT_HEAD(&nl[i], kn, kn_link);
			}
		}
		ol = kq->kq_knlist;
		kq->kq_knlist = nl;
		kq->kq_knlistsize = n;
		if (ol != NULL) {
			spin_unlock(&kqueue_mtx);
			kfree(ol);
			spin_lock(&kqueue_mtx);
		}
	}
	return (0);
}

/* Registration ---------------------------------------------------- */

/*
 * Apply one change (FreeBSD kqueue_register).  Errors: EINVAL unknown
 * filter or a kqueue added to itself or a filter's own refusal; EBADF
 * bad descriptor; ENOENT no such knote without EV_ADD; ESRCH no such
 * process; ENOMEM.
 */
int
kqueue_register(struct kqueue *kq, struct kevent *kev)
{
	const struct filterops *fops;
	struct file *fp = NULL;
	struct knote *kn, *tkn = NULL;
	int error = 0, event;

	if ((fops = kfilter_find(kev->filter)) == NULL)
		return (-EINVAL);
	if (kev->filter == EVFILT_TIMER && (kev->flags & EV_ADD)) {
		uint64_t ns;

		/* Checked here too: a re-add (f_touch) cannot fail. */
		if ((error = kevent_timer_ns(kev->data, kev->fflags, &ns)) != 0)
			return (error);
	}
	if (fops->f_isfd) {
		if (kev->ident > (uint64_t)INT32_MAX)
			return (-EBADF);
		if ((error = fget((int)kev->ident, &fp)) != 0)
			return (error);
		if ((kev->flags & EV_ADD) && fp->f_type == DTYPE_KQUEUE &&
		    fp->f_data == kq) {
			fdrop(fp);
			return (-EINVAL);
		}
	}
	if (kev->flags & EV_ADD) {
		tkn = kmalloc(sizeof(*tkn), M_WAITOK | M_ZERO);
		if (tkn == NULL) {
			error = -ENOMEM;
			goto out;
		}
	}
	spin_lock(&kqueue_mtx);
	if (kq->kq_state & KQ_CLOSING) {
		error = -EBADF;
		goto unlock;
	}
	kn = knote_lookup(kq, fops, kev);
	if (kn == NULL) {
		if (!(kev->flags & EV_ADD)) {
			error = -ENOENT;
			goto unlock;
		}
		if (fops->f_isfd &&
		    (error = kqueue_expand(kq, (int)kev->ident)) != 0)
			goto unlock;
		kn = tkn;
		tkn = NULL;
		kn->kn_kq = kq;
		kn->kn_fop = fops;
		kn->kn_fp = fp;
		kn->kn_kevent = *kev;
		kn->kn_flags &= ~(EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE |
		    EV_FORCEONESHOT);
		kn->kn_sfflags = kev->fflags;
		kn->kn_sdata = kev->data;
		kn->kn_fflags = 0;
		kn->kn_data = 0;
		kn->kn_status = KN_DETACHED;
		if (kev->flags & EV_DISABLE)
			kn->kn_status |= KN_DISABLED;
		LIST_INSERT_HEAD(knote_chain(kq, fops, kev->ident), kn,
		    kn_link);
		kq_nknotes++;
		spin_unlock(&kqueue_mtx);
		error = fops->f_attach(kn);
		spin_lock(&kqueue_mtx);
		if (error != 0) {
			kn->kn_status |= KN_DETACHED;
			knote_drop(kn);
			goto unlock;
		}
	} else if (!(kev->flags & EV_DELETE)) {
		/*
		 * Update a knote in place (any change but EV_DELETE, as in
		 * FreeBSD): a pending event stays pending.
		 */
		if (kn->kn_fop->f_touch != NULL)
			kn->kn_fop->f_touch(kn, kev, EVENT_REGISTER);
		else {
			kn->kn_sfflags = kev->fflags;
			kn->kn_sdata = kev->data;
			kn->kn_kevent.udata = kev->udata;
		}
	}
	if (kev->flags & EV_DELETE) {
		knote_drop(kn);
		goto unlock;
	}
	if (kev->flags & EV_DISABLE)
		kn->kn_status |= KN_DISABLED;
	if ((kev->flags & EV_ENABLE) && (kn->kn_status & KN_DISABLED))
		kn->kn_status &= ~KN_DISABLED;
	/* Is it ready now?  (A detached proc knote keeps its last state.) */
	event = 0;
	if (!(kn->kn_status & KN_DETACHED) || kn->kn_fop == &proc_filtops)
		event = kn->kn_fop->f_event(kn, 0);
	if (event)
		kn->kn_status |= KN_ACTIVE;
	if ((kn->kn_status & (KN_ACTIVE | KN_DISABLED | KN_QUEUED)) ==
	    KN_ACTIVE)
		knote_enqueue(kn);
unlock:
	spin_unlock(&kqueue_mtx);
out:
	if (tkn != NULL)
		kfree(tkn);
	if (fp != NULL)
		fdrop(fp);
	return (error);
}

/*
 * A one-off event that no change can name (FreeBSD registers an
 * EV_ONESHOT knote for NOTE_CHILD, separate from the tracking knote,
 * because both NOTE_CHILD and NOTE_EXIT use data).  It sits in the hash
 * so kqueue_close frees it if never collected, but lookups skip it.
 */
int
knote_notice(struct kqueue *kq, const struct kevent *kev)
{
	struct knote *kn;

	if ((kn = kmalloc(sizeof(*kn), M_WAITOK | M_ZERO)) == NULL)
		return (-ENOMEM);
	kn->kn_kq = kq;
	kn->kn_fop = kfilter_find(kev->filter);
	kn->kn_kevent = *kev;
	kn->kn_flags |= EV_ONESHOT;
	kn->kn_status = KN_DETACHED | KN_NOTICE;
	spin_lock(&kqueue_mtx);
	if (kq->kq_state & KQ_CLOSING) {
		spin_unlock(&kqueue_mtx);
		kfree(kn);
		return (-EBADF);
	}
	LIST_INSERT_HEAD(knote_chain(kq, kn->kn_fop, kev->ident), kn,
	    kn_link);
	kq_nknotes++;
	knote_activate(kn);
	spin_unlock(&kqueue_mtx);
	return (0);
}

/* Collection ------------------------------------------------------ */

static int
kevent_copyout(struct kevent *dst, const struct kevent *src, int n, bool user)
{
	if (!user) {
		memcpy(dst, src, n * sizeof(*src));
		return (0);
	}
	return (copyout(src, dst, n * sizeof(*src)));
}

/*
 * Collect up to maxevents events into ulist (FreeBSD kqueue_scan).
 * timo_ns < 0 waits forever, 0 polls.  Returns the count, or EINTR when a
 * signal ends the wait, EFAULT when ulist is bad.
 */
static int
kqueue_scan(struct kqueue *kq, int maxevents, struct kevent *ulist,
    int64_t timo_ns, bool user)
{
	struct kevent buf[KQ_NEVENTS];
	struct knote marker, *kn;
	uint64_t deadline = 0;
	int nkev = 0, n, error = 0, touch;

	if (maxevents == 0)
		return (0);
	if (timo_ns > 0)
		deadline = nanouptime() + (uint64_t)timo_ns;
	/*
	 * Only kn_status and kn_tqe of a marker are ever read (scanners test
	 * KN_MARKER first and skip it), so the rest stays uninitialised: no
	 * memset of a whole knote on every kevent call.
	 */
	marker.kn_status = KN_MARKER;
	spin_lock(&kqueue_mtx);
retry:
	if (kq->kq_count == 0) {
		uint64_t left = 0;

		if (timo_ns == 0)
			goto done;
		if (timo_ns > 0) {
			uint64_t now = nanouptime();

			if (now >= deadline)
				goto done;
			left = deadline - now;
		}
		kq->kq_state |= KQ_SLEEP;
		error = msleep(kq, &kqueue_mtx, PCATCH, "kqread", left);
		if (error == -EWOULDBLOCK) {
			error = 0;
			if (kq->kq_count == 0)
				goto done;
		} else if (error != 0) {
			error = -EINTR;
			goto done;
		}
		goto retry;
	}
	TAILQ_INSERT_TAIL(&kq->kq_head, &marker, kn_tqe);
	n = 0;
	while (nkev + n < maxevents) {
		kn = TAILQ_FIRST(&kq->kq_head);
		if (kn == &marker)
			break;
		if (kn->kn_status & KN_MARKER) {	/* another scanner's */
			TAILQ_REMOVE(&kq->kq_head, kn, kn_tqe);
			TAILQ_INSERT_TAIL(&kq->kq_head, kn, kn_tqe);
			continue;
		}
		knote_dequeue(kn);
		if (kn->kn_status & KN_DISABLED) {
			kn->kn_status &= ~KN_ACTIVE;
			continue;
		}
		if (kn->kn_flags & EV_ONESHOT) {
			buf[n++] = kn->kn_kevent;
			knote_drop(kn);
		} else {
			if (!(kn->kn_status & KN_DETACHED) ||
			    kn->kn_fop == &proc_filtops) {
				if (kn->kn_fop->f_event(kn, 0) == 0) {
					kn->kn_status &= ~KN_ACTIVE;
					continue;
				}
			}
			touch = (kn->kn_fop->f_touch != NULL);
			if (touch)
				kn->kn_fop->f_touch(kn, &buf[n], EVENT_PROCESS);
			else
				buf[n] = kn->kn_kevent;
			n++;
			if (kn->kn_flags & (EV_CLEAR | EV_DISPATCH)) {
				if (!touch && (kn->kn_flags & EV_CLEAR)) {
					kn->kn_data = 0;
					kn->kn_fflags = 0;
				}
				if (kn->kn_flags & EV_DISPATCH)
					kn->kn_status |= KN_DISABLED;
				kn->kn_status &= ~KN_ACTIVE;
			} else {
				/* Still ready: back on the queue, after us. */
				TAILQ_INSERT_TAIL(&kq->kq_head, kn, kn_tqe);
				kn->kn_status |= KN_QUEUED;
				kq->kq_count++;
			}
		}
		if (n == KQ_NEVENTS) {
			spin_unlock(&kqueue_mtx);
			error = kevent_copyout(ulist + nkev, buf, n, user);
			spin_lock(&kqueue_mtx);
			nkev += n;
			n = 0;
			if (error != 0)
				break;
		}
	}
	TAILQ_REMOVE(&kq->kq_head, &marker, kn_tqe);
	if (error == 0 && n == 0 && nkev == 0)
		goto retry;	/* everything queued went idle: wait again */
	spin_unlock(&kqueue_mtx);
	/* The last batch goes out unlocked, without taking the lock back. */
	if (error == 0 && n > 0) {
		error = kevent_copyout(ulist + nkev, buf, n, user);
		nkev += n;
	}
	return (error != 0 ? error : nkev);
done:
	spin_unlock(&kqueue_mtx);
	return (error != 0 ? error : nkev);
}

/* The kqueue as a file -------------------------------------------- */

static int
kqueue_poll(struct file *fp, int events)
{
	struct kqueue *kq = fp->f_data;
	int r = 0;

	spin_lock(&kqueue_mtx);
	if (kq->kq_count > 0)
		r = events & (POLLIN | POLLRDNORM);
	spin_unlock(&kqueue_mtx);
	return (r);
}

static void
filt_kqdetach(struct knote *kn)
{
	knlist_remove(&kn->kn_ptr.p_kq->kq_note, kn);
}

static int
filt_kqueue(struct knote *kn, long hint)
{
	kn->kn_data = kn->kn_ptr.p_kq->kq_count;
	return (kn->kn_data > 0);
}

static const struct filterops kqread_filtops = {
	.f_isfd = 1,
	.f_detach = filt_kqdetach,
	.f_event = filt_kqueue,
};

static int
kqueue_kqfilter(struct file *fp, struct knote *kn)
{
	struct kqueue *kq = fp->f_data;

	if (kn->kn_filter != EVFILT_READ)
		return (-EINVAL);
	kn->kn_fop = &kqread_filtops;
	kn->kn_ptr.p_kq = kq;
	knlist_add(&kq->kq_note, kn);
	return (0);
}

static int
kqueue_stat(struct file *fp, struct stat *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->st_mode = S_IFIFO;	/* as FreeBSD reports a kqueue */
	return (0);
}

/* The last reference went: drop every knote, then the kqueue. */
static int
kqueue_close(struct file *fp)
{
	struct kqueue *kq = fp->f_data;
	struct knote *kn;

	spin_lock(&kqueue_mtx);
	kq->kq_state |= KQ_CLOSING;
	for (int i = 0; i < kq->kq_knlistsize; i++)
		while ((kn = LIST_FIRST(&kq->kq_knlist[i])) != NULL)
			knote_drop(kn);
	for (uint64_t i = 0; kq->kq_knhash != NULL &&
	    i <= kq->kq_knhashmask; i++)
		while ((kn = LIST_FIRST(&kq->kq_knhash[i])) != NULL)
			knote_drop(kn);
	/*
	 * Knotes in other kqueues watching this one (none normally: they
	 * go with the descriptor they name): a last EV_EOF, then dropped,
	 * as FreeBSD's knlist_cleardel.
	 */
	while ((kn = LIST_FIRST(&kq->kq_note.kl_list)) != NULL) {
		knlist_remove(&kq->kq_note, kn);
		kn->kn_ptr.p_kq = NULL;
		kn->kn_flags |= EV_EOF | EV_ONESHOT;
		knote_activate(kn);
	}
	if (kq->kq_fdp != NULL)
		LIST_REMOVE(kq, kq_list);
	kq_nkqueues--;
	spin_unlock(&kqueue_mtx);
	kfree(kq->kq_knlist);
	kfree(kq->kq_knhash);
	kfree(kq);
	fp->f_data = NULL;
	return (0);
}

static const struct fileops kqueueops = {
	.fo_poll = kqueue_poll,
	.fo_kqfilter = kqueue_kqfilter,
	.fo_stat = kqueue_stat,
	.fo_close = kqueue_close,
};

/* The descriptor table side ---------------------------------------- */

/* The table is being freed: forget it (its kqueues may outlive it). */
void
kqueue_fdfree(struct filedesc *fdp)
{
	struct kqueue *kq;

	spin_lock(&kqueue_mtx);
	while ((kq = LIST_FIRST(&fdp->fd_kqlist)) != NULL) {
		LIST_REMOVE(kq, kq_list);
		kq->kq_fdp = NULL;
	}
	spin_unlock(&kqueue_mtx);
}

/* Descriptor fd of fdp is closing: its knotes go (FreeBSD knote_fdclose). */
void
knote_fdclose(struct filedesc *fdp, int fd)
{
	struct kqueue *kq;
	struct knote *kn;

	if (fdp == NULL || LIST_EMPTY(&fdp->fd_kqlist))
		return;
	spin_lock(&kqueue_mtx);
	LIST_FOREACH(kq, &fdp->fd_kqlist, kq_list) {
		if (fd >= kq->kq_knlistsize)
			continue;
		while ((kn = LIST_FIRST(&kq->kq_knlist[fd])) != NULL)
			knote_drop(kn);
	}
	spin_unlock(&kqueue_mtx);
}

/*
 * kqueue1 for kernel and user callers.  EINVAL flags other than
 * O_CLOEXEC; EMFILE, ENFILE, ENOMEM.
 */
int
kern_kqueue(int flags)
{
	struct filedesc *fdp;
	struct kqueue *kq;
	struct file *fp;
	int fd, error;

	if (flags & ~O_CLOEXEC)
		return (-EINVAL);
	kq = kmalloc(sizeof(*kq), M_WAITOK | M_ZERO);
	if (kq == NULL)
		return (-ENOMEM);
	kq->kq_knhash = kcalloc(KQ_NHASH, sizeof(struct klist), M_WAITOK);
	if (kq->kq_knhash == NULL) {
		kfree(kq);
		return (-ENOMEM);
	}
	kq->kq_knhashmask = KQ_NHASH - 1;
	TAILQ_INIT(&kq->kq_head);
	if ((error = falloc(&fp)) != 0) {
		kfree(kq->kq_knhash);
		kfree(kq);
		return (error);
	}
	fp->f_ops = &kqueueops;
	fp->f_data = kq;
	fp->f_type = DTYPE_KQUEUE;
	fp->f_flag = O_RDWR;
	spin_lock(&kqueue_mtx);
	kq_nkqueues++;
	spin_unlock(&kqueue_mtx);
	if ((error = finstall(NULL, fp, flags, &fd)) != 0) {
		fdrop(fp);
		return (error);
	}
	fdp = fd_curtable();
	spin_lock(&kqueue_mtx);
	kq->kq_fdp = fdp;
	LIST_INSERT_HEAD(&fdp->fd_kqlist, kq, kq_list);
	spin_unlock(&kqueue_mtx);
	return (fd);
}

/*
 * The body of kevent(2).  changes and events are user pointers when
 * `user`, else kernel ones.  Each change is applied in order; a change
 * that fails (or has EV_RECEIPT) is reported as an EV_ERROR event with
 * data = the positive errno while there is room in events, else the call
 * fails with that error (kqueue(2)).  Errors: EBADF fd is not a kqueue;
 * EINVAL negative counts; EFAULT bad lists; EINTR a signal while waiting.
 */
int
kern_kevent(int fd, const struct kevent *changes, int nchanges,
    struct kevent *events, int nevents, int64_t timo_ns, bool user)
{
	struct kevent kev;
	struct file *fp;
	struct kqueue *kq;
	bool held;
	int error, nerrors = 0;

	if ((error = fget_light(fd, &fp, &held)) != 0)
		return (error);
	if (fp->f_type != DTYPE_KQUEUE) {
		fdrop_light(fp, held);
		return (-EBADF);
	}
	kq = fp->f_data;
	if (nchanges < 0 || nevents < 0) {
		error = -EINVAL;
		goto out;
	}
	for (int i = 0; i < nchanges; i++) {
		if (user) {
			if ((error = copyin(&changes[i], &kev,
			    sizeof(kev))) != 0)
				goto out;
		} else
			kev = changes[i];
		if (kev.filter == 0)
			continue;
		kev.flags &= ~EV_SYSFLAGS;
		error = kqueue_register(kq, &kev);
		if (error != 0 || (kev.flags & EV_RECEIPT)) {
			if (nevents == 0)
				goto out;
			kev.flags = EV_ERROR;
			kev.data = -error;
			if ((error = kevent_copyout(&events[nerrors], &kev, 1,
			    user)) != 0)
				goto out;
			nevents--;
			nerrors++;
		}
	}
	if (nerrors > 0) {
		error = nerrors;
		goto out;
	}
	error = kqueue_scan(kq, nevents, events, timo_ns, user);
out:
	fdrop_light(fp, held);
	return (error);
}

/* kqueue(2): a new kqueue.  EMFILE, ENFILE, ENOMEM. */
long
sys_kqueue(void)
{
	return (kern_kqueue(0));
}

/* kqueue1(2): EINVAL flags other than O_CLOEXEC; EMFILE, ENFILE, ENOMEM. */
long
sys_kqueue1(int flags)
{
	return (kern_kqueue(flags));
}

/*
 * kevent(2): EBADF fd is not a kqueue or a change names a bad
 * descriptor; EFAULT bad changelist, eventlist or timeout; EINVAL
 * negative nchanges or nevents, tv_nsec outside [0, 1e9), a negative
 * tv_sec, an unknown filter, bad filter data; ENOENT EV_DELETE/ENABLE/
 * DISABLE of a missing knote; ESRCH EVFILT_PROC on no such process;
 * EINTR a signal while waiting.  Per-change errors come back as EV_ERROR
 * events while eventlist has room.
 */
long
sys_kevent(int fd, const struct kevent *changelist, int nchanges,
    struct kevent *eventlist, int nevents, const struct timespec *timeout)
{
	struct timespec ts;
	int64_t timo = -1;
	int error;

	if (timeout != NULL) {
		if ((error = copyin(timeout, &ts, sizeof(ts))) != 0)
			return (error);
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= 1000000000L)
			return (-EINVAL);
		if (ts.tv_sec > INT64_MAX / 1000000000L - 1)
			timo = -1;	/* too far off to tell from forever */
		else
			timo = ts.tv_sec * 1000000000L + ts.tv_nsec;
	}
	return (kern_kevent(fd, changelist, nchanges, eventlist, nevents,
	    timo, true));
}
