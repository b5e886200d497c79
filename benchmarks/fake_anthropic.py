"""A fake Anthropic Messages API on 127.0.0.1 for benchmarks (no network, no key).

It answers `POST /v1/messages` after a fixed latency, in the shape the SDK expects. When
the request forces a tool (`tool_choice: {"type": "tool", "name": ...}`) the answer is that
tool call, with an input built from the tool's JSON schema: enum fields get their first
value, `subject`/`body` get a fresh, valid message (plain words, 60-90 words, no dashes,
different on every call so follow-ups never repeat a run of six words). Otherwise the answer
is a text block holding the same message as JSON.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = (
    "garden bakery morning window ledger harbour printer pattern ribbon meadow lantern "
    "orchard pebble canvas copper thistle willow marble saddle velvet compass anchor "
    "cobalt maple tunnel beacon quartz falcon ember juniper cedar summit prairie coral "
    "violet timber harvest glacier river canyon basket kettle pillow hammer mirror").split()


def message_text(rng: random.Random) -> tuple[str, str]:
    def sentence(n: int) -> str:
        words = [rng.choice(WORDS) for _ in range(n)]
        return " ".join(words).capitalize() + "."

    subject = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
    paragraphs = [" ".join(sentence(rng.randint(8, 14)) for _ in range(2)) for _ in range(3)]
    body = "Hi there,\n\n" + "\n\n".join(paragraphs) + "\n\nBest,\nSam"
    return subject, body


class FakeAnthropic:
    """`with FakeAnthropic(latency=0.3) as api: ... api.url ...`; `api.calls` counts.

    In-process (threads): simple, but its JSON work shares the GIL with the client being
    measured. `FakeAnthropicProcess` runs the same server in a child process, as a real
    API would be: use that for timings."""

    def __init__(self, latency: float = 0.3, seed: int = 1) -> None:
        self.latency = latency
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body in two writes: no 40 ms ACK wait

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.calls += 1
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    rng = random.Random(fake._rng.random())
                    n = next(fake._ids)
                time.sleep(fake.latency)
                payload = json.dumps(fake.answer(request, rng, n)).encode()
                with fake._lock:
                    fake.in_flight -= 1
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # the default 5 drops SYNs of a burst: 1 s retransmits

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAnthropic:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _tool_input(schema: dict, rng: random.Random) -> dict:
        subject, body = message_text(rng)
        out: dict = {}
        for name, spec in (schema.get("properties") or {}).items():
            if "enum" in spec:
                out[name] = spec["enum"][0]
            elif name == "subject":
                out[name] = subject
            elif name == "body":
                out[name] = body
            elif spec.get("type") == "boolean":
                out[name] = False
            elif spec.get("type") in ("integer", "number"):
                out[name] = 0
            elif spec.get("type") == "array":
                out[name] = []
            elif spec.get("type") == "string" or "string" in (spec.get("type") or []):
                out[name] = "" if name not in (schema.get("required") or []) else "ok"
            else:
                out[name] = None
        return out

    def answer(self, request: dict, rng: random.Random, n: int) -> dict:
        choice = request.get("tool_choice") or {}
        tools = {t.get("name"): t for t in request.get("tools") or []}
        if choice.get("type") == "tool" and choice.get("name") in tools:
            tool = tools[choice["name"]]
            content = [{"type": "tool_use", "id": f"toolu_{n:08d}", "name": tool["name"],
                        "input": self._tool_input(tool.get("input_schema") or {}, rng)}]
            stop = "tool_use"
        else:
            subject, body = message_text(rng)
            content = [{"type": "text", "text": json.dumps({"subject": subject, "body": body})}]
            stop = "end_turn"
        return {
            "id": f"msg_{n:08d}", "type": "message", "role": "assistant",
            "model": request.get("model", "fake"), "content": content,
            "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": 100, "output_tokens": 100,
                      "cache_creation_input_tokens": 0, "cache_read_input_tokens": 90},
        }


def _serve(latency: float, port_queue, calls, max_in_flight, stop) -> None:
    import os

    os.nice(10)  # a real API runs elsewhere: on a 2-core box, do not compete with the client
    api = FakeAnthropic(latency)
    api.thread.start()
    port_queue.put(api.server.server_address[1])
    while not stop.wait(0.05):
        calls.value, max_in_flight.value = api.calls, api.max_in_flight
    calls.value, max_in_flight.value = api.calls, api.max_in_flight
    api.server.shutdown()


class FakeAnthropicProcess:
    """The fake API in its own process (fork); same interface as FakeAnthropic."""

    def __init__(self, latency: float = 0.3) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self._port = ctx.Queue()
        self._calls, self._max = ctx.Value("i", 0), ctx.Value("i", 0)
        self._stop = ctx.Event()
        self._proc = ctx.Process(target=_serve, daemon=True,
                                 args=(latency, self._port, self._calls, self._max, self._stop))
        self.url = ""

    @property
    def calls(self) -> int:
        return self._calls.value

    @property
    def max_in_flight(self) -> int:
        return self._max.value

    def __enter__(self) -> FakeAnthropicProcess:
        self._proc.start()
        self.url = f"http://127.0.0.1:{self._port.get(timeout=10)}"
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._proc.join(5)
