"""Synthetic English for the offline GLUE stand-ins: news-style pairs, reviews, questions.

Nothing here is copied from a corpus. Sentences are put together from small
word lists and templates by a seeded ``random.Random``, so the same seed
always gives the same text. Pairs come from "events": one event (who did
what, how much, when) can be told in several ways. Two tellings of the same
event make a paraphrase; a telling of a slightly changed event makes a
near-miss, as in MRPC.

The near-misses are made so that a small model trained from random weights can
learn to spot them within an epoch or two (lesson 3.3 trains one on a CPU): up
to two of the facts both sentences mention change (a number, a name, a day),
so fewer words are shared, and three near-misses in four also carry a clause of
doubt with the word "not" ("though this has not been confirmed"), which paraphrases never use.
"""

import string

PEOPLE = [
    "Maria Okafor",
    "James Lindqvist",
    "Priya Raman",
    "Tomás Herrera",
    "Helen Achterberg",
    "Daniel Mbeki",
    "Sofia Castellano",
    "Kenji Watanabe",
    "Grace O'Donnell",
    "Omar Haddad",
    "Laura Bianchi",
    "Victor Nowak",
    "Amelia Fairbanks",
    "Rahul Mehta",
    "Ingrid Solberg",
    "Samuel Adeyemi",
    "Claire Dubois",
    "Marcus Holloway",
    "Elena Petrova",
    "Peter Kowalczyk",
]
ROLES = [
    "chief executive",
    "chairman",
    "spokeswoman",
    "spokesman",
    "chief financial officer",
    "general counsel",
    "head of research",
    "chief operating officer",
]
COMPANIES = [
    "Northwind Systems",
    "Harbor Mutual",
    "Bluefield Energy",
    "Corvane Pharmaceuticals",
    "Silverline Airways",
    "Kestrel Motors",
    "Alder & Finch",
    "Meridian Foods",
    "Tallis Networks",
    "Quarry Hill Bank",
    "Orion Retail Group",
    "Pinecrest Software",
    "Redstone Mining",
    "Brightwater Utilities",
    "Solace Health",
    "Vantage Media",
]
PLACES = [
    "Chicago",
    "Lagos",
    "Manila",
    "Rotterdam",
    "Denver",
    "Sydney",
    "Toronto",
    "Madrid",
    "Nairobi",
    "Seoul",
    "Boston",
    "Glasgow",
    "Lima",
    "Osaka",
    "Atlanta",
    "Warsaw",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PERIODS = ["first-quarter", "second-quarter", "third-quarter", "fourth-quarter", "annual"]
MEASURES = ["profit", "revenue", "sales", "earnings", "operating income"]
PRODUCTS = [
    "software update",
    "electric truck",
    "cholesterol drug",
    "budget airline route",
    "savings account",
    "streaming service",
    "home insurance plan",
    "solar panel",
]
AGENCIES = [
    "the city council",
    "federal regulators",
    "the health ministry",
    "a state court",
    "the transport authority",
    "the central bank",
    "an appeals court",
    "the school board",
]
ISSUES = [
    "water prices",
    "a new rail line",
    "overtime rules",
    "school funding",
    "air pollution limits",
    "a tax on sugary drinks",
    "bank fees",
    "airport noise",
]
OPENERS = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "In a statement released late on {day} , ",
    "Speaking to reporters , ",
    "According to people familiar with the matter , ",
    "As widely expected , ",
]
COMMON_FIRST_WORDS = {"On", "Starting", "A", "Lawmakers"}
EXTRAS = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    " , the first such move since {year}",
    " , sending its shares up {pct2} percent in early trading",
    " , and further changes are expected in {place} before the end of the year",
    " , a decision that surprised many investors in {place}",
    " after months of talks that at times threatened to collapse",
]
ATTRIBUTIONS = (" said", " told", "according to", "reported", "announced")
CLOSERS = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    " , the company said",
    " , officials said",
    " , according to a filing",
    " , a person briefed on the talks said",
]


def _money(rng):
    """A sum of money written as the news would: '$4.2 billion'."""
    return f"${rng.randint(1, 98) / 10:.1f} {rng.choice(['million', 'billion'])}"


def _percent(rng):
    return f"{rng.randint(2, 45)}"


def event(rng):
    """Draw the facts of one news event: a kind and the values its sentences mention."""
    kind = rng.choice(["earnings", "launch", "ruling", "vote", "hire", "deal"])
    company, other = rng.sample(COMPANIES, 2)
    return {
        "kind": kind,
        "company": company,
        "other": other,
        "person": rng.choice(PEOPLE),
        "role": rng.choice(ROLES),
        "place": rng.choice(PLACES),
        "day": rng.choice(DAYS),
        "period": rng.choice(PERIODS),
        "measure": rng.choice(MEASURES),
        "pct": _percent(rng),
        "money": _money(rng),
        "product": rng.choice(PRODUCTS),
        "agency": rng.choice(AGENCIES),
        "issue": rng.choice(ISSUES),
        "votes": rng.randint(5, 60),
        "direction": rng.choice(["rose", "fell"]),
        "year": rng.randint(1995, 2019),
        "pct2": rng.randint(2, 19),
    }


