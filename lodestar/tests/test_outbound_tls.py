"""The outbound gate connects to the address it checked yet speaks TLS to the name: the
certificate is checked against the host name of the URL (SNI and Host header too), against
OUTBOUND_CA_BUNDLE or the public CAs. A real TLS receiver on 127.0.0.1 with a certificate
for `receiver.test`, made by openssl for the test; the name is given to a resolver
override (socket.getaddrinfo is not ours)."""

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lodestar.outbound import OutboundError, send


@pytest.fixture
def certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", "/CN=receiver.test",
         "-addext", "subjectAltName=DNS:receiver.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


@pytest.fixture
def receiver(certificate, monkeypatch, settings):
    key, cert = certificate
    seen: list[tuple[str, str]] = []
    names_asked: list[str | None] = []  # the TLS server name (SNI) of each handshake

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.headers["Host"], names_asked[-1]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda connection, name, context: names_asked.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    real = socket.getaddrinfo
    names = {"receiver.test": "127.0.0.1", "other.test": "127.0.0.1"}
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *a, **k: real(names.get(host, host), *a, **k)
    )
    settings.OUTBOUND_ALLOWED_HOSTS = ["receiver.test", "other.test"]
    yield server.server_port, cert, seen
    server.shutdown()
    server.server_close()


def post(url: str) -> int:
    return send("POST", url, who="The receiver", timeout=5, body=b"{}").status


def test_tls_to_the_checked_address_keeps_the_name(receiver, settings):
    port, cert, seen = receiver
    settings.OUTBOUND_CA_BUNDLE = str(cert)
    assert post(f"https://receiver.test:{port}/hook") == 204
    assert seen == [(f"receiver.test:{port}", "receiver.test")]  # Host header, SNI


def test_a_certificate_for_another_name_is_refused(receiver, settings):
    port, cert, seen = receiver
    settings.OUTBOUND_CA_BUNDLE = str(cert)
    with pytest.raises(OutboundError, match=r"^Could not connect to other.test.$"):
        post(f"https://other.test:{port}/hook")
    assert seen == []


def test_a_certificate_no_trusted_ca_signed_is_refused(receiver):
    port, _, seen = receiver
    with pytest.raises(OutboundError, match=r"^Could not connect to receiver.test.$"):
        post(f"https://receiver.test:{port}/hook")
    assert seen == []
