"""Paths of the organisation tree, as plain strings.

The tree is django-treebeard's materialised path: a node's ``path`` is its parent's path plus
one step of STEPLEN characters ("0001", "00010005", …), so a root's path is one step long and
every ancestor of a node is a prefix of its path. These helpers are the one place that knows
the step; the rest of the code asks them instead of slicing paths by hand. They take and
return strings and run no query (callers filter ``path__in=`` with what they return).
"""

#: Characters per level of the tree (treebeard's default, set on `Organization` from here).
STEPLEN = 4


def is_root_path(path: str) -> bool:
    """Whether PATH is a root's (the top of the tree: a province)."""
    return len(path) == STEPLEN


def parent_path(path: str) -> str:
    """The path of the node directly above PATH ("" for a root)."""
    return path[:-STEPLEN]


def path_length(depth: int) -> int:
    """The length of a path at DEPTH (a root is at depth 1)."""
    return depth * STEPLEN


def ancestors_of(path: str, *, top: str = "") -> list[str]:
    """The paths above PATH, top first: from the root, or from TOP (an ancestor of PATH, included)."""
    return [path[:end] for end in range(len(top) or STEPLEN, len(path), STEPLEN)]


def ancestor_paths(paths, *, top: str = "") -> list[str]:
    """PATHS themselves and every path above them (up to the root, or to TOP included), sorted."""
    return sorted({path[:end] for path in paths for end in range(len(top) or STEPLEN, len(path) + 1, STEPLEN)})


def is_within(path: str, ancestor: str) -> bool:
    """Whether the node at PATH is the one at ANCESTOR or below it."""
    return bool(ancestor) and path.startswith(ancestor)
