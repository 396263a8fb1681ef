/*
 * virtio_console.c: virtio-serial with multiport (virtio 1.1 section 5.3).
 *
 * Queues: port 0 uses 0 (receive) and 1 (transmit), the control channel
 * 2 and 3, port N >= 1 uses 2N+2 and 2N+3.  The handshake, as QEMU runs
 * it: receive buffers are posted on the control queue BEFORE the guest
 * says DEVICE_READY (QEMU drops control messages that find no buffer);
 * the device then sends PORT_ADD per port, the guest answers PORT_READY,
 * the device sends PORT_NAME and, while the host end is connected,
 * PORT_OPEN 1; vcons_port_open sends the guest's PORT_OPEN 1, after which
 * host data flows.  Control messages are handled in the completion
 * callback (interrupt or poll context), so nothing here sleeps.
 *
 * Receive: each port keeps VCONS_NRXBUF buffers posted; a filled buffer is
 * copied into the port's byte ring and posted again, or parked when the
 * ring is full (flow control: the device stops when no buffer is posted)
 * and moved by the next read.  Transmit copies into a bounce buffer and
 * waits for the chain to come back -- except that QEMU drops a throttled
 * chain for good when its chardev hangs up, so after a hang-up a chain
 * still out is taken back (vcons_tx_reclaim), and SIGKILL or 15 s end any
 * other wait.  Lock order: vq_drain_lock, then vp_lock, then vq_lock.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <pci.h>
#include <proc.h>
#include <uapi/signal.h>
#include <uapi/errno.h>
#include <virtio.h>
#include <virtio_console.h>

#define VIRTIO_CONSOLE_F_MULTIPORT	(1u << 1)

#define VCONS_DEVICE_READY	0
#define VCONS_PORT_ADD		1
#define VCONS_PORT_REMOVE	2
#define VCONS_PORT_READY	3
#define VCONS_CONSOLE_PORT	4
#define VCONS_RESIZE		5
#define VCONS_PORT_OPEN		6
#define VCONS_PORT_NAME		7

#define VCONS_MAXPORTS	8
#define VCONS_NCTRLBUF	16
#define VCONS_CTRLBUFSZ	256
#define VCONS_NRXBUF	8
#define VCONS_RXBUFSZ	4096
#define VCONS_RINGSZ	(128 * 1024)
#define VCONS_TXMAX	(64 * 1024)
#define VCONS_MAXDEV	4

struct vcons_ctrl {
	uint32_t id;
	uint16_t event;
	uint16_t value;
} __packed;

struct vcons_softc;

struct vcons_rxbuf {
	struct vcons_port *rb_port;
	uint8_t *rb_data;
	uint32_t rb_len;		/* vp_lock: bytes held while parked */
	bool rb_parked;			/* vp_lock */
	uint64_t rb_seq;		/* vp_lock: arrival order (parked) */
};

struct vcons_port {
	struct vcons_softc *vp_sc;
	int vp_id;
	struct spinlock vp_lock;
	char vp_name[64];		/* vp_lock */
	bool vp_added;			/* vp_lock: PORT_ADD seen */
	bool vp_host_open;		/* vp_lock: host's last PORT_OPEN */
	bool vp_guest_open;		/* vp_lock */
	uint64_t vp_hangups;		/* vp_lock: PORT_OPEN 0 count */
	struct virtqueue *vp_rxq, *vp_txq;
	struct vcons_rxbuf vp_rx[VCONS_NRXBUF];
	uint8_t *vp_ring;		/* vp_lock: received bytes */
	size_t vp_rhead, vp_rlen;	/* vp_lock */
	uint8_t *vp_txbuf;
	bool vp_tx_busy;		/* vp_lock: a writer owns vp_txbuf */
	bool vp_tx_done;		/* vp_lock */
	bool vp_tx_lost;		/* vp_lock: the writer gave up waiting
					 * for the chain; its return (or a
					 * hang-up) frees vp_tx_busy */
	uint64_t vp_tx_hangups;		/* vp_lock: vp_hangups at enqueue */
	uint64_t vp_hup_ns;		/* vp_lock: when the last came */
	uint64_t vp_rxbytes, vp_txbytes;	/* vp_lock */
	uint64_t vp_rxseq;		/* vp_lock: next rb_seq */
	uint64_t vp_nparked;		/* vp_lock: buffers that had to wait */
	struct cdev *vp_cdev;		/* /dev/vportNpM, set at attach */
};

