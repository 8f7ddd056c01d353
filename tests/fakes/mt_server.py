"""A fake machine-translation service on 127.0.0.1, speaking each provider's documented API.

One HTTP server answers what deep-translator and our own adapters actually call:

* LibreTranslate ``POST /translate`` (q/source/target in the query, a form or JSON);
* Google's mobile page ``GET /m?sl=&tl=&q=`` (HTML with ``div.result-container``), which is
  what deep-translator's GoogleTranslator scrapes;
* MyMemory ``GET /get?q=&langpair=ru-RU|en-GB``;
* Microsoft Translator v3 ``POST /translate?api-version=3.0&from=&to=`` (JSON list);
* DeepL ``POST /v2/translate`` (JSON, ``Authorization: DeepL-Auth-Key``);
* Yandex Cloud ``POST /translate/v2/translate`` (JSON, ``Authorization: Api-Key``);
* an OpenAI-compatible ``POST /v1/chat/completions`` (``Authorization: Bearer``; the user
  message's JSON segments translated into the ``chat.completion`` object's JSON content).

Its "translation" is deterministic: a small dictionary, then transliteration, tags and URLs
untouched, so tests can assert the exact output. Knobs: ``delay`` per request, and a script
of behaviours consumed one per request (``ok``, ``429`` with ``retry_after``, any 5xx code
such as ``500`` or ``503``, ``garbage``, ``drop``, ``hang``, ``mangle``, ``strip``; for the
chat API also ``badjson``, a reply that is not JSON, and ``dropone``, a reply without its last
segment) falling back to ``default``. Two fault modes for the faults seen in the wild:
``every(3, "503")`` answers every third request that way, and ``die_after(n)`` answers n
requests and is then gone (open connections dropped, the port closed).
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

RU_EN = {
    "город": "city", "города": "city", "ставрополь": "Stavropol", "ставрополя": "Stavropol",
    "проект": "project", "практику": "practice", "практика": "practice", "и": "and",
    "в": "in", "на": "on", "с": "since", "жителями": "by residents", "поддержан": "supported",
    "реализует": "implements", "для": "for", "всех": "all", "культура": "culture",
    "первая": "first", "вторая": "second", "строка": "line", "после": "after",
    "табуляции": "tab", "новая": "new", "страница": "page", "сайте": "website",
    "администрации": "administration", "отчёте": "report", "подробности": "details",
    "делегация": "delegation", "посетила": "visited", "форум": "forum",
}
EN_RU = {"city": "город", "project": "проект", "and": "и", "the": "", "of": "",
         "chairman": "председатель",
         "practice": "практика", "in": "в", "culture": "культура"}
CYR = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LAT = ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
       "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]
TO_LATIN = dict(zip(CYR, LAT, strict=True))
TO_CYRILLIC = {"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
               "i": "и", "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
               "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс",
               "y": "й", "z": "з"}
KEEP = re.compile(r"(<\s*/?\s*\d+\s*/?\s*>|https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+)")
WORD = re.compile(r"[^\W\d_]+")


def _case(source: str, word: str) -> str:
    if source[:1].isupper() and word:
        return word[:1].upper() + word[1:]
    return word


def _word(match: re.Match[str], target: str) -> str:
    word = match.group(0)
    lower = word.lower()
    if target.startswith("en"):
        if lower in RU_EN:
            return _case(word, RU_EN[lower])
        return _case(word, "".join(TO_LATIN.get(c, c) for c in lower))
    if lower in EN_RU:
        return _case(word, EN_RU[lower])
    return _case(word, "".join(TO_CYRILLIC.get(c, c) for c in lower))


def fake_translate(text: str, source: str, target: str) -> str:
    """Deterministic stand-in for MT: dictionary, then transliteration; tags and URLs kept."""
    parts = KEEP.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)
        else:
            out.append(WORD.sub(lambda m: _word(m, target), part))
    return re.sub(r"  +", " ", "".join(out)).strip()


def mangle(text: str) -> str:
    """What a careless MT engine does to tags: drops closing ones, swaps the rest."""
    return re.sub(r"</\d+>", "", text)


def strip_tags(text: str) -> str:
    """What a worse one does: every tag gone, placeholders included."""
    return re.sub(r"  +", " ", re.sub(r"<\s*/?\s*\d+\s*/?\s*>", "", text)).strip()


class FakeMTServer:
    """Start with ``with FakeMTServer() as server:``; ``server.url`` is the base URL."""

    def __init__(self, *, delay: float = 0.0, default: str = "ok", retry_after: str = "1",
                 hang_seconds: float = 30.0) -> None:
        self.delay, self.default, self.retry_after = delay, default, retry_after
        self.hang_seconds = hang_seconds
        self.script: deque[str] = deque()
        self.requests: Counter[str] = Counter()
        self.texts: list[str] = []
        self.prompts: list[str] = []  # the system message of each chat-completions request
        self.headers: list[dict[str, str]] = []
        self.active = 0
        self.max_active = 0
        self._every: tuple[int, str] | None = None
        self._die_after: int | None = None
        self.dead = False
        self.timeline: list[tuple[float, str]] = []  # (monotonic time, behaviour) a request
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeMTServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def plan(self, *behaviours: str) -> None:
        self.script.extend(behaviours)

    def every(self, period: int, behaviour: str) -> None:
        """Every ``period``-th request (counting all routes) gets ``behaviour``."""
        self._every = (period, behaviour)

    def die_after(self, answered: int) -> None:
        """Answer ``answered`` more requests, then drop every connection and close the port,
        as a provider whose process was killed."""
        self._die_after = self.total_requests + answered

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    def _next(self, number: int) -> str:
        with self._lock:
            behaviour = self._choose(number)
            self.timeline.append((time.monotonic(), behaviour))
            return behaviour

    def _choose(self, number: int) -> str:
        if self._die_after is not None and number > self._die_after:
            if not self.dead:
                self.dead = True
                threading.Thread(target=self.close, daemon=True).start()
            return "dead"
        if self._every is not None and number % self._every[0] == 0:
            return self._every[1]
        return self.script.popleft() if self.script else self.default

    def _enter(self, route: str, headers: dict[str, str]) -> int:
        with self._lock:
            self.requests[route] += 1
            number = sum(self.requests.values())
            self.headers.append(headers)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            return number

    def _leave(self) -> None:
        with self._lock:
            self.active -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # As waitress (LibreTranslate's server) and most servers do: without it, the
            # body written after the headers waits for the client's delayed acknowledgement,
            # 40 ms on every request of a kept-alive connection.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                route = _route(method, split.path, split.query)
                number = server._enter(route, dict(self.headers.items()))
                try:
                    self._respond(route, parse_qs(split.query), body, server._next(number))
                finally:
                    server._leave()

            def _respond(self, route: str, query: dict[str, list[str]], body: bytes,
                         behaviour: str) -> None:
                if server.delay:
                    time.sleep(server.delay)
                if behaviour == "hang":
                    server._stop.wait(server.hang_seconds)
                    self.close_connection = True
                    return
                if behaviour in ("drop", "dead"):
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if behaviour == "429" or behaviour.startswith("5"):
                    headers = {"Retry-After": server.retry_after} if behaviour == "429" else {}
                    return self._send(int(behaviour), b'{"error": "busy"}', headers=headers)
                if behaviour == "garbage":
                    return self._send(200, b"<html>\x00oops", "text/html")
                status, payload, kind = answer(route, query, body, self.headers,
                                               behaviour, server)
                self._send(status, payload, kind)

            def _send(self, status: int, payload: bytes, kind: str = "application/json",
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


def _route(method: str, path: str, query: str) -> str:
    if path == "/translate" and "api-version" in query:
        return "microsoft"
    return {"/translate": "libre", "/m": "google", "/get": "mymemory",
            "/v2/translate": "deepl", "/translate/v2/translate": "yandex",
            "/v1/chat/completions": "llm"}.get(path, "unknown")


def _params(query: dict[str, list[str]], body: bytes, headers: Any) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[0] for k, v in query.items()}
    if body and "json" in (headers.get("Content-Type") or ""):
        loaded = json.loads(body)
        if isinstance(loaded, dict):
            params.update(loaded)
        else:
            params["items"] = loaded
    elif body:
        params.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
    return params


def answer(route: str, query: dict[str, list[str]], body: bytes, headers: Any,
           behaviour: str, server: FakeMTServer) -> tuple[int, bytes, str]:
    params = _params(query, body, headers)

    def tr(text: str, source: str, target: str) -> str:
        with server._lock:
            server.texts.append(text)
        out = fake_translate(text, source, target)
        return {"mangle": mangle, "strip": strip_tags}.get(behaviour, str)(out)

    if route == "libre":
        text = tr(params["q"], params["source"], params["target"])
        return 200, json.dumps({"translatedText": text}).encode(), "application/json"
    if route == "google":
        text = html.escape(tr(params["q"], params["sl"], params["tl"]))
        page = f'<html><body><div class="result-container">{text}</div></body></html>'
        return 200, page.encode(), "text/html; charset=utf-8"
    if route == "mymemory":
        source, target = params["langpair"].split("|")
        data = {"responseData": {"translatedText": tr(params["q"], source, target)},
                "matches": []}
        return 200, json.dumps(data).encode(), "application/json"
    if route == "microsoft":
        items = [{"translations": [{"text": tr(i["text"], params["from"], params["to"]),
                                    "to": params["to"]}]} for i in params["items"]]
        return 200, json.dumps(items).encode(), "application/json"
    if route == "deepl":
        if not (headers.get("Authorization") or "").startswith("DeepL-Auth-Key "):
            return 403, b'{"message": "Forbidden"}', "application/json"
        out = [{"text": tr(t, params["source_lang"].lower(), params["target_lang"].lower()),
                "detected_source_language": params["source_lang"]} for t in params["text"]]
        return 200, json.dumps({"translations": out}).encode(), "application/json"
    if route == "yandex":
        if not (headers.get("Authorization") or "").startswith("Api-Key "):
            return 401, b'{"message": "Unauthenticated"}', "application/json"
        out = [{"text": tr(t, params["sourceLanguageCode"], params["targetLanguageCode"])}
               for t in params["texts"]]
        return 200, json.dumps({"translations": out}).encode(), "application/json"
    if route == "llm":
        with server._lock:
            server.prompts.extend(m["content"] for m in params.get("messages", [])[:1]
                                  if m.get("role") == "system")
        return _chat(params, headers, behaviour, tr)
    return 404, b'{"error": "not found"}', "application/json"


CHAT_LANGUAGES = {"Russian": "ru", "English": "en"}


def _chat(params: dict[str, Any], headers: Any, behaviour: str,
          tr: Any) -> tuple[int, bytes, str]:
    """The documented chat-completions answer: a ``chat.completion`` whose one choice's
    message content is the JSON the system message asked for."""
    if not (headers.get("Authorization") or "").startswith("Bearer "):
        error = {"error": {"message": "Incorrect API key provided", "type":
                           "invalid_request_error", "code": "invalid_api_key"}}
        return 401, json.dumps(error).encode(), "application/json"
    messages = params["messages"]
    found = re.search(r"from (\w+) into (\w+)", messages[0]["content"])
    source, target = (CHAT_LANGUAGES[found.group(k)] for k in (1, 2)) if found else ("ru", "en")
    segments = json.loads(messages[-1]["content"])["segments"]
    out = [{"id": s["id"], "text": tr(s["text"], source, target)} for s in segments]
    if behaviour == "dropone":
        out = out[:-1]
    content = "Sure! Here it is:" if behaviour == "badjson" else json.dumps(
        {"translations": out}, ensure_ascii=False)
    completion = {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": params.get("model", ""),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    return 200, json.dumps(completion).encode(), "application/json"


def main() -> None:
    """``python tests/fakes/mt_server.py --delay 0.02 [--die-after N]``: serve until stdin
    closes.

    Prints the base URL on the first line, so a benchmark can run the fake in its own process
    (its own core and GIL) instead of sharing the measured process.
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--die-after", type=int, default=None,
                        help="answer this many requests, then be gone")
    args = parser.parse_args()
    with FakeMTServer(delay=args.delay) as server:
        if args.die_after is not None:
            server.die_after(args.die_after)
        print(server.url, flush=True)
        sys.stdin.read()
        print(server.total_requests, flush=True)


if __name__ == "__main__":
    main()
