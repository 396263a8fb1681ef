/*
 * p9_virtio.c: the 9P message transport over virtio-9p (QEMU's own 9P
 * server, `-device virtio-9p-pci`, legacy id 1af4:1009).
 *
 * One request queue.  Each T-message goes out as a two-segment chain:
 * a copy of the message (device-readable) and a reply buffer of msize
 * bytes (device-writable); the device puts the chain in the used ring with
 * the reply's length.  So replies arrive framed: recv hands out the
 * finished replies in completion order and p9_mnt.c matches them by tag
 * as on any other channel.  Large messages and the replies move without
 * a copy: tr_sendbuf posts the caller's buffer itself (the chain owns it
 * until the device returns the chain), tr_recvbuf hands the reply buffer
 * over in exchange for the caller's empty one.  The configuration space
 * holds the mount tag
 * (le16 length, then the bytes, no NUL); VIRTIO_9P_MOUNT_TAG is bit 0.
 * Lock order: vq_drain_lock, then sc_lock, then vq_lock.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <p9_trans.h>
#include <pci.h>
#include <uapi/errno.h>
#include <virtio.h>

#define VIRTIO_9P_MOUNT_TAG	(1u << 0)
#define VP9_MAXDEV		4

struct vp9_chain {
	struct vp9_chain *c_next;	/* sc_lock: finished list */
	uint8_t *c_tmsg;		/* copy of the T-message */
	uint8_t *c_rbuf;		/* the reply */
	uint32_t c_rlen, c_rpos;	/* sc_lock */
};

struct vp9_softc {
	struct virtio_softc vs;
	struct spinlock sc_lock;
	char sc_tag[64];
	struct virtqueue *sc_vq;
	uint32_t sc_msize;		/* reply buffer size */
	struct vp9_chain *sc_done;	/* sc_lock: finished, oldest first */
	struct vp9_chain **sc_donetail;	/* sc_lock */
	bool sc_inuse;			/* a channel is open on it */
};

static struct vp9_softc *vp9_devs[VP9_MAXDEV];
static int vp9_ndevs;

static void
vp9_chain_free(struct vp9_chain *c)
{
	kfree(c->c_tmsg);
	kfree(c->c_rbuf);
	kfree(c);
}

static void
vp9_done(struct virtqueue *vq, void *cookie, uint32_t len)
{
	struct vp9_softc *sc = vq->vq_arg;
	struct vp9_chain *c = cookie;

	kfree(c->c_tmsg);
	c->c_tmsg = NULL;
	if (len == 0) {			/* a cancelled (flushed) request */
		vp9_chain_free(c);
		return;
	}
	spin_lock(&sc->sc_lock);
	c->c_rlen = MIN(len, sc->sc_msize);
	c->c_rpos = 0;
	c->c_next = NULL;
	*sc->sc_donetail = c;
	sc->sc_donetail = &c->c_next;
	spin_unlock(&sc->sc_lock);
}

/*
 * Post one request: tmsg (len bytes, now the chain's) and a fresh reply
 * buffer of sc_msize bytes.  The chain is freed here on failure.
 */
static int
vp9_post(struct vp9_softc *sc, struct vp9_chain *c, size_t len)
{
	struct virtio_seg segs[2];
	int error;

	segs[0] = (struct virtio_seg){ c->c_tmsg, len };
	segs[1] = (struct virtio_seg){ c->c_rbuf, sc->sc_msize };
	/* Every tag in flight needs two descriptors; wait for room. */
	while ((error = virtq_enqueue(sc->sc_vq, segs, 1, 1, c)) == -ENOSPC) {
		uint64_t gen = sc->vs.sc_intr_gen;

		if (virtq_drain(sc->sc_vq) == 0)
			virtio_wait(&sc->vs, gen);
	}
	if (error != 0) {
		vp9_chain_free(c);
		return (error);
	}
	virtq_notify(sc->sc_vq);
	return (0);
}

