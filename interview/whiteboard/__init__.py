"""The whiteboard: the Mermaid parser and component kinds, what the model is told, pitfall checks, SVG, canvas."""
