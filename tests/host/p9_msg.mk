HOST_TESTS += p9_msg
p9_msg_SRCS := fs/9p/p9_msg.c lib/strlcpy.c
