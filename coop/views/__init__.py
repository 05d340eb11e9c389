"""One blueprint per domain. Views are thin: check, call a service, commit, redirect."""


def register(app):
    from coop.views import (
        accounts,
        api,
        assays,
        audit,
        auth,
        data,
        leases,
        main,
        maps,
        meetings,
        members,
        production,
    )

    for module in (
        main,
        auth,
        accounts,
        members,
        leases,
        maps,
        production,
        assays,
        meetings,
        audit,
        data,
    ):
        app.register_blueprint(module.bp)
    api.register(app)

    from flask_login import current_user

    from coop import policy

    @app.context_processor
    def permissions():
        def can_write(kind, enterprise_id=None):
            return policy.can_write(current_user, kind, enterprise_id)

        def can_mark_done(action):
            return policy.can_mark_done(current_user, action)

        return {"can_write": can_write, "can_mark_done": can_mark_done}
