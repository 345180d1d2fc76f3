"""The fixed cast and the world the demo program lives in: countries, partners, products.

Only data here; the modules beside it decide how much of it to use and how to combine it.
"""

from dataclasses import dataclass
from typing import NamedTuple

PASSWORD = "openprm-demo"
VENDOR_NAME = "Contoso Software"
VENDOR_SLUG = "contoso-software"
VENDOR_DOMAIN = "openprm.example"


@dataclass(frozen=True)
class City:
    name: str
    postal_code: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class CountryProfile:
    """How customers in one country look: names, currency, addresses, share of the directory."""

    code: str
    currency: str
    locale: str
    tld: str
    weight: int
    phone_prefix: str
    cities: tuple[City, ...]


def _c(name: str, postal: str, *streets: str) -> City:
    return City(name, postal, streets)


COUNTRIES: tuple[CountryProfile, ...] = (
    CountryProfile("US", "USD", "en", "com", 70, "+1", (
        _c("New York", "10001", "Madison Avenue", "West 34th Street"),
        _c("Seattle", "98101", "Pine Street", "Pike Street"),
        _c("Chicago", "60601", "Michigan Avenue", "Wacker Drive"),
        _c("Austin", "78701", "Congress Avenue", "Lamar Boulevard"),
        _c("Boston", "02110", "Atlantic Avenue", "Summer Street"),
    )),
    CountryProfile("CA", "CAD", "en", "ca", 20, "+1", (
        _c("Toronto", "M5H 2N2", "King Street West", "Bay Street"),
        _c("Vancouver", "V6B 1A1", "Granville Street", "Howe Street"),
        _c("Montréal", "H3B 2Y5", "Rue Sainte-Catherine", "Boulevard René-Lévesque"),
    )),
    CountryProfile("GB", "GBP", "en", "co.uk", 35, "+44", (
        _c("London", "EC2A 4NE", "Old Street", "Bishopsgate"),
        _c("Manchester", "M1 1AE", "Deansgate", "Portland Street"),
        _c("Edinburgh", "EH2 2AD", "George Street", "Princes Street"),
    )),
    CountryProfile("IE", "EUR", "en", "ie", 6, "+353", (
        _c("Dublin", "D02 X285", "Grafton Street", "Baggot Street"),
        _c("Cork", "T12 W8DR", "Patrick Street", "Lapps Quay"),
    )),
    CountryProfile("DE", "EUR", "de", "de", 30, "+49", (
        _c("Berlin", "10115", "Friedrichstraße", "Invalidenstraße"),
        _c("München", "80331", "Sendlinger Straße", "Leopoldstraße"),
        _c("Hamburg", "20095", "Mönckebergstraße", "Spitalerstraße"),
    )),
    CountryProfile("CH", "CHF", "de", "ch", 6, "+41", (
        _c("Zürich", "8001", "Bahnhofstrasse", "Limmatquai"),
        _c("Basel", "4051", "Freie Strasse", "Steinenvorstadt"),
    )),
    CountryProfile("FR", "EUR", "fr", "fr", 12, "+33", (
        _c("Paris", "75002", "rue de Rivoli", "boulevard Haussmann"),
        _c("Lyon", "69002", "rue de la République", "quai Saint-Antoine"),
    )),
    CountryProfile("NL", "EUR", "nl", "nl", 8, "+31", (
        _c("Amsterdam", "1012 AB", "Damrak", "Herengracht"),
        _c("Utrecht", "3511 AA", "Oudegracht", "Catharijnesingel"),
    )),
    CountryProfile("SE", "SEK", "sv", "se", 5, "+46", (
        _c("Stockholm", "111 51", "Drottninggatan", "Kungsgatan"),
        _c("Göteborg", "411 05", "Avenyn", "Kungsportsavenyen"),
    )),
    CountryProfile("AU", "AUD", "en", "com.au", 25, "+61", (
        _c("Sydney", "2000", "George Street", "Pitt Street"),
        _c("Melbourne", "3000", "Collins Street", "Bourke Street"),
        _c("Brisbane", "4000", "Queen Street", "Adelaide Street"),
    )),
    CountryProfile("NZ", "NZD", "en", "co.nz", 6, "+64", (
        _c("Auckland", "1010", "Queen Street", "Customs Street"),
        _c("Wellington", "6011", "Lambton Quay", "Willis Street"),
    )),
    CountryProfile("JP", "JPY", "ja", "co.jp", 60, "+81", (
        _c("東京都千代田区", "100-0005", "丸の内", "大手町"),
        _c("東京都港区", "105-0001", "虎ノ門", "芝浦"),
        _c("大阪府大阪市北区", "530-0001", "梅田", "中之島"),
        _c("愛知県名古屋市中村区", "450-0002", "名駅", "椿町"),
        _c("福岡県福岡市博多区", "812-0011", "博多駅前", "祇園町"),
    )),
    CountryProfile("KR", "KRW", "ko", "co.kr", 20, "+82", (
        _c("서울특별시 강남구", "06164", "테헤란로", "삼성로"),
        _c("서울특별시 중구", "04524", "세종대로", "을지로"),
        _c("부산광역시 해운대구", "48058", "센텀중앙로", "해운대로"),
    )),
    CountryProfile("TW", "TWD", "zh-hant", "com.tw", 30, "+886", (
        _c("臺北市信義區", "110", "信義路五段", "松仁路"),
        _c("臺北市內湖區", "114", "瑞光路", "內湖路一段"),
        _c("新竹市東區", "300", "光復路二段", "關新路"),
        _c("高雄市前鎮區", "806", "成功二路", "中華五路"),
    )),
    CountryProfile("HK", "HKD", "zh-hant", "com.hk", 10, "+852", (
        _c("香港中環", "", "皇后大道中", "德輔道中"),
        _c("九龍尖沙咀", "", "彌敦道", "廣東道"),
    )),
    CountryProfile("TH", "THB", "th", "co.th", 40, "+66", (
        _c("กรุงเทพมหานคร", "10110", "ถนนสุขุมวิท", "ถนนรัชดาภิเษก"),
        _c("กรุงเทพมหานคร", "10500", "ถนนสีลม", "ถนนสาทร"),
        _c("เชียงใหม่", "50200", "ถนนนิมมานเหมินท์", "ถนนห้วยแก้ว"),
        _c("ชลบุรี", "20000", "ถนนสุขุมวิท", "ถนนพระยาสัจจา"),
    )),
    CountryProfile("SG", "SGD", "sg", "com.sg", 20, "+65", (
        _c("Singapore", "018989", "Marina Boulevard", "Raffles Place"),
        _c("Singapore", "238880", "Orchard Road", "Scotts Road"),
    )),
    CountryProfile("MY", "USD", "sg", "com.my", 10, "+60", (
        _c("Kuala Lumpur", "50450", "Jalan Ampang", "Jalan Sultan Ismail"),
        _c("George Town", "10200", "Lebuh Pantai", "Jalan Burma"),
    )),
    CountryProfile("ID", "USD", "id", "co.id", 10, "+62", (
        _c("Jakarta", "10220", "Jalan Jenderal Sudirman", "Jalan M.H. Thamrin"),
        _c("Surabaya", "60271", "Jalan Basuki Rahmat", "Jalan Tunjungan"),
    )),
    CountryProfile("VN", "USD", "vi", "com.vn", 8, "+84", (
        _c("Thành phố Hồ Chí Minh", "700000", "Đường Nguyễn Huệ", "Đường Lê Lợi"),
        _c("Hà Nội", "100000", "Phố Tràng Tiền", "Phố Huế"),
    )),
    CountryProfile("PH", "USD", "ph", "com.ph", 8, "+63", (
        _c("Makati", "1226", "Ayala Avenue", "Paseo de Roxas"),
        _c("Cebu City", "6000", "Osmeña Boulevard", "Gorordo Avenue"),
    )),
    CountryProfile("IN", "INR", "in", "in", 40, "+91", (
        _c("Bengaluru", "560001", "MG Road", "Residency Road"),
        _c("Mumbai", "400021", "Nariman Point", "Marine Drive"),
        _c("Hyderabad", "500081", "HITEC City Road", "Road No. 36, Jubilee Hills"),
        _c("Pune", "411001", "FC Road", "Koregaon Park Road"),
    )),
    CountryProfile("BR", "BRL", "pt", "com.br", 35, "+55", (
        _c("São Paulo", "01310-100", "Avenida Paulista", "Rua Oscar Freire"),
        _c("Rio de Janeiro", "20040-002", "Avenida Rio Branco", "Rua do Ouvidor"),
        _c("Belo Horizonte", "30130-000", "Avenida Afonso Pena", "Rua da Bahia"),
    )),
    CountryProfile("MX", "MXN", "es", "com.mx", 25, "+52", (
        _c("Ciudad de México", "06600", "Paseo de la Reforma", "Avenida Insurgentes Sur"),
        _c("Guadalajara", "44100", "Avenida Chapultepec", "Avenida Vallarta"),
        _c("Monterrey", "64000", "Avenida Constitución", "Calzada del Valle"),
    )),
    CountryProfile("CO", "USD", "es", "com.co", 8, "+57", (
        _c("Bogotá", "110231", "Carrera 7", "Calle 93"),
        _c("Medellín", "050021", "Calle 10", "Carrera 43A"),
    )),
    CountryProfile("AR", "USD", "es", "com.ar", 6, "+54", (
        _c("Buenos Aires", "C1043", "Avenida Corrientes", "Avenida Santa Fe"),
    )),
    CountryProfile("CL", "USD", "es", "cl", 6, "+56", (
        _c("Santiago", "7550000", "Avenida Apoquindo", "Avenida Providencia"),
    )),
)  # fmt: skip

