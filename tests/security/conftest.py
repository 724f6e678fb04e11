"""The committee's fixtures (a séance with three members and a submitted fiche), and one of
everything built on them, for the security tests that cross every part of Comité."""

import pytest

from tests.committee.conftest import open_item, seance, submitted_version  # noqa: F401
from tests.security.world import build_world


@pytest.fixture
def world(db_session, make_user, make_startup, make_incubator, seance):  # noqa: F811
    return build_world(db_session, make_user, make_startup, make_incubator, seance)
