"""IAIM press room: render translated brochures and handouts into print-ready PDFs."""

__version__ = "0.1.0"
