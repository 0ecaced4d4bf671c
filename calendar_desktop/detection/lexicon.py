"""General hiring vocabulary, as regular expressions over folded text.

Every pattern here runs on text passed through :func:`calendar_desktop.detection.text.fold`
(lower case, accents stripped one character for one, typographic dashes and quotes made ASCII),
so it is written in lower case without accents: ``entrevista tecnica`` matches "Entrevista técnica".
The lists are vocabulary of hiring and of the look-alike families of LABELING §2 in English, German,
French, Spanish and Portuguese; they name no company, person or event.
"""

from __future__ import annotations

import re


def words(*alternatives: str) -> str:
    """Any alternative as whole words (no word character on either side)."""
    return r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"


def after(preceding: tuple[str, ...], core: str) -> str:
    """``core`` when one of the literal ``preceding`` phrases stands right before it.

    Matching starts at ``core``'s first word, so a pattern is anchored on its rare word ("panel")
    rather than on a common one ("you're on the panel" would be tried at every "you").
    """
    behind = "|".join(f"(?<={re.escape(phrase)} )" for phrase in preceding)
    return f"(?:{behind})(?:{core})"


# "with …" in the languages of the corpus, before a person the meeting is with.
_WITH = (
    *("with", "with the", "with your", "with our", "with a", "w/"),
    *("con", "con el", "con la", "com", "com o", "com a"),
    *("avec", "avec le", "avec la", "mit", "mit dem", "mit der"),
    *("met", "met de", "met je", "met jouw", "met uw", "con il"),
)


# --- interview words ------------------------------------------------------------------------

INTERVIEW_WORD = words(
    r"interview(?:s|ing|ed)?",
    r"entrevistas?",
    r"entretiens?",
    r"entrevues?",
    r"(?:vorstellungs|bewerbungs|kennenlern|erst|fach|auswahl|abschluss)gesprach(?:e)?",
    r"(?:fach|telefon|video|online-?|job)interview",
    r"colloquio?",
    r"sollicitatiegesprek(?:ken)?",
    r"kennismakingsgesprek(?:ken)?",
    r"(?:afstudeer|meewerk)?stagegesprek(?:ken)?",
    r"(?:eerste|tweede|derde|laatste)\s+gesprek",
)

# --- stages (LABELING §4), in precedence order ----------------------------------------------

FINAL = words(
    r"(?:final|last|letzte|finale|ultima|ultime|derniere?|dernier|laatste)\s+(?:[\w-]++\s++)?"
    r"(?:round|rounds|interview|interviews|stage|step|runde|gesprach|entrevista|ronda|etapa|entretien|tour|etape"
    r"|gesprek|ronde)",
    r"final\s+(?:onsite|loop|panel)",
    r"(?:entrevista|entretien|ronda|etapa|fase)\s+final",
    r"abschlussgesprach",
)

ONSITE = words(
    r"onsites?",
    after(("on-",), r"sites?"),
    r"interview\s+loop",
    r"loop\s+interviews?",
    r"panel\s+(?:interview|interviews|round|session|entrevista|gesprach)",
    r"interview\s+panel",
    r"super\s?day",
    r"assessment[- ]?(?:center|centre)",
    r"assessment\s+days?",
    r"ac\s+day",
    r"(?:demi-)?journee\s+d'entretiens",
    r"interview\s+(?:day|morning|afternoon)",
    r"(?:half|full)[- ]day",
    r"dia\s+de\s+entrevistas",
    r"jornada\s+de\s+entrevistas",
    r"vor-ort-(?:interview|termin|gesprach)",
)

TAKE_HOME = words(
    r"take[- ]?home\s+(?:[\w-]++\s++)?(?:review|walk-?through|presentation|present|debrief|discussion|readout"
    r"|deep[- ]dive|follow[- ]?up)",
    r"(?:present|presenting|presentation\s+of|review\s+of|walk\s?through|walking\s+through|discuss|discussing)"
    r"\s+(?:the\s+|my\s+|your\s+|[\w-]++\s++)?take[- ]?home",
    r"(?:assignment|case\s+study|homework|work\s+sample|coding\s+challenge|project|exercise)\s+"
    r"(?:review|walk-?through|presentation|debrief|readout|discussion|deep[- ]dive)",
    r"presentacion\s+(?:del|de\s+(?:tu|su|la|mi))\s+(?:[\w-]++\s++)?(?:caso|proyecto|ejercicio|reto|prueba)",
    r"caso\s+practico",
    r"revision\s+de\s+la\s+prueba",
    r"presentation\s+(?:du|de\s+(?:ton|votre|ta|la))\s+(?:cas|projet|test|case|exercice)",
    r"cas\s+pratique",
    r"restitution",
    r"apresentacao\s+do\s+(?:case|desafio|projeto|teste)",
    r"case-?prasentation",
    r"prasentation\s+(?:der|des|ihrer|deiner)\s+(?:fallstudie|case|aufgabe|losung)",
    r"fallstudie",
    r"portfolio\s+(?:presentation|review|walk-?through|deep[- ]dive)",
    r"(?:present|presenting)\s+(?:my\s+|your\s+|the\s+)?portfolio",
)

# Presenting a case the candidate prepared: a take-home review, but also how a class or a case
# competition presents, so only a medium title cue.
TAKE_HOME_CASE = words(r"case\s+(?:presentation|walk-?through|readout|debrief)")