struct vcons_softc {
	struct virtio_softc vs;
	int sc_unit;
	int sc_nports;			/* ports with queues set up */
	struct virtqueue *sc_crxq, *sc_ctxq;
	uint8_t *sc_ctrlbuf[VCONS_NCTRLBUF];
	struct vcons_port sc_ports[VCONS_MAXPORTS];
	uint64_t sc_ctrl_msgs;		/* control messages seen */
};

/* Filled at attach time (boot, one CPU), read-only afterwards. */
static struct vcons_softc *vcons_devs[VCONS_MAXDEV];
static int vcons_ndevs;

static void
vcons_ctrl_send(struct vcons_softc *sc, uint32_t id, uint16_t event,
    uint16_t value)
{
	struct vcons_ctrl *m = kmalloc(sizeof(*m), M_NOWAIT);
	struct virtio_seg seg;

	if (m == NULL)
		return;
	m->id = id;
	m->event = event;
	m->value = value;
	seg.vs_addr = m;
	seg.vs_len = sizeof(*m);
	if (virtq_enqueue(sc->sc_ctxq, &seg, 1, 0, m) != 0) {
		printk(KERN_WARNING "vcons: control queue full\n");
		kfree(m);
		return;
	}
	virtq_notify(sc->sc_ctxq);
}

static void
vcons_ctrl_tx_done(struct virtqueue *vq, void *cookie, uint32_t len)
{
	kfree(cookie);
}

static int
vcons_post_ctrl(struct vcons_softc *sc, uint8_t *buf)
{
	struct virtio_seg seg = { buf, VCONS_CTRLBUFSZ };

	return (virtq_enqueue(sc->sc_crxq, &seg, 0, 1, buf));
}

/* vp_lock held. */
static int
vcons_post_rx(struct vcons_port *p, struct vcons_rxbuf *rb)
{
	struct virtio_seg seg = { rb->rb_data, VCONS_RXBUFSZ };

	rb->rb_parked = false;
	return (virtq_enqueue(p->vp_rxq, &seg, 0, 1, rb));
}

static void
vcons_port_add(struct vcons_port *p)
{
	int posted = 0;

	spin_lock(&p->vp_lock);
	if (p->vp_added) {
		spin_unlock(&p->vp_lock);
		return;
	}
	if (p->vp_ring == NULL)
		p->vp_ring = kmalloc(VCONS_RINGSZ, M_NOWAIT);
	if (p->vp_txbuf == NULL)
		p->vp_txbuf = kmalloc(VCONS_TXMAX, M_NOWAIT);
	for (int i = 0; i < VCONS_NRXBUF && p->vp_ring != NULL; i++) {
		struct vcons_rxbuf *rb = &p->vp_rx[i];

		if (rb->rb_data == NULL)
			rb->rb_data = kmalloc(VCONS_RXBUFSZ, M_NOWAIT);
		rb->rb_port = p;
		if (rb->rb_data != NULL && vcons_post_rx(p, rb) == 0)
			posted++;
	}
	p->vp_added = posted > 0 && p->vp_txbuf != NULL;
	spin_unlock(&p->vp_lock);
	if (posted > 0)
		virtq_notify(p->vp_rxq);
	vcons_ctrl_send(p->vp_sc, p->vp_id, VCONS_PORT_READY,
	    p->vp_added ? 1 : 0);
}

