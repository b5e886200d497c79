"""Signals read from the text of a reply to an outreach email (pure, multilingual).

- :func:`strip_quoted` keeps only what the person wrote: it drops the quoted original (reply
  headers such as "On Tue, ... wrote:" in six languages, "-----Original Message-----",
  Outlook "From: ... Sent: ..." blocks, ``>`` lines) and the signature under the reply
  ("-- ", "Sent from my iPhone", "Best regards, Name").
- :func:`detect_unsubscribe`: the person asks never to be emailed again.
- :func:`detect_out_of_office`: an automatic absence note, with the return date it states.
- :func:`find_referral`: a colleague the reply points to (name and address), never an
  address that is only part of the writer's own signature.

:class:`ReplyAnalysis` is the one shape every reply classifier returns (offline or Claude).
Input is untrusted: every function sanitizes it first (control characters cannot reach a
terminal, see :mod:`leadletter_tui.domain.text`) and caps the length it looks at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from leadletter_tui.domain.model import Sentiment
from leadletter_tui.domain.reply_dates import find_return_date, fold
from leadletter_tui.domain.text import sanitize_text

MAX_REPLY_CHARS = 20_000
"""Longer input is cut before any signal is read (a reply that long is mostly quotes)."""


@dataclass(frozen=True, slots=True)
class OutOfOffice:
    """An automatic absence note. ``return_date`` is None when the note states none."""

    return_date: date | None

    @property
    def snooze_until(self) -> date | None:
        """Follow-ups wait until the day after the stated return date."""
        return self.return_date + timedelta(days=1) if self.return_date else None


@dataclass(frozen=True, slots=True)
class Referral:
    """A colleague the reply points to. ``name`` may be empty (a role address)."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class ReplyAnalysis:
    """What a classifier concludes about one reply."""

    sentiment: Sentiment
    do_not_contact: bool
    out_of_office: OutOfOffice | None
    referral: Referral | None
    reason: str


# ----------------------------------------------------------------------------- quoted text

_WROTE = re.compile(
    r"^(?:on|am|le|el|op|em|il)\s.{0,300}?"
    r"(?:wrote|schrieb|a\s+ecrit|escribio|schreef|escreveu|ha\s+scritto)\b(?:.{0,150}:)?\s*$"
)
_SEPARATOR = re.compile(
    r"^[\s\-_*=]*(?:original message|ursprungliche nachricht|originalnachricht|"
    r"message d'origine|mensaje original|oorspronkelijk bericht|mensagem original|"
    r"forwarded message|weitergeleitete nachricht|message transfere|mensaje reenviado|"
    r"doorgestuurd bericht|mensagem encaminhada|begin forwarded message)[\s\-_*=:]*$"
)
_RULE = re.compile(r"^\s*(?:_{8,}|-{8,}|={8,})\s*$")
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|von|de|van|da|desde)\s*\*?\s*:\s*\S")
_HEADER_NEXT = re.compile(
    r"^\s*\*?(?:sent|date|to|cc|subject|gesendet|datum|an|betreff|envoye|a|objet|enviado|"
    r"fecha|para|asunto|verzonden|aan|onderwerp|data|assunto)\s*\*?\s*:"
)
_MOBILE = re.compile(
    r"^\s*(?:sent from|sent via|sent with|get outlook|von meinem|gesendet von|envoye de|"
    r"envoye depuis|enviado desde|enviado de|enviado do|verzonden (?:vanaf|met|van)|"
    r"verstuurd vanaf|obtenir outlook)\b"
)
_SIG_DASHES = re.compile(r"^\s*(?:--|—|–)\s*$")
_CLOSING = re.compile(
    r"^\s*(?:best|best regards|best wishes|kind regards|kindest regards|regards|warm regards|"
    r"warmly|cheers|thanks|thank you|thanks again|many thanks|thx|sincerely|yours|"
    r"yours sincerely|all the best|br|rgds|mfg|mit freundlichen grussen|freundliche grusse|"
    r"viele grusse|beste grusse|liebe grusse|herzliche grusse|lg|vg|gruss|grusse|"
    r"cordialement|bien cordialement|bien a vous|salutations|bonne journee|merci|saludos|"
    r"un saludo|atentamente|un abrazo|saludos cordiales|met vriendelijke groet|"
    r"met vriendelijke groeten|vriendelijke groet|groeten|groet|mvg|atenciosamente|abraco|"
    r"abracos|cumprimentos|obrigado|obrigada)\s*[,.!]*\s*(?:[A-Za-z][\w.'-]*)?\s*$"
)


