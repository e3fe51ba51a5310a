"""A real SMTP server for the tests (Debian's python3-aiosmtpd): each message
it accepts is written to DIRECTORY as one file, its envelope recipients on a
first X-Envelope-To line. With USER and PASSWORD it requires AUTH (over
plain TCP: the tests have no certificate) and refuses other credentials.

    python3 smtp-sink.py DIRECTORY PORT [USER PASSWORD]
"""
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = f"{time.time_ns()}-{self.count}.eml"
        temporary = os.path.join(self.directory, "." + name)
        with open(temporary, "wb") as out:
            out.write(("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n").encode())
            out.write(envelope.original_content or envelope.content)
        # Renamed once complete: a reader never sees half a message.
        os.rename(temporary, os.path.join(self.directory, name))
        return "250 OK"


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    options = {}
    if len(sys.argv) == 5:
        user, password = sys.argv[3].encode(), sys.argv[4].encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user and auth_data.password == password
            # handled=False: aiosmtpd answers a failure with its 535 itself.
            return AuthResult(success=ok, handled=False)

        options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("listening", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


main()