TECHNICAL = words(
    r"technical(?!\s+debt)",
    r"tech\s+(?:screen|interview|round|call|assessment|chat|phone\s+screen)",
    r"coding(?!\s+(?:instructor|teacher|tutor|coach|bootcamp|school|club|class|dojo|mentor))",
    r"live[- ]?coding",
    r"pair(?:ing|[- ]programming)",
    r"systems?\s+design",
    r"code\s+design",
    r"architecture\s+(?:interview|round|session|deep[- ]dive|discussion)",
    r"data\s+modell?ing",
    r"sql",
    r"ml\s+(?:design|system\s+design|interview|round|breadth|depth)",
    r"machine\s+learning\s+(?:design|interview|round)",
    r"dsa",
    r"lld",
    r"hld",
    r"(?:low|high)[- ]level\s+design",
    r"machine\s+coding",
    r"algorithm(?:s|ic)?",
    r"whiteboard(?:ing)?",
    r"(?:product|analytics|business|guesstimate|estimation)\s+case",
    r"case\s+interview",
    r"product\s+sense",
    r"coderpad|hackerrank|codility|codesignal|karat",
    r"fachinterview|fachgesprach",
    r"technische[snr]?\s+(?:interview|gesprach|runde)",
    r"technisches",
    r"entrevista\s+tecnica",
    r"prueba\s+tecnica",
    r"entretien\s+technique",
    r"test\s+technique",
    r"teste\s+tecnico",
    r"desafio\s+tecnico",
    r"avaliacao\s+tecnica",
)

HIRING_MANAGER = words(
    r"hiring[- ]?(?:manager|mgr)",
    r"hm",
    r"(?:manager|managerial|mgr)\s+(?:round|interview|chat|call|conversation|screen|meeting|gesprach)",
    after(
        (
            *_WITH,
            *("with your future", "with the future", "mit deiner zukunftigen", "mit ihrer zukunftigen"),
            *("met je toekomstige", "met de toekomstige", "met je nieuwe", "con il tuo futuro", "con la tua futura"),
        ),
        r"manager|team\s+lead|teamlead|tech\s+lead|engineering\s+manager|gestor|gestora|gerente|lider|teamleitung"
        r"|teamleiter|vorgesetzten|abteilungsleitung"
        r"|(?:unit|department|dept|division|branch|zonal|regional|area)\s+head",
    ),
    r"(?:reporting|line)\s+manager",
    r"(?:role|position)\s+(?:directly\s+)?reports\s+(?:in\s+)?to",
    r"to\s+whom\s+(?:the|this)\s+(?:role|position)\s+reports",
    r"team\s+lead",
    r"teamleitung",
    r"teamleiter(?:in)?",
    r"entretien\s+manager",
    r"managerial",
)

RECRUITER_TITLE = words(
    r"recruit(?:er|ers|ing|ment)",
    r"talent\s+(?:acquisition|partner|team|scout)",
    r"people\s+(?:team|partner|ops)",
    r"hr|rh|rrhh",
    r"recursos\s+humanos|risorse\s+umane",
    r"kennismaking(?:sgesprek)?",
    r"ta\s+(?:call|screen|chat)",
    r"phone\s+(?:screen|interview|call)",
    r"(?:initial|intro|introductory|first|telephone|screening)\s+(?:screen|call|chat|interview|conversation|meeting)",
    r"intro",
    r"screening",
    r"kennenlerngesprach|erstgesprach|telefoninterview",
    r"telephonic\s+(?:hr\s+)?(?:round|interview|screen|call)",
    r"entretien\s+(?:telephonique|de\s+preselection)",
    r"premier\s+entretien",
    r"premier\s+echange",
    r"entrevista\s+(?:inicial|telefonica)",
    r"llamada\s+(?:inicial|de\s+seleccion)",
    r"bate-?papo",
    r"conversa\s+inicial|primeira\s+conversa",
    r"colloquio\s+(?:conoscitivo|introduttivo|preliminare|telefonico)",
    r"coffee\s+chat",
)

# In descriptions a bare "Talent Acquisition" is often a signature, so only call-like phrases count.
RECRUITER_PHRASE = words(
    r"(?:recruit(?:er|ing|ment)|talent\s+acquisition|talent|hr|rh|rrhh|people\s+team|ta)\s+(?:[\w-]++\s++)?"
    r"(?:call|screen|screening|chat|intro|introduction|conversation|interview)",
    r"phone\s+(?:screen|interview)",
    r"(?:initial|intro|introductory|screening)\s+(?:screen|call|chat|interview|conversation)",
    r"(?:hr|rh)\s+(?:round|discussion)",
    r"telephonic\s+(?:hr\s+)?(?:round|interview|screen|call)",
    after(
        _WITH, r"recruiter|recruiting\s+team|talent\s+acquisition|hr|rh|rrhh|people\s+team|recursos\s+humanos"
    ),
    r"kennenlerngesprach|erstgesprach|telefoninterview",
    r"kennismakingsgesprek",
    r"colloquio\s+(?:conoscitivo|introduttivo|preliminare|telefonico|(?:con\s+)?(?:hr|le\s+risorse\s+umane))",
    r"entretien\s+(?:rh|telephonique)",
    r"premier\s+echange|echange\s+telephonique",
    r"entrevista\s+(?:inicial|telefonica|con\s+rrhh)",
    r"llamada\s+inicial",
    r"bate-?papo\s+(?:inicial|com\s+(?:o\s+)?rh)",
    r"conversa\s+inicial|primeira\s+conversa",
    r"coffee\s+chat",
)

# Kinds of interview that are stage "other" when named; they stop the search in the description.
OTHER_EXPLICIT = words(
    r"behaviou?ral",
    r"values",
    r"culture(?:\s+fit)?",
    r"life\s+story",
    r"competency|competencies",
    r"(?:second|2nd|third|3rd|fourth|4th)\s+(?:interview|round)",
    r"(?:tweede|derde|2e|3e)\s+(?:gesprek|ronde)",
    r"dinamica\s+de\s+grupo",
    r"group\s+(?:interview|exercise|dynamic|assessment|discussions?)",
    r"gd\s+round",
    r"psychometric(?:\s+(?:test|assessment))?",
    r"aptitude\s+(?:test|assessment)",
    r"one-way",
    r"hirevue",
    r"video\s+interview",
    r"motivational",
    r"personality",
)

# A time range per line, as in the agenda of a multi-session interview day.
AGENDA_SLOT = r"^\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*-\s*\d{1,2}(?::\d{2})?"

# --- strong and medium title cues for "this is an interview" -------------------------------

