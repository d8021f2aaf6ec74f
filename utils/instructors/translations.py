"""Translation catalogs of the notebooks' markdown, kept with Babel.

The English notebooks are the masters. Their markdown is cut into paragraphs (the top-level
blocks a Markdown parser finds: a paragraph, a heading, a list, a table, a quote, a fenced
block), and each paragraph becomes one gettext entry whose context (``msgctxt``) is the id of
its cell. One template per notebook, one Korean catalog per template:

    locale/templates/notebooks/01_behind_the_pipeline.pot   what there is to translate
    locale/ko/notebooks/01_behind_the_pipeline.po            its Korean translation

Lessons come from ``notebooks/``; exercises are derived from ``solutions/``, so the catalog of a
solution notebook serves its exercise notebook too.

The messages of ``utils/`` (verdicts, hints, quiz text, the grader's table, figure labels) have
catalogs of the same kind, one per module, with Babel's Python extractor finding every
template passed to ``_()`` or ``N_()`` (see ``utils.language``); they have no context:

    locale/templates/utils/grading.answers.pot                what there is to translate
    locale/ko/utils/grading.answers.po                         its Korean translation
    locale/ko/LC_MESSAGES/course.mo                            every finished entry, compiled


    python -m utils.instructors.translations update   # after an English change (also compiles)
    python -m utils.instructors.translations status   # what is translated, per catalog

``update`` rewrites the templates from the notebooks and merges them into the catalogs with
Babel: a paragraph whose English changed keeps its old translation, marked fuzzy (stale), with
the old English beside it (``#| msgid``); a new paragraph gets an empty entry. A catalog is
*complete* when every paragraph of its template has a translation that is not fuzzy; only
then does the notebook get a Korean edition (``utils.instructors.korean_edition``).

Babel's own command can use the extractor too: with a mapping file holding the line
``[utils.instructors.translations.extract_notebook: notebooks/**.ipynb]``,
``PYTHONPATH=. pybabel extract -F that_file -o all.pot .`` writes one template for every lesson
(``#: path:N`` is then the cell's position).
"""

import argparse
import io
import re
import sys
import tomllib
from collections import Counter

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from markdown_it import MarkdownIt

from utils import REPO_ROOT

LOCALE = REPO_ROOT / "locale"
TEMPLATES = LOCALE / "templates"
LANGUAGES = ["ko"]
SOURCE_FOLDERS = ["notebooks", "solutions"]
MESSAGE_FOLDERS = ["utils", "utils/grading"]  # the modules whose messages a learner reads
MESSAGE_KEYWORDS = {"_": None, "N_": None}  # utils.language's two markers
COMPILED = "LC_MESSAGES/course.mo"  # under locale/<language>/, read by utils.language
# A Babel keyword whose first argument is the context: entries come out with a msgctxt.
WITH_CONTEXT = "pgettext"


def markdown_parser():
    """The Markdown parser the catalogs use: CommonMark with tables, as JupyterLab renders."""
    return MarkdownIt("commonmark").enable("table")


def paragraphs(markdown):
    """The translatable blocks of a cell's markdown, as ``(first line, end line, text)``.

    A block is what the parser finds at the top level: a paragraph, heading, list, table,
    quote, fenced block. Line numbers count from 0; ``end line`` is one past the block. A
    block without a single letter (a rule, a table's lone separator) is not translated.
    """
    lines = markdown.split("\n")
    found = []
    for token in markdown_parser().parse(markdown):
        if token.level != 0 or token.nesting < 0 or not token.map:
            continue
        start, end = token.map
        while end > start and not lines[end - 1].strip():
            end -= 1
        text = "\n".join(lines[start:end])
        if re.search(r"[^\W\d_]", text):
            found.append((start, end, text))
    return found


def source_notebooks():
    """The English notebooks that have catalogs: every lesson and every solution notebook."""
    found = []
    for folder in SOURCE_FOLDERS:
        found += sorted((REPO_ROOT / folder).glob("*.ipynb"))
    return found


def source_modules():
    """The modules of ``utils`` whose messages have catalogs: those that use ``utils.language``."""
    found = []
    for folder in MESSAGE_FOLDERS:
        for path in sorted((REPO_ROOT / folder).glob("*.py")):
            if "from utils.language import" in path.read_text(encoding="utf-8"):
                found.append(path)
    return found


