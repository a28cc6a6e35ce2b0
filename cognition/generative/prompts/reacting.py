"""Reaction templates beyond "talk to this person?" (issue 21): waiting for someone, and
changing the current action for an observed event (the paper's burning stove).

Each asks the model one yes/no question (`Caller.choose`: read from its next-token
probabilities where the model gives them, else a one-word JSON answer); what the agent then
does is written by structure (`reacting.py`).
"""

from __future__ import annotations

from cognition.generative.prompts.base import Template

YES_NO = ("yes", "no")

WAIT_TEXT = """{identity}
It is {time}. {first} is about to be {activity} at the {thing}.
{other} is {other_activity} there right now.
Should {first} wait for {other_first} to finish? Answer with one word: yes or no."""

EVENT_TEXT = """{identity}
It is {time}. {first} is {activity}.
{first} notices: {observation}.
What {first} remembers about it:
{memories}
Should {first} stop {activity} to see about it? Answer with one word: yes or no."""

WAIT = Template("react.wait.v1", "react.wait", WAIT_TEXT, None, lambda v: v)
EVENT = Template("react.event.v1", "react.event", EVENT_TEXT, None, lambda v: v)
