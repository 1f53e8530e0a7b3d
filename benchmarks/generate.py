"""Write a synthetic but realistic casefile, for benchmarks and tests at scale.

    python benchmarks/generate.py OUT_FOLDER --records N [--seed S] [--force]

or, from Python, ``generate(folder, records, seed)``, which returns how many
records of each kind it wrote.

The records read like the bundled case: people with roles in organizations,
meetings between them on dates of every precision whomet accepts, statements
that deny, confirm or amend those meetings, and the sources that report it all.
A few people and organizations are picked far more often than the rest, as in
real reporting, so that some records have hundreds of links.

Files are written as TOML text built with string formatting: validating a
pydantic model per record would cost more than everything else put together.
So that the result still loads with no problems, every reference is taken from
the records already generated (sources and organizations first, then people,
meetings, statements), and every date is built from a real calendar date.
The output depends only on the seed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from random import Random
from typing import Any, NamedTuple, get_args

try:
    from whomet.model.records import (
        KINDS, STANCES, MeetingKind, MeetingStatus, OrganizationKind, SourceKind, StatementSetting,
    )
except ModuleNotFoundError:  # run from a checkout in which whomet is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from whomet.model.records import (
        KINDS, STANCES, MeetingKind, MeetingStatus, OrganizationKind, SourceKind, StatementSetting,
    )

MIX: dict[str, float] = {
    "person": 0.10, "organization": 0.05, "meeting": 0.40, "statement": 0.35, "source": 0.10,
}
"""The share of each kind in a generated casefile."""

ORDER = ("source", "organization", "person", "meeting", "statement")
"""The order kinds are generated in: each refers only to kinds generated before it."""


# --------------------------------------------------------------------------- choices

def _weighted(weights: Mapping[Any, int]) -> tuple[Any, ...]:
    """Each value repeated by its weight, so that ``rng.choice`` picks by weight, and fast."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


def _allowed(literal: Any, weights: Mapping[str, int]) -> tuple[str, ...]:
    """The values a model's Literal allows, weighted; a value new to the model gets weight 1.

    Taking the values from the model keeps the generator from writing one the model
    no longer accepts.
    """
    return _weighted({value: weights.get(value, 1) for value in get_args(literal)})


ORGANIZATION_TYPES = _allowed(OrganizationKind, {
    "public body": 10, "legislature": 3, "committee": 10, "embassy": 18, "government": 5,
    "campaign": 5, "political party": 4, "company": 15, "law firm": 6, "bank": 5,
    "think tank": 7, "news organization": 8, "club": 2, "venue": 4, "other": 3,
})
MEETING_TYPES = _allowed(MeetingKind, {
    "in person": 30, "dinner": 10, "reception": 8, "roundtable": 6, "speech": 5, "rally": 3,
    "call": 12, "correspondence": 5, "hearing": 5, "series": 4, "event": 4, "other": 2,
})
MEETING_STATUSES = _allowed(MeetingStatus, {"confirmed": 12, "alleged": 5, "disputed": 3})
STATEMENT_SETTINGS = _allowed(StatementSetting, {
    "hearing": 8, "testimony": 5, "press conference": 6, "written statement": 6, "interview": 12,
    "speech": 3, "letter": 3, "press briefing": 4, "remarks": 5, "filing": 2, "social media": 4,
    "other": 2,
})
SOURCE_TYPES = _allowed(SourceKind, {
    "article": 55, "transcript": 10, "letter": 5, "filing": 6, "report": 8, "broadcast": 6,
    "statement": 5, "document": 4, "other": 1,
})
STANCE_CHOICES = _weighted({stance: {"denies": 4, "confirms": 3, "amends": 2, "mentions": 3}.get(stance, 1)
                            for stance in STANCES})
UNDER_OATH = {"hearing": 0.6, "testimony": 0.95, "filing": 0.4}
"""How likely a statement in each setting is to be made under oath (otherwise never)."""
ASKED = {"hearing": 0.7, "testimony": 0.6, "interview": 0.6, "press conference": 0.5,
         "press briefing": 0.6, "remarks": 0.3}
"""How likely a statement in each setting is to answer a question (otherwise rarely)."""

PARTICIPANT_COUNTS = _weighted({2: 35, 3: 30, 4: 18, 5: 10, 6: 7})
ROLE_COUNTS = _weighted({0: 20, 1: 40, 2: 28, 3: 12})
ABOUT_COUNTS = _weighted({0: 15, 1: 50, 2: 25, 3: 10})
AUTHOR_COUNTS = {"article": _weighted({1: 60, 2: 30, 3: 10}), "broadcast": (0, 1), "report": (0, 1, 2)}


# --------------------------------------------------------------------------- words

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Nancy", "Mark", "Laura", "Sergey", "Elena", "Dmitri", "Olga",
    "Andrei", "Natalia", "Hans", "Ingrid", "Jürgen", "Élodie", "François", "Giulia", "Marco",
    "Yuki", "Hiroshi", "Priya", "Arjun", "Ana", "José", "Lucía", "Aisha", "Omar", "Kwame", "Zoë",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "García", "Rodríguez",
    "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Ivanov", "Petrova", "Sokolov",
    "Kuznetsov", "Müller", "Schmidt", "Weber", "Dubois", "Lefèvre", "Rossi", "Bianchi", "Tanaka",
    "Suzuki", "Patel", "Sharma", "Kowalski", "Nowak", "O'Brien", "van der Berg", "Okafor",
    "Haddad", "Cohen", "Popescu",
)
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"

