HOST_TESTS += tty
tty_SRCS := kernel/tty_ldisc.c
