"""Needs matched with resources (and the reverse): Chinese text similarity (jieba words, TF-IDF weights, cosine),
the same category, and nearness, each with its reasons.

The index of the published items of one kind is built once per process and rebuilt when the items change (its
key: their count and newest id), so matching one need against 10,000 resources is a sparse product, not a scan.
"""
import functools
import threading
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from dangjian.alliances.models import Item, ItemKind
from dangjian.core.geo import project_km

TEXT, CATEGORY, NEAR = 0.7, 0.2, 0.1  # weights of the score's parts
NEAR_KM = 20.0  # at this distance the nearness part is halved
# Words that every item has: they say nothing about what is needed or offered.
STOP = {"需要", "需求", "提供", "资源", "我们", "本公司", "公司", "企业", "一批", "可以", "能够", "有限公司", "单位",
        "相关", "进行", "希望", "主要", "以及", "合作", "寻求", "对接"}


@functools.cache
def _jieba():
    """jieba and scikit-learn load on first use: imported with the module they would add a second to every
    process's start."""
    import jieba

    jieba.setLogLevel(60)  # no chatter on the console
    return jieba


def words(text: str) -> list[str]:
    return [w for w in _jieba().lcut(text or "") if len(w.strip()) > 1 and w not in STOP and not w.isdigit()]


def item_text(item) -> str:
    return f"{item.title} {item.title} {item.description}"  # the title counts twice: it says what matters


@dataclass
class Match:
    item: Item
    score: float
    text: float
    same_category: bool
    km: float | None
    shared: list  # the words both share, most telling first


class Index:
    def __init__(self, kind: str, items: list[Item]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.kind, self.items = kind, items
        self.vectorizer = TfidfVectorizer(tokenizer=words, lowercase=False, token_pattern=None, sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([item_text(i) for i in items]) if items else None
        self.category = np.array([i.category for i in items])
        self.unit = np.array([i.unit_id for i in items])
        self.lng = np.array([i.unit.lng if i.unit.lng is not None else np.nan for i in items], dtype=float)
        self.lat = np.array([i.unit.lat if i.unit.lat is not None else np.nan for i in items], dtype=float)

    def match(self, query: Item, limit: int = 10, min_score: float = 0.05) -> list[Match]:
        from sklearn.metrics.pairwise import linear_kernel

        if not self.items:
            return []
        vector = self.vectorizer.transform([item_text(query)])
        text = linear_kernel(vector, self.matrix).ravel()
        same = self.category == query.category
        if query.unit.lng is None or query.unit.lat is None:
            km = np.full(len(self.items), np.nan)
        else:
            x, y = project_km(self.lng, self.lat, query.unit.lat)
            qx, qy = project_km(query.unit.lng, query.unit.lat, query.unit.lat)
            km = np.hypot(x - qx, y - qy)
        near = np.where(np.isnan(km), 0.5, 1 / (1 + np.nan_to_num(km) / NEAR_KM))
        score = TEXT * text + CATEGORY * same + NEAR * near
        # A match shares a word or the category, is another unit's, and scores enough.
        ok = ((text > 0) | same) & (self.unit != query.unit_id) & (score >= min_score)
        candidates = np.flatnonzero(ok)
        top = candidates[np.argsort(-score[candidates], kind="stable")][:limit]
        idf, names = self.vectorizer.idf_, self.vectorizer.get_feature_names_out()
        query_words = set(vector.nonzero()[1])
        out = []
        for i in top:
            shared = sorted(query_words & set(self.matrix[i].nonzero()[1]), key=lambda j: -idf[j])
            out.append(Match(self.items[i], round(float(score[i]), 3), round(float(text[i]), 3), bool(same[i]),
                             None if np.isnan(km[i]) else round(float(km[i]), 1), [names[j] for j in shared[:5]]))
        return out


_cache: dict = {}
_lock = threading.Lock()


def published(kind: str):
    """Items of a kind still valid today, with their unit's place (for distances)."""
    return Item.objects.filter(kind=kind, valid_until__gte=timezone.localdate()).select_related("unit") \
        .order_by("pk")


def index_for(kind: str) -> Index:
    items = published(kind)
    key = (kind, timezone.localdate(), items.count(), items.values_list("pk", flat=True).last())
    with _lock:
        cached = _cache.get(kind)
        if cached is None or cached[0] != key:
            cached = _cache[kind] = (key, Index(kind, list(items)))
        return cached[1]


def matches_for(item: Item, limit: int = 10) -> list[Match]:
    """Resources for a need, or needs for a resource."""
    other = ItemKind.RESOURCE if item.kind == ItemKind.NEED else ItemKind.NEED
    return index_for(other).match(item, limit)
