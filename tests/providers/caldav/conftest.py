from tests.servers.fixtures import *  # noqa: F403 - the real-server fixtures