TITLE_STRONG = "|".join(
    (
        INTERVIEW_WORD,
        FINAL,
        TAKE_HOME,
        words(
            r"interview\s+loop",
            r"panel\s+(?:interview|round)",
            r"super\s?day",
            r"assessment[- ]?(?:center|centre)",
            r"assessment\s+days?",
            r"(?:demi-)?journee\s+d'entretiens",
            r"tech(?:nical)?\s+(?:screen|interview|round|assessment|phone\s+screen|call)",
            r"coding\s+(?:round|interview|challenge|exercise|test|session|assessment|screen)",
            r"live[- ]?coding",
            r"pair[- ]programming\s+(?:interview|session|round)",
            r"machine\s+coding",
            r"system\s+design\s+(?:interview|round)",
            r"(?:dsa|lld|hld)\s+round",
            r"prueba\s+tecnica|test\s+technique|teste\s+tecnico|desafio\s+tecnico",
            r"hiring[- ]?(?:manager|mgr)",
            r"hm\s+(?:chat|call|round|interview|screen|conversation)",
            r"dinamica\s+de\s+grupo",
            r"(?:second|2nd|third|3rd)\s+round",
            r"hirevue",
            r"one-way\s+(?:video\s+)?(?:interview|assessment)",
        ),
        RECRUITER_PHRASE,
    )
)

# Medium: an interview only with more evidence (a firm company source, hiring context, a tool).
TITLE_MEDIUM = (
    words(
        r"onsite",
        after(("on-",), "site"),
        r"recruit(?:er|ing|ment)",
        r"talent",
        r"coffee(?:\s+chat)?",
        r"re:",
        r"intro",
        r"kennismaking",
        r"panel",
        r"loop",
    ),
    OTHER_EXPLICIT,
    TECHNICAL,
    HIRING_MANAGER,
    TAKE_HOME_CASE,
    words(r"ac\s+day"),
)

# --- look-alike families (LABELING §2) -------------------------------------------------------
# Each family: a pattern for titles and, where a description can tell, one for descriptions.

HIRING_SIDE_TITLE = (
    words(
        r"interviewing\s+(?:a\s+|the\s+)?candidates?",
        r"interviewers?\s+(?:training|calibration|sync|onboarding|roster|prep|shadow)",
        r"interviewer\s*:",
        r"calibration",
        r"candidates?\s+(?:dinner|lunch|debrief|review|packet|sync|feedback|sell|visit|experience|pipeline)",
        r"candidates?\s*:",
        r"hiring\s+(?:committee|sync|team|review|huddle|meeting|plan|push)",
        r"hc\s+(?:review|meeting)",
        r"sourcing",
        r"headcount",
        r"(?:reverse\s+)?shadow(?:ing)?",
        r"panelist",
        r"you'?re\s+(?:a\s+|the\s+)?(?:panelist|interviewer|on\s+the\s+panel)",
        r"scorecards?",
        r"interview\s+kit",
        r"question\s+bank",
        r"interview\s+loops",
        r"leveling",
        r"rubric",
        r"req\s+(?:review|sync|kickoff|intake)",
        r"intake\s+(?:meeting|call)",
        r"(?<!take-home\s)(?<!take\shome\s)(?<!takehome\s)debrief(?:s|ing)?",
        r"(?:slot|room|panel)s?\s+allocation",
        r"interview\s+(?:logistics|coordination|rooms?|slots)",
    ),
    r"\(you\)",
    r"'s\s+(?:submission|take[- ]?home)",
)

HIRING_SIDE_DESC = (
    words(
        r"candidates?\s*:",
        after(("your",), r"(?:role|session|focus)\s*:"),
        after(("you're on the", "youre on the", "you are on the"), "panel"),
        after(("you're a", "youre a", "you are a"), "panelist"),
        after(("you're the", "youre the", "you are the"), r"hiring\s+manager|interviewer"),
        after(("you're an", "youre an", "you are an"), "interviewer"),
        after(("you're", "youre", "you are"), r"interviewing(?!\s+(?:for|with|at)\b)"),  # not "… for the role"
        r"scorecards?",
        r"interview\s+kit",
        r"feedback\s+(?:is\s+)?due",
        r"candidate\s+(?:packet|resume|profile|packets)",
        r"candidate's",
        r"packets\s+for",
        after(("with the", "by the", "for the"), r"candidates?"),
        after(("is",), r"interviewing\s+for"),  # "Priya is interviewing for …"; "you are …" is the user
        r"observe\s+only",
        r"interviewer\s+roster",
        r"feedback\s+sheets?",
        r"candidate\s+flow",
        r"hiring\s+(?:doc|packet|committee)",
        r"rubric",
        r"leveling",
        r"headcount",
    ),
)

PRACTICE_TITLE = words(
    r"mock",
    r"practi[cs]e",
    r"prep",
    r"preparation",
    r"prepare",
    r"preparing",
    r"rehears(?:al|e|ing)",
    r"dry[- ]run",
    r"pramp",
    r"interviewing\.io",
    r"leetcode",
    r"neetcode",
    r"cracking\s+the\s+coding",
    r"reading\s*:",
    r"study\s+(?:session|block|time|group)",
    r"studying",
    r"revise",
    r"revision(?!\s+del?\s+(?:la\s+)?(?:prueba|caso|ejercicio|reto))",  # not "revisión de la prueba" (a review)
    r"drill",
    r"(?:company|glassdoor|interview)\s+research",
    r"glassdoor",
    r"interview\s+questions",
    r"mentor(?:ing|ship)?",
    r"mentee",
    r"peer\s+interview",
    r"simulacro",
    r"simulado",
    r"simulation\s+d'entretien",
    r"(?:interview|entrevista)\s+simulation|simulated\s+interview|entrevista\s+simulada|entretien\s+blanc",
    r"simulacao",
    r"(?:oefen|proef)(?:gesprek|interview)",
    r"practica",
    r"preparacion",
    r"preparar",
    r"ensayo",
    r"vorbereitung",
    r"vorbereiten",
    r"probe(?:interview|gesprach)",
    r"ubung",
    r"preparer",
    r"s'entrainer",
    r"entrainement",
    r"treino",
    r"treinar",
    r"preparacao",
    r"ensaio",
)

