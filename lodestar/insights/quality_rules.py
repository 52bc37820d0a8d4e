"""Outcome, output or activity: what a key result states, read from its words (no Django).

The kind of a key result (metric, milestone, stay above/below) does not decide: a milestone
that states a result reached ("lead time under two days") is an outcome, and a metric that
counts work ("publish 15 posts") is output. Each verdict carries a coach's sentence naming
the rule that decided. English only; the rules, in order, are in docs/insights.md, and
`quality_set.csv` holds the labelled key results they are measured against.
"""

import re
from dataclasses import dataclass

OUTCOME, OUTPUT, ACTIVITY = "outcome", "output", "activity"


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Opening verbs that state a result reached or kept: no figure is needed.
REACHING_VERBS = _words_of(
    "reach reaches achieve achieves attain hit exceed overtake beat win land sign retain "
    "eliminate halve double triple quadruple keep maintain sustain"
)
# Opening verbs that change something: a result when they name a figure or a measure.
IMPROVING_VERBS = _words_of(
    "increase increases raise grow grows reduce reduces cut cuts lower decrease decreases "
    "improve improves lift boost shorten drive drives accelerate expand maximise maximize "
    "minimise minimize optimise optimize enhance speed"
)
# Opening verbs that name a task: done or not done says nothing of what it changes.
TASK_VERBS = _words_of(
    "conduct launch ship publish run hold host organise organize write build create deliver "
    "complete implement migrate introduce roll set release deploy design develop start finish "
    "prepare attend send train interview draft document map plan define establish identify "
    "test review evaluate assess analyse analyze investigate research explore prototype pilot "
    "upgrade update refactor rewrite redesign rebuild configure install integrate automate "
    "move transition add fix close resolve squash address schedule undertake do execute "
    "finalise finalize agree decide select choose enable support provide offer produce make "
    "begin kick track measure monitor audit validate verify survey collect gather capture "
    "change replace deprecate remove clean merge contribute facilitate coordinate communicate "
    "share present speak announce promote amplify celebrate catch nail get bring refresh open "
    "aggregate store prove incorporate triage label source sort file submit apply adopt "
    "convert port split consolidate simplify standardise standardize streamline document "
    "instrument expose extract import export load sync backfill onboard educate coach "
    "mentor enroll enrol invite engage reach-out contact email call visit meet pitch sell "
    "negotiate price package brand rebrand name write-up sunset archive delete retire "
    "shut turn switch host stand spin scope spec specify outline formalise formalize "
    "propose recommend compile benchmark baseline certify accredit publicise publicize "
    "initiate use work fill lead own assign hand author assist direct distribute give print "
    "commit attribute ramp consider"
)
# Task verbs whose counted object can be a result won ("deliver 10 SQLs", "add 30 customers").
ACQUIRING_VERBS = _words_of("deliver add generate source close secure acquire book bring get")
# "Get"/"bring" with a figure read through to it ("get contributors per release to 100").
READ_THROUGH_VERBS = _words_of("get bring")
HIRING_VERBS = _words_of("hire hires recruit onboard staff")
PEOPLE = _words_of(
    "people person engineers engineer developers designers designer managers manager members "
    "member teammates employees staff hires reps salespeople recruits interns "
    "pms marketers writers analysts scientists candidates applicants directors director sres "
    "maintainer maintainers coordinator coordinators specialist specialists recruiter "
    "recruiters architect architects sdrs aes ces bdrs ses"
)
# Pieces of work a team produces; counting them counts effort, not its effect.
WORK_NOUNS = _words_of(
    "post posts blogs article articles piece pieces content case studies study tutorial "
    "tutorials video videos webinar webinars podcast podcasts ebook ebooks whitepaper "
    "whitepapers newsletter newsletters doc docs document documents page pages guide guides "
    "talk talks presentation presentations deck decks event events meetup meetups conference "
    "conferences confs ama amas workshop workshops session sessions training trainings "
    "course courses bootcamp boot-camp interview interviews call calls meeting meetings demo "
    "demos commits bug bugs issue issues feature features integration integrations release "
    "releases component components alert alerts endpoint endpoints test tests gap gaps action "
    "actions item items change changes improvement improvements campaign campaigns experiment "
    "experiments plan plans pitch pitches announcement announcements cycle cycles addition "
    "additions configuration configurations calculator calculators deliverable deliverables "
    "task tasks story stories epic epics ticket tickets report reports survey surveys "
    "dashboard dashboards template templates asset assets hackathon hackathons email emails "
    "message messages proposal proposals requests prs reasons findings check-ins checkins "
    "points iterations edits updates sprints certifications labels rfcs specs designs "
    "mockups prototypes pilots pocs outreach touchpoints webcasts keynotes sops guidelines "
    "playbooks runbooks scripts lessons modules mrs sourcing"
)
# "Reviews" are work when a team does them, a result when customers write them.
REVIEW_WORK = _words_of("code architecture design business performance strategy quarterly peer")
# Results a key result can state: about customers, money, use, speed, quality, opinion.
RESULT_NOUNS = _words_of(
    "revenue arr iarr carr tcv mrr iacv acv nrr sales pipeline leads lead mqls sqls sqos saos "
    "opportunities opportunity pqls "
    "deals bookings customers customer clients companies logos users user mau dau wau swau "
    "swaus visitors visits views traffic signups sign-ups subscribers trials conversion "
    "retention churn nps enps csat ssat satisfaction rating ratings score scores adoption "
    "usage engagement activation availability uptime latency p95 p99 time times cost costs "
    "margin profit efficiency accuracy coverage errors incidents defects crashes failures "
    "contributors rate ratio share quota spend growth renewals renewal dropout downtime "
    "reliability performance speed response resolution loyalty feedback number amount level "
    "volume roi ltv cac gmv aov payback contributions referrals ranking rankings mentions "
    "visibility awareness reaction views"
)
# A count followed by one of these is what the work achieved ("1 post hits top 5").
RESULT_VERBS = _words_of(
    "hits hit reaches reach gets drives drove generates generated earns earned ranks wins "
    "attracts brings"
)
# A piece of work said to be done ("policy fully implemented", "dashboard available").
DONE_WORDS = _words_of(
    "implemented completed complete published launched released shipped defined documented "
    "developed delivered added built created finished tested enabled deployed installed "
    "migrated integrated automated finalised finalized approved drafted redesigned "
    "available live active set done written sent held chosen given"
)
DONE_PHRASES = ("in place", "in alpha", "in beta", "generally available", "up and running")
# People outside the team: what they do is a result ("3 customers have run 10 campaigns").
OUTSIDERS = _words_of(
    "customers customer users user clients partners press media analysts prospects buyers "
    "visitors readers community developers"
)
# A change in what people do is a result ("team members rely on the handbook").
ADOPTING_WORDS = _words_of(
    "use uses using used rely relies relying adopt adopts adopting adopted follow follows "
    "following running practice practise"
)
# Things of our own making; that one exists is done work ("each team has a process").
ARTIFACTS = _words_of(
    "process processes plan plans program programme programs policy policies framework "
    "strategy roadmap template templates dashboard dashboards playbook checklist budget "
    "budgets owner owners ownership documentation handbook lifecycle flow guide module "
    "repository reporting system systems tool tools solution portal"
)
# How well a thing works is a result ("the handbook is fast to browse").
QUALITY_WORDS = _words_of(
    "fast faster quick quicker reliable reliably accurate stable secure responsive robust "
    "performant easy easier simple simpler"
)
# "On plan", "to plan", "of plan": a target met, not a plan made.
TARGET_IDIOM = _words_of("on to of against vs versus")
# What a product part does is a feature shipped ("the UI indicates …", "runs on Chrome").
FEATURE_VERBS = _words_of(
    "indicates shows displays supports allows lets includes offers describes documents lists "
    "explains exposes runs ensures handles"
)
# What people know, trust or feel is a result ("everyone knows where to find the roadmap").
KNOWING_WORDS = _words_of(
    "know knows understand understands trust trusts recognise recognises recognize "
    "recognizes believe believes feel feels love loves prefer prefers aware"
)
# People telling what they think: a result ("90% of new hires say onboarding was excellent").
OPINION_WORDS = _words_of("say says said report rate rates recommend recommends would")
# Verbs of people saying, hearing or wanting something: a change in them ("users mention …").
TELLING_WORDS = _words_of(
    "say says said mention mentions agree agrees hear hears want wants recommend recommends "
    "praise praises"
)
# Opening verbs of learning: a task of research ("understand why customers leave").
LEARNING_VERBS = _words_of("understand learn discover")
# Others acting on us: "get mentioned by influential developers", "get listed".
IRREGULAR_PARTICIPLES = _words_of("known seen chosen featured written")
# Time put in is effort, not what it achieves ("each member devotes 2d per milestone").
EFFORT = re.compile(
    r"\b(?:devotes?|spends?|dedicates?|invests?)\s+(?:at least\s+|up to\s+)?\d+(?:\.\d+)?\s*"
    r"(?:d|h|hrs?|hours?|days?|weeks?|%)(?![\w%])"
)
# Work going on is not a result ("product is working to improve retention").
UNDER_WAY = re.compile(r"\b(?:is|are|am)\s+(?:actively\s+)?working\b")
# Auxiliaries between a team and its verb ("we have shipped", "we've benchmarked").
AUXILIARIES = _words_of("have has had will 've are is were was")
# Numbers that name a thing rather than count it ("priority 1 & 2", "phase 1", "tier 1").
IDENTIFIER = re.compile(
    r"\b(priority|tier|level|stage|phase|version|step|rfc|release|p|v)\s?\d+(?:\.\d+)*\+?"
    r"(?:\s*(?:&|and|or|/|,)\s*\d+\+?)*"
)
PARTICLES = _words_of("out up off away down")
OBJECT_LEAD = _words_of("at least the top another an additional more than over a up to")
# Verbs of a clause whose opening words are its subject, not an order.
CHANGED_WORDS = _words_of(
    "reduced increased cut improved raised grown lowered decreased doubled tripled halved shortened"
)
# The same changes told in the present ("IACV doubles", "retention grows 10%").
CHANGING_WORDS = _words_of(
    "grows rises falls drops doubles triples halves increases decreases improves climbs"
)
# Credentials and compliance: boxes the team ticks ("earn the certification", "SOC2").
CREDENTIALS = _words_of(
    "certification certifications certificate certificates accreditation compliance"
)
# What a team does, not what it achieves: "100% of the team participate in a POC".
TEAM_WORK_WORDS = _words_of(
    "participate participates participated participation attend attends attended trained "
    "certified "
    "sourcing vacancies"
)
CLAUSE_VERBS = _words_of("is are was were get gets has have can will should takes returns")
HIRING_PREDICATES = _words_of(
    "is are was ends ended at to of on meets reaches hits above below within"
)
HIRING_PREDICATES = HIRING_PREDICATES | {""}
HIRING_TARGETS = _words_of("plan plans target targets goal goals")
JOINED_WORDS = _words_of("signed joined joins recruited hired onboarded brought ramped")
NUMBER_WORDS = _words_of(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "fifty hundred"
)
TIME_UNITS = _words_of(
    "s ms sec secs second seconds min mins minute minutes h hr hrs hour hours day days week "
    "weeks month months quarter quarters year years yoy qoq x"
)
# Words that end a counted noun phrase, and words after which a count is context
# ("with 5 customers", "within two releases"), not the thing counted.
PHRASE_ENDS = _words_of(
    "per before after within across in on at for from with by as that which who than over "
    "and or to between is are was were be has have had use uses used get gets go goes take takes "
    "see sees report reports pass passes do does don't doesn't never without"
)
NEGATIONS = _words_of("do does don't doesn't never without")
CONTEXT_BEFORE = _words_of("with within for in on per every each across over among from between")
# Ceilings on bad things ("less than 2 bugs found") are results, not counted work.
CEILING = re.compile(
    r"(?:\b(?:less|fewer|no more) than|\b(?:under|below|max|maximum|at most)|<)\s*$"
)
MEASURED_BY = re.compile(
    r",?\s+(?:as\s+)?(?:measured|indicated|shown|evidenced|tracked)\s+by\s+(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)
ABBREVIATIONS = re.compile(r"\b(avg|approx|e\.g|i\.e|vs|incl|est|no)\.\s", re.IGNORECASE)
# What a key result is for, or how it will be done, is not what it states. Only verbs that
# are rarely nouns mark a purpose ("adherence to support terms" is not one).
PURPOSE_VERBS = _words_of(
    "enable help allow ensure make catch convert become meet prepare "
    "show prove understand learn inform unlock empower avoid prevent protect confirm "
    "determine identify"
)
PURPOSE = re.compile(
    r"\s(?:in order to|so that|so as to|that will|which will|to)\s+("
    + "|".join(sorted(REACHING_VERBS | IMPROVING_VERBS | PURPOSE_VERBS))
    + r")\b.*$"
)
MEANS = re.compile(
    r"\s(?:through|via|using)\s(?!(?:the\s)?(?:end|eo[yqm]|q[1-4]|year|quarter|month|week)\b).*$"
    r"|\sby\s+\w+ing\b.*$"
)
COUNT = re.compile(
    r"(?:(?<=\s)|^)(top[- ]?\d+|\d[\d,]*\+?|n\d*|"
    + "|".join(sorted(NUMBER_WORDS))
    + r")(?![\w%.-])"
)


@dataclass(frozen=True)
class Classification:
    style: str  # "outcome" | "output" | "activity"
    reason: str

    @property
    def is_outcome(self) -> bool:
        return self.style == OUTCOME


def classify_key_result(title: str, kind: str = "", unit: str = "") -> Classification:
    """What the key result states. `kind` is ignored on purpose: a milestone can state a
    result and a metric can count work. A key result written as headline and measure
    ("Ship EE by default. Trials increase 100%.") is judged by its measure, the last
    sentence that a rule decides."""
    del kind  # the point of these rules: the kind does not decide
    verdicts = [_judge(c) for c in (_clause(s) for s in _sentences(title)) if c]
    decided = [verdict for verdict, sure in verdicts if sure]
    if decided:
        verdict = decided[-1]
    else:
        verdict = Classification(OUTCOME, "Names no task and no work: read as a result.")
    changes = verdict.reason.startswith(("Opens with “", "Sets out to"))
    if verdict.style == OUTCOME and not changes and unit.strip().lower() in WORK_NOUNS:
        return Classification(
            OUTPUT,
            f"Counted in “{unit.strip()}”, pieces of work: it counts effort, not its effect.",
        )
    return verdict


def _sentences(title: str) -> list[str]:
    """Sentences, and what follows "as measured by" as a sentence of its own (the measure)."""
    text = ABBREVIATIONS.sub(lambda m: m.group(1) + " ", title)
    text = MEASURED_BY.sub(". ", text)
    # "(99.95% availability)": a measure in brackets is the key result's measure
    text = re.sub(r"\s*\(((?!to |in order)[^()]*\d\s*%\s*[a-z][^()]*)\)\s*", r". \1. ", text)
    return re.split(r"(?<=[A-Za-z0-9)%])\.\s+(?=[A-Za-z0-9$<>])|;\s+", text)


def _clause(sentence: str) -> str:
    """Lower case, without links, parentheses, owner prefixes, dates, purpose and means."""
    # "$M", "P MQLs", "N0": a figure kept back, still a figure ("A"/"I" are words)
    text = re.sub(r"(?<![\w'-])(?:[B-HJ-Z]|N\d+)(?![\w'-])", "n", sentence)
    text = text.lower().replace("’", "'").replace("“", "").replace("”", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\([^)]*\)?", " ", text)
    text = re.sub(r"\b(\w+) to (\1|end)\b", r"\1-to-\2", text)
    text = IDENTIFIER.sub(lambda m: m.group(1), text)  # "face to face", "end to end"
    text = re.sub(r"^(?:[\w&/,.' -]{1,40}?\s)?(?:kr|key result)?\s*:\s*", "", text)
    text = re.sub(
        r"\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b(?:-\d{2})?|\bfy\d+\b|\b[qh][1-4]\b", " ", text
    )
    text = re.sub(
        r"\b\d+(?:st|nd|rd|th)\b"
        r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b",
        " ",
        text,
    )
    text = PURPOSE.sub("", text)
    means = MEANS.search(text)
    # "teams using dashboards from 40% to 90%": "using" after a noun is not a means
    participle = (
        means
        and means.group().lstrip().startswith("using")
        and not _has_figure(text[: means.start()])
    )
    if means and not participle:
        text = text[: means.start()]
    return re.sub(r"\s+", " ", text).strip(" .,;:-")


def _words(text: str) -> list[str]:
    return [w.strip(".,;:'!?") for w in re.findall(r"[a-z0-9$%<>+][a-z0-9$%.,+'-]*", text)]


def _opening(words: list[str]) -> tuple[str, list[str]]:
    """The opening verb after adverbs ("materially improve") and "make sure (that)"; after a
    team as subject ("CEs document …"); none when the first word is a noun ("merge
    requests get merged …")."""
    while len(words) > 1 and words[0].endswith("ly"):
        words = words[1:]
    if words[:1] and words[0] in ("we've", "we're", "we'll", "we'd"):
        words = ["we", *words[1:]]
    start = 1 if words[:1] in (["each"], ["all"], ["our"], ["every"]) else 0
    for size in (1, 2):
        subject, at = words[start : start + size], start + size
        while at < len(words) and words[at] in AUXILIARIES:
            at += 1  # "we have shipped 3 case studies", "we've benchmarked …"
        verb = words[at : at + 1]
        if subject and verb and _is_team(subject[-1]) and verb[0] not in TELLING_WORDS:
            present = verb[0].endswith("s") and verb[0][:-1] in TASK_VERBS
            base = verb[0][:-1] if present else _task_verb_form(verb[0])
            if base:
                return base, words[at:]
    subject_words = CLAUSE_VERBS | CHANGED_WORDS | DONE_WORDS - {"live", "active"}
    changing = words[:1] and words[0] in IMPROVING_VERBS | REACHING_VERBS
    if len(words) > 2 and not changing and set(words[1:3]) & subject_words:
        return "", words  # "close cycle reduced to 9 days", "audit fieldwork completed"
    if words[:2] == ["make", "sure"] or words[:1] == ["ensure"]:
        words = words[2:] if words[0] == "make" else words[1:]
        return "", words[1:] if words[:1] == ["that"] else words
    return (words[0] if words else ""), words


def _task_verb_form(word: str) -> str | None:
    """The task verb a word is a form of: "launch", "launched", "refreshed" → its base."""
    if word in TASK_VERBS:
        return word
    for stem in (word[:-1], word[:-2], word[:-3] if word.endswith("ied") else "", word[:-3] + "y"):
        if word.endswith("ed") and stem in TASK_VERBS:
            return stem
    return None


def _is_team(word: str) -> bool:
    acronym_plural = re.fullmatch(r"[a-z]{2,4}s", word) and word not in (
        WORK_NOUNS | RESULT_NOUNS | CLAUSE_VERBS | AUXILIARIES
    )
    return word in PEOPLE | {"we", "they", "team", "teams"} or bool(acronym_plural)


def _direct_count(words: list[str]) -> list[str] | None:
    """The noun phrase a task verb counts as its object ("publish 5 deep-dive assets")."""
    rest = words[1:]
    while rest and (rest[0] in PARTICLES or rest[0] in OBJECT_LEAD):
        rest = rest[1:]
    if rest and COUNT.fullmatch(rest[0]) and rest[0] != "n":
        phrase, _ = _phrase(" ".join(rest[1:]))
        return phrase if phrase and phrase[0] not in TIME_UNITS else None
    return None


def _has_figure(text: str) -> bool:
    return bool(
        re.search(r"(?<![a-z])\d|%|\$|[<>]|\bn\d*\b|\b[xym]\b|\bhalf\b", text)
        or any(w in NUMBER_WORDS for w in _words(text))
    )


def _counted(text: str) -> list[tuple[str, str]]:
    """(what is counted, the text before the count) for each count in the clause:
    "work" for pieces of work (or "work:<noun>"), "people", "result", or "" for other."""
    found = []
    for match in COUNT.finditer(text):
        before = text[: match.start()].split()
        if before and before[-1] in CONTEXT_BEFORE:
            continue
        phrase, ended_by = _phrase(text[match.end() :])
        if phrase and phrase[0] in TIME_UNITS and not set(phrase[1:]) & WORK_NOUNS:
            continue
        if match.group(1).startswith("top") and ended_by in ("on", "in", "at"):
            found.append(("result", text[: match.start()]))  # a rank: "top-5 post on HN"
            continue
        found.append((_what_is_counted(phrase, ended_by), text[: match.start()]))
    return found


def _phrase(text: str) -> tuple[list[str], str]:
    """The noun phrase at the start of `text` (up to six words) and the word that ended it."""
    phrase: list[str] = []
    for word in _words(text)[:6]:
        if word in PHRASE_ENDS or word in RESULT_VERBS:
            return phrase, word
        phrase.append(word.split("/")[0])
    return phrase, ""


def _what_is_counted(phrase: list[str], ended_by: str) -> str:
    """The head of the counted phrase is its last known noun ("customer case studies")."""
    for i in reversed(range(len(phrase))):
        word = phrase[i]
        if word in PEOPLE:
            return "people"
        if word in RESULT_NOUNS:
            return "result"
        if word in WORK_NOUNS or (word == "reviews" and i > 0 and phrase[i - 1] in REVIEW_WORK):
            # what the work itself achieved ("1 post hits top 5") is a result
            achieved = ended_by in RESULT_VERBS or ended_by in NEGATIONS
            return "result" if achieved else f"work:{word}"
    return ""


def _work_counted(text: str) -> str | None:
    for what, before in _counted(text):
        if what.startswith("work:") and not CEILING.search(before):
            return what.removeprefix("work:")
    return None


def _result_counted(text: str) -> bool:
    return any(what == "result" for what, _ in _counted(text))


def _names_result(words: list[str]) -> bool:
    return any(w in RESULT_NOUNS or w.endswith(("-time", "rate")) for w in words)


def _done_word(text: str) -> str | None:
    """A word saying own work is done, unless it describes a level or a thing
    ("available 99.95%", "complete within 2 days", "active users", "tested pages")."""
    for phrase in DONE_PHRASES:
        if phrase in text:
            return phrase
    words = _words(text)
    for i, word in enumerate(words):
        if word in ADOPTING_WORDS or (
            word not in DONE_WORDS and not (word.endswith("ed") and _task_verb_form(word))
        ):
            continue
        after = words[i + 1 : i + 3]
        describes = bool(after) and (
            after[0] in WORK_NOUNS | RESULT_NOUNS | PEOPLE
            or _has_figure(after[0])
            or (after[0] in ("within", "under", "in") and len(after) > 1 and _has_figure(after[1]))
        )
        if not describes:
            return word
    return None


def _states_level(text: str) -> bool:
    """A level to reach or keep: "below 24h", "under 2 s", "< 1%", "within two releases"."""
    figure = r"(?:\d|" + "|".join(sorted(NUMBER_WORDS)) + r")"
    units = "|".join(sorted(TIME_UNITS - {"x"}))
    in_time = r"\bin\s+(?:under\s+)?" + figure + r"[\w.]*\s+(?:business\s+)?(?:" + units + r")\b"
    return bool(
        re.search(in_time, text)
        or re.search(
            r"(?:[<>≤≥]|\b(?:below|under|above|over|within|less than|more than)\s)\s*" + figure,
            text,
        )
    )


def _hires(opening: str, words: list[str], text: str) -> bool:
    if opening in HIRING_VERBS:
        return True
    if (
        opening in ("grow", "double", "triple")
        and words[1:3]
        and set(words[1:3]) & {"team", "teams", "headcount"}
    ):
        return True  # "grow team to plan (+2 web …)"
    people_counted = any(what == "people" for what, _ in _counted(text))
    if opening in ACQUIRING_VERBS | {"source", "interview"} and people_counted:
        return True  # "add 5 members", "source 50 candidates"
    for i, word in enumerate(words[:5]):
        if (
            word in PEOPLE
            and (people_counted or i < 3)
            and set(words[i + 1 : i + 7]) & JOINED_WORDS
            and not _states_level(text)
        ):
            return True  # "25 members signed up", "a coordinator is brought on"
    for i, word in enumerate(words[:4]):
        subject = i == 0 or words[i - 1] not in CONTEXT_BEFORE | {"of", "around"}
        following = words[i + 1] if i + 1 < len(words) else ""
        telling = set(words) & (OPINION_WORDS | KNOWING_WORDS)  # "new hires say …"
        if word in ("hired", "hires", "hire") and subject and not telling:
            return True
        if word == "hiring" and subject and following in HIRING_PREDICATES | HIRING_TARGETS:
            return True  # "final Q3 hiring is 85% of plan", not "hiring managers report"
    return False


def _participle(word: str) -> bool:
    return word in IRREGULAR_PARTICIPLES or (word.endswith("ed") and len(word) > 4)


def _share_of_own_work_done(clause: str) -> bool:
    """ "100% of inbound leads are scored", "95% of subscriptions moved to auto-renew": a share
    of things the team does something to, unless a level is stated ("… within 5 mins")."""
    share = re.search(r"\d\s*%\+?\s+of\s+(.*)$", clause)
    if not share or _states_level(clause):
        return False
    rest = _words(share.group(1))[:10]
    told = False  # the participle follows "are", "have", "get": "leads are scored"
    for word in rest:
        if word in ADOPTING_WORDS:
            return False
        base = _task_verb_form(word) if word.endswith("ed") else None
        done = base or (word in DONE_WORDS - {"available", "live", "active", "complete"})
        if told and done and base not in ACQUIRING_VERBS:
            return True
        told = told or word in AUXILIARIES | {"get", "gets", "been", "be"}
    return False


def _people_act(words: list[str], i: int) -> bool:
    """People do the using: named before it ("sales reps are using"), or after "used by/at"
    ("used at the all-hands"); our own software using a library is work, not adoption."""
    people = PEOPLE | OUTSIDERS | {"everyone", "everybody", "team", "teams", "we"}
    if any(w in people or _is_team(w) for w in words[:i]):
        return True
    return words[i] in ("used", "adopted") and words[i + 1 : i + 2] in (["by"], ["at"], ["in"])


def _share_of_our_people(clause: str) -> bool:
    """ "100% of teammates have access to compensation data": what the team does for its own
    people, unless they say, feel or reach something ("… would recommend", "… at 70% of
    quota") or a level is stated ("notified within 3 workdays")."""
    share = re.search(r"\d\s*%\+?\s+of\s+(?:the\s+|our\s+|all\s+)?(.*)$", clause)
    if not share or _states_level(clause):
        return False
    rest = _words(share.group(1))
    ours = any(w in PEOPLE or w in ("team", "roles") for w in rest[:4])
    said = set(_words(clause)) & (KNOWING_WORDS | OPINION_WORDS)
    return ours and not said and not _names_result(rest)


def _result_changes(words: list[str]) -> bool:
    """A result named, then a verb of change: "IACV doubles", "retention of users grows"."""
    for i, word in enumerate(words[1:8], start=1):
        if word in CHANGING_WORDS | CHANGED_WORDS and _names_result(words[:i]):
            return True
    return False


def _judge(clause: str) -> tuple[Classification, bool]:
    """A verdict on one clause and whether a rule decided it (rather than the default)."""
    opening, words = _opening(_words(clause))
    if opening == "get" and words[1:2] and _participle(words[1]):
        return Classification(
            OUTCOME, f"Says others will act on us (“get {words[1]}”): a result, not a task."
        ), True
    if opening in READ_THROUGH_VERBS and _has_figure(clause):
        opening, words = "", words[1:]
    if _hires(opening, words, clause):
        return Classification(OUTPUT, "Counts hires, not what the hires achieve."), True
    if opening in TASK_VERBS and any(what == "people" for what, _ in _counted(clause)):
        return Classification(
            OUTPUT, "Counts people the work reaches, not what changes for them."
        ), True
    if _share_of_own_work_done(clause):
        return Classification(
            OUTPUT, "Counts a share of the team's own work done, not what it changes."
        ), True
    if _share_of_our_people(clause):
        return Classification(
            OUTPUT, "Counts a share of our own people the work reaches, not what changes for them."
        ), True
    if re.search(r"\d\s*%", clause) and set(words) & TEAM_WORK_WORDS and not _names_result(words):
        return Classification(
            OUTPUT, "Counts a share of the team's own work, not what it changes."
        ), True
    if opening not in TASK_VERBS and opening.endswith("ed") and _task_verb_form(opening):
        opening = "done"  # "Implemented Vendor Management Process": a task, told as done
    elif opening in DONE_WORDS and opening not in ("available", "live", "active", "complete"):
        opening = "done"
    if set(words) & CREDENTIALS:
        return Classification(
            ACTIVITY,
            "A credential or compliance earned is the team's own work, not what it changes.",
        ), True
    if opening == "make" and set(words[1:5]) & {
        "forecast",
        "plan",
        "number",
        "quota",
        "target",
        "numbers",
    }:
        opening = "meet"  # "make the Q2 forecast": a target met
    if opening in REACHING_VERBS | {"meet"}:
        return Classification(OUTCOME, f"Opens with “{opening}”, a result to reach."), True
    if opening in LEARNING_VERBS:
        return Classification(
            ACTIVITY,
            f"Sets out to “{opening}” something: research to do. "
            "Say what changes once it is known.",
        ), True
    if opening in IMPROVING_VERBS:
        return _improving(opening, words, clause), True
    counted = _work_counted(clause)
    if opening in TASK_VERBS or opening == "done":
        return _task(opening, words, clause, counted), True
    knowing = [w for w in words[1:10] if w in KNOWING_WORDS | TELLING_WORDS]
    if knowing:
        return Classification(
            OUTCOME, f"Says what people “{knowing[0]}”: a change in them, a result."
        ), True
    if _result_changes(words):
        return Classification(OUTCOME, "States a result that changes."), True
    if UNDER_WAY.search(clause):
        return Classification(ACTIVITY, "Says work is under way, not what it changes."), True
    if EFFORT.search(clause):
        return Classification(
            ACTIVITY, "Counts time put into the work, not what the work achieves."
        ), True
    if re.match(r"(?:we|the team|our team) (?:will )?(?:have|has) (?:a|an|the) ", clause) and (
        not _has_figure(clause)
    ):
        return Classification(
            ACTIVITY, "Says the team will have a thing of its own, not what it changes."
        ), True
    if re.search(r"\b(?:is|are)\s+(?:greeted|welcomed|shown|prompted|guided)\s+by\b", clause):
        return Classification(
            ACTIVITY, "Says what a thing of ours does to people: a feature, not its effect."
        ), True
    owned = re.search(r"^(.*?)\b(?:has|have)\s+(?:a|an|its own|their own|rich)\s", clause)
    owner = set(_words(owned.group(1))) if owned else set()
    ours = owned and not owner & (OUTSIDERS | PEOPLE)  # "ProtoSchool has its own roadmap"
    if ours and not _has_figure(clause) and not _names_result(words):
        return Classification(
            ACTIVITY, "Says a thing of our own making exists, not what it changes."
        ), True
    if words[:3] == ["be", "able", "to"]:
        return Classification(
            ACTIVITY, "Says what the team will be able to do, not what it changes."
        ), True
    outsiders = any(
        w in OUTSIDERS and words[i + 1 : i + 2] not in ([n] for n in WORK_NOUNS)
        for i, w in enumerate(words[:4])
    )
    if counted and not outsiders:
        return _counts_work(counted), True
    if _result_counted(clause):
        return Classification(
            OUTCOME, "Counts a result: what customers, users or the market do."
        ), True
    capability = "can" in words[:5] and not _has_figure(clause)
    kept_away = re.search(r"^no\s|\b(?:with no|without(?! any\b)(?!\s+\w+ing\b)|zero)\s", clause)
    if kept_away and not capability:
        return Classification(OUTCOME, "States something bad kept away: a result."), True
    done = _done_word(clause)
    money_won = "$" in clause and _names_result(words)  # "… included in deals with $N IARR"
    if done and not _states_level(clause) and not money_won:
        return Classification(
            ACTIVITY, f"Says a piece of work is “{done}”, not what it changes."
        ), True
    if set(words) & CHANGED_WORDS and _has_figure(clause):
        return Classification(OUTCOME, "States a figure that changed."), True
    if outsiders and _has_figure(clause):
        return Classification(
            OUTCOME, "Counts a result: what customers, users or the market do."
        ), True
    adopting = [
        w
        for i, w in enumerate(words)
        if w in ADOPTING_WORDS
        and (i == 0 or words[i - 1] not in ("for", "to", "of"))
        and words[i + 1 : i + 2] not in (["case"], ["cases"])
        and _people_act(words, i)
    ]
    if adopting or set(words) & QUALITY_WORDS:
        return Classification(
            OUTCOME, "States a change in what people do or how well a thing works."
        ), True
    if "can" in words[:5] and not _has_figure(clause):
        return Classification(
            ACTIVITY, "Says what someone can do once it is built: a feature, not its effect."
        ), True
    if set(words[1:5]) & FEATURE_VERBS and not _has_figure(clause):
        return Classification(
            ACTIVITY, "Says what a thing of ours does: a feature or document, not its effect."
        ), True
    if _has_figure(clause):
        return Classification(OUTCOME, "States a figure to reach, not a task."), True
    absence = words[:1] in (["no"], ["zero"], ["not"], ["never"])
    work = [
        w
        for i, w in enumerate(words)
        if w in WORK_NOUNS and (i == 0 or words[i - 1] not in TARGET_IDIOM)  # "on plan"
    ]
    if work and not absence and not _names_result(words):
        return Classification(ACTIVITY, "Names work to do and no result of it."), True
    made = [
        w
        for i, w in enumerate(words)
        if w in ARTIFACTS and (i == 0 or words[i - 1] not in TARGET_IDIOM)
    ]
    if made and not absence:
        return Classification(
            ACTIVITY, "Says a thing of our own making exists, not what it changes."
        ), True
    if _names_result(words):
        return Classification(
            OUTCOME, "Names a result (feedback, growth, usage…) and no work: a result."
        ), True
    return Classification(OUTCOME, "Names no task and no work: read as a result."), False


def _improving(verb: str, words: list[str], clause: str) -> Classification:
    counted = _work_counted(clause) if re.search(r"\b(?:number|count) of\b", clause) else None
    if counted:
        return _counts_work(counted)
    if _has_figure(clause) or _names_result(words[1:]):
        return Classification(OUTCOME, f"Opens with “{verb}” and names a result that changes.")
    return Classification(
        ACTIVITY,
        f"Sets out to “{verb}” a thing of ours and names no result: say what it will change.",
    )


def _task(verb: str, words: list[str], clause: str, counted_work: str | None) -> Classification:
    counts = _counted(clause)
    direct = _direct_count(words)
    if direct and _what_is_counted(direct, "") in ("", "people") and not counted_work:
        counted_work = direct[-1]
    share = re.search(r"\d\s*%\s+(?:of\s+)?(?:the\s+|our\s+|all\s+)?(.*)$", clause)
    shared = _phrase(share.group(1)) if share else ([], "")
    share_of_work = bool(shared[0]) and _what_is_counted(*shared) != "result"
    if counted_work or share_of_work:
        return _counts_work(counted_work)
    gains = any(what == "result" for what, _ in counts) or (
        _has_figure(clause) and _names_result(_words(clause))
    )
    if verb in ACQUIRING_VERBS and gains:
        return Classification(OUTCOME, f"“{verb.capitalize()}” a counted result, not only a task.")
    if any(what == "result" for what, _ in counts):
        return _counts_work(None)
    if re.search(r"\d\s*%|[<>]\s*\d", clause) or _states_level(clause):
        return Classification(OUTCOME, "Names a level to reach, not only the task.")
    shown = "a task told as done" if verb == "done" else f"“{verb}”, a task"
    return Classification(
        ACTIVITY,
        f"Opens with {shown}: done or not done, it says nothing of the change it should cause.",
    )


def _counts_work(noun: str | None) -> Classification:
    if noun:
        return Classification(OUTPUT, f"Counts {noun} produced, not what they change.")
    return Classification(OUTPUT, "Counts the team's own work done, not what it changes.")
