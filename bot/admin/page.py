"""``/admin/``: the page. It holds no data, so it is served without the token; its script sends the token with
every API call."""

from flask import Blueprint, current_app, render_template

from bot.admin.auth import require_desk
from index.errors import mib

bp = Blueprint("admin_page", __name__, url_prefix="/admin")
bp.before_request(require_desk)


@bp.get("/")
def desk() -> str:
    return render_template("admin.html", max_size=mib(current_app.config["MAX_ISSUE_BYTES"]))
