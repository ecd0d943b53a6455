#!/usr/bin/env python3
"""A real SMTP server for tests: stores every message it receives as DIR/<n>.eml.

Usage: smtp_sink.py --port N --dir D

Prints "ready" on stdout once it listens on 127.0.0.1:N, and "stored <n>.eml" once a message is
complete on disk. Runs until SIGTERM or until its stdin closes (so it never outlives the test
that started it). Each message is written to a hidden temporary name and then renamed, so a
reader never sees half a message.
"""

import argparse
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        # Zero-padded, so sorting by file name is sorting by arrival.
        final = os.path.join(self.directory, f"{n:06}.eml")
        temp = os.path.join(self.directory, f".{n:06}.tmp")
        with open(temp, "wb") as f:
            f.write(envelope.original_content)
        os.replace(temp, final)
        # Lets the test wait for mail without polling the directory.
        print(f"stored {n:06}.eml", flush=True)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()

    def stop(_signum, _frame):
        controller.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    # Blocks until the parent closes our stdin (or dies).
    for _ in sys.stdin:
        pass
    controller.stop()


if __name__ == "__main__":
    main()
