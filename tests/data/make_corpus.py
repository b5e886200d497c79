
"""Regenerate the messy import files in this directory (exact bytes matter: encodings, BOMs,
line endings, control characters). Run: python tests/data/make_corpus.py

Each file and what the tests expect of it is listed in README.md next to this script.
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def lines(*rows: str, nl: str = "\n") -> str:
    return nl.join(rows) + nl


def main() -> None:
    # 1. UTF-8 with BOM, CRLF, header synonyms, accents, a quoted en dash.
    write("utf8_bom_crlf.csv", b"\xef\xbb\xbf" + lines(
        "Company Name,Web Site,Contact Person,E-mail Address,Phone Number,Notes",
        "Café Lumière,https://www.cafe-lumiere.fr/menu,Amélie Poulain,amelie@cafe-lumiere.fr,+33 1 23 45 67 89,Terrace seating",
        "Bäckerei Müller,baeckerei-mueller.de,Jürgen Müller,,+49 30 1234567,",
        'Smørrebrød House,http://smorrebrod.dk,,hello@smorrebrod.dk,,"Open Mon–Fri"',
        nl="\r\n",
    ).encode("utf-8"))

    # 2. UTF-16 LE with BOM, tab-delimited, CRLF: Excel's "Unicode text".
    write("utf16_tab.txt", lines(
        "Organization\tURL\tFull Name\tEmail\tTelephone",
        "Zürich Uhren AG\twww.zuerich-uhren.ch\tFrançois Dübi\tf.duebi@zuerich-uhren.ch\t+41 44 123 45 67",
        "Ñandú Café\thttps://nandu.es/\tJosé Núñez\t\t",
        "東京 Sushi\tsushi-tokyo.jp\t山田 太郎\t\t",
        nl="\r\n",
    ).encode("utf-16"))

    # 3. Windows-1252 (€ „ “ ’ – Œ Š), a leading sep=; line, German headers, CRLF.
    write("cp1252_sep_semicolon.csv", lines(
        "sep=;",
        "Firma;Webseite;Vorname;Nachname;E-Mail;Telefon;Notizen",
        "Café Crème GmbH;www.cafe-creme.de;Zoë;Weiß;zoe@cafe-creme.de;+49 89 123456;Preis: 250 € – „Premium“",
        "Œuvre Šport;oeuvre-sport.fr;François;L’Hôte;;;",
        'Straße & Söhne;strasse-soehne.at;;;info@strasse-soehne.at;;"Notiz; mit Semikolon"',
        nl="\r\n",
    ).encode("cp1252"))

    # 4. Latin-1 (ISO-8859-1), semicolons without a sep line, commas inside values, French.
    write("latin1_semicolon.csv", lines(
        "Entreprise;Site;Prénom;Nom;Courriel;Téléphone",
        "Boulangerie Dupré, Fils;boulangerie-dupre.fr;Hélène;Dupré;helene@boulangerie-dupre.fr;01 23 45 67 89",
        "Château Léoville, Margaux;https://www.chateau-leoville.fr;Gérard;Lefèvre;;",
        "Ça Va Bistro;cava-bistro.be;;;;",
    ).encode("latin-1"))

    # 5. Pipe-delimited, a quoted pipe.
    write("pipe.csv", lines(
        "domain|business|contact|email|phone",
        "acme-plumbing.com|Acme Plumbing|Anna Smith|anna@acme-plumbing.com|555-0100",
        'bitsandbytes.io|"Bits | Bytes"|Ben Ng||',
    ).encode("utf-8"))

    # 6. Tab-separated, UTF-8 without BOM, an unknown column (extra field).
    write("tab.tsv", lines(
        "Website\tCompany\tName\tEmail\tIndustry",
        "https://greenleaf-dental.com/\tGreenleaf Dental\tDr. Priya Patel\tpriya@greenleaf-dental.com\tHealth",
        "northside-yoga.com\tNorthside Yoga\t\t\tFitness",
    ).encode("utf-8"))

    # 7. Quoted delimiters, doubled quotes and newlines inside fields; an invalid row after.
    write("quoted.csv", lines(
        "Website,Company,Notes,Contact",
        'harbor-books.com,"Harbor Books, Inc.","Line one',
        "line two, with comma",
        'line ""three""",Grace Kim',
        '"riverside-cafe.com","The ""Riverside"" Café","",Sam Lee',
        'summit-roofing.com,"Summit Roofing","multi',
        'line",',
        "not a url,Broken Co,,",
    ).encode("utf-8"))

    # 8. Old Mac line endings (CR only).
    write("mac_cr.csv", lines(
        "url,company", "lakeview-inn.com,Lakeview Inn", "hilltop-farm.com,Hilltop Farm", nl="\r",
    ).encode("utf-8"))

    # 9. Header spellings: case, spaces, underscores, hyphens; first + last name.
    write("header_variants.csv", lines(
        "WEB_SITE,company-name,FIRST NAME,last_name,E-MAIL,Mobile",
        "bluebird-bakery.com,Bluebird Bakery,Chloe,Dubois,chloe@bluebird-bakery.com,07700 900123",
        "copper-kettle.co.uk,Copper Kettle,,Okafor,,",
        "ironwood-electric.com,Ironwood Electric,Hiro,,,",
    ).encode("utf-8"))

    # 10. Email-only rows: business domains, free-mail, display names, mailto:, garbage.
    write("email_only.csv", lines(
        "Email,Name",
        "owner@maple-street-salon.com,Maya",
        "bob@gmail.com,Bob",
        "jane.doe@yahoo.co.uk,Jane",
        "info@GoldenHourPhoto.com,",
        '"Kate Larsen <kate@fox-and-hound.ie>",Kate',
        "not-an-email,Nobody",
        "mailto:sales@westgate-hvac.com,",
    ).encode("utf-8"))

    # 11. The same business in many URL forms: created, updated, updated, duplicate; then a
    #     second business: created, duplicate.
    write("duplicates.csv", lines(
        "Website,Company,Contact,Email,Phone,City",
        "https://www.oak-and-ember.com/,Oak & Ember,,,,",
        "OAK-AND-EMBER.COM,Oak and Ember Grill,Liam Brown,,,Austin",
        "oak-and-ember.com/contact,,,liam@oak-and-ember.com,,",
        "www.oak-and-ember.com,Something Else,Other Person,other@oak-and-ember.com,,Denver",
        "silverline-auto.com,Silverline Auto,,,555-0199,",
        "http://silverline-auto.com,,,,,",
    ).encode("utf-8"))

    # 12. Web addresses that are not business domains (one IDN that is fine).
    write("invalid_urls.csv", lines(
        "Website,Company",
        "not a url,No URL Co",
        "ftp://files.example.com,FTP Co",
        "localhost,Local Co",
        "192.168.1.20,IP Co",
        "http://,Empty Host Co",
        "acme,Dotless Co",
        "https://bücher.de/shop,Bücher GmbH",
        "a..com,Double Dot Co",
        "-bad-.com,Hyphen Co",
        ",No Domain Co",
    ).encode("utf-8"))

    # 13. Fields over their caps (and one exactly at the cap).
    write("overlong.csv", lines(
        "Website,Company,Contact,Phone,Email,City,Notes",
        f"at-cap.com,{'B' * 200},{'C' * 120},{'9' * 40},,{'x' * 1000},{'n' * 10_000}",
        f"long-business.com,{'B' * 201},,,,,",
        f"long-contact.com,,{'C' * 121},,,,",
        f"long-phone.com,,,{'9' * 41},,,",
        f"long-email.com,,,,{'e' * 250}@long-email.com,,",
        f"long-city.com,,,,,{'x' * 1001},",
        f'long-notes.com,,,,,,"{"n" * 10_001}"',
    ).encode("utf-8"))

    # 14. Terminal control sequences, NUL, BEL, C1 CSI and bidi overrides inside fields.
    write("control_chars.csv", lines(
        "Website,Company,Contact,Notes",
        'evil-corp.com,"Evil\x1b]52;c;ZXZpbA==\x07 Corp","Mal\x00lory","line1\x1b[31mred\x1b[0m',
        'line2"',
        "bidi-trick.com,\u202eredaer\u202c Ltd,Eve\u009b2J,",
        'tabbed.com,"Tab\tInside",,',
    ).encode("utf-8"))

    # 14b. Cyrillic in Windows-1251: not UTF-8, not Western: charset-normalizer decides.
    write("cp1251_cyrillic.csv", lines(
        "Компания,Сайт,Имя",
        "ООО Ромашка,romashka.ru,Иван Петров",
        "ТехноСервис Плюс,tehnoservis.ru,Мария Иванова",
        "Строительная компания Север,sever-stroy.ru,Алексей Смирнов",
        nl="\r\n",
    ).encode("cp1251"))

    # 15. Unusable inputs.
    write("empty.csv", b"")
    write("bom_only.csv", b"\xef\xbb\xbf")
    rnd = random.Random(7)
    write("binary_garbage.bin", bytes(rnd.randrange(256) for _ in range(4096)))
    write("spreadsheet.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    write("no_usable_column.csv", lines(
        "Name,City,Notes", "Anna Smith,Leeds,met at expo", "Ben Ng,York,",
    ).encode("utf-8"))
    write("header_only.csv", lines("Website,Company").encode("utf-8"))

    # 16. A pasted URL list: comments, blank lines, spaces, CRLF, an email, <...>, duplicates.
    write("urls.txt", lines(
        "# Leads from the Leeds expo",
        "https://www.brightwater-plumbing.co.uk/",
        "",
        "   summit-dental.com   ",
        "# the same again below",
        "SUMMIT-DENTAL.COM",
        "sales@keystone-realty.com",
        "not a url",
        "http://localhost:8080",
        "<https://hawthorn-spa.com>",
        nl="\r\n",
    ).encode("utf-8"))

    # 17. No header row: a column of domains (detected by content).
    write("headerless.csv", lines(
        "acme-widgets.com,Acme Widgets", "beta-labs.io,Beta Labs",
    ).encode("utf-8"))

    # 18. Unknown columns, spreadsheet placeholders, an unnamed column, a row longer than
    #     the header.
    write("extras_placeholders.csv", lines(
        "Website,Company,Phone,Lead Source,Industry,",
        "harbor-law.com,Harbor Law,N/A,Expo 2024,Legal,",
        "cedar-physio.com,-,555-0142,,Health,surplus cell",
        "cypress-hvac.com,Cypress HVAC,,,,,beyond",
    ).encode("utf-8"))

    # 19. A CRM export with a title and a date line above the header, a blank line between.
    write("title_lines.csv", lines(
        "Contacts export - Sales pipeline,,,",
        "Generated 01/12/2026 09:14,,,",
        ",,,",
        "Company Name,Company Domain Name,Email,Lifecycle Stage",
        "Harbor Dental,harbordental.com,front@harbordental.com,Lead",
        "Oak & Ember,https://oakandember.co.uk/,,Subscriber",
        "Gmail Guy,,guy@gmail.com,Lead",
        nl="\r\n",
    ).encode("utf-8"))


if __name__ == "__main__":
    main()