def _header_at(folded: list[str], i: int) -> bool:
    """Does a quoted original start at line ``i``?"""
    line = folded[i]
    if _SEPARATOR.match(line) or _RULE.match(line):
        return True
    if _HEADER_FROM.match(line):
        return any(_HEADER_NEXT.match(nxt) for nxt in folded[i + 1 : i + 5])
    if line[:3].strip() in ("on", "am", "le", "el", "op", "em", "il"):
        for end in range(1, 4):  # mail programs wrap long headers over 2-3 lines
            head = " ".join(s.strip() for s in folded[i : i + end])
            if _WROTE.match(head) and any(ch.isdigit() or ch == "@" for ch in head):
                return True
    return False


_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|hallo|guten (?:tag|morgen)|liebe[rs]?|sehr geehrte[rs]?|bonjour|"
    r"salut|hola|buenos dias|buenas|hoi|beste|goedemorgen|ola|bom dia|boa tarde|prezad[oa])"
    r"\b[^.?!]{0,40}$"
)


def _signature_at(folded: list[str], i: int, has_text_before: bool) -> bool:
    """Does the writer's signature start at line ``i``?

    "-- " and "Sent from my ..." always start one. A closing ("Best,", "Viele Grüße") does
    when the reply has text before it and what follows looks like a signature: no question
    and no long sentence in the next lines (so "Hi Jo, / Thanks! / What's the price?" keeps
    its question).
    """
    line = folded[i]
    if _MOBILE.match(line) or _SIG_DASHES.match(line):
        return True
    if not (has_text_before and _CLOSING.match(line)):
        return False
    following = [f for f in folded[i + 1 : i + 12] if f.strip()][:6]
    for nxt in following:
        if _header_at([nxt], 0) or nxt.lstrip().startswith(">"):
            break
        if nxt.rstrip().endswith("?") or len(nxt.split()) > 8:
            return False
    return True


def strip_quoted(text: str) -> str:
    """Only the reply itself: no quoted original, reply headers or signature."""
    clean = sanitize_text(text)[:MAX_REPLY_CHARS]
    lines = clean.split("\n")
    folded = [fold(line) for line in lines]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _header_at(folded, i):
            break
        if line.lstrip().startswith(">"):
            continue
        has_text = any(k.strip() and not _GREETING.match(fold(k)) for k in kept)
        if _signature_at(folded, i, has_text):
            break
        kept.append(line)
    return "\n".join(kept).strip()


# ----------------------------------------------------------------------------- unsubscribe

_UNSUBSCRIBE = re.compile(
    r"unsubscrib|\bremove (?:me|us|my|our|this)\b|\btake (?:me|us|my \w+|our \w+) off\b|"
    r"\bopt (?:me |us )?out\b|\bopt-out\b|"
    r"\bstop (?:e-?mailing|emails|sending|contacting|writing|spamming|messaging)\b|"
    r"\b(?:don'?t|do not|never) (?:e-?mail|contact|write|message|send)\b.{0,20}\b(?:me|us)\b|"
    r"\bno (?:more|further) (?:e-?mails|emails|messages|contact)\b|"
    r"\bdelete my (?:e-?mail|address|data|details)\b|"
    # German
    r"\babmelden\b|\baustragen\b|\bverteiler\b|\bkeine (?:weiteren |weitere )?"
    r"(?:e-?mails|mails|nachrichten|werbung)\b|\bloschen sie (?:meine|unsere)\b|"
    r"\bnicht mehr (?:kontaktieren|anschreiben|schreiben)\b|"
    # French
    r"desinscri|desabonn|\bretirez[- ]moi\b|\bretirer (?:mon|notre) (?:adresse|e-?mail)\b|"
    r"\bne plus (?:me|nous) (?:contacter|ecrire|envoyer)\b|\bne m'ecrivez plus\b|"
    r"\bsupprimez (?:mon|notre)\b|"
    # Spanish
    r"\bdar(?:me|nos)? de baja\b|\bdarme de baja\b|\bbaja de (?:la|su) lista\b|"
    r"\bno (?:me|nos) (?:escriban|escribas|contacten|contactes|envien|manden) mas\b|"
    r"\bdej(?:en|a|e) de (?:enviar|escribir|mandar)\w*|\beliminen? mi (?:correo|email)\b|"
    # Dutch
    r"\bafmelden\b|\buitschrijven\b|\bhaal (?:me|mij|ons) (?:van|uit)\b|"
    r"\bgeen (?:mails|e-?mails|berichten) meer\b|\bstop met (?:mailen|e-?mailen)\b|"
    # Portuguese
    r"descadastr|\bremov(?:a|am|er) (?:meu|o meu|nosso)\b|"
    r"\bparem? de (?:me |nos )?(?:enviar|mandar|mandar)\b|"
    r"\bnao (?:me|nos) (?:enviem|mandem|contatem|contactem) mais\b"
)
_STOP_ALONE = re.compile(r"^\W*(?:stop|remove|unsubscribe|opt out|stopp|arret|basta|pare)\W*$")


