"""The generative agent mind (Park et al. 2023) on local models: see README.md."""

from cognition.generative.factory import GenerativeMindFactory
from cognition.generative.mind import GenerativeMind
from cognition.generative.settings import GenerativeSettings

__all__ = ["GenerativeMind", "GenerativeMindFactory", "GenerativeSettings"]
