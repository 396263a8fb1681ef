HOST_TESTS += p9_mnt
p9_mnt_SRCS := fs/9p/p9_mnt.c fs/9p/p9_client.c fs/9p/p9_msg.c lib/strlcpy.c
