"""Options a candidate names only to turn them down: "X is tempting, but…", "One idea is X. I don't trust it.",
"Paging on one sample teaches on-call to ignore the pager". Such a sentence commits to nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence

# A sentence that weighs an alternative only to reject it: "if feeds used the originals, that would be 50 PB a day",
# "a naive flow of reading then writing lets two guests book the last room", "computing every distance is impossible".
# Also "X instead would make it the biggest part", "a random ID is out:", and "if I check and then write as a
# separate step, two people can both miss the match": the option named, then what goes wrong with it.
_REJECTED = re.compile(
    r"^\s*(if|suppose|imagine)\b.*\bwould\b|\b(if|had) (we|each|every|someone|feeds|it)\b.*\bwould\b"
    r"|\b(impossible|not viable|rejected|naive|ruled out|so instead|instead,|doesn't work|does not work|wouldn't work"
    r"|never on the table|off the table|out of the question|non-?starter|not an option)\b"
    r"|\b(that's what|which is what|this is what) (stops|prevents|protects against|guards against)\b"
    r"|\binstead would\b|\b(is|are) out(?: too| as well)?\s*[:;,]"
    r"|^\s*if (i|we|you)\b[^.]*\b(can|could|might|would)\b[^.]*"
    r"\b(miss\w*|lose|lost|break\w*|twice|double\w*|collid\w*|overwrit\w*|corrupt\w*)\b"
    r"|\bwould\b[^.;]*\bif (we|you|they|each|every|it)\b"  # "one request per fix would be 3.5M a second if we…"
    r"|\b[a-z]+ing\b[^.;:]{0,80}\b(won't|can't|cannot|wouldn't|will not|doesn't|does not) (fit|scale|work|keep up"
    r"|survive|hold)\b",  # "so fetching every match and scoring it won't fit in 500 ms"
    re.IGNORECASE,
)


# The naive option named to be turned down, as strong candidates do: "X is tempting, since ..., but ...", "I did think
# about X", "the simplest design is X, but that's 350K writes a second on a few hot rows". A plain "the simplest design
# is X" is often the decision itself, so it needs a "but" followed by what goes wrong. ("Naive" anywhere is
# `_REJECTED`'s, and "the first thing anyone…" `_WEIGHED`'s alone, so `_FRAMED` leaves them out.)
_WEIGHED = re.compile(
    r"\b(tempting|appealing|(natural|obvious) first (thought|instinct)|i did think about|(i|we) considered|rules? out"
    r"|^\s*considered\b|\b(people|everyone|many teams|some teams) (like to |tend to |often |usually )?(assume|believe)\b"
    r"|\b(is|are|would be) (a bit |much |slightly )?(faster|cheaper|simpler|easier|quicker)\b[^.;]*\bbut\b"
    r"|i'd refuse|so that's out|shortcut|trap|anti-?pattern|i'd (also )?resist|zero-effort|low-effort"
    r"|(most people|everyone|people usually|people often) (reach for|build|start with|try|do) first"
    r"|(the )?first thing (most people|people|everyone|anyone)|i'd push back on|push back against"
    r"|^\s*what (i|we)('d| would) (actively |really )?(stop|avoid|prevent|ban|forbid|refuse)"
    r"|^\s*what (we|i|it|they|the \w+|\w+ nodes?) (don't|do not|never|won't) do is\b"
    r"|^\s*(put|add|let|use|store|send|give|make)\b[^.;]*\band (one|every|each|the|a|it|you|your)\b[^.;]*"
    r"\b(becomes|explodes|breaks|fails|melts|dies|loses|blows)\b"
    r"|\b(looks?|sounds?|seems?) (cheap|simple|easy|attractive|efficient|fine|good|appealing|natural|obvious|faster)\b"
    r"[^.;]*\bbut\b"
    r"|\b(is|are|would be|works?) (fine|ok|okay) for (a|an) (prototype|demo|toy|mvp|[\w-]+ (chat|demo|prototype))"
    r"|\b(is|are) (easy|simple|cheap|obvious),? (and|but) (wrong|broken|useless|slow)|^\s*some (designs|systems|teams)\b"
    r"|(the|an?) (obvious|crude|classic|lazy|straightforward|textbook|usual) (\w+ )?(design|version|approach|code|rule"
    r"|implementation|build|answer|attempt|way|first (design|answer|attempt|version))"
    r"|is the (obvious|crude|classic|lazy|straightforward|textbook|usual) (way|answer|approach|design)"
    r"|first (thing anyone|version most))\b",
    re.IGNORECASE,
)
_NAIVE = (
    r"(obvious|simpler|simplest|easiest|easy|simple|plain|fastest|cheapest|textbook|quick|straightforward|crude|classic"
    r"|lazy|usual|common|standard|traditional|conventional|default|natural|first|[a-z]+-style|[a-z]+-looking)"
)
_OPTION = (
    r"(design|version|option|route|way|approach|shortcut|loop|fix|path|code|rule|implementation|build|answer|attempt"
    r"|key|idea|move|alternative|sketch|choice|first (design|answer|attempt|version))"
)
# "The obvious simpler design…", "the textbook first sketch…", "one idea is…": an option framed as one of several
_FRAMED = re.compile(
    rf"\b((the|a|an) {_NAIVE}(?:[ -]{_NAIVE})? {_OPTION}|is the {_NAIVE}|first (thought|instinct|attempt)"
    r"|(another|one|the next|the other) (common )?(approach|option|idea|alternative|choice)"
    r"|would be the (easy|simple|obvious)"
    r"|^\s*the alternative\b"
    r"|(could|would|might)\b[^.;]*[,;]\s*but|\b(i|we|you|someone|one) could (just |simply )?\w+"
    r"|\b(it's|that's|it is|that is) the (simplest|easiest|obvious|naive|cheapest))\b",
    re.IGNORECASE,
)
_BUT = re.compile(
    r"[,;—-]\s*(but|though|however|except|and it|(i|we) (don't|won't|wouldn't|do not|will not))\b"
    r"|\b(the (problem|catch|trouble) is|trouble is)\b",
    re.IGNORECASE,
)
_GERUND_WOULD = re.compile(r"^\s*[a-z]+ing\b[^.;:]*?\bwould\b", re.IGNORECASE)
# "Paging on one sample teaches on-call to ignore the pager": an option as the subject, and what it breaks
_GERUND_SAYS_WHAT_BREAKS = re.compile(
    r"^\s*[A-Z][a-z]*(?:-[a-z]+)*ing\b[^.;:]*?\b(wastes|drowns|floods|starves|stalls|clobbers|fragments)\b"  # "Running one at a time wastes it"
    r"|^\s*[A-Z][a-z]*(?:-[a-z]+)*ing\b[^.;:]*?\b(is|are|means|costs|turns|teaches|fragments|loses|breaks|puts|makes|leaves)\b"
    r"[^.;:]*?\b(fail\w*|break\w*|los[et]\w*|gone|too slow|wrong|overload\w*|bottleneck\w*|hot spot|contention"
    r"|double\w*|twice|race\w*|ignor\w*|stale|fragment\w*|freez\w*|wast\w*|expensive)\b"
)
# "A total order across the topic would need one sequencer and throw away the parallelism", "Polling would lag":
# an option said as what would happen, by no one in the first person, and what goes wrong with it; only what is
# plainly bad counts ("scan" or "lock" a plan may do on purpose)
_SUBJECT_WOULD = re.compile(r"^[^.;:]*?\bwould\b", re.IGNORECASE)
_WOULD_BREAK = re.compile(
    r"\b(fall\w* over|fail\w*|break\w*|los[et]\w*|gone|terrible|wrong|badly|overload\w*|bottleneck\w*|melt\w*"
    r"|collaps\w*|explod\w*|too slow|throw\w* away|wast\w*|idle|lag|lags|blow\w*|hammer\w*|swamp\w*|vanish\w*"
    r"|repeat\w* identical|tie\w* the|single point|impossible|not happening|far too|eras\w*|clobber\w*|overwrit\w*"
    r"|giv\w* up|funnel\w*)\b",
    re.IGNORECASE,
)
# "if 100M devices each asked every 5 seconds, that's 20M requests a second": a hypothetical worked out
_IF_THEN_THATS = re.compile(r"\bif\b[^.;]*\b[a-z]+ed\b[^.;]*,\s*(that's|that is|that would be)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(i|i'd|i'll|i'm|we|we'd|we'll|our|us|my)\b", re.IGNORECASE)
_WE_DO = re.compile(r"\b(i|i'd|i'll|i'm|we|we'd|we'll|we're)\b", re.IGNORECASE)  # the first person as who acts
_ACCEPTED = re.compile(
    r"\b(fine|(doesn't|don't|does not|do not) matter|acceptable|ok|okay|rare|negligible|good enough|no big deal"
    r"|not a big deal|live with|tolerable|harmless)\b",
    re.IGNORECASE,
)
_GOES_WRONG = re.compile(
    r"\b(falls? over|fail\w*|break\w*|los[et]\w*|gone|drops?|miss\w*|can't|cannot|won't|doesn't|don't|never|terrible"
    r"|wrong|overload\w*|bottleneck\w*|hot|fight\w*|contention|cheat\w*|anyone|stale|too|scale|melt\w*|collaps\w*"
    r"|double\w*|twice|race\w*|lock\w*|scan\w*|forever|unbounded|explod\w*|expensive|costly|slow\w*|tail|leak\w*"
    r"|duplicat\w*|inconsistent|corrupt\w*|overwrit\w*|impossible|risk\w*|single point|dies|crash\w*|nothing new"
    r"|returning nothing|drain\w*|ties up|restart\w*|wast\w*|disput\w*|oversol\w*|throw\w* away|quietly|ignor\w*"
    r"|trusting|shipping|freez\w*|stall\w*|crawl\w*|idle|lag|lags|lagging|blow\w*|hammer\w*|swamp\w*|badly"
    r"|vanish\w*|fragment\w*)\b",
    re.IGNORECASE,
)


# What opens the sentence after a naive option to turn it down: "I wouldn't: that's 200K writes a second", "That's a
# round trip plus row locks per order"; the first group needs nothing more, the second needs what goes wrong.
_TURNS_DOWN = re.compile(
    r"^\s*(?:(but|however|instead|i wouldn't|i would not|i'd avoid|i'd steer|i'd stay away|i don't trust|not at"
    r"|i'd reject|i reject|no(?=\s*[,:;.!—–-])|for [^,.;:]{1,30}[,:] no|the (problem|catch|trouble|downside) (is|with)"
    r"|(two|three|several|a few) (problems|issues|catches))"
    r"|(that's|that is|that would|this|it|during|the problem|the catch|trouble is|between|with))\b",
    re.IGNORECASE,
)
# "Fine for a single team, but…", "It sounds efficient because…": granting the option something before turning it
# down, in that sentence or the next
_CONCEDES = re.compile(
    r"^\s*(that's fine|that works|it's fine|fine|simple|it's simple|it works|it would work|it sounds|sounds)\b",
    re.IGNORECASE,
)


# What opens a sentence that goes on to the candidate's own choice, or against the one just described: "So a stay is
# one transaction", "Instead, pings go to a gateway", "I'd skip it:", "The trouble is hot terms".
_GOES_ANOTHER_WAY = re.compile(
    r"^\s*(?:so|instead|rather|but|however|not|no(?=\s*[,:;.!—–-])|i'd (?:skip|avoid|rule|steer|not|reject)|i wouldn't"
    r"|i would not"
    r"|that (?:can't|won't|falls|breaks|fails|would)|the (?:trouble|problem|catch|fix)|(?:two|three|several|a few) "
    r"(?:problems|issues|catches)|we need)\b",
    re.IGNORECASE,
)


def _followed_by_another_way(sentence: str, following: Sequence[str]) -> bool:
    """A sentence said by no one in the first person, and within two sentences the candidate goes another way: "The
    easy route is to write each ping into the orders database." / "At 200K writes a second…" / "Instead…"."""
    if _FIRST_PERSON.search(sentence) or _ACCEPTED.search(sentence):
        return False
    return any(_GOES_ANOTHER_WAY.match(after) for after in following[:2])


