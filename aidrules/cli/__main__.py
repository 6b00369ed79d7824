"""``python -m aidrules.cli``: the command line (as ``aidrules``)."""

from aidrules.cli import main

if __name__ == "__main__":
    main()
