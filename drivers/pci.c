/*
 * pci.c: PCI bus enumeration (configuration mechanism #1) and attachment.
 *
 * Configuration space is reached through two ports: the address of a
 * register (enable bit, bus, slot, function, offset) goes to 0xcf8, the
 * data moves through 0xcfc.  pci_init scans bus 0 and every bus behind a
 * PCI-to-PCI bridge, sizes each BAR by writing all ones and reading back
 * the mask (decoding off meanwhile), walks the capability list, prints one
 * line per function, then offers each device to the registered drivers
 * (the pci_drivers linker set).  Shared INTx lines get one vector each and
 * a short list of handlers (pci_intr_establish).  The device list is
 * written at boot by one CPU and read-only afterwards, so it has no lock;
 * pci_cfg_lock only keeps an address write and its data access together.
 */
#include <kernel.h>
#include <kmem.h>
#include <lapic.h>
#include <libkern.h>
#include <pci.h>
#include <printf.h>
#include <spinlock.h>
#include <trap.h>
#include <uapi/errno.h>
#include <x86.h>

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define PCI_MAXSLOT	32
#define PCI_MAXFUNC	8

struct pci_devlist pci_devices = TAILQ_HEAD_INITIALIZER(pci_devices);
static struct spinlock pci_cfg_lock = SPINLOCK_INIT("pci_cfg");
static int pci_ndevices;		/* boot only, like pci_devices */

extern const struct pci_driver *const __start_pci_drivers[];
extern const struct pci_driver *const __stop_pci_drivers[];

/* Point the data port at a register's dword; pci_cfg_lock held. */
static void
pci_cfg_select(int bus, int slot, int func, int reg)
{
	outl(PCI_CONF_ADDR, 0x80000000u | (bus << 16) | (slot << 11) |
	    (func << 8) | (reg & 0xfc));
}

uint32_t
pci_cfg_read_bdf(int bus, int slot, int func, int reg, int width)
{
	uint32_t v;

	spin_lock(&pci_cfg_lock);
	pci_cfg_select(bus, slot, func, reg);
	switch (width) {
	case 1:
		v = inb(PCI_CONF_DATA + (reg & 3));
		break;
	case 2:
		v = inw(PCI_CONF_DATA + (reg & 2));
		break;
	default:
		v = inl(PCI_CONF_DATA);
		break;
	}
	spin_unlock(&pci_cfg_lock);
	return (v);
}

static void
pci_cfg_write_bdf(int bus, int slot, int func, int reg, uint32_t v,
    int width)
{
	spin_lock(&pci_cfg_lock);
	pci_cfg_select(bus, slot, func, reg);
	switch (width) {
	case 1:
		outb(PCI_CONF_DATA + (reg & 3), v);
		break;
	case 2:
		outw(PCI_CONF_DATA + (reg & 2), v);
		break;
	default:
		outl(PCI_CONF_DATA, v);
		break;
	}
	spin_unlock(&pci_cfg_lock);
}

uint32_t
pci_cfg_read(const struct pci_dev *d, int reg, int width)
{
	return (pci_cfg_read_bdf(d->pd_bus, d->pd_slot, d->pd_func, reg,
	    width));
}

void
pci_cfg_write(const struct pci_dev *d, int reg, uint32_t v, int width)
{
	pci_cfg_write_bdf(d->pd_bus, d->pd_slot, d->pd_func, reg, v, width);
}

/* Size BAR i (and its upper half for 64-bit memory); returns BARs used. */
static int
pci_read_bar(struct pci_dev *d, int i)
{
	struct pci_bar *b = &d->pd_bar[i];
	uint32_t orig, mask, orig_hi = 0, mask_hi = 0xffffffff;
	uint64_t m;

	orig = pci_cfg_read(d, PCIR_BAR(i), 4);
	pci_cfg_write(d, PCIR_BAR(i), 0xffffffff, 4);
	mask = pci_cfg_read(d, PCIR_BAR(i), 4);
	pci_cfg_write(d, PCIR_BAR(i), orig, 4);
	b->pb_raw = orig & ((orig & 1) ? 0x3 : 0xf);
	if (mask == 0 || mask == 0xffffffff) {
		b->pb_kind = PCI_BAR_NONE;
		return (1);
	}
	if (orig & 1) {
		b->pb_kind = PCI_BAR_IO;
		b->pb_base = orig & ~3u;
		m = (mask & ~3u) | 0xffff0000u;
		b->pb_size = (uint32_t)(~m + 1);
		return (1);
	}
	if (((orig >> 1) & 3) == 2 && i + 1 < PCI_MAXBAR) {
		orig_hi = pci_cfg_read(d, PCIR_BAR(i + 1), 4);
		pci_cfg_write(d, PCIR_BAR(i + 1), 0xffffffff, 4);
		mask_hi = pci_cfg_read(d, PCIR_BAR(i + 1), 4);
		pci_cfg_write(d, PCIR_BAR(i + 1), orig_hi, 4);
		b->pb_kind = PCI_BAR_MEM64;
	} else
		b->pb_kind = PCI_BAR_MEM32;
	b->pb_base = ((uint64_t)orig_hi << 32) | (orig & ~0xfu);
	m = ((uint64_t)mask_hi << 32) | (mask & ~0xfu);
	b->pb_size = ~m + 1;
	return (b->pb_kind == PCI_BAR_MEM64 ? 2 : 1);
}

