/*
 * virtio_pci_modern.c: the virtio 1.0 PCI transport (devices 1af4:1040+,
 * QEMU `disable-legacy=on`), behind the same struct virtio_transport as
 * the legacy one, so drivers and virtqueues do not know which they use.
 *
 * The device describes its register blocks with vendor capabilities
 * (id 0x09): cfg_type 1 common configuration, 2 notification (plus a
 * notify_off_multiplier), 3 ISR, 4 device configuration; each names a BAR,
 * an offset and a length.  The blocks are memory-mapped (uncached, through
 * pmap_mapdev).  Differences from legacy that matter: 64 feature bits read
 * through a select register, VIRTIO_F_VERSION_1 (bit 32) must be accepted
 * and FEATURES_OK set and read back, each queue gets three 64-bit ring
 * addresses and an enable bit, and a queue is notified at
 * notify base + queue_notify_off * multiplier.  Interrupts stay INTx
 * (MSI-X is not enabled), acknowledged by reading the ISR byte.
 */
#include <kernel.h>
#include <pci.h>
#include <pmap.h>
#include <uapi/errno.h>
#include <virtio.h>

#define PCIY_VENDOR		0x09
#define VIRTIO_PCI_CAP_COMMON	1
#define VIRTIO_PCI_CAP_NOTIFY	2
#define VIRTIO_PCI_CAP_ISR	3
#define VIRTIO_PCI_CAP_DEVICE	4

/* Common configuration (virtio 1.1 section 4.1.4.3). */
#define VC_DFSELECT	0
#define VC_DF		4
#define VC_GFSELECT	8
#define VC_GF		12
#define VC_NUMQ		18
#define VC_STATUS	20
#define VC_QSELECT	22
#define VC_QSIZE	24
#define VC_QENABLE	28
#define VC_QNOTIFYOFF	30
#define VC_QDESC	32
#define VC_QDRIVER	40
#define VC_QDEVICE	48

#define VIRTIO_F_VERSION_1	(1ULL << 32)

static inline uint8_t
rd8(volatile uint8_t *b, int off)
{
	return (*(volatile uint8_t *)(b + off));
}

static inline uint16_t
rd16(volatile uint8_t *b, int off)
{
	return (*(volatile uint16_t *)(b + off));
}

static inline uint32_t
rd32(volatile uint8_t *b, int off)
{
	return (*(volatile uint32_t *)(b + off));
}

static inline void
wr8(volatile uint8_t *b, int off, uint8_t v)
{
	*(volatile uint8_t *)(b + off) = v;
}

static inline void
wr16(volatile uint8_t *b, int off, uint16_t v)
{
	*(volatile uint16_t *)(b + off) = v;
}

