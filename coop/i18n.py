"""Language choice: the user's pick (kept in the session), else the browser's preference."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale


def select_locale():
    if not has_request_context():
        return None  # the command line: the default locale
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    best = request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans"])
    return "zh_Hans_CN" if best and best.startswith("zh") else "en"


def init_app(app):
    @app.context_processor
    def language_context():
        locale = get_locale()
        code = str(locale) if locale else "en"
        html_lang = "zh-Hans" if code.startswith("zh") else "en"
        return {"languages": app.config["LANGUAGES"], "current_lang": code, "html_lang": html_lang}
