/*
 * tree.c: host tests of the red-black tree macros in include/sys/tree.h.
 *
 * Random inserts and removes against a shadow array; after every step the
 * tree must be ordered, the parent links consistent, no red node may have
 * a red child and every root-to-leaf path must carry the same number of
 * black nodes.  Any slip in a rotation or recolouring breaks one of these.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <sys/tree.h>

struct node {
	RB_ENTRY(node) link;
	int key;
};

static int
node_cmp(struct node *a, struct node *b)
{
	return (a->key < b->key ? -1 : a->key > b->key);
}

RB_HEAD(ntree, node);
RB_GENERATE_STATIC(ntree, node, link, node_cmp)

/* Black height of the subtree, after checking its invariants. */
static int
check(struct node *n, struct node *parent, int lo, int hi, int *count)
{
	int l, r;

	if (n == NULL)
		return (1);
	assert_ptr_equal(RB_PARENT(n, link), parent);
	assert_true(n->key > lo && n->key < hi);
	if (RB_COLOR(n, link) == RB_RED) {
		assert_false(RB_ISRED(RB_LEFT(n, link), link));
		assert_false(RB_ISRED(RB_RIGHT(n, link), link));
	}
	(*count)++;
	l = check(RB_LEFT(n, link), n, lo, n->key, count);
	r = check(RB_RIGHT(n, link), n, n->key, hi, count);
	assert_int_equal(l, r);
	return (l + (RB_COLOR(n, link) == RB_BLACK));
}

static void
test_rb_random(void **state)
{
	enum { N = 2000 };
	static struct node nodes[N];
	static bool in[N];
	struct ntree head = RB_INITIALIZER(&head);
	struct node key, *n, *prev;
	int count, expect = 0, i, k;

	srandom(1);
	for (i = 0; i < 20000; i++) {
		k = random() % N;
		nodes[k].key = k;
		if (in[k]) {
			assert_ptr_equal(RB_REMOVE(ntree, &head, &nodes[k]),
			    &nodes[k]);
			in[k] = false;
			expect--;
		} else {
			assert_null(RB_INSERT(ntree, &head, &nodes[k]));
			in[k] = true;
			expect++;
		}
		if (i % 97 == 0 || i > 19900) {
			count = 0;
			check(RB_ROOT(&head), NULL, -1, N, &count);
			assert_int_equal(count, expect);
			assert_false(RB_ISRED(RB_ROOT(&head), link));
		}
	}
	/* In-order walk, both directions; FIND and NFIND. */
	prev = NULL;
	count = 0;
	RB_FOREACH(n, ntree, &head) {
		if (prev != NULL)
			assert_true(prev->key < n->key);
		assert_ptr_equal(RB_PREV(ntree, &head, n), prev);
		prev = n;
		count++;
	}
	assert_int_equal(count, expect);
	assert_ptr_equal(RB_MAX(ntree, &head), prev);
	for (k = 0; k < N; k++) {
		key.key = k;
		n = RB_FIND(ntree, &head, &key);
		assert_ptr_equal(n, in[k] ? &nodes[k] : NULL);
		n = RB_NFIND(ntree, &head, &key);
		for (i = k; i < N && !in[i]; i++)
			;
		assert_ptr_equal(n, i < N ? &nodes[i] : NULL);
	}
	/* A duplicate insert returns the resident element. */
	for (k = 0; k < N && !in[k]; k++)
		;
	key.key = k;
	assert_ptr_equal(RB_INSERT(ntree, &head, &key), &nodes[k]);
}

static void
test_rb_sequential(void **state)
{
	enum { N = 1024 };
	static struct node nodes[N];
	struct ntree head;
	int count, i, bh;

	RB_INIT(&head);
	assert_true(RB_EMPTY(&head));
	assert_null(RB_MIN(ntree, &head));
	for (i = 0; i < N; i++) {
		nodes[i].key = i;
		assert_null(RB_INSERT(ntree, &head, &nodes[i]));
	}
	count = 0;
	bh = check(RB_ROOT(&head), NULL, -1, N, &count);
	assert_int_equal(count, N);
	/* Balanced: black height near log2(N), far from N. */
	assert_true(bh <= 11);
	for (i = 0; i < N; i += 2)
		RB_REMOVE(ntree, &head, &nodes[i]);
	count = 0;
	check(RB_ROOT(&head), NULL, -1, N, &count);
	assert_int_equal(count, N / 2);
	assert_ptr_equal(RB_MIN(ntree, &head), &nodes[1]);
	for (i = 1; i < N; i += 2)
		RB_REMOVE(ntree, &head, &nodes[i]);
	assert_true(RB_EMPTY(&head));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rb_random),
		cmocka_unit_test(test_rb_sequential),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