COUNTRIES = (
    # (country, nationality, capital)
    ("United States", "American", "Washington"), ("Russia", "Russian", "Moscow"),
    ("Germany", "German", "Berlin"), ("Bulgaria", "Bulgarian", "Sofia"),
    ("Australia", "Australian", "Canberra"), ("Canada", "Canadian", "Ottawa"),
    ("Ukraine", "Ukrainian", "Kyiv"), ("United Kingdom", "British", "London"),
    ("France", "French", "Paris"), ("Japan", "Japanese", "Tokyo"), ("India", "Indian", "New Delhi"),
    ("Brazil", "Brazilian", "Brasília"), ("Mexico", "Mexican", "Mexico City"),
    ("Turkey", "Turkish", "Ankara"), ("Israel", "Israeli", "Jerusalem"),
    ("Poland", "Polish", "Warsaw"), ("Italy", "Italian", "Rome"),
    ("South Korea", "South Korean", "Seoul"), ("Norway", "Norwegian", "Oslo"),
    ("Cyprus", "Cypriot", "Nicosia"), ("Latvia", "Latvian", "Riga"),
    ("Singapore", "Singaporean", "Singapore"), ("Hungary", "Hungarian", "Budapest"),
    ("Côte d'Ivoire", "Ivorian", "Yamoussoukro"),
)
NATIONALITY = {country: nationality for country, nationality, _ in COUNTRIES}
HOME = COUNTRIES[0]
"""The country of most people and organizations, as in a case about one country's politics."""

CITIES = (
    "Washington", "New York", "Cleveland", "Philadelphia", "Moscow", "London", "Vienna", "Berlin",
    "Paris", "Kyiv", "Istanbul", "Geneva", "Mobile", "Palm Beach", "Seychelles", "Prague",
    "Tallinn", "Trump Tower, New York", "Alexandria, Virginia", "Sterling, Virginia",
)
VENUES = (
    "Mayflower Hotel", "Metropolitan Club", "Willard Hotel", "Hay-Adams Hotel", "Four Seasons",
    "Union Station", "Capitol Hill Club", "Ritz-Carlton", "Russell Senate Office Building",
    "Rayburn House Office Building", "convention center", "ambassador's residence",
    "embassy", "Cosmos Club", "Army and Navy Club", "Hart Senate Office Building", "golf club",
    "campaign headquarters", "private residence", "hotel bar",
)
WORDS = (
    "Aurora", "Meridian", "Northbridge", "Caspian", "Summit", "Keystone", "Baltic", "Atlas",
    "Pioneer", "Harbor", "Silverline", "Granite", "Orion", "Sterling", "Crescent", "Vanguard",
    "Polaris", "Ironwood", "Bluewater", "Redstone", "Hudson", "Potomac", "Liberty", "Beacon",
)
SECTORS = ("Energy", "Capital", "Resources", "Systems", "Logistics", "Media", "Consulting",
           "Technologies", "Shipping", "Steel", "Pharma", "Strategies")
COMPANY_SUFFIXES = ("", "", " Group", " Holdings", " Inc.", " LLC", " AG", " PLC", " S.A.")
MINISTRIES = ("Energy", "Commerce", "Defense", "Justice", "Foreign Affairs", "Finance", "Trade",
              "Homeland Security", "Transportation")
TOPICS = ("Energy", "Commerce", "Defense", "Justice", "Foreign Affairs", "Finance", "Trade",
          "Homeland Security", "Intelligence", "Armed Services", "Foreign Relations", "Ethics",
          "the Judiciary", "Oversight", "Appropriations", "Veterans' Affairs")
STUDIES = ("Strategic Studies", "the National Interest", "Security Policy", "Eurasian Affairs",
           "Democracy", "Global Energy", "Transatlantic Relations", "Public Integrity")
PAPERS = ("Herald", "Gazette", "Courier", "Tribune", "Post", "Chronicle", "Ledger", "Dispatch",
          "Observer", "Review", "Journal", "Wire", "Daily", "Times")
SUBSIDIARY_TYPES = frozenset(("company", "bank", "news organization", "think tank", "other"))
PARTY_ADJECTIVES = ("Democratic", "Liberal", "Conservative", "Progressive", "Social Democratic",
                    "Green", "People's", "Republican", "National", "Civic")
OCCUPATIONS = ("diplomat", "lobbyist", "campaign adviser", "senator", "businessman",
               "journalist", "lawyer", "banker", "former intelligence officer",
               "think-tank scholar", "congressman", "political consultant", "retired general",
               "press secretary", "fund manager")
PERSON_CLAUSES = (
    "Named in several press reports on the 2016 campaign.",
    "Testified before Congress in 2017.",
    "Has given differing accounts of the meetings.",
    "Described by colleagues as a frequent intermediary.",
    "Declined to comment on the reports.",
    "Attended several events during the campaign.",
    "Their role in the transition is disputed.",
    "Appears in the intelligence community's assessment.",
    "",
)
ALIAS_TITLES = ("Ambassador", "Senator", "Dr.", "General", "Minister", "Judge")

ROLE_TITLES: dict[str, tuple[str, ...]] = {
    # {org} is the organization's name, as written in its file.
    "embassy": ("Ambassador at the {org}", "Deputy chief of mission at the {org}",
                "Press attaché at the {org}", "Defence attaché at the {org}"),
    "legislature": ("Member of the {org}", "Majority leader of the {org}", "Chief of staff to a member of the {org}"),
    "committee": ("Member of the {org}", "Chairman of the {org}", "Ranking member of the {org}",
                  "Counsel to the {org}"),
    "public body": ("Head of the {org}", "Deputy director of the {org}", "Spokesperson for the {org}"),
    "government": ("Minister in the {org}", "Adviser to the {org}", "Envoy of the {org}"),
    "campaign": ("Foreign-policy adviser to {org}", "Chairman of {org}", "Communications director of {org}",
                 "Surrogate for {org}"),
    "political party": ("Chairman of the {org}", "Treasurer of the {org}", "Member of the {org}"),
    "company": ("Chief executive of {org}", "Board member of {org}", "Vice-president of {org}"),
    "law firm": ("Partner at {org}", "Of counsel at {org}"),
    "bank": ("Chairman of {org}", "Chief executive of {org}", "Board member of {org}"),
    "think tank": ("President of the {org}", "Senior fellow at the {org}", "Board member of the {org}"),
    "news organization": ("Correspondent for {org}", "Editor at {org}", "Anchor at {org}"),
    "club": ("Member of the {org}",),
    "venue": ("Manager of the {org}",),
    "other": ("Director of {org}", "Adviser to {org}", "Member of {org}"),
}
FREE_ROLE_TITLES = ("Independent consultant", "Author", "Private investor", "Informal adviser")
PERSON_CAPACITIES = ("in a personal capacity", "as a private citizen", "as a campaign surrogate",
                     "as an old friend", "as a member of the delegation")
