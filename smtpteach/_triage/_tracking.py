"""Exchange's message tracking: its own log (``MSGTRK*.LOG``) or ``Get-MessageTrackingLog`` exported as CSV."""

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
        if source not in self.columns and not any(name in text for name in ("EventId", "event_id", "event-id")):
            return None  # neither a row of a known tracking file nor an export's header row (hMailServer's lines)
        try:
            cells = next(csv.reader([text]))
        except (csv.Error, StopIteration):
            return None
        folded = [_column(c) for c in cells]
        if _TRACKING_COLUMNS <= set(folded) and ("recipients" in folded or "recipientaddress" in folded):
            self.columns[source] = folded  # the header row of an export
            return _OTHER
        columns = self.columns.get(source)
        if columns is None:
            return None
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
