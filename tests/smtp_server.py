#!/usr/bin/env python3
"""A real SMTP server for mailroute's integration tests, built on aiosmtpd.

Started by tests/cli/smtp_support.rs; can also be run by hand:

    python3 tests/smtp_server.py --port 2525 --outdir /tmp/box

Once listening it prints exactly `READY <port>` on stdout (and nothing else there).

Modes: `--mode plain` (no TLS), `--mode starttls` (offers STARTTLS), `--mode tls` (implicit TLS
from the first byte, like port 465). The TLS modes need `--cert PEM --key PEM`.

Fault injection (all repeatable where it makes sense):
  --reject STAGE:CODE[:TEXT]  STAGE is an SMTP command name (helo, ehlo, mail, rcpt, data, auth,
                              starttls, rset, noop, quit...) or `data-end` (the reply after the
                              message body). `helo` and `ehlo` are separate stages: give both to
                              refuse every greeting. A 421 reply also closes the connection.
  --reject-rcpt ADDR:CODE[:TEXT]  refuse only that recipient (case-insensitive).
  --greeting CODE[:TEXT]      send this greeting instead of 220, then close the connection.
  --hang                      accept TCP connections and never send a byte.
  --greeting-delay-ms N       wait N ms before the greeting (a slow server).
  --drop-at STAGE             close the connection, without a reply, when STAGE arrives.

Records in --outdir (written before the reply that the client waits for, so a test can read them
as soon as the client is done):
  NNNN.eml / NNNN.json  each accepted message: the body bytes as received (after the SMTP dot
                        un-stuffing, CRLF line ends kept), and its envelope; the .json is written
                        last, atomically, so its presence means both files are complete.
  sessions              number of TCP connections accepted (counted at accept time, so in tls
                        mode a connection whose TLS handshake fails counts too).
  commands.log          `<session> <command line>` for every command line received; AUTH
                        payloads are replaced by `<auth data>`.
  server.log            not written here: the Rust side sends stderr to it.
"""

import argparse
import asyncio
import base64
import binascii
import json
import logging
import os
import signal
import ssl
import sys
import threading

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError as error:  # pragma: no cover - environment problem
    sys.stderr.write(
        f"smtp_server.py: cannot import aiosmtpd ({error}).\n"
        "Install it with: python3 -m pip install aiosmtpd\n"
    )
    sys.exit(3)

log = logging.getLogger("smtp_server")

DEFAULT_TEXT = {
    "4": "4.0.0 Temporary failure (test server)",
    "5": "5.0.0 Rejected (test server)",
}


def parse_reply(spec, what):
    """'CODE[:TEXT]' -> 'CODE TEXT'."""
    code, _, text = spec.partition(":")
    if not (len(code) == 3 and code.isdigit()):
        raise SystemExit(f"smtp_server.py: bad reply code in {what}: {spec!r}")
    if not text:
        text = DEFAULT_TEXT.get(code[0], "Test server reply")
    return f"{code} {text}"


class Recorder:
    """Everything written to --outdir; shared by all connections."""

    def __init__(self, outdir):
        self.outdir = outdir
        self.sessions = 0
        self.messages = 0
        self.commands = None
        if outdir:
            os.makedirs(outdir, exist_ok=True)
            self.commands = open(os.path.join(outdir, "commands.log"), "a", encoding="utf-8")
            self._write_atomic("sessions", b"0\n")

    def _write_atomic(self, name, data):
        tmp = os.path.join(self.outdir, f".{name}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.outdir, name))

    def new_session(self):
        self.sessions += 1
        if self.outdir:
            self._write_atomic("sessions", f"{self.sessions}\n".encode())
        return self.sessions

    def command(self, session, line):
        if self.commands:
            self.commands.write(f"{session} {line}\n")
            self.commands.flush()

    def message(self, meta, raw):
        self.messages += 1
        if self.outdir:
            stem = f"{self.messages:04d}"
            self._write_atomic(f"{stem}.eml", raw)
            self._write_atomic(f"{stem}.json", json.dumps(meta, indent=1).encode() + b"\n")


def describe_line(raw):
    """A received command line as it goes to commands.log, with AUTH secrets removed."""
    line = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
    words = line.split()
    if len(words) > 2 and words[0].upper() == "AUTH":
        return f"{words[0]} {words[1]} <auth data>"
    return line


class RecordingReader(asyncio.StreamReader):
    """aiosmtpd reads command lines with readuntil(b'\\n'), AUTH continuation lines with
    readline() (which calls readuntil(b'\\n')) and DATA lines with readuntil(b'\\r\\n').
    The instance's class is swapped to this one when the connection starts."""

    def _mr_setup(self, on_line):
        self._mr_on_line = on_line
        self._mr_in_auth = 0

    async def readline(self):
        self._mr_in_auth += 1  # only aiosmtpd's challenge_auth() calls readline()
        try:
            return await super().readline()
        finally:
            self._mr_in_auth -= 1

    async def readuntil(self, separator=b"\n"):
        data = await super().readuntil(separator)
        if separator == b"\n":
            self._mr_on_line("<auth data>" if self._mr_in_auth else describe_line(data))
        return data


class Handler:
    def __init__(self, config, recorder):
        self.config = config
        self.recorder = recorder

    async def auth_XOAUTH2(self, server, args):
        # Gmail / Microsoft 365 style: base64("user=U\x01auth=Bearer TOKEN\x01\x01").
        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        try:
            text = base64.b64decode(args[1], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return AuthResult(success=False, handled=False)
        fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        ok = bool(user) and self.config.xoauth2.get(user) == token
        if ok:
            server.mr_auth_user = user
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.config.pipelining:
            # aiosmtpd reads commands one line at a time, so pipelined ones work; it just
            # does not say so.
            responses = responses[:-1] + ["250-PIPELINING"] + responses[-1:]
        if not self.config.auth and not self.config.xoauth2:
            responses = [r for r in responses if not r[4:].upper().startswith("AUTH")]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.config.reject_rcpt.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if "data-end" in self.config.drop_at:
            server.mr_drop()
        reply = self.config.reject.get("data-end")
        if reply:
            if reply.startswith("421"):
                # Runs after aiosmtpd has written the reply (close() flushes it first).
                asyncio.get_running_loop().call_soon(server.transport.close)
            return reply
        peer = session.peer
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer),
            "session": server.mr_session,
            "mail_options": list(envelope.mail_options),
            "rcpt_options": list(envelope.rcpt_options),
            "helo": session.host_name,
            "auth_user": server.mr_auth_user,
            "tls": server.mr_tls(),
        }
        self.recorder.message(meta, envelope.original_content or b"")
        return "250 OK queued as test message"


