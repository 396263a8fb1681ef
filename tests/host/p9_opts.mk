HOST_TESTS += p9_opts
p9_opts_SRCS := fs/9p/p9_opts.c lib/strlcpy.c
