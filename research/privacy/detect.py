"""Finding personal data in text: e-mail addresses, phone numbers, payment card numbers
(Luhn-checked), IBANs (mod-97-checked) and given names. Plain functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b"
)
# International (+CC ...) or national with a leading 0 or parenthesised area code; digits in
# groups separated by spaces, dots, dashes or slashes.
PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+|00)\d{1,3}[ .-]?(?:\(0\)[ .-]?|\(\d{1,4}\)[ .-]?)?\d{1,4}"
    r"(?:[ .\-/]?\d{2,4}){1,5}(?![\w/-])"
    r"|(?<![\w+/.-])\(?0\d{1,4}\)?[ .\-/]?\d{2,4}(?:[ .\-/]?\d{2,4}){1,4}(?![\w/-])"
    r"|(?<![\w+/.-])\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}(?![\w/-])"
    r"|(?<![\w+/.:-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w/.:-])"
)
CARD = re.compile(r"(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w.-])")
IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # character offsets in the text
    end: int
    text: str


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
    "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15,
    "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
}  # fmt: skip


def iban_ok(raw: str) -> bool:
    iban = raw.replace(" ", "").upper()
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    if not 15 <= len(iban) <= 34 or not iban.isalnum():
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


# Words that end an address like a file name, not a mail domain.
FILE_ENDINGS = {"png", "jpg", "jpeg", "gif", "svg", "pdf", "webp", "txt", "csv", "zip"}
IBAN_HEAD = re.compile(r"^[A-Z]{2}\d{2}$")


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The tokens just before and after a match, when only a space or dash separates them."""
    before = text[:start]
    after = text[end:]
    prev = before.split()[-1] if before[-1:] in (" ", "-") and before.strip() else ""
    nxt = after.split()[0] if after[:1] in (" ", "-") and after.strip() else ""
    return prev.strip("-,.;:()"), nxt.strip("-,.;:()")


def _isolated(text: str, start: int, end: int) -> bool:
    """A number standing alone, not the tail or head of a longer one (a tracking number, an
    IBAN's digits, a reference in groups)."""
    prev, nxt = _neighbours(text, start, end)
    code = len(prev) >= 2 and prev.isalnum() and prev.isupper()  # "AA1", "ABCD": a part code
    return not (prev.isdigit() or IBAN_HEAD.match(prev) or code or nxt.isdigit())


def _phone_ok(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return False
    # A date (2024-05-01, 01.05.2024) is not a phone number.
    if re.fullmatch(r"\d{4}[-./]\d{2}[-./]\d{2}|\d{2}[-./]\d{2}[-./]\d{4}", raw.strip()):
        return False
    return True


def detect(text: str, *, names: list[str] = ()) -> list[Finding]:
    """Every finding in `text`, in order, none overlapping (the earlier, longer one wins)."""
    found: list[Finding] = []
    for match in EMAIL.finditer(text):
        if match.group().rsplit(".", 1)[-1].lower() in FILE_ENDINGS:
            continue
        found.append(Finding("email", match.start(), match.end(), match.group()))
    for match in IBAN.finditer(text):
        if iban_ok(match.group()):
            found.append(Finding("iban", match.start(), match.end(), match.group()))
    for match in CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and _isolated(text, *match.span()):
            found.append(Finding("card", match.start(), match.end(), match.group()))
    for match in PHONE.finditer(text):
        if _phone_ok(match.group()) and _isolated(text, *match.span()):
            found.append(Finding("phone", match.start(), match.end(), match.group()))
    for name in names:
        for part in {name, *name.split()}:
            if len(part) < 3:
                continue
            # "Rao-style" is a word of its own, not the name.
            for match in re.finditer(rf"(?<!\w){re.escape(part)}(?![\w-])", text):
                found.append(Finding("name", match.start(), match.end(), match.group()))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
