HOST_TESTS += cpio
cpio_SRCS := lib/cpio.c lib/path.c lib/strlcpy.c
