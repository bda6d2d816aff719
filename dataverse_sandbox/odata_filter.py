"""A small OData $filter parser: comparisons, and/or/not, parentheses, contains/startswith/endswith.

String comparisons are case-insensitive, as in Dataverse; '' inside a literal is one quote;
GUIDs are written unquoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dataverse_sandbox.errors import ApiError, bad_request

Predicate = Callable[[dict], bool]
Resolver = Callable[[str], str]  # validates a property name, returns the row key

GUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
NUMBER_RE = re.compile(r"-?\d+(\.\d+)?")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
FUNCTIONS = {"contains", "startswith", "endswith"}
KEYWORDS = {"null": None, "true": True, "false": False}


@dataclass
class Token:
    kind: str  # "name", "literal", "punct"
    value: Any
    position: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "(),":
            tokens.append(Token("punct", char, i))
            i += 1
        elif char == "'":
            i = _read_string(text, i, tokens)
        elif match := GUID_RE.match(text, i):
            tokens.append(Token("literal", match.group().lower(), i))
            i = match.end()
        elif match := NUMBER_RE.match(text, i):
            raw = match.group()
            tokens.append(Token("literal", float(raw) if "." in raw else int(raw), i))
            i = match.end()
        elif match := NAME_RE.match(text, i):
            tokens.append(Token("name", match.group(), i))
            i = match.end()
        else:
            raise bad_request(f"Syntax error at position {i} in '{text}'.")
    return tokens


def _read_string(text: str, start: int, tokens: list[Token]) -> int:
    i, chars = start + 1, []
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] == "'":
                chars.append("'")
                i += 2
                continue
            tokens.append(Token("literal", "".join(chars), start))
            return i + 1
        chars.append(text[i])
        i += 1
    raise bad_request(f"There is an unterminated literal at position {start} in '{text}'.")


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _norm(left), _norm(right)
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if left is None or right is None:
        return False
    try:
        return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[
            op
        ]
    except TypeError:
        return False


class Parser:
    def __init__(self, text: str, resolve: Resolver) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.resolve = resolve
        # (row key, literal) pairs every matching row must satisfy: eq tests joined by `and`.
        self.required: list[tuple[str, Any]] = []

    def error(self) -> ApiError:
        at = self.tokens[self.pos].position if self.pos < len(self.tokens) else len(self.text)
        return bad_request(f"Syntax error at position {at} in '{self.text}'.")

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.error()
        self.pos += 1
        return token

    def expect(self, punct: str) -> None:
        token = self.take()
        if token.kind != "punct" or token.value != punct:
            self.pos -= 1
            raise self.error()

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "name" and token.value.lower() == word:
            self.pos += 1
            return True
        return False

    def parse(self) -> Predicate:
        predicate = self.parse_or()
        if self.peek() is not None:
            raise self.error()
        return predicate

    def parse_or(self) -> Predicate:
        mark = len(self.required)
        parts = [self.parse_and()]
        while self.keyword("or"):
            parts.append(self.parse_and())
        if len(parts) == 1:
            return parts[0]
        del self.required[mark:]  # one branch of an `or` proves nothing about a row
        return lambda row: any(p(row) for p in parts)

    def parse_and(self) -> Predicate:
        parts = [self.parse_unary()]
        while self.keyword("and"):
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def parse_unary(self) -> Predicate:
        if self.keyword("not"):
            mark = len(self.required)
            inner = self.parse_unary()
            del self.required[mark:]
            return lambda row: not inner(row)
        token = self.peek()
        if token is not None and token.kind == "punct" and token.value == "(":
            self.pos += 1
            inner = self.parse_or()
            self.expect(")")
            return inner
        if token is not None and token.kind == "name" and token.value.lower() in FUNCTIONS:
            return self.parse_function()
        return self.parse_comparison()

    def parse_function(self) -> Predicate:
        name = self.take().value.lower()
        self.expect("(")
        left = self.parse_operand()
        self.expect(",")
        right = self.parse_operand()
        self.expect(")")
        test = {
            "contains": lambda a, b: b in a,
            "startswith": lambda a, b: a.startswith(b),
            "endswith": lambda a, b: a.endswith(b),
        }[name]

        def predicate(row: dict) -> bool:
            a, b = left(row), right(row)
            return isinstance(a, str) and isinstance(b, str) and test(a.casefold(), b.casefold())

        return predicate

    def parse_comparison(self) -> Predicate:
        start = self.peek()
        left = self.parse_operand()
        token = self.take()
        if token.kind != "name" or token.value.lower() not in COMPARISONS:
            self.pos -= 1
            raise self.error()
        op = token.value.lower()
        literal = self.peek()
        right = self.parse_operand()
        column = start.kind == "name" and start.value.lower() not in KEYWORDS
        if op == "eq" and column and literal.kind == "literal":
            self.required.append((self.resolve(start.value), literal.value))
        return lambda row: _compare(op, left(row), right(row))

    def parse_operand(self) -> Callable[[dict], Any]:
        token = self.take()
        if token.kind == "literal":
            return lambda row, value=token.value: value
        if token.kind == "name" and token.value.lower() in KEYWORDS:
            constant = KEYWORDS[token.value.lower()]
            return lambda row: constant
        if token.kind == "name":
            key = self.resolve(token.value)
            return lambda row: row.get(key)
        self.pos -= 1
        raise self.error()


def compile_filter(text: str, resolve: Resolver) -> Predicate:
    """A predicate over rows for an OData $filter expression, or ApiError 400."""
    return Parser(text, resolve).parse()


def compile_with_equalities(
    text: str, resolve: Resolver
) -> tuple[Predicate, list[tuple[str, Any]]]:
    """The predicate, plus the `key eq literal` tests every matching row must pass."""
    parser = Parser(text, resolve)
    predicate = parser.parse()
    return predicate, parser.required
