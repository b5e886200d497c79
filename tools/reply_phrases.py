"""Hand-written phrase lists for the offline reply model (training data, not run-time code).

Short, typical ways people say each thing in English, German, French, Spanish, Dutch and
Portuguese. ``tools/train_reply_model.py`` trains on these together with
``tests/data/replies/dev.jsonl``; heldout.jsonl is never used.
"""

POSITIVE = """
yes|yes please|yes let's talk|sure|sure thing|ok let's do it|let's do it|let's talk|let's chat
let's set up a call|let's schedule a call|let's book a meeting|happy to chat|happy to talk
happy to meet|i'm interested|we are interested|very interested|definitely interested
sounds good let's talk|sounds great|that sounds great let's meet|call me|give me a call
send me a calendar invite|send an invite|book a time|book a slot|here's my calendar link
what time works for you|when are you free|i'm free tuesday afternoon|monday works
let's meet next week|let's get started|we'd like to move forward|let's move forward
count me in|i'm in|we're in|go ahead|please proceed|let's try it|sign us up|set it up
looking forward to our call|great let's connect|would love to hear more on a call
ja gerne|ja, gerne|gerne|sehr gerne|lassen sie uns telefonieren|rufen sie mich an
ich habe interesse|wir sind interessiert|termin vereinbaren|lass uns sprechen|klingt gut
oui|oui avec plaisir|avec plaisir|d'accord|appelez-moi|on peut se parler|fixons un rendez-vous
je suis intéressé|nous sommes intéressés|ça m'intéresse|parlons-en
sí|claro|claro que sí|me interesa|nos interesa|hablemos|llámame|agendemos una reunión
perfecto|de acuerdo|vale|con gusto
ja|ja graag|graag|klinkt goed|prima|laten we bellen|bel me maar|plan een afspraak
ik heb interesse|wij zijn geïnteresseerd
sim|claro|tenho interesse|temos interesse|vamos conversar|me liga|vamos marcar
pode ser|ótimo|combinado|com certeza
yep|yeah|yup|yes!|ok sure|ok, sure|okay sure|sure, book me in|ok let's chat|ok let's talk
can we hop on a call|can we jump on a call tomorrow|can you call me tomorrow|can you come by
when do we start|when can we start|when can you start|can we meet on thursday
good timing, call me|perfect timing|great timing|what are the next steps|send the contract
how about tuesday at 10|does friday work for you|are you free tomorrow for a call
"""

ASKED = """
how much|how much is it|how much does it cost|what does it cost|what's the price|pricing?
what are your prices|what are your rates|send me pricing|can you send a quote|price list
can you send more info|send me more information|more details please|tell me more|details?
how does it work|what exactly do you do|what do you offer|can you explain|what's included
do you have examples|can you send examples|do you have references|any case studies
do you have a brochure|can you send a deck|is there a free trial|is there a contract
how long does it take|what's the turnaround|who are your clients|do you work with
is it monthly|is there a setup fee|what are the terms|can i see a sample|what integrations
which tools do you support|where are you based|is it gdpr compliant|what's the catch
how is this different|why should we|what results|what roi|?|??
was kostet das|wie viel kostet|preis?|preise|können sie mir mehr informationen schicken
haben sie referenzen|haben sie beispiele|wie funktioniert das|was genau bieten sie an
gibt es eine testversion|angebot schicken|schicken sie mir ein angebot
quel est le prix|combien ça coûte|vos tarifs|pouvez-vous m'envoyer plus d'informations
avez-vous des exemples|avez-vous des références|comment ça marche|pouvez-vous m'en dire plus
cuánto cuesta|cuál es el precio|precios|me puede enviar más información|tienen ejemplos
cómo funciona|qué incluye|tienen referencias|más detalles
wat kost het|wat zijn de kosten|kunt u meer informatie sturen|heeft u voorbeelden
hoe werkt het|wat houdt het in|heeft u referenties
quanto custa|qual o preço|pode me mandar mais informações|tem exemplos|como funciona
o que está incluído|mais detalhes
"""

NEGATIVE = """
no|no thanks|no thank you|nope|not interested|not interested thanks|we're not interested
we'll pass|i'll pass|pass|hard pass|not for us|not a fit|no need|we don't need this
we already have a provider|we're happy with our current agency|we do it in-house
please stop|stop|unsubscribe|remove me|take me off your list|do not contact me
don't email me again|leave me alone|this is spam|spam|reported|go away|not now or ever
we're going to decline|i have to decline|no budget for this ever|we won't be moving forward
nein|nein danke|kein interesse|kein bedarf|brauchen wir nicht|nicht interessiert|bitte abmelden
bitte keine e-mails mehr|lassen sie mich in ruhe
non|non merci|pas intéressé|pas intéressée|ça ne nous intéresse pas|pas besoin|désinscrire
ne plus me contacter
thanks but no thanks|no thanks, we're good|i'm going to say no|i'll say no for now and always
not something we'd invest in|not something we need|we are not buying
how many times do i have to tell you
this is the last time i'm telling you|stop wasting my time|why do you keep emailing me
f off|piss off|get lost|go to hell|screw off|leave us alone|stop bothering me
no gracias|no me interesa|no nos interesa|no necesitamos|dar de baja|no escriban más
nee|nee bedankt|geen interesse|niet geïnteresseerd|hebben we niet nodig|afmelden
não|não obrigado|não tenho interesse|não temos interesse|não precisamos|descadastrar
"""

NEUTRAL = """
thanks|thank you|thanks for reaching out|got it|received|noted|ok|okay|ok thanks|will do
thanks i'll take a look|i'll have a look|i'll think about it|let me think about it
i'll get back to you|let me check with the team|i'll discuss internally|maybe later
not right now|not at this time maybe later|maybe next year|maybe next quarter
check back in a few months|follow up in january|reach out again in spring|bad timing
busy right now|timing isn't right|not the right time|we'll revisit later
i'm not the right person|talk to my colleague|please contact our manager|forwarded
forwarding this to|i've passed this on|i've cc'd my colleague|she handles this
he is responsible for this|out of office|on vacation|back on monday|on leave
danke|danke schön|vielen dank|erhalten|ich melde mich|vielleicht später|gerade nicht
im moment nicht|ich leite es weiter|wenden sie sich an meinen kollegen|nicht zuständig
merci|bien reçu|je reviens vers vous|plus tard|pas maintenant|pas pour le moment
je transmets|voyez avec mon collègue
gracias|recibido|lo reviso|más adelante|ahora no|en otro momento|lo reenvío
hable con mi compañero
bedankt|ontvangen|ik kom erop terug|misschien later|nu even niet|ik stuur het door
neem contact op met mijn collega
obrigado|obrigada|recebido|vou analisar|mais tarde|agora não|vou encaminhar
fale com meu colega
i'm not the right person|wrong person|you've got the wrong person|not my department
please direct this to|send this to our office manager|i'll keep it on file|appreciate the email
no soy la persona indicada|no es mi área|ich bin nicht der richtige ansprechpartner
ce n'est pas moi qui gère|je ne suis pas la bonne personne|ik ben niet de juiste persoon
não sou a pessoa certa|não é comigo
"""


def phrases() -> list[tuple[str, str]]:
    out = []
    for label, block in (("positive", POSITIVE), ("asked_for_info", ASKED),
                         ("negative", NEGATIVE), ("neutral", NEUTRAL)):
        for line in block.strip().splitlines():
            out.extend((p.strip(), label) for p in line.split("|") if p.strip())
    return out
