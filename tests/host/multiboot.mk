HOST_TESTS += multiboot
multiboot_SRCS := kernel/multiboot.c kernel/multiboot2.c lib/printf.c lib/strlcpy.c
