"""Demo integrity channel for ``manage.py seed_demo`` (DEBUG only; see ``glas.core.demo``).

The integrity-officer persona gets a key pair with the published demo passphrase (README, "Demo
personas"), and two clearly-marked synthetic reports are filed: an anonymous tip and a
confidential signal that the officer has acknowledged and answered. Running it again changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DEMO_PASSPHRASE = "Glas-integrity-demo-2026"  # noqa: S105 (published in the README, demo only)


def seed_integrity(say: Callable[[str], Any]) -> None:
    from glas.accounts.models import User
    from glas.integrity import crypto, services
    from glas.integrity.models import IntegrityOfficer, Report

    if Report.objects.exists():
        say("Integrity: already seeded")
        return
    user = User.objects.get(email="integrity@glas.example")
    officer = IntegrityOfficer.objects.filter(user=user).first() or services.officer_enrol(
        actor=user, passphrase=DEMO_PASSPHRASE, repeat=DEMO_PASSPHRASE
    )
    services.report_submit(
        kind=Report.Kind.TIP,
        context=Report.Context.PROPERTY,
        description="(Примерни данни) Общински трактор се използва за частни нужди през почивните дни.",
        when_where="Селата Ощава и Горна Брезница, съботите през октомври",
    )
    signal = services.report_submit(
        kind=Report.Kind.SIGNAL,
        context=Report.Context.CONFLICT,
        description="(Примерни данни) Член на комисия за обществена поръчка е свързано лице с участник.",
        identity={"name": "Примерен Подател", "contact": "0888 000 000", "relation": "служител"},
    ).report
    private = crypto.private_key_from_raw(services.officer_unlock(officer=officer, passphrase=DEMO_PASSPHRASE))
    services.report_acknowledge(actor=user, report=signal)
    services.officer_message_send(
        actor=user,
        report=signal,
        private_key=private,
        body="Благодарим за сигнала. Моля, посочете номера на поръчката, ако ви е известен.",
    )
    say(f"Integrity: officer key for {user.email} (passphrase {DEMO_PASSPHRASE}), 2 demo reports")


def seed_declarations(say: Callable[[str], Any]) -> None:
    """Two clearly-marked demo declarations in the public register (after the council demo)."""
    import datetime as dt

    from glas.accounts.models import User
    from glas.council.models import Councillor
    from glas.integrity import services
    from glas.integrity.models import InterestDeclaration

    if InterestDeclaration.objects.exists():
        say("Declarations: already seeded")
        return
    secretary = User.objects.get(email="council@glas.example")
    councillor = Councillor.objects.filter(is_demo=True).order_by("pk").first()
    if councillor is not None:
        services.declaration_file(
            actor=secretary,
            person_name=councillor.name,
            position="councillor",
            councillor=councillor,
            kind="annual",
            year=2025,
            filed_on=dt.date(2025, 5, 14),
            positions_held="Член на управителния съвет на читалище (примерни данни)",
            companies=[("Кресна Агро ЕООД", "", "owner")],
            is_demo=True,
        )
    services.declaration_file(
        actor=secretary,
        person_name="Пенка Примерова",
        position="secretary",
        kind="initial",
        year=2023,
        filed_on=dt.date(2023, 12, 4),
        interests="Няма декларирани интереси (примерни данни)",
        is_demo=True,
    )
    services.ethics_code_publish(
        actor=secretary,
        title="Етичен кодекс на служителите в Община Кресна (примерен текст)",
        adopted_by="Заповед на кмета (примерни данни)",
        text=(
            "Примерен текст за демонстрация, не приетият кодекс.\n\n"
            "1. Служителите изпълняват задълженията си законосъобразно, безпристрастно и честно.\n\n"
            "2. Служителите не приемат подаръци и облаги, които могат да повлияят на решенията им.\n\n"
            "3. При конфликт на интереси служителят го декларира и не участва в решението.\n\n"
            "4. Служителите се отнасят с уважение към гражданите и отговарят в срок."
        ),
        is_demo=True,
    )
    say(f"Declarations: {InterestDeclaration.objects.count()} demo declarations; a demo ethics code")
