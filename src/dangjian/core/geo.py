"""Distances on the map: between two points (haversine_km), and plane coordinates for distances within a
district or a province (project_km)."""
import math

KM_PER_DEGREE = 111.32
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lng1, lat1, lng2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def project_km(lng, lat, lat0: float):
    """Equirectangular projection to km around latitude ``lat0``: accurate to a few per cent over a province;
    ``lng``/``lat`` may be numbers or numpy arrays."""
    return lng * KM_PER_DEGREE * math.cos(math.radians(lat0)), lat * KM_PER_DEGREE