PRACTICE_DESC = words(
    r"mock\s+(?:interview|onsite|loop|session|of)",
    r"full\s+mock",
    r"practice\s+(?:session|interview|round)",
    r"not\s+tied\s+to\s+(?:any|a)\s+company",
    r"i\s+play\s+the\s+interviewer",
    r"alternate\s+interviewer",
    r"peer\s+(?:mock|practice)",
)

OTHER_MEANING_TITLE = words(
    r"podcast",
    r"press|presse|prensa|imprensa",
    r"journalists?|journaliste|periodista|jornalista",
    r"revista|periodico|zeitung|magazin|jornal|journal",
    r"interview\s+(?:for|with)\s+(?:the\s+|a\s+)?(?:blog|newsletter|paper|show|channel)",
    r"blog|vlog|youtube",
    r"reporter",
    r"media\s+(?:interview|request)",
    r"magazine",
    r"newspaper",
    r"radio",
    r"tv\s+interview",
    r"newsletter",
    r"documentary",
    r"user\s+(?:interview|interviews|research|study|testing)",
    r"uxr",
    r"ux\s+research",
    r"usability",
    r"customer\s+(?:interview|interviews|discovery|research)",
    r"discovery\s+call",
    r"research\s+(?:session|participant|interview)",
    r"informational",
    r"info\s+(?:interview|chat|call)",
    r"alumni",
    r"admissions?",
    r"applicant",
    r"prospective\s+students?",
    r"college\s+interview",
    r"roommate|flatmate|housemate|sublet|subletter|tenant|landlord|apartment|co-?op\s+board|condo\s+board",
    r"nanny|babysitter|au\s+pair|dog\s+walker|cleaner|caregiver|daycare|preschool|kindergarten",
    r"interview(?:ing)?\s+(?:a\s+|the\s+|some\s+)?contractors",
    r"remodel|renovation",
    r"(?:therapy|therapist|medical|clinic|patient)\s+intake",
    r"intake\s+(?:appointment|session|form)",
    r"stay\s+interview",
    r"exit\s+interview",
    r"visa\s+(?:appointment|interview|application)",
    r"biometrics?",
    r"uscis",
    r"consulate",
    r"embassy",
    r"immigration|citizenship|asylum|consular",
    r"naturali[sz]ation",
    r"green\s+card",
    r"rewatch|re-watch",
    r"movie|film|cinema|netflix|premiere|trailer",
    r"theat(?:er|re)",
    r"hvac|plumber|electrician|handyman",
    r"repairs?|maintenance|inspection|installation|reparatur|reparacion|reparation|conserto",
)

OTHER_MEANING_DESC = words(
    r"guest\s+episode",
    r"podcast",
    r"prospective\s+student",
    r"(?:you\s+are|you're)\s+interviewing\s+(?:a|an)\s+(?:applicant|prospective)",
    r"retention\s+check-?in",
    r"customer\s+discovery",
)

LOGISTICS_TITLE = words(
    r"job\s+fairs?",
    r"careers?\s+fairs?",
    r"jobmesse",
    r"karrieremesse",
    r"recruiting\s+fair",
    r"salon\s+(?:de\s+l'emploi|du\s+recrutement|de\s+l'alternance)",
    r"forum\s+(?:emploi|entreprises|de\s+recrutement)",
    r"feria\s+de\s+(?:empleo|trabajo)",
    r"feira\s+de\s+(?:emprego|carreiras?|recrutamento)",
    r"open\s+house",
    r"info(?:rmation)?\s+session",
    r"infosession",
    r"webinar",
    r"workshop",
    r"livestream",
    r"live\s+stream",
    r"keynote",
    r"conference(?!\s+(?:call|room|line|bridge))",
    r"summit",
    r"meetup",
    r"hackathon",
    r"booths?(?:\s+duty)?",
    r"recruiting\s+(?:event|fair|mixer|night|dinner)",
    r"volunteering",
    r"volunteer\s+(?:shift|event|day)",
    r"(?:interview\s+)?scheduling\s+(?:call|chat|email)",
    r"office\s+hours",
    r"tech\s+talk",
    r"talk\s*:",
    r"all-hands",
    r"town\s+hall",
    r"brown\s+bag",
    r"career\s+(?:coach|coaching|services|center|advising|counsell?ing)",
    r"coach|coaching",
    r"resume",
    r"cv\s+(?:review|workshop)",
    r"linkedin",
    r"apply\s+(?:to|for)",
    r"bewerbungen",
    r"postular|postulaciones|candidaturas",
    r"work(?:ing)?\s+on",
    r"travel",
    r"flight",
    r"fly\s+to",
    r"hotel",
    r"(?:train|drive|uber|taxi|bus)\s+to",
    r"trains?|trein|zug",
    r"commute",
    r"thank[- ]you",
    r"thank\s+you\s+notes?",
    r"follow[- ]?up\s+(?:w/|with|on|email|note|re)",
    r"reference\s+(?:call|check)",
    r"reference\s+for",
    r"as\s+(?:a\s+|his\s+|her\s+|their\s+)?reference",
    r"referral",
    r"refer\s+me",
    r"networking",
)

# A deadline is job-search logistics (a take-home due date), except for a one-way video interview
# that has to be completed by a date: that one is the interview (LABELING §2).
DEADLINE_TITLE = words(r"due", r"deadline", r"submit", r"submission")
ONE_WAY_TITLE = words(r"hirevue", r"one-way", r"video\s+interview", r"on-demand\s+(?:video\s+)?interview")

LOGISTICS_DESC = words(
    r"not\s+an\s+interview",
    r"general\s+chat",
    r"no\s+specific\s+(?:req|role|opening|position)",
    r"nothing\s+open",
    r"keep(?:ing)?\s+in\s+touch",
    r"career\s+fair\s+follow-?up",
)

