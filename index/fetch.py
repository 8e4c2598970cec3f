"""Fetching a news page by URL, safely.

Only http(s). The host name is resolved here and every address it resolves to must be public:
loopback, private, link-local (169.254.169.254, cloud metadata), multicast, reserved and
unspecified addresses are refused, on every redirect too. The connection then goes to the
address that was checked (no second lookup an attacker could answer differently). The body is
capped in size and the whole fetch in time. Loopback can be allowed for tests and local
development only, explicitly (`allow_loopback=True`, or BRIEFBOT_ALLOW_LOOPBACK=1).
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_BYTES = 5_000_000
TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "briefbot/0.1 (+offline article reader)"


class FetchError(ValueError):
    """A URL that cannot or may not be fetched; the message is for the user."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str
    data: bytes


def loopback_allowed() -> bool:
    return os.environ.get("BRIEFBOT_ALLOW_LOOPBACK") == "1"


def fetch(
    url: str,
    allow_loopback: bool | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_S,
) -> Page:
    allow = loopback_allowed() if allow_loopback is None else allow_loopback
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{url[:200]}: only http and https URLs can be added")
        if not parts.hostname:
            raise FetchError(f"{url[:200]}: no host name in the URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = _public_address(parts.hostname, port, allow)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = _connection(parts.scheme, parts.hostname, port, ip, _left(deadline, url))
        try:
            conn.request(
                "GET", path,
                headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9"},
            )  # fmt: skip
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(f"{url[:200]}: redirect without a Location")
                url = urljoin(url, location)
                continue
            if resp.status != 200:
                raise FetchError(f"{url[:200]}: the server answered HTTP {resp.status}")
            ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if ctype and not (ctype.startswith("text/") or ctype == "application/xhtml+xml"):
                raise FetchError(f"{url[:200]}: not a web page ({ctype})")
            declared = resp.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{url[:200]}: the page is larger than {max_bytes // 1_000_000} MB"
                )
            return Page(url, ctype or "text/html", _read_body(resp, url, max_bytes, deadline))
        except TimeoutError as e:
            raise FetchError(f"{url[:200]}: no complete answer within {timeout:.0f} s") from e
        except (OSError, http.client.HTTPException) as e:
            raise FetchError(f"{url[:200]}: cannot fetch ({type(e).__name__}: {e})") from e
        finally:
            conn.close()
    raise FetchError(f"{url[:200]}: more than {MAX_REDIRECTS} redirects")


def _read_body(resp: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float) -> bytes:
    """The response's body, at most `max_bytes`, read before `deadline` (FetchError if not)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = resp.read1(65536)  # one receive at a time: the deadline is checked often
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url[:200]}: the page is larger than {max_bytes // 1_000_000} MB")
        chunks.append(chunk)
        _left(deadline, url)
    return b"".join(chunks)


def _left(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url[:200]}: no complete answer in time")
    return left


def _public_address(host: str, port: int, allow_loopback: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise FetchError(f"{host}: the name does not resolve ({e})") from e
    addresses = [str(info[4][0]) for info in infos]
    for a in addresses:
        ip = ipaddress.ip_address(a.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if ip.is_loopback and allow_loopback:
            continue
        if not ip.is_global or ip.is_multicast or ip.is_reserved:
            kind = (
                "loopback" if ip.is_loopback else "link-local" if ip.is_link_local
                else "private" if ip.is_private else "non-public"
            )  # fmt: skip
            raise FetchError(f"{host} resolves to {ip}, a {kind} address: refused")
    if not addresses:
        raise FetchError(f"{host}: the name does not resolve")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        http.client.HTTPSConnection.__init__(
            self, host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(scheme: str, host: str, port: int, ip: str, timeout: float) -> _PinnedHTTP:
    cls = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    return cls(host, port, ip, timeout)
