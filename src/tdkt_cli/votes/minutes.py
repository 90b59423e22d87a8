"""The count in words: the `vote tally --json` shape of the contract, and the paragraph of the
count minutes ready to paste (`vote tally --explain`), in the bloc's own words."""

from __future__ import annotations

from collections.abc import Sequence

from ..blocs import profiles
from ..core.models import DECIDERS, Vote, VoteRules
from ..text import number_words, percent
from .rules import threshold_words
from .tally import BASES, Result


def as_json(vote: Vote, result: Result, decided: Sequence[str] = ()) -> dict:
    """The contract's `vote tally --json` shape."""
    data = {
        "vote": vote.id,
        "bloc": vote.bloc,
        "year": vote.year,
        "award": vote.award,
        "seats": vote.seats,
        "round": vote.round,
        "round_of": vote.round_of,
        "round_label": vote.round_label,
        "members": result.members,
        "present": result.present,
        "quorum_met": result.quorum_met,
        "ballots": {
            "issued": result.present,
            "cast": result.ballots.cast,
            "valid": result.ballots.valid,
            "blank": result.ballots.blank,
            "invalid": result.ballots.invalid,
        },
        "rule": {
            "base": vote.base,
            "threshold": vote.threshold,
            "strict": vote.strict,
            "base_count": result.base_count,
            "quorum": vote.quorum,
        },
        "results": [
            {
                "unit": line.name,
                "unit_id": line.id,
                "votes": line.votes,
                "share": line.share,
                "passed": line.passed,
                "elected": line.elected,
                "tied": line.tied,
            }
            for line in result.lines
        ],
        "elected": [line.name for line in result.elected],
        "tied": [line.name for line in result.tied],
        "status": result.status,
        "closed": vote.closed,
        "closed_at": vote.closed_at,
        "committee": list(vote.committee),
        "over_quota": vote.over_quota,
    }
    if decided:
        # after the last round the bloc's rule picked among the tied units
        data["elected"] += list(decided)
        data["decided_by"] = vote.decided_by
        data["decision_note"] = vote.decision_note
        data["status"] = "decided"
        for item in data["results"]:
            if item["unit"] in decided:
                item["elected"] = True
    return data


def explain(
    vote: Vote,
    result: Result,
    decided: Sequence[str] = (),
    profile: profiles.Profile | None = None,
    rules: VoteRules | None = None,
) -> str:
    """The count in the words of the minutes, ready to paste, with the award's name and the
    bloc's words from `profile` (a provincial state khối when not given). With the bloc-year's
    `rules`, the last round allowed announces no new round: the rule's decider decides."""
    profile = profile or profiles.merge(profiles.DEFAULT_PRESET, {})
    award = profile.award_name(vote.award)
    w = profile.words
    base_words = BASES[vote.base]
    parts = [
        f"Tổng số đơn vị thành viên: {result.members:02d}; có mặt: {result.present:02d} "
        + (
            f"(đủ tối thiểu {vote.quorum} theo quy chế)."
            if result.quorum_met
            else f"(không đủ tối thiểu {vote.quorum} theo quy chế, cuộc bỏ phiếu không có giá trị quyết định)."
        ),
        f"Số phiếu phát ra: {result.present:02d}; số phiếu thu về: {result.ballots.cast:02d}; "
        f"hợp lệ: {result.ballots.valid:02d}; không hợp lệ: {result.ballots.invalid:02d}; "
        f"phiếu trắng: {result.ballots.blank:02d}.",
    ]
    if vote.round > 1:
        parts.insert(
            0,
            f"Bỏ phiếu lại (vòng {vote.round}) giữa các đơn vị có số phiếu cao nhất ở vòng "
            f"trước (cuộc bỏ phiếu {vote.round_of}).",
        )
    # after the last round allowed (or a decision, which only the last round can have) the
    # minutes announce no new round: the rule's decider decides
    final = bool(decided) or (rules is not None and vote.round >= rules.max_rounds)
    decider = vote.decided_by or (rules.decider if rules else None)
    who = (
        DECIDERS[decider]
        if decider in DECIDERS and decider != "head-deputy"
        else f"{w['head']} và {w['deputy']} quyết định"
    )
    lines = []
    for line in result.lines:
        if line.votes == 0 and not line.tied:
            continue
        verdict = "đạt" if line.passed else "không đạt"
        lines.append(
            f"{line.name}: {line.votes}/{result.base_count} phiếu "
            f"({percent(line.share)} {base_words}) — {verdict}"
        )
    zero = sum(1 for line in result.lines if line.votes == 0)
    if zero:
        lines.append(f"{zero:02d} đơn vị còn lại không có phiếu")
    parts.append("Kết quả: " + "; ".join(lines) + ".")
    parts.append(
        f"Theo quy chế, đơn vị được đề nghị phải đạt {threshold_words(vote)} {base_words} "
        + (
            "và là đơn vị có số phiếu cao nhất."
            if vote.seats == 1
            else f"và nằm trong {number_words(vote.seats)} đơn vị có số phiếu cao nhất."
        )
    )
    elected = [line.name for line in result.elected]
    verb = (
        f"được suy tôn là đơn vị {w['leading']}, đề nghị tặng"
        if profile.is_leading(vote.award)
        else "được đề nghị tặng"
    )
    if result.status == "no-quorum":
        parts.append("Không đủ số đơn vị có mặt; cần tổ chức bỏ phiếu lại.")
    elif result.status == "no-ballots":
        parts.append("Chưa có phiếu nào.")
    else:
        if elected:
            parts.append(f"{'; '.join(elected)} {verb} {award}.")
        if result.status == "tie":
            tied = "; ".join(line.name for line in result.tied)
            if not final:
                parts.append(
                    f"{tied} ngang phiếu nhau ở suất cuối; {w['word']} bỏ phiếu lại giữa các đơn "
                    "vị này."
                )
            elif decided:
                parts.append(f"{tied} ngang phiếu nhau ở suất cuối.")
            else:
                parts.append(
                    f"{tied} ngang phiếu nhau ở suất cuối; đã bỏ phiếu {vote.round} vòng, tối đa "
                    f"theo quy chế, nên {who}."
                )
        if result.status == "no-majority":
            then = (
                f"đã bỏ phiếu {vote.round} vòng, tối đa theo quy chế"
                if final
                else f"{w['word']} có thể bỏ phiếu lại (vòng {vote.round + 1}) giữa các đơn vị có "
                "số phiếu cao nhất"
            )
            parts.append(
                f"Còn {vote.seats - len(elected):02d} suất không có đơn vị nào đạt số phiếu cần "
                f"thiết; {then}."
            )
    if decided:
        parts.append(
            f"Sau {vote.round} vòng bỏ phiếu vẫn ngang phiếu; theo quy chế, {who}: "
            f"{'; '.join(decided)} {verb} {award}."
        )
    return " ".join(parts)
