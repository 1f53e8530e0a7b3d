"""Back and forward, as a web browser does them."""

from whomet.app.history import History, Location

A, B, C = (Location(p, None, "people") for p in "abc")


def test_back_and_forward_retrace_the_jumps():
    history = History()
    history.jump(A, B)
    history.jump(B, C)
    assert history.back(C) == B
    assert history.back(B) == A
    assert history.back(A) is None
    assert history.forward(A) == B
    assert history.forward(B) == C
    assert history.forward(C) is None


def test_a_jump_after_going_back_forgets_what_was_ahead():
    history = History()
    history.jump(A, B)
    assert history.back(B) == A
    history.jump(A, C)
    assert history.forward(C) is None
    assert history.back(C) == A


def test_a_jump_to_where_the_reader_is_is_not_remembered():
    history = History()
    history.jump(A, A)
    assert history.back(A) is None
