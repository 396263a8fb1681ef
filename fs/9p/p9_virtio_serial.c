/*
 * p9_virtio_serial.c: the 9P byte-stream transport over a virtio-serial
 * port (the primary transport: QEMU connects the port to diod's socket).
 *
 * Sending is one vcons_port_write of the whole message (the port takes
 * one writer at a time, so messages never interleave); receiving returns
 * whatever bytes the port holds and p9_mnt.c rebuilds messages from their
 * size[4] header.  The guest's PORT_OPEN is sent only after the host end
 * is known to be connected, since QEMU discards guest data until then.
 */
#include <clock.h>
#include <kernel.h>
#include <p9_trans.h>
#include <proc.h>
#include <uapi/errno.h>
#include <virtio_console.h>


static int
vs_send(void *arg, const void *msg, size_t len)
{
	ssize_t n = vcons_port_write(arg, msg, len);

	if (n == (ssize_t)len)
		return (0);
	return (n < 0 ? (int)n : -EIO);
}

static ssize_t
vs_recv(void *arg, void *buf, size_t len, uint64_t timo_ns)
{
	return (vcons_port_read_timo(arg, buf, len, timo_ns));
}

static void
vs_close(void *arg)
{
	vcons_port_close(arg);
}

static const struct p9_trans p9_vserial_trans = {
	.tr_name = "virtio-serial",
	.tr_send = vs_send,
	.tr_recv = vs_recv,
	.tr_close = vs_close,
};

static int
mnt_ksleep(struct mnt *m, const void *chan, bool intr)
{
	int error;

	if (curthread == NULL)
		return (-EDEADLK);	/* before the scheduler: cannot wait */
	error = msleep(chan, &m->m_lock, intr ? PCATCH : 0, "9pmnt", 0);

	return (error == -ERESTART ? -EINTR : error);
}

static void
mnt_kwakeup(struct mnt *m, const void *chan)
{
	wakeup(chan);
}

void
p9_mnt_kernel_hooks(struct mnt *m)
{
	m->m_sleep = mnt_ksleep;
	m->m_wakeup = mnt_kwakeup;
}

struct mnt *
p9_vserial_connect(const char *name, uint32_t msize, uint64_t timo_ns,
    int *errp)
{
	struct vcons_port *port;
	struct mnt *m;
	uint8_t junk[256];
	int error;

	port = vcons_port_wait(name, timo_ns);
	if (port == NULL) {
		*errp = -ENODEV;
		return (NULL);
	}
	if ((error = vcons_port_wait_connected(port, timo_ns)) != 0) {
		*errp = error == -EINTR ? -EINTR : -ENOTCONN;
		return (NULL);
	}
	if ((error = vcons_port_open_excl(port)) != 0) {
		*errp = error;		/* another channel holds the port */
		return (NULL);
	}
	/*
	 * Bytes a server sent to the channel before this one (the rest of
	 * a reply after a fault, a late or duplicated reply) are not ours:
	 * the new channel starts at the Rversion.
	 */
	while (vcons_port_read_timo(port, junk, sizeof(junk),
	    (uint64_t)-1) > 0)
		;
	m = mnt_alloc(&p9_vserial_trans, port);
	if (m == NULL) {
		vcons_port_close(port);
		*errp = -ENOMEM;
		return (NULL);
	}
	p9_mnt_kernel_hooks(m);
	/* A server that does not answer Tversion within wait= is not one. */
	if (timo_ns != 0)
		m->m_timo_ns = timo_ns;
	error = mnt_version(m, msize);
	if (error != 0) {
		mnt_free(m);
		*errp = error;
		return (NULL);
	}
	*errp = 0;
	return (m);
}