def detect_unsubscribe(text: str) -> bool:
    """True when the reply asks not to be emailed again (six languages)."""
    body = fold(strip_quoted(text))
    return bool(_STOP_ALONE.match(body) or _UNSUBSCRIBE.search(body))


# ----------------------------------------------------------------------------- out of office

_OOO = re.compile(
    r"\bout of (?:the )?office\b|\booo\b|\bautomatic reply\b|\bauto[- ]?reply\b|"
    r"\bautoreply\b|\bautomated response\b|\bon (?:annual |parental |maternity |paternity |"
    r"sick |medical |study )?leave\b|\bon (?:vacation|holiday)\b|\baway (?:from|until|till)\b|"
    r"\bcurrently away\b|\bi am away\b|\bi'm away\b|\bwill (?:be )?return(?:ing)? on\b|"
    r"\blimited access to (?:e-?mail|my e-?mail)\b|\bno access to (?:e-?mail|my e-?mail)\b|"
    r"\bclosed (?:for|until)\b|\boffice is closed\b|\bwill be back on\b|\btravell?ing until\b|"
    # German
    r"\bnicht im buro\b|\babwesen|\bim urlaub\b|\bwieder erreichbar\b|"
    r"\bautomatische antwort\b|\bnicht erreichbar\b|\bausser haus\b|"
    # French
    r"\babsente? du bureau\b|\ben conge\b|\breponse automatique\b|\ben vacances\b|"
    r"\bde retour le\b|\babsente? jusqu|"
    # Spanish
    r"\bfuera de la oficina\b|\bde vacaciones\b|\brespuesta automatica\b|"
    r"\bausente hasta\b|\bde baja medica\b|\bde baja por (?:enfermedad|maternidad|paternidad)\b|"
    # Dutch
    r"\bafwezig\b|\bmet vakantie\b|\bop vakantie\b|\bautomatisch antwoord\b|"
    r"\bniet op kantoor\b|\bafwezigheid\b|"
    # Portuguese
    r"\bfora do escritorio\b|\bde ferias\b|\bresposta automatica\b|\bausente ate\b"
)


def detect_out_of_office(text: str, today: date) -> OutOfOffice | None:
    """An absence note and the return date it states (None if it states none)."""
    body = strip_quoted(text)
    if not _OOO.search(fold(body)):
        return None
    return OutOfOffice(return_date=find_return_date(body, today))


