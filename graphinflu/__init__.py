"""graphinflu: find micro-influencers who are trusted authorities in a niche, from graph data."""

__version__ = "0.1.0"

__all__ = ["Graph", "KINDS", "GraphinfluError", "InputError", "UnknownAccountError", "__version__"]

_LAZY = {"Graph": ".graph", "KINDS": ".graph", "GraphinfluError": ".errors", "InputError": ".errors",
         "UnknownAccountError": ".errors"}


def __getattr__(name):
    # imported on first use: the community worker process imports graphinflu.metrics._partition
    # and must not pay for pandas
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
