"""The version of sklstm, in one place.

``sklstm.__version__``, the package metadata (``pyproject.toml`` reads this
file statically), the docs and the files written by :func:`sklstm.save` all
take it from here. Modules inside the package import it from here rather
than from ``sklstm``, which would import the estimators.
"""

__version__ = "0.1.0"
