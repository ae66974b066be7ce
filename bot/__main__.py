"""``python -m bot ...``: the editors' commands, the same as the ``bulletin`` console script."""

from bot.cli import main

if __name__ == "__main__":
    main(prog_name="python -m bot")
