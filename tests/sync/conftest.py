from tests.servers.fixtures import (  # noqa: F401 - fixtures
    _radicale_template,
    _xandikos_template,
    big_calendar,
    dav,
    radicale,
    radicale_big_calendar,
    radicale_server,
    xandikos,
    xandikos_server,
)
