"""The ЕГН: every valid form parses to its date and sex; every invalid class is a DomainError on the field."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from glas.accounts.demo import demo_egn
from glas.accounts.egn import keyed_hash, parse
from glas.core.exceptions import DomainError

D = dt.date
TODAY = D(2026, 3, 16)
WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6)

# 15 January 1970, serial 124: ten digits with a correct check digit.
CANONICAL = demo_egn(D(1970, 1, 15), 124)


def with_check_digit(first_nine: str) -> str:
    """Completes nine digits with the right check digit, so that only the part under test is wrong."""
    check = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    return first_nine + str(0 if check == 10 else check)


def refusal(raw: str, *, today: dt.date = TODAY) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse(raw, today=today)
    assert caught.value.field == "egn"
    assert caught.value.message
    return caught.value


# --- Valid numbers ------------------------------------------------------------------------


def test_a_twentieth_century_number_gives_its_birth_date_and_sex():
    egn = parse(CANONICAL, today=TODAY)
    assert egn.value == CANONICAL
    assert egn.birth_date == D(1970, 1, 15)
    assert egn.sex == "male"  # ninth digit 4 is even


def test_month_plus_forty_means_born_in_the_two_thousands():
    number = with_check_digit("054301457")
    assert number[2:4] == "43"
    egn = parse(number, today=TODAY)
    assert egn.birth_date == D(2005, 3, 1)
    assert egn.sex == "female"  # ninth digit 7 is odd


def test_month_plus_twenty_means_born_in_the_eighteen_hundreds():
    number = with_check_digit("993231123")
    assert number[2:4] == "32"
    egn = parse(number, today=D(2010, 1, 1))
    assert egn.birth_date == D(1899, 12, 31)


@pytest.mark.parametrize(("ninth_digit", "sex"), [(0, "male"), (2, "male"), (8, "male"), (1, "female"), (9, "female")])
def test_the_ninth_digit_gives_the_sex(ninth_digit, sex):
    assert parse(with_check_digit(f"70011512{ninth_digit}"), today=TODAY).sex == sex


def test_a_check_digit_of_ten_is_written_as_zero():
    # 8001010 + serial: find a serial whose weighted sum leaves 10.
    number = next(
        n
        for n in (with_check_digit(f"800101{serial:03d}") for serial in range(1000))
        if sum(int(d) * w for d, w in zip(n[:9], WEIGHTS, strict=True)) % 11 == 10
    )
    assert number.endswith("0")
    assert parse(number, today=TODAY).birth_date == D(1980, 1, 1)


def test_masked_form_shows_only_the_last_two_digits():
    egn = parse(CANONICAL, today=TODAY)
    assert egn.last2 == CANONICAL[-2:]
    assert egn.masked.endswith(CANONICAL[-2:])
    assert CANONICAL[:8] not in egn.masked


# --- Formatting variants ---------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXTENDED_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(f"  {CANONICAL}  ", id="surrounding-spaces"),
        pytest.param(f"{CANONICAL[:6]} {CANONICAL[6:]}", id="space"),
        pytest.param(f"{CANONICAL[:6]}-{CANONICAL[6:]}", id="dash"),
        pytest.param(f"{CANONICAL[:2]}.{CANONICAL[2:4]}.{CANONICAL[4:6]}/{CANONICAL[6:]}", id="dots-and-slash"),
        pytest.param(f"{CANONICAL[:6]}\u00a0{CANONICAL[6:]}", id="no-break-space"),
        pytest.param(f"{CANONICAL[:6]}\u2013{CANONICAL[6:]}", id="en-dash"),
        pytest.param(CANONICAL.translate(ARABIC_INDIC), id="arabic-indic-digits"),
        pytest.param(CANONICAL.translate(EXTENDED_ARABIC_INDIC), id="extended-arabic-indic-digits"),
        pytest.param(CANONICAL.translate(FULL_WIDTH), id="full-width-digits"),
        pytest.param(CANONICAL[:5] + CANONICAL[5:].translate(FULL_WIDTH), id="mixed-digits"),
    ],
)
def test_formatting_variants_give_the_same_canonical_number_and_hash(variant):
    egn = parse(variant, today=TODAY)
    assert egn.value == CANONICAL
    assert keyed_hash(egn.value) == keyed_hash(CANONICAL)


def test_the_keyed_hash_does_not_contain_the_number_and_differs_between_numbers():
    other = demo_egn(D(1970, 1, 15), 126)
    assert CANONICAL not in keyed_hash(CANONICAL)
    assert keyed_hash(CANONICAL) != keyed_hash(other)
    assert len(keyed_hash(CANONICAL)) == 64


def test_the_keyed_hash_depends_on_the_configured_key(settings):
    before = keyed_hash(CANONICAL)
    settings.EGN_HASH_KEY = "another-installation"
    assert keyed_hash(CANONICAL) != before


# --- Invalid classes ---------------------------------------------------------------------------


@pytest.mark.parametrize("position", range(10))
def test_a_single_wrong_digit_is_caught_by_the_check_digit(position):
    wrong = str((int(CANONICAL[position]) + 1) % 10)
    number = CANONICAL[:position] + wrong + CANONICAL[position + 1 :]
    error = refusal(number)
    # A changed date digit may also make the date impossible; either way it is refused.
    assert error.code in {"checksum", "date"}


def test_a_wrong_check_digit_is_reported_as_such():
    wrong = str((int(CANONICAL[-1]) + 1) % 10)
    assert refusal(CANONICAL[:9] + wrong).code == "checksum"


@pytest.mark.parametrize("raw", ["700115124", "70011512470", "7", "70011512471234567890"])
def test_wrong_length_is_refused(raw):
    assert refusal(raw).code == "length"


@pytest.mark.parametrize("raw", ["", "   ", "- -", "\u00a0"])
def test_an_empty_number_is_refused(raw):
    assert refusal(raw).code == "required"


@pytest.mark.parametrize("raw", ["70011512a7", "7001151247x", "ЕГН7001151247", "7OO1151247", "IO01151247"])
def test_letters_are_refused(raw):
    assert refusal(raw).code == "letters"


@pytest.mark.parametrize(
    "first_nine",
    [
        pytest.param("700231124", id="31-february"),
        pytest.param("010229124", id="29-february-not-a-leap-year"),
        pytest.param("701301124", id="month-13"),
        pytest.param("700001124", id="month-0"),
        pytest.param("700100124", id="day-0"),
        pytest.param("700132124", id="day-32"),
        pytest.param("706101124", id="month-61"),
        pytest.param("704431124", id="31-april"),
    ],
)
def test_impossible_dates_are_refused(first_nine):
    assert refusal(with_check_digit(first_nine)).code == "date"


def test_29_february_of_a_leap_year_is_a_date():
    assert parse(with_check_digit("004229124"), today=TODAY).birth_date == D(2000, 2, 29)


@pytest.mark.parametrize("digit", "0123456789")
def test_numbers_of_one_repeated_digit_are_refused(digit):
    assert refusal(digit * 10).code == "repeated"


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = TODAY + dt.timedelta(days=1)
    assert refusal(demo_egn(tomorrow, 124)).code == "future"


def test_a_person_born_today_is_accepted():
    assert parse(demo_egn(TODAY, 124), today=TODAY).birth_date == TODAY


def test_exactly_one_hundred_and_twenty_years_is_the_oldest_accepted():
    oldest = D(1906, 3, 16)
    assert parse(demo_egn(oldest, 124), today=TODAY).birth_date == oldest
    assert refusal(demo_egn(oldest - dt.timedelta(days=1), 124)).code == "too_old"


def test_every_eighteen_hundreds_number_is_too_old_today():
    assert refusal(with_check_digit("993231123")).code == "too_old"


def test_the_age_limit_on_29_february_falls_back_to_28_february():
    today = D(2020, 2, 29)  # 1900 was not a leap year
    assert parse(demo_egn(D(1900, 2, 28), 124), today=today).birth_date == D(1900, 2, 28)
    assert refusal(demo_egn(D(1900, 2, 27), 124), today=today).code == "too_old"


@pytest.mark.parametrize(
    "intruder",
    [
        pytest.param("\x00", id="nul"),
        pytest.param("\t", id="tab"),
        pytest.param("\u200b", id="zero-width-space"),
        pytest.param("\u200d", id="zero-width-joiner"),
        pytest.param("\ufeff", id="byte-order-mark"),
        pytest.param("\u202e", id="right-to-left-override"),
        pytest.param("\u2066", id="left-to-right-isolate"),
        pytest.param("\u200f", id="right-to-left-mark"),
        pytest.param("\ud800", id="lone-surrogate"),
        pytest.param("+", id="plus"),
        pytest.param("²", id="superscript-two"),
    ],
)
def test_invisible_control_and_stray_characters_are_refused(intruder):
    assert refusal(CANONICAL[:5] + intruder + CANONICAL[5:]).code == "character"


@pytest.mark.parametrize("size", [41, 10_000, 1_000_000])
def test_huge_input_is_refused(size):
    assert refusal("7" * size).code == "length"


def test_none_is_refused():
    assert refusal(None).code == "required"  # type: ignore[arg-type]


# --- Properties ---------------------------------------------------------------------------------------

# Dates the business limits accept on TODAY: from 120 years ago up to today.
accepted_birth_dates = st.dates(min_value=D(1906, 3, 16), max_value=TODAY)


@hypothesis_settings(max_examples=300)
@given(birth=accepted_birth_dates, serial=st.integers(min_value=0, max_value=999))
def test_any_number_built_from_a_date_and_serial_parses_back_to_that_date(birth, serial):
    number = demo_egn(birth, serial)
    if len(set(number)) == 1:
        return  # one repeated digit is refused by design (tested above)
    egn = parse(number, today=TODAY)
    assert egn.value == number
    assert egn.birth_date == birth
    assert egn.sex == ("male" if (serial % 10) % 2 == 0 else "female")


@hypothesis_settings(max_examples=300)
@given(raw=st.text(max_size=60))
def test_random_text_is_either_a_valid_number_or_a_domain_error(raw):
    try:
        egn = parse(raw, today=TODAY)
    except DomainError as error:
        assert error.field == "egn"
        assert error.message
    else:
        assert len(egn.value) == 10
        assert egn.value.isascii()
        assert egn.value.isdigit()


@hypothesis_settings(max_examples=200)
@given(raw=st.text(alphabet=st.characters(categories=["Nd", "Zs", "Pd", "Cf", "Cc"]), max_size=30))
def test_random_digits_and_separators_are_either_valid_or_a_domain_error(raw):
    try:
        parse(raw, today=TODAY)
    except DomainError as error:
        assert error.field == "egn"
