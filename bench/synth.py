"""Seeded generator of synthetic KFOR-style press release texts, for benchmarks.

    python bench/synth.py --count 10000 --seed 1 --out bench/corpora/10k

writes ``YYYY-MM-DD-synth-NNNNNN.txt`` files. Each release is drawn from its
own ``random.Random`` seeded by ``(seed, index)``, so release N is the same
whatever ``--count`` is, and two runs with one seed give identical files.

Releases are plain text as scraped from the KFOR site (search box, breadcrumbs,
date line "Dec 21 2022", headline, dateline "PRISTINA -", body, byline, site
footer) or from a news site (timestamp line, agency dateline, teaser trailer).
Bodies combine an event sentence of one of the twelve event types with
officers (real commanders of the year and invented officers, full or
abbreviated ranks, sometimes upper-case surnames), units of the era, camps,
crossings and municipalities (Albanian, Serbian or slash names), explicit or
relative dates, force figures, the UNSCR 1244 mandate and filler paragraphs up
to a length drawn from a 1.5-4 KB typical distribution.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__:
    from . import synth_data as D
else:  # run as a script: python bench/synth.py
    import synth_data as D  # type: ignore[no-redef]

EVENT_TYPES: tuple[str, ...] = (
    "Exercise", "Training", "Deployment", "Patrol", "Visit", "Meeting",
    "ChangeOfCommand", "Ceremony", "Donation", "Incident", "Statement", "Other",
)
FIRST_DAY = dt.date(2004, 1, 12)  # so that event dates (up to 10 days earlier) stay in 2004+
LAST_DAY = dt.date(2025, 12, 31)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
OFFICER_RANKS = ("Colonel", "Lieutenant Colonel", "Major", "Captain", "First Lieutenant",
                 "Sergeant Major", "Brigadier General")
SITE_FOOTER = ("Search our content:\n\n\nKFOR HQ Pristina\nCamp Film City\n10000, Pristina\n\n"
               "Media Operations\n\nPublic Affairs Office\nCamp Film City\n10000, Pristina")


@dataclass(frozen=True, slots=True)
class SynthRelease:
    """One generated release and what it was built from (for tests)."""

    name: str
    text: str
    published: dt.date
    event_types: tuple[str, ...]


class _Writer:
    """Draws the pieces of one release from its own random stream."""

    def __init__(self, rng: random.Random, published: dt.date) -> None:
        self.r = rng
        self.pub = published
        self.year = published.year

    # --- names --------------------------------------------------------------
    def rank(self, full: str) -> str:
        abbrevs = D.RANKS[full]
        return full if self.r.random() < 0.6 else self.r.choice(abbrevs)

    def person(self, name: str, rank: str) -> str:
        if self.r.random() < 0.15:  # upper-case surname, as on the KFOR site
            *given, last = name.split(" ")
            name = " ".join([*given, last.upper()])
        return f"{self.rank(rank)} {name}"

    def commander(self) -> tuple[str, str]:
        fits = [c for c in D.COMMANDERS if c[2] <= self.year <= c[3]] or D.COMMANDERS
        name, rank, _, _ = self.r.choice(fits)
        return name, rank

    def officer(self) -> str:
        if self.year >= 2023 and self.r.random() < 0.3:  # these held posts in 2023-2025
            name, rank, role, org = self.r.choice(D.OTHER_OFFICERS)
            return f"the {role} of {org}, {self.person(name, rank)}"
        # An invented officer keeps one rank and nationality in every release (a
        # function of the name), as real officers do within a year.
        name = f"{self.r.choice(D.FIRST_NAMES)} {self.r.choice(D.LAST_NAMES)}"
        key = zlib.crc32(name.encode("utf-8"))
        rank = OFFICER_RANKS[key % len(OFFICER_RANKS)]
        nation = D.NATIONS[(key >> 8) % len(D.NATIONS)]
        return self.r.choice((f"{nation} {self.person(name, rank)}", self.person(name, rank),
                              f"{self.person(name, rank)}, the {nation} contingent commander"))

    def unit(self) -> str:
        fits = [u for u in D.UNITS if u[2] <= self.year <= u[3]]
        name, abbr, _, _ = self.r.choice(fits)
        return self.r.choice((f"KFOR {name}", f"the {name} ({abbr})", abbr, f"KFOR's {name}"))

    def place(self) -> str:
        k = self.r.random()
        if k < 0.25:
            return self.r.choice(D.CAMPS)
        if k < 0.4:
            return f"the {self.r.choice(D.CROSSINGS)} crossing point"
        sq, sr = self.r.choice(D.MUNICIPALITIES)
        return self.r.choice((sq, sr, f"{sq}/{sr}" if sq != sr else sq, f"the village near {sq}"))

    def partner(self) -> str:
        return self.r.choice(D.PARTNERS)

    # --- dates --------------------------------------------------------------
    def when(self) -> str:
        """A date phrase for an event up to ten days before publication (or none)."""
        day = self.pub - dt.timedelta(days=self.r.randint(0, 10))
        k = self.r.random()
        if k < 0.35:
            return f" on {day.day} {MONTHS[day.month - 1]} {day.year}"
        if k < 0.5:
            return f" on {MONTHS[day.month - 1]} {day.day}, {day.year}"
        if k < 0.7:
            back = self.pub - dt.timedelta(days=self.r.randint(1, 6))
            return f" on {WEEKDAYS[back.weekday()]}"
        if k < 0.78:
            return " yesterday"
        return ""

    # --- sentences ----------------------------------------------------------
    def event(self, etype: str) -> tuple[str, str]:
        """(headline, sentence) for one event of ``etype``."""
        r, w, p, u = self.r, self.when(), self.place(), self.unit()
        n = r.randint(20, 400)
        if etype == "Exercise":
            ex = r.choice(D.EXERCISE_NAMES)
            return (f"Exercise {ex} tests readiness",
                    f"More than {n} soldiers of {u} took part{w} in exercise \"{ex}\" at {p}, "
                    f"rehearsing crowd and riot control together with {self.partner()}.")
        if etype == "Training":
            return (f"{u.removeprefix('the ')} trains with {self.partner().removeprefix('the ')}",
                    f"Soldiers from {u} completed{w} a {r.randint(2, 14)}-day training course at {p} "
                    f"on first aid, checkpoint procedures and mine awareness.")
        if etype == "Deployment":
            return (f"KFOR reinforces presence in {p.removeprefix('the ')}",
                    f"KFOR deployed{w} additional troops of {u} to {p} for preventive security "
                    f"reasons, in close coordination with {self.partner()}.")
        if etype == "Patrol":
            return ("Joint patrols continue in the north",
                    f"{u[0].upper()}{u[1:]} conducted{w} joint day and night patrols near {p} "
                    f"with {self.partner()}, ensuring freedom of movement for all communities.")
        if etype == "Visit":
            title, _ = r.choice(D.VISITORS)
            return (f"{title.removeprefix('the ').title()} visits KFOR",
                    f"{title[0].upper()}{title[1:]} visited{w} {p}, where {self.officer()} "
                    f"briefed the delegation on the security situation.")
        if etype == "Meeting":
            name, rank = self.commander()
            return ("Commander of KFOR meets local leaders",
                    f"KFOR Commander {self.person(name, rank)} met{w} the mayor of "
                    f"{self.place()} and representatives of {self.partner()} in {p}.")
        if etype == "ChangeOfCommand":
            (a, ra), (b, rb) = self.commander(), self.commander()
            if a == b:
                b, rb = self.r.choice(D.COMMANDERS)[:2]
            return ("KFOR change of command ceremony",
                    f"{self.person(b, rb)} took over command of KFOR from {self.person(a, ra)} "
                    f"during a ceremony held{w} at Camp Film City.")
        if etype == "Ceremony":
            return ("Medal parade honours KFOR soldiers",
                    f"A medal parade was held{w} at {p} to honour {n} soldiers of {u}, "
                    f"in the presence of {self.officer()}.")
        if etype == "Donation":
            gift = r.choice(D.DONATED)
            return (f"KFOR donates {gift} in {p.removeprefix('the ')}",
                    f"{u[0].upper()}{u[1:]} donated {gift}{w} to a primary school in {p}, "
                    f"a project worth {r.randint(2, 60)},000 euros.")
        if etype == "Incident":
            what = r.choice(D.INCIDENTS)
            return ("KFOR responds to incident",
                    f"KFOR soldiers of {u} responded{w} to {what} near {p}; "
                    f"{r.choice(('no one was injured', f'{r.randint(2, 30)} soldiers were injured', 'two civilians were treated on site'))}.")
        if etype == "Statement":
            name, rank = self.commander()
            return ("KFOR Commander calls for calm",
                    f"In a statement issued{w}, KFOR Commander {self.person(name, rank)} said that "
                    f"\"violence is unacceptable and KFOR remains vigilant and ready to act\".")
        return ("Open day at KFOR headquarters",
                f"KFOR opened the gates of {p}{w} to {n} students for a cultural open day "
                f"organised with {self.partner()}.")

    def figures(self) -> str:
        troops = self.r.choice((3500, 3700, 3800, 4300, 4500, 4700, 5500, 9800, 16000))
        nations = self.r.randint(26, 36)
        return (f"The NATO-led KFOR mission consists of {self.r.choice(('about', 'more than', 'some'))} "
                f"{troops:,} personnel from {nations} countries, including NATO Allies and partners.")

    def mandate(self) -> str:
        res = self.r.choice(("UN Security Council Resolution 1244 of 1999", "UNSCR 1244",
                             "United Nations Security Council Resolution 1244 (1999)"))
        return (f"KFOR continues to contribute to a safe and secure environment and freedom of "
                f"movement for all communities in Kosovo, in accordance with its mandate based on {res}.")

    def filler(self) -> str:
        r = self.r
        subject = r.choice(("The activity", "This initiative", "The operation", "The event",
                            "Such cooperation", "The project"))
        verb = r.choice(("demonstrates", "reflects", "underlines", "confirms", "shows"))
        obj = r.choice(("KFOR's commitment to the people of Kosovo", "the excellent cooperation between the units",
                        "the professionalism of the soldiers involved", "the readiness of the force",
                        "the importance of dialogue between all parties"))
        tail = r.choice(("", f", said {self.officer()}", ", according to the organisers",
                         f" in {self.place()} and beyond"))
        more = r.choice((
            f" Participants came from {r.randint(3, 15)} nations.",
            f" It was coordinated with {self.partner()}.",
            f" Further activities are planned in {self.place()} in the coming weeks.",
            " The units will continue to monitor the situation closely.", ""))
        return f"{subject} {verb} {obj}{tail}.{more}"


def _publication_day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def _target_length(rng: random.Random) -> int:
    """Body length in characters: mostly 1.5-4 KB with a long tail."""
    if rng.random() < 0.05:
        return rng.randint(4000, 9000)
    return max(700, int(rng.lognormvariate(7.75, 0.3)))


def make_release(seed: int, index: int) -> SynthRelease:
    """Release number ``index`` of the corpus drawn with ``seed``."""
    rng = random.Random(seed * 1_000_003 + index)
    pub = _publication_day(rng)
    w = _Writer(rng, pub)
    types = [rng.choice(EVENT_TYPES)]
    if rng.random() < 0.35:
        types.append(rng.choice(EVENT_TYPES))
    headline, first = w.event(types[0])
    paras = [first] + [w.event(t)[1] for t in types[1:]]
    if rng.random() < 0.6:
        paras.append(w.figures())
    if rng.random() < 0.7:
        paras.append(w.mandate())
    target = _target_length(rng)
    size = sum(map(len, paras))
    while size < target:
        para = " ".join(w.filler() for _ in range(rng.randint(2, 4)))
        paras.insert(rng.randint(1, len(paras)), para)
        size += len(para) + 2
    if rng.random() < 0.8:
        text = _kfor_page(rng, pub, headline, paras)
    else:
        text = _news_page(rng, pub, headline, paras)
    name = f"{pub.isoformat()}-synth-{index:06d}.txt"
    return SynthRelease(name=name, text=text, published=pub, event_types=tuple(types))


def _kfor_page(rng: random.Random, pub: dt.date, headline: str, paras: list[str]) -> str:
    town = rng.choice(D.DATELINE_TOWNS[:8]) if rng.random() < 0.4 else "PRISTINA"
    dash = rng.choice(("-", "–"))
    date_line = f"{MONTHS[pub.month - 1][:3]} {pub.day:02d} {pub.year}"
    byline = rng.choice(("Story by KFOR Public Affairs Office", "Story by KFOR Media Operations",
                         f"Story by {rng.choice(D.FIRST_NAMES)} {rng.choice(D.LAST_NAMES)}, KFOR PAO"))
    body = "\n\n".join([f"{town} {dash} {paras[0]}", *paras[1:]])
    return (f"Search our content\n\nKFOR  /  Media Center  /  Archive  /  News  /  {pub.year}  /  "
            f"{headline.upper()}\n\n{date_line}\n\n{headline.upper()}\n\n\n{body}\n\n{byline} \n\n"
            f"{SITE_FOOTER}\n")


def _news_page(rng: random.Random, pub: dt.date, headline: str, paras: list[str]) -> str:
    stamp = f"{pub.isoformat()} {rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    agency = rng.choice(("BALKAN WIRE", "REGIONAL NEWS DESK", "KOSOVO DAILY DIGEST"))
    dateline = f"PRISTINA, Kosovo, {MONTHS[pub.month - 1]} {pub.day} ({agency.title()}) - "
    body = "\n\n".join([dateline + paras[0], *paras[1:]])
    teaser = rng.choice(("Check Also\n\nKFOR hands over renovated school",
                         "Happening now...", "Related: Security situation stable, KFOR says"))
    return f"{headline}\n\n{stamp} / {agency}\n\n{headline}\n\n{body}\n\n \n\n{teaser}\n"


def generate_releases(count: int, seed: int) -> Iterator[SynthRelease]:
    """``count`` releases of the corpus drawn with ``seed``, with their metadata."""
    for index in range(count):
        yield make_release(seed, index)


def generate(count: int, seed: int) -> Iterator[tuple[str, str]]:
    """``count`` ``(file name, text)`` pairs of the corpus drawn with ``seed``."""
    for release in generate_releases(count, seed):
        yield release.name, release.text


def write_corpus(count: int, seed: int, out: Path) -> int:
    """Write the corpus into ``out`` (created if needed); returns bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in generate(count, seed):
        data = text.encode("utf-8")
        (out / name).write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True, help="number of releases")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    started = time.perf_counter()
    size = write_corpus(args.count, args.seed, args.out)
    took = time.perf_counter() - started
    print(f"wrote {args.count} releases ({size / 1e6:.1f} MB) to {args.out} in {took:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
