HOST_TESTS += pci_format
pci_format_SRCS := drivers/pci_format.c lib/printf.c lib/strlcpy.c
