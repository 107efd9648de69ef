"""Receiving interchange files over HTTP: multipart parts streamed to files in a folder."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import BinaryIO

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

from service.load import FILE_ORDER

# Parts are written to disk in a worker thread; handing it about this much at a time keeps
# the thread hops few and the memory held per upload small.
FEED_BYTES = 1 << 20


class UploadError(Exception):
    """A request whose body cannot be taken; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def too_large(limit: int) -> UploadError:
    """The error of a body over ``limit`` bytes."""
    return UploadError(f"upload over {limit} bytes (the max_load_bytes setting)", 413)


async def receive_files(request: Request, folder: Path, *, limit: int) -> list[Path]:
    """Write each part of the ``multipart/form-data`` body to ``folder``, named by its file.

    A part is named by its form name when that is an interchange file name, otherwise by
    its file name. At most ``limit`` bytes are read, whether or not a length is declared.
    """
    kind, options = parse_options_header(request.headers.get("content-type"))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise UploadError("expected a multipart/form-data body, one part per file", 415)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    spool = _Spool(folder, options[b"boundary"])
    received = buffered = 0
    pending: list[bytes] = []
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise too_large(limit)
            pending.append(chunk)
            buffered += len(chunk)
            if buffered >= FEED_BYTES:
                await asyncio.to_thread(spool.feed, b"".join(pending))
                pending.clear()
                buffered = 0
        await asyncio.to_thread(spool.feed, b"".join(pending))
    except ClientDisconnect as exc:
        raise UploadError("the client went away before the upload was complete") from exc
    finally:
        spool.close()
    return spool.finish()


class _Spool:
    """A multipart parser writing each part straight to its file (runs in a worker thread)."""

    def __init__(self, folder: Path, boundary: bytes) -> None:
        self.folder = folder
        self.paths: list[Path] = []
        self.ended = False
        self._file: BinaryIO | None = None
        self._header = b""
        self._value = b""
        self._disposition = b""
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin_part,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._open_part,
                "on_part_data": self._write_part,
                "on_part_end": self._close_part,
                "on_end": self._end,
            },
        )

    def feed(self, data: bytes) -> None:
        try:
            self._parser.write(data)
        except FormParserError as exc:
            raise UploadError(f"malformed multipart body: {exc}") from exc

    def finish(self) -> list[Path]:
        """The files written; an error unless the body reached its closing boundary."""
        if not self.ended:
            raise UploadError("the multipart body ends before its closing boundary")
        if not self.paths:
            expected = ", ".join(FILE_ORDER)
            raise UploadError(f"no files in the upload; send one part per file ({expected})")
        return self.paths

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _begin_part(self) -> None:
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header = self._value = b""

    def _open_part(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = _file_name(
            options.get(b"name", b"").decode("utf-8", "replace"),
            options.get(b"filename", b"").decode("utf-8", "replace"),
        )
        path = self.folder / name
        if path in self.paths:
            raise UploadError(f"{name} is sent twice; send each file once")
        self.paths.append(path)
        self._file = path.open("wb")

    def _write_part(self, data: bytes, start: int, end: int) -> None:
        assert self._file is not None
        self._file.write(data[start:end])

    def _close_part(self) -> None:
        self.close()

    def _end(self) -> None:
        self.ended = True


def _file_name(name: str, filename: str) -> str:
    """The interchange file a part holds, from its form name or else its file name."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for candidate in (name, base):
        if candidate in FILE_ORDER:
            return candidate
    part = repr(name) + (f" (file {filename!r})" if filename else "")
    expected = ", ".join(FILE_ORDER)
    raise UploadError(f"part {part} is not an interchange file; expected one of {expected}")
