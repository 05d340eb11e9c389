"""The blueprints: the start page (main), the import and export pages (data) and the JSON API
(api) serve every domain; each domain's own blueprints are named by its manifest
(coop/registry.py). Views are thin: check, call a service, commit, redirect."""


def register(app):
    from flask_babel import lazy_gettext as _l
    from flask_login import current_user

    from coop import policy, registry
    from coop.views import api, data, main

    app.register_blueprint(main.bp)
    for blueprint in registry.blueprints():
        app.register_blueprint(blueprint)
    app.register_blueprint(data.bp)
    api.register(app)

    data_link = registry.NavLink(_l("Import and export"), "data.index", prefixes=("data.",))

    @app.context_processor
    def permissions_and_menu():
        def can_write(kind, enterprise_id=None):
            return policy.can_write(current_user, kind, enterprise_id)

        def can_mark_done(action):
            return policy.can_mark_done(current_user, action)

        def menu():
            """The navigation entries the user sees (none for the anonymous)."""
            if not current_user.is_authenticated:
                return []
            return registry.menu(current_user, data_link)

        return {"can_write": can_write, "can_mark_done": can_mark_done, "menu": menu}
