/*
 * dev_kmsg.c: /dev/kmsg (1,11), user space writing into the kernel log.
 *
 * Each write(2) becomes one kernel log line, as on Linux: a leading "<N>"
 * priority is stripped and mapped to the printk level, trailing newlines
 * are folded into one.  init uses it to report a program's exit status to
 * tools/qrun on the kernel's console.  Reading the log back through
 * /dev/kmsg is not implemented (read answers -EINVAL).
 */
#include <cdev.h>
#include <kernel.h>
#include <libkern.h>
#include <uapi/errno.h>
#include <uio.h>

#define KMSG_LINE	512	/* longer writes are cut, as Linux cuts at 1024 */

static int
kmsg_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	return (-EINVAL);
}

static int
kmsg_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	char buf[KMSG_LINE];
	size_t n = MIN(sizeof(buf) - 1, (size_t)uio->uio_resid);
	char *p = buf;
	int error, level = 6;

	error = uiomove(buf, n, uio);
	if (error != 0)
		return (error);
	/* Linux accepts and ignores what does not fit in one record. */
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	buf[n] = '\0';
	if (p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>') {
		level = p[1] - '0';
		p += 3;
	}
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	/* printk takes the level only as the format's first two bytes. */
	char fmt[] = { '\001', (char)('0' + level), '%', 's', '\n', '\0' };

	printk(fmt, p);
	return (0);
}

static const struct cdevsw kmsg_cdevsw = {
	.d_name = "kmsg",
	.d_read = kmsg_read,
	.d_write = kmsg_write,
};

void dev_kmsg_init(void);

void
dev_kmsg_init(void)
{
	if (make_dev(&kmsg_cdevsw, 0, makedev(1, 11), 0644, "kmsg") == NULL)
		printk(KERN_WARNING "devfs: cannot make /dev/kmsg\n");
}
