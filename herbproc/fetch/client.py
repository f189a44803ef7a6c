"""A polite, pooled HTTP client for fetching many images (or API records) at once.

One ``httpx.AsyncClient`` keeps tens of connections open; each host gets its own connection cap and request
pacing. Transient failures (429, 5xx, timeouts, resets, bodies cut short) are retried with exponential backoff and
jitter, honouring ``Retry-After``; a 429 pauses the whole host, not just one request. With a ``HostBudget``
(``herbproc.fetch.budget``) the caps, the pacing and the pauses are those of the whole array of tasks. Bodies
are streamed and abandoned as soon as they pass ``max_bytes``. Only http(s) URLs are fetched.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import ipaddress
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from herbproc.fetch.budget import HostBudget, SharedHost, host_key
from herbproc.hoststats import HostStats
from herbproc.shard import ItemError

RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request is too many


class FetchError(ItemError):
    """The URL cannot be fetched; ``reason`` is one of http_<status>, timeout, too_slow, connection_error,
    incomplete_body, too_large, bad_url, unsafe_redirect, too_many_redirects, bad_content_encoding,
    retry_after_too_long, host_busy."""

    def __init__(
        self, reason: str, message: str = "", *, retry_after: float | None = None, attempts: int = 0
    ):
        super().__init__(reason, message)
        self.retry_after = retry_after
        self.attempts = attempts


class _Transient(FetchError):
    """Worth another try."""


@dataclass
class FetchSettings:
    concurrency: int = 32  # connections open at once (all hosts)
    per_host_connections: int = 16
    per_host_rate: float = 0.0  # requests per second to one host; 0 = no pacing
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0  # longest silence while reading
    deadline_s: float = 300.0  # longest one attempt may take in all (a slow trickle ends here)
    item_deadline_s: float = 600.0  # longest all attempts at one URL may take together (backoff included)
    retries: int = 4  # further attempts after the first
    backoff_s: float = 0.5  # first retry waits about this long, doubling each time (with jitter)
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0  # a Retry-After longer than this fails the item instead of waiting
    max_bytes: int = 200_000_000
    keepalive_connections: int = 0  # idle connections kept open for reuse (all hosts); 0 = concurrency
    user_agent: str = "herbproc (herbarium image pipeline)"
    seed: int | None = None  # for the jitter (tests)

    @classmethod
    def from_config(cls, section, **overrides) -> FetchSettings:
        names = {f for f in cls.__dataclass_fields__}
        values = {k: section[k] for k in names if k in section}
        values.update(overrides)
        return cls(**values)


@dataclass
class FetchResult:
    url: str
    content: bytes
    status: int
    content_type: str
    headers: dict[str, str]
    attempts: int
    seconds: float
    final_url: str


def check_url(url: str) -> None:
    """Only absolute http(s) URLs may be fetched (no file://, ftp://, data:, relative paths)."""
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise FetchError("bad_url", f"cannot parse URL {url!r}: {e}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            "bad_url", f"refusing URL with scheme '{parts.scheme}' (only http/https): {url[:200]}"
        )
    if not parts.hostname:
        raise FetchError("bad_url", f"URL has no host: {url[:200]}")


MAX_REDIRECTS = 5


def _is_local_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast


async def host_is_local(host: str) -> bool:
    """True when ``host`` is (or resolves to) a loopback, link-local (169.254.169.254, the cloud metadata
    service), unspecified or multicast address. A name that does not resolve is not local (the fetch fails)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost") or _is_local_address(host):
        return True
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return any(_is_local_address(str(info[4][0])) for info in infos)


async def check_redirect(original: str, target: str) -> None:
    """A redirect may only lead to another http(s) URL, and not to this machine or its link-local neighbours
    unless the original URL was local itself (a test server, a mirror on the node)."""
    check_url(target)
    if not await host_is_local(urlsplit(original).hostname or ""):
        if await host_is_local(urlsplit(target).hostname or ""):
            raise FetchError(
                "unsafe_redirect", f"{original[:200]} redirects to a local address: {target[:200]}"
            )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


@dataclass
class _Host:
    slots: asyncio.Semaphore
    interval: float
    shared: SharedHost | None = None  # the array-wide budget, when there is one
    next_start: float = 0.0
    paused_until: float = 0.0
    requests: int = 0
    stats: HostStats = field(default_factory=HostStats)
    # one coroutine at a time asks for a shared slot (the others wait here, not polling the file)
    poller: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def turn(self) -> None:
        """Wait for this host's pacing slot (and any pause a 429 asked for)."""
        now = time.monotonic()
        start = max(now, self.next_start, self.paused_until)
        self.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


@dataclass
class Fetcher:
    """Use as ``async with Fetcher(settings) as f: await f.fetch(url)``."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    transport: httpx.AsyncBaseTransport | None = None
    budget: HostBudget | None = None

    def __post_init__(self) -> None:
        self._client: httpx.AsyncClient | None = None
        self._hosts: dict[str, _Host] = {}
        self._rng = random.Random(self.settings.seed)
        self.requests = 0
        self.bytes = 0

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(
                max_connections=s.concurrency,
                max_keepalive_connections=min(s.concurrency, s.keepalive_connections or s.concurrency),
            ),
            timeout=httpx.Timeout(s.read_timeout_s, connect=s.connect_timeout_s, pool=None),
            follow_redirects=False,  # followed by _open, which checks where each redirect leads
            headers={"User-Agent": s.user_agent},
            transport=self.transport,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        host = self._hosts.get(key)
        if host is None:
            rate = self.settings.per_host_rate
            host = _Host(
                asyncio.Semaphore(self.settings.per_host_connections),
                1.0 / rate if rate > 0 else 0.0,
                self.budget.host(key) if self.budget is not None else None,
            )
            self._hosts[key] = host
        return host

    def host_stats(self) -> dict[str, dict]:
        """Per host (``host:port``): requests, answers, errors, throttling, bytes, time waited."""
        return {key: host.stats.to_json() for key, host in self._hosts.items() if host.stats.requests}

    async def _shared_slot(self, host: _Host, end: float) -> int:
        """One of the array's connection slots for the host, waiting (until ``end``) while all are taken."""
        assert host.shared is not None
        delay = 0.005
        async with host.poller:
            while True:
                slot = host.shared.try_slot()
                if slot is not None:
                    return slot
                if time.monotonic() + delay >= end:
                    raise FetchError(
                        "host_busy",
                        f"all download.host_connections_total={host.shared.budget.connections_total} "
                        f"connections to {host.shared.key} stayed taken (all tasks together) until the "
                        f"item's deadline",
                    )
                await asyncio.sleep(delay * self._rng.uniform(0.5, 1.5))
                delay = min(0.25, delay * 1.5)

    async def _shared_turn(self, host: _Host, end: float) -> None:
        """Wait for the host's start time in the array-wide pacing, and out any pause another task set."""
        assert host.shared is not None
        s = self.settings
        earliest = time.time()
        while True:
            latest = time.time() + min(s.max_retry_after_s, end - time.monotonic())
            start = host.shared.reserve(earliest, latest)
            wait = start - time.time()
            if start > latest:
                pause = host.shared.pause()
                if pause.until >= start:
                    raise FetchError(
                        "retry_after_too_long",
                        f"{host.shared.key} is paused {pause.until - time.time():.0f} s more (HTTP "
                        f"{pause.status} to {pause.by or 'a task'}; download.max_retry_after_s="
                        f"{s.max_retry_after_s:g})",
                    )
                raise FetchError(
                    "host_busy",
                    f"{host.shared.key}'s turn comes in {wait:.0f} s, after the item's deadline "
                    f"(download.host_rate_total={host.shared.budget.rate_total:g} for all tasks together)",
                )
            if wait <= 0:
                return
            await asyncio.sleep(wait)
            pause = host.shared.pause()  # a pause may have come in while this request waited
            if pause.until <= time.time():
                return
            earliest = pause.until

    def backoff(self, attempt: int) -> float:
        s = self.settings
        return min(s.max_backoff_s, s.backoff_s * 2 ** (attempt - 1)) * self._rng.uniform(0.5, 1.5)

    async def fetch(
        self, url: str, *, check_headers: Callable[[httpx.Response], None] | None = None
    ) -> FetchResult:
        """GET ``url`` with retries. ``check_headers`` may raise ``ItemError`` to refuse a response before its
        body is read (a wrong content type)."""
        check_url(url)
        s = self.settings
        host = self._host(url)
        t0 = time.monotonic()
        end = t0 + s.item_deadline_s if s.item_deadline_s > 0 else float("inf")
        attempt = 0
        while True:
            attempt += 1
            await host.turn()
            try:
                async with host.slots:
                    waiting = time.monotonic()
                    slot = await self._shared_slot(host, end) if host.shared is not None else None
                    try:
                        if host.shared is not None:
                            await self._shared_turn(host, end)
                        host.stats.wait_s += time.monotonic() - waiting
                        limit = min(s.deadline_s, end - time.monotonic())
                        if limit <= 0:
                            raise asyncio.TimeoutError
                        host.requests += 1
                        self.requests += 1
                        host.stats.started(time.time())
                        try:
                            result = await asyncio.wait_for(self._once(url, check_headers), timeout=limit)
                        except (TimeoutError, asyncio.TimeoutError):  # distinct classes before Python 3.11
                            host.stats.answered(time.time(), "too_slow")
                            raise _Transient("too_slow", f"transfer took longer than {limit:g} s") from None
                        except FetchError as e:
                            host.stats.answered(time.time(), e.reason)
                            raise
                        host.stats.answered(time.time(), nbytes=len(result.content))
                    finally:
                        if slot is not None and host.shared is not None:
                            host.shared.release(slot)
                result.attempts = attempt
                result.seconds = time.monotonic() - t0
                return result
            except (TimeoutError, asyncio.TimeoutError):
                error: FetchError = _Transient("too_slow", "no time left for the transfer")
            except _Transient as e:
                error = e
            except FetchError as e:
                e.attempts = attempt
                raise
            if attempt > s.retries:
                raise FetchError(error.reason, f"{error} (after {attempt} attempts)", attempts=attempt)
            delay = self.backoff(attempt)
            if error.retry_after is not None:
                if error.retry_after > s.max_retry_after_s:
                    raise FetchError(
                        "retry_after_too_long",
                        f"{error.reason}: server asks to wait {error.retry_after:.0f} s "
                        f"(more than download.max_retry_after_s={s.max_retry_after_s:g})",
                        attempts=attempt,
                    )
                if host.shared is not None and error.reason.startswith("http_"):
                    host.shared.pause_for(error.retry_after, int(error.reason[len("http_") :]))
                delay = max(delay, error.retry_after)
                host.paused_until = max(host.paused_until, time.monotonic() + error.retry_after)
            if time.monotonic() + delay >= end:
                raise FetchError(
                    error.reason,
                    f"{error}; gave up after {attempt} attempts in {time.monotonic() - t0:.1f} s "
                    f"(download.item_deadline_s={s.item_deadline_s:g})",
                    attempts=attempt,
                )
            await asyncio.sleep(delay)

    async def _open(self, url: str) -> httpx.Response:
        """GET ``url`` as a streamed response, following at most ``MAX_REDIRECTS`` redirects, each checked by
        ``check_redirect``. The caller closes the response."""
        assert self._client is not None, "use Fetcher as an async context manager"
        request = self._client.build_request("GET", url)
        for _ in range(MAX_REDIRECTS + 1):
            r = await self._client.send(request, stream=True)
            if not r.is_redirect or r.next_request is None:
                return r
            await r.aclose()
            await check_redirect(url, str(r.next_request.url))
            request = r.next_request
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects", request=request)

    async def _once(self, url: str, check_headers) -> FetchResult:
        assert self._client is not None, "use Fetcher as an async context manager"
        s = self.settings
        try:
            async with contextlib.aclosing(await self._open(url)) as r:
                status = r.status_code
                if status in RETRY_STATUS:
                    raise _Transient(
                        f"http_{status}",
                        f"HTTP {status}",
                        retry_after=parse_retry_after(r.headers.get("retry-after")),
                    )
                if status != 200:
                    raise FetchError(f"http_{status}", f"HTTP {status} for {url[:200]}")
                length = r.headers.get("content-length")
                if length and length.isdigit() and int(length) > s.max_bytes:
                    raise FetchError(
                        "too_large", f"Content-Length {length} > download.max_bytes={s.max_bytes}"
                    )
                if check_headers is not None:
                    check_headers(r)
                buf = bytearray()
                async for chunk in r.aiter_bytes():
                    buf += chunk
                    if len(buf) > s.max_bytes:
                        raise FetchError("too_large", f"body passed download.max_bytes={s.max_bytes}")
                self.bytes += len(buf)
                return FetchResult(
                    url,
                    bytes(buf),
                    status,
                    r.headers.get("content-type", ""),
                    dict(r.headers),
                    0,
                    0.0,
                    str(r.url),
                )
        except httpx.TimeoutException as e:
            raise _Transient("timeout", f"{type(e).__name__}: {e}") from None
        except httpx.RemoteProtocolError as e:
            text = str(e)
            reason = "incomplete_body" if "complete message body" in text else "connection_error"
            raise _Transient(reason, text) from None
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.CloseError) as e:
            raise _Transient("connection_error", f"{type(e).__name__}: {e}") from None
        except httpx.TooManyRedirects as e:
            raise FetchError("too_many_redirects", str(e)) from None
        except httpx.DecodingError as e:
            raise FetchError("bad_content_encoding", str(e)) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
            raise FetchError("bad_url", str(e)) from None


async def fetch_many(fetcher: Fetcher, urls: list[str], **kw) -> list[FetchResult | BaseException]:
    """Fetch all ``urls`` concurrently; each entry is a result or the exception for that URL."""
    return list(await asyncio.gather(*(fetcher.fetch(u, **kw) for u in urls), return_exceptions=True))
