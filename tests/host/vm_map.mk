HOST_TESTS += vm_map
vm_map_SRCS := mm/vm_map.c mm/vm_map_advice.c tests/host/vm_fake.c
