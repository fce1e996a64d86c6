"""Residency Network Portal: the application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as portal_config

HERE = os.path.dirname(os.path.abspath(__file__))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(os.path.dirname(HERE), "templates"),
    )
    load_config(app, test_config)
    import_models()
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_templates(app)
    return app


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_object(portal_config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    portal_config.load_environment(app.config, os.environ)
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    portal_config.finalise(app.config, app.instance_path)
    if app.config.get("PORTAL_TRUSTED_PROXIES"):
        hops = int(app.config["PORTAL_TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def import_models() -> None:
    """Every table must be known to the metadata before migrations compare it."""
    import portal.auth.models
    import portal.board.models
    import portal.core.models
    import portal.membership.models
    import portal.moderation.models
    import portal.search.models  # noqa: F401


def register_extensions(app: Flask) -> None:
    from portal.core import errors, paging, security
    from portal.extensions import csrf, db, limiter, login_manager, mail, migrate

    paging.init_app(app)
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(HERE), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = "Please sign in again to change this."
    login_manager.session_protection = "basic"
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Each feature package registers its own routes and commands on its blueprint."""
    from portal.admin import bp as admin_bp
    from portal.auth import bp as auth_bp
    from portal.board import bp as board_bp
    from portal.core.views import bp as core_bp
    from portal.membership import bp as membership_bp
    from portal.moderation import bp as moderation_bp
    from portal.search import bp as search_bp

    blueprints = (core_bp, auth_bp, admin_bp, membership_bp, board_bp, search_bp)
    for blueprint in (*blueprints, moderation_bp):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    """Demo data spans every feature, so its command belongs to the app itself."""
    from portal.demo import seed_demo_command

    app.cli.add_command(seed_demo_command)


def register_templates(app: Flask) -> None:
    from portal.core import templating

    templating.init_app(app)
