#!/usr/bin/python3
"""A local SMTP server for the mail tests (Debian's python3-aiosmtpd).

Usage: server.py DIR   -- listens on 127.0.0.1 at a free port, prints "listening PORT",
stores every message it accepts as DIR/NNNNNN.json: {"mail_from", "rcpt_tos", "subject",
"body", "raw"} with the subject (RFC 2047) and the body (its transfer encoding) decoded,
written atomically (a temporary name, then rename). Exits on SIGTERM or when stdin closes.
FAIL_FIRST=N in the environment: answers 451 to the first N messages (tests of retries).
"""
import email
import email.policy
import json
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory, fail_first):
        self.dir = directory
        self.n = 0
        self.fail_left = fail_first
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.fail_left > 0:
                self.fail_left -= 1
                return '451 4.3.0 try again later (test server)'
            self.n += 1
            n = self.n
        raw = envelope.original_content if envelope.original_content is not None else envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        rec = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'subject': str(msg['subject'] or ''),
            'body': msg.get_content() if not msg.is_multipart() else '',
            'raw': raw.decode('utf-8', 'replace'),
        }
        tmp = os.path.join(self.dir, '.%06d.tmp' % n)
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(rec, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.dir, '%06d.json' % n))
        return '250 OK'


def main():
    directory = sys.argv[1]
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    ctl = Controller(Store(directory, int(os.environ.get('FAIL_FIRST', '0'))), hostname='127.0.0.1', port=port,
                     decode_data=False)
    ctl.start()
    print('listening %d' % port, flush=True)
    try:
        sys.stdin.read()   # the test closes stdin (or kills us) to stop
    except KeyboardInterrupt:
        pass
    ctl.stop()


if __name__ == '__main__':
    main()