# ----------------------------------------------------------------------------- referral

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_REFERRAL_CUE = re.compile(
    r"\b(?:contact|reach(?:ing)? out|talk to|speak (?:to|with)|get in touch|email|e-mail|"
    r"write to|direct (?:this|it|your)|send (?:this|it)|forward|forwarded|colleague|"
    r"handles?|in charge|responsible|looks? after|manages?|runs|cc'?d|copied|loop|instead|"
    r"going forward|try|ask|better (?:person|contact)|right person|decision maker|"
    r"kontakt|kontaktieren|wenden sie sich|ansprechpartner|zustandig|kollegin|kollege|"
    r"contactez|contacter|voyez avec|voir avec|s'occupe|collegue|responsable|"
    r"contacte|contactar|escriba|escribe|hable con|habla con|companer[oa]|encargad[oa]|"
    r"neem contact|contact opnemen|mail naar|collega|moet u bij|moet je bij|"
    r"fale com|falar com|entre em contato|contate|responsavel|colega)\b"
)
_ROLE_LOCALS = {
    "info", "hr", "office", "contact", "kontakt", "sales", "support", "hello", "hi", "admin",
    "purchasing", "accueil", "team", "mail", "marketing", "booking", "reservations",
    "billing", "accounts", "service", "help", "enquiries", "inquiries", "careers", "jobs",
}
_NAME_WORD = re.compile(r"[A-ZÀ-ÞŁŚŻ][\w'-]*")
_NOT_NAMES = {
    "please", "contact", "talk", "speak", "try", "ask", "email", "mail", "hi", "hello",
    "thanks", "our", "my", "the", "she", "he", "they", "frau", "herr", "mrs", "mr", "ms",
    "dr", "mme", "mlle", "sr", "sra", "dhr", "mevr", "bitte", "merci", "gracias", "fale",
    "voyez", "wrong", "sorry", "i", "for", "you", "your", "write", "reach", "cc", "loop",
    "forwarding", "tel", "phone", "de", "en", "or", "and", "at", "herrn", "monsieur",
    "madame", "m", "senor", "señor", "señora", "senora", "meneer", "mevrouw", "senhor",
    "senhora", "dona", "sig", "signora", "mister", "miss",
}


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], with the line before it if that ends in ':'."""
    left = max(text.rfind(sep, 0, start) for sep in (". ", "! ", "? ", "\n"))
    right_cands = [p for p in (text.find(sep, end) for sep in (". ", "! ", "? ", "\n")) if p >= 0]
    right = min(right_cands) if right_cands else len(text)
    sentence = text[left + 1 : right]
    before = text[: left + 1].rstrip()
    if before.endswith(":"):
        prev_start = before.rfind("\n", 0, len(before) - 1)
        sentence = before[prev_start + 1 :] + " " + sentence
    return sentence


_JOINERS = re.compile(r"^[\s,:;(<\[-]*(?:at|an|a|:)?[\s,:;(<\[-]*$", re.IGNORECASE)


def _runs(window: str) -> list[tuple[int, list[str]]]:
    """Runs of capitalised words (a person's name) in ``window``, with where each ends."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    end = 0
    for m in re.finditer(r"[^\s(<\[,:;\"]+", window):
        bare = m.group(0).strip(".()<>[]\"'")
        if _NAME_WORD.fullmatch(bare) and bare.lower() not in _NOT_NAMES:
            current.append(bare)
            end = m.end()
        elif current:
            runs.append((end, current))
            current = []
    if current:
        runs.append((end, current))
    return runs


def _name_for(text: str, start: int, email: str) -> str:
    """The colleague's name: written near the address, or read from a first.last address."""
    local = fold(email.split("@", 1)[0])
    window = text[max(0, start - 120) : start]
    runs = _runs(window)
    for _, run in reversed(runs):  # a name the address is made of ("Anna" in anna.schmidt@)
        if any(len(w) > 1 and (fold(w) in local or fold(w).replace("u", "ue") in local)
               for w in run):
            return " ".join(run[-3:])
    if runs and _JOINERS.match(window[runs[-1][0] :]):  # "Sam Ortiz, sam@..." / "Sam <...>"
        return " ".join(runs[-1][1][-3:])
    parts = [p for p in re.split(r"[._-]", local) if p]
    if len(parts) >= 2 and all(p.isalpha() for p in parts) and parts[0] not in _ROLE_LOCALS:
        return " ".join(p.capitalize() for p in parts)
    return ""


def find_referral(text: str) -> Referral | None:
    """The colleague the reply points to (name may be empty), or None.

    Only addresses in a sentence that refers the writer on ("talk to Sam, sam@acme.com",
    "wenden Sie sich an ...") count; the writer's own signature lines carry no such cue, and
    signatures after a closing line are dropped by :func:`strip_quoted` first.
    """
    body = strip_quoted(text)
    for m in _EMAIL.finditer(body):
        sentence = _sentence_around(body, m.start(), m.end())
        if _REFERRAL_CUE.search(fold(sentence)):
            email = m.group(0).strip(".'-")
            return Referral(name=_name_for(body, m.start(), email), email=email.lower())
    return None
