"""Read-only SQL views with Vietnamese names: what the provincial office looks for, with labels
instead of ids. Created by migration m009_identity; `tdkt serve` shows them in Datasette.

Views hold no rows, so they need no audit triggers; tests that walk tables ask for type 'table'.
"""

from __future__ import annotations

from typing import Any

from ..core.models import AWARD_RANK, MEETING_KINDS


def _case(column: str, labels: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in labels.items())
    return f"CASE {column} {whens} ELSE {column} END"


# A candidate's votes: ballots are kept as distinct markings "3,7,12" with a count (m002).
_VOTES_FOR = (
    "CASE v.mode WHEN 'counts' THEN (SELECT c.votes FROM vote_count c WHERE c.vote_id = v.id "
    "AND c.unit_id = k.unit_id) ELSE (SELECT coalesce(sum(b.count), 0) FROM ballot b "
    "WHERE b.vote_id = v.id AND b.kind = 'valid' AND ',' || b.marks || ',' LIKE "
    "'%,' || k.unit_id || ',%') END"
)
_VALID = (
    "CASE v.mode WHEN 'counts' THEN (SELECT p.valid FROM vote_paper p WHERE p.vote_id = v.id) "
    "ELSE (SELECT coalesce(sum(b.count), 0) FROM ballot b WHERE b.vote_id = v.id "
    "AND b.kind = 'valid') END"
)

VIEWS: dict[str, str] = {
    "thành_viên_theo_năm": """
SELECT b.code AS mã_khối, b.name AS khối, m.year AS năm, m.position AS thứ_tự,
       u.name AS đơn_vị, m.grp AS nhóm,
       CASE WHEN y.head_id = m.unit_id THEN 'Trưởng khối'
            WHEN y.deputy_id = m.unit_id THEN 'Phó khối' ELSE 'Thành viên' END AS vai_trò,
       (SELECT code FROM unit_code c WHERE c.unit_id = u.id AND c.until IS NULL) AS mã_định_danh
FROM membership m JOIN bloc b ON b.id = m.bloc_id JOIN unit u ON u.id = m.unit_id
LEFT JOIN bloc_year y ON y.bloc_id = m.bloc_id AND y.year = m.year
""",
    "trưởng_phó_khối": """
SELECT b.code AS mã_khối, b.name AS khối, y.year AS năm, h.name AS trưởng_khối,
       d.name AS phó_khối, y.signer AS người_ký, y.signer_title AS chức_vụ_người_ký
FROM bloc_year y JOIN bloc b ON b.id = y.bloc_id
LEFT JOIN unit h ON h.id = y.head_id LEFT JOIN unit d ON d.id = y.deputy_id
""",
    "hội_nghị": f"""
SELECT b.code AS mã_khối, b.name AS khối, m.year AS năm_thi_đua, m.date AS ngày,
       {_case("m.kind", MEETING_KINDS)} AS loại, m.title AS tiêu_đề, m.place AS địa_điểm,
       m.chair AS chủ_trì, m.secretary AS thư_ký,
       (SELECT count(*) FROM meeting_present p WHERE p.meeting_id = m.id) AS số_đơn_vị_có_mặt,
       m.uid AS định_danh
FROM meeting m JOIN bloc b ON b.id = m.bloc_id
""",
    "kết_quả_bỏ_phiếu": f"""
SELECT b.code AS mã_khối, b.name AS khối, v.year AS năm,
       {_case("v.award", AWARD_RANK)} AS danh_hiệu, v.round AS vòng, u.name AS đơn_vị,
       {_VOTES_FOR} AS số_phiếu, {_VALID} AS số_phiếu_hợp_lệ,
       round(100.0 * ({_VOTES_FOR}) / nullif({_VALID}, 0), 1) AS tỉ_lệ_phần_trăm,
       CASE WHEN EXISTS (SELECT 1 FROM vote_elected e WHERE e.vote_id = v.id
            AND e.unit_id = k.unit_id) THEN 'Đạt' ELSE '' END AS kết_quả,
       CASE v.closed WHEN 1 THEN 'Đã khóa' ELSE 'Đang mở' END AS tình_trạng
FROM vote v JOIN bloc b ON b.id = v.bloc_id JOIN vote_candidate k ON k.vote_id = v.id
JOIN unit u ON u.id = k.unit_id
""",
    "đề_nghị_và_quyết_định": f"""
SELECT b.code AS mã_khối, b.name AS khối, p.year AS năm, u.name AS đơn_vị,
       {_case("p.award", AWARD_RANK)} AS danh_hiệu,
       CASE p.status WHEN 'cut' THEN 'Không đề nghị' ELSE 'Đề nghị' END AS tình_trạng,
       p.cut_reason AS lý_do, d.number AS số_quyết_định, d.date AS ngày_quyết_định,
       d.body AS cơ_quan_quyết_định
FROM proposal p JOIN bloc b ON b.id = p.bloc_id JOIN unit u ON u.id = p.unit_id
LEFT JOIN decision d ON d.proposal_id = p.id
""",
    "lịch_sử_khen_thưởng": f"""
SELECT u.name AS đơn_vị,
       (SELECT code FROM unit_code c WHERE c.unit_id = u.id AND c.until IS NULL) AS mã_định_danh,
       d.year AS năm, d.award_name AS danh_hiệu,
       (SELECT b.name FROM proposal p JOIN bloc b ON b.id = p.bloc_id
        WHERE p.id = d.proposal_id) AS khối,
       'Quyết định ' || d.number || ' ngày ' || d.date || ' của ' || d.body AS căn_cứ,
       u.uid AS định_danh_đơn_vị
FROM decision d JOIN unit u ON u.id = d.unit_id
UNION ALL
SELECT u.name, (SELECT code FROM unit_code c WHERE c.unit_id = u.id AND c.until IS NULL),
       v.year, {_case("v.award", AWARD_RANK)}, b.name,
       'Khối suy tôn (bỏ phiếu vòng ' || v.round || ')', u.uid
FROM vote_elected e JOIN vote v ON v.id = e.vote_id JOIN bloc b ON b.id = v.bloc_id
JOIN unit u ON u.id = e.unit_id
WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.unit_id = e.unit_id AND d.year = v.year
                  AND d.award = v.award)
""",
}


def create_views(db: Any) -> None:
    """Create (or re-create) every view; `db` is a sqlite-utils Database or sqlite3 connection."""
    for name, sql in VIEWS.items():
        db.execute(f'DROP VIEW IF EXISTS "{name}"')
        db.execute(f'CREATE VIEW "{name}" AS {sql}')
