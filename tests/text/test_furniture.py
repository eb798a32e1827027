"""Every furniture rule drops what it should and keeps article text."""

from __future__ import annotations

import pytest

from stance.text.furniture import classify_lines, default_rules

DROPPED = {
    "comment-section": ["Comments", "Post a comment", "This article is closed for comments.",
                        "What's Your Reaction?", "Leave a reply"],
    "comment-count": ["14 comments", "Comments (3)", "View 27 comments", "Comments 0"],
    "reactions": ["Angry Angry", "Like | Love | Wow", "Surprised Surprised"],
    "navigation": ["Skip to main content", "Next Story", "log in", "reset password", "Back to",
                   "Required", "Printable version | Jan 29, 2022 7:15:55 AM |",
                   "Please Email the Editor", "Advertisement", "Our code of editorial values"],
    "read-more": ["READ MORE: Airstrikes against ISIS in Syria ‘illegal’ – report",
                  "Related: Turkey shells Kurdish positions", "See also: Who are the PMF?"],
    "share": ["Share this article", "Share on Facebook", "Tweet",
              "Share: Facebook | X | WhatsApp | Email"],
    "newsletter": ["Sign up for our Middle East newsletter",
                   "Subscribe to get the morning briefing in your inbox"],
    "cookies": ["We use cookies to improve your experience on our site. By continuing you "
                "agree to our cookie policy. Accept"],
    "donation": ["Donate today", "Become a supporter", "Fighting fund", "You've Raised:£ 3,273",
                 "We need:£ 14,727", "24 Days remaining",
                 "We're a reader-owned co-operative, which means you can become part of the "
                 "paper."],
    "tags": ["Tags: Syria Iraq ISIS Mosul offensive"],
    "font-size": ["A+ A-"],
    "photo-caption": ["A file photo of Syrian foreign minister Walid al-Moualem.",
                      "Photo: Iraqi troops near Mosul. (AFP)", "File photo: Erdogan in Ankara"],
    "byline": ["By Sara Haddad", "By Staff Reporter", "Staff Reporter"],
    "date-only": ["Updated 14:32 GMT, 3 March 2015", "Published: 12 June 2017", "May 18, 2017",
                  "Monday, 3 March 2015", "Wednesday", "(Thursday)"],
    "outlet-name": ["Rudaw", "Reuters", "Al Jazeera"],
    "no-words": ["18-05-2017", "***"],
}

KEPT = [
    "Syria says wants more Iraqi coordination in Islamic State fight",
    "Damascus has criticized several countries in the past for arming Syria’s opposition.",
    "Share prices fell in Riyadh after the announcement.",
    "By Tuesday, Turkish troops had crossed the border.",
    "Comments by French foreign minister Laurent Fabius angered Damascus.",
    "Photographs of the strike were shared by Iraqi officials.",
    "10:42 — Ankara says it shot down a drone over Idlib.",
    "Qatar donated $100 million to the UN appeal.",
    "Reuters reported that Baghdad had recalled its envoy.",
    "Back to the border: Iraqi forces retook al-Qaim.",
    "Wednesday was the bloodiest day of the siege.",
]


@pytest.mark.parametrize("rule,line", [(r, ln) for r, lines in DROPPED.items() for ln in lines])
def test_rule_drops(rule, line):
    assert classify_lines([line]) == [rule]


@pytest.mark.parametrize("line", KEPT)
def test_article_text_kept(line):
    assert classify_lines([line]) == [None]


def test_every_data_rule_is_exercised():
    assert {r.name for r in default_rules()} <= set(DROPPED)


def test_comment_section_drops_the_rest():
    lines = ["Iraq and Syria agreed.", "Comments", "Great article, Syria wins.", "Reply"]
    assert classify_lines(lines) == [None, "comment-section", "comment-section", "comment-section"]


def test_repeated_headline_dropped_and_blank_lines_neutral():
    lines = ["Syria says X", "", "Syria says X", "Syria says Y"]
    assert classify_lines(lines) == [None, None, "repeat", None]