ORG_CAPACITIES = ("as host", "as organizer", "represented by its staff", "as sponsor")

MEETING_TITLES: dict[str, tuple[str, ...]] = {
    # {a} and {b}: the first two participants; {venue}, {city}: where.
    "in person": ("{a} meets {b}", "{a} meets {b} at the {venue}", "{a} and {b} meet in {city}"),
    "dinner": ("Dinner with {a} and {b} at the {venue}", "{a} hosts {b} for dinner"),
    "reception": ("{a} and {b} at a reception at the {venue}", "{a} greets {b} at a reception"),
    "roundtable": ("Roundtable with {a}, {b} and others", "{a} joins a roundtable with {b}"),
    "speech": ("{a} speech at the {venue}, attended by {b}", "{b} hears {a} speak in {city}"),
    "rally": ("{a} rally in {city}", "{a} and {b} at a rally in {city}"),
    "call": ("{a} speaks with {b} by telephone", "Phone call between {a} and {b}"),
    "correspondence": ("{a} writes to {b}", "Letters between {a} and {b}"),
    "hearing": ("{b} questions {a} at a hearing", "{a} before {b}"),
    "series": ("{a}'s meetings with {b}", "Series of meetings between {a} and {b}"),
    "event": ("{a} and {b} at an event in {city}", "{a} and {b} attend a conference in {city}"),
    "other": ("Contact between {a} and {b}", "{a} and {b} in contact"),
}
MEETING_VERBS: dict[str, tuple[str, str]] = {
    # (the verb with its object, as in "A met with B"; the verb for both, as in "A and B met")
    "in person": ("met with", "met"), "dinner": ("dined with", "had dinner"),
    "reception": ("spoke with", "spoke at a reception"),
    "roundtable": ("sat at a roundtable with", "joined a roundtable"),
    "speech": ("attended a speech with", "attended a speech"),
    "rally": ("appeared at a rally with", "appeared at a rally"),
    "call": ("spoke by telephone with", "spoke by telephone"),
    "correspondence": ("exchanged letters with", "exchanged letters"),
    "hearing": ("was questioned by", "faced each other at a hearing"),
    "series": ("met repeatedly with", "met several times"),
    "event": ("attended an event with", "attended the same event"),
    "other": ("was in contact with", "were in contact"),
}
WITNESSES = ("two people familiar with the meeting", "a Justice Department official",
             "records reviewed by the newspaper", "his spokeswoman", "a former official",
             "the list provided by his office", "people briefed on the conversation",
             "current and former officials", "a White House official", "court filings")
STATUS_SENTENCES = {
    "confirmed": ("Both sides have confirmed it.", "{a}'s office confirmed the meeting.",
                  "The meeting appears on {a}'s official schedule."),
    "alleged": ("Neither side has confirmed it.", "It is described in an unverified dossier.",
                "Reported by a single source; {a} did not respond."),
    "disputed": ("{a} denies that it took place.", "{a} and {b} give different accounts of it.",
                 "{a}'s office calls the report false."),
}
SUBJECTS_DISCUSSED = ("sanctions", "the campaign", "policy toward Ukraine", "an energy deal",
                      "the election", "a possible visit to Moscow", "the transition",
                      "foreign policy", "the candidate's speech", "arms control")

# The parts of a sentence in a quote: every subject agrees with every verb, as all are past tense.
OPENERS = ("", "", "", "Let me be clear: ", "Frankly, ", "As I have said before, ",
           "To the best of my recollection, ", "I want to be very clear that ", "In all honesty, ",
           "Look, ")
SUBJECTS = ("I", "we", "the campaign", "my staff", "my office",
            "the ambassador", "the committee", "our team", "the administration", "my colleagues")
VERBS = ("never discussed", "did not discuss", "knew nothing about", "raised", "may have mentioned",
         "had no role in", "never agreed to", "spoke openly about", "did not hide",
         "heard nothing about", "never sought")
OBJECTS = ("the campaign", "sanctions", "the election", "policy toward Ukraine",
           "any of those activities", "the pipeline deal", "a private channel", "the dossier",
           "the transition", "the ambassador's request", "foreign policy", "the hacked emails",
           "a meeting in Moscow", "the embassy's invitation", "the speech", "the investigation")
TAILS = ("", " at that meeting", " with anyone", " in any way", " at the time",
         " during the campaign", " that evening", ", as far as I know", " before the inauguration",
         " in my Senate office", ", and I stand by that", " with any foreign official")
STANCE_SENTENCES = {
    "denies": ("I did not meet with {b} during the campaign.", "I never had any communications with {b}.",
               "I have no recollection of meeting {b}.", "There was no meeting with {b}, period.",
               "I didn't have—did not have any contact with {b}."),
    "confirms": ("Yes, I met {b}; it was a short, ordinary conversation.",
                 "I did meet with {b}, as I have said before.",
                 "We spoke with {b}, and there was nothing improper about it."),
    "amends": ("I should have said that I met {b} twice.",
               "In retrospect, I should have mentioned my conversation with {b}.",
               "My earlier answer was incomplete: I did speak with {b}."),
    "mentions": ("{b} was there, along with many others.", "I recall that {b} was present.",
                 "The subject of {b} came up only in passing."),
}
QUESTIONS = ("Did you have any contact with {b} during the campaign?",
             "whether he “communicated with the Russian government”",
             "Have you ever discussed {object} with {b}?",
             "Can you tell the committee when you last spoke with {b}?",
             "whether anyone on the campaign discussed {object}",
             "Did you meet {b} at the {venue}?")
STATEMENT_SUMMARIES = ("Later contradicted by press reports.", "Said unprompted, beyond the question asked.",
                       "Repeated in a later interview.", "Corrected in a letter to the committee.",
                       "The first public account of the meeting.", "Made before the meeting was reported.")
SPEECH_VERBS = ("denied discussing", "acknowledged discussing", "played down",
                "said nothing about", "refused to discuss")

OUTLETS_EXTRA = ("Meridian Wire", "Capitol Report", "Global Affairs Weekly", "Beacon News",
                 "Channel 7 News", "Radio Liberty Today")
