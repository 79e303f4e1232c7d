"""District → streets/towns/townships (+ the park) → communities/villages, buildings and markets.

Statistical division codes (GB/T 2260 + 3 + 3 digits, code set of 2023): township part 001–099
for streets, 100–199 towns, 200–399 townships; village part 001–199 for communities (居委会),
200–399 for villages (村委会). The park, buildings and markets have no statistical code.
"""
import math

from dangjian.demo.context import Ctx, Zone
from dangjian.demo.names import COMMUNITY_WORDS, VILLAGE_WORDS
from dangjian.demo.profiles import DEMO_MARK
from dangjian.demo.trees import TreeBuilder
from dangjian.regions.models import Region, RegionKind

CODE_YEAR = 2023


def build_regions(ctx: Ctx) -> list[Region]:
    p, rng = ctx.profile, ctx.rng
    tree = TreeBuilder(Region, sort_key=lambda r: (r.code, r.name))
    lng0, lat0 = p.centre

    def region(name, kind, code="", lng=None, lat=None, parent=None):
        node = Region(name=name, kind=kind, code=code, code_year=CODE_YEAR if code else None,
                      lng=round(lng, 6) if lng is not None else None, lat=round(lat, 6) if lat is not None else None)
        return tree.add(node, parent)

    district = ctx.district = region(p.district + DEMO_MARK, RegionKind.DISTRICT, p.code, lng0, lat0)

    def around(lng, lat, radius):
        angle, dist = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.uniform(0.05, 1))
        return lng + dist * math.cos(angle), lat + dist * math.sin(angle) * 0.8

    towns = [(n, RegionKind.STREET, f"{i:03d}") for i, n in enumerate(p.streets, start=1)]
    towns += [(n, RegionKind.TOWN, f"{i:03d}") for i, n in enumerate(p.towns, start=101)]
    towns += [(n, RegionKind.TOWNSHIP, f"{i:03d}") for i, n in enumerate(p.townships, start=201)]
    zones = {}
    for name, kind, part in towns:
        radius = 0.035 if kind == RegionKind.STREET else p.spread
        lng, lat = around(lng0, lat0, radius)
        if kind != RegionKind.STREET:  # towns keep some distance from the city centre
            lng, lat = lng0 + (lng - lng0) * 1.3, lat0 + (lat - lat0) * 1.3
        town = region(name, kind, p.code + part, lng, lat, district)
        zone = zones[name] = Zone(town)
        if kind == RegionKind.STREET:
            n_comm, n_vill = rng.randint(*p.communities_per_street), 0
        else:
            total = rng.randint(*p.villages_per_town)
            n_comm, n_vill = (1, total - 1) if total > 1 else (0, total)
        words = rng.sample(COMMUNITY_WORDS, min(n_comm, len(COMMUNITY_WORDS)))
        if kind != RegionKind.STREET and n_comm:  # a town's seat is usually a community named after it
            words[0] = name[:-1] if len(name) > 2 else name
        for j, word in enumerate(words, start=1):
            zone.villages.append(region(word + "社区", RegionKind.COMMUNITY, f"{town.code}{j:03d}",
                                        *around(lng, lat, 0.012), parent=town))
        for j, word in enumerate(rng.sample(VILLAGE_WORDS, min(n_vill, len(VILLAGE_WORDS))), start=200):
            zone.villages.append(region(word + "村", RegionKind.VILLAGE, f"{town.code}{j:03d}",
                                        *around(lng, lat, 0.04), parent=town))
    for name, kind, street in p.places:
        parent = zones[street].region
        zones[street].places.append(region(name, kind, "", *around(parent.lng, parent.lat, 0.006), parent=parent))
    park = region(p.park, RegionKind.PARK, "", lng0 - 0.045, lat0 - 0.03, district)
    ctx.zones = [*zones.values(), Zone(park)]
    ordered = tree.assign()
    ctx.report("regions", len(ordered), len(ordered))
    return ordered