def sources():
    """Everything that has a catalog: the English notebooks, then the modules of ``utils``."""
    return source_notebooks() + source_modules()


def module_name(path):
    """A module's name inside ``utils``, as its catalog is named: ``grading.answers``."""
    return ".".join(path.resolve().relative_to(REPO_ROOT / "utils").with_suffix("").parts)


def relative(path):
    """A path inside the course, as the catalogs write it (``notebooks/02_models.ipynb``)."""
    return path.resolve().relative_to(REPO_ROOT).as_posix()


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor: one message per markdown paragraph, its context the cell's id.

    Yields Babel's ``(lineno, funcname, messages, comments)``; the line number is the cell's
    position in the notebook (1 for the first cell).
    """
    notebook = nbformat.read(io.TextIOWrapper(fileobj, encoding="utf-8"), as_version=4)
    for position, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            for _, _, text in paragraphs(cell.source):
                yield position, WITH_CONTEXT, (cell.id, text), []


def template(path):
    """The catalog template of one English notebook or ``utils`` module, freshly extracted."""
    catalog = new_catalog(path)
    with open(path, "rb") as file:
        if path.suffix == ".py":
            found = extract("python", file, keywords=MESSAGE_KEYWORDS)
        else:
            found = extract(extract_notebook, file)
        for _, text, _, context in found:
            catalog.add(text, locations=[(relative(path), None)], context=context)
    return catalog


def new_catalog(path, language=None):
    """An empty catalog for an English notebook, with the course's header."""
    with open(REPO_ROOT / "pyproject.toml", "rb") as file:
        settings = tomllib.load(file)
    return Catalog(
        locale=language,
        header_comment=(
            f"# Source: {relative(path)}\n"
            + (
                "# One entry per template given to _() or N_().\n"
                if path.suffix == ".py"
                else "# One entry per markdown paragraph; msgctxt is the cell id.\n"
            )
            + "# Refresh with: python -m utils.instructors.translations update"
        ),
        project=settings["project"]["name"],
        version=settings["project"]["version"],
        msgid_bugs_address=settings["tool"]["course"]["repository"] + "/issues",
        copyright_holder="the course's authors",
        language_team=language or "",
        fuzzy=False,
    )


def catalog_name(path):
    """A source's catalog, as a folder and a name: ``notebooks/02_models``, ``utils/grade``."""
    if path.suffix == ".py":
        return f"utils/{module_name(path)}"
    return f"{path.parent.name}/{path.stem}"


def template_path(path):
    """Where the template of an English notebook or module lives."""
    return TEMPLATES / f"{catalog_name(path)}.pot"


def catalog_path(path, language):
    """Where the translation of an English notebook or module into ``language`` lives."""
    return LOCALE / language / f"{catalog_name(path)}.po"


def read(path, language=None):
    """A catalog (``.po``) or template (``.pot``) read from disk."""
    with open(path, "rb") as file:
        return read_po(file, locale=language)


