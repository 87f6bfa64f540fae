"""graphinflu: find micro-influencers who are trusted authorities in a niche, from graph data."""

from .errors import GraphinfluError, InputError, UnknownAccountError
from .graph import KINDS, Graph

__version__ = "0.1.0"

__all__ = ["Graph", "KINDS", "GraphinfluError", "InputError", "UnknownAccountError", "__version__"]
