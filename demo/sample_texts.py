"""The demo's sample materials as data: Stavropol's bid for the Culture 21 Award.

One :class:`SampleDocument` per required item of ``schemas/contests/uclg-culture21.yaml``
(photographs excluded). A document is a list of blocks: paragraphs (body text, headings, list
items) and two-column tables (field / value). Every paragraph is a list of sentences; each
sentence carries its Russian text and the English translation a reviewer would approve.

Each Russian sentence is exactly one ``razdel`` sentence, and a paragraph's sentences joined
with single spaces split back into exactly those sentences: the translation engine segments the
Word documents that way, so the memory built from these pairs matches segment for segment.

Sentences marked ``new`` were written this year: they are left out of the translation memory
"from an earlier year", and their English is what the reviewer types in the demo.

The project is the one Stavropol entered in 2020 (culture and youth policy committee). People's
names, phone numbers and e-mail addresses are fictional.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right", "justify"]

AGENDA21_URL = "https://www.agenda21culture.net"
CITY_WEBSITE = "https://stavropol.gosuslugi.ru"


@dataclass(frozen=True)
class Span:
    """A stretch of one sentence set in bold or italic, in both languages."""

    ru: str
    en: str


@dataclass(frozen=True)
class Link:
    """A stretch of one sentence that is a hyperlink to ``url``."""

    ru: str
    en: str
    url: str


@dataclass(frozen=True)
class Sentence:
    ru: str
    en: str
    new: bool = False
    bold: tuple[Span, ...] = ()
    italic: tuple[Span, ...] = ()
    link: Link | None = None


@dataclass(frozen=True)
class Paragraph:
    """Body text (``heading == 0``) or a heading of that level; ``style`` names a Word style."""

    sentences: tuple[Sentence, ...]
    heading: int = 0
    style: str | None = None
    align: Align | None = None

    @property
    def ru(self) -> str:
        return " ".join(sentence.ru for sentence in self.sentences)

    @property
    def en(self) -> str:
        return " ".join(sentence.en for sentence in self.sentences)


@dataclass(frozen=True)
class Table:
    """A two-column form: each row is (field, value)."""

    rows: tuple[tuple[Sentence, Sentence], ...]


Block = Paragraph | Table


@dataclass(frozen=True)
class SampleDocument:
    item_id: str
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Paragraph))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Table))


def s(ru: str, en: str, *, bold: tuple[Span, ...] = (), italic: tuple[Span, ...] = (),
      link: Link | None = None) -> Sentence:
    return Sentence(ru, en, bold=bold, italic=italic, link=link)


def new(ru: str, en: str) -> Sentence:
    return Sentence(ru, en, new=True)


def p(*sentences: Sentence, style: str | None = None, align: Align | None = None) -> Paragraph:
    return Paragraph(tuple(sentences), style=style, align=align)


def h(ru: str, en: str, level: int = 1) -> Paragraph:
    return Paragraph((Sentence(ru, en),), heading=level)


def item(ru: str, en: str) -> Paragraph:
    return p(s(ru, en), style="List Bullet")


def row(field: tuple[str, str], value: tuple[str, str] | Sentence) -> tuple[Sentence, Sentence]:
    cell = value if isinstance(value, Sentence) else Sentence(*value)
    return Sentence(*field), cell


# The running header of every document.
HEADER = Sentence("Администрация города Ставрополя", "Stavropol city administration")

TITLE_RU = (
    "Сохранение и развитие казачества и казачьей культуры как исторически сложившейся "
    "объединяющей основы многонационального городского сообщества"
)
TITLE_EN = (
    "Preservation and development of the Cossacks and Cossack culture as a historically "
    "developed unifying basis of a multinational urban community"
)

MAYOR_NAME = ("Иванов Иван Иванович", "Ivan Ivanovich Ivanov")
MAYOR_POSITION = ("Глава города Ставрополя", "Head of the city of Stavropol")
ADDRESS = ("пр-т Карла Маркса, 96", "96 Karl Marx Avenue")
CITY = ("Ставрополь, 355006", "Stavropol, 355006")
COUNTRY = ("Российская Федерация", "Russian Federation")
MAYOR_PHONE = ("+7 (8652) 00-00-00", "+7 (8652) 00-00-00")
MAYOR_EMAIL = ("glava@stavropol.example", "glava@stavropol.example")
WEBSITE = (CITY_WEBSITE, CITY_WEBSITE)

F_NAME = ("Фамилия, имя, отчество", "Full name")
F_POSITION = ("Должность", "Position")
F_ORGANISATION = ("Организация", "Organisation")
F_ADDRESS = ("Адрес", "Address")
F_CITY = ("Город", "City")
F_COUNTRY = ("Страна", "Country")
F_PHONE = ("Телефон", "Phone")
F_EMAIL = ("Электронная почта", "E-mail")
F_WEBSITE = ("Официальный сайт", "Website")


TITLE = SampleDocument("title", (
    h("1.1 Название проекта", "1.1 Title"),
    p(s(TITLE_RU, TITLE_EN)),
))

BRIEF_DESCRIPTION = SampleDocument("brief-description", (
    h("1.2 Краткое описание", "1.2 Brief description"),
    p(
        s("Ставрополь основан в 1777 г. как крепость Азово-Моздокской оборонительной линии, "
          "и казачество стоит у истоков истории города.",
          "Stavropol was founded in 1777 as a fortress of the Azov–Mozdok defence line, and "
          "the Cossacks stand at the origins of the city's history."),
        s("Сегодня Ставрополь — многонациональный город, в котором казачьи традиции соседствуют "
          "с культурой других народов Северного Кавказа.",
          "Today Stavropol is a multinational city where Cossack traditions live side by side "
          "with the cultures of other peoples of the North Caucasus."),
    ),
    p(
        s("Проект реализует комитет культуры и молодежной политики администрации города "
          "Ставрополя совместно с казачьими обществами и национально-культурными объединениями.",
          "The project is carried out by the culture and youth policy committee of Stavropol "
          "city administration together with Cossack societies and ethnic cultural "
          "associations."),
        s("Его цель — сохранить казачью культуру как общее наследие всех жителей города, а не "
          "отдельной группы.",
          "Its aim is to preserve Cossack culture as a heritage shared by all the city's "
          "residents rather than by one group."),
    ),
    p(
        s("Проект включает фестивали казачьей песни, казачьи классы в школах, этнографические "
          "выставки и бесплатное обучение народным ремёслам.",
          "The project includes festivals of Cossack song, Cossack classes in schools, "
          "ethnographic exhibitions and free training in folk crafts."),
        s("Ежегодно в мероприятиях проекта участвуют около 15 000 жителей, более половины из "
          "них — молодёжь в возрасте до 35 лет.",
          "Every year about 15,000 residents take part in the project's events, more than half "
          "of them young people under the age of 35."),
    ),
    p(
        s("Проект опирается на принципы Повестки 21 для культуры: культурные права, участие "
          "жителей и связь культуры с устойчивым развитием города.",
          "The project follows the principles of the Agenda 21 for culture: cultural rights, "
          "residents' participation and the link between culture and the sustainable "
          "development of the city.",
          italic=(Span("Повестки 21 для культуры", "Agenda 21 for culture"),)),
    ),
))

DURATION = SampleDocument("duration", (
    h("1.3 Сроки реализации (начало, окончание)", "1.3 Duration (start, end)"),
    p(s("Начало: январь 2016 г.", "Start: January 2016.")),
    p(s("Окончание: проект реализуется на постоянной основе.", "End: the project is ongoing.")),
))

MAYOR_DETAILS = SampleDocument("mayor-details", (
    h("2.2 Сведения о главе города", "2.2 Mayor's details"),
    Table((
        row(F_NAME, MAYOR_NAME),
        row(F_POSITION, MAYOR_POSITION),
        row(F_ADDRESS, ADDRESS),
        row(F_CITY, CITY),
        row(F_COUNTRY, COUNTRY),
        row(F_PHONE, MAYOR_PHONE),
        row(F_EMAIL, MAYOR_EMAIL),
        row(F_WEBSITE, WEBSITE),
    )),
    p(s("Сведения совпадают с указанными в письме главы города (приложение A).",
        "These details are the same as those given in the Mayor's presentation letter "
        "(Annex A).")),
))

BID_CONTACT = SampleDocument("bid-contact", (
    h("2.3 Ответственный за заявку", "2.3 Person responsible for the bid"),
    Table((
        row(F_NAME, new("Петрова Мария Сергеевна", "Maria Sergeyevna Petrova")),
        row(F_POSITION, ("Главный специалист отдела международных и межрегиональных связей",
                         "Chief specialist of the International and Interregional Relations "
                         "Department")),
        row(F_ORGANISATION, (HEADER.ru, HEADER.en)),
        row(F_ADDRESS, ADDRESS),
        row(F_CITY, CITY),
        row(F_COUNTRY, COUNTRY),
        row(F_PHONE, ("+7 (8652) 00-00-01", "+7 (8652) 00-00-01")),
        row(F_EMAIL, ("intl@stavropol.example", "intl@stavropol.example")),
        row(F_WEBSITE, WEBSITE),
    )),
))

CITY_DESCRIPTION = SampleDocument("city-description", (
    h("3.1 Город и территория", "3.1 City / territory"),
    p(
        s("Ставрополь — административный центр Ставропольского края, расположенный в центре "
          "Предкавказья.",
          "Stavropol is the administrative centre of Stavropol Krai, located in the middle of "
          "Ciscaucasia."),
        s("Город основан в 1777 г. как одна из крепостей Азово-Моздокской оборонительной линии.",
          "The city was founded in 1777 as one of the fortresses of the Azov–Mozdok defence "
          "line."),
        s("Население города составляет около 550 тыс. человек.",
          "The city has a population of about 550,000."),
    ),
    p(
        s("В Ставрополе живут представители многих народов, действуют национально-культурные "
          "автономии и религиозные организации разных конфессий.",
          "Stavropol is home to many peoples, and ethnic cultural autonomies and religious "
          "organisations of different faiths are active in the city."),
        s("С 2004 года город является членом Объединённых городов и местных властей и "
          "Евразийского регионального отделения ОГМВ.",
          "Since 2004 the city has been a member of United Cities and Local Governments and of "
          "the Eurasian Regional Section of UCLG."),
        s("Среди городов-побратимов Ставрополя — Пазарджик (Болгария), Чжэньцзян и Чанчжоу "
          "(Китай).",
          "Stavropol's twin cities include Pazardzhik (Bulgaria), Zhenjiang and Changzhou "
          "(China)."),
    ),
))

BACKGROUND = SampleDocument("background", (
    h("3.2 Предыстория", "3.2 Background"),
    p(
        s("Казачество сыграло ключевую роль в основании и развитии Ставрополя: первыми "
          "жителями крепости были казаки Хопёрского полка и их семьи.",
          "The Cossacks played a key role in the founding and growth of Stavropol: the first "
          "inhabitants of the fortress were Cossacks of the Khoper regiment and their families."),
        s("В XX веке казачьи традиции были во многом утрачены, и к 1990-м годам их хранили "
          "лишь отдельные семьи и самодеятельные коллективы.",
          "In the 20th century Cossack traditions were largely lost, and by the 1990s only a "
          "few families and amateur ensembles still kept them alive."),
    ),
    p(
        s("Возрождение казачьей культуры началось по инициативе самих жителей, однако долгое "
          "время оно не было связано с культурной политикой города.",
          "The revival of Cossack culture began on the initiative of residents themselves, but "
          "for a long time it was not linked to the city's cultural policy."),
        s("Мероприятия проводились разрозненно, а казачья тематика нередко воспринималась как "
          "интерес узкой группы, т. е. не как часть общей городской идентичности.",
          "Events were held piecemeal, and Cossack themes were often seen as the interest of a "
          "narrow group, i.e. not as part of a shared urban identity."),
    ),
    p(
        s("В 2016 г. комитет культуры и молодежной политики администрации города Ставрополя "
          "подготовил проект, объединивший эти усилия в единую программу.",
          "In 2016 the culture and youth policy committee of Stavropol city administration "
          "drew up a project that brought these efforts together in a single programme."),
        s("Проект поддержала Ставропольская городская Дума, и он был включён в муниципальную "
          "программу развития культуры.",
          "The project was supported by the Stavropol City Duma and included in the municipal "
          "programme for the development of culture."),
        s("Проект учитывает опыт, которым город обменивается в рамках Евразийского "
          "регионального отделения ОГМВ, и задачи, связанные с Целями устойчивого развития.",
          "The project draws on the experience the city shares within the Eurasian Regional "
          "Section of UCLG and on the tasks related to the Sustainable Development Goals."),
    ),
))

PROJECT = SampleDocument("project", (
    h("4. Проект: цели, реализация, результаты", "4. The project: aims, implementation, results"),
    h("4.1 Цели и задачи", "4.1 Aims and objectives", level=2),
    p(
        s("Основная цель проекта — сохранить и развить казачью культуру как объединяющую основу "
          "многонационального городского сообщества.",
          "The main aim of the project is to preserve and develop Cossack culture as a unifying "
          "basis of the multinational urban community.",
          bold=(Span("объединяющую основу", "unifying basis"),)),
        s("Задачи проекта — вовлечь молодёжь в изучение истории и традиций города, поддержать "
          "казачьи творческие коллективы и сделать казачью культуру открытой для жителей любой "
          "национальности.",
          "Its objectives are to involve young people in studying the city's history and "
          "traditions, to support Cossack creative ensembles and to make Cossack culture open to "
          "residents of every nationality."),
    ),
    h("4.2 Реализация", "4.2 Implementation", level=2),
    p(
        s("Главное событие проекта — ежегодный открытый фестиваль «Казачье подворье», который "
          "проходит в сентябре на ул. Ленина и в парке Победы.",
          'The main event of the project is the annual open festival "Cossack Farmstead", held '
          "every September on Lenin Street and in Victory Park.",
          italic=(Span("«Казачье подворье»", '"Cossack Farmstead"'),)),
        s("В 2019 году в фестивале участвовали 42 творческих коллектива, его посетили более "
          "6 000 зрителей.",
          "In 2019 the festival brought together 42 creative ensembles and was attended by more "
          "than 6,000 spectators."),
    ),
    p(
        s("В 24 общеобразовательных школах города открыты казачьи классы, в которых обучаются "
          "1 150 школьников.",
          "Cossack classes have been opened in 24 of the city's general education schools, and "
          "1,150 pupils study in them."),
        s("Музеи и библиотеки города проводят выставки и лекции по истории Азово-Моздокской "
          "линии и казачьих станиц.",
          "The city's museums and libraries hold exhibitions and lectures on the history of the "
          "Azov–Mozdok line and of the Cossack stanitsas."),
        s("В мастерских народных ремёсел жители бесплатно обучаются гончарному делу, ткачеству "
          "и кузнечному ремеслу.",
          "In the folk craft workshops residents learn pottery, weaving and blacksmithing free "
          "of charge."),
    ),
    h("4.3 Финансирование и партнёры", "4.3 Funding and partners", level=2),
    p(
        s("Проект финансируется из бюджета города Ставрополя; в 2019 году на него было "
          "направлено 4,2 млн рублей.",
          "The project is funded from the budget of the city of Stavropol; in 2019 it received "
          "4.2 million rubles."),
        s("Партнёрами проекта выступают казачьи общества, национально-культурные объединения, "
          "учреждения культуры и образования.",
          "The project's partners are Cossack societies, ethnic cultural associations, and "
          "cultural and educational institutions."),
        s("Принципы Повестки 21 для культуры, на которых основан проект, опубликованы на сайте "
          "Комитета по культуре ОГМВ.",
          "The principles of the Agenda 21 for culture on which the project is based are "
          "published on the website of the UCLG Committee on Culture.",
          link=Link("сайте Комитета по культуре ОГМВ",
                    "website of the UCLG Committee on Culture", AGENDA21_URL)),
    ),
    h("4.4 Результаты", "4.4 Results", level=2),
    p(
        s("За 2016–2019 годы число участников мероприятий проекта выросло с 4 000 до 15 000 "
          "человек в год.",
          "Between 2016 and 2019 the number of people taking part in the project's events grew "
          "from 4,000 to 15,000 a year."),
        s("Почти половину участников составляют жители, не относящие себя к казачеству.",
          "Almost half of the participants are residents who do not consider themselves "
          "Cossacks.",
          bold=(Span("Почти половину участников", "Almost half of the participants"),)),
        s("В 2020 году город получил диплом Международной Ассамблеи столиц и крупных городов за "
          "системный подход к формированию межнационального мира и межконфессионального "
          "согласия.",
          "In 2020 the city received a diploma of the International Assembly of Capitals and "
          "Cities for a systematic approach to building interethnic peace and interfaith "
          "harmony."),
    ),
    p(
        new("В 2024 году фестиваль впервые прошёл в формате недели казачьей культуры и собрал "
            "более 9 000 зрителей.",
            "In 2024 the festival was held for the first time as a week of Cossack culture and "
            "drew more than 9,000 spectators."),
        new("В 2025 году к проекту присоединились молодёжные отделения двух "
            "национально-культурных объединений.",
            "In 2025 the youth branches of two ethnic cultural associations joined the project."),
    ),
))

LOCAL_ACTIONS = SampleDocument("local-actions", (
    h("5. Планируемые местные действия", "5. Planned local actions"),
    p(s("В случае присуждения премии город намерен закрепить достигнутые результаты и расширить "
        "круг участников проекта.",
        "If it receives the award, the city intends to consolidate the results achieved and to "
        "widen the circle of the project's participants."),
      s("Запланированы следующие действия.", "The following actions are planned.")),
    item("Создать в центре города постоянную площадку для занятий казачьими ремёслами и "
         "народным творчеством.",
         "Set up a permanent venue in the city centre for Cossack crafts and folk art."),
    item("Подготовить методическое пособие для учителей казачьих классов.",
         "Prepare a methodological guide for teachers of Cossack classes."),
    item("Провести совместные мероприятия с городами-побратимами, в том числе с Пазарджиком.",
         "Hold joint events with twin cities, including Pazardzhik."),
    p(new("Запустить цифровой архив казачьих песен и семейных историй жителей города.",
          "Launch a digital archive of Cossack songs and of the family stories of the city's "
          "residents."), style="List Bullet"),
    p(new("Организовать летнюю школу для молодых руководителей творческих коллективов из "
          "городов Евразийского регионального отделения ОГМВ.",
          "Organise a summer school for young leaders of creative ensembles from the cities of "
          "the Eurasian Regional Section of UCLG."), style="List Bullet"),
    p(s("Выполнение плана будет контролировать комитет культуры и молодежной политики.",
        "The culture and youth policy committee will monitor the implementation of the plan."),
      s("Отчёт о результатах будет ежегодно публиковаться на официальном сайте администрации "
        "города.",
        "A report on the results will be published every year on the official website of the "
        "city administration.")),
))

PRESENTATION_LETTER = SampleDocument("presentation-letter", (
    h("Приложение A. Письмо главы города", "Annex A. Presentation letter from the Mayor"),
    p(s(f"{ADDRESS[0]}, {CITY[0]}, {COUNTRY[0]}", f"{ADDRESS[1]}, {CITY[1]}, {COUNTRY[1]}"),
      align="center"),
    p(s(f"Тел.: {MAYOR_PHONE[0]}, эл. почта: {MAYOR_EMAIL[0]}, сайт: {WEBSITE[0]}",
        f"Tel.: {MAYOR_PHONE[1]}, e-mail: {MAYOR_EMAIL[1]}, website: {WEBSITE[1]}"),
      align="center"),
    p(s("Комитету по культуре Всемирной организации «Объединённые города и местные власти»",
        'To the Committee on Culture of the World Organization "United Cities and Local '
        'Governments"'), align="right"),
    p(s("Уважаемые члены жюри!", "Dear members of the jury,"), align="center"),
    p(
        s("Администрация города Ставрополя представляет на соискание Международной премии "
          f"«ОГМВ – Мехико – Культура 21» проект «{TITLE_RU}».",
          'Stavropol city administration submits the project "' + TITLE_EN + '" for the '
          'International Award "UCLG – Mexico City – Culture 21".'),
        s("Проект реализуется с 2016 года и стал неотъемлемой частью культурной политики города.",
          "The project has been under way since 2016 and has become an integral part of the "
          "city's cultural policy."),
    ),
    p(s("Подтверждаю достоверность сведений, изложенных в заявке, и согласие на публикацию "
        "материалов заявки Комитетом по культуре ОГМВ.",
        "I confirm that the information given in the application is accurate and consent to "
        "the publication of the application materials by the UCLG Committee on Culture.")),
    p(s("С уважением,", "Yours faithfully,")),
    p(s(*MAYOR_POSITION)),
    p(s(*MAYOR_NAME)),
))

PRIZE_USE = SampleDocument("prize-use", (
    h("Использование премии", "How the prize money would be used"),
    p(s("В случае присуждения премии её средства в размере 50 000 евро будут направлены на "
        "развитие проекта в течение двух лет.",
        "If the award is granted, the prize money of EUR 50,000 will be used to develop the "
        "project over two years.")),
    p(
        s("Около 40 % средств предполагается направить на оборудование постоянной площадки для "
          "занятий народными ремёслами.",
          "About 40% of the funds is to be spent on equipping a permanent venue for folk "
          "crafts."),
        s("Около 30 % средств будет использовано для издания методических материалов для "
          "учителей казачьих классов.",
          "About 30% of the funds will be used to publish teaching materials for teachers of "
          "Cossack classes."),
        s("Оставшиеся 30 % предназначены для совместных мероприятий с городами-побратимами и "
          "участия молодых исполнителей в международных фестивалях.",
          "The remaining 30% is intended for joint events with twin cities and for young "
          "performers to take part in international festivals."),
    ),
    p(s("Средства будут расходоваться в соответствии с бюджетным законодательством Российской "
        "Федерации, а отчёт об их использовании будет представлен Комитету по культуре ОГМВ.",
        "The funds will be spent in accordance with the budget legislation of the Russian "
        "Federation, and a report on their use will be submitted to the UCLG Committee on "
        "Culture.")),
))

MEMBERSHIP = SampleDocument("membership", (
    h("Сведения о членстве в ОГМВ", "UCLG membership details"),
    p(
        s("Город Ставрополь с 2004 года является членом Всемирной организации «Объединённые "
          "города и местные власти» (ОГМВ) и Евразийского регионального отделения ОГМВ.",
          'Since 2004 the city of Stavropol has been a member of the World Organization "United '
          'Cities and Local Governments" (UCLG) and of the Eurasian Regional Section of UCLG.'),
        s("Членские взносы уплачиваются своевременно и в полном объёме.",
          "Membership fees are paid on time and in full."),
    ),
    p(
        s("В 2018 году глава города Ставрополя был избран в Совет Евразийского регионального "
          "отделения ОГМВ.",
          "In 2018 the Head of the city of Stavropol was elected to the Council of the Eurasian "
          "Regional Section of UCLG."),
        s("Председатель Ставропольской городской Думы принял участие в VI Всемирном конгрессе "
          "ОГМВ, который прошёл в ноябре 2019 года в г. Дурбане (ЮАР).",
          "The Chairman of Stavropol City Duma took part in the 6th UCLG World Congress, held "
          "in Durban (South Africa) in November 2019."),
        s("Ставрополь регулярно участвует в рейтинге международной деятельности городов Евразии "
          "и становился его призёром в 2014, 2016 и 2018 годах.",
          "Stavropol regularly takes part in the rating of the international activity of "
          "Eurasian cities and was among its prize-winners in 2014, 2016 and 2018."),
    ),
))

DOCUMENTS: dict[str, SampleDocument] = {
    document.item_id: document
    for document in (
        TITLE, BRIEF_DESCRIPTION, DURATION, MAYOR_DETAILS, BID_CONTACT, CITY_DESCRIPTION,
        BACKGROUND, PROJECT, LOCAL_ACTIONS, PRESENTATION_LETTER, PRIZE_USE, MEMBERSHIP,
    )
}
ITEM_IDS: tuple[str, ...] = tuple(DOCUMENTS)


def document_sentences(document: SampleDocument) -> Iterator[Sentence]:
    """Every sentence of a document in reading order: paragraphs and table cells."""
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield from block.sentences
        else:
            for field, value in block.rows:
                yield field
                yield value


def all_sentences(*, include_header: bool = True) -> Iterator[Sentence]:
    """Every sentence of every document (the running header once, first), repeats included."""
    if include_header:
        yield HEADER
    for document in DOCUMENTS.values():
        yield from document_sentences(document)
