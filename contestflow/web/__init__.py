"""The web app: departments' upload pages and the coordinator's overview (FastAPI + Jinja2).

Build it with ``contestflow.web.app.create_app()``; run it with ``contestflow serve`` or, in
tests and the demo, ``contestflow.web.server.BackgroundServer``.
"""
