"""A synthetic Wiro catalogue: N realistic model specs, deterministic for a given seed.

The shapes come from the three seed specs in ``specs/models`` and the catalogue patterns of the
importer issue: 5-46 inputs per model, every input type, selects of up to 166 options, and the select
lists that many models share (schedulers, languages, voices, aspect ratios, output formats,
checkpoint lists). Strings carry the oddities real pages have (translation keys, HTML entities,
JSON snippets, emoji, curly quotes, ``#hex`` values, values with commas and apostrophes), so the
benchmark exercises the same code paths as the real catalogue.

``python -m bench.synth N DEST`` writes ``DEST/providers/wiro.yaml`` and ``DEST/models/**.yaml``.
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.normalize import naming

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# yaml-language-server: $schema=../../schema/model.schema.json\n"

Option = dict[str, Any]
Spec = dict[str, Any]

# --- Select lists many models share --------------------------------------------------------------

SCHEDULERS = [
    "FlowMatchEulerDiscreteScheduler",
    "EulerDiscreteScheduler",
    "DDIMScheduler",
    "LMSDiscreteScheduler",
    "DPMSolverMultistepScheduler",
    "PNDMScheduler",
    "DDPMScheduler",
    "EulerAncestralDiscreteScheduler",
]
ASPECT_RATIOS = [
    "1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "4:5", "5:4", "21:9", "9:21", "2:1", "1:2",
]  # fmt: skip
LANGUAGE_NAMES = [
    "English", "Turkish", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Polish",
    "Russian", "Ukrainian", "Czech", "Slovak", "Hungarian", "Romanian", "Bulgarian", "Greek",
    "Swedish", "Norwegian", "Danish", "Finnish", "Icelandic", "Estonian", "Latvian", "Lithuanian",
    "Arabic", "Hebrew", "Persian", "Urdu", "Hindi", "Bengali", "Punjabi", "Gujarati", "Marathi",
    "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Nepali", "Thai", "Lao", "Khmer",
    "Burmese", "Vietnamese", "Indonesian", "Malay", "Filipino", "Chinese (Mandarin)",
    "Chinese (Cantonese)", "Japanese", "Korean", "Mongolian", "Kazakh", "Uzbek", "Azerbaijani",
    "Georgian", "Armenian", "Albanian", "Serbian", "Croatian", "Bosnian", "Slovenian",
    "Macedonian", "Belarusian", "Catalan", "Basque", "Galician", "Welsh", "Irish",
    "Scottish Gaelic", "Breton", "Maltese", "Luxembourgish", "Afrikaans", "Swahili", "Zulu",
    "Xhosa", "Yoruba", "Igbo", "Hausa", "Amharic", "Somali", "Tigrinya", "Malagasy", "Haitian Creole",
    "Esperanto", "Latin", "Tajik", "Turkmen", "Kyrgyz", "Pashto", "Sindhi", "Tatar", "Bashkir",
    "Faroese", "Hawaiian", "Maori", "Samoan", "Tongan",
]  # fmt: skip
LANGUAGES = [(name.lower().replace(" ", "-").strip("()"), name) for name in LANGUAGE_NAMES]
VOICE_NAMES = [
    "Bella", "Sarah", "Nicole", "Sky", "Adam", "Michael", "Emma", "Isabella", "George", "Lewis",
    "Alice", "Lily", "Daniel", "Fable", "Onyx", "Nova", "Shimmer", "Echo", "Alloy", "Ash", "Coral",
    "Sage", "Ballad", "Verse", "Aria", "Roger", "Charlotte", "Callum", "Liam", "Matilda", "Will",
    "Jessica", "Eric", "Chris", "Brian", "Bill", "River", "Laura", "Charlie", "Dorothy", "Ethan",
    "Freya", "Gigi", "Giovanni", "Glinda", "Grace", "Harry", "James", "Jeremy", "Joseph", "Josh",
    "Mimi", "Nicholas", "Patrick", "Rachel", "Sam", "Serena", "Thomas", "Antoni", "Domi",
]  # fmt: skip
VOICES = [
    (f"{'af' if i % 2 else 'am'}_{name.lower()}", f"{name} ({'female' if i % 2 else 'male'})")
    for i, name in enumerate(VOICE_NAMES)
]
OUTPUT_FORMATS = ["jpeg", "png", "webp"]
RESOLUTIONS = ["480p", "720p", "1080p"]
DURATIONS = ["5", "10"]
_AUTHORS = [
    "Lykon", "SG161222", "RunDiffusion", "Zavy", "KandooAI", "stabilityai", "Adel_AI", "Splashed",
    "Magenttta", "StableDiffusionVN", "LEOSAM", "Hevok", "Aurety", "sinatra", "J1B", "epiTune",
]  # fmt: skip
_STYLES = [
    "Real", "Dream", "Vision", "Chroma", "Juggernaut", "Shaper", "Mix", "Photo", "Anime",
    "Cartoon", "Cinematic", "Pixel", "Nexus", "Halcyon", "Tornado", "Serene",
]  # fmt: skip


def _checkpoints(count: int, salt: int) -> list[Option]:
    """A list of model checkpoints like instant-id's ``selectedModel`` (values are numeric ids)."""
    out = []
    for i in range(count):
        author = _AUTHORS[(i * 7 + salt) % len(_AUTHORS)]
        style = _STYLES[(i * 5 + salt * 3) % len(_STYLES)]
        label = f"{author}/{style}{'XL' if i % 3 else ''} v{i % 11}.{(i + salt) % 10}"
        option: Option = {"value": str(1300 - i * 7 - salt), "label": label}
        if i % 4 == 0:
            option["description"] = (
                f"A text-to-image model trained on Stable Diffusion XL ({style})."
            )
        if i % 13 == 5:
            option["trigger_words"] = [f"{style.lower()} style", "masterpiece"]
        out.append(option)
    return out