def po_text(catalog):
    """A catalog as the repository stores it: no line numbers, previous English kept."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, include_lineno=False, include_previous=True, ignore_obsolete=True)
    return buffer.getvalue().decode("utf-8")


def entries(catalog):
    """What a catalog says, header left out: one tuple per entry, in order."""
    return [
        (
            message.context,
            message.id,
            message.string or "",
            sorted(message.flags),
            message.locations,
            message.previous_id,
        )
        for message in catalog
        if message.id
    ]


def write_if_changed(catalog, path, on_disk):
    """Write ``catalog`` to ``path`` unless ``on_disk`` already says the same; True if written."""
    if on_disk is not None and entries(on_disk) == entries(catalog):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(po_text(catalog), encoding="utf-8")
    return True


def update(paths=None, languages=LANGUAGES):
    """Refresh the templates from the English notebooks and merge them into every catalog.

    Returns one line per file written. Changed English keeps its old translation, marked
    fuzzy; a new paragraph gets an empty entry; a paragraph that is gone leaves its catalog.
    """
    written = []
    for path in paths or sources():
        fresh = template(path)
        pot = template_path(path)
        if write_if_changed(fresh, pot, read(pot) if pot.exists() else None):
            written.append(f"template  {pot.relative_to(REPO_ROOT)}")
        for language in languages:
            po = catalog_path(path, language)
            on_disk = read(po, language) if po.exists() else None
            merged = read(po, language) if po.exists() else new_catalog(path, language)
            merged.update(fresh, update_creation_date=False)
            if write_if_changed(merged, po, on_disk):
                written.append(f"catalog   {po.relative_to(REPO_ROOT)}")
    if paths is None:
        for language in languages:
            if compile_messages(language):
                written.append(f"compiled  {(LOCALE / language / COMPILED).relative_to(REPO_ROOT)}")
    return written


def finished_messages(language):
    """Every finished entry of the ``utils`` catalogs of ``language``: {English: translation}.

    A missing or stale (fuzzy) entry is left out, so ``_()`` shows its English.
    """
    finished = {}
    for path in source_modules():
        po = catalog_path(path, language)
        if po.exists():
            for message in read(po, language):
                if message.id and message.string and not message.fuzzy:
                    finished.setdefault(message.id, message.string)
    return finished


def compile_messages(language):
    """Write ``locale/<language>/LC_MESSAGES/course.mo`` unless it already says the same.

    Returns True when written.
    """
    path = LOCALE / language / COMPILED
    finished = finished_messages(language)
    if path.exists():
        with open(path, "rb") as file:
            if {m.id: m.string for m in read_mo(file) if m.id} == finished:
                return False
    catalog = Catalog(locale=language, project="course", fuzzy=False)
    for english, translated in finished.items():
        catalog.add(english, translated)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as file:
        write_mo(file, catalog)
    return True


def key(message):
    """How an entry is looked up: its cell id and its English."""
    return (message.context, message.id)


def unfinished(catalog, fresh):
    """The entries of template ``fresh`` that ``catalog`` does not translate yet.

    Returns ``(missing, stale)``: entries with no translation (or not in the catalog at all),
    and entries whose translation is marked fuzzy because the English changed.
    """
    translated = {key(message): message for message in catalog if message.id}
    missing, stale = [], []
    for message in fresh:
        if not message.id:
            continue
        found = translated.get(key(message))
        if found is None or not found.string:
            missing.append(message)
        elif found.fuzzy:
            stale.append(found)
    return missing, stale


def complete_catalog(path, language):
    """The catalog of an English notebook if it translates every paragraph of it, else None.

    This is the rule for the Korean edition: a notebook gets its Korean twin only when no
    paragraph of its current English is missing or stale in its catalog.
    """
    po = catalog_path(path, language)
    if not po.exists():
        return None
    catalog = read(po, language)
    missing, stale = unfinished(catalog, template(path))
    return None if missing or stale else catalog


def translate_markdown(markdown, cell_id, catalog):
    """A cell's markdown with each paragraph replaced by its translation in ``catalog``."""
    lines = markdown.split("\n")
    for start, end, text in reversed(paragraphs(markdown)):
        lines[start:end] = catalog.get(text, context=cell_id).string.split("\n")
    return "\n".join(lines)


def markup(text):
    """What a translation must keep of a paragraph: code, links, emphasis, numbers.

    Read with the Markdown parser, so that emphasis counts only where it really renders
    (``**"x"**는`` is no emphasis: a closing ``**`` after punctuation needs a space after it).
    Returns a dict of counters: inline code, link and image targets, emphasis and strong
    emphasis, HTML tags, fenced blocks' info strings, ``{placeholders}`` and the numbers
    written in the text.
    """
    names = ("code", "links", "emphasis", "html", "fences", "placeholders", "numbers")
    found = {name: Counter() for name in names}

    def walk(tokens):
        for token in tokens:
            if token.type == "code_inline":
                found["code"][token.content] += 1
            elif token.type in ("link_open", "image"):
                found["links"][token.attrs.get("href") or token.attrs.get("src")] += 1
            elif token.type in ("em_open", "strong_open"):
                found["emphasis"][token.type] += 1
            elif token.type in ("html_inline", "html_block"):
                found["html"].update(re.findall(r"</?[A-Za-z]+", token.content))
            elif token.type == "fence":
                found["fences"][token.info] += 1
            elif token.type == "text":
                found["numbers"].update(NUMBER.findall(token.content))
                found["placeholders"].update(PLACEHOLDER.findall(token.content))
            walk(token.children or [])

    walk(markdown_parser().parse(text))
    return found


# A template's placeholder, as str.format reads it: {name}, {value!r}, {share:.3f}.
PLACEHOLDER = re.compile(r"\{\w*(?:![rsa])?(?::[^{}]*)?\}")

