/*
 * tree.h: red-black trees as macros, with the names of BSD tree(3).
 *
 * An element embeds RB_ENTRY(type) (left, right, parent, colour); a tree is
 * RB_HEAD(name, type).  RB_GENERATE(name, type, field, cmp) writes the
 * functions for one kind of tree (insert, remove, find, nfind, next, prev,
 * min/max); RB_INSERT(name, head, elm) and friends call them.  cmp(a, b)
 * returns <0, 0 or >0 as in qsort.  Written for Mica from the textbook
 * algorithm (Cormen et al., chapter 13): the invariants are that a red node
 * has no red child and every path from a node to a leaf passes the same
 * number of black nodes, so the height stays below 2 log2(n + 1).
 */
#ifndef _SYS_TREE_H_
#define _SYS_TREE_H_

#include <stddef.h>

#define RB_BLACK	0
#define RB_RED		1

#define RB_HEAD(name, type)						\
struct name {								\
	struct type *rbh_root;						\
}

#define RB_INITIALIZER(root)	{ NULL }
#define RB_INIT(root)		do { (root)->rbh_root = NULL; } while (0)

#define RB_ENTRY(type)							\
struct {								\
	struct type *rbe_left;						\
	struct type *rbe_right;						\
	struct type *rbe_parent;					\
	int rbe_color;							\
}

#define RB_LEFT(elm, field)	(elm)->field.rbe_left
#define RB_RIGHT(elm, field)	(elm)->field.rbe_right
#define RB_PARENT(elm, field)	(elm)->field.rbe_parent
#define RB_COLOR(elm, field)	(elm)->field.rbe_color
#define RB_ROOT(head)		(head)->rbh_root
#define RB_EMPTY(head)		(RB_ROOT(head) == NULL)
#define RB_ISRED(elm, field)	((elm) != NULL && RB_COLOR(elm, field) == RB_RED)

#define RB_PROTOTYPE(name, type, field, cmp)				\
	RB_PROTOTYPE_INTERNAL(name, type, field, cmp, )
#define RB_PROTOTYPE_STATIC(name, type, field, cmp)			\
	RB_PROTOTYPE_INTERNAL(name, type, field, cmp, __attribute__((unused)) static)
#define RB_PROTOTYPE_INTERNAL(name, type, field, cmp, attr)		\
attr struct type *name##_RB_INSERT(struct name *, struct type *);	\
attr struct type *name##_RB_REMOVE(struct name *, struct type *);	\
attr struct type *name##_RB_FIND(struct name *, struct type *);	\
attr struct type *name##_RB_NFIND(struct name *, struct type *);	\
attr struct type *name##_RB_NEXT(struct type *);			\
attr struct type *name##_RB_PREV(struct type *);			\
attr struct type *name##_RB_MINMAX(struct name *, int);

#define RB_GENERATE(name, type, field, cmp)				\
	RB_GENERATE_INTERNAL(name, type, field, cmp, )
#define RB_GENERATE_STATIC(name, type, field, cmp)			\
	RB_GENERATE_INTERNAL(name, type, field, cmp, __attribute__((unused)) static)

#define RB_GENERATE_INTERNAL(name, type, field, cmp, attr)		\
/* Make child (may be NULL) take old's place under old's parent. */	\
static inline void							\
name##_RB_REPLACE_CHILD(struct name *head, struct type *old,		\
    struct type *child)							\
{									\
	struct type *p = RB_PARENT(old, field);				\
									\
	if (p == NULL)							\
		RB_ROOT(head) = child;					\
	else if (RB_LEFT(p, field) == old)				\
		RB_LEFT(p, field) = child;				\
	else								\
		RB_RIGHT(p, field) = child;				\
	if (child != NULL)						\
		RB_PARENT(child, field) = p;				\
}									\
									\
static inline void							\
name##_RB_ROTATE_LEFT(struct name *head, struct type *x)		\
{									\
	struct type *y = RB_RIGHT(x, field);				\
									\
	RB_RIGHT(x, field) = RB_LEFT(y, field);				\
	if (RB_LEFT(y, field) != NULL)					\
		RB_PARENT(RB_LEFT(y, field), field) = x;		\
	name##_RB_REPLACE_CHILD(head, x, y);				\
	RB_LEFT(y, field) = x;						\
	RB_PARENT(x, field) = y;					\
}									\
									\
