"""(f) Linkage groups and the needs/resources market at Fuling's size.

1. ``alliances.actions.propose_scheme`` (strength from the registry and organisational life, the grouping solver,
   the draft written to the database) for the district's 158 largest enterprises in 10 groups, and for every
   operating unit (~20,000) in groups of about 16; each inside a transaction that is rolled back. Baseline:
   reading the same units and computing their strength (the data the solver needs).
2. Matching one need against 10,000 published resources (generated here, rolled back afterwards) through
   ``alliances.matching.matches_for``: the median over 20 different needs, once the index is built (its
   build time is reported too). Baseline: the bare TF-IDF product of the need with all resources.
"""
import datetime as dt
import random

from bench_common import Figure, Section, Stopwatch, log, median, ms

SMALL_TARGET, LARGE_TARGET, MATCH_TARGET = 2.0, 60.0, 0.100  # seconds


class Rollback(Exception):
    pass


def _propose(user, district, ids, groups) -> tuple[float, dict]:
    from django.db import transaction

    from dangjian.alliances import actions, queries
    from dangjian.alliances.models import Scheme

    result = {}
    try:
        with transaction.atomic():
            with Stopwatch() as s:
                scheme = actions.propose_scheme(user, district, ids, groups, seed=1)
            view = queries.scheme_view(Scheme.objects.get(pk=scheme.pk))
            result = view["terms"]
            raise Rollback
    except Rollback:
        pass
    return s.seconds, result


def _baseline(ids) -> float:
    from dangjian.alliances.strength import unit_strength
    from dangjian.units.models import Unit

    with Stopwatch() as s:
        units = list(Unit.objects.filter(pk__in=ids).select_related("region"))
        unit_strength(units)
    return s.seconds


def bench_grouping() -> tuple[list[Figure], str]:
    from bench_data import admin_user
    from cov_bench import district_of

    from dangjian.units.models import Unit, UnitKind, UnitStatus

    user = admin_user()
    district = district_of(user)
    operating = Unit.objects.filter(region__path__startswith=district.path, status=UnitStatus.OPERATING,
                                    lng__isnull=False)
    top = list(operating.filter(kind=UnitKind.ENTERPRISE).order_by("-employees", "pk").values_list("pk", flat=True)[:158])
    everyone = list(operating.order_by("pk").values_list("pk", flat=True))
    figures = []
    for label, ids, groups, target in (("158 enterprises, 10 groups", top, 10, SMALL_TARGET),
                                       (f"{len(everyone):,} units, {round(len(everyone) / 16):,} groups", everyone,
                                        round(len(everyone) / 16), LARGE_TARGET)):
        base = _baseline(ids)
        took, terms = _propose(user, district, ids, groups)
        log(f"alliances: grouping {label}: {took:.2f} s (data {base:.2f} s) {terms}")
        figures.append(Figure(
            f"linkage-group proposal, {label}",
            f"{took:.2f} s (sizes {terms.get('smallest')}–{terms.get('largest')}, locality {terms.get('distance')}, "
            f"groups with strong/weak {terms.get('groups_with_strong')}/{terms.get('groups_with_weak')})",
            f"{base:.2f} s reading units and strength", f"{took / base:.1f}×" if base else "",
            f"< {target:.0f} s", took < target, {"terms": terms}))
    method = (
        f"`alliances.actions.propose_scheme` as `qu_admin` for {district.name}: the 158 largest enterprises in 10 "
        f"groups (as in Liangping), and every operating unit with a location in groups of 16; each call in a "
        f"transaction rolled back afterwards (strength from the registry and a year of meetings, the grouping "
        f"solver with seed 1, the draft scheme, groups, members and leaders written). Baseline: reading the same "
        f"units and computing their strength."
    )
    return figures, method


def bench_matching(n_resources: int = 10000, n_needs: int = 20) -> tuple[list[Figure], str]:
    from django.db import transaction
    from django.utils import timezone
    from sklearn.metrics.pairwise import linear_kernel

    from dangjian.alliances import matching
    from dangjian.alliances.models import Item, ItemKind
    from dangjian.demo.build_alliances import ITEMS
    from dangjian.units.models import Unit, UnitStatus

    rng = random.Random(7)
    units = list(Unit.objects.filter(status=UnitStatus.OPERATING, lng__isnull=False).order_by("pk")[:5000])
    templates = [(c, k, t, d) for c, rows in ITEMS.items() for k, t, d in rows]
    resources = [(c, t, d) for c, k, t, d in templates if k == ItemKind.RESOURCE]
    needs = [(c, t, d) for c, k, t, d in templates if k == ItemKind.NEED]
    places = ["", "城区", "园区", "镇上", "全区"]
    valid = timezone.localdate() + dt.timedelta(days=90)
    result = {}
    try:
        with transaction.atomic():
            Item.objects.bulk_create([
                Item(kind=ItemKind.RESOURCE, unit=rng.choice(units), category=c,
                     title=f"{t}{rng.choice(places)}", description=d.format(n=rng.randint(1, 9)) + rng.choice(places),
                     valid_until=valid, contact="联系人") for c, t, d in
                (rng.choice(resources) for _ in range(n_resources))], batch_size=2000)
            with Stopwatch() as built:
                index = matching.index_for(ItemKind.RESOURCE)
            queries = []
            for i in range(n_needs):
                c, t, d = needs[i % len(needs)]
                need = Item(pk=-1 - i, kind=ItemKind.NEED, unit=rng.choice(units), category=c, title=t,
                            description=d.format(n=3), valid_until=valid, contact="x")
                queries.append(need)
            ours, bare = [], []
            for need in queries * 2:  # the first round warms up
                with Stopwatch() as s:
                    found = matching.matches_for(need)
                ours.append(s.seconds)
                with Stopwatch() as b:
                    linear_kernel(index.vectorizer.transform([matching.item_text(need)]), index.matrix)
                bare.append(b.seconds)
                assert found and found[0].item.category == need.category, need.title
            result = {"ours": ours[n_needs:], "bare": bare[n_needs:], "build": built.seconds,
                      "size": len(index.items)}
            raise Rollback
    except Rollback:
        pass
    med, base = median(result["ours"]), median(result["bare"])
    log(f"alliances: matching {ms(med)} (bare {ms(base)}), index built in {result['build']:.1f} s")
    figure = Figure(f"matching one need against {result['size']:,} resources", f"{ms(med)} (index built once in "
                    f"{result['build']:.1f} s)", f"{ms(base)} bare TF-IDF product", f"{med / base:.1f}×",
                    f"< {MATCH_TARGET * 1000:.0f} ms", med < MATCH_TARGET, result)
    method = (
        f"{n_resources:,} resources generated from the demo's templates (with variations) on random units (besides the "
        f"demo district's own), in a "
        f"transaction rolled back afterwards; `alliances.matching.matches_for` for {n_needs} different needs, "
        f"the median of a second round (the first builds the index: jieba words, TF-IDF). Each result is checked: "
        f"the best match is of the need's own category. Baseline: the bare sparse product of the need's TF-IDF "
        f"vector with all resources, without the category, distance, filtering and reasons."
    )
    return [figure], method


def run() -> Section:
    group_figures, group_method = bench_grouping()
    match_figures, match_method = bench_matching()
    return Section("alliances", "Linkage groups and matching", group_figures + match_figures,
                   group_method + "\n\n" + match_method, "")
