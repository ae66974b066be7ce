"""The official-account protocol: verify → open → parse → dispatch → render → seal.

``views`` is the thin Flask layer; ``security`` checks signatures; ``envelope`` decrypts requests and encrypts
replies; ``render`` turns a ``Reply`` into XML; ``dialogue`` decides what to say, its index work under ``budget``'s
time limit; ``conversation`` adds what a real account needs around it (retry dedupe, rate limit, never a failure).
"""

from collections.abc import Callable
from datetime import date

from flask import Flask

from bot.data import get_search, get_state
from bot.generation import GenerationWatch
from bot.wechat.budget import Budget
from bot.wechat.conversation import Conversation
from bot.wechat.dialogue import Dialogue
from bot.wechat.envelope import Envelope
from bot.wechat.views import Webhook, bp


def build_dialogue(app: Flask, *, today: Callable[[], date] = date.today, record_questions: bool = True) -> Dialogue:
    """The app's dialogue: its index, its state and its settings. ``bulletin ask`` builds its own with a ``today`` of
    its choosing and without counting an editor's tries among residents' questions."""
    config = app.config
    search = get_search(app)
    return Dialogue(
        search,
        get_state(app),
        Budget(config["ANSWER_BUDGET"]),
        public_base_url=config["PUBLIC_BASE_URL"],
        menu_queries=config["MENU_QUERIES"],
        today=today,
        record_questions=record_questions,
        generation=GenerationWatch(search.generation, config["GENERATION_CHECK_INTERVAL"]),
        doubtful_below=config["DOUBTFUL_BELOW"],
    )


def init_app(app: Flask) -> None:
    config = app.config
    dialogue = build_dialogue(app)
    app.extensions["wechat"] = Webhook(
        envelope=Envelope(config["WECHAT_TOKEN"], config["WECHAT_ENCODING_AES_KEY"], config["WECHAT_APP_ID"]),
        dialogue=dialogue,
        conversation=Conversation(dialogue, get_state(app), retry_wait=config["ANSWER_BUDGET"]),
    )
    app.register_blueprint(bp)
