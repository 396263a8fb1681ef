HOST_TESTS += path
path_SRCS := lib/path.c lib/strlcpy.c
