"""Copy groups: the documents of a batch that are copies or rewrites of one another.

Pair findings come one per pair (``docs/output-contract.md``), so eight copies of one text give
28 DUP001 findings. A supervisor's question is rather "which reports are one text?": the
connected components of the graph whose nodes are documents and whose edges are the pair
findings DUP001 (near-duplicate) and REW001 (synonym rewrite). Two documents are in one group
when a chain of such findings links them; DUP002 (a shared passage) does not link, since one
common paragraph does not make two reports one text, and DUP003 links to the reference index,
not to the batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

#: The pair rules that put two documents of the batch in one group.
LINK_RULES = ("DUP001", "REW001")

GROUP_COLUMNS = ["group", "doc_id", "size", "linked", "rules"]


@dataclass(frozen=True)
class CopyGroup:
    """One connected component of the copy graph.

    Attributes
    ----------
    number : int
        1-based; groups are numbered largest first, ties by their first doc_id.
    members : tuple of str
        The doc_ids of the group, sorted; at least 2.
    links : tuple of (str, str, str)
        ``(doc_id, related_doc_id, rule)`` of every linking finding, sorted.
    """

    number: int
    members: tuple[str, ...]
    links: tuple[tuple[str, str, str], ...]

    def rows(self) -> list[dict]:
        """One row per member (``GROUP_COLUMNS``): ``linked`` the doc_ids it shares a finding
        with (sorted list), ``rules`` the rules of those findings (sorted list)."""
        linked: dict[str, set[str]] = defaultdict(set)
        rules: dict[str, set[str]] = defaultdict(set)
        for a, b, rule in self.links:
            linked[a].add(b)
            linked[b].add(a)
            rules[a].add(rule)
            rules[b].add(rule)
        return [{"group": self.number, "doc_id": d, "size": len(self.members),
                 "linked": sorted(linked[d]), "rules": sorted(rules[d])} for d in self.members]


def connected_components(edges: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The connected components of an undirected graph given by its edges (union-find with
    path halving; the smaller root wins, so the result does not depend on edge order).

    Parameters
    ----------
    edges : iterable of (str, str)
        Pairs of node names (doc_ids); a node exists when it is in an edge.

    Returns
    -------
    list of tuple of str
        Each component's nodes, sorted; components sorted by their first node. A self-loop
        ``(a, a)`` gives the component ``(a,)``. Raises nothing.
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for x in sorted(parent):
        members[root(x)].append(x)
    return sorted(tuple(m) for m in members.values())


def copy_groups(findings: Iterable) -> list[CopyGroup]:
    """The copy groups of a batch's findings.

    Parameters
    ----------
    findings : iterable of Finding
        Any findings; only :data:`LINK_RULES` findings whose ``related_doc_id`` is another
        document are used.

    Returns
    -------
    list of CopyGroup
        The connected components (:func:`connected_components`) of the documents linked by
        those findings, numbered from 1, largest first, ties by first doc_id; each has two or
        more documents. Empty when no finding links two documents. Raises nothing.
    """
    links = sorted({(f.doc_id, f.related_doc_id, f.rule) for f in findings
                    if f.rule in LINK_RULES and f.related_doc_id and f.related_doc_id != f.doc_id})
    comps = sorted(connected_components((a, b) for a, b, _ in links), key=lambda m: (-len(m), m[0]))
    group_of = {d: n for n, m in enumerate(comps, 1) for d in m}
    by_group: dict[int, list] = defaultdict(list)
    for link in links:
        by_group[group_of[link[0]]].append(link)
    return [CopyGroup(n, m, tuple(by_group[n])) for n, m in enumerate(comps, 1)]


def group_rows(groups: list[CopyGroup]) -> list[dict]:
    """The rows of every group (:meth:`CopyGroup.rows`), group by group: a list of dicts with
    the keys :data:`GROUP_COLUMNS`, one per member document (sum of the group sizes rows)."""
    return [r for g in groups for r in g.rows()]
