from tests.servers.fixtures import radicale, radicale_server  # noqa: F401 - real-server fixtures
from tests.support.world import world  # noqa: F401 - fixture
