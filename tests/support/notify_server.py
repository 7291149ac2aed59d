#!/usr/bin/python3
"""A stand-in desktop notification server for end-to-end tests.

Claims org.freedesktop.Notifications on the session bus, answers like a real server
and appends one JSON line per Notify call to the file named by argv[1]:

    {"id": 1, "app_name": "...", "summary": "...", "body": "...", "hints": ["urgency", ...]}

Prints READY (flushed) once the bus name is owned; exits on SIGTERM/SIGINT or when the
bus goes away. Needs Debian's python3-dbus and python3-gi, so run it with /usr/bin/python3
(a pyenv or venv python3 usually lacks them).
"""

import json
import os
import signal
import sys
import time

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"


class NotificationServer(dbus.service.Object):
    def __init__(self, bus, log_path):
        super().__init__(bus, OBJECT_PATH)
        self.log_path = log_path
        self.next_id = 1

    def _record(self, entry):
        line = json.dumps(entry, ensure_ascii=False)
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
        print(f"notify: {line}", file=sys.stderr, flush=True)

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout):
        if replaces_id:
            nid = int(replaces_id)
        else:
            nid = self.next_id
            self.next_id += 1
        self._record(
            {
                "id": nid,
                "app_name": str(app_name),
                "summary": str(summary),
                "body": str(body),
                "hints": sorted(str(k) for k in hints.keys()),
                "actions": [str(a) for a in actions],
                "app_icon": str(app_icon),
                "expire_timeout": int(expire_timeout),
                "time": time.time(),
            }
        )
        return dbus.UInt32(nid)

    @dbus.service.method(IFACE, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return dbus.Array(["body", "body-markup", "actions", "persistence"], signature="s")

    @dbus.service.method(IFACE, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("loket-test-notify", "loket", "1.0", "1.2")

    @dbus.service.method(IFACE, in_signature="u", out_signature="")
    def CloseNotification(self, nid):
        # 3 = closed by a call to CloseNotification
        self.NotificationClosed(dbus.UInt32(nid), dbus.UInt32(3))

    @dbus.service.signal(IFACE, signature="uu")
    def NotificationClosed(self, nid, reason):
        pass

    @dbus.service.signal(IFACE, signature="us")
    def ActionInvoked(self, nid, action_key):
        pass


def main():
    if len(sys.argv) != 2:
        print("usage: notify_server.py LOG_FILE", file=sys.stderr)
        return 2
    log_path = os.path.abspath(sys.argv[1])
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    open(log_path, "a", encoding="utf-8").close()

    DBusGMainLoop(set_as_default=True)
    try:
        bus = dbus.SessionBus()
    except dbus.exceptions.DBusException as e:
        print(f"notify_server: no session bus ({e}); run inside dbus-run-session", file=sys.stderr)
        return 1
    flags = dbus.bus.NAME_FLAG_DO_NOT_QUEUE | dbus.bus.NAME_FLAG_REPLACE_EXISTING
    reply = bus.request_name(BUS_NAME, flags)
    if reply not in (dbus.bus.REQUEST_NAME_REPLY_PRIMARY_OWNER, dbus.bus.REQUEST_NAME_REPLY_ALREADY_OWNER):
        print(f"notify_server: could not own {BUS_NAME} (reply {reply}): another server holds it", file=sys.stderr)
        return 1
    server = NotificationServer(bus, log_path)  # noqa: F841 (kept alive by the loop)

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print("READY", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
