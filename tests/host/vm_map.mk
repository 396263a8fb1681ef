HOST_TESTS += vm_map
vm_map_SRCS := mm/vm_map.c tests/host/vm_fake.c