static inline void							\
name##_RB_ROTATE_RIGHT(struct name *head, struct type *x)		\
{									\
	struct type *y = RB_LEFT(x, field);				\
									\
	RB_LEFT(x, field) = RB_RIGHT(y, field);				\
	if (RB_RIGHT(y, field) != NULL)					\
		RB_PARENT(RB_RIGHT(y, field), field) = x;		\
	name##_RB_REPLACE_CHILD(head, x, y);				\
	RB_RIGHT(y, field) = x;						\
	RB_PARENT(x, field) = y;					\
}									\
									\
/* Restore the invariants after elm was added as a red leaf. */	\
static void								\
name##_RB_INSERT_COLOR(struct name *head, struct type *elm)		\
{									\
	struct type *parent, *gparent, *uncle;				\
									\
	while ((parent = RB_PARENT(elm, field)) != NULL &&		\
	    RB_COLOR(parent, field) == RB_RED) {			\
		gparent = RB_PARENT(parent, field);			\
		if (parent == RB_LEFT(gparent, field)) {		\
			uncle = RB_RIGHT(gparent, field);		\
			if (RB_ISRED(uncle, field)) {			\
				RB_COLOR(uncle, field) = RB_BLACK;	\
				RB_COLOR(parent, field) = RB_BLACK;	\
				RB_COLOR(gparent, field) = RB_RED;	\
				elm = gparent;				\
				continue;				\
			}						\
			if (elm == RB_RIGHT(parent, field)) {		\
				name##_RB_ROTATE_LEFT(head, parent);	\
				elm = parent;				\
				parent = RB_PARENT(elm, field);		\
			}						\
			RB_COLOR(parent, field) = RB_BLACK;		\
			RB_COLOR(gparent, field) = RB_RED;		\
			name##_RB_ROTATE_RIGHT(head, gparent);		\
		} else {						\
			uncle = RB_LEFT(gparent, field);		\
			if (RB_ISRED(uncle, field)) {			\
				RB_COLOR(uncle, field) = RB_BLACK;	\
				RB_COLOR(parent, field) = RB_BLACK;	\
				RB_COLOR(gparent, field) = RB_RED;	\
				elm = gparent;				\
				continue;				\
			}						\
			if (elm == RB_LEFT(parent, field)) {		\
				name##_RB_ROTATE_RIGHT(head, parent);	\
				elm = parent;				\
				parent = RB_PARENT(elm, field);		\
			}						\
			RB_COLOR(parent, field) = RB_BLACK;		\
			RB_COLOR(gparent, field) = RB_RED;		\
			name##_RB_ROTATE_LEFT(head, gparent);		\
		}							\
	}								\
	RB_COLOR(RB_ROOT(head), field) = RB_BLACK;			\
}									\
									\
/*									\
 * Restore the invariants after a black node was removed: elm (maybe	\
 * NULL) under parent carries one black too few.			\
 */									\
