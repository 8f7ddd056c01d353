from contestflow.db.session import get_engine, session_scope

__all__ = ["get_engine", "session_scope"]