TELLINGS = {
    "earnings": [
        "{company} said on {day} that its {period} {measure} {direction} {pct} percent "
        "to {money} .",
        "{company} 's {period} {measure} {direction} {pct} percent , to {money} , "
        "the company reported on {day} .",
        "On {day} , {company} reported {period} {measure} of {money} , a figure that "
        "{direction} {pct} percent from a year earlier .",
        "{period} {measure} at {company} {direction} by {pct} percent to {money} , "
        "{person} , its {role} , told analysts .",
    ],
    "launch": [
        "{company} will begin selling its new {product} in {place} next month , "
        "{person} said on {day} .",
        "Starting next month , customers in {place} will be able to buy the {product} "
        "from {company} , according to {person} .",
        "{person} , the {role} of {company} , announced on {day} that the {product} "
        "would go on sale in {place} within weeks .",
        "{company} is bringing its {product} to {place} .",
    ],
    "ruling": [
        "{agency} ruled on {day} that {company} must pay {money} over its handling of {issue} .",
        "{company} was ordered on {day} by {agency} to pay {money} in a dispute over {issue} .",
        "In a decision issued {day} , {agency} told {company} to hand over {money} "
        "because of the way it dealt with {issue} .",
        "{company} must pay {money} , {agency} ruled .",
    ],
    "vote": [
        "Lawmakers in {place} voted {votes} to {pct} on {day} to approve a plan on {issue} .",
        "A plan on {issue} passed in {place} on {day} by a vote of {votes} to {pct} .",
        "By {votes} votes to {pct} , the assembly in {place} backed the proposal on {issue} "
        "on {day} , {person} said .",
    ],
    "hire": [
        "{company} named {person} as its new {role} on {day} , replacing a founder "
        "who retired in {place} .",
        "{person} will become the {role} of {company} , the firm said on {day} .",
        "On {day} , {company} said it had hired {person} to serve as {role} .",
        "{person} is the new {role} of {company} .",
        "{company} has hired {person} as {role} .",
    ],
    "deal": [
        "{company} agreed on {day} to buy {other} for about {money} in cash .",
        "{other} will be sold to {company} for roughly {money} , the two firms said on {day} .",
        "{company} will buy {other} for {money} .",
        "{other} is being bought by {company} for {money} .",
        "In a cash deal worth about {money} , {company} is acquiring {other} , "
        "a move announced {day} .",
        "{company} has struck a deal to take over {other} , paying close to {money} , "
        "{person} said on {day} .",
    ],
}


def maybe(rng, options, chance):
    """One of ``options`` with probability ``chance``, else the empty string."""
    return rng.choice(options) if rng.random() < chance else ""


def tell(facts, rng, telling):
    """Write sentence number ``telling`` about ``facts``, maybe with an opener or a closer."""
    sentence = TELLINGS[facts["kind"]][telling].format(**facts)
    extra = maybe(rng, EXTRAS, 0.17).format(**facts)
    if extra:
        sentence = sentence[:-2] + extra + " ."
    opener = maybe(rng, OPENERS, 0.24).format(**facts)
    closer = maybe(rng, CLOSERS, 0.27)
    if closer and not any(word in sentence for word in ATTRIBUTIONS):
        sentence = sentence[:-2] + closer + " ."
    if opener and sentence.split(" ", 1)[0] not in {"In", "By", "On"}:
        first_word, rest = sentence.split(" ", 1)
        if first_word in COMMON_FIRST_WORDS:
            first_word = first_word.lower()
        sentence = f"{opener}{first_word} {rest}"
    return sentence[0].upper() + sentence[1:]