PUBLISHERS_OFFICIAL = {
    "transcript": ("Congressional Record", "Senate Judiciary Committee", "Federal News Service"),
    "filing": ("U.S. District Court for the District of Columbia", "U.S. District Court for the "
               "Southern District of New York", "U.S. Court of Appeals for the Fourth Circuit"),
    "report": ("Office of the Inspector General", "Senate Select Committee on Intelligence",
               "Special Counsel's Office", "Government Accountability Office"),
    "letter": ("Office of Senator {last}", "Department of Justice", "House Oversight Committee"),
    "statement": ("Office of Senator {last}", "Embassy of {country}", "White House Press Office"),
    "document": ("National Archives", "FBI Vault", "State Department FOIA Reading Room"),
}
HEADLINES: dict[str, tuple[str, ...]] = {
    "article": ("{a} met {b} twice during the campaign, officials say",
                "{a} spoke with {b} before the election",
                "What {a} said about {b}, and when",
                "Questions grow over {a}'s contacts with {b}",
                "{a} adviser met {b} in {city}",
                "Why did {a} really meet {b}?",
                "The big question about {a} and {topic}"),
    "transcript": ("Transcript: hearing on {topic} with {a}", "Full transcript of {a}'s testimony"),
    "letter": ("Letter from {a} to {b} on {topic}", "{a}'s letter to the committee"),
    "filing": ("United States v. {b_last}: statement of the offense", "Motion to dismiss in United States v. {b_last}"),
    "report": ("Report on {topic}", "Findings on {a}'s contacts with {b}"),
    "broadcast": ("{a} interviewed on {topic}", "Sunday interview with {a}"),
    "statement": ("Statement by {a} on {topic}", "{a} responds to reports about {b}"),
    "document": ("Memorandum on {topic}", "Schedule of {a}'s meetings, {year}"),
    "other": ("Notes on {a} and {b}",),
}
SOURCE_SUMMARIES = ("Reports the meetings and the denials that preceded them.",
                    "Cites officials who spoke on condition of anonymity.",
                    "The first account of the contacts to be published.",
                    "Lists the meetings by date, as provided by the senator's office.",
                    "Quotes the testimony at length.")
ID_STOPWORDS = frozenset(("the", "a", "an", "of", "on", "and", "to", "with", "in", "at", "s",
                          "what", "about", "when", "why", "did", "really", "by", "for"))


# --------------------------------------------------------------------------- text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

# TOML basic strings: backslash and double quote escaped, every control character as \uXXXX
# (tab and newline included, though TOML has short forms for them: one rule is simpler).
_TOML_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)}
_TOML_ESCAPES[ord("\\")] = "\\\\"
_TOML_ESCAPES[ord('"')] = '\\"'


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, quotes included."""
    return '"' + text.translate(_TOML_ESCAPES) + '"'


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_string(item) for item in items) + "]"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``text`` as id material: accents dropped, anything but letters and digits a single hyphen."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", plain.lower()).strip("-")


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


ARTICLE_TYPES = frozenset(("embassy", "committee", "public body", "legislature", "government"))
ARTICLE_WORDS = ("Center ", "Institute ", "Bank of ", "Friends ")


def _in_prose(name: str, kind: str) -> str:
    """An organization's name as a sentence uses it: "the Embassy of X", but "Aurora Energy"."""
    if not name.startswith("The ") and (kind in ARTICLE_TYPES or name.startswith(ARTICLE_WORDS)):
        return "the " + name
    return name


def _decapitalize(text: str) -> str:
    """"Ambassador of X" → "ambassador of X", but an acronym such as "FBI agent" is kept."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# --------------------------------------------------------------------------- dates

FIRST_DAY = date(2008, 1, 1).toordinal()
LAST_MEETING_DAY = date(2022, 12, 31).toordinal()
LAST_DAY = date(2024, 12, 31).toordinal()
ROLES_FROM = date(1995, 1, 1).toordinal()

# Date forms as (shape, qualifier): shape "day", "month" or "year" for a point, "days" or
# "months" for an interval; qualifier "~" approximate, "?" uncertain, "%" both.
MEETING_DATE_FORMS = _weighted({
    ("day", ""): 38, ("month", ""): 20, ("year", ""): 4, ("days", ""): 10, ("months", ""): 4,
    ("day", "~"): 5, ("month", "~"): 7, ("year", "~"): 1, ("day", "?"): 4, ("month", "?"): 4,
    ("month", "%"): 2, ("months", "~"): 2,
})
STATEMENT_DATE_FORMS = _weighted({("day", ""): 88, ("month", ""): 6, ("day", "~"): 4, ("day", "?"): 2})
SOURCE_DATE_FORMS = _weighted({("day", ""): 85, ("month", ""): 12, ("year", ""): 3})
ROLE_DATE_FORMS = _weighted({("day", ""): 35, ("month", ""): 30, ("year", ""): 35})
QUALIFIED_TEXT = {"": "{}", "~": "around {}", "?": "{} (uncertain)", "%": "perhaps around {}"}


def _day_text(day: date, american: bool) -> str:
    if american:
        return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def fuzzy_date(rng: Random, day: date, form: tuple[str, str]) -> tuple[str, str, str]:
    """A date in ``form`` that starts on or before ``day``.

    Returns the EDTF text, the date as a reader would write it, and the date part of
    an id. An interval's end is always after its start, so it never runs backwards.
    """
    shape, qualifier = form
    year, month = day.year, day.month
    yyyy_mm = f"{year:04d}-{month:02d}"
    if shape == "day":
        edtf, text, prefix = day.isoformat(), _day_text(day, rng.random() < 0.3), day.isoformat()
    elif shape == "month":
        edtf, text, prefix = yyyy_mm, f"{MONTHS[month - 1]} {year}", yyyy_mm
    elif shape == "year":
        edtf = prefix = f"{year:04d}"
        text = str(year) if qualifier or rng.random() < 0.5 else f"sometime in {year}"
    elif shape == "days":
        end = date.fromordinal(day.toordinal() + 1 + int(rng.random() * 20))
        edtf = f"{day.isoformat()}{qualifier}/{end.isoformat()}{qualifier}"
        if end.month == month:
            text = f"{day.day}–{end.day} {MONTHS[month - 1]} {year}"
        elif end.year == year:
            text = f"{day.day} {MONTHS[month - 1]} – {end.day} {MONTHS[end.month - 1]} {year}"
        else:
            text = f"{_day_text(day, False)} – {_day_text(end, False)}"
        return edtf, QUALIFIED_TEXT[qualifier].format(text), yyyy_mm
    else:  # "months"
        end_year, end_month = _add_months(year, month, 1 + int(rng.random() * 5))
        edtf = f"{yyyy_mm}{qualifier}/{end_year:04d}-{end_month:02d}{qualifier}"
        if end_year == year:
            text = f"{MONTHS[month - 1]}–{MONTHS[end_month - 1]} {year}"
        else:
            text = f"{MONTHS[month - 1]} {year} – {MONTHS[end_month - 1]} {end_year}"
        return edtf, QUALIFIED_TEXT[qualifier].format(text), f"{year:04d}"
    return edtf + qualifier, QUALIFIED_TEXT[qualifier].format(text), prefix


# --------------------------------------------------------------------------- the generator

class Party(NamedTuple):
    """A person or organization as meetings and statements use it."""

    id: str
    tag: str
    """What stands for it in the id of a meeting or statement: a person's last name, slugged."""
    short: str
    """What a headline calls it: a person's last name, an organization's name."""
    name: str
    """What a sentence calls it: a person's full name, an organization's, with "the" if it takes one."""
    capacities: tuple[str, ...]
    is_person: bool


