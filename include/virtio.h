/*
 * virtio.h: virtio devices on PCI: transports and split virtqueues.
 *
 * A virtio device is a set of virtqueues plus a status byte, feature bits
 * and a small configuration area.  The virtqueue code (struct virtqueue,
 * virtq_enqueue, virtq_drain) knows only the split ring layout; how the
 * device is told where a ring lives, how it is notified and how features
 * and status are reached is the transport's business, behind struct
 * virtio_transport.  Today: the legacy PCI transport (an I/O BAR, QEMU
 * `disable-modern=on`); a modern capability-based transport can be added
 * behind the same table without touching the drivers.
 *
 * Completion: the device interrupt (INTx, acknowledged by reading the ISR)
 * drains every queue of the device and calls each finished chain's
 * vq_done; virtio_poll does the same from any context with interrupts on,
 * so drivers also work where no interrupt arrives (a polling fallback).
 */
#ifndef _VIRTIO_H_
#define _VIRTIO_H_

#include <spinlock.h>
#include <types.h>
#include <vm_page.h>

struct pci_dev;

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_ID_CONSOLE_LEGACY 0x1003
#define VIRTIO_ID_9P_LEGACY	0x1009
#define VIRTIO_ID_CONSOLE	0x1043	/* modern only */
#define VIRTIO_ID_9P		0x1049

/* Device status bits. */
#define VIRTIO_STATUS_ACK	0x01
#define VIRTIO_STATUS_DRIVER	0x02
#define VIRTIO_STATUS_DRIVER_OK	0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_FAILED	0x80

/* ISR bits (legacy). */
#define VIRTIO_ISR_QUEUE	0x01
#define VIRTIO_ISR_CONFIG	0x02

/* The split ring (virtio 1.1 section 2.6). */
#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring_desc {
	uint64_t addr;		/* guest physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;		/* head descriptor of the chain */
	uint32_t len;		/* bytes the device wrote */
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

/* Bytes of a legacy ring of n entries: used ring on a 4096 boundary. */
#define VRING_USED_OFFSET(n) \
	roundup2((size_t)(n) * 16 + 6 + 2 * (size_t)(n), 4096UL)
#define VRING_SIZE(n)	(VRING_USED_OFFSET(n) + 6 + 8 * (size_t)(n))

struct virtqueue;
struct virtio_softc;

/* Called once per finished chain, with no lock held. */
typedef void (*virtq_done_fn)(struct virtqueue *vq, void *cookie,
    uint32_t len);

struct virtqueue {
	struct virtio_softc *vq_sc;
	int vq_index;
	uint16_t vq_num;		/* entries (device-chosen, legacy) */
	struct spinlock vq_drain_lock;	/* one drainer: completions in order */
	struct spinlock vq_lock;
	struct vring_desc *vq_desc;	/* vq_lock: the three rings */
	struct vring_avail *vq_avail;
	struct vring_used *vq_used;
	vm_page_t vq_pages;		/* physically contiguous ring */
	int vq_order;
	paddr_t vq_ring_pa;
	uint16_t vq_free_head;		/* vq_lock: free descriptor list */
	uint16_t vq_nfree;		/* vq_lock */
	uint16_t vq_last_used;		/* vq_lock: used idx consumed */
	void **vq_cookie;		/* vq_lock: by head descriptor */
	virtq_done_fn vq_done;
	void *vq_arg;			/* for the driver */
	uint64_t vq_ncomplete;		/* vq_lock: chains finished */
	uint16_t vq_notify_off;		/* modern: queue_notify_off */
};

/* One piece of a chain: kernel memory (direct map or kernel image). */
struct virtio_seg {
	void *vs_addr;
	uint32_t vs_len;
};

struct virtio_transport {
	const char *vt_name;
	uint64_t (*vt_get_features)(struct virtio_softc *sc);
	void (*vt_set_features)(struct virtio_softc *sc, uint64_t f);
	uint8_t (*vt_get_status)(struct virtio_softc *sc);
	void (*vt_set_status)(struct virtio_softc *sc, uint8_t s);
	int (*vt_queue_size)(struct virtio_softc *sc, int idx);
	void (*vt_queue_setup)(struct virtio_softc *sc, struct virtqueue *vq);
	void (*vt_notify)(struct virtio_softc *sc, int idx);
	uint8_t (*vt_read_isr)(struct virtio_softc *sc);
	void (*vt_read_config)(struct virtio_softc *sc, int off, void *buf,
	    int len);
};

struct virtio_softc {
	struct pci_dev *sc_dev;
	const struct virtio_transport *sc_tr;
	uint16_t sc_iobase;		/* legacy: BAR0 I/O ports */
	volatile uint8_t *sc_common;	/* modern: mapped capability blocks */
	volatile uint8_t *sc_notify;
	volatile uint8_t *sc_isr;
	volatile uint8_t *sc_devcfg;
	uint32_t sc_notify_mult;	/* modern: notify_off_multiplier */
	uint64_t sc_features;		/* negotiated */
	int sc_nvqs;
	struct virtqueue *sc_vqs;
	bool sc_intr;			/* INTx routed */
	volatile uint64_t sc_intr_gen;	/* interrupts taken (wait helper) */
	void (*sc_config_change)(struct virtio_softc *sc);
	void *sc_child;			/* the device driver's state */
};

/*
 * Bring a device up to the point where queues can be set up: reset, ACK,
 * DRIVER, feature negotiation (the device's bits & `want`).  Picks the
 * legacy transport for a transitional device (id < 0x1040, BAR0 I/O) and
 * the modern one otherwise.  0 or -errno.
 */
int virtio_pci_init(struct virtio_softc *sc, struct pci_dev *dev,
    uint64_t want);
/* The modern transport's part of virtio_pci_init (virtio_pci_modern.c). */
int virtio_modern_init(struct virtio_softc *sc, struct pci_dev *dev,
    uint64_t want);
/* Allocate and register queues 0 .. n-1 (no callbacks yet). */
int virtio_alloc_queues(struct virtio_softc *sc, int n);
/* Set DRIVER_OK and hook the interrupt (falls back to polling). */
int virtio_start(struct virtio_softc *sc);
void virtio_reset(struct virtio_softc *sc);
void virtio_read_config(struct virtio_softc *sc, int off, void *buf,
    int len);

/*
 * Queue a chain: nread device-readable segments then nwrite
 * device-writable ones.  cookie comes back to vq_done.  -ENOSPC when the
 * ring lacks descriptors, -EINVAL on an empty chain or a bad address.
 * Does not notify (batch, then virtq_notify).
 */
int virtq_enqueue(struct virtqueue *vq, const struct virtio_seg *segs,
    int nread, int nwrite, void *cookie);
void virtq_notify(struct virtqueue *vq);
/* Finish every chain the device returned; the number finished. */
int virtq_drain(struct virtqueue *vq);
int virtq_nfree(struct virtqueue *vq);
int virtq_abandon(struct virtqueue *vq, void *cookie);	/* never coming back */

/* Drain every queue of sc (the polling fallback). */
int virtio_poll(struct virtio_softc *sc);
/*
 * Wait until the device interrupts after generation `gen` was read (or a
 * clock tick passes), with interrupts enabled and no lock held.  Callers
 * loop: read sc_intr_gen, poll and test their condition, then wait.
 */
void virtio_wait(struct virtio_softc *sc, uint64_t gen);

/* Guest physical address of kernel memory, 0 if not translatable. */
paddr_t virtio_kvtophys(const void *va);

#endif /* !_VIRTIO_H_ */
