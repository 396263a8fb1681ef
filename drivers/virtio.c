/*
 * virtio.c: the virtio core -- legacy PCI transport and split virtqueues.
 *
 * A split virtqueue is three rings in one physically contiguous run of
 * pages: the descriptor table (buffer address, length, NEXT/WRITE flags),
 * the available ring (heads of chains offered to the device) and, on the
 * next 4096-byte boundary, the used ring (heads the device gave back with
 * the byte count it wrote).  The driver owns the free descriptors
 * (vq_free_head list, vq_lock); publishing a chain is: fill descriptors,
 * write the head into avail->ring, barrier, bump avail->idx, notify.
 * Completion is the reverse: read used->idx, for each new entry free the
 * chain and hand its cookie to vq_done -- from the INTx handler (the ISR
 * read acknowledges the interrupt) or from virtio_poll.
 *
 * Transport: the legacy register block in BAR0 I/O space (virtio 1.1
 * section 4.1.4.8): features +0/+4, queue PFN +8, size +12, select +14,
 * notify +16, status +18, ISR +19, device config +20.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <pci.h>
#include <proc.h>
#include <uapi/errno.h>
#include <virtio.h>
#include <vm_param.h>
#include <vm_phys.h>
#include <x86.h>

#define VIRTIO_PCI_HOST_FEATURES  0
#define VIRTIO_PCI_GUEST_FEATURES 4
#define VIRTIO_PCI_QUEUE_PFN	8
#define VIRTIO_PCI_QUEUE_NUM	12
#define VIRTIO_PCI_QUEUE_SEL	14
#define VIRTIO_PCI_QUEUE_NOTIFY	16
#define VIRTIO_PCI_STATUS	18
#define VIRTIO_PCI_ISR		19
#define VIRTIO_PCI_CONFIG	20


#define barrier()	__asm__ volatile("" ::: "memory")

/* --- legacy transport --------------------------------------------------- */

static uint64_t
legacy_get_features(struct virtio_softc *sc)
{
	return (inl(sc->sc_iobase + VIRTIO_PCI_HOST_FEATURES));
}

static void
legacy_set_features(struct virtio_softc *sc, uint64_t f)
{
	outl(sc->sc_iobase + VIRTIO_PCI_GUEST_FEATURES, (uint32_t)f);
}

static uint8_t
legacy_get_status(struct virtio_softc *sc)
{
	return (inb(sc->sc_iobase + VIRTIO_PCI_STATUS));
}

static void
legacy_set_status(struct virtio_softc *sc, uint8_t s)
{
	outb(sc->sc_iobase + VIRTIO_PCI_STATUS, s);
}

static int
legacy_queue_size(struct virtio_softc *sc, int idx)
{
	outw(sc->sc_iobase + VIRTIO_PCI_QUEUE_SEL, idx);
	return (inw(sc->sc_iobase + VIRTIO_PCI_QUEUE_NUM));
}

static void
legacy_queue_setup(struct virtio_softc *sc, struct virtqueue *vq)
{
	outw(sc->sc_iobase + VIRTIO_PCI_QUEUE_SEL, vq->vq_index);
	outl(sc->sc_iobase + VIRTIO_PCI_QUEUE_PFN,
	    vq->vq_pages != NULL ? vq->vq_ring_pa >> PAGE_SHIFT : 0);
}

static void
legacy_notify(struct virtio_softc *sc, int idx)
{
	outw(sc->sc_iobase + VIRTIO_PCI_QUEUE_NOTIFY, idx);
}

static uint8_t
legacy_read_isr(struct virtio_softc *sc)
{
	return (inb(sc->sc_iobase + VIRTIO_PCI_ISR));
}

static void
legacy_read_config(struct virtio_softc *sc, int off, void *buf, int len)
{
	uint8_t *p = buf;

	for (int i = 0; i < len; i++)
		p[i] = inb(sc->sc_iobase + VIRTIO_PCI_CONFIG + off + i);
}

