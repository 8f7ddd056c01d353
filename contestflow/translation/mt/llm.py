"""A large language model as an MT provider, through the OpenAI-compatible chat-completions API.

Hosted (OpenAI, and the many services that speak the same API) or self-hosted (vLLM, Ollama,
llama.cpp's server, LM Studio): set by its base URL (the part before ``/chat/completions``,
e.g. ``https://api.openai.com/v1`` or ``http://127.0.0.1:11434/v1``), a model name and a key.

Several segments go in one request, each with an id, and the model must answer with JSON
``{"translations": [{"id": "1", "text": "…"}]}``; an answer that is not that JSON, or misses
a segment, or adds one, is a :class:`BadResponse`, which the dispatcher retries like any
failed request. The system message states the rules: translate, keep every tag such as
``<1>…</1>`` and ``<2/>`` (inline codes and protected glossary terms) exactly once, add
nothing; then the glossary terms of the batch with their required translations, for the
model's context (the terms still travel as placeholders, which the answer must keep).
Timeouts, retries, the breaker, concurrency and the personal-data rule are the dispatcher's,
as for every provider: requests go through ``mt/http.request``, not the ``openai`` client,
whose own retries and timeouts would stack on ours.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from contestflow.translation.mt.base import BadResponse, MTProvider, TermNote
from contestflow.translation.mt.http import request

LANGUAGES = {"ru": "Russian", "en": "English"}
FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
RULES = (
    "You translate segments of an official document of a city administration from {source} "
    "into {target}. The user sends JSON: {{\"segments\": [{{\"id\": ..., \"text\": ...}}]}}. "
    "Answer with JSON only: {{\"translations\": [{{\"id\": ..., \"text\": ...}}]}}, one entry "
    "per segment, the same ids. Keep every tag such as <1>, </1> and <2/> exactly once, "
    "around the words that correspond to the words they enclose in the source; a tag like "
    "<2/> stands for a name or a term that is put in later: keep it where the word belongs. "
    "Do not translate, add, explain or drop anything else; keep numbers, names and addresses "
    "as written."
)
TERMS = (
    "The glossary of the city administration for these segments; its translations are "
    "required. Where a term is a tag, keep the tag: the required translation is put in its "
    "place afterwards, so make the words around it fit that translation. Elsewhere, "
    "translate the term as the glossary says."
)


def glossary_lines(ids: list[str], terms: Sequence[Sequence[TermNote]]) -> str:
    """The system message's glossary part: one line a term, naming its segment and tag."""
    lines = []
    for number, notes in zip(ids, terms, strict=True):
        for note in dict.fromkeys(notes):
            where = f"segment {number}" + (f", tag <{note.tag}/>" if note.tag else "")
            lines.append(f"- {where}: {json.dumps(note.source, ensure_ascii=False)} = "
                         f"{json.dumps(note.target, ensure_ascii=False)}")
    return f"{TERMS}\n" + "\n".join(lines) if lines else ""


class ChatCompletionsProvider(MTProvider):
    name = "llm"
    label = "LLM (chat completions)"
    max_chars = 4_000
    batch_size = 20
    default_concurrency = 2
    default_url = "https://api.openai.com/v1"

    def __init__(self, *, model: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model = model or ""

    def describe(self) -> str:
        return f"{self.model or 'an LLM'} at {self.url}"

    def translate_batch(self, texts: list[str], source: str, target: str,
                        timeout: tuple[float, float]) -> list[str]:
        return self.translate_with_terms(texts, source, target, timeout, [()] * len(texts))

    def translate_with_terms(self, texts: list[str], source: str, target: str,
                             timeout: tuple[float, float],
                             terms: Sequence[Sequence[TermNote]]) -> list[str]:
        ids = [str(number) for number in range(1, len(texts) + 1)]
        segments = [{"id": i, "text": t} for i, t in zip(ids, texts, strict=True)]
        rules = RULES.format(source=LANGUAGES.get(source, source),
                             target=LANGUAGES.get(target, target))
        glossary = glossary_lines(ids, terms)
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": f"{rules}\n\n{glossary}" if glossary else rules},
                {"role": "user", "content": json.dumps({"segments": segments},
                                                       ensure_ascii=False)},
            ],
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        response = request("POST", f"{self.url}/chat/completions", timeout=timeout,
                           label=self.describe(), json=body, headers=headers)
        return self._read(response, ids, texts)

    def _read(self, response: Any, ids: list[str], texts: list[str]) -> list[str]:
        """The translations in order, or BadResponse for anything else."""
        try:
            content = response.json()["choices"][0]["message"]["content"]
            fenced = FENCE.match(content)
            answer = json.loads(fenced.group(1) if fenced else content)
            items = answer["translations"]
            found = {str(item["id"]): item["text"] for item in items}
        except (ValueError, KeyError, TypeError, IndexError):
            raise BadResponse(f"{self.describe()} gave an unusable answer (not the "
                              "translations' JSON)") from None
        if sorted(found) != sorted(ids) or len(items) != len(ids):
            missing = [i for i in ids if i not in found]
            raise BadResponse(f"{self.describe()} answered {len(found)} of {len(ids)} "
                              f"segments (missing: {', '.join(missing) or 'none'})")
        values = [found[i] for i in ids]
        for value, text in zip(values, texts, strict=True):
            if not isinstance(value, str) or (text.strip() and not value.strip()):
                raise BadResponse(f"{self.describe()} returned an empty translation")
        return values