# A number written in digits, not part of a name such as T1 or fp16. A number with a word
# of magnitude is left out: "110 million" is 1억 1천만 in Korean, other digits for one number.
NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])\d+(?:[.,]\d+)*(?![.,]?\d)(?!\s*(?:thousand|million|billion|천|만|억))"
)


def markup_differences(english, translation):
    """How a translation's markup differs from its English paragraph (empty when it does not)."""
    differences = []
    theirs, ours = markup(english), markup(translation)
    for name, counted in theirs.items():
        if name == "numbers":
            if set(counted) != set(ours[name]):
                differences.append(f"numbers {sorted(counted)} became {sorted(ours[name])}")
        elif counted != ours[name]:
            differences.append(f"{name} {dict(counted)} became {dict(ours[name])}")
    return differences


# A Korean particle whose form depends on the last sound of the word before it (을/를, 이/가,
# 은/는, 과/와, 으로/로). After code that sound is anyone's guess: write a noun before it
# (`tokenize()` 메서드를).
PARTICLE_AFTER_CODE = re.compile(
    r"`[^`\n]+`(?:을|를|은|는|이|가|과|와|(?:으로|로)(?:는|도|서|써)?)(?=[\s.,;:!?)]|$)"
)


def particles_after_code(translation):
    """The places where a sound-dependent particle follows inline code directly."""
    return [match.group(0) for match in PARTICLE_AFTER_CODE.finditer(translation)]


def prose(text):
    """A paragraph without code, link targets or fenced blocks: what a term check reads."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"\]\([^)]*\)", "] ", text)


def read_terminology(language="ko"):
    """The glossary ``locale/<language>/TERMINOLOGY.md``: a list of dicts, one per concept.

    Each has ``english`` (the forms), ``korean`` (the one term) and ``rejected`` (variants
    that must not appear), read from the Markdown table.
    """
    rows = []
    for line in (LOCALE / language / "TERMINOLOGY.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in ("English (forms)", "---"):
            continue
        english, korean, rejected, source, why = cells
        rows.append(
            {
                "english": [form.strip() for form in english.split(",")],
                "korean": korean,
                "rejected": [form.strip() for form in rejected.split(",") if form.strip()],
                "source": source,
                "why": why,
            }
        )
    return rows


def terminology_problems(english, translation, glossary):
    """Where a translation strays from the glossary: a term not used, a rejected variant used.

    A rejected variant is looked for after every chosen Korean term is taken out, so that
    사전 (rejected for "dictionary") is not found inside 사전 학습된.
    """
    problems = []
    english_words, korean = prose(english), prose(translation)
    for row in glossary:
        forms = "|".join(re.escape(form) for form in row["english"])
        if re.search(rf"(?<![\w-])(?:{forms})(?![\w-])", english_words, flags=re.I):
            if row["korean"] not in korean:
                problems.append(f"'{row['english'][0]}' is not translated as {row['korean']}")
    rest = korean
    for row in sorted(glossary, key=lambda row: -len(row["korean"])):
        rest = rest.replace(row["korean"], " ")
    for row in glossary:
        for variant in row["rejected"]:
            if variant in rest:
                problems.append(f"{variant} is used where the glossary says {row['korean']}")
    return problems


def words(text):
    """How many words a text has (runs of letters or digits)."""
    return len(re.findall(r"[^\W_]+", text))


def status(language="ko"):
    """One line per English notebook: entries, English words, and how many are translated."""
    lines = []
    for path in sources():
        fresh = template(path)
        po = catalog_path(path, language)
        catalog = read(po, language) if po.exists() else new_catalog(path, language)
        missing, stale = unfinished(catalog, fresh)
        english = [message for message in fresh if message.id]
        done = len(english) - len(missing) - len(stale)
        lines.append(
            f"{relative(path):52} {len(english):3} entries {sum(words(m.id) for m in english):5}"
            f" words  {done:3} translated {len(stale):3} stale {len(missing):3} missing"
        )
    return lines


def main(argv=None):
    """``update`` the templates and catalogs, or print their ``status``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "status"])
    args = parser.parse_args(argv)
    if args.command == "update":
        written = update()
        print("\n".join(written) if written else "Templates and catalogs are up to date.")
    else:
        print("\n".join(status()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
