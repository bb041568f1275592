"""Microsoft's tracking of messages: Exchange's message tracking (its own log, ``MSGTRK*.LOG``, or
``Get-MessageTrackingLog`` exported as CSV), and Microsoft 365's message trace exported as CSV."""

from __future__ import annotations

import re
from typing import Any

from ._base import _DELIVERED, _OTHER, _Family, _Unrecognised

# Exchange's message tracking: its own log (MSGTRK*.LOG, a "#Fields: date-time,...,event-id,...,recipient-address,
# recipient-status,..." line naming the columns of the rows after it) or Get-MessageTrackingLog's rows exported as CSV
# (a header row of "Timestamp","EventId",...,"Recipients","RecipientStatus"). A row's event says what it is: SEND (to
# the next server, its reply in the status), DELIVER (into a mailbox), DEFER, FAIL; the others (RECEIVE, SUBMIT,
# RESOLVE, EXPAND, DSN, ...) are no attempt. A deferral's status is "[{LRT=...};{LED=452 4.2.2 ...};{FQDN=...}]": its
# LED is the last error. Columns are known by their names folded: "EventId" and "event-id" are both "eventid".
_TRACKING_EVENTS = {"SEND": "delivered", "DELIVER": "delivered", "DEFER": "deferred", "FAIL": "bounced",
                    "DROP": "discarded"}
# a status for each recipient, one after another: "550 5.1.1 ...;552 5.2.2 ..." (a ";" inside one, as in
# "RESOLVER.ADR.RecipientNotFound; Recipient not found", is followed by no code)
_NEXT_STATUS = re.compile(r";(?=\s*(?:\[\{|[2-5][0-9][0-9][ -]))", re.ASCII)
_TRACKING_COLUMNS = {"eventid", "recipientstatus"}
_LED = re.compile(r"\{LED=(?P<led>[^}]*)\}")


# Microsoft 365's message trace (Get-MessageTrace exported with Export-Csv, or the report the admin center downloads):
# a header row of "Received","SenderAddress","RecipientAddress","Subject","Status",..., one row per recipient of a
# message. Newer exports name the columns in words ("Received Time", "Recipient address", "Delivery status"), which
# fold to the same names. The trace says what became of the message in one word, never the reply: Delivered,
# Failed, Pending, Expanded, Resolved, Quarantined, FilteredAsSpam, GettingStatus or None. What an operator reads
# in each:
# - Delivered: delivered. Expanded (a distribution group expanded to its members, whose rows say their own
#   deliveries) and Resolved (the address rewritten to another, as a directory lookup resolves it): expanded, no
#   failure.
# - Failed: bounced. Pending: deferred (the service is still trying). GettingStatus and None (the trace has no
#   status for it): unknown.
# - FilteredAsSpam: delivered, to the recipient's Junk Email folder, which is what the default anti-spam policy does
#   with spam (a policy that quarantines spam makes the row Quarantined instead); its reason is the one explain()
#   reads in the status's words, "filtered as spam".
# - Quarantined: discarded: held in the quarantine, delivered to nobody unless an administrator (or the recipient)
#   releases it, as a content filter's discard of mail it quarantines is.
# Each record's reason is what explain() reads in the status's words and in a detail column if the export has one;
# for a failure that is mostly undefined, and the record's text says that the trace gives the status only: the
# reply is in the message's trace details (Get-MessageTraceDetail, or the message's page in the admin center).
_TRACE_STATUSES = {"delivered": "delivered", "expanded": "expanded", "resolved": "expanded", "failed": "bounced",
                   "pending": "deferred", "gettingstatus": "unknown", "none": "unknown",
                   "filteredasspam": "delivered", "quarantined": "discarded"}
_TRACE_COLUMNS = {"senderaddress", "recipientaddress"}
_TRACE_STATUS_COLUMNS = ("status", "deliverystatus")
_TRACE_TIME_COLUMNS = ("received", "receivedtime", "receiveddate", "datetime", "date", "dateutc")
_TRACE_DETAIL_COLUMNS = ("detail", "details", "statusdetail", "deliverydetail")
# what marks a message trace's header row before its columns are known: quoted, a recipient column anywhere in it
# (a quoted name, so that hMailServer's lines quoting "Recipient address rejected" are not parsed); not quoted, its
# first column (_LineReader._one hands a line to the tracking reader by that too)
_TRACE_MARKS = ('"RecipientAddress"', '"Recipient address"', '"Recipient Address"')
TRACE_HEADS = ("Received,", "Received Time,", "Received time,")
_TRACE_NOTE = "the message trace gives the status only; the reply is in the trace's details"
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _column(name: str) -> str:
    """A column's name folded, as Exchange's two forms of its tracking log share it: "EventId", "event-id": "eventid"."""
    return "".join(c for c in name.lower() if c.isalnum())