static int
vp9_send(void *arg, const void *msg, size_t len)
{
	struct vp9_softc *sc = arg;
	struct vp9_chain *c;

	c = kmalloc(sizeof(*c), M_ZERO);
	if (c == NULL)
		return (-ENOMEM);
	c->c_tmsg = kmalloc(len, 0);
	c->c_rbuf = kmalloc(sc->sc_msize, 0);
	if (c->c_tmsg == NULL || c->c_rbuf == NULL) {
		vp9_chain_free(c);
		return (-ENOMEM);
	}
	memcpy(c->c_tmsg, msg, len);
	return (vp9_post(sc, c, len));
}

/* The message in *bufp goes out as it is; a new buffer takes its place. */
static int
vp9_sendbuf(void *arg, uint8_t **bufp, size_t len, size_t cap)
{
	struct vp9_softc *sc = arg;
	struct vp9_chain *c;
	uint8_t *nbuf;

	if (cap != sc->sc_msize)
		return (-EAGAIN);
	if ((c = kmalloc(sizeof(*c), M_ZERO)) == NULL)
		return (-ENOMEM);
	nbuf = kmalloc(cap, 0);
	c->c_rbuf = kmalloc(sc->sc_msize, 0);
	if (nbuf == NULL || c->c_rbuf == NULL) {
		kfree(nbuf);
		vp9_chain_free(c);
		return (-ENOMEM);
	}
	c->c_tmsg = *bufp;
	*bufp = nbuf;
	return (vp9_post(sc, c, len));
}

static ssize_t
vp9_recv(void *arg, void *buf, size_t len, uint64_t timo_ns)
{
	struct vp9_softc *sc = arg;
	uint64_t end = timo_ns ? nanouptime() + timo_ns : 0;

	for (;;) {
		uint64_t gen = sc->vs.sc_intr_gen;
		struct vp9_chain *c, *freeme = NULL;
		size_t n = 0;

		virtq_drain(sc->sc_vq);
		spin_lock(&sc->sc_lock);
		if ((c = sc->sc_done) != NULL) {
			n = MIN(len, c->c_rlen - c->c_rpos);
			memcpy(buf, c->c_rbuf + c->c_rpos, n);
			c->c_rpos += n;
			if (c->c_rpos == c->c_rlen) {
				sc->sc_done = c->c_next;
				if (sc->sc_done == NULL)
					sc->sc_donetail = &sc->sc_done;
				freeme = c;
			}
		}
		spin_unlock(&sc->sc_lock);
		if (freeme != NULL)
			vp9_chain_free(freeme);
		if (n > 0)
			return (n);
		if (end != 0 && nanouptime() >= end)
			return (-ETIMEDOUT);
		virtio_wait(&sc->vs, gen);
	}
}

/* The next whole reply, its buffer exchanged for the caller's *bufp. */
static ssize_t
vp9_recvbuf(void *arg, uint8_t **bufp, size_t cap, uint64_t timo_ns)
{
	struct vp9_softc *sc = arg;
	uint64_t end = timo_ns ? nanouptime() + timo_ns : 0;

	if (cap != sc->sc_msize)
		return (-EAGAIN);
	for (;;) {
		uint64_t gen = sc->vs.sc_intr_gen;
		struct vp9_chain *c;
		ssize_t n = 0;

		virtq_drain(sc->sc_vq);
		spin_lock(&sc->sc_lock);
		if ((c = sc->sc_done) != NULL) {
			if (c->c_rpos != 0) {
				/* Partly read by tr_recv: finish that way. */
				spin_unlock(&sc->sc_lock);
				return (-EAGAIN);
			}
			sc->sc_done = c->c_next;
			if (sc->sc_done == NULL)
				sc->sc_donetail = &sc->sc_done;
		}
		spin_unlock(&sc->sc_lock);
		if (c != NULL) {
			uint8_t *t = c->c_rbuf;

			c->c_rbuf = *bufp;
			*bufp = t;
			n = c->c_rlen;
			vp9_chain_free(c);
			return (n);
		}
		if (end != 0 && nanouptime() >= end)
			return (-ETIMEDOUT);
		virtio_wait(&sc->vs, gen);
	}
}

