HOST_TESTS += vm_phys
vm_phys_SRCS := mm/vm_phys.c mm/vm_page.c kernel/multiboot.c kernel/multiboot2.c lib/printf.c lib/strlcpy.c
