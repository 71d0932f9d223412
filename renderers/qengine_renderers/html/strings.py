"""The words of the form itself (buttons, progress, status), in each built-in language.

The runtime's messages (mandatory, bounds, ...) are not here: they come from
`qengine.runtime.messages`, the one catalogue every front end shares. These are
the form's own furniture, which the Python runtime never says.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "start": "Start",
        "next": "Next",
        "back": "Back",
        "submit": "Submit",
        "page_of": "Page {n} of {total}",
        "page_of_most": "Page {n} of at most {total}",
        "required": "(required)",
        "summary": "Please check the answers marked below before going on.",
        "end_title": "Thank you",
        "download": "Download my answers",
        "sending": "Sending your answers…",
        "sent": "Your answers have been sent.",
        "not_sent": "Your answers have not been sent anywhere: this form has no address to send them to. "
                    "Download them and give the file to the person who runs the survey.",
        "send_failed": "Your answers could not be sent. Please try again, or download them and send the file.",
        "retry": "Try again",
        "restart": "Start a new response",
        "clear": "Clear my answer",
        "kept": "Your answers are kept on this device until they are sent.",
        "kept_here": "Your answers are kept on this device; this form does not send them: "
                     "at the end you can download them.",
        "nojs": "This questionnaire needs JavaScript. Please enable it, or open the file in another browser.",
        "defect": "This questionnaire has a defect and cannot go on:",
        # Pages sent by `qengine serve`.
        "save": "Resume later",
        "saved_title": "Your answers are saved",
        "saved": "To go on later, from this device or another, open this link. Keep it: it is the only "
                 "way back to your answers, and whoever has it can read and change them.",
        "resume": "Go on now",
        "recorded": "Your answers have been recorded.",
        "kept_served": "Each page is saved as soon as you go on to the next.",
    },
    "fr": {
        "start": "Commencer",
        "next": "Suivant",
        "back": "Précédent",
        "submit": "Envoyer",
        "page_of": "Page {n} sur {total}",
        "page_of_most": "Page {n} sur {total} au plus",
        "required": "(obligatoire)",
        "summary": "Veuillez vérifier les réponses signalées ci-dessous avant de continuer.",
        "end_title": "Merci",
        "download": "Télécharger mes réponses",
        "sending": "Envoi de vos réponses…",
        "sent": "Vos réponses ont été envoyées.",
        "not_sent": "Vos réponses n'ont été envoyées nulle part : ce formulaire n'a pas d'adresse d'envoi. "
                    "Téléchargez-les et transmettez le fichier à la personne qui mène l'enquête.",
        "send_failed": "Vos réponses n'ont pas pu être envoyées. Réessayez, ou téléchargez-les et envoyez le fichier.",
        "retry": "Réessayer",
        "restart": "Recommencer une nouvelle réponse",
        "clear": "Effacer ma réponse",
        "kept": "Vos réponses sont conservées sur cet appareil jusqu'à leur envoi.",
        "kept_here": "Vos réponses sont conservées sur cet appareil ; ce formulaire ne les envoie pas : "
                     "à la fin, vous pourrez les télécharger.",
        "nojs": "Ce questionnaire nécessite JavaScript. Activez-le, ou ouvrez le fichier dans un autre navigateur.",
        "defect": "Ce questionnaire comporte un défaut et ne peut pas continuer :",
        # Pages sent by `qengine serve`.
        "save": "Reprendre plus tard",
        "saved_title": "Vos réponses sont enregistrées",
        "saved": "Pour continuer plus tard, depuis cet appareil ou un autre, ouvrez ce lien. Gardez-le : "
                 "c'est le seul moyen de retrouver vos réponses, et quiconque l'a peut les lire et les modifier.",
        "resume": "Continuer maintenant",
        "recorded": "Vos réponses ont été enregistrées.",
        "kept_served": "Chaque page est enregistrée dès que vous passez à la suivante.",
    },
}


def strings(language: str) -> dict[str, str]:
    """The table for a language tag ("fr", "fr-CA"), English when there is none."""
    return STRINGS.get(language.split("-")[0].lower(), STRINGS["en"])