AFTER_OFFER_TITLE = words(
    r"offers?",
    r"post-offer",
    r"negotiat(?:e|es|ed|ing|ion|ions)",
    r"background\s+check",
    r"onboarding",
    r"benefits",
    r"pension",
    r"new\s+(?:joiners?|hires?|starters?)",
    r"welcome\s+(?:session|call|day)",
    r"start\s+date",
    r"first\s+day",
    r"signing",
    r"sell\s+(?:call|chat)",
    r"ask\s+me\s+anything",
    r"ama",
    r"angebot|angebots|angebotsgesprach",
    r"vertragsangebot",
    r"llamada\s+de\s+oferta",
    r"carta\s+oferta",
    r"proposta\s+(?:salarial|de\s+emprego|formal)",
    r"proposition\s+d'embauche",
)

AFTER_OFFER_DESC = words(
    r"walk\s+through\s+the\s+offer",
    r"offer\s+details",
    r"after\s+the\s+offer",
    after(("for", "for our", "welcome", "welcome our"), r"new\s+(?:joiners|hires|starters)"),
    r"no\s+evaluation",
)

BUSINESS_TITLE = words(
    r"vendor",
    r"renewal",
    r"integration\s+(?:sync|call|review)",
    r"support\s*-",
    r"support\s+(?:call|ticket|case|escalation)",
    r"outage",
    r"incident",
    r"qbr",
    r"account\s+review",
    r"procurement",
    r"sales\s+call",
    r"partnership",
)

FREELANCE_TITLE = words(
    r"freelance\s+(?:client|project|gig|discovery|sales)",
    r"client\s+(?:discovery|call|meeting|kickoff|pitch|proposal)",
    r"(?:potential|new|prospective)\s+client",
    r"pitch\s+(?:call|meeting)",
    r"proposal\s+(?:call|review)",
    r"quote\s+(?:call|review)",
    r"statement\s+of\s+work",
    r"sow",
    r"upwork|fiverr",
)

FREELANCE_DESC = words(
    r"(?:potential|new|prospective)\s+client",
    r"quote\s+afterwards",
    r"send\s+(?:a\s+)?(?:quote|proposal)",
)

LEXICAL_TITLE = words(
    r"screen\s+time",
    r"screen-?free",
    r"screen\s+(?:protector|repair|replacement)",
    r"(?:movie|film|health|cancer|medical|blood|hearing|vision|eye)\s+screening",
    r"screening\s+(?:appointment|test)",
    r"off-?site",
    r"(?:team|company|org|department|leadership|all-hands)\s+on-?site",
    r"final\s+(?:exam|exams|payment|review)",
    r"exam",
    r"payment",
    r"league",
    r"tournament",
    r"playoffs?",
    r"golf",
    r"trivia",
    r"quiz",
    r"poker",
    r"moderat(?:or|ing)",
    r"speaker",
    r"speaking",
    r"technical\s+debt",
)

# Symbols that make a title a film, show or podcast (checked on the original title).
OTHER_MEANING_SYMBOLS = frozenset("\U0001f3ac\U0001f3a5\U0001f37f\U0001f4fd\U0001f39e\U0001f4fa\U0001f3a6\U0001f399")

# Networking chats are not interviews unless they are tied to a role or to next steps.
COFFEE_CHAT_TITLE = words(r"coffee", r"cafe", r"catch[- ]?up", r"networking")
ROLE_OR_PROCESS_TIE = words(
    r"next\s+steps?",
    r"process",
    r"role",
    r"position",
    r"opening",
    r"req",
)

# --- who is the candidate -------------------------------------------------------------------

INTERNAL_CANDIDATE = words(
    r"internal\s+(?:mobility|transfer|move|candidate|opening|role|position|application|applicant|posting|job)",
    r"applying\s+(?:to|for)\s+the\s+internal",
    r"mobilite\s+interne",
    r"movilidad\s+interna",
    r"mobilidade\s+interna",
    r"interne\s+(?:stelle|bewerbung|ausschreibung)",
    r"transfer\s+(?:interview|opportunity|request)",
    after(("thanks for", "thank you for"), "applying"),
    after(("your",), "application"),
    after(("you",), "applied"),
    after(("since you're", "since youre", "since you are"), r"already\s+at"),
)

# An agency hides the employer: "confidential FMCG client", "undisclosed client".
CLIENT_UNNAMED = words(r"(?:confidential|undisclosed|stealth)\s+(?:[\w-]+\s+)?(?:client|company)")

AGENCY_DESC = words(
    after(("our", "my", "one of our", "for a", "with a", "at a"), r"clients?"),
    r"client\s+(?:company|in\s+the)",
    after(("on",), r"(?<!recruiting on )(?<!recruitment on )behalf\s+of"),  # not an ATS "Recruiting" product
    r"staffing",
    r"recruitment\s+(?:agency|firm|partners?|consultancy)",
    r"technology\s+recruitment",
    r"headhunter",
    r"executive\s+search",
    CLIENT_UNNAMED,
)

AGENCY_DOMAIN_WORDS = ("staffing", "talent", "recruit", "headhunt", "personnel", "placement")

# A description that shows the event is part of a hiring process.
HIRING_CONTEXT_DESC = words(
    r"your\s+(?:[\w-]++\s++){0,4}?(?:interview|interviews|screen|call|conversation|walkthrough|presentation|loop|round|chat)",
    r"interview\s+(?:with|for)",
    r"(?:thanks|thank\s+you)\s+for\s+(?:making\s+time|your\s+interest|applying)",
    r"confirms?\s+your",
    r"(?:role|position|opening|opportunity|vacancy)",
    r"candidature|poste",
    r"bewerbung|stelle",
    r"posicion|vacante|candidatura",
    r"vaga|processo\s+seletivo",
    r"functie|vacature|sollicitatie|posizione|selezione",
    r"hiring|recruit(?:er|ing|ment)|talent\s+acquisition",
)

# --- scheduling and assessment tools --------------------------------------------------------

