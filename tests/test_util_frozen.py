"""scanner.util.frozen: the commands' warm tagger kept out of the garbage collector's full collections."""
import gc

from scanner.util import frozen


def test_frozen_warms_then_freezes_and_unfreezes_at_the_end() -> None:
    calls = []
    assert gc.get_freeze_count() == 0
    with frozen(lambda: calls.append(gc.get_freeze_count())):
        assert calls == [0]  # warmed before freezing: what it builds is frozen too
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_nested_blocks_unfreeze_once_at_the_outermost_end() -> None:
    with frozen():
        with frozen():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_an_error_inside_still_unfreezes() -> None:
    try:
        with frozen():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.get_freeze_count() == 0
