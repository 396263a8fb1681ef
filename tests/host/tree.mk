HOST_TESTS += tree
tree_SRCS :=