static void
vcons_ctrl_rx_done(struct virtqueue *vq, void *cookie, uint32_t len)
{
	struct vcons_softc *sc = vq->vq_arg;
	uint8_t *buf = cookie;
	struct vcons_ctrl m;
	struct vcons_port *p = NULL;

	if (len >= sizeof(m)) {
		memcpy(&m, buf, sizeof(m));
		sc->sc_ctrl_msgs++;
		if (m.id < (uint32_t)sc->sc_nports)
			p = &sc->sc_ports[m.id];
		switch (p == NULL ? 0xffff : m.event) {
		case VCONS_PORT_ADD:
			vcons_port_add(p);
			break;
		case VCONS_PORT_NAME: {
			size_t n = MIN(len - sizeof(m),
			    sizeof(p->vp_name) - 1);

			spin_lock(&p->vp_lock);
			memcpy(p->vp_name, buf + sizeof(m), n);
			p->vp_name[n] = '\0';
			spin_unlock(&p->vp_lock);
			break;
		}
		case VCONS_PORT_OPEN:
			spin_lock(&p->vp_lock);
			if (p->vp_host_open && m.value == 0) {
				p->vp_hangups++;
				p->vp_hup_ns = nanouptime();
			}
			p->vp_host_open = m.value != 0;
			spin_unlock(&p->vp_lock);
			break;
		case VCONS_PORT_REMOVE:
			spin_lock(&p->vp_lock);
			p->vp_host_open = false;
			p->vp_name[0] = '\0';
			spin_unlock(&p->vp_lock);
			break;
		case VCONS_CONSOLE_PORT:
		case VCONS_RESIZE:
			break;
		case 0xffff:
			printk(KERN_WARNING "vcons%d: control message for "
			    "port %u (event %u) ignored\n", sc->sc_unit, m.id,
			    m.event);
			break;
		}
	}
	if (vcons_post_ctrl(sc, buf) == 0)
		virtq_notify(sc->sc_crxq);
}

/*
 * Move parked buffers into the ring, oldest first, while the oldest fits
 * (a younger one never overtakes it: the stream keeps its order); each
 * moved buffer is posted again.  vp_lock held.
 */
static bool
vcons_unpark(struct vcons_port *p)
{
	bool posted = false;

	for (;;) {
		struct vcons_rxbuf *rb = NULL;
		size_t tail, first;

		for (int i = 0; i < VCONS_NRXBUF; i++)
			if (p->vp_rx[i].rb_parked && (rb == NULL ||
			    p->vp_rx[i].rb_seq < rb->rb_seq))
				rb = &p->vp_rx[i];
		if (rb == NULL || VCONS_RINGSZ - p->vp_rlen < rb->rb_len)
			break;
		tail = (p->vp_rhead + p->vp_rlen) % VCONS_RINGSZ;
		first = MIN(rb->rb_len, VCONS_RINGSZ - tail);
		memcpy(p->vp_ring + tail, rb->rb_data, first);
		memcpy(p->vp_ring, rb->rb_data + first, rb->rb_len - first);
		p->vp_rlen += rb->rb_len;
		p->vp_rxbytes += rb->rb_len;
		if (vcons_post_rx(p, rb) == 0)
			posted = true;
	}
	return (posted);
}

static void
vcons_rx_done(struct virtqueue *vq, void *cookie, uint32_t len)
{
	struct vcons_rxbuf *rb = cookie;
	struct vcons_port *p = rb->rb_port;
	bool posted;

	spin_lock(&p->vp_lock);
	rb->rb_len = MIN(len, VCONS_RXBUFSZ);
	rb->rb_parked = true;
	rb->rb_seq = p->vp_rxseq++;
	/* Parked buffers are older than this one: keep the byte order. */
	posted = vcons_unpark(p);
	if (rb->rb_parked)
		p->vp_nparked++;
	spin_unlock(&p->vp_lock);
	if (posted)
		virtq_notify(vq);
}

/* The transmit chain is back (or taken back): vp_lock held. */
static void
vcons_tx_finish_locked(struct vcons_port *p)
{
	p->vp_tx_done = true;
	if (p->vp_tx_lost) {
		p->vp_tx_lost = false;
		p->vp_tx_busy = false;
	}
}

static void
vcons_tx_done(struct virtqueue *vq, void *cookie, uint32_t len)
{
	struct vcons_port *p = cookie;

	if (p == NULL)
		return;
	spin_lock(&p->vp_lock);
	vcons_tx_finish_locked(p);
	spin_unlock(&p->vp_lock);
}

