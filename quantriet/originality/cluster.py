"""Near-duplicate pairs grouped into clusters (union-find with path halving)."""

from collections import defaultdict
from collections.abc import Hashable, Iterable


def clusters(pairs: Iterable[tuple[Hashable, Hashable]]) -> list[list]:
    """The connected groups of the PAIRS graph (keys of one sortable type), each sorted, largest first."""
    parent: dict = {}

    def root(item):
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in pairs:
        parent[root(b)] = root(a)
    groups = defaultdict(list)
    for item in parent:
        groups[root(item)].append(item)
    return sorted((sorted(group) for group in groups.values()), key=lambda group: (-len(group), group[0]))
