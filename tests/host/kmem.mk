HOST_TESTS += kmem
kmem_SRCS := mm/kmem_slab.c