static const struct virtio_transport virtio_legacy_transport = {
	.vt_name = "legacy",
	.vt_get_features = legacy_get_features,
	.vt_set_features = legacy_set_features,
	.vt_get_status = legacy_get_status,
	.vt_set_status = legacy_set_status,
	.vt_queue_size = legacy_queue_size,
	.vt_queue_setup = legacy_queue_setup,
	.vt_notify = legacy_notify,
	.vt_read_isr = legacy_read_isr,
	.vt_read_config = legacy_read_config,
};

/* --- device bring-up ---------------------------------------------------- */

void
virtio_reset(struct virtio_softc *sc)
{
	sc->sc_tr->vt_set_status(sc, 0);
	(void)sc->sc_tr->vt_get_status(sc);	/* flush the reset */
}

void
virtio_read_config(struct virtio_softc *sc, int off, void *buf, int len)
{
	sc->sc_tr->vt_read_config(sc, off, buf, len);
}

int
virtio_pci_init(struct virtio_softc *sc, struct pci_dev *dev, uint64_t want)
{
	const struct pci_bar *b = &dev->pd_bar[0];

	if (dev->pd_device >= 0x1040 || b->pb_kind != PCI_BAR_IO ||
	    b->pb_size < 0x18)
		return (virtio_modern_init(sc, dev, want));
	sc->sc_dev = dev;
	sc->sc_tr = &virtio_legacy_transport;
	sc->sc_iobase = b->pb_base;
	pci_enable(dev);
	virtio_reset(sc);
	sc->sc_tr->vt_set_status(sc, VIRTIO_STATUS_ACK);
	sc->sc_tr->vt_set_status(sc, VIRTIO_STATUS_ACK |
	    VIRTIO_STATUS_DRIVER);
	sc->sc_features = sc->sc_tr->vt_get_features(sc) & want;
	sc->sc_tr->vt_set_features(sc, sc->sc_features);
	return (0);
}

static int
virtq_init(struct virtio_softc *sc, struct virtqueue *vq, int idx)
{
	int num = sc->sc_tr->vt_queue_size(sc, idx);
	size_t size;
	int order;
	char *ring;

	vq->vq_sc = sc;
	vq->vq_index = idx;
	spin_init(&vq->vq_lock, "virtqueue");
	spin_init(&vq->vq_drain_lock, "virtq_drain");
	if (num == 0)
		return (-ENOENT);
	if (num & (num - 1))
		return (-EINVAL);
	size = VRING_SIZE(num);
	for (order = 0; (PAGE_SIZE << order) < size; order++)
		;
	vq->vq_pages = vm_phys_alloc_pages(order);
	vq->vq_cookie = kcalloc(num, sizeof(void *), M_ZERO);
	if (vq->vq_pages == NULL || vq->vq_cookie == NULL) {
		if (vq->vq_pages != NULL)
			vm_phys_free_pages(vq->vq_pages, order);
		kfree(vq->vq_cookie);
		vq->vq_pages = NULL;
		return (-ENOMEM);
	}
	vq->vq_order = order;
	vq->vq_num = num;
	vq->vq_ring_pa = VM_PAGE_TO_PHYS(vq->vq_pages);
	ring = PHYS_TO_DMAP(vq->vq_ring_pa);
	memset(ring, 0, PAGE_SIZE << order);
	vq->vq_desc = (struct vring_desc *)ring;
	vq->vq_avail = (struct vring_avail *)(ring + num * 16);
	vq->vq_used = (struct vring_used *)(ring + VRING_USED_OFFSET(num));
	for (int i = 0; i < num; i++)
		vq->vq_desc[i].next = i + 1;
	vq->vq_free_head = 0;
	vq->vq_nfree = num;
	vq->vq_last_used = 0;
	sc->sc_tr->vt_queue_setup(sc, vq);
	return (0);
}

