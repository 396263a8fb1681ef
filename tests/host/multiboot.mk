HOST_TESTS += multiboot
multiboot_SRCS := kernel/multiboot.c lib/printf.c lib/strlcpy.c
