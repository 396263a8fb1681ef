/*
 * kern_event_subr.c: the pure arithmetic of kqueue -- timer units, timer
 * expiration counting and the knote hash -- kept free of locks and
 * hardware so tests/host/kevent.c can check it on the host.
 *
 * Timer data is a count of NOTE_SECONDS, NOTE_MSECONDS (the default),
 * NOTE_USECONDS or NOTE_NSECONDS, as in FreeBSD's kqueue(2); Mica rejects
 * zero and negative periods with EINVAL (FreeBSD rounds 0 up) and clamps
 * huge ones to INT64_MAX nanoseconds, as FreeBSD clamps to SBT_MAX.
 */
#include <event.h>
#include <uapi/errno.h>

#define NOTE_TIMER_UNITS (NOTE_SECONDS | NOTE_MSECONDS | NOTE_USECONDS | \
	NOTE_NSECONDS)

int
kevent_timer_ns(int64_t data, uint32_t fflags, uint64_t *ns)
{
	uint64_t mult;

	if (data <= 0)
		return (-EINVAL);
	switch (fflags & NOTE_TIMER_UNITS) {
	case 0:
	case NOTE_MSECONDS:
		mult = 1000000;
		break;
	case NOTE_SECONDS:
		mult = 1000000000;
		break;
	case NOTE_USECONDS:
		mult = 1000;
		break;
	case NOTE_NSECONDS:
		mult = 1;
		break;
	default:
		return (-EINVAL);	/* more than one unit */
	}
	if ((uint64_t)data > (uint64_t)INT64_MAX / mult)
		*ns = (uint64_t)INT64_MAX;
	else
		*ns = (uint64_t)data * mult;
	return (0);
}

/*
 * How many times a timer due at *next with `period` (0: one-shot) has
 * expired by `now`; advances *next past now for a periodic timer.
 */
uint64_t
kevent_timer_expirations(uint64_t now, uint64_t *next, uint64_t period)
{
	uint64_t n;

	if (now < *next)
		return (0);
	if (period == 0)
		return (1);
	n = (now - *next) / period + 1;
	*next += n * period;
	return (n);
}

/* FreeBSD's KN_HASH: fold the second byte in, keep the low bits. */
unsigned
knote_hashidx(uint64_t ident, uint64_t mask)
{
	return ((unsigned)((ident ^ (ident >> 8)) & mask));
}
