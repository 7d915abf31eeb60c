"""Expected failures: the CLI turns them into one line on stderr, never a traceback."""


class ScannerError(Exception):
    """A usage or configuration error (CLI exit code 2)."""


class InputError(ScannerError):
    """One bad input (a feed, a file, a line); reported while the others go on (exit code 1)."""
