"""The demo's logins and the word lists for its made-up names. No real organisation or person is
meant. The other demo modules import their shared names from here."""

from caremarket.accounts.roles import Role

DEMO_PASSWORD = "caremarket-demo"
DEMO_DOMAIN = "demo.caremarket.test"

# Who signs in to the demo (username → role, organisation key, name).
DEMO_PEOPLE = [
    ("commissioner", Role.COMMISSIONER, "council", "Clare", "Commissioner"),
    ("broker", Role.BROKERAGE_OFFICER, "council", "Brian", "Broker"),
    ("social.worker", Role.SOCIAL_WORKER, "council", "Sophie", "Worker"),
    ("quality", Role.QUALITY_OFFICER, "council", "Quentin", "Quality"),
    ("finance", Role.FINANCE_OFFICER, "council", "Fiona", "Finance"),
    ("account.manager", Role.ACCOUNT_MANAGER, "council", "Adam", "Manager"),
    ("dpo", Role.DATA_PROTECTION_OFFICER, "council", "Dana", "Protection"),
    ("provider.admin", Role.PROVIDER_ADMIN, "home_support", "Priya", "Admin"),
    ("provider.staff", Role.PROVIDER_STAFF, "home_support", "Paul", "Staff"),
    ("care.home.admin", Role.PROVIDER_ADMIN, "care_home", "Carol", "Homes"),
    ("integrator", Role.CONSORTIUM_INTEGRATOR, "integrator", "Imogen", "Integrator"),
    ("consortium.member", Role.CONSORTIUM_MEMBER, "member", "Marcus", "Member"),
    ("assessor", Role.QUALITY_ASSESSOR, "assessor", "Aled", "Assessor"),
]

# The neighbouring council's own staff (demo.neighbour).
NEIGHBOUR_PEOPLE = [
    ("sandwell.commissioner", Role.COMMISSIONER, "Sam", "Commissioner"),
    ("sandwell.broker", Role.BROKERAGE_OFFICER, "Sian", "Broker"),
    ("sandwell.social.worker", Role.SOCIAL_WORKER, "Saul", "Worker"),
    ("sandwell.finance", Role.FINANCE_OFFICER, "Sophia", "Finance"),
]


def demo_username(login: str) -> str:
    return f"{login}@{DEMO_DOMAIN}"


PLACE_WORDS = [
    "Acorn", "Alder", "Ashfield", "Aston Vale", "Beacon", "Beech", "Birchwood", "Bluebell", "Bramble", "Brook",
    "Castle", "Cedar", "Chestnut", "Clover", "Compass", "Copper", "Cotton Lane", "Crescent", "Dale", "Elm",
    "Evergreen", "Fairview", "Fern", "Foxglove", "Glebe", "Hawthorn", "Hazel", "Heather", "Highfield", "Holly",
    "Ivy", "Juniper", "Kestrel", "Lakeside", "Larch", "Laurel", "Linden", "Maple", "Meadow", "Millbrook",
    "Moorland", "Oak", "Orchard", "Parkside", "Pine", "Poplar", "Primrose", "Quarry", "Riverside", "Rowan",
    "Sage", "Silverbirch", "Spring", "Stonebridge", "Sycamore", "Thistle", "Unity", "Valley", "Willow", "Wren",
]
HOME_SUPPORT_SUFFIXES = ["Home Care", "Care Services", "Homecare", "Community Care", "Care at Home", "Domiciliary Care"]
CARE_HOME_SUFFIXES = ["House", "Lodge", "Court", "Manor", "Grange", "View", "Gardens"]
SUPPORTED_LIVING_SUFFIXES = ["Supported Living", "Living Support", "Independent Living"]
CHARITY_SUFFIXES = ["Carers Network", "Carers Centre", "Family Support", "Community Trust", "Young Carers"]
GIVEN_NAMES = [
    "Amelia", "Aisha", "Arthur", "Beatrice", "Bilal", "Charles", "Chloe", "Daniel", "Doris", "Edward", "Eileen",
    "Fatima", "Frank", "George", "Grace", "Harold", "Hannah", "Imran", "Irene", "Jack", "Joan", "Kamal", "Kathleen",
    "Leon", "Lily", "Margaret", "Mohammed", "Norman", "Nadia", "Olive", "Oscar", "Patricia", "Peter", "Rita",
    "Roy", "Sadia", "Stanley", "Sylvia", "Thomas", "Usha", "Vera", "Walter", "Winifred", "Yusuf", "Zara",
]
FAMILY_NAMES = [
    "Ahmed", "Ali", "Bailey", "Begum", "Bennett", "Brown", "Campbell", "Clarke", "Davies", "Evans", "Green",
    "Hall", "Hughes", "Hussain", "Jackson", "James", "Johnson", "Jones", "Kaur", "Khan", "Lewis", "Martin",
    "Mistry", "Morris", "Patel", "Phillips", "Roberts", "Robinson", "Singh", "Smith", "Taylor", "Thomas",
    "Thompson", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
]
STREETS = ["High Street", "Church Road", "Station Road", "Park Avenue", "Victoria Road", "Mill Lane", "Grove Road",
           "School Lane", "Queens Road", "Green Lane", "Kings Road", "Albert Road", "Manor Road", "The Crescent"]
