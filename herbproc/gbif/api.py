"""Image URLs of simple-CSV records from the GBIF occurrence API: ``{api_base}/occurrence/{gbifID}``.

Answers are cached on disk (one JSON line per record in ``<run_dir>/ingest/api_cache.jsonl``), so a second ingest
asks nothing again. Requests go through the download client: pooled, paced per host, retried with backoff.
A record the API does not know (404) is cached as such; other failures are not cached and are tried again next time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from herbproc.fetch.client import Fetcher, FetchError, FetchSettings
from herbproc.gbif.terms import STILL_IMAGE, media_type_name

log = logging.getLogger("herbproc.ingest")


@dataclass
class Media:
    identifier: str
    format: str
    license: str
    rightsHolder: str  # noqa: N815 (Darwin Core name)
    type: str = STILL_IMAGE


def media_from_answer(answer: dict) -> list[Media]:
    """The still images of one occurrence API answer, in the API's order."""
    out = []
    for m in answer.get("media") or []:
        if not isinstance(m, dict):
            continue
        kind = media_type_name(str(m.get("type") or ""))
        fmt = str(m.get("format") or "")
        if not kind and fmt.startswith("image/"):
            kind = STILL_IMAGE
        ident = str(m.get("identifier") or "").strip()
        if kind == STILL_IMAGE and ident:
            out.append(Media(ident, fmt, str(m.get("license") or ""), str(m.get("rightsHolder") or ""), kind))
    return out


class ApiCache:
    """gbifID -> the API's answer (trimmed to what ingest uses), as JSON lines appended to one file."""

    def __init__(self, path: Path):
        self.path = path
        self.answers: dict[str, dict] = {}
        if path.exists():
            with open(path, encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        self.answers[str(entry["gbifID"])] = entry
                    except (json.JSONDecodeError, KeyError, TypeError):
                        continue  # a line cut short by a kill
        self._fh = None

    def add(self, gbif_id: str, entry: dict) -> None:
        entry = {"gbifID": gbif_id, **entry}
        self.answers[gbif_id] = entry
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")
        self._fh.write(json.dumps(entry) + "\n")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


class MediaResolver:
    """Resolve gbifIDs to their still images; ``resolve`` returns gbifID -> list of Media or a drop reason."""

    def __init__(self, api_base: str, cache_path: Path, settings: FetchSettings):
        self.api_base = api_base.rstrip("/")
        self.cache = ApiCache(cache_path)
        self.settings = settings
        self.requests = 0

    def resolve(self, ids: list[str]) -> dict[str, list[Media] | str]:
        out: dict[str, list[Media] | str] = {}
        todo = []
        for gid in ids:
            entry = self.cache.answers.get(gid)
            if entry is None:
                todo.append(gid)
            elif entry.get("status") == "not_found":
                out[gid] = "api_not_found"
            else:
                out[gid] = media_from_answer(entry)
        if todo:
            out.update(asyncio.run(self._fetch(todo)))
        return out

    async def _fetch(self, ids: list[str]) -> dict[str, list[Media] | str]:
        out: dict[str, list[Media] | str] = {}
        async with Fetcher(self.settings) as fetcher:

            async def one(gid: str) -> None:
                try:
                    res = await fetcher.fetch(f"{self.api_base}/occurrence/{gid}")
                    answer = json.loads(res.content)
                    if not isinstance(answer, dict):
                        raise ValueError("answer is not a JSON object")
                except FetchError as e:
                    if e.reason == "http_404":
                        self.cache.add(gid, {"status": "not_found"})
                        out[gid] = "api_not_found"
                    else:
                        log.warning("occurrence API failed for %s: %s", gid, e)
                        out[gid] = "api_error"
                    return
                except ValueError as e:
                    log.warning("occurrence API gave a bad answer for %s: %s", gid, e)
                    out[gid] = "api_error"
                    return
                self.cache.add(gid, {"status": "ok", "media": answer.get("media") or []})
                out[gid] = media_from_answer(answer)

            try:
                await asyncio.gather(*(one(g) for g in ids))
            finally:
                self.requests += fetcher.requests
                self.cache.close()
        return out
