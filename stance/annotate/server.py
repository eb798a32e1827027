"""The Flask app behind ``stance annotate``: a static page and a small JSON API.

Routes: ``GET /`` (the page), ``/static/...`` (its script and style, served
from the package: nothing is fetched from elsewhere), ``GET /api/config``,
``GET /api/next``, ``GET /api/item/<id>``, ``GET /api/progress``,
``POST /api/decide``, ``POST /api/skip``, ``POST /api/clear``.

Every POST must be JSON and carry the session token (``X-Stance-Token``,
embedded in the page), so another web site open in the same browser cannot
post decisions; the Host header must name the address the server is bound
to (no DNS rebinding).  A request that breaks the record contract gets a 400
with a one-line message and changes nothing; a decision made on an outdated
view of a sentence gets a 409.
"""

from __future__ import annotations

import secrets
import threading
from importlib import resources
from pathlib import Path

from flask import Flask, Response, abort, jsonify, request
from werkzeug.serving import make_server

from ._engine import StanceError
from .session import RequestError, Session
from .store import Conflict

STATIC = Path(str(resources.files(__package__) / "static"))


def create_app(session: Session, token: str | None = None) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config["TOKEN"] = token or secrets.token_urlsafe(24)
    app.config["ALLOWED_HOSTS"] = None  # set by serve() once the port is known
    app.config["SESSION"] = session

    @app.before_request
    def _check():
        allowed = app.config["ALLOWED_HOSTS"]
        if allowed is not None and request.host not in allowed:
            abort(Response(f"unexpected Host header {request.host!r}", 403, mimetype="text/plain"))
        if request.method == "POST":
            if request.headers.get("X-Stance-Token") != app.config["TOKEN"]:
                return jsonify(error="missing or wrong session token; reload the page"), 403
            if not request.is_json:
                return jsonify(error="expected a JSON body (Content-Type: application/json)"), 400

    @app.after_request
    def _headers(resp):
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'")
        return resp

    @app.errorhandler(RequestError)
    def _bad(exc):
        return jsonify(error=str(exc)), 400

    @app.errorhandler(Conflict)
    def _conflict(exc):
        return jsonify(error=str(exc)), 409

    @app.errorhandler(StanceError)
    def _failed(exc):
        return jsonify(error=str(exc)), 400

    def body() -> dict:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise RequestError("expected a JSON object")
        return data

    @app.get("/")
    def index():
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        return Response(html.replace("__STANCE_TOKEN__", app.config["TOKEN"]),
                        mimetype="text/html")

    @app.get("/api/config")
    def config():
        return jsonify(session.config())

    @app.get("/api/progress")
    def progress():
        return jsonify(session.progress())

    @app.get("/api/next")
    def next_item():
        exclude = [s for s in request.args.get("exclude", "").split(",") if s]
        sid = session.next_id(exclude)
        return jsonify(item=session.item(sid) if sid else None, progress=session.progress())

    @app.get("/api/item/<path:sid>")
    def item(sid):
        return jsonify(item=session.item(sid), progress=session.progress())

    @app.post("/api/decide")
    def decide():
        return jsonify(session.decide(body()))

    @app.post("/api/skip")
    def skip():
        return jsonify(session.act(body(), "skip"))

    @app.post("/api/clear")
    def clear():
        return jsonify(session.act(body(), "clear"))

    return app


class Server:
    """A threaded WSGI server for the app in a background thread (``start``/``stop``)."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 8765) -> None:
        try:
            self._srv = make_server(host, port, app, threaded=True)
        except OSError as exc:
            raise StanceError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        self.host, self.port = host, self._srv.server_port
        shown = f"[{host}]" if ":" in host else host
        names = {f"{shown}:{self.port}"}
        if host in ("127.0.0.1", "::1", "localhost"):
            names |= {f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}
        app.config["ALLOWED_HOSTS"] = None if host in ("0.0.0.0", "::") else names
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{self.port}/"
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self._srv.serve_forever()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._srv.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._srv.shutdown()
        self._srv.server_close()
