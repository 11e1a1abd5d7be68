"""The recommendation engine: from a target population to a cited strategy mix."""

from prevplan.engine.models import Recommendation
from prevplan.engine.recommend import recommend, recommendation_json, recommendations

__all__ = ["Recommendation", "recommend", "recommendation_json", "recommendations"]
