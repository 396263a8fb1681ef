HOST_TESTS += procfs
procfs_SRCS := fs/procfs/procfs_fmt.c lib/printf.c kernel/kern_sysstat.c
