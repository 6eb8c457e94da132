"""Fuzz the party document number and symbol parser (documents.symbols.parse_symbol).

Any text is either a Symbol that reads back as itself, or the parser's Vietnamese ValidationError.
"""

if __name__ == "__main__":
    from fuzz.common import setup_django

    setup_django()

from django.core.exceptions import ValidationError

from quantriet.documents.symbols import Symbol, parse_symbol

from .common import entry

NAME = "symbols"
#: The code whose coverage guides the fuzzer.
MODULES = ["quantriet.documents.symbols"]


def seeds() -> list[bytes]:
    written = ["28-CT/TU", "Số: 28 - CT/TƯ", "147-CTHĐ/TU", "128-KH/BTGDVTW", "01-QĐi/TW", "5-CTr/ĐU", "100 - KL/TW"]
    return [text.encode() for text in written]


def parse(data: bytes):
    """Read DATA as a typed symbol and check it; ValidationError when it is refused."""
    symbol = parse_symbol(data.decode("utf-8", errors="replace"))
    assert isinstance(symbol, Symbol)
    # What was read is a symbol as the parser writes it, and reads back as the same one.
    assert parse_symbol(str(symbol)) == symbol, symbol
    assert symbol.number.isascii() and symbol.number.isdigit(), symbol


test_one_input = entry(parse, ValidationError)


if __name__ == "__main__":
    from fuzz.common import main

    main(NAME, test_one_input, seeds, MODULES)
