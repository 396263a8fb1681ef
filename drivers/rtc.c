/*
 * rtc.c: the battery-backed CMOS real-time clock (MC146818).
 *
 * Read once at boot for the wall-clock time; afterwards time advances
 * with the TSC (kern_clock.c).  The clock may be in BCD or binary and in
 * 12- or 24-hour mode (status register B says which); a read can straddle
 * an update, so the fields are read until two reads agree.  The RTC
 * holds UTC on QEMU and on Linux-configured machines.
 */
#include <lapic.h>
#include <x86.h>

#define IO_RTC		0x70
#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HRS		0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUSA	0x0a
#define RTC_STATUSB	0x0b
#define RTC_CENTURY	0x32
#define RTCSA_UIP	0x80	/* update in progress */
#define RTCSB_24HR	0x02
#define RTCSB_BIN	0x04

static uint8_t
rtcin(int reg)
{
	outb(IO_RTC, reg);
	return (inb(IO_RTC + 1));
}

static int
bcd2bin(int v)
{
	return ((v >> 4) * 10 + (v & 0xf));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (y, m 1-12, d). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
rtc_snapshot(uint8_t r[7])
{
	while (rtcin(RTC_STATUSA) & RTCSA_UIP)
		;
	r[0] = rtcin(RTC_SEC);
	r[1] = rtcin(RTC_MIN);
	r[2] = rtcin(RTC_HRS);
	r[3] = rtcin(RTC_DAY);
	r[4] = rtcin(RTC_MONTH);
	r[5] = rtcin(RTC_YEAR);
	r[6] = rtcin(RTC_CENTURY);
}

uint64_t
rtc_read_epoch(void)
{
	uint8_t a[7], b[7];
	int sec, min, hour, day, mon, year, cent, sb, tries = 0;
	bool pm;

	do {
		rtc_snapshot(a);
		rtc_snapshot(b);
	} while (__builtin_memcmp(a, b, sizeof(a)) != 0 && ++tries < 10);
	sb = rtcin(RTC_STATUSB);
	pm = (b[2] & 0x80) != 0;
	b[2] &= 0x7f;
	sec = b[0], min = b[1], hour = b[2], day = b[3], mon = b[4];
	year = b[5], cent = b[6];
	if (!(sb & RTCSB_BIN)) {
		sec = bcd2bin(sec), min = bcd2bin(min), hour = bcd2bin(hour);
		day = bcd2bin(day), mon = bcd2bin(mon), year = bcd2bin(year);
		cent = bcd2bin(cent);
	}
	if (!(sb & RTCSB_24HR)) {
		hour %= 12;
		if (pm)
			hour += 12;
	}
	year += (cent >= 19 && cent <= 30) ? cent * 100 : 2000;
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 ||
	    mon < 1 || mon > 12 || year < 1970)
		return (0);
	return ((uint64_t)days_from_civil(year, mon, day) * 86400 +
	    hour * 3600 + min * 60 + sec);
}