static void
pci_read_caps(struct pci_dev *d)
{
	int off, guard = 48;

	if (!(pci_cfg_read(d, PCIR_STATUS, 2) & PCIM_STATUS_CAPPRESENT))
		return;
	off = pci_cfg_read(d, PCIR_CAP_PTR, 1) & 0xfc;
	while (off >= 0x40 && guard-- > 0 && d->pd_ncaps < PCI_MAXCAPS) {
		d->pd_caps[d->pd_ncaps].pc_id = pci_cfg_read(d, off, 1);
		d->pd_caps[d->pd_ncaps].pc_off = off;
		d->pd_ncaps++;
		off = pci_cfg_read(d, off + 1, 1) & 0xfc;
	}
}

static void pci_scan_bus(int bus, int depth);

static void
pci_probe_func(int bus, int slot, int func, int depth)
{
	struct pci_dev *d;
	uint16_t cmd;
	int i;

	d = kmalloc(sizeof(*d), M_ZERO);
	if (d == NULL)
		return;
	d->pd_bus = bus;
	d->pd_slot = slot;
	d->pd_func = func;
	d->pd_vendor = pci_cfg_read(d, PCIR_VENDOR, 2);
	d->pd_device = pci_cfg_read(d, PCIR_DEVICE, 2);
	d->pd_revid = pci_cfg_read(d, PCIR_REVID, 1);
	d->pd_progif = pci_cfg_read(d, PCIR_PROGIF, 1);
	d->pd_subclass = pci_cfg_read(d, PCIR_SUBCLASS, 1);
	d->pd_class = pci_cfg_read(d, PCIR_CLASS, 1);
	d->pd_hdrtype = pci_cfg_read(d, PCIR_HDRTYPE, 1) & ~PCIM_MFDEV;
	d->pd_intline = pci_cfg_read(d, PCIR_INTLINE, 1);
	d->pd_intpin = pci_cfg_read(d, PCIR_INTPIN, 1);
	if (d->pd_intpin == 0)
		d->pd_intline = 0xff;
	if (d->pd_hdrtype == 0) {
		d->pd_subvendor = pci_cfg_read(d, PCIR_SUBVEND_0, 2);
		d->pd_subdevice = pci_cfg_read(d, PCIR_SUBDEV_0, 2);
		/* No decoding while a BAR holds all ones. */
		cmd = pci_cfg_read(d, PCIR_COMMAND, 2);
		pci_cfg_write(d, PCIR_COMMAND,
		    cmd & ~(PCIM_CMD_PORTEN | PCIM_CMD_MEMEN), 2);
		for (i = 0; i < PCI_MAXBAR;)
			i += pci_read_bar(d, i);
		pci_cfg_write(d, PCIR_COMMAND, cmd, 2);
	}
	pci_read_caps(d);
	TAILQ_INSERT_TAIL(&pci_devices, d, pd_link);
	pci_ndevices++;
	/* A PCI-to-PCI bridge: the devices behind it. */
	if (d->pd_hdrtype == 1 && depth < 8) {
		int sec = pci_cfg_read(d, PCIR_SECBUS_1, 1);

		if (sec > bus)
			pci_scan_bus(sec, depth + 1);
	}
}

static void
pci_scan_bus(int bus, int depth)
{
	for (int slot = 0; slot < PCI_MAXSLOT; slot++) {
		int nfunc = 1;

		if ((pci_cfg_read_bdf(bus, slot, 0, PCIR_VENDOR, 2)) == 0xffff)
			continue;
		if (pci_cfg_read_bdf(bus, slot, 0, PCIR_HDRTYPE, 1) &
		    PCIM_MFDEV)
			nfunc = PCI_MAXFUNC;
		for (int f = 0; f < nfunc; f++)
			if (pci_cfg_read_bdf(bus, slot, f, PCIR_VENDOR, 2) !=
			    0xffff)
				pci_probe_func(bus, slot, f, depth);
	}
}

const char *
pci_dev_name(const struct pci_dev *d)
{
	static const struct {
		uint16_t dev;
		const char *name;
	} virtio[] = {
		{ 0x1000, "virtio-net" }, { 0x1001, "virtio-blk" },
		{ 0x1003, "virtio-serial" }, { 0x1009, "virtio-9p" },
		{ 0x1041, "virtio-net" }, { 0x1042, "virtio-blk" },
		{ 0x1043, "virtio-serial" }, { 0x1049, "virtio-9p" },
	};
	static const char *const classes[] = {
		"old", "storage", "network", "display", "multimedia",
		"memory", "bridge", "communication", "system", "input",
		"docking", "processor", "serial-bus",
	};

	if (d->pd_vendor == 0x1af4)
		for (size_t i = 0; i < nitems(virtio); i++)
			if (virtio[i].dev == d->pd_device)
				return (virtio[i].name);
	if (d->pd_class < nitems(classes))
		return (classes[d->pd_class]);
	return ("other");
}