def fields(template):
    """The names of the facts a template mentions."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


CHANGEABLE = ["pct", "money", "day", "person", "place", "direction", "other", "company"]
# Clauses that cast doubt on a near-miss's second telling. All of them say "not", a word no
# paraphrase uses: one token a small model can learn to look for.
DOUBTS = [
    " , a claim {company} has not confirmed",
    " , though this has not been confirmed",
    " , but the report could not be verified",
    " , although officials would not comment",
    " , a figure that is not yet final",
    " , not as others had reported",
]
DOUBT_CHANCE = 3 / 4


def changed(facts, rng, mentioned, count=2):
    """The same event with up to ``count`` of the ``mentioned`` facts changed: a near-miss."""
    new = dict(facts)
    keys = [name for name in CHANGEABLE if name in mentioned] or ["company"]
    for key in rng.sample(keys, min(count, len(keys))):
        if key == "pct":
            new["pct"] = str(int(facts["pct"]) + rng.randint(1, 9))
        elif key == "money":
            while new["money"] == facts["money"]:
                new["money"] = _money(rng)
        elif key == "direction":
            new["direction"] = "fell" if facts["direction"] == "rose" else "rose"
        else:
            pool = {"day": DAYS, "person": PEOPLE, "place": PLACES}.get(key, COMPANIES)
            new[key] = rng.choice([value for value in pool if value != facts[key]])
    return new


def doubted(sentence, facts, rng):
    """``sentence`` with a clause of doubt or denial added before its final full stop."""
    return sentence[:-2] + rng.choice(DOUBTS).format(**facts) + " ."


def sentence_pair(rng, equivalent):
    """Two sentences about one event: a paraphrase if ``equivalent``, else a near-miss."""
    facts = event(rng)
    templates = TELLINGS[facts["kind"]]
    first, second = rng.sample(range(len(templates)), 2)
    if equivalent:
        return tell(facts, rng, first), tell(facts, rng, second)
    mentioned = fields(templates[first]) & fields(templates[second])
    other_facts = changed(facts, rng, mentioned)
    second_sentence = tell(other_facts, rng, second)
    if rng.random() < DOUBT_CHANCE:
        second_sentence = doubted(second_sentence, other_facts, rng)
    return tell(facts, rng, first), second_sentence


# Short movie-review phrases, as in SST-2: lower case, tokens split by spaces.
GOOD = [
    "funny",
    "moving",
    "sharp",
    "warm",
    "clever",
    "gorgeous",
    "gripping",
    "tender",
    "smart",
    "delightful",
    "honest",
    "beautifully acted",
    "well-crafted",
    "touching",
]
BAD = [
    "dull",
    "tedious",
    "clumsy",
    "shallow",
    "predictable",
    "lifeless",
    "bloated",
    "pointless",
    "muddled",
    "flat",
    "forgettable",
    "overlong",
    "ham-fisted",
    "tired",
]
THINGS = [
    "film",
    "movie",
    "story",
    "script",
    "performance",
    "comedy",
    "drama",
    "thriller",
    "documentary",
    "cast",
    "direction",
    "ending",
    "soundtrack",
    "premise",
]
REVIEW_TEMPLATES = [
    "{article_a} {a} and {b} {thing}",
    "the {thing} is {a} , {b} and often {c}",
    "{a} , {b} {thing}",
    "{article} {adv} {a} {thing} that never feels {opp}",
    "it 's {a} , but the {thing2} is {opp}",
    "the most {a} {thing} of the year",
    "{adv} {a}",
    "too {opp} to be {a}",
    "what could have been {opp} turns out {a} and {b}",
    "{article_thing} {thing} that is {adv} {a} from start to finish",
]
ADVERBS = ["thoroughly", "surprisingly", "quietly", "genuinely", "consistently", "oddly"]


def article(word):
    """'a' or 'an', whichever goes before ``word``."""
    return "an" if word[0] in "aeiou" else "a"


def review(rng, positive):
    """One SST-2-style review phrase whose sentiment is ``positive`` (or not)."""
    same, opposite = (GOOD, BAD) if positive else (BAD, GOOD)
    a, b, c = rng.sample(same, 3)
    template = rng.choice(REVIEW_TEMPLATES)
    thing, adverb = rng.choice(THINGS), rng.choice(ADVERBS)
    return template.format(
        a=a,
        b=b,
        c=c,
        opp=rng.choice(opposite),
        thing=thing,
        thing2=rng.choice(THINGS),
        adv=adverb,
        article=article(adverb),
        article_a=article(a),
        article_thing=article(thing),
    )


def question(rng):
    """A short everyday question, for QQP and QNLI."""
    facts = event(rng)
    return rng.choice(
        [
            f"How much did {facts['company']} earn last year ?",
            f"Who is the {facts['role']} of {facts['company']} ?",
            f"What is the best way to learn about {facts['issue']} ?",
            f"Why did {facts['agency']} act on {facts['issue']} ?",
            f"Where can I buy a {facts['product']} in {facts['place']} ?",
            f"Is it worth moving to {facts['place']} for work ?",
        ]
    )


REWORDINGS = [
    ("How much did ", "What did "),
    ("Who is the ", "Who currently serves as the "),
    ("What is the best way to learn about ", "How can I learn more about "),
    ("Why did ", "What made "),
    ("Where can I buy a ", "Which shops sell a "),
    ("Is it worth moving to ", "Should I move to "),
]


def reworded(question):
    """The same question asked in other words, for QQP's duplicates."""
    for old, new in REWORDINGS:
        if question.startswith(old):
            return new + question[len(old) :]
    return question


def scrambled(sentence, rng):
    """A sentence with two words swapped: usually ungrammatical, for CoLA."""
    words = sentence.split()
    i, j = rng.sample(range(len(words) - 1), 2)
    words[i], words[j] = words[j], words[i]
    return " ".join(words)
