"""``python -m bot ...``: the same commands as ``flask --app bot ...``."""
from flask.cli import FlaskGroup

from bot import create_app

cli = FlaskGroup(create_app=create_app, help="高新区头条 bulletin bot: ingest issues, search, serve.")

if __name__ == "__main__":
    cli(prog_name="python -m bot")
