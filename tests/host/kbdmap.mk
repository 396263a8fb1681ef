HOST_TESTS += kbdmap
kbdmap_SRCS := kernel/kbdmap.c
