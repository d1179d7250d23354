"""The records become dataclasses on first use: each one, however it is first reached, behaves
as the dataclass it is declared as."""

import dataclasses
import inspect
import threading

import pytest

from efficacy_tui import records


def record_classes() -> list[type]:
    return [cls for _name, cls in inspect.getmembers(records, inspect.isclass)
            if issubclass(cls, records.Record) and cls is not records.Record]


def values_for(cls: type) -> dict:
    hints = inspect.get_annotations(cls, eval_str=True)
    return {name: (0 if hint is int or "int" in str(hint) else "x") for name, hint in hints.items()}


@pytest.mark.parametrize("cls", record_classes(), ids=lambda cls: cls.__name__)
def test_every_record_is_a_frozen_dataclass_from_a_row_or_a_call(cls):
    row = values_for(cls)
    from_row = cls.from_row({**row, "column_it_does_not_name": 1})
    called = cls(**row)
    assert dataclasses.is_dataclass(cls) and dataclasses.is_dataclass(called)
    assert [f.name for f in dataclasses.fields(cls)] == list(row)
    assert from_row == called and hash(from_row) == hash(called)
    with pytest.raises(dataclasses.FrozenInstanceError):
        called.id = 1
    assert dataclasses.replace(called, id=7).id == 7


def test_records_first_built_in_several_threads_at_once_are_whole():
    classes = [cls for cls in record_classes() if "__dataclass_fields__" not in cls.__dict__]
    errors: list[BaseException] = []

    def build() -> None:
        try:
            for cls in classes:
                cls.from_row(values_for(cls))
        except BaseException as err:  # noqa: BLE001 - any failure in a thread is the finding
            errors.append(err)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