CHECKPOINT_LISTS = {
    "sdxl-166": _checkpoints(166, 0),
    "sdxl-53": _checkpoints(53, 1),
    "sd15-21": _checkpoints(21, 2),
}


def _plain(values: list[str]) -> list[Option]:
    return [{"value": v, "label": v} for v in values]


# --- Strings with the oddities real pages have ---------------------------------------------------

_PROMPTS = [
    "A quiet, sun-drenched Los Angeles street from a low, eye-level perspective, cinematic lighting",
    "Epic gladiator standing in a Colosseum arena, wearing golden armor, detailed textures, 4k",
    "A child playing with a paper boat in a puddle after the rain",
    "A futuristic city skyline at night, glowing neon signs and flying vehicles",
    "Portrait of a woman with freckles, soft light \u2014 \u201cnatural\u201d textures \U0001f338",
    'A poster that says "OPEN" in bold {neon} letters',
]
_HELP_TEXTS = [
    "Text prompt for image generation.",
    "Tolerance level for input and output moderation. Between 0 and 6, 0 being most strict.",
    "Use &lt;b&gt;bold&lt;/b&gt; words for emphasis &amp; weight.",
    'JSON settings, e.g. {"camera": "pan-left", "speed": 0.5}.',
    "Whether to perform upsampling on the prompt \U0001f680 for more creative generation.",
    "\U0001d401\U0001d428\U0001d425\U0001d41d setting: higher means stronger.",
    "The model\u2019s \u201ccreativity\u201d: don't set it too high.",
    'Path like C:\\images\\input.png or a URL; triple quotes """ are kept.',
]


@dataclass(frozen=True)
class Picker:
    """Random choices for one model, from a seeded generator."""

    rng: random.Random

    def help(self, name: str) -> str:
        if self.rng.random() < 0.45:
            return f"{name.lower()}-help"  # a translation key, as most Wiro pages have
        return self.rng.choice(_HELP_TEXTS)

    def label(self, name: str) -> str:
        if self.rng.random() < 0.4:
            return name.lower()  # a translation key
        return " ".join(naming.words(name)).capitalize()


# --- Inputs ---------------------------------------------------------------------------------------

InputMaker = Callable[[Picker, str], dict[str, Any]]


def _base(p: Picker, name: str, kind: str) -> dict[str, Any]:
    return {"name": name, "type": kind, "label": p.label(name), "help": p.help(name)}


def text(default: str | None = "") -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, "text")
        if default is not None:
            spec["default"] = default
        return spec

    return make


def textarea(p: Picker, name: str) -> dict[str, Any]:
    spec = _base(p, name, "textarea")
    if p.rng.random() < 0.7:
        spec["default"] = p.rng.choice(_PROMPTS)
    return spec


def secret(p: Picker, name: str) -> dict[str, Any]:
    return {**_base(p, name, "text"), "secret": True, "required": False}