static bool
vcons_match(const struct pci_dev *d)
{
	return (d->pd_vendor == VIRTIO_VENDOR &&
	    (d->pd_device == VIRTIO_ID_CONSOLE_LEGACY ||
	    d->pd_device == VIRTIO_ID_CONSOLE));
}

static int
vcons_attach(struct pci_dev *d)
{
	struct vcons_softc *sc;
	uint32_t maxports = 1;
	int error, nq;

	if (vcons_ndevs == VCONS_MAXDEV)
		return (-ENOSPC);
	sc = kmalloc(sizeof(*sc), M_ZERO);
	if (sc == NULL)
		return (-ENOMEM);
	error = virtio_pci_init(&sc->vs, d, VIRTIO_CONSOLE_F_MULTIPORT);
	if (error != 0)
		goto fail;
	if (!(sc->vs.sc_features & VIRTIO_CONSOLE_F_MULTIPORT)) {
		printk("vcons: device without multiport: not supported\n");
		error = -ENOTSUP;
		goto fail;
	}
	virtio_read_config(&sc->vs, 4, &maxports, 4);
	sc->sc_nports = MIN(maxports, VCONS_MAXPORTS);
	nq = 2 * sc->sc_nports + 2;
	error = virtio_alloc_queues(&sc->vs, nq);
	if (error != 0)
		goto fail;
	sc->sc_unit = vcons_ndevs;
	sc->vs.sc_child = sc;
	sc->sc_crxq = &sc->vs.sc_vqs[2];
	sc->sc_ctxq = &sc->vs.sc_vqs[3];
	sc->sc_crxq->vq_done = vcons_ctrl_rx_done;
	sc->sc_crxq->vq_arg = sc;
	sc->sc_ctxq->vq_done = vcons_ctrl_tx_done;
	for (int i = 0; i < sc->sc_nports; i++) {
		struct vcons_port *p = &sc->sc_ports[i];
		int rx = i == 0 ? 0 : 2 * i + 2;

		p->vp_sc = sc;
		p->vp_id = i;
		spin_init(&p->vp_lock, "vcons_port");
		p->vp_rxq = &sc->vs.sc_vqs[rx];
		p->vp_txq = &sc->vs.sc_vqs[rx + 1];
		p->vp_rxq->vq_done = vcons_rx_done;
		p->vp_txq->vq_done = vcons_tx_done;
	}
	/* Control buffers first: QEMU drops messages that find none. */
	for (int i = 0; i < VCONS_NCTRLBUF; i++) {
		sc->sc_ctrlbuf[i] = kmalloc(VCONS_CTRLBUFSZ, M_ZERO);
		if (sc->sc_ctrlbuf[i] == NULL ||
		    vcons_post_ctrl(sc, sc->sc_ctrlbuf[i]) != 0) {
			error = -ENOMEM;
			goto fail;
		}
	}
	virtio_start(&sc->vs);
	virtq_notify(sc->sc_crxq);
	vcons_devs[vcons_ndevs++] = sc;
	for (int i = 0; i < sc->sc_nports; i++)
		sc->sc_ports[i].vp_cdev = vcons_make_dev(&sc->sc_ports[i],
		    sc->sc_unit, i);
	vcons_ctrl_send(sc, 0xffffffff, VCONS_DEVICE_READY, 1);
	printk("vcons%d: virtio-serial (%s), %u ports (%d used), %s\n",
	    sc->sc_unit, sc->vs.sc_tr->vt_name, maxports, sc->sc_nports,
	    sc->vs.sc_intr ? "interrupts" : "polling");
	return (0);
fail:
	/* The device is reset; queues and pages stay (boot time, rare). */
	if (sc->vs.sc_tr != NULL)
		virtio_reset(&sc->vs);
	printk(KERN_WARNING "vcons: attach failed: %d\n", error);
	return (error);
}

static const struct pci_driver vcons_driver = {
	.pdr_name = "virtio-serial",
	.pdr_match = vcons_match,
	.pdr_attach = vcons_attach,
};
PCI_DRIVER(vcons_driver);