TOOL_TEXT = words(
    r"calendly",
    r"goodtime",
    r"greenhouse",
    r"lever",
    r"ashby",
    r"sent\s+with\s+gem",
    r"modernloop",
    r"workday",
    r"karat",
    r"hirevue",
    r"coderpad",
    r"hackerrank",
    r"codility",
    r"codesignal",
    r"smartrecruiters",
    r"icims",
    r"jobvite",
    r"teamtailor",
    r"recruitee",
    r"workable",
    r"paradox",
    r"successfactors",
    r"taleo",
    r"youcanbook",
    r"microsoft\s+bookings",
    r"spark\s*hire",
    r"scheduled\s+(?:via|with|by)",
)

# Registrable labels (``label.tld``) of tools that send invites for an employer, meeting services
# and job sites: never the employer itself.
TOOL_LABELS = frozenset(
    {
        "calendly",
        "goodtime",
        "greenhouse",
        "lever",
        "ashbyhq",
        "ashby",
        "myworkday",
        "myworkdayjobs",
        "modernloop",
        "karat",
        "hirevue",
        "coderpad",
        "hackerrank",
        "codility",
        "codesignal",
        "gem",
        "smartrecruiters",
        "icims",
        "jobvite",
        "taleo",
        "successfactors",
        "bamboohr",
        "teamtailor",
        "recruitee",
        "workable",
        "breezy",
        "jazzhr",
        "paradox",
        "zoom",
        "webex",
        "gotomeeting",
        "whereby",
        "riverside",
        "zencastr",
        "doodle",
        "youcanbook",
        "chilipiper",
        "linkedin",
        "glassdoor",
        "indeed",
        "joinhandshake",
        "handshake",
        "wellfound",
        "interviewing",
        "pramp",
        "calendar",
        "teams",
        "zoomgov",
        "goto",
        "bluejeans",
        "around",
    }
)

# Personal mail providers and reserved example domains (RFC 2606): never an employer.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "web.de",
        "t-online.de",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "qq.com",
        "163.com",
        "126.com",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "wanadoo.fr",
        "sfr.fr",
        "libero.it",
        "uol.com.br",
        "bol.com.br",
        "terra.com.br",
        "rediffmail.com",
        "naver.com",
        "daum.net",
        "example.com",
        "example.org",
        "example.net",
    }
)
FREE_MAIL_LABELS = frozenset({"gmail", "hotmail", "yahoo", "outlook", "gmx", "yandex", "protonmail"})
RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})
# Top-level domains of web domains written in an event's text ("kestrelpay.com").
WEB_TLDS = frozenset(
    (
        *("com", "io", "ai", "co", "net", "org", "app", "dev", "tech", "xyz", "eu", "us", "uk", "ca", "au", "nz"),
        *("in", "de", "fr", "es", "it", "nl", "br", "ch", "at", "se", "dk", "no", "fi", "pl", "pt", "mx", "ar"),
        *("cl", "jp", "sg", "ie", "be", "cz"),
    )
)

# --- companies ------------------------------------------------------------------------------

# Generic words after a distinctive company head ("Kestrel Health", "Halcyon Labs"): the head
# alone names the company too.
COMPANY_GENERIC_TAILS = frozenset(
    {
        "labs",
        "lab",
        "health",
        "healthcare",
        "technologies",
        "technology",
        "tech",
        "analytics",
        "software",
        "systems",
        "group",
        "holdings",
        "ai",
        "bio",
        "biosciences",
        "therapeutics",
        "data",
        "learning",
        "insurance",
        "financial",
        "finance",
        "capital",
        "bank",
        "energy",
        "media",
        "games",
        "studios",
        "studio",
        "robotics",
        "security",
        "cloud",
        "networks",
        "solutions",
        "digital",
        "partners",
        "ventures",
        "global",
        "international",
        "industries",
        "logistics",
        "payments",
        "medical",
        "sciences",
        "education",
        "works",
        "platforms",
        "interactive",
        "mobility",
        "foods",
        "consulting",
        "services",
        "assurance",
        "hospitals",
        "hospital",
        "enterprise",
        "enterprises",
        "and",
    }
)
# Noise around a company's name in its web or mail domain (``cascadehq``, ``getorbital``).
DOMAIN_PREFIXES = ("get", "try", "join", "use", "go", "hello", "meet", "make", "with", "my", "the", "hey", "team")
DOMAIN_SUFFIXES = ("hq", "app", "inc", "corp", "team", "jobs", "careers", "hr", "online", "global", "mail", "co")

# --- roles ----------------------------------------------------------------------------------

ROLE_NOUN = words(
    r"engineer\w*",
    r"engineering",
    r"developer\w*",
    r"dev",
    r"programmer\w*",
    r"architect\w*",
    r"manager\w*",
    r"interns?",
    r"internship",
    r"scientist\w*",
    r"analyst\w*",
    r"designer\w*",
    r"researcher\w*",
    r"lead",
    r"director\w*",
    r"head",
    r"officer\w*",
    r"specialist\w*",
    r"consultant\w*",
    r"coordinator\w*",
    r"administrator\w*",
    r"associate\w*",
    r"assistant\w*",
    r"representative\w*",
    r"executive\w*",
    r"advocate\w*",
    r"instructor\w*",
    r"teacher\w*",
    r"tutor\w*",
    r"trainer\w*",
    r"nurse\w*",
    r"therapist\w*",
    r"pharmacist\w*",
    r"technician\w*",
    r"technologist\w*",
    r"writer\w*",
    r"editor\w*",
    r"strategist\w*",
    r"marketer\w*",
    r"recruiter\w*",
    r"accountant\w*",
    r"controller\w*",
    r"auditor\w*",
    r"counsel",
    r"lawyer\w*",
    r"attorney\w*",
    r"paralegal\w*",
    r"operator\w*",
    r"agent\w*",
    r"owner",
    r"planner\w*",
    r"producer\w*",
    r"apprentice\w*",
    r"trainee\w*",
    r"fellow\w*",
    r"werkstudent\w*",
    r"praktikant\w*",
    r"entwickler\w*",
    r"ingenieur\w*",
    r"berater\w*",
    r"leiter\w*",
    r"stagiaire\w*",
    r"developpeu[rs]\w*",
    r"charge\s+de",
    r"chef\s+de",
    r"alternant\w*",
    r"ingenier[oa]\w*",
    r"desarrollador\w*",
    r"analista\w*",
    r"disenador\w*",
    r"becari[oa]\w*",
    r"pasante\w*",
    r"practicante\w*",
    r"estagiari[oa]\w*",
    r"engenheir[oa]\w*",
    r"desenvolvedor\w*",
    r"programador\w*",
    r"gerente\w*",
    r"coordenador\w*",
    r"praktikum",
    r"ontwikkelaar\w*",
    r"sviluppat(?:ore|rice)\w*",
)
# Abbreviations count as role words only in capitals, as written ("PM", not "2 pm").
ROLE_ABBREVIATION = r"\b(?:SWE|SDE|SRE|PM|TPM|APM|EM|SDET|MLE|DevOps)\b"