static inline void
wr32(volatile uint8_t *b, int off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

static inline void
wr64(volatile uint8_t *b, int off, uint64_t v)
{
	wr32(b, off, (uint32_t)v);
	wr32(b, off + 4, (uint32_t)(v >> 32));
}

static uint64_t
modern_get_features(struct virtio_softc *sc)
{
	uint64_t f;

	wr32(sc->sc_common, VC_DFSELECT, 0);
	f = rd32(sc->sc_common, VC_DF);
	wr32(sc->sc_common, VC_DFSELECT, 1);
	return (f | (uint64_t)rd32(sc->sc_common, VC_DF) << 32);
}

static void
modern_set_features(struct virtio_softc *sc, uint64_t f)
{
	wr32(sc->sc_common, VC_GFSELECT, 0);
	wr32(sc->sc_common, VC_GF, (uint32_t)f);
	wr32(sc->sc_common, VC_GFSELECT, 1);
	wr32(sc->sc_common, VC_GF, (uint32_t)(f >> 32));
}

static uint8_t
modern_get_status(struct virtio_softc *sc)
{
	return (rd8(sc->sc_common, VC_STATUS));
}

static void
modern_set_status(struct virtio_softc *sc, uint8_t s)
{
	wr8(sc->sc_common, VC_STATUS, s);
}

static int
modern_queue_size(struct virtio_softc *sc, int idx)
{
	if (idx >= rd16(sc->sc_common, VC_NUMQ))
		return (0);
	wr16(sc->sc_common, VC_QSELECT, idx);
	return (rd16(sc->sc_common, VC_QSIZE));
}

static void
modern_queue_setup(struct virtio_softc *sc, struct virtqueue *vq)
{
	volatile uint8_t *c = sc->sc_common;

	wr16(c, VC_QSELECT, vq->vq_index);
	if (vq->vq_pages == NULL) {
		wr16(c, VC_QENABLE, 0);
		return;
	}
	wr16(c, VC_QSIZE, vq->vq_num);
	wr64(c, VC_QDESC, vq->vq_ring_pa);
	wr64(c, VC_QDRIVER, vq->vq_ring_pa + (size_t)vq->vq_num * 16);
	wr64(c, VC_QDEVICE, vq->vq_ring_pa + VRING_USED_OFFSET(vq->vq_num));
	vq->vq_notify_off = rd16(c, VC_QNOTIFYOFF);
	wr16(c, VC_QENABLE, 1);
}

static void
modern_notify(struct virtio_softc *sc, int idx)
{
	struct virtqueue *vq = &sc->sc_vqs[idx];

	wr16(sc->sc_notify, vq->vq_notify_off * sc->sc_notify_mult, idx);
}

static uint8_t
modern_read_isr(struct virtio_softc *sc)
{
	return (rd8(sc->sc_isr, 0));
}

static void
modern_read_config(struct virtio_softc *sc, int off, void *buf, int len)
{
	uint8_t *p = buf;

	for (int i = 0; i < len; i++)
		p[i] = rd8(sc->sc_devcfg, off + i);
}

static const struct virtio_transport virtio_modern_transport = {
	.vt_name = "modern",
	.vt_get_features = modern_get_features,
	.vt_set_features = modern_set_features,
	.vt_get_status = modern_get_status,
	.vt_set_status = modern_set_status,
	.vt_queue_size = modern_queue_size,
	.vt_queue_setup = modern_queue_setup,
	.vt_notify = modern_notify,
	.vt_read_isr = modern_read_isr,
	.vt_read_config = modern_read_config,
};

/* Map the block one capability describes; NULL if it is unusable. */
static volatile uint8_t *
modern_map(struct pci_dev *d, int cap)
{
	int bar = pci_cfg_read(d, cap + 4, 1);
	uint32_t off = pci_cfg_read(d, cap + 8, 4);
	uint32_t len = pci_cfg_read(d, cap + 12, 4);
	const struct pci_bar *b;

	if (bar >= PCI_MAXBAR)
		return (NULL);
	b = &d->pd_bar[bar];
	if ((b->pb_kind != PCI_BAR_MEM32 && b->pb_kind != PCI_BAR_MEM64) ||
	    (uint64_t)off + len > b->pb_size || len == 0)
		return (NULL);
	return (pmap_mapdev(b->pb_base + off, len));
}

int
virtio_modern_init(struct virtio_softc *sc, struct pci_dev *d,
    uint64_t want)
{
	uint8_t st;

	for (int i = 0; i < d->pd_ncaps; i++) {
		int cap = d->pd_caps[i].pc_off;

		if (d->pd_caps[i].pc_id != PCIY_VENDOR)
			continue;
		switch (pci_cfg_read(d, cap + 3, 1)) {
		case VIRTIO_PCI_CAP_COMMON:
			if (sc->sc_common == NULL)
				sc->sc_common = modern_map(d, cap);
			break;
		case VIRTIO_PCI_CAP_NOTIFY:
			if (sc->sc_notify == NULL) {
				sc->sc_notify = modern_map(d, cap);
				sc->sc_notify_mult = pci_cfg_read(d, cap + 16,
				    4);
			}
			break;
		case VIRTIO_PCI_CAP_ISR:
			if (sc->sc_isr == NULL)
				sc->sc_isr = modern_map(d, cap);
			break;
		case VIRTIO_PCI_CAP_DEVICE:
			if (sc->sc_devcfg == NULL)
				sc->sc_devcfg = modern_map(d, cap);
			break;
		}
	}
	if (sc->sc_common == NULL || sc->sc_notify == NULL ||
	    sc->sc_isr == NULL)
		return (-ENODEV);
	sc->sc_dev = d;
	sc->sc_tr = &virtio_modern_transport;
	pci_enable(d);
	virtio_reset(sc);
	while (modern_get_status(sc) != 0)
		;
	modern_set_status(sc, VIRTIO_STATUS_ACK);
	modern_set_status(sc, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	sc->sc_features = modern_get_features(sc) &
	    (want | VIRTIO_F_VERSION_1);
	if (!(sc->sc_features & VIRTIO_F_VERSION_1))
		return (-ENODEV);
	modern_set_features(sc, sc->sc_features);
	st = VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER |
	    VIRTIO_STATUS_FEATURES_OK;
	modern_set_status(sc, st);
	if (!(modern_get_status(sc) & VIRTIO_STATUS_FEATURES_OK)) {
		modern_set_status(sc, st | VIRTIO_STATUS_FAILED);
		return (-ENOTSUP);
	}
	return (0);
}