/* --- kernel interface --------------------------------------------------- */

static void
vcons_poll_all(void)
{
	for (int i = 0; i < vcons_ndevs; i++)
		virtio_poll(&vcons_devs[i]->vs);
}

struct vcons_port *
vcons_port_lookup(const char *name)
{
	vcons_poll_all();
	for (int i = 0; i < vcons_ndevs; i++) {
		struct vcons_softc *sc = vcons_devs[i];

		for (int j = 0; j < sc->sc_nports; j++) {
			struct vcons_port *p = &sc->sc_ports[j];
			bool found;

			spin_lock(&p->vp_lock);
			found = p->vp_added && strcmp(p->vp_name, name) == 0;
			spin_unlock(&p->vp_lock);
			if (found)
				return (p);
		}
	}
	return (NULL);
}

/*
 * Have all ports been announced and named?  QEMU sends PORT_ADD for every
 * port as soon as the guest says DEVICE_READY, and each PORT_NAME after
 * the guest's PORT_READY; so once every added port has its name, no other
 * name can still appear and a missing one is missing for good.
 */
static bool
vcons_names_settled(void)
{
	for (int i = 0; i < vcons_ndevs; i++) {
		struct vcons_softc *sc = vcons_devs[i];
		int added = 0, named = 0;

		for (int j = 0; j < sc->sc_nports; j++) {
			struct vcons_port *p = &sc->sc_ports[j];

			spin_lock(&p->vp_lock);
			added += p->vp_added;
			named += p->vp_added && p->vp_name[0] != '\0';
			spin_unlock(&p->vp_lock);
		}
		if (added == 0 || named != added)
			return (false);
	}
	return (true);
}

/*
 * A signal the caller should see is pending: waits for a port to appear
 * or its host side to connect (a mount, up to its wait=) end with it, or
 * SIGKILL could not remove a process mounting a share whose server is
 * away (found by the fuzzer: 10 s and more in "virtio").
 */
static bool
vcons_interrupted(void)
{
	struct thread *td = curthread;

	return (td != NULL && td->td_proc != NULL &&
	    sig_pending_unblocked(td));
}

struct vcons_port *
vcons_port_wait(const char *name, uint64_t timo_ns)
{
	uint64_t end = nanouptime() + timo_ns;
	struct vcons_port *p;

	while ((p = vcons_port_lookup(name)) == NULL && vcons_ndevs > 0 &&
	    !vcons_names_settled() && nanouptime() < end &&
	    !vcons_interrupted())
		virtio_wait(&vcons_devs[0]->vs, vcons_devs[0]->vs.sc_intr_gen);
	return (p);
}

const char *
vcons_port_name(const struct vcons_port *p)
{
	return (p->vp_name);
}

bool
vcons_port_present(struct vcons_port *p)
{
	bool added;

	virtio_poll(&p->vp_sc->vs);
	spin_lock(&p->vp_lock);
	added = p->vp_added;
	spin_unlock(&p->vp_lock);
	return (added);
}

uint64_t
vcons_port_nparked(struct vcons_port *p)
{
	uint64_t n;

	spin_lock(&p->vp_lock);
	n = p->vp_nparked;
	spin_unlock(&p->vp_lock);
	return (n);
}

struct cdev *
vcons_port_cdev(struct vcons_port *p)
{
	return (p->vp_cdev);
}

bool
vcons_port_connected(struct vcons_port *p)
{
	bool c;

	virtio_poll(&p->vp_sc->vs);
	spin_lock(&p->vp_lock);
	c = p->vp_host_open;
	spin_unlock(&p->vp_lock);
	return (c);
}

int
vcons_port_wait_connected(struct vcons_port *p, uint64_t timo_ns)
{
	uint64_t end = nanouptime() + timo_ns;

	for (;;) {
		uint64_t gen = p->vp_sc->vs.sc_intr_gen;

		if (vcons_port_connected(p))
			return (0);
		if (nanouptime() >= end)
			return (-ETIMEDOUT);
		if (vcons_interrupted())
			return (-EINTR);
		virtio_wait(&p->vp_sc->vs, gen);
	}
}

