"""Plane coordinates for distances within a district or a province. (Single distances between two points:
coverage.recommend.haversine_km.)"""
import math

KM_PER_DEGREE = 111.32


def project_km(lng, lat, lat0: float):
    """Equirectangular projection to km around latitude ``lat0``: accurate to a few per cent over a province;
    ``lng``/``lat`` may be numbers or numpy arrays."""
    return lng * KM_PER_DEGREE * math.cos(math.radians(lat0)), lat * KM_PER_DEGREE
