"""The demo districts. Region names are real; every unit, organisation and person is made up.

Figures follow the source articles (docs/product.md, "Scale to plan for"): Liangping's
87.27% organisational coverage, 36 non-public branches in its high-tech park and 56 courier
firms with 810 staff; Fuling's 20,000+ enterprises, 2,400+ organisations, 60,000+ members.
"""
from dataclasses import dataclass, field, replace

DEMO_MARK = "（演示数据）"  # appended to the district's name, so every page says it is made up


@dataclass(frozen=True)
class Profile:
    key: str
    district: str  # real name; the demo mark is appended
    short: str  # as used in unit names: 梁平区…
    code: str  # GB/T 2260 code of the district today
    centre: tuple[float, float]  # lng, lat
    spread: float  # degrees: how far towns lie from the centre
    # Citizen-ID area codes of the district over time (stdnum decides which is valid for a birth year),
    # and of neighbouring counties for people born elsewhere.
    home_codes: tuple[str, ...]
    other_codes: tuple[str, ...]
    old_code: str  # area code in credit codes issued before the district got its current code
    old_code_until: int  # last year the old code was issued
    streets: tuple[str, ...]
    towns: tuple[str, ...]
    townships: tuple[str, ...]
    park: str
    # (name, kind, street it lies in)
    places: tuple[tuple[str, str, str], ...]
    villages_per_town: tuple[int, int]
    communities_per_street: tuple[int, int]
    operating: int
    suspended: int
    closed: int
    park_share: float  # of operating units
    kind_mix: dict = field(default_factory=dict)
    couriers: int = 0
    courier_staff: int = 0
    covered: int | None = None  # exact number of covered operating units, or None: use covered_rate
    covered_rate: float = 0.8
    own_share: float = 0.2  # of covered units outside the park
    fallback_share: float = 0.2  # of covered units outside the park (village/community organisations)
    park_own_share: float = 0.5
    park_covered_rate: float = 0.9
    park_anchors: tuple[int, int] = (1, 1)  # of the big and mid firms, how many are in the park
    park_branches: int | None = None  # exact number of branch/joint-branch organisations in the park
    oversized_joint: int = 3  # joint branches deliberately covering 6 units (the ≤5 rule warns)
    big_firms: int = 3  # with a primary committee (>100 members)
    mid_firms: int = 3  # with a general branch (50–100 members)
    village_members: tuple[int, int] = (15, 50)
    community_members: tuple[int, int] = (20, 80)
    in_village: tuple[float, float] = (0.4, 0.75)  # companies, (individual businesses, collectives, social orgs)
    work_link_share: float = 0.7  # of uncovered operating units that an instructor reaches
    main_industries: tuple[str, ...] = ()  # manufacturing divisions of the park and towns


LIANGPING = Profile(
    key="liangping",
    district="梁平区",
    short="梁平区",
    code="500155",
    centre=(107.80, 30.67),
    spread=0.2,
    home_codes=("500155", "500228", "511223", "512224"),
    other_codes=("500231", "512322", "500101", "500233", "511222", "512223"),  # 垫江, 万州, 忠县 over time
    old_code="500228",
    old_code_until=2016,
    streets=("梁山街道", "双桂街道", "仁贤街道", "金带街道"),
    towns=(
        "礼让镇", "云龙镇", "屏锦镇", "袁驿镇", "新盛镇", "福禄镇", "聚奎镇", "明达镇", "荫平镇", "和林镇",
        "回龙镇", "碧山镇", "虎城镇", "七星镇", "龙门镇", "文化镇", "曲水镇", "安胜镇", "石安镇", "柏家镇",
        "大观镇", "竹山镇", "蟠龙镇", "星桥镇", "紫照镇", "复平镇", "合兴镇",
    ),
    townships=("铁门乡", "龙胜乡"),
    park="梁平高新技术产业开发区",
    places=(("梁平商务中心楼宇", "building", "双桂街道"), ("梁平农副产品综合批发市场", "market", "梁山街道")),
    villages_per_town=(2, 3),
    communities_per_street=(3, 4),
    operating=1100,
    suspended=32,
    closed=24,
    park_share=0.08,
    kind_mix={"enterprise": 40, "small_business": 22, "individual_business": 28, "social_org": 8, "collective": 2},
    couriers=56,
    courier_staff=810,
    covered=960,
    own_share=0.2,
    fallback_share=0.18,
    park_own_share=0.45,
    park_covered_rate=0.82,
    park_anchors=(1, 1),
    park_branches=36,
    oversized_joint=3,
    big_firms=3,
    mid_firms=4,
    village_members=(12, 40),
    community_members=(20, 60),
    work_link_share=0.75,
    main_industries=("13", "14", "15", "20", "21", "29", "30", "33", "34", "38", "39"),
)