class TestSMTP(SMTP):
    def __init__(self, handler, config, recorder, session_number, **kwargs):
        self.mr_config = config
        self.mr_recorder = recorder
        self.mr_session = session_number
        self.mr_auth_user = None
        super().__init__(handler, **kwargs)
        # Fault injection at command level: wrap every smtp_* method.
        for name, method in list(self._smtp_methods.items()):
            self._smtp_methods[name] = self._mr_wrap(name.lower(), method)

    def mr_tls(self):
        return bool(self._tls_protocol) or self.mr_config.mode == "tls"

    def _cb_client_connected(self, reader, writer):
        super()._cb_client_connected(reader, writer)
        reader.__class__ = RecordingReader
        reader._mr_setup(lambda line: self.mr_recorder.command(self.mr_session, line))

    def mr_drop(self):
        """Close the connection without a reply and end this session's handler."""
        log.info("session %d: dropping connection", self.mr_session)
        if self.transport is not None:
            self.transport.close()
        raise asyncio.CancelledError()

    def _mr_wrap(self, stage, method):
        config = self.mr_config

        async def wrapped(arg):
            if stage in config.drop_at:
                self.mr_drop()
            reply = config.reject.get(stage)
            if reply:
                await self.push(reply)
                if reply.startswith("421"):
                    self.mr_drop()
                return
            if stage == "auth" and not config.auth and not config.xoauth2:
                await self.push("502 5.5.1 AUTH not available")
                return
            await method(arg)

        return wrapped

    async def _handle_client(self):
        if self.mr_config.greeting_delay_ms:
            # A slow server, for timing tests and benchmarks of concurrent testing.
            await asyncio.sleep(self.mr_config.greeting_delay_ms / 1000)
        if self.mr_config.greeting:
            await self.push(self.mr_config.greeting)
            self.transport.close()
            return
        await super()._handle_client()


def make_authenticator(credentials):
    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode("utf-8", errors="replace")
        password = auth_data.password.decode("utf-8", errors="replace")
        ok = credentials.get(user) == password
        if ok:
            server.mr_auth_user = user
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

    return authenticator


class HangProtocol(asyncio.Protocol):
    """Accepts the connection and never says anything."""

    def __init__(self, transports):
        self.transports = transports

    def connection_made(self, transport):
        self.transports.add(transport)

    def connection_lost(self, exc):
        pass


