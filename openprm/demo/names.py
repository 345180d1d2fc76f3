"""People and company names in the scripts the program's users write: Latin, kana/kanji, Thai,
Traditional Chinese and Hangul, each with a romanisation for email addresses and domains.
"""

import random
from dataclasses import dataclass

from django.utils.text import slugify

from openprm.demo.catalog import City, CountryProfile

Pair = tuple[str, str]  # (as written, romanised)


def _latin(*names: str) -> tuple[Pair, ...]:
    return tuple((name, name) for name in names)


# locale: (given names, family names, family name first, separator)
PEOPLE: dict[str, tuple[tuple[Pair, ...], tuple[Pair, ...], bool, str]] = {
    "en": (
        _latin("James", "Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Olivia",
               "Ryan", "Grace", "Ethan", "Chloe", "Nathan", "Hannah"),
        _latin("Smith", "Johnson", "Carter", "Bennett", "Hughes", "Walker", "Reed", "Morgan",
               "Foster", "Hayes", "Brooks", "Collins", "Murphy", "Clarke"),
        False, " ",
    ),
    "de": (
        _latin("Lukas", "Anna", "Jonas", "Lena", "Felix", "Sophie", "Maximilian", "Laura"),
        (("Müller", "Mueller"), ("Schmidt", "Schmidt"), ("Schneider", "Schneider"),
         ("Fischer", "Fischer"), ("Weber", "Weber"), ("Wagner", "Wagner"),
         ("Becker", "Becker"), ("Hoffmann", "Hoffmann")),
        False, " ",
    ),
    "fr": (
        (("Louis", "Louis"), ("Camille", "Camille"), ("Hugo", "Hugo"), ("Léa", "Lea"),
         ("Antoine", "Antoine"), ("Chloé", "Chloe")),
        (("Martin", "Martin"), ("Bernard", "Bernard"), ("Dubois", "Dubois"),
         ("Moreau", "Moreau"), ("Laurent", "Laurent"), ("Lefèvre", "Lefevre")),
        False, " ",
    ),
    "nl": (
        _latin("Daan", "Emma", "Sem", "Julia", "Lars", "Sanne"),
        _latin("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer"),
        False, " ",
    ),
    "sv": (
        _latin("Erik", "Astrid", "Oskar", "Elsa", "Nils", "Maja"),
        _latin("Andersson", "Johansson", "Lindberg", "Nilsson", "Berg", "Lund"),
        False, " ",
    ),
    "pt": (
        (("João", "Joao"), ("Ana", "Ana"), ("Lucas", "Lucas"), ("Mariana", "Mariana"),
         ("Pedro", "Pedro"), ("Beatriz", "Beatriz"), ("Gabriel", "Gabriel"),
         ("Camila", "Camila")),
        _latin("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida", "Ferreira"),
        False, " ",
    ),
    "es": (
        (("Carlos", "Carlos"), ("María", "Maria"), ("José", "Jose"), ("Lucía", "Lucia"),
         ("Diego", "Diego"), ("Sofía", "Sofia"), ("Javier", "Javier"),
         ("Valentina", "Valentina")),
        (("García", "Garcia"), ("Hernández", "Hernandez"), ("López", "Lopez"),
         ("Martínez", "Martinez"), ("González", "Gonzalez"), ("Rodríguez", "Rodriguez"),
         ("Ramírez", "Ramirez"), ("Torres", "Torres")),
        False, " ",
    ),
    "in": (
        _latin("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Neha",
               "Rahul", "Divya"),
        _latin("Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Menon", "Singh", "Rao"),
        False, " ",
    ),
    "sg": (
        _latin("Wei Ling", "Jun Hao", "Mei Xin", "Kai Wen", "Siti", "Hui Min", "Zhi Wei",
               "Aisyah"),
        _latin("Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua", "Teo", "Ismail"),
        False, " ",
    ),
    "id": (
        _latin("Budi", "Siti", "Dewi", "Agus", "Rina", "Andi", "Putri", "Eko"),
        _latin("Santoso", "Rahayu", "Lestari", "Wijaya", "Saputra", "Hidayat"),
        False, " ",
    ),
    "ph": (
        _latin("Maria", "Jose", "Mark", "Angelica", "Paolo", "Kristine", "Miguel", "Joy"),
        _latin("Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Garcia", "Mendoza"),
        False, " ",
    ),
    "vi": (
        (("An", "An"), ("Bình", "Binh"), ("Chi", "Chi"), ("Dũng", "Dung"), ("Hạnh", "Hanh"),
         ("Linh", "Linh"), ("Minh", "Minh"), ("Thảo", "Thao")),
        (("Nguyễn", "Nguyen"), ("Trần", "Tran"), ("Lê", "Le"), ("Phạm", "Pham"),
         ("Hoàng", "Hoang"), ("Võ", "Vo")),
        True, " ",
    ),
    "ja": (
        (("遥", "Haruka"), ("翔太", "Shota"), ("美咲", "Misaki"), ("大輔", "Daisuke"),
         ("陽菜", "Hina"), ("健太", "Kenta"), ("結衣", "Yui"), ("拓也", "Takuya"),
         ("さくら", "Sakura"), ("直樹", "Naoki"), ("真由美", "Mayumi"), ("浩二", "Koji")),
        (("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
         ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
         ("小林", "Kobayashi"), ("加藤", "Kato"), ("吉田", "Yoshida"), ("松本", "Matsumoto")),
        True, " ",
    ),
    "th": (
        (("สมชาย", "Somchai"), ("สุดารัตน์", "Sudarat"), ("ปิยะ", "Piya"), ("อนงค์", "Anong"),
         ("ธนพล", "Thanapol"), ("กมลชนก", "Kamonchanok"), ("วีระ", "Weera"),
         ("ศิริพร", "Siriporn"), ("ณัฐวุฒิ", "Nattawut"), ("พิมพ์ชนก", "Pimchanok")),
        (("รัตนกุล", "Rattanakul"), ("ศรีสวัสดิ์", "Srisawat"), ("วงศ์ไทย", "Wongthai"),
         ("แก้วมณี", "Kaewmanee"), ("บุญมา", "Boonma"), ("สุขสวัสดิ์", "Suksawat"),
         ("จันทร์เพ็ญ", "Chanpen"), ("ทองดี", "Thongdee")),
        False, " ",
    ),
    "zh-hant": (
        (("怡君", "Yi-Chun"), ("志明", "Chih-Ming"), ("雅婷", "Ya-Ting"), ("家豪", "Chia-Hao"),
         ("淑芬", "Shu-Fen"), ("建宏", "Chien-Hung"), ("美玲", "Mei-Ling"), ("俊傑", "Chun-Chieh")),
        (("陳", "Chen"), ("林", "Lin"), ("黃", "Huang"), ("張", "Chang"), ("李", "Lee"),
         ("王", "Wang"), ("吳", "Wu"), ("劉", "Liu"), ("蔡", "Tsai"), ("楊", "Yang")),
        True, "",
    ),
    "ko": (
        (("민준", "Minjun"), ("서연", "Seoyeon"), ("지훈", "Jihoon"), ("수빈", "Subin"),
         ("현우", "Hyunwoo"), ("지은", "Jieun"), ("도윤", "Doyun"), ("하은", "Haeun")),
        (("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
         ("강", "Kang"), ("조", "Cho"), ("윤", "Yoon")),
        True, "",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    full_name: str
    email_local: str


def person(rng: random.Random, locale: str) -> Person:
    given_names, family_names, family_first, separator = PEOPLE[locale]
    given, given_latin = rng.choice(given_names)
    family, family_latin = rng.choice(family_names)
    full = f"{family}{separator}{given}" if family_first else f"{given}{separator}{family}"
    local = f"{slugify(given_latin)}.{slugify(family_latin)}"
    return Person(given, family, full, local)


JOB_TITLES = {
    "ja": ("情報システム部 部長", "営業本部長", "マーケティング部 課長", "経営企画室 室長",
           "購買担当", "カスタマーサポート部 マネージャー"),
    "th": ("ผู้จัดการฝ่ายไอที", "ผู้อำนวยการฝ่ายขาย", "หัวหน้าฝ่ายการตลาด", "ผู้จัดการฝ่ายจัดซื้อ",
           "ประธานเจ้าหน้าที่ฝ่ายการเงิน"),
    "zh-hant": ("資訊長", "業務副總", "行銷經理", "採購主管", "客服經理"),
    "ko": ("정보시스템팀장", "영업본부장", "마케팅 팀장", "구매 담당", "재무이사"),
    "en": ("CIO", "IT Director", "VP of Sales", "Head of Marketing", "Operations Manager",
           "Procurement Lead", "CFO", "Customer Service Manager", "Revenue Operations Lead"),
}  # fmt: skip


def job_title(rng: random.Random, locale: str) -> str:
    return rng.choice(JOB_TITLES.get(locale, JOB_TITLES["en"]))


# Company names: native-script stems and trades with their romanisation for the domain.
NATIVE_COMPANIES: dict[str, tuple[tuple[Pair, ...], tuple[Pair, ...]]] = {
    "ja": (
        (("青葉", "aoba"), ("東都", "toto"), ("さくら", "sakura"), ("富士見", "fujimi"),
         ("北斗", "hokuto"), ("瑞穂", "mizuho"), ("光陽", "koyo"), ("若葉", "wakaba"),
         ("白鷺", "shirasagi"), ("千歳", "chitose"), ("日向", "hinata"), ("松風", "matsukaze"),
         ("明星", "myojo"), ("浜松", "hamamatsu"), ("朝霧", "asagiri")),
        (("システム", "system"), ("商事", "shoji"), ("物流", "logistics"),
         ("製作所", "seisakusho"), ("テクノロジー", "technology"),
         ("ソリューションズ", "solutions"),
         ("電機", "denki"), ("食品", "foods"), ("薬品", "pharma"), ("建設", "kensetsu"),
         ("不動産", "estate"), ("精工", "seiko"), ("観光", "kanko"), ("出版", "publishing")),
    ),
    "th": (
        (("สยาม", "siam"), ("รุ่งเรือง", "rungruang"), ("ไทยพัฒนา", "thaipattana"),
         ("เจริญผล", "charoenphol"), ("ศรีสุข", "srisuk"), ("มั่นคง", "mankong"),
         ("ชัยมงคล", "chaimongkol"), ("แสงทอง", "saengthong"), ("บูรพา", "burapha"),
         ("ล้านนา", "lanna"), ("อันดามัน", "andaman"), ("เพชรเกษม", "phetkasem")),
        (("ดิจิทัล", "digital"), ("เทคโนโลยี", "tech"), ("โลจิสติกส์", "logistics"),
         ("การค้า", "trading"), ("อาหาร", "foods"), ("ก่อสร้าง", "construction"),
         ("ประกันภัย", "insurance"), ("ค้าปลีก", "retail"), ("ซอฟต์แวร์", "software"),
         ("การแพทย์", "medical"), ("พลังงาน", "energy")),
    ),
    "zh-hant": (
        (("青山", "qingshan"), ("海洋", "haiyang"), ("百川", "baichuan"), ("星辰", "xingchen"),
         ("嘉禾", "jiahe"), ("晨光", "chenguang"), ("金橋", "jinqiao"), ("綠野", "lvye"),
         ("和風", "hefeng"), ("遠景", "yuanjing"), ("鼎新", "dingxin"), ("凱旋", "kaixuan")),
        (("資訊", "info"), ("科技", "tech"), ("物流", "logistics"), ("貿易", "trading"),
         ("食品", "foods"), ("電子", "electronics"), ("生技", "biotech"), ("建設", "construction"),
         ("紡織", "textile"), ("文創", "creative")),
    ),
    "ko": (
        (("한빛", "hanbit"), ("새솔", "saesol"), ("푸른", "pureun"), ("다온", "daon"),
         ("누리", "nuri"), ("한결", "hangyeol"), ("미래", "mirae"), ("태양", "taeyang"),
         ("은하", "eunha"), ("바른", "bareun")),
        (("소프트", "soft"), ("테크", "tech"), ("물류", "logis"), ("유통", "retail"),
         ("바이오", "bio"), ("건설", "construction"), ("식품", "foods"), ("에너지", "energy")),
    ),
}  # fmt: skip

LATIN_STEMS = {
    "en": ("Blue Harbor", "Summit Ridge", "Keystone", "Riverbend", "Silver Oak", "Northgate",
           "Bright Path", "Evergreen", "Ironwood", "Pinnacle", "Clearwater", "Redwood",
           "Lighthouse", "Cedar Point", "Granite", "Horizon", "Meridian", "Sterling", "Atlas",
           "Beacon", "Crescent", "Falcon", "Juniper", "Lumen", "Orchard", "Sapphire", "Vertex",
           "Willow", "Zenith", "Aurora", "Cobalt", "Ember", "Harborview", "Kestrel"),
    "de": ("Nordlicht", "Alpen", "Rhein", "Elbe", "Bergmann", "Sonnenberg", "Lindenhof",
           "Falkenstein", "Weißdorn", "Eichwald"),
    "fr": ("Lumière", "Horizon", "Belle Rive", "Mont Blanc", "Étoile", "Azur", "Beaulieu"),
    "nl": ("Noordzee", "Tulp", "Polder", "Oranje", "Zilvermeer", "Duinrand"),
    "sv": ("Norrsken", "Fjäll", "Björk", "Skärgård", "Ljus", "Stjärn"),
    "pt": ("Horizonte", "Aurora", "Cruzeiro", "Ipê", "Atlântico", "Serra Azul", "Vale Verde",
           "Estrela", "Guanabara", "Jacarandá"),
    "es": ("Sol Naciente", "Cumbre", "Pacífico", "Sierra Madre", "Río Claro", "Alborada",
           "Maya", "Andes", "Mar Azul", "Ceiba"),
}  # fmt: skip

TRADES = {
    "en": ("Logistics", "Health", "Analytics", "Foods", "Manufacturing", "Financial", "Retail",
           "Media", "Energy", "Consulting", "Software", "Travel", "Engineering", "Biotech",
           "Realty", "Learning"),
    "de": ("Logistik", "Gesundheit", "Analytik", "Lebensmittel", "Maschinenbau", "Finanz",
           "Handel", "Medien", "Energie", "Beratung", "Software", "Reisen"),
    "fr": ("Logistique", "Santé", "Analytique", "Alimentation", "Industrie", "Finance",
           "Distribution", "Médias", "Énergie", "Conseil"),
    "nl": ("Logistiek", "Zorg", "Analyse", "Voeding", "Techniek", "Financieel", "Handel",
           "Media", "Energie", "Advies"),
    "sv": ("Logistik", "Hälsa", "Analys", "Livsmedel", "Industri", "Finans", "Handel", "Media",
           "Energi", "Konsult"),
    "pt": ("Logística", "Saúde", "Análise", "Alimentos", "Indústria", "Financeira", "Varejo",
           "Mídia", "Energia", "Consultoria", "Tecnologia"),
    "es": ("Logística", "Salud", "Analítica", "Alimentos", "Manufactura", "Financiera",
           "Comercio", "Medios", "Energía", "Consultoría", "Tecnología"),
}  # fmt: skip

# Where a country's customers are named in Latin script, the language of their names.
NAME_LANGUAGE = {"de": "de", "fr": "fr", "nl": "nl", "sv": "sv", "pt": "pt", "es": "es"}

LEGAL_FORMS = {
    "US": "Inc.", "CA": "Ltd.", "GB": "Ltd", "IE": "Ltd", "DE": "GmbH", "CH": "AG",
    "FR": "SAS", "NL": "B.V.", "SE": "AB", "AU": "Pty Ltd", "NZ": "Limited", "SG": "Pte. Ltd.",
    "MY": "Sdn. Bhd.", "PH": "Inc.", "VN": "JSC", "IN": "Pvt. Ltd.", "BR": "Ltda.",
    "MX": "S.A. de C.V.", "CO": "S.A.S.", "AR": "S.A.", "CL": "SpA",
}  # fmt: skip


def company(rng: random.Random, profile: CountryProfile) -> tuple[str, str]:
    """A company name as the customer writes it, and the romanised stem of its domain."""
    if profile.locale in NATIVE_COMPANIES:
        stems, trades = NATIVE_COMPANIES[profile.locale]
        stem, stem_latin = rng.choice(stems)
        trade, trade_latin = rng.choice(trades)
        slug = f"{stem_latin}{trade_latin}"
        if profile.locale == "ja":
            core = f"{stem}{trade}"
            return (f"株式会社{core}" if rng.random() < 0.5 else f"{core}株式会社"), slug
        if profile.locale == "th":
            return f"บริษัท {stem}{trade} จำกัด", slug
        if profile.locale == "ko":
            return f"{stem}{trade} 주식회사", slug
        suffix = "股份有限公司" if profile.code == "TW" else "有限公司"
        return f"{stem}{trade}{suffix}", slug
    language = NAME_LANGUAGE.get(profile.locale, "en")
    stem = rng.choice(LATIN_STEMS[language])
    trade = rng.choice(TRADES[language])
    core = f"{trade} {stem}" if language in {"es", "fr"} else f"{stem} {trade}"
    slug = slugify(core.replace("ß", "ss")).replace("-", "")
    if profile.code == "ID":
        return f"PT {core}", slug
    return f"{core} {LEGAL_FORMS.get(profile.code, 'Ltd.')}", slug


def address(rng: random.Random, profile: CountryProfile, city: City) -> str:
    street = rng.choice(city.streets)
    number = rng.randint(1, 240)
    if profile.locale == "ja":
        return f"{street}{rng.randint(1, 4)}-{rng.randint(1, 12)}-{rng.randint(1, 30)}"
    if profile.locale == "zh-hant":
        return f"{street}{number}號"
    if profile.locale in {"ko", "de", "nl", "sv", "es", "id", "vi"}:
        return f"{street} {number}"
    if profile.locale == "pt":
        return f"{street}, {number}"
    return f"{number} {street}"


def phone(rng: random.Random, profile: CountryProfile) -> str:
    digits = f"{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return f"{profile.phone_prefix} {digits}"


NOTES = {
    "en": (
        "Met the IT director; they want to consolidate three tools into one by the end of the "
        "quarter.",
        "Budget approved for next fiscal year. Follow up after their board meeting.",
        "Asked for a reference customer in the same industry.",
        "Champion moved to a new role; need a new sponsor in operations.",
        "Renewal discussion went well; interested in adding Analytics.",
        "Procurement requires a security questionnaire before the pilot.",
    ),
    "ja": (
        "情報システム部長と面談。今期中に3つのツールを統合したいとのこと。",
        "来期予算が承認済み。取締役会の後にフォローアップ予定。",
        "同業種の導入事例を紹介してほしいと依頼あり。",
        "更新の打ち合わせは好感触。Analytics の追加に関心あり。",
    ),
    "th": (
        "พบผู้จัดการฝ่ายไอที ต้องการรวมเครื่องมือสามตัวให้เหลือตัวเดียวภายในไตรมาสนี้",
        "งบประมาณปีหน้าได้รับอนุมัติแล้ว จะติดตามหลังการประชุมคณะกรรมการ",
        "ลูกค้าขอตัวอย่างลูกค้าอ้างอิงในอุตสาหกรรมเดียวกัน",
    ),
    "zh-hant": (
        "與資訊長會面，希望在本季內將三套工具整合為一套。",  # noqa: RUF001
        "明年度預算已核准，董事會後再追蹤。",  # noqa: RUF001
        "客戶希望取得同產業的參考案例。",
    ),
}  # fmt: skip


def note(rng: random.Random, language: str) -> str:
    return rng.choice(NOTES.get(language, NOTES["en"]))
