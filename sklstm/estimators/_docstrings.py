"""Share numpydoc parameter entries between the estimators' docstrings.

:class:`~sklstm.LSTMClassifier` takes most of its parameters from
:class:`~sklstm.LSTMRegressor`; their entries are written once, in the
regressor's docstring, and copied into the classifier's at import time.
"""

import re

__all__ = ["fill_parameters", "parameter_entries"]

_ENTRY_START = re.compile(r"^    (\w+)(?: :|$)")


def parameter_entries(doc):
    """Map each parameter of a numpydoc ``Parameters`` section to its entry.

    Parameters
    ----------
    doc : str
        A class or function docstring indented by four spaces.

    Returns
    -------
    entries : dict of str to str
        The lines of each entry (name, type, description), newline-terminated.

    Examples
    --------
    >>> doc = '''Summary.
    ...
    ...     Parameters
    ...     ----------
    ...     a : int
    ...         First.
    ...     b : str, default="x"
    ...         Second.
    ...
    ...     Returns
    ...     -------
    ...     None
    ...     '''
    >>> parameter_entries(doc)["b"]
    '    b : str, default="x"\\n        Second.\\n'
    """
    lines = doc.splitlines(keepends=True)
    start = next(
        i + 2
        for i, line in enumerate(lines)
        if line.strip() == "Parameters" and lines[i + 1].strip().startswith("---")
    )
    entries, name = {}, None
    for i in range(start, len(lines)):
        line = lines[i]
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if line.startswith("    ") and line[4:5].strip() and set(following) == {"-"}:
            break  # the next section's heading
        match = _ENTRY_START.match(line)
        if match:
            name = match.group(1)
            entries[name] = line
        elif name is not None:
            entries[name] += line
    return {name: text.rstrip() + "\n" for name, text in entries.items()}


def fill_parameters(doc, source, **groups):
    """Replace each ``%(group)s`` line of ``doc`` with entries from ``source``.

    Parameters
    ----------
    doc : str or None
        The docstring to complete (None under ``python -OO``).
    source : str or None
        The docstring whose ``Parameters`` entries are copied.
    **groups : str
        For each placeholder line ``%(group)s``, the names of the parameters
        to copy, separated by spaces, in signature order.

    Returns
    -------
    doc : str or None
    """
    if doc is None or source is None:
        return doc
    entries = parameter_entries(source)
    for group, names in groups.items():
        placeholder = f"    %({group})s\n"
        if placeholder not in doc:
            raise ValueError(f"no {placeholder.strip()!r} line in the docstring")
        doc = doc.replace(placeholder, "".join(entries[n] for n in names.split()))
    return doc