class _Tracking(_Family):
    """The rows of each tracking file, read by the columns its header names."""

    def __init__(self, explainer: Any, problem: Any = None):
        super().__init__(explainer)
        # Exchange's message tracking: the columns of each file, folded ("eventid"), from its header; the files whose
        # export lost its lists, said once
        self.columns: dict[str, list[str]] = {}
        self.traces: set[str] = set()  # of them, Microsoft 365's message traces
        self._lost_lists: set[str] = set()
        self.problem = problem  # how the reader words an input it cannot read whole (_Reader._problem)

    def row(self, text: str, source: str, number: int) -> Any:
        """A line of Exchange's message tracking, or None for a line of no such file."""
        import csv

        text = text.lstrip("\ufeff")
        if text.startswith("#"):
            if text.startswith(("#Software: Microsoft Exchange", "#TYPE Microsoft.Exchange")):
                self.columns.setdefault(source, [])  # its columns come with #Fields, or the export's header row
                return _OTHER
            if text.startswith("#Fields: ") and "event-id" in text:
                self.columns[source] = [_column(c) for c in text[len("#Fields: "):].split(",")]
                return _OTHER
            return _OTHER if source in self.columns or "Exchange" in text or "MessageTrackingEvent" in text \
                or "Message Tracking" in text else None
        if source not in self.columns and not any(name in text for name in ("EventId", "event_id", "event-id")) \
                and not any(name in text for name in _TRACE_MARKS) and not text.startswith(TRACE_HEADS):
            return None  # neither a row of a known tracking file nor an export's header row (hMailServer's lines)
        try:
            cells = next(csv.reader([text]))
        except (csv.Error, StopIteration):
            return None
        folded = [_column(c) for c in cells]
        if _TRACKING_COLUMNS <= set(folded) and ("recipients" in folded or "recipientaddress" in folded):
            self.columns[source] = folded  # the header row of an export
            self.traces.discard(source)
            return _OTHER
        if _TRACE_COLUMNS <= set(folded) and any(c in folded for c in _TRACE_STATUS_COLUMNS):
            self.columns[source] = folded  # the header row of a message trace
            self.traces.add(source)
            return _OTHER
        columns = self.columns.get(source)
        if columns is None:
            return None
        if source in self.traces:
            return self._trace_row(dict(zip(columns, cells)), len(cells) < len(columns) // 2, text, source, number)
        row = dict(zip(columns, cells))
        event = row.get("eventid", "").upper()
        if len(cells) < len(columns) // 2 or not event.isalpha():
            return None  # no row of the tracking log (a line of another log in the same file, a damaged one)
        status = _TRACKING_EVENTS.get(event)
        if status is None:
            return _OTHER
        connector = row.get("connectorid", "")
        if event == "SEND" and "intra-organization" in connector.lower():
            status = "relayed"  # a hop between Exchange servers of the organisation: the delivery is its DELIVER row
        recipients = row.get("recipients", row.get("recipientaddress", ""))
        if recipients.startswith("System.") and recipients.endswith("[]"):
            # Export-Csv wrote the type of a list, not its addresses: the rows' recipients and statuses are lost,
            # which the file's first such row says once
            lost = _Unrecognised(source, number, text)
            if source in self._lost_lists or self.problem is None:
                return lost
            self._lost_lists.add(source)
            return [self.problem(source, "tracking_lists", type=recipients), lost]
        addresses = [a.strip() for a in re.split(r"[;,]", recipients) if a.strip()]
        said = row.get("recipientstatus", "")
        statuses = _NEXT_STATUS.split(said) if len(addresses) > 1 else [said]
        if len(statuses) != len(addresses):
            statuses = [said] * len(addresses)  # not one each: the whole status goes with every recipient
        when = row.get("timestamp") or row.get("datetime") or row.get("datetimeutc")
        queue = row.get("internalmessageid") or row.get("messageid")
        relay = row.get("serverip") if event != "DELIVER" else None
        out = []
        for to, own in zip(addresses, statuses):
            led = _LED.search(own)
            own = (led.group("led") if led else own).strip()
            explained = _DELIVERED if status in ("delivered", "relayed") and not own[:1].isdigit() else None
            out.append(self._record(source, number, "exchange", when, queue, to, relay, own or event, status,
                                    explained))
        return out or _OTHER

    def _trace_row(self, row: dict[str, str], short: bool, text: str, source: str, number: int) -> Any:
        """A row of Microsoft 365's message trace: one recipient's message and the word the trace says of it."""
        said = next((row[c] for c in _TRACE_STATUS_COLUMNS if row.get(c)), "").strip()
        status = _TRACE_STATUSES.get(_column(said))
        if short or status is None:
            return _Unrecognised(source, number, text)  # no row of the trace, or a status it does not write
        words = _CAMEL.sub(" ", said)  # "FilteredAsSpam": "Filtered As Spam", as explain() reads it
        detail = next((row[c] for c in _TRACE_DETAIL_COLUMNS if row.get(c)), "").strip()
        explained = _DELIVERED if status in ("delivered", "expanded") and _column(said) != "filteredasspam" else None
        if detail:
            text = f"{words}: {detail}"
        elif status in ("bounced", "deferred", "unknown"):
            text = f"{words} ({_TRACE_NOTE})"  # no reply to read: where it is
        else:
            text = words
        when = next((row[c] for c in _TRACE_TIME_COLUMNS if row.get(c)), None)
        return self._record(source, number, "m365", when, row.get("messagetraceid") or row.get("messageid") or None,
                            row.get("recipientaddress"), row.get("toip") or None, text, status, explained)
