"""The program's starting configuration (SPEC E12); the program admin edits it afterwards."""

from decimal import Decimal

# (code, name, amount of the currency that counts as US$100 for points)
CURRENCIES = [
    ("USD", "US dollar", Decimal("100")),
    ("EUR", "Euro", Decimal("88")),
    ("GBP", "Pound sterling", Decimal("74")),
    ("AUD", "Australian dollar", Decimal("154")),
    ("CAD", "Canadian dollar", Decimal("130")),
    ("JPY", "Japanese yen", Decimal("14500")),
    ("TWD", "New Taiwan dollar", Decimal("3100")),
    ("THB", "Thai baht", Decimal("3400")),
    ("SGD", "Singapore dollar", Decimal("130")),
    ("INR", "Indian rupee", Decimal("8300")),
    ("BRL", "Brazilian real", Decimal("500")),
    ("MXN", "Mexican peso", Decimal("1700")),
    ("KRW", "South Korean won", Decimal("133000")),
    ("CNY", "Chinese yuan", Decimal("720")),
    ("HKD", "Hong Kong dollar", Decimal("780")),
    ("NZD", "New Zealand dollar", Decimal("165")),
    ("CHF", "Swiss franc", Decimal("88")),
    ("SEK", "Swedish krona", Decimal("1050")),
]

# Growth markets are decided by the customer's country: India, Latin America, China, Mongolia,
# South Korea and Southeast Asia. Customers there earn double points.
GROWTH_REGIONS = {
    "India": ["IN"],
    "Latin America": [
        "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "HT", "MX", "NI", "PA",
        "PE", "PR", "PY", "SV", "UY", "VE",
    ],
    "China": ["CN"],
    "Mongolia": ["MN"],
    "South Korea": ["KR"],
    "Southeast Asia": [
        "BD", "BN", "KH", "HK", "ID", "LA", "MY", "MV", "MM", "NP", "PK", "PH", "LK", "SG", "TW",
        "TH", "TL", "VN",
    ],
}  # fmt: skip
GROWTH_MULTIPLIER = Decimal("2")
