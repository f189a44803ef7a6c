from __future__ import annotations

from dataclasses import dataclass

SECTION = "download"
MAX_CONNECTIONS_TOTAL = 10_000  # download.host_connections_total: the per-host budget's slots (one byte each)


@dataclass
class Settings:
    """stage=download: fetching the manifest's images into the store (per shard)."""

    concurrency: int = 32  # connections open at once per shard
    per_host_connections: int = 16  # requests in flight to one host from one shard
    per_host_rate: float = 0.0  # requests per second to one host from one shard (0 = no pacing)
    # the budget of the whole array, all shards together (docs/hpc.md "A per-host budget for the whole array"):
    host_connections_total: int = 32  # requests in flight to one host
    host_rate_total: float = 20.0  # requests started per second to one host (0 = no pacing)
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0  # longest silence while reading a response
    deadline_s: float = 300.0  # longest one attempt may take in all (ends slow trickles)
    item_deadline_s: float = 600.0  # longest all attempts at one image may take together (retries, backoff)
    retries: int = 4  # further attempts after 429 / 5xx / timeouts / resets
    backoff_s: float = 0.5  # first retry waits about this long, doubling, with jitter
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0  # a longer Retry-After fails the item (retry it in a later launch)
    max_bytes: int = 200_000_000  # larger bodies are abandoned (too_large)
    max_pixels: int = 250_000_000  # larger images are refused before decoding (decompression_bomb)
    batch_size: int = 256  # rows fetched concurrently (a block's rows are held until its last batch)
    decode_threads: int = 0  # threads decoding and resizing; 0 = stage.cpus
    # bytes the decode threads may hold at once (width x height x bytes per pixel, conversions included); an
    # image needing more is refused (decompression_bomb); 0 = half of stage.mem_gb
    decode_mem_gb: float = 0.0
    user_agent: str = "herbproc/0.1 (herbarium image pipeline; GBIF media)"

    def __post_init__(self) -> None:
        for key in ("concurrency", "per_host_connections", "batch_size", "max_bytes", "max_pixels"):
            if getattr(self, key) < 1:
                raise ValueError(
                    f"wrong value for 'download.{key}': {getattr(self, key)} (must be at least 1)"
                )
        if not 1 <= self.host_connections_total <= MAX_CONNECTIONS_TOTAL:
            raise ValueError(
                f"wrong value for 'download.host_connections_total': {self.host_connections_total} "
                f"(1..{MAX_CONNECTIONS_TOTAL}: requests in flight to one host from all shards together)"
            )
        for key in (
            "retries",
            "per_host_rate",
            "host_rate_total",
            "backoff_s",
            "decode_threads",
            "decode_mem_gb",
        ):
            if getattr(self, key) < 0:
                raise ValueError(
                    f"wrong value for 'download.{key}': {getattr(self, key)} (must not be negative)"
                )
        for key in ("connect_timeout_s", "read_timeout_s", "deadline_s", "item_deadline_s"):
            if getattr(self, key) <= 0:
                raise ValueError(f"wrong value for 'download.{key}': {getattr(self, key)} (must be above 0)")
