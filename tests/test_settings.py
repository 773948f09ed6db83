"""The settings as the extension reads them: made once for the same values, never stale."""

from __future__ import annotations

from types import SimpleNamespace

from sphinx_dgx.config import PREFIX, config_fields, get_dgx_config


def raw_config(**changes) -> SimpleNamespace:
    """A stand-in for Sphinx's config: every ``dgx_`` value at its default, but *changes*."""
    values = {PREFIX + f.name: f.default for f in config_fields()}
    values.update({PREFIX + name: value for name, value in changes.items()})
    return SimpleNamespace(**values)


def test_the_same_values_give_the_same_settings_made_once():
    config = raw_config(contact_email="a@example.org")
    first = get_dgx_config(config)
    assert get_dgx_config(config) is first
    assert get_dgx_config(raw_config(contact_email="a@example.org")) is first  # equal values


def test_a_changed_value_is_read_at_once():
    config = raw_config(report_pages=True)
    assert get_dgx_config(config).report_pages is True
    config.dgx_report_pages = False
    assert get_dgx_config(config).report_pages is False
    assert get_dgx_config(SimpleNamespace(config=config)).report_pages is False  # an environment


def test_a_list_changed_in_place_is_not_the_list_it_was():
    kept = ["draft.docx"]
    config = raw_config(unused_files=kept)
    assert get_dgx_config(config).unused_files == ("draft.docx",)
    kept.append("notes.txt")
    assert get_dgx_config(config).unused_files == ("draft.docx", "notes.txt")