int
vcons_port_open(struct vcons_port *p)
{
	spin_lock(&p->vp_lock);
	p->vp_guest_open = true;
	spin_unlock(&p->vp_lock);
	vcons_ctrl_send(p->vp_sc, p->vp_id, VCONS_PORT_OPEN, 1);
	return (0);
}

/*
 * Open the port for one user only (a 9P channel): -EBUSY when it is open
 * already.  Two channels on one byte stream would read each other's
 * replies (and the server would take the second Tversion as the end of
 * the first session).
 */
int
vcons_port_open_excl(struct vcons_port *p)
{
	spin_lock(&p->vp_lock);
	if (p->vp_guest_open) {
		spin_unlock(&p->vp_lock);
		return (-EBUSY);
	}
	p->vp_guest_open = true;
	spin_unlock(&p->vp_lock);
	vcons_ctrl_send(p->vp_sc, p->vp_id, VCONS_PORT_OPEN, 1);
	return (0);
}

void
vcons_port_close(struct vcons_port *p)
{
	spin_lock(&p->vp_lock);
	p->vp_guest_open = false;
	spin_unlock(&p->vp_lock);
	vcons_ctrl_send(p->vp_sc, p->vp_id, VCONS_PORT_OPEN, 0);
}

#define VCONS_HUPGRACE_NS	(NSEC_PER_SEC / 10)	/* after a hang-up */
#define VCONS_TXMAX_NS	(15 * NSEC_PER_SEC)	/* any chain */

/* The writer has SIGKILL pending: stop waiting for the device. */
static bool
vcons_killed(void)
{
	struct thread *td = curthread;

	return (td != NULL && td->td_proc != NULL &&
	    ((td->td_proc->p_sigpend | td->td_sigpend) & sigmask(SIGKILL)));
}

/*
 * Is the transmit chain back?  After a hang-up QEMU has either returned
 * a chain that was out (length 0) or, if it was throttled, detached it
 * for good (virtio_serial_close): past VCONS_HUPGRACE_NS after the
 * hang-up a chain still out is taken back from the queue.  No lock held.
 */
static bool
vcons_tx_reclaim(struct vcons_port *p)
{
	bool fin;

	virtq_drain(p->vp_txq);
	spin_lock(&p->vp_lock);
	fin = p->vp_tx_done;
	if (!fin && p->vp_hangups != p->vp_tx_hangups &&
	    nanouptime() - p->vp_hup_ns > VCONS_HUPGRACE_NS) {
		spin_unlock(&p->vp_lock);
		if (virtq_abandon(p->vp_txq, p) == 0) {
			printk(KERN_WARNING "vcons%d: port %d: transmit chain "
			    "dropped at the hang-up, taken back\n",
			    p->vp_sc->sc_unit, p->vp_id);
			spin_lock(&p->vp_lock);
			vcons_tx_finish_locked(p);
			spin_unlock(&p->vp_lock);
		}
		spin_lock(&p->vp_lock);
		fin = p->vp_tx_done;
	}
	spin_unlock(&p->vp_lock);
	return (fin);
}

