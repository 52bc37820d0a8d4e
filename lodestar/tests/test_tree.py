"""The one tree walk, property-tested on random forests and on parent links with loops."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from lodestar import tree


@st.composite
def forests(draw) -> dict[int, int | None]:
    """Parent links without a loop: every node's parent is an earlier node, or none."""
    size = draw(st.integers(min_value=0, max_value=30))
    return {
        node: draw(st.one_of(st.none(), st.integers(0, node - 1))) if node else None
        for node in range(size)
    }


@st.composite
def any_links(draw) -> dict[int, int | None]:
    """Any parent links at all, loops and self-parents included (corrupt stored data)."""
    size = draw(st.integers(min_value=1, max_value=30))
    return {node: draw(st.one_of(st.none(), st.integers(0, size - 1))) for node in range(size)}


def walk_up_naively(node: int, parents: dict[int, int | None]) -> list[int]:
    """Only for forests, where the plain walk ends."""
    found, current = [], parents[node]
    while current is not None:
        found.append(current)
        current = parents[current]
    return found


@given(forests())
def test_in_a_forest_ancestors_are_the_plain_walk_to_the_root(parents):
    for node in parents:
        assert tree.ancestors(node, parents.get) == walk_up_naively(node, parents)


@given(any_links())
def test_ancestors_end_even_over_a_loop_and_follow_parent_links(parents):
    for node in parents:
        found = tree.ancestors(node, parents.get)
        assert node not in found
        assert len(found) == len(set(found))
        assert found[:1] == ([] if parents[node] in (None, node) else [parents[node]])
        for child, parent in itertools.pairwise(found):
            assert parents[child] == parent


@given(forests())
def test_a_subtree_is_the_root_and_every_node_the_root_is_an_ancestor_of(parents):
    children = tree.children_of(parents)
    for root in parents:
        below = {n for n in parents if n == root or root in walk_up_naively(n, parents)}
        assert tree.subtree([root], children) == below


@given(any_links())
def test_a_subtree_over_loops_holds_its_roots_and_is_closed_under_children(parents):
    children = tree.children_of(parents)
    found = tree.subtree([0], children)
    assert 0 in found
    for node in found:
        assert set(children.get(node, ())) <= found


@given(forests())
def test_depth_first_visits_each_node_once_parents_first_at_their_depth(parents):
    children = tree.children_of(parents)
    ordered = tree.depth_first(children.get(None, []), children)
    position = {node: index for index, (node, _) in enumerate(ordered)}
    assert len(ordered) == len(position) == len(parents)
    for node, depth in ordered:
        assert depth == len(walk_up_naively(node, parents))
        if parents[node] is not None:
            assert position[parents[node]] < position[node]


@given(any_links())
def test_depth_first_over_loops_visits_each_node_at_most_once(parents):
    children = tree.children_of(parents)
    ordered = tree.depth_first(list(parents), children)
    assert sorted(node for node, _ in ordered) == sorted(parents)


@given(forests(), st.data())
def test_a_new_parent_closes_a_loop_exactly_when_the_node_would_be_above_itself(parents, data):
    if not parents:
        return
    node = data.draw(st.sampled_from(sorted(parents)))
    new_parent = data.draw(st.one_of(st.none(), st.sampled_from(sorted(parents))))
    changed = {**parents, node: new_parent}
    loops = new_parent == node or node in walk_up_naively_bounded(new_parent, changed)
    assert tree.closes_loop(node, new_parent, parents.get) is loops


def walk_up_naively_bounded(node: int | None, parents: dict[int, int | None]) -> list[int]:
    found, current = [], node
    for _ in range(len(parents) + 1):
        if current is None:
            break
        found.append(current)
        current = parents[current]
    return found


def test_a_hand_made_tree_walks_as_drawn():
    #      1
    #    2   3
    #    4
    parents = {1: None, 2: 1, 3: 1, 4: 2}
    children = tree.children_of(parents)
    assert tree.ancestors(4, parents.get) == [2, 1]
    assert tree.subtree([2], children) == {2, 4}
    assert tree.depth_first([1], children) == [(1, 0), (2, 1), (4, 2), (3, 1)]
    assert tree.closes_loop(1, 4, parents.get)
    assert not tree.closes_loop(4, 3, parents.get)
