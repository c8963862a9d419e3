"""The Alexa boundary: envelopes, Turn and Reply, dispatch and rendering, the builder."""
