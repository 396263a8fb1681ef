/*
 * cdev.h: character devices (FreeBSD struct cdevsw and make_dev).
 *
 * A driver fills a cdevsw with its entry points and calls make_dev to get
 * a node under /dev; devfs routes open/read/write/ioctl/poll on that node
 * to the driver with the unit number.  Entry points return 0 / a byte
 * count, or a negative errno.
 */
#ifndef _CDEV_H_
#define _CDEV_H_

#include <types.h>

struct uio;
struct knote;
struct cdev;
struct file;

struct cdevsw {
	const char *d_name;
	int (*d_open)(struct cdev *dev, int oflags);
	int (*d_close)(struct cdev *dev, int fflag);
	int (*d_read)(struct cdev *dev, struct uio *uio, int ioflag);
	int (*d_write)(struct cdev *dev, struct uio *uio, int ioflag);
	int (*d_ioctl)(struct cdev *dev, unsigned long cmd, void *data,
	    int fflag);	/* data: user pointer, use copyin/copyout */
	int (*d_poll)(struct cdev *dev, int events);	/* POLL* ready now */
	int (*d_kqfilter)(struct cdev *dev, struct knote *kn);
	int d_flags;	/* D_* below */
	/*
	 * Cloning devices (/dev/ptmx): if set, open calls this instead of
	 * d_open and it sets fp's f_ops/f_data/f_type itself, so each open
	 * file can be its own object.
	 */
	int (*d_fdopen)(struct cdev *dev, int oflags, struct file *fp);
};

#define D_SEEKABLE	0x0001	/* lseek works (memory devices); else ESPIPE */

struct cdev {
	const struct cdevsw *si_devsw;
	int si_unit;
	void *si_drv1;		/* driver's private pointer */
	char si_name[32];
	dev_t si_rdev;		/* makedev(major, minor) as Linux shows it */
	mode_t si_mode;
	uid_t si_uid;
	gid_t si_gid;
};

#define IO_NDELAY	0x0004	/* O_NONBLOCK on the open file */

/* Create /dev/<name> (one directory level allowed: "pts/3"); NULL on failure. */
struct cdev *make_dev(const struct cdevsw *devsw, int unit, dev_t rdev,
    mode_t mode, const char *name);
void destroy_dev(struct cdev *dev);
void make_dev_dir(const char *name);	/* /dev/<name>, always there */

#define makedev(ma, mi) ((dev_t)(((uint64_t)(ma) << 8) | (mi)))

/*
 * /dev/kstat's text (fs/dev_kstat.c): the counters as "name value" lines
 * into buf, NUL-terminated; returns the length.  KSTAT_BUFSIZE holds them
 * all (a panic says when a new line outgrows it).
 */
#define KSTAT_BUFSIZE	1024
int kstat_format(char *buf, size_t size);

#endif /* !_CDEV_H_ */
