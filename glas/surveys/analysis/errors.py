"""The one exception the statistics engine raises for bad data or a bad specification."""


class AnalysisError(ValueError):
    """A problem the analyst can fix (an unknown column, a stratum with one cluster, margins
    that do not cover the data, raking that does not converge, ...). The message is
    translated and says what to change; the command line prints it as ``{"error": message}``."""