COUNTRY = {profile.code: profile for profile in COUNTRIES}

# The UI languages (SPEC A6) a user in each country would choose; everyone else reads English.
UI_LANGUAGE = {"JP": "ja", "TW": "zh-hant", "HK": "zh-hant", "TH": "th"}

# Approximate US$ per unit at the start of the demo's two years; rates drift month by month.
USD_PER_UNIT = {
    "USD": "1", "EUR": "1.08", "GBP": "1.27", "AUD": "0.66", "CAD": "0.73", "JPY": "0.0067",
    "TWD": "0.031", "THB": "0.028", "SGD": "0.74", "INR": "0.012", "BRL": "0.18",
    "MXN": "0.055", "KRW": "0.00072", "CNY": "0.138", "HKD": "0.128", "NZD": "0.60",
    "CHF": "1.13", "SEK": "0.095",
}  # fmt: skip


@dataclass(frozen=True)
class Office:
    name: str
    country: str
    city: str
    timezone: str


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    slug: str
    domain: str
    country: str
    size: float
    offices: tuple[Office, ...]


# Partners whose last valid certification lapses within the alert windows (days from today).
CERTIFICATIONS_LAPSING_IN = {"lucerne-publishing": 10, "margies-travel": 45}

PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec("Northwind Traders", "northwind-traders", "northwind.example", "US", 1.6, (
        Office("Seattle", "US", "Seattle", "America/Los_Angeles"),
        Office("New York", "US", "New York", "America/New_York"),
        Office("Tokyo", "JP", "東京都千代田区", "Asia/Tokyo"),
        Office("Osaka", "JP", "大阪府大阪市北区", "Asia/Tokyo"),
    )),
    PartnerSpec("Tailspin Toys", "tailspin-toys", "tailspin.example", "TH", 1.2, (
        Office("Bangkok", "TH", "กรุงเทพมหานคร", "Asia/Bangkok"),
        Office("Chiang Mai", "TH", "เชียงใหม่", "Asia/Bangkok"),
        Office("Ho Chi Minh City", "VN", "Thành phố Hồ Chí Minh", "Asia/Ho_Chi_Minh"),
    )),
    PartnerSpec("Fabrikam", "fabrikam", "fabrikam.example", "IN", 1.3, (
        Office("Bengaluru", "IN", "Bengaluru", "Asia/Kolkata"),
        Office("Mumbai", "IN", "Mumbai", "Asia/Kolkata"),
        Office("Singapore", "SG", "Singapore", "Asia/Singapore"),
    )),
    PartnerSpec("Adventure Works", "adventure-works", "adventure-works.example", "BR", 1.1, (
        Office("São Paulo", "BR", "São Paulo", "America/Sao_Paulo"),
        Office("Rio de Janeiro", "BR", "Rio de Janeiro", "America/Sao_Paulo"),
        Office("Buenos Aires", "AR", "Buenos Aires", "America/Argentina/Buenos_Aires"),
    )),
    PartnerSpec("Wide World Importers", "wide-world-importers", "wideworld.example", "GB", 1.2, (
        Office("London", "GB", "London", "Europe/London"),
        Office("Manchester", "GB", "Manchester", "Europe/London"),
        Office("Dublin", "IE", "Dublin", "Europe/Dublin"),
    )),
    PartnerSpec("Litware", "litware", "litware.example", "DE", 0.9, (
        Office("Berlin", "DE", "Berlin", "Europe/Berlin"),
        Office("München", "DE", "München", "Europe/Berlin"),
        Office("Zürich", "CH", "Zürich", "Europe/Zurich"),
    )),
    PartnerSpec("Proseware", "proseware", "proseware.example", "TW", 1.0, (
        Office("Taipei", "TW", "臺北市信義區", "Asia/Taipei"),
        Office("Hsinchu", "TW", "新竹市東區", "Asia/Taipei"),
        Office("Hong Kong", "HK", "香港中環", "Asia/Hong_Kong"),
    )),
    PartnerSpec("Lucerne Publishing", "lucerne-publishing", "lucerne.example", "AU", 0.8, (
        Office("Sydney", "AU", "Sydney", "Australia/Sydney"),
        Office("Melbourne", "AU", "Melbourne", "Australia/Melbourne"),
        Office("Auckland", "NZ", "Auckland", "Pacific/Auckland"),
    )),
    PartnerSpec("Coho Winery", "coho-winery", "cohowinery.example", "MX", 0.8, (
        Office("Ciudad de México", "MX", "Ciudad de México", "America/Mexico_City"),
        Office("Guadalajara", "MX", "Guadalajara", "America/Mexico_City"),
        Office("Bogotá", "CO", "Bogotá", "America/Bogota"),
    )),
    PartnerSpec("Woodgrove", "woodgrove", "woodgrove.example", "SG", 1.0, (
        Office("Singapore", "SG", "Singapore", "Asia/Singapore"),
        Office("Kuala Lumpur", "MY", "Kuala Lumpur", "Asia/Kuala_Lumpur"),
        Office("Jakarta", "ID", "Jakarta", "Asia/Jakarta"),
    )),
    PartnerSpec("Margie's Travel", "margies-travel", "margiestravel.example", "CA", 0.7, (
        Office("Toronto", "CA", "Toronto", "America/Toronto"),
        Office("Vancouver", "CA", "Vancouver", "America/Vancouver"),
    )),
    PartnerSpec("Humongous Insurance", "humongous-insurance", "humongous.example", "KR", 0.7, (
        Office("Seoul", "KR", "서울특별시 강남구", "Asia/Seoul"),
        Office("Busan", "KR", "부산광역시 해운대구", "Asia/Seoul"),
    )),
)  # fmt: skip

