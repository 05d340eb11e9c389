"""The start page and the language switch. What the start page shows comes from the domains
(Domain.start in coop/registry.py), each deciding through coop/policy.py what a user sees."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user

from coop import registry
from coop.forms.accounts import PostForm
from coop.forms.meetings import DoneForm
from coop.views.helpers import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return render_template(
        "main/index.html",
        sections=registry.start_sections(current_user),
        done_form=DoneForm(),
    )


@bp.post("/language")
def language():
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next")))