static void								\
name##_RB_REMOVE_COLOR(struct name *head, struct type *parent,		\
    struct type *elm)							\
{									\
	struct type *sib;						\
									\
	while (!RB_ISRED(elm, field) && elm != RB_ROOT(head)) {		\
		if (elm == RB_LEFT(parent, field)) {			\
			sib = RB_RIGHT(parent, field);			\
			if (RB_ISRED(sib, field)) {			\
				RB_COLOR(sib, field) = RB_BLACK;	\
				RB_COLOR(parent, field) = RB_RED;	\
				name##_RB_ROTATE_LEFT(head, parent);	\
				sib = RB_RIGHT(parent, field);		\
			}						\
			if (!RB_ISRED(RB_LEFT(sib, field), field) &&	\
			    !RB_ISRED(RB_RIGHT(sib, field), field)) {	\
				RB_COLOR(sib, field) = RB_RED;		\
				elm = parent;				\
				parent = RB_PARENT(elm, field);		\
				continue;				\
			}						\
			if (!RB_ISRED(RB_RIGHT(sib, field), field)) {	\
				RB_COLOR(RB_LEFT(sib, field), field) =	\
				    RB_BLACK;				\
				RB_COLOR(sib, field) = RB_RED;		\
				name##_RB_ROTATE_RIGHT(head, sib);	\
				sib = RB_RIGHT(parent, field);		\
			}						\
			RB_COLOR(sib, field) = RB_COLOR(parent, field);	\
			RB_COLOR(parent, field) = RB_BLACK;		\
			RB_COLOR(RB_RIGHT(sib, field), field) = RB_BLACK; \
			name##_RB_ROTATE_LEFT(head, parent);		\
		} else {						\
			sib = RB_LEFT(parent, field);			\
			if (RB_ISRED(sib, field)) {			\
				RB_COLOR(sib, field) = RB_BLACK;	\
				RB_COLOR(parent, field) = RB_RED;	\
				name##_RB_ROTATE_RIGHT(head, parent);	\
				sib = RB_LEFT(parent, field);		\
			}						\
			if (!RB_ISRED(RB_LEFT(sib, field), field) &&	\
			    !RB_ISRED(RB_RIGHT(sib, field), field)) {	\
				RB_COLOR(sib, field) = RB_RED;		\
				elm = parent;				\
				parent = RB_PARENT(elm, field);		\
				continue;				\
			}						\
			if (!RB_ISRED(RB_LEFT(sib, field), field)) {	\
				RB_COLOR(RB_RIGHT(sib, field), field) =	\
				    RB_BLACK;				\
				RB_COLOR(sib, field) = RB_RED;		\
				name##_RB_ROTATE_LEFT(head, sib);	\
				sib = RB_LEFT(parent, field);		\
			}						\
			RB_COLOR(sib, field) = RB_COLOR(parent, field);	\
			RB_COLOR(parent, field) = RB_BLACK;		\
			RB_COLOR(RB_LEFT(sib, field), field) = RB_BLACK; \
			name##_RB_ROTATE_RIGHT(head, parent);		\
		}							\
		elm = RB_ROOT(head);					\
		break;							\
	}								\
	if (elm != NULL)						\
		RB_COLOR(elm, field) = RB_BLACK;			\
}									\
									\
/* Insert elm; returns NULL, or the element already equal to it. */	\
attr struct type *							\
name##_RB_INSERT(struct name *head, struct type *elm)			\
{									\
	struct type *parent = NULL, *tmp = RB_ROOT(head);		\
	int c = 0;							\
									\
	while (tmp != NULL) {						\
		parent = tmp;						\
		c = (cmp)(elm, tmp);					\
		if (c < 0)						\
			tmp = RB_LEFT(tmp, field);			\
		else if (c > 0)						\
			tmp = RB_RIGHT(tmp, field);			\
		else							\
			return (tmp);					\
	}								\
	RB_LEFT(elm, field) = RB_RIGHT(elm, field) = NULL;		\
	RB_PARENT(elm, field) = parent;					\
	RB_COLOR(elm, field) = RB_RED;					\
	if (parent == NULL)						\
		RB_ROOT(head) = elm;					\
	else if (c < 0)							\
		RB_LEFT(parent, field) = elm;				\
	else								\
		RB_RIGHT(parent, field) = elm;				\
	name##_RB_INSERT_COLOR(head, elm);				\
	return (NULL);							\
}									\
									\
/* Remove elm, which must be in the tree; returns elm. */		\
attr struct type *							\
name##_RB_REMOVE(struct name *head, struct type *elm)			\
{									\
	struct type *y, *x, *xparent;					\
	int color;							\
									\
	/* y is the node actually unlinked: elm or its successor. */	\
	if (RB_LEFT(elm, field) == NULL || RB_RIGHT(elm, field) == NULL) \
		y = elm;						\
	else {								\
		y = RB_RIGHT(elm, field);				\
		while (RB_LEFT(y, field) != NULL)			\
			y = RB_LEFT(y, field);				\
	}								\
	x = RB_LEFT(y, field) != NULL ? RB_LEFT(y, field) :		\
	    RB_RIGHT(y, field);						\
	xparent = RB_PARENT(y, field);					\
	color = RB_COLOR(y, field);					\
	name##_RB_REPLACE_CHILD(head, y, x);				\
	if (y != elm) {							\
		/* The successor takes elm's place, links and colour. */ \
		if (xparent == elm)					\
			xparent = y;					\
		y->field = elm->field;					\
		name##_RB_REPLACE_CHILD(head, elm, y);			\
		if (RB_LEFT(y, field) != NULL)				\
			RB_PARENT(RB_LEFT(y, field), field) = y;	\
		if (RB_RIGHT(y, field) != NULL)				\
			RB_PARENT(RB_RIGHT(y, field), field) = y;	\
	}								\
	if (color == RB_BLACK)						\
		name##_RB_REMOVE_COLOR(head, xparent, x);		\
	return (elm);							\
}									\
									\
