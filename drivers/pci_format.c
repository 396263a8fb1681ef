/*
 * pci_format.c: the PCI device list as Linux prints /proc/bus/pci/devices.
 *
 * Pure formatting over a struct pci_devlist, shared with the host test.
 * Each BAR is shown as its base ORed with the low flag bits of the BAR
 * register (1 = I/O, 4 = 64-bit memory, 8 = prefetchable), as Linux's
 * show_device does; fields are tab separated, 64-bit words as %16lx.
 */
#include <pci.h>
#include <printf.h>

/* snprintf into buf at *off, keeping the would-be length in *off. */
static void
pf(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (*off < len)
		n = vsnprintf(buf + *off, len - *off, fmt, ap);
	else
		n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += n;
}

size_t
pci_format_list(const struct pci_devlist *list, char *buf, size_t len)
{
	const struct pci_dev *d;
	size_t off = 0;
	int i;

	if (len > 0)
		buf[0] = '\0';
	TAILQ_FOREACH(d, list, pd_link) {
		pf(buf, len, &off, "%02x%02x\t%04x%04x\t%x", d->pd_bus,
		    (d->pd_slot << 3) | d->pd_func, d->pd_vendor,
		    d->pd_device, d->pd_intline == 0xff ? 0 : d->pd_intline);
		for (i = 0; i < PCI_MAXBAR; i++) {
			const struct pci_bar *b = &d->pd_bar[i];
			uint64_t flags = b->pb_kind == PCI_BAR_IO ?
			    (b->pb_raw & 0x3) : (b->pb_raw & 0xf);

			pf(buf, len, &off, "\t%16lx", b->pb_size ?
			    (unsigned long)(b->pb_base | flags) : 0UL);
		}
		pf(buf, len, &off, "\t%16lx", 0UL);	/* expansion ROM */
		for (i = 0; i < PCI_MAXBAR; i++)
			pf(buf, len, &off, "\t%16lx",
			    (unsigned long)d->pd_bar[i].pb_size);
		pf(buf, len, &off, "\t%16lx", 0UL);
		pf(buf, len, &off, "\t%s\n",
		    d->pd_driver != NULL ? d->pd_driver->pdr_name : "");
	}
	return (off);
}
