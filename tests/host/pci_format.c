/*
 * pci_format.c: host unit tests for drivers/pci_format.c, the PCI list in
 * the layout of Linux /proc/bus/pci/devices.
 *
 * The expected lines are written out in full, as Linux prints them for
 * the same devices (QEMU's virtio-serial with an I/O BAR and a 64-bit
 * prefetchable memory BAR; a host bridge with none), so a wrong field
 * order, width, flag or separator fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <pci.h>

static struct pci_driver vdrv = { "virtio-serial", NULL, NULL };

static void
make_list(struct pci_devlist *list, struct pci_dev *hb, struct pci_dev *vs)
{
	TAILQ_INIT(list);
	memset(hb, 0, sizeof(*hb));
	hb->pd_vendor = 0x8086;
	hb->pd_device = 0x1237;
	hb->pd_intline = 0xff;
	memset(vs, 0, sizeof(*vs));
	vs->pd_slot = 4;
	vs->pd_vendor = 0x1af4;
	vs->pd_device = 0x1003;
	vs->pd_intline = 11;
	vs->pd_intpin = 1;
	vs->pd_bar[0] = (struct pci_bar){ 0xc040, 0x40, 0x1, PCI_BAR_IO };
	vs->pd_bar[4] = (struct pci_bar){ 0xfe000000, 0x4000, 0xc,
		PCI_BAR_MEM64 };
	vs->pd_driver = &vdrv;
	TAILQ_INSERT_TAIL(list, hb, pd_link);
	TAILQ_INSERT_TAIL(list, vs, pd_link);
}

#define Z "\t               0"
static const char want[] =
    "0000\t80861237\t0" Z Z Z Z Z Z Z Z Z Z Z Z Z Z "\t\n"
    "0020\t1af41003\tb"
    "\t            c041" Z Z Z "\t        fe00000c" Z Z
    "\t              40" Z Z Z "\t            4000" Z Z
    "\tvirtio-serial\n";

static void
test_linux_layout(void **state)
{
	struct pci_devlist list;
	struct pci_dev hb, vs;
	char buf[1024];

	make_list(&list, &hb, &vs);
	assert_int_equal(pci_format_list(&list, buf, sizeof(buf)),
	    strlen(want));
	assert_string_equal(buf, want);
}

static void
test_truncation(void **state)
{
	struct pci_devlist list;
	struct pci_dev hb, vs;
	char buf[40];

	make_list(&list, &hb, &vs);
	memset(buf, 'x', sizeof(buf));
	/* The full length comes back; the text is cut and terminated. */
	assert_int_equal(pci_format_list(&list, buf, 20), strlen(want));
	assert_int_equal(strlen(buf), 19);
	assert_memory_equal(buf, want, 19);
	assert_int_equal(buf[20], 'x');
	assert_int_equal(pci_format_list(&list, NULL, 0), strlen(want));
	TAILQ_INIT(&list);
	assert_int_equal(pci_format_list(&list, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_layout),
		cmocka_unit_test(test_truncation),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