# "Could viewers just poll every second?", "Sorting at read time?": a question the candidate goes on to answer
_ASKED_THEN_ANSWERED = re.compile(
    r"^\s*(?:(?:could|should|can|would|do|does|did|is|are|will|why|what|how|where|which|who|when)\b.*"
    r"|(?:\S+\s+){0,7}\S+)\?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def turned_down(sentences: Sequence[str]) -> list[bool]:
    """For each sentence of a turn, whether it names an option the candidate turns down, there or in the next one."""
    down = [
        rejects_an_alternative(sentence) or _followed_by_another_way(sentence, sentences[index + 1 :])
        for index, sentence in enumerate(sentences)
    ]
    consequence = [False] * len(sentences)
    for index, (sentence, after) in enumerate(zip(sentences, sentences[1:], strict=False)):
        if _FRAMED.search(sentence) and _turns_it_down(sentences[index + 1 : index + 3]):
            down[index] = True
        if not down[index] and _ASKED_THEN_ANSWERED.match(sentence):
            # the question commits to nothing; its answer is their decision unless it turns the option down
            down[index], consequence[index + 1] = True, _turns_it_down(sentences[index + 1 : index + 3])
        elif down[index] and not consequence[index] and _a_consequence(after):
            consequence[index + 1] = True  # "Two guests can both read 'one left' and both insert": one sentence only
        elif down[index] and _CONCEDES.match(after) and sentences[index + 2 :]:
            if _a_consequence(sentences[index + 2]):  # "That's fine at a few hundred a second. At 50K it melts."
                consequence[index + 1] = consequence[index + 2] = True
    return [said or followed for said, followed in zip(down, consequence, strict=True)]


def _turns_it_down(following: Sequence[str]) -> bool:
    """The sentence after a framed option turns it down, or grants it something and then turns it down."""
    after = following[0]
    opener = _TURNS_DOWN.match(after)
    if opener and (opener.group(1) or _GOES_WRONG.search(after)):
        return True
    if not _CONCEDES.match(after):
        return False
    but = _BUT.search(after)
    if but:
        return not _ACCEPTED.search(after, but.end()) and _GOES_WRONG.search(after, but.end()) is not None
    if len(following) < 2:
        return False
    return bool(re.match(r"\s*but\b", following[1], re.IGNORECASE)) or _a_consequence(following[1])


_WHAT_IF = re.compile(
    r"^\s*(?:but |and |yet )?(?:if|when|once|(?:it|that|this) (?:fails|breaks|falls over|goes wrong) (?:when|if|once))\b",
    re.IGNORECASE,
)


def _a_consequence(sentence: str) -> bool:
    """What goes wrong, said of the option rather than as their own plan ("two guests can both insert"), or as what
    happens to us if it is chosen ("But if the leader dies first, our acknowledged write is gone")."""
    if _GOES_WRONG.search(sentence) is None:
        return False
    return not _FIRST_PERSON.search(sentence) or bool(_WHAT_IF.match(sentence) and not _ACCEPTED.search(sentence))


def _said_to_break(sentence: str) -> bool:
    """An option as its subject, and what goes wrong with it, said by no one in the first person: "Paging on one
    sample teaches on-call to ignore the pager", "A total order would need one sequencer and throw away parallelism"."""
    # "us" and "our" after it are who suffers ("clients hammering us"), not who decides
    if _GERUND_SAYS_WHAT_BREAKS.match(sentence) and not (_WE_DO.search(sentence) or _ACCEPTED.search(sentence)):
        return True
    would = _SUBJECT_WOULD.match(sentence)
    if would is None or _FIRST_PERSON.search(would.group(0)) or not _WOULD_BREAK.search(sentence, would.end()):
        return False
    return not (_ACCEPTED.search(sentence, would.end()) or _WE_DO.search(sentence, would.end()))


def rejects_an_alternative(sentence: str) -> bool:
    """The sentence states an alternative the candidate rejects, not a decision they make."""
    if _REJECTED.search(sentence) or _WEIGHED.search(sentence):
        return True
    would = _GERUND_WOULD.match(sentence)  # "Letting the last commit win would quietly throw away the other edit"
    if would and _GOES_WRONG.search(sentence, would.end()):
        if not (_ACCEPTED.search(sentence, would.end()) or _FIRST_PERSON.search(sentence, would.end())):
            return True  # "…, which we'd then have to reconcile by hand" goes on to the other checks
    if _said_to_break(sentence):
        return True
    worked_out = _IF_THEN_THATS.search(sentence)
    if worked_out and not _ACCEPTED.search(sentence, worked_out.end()):
        return True
    turned_down = _BUT.search(sentence) if _FRAMED.search(sentence) else None
    if turned_down is None or _ACCEPTED.search(sentence, turned_down.end()):
        return False  # "we might count a click twice, but a few duplicates don't matter" accepts the risk
    return _GOES_WRONG.search(sentence, turned_down.end()) is not None