FULING = Profile(
    key="fuling",
    district="涪陵区",
    short="涪陵区",
    code="500102",
    centre=(107.39, 29.70),
    spread=0.3,
    home_codes=("500102", "511402", "512301", "512321"),
    other_codes=("500230", "512324", "500231", "512322", "500233", "511222", "512223"),  # 丰都, 垫江, 忠县
    old_code="500102",
    old_code_until=0,
    streets=("敦仁街道", "崇义街道", "荔枝街道", "江北街道", "李渡街道", "龙桥街道", "马鞍街道"),
    towns=(
        "白涛镇", "珍溪镇", "南沱镇", "蔺市镇", "新妙镇", "义和镇", "百胜镇", "焦石镇", "清溪镇", "龙潭镇",
        "马武镇", "江东镇", "石沱镇", "青羊镇", "同乐镇",
    ),
    townships=("罗云乡", "大木乡", "武陵山乡", "增福乡"),
    park="涪陵高新技术产业开发区",
    places=(("涪陵滨江商务楼宇", "building", "崇义街道"), ("涪陵农产品批发市场", "market", "荔枝街道")),
    villages_per_town=(11, 16),
    communities_per_street=(9, 12),
    operating=20150,
    suspended=420,
    closed=260,
    park_share=0.05,
    kind_mix={"enterprise": 22, "small_business": 16, "individual_business": 55, "social_org": 5, "collective": 2},
    couriers=180,
    courier_staff=2600,
    covered=None,
    covered_rate=0.78,
    own_share=0.018,
    fallback_share=0.9,
    park_own_share=0.3,
    park_anchors=(4, 6),
    park_branches=None,
    oversized_joint=8,
    big_firms=12,
    mid_firms=20,
    village_members=(70, 190),
    community_members=(80, 220),
    in_village=(0.6, 0.92),
    work_link_share=0.95,
    main_industries=("13", "14", "15", "26", "27", "28", "30", "33", "36", "38"),
)

PROFILES = {p.key: p for p in (LIANGPING, FULING)}


def get_profile(key: str, scale: float = 1.0) -> Profile:
    """The profile by name; `scale` < 1 shrinks unit, village and firm counts (for quick tests).

    A scaled profile keeps every town and street but drops the exact calibration targets.
    """
    if key not in PROFILES:
        raise ValueError(f"unknown demo profile {key!r}; choose one of {', '.join(PROFILES)}")
    profile = PROFILES[key]
    if scale == 1:
        return profile
    if not 0 < scale < 1:
        raise ValueError("scale must be in (0, 1]")

    def shrink(n, least=0):
        return max(least, round(n * scale))

    couriers = shrink(profile.couriers, 2)
    return replace(
        profile,
        operating=shrink(profile.operating, 60),
        suspended=shrink(profile.suspended, 2),
        closed=shrink(profile.closed, 2),
        villages_per_town=tuple(shrink(n, 1) for n in profile.villages_per_town),
        communities_per_street=tuple(shrink(n, 1) for n in profile.communities_per_street),
        couriers=couriers,
        courier_staff=max(couriers * 3, shrink(profile.courier_staff)),
        covered=None,
        covered_rate=profile.covered_rate if profile.covered is None else profile.covered / profile.operating,
        park_branches=None,
        oversized_joint=min(profile.oversized_joint, 2),
        # Fewer members per village too, else the villages' members dominate a small run.
        village_members=tuple(max(8, round(n * min(1, scale * 10))) for n in profile.village_members),
        community_members=tuple(max(8, round(n * min(1, scale * 10))) for n in profile.community_members),
        big_firms=shrink(profile.big_firms, 1),
        mid_firms=shrink(profile.mid_firms, 1),
    )
