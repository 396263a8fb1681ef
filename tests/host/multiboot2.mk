HOST_TESTS += multiboot2
multiboot2_SRCS := kernel/multiboot.c kernel/multiboot2.c lib/printf.c lib/strlcpy.c