def select(options: list[Option], default_index: int = 0, kind: str = "select") -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, kind)
        spec["default"] = options[min(default_index, len(options) - 1)]["value"]
        spec["options"] = options
        return spec

    return make


def open_select(p: Picker, name: str) -> dict[str, Any]:
    """A select with no options: any text (``selectedModelPrivate``)."""
    return {**_base(p, name, "select"), "default": "", "options": []}


def boolean_select(
    true_value: str, false_value: str, true_label: str, false_label: str
) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, "select")
        spec["default"] = false_value
        spec["boolean"] = {"true_value": true_value, "false_value": false_value}
        spec["options"] = [
            {"value": false_value, "label": false_label},
            {"value": true_value, "label": true_label},
        ]
        return spec

    return make


def multiselect(options: list[Option], defaults: int = 1) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, "multiselect")
        spec["default"] = ",".join(o["value"] for o in options[:defaults])
        spec["options"] = options
        if p.rng.random() < 0.2:
            spec["separator"] = ";"
            spec["default"] = ";".join(o["value"] for o in options[:defaults])
        return spec

    return make


def number(low: int, high: int, default: int) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, "number")
        spec["default"] = default
        if p.rng.random() < 0.6:
            spec["min"], spec["max"] = low, high
        return spec

    return make


def float_(default: float) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        return {**_base(p, name, "float"), "default": default}

    return make


def range_(low: float, high: float, step: float, default: float) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        return {
            **_base(p, name, "range"),
            "default": default,
            "min": low,
            "max": high,
            "step": step,
        }

    return make


def checkbox(flag: str | None = None) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, "checkbox")
        if flag is None:
            spec["default"] = p.rng.random() < 0.5
        else:  # a flag string as the "on" value (`--id_mix`)
            spec["default"] = flag
            spec["boolean"] = {"true_value": flag, "false_value": ""}
        return spec

    return make


def fileinput(required: bool = True) -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, "fileinput")
        if not required:
            spec["required"] = False
        return spec

    return make


def multifile(kind: str = "multifileinput") -> InputMaker:
    def make(p: Picker, name: str) -> dict[str, Any]:
        spec = _base(p, name, kind)
        if kind == "combinefileinput" and p.rng.random() < 0.5:
            spec["default"] = "https://cdn.wiro.ai/samples/a.png,https://cdn.wiro.ai/samples/b.png"
        else:
            spec["required"] = False
        if p.rng.random() < 0.3:
            spec["separator"] = ";"
            if "default" in spec:
                spec["default"] = spec["default"].replace(",", ";")
        return spec

    return make


_COLOURS = [
    {"value": "#ff0000", "label": "#FF0000 red"},
    {"value": "#00ff00", "label": "#00FF00 green"},
    {"value": "#0000ff", "label": "#0000FF blue"},
    {"value": "black, white", "label": "Black, white"},
    {"value": "artist's palette", "label": "[Artist's] palette"},
]
_STYLE_OPTIONS = _plain(["vivid", "natural", "anime", "photographic", "digital-art", "comic-book"])
_CAMERA_MOTIONS = _plain(["pan-left", "pan-right", "zoom-in", "zoom-out", "tilt-up", "static"])

SHARED: dict[str, InputMaker] = {
    "scheduler": select(_plain(SCHEDULERS), 7),
    "aspectRatio": select(_plain(ASPECT_RATIOS), 1),
    "outputFormat": select(_plain(OUTPUT_FORMATS), 1),
    "language": select([{"value": v, "label": lab} for v, lab in LANGUAGES]),
    "voice": select([{"value": v, "label": lab} for v, lab in VOICES]),
    "resolution": select(_plain(RESOLUTIONS), 1),
    "duration": select(_plain(DURATIONS)),
}
"""Inputs whose option list is the same across the models that have them."""

