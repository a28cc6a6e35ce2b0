"""The Ville's places: sectors, the arenas (rooms) inside them and the objects in each arena.

This table is the single source the map generator draws from. Names follow the original
Smallville map so addresses read `the Ville:<sector>:<arena>:<object>`.
"""

WORLD = "the Ville"

BED_ROOM = ("bed", "desk", "closet", "shelf")
BATHROOM = ("bathroom sink", "shower", "toilet")
KITCHEN = ("kitchen sink", "refrigerator", "toaster", "cooking area")
APARTMENT_MAIN = ("bed", "desk", "closet", "shelf", "refrigerator", "cooking area", "kitchen sink")
HOUSE_COMMON = ("common room sofa", "common room table")
HOUSE_GARDEN = ("house garden", "garden chair")

# sector -> arena -> objects in that arena (order is the drawing order)
PLACES: dict[str, dict[str, tuple[str, ...]]] = {
    "artist's co-living space": {
        "Latoya Williams's room": BED_ROOM + ("computer desk",),
        "Latoya Williams's bathroom": BATHROOM,
        "Rajiv Patel's room": BED_ROOM + ("easel", "guitar"),
        "Rajiv Patel's bathroom": BATHROOM,
        "Abigail Chen's room": BED_ROOM + ("computer",),
        "Abigail Chen's bathroom": BATHROOM,
        "Francisco Lopez's room": BED_ROOM,
        "Francisco Lopez's bathroom": BATHROOM,
        "Hailey Johnson's room": BED_ROOM + ("microphone",),
        "Hailey Johnson's bathroom": BATHROOM,
        "common room": HOUSE_COMMON + ("game console",),
        "kitchen": KITCHEN,
    },
    "Arthur Burton's apartment": {"main room": APARTMENT_MAIN, "bathroom": BATHROOM},
    "Ryan Park's apartment": {
        "main room": APARTMENT_MAIN + ("computer desk", "computer"),
        "bathroom": BATHROOM,
    },
    "Isabella Rodriguez's apartment": {"main room": APARTMENT_MAIN, "bathroom": BATHROOM},
    "Giorgio Rossi's apartment": {"main room": APARTMENT_MAIN, "bathroom": BATHROOM},
    "Carlos Gomez's apartment": {"main room": APARTMENT_MAIN, "bathroom": BATHROOM},
    "The Rose and Crown Pub": {
        "pub": (
            "bar customer seating",
            "behind the bar counter",
            "microphone",
            "pool table",
            "piano",
            "kitchen sink",
            "refrigerator",
        ),
    },
    "Hobbs Cafe": {
        "cafe": (
            "cafe customer seating",
            "behind the cafe counter",
            "cooking area",
            "kitchen sink",
            "refrigerator",
            "piano",
        ),
    },
    "Oak Hill College": {
        "classroom": ("classroom student seating", "classroom podium", "blackboard"),
        "library": ("library sofa", "bookshelf", "library table", "computer desk", "computer"),
        "hallway": (),
    },
    "Johnson Park": {"park": ("park garden", "garden chair", "lifting weight")},
    "Harvey Oak Supply Store": {
        "supply store": (
            "supply store product shelf",
            "behind the supply store counter",
            "supply store counter",
        ),
    },
    "The Willows Market and Pharmacy": {
        "store": (
            "grocery store shelf",
            "behind the grocery counter",
            "grocery store counter",
            "pharmacy store shelf",
            "behind the pharmacy counter",
            "pharmacy store counter",
        ),
    },
    "Adam Smith's house": {"main room": APARTMENT_MAIN, "bathroom": BATHROOM},
    "Yuriko Yamamoto's house": {"main room": APARTMENT_MAIN, "bathroom": BATHROOM},
    "Moore family's house": {"main room": APARTMENT_MAIN + ("easel",), "bathroom": BATHROOM},
    "Tamara Taylor and Carmen Ortiz's house": {
        "Tamara Taylor's room": BED_ROOM,
        "Carmen Ortiz's room": BED_ROOM,
        "common room": HOUSE_COMMON,
        "kitchen": KITCHEN,
        "bathroom": BATHROOM,
        "garden": HOUSE_GARDEN,
    },
    "Moreno family's house": {
        "Tom and Jane Moreno's bedroom": BED_ROOM,
        "empty bedroom": ("bed", "closet"),
        "common room": HOUSE_COMMON,
        "kitchen": KITCHEN,
        "bathroom": BATHROOM,
        "garden": HOUSE_GARDEN,
    },
    "Lin family's house": {
        "Mei and John Lin's bedroom": BED_ROOM,
        "Eddy Lin's bedroom": BED_ROOM + ("guitar",),
        "common room": HOUSE_COMMON + ("harp",),
        "kitchen": KITCHEN,
        "bathroom": BATHROOM,
        "garden": HOUSE_GARDEN,
    },
    "Dorm for Oak Hill College": {
        "Klaus Mueller's room": BED_ROOM,
        "Maria Lopez's room": BED_ROOM + ("computer desk", "computer", "game console"),
        "Ayesha Khan's room": BED_ROOM,
        "Wolfgang Schulz's room": BED_ROOM + ("lifting weight",),
        "man's bathroom": BATHROOM,
        "woman's bathroom": BATHROOM,
        "common room": ("common room sofa", "pool table", "common room table"),
        "kitchen": KITCHEN,
        "garden": ("dorm garden", "garden chair"),
    },
}

