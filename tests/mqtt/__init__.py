"""A real MQTT broker (Debian's mosquitto) and a fake of AWS IoT's shadow service on it."""
