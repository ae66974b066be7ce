"""``/admin/conventions``: the papers' words the parser knows (lead markers, role words, column names, ...), and a
word an editor teaches it (``index.convention_words``; the file the ``PAPER_CONVENTIONS`` setting names). The next
preview or ingest reads with it, with no restart.
"""

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify

from bot.admin.errors import protect
from bot.admin.questions import json_text
from index.convention_words import add_word
from index.conventions import WORD_LISTS, Conventions

bp = Blueprint("admin_conventions", __name__, url_prefix="/admin")
protect(bp)

#: What each list holds, as the desk names it (every list of ``index.conventions.WORD_LISTS``, in its order).
LABELS = {
    "lead_markers": "导语开头的本报标记（本报讯）",
    "dateline_sources": "电头的来源（新华社、本报）",
    "reporters": "记者的称呼（记者、全媒体记者）",
    "correspondents": "通讯员的称呼（通讯员）",
    "photo": "摄影的说法（摄、摄影）",
    "text_and_photo": "文字和图片同一人（文/图）",
    "text_by": "文字作者的标记（文/，与“图/”分列时）",
    "picture_by": "摄影者的标记（图/，与“文/”分列时）",
    "editors": "版面编辑的称呼（责任编辑）",
    "sources": "非人名的来源（供图、资料图片）",
    "told_by": "口述者名字后的词（口述）",
    "caption_openers": "图片说明的开头（图为、◀）",
    "brief_columns": "简讯栏目名（简讯、快讯）",
    "marks": "栏目和署名前的符号（■、【】）",
    "furniture_words": "版面装饰的词（扫码、客户端）",
    "jumps": "转版的说法（下转、上接）",
    "masthead_endings": "报名的结尾（日报、晚报）",
}
assert list(LABELS) == list(WORD_LISTS)


def conventions_path() -> Path:
    return Path(current_app.config["PAPER_CONVENTIONS"])


@bp.get("/conventions")
def conventions() -> Response:
    """Every list of words, with its name, what it holds and its words."""
    known = Conventions.load(conventions_path())
    return jsonify(
        lists=[{"name": name, "label": label, "words": list(getattr(known, name))} for name, label in LABELS.items()]
    )


@bp.post("/conventions")
def add_convention() -> tuple[Response, int]:
    """JSON ``{"list": "lead_markers", "word": "楚阳日报讯"}``: the word appended to that list."""
    name, word = json_text("list"), json_text("word")
    added = add_word(conventions_path(), name, word, lock_timeout=current_app.config["INGEST_LOCK_TIMEOUT"])
    return jsonify(list=name, word=added), 201
