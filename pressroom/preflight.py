"""Preflight: what a print shop (or an accessibility check) verifies before accepting a PDF."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .inks import multiply
from .poppler import ToolError
from .tag_checks import accessibility_checks
from .variants import MM, PAPER_MM

BLEED_MM = 3.0
TOLERANCE_PT = 1.0
# Content-stream scanning by pattern, not a full tokenizer (pypdf's is ~20× slower): strings
# are blanked first so text cannot look like an operator.
LITERAL_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.DOTALL)
RGB_OPERATOR = re.compile(rb"(?<![^\s\]>)])(rg|RG)(?![^\s\[<(/])")
SET_SPACE = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+(cs|CS)(?![^\s\[<(/])")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class PreflightReport:
    path: str
    variant: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def add(self, name: str, problems: list[str], passed: str = "") -> None:
        self.checks.append(Check(name, not problems, "; ".join(problems[:5]) or passed))


def _box(page, name: str):
    value = page.get(f"/{name}")
    return [float(v) for v in value] if value is not None else None


def _paper_of(width: float, height: float) -> str | None:
    for paper, (short, long) in PAPER_MM.items():
        dims = sorted((width, height))
        if abs(dims[0] - short * MM) <= TOLERANCE_PT and abs(dims[1] - long * MM) <= TOLERANCE_PT:
            return paper
    return None


def _is_rgb(space) -> bool:
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, list) and space:
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get_object().get("/N", 0)) == 3
        if family == "/Indexed":
            return _is_rgb(space[1])
        return family in ("/CalRGB", "/DeviceRGB")
    return str(space) in ("/DeviceRGB", "/CalRGB", "/RGB")


def _walk_resources(
    reader,
    resources,
    content,
    found: dict,
    seen: set,
    where: str = "",
    describe=lambda name, xobject: name,
) -> None:
    """Fonts, images and colour uses of one content stream and the forms it draws."""
    resources = resources.get_object() if resources is not None else {}
    spaces = resources.get("/ColorSpace", {})
    spaces = spaces.get_object() if hasattr(spaces, "get_object") else spaces
    for name, font in resources.get("/Font", {}).items():
        found["fonts"].append((str(name), font.get_object()))
    if content is not None:
        data = LITERAL_STRING.sub(b" ", content.get_data())
        for match in RGB_OPERATOR.finditer(data):
            found["rgb"].add(f"{where}{match.group(1).decode()} colour operator")
        for match in SET_SPACE.finditer(data):
            name = "/" + match.group(1).decode("latin-1")
            space = spaces.get(name) if name in spaces else name
            if _is_rgb(space):
                found["rgb"].add(f"{where}colour space {name}")
    for name, xobject in resources.get("/XObject", {}).items():
        xobject = xobject.get_object()
        key = id(xobject)
        if key in seen:
            continue
        seen.add(key)
        if xobject.get("/Subtype") == "/Image":
            if _is_rgb(xobject.get("/ColorSpace", "/DeviceGray")):
                found["rgb"].add(
                    f"{where}RGB image {describe(str(name), xobject)}; "
                    "convert it to the output intent's CMYK"
                )
        elif xobject.get("/Subtype") == "/Form":
            _walk_resources(
                reader, xobject.get("/Resources"), xobject, found, seen, where, describe
            )
    for name, shading in resources.get("/Shading", {}).items():
        if _is_rgb(shading.get_object().get("/ColorSpace")):
            found["rgb"].add(f"{where}RGB shading {name}")
    for pattern in resources.get("/Pattern", {}).values():
        pattern = pattern.get_object()
        if id(pattern) not in seen:
            seen.add(id(pattern))
            _walk_resources(
                reader,
                pattern.get("/Resources"),
                pattern if pattern.get("/PatternType") == 1 else None,
                found,
                seen,
                where,
                describe,
            )


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _image_sources(inputs: dict[str, Path]) -> dict[tuple[int, int], str]:
    """Pixel size -> input file, to name the file an image in the PDF came from."""
    from PIL import Image

    sources: dict[tuple[int, int], str] = {}
    for label, path in inputs.items():
        try:
            with Image.open(path) as image:
                sources.setdefault(image.size, label)
        except (OSError, ValueError, Image.DecompressionBombError):
            continue  # an SVG, or a file the build itself rejects with its own message
    return sources


def preflight(
    path: Path,
    variant: str | None = None,
    paper: str | None = None,
    inputs: dict[str, Path] | None = None,
) -> PreflightReport:
    """Check one PDF as an office or press file (guessed from the file when not given).
    `inputs` are the image files the document was made from (name -> path), to name them in
    findings."""
    try:
        reader = PdfReader(path)
        root: Any = reader.trailer["/Root"].get_object()
        pages = list(reader.pages)
    except (OSError, PdfReadError, KeyError, ValueError) as error:
        report = PreflightReport(str(path), variant or "unknown")
        report.add("readable", [f"not a readable PDF: {error}"])
        return report
    intents = root.get("/OutputIntents")
    variant = variant or ("press" if intents is not None else "office")
    report = PreflightReport(str(path), variant)
    found: dict = {"fonts": [], "rgb": set()}
    sources = _image_sources(inputs) if inputs else {}

    def describe(name: str, xobject) -> str:
        size = (int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0)))
        return f"{name} (from {sources[size]})" if size in sources else name

    for number, page in enumerate(pages, 1):
        _walk_resources(
            reader,
            page.get("/Resources"),
            page.get_contents(),
            found,
            set(),
            f"page {number}: ",
            describe,
        )

    unembedded = sorted(
        {str(font.get("/BaseFont", name)) for name, font in found["fonts"] if not _embedded(font)}
    )
    report.add(
        "fonts embedded",
        [f"font not embedded: {name}" for name in unembedded],
        f"{len(found['fonts'])} font resources, all embedded",
    )

    size_problems = []
    for number, page in enumerate(pages, 1):
        box = _box(page, "TrimBox" if variant == "press" else "MediaBox") or _box(page, "MediaBox")
        actual = _paper_of(box[2] - box[0], box[3] - box[1])
        if actual is None or (paper and actual != paper):
            wanted = paper or "A4 or Letter"
            size_problems.append(
                f"page {number}: {(box[2] - box[0]) / MM:.1f} × "
                f"{(box[3] - box[1]) / MM:.1f} mm is not {wanted}"
            )
    report.add("page size", size_problems, paper or "A4/Letter")

    report.add(
        "no embedded files, scripts or launch actions",
        _active_content(root, pages),
        "links are https, mailto, tel or internal only",
    )
    report.add("unique font subset tags", _shared_subset_tags(found["fonts"]), "one tag per subset")
    if variant == "press":
        _press_checks(report, reader, root, pages, intents, found, describe)
        _artwork_checks(report, Path(path), pages, describe)
    else:
        _office_checks(report, reader, root, pages, found["fonts"])
    return report


def _shared_subset_tags(fonts) -> list[str]:
    """Subset tags (ABCDEF+) that name more than one embedded font program in the file."""
    programs: dict[str, dict[int, str]] = {}
    for _, font in fonts:
        name = str(font.get("/BaseFont", ""))
        descendant = (
            font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
        )
        descriptor = descendant.get("/FontDescriptor")
        if not re.match(r"/[A-Z]{6}\+", name) or descriptor is None:
            continue
        descriptor = descriptor.get_object()
        file = next(
            (
                descriptor.raw_get(key)
                for key in ("/FontFile", "/FontFile2", "/FontFile3")
                if key in descriptor
            ),
            None,
        )
        key = getattr(file, "idnum", None) or id(descriptor)
        programs.setdefault(name[1:7], {})[key] = name[1:]
    return [
        f"subset tag {tag} names {len(names)} different font programs "
        f"({', '.join(sorted(set(names.values())))}); a RIP may merge them"
        for tag, names in sorted(programs.items())
        if len(names) > 1
    ]


def _artwork_checks(report, path: Path, pages, describe) -> None:
    """What the pages print: the bleed filled (rendered), and the ink rules (content streams)."""
    from .bleed import bleed_problems
    from .inks import PageInks, ink_findings, reaches_trim, scan_page

    found = PageInks()
    for number, page in enumerate(pages, 1):
        scan_page(page, number, found)
    # Only pages whose fills or images come near the trim are rendered (the slow part).
    near = {
        number
        for number, page in enumerate(pages, 1)
        if reaches_trim(found, number, _box(page, "TrimBox") or _box(page, "MediaBox"))
    }
    try:
        report.add(
            "artwork fills the bleed",
            bleed_problems(path, pages, BLEED_MM, near),
            f"backgrounds reach {BLEED_MM:g} mm past the trim",
        )
    except (OSError, ToolError) as error:
        report.add("artwork fills the bleed", [f"cannot render the pages: {error}"])
    findings = ink_findings(
        found,
        lambda name, xobject: (
            describe(name, xobject)[len(name) :].strip(" ()").removeprefix("from ")
        ),
    )
    passed = {
        "text inks": "text under 12 pt in one ink, headings in at most two",
        "tints": "every plate of a ground at 5 % or more",
        "total area coverage": "at most 300 % (vectors and images)",
        "registration marks": "marks in /Separation /All",
    }
    for rule, problems in findings.items():
        report.add(rule, problems, passed[rule])


SAFE_LINK_SCHEMES = ("https:", "mailto:", "tel:")


def active_content_of(data: bytes) -> list[str]:
    """The active-content check on PDF bytes, before they are written anywhere."""
    from io import BytesIO

    try:
        reader = PdfReader(BytesIO(data))
        return _active_content(reader.trailer["/Root"].get_object(), list(reader.pages))
    except (PdfReadError, KeyError, ValueError) as error:
        return [f"not a readable PDF: {error}"]


# Annotations that play media or 3D content, which a handout never needs.
MEDIA_ANNOTATIONS = ("/Movie", "/Sound", "/Screen", "/RichMedia", "/3D")


def _active_content(root, pages) -> list[str]:
    """What a PDF from volunteers' input must never carry: attachments, JavaScript, actions
    that launch programs, media, forms, or links other than https/mailto/tel and in-document
    ones."""
    problems = []
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    for key, what in (("/EmbeddedFiles", "embedded files"), ("/JavaScript", "JavaScript")):
        if key in names:
            problems.append(f"document has {what}")
    if "/AA" in root:
        problems.append("document has automatic actions (/AA)")
    if "/AcroForm" in root:
        problems.append("document has a form (/AcroForm)")
    actions = []
    if "/OpenAction" in root:
        actions.append(("document open action", root["/OpenAction"].get_object()))
    for number, page in enumerate(pages, 1):
        if "/AA" in page:
            problems.append(f"page {number} has automatic actions (/AA)")
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            subtype = annotation.get("/Subtype")
            if subtype == "/FileAttachment":
                problems.append(f"page {number} has a file attachment")
            elif subtype in MEDIA_ANNOTATIONS:
                problems.append(f"page {number} has a {subtype[1:]} annotation")
            if "/AA" in annotation:
                problems.append(f"page {number} has an annotation with automatic actions (/AA)")
            if "/A" in annotation:
                actions.append((f"page {number} link", annotation["/A"].get_object()))
    for where, action in _chained(actions):
        if not hasattr(action, "get"):
            continue  # an explicit destination array: an in-document jump
        kind = action.get("/S")
        uri = str(action.get("/URI", ""))
        if kind == "/URI" and not uri.lower().startswith(SAFE_LINK_SCHEMES):
            problems.append(f"{where} goes to {uri[:60]!r}; only https, mailto and tel")
        elif kind not in ("/URI", "/GoTo"):
            problems.append(f"{where} is a {kind} action")
    return problems


def _chained(actions):
    """Each action and the ones its /Next runs after it (a safe link can chain a script)."""
    pending, seen = list(actions), set[int]()
    while pending and len(seen) < 10_000:  # a crafted chain ends here, never hangs
        where, action = pending.pop(0)
        if id(action) in seen:
            continue  # a /Next loop
        seen.add(id(action))
        yield where, action
        following = action.get("/Next") if hasattr(action, "get") else None
        if following is None:
            continue
        following = following.get_object()
        for step in following if isinstance(following, list) else [following]:
            pending.append((f"{where} (chained)", step.get_object()))


PRINT_PPI = 300  # what a print shop asks of photos and logos at their printed size


def _has_images(resources, seen: set) -> bool:
    resources = resources.get_object() if resources is not None else {}
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            return True
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            if _has_images(xobject.get("/Resources"), seen):
                return True
    return False


def _image_resolutions(
    reader,
    content,
    resources,
    ctm,
    low: list[str],
    depth=0,
    where="",
    describe=lambda name, xobject: name,
) -> None:
    """Follow the transformation matrix to each drawn image and compare its pixels with its
    printed size (the tokenizer is slow, so only streams that draw images are parsed)."""
    from pypdf.generic import ContentStream

    resources = resources.get_object() if resources is not None else {}
    xobjects = {str(k): v.get_object() for k, v in resources.get("/XObject", {}).items()}
    stack = [ctm]
    for operands, operator in ContentStream(content, reader).operations:
        if operator == b"q":
            stack.append(stack[-1])
        elif operator == b"Q" and len(stack) > 1:
            stack.pop()
        elif operator == b"cm" and len(operands) == 6:
            stack[-1] = multiply(tuple(float(v) for v in operands), stack[-1])
        elif operator == b"Do" and operands and str(operands[0]) in xobjects:
            xobject = xobjects[str(operands[0])]
            a, b, c, d, _, _ = stack[-1]
            if xobject.get("/Subtype") == "/Image":
                width_in = (a * a + b * b) ** 0.5 / 72
                height_in = (c * c + d * d) ** 0.5 / 72
                ppi = min(
                    int(xobject["/Width"]) / max(width_in, 1e-6),
                    int(xobject["/Height"]) / max(height_in, 1e-6),
                )
                if ppi < PRINT_PPI - 1:
                    low.append(
                        f"{where}image {describe(str(operands[0]), xobject)} prints at "
                        f"{ppi:.0f} ppi "
                        f"({int(xobject['/Width'])} px over {width_in * 25.4:.0f} mm); "
                        f"supply at least {PRINT_PPI} ppi"
                    )
            elif xobject.get("/Subtype") == "/Form" and depth < 8:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                _image_resolutions(
                    reader,
                    xobject,
                    xobject.get("/Resources"),
                    multiply(matrix, stack[-1]),
                    low,
                    depth + 1,
                    where,
                    describe,
                )


def _press_checks(report, reader, root, pages, intents, found, describe) -> None:
    intent_problems = []
    intent = intents.get_object()[0].get_object() if intents else None
    if intent is None:
        intent_problems.append("no /OutputIntents")
    else:
        if intent.get("/S") != "/GTS_PDFX":
            intent_problems.append(f"output intent subtype {intent.get('/S')}, not /GTS_PDFX")
        profile = intent.get("/DestOutputProfile")
        if profile is None or int(profile.get_object().get("/N", 0)) != 4:
            intent_problems.append("output intent has no CMYK ICC profile")
    report.add(
        "output intent",
        intent_problems,
        str(intent.get("/OutputConditionIdentifier", "")) if intent else "",
    )

    xmp = root.get("/Metadata")
    xmp_text = xmp.get_object().get_data().decode("utf-8", "replace") if xmp else ""
    report.add(
        "PDF/X identification",
        [] if "PDF/X-4" in xmp_text else ["XMP lacks GTS_PDFXVersion PDF/X-4"],
        "PDF/X-4",
    )

    box_problems = []
    for number, page in enumerate(pages, 1):
        trim, bleed, media = _box(page, "TrimBox"), _box(page, "BleedBox"), _box(page, "MediaBox")
        if trim is None or bleed is None:
            box_problems.append(f"page {number}: no {'TrimBox' if trim is None else 'BleedBox'}")
            continue
        margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if min(margins) < BLEED_MM * MM - 0.01:
            box_problems.append(
                f"page {number}: bleed {min(margins) / MM:.1f} mm, needs {BLEED_MM:.0f} mm"
            )
        if not (
            media[0] <= bleed[0]
            and media[1] <= bleed[1]
            and media[2] >= bleed[2]
            and media[3] >= bleed[3]
        ):
            box_problems.append(f"page {number}: BleedBox extends past the MediaBox")
    report.add("TrimBox and BleedBox", box_problems, f"{BLEED_MM:.0f} mm bleed on every page")
    report.add("no RGB colour", sorted(found["rgb"]), "CMYK only")
    low: list[str] = []
    for number, page in enumerate(pages, 1):
        if _has_images(page.get("/Resources"), set()):
            _image_resolutions(
                reader,
                page.get_contents(),
                page.get("/Resources"),
                (1, 0, 0, 1, 0, 0),
                low,
                0,
                f"page {number}: ",
                describe,
            )
    report.add("images at print resolution", sorted(set(low)), f"≥ {PRINT_PPI} ppi or none")


def _office_checks(report, reader, root, pages, fonts) -> None:
    mark_info = root.get("/MarkInfo")
    tagged = mark_info is not None and bool(mark_info.get_object().get("/Marked"))
    report.add(
        "tagged",
        []
        if tagged and "/StructTreeRoot" in root
        else ["not a tagged PDF (no /MarkInfo /Marked or /StructTreeRoot)"],
        "structure tree",
    )
    lang = root.get("/Lang")
    report.add("document language", [] if lang else ["no /Lang in the catalog"], str(lang or ""))
    title = reader.metadata.title if reader.metadata else None
    report.add("title", [] if title else ["no document title"], str(title or ""))
    by_name = {str(font.get("/BaseFont", name)): font for name, font in fonts}
    for name, problems, passed in accessibility_checks(root, pages, by_name):
        report.add(name, problems, passed)
