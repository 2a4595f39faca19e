"""Staff role groups and the first version of the terms of use and the privacy notice."""

from django.db import migrations

STAFF_ROLES = ["advisor", "commission_member", "council_staff", "integrity_officer", "researcher", "administrator"]

TERMS_BG = """Глас е платформа на общината за участие на гражданите в местното управление.

1. Можете да разглеждате всичко публично без регистрация. С регистрация и потвърден имейл можете да коментирате, да отговаряте на проучвания и да подкрепяте петиции. За подписи по Закона за прякото участие на гражданите трябва да потвърдите лично, че сте жител.
2. Пишете по същество и с уважение. Не публикувайте чужди лични данни, обиди, реклама или незаконно съдържание. Модераторите могат да скрият такова съдържание и записват причината.
3. Това, което публикувате (коментари, предложения), е публично и остава публично и след изтриване на профила, но без вашето име.
4. Един човек — един профил. Подписите и гласовете се броят веднъж.
5. Общината отговаря за платформата и за спазването на сроковете по закон, посочени на страницата „Правила, които спазваме“."""

TERMS_EN = """Glas is the municipality's platform for residents' participation in local government.

1. You can read everything public without an account. With an account and a confirmed e-mail you can comment, answer surveys and support petitions. To sign under the Direct Participation Act you must confirm in person that you are a resident.
2. Keep to the point and be respectful. Do not publish other people's personal data, insults, advertising or unlawful content. Moderators may hide such content and record the reason.
3. What you publish (comments, proposals) is public and stays public after you delete your account, without your name.
4. One person, one account. Signatures and votes count once.
5. The municipality is responsible for the platform and for the legal deadlines listed on the page "Rules we follow"."""

PRIVACY_BG = """Администратор на личните данни е общината, която поддържа Глас.

Какви данни събираме: имейл адрес, име (по желание), публично име, език; при потвърждаване като жител — населено място по постоянен адрес, дата на раждане и ЕГН, което НЕ се съхранява: пазим само необратим ключов отпечатък (за да не се регистрира един човек два пъти) и последните две цифри.
Защо: за да участвате в обществени консултации, проучвания и инициативи и за да се спазят изискванията на закона за подписите.
Колко време: докато имате профил; при изтриване на профила личните данни се заличават, а публикуваното остава анонимно.
Вашите права: достъп и изтегляне на всички данни (бутон „Изтегли всичките си данни“), поправка, изтриване на профила, възражение и жалба до Комисията за защита на личните данни.
Не записваме IP адреси на подаващите сигнали за нарушения и не използваме проследяващи бисквитки или услуги на трети страни."""

PRIVACY_EN = """The controller of personal data is the municipality that runs Glas.

What we collect: e-mail address, name (optional), public name, language; when you are confirmed as a resident, the settlement of your permanent address, date of birth and your personal number (ЕГН), which is NOT stored: we keep only an irreversible keyed fingerprint (so that one person cannot register twice) and its last two digits.
Why: so that you can take part in public consultations, surveys and initiatives, and so that signatures meet the law's requirements.
How long: while you have an account; when you delete it, your personal data is erased and what you published stays anonymous.
Your rights: access and download of all your data (the "Download all your data" button), correction, deletion of your account, objection, and a complaint to the Commission for Personal Data Protection.
We do not record the IP addresses of people who report wrongdoing, and we use no tracking cookies or third-party services."""


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ConsentText = apps.get_model("accounts", "ConsentText")
    for name in STAFF_ROLES:
        Group.objects.get_or_create(name=name)
    ConsentText.objects.get_or_create(
        kind="terms",
        version=1,
        defaults={"title": "Условия за ползване", "title_en": "Terms of use", "body": TERMS_BG, "body_en": TERMS_EN},
    )
    ConsentText.objects.get_or_create(
        kind="privacy",
        version=1,
        defaults={
            "title": "Декларация за поверителност",
            "title_en": "Privacy notice",
            "body": PRIVACY_BG,
            "body_en": PRIVACY_EN,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