/* The element equal to elm, or NULL. */				\
attr struct type *							\
name##_RB_FIND(struct name *head, struct type *elm)			\
{									\
	struct type *tmp = RB_ROOT(head);				\
	int c;								\
									\
	while (tmp != NULL) {						\
		c = (cmp)(elm, tmp);					\
		if (c < 0)						\
			tmp = RB_LEFT(tmp, field);			\
		else if (c > 0)						\
			tmp = RB_RIGHT(tmp, field);			\
		else							\
			return (tmp);					\
	}								\
	return (NULL);							\
}									\
									\
/* The least element >= elm, or NULL. */				\
attr struct type *							\
name##_RB_NFIND(struct name *head, struct type *elm)			\
{									\
	struct type *tmp = RB_ROOT(head), *res = NULL;			\
	int c;								\
									\
	while (tmp != NULL) {						\
		c = (cmp)(elm, tmp);					\
		if (c < 0) {						\
			res = tmp;					\
			tmp = RB_LEFT(tmp, field);			\
		} else if (c > 0)					\
			tmp = RB_RIGHT(tmp, field);			\
		else							\
			return (tmp);					\
	}								\
	return (res);							\
}									\
									\
attr struct type *							\
name##_RB_NEXT(struct type *elm)					\
{									\
	if (RB_RIGHT(elm, field) != NULL) {				\
		elm = RB_RIGHT(elm, field);				\
		while (RB_LEFT(elm, field) != NULL)			\
			elm = RB_LEFT(elm, field);			\
		return (elm);						\
	}								\
	while (RB_PARENT(elm, field) != NULL &&				\
	    elm == RB_RIGHT(RB_PARENT(elm, field), field))		\
		elm = RB_PARENT(elm, field);				\
	return (RB_PARENT(elm, field));					\
}									\
									\
attr struct type *							\
name##_RB_PREV(struct type *elm)					\
{									\
	if (RB_LEFT(elm, field) != NULL) {				\
		elm = RB_LEFT(elm, field);				\
		while (RB_RIGHT(elm, field) != NULL)			\
			elm = RB_RIGHT(elm, field);			\
		return (elm);						\
	}								\
	while (RB_PARENT(elm, field) != NULL &&				\
	    elm == RB_LEFT(RB_PARENT(elm, field), field))		\
		elm = RB_PARENT(elm, field);				\
	return (RB_PARENT(elm, field));					\
}									\
									\
/* The least (val < 0) or greatest (val > 0) element, or NULL. */	\
attr struct type *							\
name##_RB_MINMAX(struct name *head, int val)				\
{									\
	struct type *tmp = RB_ROOT(head), *res = NULL;			\
									\
	while (tmp != NULL) {						\
		res = tmp;						\
		tmp = val < 0 ? RB_LEFT(tmp, field) : RB_RIGHT(tmp, field); \
	}								\
	return (res);							\
}

#define RB_INSERT(name, head, elm)	name##_RB_INSERT(head, elm)
#define RB_REMOVE(name, head, elm)	name##_RB_REMOVE(head, elm)
#define RB_FIND(name, head, elm)	name##_RB_FIND(head, elm)
#define RB_NFIND(name, head, elm)	name##_RB_NFIND(head, elm)
#define RB_NEXT(name, head, elm)	name##_RB_NEXT(elm)
#define RB_PREV(name, head, elm)	name##_RB_PREV(elm)
#define RB_MIN(name, head)		name##_RB_MINMAX(head, -1)
#define RB_MAX(name, head)		name##_RB_MINMAX(head, 1)

#define RB_FOREACH(x, name, head)					\
	for ((x) = RB_MIN(name, head); (x) != NULL;			\
	    (x) = name##_RB_NEXT(x))
#define RB_FOREACH_SAFE(x, name, head, y)				\
	for ((x) = RB_MIN(name, head);					\
	    (x) != NULL && ((y) = name##_RB_NEXT(x), 1); (x) = (y))
#define RB_FOREACH_REVERSE(x, name, head)				\
	for ((x) = RB_MAX(name, head); (x) != NULL;			\
	    (x) = name##_RB_PREV(x))

#endif /* !_SYS_TREE_H_ */