int
virtio_alloc_queues(struct virtio_softc *sc, int n)
{
	int error;

	sc->sc_vqs = kcalloc(n, sizeof(struct virtqueue), M_ZERO);
	if (sc->sc_vqs == NULL)
		return (-ENOMEM);
	sc->sc_nvqs = n;
	for (int i = 0; i < n; i++) {
		error = virtq_init(sc, &sc->sc_vqs[i], i);
		if (error != 0)
			return (error);
	}
	return (0);
}

static void
virtio_intr(void *arg)
{
	struct virtio_softc *sc = arg;
	uint8_t isr = sc->sc_tr->vt_read_isr(sc);	/* acknowledges */

	if (isr == 0)
		return;			/* another device on the line */
	sc->sc_intr_gen++;
	if (isr & VIRTIO_ISR_QUEUE)
		virtio_poll(sc);
	if ((isr & VIRTIO_ISR_CONFIG) && sc->sc_config_change != NULL)
		sc->sc_config_change(sc);
	wakeup(sc);
}

int
virtio_start(struct virtio_softc *sc)
{
	sc->sc_intr = pci_intr_establish(sc->sc_dev, virtio_intr, sc) == 0;
	sc->sc_tr->vt_set_status(sc, VIRTIO_STATUS_ACK |
	    VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	return (0);
}

/* --- virtqueues --------------------------------------------------------- */

paddr_t
virtio_kvtophys(const void *va)
{
	uint64_t a = (uint64_t)va;

	if (a >= KERNBASE)
		return (KVA_TO_PHYS(a));
	if (a >= DMAP_BASE && a < DMAP_BASE + DMAP_MAX)
		return (DMAP_TO_PHYS(a));
	return (0);
}

int
virtq_enqueue(struct virtqueue *vq, const struct virtio_seg *segs,
    int nread, int nwrite, void *cookie)
{
	int n = nread + nwrite, head, d, prev = -1;
	uint16_t slot;

	if (n <= 0 || vq->vq_num == 0)
		return (-EINVAL);
	for (int i = 0; i < n; i++)
		if (virtio_kvtophys(segs[i].vs_addr) == 0 ||
		    segs[i].vs_len == 0)
			return (-EINVAL);
	spin_lock(&vq->vq_lock);
	if (vq->vq_nfree < n) {
		spin_unlock(&vq->vq_lock);
		return (-ENOSPC);
	}
	head = d = vq->vq_free_head;
	for (int i = 0; i < n; i++) {
		struct vring_desc *dp = &vq->vq_desc[d];

		dp->addr = virtio_kvtophys(segs[i].vs_addr);
		dp->len = segs[i].vs_len;
		dp->flags = (i >= nread ? VRING_DESC_F_WRITE : 0) |
		    (i + 1 < n ? VRING_DESC_F_NEXT : 0);
		prev = d;
		d = dp->next;
	}
	(void)prev;
	vq->vq_free_head = d;
	vq->vq_nfree -= n;
	vq->vq_cookie[head] = cookie;
	slot = vq->vq_avail->idx & (vq->vq_num - 1);
	vq->vq_avail->ring[slot] = head;
	barrier();
	vq->vq_avail->idx++;
	spin_unlock(&vq->vq_lock);
	return (0);
}

void
virtq_notify(struct virtqueue *vq)
{
	__asm__ volatile("mfence" ::: "memory");
	vq->vq_sc->sc_tr->vt_notify(vq->vq_sc, vq->vq_index);
}

int
virtq_drain(struct virtqueue *vq)
{
	int done = 0;

	/* Completions reach vq_done in ring order even when an interrupt
	 * and a poller race: only one drains at a time. */
	spin_lock(&vq->vq_drain_lock);
	for (;;) {
		struct vring_used_elem e;
		void *cookie;
		int d, n = 1;

		spin_lock(&vq->vq_lock);
		if (vq->vq_num == 0 || vq->vq_last_used ==
		    *(volatile uint16_t *)&vq->vq_used->idx) {
			spin_unlock(&vq->vq_lock);
			break;
		}
		barrier();
		e = vq->vq_used->ring[vq->vq_last_used & (vq->vq_num - 1)];
		vq->vq_last_used++;
		if (e.id >= vq->vq_num) {
			spin_unlock(&vq->vq_lock);
			printk(KERN_WARNING "virtio: queue %d: bad used id "
			    "%u\n", vq->vq_index, e.id);
			continue;
		}
		if (vq->vq_cookie[e.id] == NULL) {
			/* Abandoned by its driver (virtq_abandon): the
			 * descriptors may be in use again; leave them. */
			spin_unlock(&vq->vq_lock);
			printk(KERN_WARNING "virtio: queue %d: used id %u "
			    "was abandoned\n", vq->vq_index, e.id);
			continue;
		}
		/* Return the chain to the free list. */
		for (d = e.id; vq->vq_desc[d].flags & VRING_DESC_F_NEXT;
		     d = vq->vq_desc[d].next)
			n++;
		vq->vq_desc[d].next = vq->vq_free_head;
		vq->vq_free_head = e.id;
		vq->vq_nfree += n;
		cookie = vq->vq_cookie[e.id];
		vq->vq_cookie[e.id] = NULL;
		vq->vq_ncomplete++;
		spin_unlock(&vq->vq_lock);
		if (vq->vq_done != NULL)
			vq->vq_done(vq, cookie, e.len);
		done++;
	}
	spin_unlock(&vq->vq_drain_lock);
	return (done);
}

/*
 * Take back the chain queued with `cookie` that the device will never
 * return (QEMU's virtio-serial detaches a throttled chain when its
 * chardev disconnects): its descriptors go back to the free list and no
 * completion will be called.  0, or -ENOENT when no such chain is out.
 * The caller must know the device is done with it.
 */
int
virtq_abandon(struct virtqueue *vq, void *cookie)
{
	int d, n = 1;

	spin_lock(&vq->vq_lock);
	for (int h = 0; h < vq->vq_num; h++) {
		if (vq->vq_cookie[h] != cookie)
			continue;
		for (d = h; vq->vq_desc[d].flags & VRING_DESC_F_NEXT;
		     d = vq->vq_desc[d].next)
			n++;
		vq->vq_desc[d].next = vq->vq_free_head;
		vq->vq_free_head = h;
		vq->vq_nfree += n;
		vq->vq_cookie[h] = NULL;
		spin_unlock(&vq->vq_lock);
		return (0);
	}
	spin_unlock(&vq->vq_lock);
	return (-ENOENT);
}

int
virtq_nfree(struct virtqueue *vq)
{
	int n;

	spin_lock(&vq->vq_lock);
	n = vq->vq_nfree;
	spin_unlock(&vq->vq_lock);
	return (n);
}

int
virtio_poll(struct virtio_softc *sc)
{
	int n = 0;

	for (int i = 0; i < sc->sc_nvqs; i++)
		n += virtq_drain(&sc->sc_vqs[i]);
	return (n);
}

void
virtio_wait(struct virtio_softc *sc, uint64_t gen)
{
	KASSERT(intr_nesting() == 0, "virtio_wait with interrupts held off");
	if (curthread != NULL) {
		(void)tsleep(sc, 0, "virtio", NSEC_PER_SEC / HZ);
		return;
	}
	/* No scheduler: halt until the next interrupt.  sti takes effect
	 * after hlt starts, so an interrupt cannot slip in between. */
	__asm__ volatile("cli" ::: "memory");
	if (sc->sc_intr_gen == gen)
		__asm__ volatile("sti; hlt" ::: "memory");
	else
		__asm__ volatile("sti" ::: "memory");
}
