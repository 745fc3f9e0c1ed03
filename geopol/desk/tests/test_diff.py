from geopol.desk.diff import counts, word_diff


def _join(pieces, keep):
    return "".join(p.text for p in pieces if p.op in keep)


def test_a_changed_word_is_one_word_struck_and_one_added():
    old = "The offensive will probably stall before Konna."
    new = "The offensive will likely stall before Sevare."
    pieces = word_diff(old, new)
    assert [(p.op, p.text.strip()) for p in pieces if p.op != "same"] == [
        ("removed", "probably"),
        ("added", "likely"),
        ("removed", "Konna"),
        ("added", "Sevare"),
    ]
    assert counts(pieces) == (2, 2)


def test_the_pieces_give_both_texts_back():
    old = "First paragraph.\n\nSecond one, with a list:\n- a\n- b\n"
    new = "First paragraph, longer.\n\nSecond one:\n- a\n- c\n- b\n"
    pieces = word_diff(old, new)
    assert _join(pieces, {"same", "removed"}) == old
    assert _join(pieces, {"same", "added"}) == new
