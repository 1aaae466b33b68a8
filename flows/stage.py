"""The positions of a conversation in the helpline's script (see `flows.script` for the routes)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    WELCOME = "welcome"
    """What the service is and is not; asks who is writing."""
    STORY = "story"
    """What happened, in the person's own words."""
    SITUATION = "situation"
    """What kind of situation: unequal treatment, insults or violence, access to rights, other."""
    CRITERION = "criterion"
    """Why it happened, in the law's sense: suggested grounds, or another, or I don't know."""
    FAMILY = "family"
    """Another reason: the groups of grounds, as plain words."""
    FAMILY_CRITERION = "family_criterion"
    """The precise ground within the chosen group."""
    DOMAIN = "domain"
    """Where in life it happened: work, housing, school, health, shops, administrations…"""
    CONFIRM = "confirm"
    """What we understood, to confirm or correct."""
    COMMUNE = "commune"
    """In which town it happened."""
    NEEDS = "needs"
    """What the person needs: listening, information, orientation, acting."""
    INFO = "info"
    """A short first-information card: the law, evidence, time limits, not legal advice."""
    THANKS = "thanks"
    """Scenario 2: thanks to the witness and why recording the situation matters."""
    PARTNERS = "partners"
    """Who can help, with contacts and hours."""
    FOLLOWUP = "followup"
    """Offered when the directory is not enough (complex situation, need to act, professional,
    no partner): may a member of the team follow it up?"""
    CONSENT = "consent"
    """May we keep the description (without personal details) in the anonymous record?"""
    CLOSED = "closed"
    """The recap was sent and the record written; the person may start again or erase."""
    LANGUAGE = "language"
    """Choosing the language (an aside: returns to where the person was)."""
    ERASE = "erase"
    """Confirming the erasure of everything kept (an aside)."""


ASIDES = frozenset({Stage.LANGUAGE, Stage.ERASE})
"""Stages that interrupt the script and return to the stage the person came from."""
