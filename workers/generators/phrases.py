"""The generated sentences per language (`general.language`) and audience (`general.audience`).

Plain phrase tables, not fluent prose: enough that a lecture is visibly in the language asked
for and its tone differs per audience. `{topic}` is the user's prompt, left as written (so no
sentence inflects it); `{aspect}` is one of the language's aspects.
"""
# ruff: noqa: RUF001 (Turkish is written with the dotless i, U+0131)

from __future__ import annotations

from dataclasses import dataclass

from tutopanda.models.project import Audience, Language


@dataclass(frozen=True)
class Phrases:
    """The sentences of one language."""

    aspects: tuple[str, ...]  # what a segment is about, in script order
    tones: dict[Audience, tuple[str, str]]  # audience: (opening sentence, closing sentence)
    body: tuple[str, ...]  # sentences between them, about `{aspect}`
    audiences: dict[Audience, str]  # the audience as the summary names it
    summary: str  # {seconds}, {topic}, {audience}, {aspects}
    title_fill: tuple[str, str]  # words that pad a title shorter than three words


PHRASES: dict[Language, Phrases] = {
    "en": Phrases(
        aspects=(
            "where it all began",
            "the key ideas",
            "the people involved",
            "a turning point",
            "how it worked in practice",
            "everyday life around it",
            "what changed because of it",
            "common misconceptions",
            "its lasting legacy",
            "questions that remain open",
        ),
        tones={
            "Kids": ("Imagine {topic}, and especially {aspect}!", "Isn't that amazing?"),
            "Young Adults": (
                "Picture this: {topic}, and in particular {aspect}.",
                "That changed everything.",
            ),
            "Adults": (
                "Consider {topic}, and in particular {aspect}.",
                "The consequences were lasting.",
            ),
            "Academic": (
                "Historians read {topic} through one lens here: {aspect}.",
                "The evidence remains debated.",
            ),
            "Enthusiast/Niche": (
                "Dig a little deeper into {topic}: {aspect}.",
                "Details like this matter.",
            ),
        },
        body=(
            "To understand it, we start from {aspect}.",
            "This part of the story shows {aspect} in a new light.",
            "Small details here explain much of what followed.",
            "Keep this in mind as we move on.",
        ),
        audiences={
            "Kids": "kids",
            "Young Adults": "young adults",
            "Adults": "adults",
            "Academic": "an academic audience",
            "Enthusiast/Niche": "enthusiasts",
        },
        summary="A {seconds}-second lecture on {topic} for {audience}, covering {aspects}.",
        title_fill=("Explained", "Today"),
    ),
    "es": Phrases(
        aspects=(
            "dónde empezó todo",
            "las ideas clave",
            "las personas implicadas",
            "un punto de inflexión",
            "cómo funcionaba en la práctica",
            "la vida cotidiana a su alrededor",
            "lo que cambió gracias a ello",
            "los errores más comunes",
            "su legado duradero",
            "las preguntas que siguen abiertas",
        ),
        tones={
            "Kids": ("¡Imagina {topic}, y sobre todo {aspect}!", "¿No es increíble?"),
            "Young Adults": (
                "Piénsalo así: {topic}, y en particular {aspect}.",
                "Eso lo cambió todo.",
            ),
            "Adults": (
                "Consideremos {topic}, y en particular {aspect}.",
                "Las consecuencias fueron duraderas.",
            ),
            "Academic": (
                "Los historiadores estudian {topic} desde este ángulo: {aspect}.",
                "La evidencia sigue siendo objeto de debate.",
            ),
            "Enthusiast/Niche": (
                "Profundicemos un poco más en {topic}: {aspect}.",
                "Los detalles como este importan.",
            ),
        },
        body=(
            "Para entenderlo, partimos de esto: {aspect}.",
            "Esta parte de la historia muestra con una nueva luz {aspect}.",
            "Los pequeños detalles explican mucho de lo que vino después.",
            "Tengamos esto en cuenta mientras avanzamos.",
        ),
        audiences={
            "Kids": "niños",
            "Young Adults": "jóvenes",
            "Adults": "adultos",
            "Academic": "un público académico",
            "Enthusiast/Niche": "aficionados",
        },
        summary="Una lección de {seconds} segundos sobre {topic} para {audience}, que trata "
        "{aspects}.",
        title_fill=("Explicado", "Hoy"),
    ),
    "fr": Phrases(
        aspects=(
            "là où tout a commencé",
            "les idées clés",
            "les personnes concernées",
            "un tournant",
            "comment cela fonctionnait en pratique",
            "la vie quotidienne autour de cela",
            "ce qui a changé grâce à cela",
            "les idées reçues",
            "son héritage durable",
            "les questions encore ouvertes",
        ),
        tones={
            "Kids": ("Imagine {topic}, et surtout {aspect} !", "N'est-ce pas incroyable ?"),
            "Young Adults": (
                "Représente-toi ceci : {topic}, et en particulier {aspect}.",
                "Cela a tout changé.",
            ),
            "Adults": (
                "Considérons {topic}, et en particulier {aspect}.",
                "Les conséquences ont été durables.",
            ),
            "Academic": (
                "Les historiens abordent {topic} sous cet angle : {aspect}.",
                "Les sources restent débattues.",
            ),
            "Enthusiast/Niche": (
                "Creusons un peu plus {topic} : {aspect}.",
                "Ce genre de détail compte.",
            ),
        },
        body=(
            "Pour le comprendre, partons de ceci : {aspect}.",
            "Cette partie de l'histoire éclaire d'un jour nouveau {aspect}.",
            "Les petits détails expliquent une grande partie de la suite.",
            "Gardons cela en tête pour la suite.",
        ),
        audiences={
            "Kids": "les enfants",
            "Young Adults": "les jeunes adultes",
            "Adults": "les adultes",
            "Academic": "un public universitaire",
            "Enthusiast/Niche": "les passionnés",
        },
        summary="Une leçon de {seconds} secondes sur {topic} pour {audience}, qui aborde "
        "{aspects}.",
        title_fill=("Expliqué", "Aujourd'hui"),
    ),
    "de": Phrases(
        aspects=(
            "wo alles begann",
            "die zentralen Ideen",
            "die beteiligten Menschen",
            "ein Wendepunkt",
            "wie es in der Praxis funktionierte",
            "der Alltag rundherum",
            "was sich dadurch veränderte",
            "verbreitete Irrtümer",
            "das bleibende Erbe",
            "offene Fragen",
        ),
        tones={
            "Kids": ("Stell dir vor: {topic}, und vor allem {aspect}!", "Ist das nicht toll?"),
            "Young Adults": (
                "Mal ehrlich: {topic}, und besonders {aspect}.",
                "Das hat alles verändert.",
            ),
            "Adults": (
                "Betrachten wir {topic}, insbesondere {aspect}.",
                "Die Folgen waren nachhaltig.",
            ),
            "Academic": (
                "Die Forschung betrachtet {topic} unter diesem Aspekt: {aspect}.",
                "Die Quellenlage bleibt umstritten.",
            ),
            "Enthusiast/Niche": (
                "Gehen wir bei {topic} tiefer ins Detail: {aspect}.",
                "Gerade solche Details zählen.",
            ),
        },
        body=(
            "Um das zu verstehen, beginnen wir hiermit: {aspect}.",
            "Dieser Teil der Geschichte wirft neues Licht darauf: {aspect}.",
            "Kleine Details erklären hier vieles von dem, was folgte.",
            "Behalten wir das im Hinterkopf, während wir weitergehen.",
        ),
        audiences={
            "Kids": "Kinder",
            "Young Adults": "junge Erwachsene",
            "Adults": "Erwachsene",
            "Academic": "ein akademisches Publikum",
            "Enthusiast/Niche": "Kenner",
        },
        summary="Eine Lektion von {seconds} Sekunden über {topic} für {audience}, mit den "
        "Themen: {aspects}.",
        title_fill=("Erklärt", "Heute"),
    ),
    "tr": Phrases(
        aspects=(
            "her şeyin başladığı yer",
            "temel fikirler",
            "işin içindeki insanlar",
            "bir dönüm noktası",
            "uygulamada nasıl işlediği",
            "çevresindeki gündelik hayat",
            "onun sayesinde değişenler",
            "yaygın yanılgılar",
            "kalıcı mirası",
            "hâlâ açık olan sorular",
        ),
        tones={
            "Kids": ("Hayal et: {topic}! Özellikle de {aspect}.", "Harika değil mi?"),
            "Young Adults": (
                "Şunu bir düşün: {topic}, özellikle de {aspect}.",
                "Bu her şeyi değiştirdi.",
            ),
            "Adults": ("Konumuz {topic}; özellikle {aspect}.", "Sonuçları kalıcı oldu."),
            "Academic": (
                "Tarihçiler şu konuyu bu açıdan inceler: {topic}. Açı: {aspect}.",
                "Kanıtlar hâlâ tartışmalı.",
            ),
            "Enthusiast/Niche": (
                "Biraz daha derine inelim: {topic}. Sıradaki: {aspect}.",
                "Bu tür ayrıntılar önemlidir.",
            ),
        },
        body=(
            "Bunu anlamak için şuradan başlıyoruz: {aspect}.",
            "Hikâyenin bu bölümü yeni bir bakış sunuyor: {aspect}.",
            "Buradaki küçük ayrıntılar sonrasını büyük ölçüde açıklıyor.",
            "İlerlerken bunu aklımızda tutalım.",
        ),
        audiences={
            "Kids": "çocuklar",
            "Young Adults": "gençler",
            "Adults": "yetişkinler",
            "Academic": "akademik dinleyiciler",
            "Enthusiast/Niche": "meraklılar",
        },
        summary="{audience} için {seconds} saniyelik bir ders: {topic}. İçerik: {aspects}.",
        title_fill=("Anlatımı", "Bugün"),
    ),
}
