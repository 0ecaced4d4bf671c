"""A fake org.freedesktop.Notifications service on a private session bus (dbus-fast).

It advertises ``actions``, prints every notification as a JSON line, and "presses" the button
whose label is given on the command line, as a user clicking it would.

    python -m tests.support.fake_notifications LABEL     (DBUS_SESSION_BUS_ADDRESS must be set)
"""

# No `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from the annotations.
import asyncio
import itertools
import json
import sys

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Notifications(ServiceInterface):
    def __init__(self, press: str) -> None:
        super().__init__(NAME)
        self.press = press
        self._ids = itertools.count(1)

    @method()
    def GetCapabilities(self) -> "as":  # type: ignore[name-defined]  # noqa: F821, F722
        return ["actions", "body"]

    @method()
    def GetServerInformation(self) -> "ssss":  # type: ignore[name-defined]  # noqa: F821, F722
        return ["fake-notifications", "tests", "1.0", "1.2"]

    @method()
    def Notify(self, app_name: "s", replaces_id: "u", app_icon: "s", summary: "s", body: "s",  # type: ignore[name-defined]  # noqa: F821, F722
               actions: "as", hints: "a{sv}", expire_timeout: "i") -> "u":  # type: ignore[name-defined]  # noqa: F821, F722
        nid = next(self._ids)
        labels = dict(zip(actions[1::2], actions[0::2], strict=True))
        print(json.dumps({"id": nid, "app": app_name, "summary": summary, "body": body, "buttons": list(labels)}),
              flush=True)  # fmt: skip
        key = labels.get(self.press)
        if key is not None:
            asyncio.get_running_loop().call_later(0.2, self.ActionInvoked, nid, key)
        return nid

    @method()
    def CloseNotification(self, nid: "u") -> None:  # type: ignore[name-defined]  # noqa: F821, F722
        self.NotificationClosed(nid, 3)

    @signal()
    def NotificationClosed(self, nid: "u", reason: "u") -> "uu":  # type: ignore[name-defined]  # noqa: F821, F722
        return [nid, reason]

    @signal()
    def ActionInvoked(self, nid: "u", key: "s") -> "us":  # type: ignore[name-defined]  # noqa: F821, F722
        return [nid, key]


async def main(press: str) -> None:
    bus = await MessageBus().connect()
    bus.export(PATH, Notifications(press))
    await bus.request_name(NAME)
    print(json.dumps({"ready": True}), flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else ""))
