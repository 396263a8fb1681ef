/*
 * Host tests for kernel/kern_event_subr.c: EVFILT_TIMER unit conversion
 * (kqueue(2): NOTE_SECONDS, NOTE_MSECONDS default, NOTE_USECONDS,
 * NOTE_NSECONDS), expiration counting, and the knote hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <event.h>
#include <uapi/errno.h>

static void
test_timer_units(void **state)
{
	uint64_t ns = 0;

	assert_int_equal(kevent_timer_ns(5, 0, &ns), 0);
	assert_int_equal(ns, 5000000);		/* milliseconds by default */
	assert_int_equal(kevent_timer_ns(5, NOTE_MSECONDS, &ns), 0);
	assert_int_equal(ns, 5000000);
	assert_int_equal(kevent_timer_ns(3, NOTE_SECONDS, &ns), 0);
	assert_int_equal(ns, 3000000000ULL);
	assert_int_equal(kevent_timer_ns(7, NOTE_USECONDS, &ns), 0);
	assert_int_equal(ns, 7000);
	assert_int_equal(kevent_timer_ns(9, NOTE_NSECONDS, &ns), 0);
	assert_int_equal(ns, 9);
	/* NOTE_ABSTIME is not a unit: it combines with one. */
	assert_int_equal(kevent_timer_ns(2, NOTE_SECONDS | NOTE_ABSTIME, &ns),
	    0);
	assert_int_equal(ns, 2000000000ULL);
}

static void
test_timer_bad(void **state)
{
	uint64_t ns = 42;

	assert_int_equal(kevent_timer_ns(0, 0, &ns), -EINVAL);
	assert_int_equal(kevent_timer_ns(-1, NOTE_SECONDS, &ns), -EINVAL);
	assert_int_equal(kevent_timer_ns(1, NOTE_SECONDS | NOTE_USECONDS,
	    &ns), -EINVAL);
	assert_int_equal(ns, 42);		/* untouched on error */
	/* Overflow clamps to INT64_MAX ns. */
	assert_int_equal(kevent_timer_ns(INT64_MAX, NOTE_SECONDS, &ns), 0);
	assert_int_equal(ns, (uint64_t)INT64_MAX);
	assert_int_equal(kevent_timer_ns(9223372037LL, NOTE_SECONDS, &ns), 0);
	assert_int_equal(ns, (uint64_t)INT64_MAX);
	assert_int_equal(kevent_timer_ns(9223372036LL, NOTE_SECONDS, &ns), 0);
	assert_int_equal(ns, 9223372036000000000ULL);
}

static void
test_timer_expirations(void **state)
{
	uint64_t next = 100;

	assert_int_equal(kevent_timer_expirations(99, &next, 10), 0);
	assert_int_equal(next, 100);
	assert_int_equal(kevent_timer_expirations(100, &next, 10), 1);
	assert_int_equal(next, 110);
	/* Late by 3.5 periods: 4 expirations, next on the period grid. */
	assert_int_equal(kevent_timer_expirations(145, &next, 10), 4);
	assert_int_equal(next, 150);
	/* One-shot: one expiration, next unchanged. */
	next = 50;
	assert_int_equal(kevent_timer_expirations(1000, &next, 0), 1);
	assert_int_equal(next, 50);
}

static void
test_hash(void **state)
{
	assert_int_equal(knote_hashidx(0, 63), 0);
	assert_int_equal(knote_hashidx(5, 63), 5);
	assert_int_equal(knote_hashidx(0x100, 63), 1);	/* 0x100 ^ 0x1 */
	assert_int_equal(knote_hashidx(0x1234, 63), (0x1234 ^ 0x12) & 63);
	for (uint64_t i = 0; i < 100000; i += 7)
		assert_true(knote_hashidx(i, 63) <= 63);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_units),
		cmocka_unit_test(test_timer_bad),
		cmocka_unit_test(test_timer_expirations),
		cmocka_unit_test(test_hash),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
