"""Flask extensions, created unbound and initialised by the app factory."""

from flask import request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from portal.core.db import Base


def _remote_address() -> str:
    return request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
# The key prefix comes from RATELIMIT_KEY_PREFIX (several portals on one Redis).
limiter = Limiter(key_func=_remote_address)
