"""The one error of figure rendering, raised by the in-process renderer (app/export/render.py) and by the render
helper's client (app/export/render_helper.py) alike: callers catch it without importing either."""


class RenderError(RuntimeError):
    """The browser could not render a figure (no Chromium, or plotly.js failed); the message says which."""
