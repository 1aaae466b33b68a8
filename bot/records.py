"""How an anonymised report is laid out in a table row (lists as JSON), and back."""

from __future__ import annotations

import json

from flows import Report


def report_row(report: Report) -> tuple[object, ...]:
    return (
        report.ref,
        report.month,
        report.territory,
        report.commune,
        report.channel,
        report.language,
        report.role,
        report.situation,
        json.dumps(report.criteria),
        report.family,
        report.domain,
        json.dumps(report.needs),
        int(report.urgent),
        json.dumps(report.partners),
        int(report.escalated),
        report.outcome,
        report.description,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def report_from_row(row: tuple[object, ...]) -> Report:
    (ref, month, territory, commune, channel, language, role, situation, criteria, family,
     domain, needs, urgent, partners, escalated, outcome, description) = row  # fmt: skip
    return Report(
        ref=str(ref),
        month=str(month),
        territory=str(territory),
        commune=_text(commune),
        channel=str(channel),
        language=str(language),
        role=_text(role),
        situation=_text(situation),
        criteria=tuple(json.loads(str(criteria))),
        family=_text(family),
        domain=_text(domain),
        needs=tuple(json.loads(str(needs))),
        urgent=bool(urgent),
        partners=tuple(json.loads(str(partners))),
        escalated=bool(escalated),
        outcome=str(outcome),
        description=str(description),
    )
