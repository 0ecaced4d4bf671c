from tests.support.world import world  # noqa: F401 - fixture
