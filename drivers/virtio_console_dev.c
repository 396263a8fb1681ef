/*
 * virtio_console_dev.c: /dev/vportNpM, the ports of virtio-serial device N
 * as character devices (Linux's names), for user programs.
 *
 * The nodes are made when the device attaches (thread context at boot,
 * before devfs mounts: make_dev registers them and devfs replays them),
 * one per port the driver serves; opening a port the device has not
 * announced is -ENXIO.  open sends the guest's PORT_OPEN, the last close
 * PORT_OPEN 0.  read blocks for at least one byte unless O_NONBLOCK
 * (-EAGAIN) and returns 0 at hang-up; write sends everything or fails
 * (-ENOTCONN while the host end is closed).  Device numbers: major 240
 * (Linux's range for local use; its own major is dynamic), minor
 * 8 * N + M.
 */
#include <cdev.h>
#include <kernel.h>
#include <kmem.h>
#include <printf.h>
#include <uapi/errno.h>
#include <uio.h>
#include <virtio_console.h>

#define VPORT_MAJOR	240
#define VPORT_CHUNK	4096
#define VPORT_BIGCHUNK	(64 * 1024)	/* = VCONS_TXMAX: one chain */

static int
vport_open(struct cdev *dev, int oflags)
{
	struct vcons_port *p = dev->si_drv1;

	if (!vcons_port_present(p))
		return (-ENXIO);
	return (vcons_port_open(p));
}

static int
vport_close(struct cdev *dev, int fflag)
{
	vcons_port_close(dev->si_drv1);
	return (0);
}

static int
vport_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	struct vcons_port *p = dev->si_drv1;
	char *buf;
	ssize_t n;
	int error;

	if (uio->uio_resid == 0)
		return (0);
	buf = kmalloc(VPORT_CHUNK, 0);
	if (buf == NULL)
		return (-ENOMEM);
	n = vcons_port_read(p, buf, MIN((size_t)uio->uio_resid, VPORT_CHUNK),
	    !(ioflag & IO_NDELAY));
	error = n > 0 ? uiomove(buf, n, uio) : (int)n;
	kfree(buf);
	return (error);
}

static int
vport_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	struct vcons_port *p = dev->si_drv1;
	size_t chunk = VPORT_CHUNK;
	char *buf = NULL;
	int error = 0;

	/*
	 * A big write goes out in chains of up to 64 KiB: each chain costs a
	 * notify and a wait for the host, so 4 KiB chains made a 64 KiB
	 * write 16 round trips (a quarter of Linux's bandwidth under TCG,
	 * docs/performance.md).  Without 64 KiB of free contiguous memory
	 * it falls back to 4 KiB.
	 */
	if ((size_t)uio->uio_resid > VPORT_CHUNK) {
		chunk = MIN((size_t)uio->uio_resid, VPORT_BIGCHUNK);
		buf = kmalloc(chunk, M_NOWAIT);
		if (buf == NULL)
			chunk = VPORT_CHUNK;
	}
	if (buf == NULL)
		buf = kmalloc(chunk, 0);
	if (buf == NULL)
		return (-ENOMEM);
	while (uio->uio_resid > 0 && error == 0) {
		size_t n = MIN((size_t)uio->uio_resid, chunk);
		ssize_t w;

		if ((error = uiomove(buf, n, uio)) != 0)
			break;
		w = vcons_port_write(p, buf, n);
		if (w < 0)
			error = (int)w;
	}
	kfree(buf);
	return (error);
}

static const struct cdevsw vport_cdevsw = {
	.d_name = "vport",
	.d_open = vport_open,
	.d_close = vport_close,
	.d_read = vport_read,
	.d_write = vport_write,
};

const struct cdevsw *
vcons_cdevsw(void)
{
	return (&vport_cdevsw);
}

struct cdev *
vcons_make_dev(struct vcons_port *p, int unit, int id)
{
	struct cdev *dev;
	char name[16];

	snprintf(name, sizeof(name), "vport%dp%d", unit, id);
	dev = make_dev(&vport_cdevsw, unit * 8 + id,
	    makedev(VPORT_MAJOR, unit * 8 + id), 0600, name);
	if (dev != NULL)
		dev->si_drv1 = p;
	return (dev);
}
