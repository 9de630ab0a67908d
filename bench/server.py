"""The mock server the benchmarks talk to: `eiam-mock` in its own process,
with its token endpoint and request counters, answering at once or after
a fixed latency."""

from __future__ import annotations

import base64
import json
import ssl
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Mock:
    url: str
    client_id: str
    client_secret: str
    process: subprocess.Popen[str]
    # The CA to trust, when it serves HTTPS (see https.py).
    ca_file: str | None = None

    def _context(self) -> ssl.SSLContext | None:
        return ssl.create_default_context(cafile=self.ca_file) if self.ca_file else None

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url + "/__mock/stats", context=self._context()) as r:
            return json.load(r)  # type: ignore[no-any-return]

    def token(self) -> str:
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        req = urllib.request.Request(
            self.url + "/api/v2/tenant/token",
            data=b"grant_type=client_credentials",
            headers={"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(req, context=self._context()) as r:
            return json.load(r)["access_token"]  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Ends the mock: it exits when its stdin closes."""
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=10)


def start_mock(binary: Path, latency_ms: int = 0, seed: int | None = None,
               flags: tuple[str, ...] = (), ca_file: str | None = None) -> Mock:
    """A mock that answers each API request `latency_ms` late (token and
    admin requests at once); with a `seed`, it issues the same tokens in
    every run; `flags` are more of eiam-mock's, and `ca_file` the file its
    `--https` among them writes."""
    process = subprocess.Popen(
        [str(binary), "--exit-on-stdin-eof", "--latency-ms", str(latency_ms),
         *(["--seed", str(seed)] if seed is not None else []), *flags],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout
    values = dict(process.stdout.readline().strip().split("=", 1) for _ in range(3))
    return Mock(values["EIAM_MOCK_URL"], values["EIAM_MOCK_CLIENT_ID"], values["EIAM_MOCK_CLIENT_SECRET"], process,
                ca_file)
