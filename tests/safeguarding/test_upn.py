import pytest

from safeguarding.upn import check_letter, is_temporary, upn_problem


def test_published_example_is_valid():
    # The worked example used by python-stdnum's gb.upn module.
    assert upn_problem("B801200005001") is None
    assert check_letter("801200005001") == "B"


def test_wrong_check_letter_is_refused_with_reason():
    assert "check letter" in (upn_problem("A801200005001") or "")


@pytest.mark.parametrize("bad_first", ["I", "O", "S"])
def test_letters_never_used_are_refused(bad_first):
    assert "never used" in (upn_problem(bad_first + "801200005001") or "")


def test_temporary_upn_with_letter_last_is_valid():
    body = "80120000500A"
    upn = check_letter(body) + body
    assert upn_problem(upn) is None
    assert is_temporary(upn)
    assert not is_temporary("B801200005001")


def test_temporary_upn_letter_counts_in_the_check():
    body = "80120000500A"
    wrong = ("B" if check_letter(body) != "B" else "C") + body
    assert "check letter" in (upn_problem(wrong) or "")


@pytest.mark.parametrize("upn", ["B80120000500", "B8012000050011", ""])
def test_bad_length_is_refused_with_the_count(upn):
    assert f"this one has {len(upn)}" in (upn_problem(upn) or "")


@pytest.mark.parametrize("upn", ["B80120000500!", "b801200005001", "B8012000X5001"])
def test_bad_characters_are_refused(upn):
    assert upn_problem(upn) is not None


def test_check_letter_needs_twelve_characters():
    with pytest.raises(ValueError, match="12 characters"):
        check_letter("123")
