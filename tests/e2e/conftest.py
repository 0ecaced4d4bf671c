from tests.servers.fixtures import radicale, radicale_server  # noqa: F401 - real-server fixtures
