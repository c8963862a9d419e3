"""Voice-demo: an Alexa skill backend for social-care and training demos."""

__version__ = "0.1.0"