# Partners beyond the named twelve (--scale above 1) reuse these names and the offices of
# the named partner in the same position, so every market keeps growing together.
EXTRA_PARTNER_NAMES = (
    "Alpine Ski House", "Blue Yonder Airlines", "City Power & Light", "Consolidated Messenger",
    "Fourth Coffee", "Graphic Design Institute", "Relecloud", "Trey Research", "VanArsdel",
    "Best For You Organics", "Bellows College", "A. Datum Corporation",
)  # fmt: skip


@dataclass(frozen=True)
class StaffSpec:
    email: str
    full_name: str
    role: str
    language: str
    timezone: str


# Vendor staff; the first PDM is Northwind's (pdm@openprm.example).
VENDOR_STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin@openprm.example", "Avery Morgan", "program_admin", "en", "America/New_York"),
    StaffSpec("pdm@openprm.example", "Priya Desai", "pdm", "en", "America/Los_Angeles"),
    StaffSpec("kenji.watanabe@openprm.example", "渡辺 健二", "pdm", "ja", "Asia/Tokyo"),
    StaffSpec("rep@openprm.example", "Ryan Cooper", "sales_rep", "en", "America/Chicago"),
    StaffSpec("somchai.rattanakul@openprm.example", "สมชาย รัตนกุล", "sales_rep", "th",
              "Asia/Bangkok"),
    StaffSpec("mei-ling.chen@openprm.example", "陳美玲", "sales_rep", "zh-hant", "Asia/Taipei"),
    StaffSpec("oliver.bennett@openprm.example", "Oliver Bennett", "sales_rep", "en",
              "Europe/London"),
    StaffSpec("reviewer@openprm.example", "Rosa Alvarez", "reviewer", "en", "America/New_York"),
)  # fmt: skip