static void
vp9_close(void *arg)
{
	struct vp9_softc *sc = arg;

	sc->sc_inuse = false;
}

static const struct p9_trans p9_virtio_trans = {
	.tr_name = "virtio-9p",
	.tr_send = vp9_send,
	.tr_recv = vp9_recv,
	.tr_close = vp9_close,
	.tr_sendbuf = vp9_sendbuf,
	.tr_recvbuf = vp9_recvbuf,
};

static bool
vp9_match(const struct pci_dev *d)
{
	return (d->pd_vendor == VIRTIO_VENDOR &&
	    (d->pd_device == VIRTIO_ID_9P_LEGACY ||
	    d->pd_device == VIRTIO_ID_9P));
}

static int
vp9_attach(struct pci_dev *d)
{
	struct vp9_softc *sc;
	uint16_t taglen = 0;
	int error;

	if (vp9_ndevs == VP9_MAXDEV)
		return (-ENOSPC);
	sc = kmalloc(sizeof(*sc), M_ZERO);
	if (sc == NULL)
		return (-ENOMEM);
	spin_init(&sc->sc_lock, "vp9");
	sc->sc_donetail = &sc->sc_done;
	error = virtio_pci_init(&sc->vs, d, VIRTIO_9P_MOUNT_TAG);
	if (error == 0 && (sc->vs.sc_features & VIRTIO_9P_MOUNT_TAG)) {
		virtio_read_config(&sc->vs, 0, &taglen, 2);
		taglen = MIN(taglen, sizeof(sc->sc_tag) - 1);
		virtio_read_config(&sc->vs, 2, sc->sc_tag, taglen);
		sc->sc_tag[taglen] = '\0';
	}
	if (error == 0)
		error = virtio_alloc_queues(&sc->vs, 1);
	if (error != 0) {
		if (sc->vs.sc_tr != NULL)
			virtio_reset(&sc->vs);
		printk(KERN_WARNING "virtio-9p: attach failed: %d\n", error);
		return (error);
	}
	sc->sc_vq = &sc->vs.sc_vqs[0];
	sc->sc_vq->vq_done = vp9_done;
	sc->sc_vq->vq_arg = sc;
	sc->vs.sc_child = sc;
	virtio_start(&sc->vs);
	vp9_devs[vp9_ndevs++] = sc;
	printk("virtio-9p%d: mount tag \"%s\" (%s), queue of %d, %s\n",
	    vp9_ndevs - 1, sc->sc_tag, sc->vs.sc_tr->vt_name,
	    sc->sc_vq->vq_num,
	    sc->vs.sc_intr ? "interrupts" : "polling");
	return (0);
}

static const struct pci_driver vp9_driver = {
	.pdr_name = "virtio-9p",
	.pdr_match = vp9_match,
	.pdr_attach = vp9_attach,
};
PCI_DRIVER(vp9_driver);

struct mnt *
p9_virtio_connect(const char *tag, uint32_t msize, int *errp)
{
	struct vp9_softc *sc = NULL;
	struct mnt *m;
	int error;

	for (int i = 0; i < vp9_ndevs; i++)
		if (strcmp(vp9_devs[i]->sc_tag, tag) == 0)
			sc = vp9_devs[i];
	if (sc == NULL) {
		*errp = -ENODEV;
		return (NULL);
	}
	if (sc->sc_inuse) {
		*errp = -EBUSY;
		return (NULL);
	}
	sc->sc_inuse = true;
	sc->sc_msize = msize;
	m = mnt_alloc(&p9_virtio_trans, sc);
	if (m == NULL) {
		sc->sc_inuse = false;
		*errp = -ENOMEM;
		return (NULL);
	}
	p9_mnt_kernel_hooks(m);
	error = mnt_version(m, msize);
	if (error != 0) {
		mnt_free(m);
		*errp = error;
		return (NULL);
	}
	*errp = 0;
	return (m);
}
