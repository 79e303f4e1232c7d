"""Aggregates over tree subtrees in one query (architecture convention 9).

Rows are grouped by the materialised-path prefix at the nodes' depth, so counting the
units, organisations or members under fifty regions costs one query, not fifty.
"""
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Substr

from dangjian.core.scoping import prefix_q


def subtree_counts(queryset, path_lookup: str, nodes) -> dict[str, int]:
    """{node.path: number of rows of ``queryset`` whose ``path_lookup`` lies in the node's subtree}."""
    nodes = list(nodes)
    if not nodes:
        return {}
    qs = queryset.filter(prefix_q(path_lookup, [n.path for n in nodes])).order_by()
    depths = {len(n.path) for n in nodes}
    if len(depths) == 1:
        # Same depth (e.g. the children of one node): the prefix of that length is the node.
        length = depths.pop()
        rows = qs.annotate(_prefix=Substr(path_lookup, 1, length)).values("_prefix").annotate(n=Count("pk"))
        counts = {row["_prefix"]: row["n"] for row in rows}
        return {n.path: counts.get(n.path, 0) for n in nodes}
    # Mixed depths (a node may contain another): count per path, then add up per node.
    per_path = list(qs.values_list(path_lookup).annotate(n=Count("pk")))
    return {n.path: sum(c for p, c in per_path if p.startswith(n.path)) for n in nodes}


def count_subquery(queryset, field: str, outer: str = "pk"):
    """Annotation: how many rows of ``queryset`` have ``field`` = the outer row's ``outer`` (0 if none)."""
    counted = (
        queryset.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