# Anchors after which a description states the role.
ROLE_AFTER = "|".join(
    (
        r"\b(?:position|role|job|job\s+title|opening|poste|stelle|rolle|puesto|vaga|cargo|posicion|functie|rol"
        r"|vacature|posizione|ruolo)\s*:\s*",
        after(
            ("the", "the full-time", "the part-time", "the permanent", "the open"),
            r"(?:position|role|job)\s+(?:of\s+|as\s+)?(?=[a-z])",
        ),
        r"\bre:\s*",
        after(("au", "le", "du"), r"poste\s+(?:de\s+|d')"),
        after(("en",), r"tant\s+que\s+"),
        r"\b(?:bewerbung|stelle|position|rolle)\s+als\s+",
        r"\b(?:posicion|vacante|plaza|puesto)\s+de\s+",
        r"\b(?:vaga|posicao|cargo|oportunidade)\s+de\s+",
        after(("voor de",), r"(?:functie|rol|vacature)\s+(?:van\s+)?"),
        after(("per la", "per il"), r"(?:posizione|ruolo)\s+(?:di\s+)?"),
        after(("the", "the hiring", "the interview", "the recruitment"), r"process\s+for\s+(?:the\s+)?"),
        r"\b(?:interview|interviews|interviewing|screen|call|conversation|walkthrough|presentation|chat|loop|round|review"
        r"|debrief|onsite|stage)"
        r"\s+(?:for|voor)\s+(?:the\s+)?(?!the\b)",
        r"\bwhich\s+(?:role|position|job)[^\n?]{0,40}\?\s*:?\s*",
        after(("the", "die", "das"), r"(?:internship|praktikum|role|position|stelle)\s+\("),
        r"\bfur\s+(?:das|die|den)\s+(?:stelle\s+(?:als\s+)?)?",
    )
)
# Where such a forward capture ends.
ROLE_END = (
    r"(?=\s+(?:role|position|opening|opportunity|job|vacancy|at|with|on\s+(?:our|the|my)|in\s+(?:our|the)|has|have|is|was"
    r"|will|starts?|bei|en|chez|na|no|em|esta|est|ist|wird|im|am|um|de\s+\d|bij|zo|responde|reporta|presso|mit|zu)\b"
    r"|\.(?:\s|$)|\s?:(?:\s|$)|[!?;\n]|$)"
)
# A role named just before these words ("the Data Engineer role").
ROLE_BEFORE = words(r"role|position|opening|opportunity|vacancy|req|interviews?")
ROLE_LEAD_IN = words(r"the", r"a", r"an", r"our", r"this", r"your", r"for", r"about", r"as", r"discuss")

EMPLOYMENT_QUALIFIER = words(
    r"full[- ]?time",
    r"part[- ]?time",
    r"contract(?:-to-hire|or)?",
    r"c2c",
    r"freelance",
    r"fixed[- ]term",
    r"temporary",
    r"permanent",
    r"fte",
    r"cdi|cdd",
    r"w2|1099",
    r"vollzeit|teilzeit|befristet|unbefristet|festanstellung",
    r"tiempo\s+completo|medio\s+tiempo|media\s+jornada|jornada\s+completa|indefinido",
    r"contrato\s+(?:indefinido|temporal|fijo)",
    r"tempo\s+integral|meio\s+periodo|clt|pj|efetivo",
    r"(?:contratto\s+a\s+)?tempo\s+(?:indeterminato|determinato|pieno|parziale)",
    r"temps\s+partiel|temps\s+plein",
    r"\d+\s*(?:hrs?|hours?|h|std\.?|stunden|horas|heures|uur)\s*(?:/|per|a|por|par)\s*(?:week|wk|woche|semana|semaine)",
    r"remote|hybrid|on-?site|in-?office|relocation",
    r"new\s+grad(?:uate)?s?|university\s+grad(?:uate)?s?|early[- ]career|graduate\s+program",
    r"(?:summer|winter|fall|autumn|spring)(?:\s+20\d\d)?",
    r"20\d\d",
    r"all-remote",
)
# "…, confidential client": whom an agency's role is for, not part of the role.
CLIENT_QUALIFIER = words(r"(?:a\s+|for\s+a\s+)?(?:confidential|undisclosed|stealth)\s+(?:client|company|startup)")
GENDER_MARKER = r"\(\s*(?:[mwfdhxa]\s*/\s*)+[mwfdhxa]\s*\)|\(\s*(?:all|alle)\s+genders?\s*\)|\b[mwfh]/[mwfh]/[dxm]\b"
REQUISITION = (
    r"\(?\b(?:job\s+requisition|requisition|req(?:uisition)?|job)\s*(?:id|#|no\.?)?\s*[:#]?\s*[a-z]*-?\d{3,}"
    r"(?:-\d+)*\)?"
    r"|\b(?:jr|req|r)-?\d{4,}\b|#\d{3,}"
)
# Cities and regions often appended to a role; roles are otherwise kept as written.
LOCATION_WORD = words(
    r"nyc|new\s+york|sf|san\s+francisco|bay\s+area|seattle|austin|boston|chicago|los\s+angeles|la|denver|toronto",
    r"montreal|vancouver|london|dublin|berlin|munich|munchen|hamburg|paris|lyon|madrid|barcelona|lisbon|lisboa",
    r"amsterdam|stockholm|zurich|warsaw|sao\s+paulo|rio|mexico\s+city|cdmx|bogota|buenos\s+aires|santiago",
    r"bengaluru|bangalore|gurugram|gurgaon|hyderabad|pune|mumbai|delhi|singapore|sydney|tokyo|tel\s+aviv",
    r"us|usa|uk|eu|emea|apac|latam|americas|europe|canada|germany|france|spain|brazil|india",
)

