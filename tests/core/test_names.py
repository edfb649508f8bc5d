import pytest

from pcn_portal.core.names import ods_title


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("STOCKTON PCN", "Stockton PCN"),
        ("NORTH EAST AND YORKSHIRE", "North East and Yorkshire"),
        ("STOCKTON-ON-TEES", "Stockton-on-Tees"),
        ("ST. JOHN'S SURGERY", "St. John's Surgery"),
        ("NHS NORFOLK AND WAVENEY ICB - 26A", "NHS Norfolk and Waveney ICB - 26A"),
        ("THE DENSHAM SURGERY", "The Densham Surgery"),
        ("ECCLES & IRLAM PCN", "Eccles & Irlam PCN"),
        ("Already Mixed Case PCN", "Already Mixed Case PCN"),
        ("", ""),
    ],
)
def test_ods_names_are_shown_as_people_write_them(published, shown):
    assert ods_title(published) == shown
