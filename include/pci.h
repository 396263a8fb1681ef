/*
 * pci.h: PCI configuration space, the device list and the driver registry.
 *
 * pci_init walks configuration space with mechanism #1 (ports 0xcf8 and
 * 0xcfc), bus by bus through PCI-to-PCI bridges, and records every function
 * in a struct pci_dev: identity, class, BARs with their sizes, interrupt
 * line and pin, capability offsets.  Drivers declare a struct pci_driver
 * with PCI_DRIVER(); pci_init offers each device to every driver whose
 * match accepts it and calls its attach (FreeBSD's probe/attach split,
 * reduced to one table).  pci_format_devices writes the list in the layout
 * of Linux /proc/bus/pci/devices for procfs.
 */
#ifndef _PCI_H_
#define _PCI_H_

#include <sys/queue.h>
#include <types.h>

/* Configuration space registers (type 0 and the common header). */
#define PCIR_VENDOR	0x00
#define PCIR_DEVICE	0x02
#define PCIR_COMMAND	0x04
#define PCIM_CMD_PORTEN		0x0001
#define PCIM_CMD_MEMEN		0x0002
#define PCIM_CMD_BUSMASTEREN	0x0004
#define PCIM_CMD_INTxDIS	0x0400
#define PCIR_STATUS	0x06
#define PCIM_STATUS_CAPPRESENT	0x0010
#define PCIR_REVID	0x08
#define PCIR_PROGIF	0x09
#define PCIR_SUBCLASS	0x0a
#define PCIR_CLASS	0x0b
#define PCIR_HDRTYPE	0x0e
#define PCIM_MFDEV		0x80
#define PCIR_BAR(i)	(0x10 + (i) * 4)
#define PCIR_SUBVEND_0	0x2c
#define PCIR_SUBDEV_0	0x2e
#define PCIR_CAP_PTR	0x34
#define PCIR_INTLINE	0x3c
#define PCIR_INTPIN	0x3d
#define PCIR_SECBUS_1	0x19	/* bridge: secondary bus number */

#define PCI_MAXBAR	6
#define PCI_MAXCAPS	16

/* BAR kinds. */
#define PCI_BAR_NONE	0
#define PCI_BAR_IO	1
#define PCI_BAR_MEM32	2
#define PCI_BAR_MEM64	3

struct pci_bar {
	uint64_t pb_base;	/* bus address (I/O port or memory) */
	uint64_t pb_size;	/* bytes decoded, 0 when unused */
	uint32_t pb_raw;	/* low bits of the BAR: kind, prefetchable */
	uint8_t pb_kind;	/* PCI_BAR_* */
};

struct pci_cap {
	uint8_t pc_id;		/* PCIY_*: 0x09 vendor, 0x11 MSI-X ... */
	uint8_t pc_off;		/* offset in configuration space */
};

struct pci_driver;

struct pci_dev {
	TAILQ_ENTRY(pci_dev) pd_link;	/* written at boot only */
	uint8_t pd_bus, pd_slot, pd_func;
	uint16_t pd_vendor, pd_device;
	uint16_t pd_subvendor, pd_subdevice;
	uint8_t pd_class, pd_subclass, pd_progif, pd_revid;
	uint8_t pd_hdrtype;		/* without the multifunction bit */
	uint8_t pd_intline;		/* ISA IRQ wired by firmware; 0xff */
	uint8_t pd_intpin;		/* 1 = INTA .. 4 = INTD, 0 none */
	struct pci_bar pd_bar[PCI_MAXBAR];
	int pd_ncaps;
	struct pci_cap pd_caps[PCI_MAXCAPS];
	const struct pci_driver *pd_driver;	/* attached driver, or NULL */
	void *pd_softc;			/* the driver's state */
};

TAILQ_HEAD(pci_devlist, pci_dev);
extern struct pci_devlist pci_devices;

struct pci_driver {
	const char *pdr_name;
	/* true when the driver wants this device */
	bool (*pdr_match)(const struct pci_dev *dev);
	/* 0, or a negative errno (the device stays unclaimed) */
	int (*pdr_attach)(struct pci_dev *dev);
};

#define PCI_DRIVER(sym)                                                  \
	static const struct pci_driver *const pci_driver_ptr_##sym       \
	    __attribute__((section("pci_drivers"), used)) = &(sym)

/* Configuration space access (mechanism #1). */
uint32_t pci_cfg_read(const struct pci_dev *dev, int reg, int width);
void pci_cfg_write(const struct pci_dev *dev, int reg, uint32_t v,
    int width);
uint32_t pci_cfg_read_bdf(int bus, int slot, int func, int reg, int width);

/* Scan every bus, print the list, attach drivers. */
void pci_init(void);
/* Turn on I/O and memory decoding and bus mastering. */
void pci_enable(struct pci_dev *dev);
/* First capability with this id, or 0. */
int pci_find_cap(const struct pci_dev *dev, uint8_t id);
/* A device by identity; `after` continues a search (NULL: first). */
struct pci_dev *pci_find_device(uint16_t vendor, uint16_t device,
    struct pci_dev *after);
/* A short name for a class, "virtio-serial" for known virtio devices. */
const char *pci_dev_name(const struct pci_dev *dev);

/*
 * Device interrupts: INTx lines are level triggered and may be shared, so
 * every handler on a line runs on each interrupt.  Routes the line through
 * the I/O APIC on first use.  0, or -EINVAL (no line wired).
 */
typedef void (*pci_intr_fn)(void *arg);
int pci_intr_establish(struct pci_dev *dev, pci_intr_fn fn, void *arg);

/*
 * /proc/bus/pci/devices: one line per function, "BBDF\tVVVVDDDD\tIRQ",
 * seven "start|flags" words (BARs 0-5, ROM), seven sizes, then the driver
 * name.  Returns the length the full text needs (as snprintf does); the
 * text is cut at len - 1 bytes and always NUL terminated.
 */
size_t pci_format_devices(char *buf, size_t len);
/* The same for one device list; pure, used by the host test. */
size_t pci_format_list(const struct pci_devlist *list, char *buf,
    size_t len);

#endif /* !_PCI_H_ */