# Partners at home here have the second PDM (Asia-Pacific); the others have Priya.
APAC_PDM_COUNTRIES = frozenset({"AU", "IN", "JP", "KR", "SG", "TH", "TW"})

PDM_INTRODUCTIONS = {
    "pdm@openprm.example": (
        "Priya has looked after Contoso's partners in the Americas and Europe for six years. "
        "Ask her about joint business plans, co-sell with our sales team and getting the most "
        "from your tier."
    ),
    "kenji.watanabe@openprm.example": (
        "Kenji helps partners across Asia-Pacific grow with Contoso: goal planning, quarterly "
        "reviews and certifications. 日本語でもお気軽にご相談ください。"
    ),
}


class PartnerPerson(NamedTuple):
    email: str
    full_name: str
    role: str
    countries: tuple[str, ...] | None  # location scope; None is global
    language: str
    timezone: str


# Partner people with fixed logins, by partner slug.
FIXED_PARTNER_USERS: tuple[tuple[str, PartnerPerson], ...] = (
    ("northwind-traders", PartnerPerson("admin@northwind.example", "Alice Walker",
                                        "partner_admin", None, "en", "America/Los_Angeles")),
    ("northwind-traders", PartnerPerson("user@northwind.example", "Bob Miller", "partner_user",
                                        ("US",), "en", "America/New_York")),
    ("northwind-traders", PartnerPerson("haruka.sato@northwind.example", "佐藤 遥",
                                        "partner_user", ("JP",), "ja", "Asia/Tokyo")),
    ("tailspin-toys", PartnerPerson("admin@tailspin.example", "Charlie Srisawat",
                                    "partner_admin", None, "en", "Asia/Bangkok")),
)  # fmt: skip


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    description: str
    mrr_usd: tuple[int, int]


PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec("crm-suite", "Contoso CRM Suite",
                "Contacts, pipelines and forecasting for sales teams.", (600, 4800)),
    ProductSpec("marketing-hub", "Contoso Marketing Hub",
                "Campaigns, email and landing pages with attribution.", (800, 3600)),
    ProductSpec("service-desk", "Contoso Service Desk",
                "Tickets, a help centre and customer feedback.", (400, 2200)),
    ProductSpec("commerce-cloud", "Contoso Commerce Cloud",
                "Online store, payments and subscriptions.", (500, 3000)),
    ProductSpec("analytics", "Contoso Analytics",
                "Dashboards and reports across every Contoso product.", (300, 1500)),
    ProductSpec("content-studio", "Contoso Content Studio",
                "Websites and blogs with a drag-and-drop editor.", (250, 1200)),
    ProductSpec("operations", "Contoso Operations",
                "Data sync, automation and data quality.", (400, 1800)),
)  # fmt: skip

CERTIFICATIONS = (
    "Contoso Sales Professional",
    "Contoso Solutions Architect",
    "Contoso Implementation Specialist",
    "Contoso Marketing Hub Certified",
    "Contoso Service Desk Administrator",
)
