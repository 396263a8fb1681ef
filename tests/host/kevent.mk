HOST_TESTS += kevent
kevent_SRCS := kernel/kern_event_subr.c
