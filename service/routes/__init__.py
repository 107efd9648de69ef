"""The HTTP routes of the application; each reads what it needs from ``app.state``."""