class Organization(NamedTuple):
    party: Party
    name: str
    """The name as written in its file, without the "the" a sentence may need."""
    type: str
    country: str


class Meeting(NamedTuple):
    id: str
    day: int
    """The ordinal of a day on or after the meeting's start, for dating statements about it."""
    parties: list[Party]
    venue: str


def plan(records: int) -> dict[str, int]:
    """How many records of each kind make ``records``: the mix of ``MIX``, at least one of each."""
    if records < len(MIX):
        raise ValueError(f"a casefile needs at least {len(MIX)} records, one of each kind, not {records}")
    exact = {kind: records * share for kind, share in MIX.items()}
    counts = {kind: max(1, int(value)) for kind, value in exact.items()}
    # Rounding down leaves up to one record per kind over: give them to the kinds that
    # lost the largest fractions. Raising a kind to one may instead have given too many.
    by_fraction = sorted(MIX, key=lambda kind: exact[kind] - int(exact[kind]), reverse=True)
    for i in range(records - sum(counts.values())):
        counts[by_fraction[i % len(by_fraction)]] += 1
    while sum(counts.values()) > records:
        counts[max(counts, key=counts.__getitem__)] -= 1
    return counts


class _Generator:
    """Makes records one by one, each referring only to records made before it."""

    def __init__(self, folder: Path, seed: int) -> None:
        self.rng = Random(seed)
        self.folder = os.fspath(folder)
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}
        self.sources: list[str] = []
        self.organizations: list[Organization] = []
        self.by_type: dict[str, list[Organization]] = {}
        self.government_of: dict[str, str] = {}
        self.org_parties: list[Party] = []
        self.people: list[Party] = []
        self.meetings: list[Meeting] = []
        rng = self.rng
        self.outlets = [f"The {rng.choice(CITIES).split(',')[0]} {rng.choice(PAPERS)}" for _ in range(40)]
        self.outlets += OUTLETS_EXTRA

    # ---- helpers

    def new_id(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``… if taken: ids are unique across all kinds."""
        base = base[:100].rstrip("-")
        candidate = base
        while candidate in self.taken:
            suffix = self.next_suffix.get(base, 2)
            self.next_suffix[base] = suffix + 1
            candidate = f"{base}-{suffix}"
        self.taken.add(candidate)
        return candidate

    def write(self, folder: str, record_id: str, lines: list[str]) -> None:
        data = ("\n".join(lines) + "\n").encode("utf-8")
        # os.open and os.write skip the buffered file object, which costs more than the write.
        fd = os.open(os.path.join(self.folder, folder, record_id + ".toml"),
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def pick(self, pool: list[Any], skew: float = 2.0) -> Any:
        """An item of ``pool``, the first ones far more often: the central figures of a case."""
        return pool[int(len(pool) * self.rng.random() ** skew)]

    def pick_distinct(self, pool: list[Any], count: int, skew: float = 2.0) -> list[Any]:
        """Up to ``count`` different items of ``pool``, picked as by ``pick``."""
        chosen: list[Any] = []
        for _ in range(count * 4):
            item = self.pick(pool, skew)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == count:
                    break
        return chosen

    def day(self, first: int, last: int) -> date:
        return date.fromordinal(first + int(self.rng.random() * (last - first + 1)))

    def country(self) -> tuple[str, str, str]:
        return HOME if self.rng.random() < 0.45 else self.rng.choice(COUNTRIES)

    def full_name(self) -> tuple[str, str]:
        """A made-up person's name and last name."""
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if rng.random() < 0.1:
            return f"{first} {rng.choice(MIDDLE_INITIALS)}. {last}", last
        return f"{first} {last}", last

    def citations(self, excerpts: list[str]) -> list[str]:
        """[[citations]] tables, one per excerpt, each from a source and now and then relaying another."""
        rng, sources = self.rng, self.sources
        lines: list[str] = []
        for excerpt in excerpts:
            source = self.pick(sources, 1.5)
            lines += ["", "[[citations]]", f'source = "{source}"', f"excerpt = {toml_string(excerpt)}"]
            if len(sources) > 1 and rng.random() < 0.15:
                original = rng.choice(sources)
                if original != source:
                    lines.append(f'original = "{original}"')
        return lines

    # ---- the five kinds (ids need no escaping: a slug has no character TOML would escape)

    def source(self) -> None:
        rng = self.rng
        kind = rng.choice(SOURCE_TYPES)
        country = self.country()[0]
        a_name, a_last = self.full_name()
        b_name, b_last = self.full_name()
        if kind in PUBLISHERS_OFFICIAL:
            publisher = rng.choice(PUBLISHERS_OFFICIAL[kind]).format(last=a_last, country=country)
        else:
            publisher = rng.choice(self.outlets)
        day = self.day(FIRST_DAY, LAST_DAY)
        published, _, prefix = fuzzy_date(rng, day, rng.choice(SOURCE_DATE_FORMS))
        title = rng.choice(HEADLINES.get(kind, HEADLINES["other"])).format(
            a=a_last if rng.random() < 0.6 else a_name, b=b_name, b_last=b_last,
            city=rng.choice(CITIES), topic=rng.choice(OBJECTS), year=day.year,
        )
        title = _capitalize(title)
        publisher_words = [w for w in slug(publisher).split("-") if w not in ID_STOPWORDS][:2]
        title_words = [w for w in slug(title).split("-") if w not in ID_STOPWORDS][:5]
        record_id = self.new_id("-".join([*publisher_words, prefix, *title_words]))
        lines = [f"title = {toml_string(title)}", f"publisher = {toml_string(publisher)}"]
        authors = [self.full_name()[0] for _ in range(rng.choice(AUTHOR_COUNTS.get(kind, (0,))))]
        if authors:
            lines.append(f"authors = {toml_list(authors)}")
        if rng.random() < 0.95:
            lines.append(f'published = "{published}"')
        lines.append(f'url = "https://example.org/{"-".join(publisher_words)}/{day.year}/{day.month:02d}/{record_id}"')
        lines.append(f'type = "{kind}"')
        if rng.random() < 0.25:
            lines.append(f"summary = {toml_string(rng.choice(SOURCE_SUMMARIES))}")
        self.write("sources", record_id, lines)
        self.sources.append(record_id)

    def organization(self) -> None:
        rng = self.rng
        kind = rng.choice(ORGANIZATION_TYPES)
        country, nationality, capital = self.country()
        parent: str | None = None
        aliases: list[str] = []
        word = rng.choice(WORDS)
        if kind == "embassy":
            if country == HOME[0]:
                country, nationality, capital = rng.choice(COUNTRIES[1:])
            city = "Washington" if rng.random() < 0.8 else rng.choice(CITIES[4:10])
            name = f"Embassy of {country} in {city}"
            aliases.append(f"{nationality} embassy")
            parent = self.government_of.get(country) if rng.random() < 0.7 else None
        elif kind == "government":
            name = rng.choice((f"Government of {country}", f"{nationality} government"))
        elif kind == "public body":
            topic = rng.choice(MINISTRIES)
            name = f"Department of {topic}" if country == HOME[0] else f"Ministry of {topic} of {country}"
            parent = self.government_of.get(country)
        elif kind == "legislature":
            name = rng.choice(("United States Senate", "House of Representatives")) if country == HOME[0] \
                else f"Parliament of {country}"
        elif kind == "committee":
            legislatures = self.by_type.get("legislature")
            if legislatures and rng.random() < 0.8:
                legislature = rng.choice(legislatures)
                parent, country = legislature.party.id, legislature.country
                nationality = NATIONALITY[country]
            chamber = rng.choice(("Senate ", "House ", "Joint ", "Select ")) if country == HOME[0] else ""
            name = f"{chamber}Committee on {rng.choice(TOPICS)}"
        elif kind == "campaign":
            candidate = self.full_name()[0]
            name = rng.choice((f"{candidate} for President", f"{candidate} for Senate",
                               f"Committee to Elect {candidate}"))
            country = HOME[0]
        elif kind == "political party":
            name = f"{rng.choice(PARTY_ADJECTIVES)} Party of {country}"
        elif kind == "company":
            name = f"{word} {rng.choice(SECTORS)}{rng.choice(COMPANY_SUFFIXES)}"
            if rng.random() < 0.3:
                aliases.append(word)
        elif kind == "law firm":
            lasts = [rng.choice(LAST_NAMES) for _ in range(3)]
            name = rng.choice((f"{lasts[0]}, {lasts[1]} & {lasts[2]} LLP", f"{lasts[0]} {lasts[1]} LLP"))
        elif kind == "bank":
            name = rng.choice((f"{word} Bank", f"Bank of {capital}", f"{nationality} Development Bank"))
        elif kind == "think tank":
            name = rng.choice((f"{word} Institute", f"Center for {rng.choice(STUDIES)}",
                               f"{rng.choice(LAST_NAMES)} Foundation", f"Institute for {rng.choice(STUDIES)}"))
        elif kind == "news organization":
            name = rng.choice(self.outlets)
        elif kind == "club":
            name = rng.choice((f"{word} Club", f"{capital} Athletic Club"))
        elif kind == "venue":
            name = rng.choice((f"{word} Hotel", f"{capital} Convention Center", f"{word} Hall"))
        else:
            name = rng.choice((f"{word} Group", f"{word} Association", f"Friends of {country}"))
        if not aliases and rng.random() < 0.2:
            initials = "".join(w[0] for w in name.split() if w[:1].isupper() and w not in ("The",))
            if len(initials) >= 2 and initials != name:
                aliases.append(initials)
        peers = self.by_type.get(kind)
        if parent is None and peers and kind in SUBSIDIARY_TYPES and rng.random() < 0.1:
            parent = rng.choice(peers).party.id  # a subsidiary or branch of one of its kind
        record_id = self.new_id(slug(name))
        lines = [f"name = {toml_string(name)}"]
        if aliases:
            lines.append(f"aliases = {toml_list(aliases)}")
        lines += [f'type = "{kind}"', f"country = {toml_string(country)}"]
        if parent:
            lines.append(f'parent = "{parent}"')
        if rng.random() < 0.5:
            lines.append(f"summary = {toml_string(f'{nationality} {kind}, named in reporting on {rng.choice(SUBJECTS_DISCUSSED)}.')}")
        self.write("organizations", record_id, lines)

        prose = _in_prose(name, kind)
        party = Party(record_id, record_id, prose, prose, ORG_CAPACITIES, False)
        organization = Organization(party, name, kind, country)
        self.organizations.append(organization)
        self.org_parties.append(party)
        self.by_type.setdefault(kind, []).append(organization)
        if kind == "government":
            self.government_of.setdefault(country, record_id)

    def person(self) -> None:
        rng = self.rng
        name, last = self.full_name()
        record_id = self.new_id(slug(name))
        _, nationality, _ = self.country()
        lines = [f"name = {toml_string(name)}"]
        if rng.random() < 0.25:
            aliases = [f"{name[0]}. {last}", last, f"{rng.choice(ALIAS_TITLES)} {last}"]
            lines.append(f"aliases = {toml_list(aliases[: 1 + int(rng.random() * 2)])}")
        summary = f"{nationality} {rng.choice(OCCUPATIONS)}. {rng.choice(PERSON_CLAUSES)}".rstrip()
        lines += [f"summary = {toml_string(summary)}", f"nationality = {toml_string(nationality)}"]

        capacities: list[str] = []
        for _ in range(rng.choice(ROLE_COUNTS)):
            lines += ["", "[[roles]]"]
            if self.organizations and rng.random() < 0.9:
                organization = self.pick(self.organizations, 1.5)
                templates = ROLE_TITLES.get(organization.type, ROLE_TITLES["other"])
                title = rng.choice(templates).format(org=organization.name)
                lines += [f"title = {toml_string(title)}", f'organization = "{organization.party.id}"']
            else:
                title = rng.choice(FREE_ROLE_TITLES)
                lines.append(f"title = {toml_string(title)}")
            capacities.append("as " + _decapitalize(title))
            # The end is a later day than the start, and each is written no more precisely
            # than its day, so the end's last possible day is never before the start's first.
            start = self.day(ROLES_FROM, LAST_MEETING_DAY)
            if rng.random() < 0.8:
                lines.append(f'start = "{fuzzy_date(rng, start, rng.choice(ROLE_DATE_FORMS))[0]}"')
            if rng.random() < 0.55:
                end = date.fromordinal(start.toordinal() + 30 + int(rng.random() * 3000))
                lines.append(f'end = "{fuzzy_date(rng, end, rng.choice(ROLE_DATE_FORMS))[0]}"')
            if rng.random() < 0.3:
                cited = self.pick_distinct(self.sources, 1 + int(rng.random() * 2), 1.0)
                lines.append(f"sources = {toml_list(cited)}")
        self.write("people", record_id, lines)
        self.people.append(Party(record_id, slug(last), last, name, tuple(capacities) + PERSON_CAPACITIES, True))

    def parties(self, count: int) -> list[Party]:
        """``count`` different participants, mostly people, as many as the casefile has."""
        people_wanted = sum(self.rng.random() < 0.85 for _ in range(count))
        people_wanted = min(people_wanted, len(self.people))
        organizations_wanted = min(count - people_wanted, len(self.org_parties))
        people = self.pick_distinct(self.people, people_wanted) if people_wanted else []
        organizations = self.pick_distinct(self.org_parties, organizations_wanted, 1.5) if organizations_wanted else []
        return people + organizations

    def meeting(self) -> None:
        rng = self.rng
        kind = rng.choice(MEETING_TYPES)
        status = rng.choice(MEETING_STATUSES)
        day = self.day(FIRST_DAY, LAST_MEETING_DAY)
        when, when_text, prefix = fuzzy_date(rng, day, rng.choice(MEETING_DATE_FORMS))
        parties = self.parties(rng.choice(PARTICIPANT_COUNTS))
        a = parties[0]
        b = parties[1] if len(parties) > 1 else Party("", "others", "others", "others", (), False)
        venue, city = rng.choice(VENUES), rng.choice(CITIES)
        if kind == "call":
            place = "by telephone"
        elif kind == "correspondence":
            place = ""
        elif rng.random() < 0.8:
            place = f"{_capitalize(venue)}, {city}"
        elif a.is_person:
            place = f"{a.short}'s office, {city}"
        else:
            place = f"{_capitalize(a.name)}, {city}"

        title = rng.choice(MEETING_TITLES.get(kind, MEETING_TITLES["other"])).format(
            a=a.short, b=b.short, venue=venue, city=city)
        record_id = self.new_id(f"{prefix}-{a.tag}-{b.tag}-{slug(kind)}")
        together = MEETING_VERBS.get(kind, MEETING_VERBS["other"])
        at_place = f" at {place}" if place and kind != "call" else ""
        summary = _capitalize(f"{a.name} and {b.name} {together[1]}{at_place} ({when_text}). ")
        summary += _capitalize(rng.choice(STATUS_SENTENCES.get(status, ("",))).format(a=a.short, b=b.short))
        if rng.random() < 0.5:
            summary += f" They are said to have discussed {rng.choice(SUBJECTS_DISCUSSED)}."

        lines = [f"title = {toml_string(_capitalize(title))}", f'date = "{when}"']
        if rng.random() < 0.65:
            lines.append(f"date_text = {toml_string(when_text)}")
        if place:
            lines.append(f"place = {toml_string(place)}")
        lines += [f'type = "{kind}"', f'status = "{status}"', f"summary = {toml_string(summary.strip())}"]
        for party in parties:
            lines += ["", "[[participants]]", f'who = "{party.id}"']
            if rng.random() < 0.5:
                lines.append(f"capacity = {toml_string(rng.choice(party.capacities))}")

        with_b, _ = together
        excerpts = []
        for _ in range(1 + int(rng.random() ** 2 * 3)):
            template = rng.choice((
                "{a} {with_b} {b}, according to {who}.",
                "{b} and {a} {together}{at_place}, {who} said.",
                "According to {who}, {a} and {b} {together} ({when}).",
            ))
            excerpt = template.format(a=a.name, b=b.name, with_b=with_b, together=together[1],
                                      at_place=at_place, when=when_text, who=rng.choice(WITNESSES))
            excerpts.append(_capitalize(excerpt))
        lines += self.citations(excerpts)
        self.write("meetings", record_id, lines)
        self.meetings.append(Meeting(record_id, day.toordinal(), parties, venue))

    def statement(self) -> None:
        rng = self.rng
        about = self.pick_distinct(self.meetings, rng.choice(ABOUT_COUNTS), 1.0)
        speaker: Party | None = None
        if about and rng.random() < 0.75:
            people = [party for party in about[0].parties if party.is_person]
            speaker = rng.choice(people) if people else None
        if speaker is None:
            speaker = self.pick(self.people)
        if about:  # said within two years after the meetings it speaks of
            after = max(meeting.day for meeting in about) + 1
            day = self.day(after, max(after, min(after + 730, LAST_DAY)))
        else:
            day = self.day(FIRST_DAY, LAST_DAY)
        when, when_text, prefix = fuzzy_date(rng, day, rng.choice(STATEMENT_DATE_FORMS))
        setting = rng.choice(STATEMENT_SETTINGS)
        record_id = self.new_id(f"{prefix}-{speaker.tag}-{slug(setting)}")

        # Who the statement speaks of: someone else at the first meeting it is about.
        other = next((p for p in about[0].parties if p is not speaker), None) if about else None
        b = other.name if other else rng.choice(("the ambassador", "the Russians", "any foreign official"))
        venue = about[0].venue if about else rng.choice(VENUES)
        stances = [rng.choice(STANCE_CHOICES) for _ in about]

        sentences = [_capitalize(rng.choice(STANCE_SENTENCES[stances[0]]).format(b=b))] if about else []
        target = 180 + int(rng.random() * 420)
        length = sum(map(len, sentences))
        while length < target:
            opener = rng.choice(OPENERS)
            subject = rng.choice(SUBJECTS)
            sentence = f"{opener}{subject if opener else _capitalize(subject)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
            sentences.append(sentence)
            length += len(sentence) + 1
        if len(sentences) > 3 and rng.random() < 0.1:  # a quote of two paragraphs
            middle = len(sentences) // 2
            quote = " ".join(sentences[:middle]) + "\n\n" + " ".join(sentences[middle:])
        else:
            quote = " ".join(sentences)

        lines = [f'speaker = "{speaker.id}"', f'date = "{when}"']
        if rng.random() < 0.4:
            lines.append(f"date_text = {toml_string(when_text)}")
        lines += [f'setting = "{setting}"', f"occasion = {toml_string(self.occasion(setting))}",
                  f"under_oath = {'true' if rng.random() < UNDER_OATH.get(setting, 0.0) else 'false'}",
                  f"quote = {toml_string(quote)}"]
        if rng.random() < ASKED.get(setting, 0.05):
            question = rng.choice(QUESTIONS).format(b=b, object=rng.choice(OBJECTS), venue=venue)
            lines.append(f"question = {toml_string(question)}")
            if len(self.people) > 1 and rng.random() < 0.85:
                asker = self.pick(self.people)
                if asker is not speaker:
                    lines.append(f'asked_by = "{asker.id}"')
        if rng.random() < 0.3:
            lines.append(f"summary = {toml_string(rng.choice(STATEMENT_SUMMARIES))}")
        for meeting, stance in zip(about, stances):
            lines += ["", "[[about]]", f'meeting = "{meeting.id}"', f'stance = "{stance}"']

        first = sentences[0].rstrip(".")
        excerpts = [f"“{first},” {speaker.name} said."]
        if rng.random() < 0.35:
            excerpts.append(f"{speaker.name} {rng.choice(SPEECH_VERBS)} {rng.choice(OBJECTS)} ({when_text}).")
        lines += self.citations(excerpts)
        self.write("statements", record_id, lines)

    def occasion(self, setting: str) -> str:
        rng = self.rng
        committees = self.by_type.get("committee")
        committee = rng.choice(committees).name if committees else "Senate Judiciary Committee"
        return {
            "hearing": f"{committee} hearing",
            "testimony": f"Testimony before the {committee}",
            "press conference": f"Press conference in {rng.choice(CITIES)}",
            "written statement": "Statement released through a spokesperson",
            "interview": f"Interview with {rng.choice(self.outlets)}",
            "speech": f"Speech at the {rng.choice(VENUES)}",
            "letter": f"Letter to the {committee}",
            "press briefing": "Daily press briefing",
            "remarks": f"Remarks to reporters in {rng.choice(CITIES)}",
            "filing": f"Declaration filed in United States v. {rng.choice(LAST_NAMES)}",
            "social media": "Post on social media",
        }.get(setting, f"Conversation reported by {rng.choice(self.outlets)}")


def generate(folder: Path, records: int, seed: int = 0) -> dict[str, int]:
    """Write a casefile of ``records`` records into ``folder``; return how many of each kind.

    The folder is created if need be. It should hold no records: files of the same
    names are replaced, others are left, and may then refer to records that no longer exist.
    """
    counts = plan(records)
    folder = Path(folder)
    generator = _Generator(folder, seed)
    makers = {"source": generator.source, "organization": generator.organization,
              "person": generator.person, "meeting": generator.meeting, "statement": generator.statement}
    for kind in ORDER:
        (folder / KINDS[kind].folder).mkdir(parents=True, exist_ok=True)
        make = makers[kind]
        for _ in range(counts[kind]):
            make()
    return {kind: counts[kind] for kind in MIX}


# --------------------------------------------------------------------------- command line

def _clear_records(folder: Path) -> None:
    """Delete the record files of a casefile folder, and nothing else."""
    for cls in KINDS.values():
        kind_folder = folder / cls.folder
        if kind_folder.is_dir():
            for entry in os.scandir(kind_folder):
                if entry.name.endswith(".toml") and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic, realistic casefile for benchmarks and tests at scale.")
    parser.add_argument("folder", type=Path, metavar="OUT_FOLDER", help="the casefile folder to write")
    parser.add_argument("--records", type=int, required=True, metavar="N",
                        help=f"how many records in all (at least {len(MIX)})")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--force", action="store_true",
                        help="write into a folder that is not empty, deleting the records already in it")
    options = parser.parse_args(argv)
    folder: Path = options.folder
    if options.records < len(MIX):
        parser.error(f"--records must be at least {len(MIX)}, one record of each kind")
    if folder.exists():
        if not folder.is_dir():
            parser.error(f"{folder} exists and is not a folder")
        if any(folder.iterdir()):
            if not options.force:
                parser.error(f"{folder} is not empty; use --force to replace its records")
            _clear_records(folder)

    started = time.perf_counter()
    counts = generate(folder, options.records, options.seed)
    elapsed = time.perf_counter() - started
    detail = ", ".join(f"{count} {KINDS[kind].folder}" for kind, count in counts.items())
    print(f"wrote {sum(counts.values())} records ({detail}) to {folder} in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