# --- role type (LABELING §4 cue table, exactly) ---------------------------------------------

ROLE_TYPE_INTERNSHIP = words(
    r"interns?",
    r"internships?",
    r"co-?op",
    r"praktikum|praktika",
    r"praktikant(?:in|en|innen)?",
    r"pasantias?",
    r"becari[oa]s?",
    r"estagios?",
    r"estagiari[oa]s?(?:\(a\))?",
    r"stagiaires?",
    r"stage\s+de\s+fin\s+d'etudes",
    r"(?:afstudeer|meewerk|snuffel)?stage(?:gesprek(?:ken)?|plaats|opdracht)|afstudeerstage",
    r"alternance",
)
ROLE_TYPE_CONTRACT = words(
    r"contracts?",
    r"contractors?",
    r"contract-to-hire",
    r"c2c",
    r"freelancer?",
    r"fixed[- ]term",
    r"befristet(?:e|er|en)?",
    r"cdd",
    r"contrato\s+temporal",
    r"por\s+proyecto",
    r"autonom[oa]",
)
ROLE_TYPE_PART_TIME = words(
    r"part[- ]time",
    r"teilzeit",
    r"werkstudent(?:in|en|innen)?",
    r"working\s+students?",
    r"medio\s+tiempo",
    r"media\s+jornada",
    r"meio\s+periodo",
    r"temps\s+partiel",
)
# "N hrs/week": starts with a number, so it is searched only where a week word occurs.
ROLE_TYPE_PART_TIME_HOURS = (
    r"\d+\s*(?:hrs?|hours?|h)\s*(?:/|per|a)\s*(?:week|wk)\b"
    r"|\d+\s*(?:std\.?|stunden)\s*/\s*woche\b"
    r"|\d+\s*horas\s*/\s*semana\b"
    r"|\d+\s*heures\s*/\s*semaine\b"
    r"|\d+\s*uur\s*(?:/|per)\s*week\b"
)
HOURS_WEEK_WORDS = ("week", "wk", "woche", "semana", "semaine")
ROLE_TYPE_FULL_TIME = words(
    r"full[- ]?time",
    r"vaste\s+aanstelling",
    r"fte",
    r"permanent",
    r"new\s+grads?",
    r"new\s+graduates?",
    r"university\s+grads?",
    r"early[- ]career\s+program(?:me)?",
    r"vollzeit",
    r"festanstellung",
    r"unbefristet(?:e|er|en)?",
    r"cdi",
    r"tiempo\s+completo",
    r"jornada\s+completa",
    r"indefinid[oa]",
    r"tempo\s+integral",
    r"efetiv[oa]",
    r"tempo\s+indeterminato",
)

# --- variants (LABELING §3) -----------------------------------------------------------------

CANCEL_PREFIX = (
    r"cancell?ed(?:\s+event)?|canceled\s+invitation|cancel+ation|abgesagt|storniert|cancelad[oa]|annulee?"
    r"|evenement\s+annule|annullato|geannuleerd|odwolane|cancelled\s+event"
)
RESCHEDULE_PREFIX = (
    r"rescheduled|re-scheduled|moved|postponed|new\s+time(?:\s+proposed)?|verschoben|neuer\s+termin|reprogramad[oa]"
    r"|reagendad[oa]|remarcad[oa]|adiad[oa]|reporte|reprogramme|deplace|nouvel\s+horaire|rinviato"
)
UPDATE_PREFIX = (
    r"updated\s+invitation(?:\s+with\s+note)?|invitation\s+updated|updated(?:\s+event)?|update|changed|aktualisierte"
    r"\s+einladung|aktualisiert|geandert|invitacion\s+actualizada|actualizad[oa]|modificad[oa]|invitation\s+mise\s+a"
    r"\s+jour|mis\s+a\s+jour|modifie|convite\s+atualizado|atualizad[oa]|alterad[oa]|invito\s+aggiornato"
    r"|bijgewerkte\s+uitnodiging"
)
ORIGINAL_PREFIX = r"invitation|einladung|invitacion|convite|invito|uitnodiging|new\s+event|new\s+invitation"

CANCEL_DESC = words(
    after(("been", "was", "is", "has", "have"), r"cancell?ed"),
    after(("ha", "foi", "sido", "fue"), r"cancelad[oa]"),
    r"abgesagt|storniert",
    after(("ete",), r"annulee?"),
    r"annullato",
)
RESCHEDULE_DESC = words(
    r"changed:\s*(?:date|time|start)",
    r"new\s+(?:time|date)",
    r"moved\s+(?:this\s+)?to",
    after(("been", "was"), r"rescheduled"),
    r"rescheduled\s+(?:to|for)",
    r"verschoben",
    r"neue[rn]?\s+(?:termin|uhrzeit|zeit)",
    after(("sido", "fue"), r"reprogramad[oa]"),
    r"nueva\s+(?:hora|fecha)",
    r"(?:foi\s+)?(?:remarcad[oa]|reagendad[oa])",
    r"novo\s+horario",
    after(("ete",), r"(?:deplace|reporte|reprogramme)e?"),
    r"nouvel(?:le)?\s+(?:horaire|heure|date)",
)
UPDATE_DESC = words(
    after(("been", "was"), r"updated|changed|modified"),
    r"geandert|aktualisiert",
    after(("sido", "ha", "foi"), r"actualizad[oa]|modificad[oa]|atualizad[oa]|alterad[oa]"),
    after(("ete",), r"modifiee?|mise?\s+a\s+jour"),
)