void
pci_enable(struct pci_dev *d)
{
	uint16_t cmd = pci_cfg_read(d, PCIR_COMMAND, 2);

	cmd |= PCIM_CMD_PORTEN | PCIM_CMD_MEMEN | PCIM_CMD_BUSMASTEREN;
	cmd &= ~PCIM_CMD_INTxDIS;
	pci_cfg_write(d, PCIR_COMMAND, cmd, 2);
}

int
pci_find_cap(const struct pci_dev *d, uint8_t id)
{
	for (int i = 0; i < d->pd_ncaps; i++)
		if (d->pd_caps[i].pc_id == id)
			return (d->pd_caps[i].pc_off);
	return (0);
}

struct pci_dev *
pci_find_device(uint16_t vendor, uint16_t device, struct pci_dev *after)
{
	struct pci_dev *d;

	d = after != NULL ? TAILQ_NEXT(after, pd_link) :
	    TAILQ_FIRST(&pci_devices);
	for (; d != NULL; d = TAILQ_NEXT(d, pd_link))
		if (d->pd_vendor == vendor && d->pd_device == device)
			return (d);
	return (NULL);
}

/* Shared INTx: the handlers on each ISA line (boot-time writes only). */
#define PCI_INTR_MAX	8
static struct pci_intrhand {
	pci_intr_fn fn;
	void *arg;
} pci_intrs[16][PCI_INTR_MAX];

static void
pci_intr(struct trapframe *tf, void *arg)
{
	struct pci_intrhand *ih = arg;

	for (int i = 0; i < PCI_INTR_MAX && ih[i].fn != NULL; i++)
		ih[i].fn(ih[i].arg);
}

int
pci_intr_establish(struct pci_dev *d, pci_intr_fn fn, void *arg)
{
	int line = d->pd_intline, i, error;

	if (d->pd_intpin == 0 || line >= 16 || line == 0)
		return (-EINVAL);
	for (i = 0; i < PCI_INTR_MAX && pci_intrs[line][i].fn != NULL; i++)
		;
	if (i == PCI_INTR_MAX)
		return (-ENOSPC);
	pci_intrs[line][i].arg = arg;
	pci_intrs[line][i].fn = fn;
	if (i == 0) {
		intr_establish(IRQ_VECTOR(line), pci_intr, pci_intrs[line]);
		error = ioapic_route_irq(line, IRQ_VECTOR(line));
		if (error != 0) {
			printk(KERN_WARNING "pci: cannot route IRQ %d: %d\n",
			    line, error);
			return (error);
		}
	}
	return (0);
}

size_t
pci_format_devices(char *buf, size_t len)
{
	return (pci_format_list(&pci_devices, buf, len));
}

void
pci_init(void)
{
	const struct pci_driver *const *drv;
	struct pci_dev *d;

	/* Mechanism #1 present: the address register reads back. */
	outl(PCI_CONF_ADDR, 0x80000000u);
	if (inl(PCI_CONF_ADDR) != 0x80000000u) {
		printk("pci: no configuration mechanism #1\n");
		return;
	}
	pci_scan_bus(0, 0);
	TAILQ_FOREACH(d, &pci_devices, pd_link) {
		char bars[64] = "";
		size_t o = 0;

		for (int i = 0; i < PCI_MAXBAR && o < sizeof(bars); i++) {
			const struct pci_bar *b = &d->pd_bar[i];

			if (b->pb_kind == PCI_BAR_NONE || b->pb_size == 0)
				continue;
			o += snprintf(bars + o, sizeof(bars) - o, " %s%d=%#lx",
			    b->pb_kind == PCI_BAR_IO ? "io" : "mem", i,
			    b->pb_base);
		}
		printk("pci: %02x:%02x.%x %04x:%04x %s%s", d->pd_bus,
		    d->pd_slot, d->pd_func, d->pd_vendor, d->pd_device,
		    pci_dev_name(d), bars);
		if (d->pd_intpin != 0)
			printk(" irq %d pin %c", d->pd_intline,
			    'A' + d->pd_intpin - 1);
		printk("\n");
	}
	TAILQ_FOREACH(d, &pci_devices, pd_link) {
		for (drv = __start_pci_drivers; drv < __stop_pci_drivers;
		     drv++) {
			if (!(*drv)->pdr_match(d))
				continue;
			if ((*drv)->pdr_attach(d) == 0) {
				d->pd_driver = *drv;
				break;
			}
		}
	}
}