# Beds shared by a couple are drawn two tiles wide so each partner has a tile.
DOUBLE_BED_ARENAS = {
    ("Lin family's house", "Mei and John Lin's bedroom"),
    ("Moreno family's house", "Tom and Jane Moreno's bedroom"),
    ("Moore family's house", "main room"),
}

# persona -> (sector, arena) where they sleep; the spawn point is placed beside their bed.
RESIDENTS: dict[str, tuple[str, str]] = {
    "Latoya Williams": ("artist's co-living space", "Latoya Williams's room"),
    "Rajiv Patel": ("artist's co-living space", "Rajiv Patel's room"),
    "Abigail Chen": ("artist's co-living space", "Abigail Chen's room"),
    "Francisco Lopez": ("artist's co-living space", "Francisco Lopez's room"),
    "Hailey Johnson": ("artist's co-living space", "Hailey Johnson's room"),
    "Arthur Burton": ("Arthur Burton's apartment", "main room"),
    "Ryan Park": ("Ryan Park's apartment", "main room"),
    "Isabella Rodriguez": ("Isabella Rodriguez's apartment", "main room"),
    "Giorgio Rossi": ("Giorgio Rossi's apartment", "main room"),
    "Carlos Gomez": ("Carlos Gomez's apartment", "main room"),
    "Klaus Mueller": ("Dorm for Oak Hill College", "Klaus Mueller's room"),
    "Maria Lopez": ("Dorm for Oak Hill College", "Maria Lopez's room"),
    "Ayesha Khan": ("Dorm for Oak Hill College", "Ayesha Khan's room"),
    "Wolfgang Schulz": ("Dorm for Oak Hill College", "Wolfgang Schulz's room"),
    "Mei Lin": ("Lin family's house", "Mei and John Lin's bedroom"),
    "John Lin": ("Lin family's house", "Mei and John Lin's bedroom"),
    "Eddy Lin": ("Lin family's house", "Eddy Lin's bedroom"),
    "Tom Moreno": ("Moreno family's house", "Tom and Jane Moreno's bedroom"),
    "Jane Moreno": ("Moreno family's house", "Tom and Jane Moreno's bedroom"),
    "Tamara Taylor": ("Tamara Taylor and Carmen Ortiz's house", "Tamara Taylor's room"),
    "Carmen Ortiz": ("Tamara Taylor and Carmen Ortiz's house", "Carmen Ortiz's room"),
    "Sam Moore": ("Moore family's house", "main room"),
    "Jennifer Moore": ("Moore family's house", "main room"),
    "Yuriko Yamamoto": ("Yuriko Yamamoto's house", "main room"),
    "Adam Smith": ("Adam Smith's house", "main room"),
}
