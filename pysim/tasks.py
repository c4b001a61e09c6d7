"""Training corpora, generated from templates with a seed (no files, no downloads), and each
task's tags (tags(name): the tag list without generating the corpus).

beijing: travel sentences; tag each token O, destination or departure. The city comes a few
         words after the word that decides its tag ("arrive ... Beijing" vs "leave ... Beijing"),
         so the tag must be carried in the LSTM's memory. Some cities never appear in training
         (they read as <unk> at test time) and training replaces cities by <unk> now and then,
         so an unknown city is still tagged by its verb.
memory:  a marker A or B, then 20-100 distractors, then "?": the last token's tag is the marker.
         Only a cell that holds its value (forget gate near 1) for all those steps can do it.
mine:    the page's hand-tagged sentences alone (mine(sentences)): tags O plus the ones they use.
         A hand-tagged sentence is typed "arrive Beijing/destination on November 2nd"
         (parse_tagged; every word without a tag is O).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .model import MAX_TOKENS, UNK
from .text import words as words_of

Example = tuple  # (tokens: list[str], tags: list[str])
OUTSIDE = "O"     # the tag of a word that is none of the task's

# the article's two sentences: the beijing task trains on them, the page opens with the first
ARTICLE_SENTENCES = ("arrive Beijing on November 2nd", "leave Beijing on November 2nd")


@dataclass
class Task:
    name: str
    description: str
    tags: list[str]
    vocab: list[str]
    train: list[Example]
    test: list[Example]
    input_size: int = 8      # embedding width E
    hidden_size: int = 8     # H
    settings: dict = field(default_factory=dict)  # how the corpus was made (goes into meta)


# ---- beijing ------------------------------------------------------------------------------

BEIJING_TAGS = [OUTSIDE, "destination", "departure"]
DESTINATION_VERBS = ["arrive", "arrive in", "arrive at", "fly to", "land in", "head to", "reach",
                     "go to", "travel to", "get to", "return to", "leave for", "come to",
                     "drive to", "move to"]
DEPARTURE_VERBS = ["leave", "depart from", "set off from", "fly out of", "take off from",
                   "head out of", "drive out of", "check out of", "move away from", "get out of",
                   "depart", "escape from", "start from"]
# verb ... preposition + city, with words in between: "arrive on November 2nd in Beijing"
DESTINATION_SPLIT = [("arrive", "in"), ("fly", "to"), ("head", "to"), ("land", "in"),
                     ("go", "to"), ("travel", "to"), ("drive", "to")]
DEPARTURE_SPLIT = [("depart", "from"), ("fly", "from"), ("set off", "from"), ("head out", "from"),
                   ("drive", "from"), ("travel", "from")]
CITIES = ["Beijing", "Shanghai", "Paris", "London", "Tokyo", "Berlin", "Madrid", "Rome", "Cairo",
          "Sydney", "Moscow", "Toronto", "Chicago", "Boston", "Seoul", "Bangkok", "Dubai",
          "Vienna", "Prague", "Lisbon", "Dublin", "Oslo", "Helsinki", "Warsaw", "Athens",
          "Istanbul", "Mumbai", "Delhi", "Singapore", "Jakarta", "Manila", "Lima", "Bogota",
          "Nairobi", "Lagos", "Chengdu", "Shenzhen", "Wuhan", "Xian", "Hangzhou",
          "New York", "Los Angeles", "Hong Kong", "San Francisco", "Buenos Aires",
          "Kuala Lumpur", "Rio de Janeiro", "Cape Town", "Mexico City", "Tel Aviv"]
HELD_OUT_CITIES = ["Stockholm", "Osaka", "Nanjing", "Montreal", "Zurich", "Hanoi", "Kyiv",
                   "Santiago", "New Orleans", "Las Vegas", "Abu Dhabi"]
SUBJECTS = ["", "", "I", "we", "you", "they", "she", "he", "my friend", "the team", "our group",
            "my parents", "the pilot"]
AUX = ["", "", "", "will", "want to", "plan to", "hope to", "must", "can", "should", "did not"]
GAPS = ["", "", "", "", "beautiful", "sunny", "rainy", "busy", "the city of", "old", "lovely"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ORDINALS = ["1st", "2nd", "3rd"] + [f"{d}th" for d in range(4, 21)] + ["21st", "22nd", "23rd"] + [
    f"{d}th" for d in range(24, 31)] + ["31st"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TIMES = ["tomorrow", "today", "tonight", "soon", "early", "late", "this morning", "in the evening",
         "at noon", "next week", "this weekend", "by train", "by plane", "with my family",
         "for the conference", "again"]


def _date(rng) -> str:
    k = rng.integers(4)
    if k == 0:
        return f"on {MONTHS[rng.integers(12)]} {ORDINALS[rng.integers(31)]}"
    if k == 1:
        return f"on {WEEKDAYS[rng.integers(7)]}"
    if k == 2:
        return f"next {WEEKDAYS[rng.integers(7)]}"
    return TIMES[rng.integers(len(TIMES))]


def _pick(rng, items):
    return items[rng.integers(len(items))]


def _beijing_sentence(rng, cities):
    """One sentence as (words, tags); the city words carry the tag, all others O."""
    parts = []  # (text, tag)

    def add(text, tag="O"):
        if text:
            parts.append((text, tag))

    def city(tag):
        parts.append((_pick(rng, cities), tag))

    if rng.random() < 0.25:
        add(_date(rng))
    add(_pick(rng, SUBJECTS))
    add(_pick(rng, AUX))
    kind = rng.integers(6)
    if kind <= 1:    # verb (gap) CITY: "arrive Beijing", "leave beautiful Paris"
        tag = "destination" if kind == 0 else "departure"
        add(_pick(rng, DESTINATION_VERBS if kind == 0 else DEPARTURE_VERBS))
        add(_pick(rng, GAPS))
        city(tag)
    elif kind <= 3:  # verb DATE prep CITY: "arrive on November 2nd in Beijing"
        tag = "destination" if kind == 2 else "departure"
        verb, prep = _pick(rng, DESTINATION_SPLIT if kind == 2 else DEPARTURE_SPLIT)
        add(verb)
        add(_date(rng))
        add(prep)
        add(_pick(rng, GAPS))
        city(tag)
    elif kind == 4:  # two cities: "fly from Paris to Tokyo", "leave Paris for Tokyo"
        form = rng.integers(3)
        if form == 0:
            add(_pick(rng, ["fly", "travel", "drive", "go", "move"]))
            add("from")
            city("departure")
            add("to")
            city("destination")
        elif form == 1:
            add("leave")
            city("departure")
            add("for")
            city("destination")
        else:
            add(_pick(rng, ["fly", "travel", "go", "drive"]))
            add("to")
            city("destination")
            add("from")
            city("departure")
    else:            # a city, then the verb far later: "from Paris we fly ... to Tokyo"
        tag = "destination" if rng.random() < 0.5 else "departure"
        add(_pick(rng, DESTINATION_VERBS if tag == "destination" else DEPARTURE_VERBS))
        add(_pick(rng, GAPS))
        city(tag)
        add(_date(rng))
        add("and then")
        tag2 = "destination" if rng.random() < 0.5 else "departure"
        add(_pick(rng, DESTINATION_VERBS if tag2 == "destination" else DEPARTURE_VERBS))
        city(tag2)
    if rng.random() < 0.6:
        add(_date(rng))
    words, tags = [], []
    for text, tag in parts:
        for w in text.split():
            words.append(w)
            tags.append(tag)
    return words, tags


def beijing(seed: int = 0, n_train: int = 3000, n_test: int = 600, unk_rate: float = 0.15) -> Task:
    rng = np.random.default_rng(seed)
    train = []
    for _ in range(n_train):
        words, tags = _beijing_sentence(rng, CITIES)
        # now and then a city reads as <unk>: the verb, not the name, must decide its tag
        words = [UNK if t != "O" and rng.random() < unk_rate else w for w, t in zip(words, tags)]
        train.append((words, tags))
    for s in ARTICLE_SENTENCES:
        words = s.split()
        train.append((words, ["O", "destination" if words[0] == "arrive" else "departure", "O", "O", "O"]))
    vocab = [UNK] + sorted({w.lower() for words, _ in train for w in words} - {UNK})
    test = []  # half with cities never seen in training, half with known ones in new sentences
    for k in range(n_test):
        test.append(_beijing_sentence(rng, HELD_OUT_CITIES if k % 2 == 0 else CITIES))
    return Task(
        name="beijing",
        description="Tags each word of a travel sentence: O, destination or departure. "
                    "\"arrive Beijing\" makes Beijing the destination, \"leave Beijing\" the "
                    "departure: the LSTM must remember the verb until the city comes.",
        tags=list(BEIJING_TAGS), vocab=vocab, train=train, test=test,
        input_size=12, hidden_size=12,
        settings={"seed": seed, "n_train": n_train, "n_test": n_test, "unk_rate": unk_rate,
                  "held_out_cities": HELD_OUT_CITIES})


# ---- memory -------------------------------------------------------------------------------

MARKERS = ["A", "B"]
DISTRACTORS = ["x", "y", "z", "w", "u", "v"]
MEMORY_TAGS = [OUTSIDE] + MARKERS


def memory(seed: int = 0, n_train: int = 2000, n_test: int = 400, min_len: int = 20,
           max_len: int = 100, train_min_len: int = 1, key_weight: float = 3.0,
           curriculum_steps: int = 600) -> Task:
    """Held-out sequences have min_len..max_len distractors; training ones train_min_len..max_len
    (the short ones teach what the marker means, the long ones teach to hold it). The '?' token
    weighs key_weight times an ordinary token in the training loss. Training follows a
    curriculum: for the first curriculum_steps updates, batches hold only examples up to a length
    that grows from 3 tokens to the longest (see train.Trainer)."""
    rng = np.random.default_rng(seed)

    def example(n):
        marker = MARKERS[rng.integers(2)]
        words = [marker] + [DISTRACTORS[k] for k in rng.integers(0, len(DISTRACTORS), n)] + ["?"]
        tags = ["O"] * (n + 1) + [marker]
        return words, tags
    train = [example(int(rng.integers(train_min_len, max_len + 1))) for _ in range(n_train)]
    test = [example(int(rng.integers(min_len, max_len + 1))) for _ in range(n_test)]
    return Task(
        name="memory",
        description=f"A marker (A or B), then {min_len}-{max_len} distractor letters, then '?': "
                    "the tag of '?' is the marker. One memory cell holds it, its forget gate "
                    "staying near 1 the whole way.",
        tags=list(MEMORY_TAGS), vocab=[UNK] + MARKERS + DISTRACTORS + ["?"],
        train=train, test=test, input_size=4, hidden_size=4,
        settings={"seed": seed, "n_train": n_train, "n_test": n_test,
                  "min_len": min_len, "max_len": max_len, "train_min_len": train_min_len,
                  "key_weight": key_weight, "curriculum_steps": curriculum_steps})


# ---- mine: hand-tagged sentences --------------------------------------------------------

_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def parse_tagged(text: str) -> tuple[list[str], list[str]]:
    """"arrive Beijing/destination on November 2nd" -> (words, tags); untagged words are O.

    A token word/tag is tagged when the part after the last "/" looks like a tag name (a letter,
    then letters, digits, _ or -); "24/7" stays one word. Raises ValueError for the user.
    """
    words, tags = [], []
    for tok in words_of(str(text))[0]:  # the words a trace would read (pysim/text.py)
        word, sep, tag = tok.rpartition("/")
        if sep and word and _TAG.match(tag):
            words.append(word)
            tags.append(tag)
        else:
            words.append(tok)
            tags.append(OUTSIDE)
    if not words:
        raise ValueError("Type a sentence to add, e.g. arrive Beijing/destination on November 2nd.")
    if len(words) > MAX_TOKENS:
        raise ValueError(f"A training sentence can have at most {MAX_TOKENS} words.")
    return words, tags


def format_tagged(words, tags) -> str:
    return " ".join(w if t == OUTSIDE else f"{w}/{t}" for w, t in zip(words, tags))


def mine(sentences) -> Task:
    """A task of the page's hand-tagged sentences alone, trained and tested on them: tags O plus
    the ones they use (sorted), vocabulary <unk> plus their words (lower-cased)."""
    examples = [(list(w), list(t)) for w, t in sentences]
    used = sorted({t for _, ts in examples for t in ts} - {OUTSIDE})
    vocab = [UNK] + sorted({w.lower() for ws, _ in examples for w in ws} - {UNK.lower()})
    return Task(name="mine", description="your hand-tagged sentences", tags=[OUTSIDE] + used,
                vocab=vocab, train=examples, test=examples, input_size=8, hidden_size=8,
                settings={"sentences": len(examples)})


TASKS = {"beijing": beijing, "memory": memory}
TAGS = {"beijing": BEIJING_TAGS, "memory": MEMORY_TAGS}


def make(name: str, seed: int = 0, **kw) -> Task:
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}: choose one of {', '.join(TASKS)}")
    return TASKS[name](seed=seed, **kw)


def tags(name: str) -> list[str]:
    """A generated task's tags (a new list), without generating its corpus."""
    if name not in TAGS:
        raise ValueError(f"unknown task {name!r}: choose one of {', '.join(TAGS)}")
    return list(TAGS[name])
