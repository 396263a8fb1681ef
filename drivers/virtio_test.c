/*
 * virtio_test.c: self tests of PCI, the virtio core and virtio-serial.
 *
 * The PCI tests run on any machine.  The virtio-serial ones need QEMU's
 * virtio-serial-pci with a virtserialport named org.9p.0 whose host end is
 * connected (tests/stages/70-9p); the stage says so with `p9=EXPORT` on
 * the command line.  Without it they report themselves skipped and pass,
 * so `ktest` on a bare machine stays green; with it, a missing device or
 * port is a failure.
 */
#include <clock.h>
#include <kernel.h>
#include <kmem.h>
#include <ktest.h>
#include <libkern.h>
#include <lapic.h>
#include <cdev.h>
#include <pci.h>
#include <printf.h>
#include <uio.h>
#include <trap.h>
#include <uapi/errno.h>
#include <virtio.h>
#include <virtio_console.h>

#define SEC	NSEC_PER_SEC

static bool
p9_required(void)
{
	char v[8];

	return (cmdline_value("p9", v, sizeof(v)));
}

/* An Intel host bridge is 00:00.0 on QEMU's pc (i440fx) and q35. */
KTEST(p9_pci_hostbridge)
{
	struct pci_dev *d = TAILQ_FIRST(&pci_devices);

	KT_ASSERT(d != NULL);
	KT_EQ(d->pd_bus, 0);
	KT_EQ(d->pd_slot, 0);
	KT_EQ(d->pd_vendor, 0x8086);
	KT_EQ(d->pd_class, 6);		/* bridge */
	KT_EQ(pci_cfg_read(d, PCIR_VENDOR, 4),
	    (uint32_t)d->pd_device << 16 | d->pd_vendor);
}

KTEST(p9_pci_format)
{
	char *buf = kmalloc(8192, 0);
	size_t n, n2;
	char small[20];

	KT_ASSERT(buf != NULL);
	n = pci_format_devices(buf, 8192);
	KT_ASSERT(n > 0 && n < 8192);
	KT_EQ(strlen(buf), n);
	/* First line: bus 00, devfn 00, the host bridge, irq 0. */
	{
		struct pci_dev *d = TAILQ_FIRST(&pci_devices);
		char want[32];

		snprintf(want, sizeof(want), "0000\t%04x%04x\t0\t",
		    d->pd_vendor, d->pd_device);
		KT_EQ(strncmp(buf, want, 16), 0);
	}
	n2 = pci_format_devices(small, sizeof(small));
	KT_EQ(n2, n);
	KT_EQ(strlen(small), sizeof(small) - 1);
	kfree(buf);
}

KTEST(p9_vcons_handshake)
{
	struct pci_dev *d;
	struct vcons_port *p;

	d = pci_find_device(VIRTIO_VENDOR, VIRTIO_ID_CONSOLE_LEGACY, NULL);
	if (d == NULL)		/* disable-legacy=on: the modern id */
		d = pci_find_device(VIRTIO_VENDOR, VIRTIO_ID_CONSOLE, NULL);
	if (!p9_required() && d == NULL) {
		printk("p9_vcons_handshake: no p9= and no device: skipped\n");
		return;
	}
	KT_ASSERT(d != NULL);
	KT_ASSERT(d->pd_driver != NULL);
	KT_EQ(strcmp(d->pd_driver->pdr_name, "virtio-serial"), 0);
	/* Legacy: registers in I/O space; modern: vendor capabilities. */
	if (d->pd_device == VIRTIO_ID_CONSOLE_LEGACY)
		KT_EQ(d->pd_bar[0].pb_kind, PCI_BAR_IO);
	else
		KT_ASSERT(pci_find_cap(d, 0x09) != 0);
	p = vcons_port_wait("org.9p.0", 5 * SEC);
	KT_ASSERT(p != NULL);
	KT_EQ(strcmp(vcons_port_name(p), "org.9p.0"), 0);
	KT_ASSERT(vcons_port_lookup("no.such.port") == NULL);
	/* QEMU is connected to diod from the start: PORT_OPEN 1. */
	KT_EQ(vcons_port_wait_connected(p, 5 * SEC), 0);
	KT_ASSERT(vcons_port_connected(p));
	KT_EQ(vcons_port_read(p, (char[4]){ 0 }, 4, false), -EAGAIN);
	/* /dev/vport0p1, reading through the cdevsw: empty, O_NONBLOCK. */
	{
		struct cdev *dev = vcons_port_cdev(p);
		char b[8];
		struct iovec iov = { b, sizeof(b) };
		struct uio uio = { &iov, 1, 0, sizeof(b), UIO_SYSSPACE,
			UIO_READ };

		KT_ASSERT(dev != NULL);
		KT_EQ(strcmp(dev->si_name, "vport0p1"), 0);
		KT_EQ(dev->si_rdev, makedev(240, 1));
		KT_EQ(dev->si_devsw->d_read(dev, &uio, IO_NDELAY), -EAGAIN);
		KT_EQ(uio.uio_resid, (ssize_t)sizeof(b));
	}
	/* The control messages came by interrupt, not only by polling. */
	KT_ASSERT(d->pd_intline > 0 && d->pd_intline < 16);
	KT_ASSERT(intrcnt[IRQ_VECTOR(d->pd_intline)] > 0);
}
