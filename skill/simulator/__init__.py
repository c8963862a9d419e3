"""An offline Alexa: words in, the real skill's answer out (`voice-demo say`, `voice-demo chat`).

The words are matched against the interaction model (skill/simulator/matcher.py), turned
into the request envelope Alexa would send (envelopes.py) and run (session.py) through the same
skill object the endpoint and Lambda use. Session attributes and dynamic entities carry
over between turns like a real session; device and user state live in the data folder.
"""
