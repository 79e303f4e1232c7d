"""Deterministic demo districts (梁平, 涪陵) for trying the platform and for benchmarks.

    from dangjian.demo import generate, ensure_accounts
    summary = generate("fuling", seed=2026)      # -> dict of counts and timings
    logins = ensure_accounts("fuling")

Both are safe to call again: an existing demo district is detected by its region code
and left as it is.
"""


def generate(profile: str, seed: int = 2026, progress=None, *, scale: float = 1.0, today=None) -> dict:
    from dangjian.demo.generator import generate as _generate

    return _generate(profile, seed=seed, progress=progress, scale=scale, today=today)


def ensure_accounts(profile: str) -> list[dict]:
    from dangjian.demo.accounts import ensure_accounts as _ensure_accounts

    return _ensure_accounts(profile)
