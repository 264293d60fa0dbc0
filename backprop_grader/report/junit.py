"""JUnit XML for CI: one testsuite per layer and one testcase per check (classname = layer, name = check).

A failed check is a <failure>, a check that raised an error in the grader's own setup or never ran is an
<error>, a skipped check is <skipped>; every one but a pass scores 0. The feedback is the element's text.
"""
import xml.etree.ElementTree as ET

from ..results import ERROR, FAILED, NOT_RUN, PASSED, SKIPPED
from . import escape
from .common import check_text, feedback, points

_ELEMENT = {FAILED: "failure", ERROR: "error", NOT_RUN: "error", SKIPPED: "skipped"}


def _testcase(suite, check_result, lang):
    check = check_result.check
    case = ET.SubElement(
        suite, "testcase", classname=check.layer, name=check.name, time=f"{check_result.duration:.3f}"
    )
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", name="points", value=points(check.points))
    ET.SubElement(properties, "property", name="score", value=points(check_result.score))
    if check_result.status != PASSED:
        outcome = ET.SubElement(
            case,
            _ELEMENT[check_result.status],
            message=feedback(check_result, lang).problem.splitlines()[0],
            type=check_result.failure.key,
        )
        outcome.text = check_text(check_result, lang)


def _well_formed(root):
    """Every text and attribute of the tree as XML 1.0 allows (ElementTree escapes the markup, not the
    characters XML forbids, such as a NUL or an ESC in an exception's message)."""
    for element in root.iter():
        if element.text:
            element.text = escape.xml(element.text)
        if element.tail:
            element.tail = escape.xml(element.tail)
        for key, value in element.attrib.items():
            element.set(key, escape.xml(value))


def render(result, lang="en"):
    """The JUnit XML document as text."""
    root = ET.Element("testsuites", name="backprop-grader", tests=str(len(result.results)))
    for layer_score in result.layer_scores():
        mine = [r for r in result.results if r.check.layer == layer_score.layer]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=layer_score.layer,
            tests=str(len(mine)),
            failures=str(sum(r.status == FAILED for r in mine)),
            errors=str(sum(r.status in (ERROR, NOT_RUN) for r in mine)),
            skipped=str(sum(r.status == SKIPPED for r in mine)),
            time=f"{sum(r.duration for r in mine):.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("score", points(layer_score.score)),
            ("max_score", points(layer_score.max_score)),
            ("seed", str(result.seed)),
            ("hypothesis_profile", result.profile),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
        for check_result in mine:
            _testcase(suite, check_result, lang)
        first = root.find("testsuite") is suite
        said = [n.render(lang) for n in result.notes if n.layer == layer_score.layer or (n.layer is None and first)]
        if said:
            ET.SubElement(suite, "system-out").text = "\n".join(said)
    root.set("failures", str(sum(int(s.get("failures")) for s in root)))
    root.set("errors", str(sum(int(s.get("errors")) for s in root)))
    root.set("skipped", str(sum(int(s.get("skipped")) for s in root)))
    _well_formed(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
