"""What each document's template receives: frozen dataclasses built from the records.

Templates never see the database. Every field is documented in its class docstring (a test checks
it), so a clerk editing a template knows what is there. Names are those valid on the document's
date; dates are written the ND30 way; percentages take a decimal comma; counts below 10 take a
leading zero. Text the clerk writes (the narrative) is never invented: a missing section becomes
a marked blank, `BLANK`.

One module a document kind (report, minutes, tally, proposal, covenant, ballot), beside the
shared pieces: parts (the documented dataclasses), header, signature (and Nơi nhận), votes,
common. This package's namespace is what documents/__init__.py and the tests read.
"""

from .ballot import BallotContext, ballot
from .common import narrative_paragraphs, person, profile_of, upper, words
from .covenant import CovenantContext, covenant, default_commitments
from .header import build_header, doc_code
from .minutes import MinutesContext, minutes
from .parts import (
    BLANK,
    NARRATIVE_SECTIONS,
    TYPE_CODES,
    ActivityRow,
    Common,
    Header,
    MeetingRow,
    MemberRow,
    Paragraphs,
    ProposalRow,
    ResultRow,
    Rules,
    Signature,
    StandingRow,
    VoteSummary,
    Words,
    as_template_vars,
)
from .proposal import ProposalContext, proposal
from .report import ReportContext, report
from .signature import ARCHIVE_COPIES, build_recipients, build_signature
from .tally import TallyContext, tally
from .votes import vote_summary

__all__ = [
    "ARCHIVE_COPIES",
    "BLANK",
    "NARRATIVE_SECTIONS",
    "TYPE_CODES",
    "ActivityRow",
    "BallotContext",
    "Common",
    "CovenantContext",
    "Header",
    "MeetingRow",
    "MemberRow",
    "MinutesContext",
    "Paragraphs",
    "ProposalContext",
    "ProposalRow",
    "ReportContext",
    "ResultRow",
    "Rules",
    "Signature",
    "StandingRow",
    "TallyContext",
    "VoteSummary",
    "Words",
    "as_template_vars",
    "ballot",
    "build_header",
    "build_recipients",
    "build_signature",
    "covenant",
    "default_commitments",
    "doc_code",
    "minutes",
    "narrative_paragraphs",
    "person",
    "profile_of",
    "proposal",
    "report",
    "tally",
    "upper",
    "vote_summary",
    "words",
]
