"""What anyone can send: JSON values, raw JSON fragments, bytes, header values, paths."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from handoffs import channels

# Every code point, lone surrogates (Cs) included: they reach the service as \ud800 escapes.
ANY_CHAR = st.characters(exclude_categories=())
EDGE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\ud800",
        "\udfff",
        "\udc00\ud800",
        "\r\n",
        "id\nINFO forged log line",
        "\x1b[31mred\x1b[0m",
        "\x85",
        "\x9b2J",
        "\u2028",
        "\u2029",
        "\u202e",
        "\ufeff",
        "\uffff",
        "\U0010ffff",
        "😀",
        "Zoë",
        "chat/42 Zoë",
        "../../etc/passwd",
        "%00",
        "x" * 201,
        "PHONE",
        " phone ",
        "2026-11-23T14:00:00Z",
        "2026-13-45T99:99:99Z",
        "not-an-email",
    ]
)
TEXT = st.one_of(st.text(ANY_CHAR, max_size=40), EDGE_TEXT)

# Numbers JSON can spell and Python parses; NaN and Infinity are emitted by json.dumps as tokens.
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)


def _nested(n: int, opening: str, inner: str, closing: str) -> str:
    return opening * n + inner + closing * n


# JSON text inserted verbatim: what json.dumps would never write, but a sender might.
RAW_FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "-Infinity",
            "Infinity",
            "1e999",
            "-1e999",
            "1E400",
            "-0",
            "0.0000000000000000000000000001e-400",
            '"\\ud800"',
            '"\\udfff\\ud800"',
            '"\\ud83d\\ude00"',
            '"\\u0000"',
            '"\\u001b[2J\\u001b[H"',
            '"\\u2028\\u2029"',
            '"\\x41"',
            '"\\u12"',
            '"\t"',
            '"\n"',
            '"\x00"',
            '{"a": 1, "a": 2}',
            '{"session_id": "dup-1", "session_id": null}',
            '{"": {"": []}}',
            "[]",
            "{}",
            '""',
            "true",
            "null",
        ]
    ),
    st.integers(1, 3000).map(lambda n: _nested(n, "[", "", "]")),
    st.integers(1, 3000).map(lambda n: _nested(n, '{"a":', "1", "}")),
    st.integers(1, 120).map(lambda n: _nested(n, '{"k":[', '"v"', "]}")),
    st.integers(4290, 4400).map(lambda n: "9" * n),  # around Python's int-to-str digit limit
    st.sampled_from([10_000, 1_048_000, 1_048_600, 2_200_000]).map(lambda n: '"' + "x" * n + '"'),
)

TOP_FIELDS = (
    "session_id",
    "channel",
    "customer",
    "classification",
    "sentiment",
    "summary",
    "language",
    "transcript",
    "metadata",
)
PATHS = (
    *TOP_FIELDS,
    "customer.name",
    "customer.email",
    "customer.phone",
    "transcript.0",
    "transcript.0.role",
    "transcript.0.text",
    "transcript.0.timestamp",
    "transcript.1.timestamp",
    "metadata.tags",
    "unknown_field",
)
RAW_MARK = "@@raw-fragment-{}@@"


@dataclass
class MutatedBody:
    """A handoff body with some fields replaced (some by raw JSON text), ready to serialise."""

    body: Any
    raw: dict[str, str] = field(default_factory=dict)

    def encode(self, ascii_only: bool, encoding: str) -> bytes:
        text = json.dumps(self.body, ensure_ascii=ascii_only)
        for mark, fragment in self.raw.items():
            text = text.replace(json.dumps(mark), fragment)
        # surrogatepass: a lone surrogate sent unescaped becomes bytes that are not UTF-8.
        return text.encode(encoding, "surrogatepass")


def _set(body: dict, path: str, value: Any, delete: bool) -> None:
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        if isinstance(target, list):
            if not part.isdigit() or int(part) >= len(target):
                return
            target = target[int(part)]
        else:
            target = target.setdefault(part, {})
        if not isinstance(target, dict | list):
            return
    if isinstance(target, list):
        if last.isdigit() and int(last) < len(target):
            target[int(last)] = value
        return
    if delete:
        target.pop(last, None)
    else:
        target[last] = value


@st.composite
def handoff_bodies(draw: st.DrawFn) -> MutatedBody:
    """A sample handoff of any channel, one to three fields replaced by any value or removed."""
    code = draw(st.sampled_from(channels.CODES))
    body = channels.sample_handoff(code, f"fuzz-{draw(st.uuids())}")
    body["metadata"] = {"tags": ["a"], "source": "fuzz"}
    mutated = MutatedBody(body)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        how = draw(st.sampled_from(["value", "raw", "delete"]))
        if how == "raw":
            mark = RAW_MARK.format(len(mutated.raw))
            mutated.raw[mark] = draw(RAW_FRAGMENTS)
            _set(body, path, mark, delete=False)
        else:
            _set(body, path, draw(JSON_VALUES), delete=how == "delete")
    return mutated


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"])


@st.composite
def encoded_bodies(draw: st.DrawFn) -> bytes:
    """A mutated handoff body as bytes, in the encodings a sender might (mis)use."""
    mutated = draw(handoff_bodies())
    encoding = draw(ENCODINGS)
    try:
        return mutated.encode(draw(st.booleans()), encoding)
    except UnicodeEncodeError:  # latin-1 cannot spell every character: send it as UTF-8
        return mutated.encode(False, "utf-8")


@st.composite
def byte_mutations(draw: st.DrawFn) -> bytes:
    """A valid handoff's bytes with bytes replaced, inserted, removed, cut or appended."""
    code = draw(st.sampled_from(channels.CODES))
    raw = bytearray(json.dumps(channels.sample_handoff(code, f"bytes-{draw(st.uuids())}")).encode())
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(raw)))
        operation = draw(st.sampled_from(["replace", "insert", "delete", "cut", "append"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if operation == "replace" and at < len(raw):
            raw[at : at + len(chunk)] = chunk
        elif operation == "insert":
            raw[at:at] = chunk
        elif operation == "delete":
            del raw[at : at + len(chunk)]
        elif operation == "cut":
            del raw[at:]
        else:
            raw.extend(chunk)
    return bytes(raw)


# Header values as a WSGI server hands them over: bytes decoded as latin-1.
HEADER_TEXT = st.binary(max_size=60).map(lambda b: b.decode("latin-1"))
HEADER_NAMES = st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,30}\Z")


def timestamps() -> st.SearchStrategy[str]:
    """Timestamp header values: now, near and far from now, huge, odd spellings, any text."""
    now = int(time.time())
    return st.one_of(
        st.just(str(now)),
        st.integers(-400, 400).map(lambda d: str(now + d)),
        st.integers().map(str),
        st.integers(min_value=10**15, max_value=10**400).map(str),
        st.sampled_from(
            [
                "",
                " ",
                f" {now} ",
                f"+{now}",
                f"{now}.5",
                f"{now:_}",
                "0x10",
                "1e9",
                "-0",
                "NaN",
                "inf",
                "9" * 5000,
                "١٢٣",
            ]
        ),
        HEADER_TEXT,
    )


def signatures(correct: str) -> st.SearchStrategy[str]:
    """Signature header values: the correct one, altered spellings of it, and any text."""
    digest = correct.removeprefix("v1=")
    return st.one_of(
        st.just(correct),
        st.sampled_from(
            [
                "",
                "v1=",
                correct.upper(),
                f" {correct} ",
                f"{correct},v1={'0' * 64}",
                f"v1={'0' * 64},{correct}",
                f"v0={digest}",
                digest,
                f"v1={digest[:-1]}",
                f"v1={digest}é",
                "v1=" + "é" * 64,
                "v1=" + "f" * 100_000,
            ]
        ),
        HEADER_TEXT,
        HEADER_TEXT.map(lambda t: "v1=" + t),
    )


CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin-1",
            "application/json; charset=nonsense",
            "application/json;charset=",
            'application/json; charset="',
            "Application/JSON",
            "application/json-patch+json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "multipart/form-data",
            "text/plain",
            "text/json",
            "",
            ";",
            "application/json; a; b=; =c",
        ]
    ),
    HEADER_TEXT,
)
METHODS = st.one_of(
    st.sampled_from(["POST", "POST", "POST", "GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    st.from_regex(r"\A[A-Za-z]{1,10}\Z"),
)
SPECIAL_HEADERS = st.sampled_from(
    [
        "Host",
        "Cookie",
        "Transfer-Encoding",
        "Content-Encoding",
        "Accept",
        "Accept-Encoding",
        "X-Forwarded-For",
        "X-Forwarded-Host",
        "X-Forwarded-Proto",
        "X-Requested-With",
        "Origin",
        "Referer",
        "Authorization",
        "X-OpenCX-Event",
        "X-OpenCX-Event-Id",
    ]
)
EXTRA_HEADERS = st.dictionaries(SPECIAL_HEADERS | HEADER_NAMES, HEADER_TEXT, max_size=4)


def content_lengths(actual: int) -> st.SearchStrategy[str | None]:
    """Content-Length values: right, absent, smaller, larger, huge, negative, not a number."""
    return st.one_of(
        st.just(str(actual)),
        st.none(),
        st.integers(0, max(actual - 1, 0)).map(str),
        st.integers(actual + 1, actual + 1000).map(str),
        st.sampled_from(
            [
                "-1",
                "abc",
                "",
                " 12 ",
                "1e3",
                "0x10",
                str(2**64),
                "9" * 5000,
                str(1024 * 1024 + 1),
                str(3 * 1024 * 1024),
            ]
        ),
        HEADER_TEXT,
    )