def parse_args(argv):
    p = argparse.ArgumentParser(description="SMTP test server for mailroute (aiosmtpd)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    p.add_argument("--cert")
    p.add_argument("--client-ca", help="require a client certificate signed by this CA")
    p.add_argument("--key")
    p.add_argument("--hostname", default="smtp.test.localhost", help="name in greeting/EHLO")
    tls_auth = p.add_mutually_exclusive_group()
    tls_auth.add_argument("--require-tls-for-auth", dest="auth_require_tls",
                          action="store_true", default=True)
    tls_auth.add_argument("--allow-plaintext-auth", dest="auth_require_tls",
                          action="store_false")
    p.add_argument("--auth", action="append", default=[], metavar="USER:PASSWORD")
    p.add_argument("--xoauth2", action="append", default=[], metavar="USER:TOKEN",
                   help="accept AUTH XOAUTH2 with this bearer token")
    p.add_argument("--auth-required", action="store_true",
                   help="refuse MAIL/RCPT/DATA before AUTH (530)")
    p.add_argument("--require-starttls", action="store_true",
                   help="starttls mode: refuse commands other than EHLO/STARTTLS/QUIT before TLS")
    p.add_argument("--smtputf8", action="store_true", help="offer SMTPUTF8")
    p.add_argument("--max-size", type=int, default=33554432, help="SIZE limit (0 = none)")
    p.add_argument("--reject", action="append", default=[], metavar="STAGE:CODE[:TEXT]")
    p.add_argument("--reject-rcpt", action="append", default=[], metavar="ADDRESS:CODE[:TEXT]")
    p.add_argument("--greeting", metavar="CODE[:TEXT]")
    p.add_argument("--hang", action="store_true")
    p.add_argument("--pipelining", action="store_true", help="offer PIPELINING in EHLO")
    p.add_argument("--greeting-delay-ms", type=int, default=0,
                   help="wait this long before the greeting (a slow server)")
    p.add_argument("--drop-at", action="append", default=[], metavar="STAGE")
    p.add_argument("--outdir")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="exit when stdin closes (the test process died)")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)

    if args.mode != "plain" and not (args.cert and args.key):
        p.error(f"--mode {args.mode} needs --cert and --key")
    credentials = {}
    for spec in args.auth:
        user, sep, password = spec.partition(":")
        if not sep:
            p.error(f"--auth wants USER:PASSWORD, got {spec!r}")
        credentials[user] = password
    args.credentials = credentials
    tokens = {}
    for spec in args.xoauth2:
        user, sep, token = spec.partition(":")
        if not sep:
            p.error(f"--xoauth2 wants USER:TOKEN, got {spec!r}")
        tokens[user] = token
    args.xoauth2 = tokens
    reject = {}
    for spec in args.reject:
        stage, sep, rest = spec.partition(":")
        if not sep:
            p.error(f"--reject wants STAGE:CODE[:TEXT], got {spec!r}")
        reject[stage.lower()] = parse_reply(rest, "--reject")
    args.reject = reject
    reject_rcpt = {}
    for spec in args.reject_rcpt:
        # The address may not contain ':' but TEXT may: split at the first ':' after the '@'.
        at = spec.find("@")
        colon = spec.find(":", at if at >= 0 else 0)
        if colon < 0:
            p.error(f"--reject-rcpt wants ADDRESS:CODE[:TEXT], got {spec!r}")
        addr = spec[:colon].strip("<>").lower()
        reject_rcpt[addr] = parse_reply(spec[colon + 1:], "--reject-rcpt")
    args.reject_rcpt = reject_rcpt
    if args.greeting:
        args.greeting = parse_reply(args.greeting, "--greeting")
    args.drop_at = {s.lower() for s in args.drop_at}
    args.auth = bool(credentials)
    return args


async def serve(config):
    loop = asyncio.get_running_loop()
    recorder = Recorder(config.outdir)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if config.exit_on_stdin_eof:
        def watch_stdin():
            try:
                # os.read, not sys.stdin: a daemon thread must not hold the buffered
                # reader's lock when the interpreter shuts down.
                while os.read(0, 4096):
                    pass
            except Exception:
                pass
            loop.call_soon_threadsafe(stop.set)
        threading.Thread(target=watch_stdin, daemon=True).start()

    tls_context = None
    if config.mode != "plain":
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(config.cert, config.key)
        if config.client_ca:
            tls_context.verify_mode = ssl.CERT_REQUIRED
            tls_context.load_verify_locations(config.client_ca)

    transports = set()
    handler = Handler(config, recorder)
    authenticator = make_authenticator(config.credentials)

    def factory():
        session = recorder.new_session()
        if config.hang:
            return HangProtocol(transports)
        return TestSMTP(
            handler,
            config,
            recorder,
            session,
            hostname=config.hostname,
            ident="mailroute test server",
            tls_context=tls_context if config.mode == "starttls" else None,
            require_starttls=config.require_starttls,
            auth_require_tls=config.auth_require_tls,
            auth_required=config.auth_required,
            authenticator=authenticator,
            auth_exclude_mechanism=[] if config.xoauth2 else ["XOAUTH2"],
            enable_SMTPUTF8=config.smtputf8,
            data_size_limit=config.max_size or None,
            timeout=60,
            loop=loop,
        )

    server = await loop.create_server(
        factory,
        host=config.host,
        port=config.port,
        ssl=tls_context if (config.mode == "tls" and not config.hang) else None,
        reuse_address=True,
    )
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"READY {port}\n")
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        server.close()
        for t in transports:
            t.abort()
        log.info("stopping")


def main(argv=None):
    config = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.INFO if config.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    # aiosmtpd itself sets the deprecated Session.login_data on every AUTH and warns about it.
    logging.getLogger("mail.log").addFilter(
        lambda record: "login_data is deprecated" not in record.getMessage()
    )
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
