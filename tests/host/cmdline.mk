HOST_TESTS += cmdline
cmdline_SRCS := kernel/cmdline.c