EXTRAS: dict[str, InputMaker] = {
    "negativePrompt": textarea,
    "seed": text("42"),
    "steps": number(1, 150, 30),
    "scale": float_(7.5),
    "samples": number(1, 4, 1),
    "strength": range_(0, 1, 0.05, 0.8),
    "width": number(64, 2048, 1024),
    "height": number(64, 2048, 1024),
    "loraScale": range_(0, 2, 0.1, 1),
    "loraUrl": fileinput(required=False),
    "clipSkip": number(1, 12, 2),
    "denoise": range_(0, 1, 0.01, 0.75),
    "fps": range_(8, 60, 1, 24),
    "faceEnhance": checkbox(),
    "IDmix": checkbox("--id_mix"),
    "promptUpsampling": boolean_select("true", "false", "YES", "NO"),
    "Watermark": boolean_select("1", "0", "On", "Off"),
    "safetyChecker": boolean_select("True", "False", "True", "False"),
    "maskImageUrl": fileinput(required=False),
    "referenceImages": multifile(),
    "inputVideos": multifile("combinefileinput"),
    "style": select(_STYLE_OPTIONS),
    "styles": multiselect(_STYLE_OPTIONS, 2),
    "colorPalette": select(_COLOURS, kind="selectwithcover"),
    "cameraMotion": multiselect(_CAMERA_MOTIONS),
    "webhookSecret": secret,
    "IDscale": float_(0.8),
    "type": select(_plain(["image", "video"])),
    "filter": text(""),
    "systemInstructions": textarea,
    "temperature": range_(0, 2, 0.1, 0.7),
    "topP": range_(0, 1, 0.05, 0.9),
    "maxTokens": number(1, 32768, 1024),
    "speed": range_(0.5, 2, 0.1, 1),
    "guidanceRescale": float_(0.0),
    "upscaleBy": select(_plain(["2", "4"])),
    "selectedModelPrivate": open_select,
    "safetyTolerance": select(_plain(["1", "2", "3", "4", "5", "6"]), 1),
    **SHARED,
}

# --- Model families --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """A kind of model: the inputs it always has, in page order, and its categories."""

    slug_words: tuple[str, ...]
    core: tuple[tuple[str, InputMaker], ...]
    categories: tuple[str, ...]


def _checkpoint_input(list_name: str) -> tuple[str, InputMaker]:
    return ("selectedModel", select(CHECKPOINT_LISTS[list_name], 3))


FAMILIES = [
    Family(
        ("flux", "sdxl", "imagen", "seedream", "dream"),
        (("prompt", textarea), ("aspectRatio", SHARED["aspectRatio"]), ("seed", text("42"))),
        ("tool", "text-to-image"),
    ),
    Family(
        ("instant", "portrait", "face", "avatar"),
        (
            _checkpoint_input("sdxl-53"),
            ("selectedModelPrivate", open_select),
            ("inputImageUrl", fileinput()),
            ("prompt", textarea),
            ("scheduler", SHARED["scheduler"]),
        ),
        ("tool", "image-to-image", "persistent"),
    ),
    Family(
        ("inpainting", "outpainting", "restyle", "sketch"),
        (
            _checkpoint_input("sd15-21"),
            ("inputImageUrl", fileinput()),
            ("inputImageMaskUrl", fileinput()),
            ("prompt", textarea),
            ("scheduler", SHARED["scheduler"]),
        ),
        ("tool", "sd", "inpainting"),
    ),
    Family(
        ("checkpoint", "realvis", "juggernaut"),
        (
            _checkpoint_input("sdxl-166"),
            ("prompt", textarea),
            ("scheduler", SHARED["scheduler"]),
            ("aspectRatio", SHARED["aspectRatio"]),
        ),
        ("tool", "text-to-image", "sd"),
    ),
    Family(
        ("veo", "kling", "wan", "hailuo", "seedance"),
        (
            ("prompt", textarea),
            ("inputImageUrl", fileinput(required=False)),
            ("resolution", SHARED["resolution"]),
            ("duration", SHARED["duration"]),
            ("aspectRatio", SHARED["aspectRatio"]),
        ),
        ("tool", "text-to-video", "video"),
    ),
    Family(
        ("tts", "voice", "speech", "kokoro"),
        (
            ("text", textarea),
            ("language", SHARED["language"]),
            ("voice", SHARED["voice"]),
            ("outputFormat", select(_plain(["mp3", "wav", "flac"]))),
        ),
        ("tool", "text-to-speech", "audio"),
    ),
    Family(
        ("chat", "llm", "translate", "summarize"),
        (
            ("prompt", textarea),
            ("language", SHARED["language"]),
            ("maxTokens", EXTRAS["maxTokens"]),
        ),
        ("tool", "llm", "text-generation"),
    ),
    Family(
        ("upscale", "restore", "remove-bg", "colorize"),
        (("inputImageUrl", fileinput()), ("outputFormat", SHARED["outputFormat"])),
        ("tool", "image-to-image"),
    ),
]