ssize_t
vcons_port_write(struct vcons_port *p, const void *buf, size_t len)
{
	struct virtio_softc *vs = &p->vp_sc->vs;
	const uint8_t *src = buf;
	uint64_t t0 = nanouptime();
	size_t done = 0;
	int error = 0;

	if (buf == NULL && len > 0)
		return (-EINVAL);
	/* Take the bounce buffer: one writer at a time, whole writes. */
	for (;;) {
		uint64_t gen = vs->sc_intr_gen;

		spin_lock(&p->vp_lock);
		if (!p->vp_host_open || !p->vp_added) {
			spin_unlock(&p->vp_lock);
			return (-ENOTCONN);
		}
		if (p->vp_tx_lost) {
			/* The last chain is still out: back after a hang-up? */
			spin_unlock(&p->vp_lock);
			if (!vcons_tx_reclaim(p))
				return (-EIO);
			continue;
		}
		if (!p->vp_tx_busy) {
			p->vp_tx_busy = true;
			spin_unlock(&p->vp_lock);
			break;
		}
		spin_unlock(&p->vp_lock);
		virtio_wait(vs, gen);
	}
	while (done < len && error == 0) {
		size_t n = MIN(len - done, VCONS_TXMAX);
		struct virtio_seg seg = { p->vp_txbuf, n };
		bool hup;

		memcpy(p->vp_txbuf, src + done, n);
		spin_lock(&p->vp_lock);
		p->vp_tx_done = false;
		p->vp_tx_hangups = p->vp_hangups;
		spin_unlock(&p->vp_lock);
		error = virtq_enqueue(p->vp_txq, &seg, 1, 0, p);
		if (error != 0)
			break;
		virtq_notify(p->vp_txq);
		for (;;) {
			uint64_t gen = vs->sc_intr_gen;

			/* Done, or taken back after a hang-up. */
			if (vcons_tx_reclaim(p))
				break;
			/*
			 * A chain QEMU keeps while connected (its chardev
			 * throttled): SIGKILL of the writer or
			 * VCONS_TXMAX_NS end the wait, and the buffer
			 * stays the device's until it comes back or a
			 * hang-up frees it (found by the 9P fuzzer: a
			 * process SIGKILL could not remove).
			 */
			if (nanouptime() - t0 > VCONS_TXMAX_NS ||
			    vcons_killed()) {
				spin_lock(&p->vp_lock);
				if (!p->vp_tx_done) {
					p->vp_tx_lost = true;
					spin_unlock(&p->vp_lock);
					return (-EIO);
				}
				spin_unlock(&p->vp_lock);
				break;
			}
			virtio_wait(vs, gen);
		}
		done += n;
		spin_lock(&p->vp_lock);
		p->vp_txbytes += n;
		/* A hang-up meanwhile: QEMU dropped what it had not sent. */
		hup = p->vp_hangups != p->vp_tx_hangups;
		if (!p->vp_host_open || hup)
			error = -EPIPE;
		spin_unlock(&p->vp_lock);
	}
	spin_lock(&p->vp_lock);
	p->vp_tx_busy = false;
	spin_unlock(&p->vp_lock);
	if (done == len)
		return (len);
	return (done > 0 ? (ssize_t)done : error);
}

ssize_t
vcons_port_read_timo(struct vcons_port *p, void *buf, size_t len,
    uint64_t timo_ns)
{
	struct virtio_softc *vs = &p->vp_sc->vs;
	uint64_t end = timo_ns ? nanouptime() + timo_ns : 0;
	uint8_t *dst = buf;

	if (buf == NULL && len > 0)
		return (-EINVAL);
	if (len == 0)
		return (0);
	for (;;) {
		uint64_t gen = vs->sc_intr_gen;
		size_t n = 0, first;
		bool posted, open;

		virtq_drain(p->vp_rxq);
		spin_lock(&p->vp_lock);
		if (p->vp_rlen > 0) {
			n = MIN(len, p->vp_rlen);
			first = MIN(n, VCONS_RINGSZ - p->vp_rhead);
			memcpy(dst, p->vp_ring + p->vp_rhead, first);
			memcpy(dst + first, p->vp_ring, n - first);
			p->vp_rhead = (p->vp_rhead + n) % VCONS_RINGSZ;
			p->vp_rlen -= n;
		}
		posted = vcons_unpark(p);
		open = p->vp_host_open;
		spin_unlock(&p->vp_lock);
		if (posted)
			virtq_notify(p->vp_rxq);
		if (n > 0)
			return (n);
		if (!open)
			return (0);
		if (timo_ns == (uint64_t)-1)
			return (-EAGAIN);
		if (end != 0 && nanouptime() >= end)
			return (-ETIMEDOUT);
		virtio_wait(vs, gen);
	}
}

ssize_t
vcons_port_read(struct vcons_port *p, void *buf, size_t len, bool blocking)
{
	return (vcons_port_read_timo(p, buf, len, blocking ? 0 :
	    (uint64_t)-1));
}
