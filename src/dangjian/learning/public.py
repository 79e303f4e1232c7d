"""What other apps may use of learning (the capability apps talk to each other only through these modules;
the import-linter contracts in pyproject.toml check it): points for taking part, and a meeting's replay as study
content."""
from dangjian.learning.actions import publish_replay
from dangjian.learning.points import award

__all__ = ["award", "publish_replay"]