OWNERS = [
    ("wiro", 45),
    ("black-forest-labs", 8),
    ("google", 6),
    ("openai", 5),
    ("stabilityai", 5),
    ("kling-ai", 4),
    ("bytedance", 4),
    ("alibaba", 3),
    ("minimax", 3),
    ("meta", 2),
    ("ElevenLabs", 2),
    ("Ideogram AI", 2),
    ("runway", 2),
    ("tencent", 2),
    ("lightricks", 1),
    ("recraft-ai", 1),
    ("luma", 1),
    ("pixverse", 1),
    ("hexgrad", 1),
    ("microsoft", 1),
]


def input_count(rng: random.Random) -> int:
    """5-46 inputs, most models near a dozen (a long tail of workflow-style models)."""
    return max(5, min(46, int(rng.lognormvariate(2.45, 0.45))))


def model_spec(index: int, rng: random.Random) -> Spec:
    """One model spec as data (what its YAML file holds)."""
    family = FAMILIES[index % len(FAMILIES)]
    owner = rng.choices([o for o, _ in OWNERS], [w for _, w in OWNERS])[0]
    word = rng.choice(family.slug_words)
    version = f"{index % 4 + 1}.{index % 10}"
    slug = f"{word}-{index:04d}-v{version.replace('.', '-')}"
    pick = Picker(rng)
    inputs: list[dict[str, Any]] = []
    taken: set[str] = set()

    def add(name: str, make: InputMaker) -> None:
        py = naming.snake(name, "input")
        if py in taken:
            return
        taken.add(py)
        inputs.append(make(pick, name))

    for name, make in family.core:
        add(name, make)
    extras = list(EXTRAS.items())
    rng.shuffle(extras)
    wanted = input_count(rng)
    for name, make in extras:
        if len(inputs) >= wanted:
            break
        add(name, make)
    layer = 1
    while len(inputs) < wanted:  # workflow-style models: numbered node settings
        add(f"layer{layer}Strength", range_(0, 1, 0.05, 0.5))
        layer += 1
    spec: Spec = {
        "provider": "wiro",
        "name": f"{owner}/{word}-{index:04d}-v{version}",
        "endpoint": f"{owner}/{slug}",
        "title": f"{word.replace('-', ' ').title()} {index} v{version}",
        "description": (
            f"{rng.choice(_PROMPTS)}. A {family.categories[1]} model "
            f"(\u201c{word}\u201d family) served by Wiro."
        ),
        "cover": f"https://cdn.wiro.ai/uploads/models/{slug}-cover.png",
        "categories": list(family.categories),
        "inputs": inputs,
    }
    if rng.random() < 0.3:
        spec["tags"] = [word, family.categories[1]]
    examples = _examples(inputs, rng)
    if examples:
        spec["examples"] = examples
    return spec


def _examples(inputs: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    prompt = next((i["name"] for i in inputs if i["type"] == "textarea"), None)
    if prompt is None:
        return []
    out = []
    for _ in range(rng.randint(0, 6)):
        example: dict[str, Any] = {prompt: rng.choice(_PROMPTS)}
        for item in inputs:
            plain_select = (
                item["type"] == "select" and item.get("options") and "boolean" not in item
            )
            if plain_select and rng.random() < 0.3:
                example[item["name"]] = rng.choice(item["options"])["value"]
        out.append(example)
    return out


def catalogue(n: int, seed: int = 2024) -> list[Spec]:
    """``n`` model specs; the same ``n`` and ``seed`` give the same specs."""
    rng = random.Random(seed)
    return [model_spec(i, rng) for i in range(n)]


def spec_path(spec: Spec) -> str:
    """Where a spec goes under ``specs/``: ``models/<owner>/<slug>.yaml``."""
    return f"models/{spec['endpoint']}.yaml"


def spec_yaml(spec: Spec) -> str:
    return HEADER + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)


def write_catalogue(n: int, dest: Path, seed: int = 2024) -> list[Spec]:
    """Write a specs folder (the repository's provider plus ``n`` models) to ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "providers").mkdir(parents=True)
    shutil.copy(ROOT / "specs" / "providers" / "wiro.yaml", dest / "providers" / "wiro.yaml")
    specs = catalogue(n, seed)
    for spec in specs:
        path = dest / spec_path(spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec_yaml(spec), encoding="utf-8")
    return specs


def main(argv: list[str]) -> int:
    count, dest = int(argv[0]), Path(argv[1])
    write_catalogue(count, dest)
    print(f"{count} model specs in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
