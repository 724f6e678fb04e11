"""The Flask extensions, created once and bound to the app in create_app()."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx

from comite.core.models import Base, render_migration_item

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True, render_item=render_migration_item)
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()
# ProConnect's OAuth client is made per app in comite.auth.proconnect: authlib's registry
# keeps one app and caches the provider's metadata, while tests run several apps.
