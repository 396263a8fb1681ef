/*
 * uapi/event.h: the kqueue ABI, FreeBSD 12's struct kevent and constants
 * (FreeBSD sys/sys/event.h), shared by the kernel and user/include/sys/event.h.
 *
 * The includer provides the fixed-width integer types (<types.h> in the
 * kernel, <stdint.h> in user space).  Values are FreeBSD's, so a program
 * written for FreeBSD compiles and behaves the same on Mica.
 */
#ifndef _UAPI_EVENT_H_
#define _UAPI_EVENT_H_

#define EVFILT_READ		(-1)
#define EVFILT_WRITE		(-2)
#define EVFILT_AIO		(-3)	/* not in Mica */
#define EVFILT_VNODE		(-4)
#define EVFILT_PROC		(-5)
#define EVFILT_SIGNAL		(-6)
#define EVFILT_TIMER		(-7)
#define EVFILT_PROCDESC		(-8)	/* not in Mica */
#define EVFILT_FS		(-9)	/* not in Mica */
#define EVFILT_LIO		(-10)	/* not in Mica */
#define EVFILT_USER		(-11)
#define EVFILT_SENDFILE		(-12)	/* not in Mica */
#define EVFILT_EMPTY		(-13)	/* not in Mica */
#define EVFILT_SYSCOUNT		13

struct kevent {
	uint64_t	ident;		/* identifier for this event */
	int16_t		filter;		/* filter for event */
	uint16_t	flags;		/* action flags for kqueue */
	uint32_t	fflags;		/* filter flag value */
	int64_t		data;		/* filter data value */
	void		*udata;		/* opaque user data identifier */
	uint64_t	ext[4];		/* extensions */
};

#define EV_SET(kevp_, a, b, c, d, e, f) do {	\
	struct kevent *kevp__ = (kevp_);	\
	kevp__->ident = (a);			\
	kevp__->filter = (b);			\
	kevp__->flags = (c);			\
	kevp__->fflags = (d);			\
	kevp__->data = (e);			\
	kevp__->udata = (f);			\
	kevp__->ext[0] = 0;			\
	kevp__->ext[1] = 0;			\
	kevp__->ext[2] = 0;			\
	kevp__->ext[3] = 0;			\
} while (0)

/* actions */
#define EV_ADD		0x0001		/* add event to kq (implies enable) */
#define EV_DELETE	0x0002		/* delete event from kq */
#define EV_ENABLE	0x0004		/* enable event */
#define EV_DISABLE	0x0008		/* disable event (not reported) */
#define EV_FORCEONESHOT	0x0100		/* enable _ONESHOT and force trigger */

/* flags */
#define EV_ONESHOT	0x0010		/* only report one occurrence */
#define EV_CLEAR	0x0020		/* clear event state after reporting */
#define EV_RECEIPT	0x0040		/* force EV_ERROR on success, data=0 */
#define EV_DISPATCH	0x0080		/* disable event after reporting */

#define EV_SYSFLAGS	0xF000		/* reserved by system */
#define EV_DROP		0x1000		/* note should be dropped */
#define EV_FLAG1	0x2000		/* filter-specific flag */
#define EV_FLAG2	0x4000		/* filter-specific flag */

/* returned values */
#define EV_EOF		0x8000		/* EOF detected */
#define EV_ERROR	0x4000		/* error, data contains errno */

/* EVFILT_USER: fflags, the control part and the flags part. */
#define NOTE_FFNOP	0x00000000	/* ignore input fflags */
#define NOTE_FFAND	0x40000000	/* AND fflags */
#define NOTE_FFOR	0x80000000	/* OR fflags */
#define NOTE_FFCOPY	0xc0000000	/* copy fflags */
#define NOTE_FFCTRLMASK	0xc0000000	/* masks for operations */
#define NOTE_FFLAGSMASK	0x00ffffff
#define NOTE_TRIGGER	0x01000000	/* cause the event to be triggered */

/* EVFILT_READ, EVFILT_WRITE */
#define NOTE_LOWAT	0x0001		/* low water mark */
#define NOTE_FILE_POLL	0x0002		/* behave like poll() */

/* EVFILT_VNODE */
#define NOTE_DELETE	0x0001		/* vnode was removed */
#define NOTE_WRITE	0x0002		/* data contents changed */
#define NOTE_EXTEND	0x0004		/* size increased */
#define NOTE_ATTRIB	0x0008		/* attributes changed */
#define NOTE_LINK	0x0010		/* link count changed */
#define NOTE_RENAME	0x0020		/* vnode was renamed */
#define NOTE_REVOKE	0x0040		/* vnode access was revoked */

/* EVFILT_PROC */
#define NOTE_EXIT	0x80000000	/* process exited */
#define NOTE_FORK	0x40000000	/* process forked */
#define NOTE_EXEC	0x20000000	/* process exec'd */
#define NOTE_PCTRLMASK	0xf0000000	/* mask for hint bits */
#define NOTE_PDATAMASK	0x000fffff	/* mask for pid */
#define NOTE_TRACK	0x00000001	/* follow across forks */
#define NOTE_TRACKERR	0x00000002	/* could not track child */
#define NOTE_CHILD	0x00000004	/* am a child process */

/* EVFILT_TIMER: units of data (NOTE_MSECONDS if none) and NOTE_ABSTIME. */
#define NOTE_SECONDS	0x00000001
#define NOTE_MSECONDS	0x00000002
#define NOTE_USECONDS	0x00000004
#define NOTE_NSECONDS	0x00000008
#define NOTE_ABSTIME	0x00000010

#endif /* !_UAPI_EVENT_H_ */
