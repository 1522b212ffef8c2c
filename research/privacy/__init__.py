"""Keeping faith with the people recorded, beyond the consent gates (research.services.consent):

- ``withdrawal``: a withdrawn participant's audio masked, or their transcript anonymised;
- ``erasure``: a person erased end to end, previewed first, a tombstone left;
- ``retention``: audio or whole conversations deleted after a team's or project's days;
- ``redaction``: e-mails, phones, cards, IBANs and names found, replaced by [redacted], undone.
"""
