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
# ... and the host it last tried, which a deferral's status names when its row's server columns do not
_LED_HOST = re.compile(r"\{FQDN=(?P<fqdn>[^};]*)\}|\{IP=(?P<ip>[^};]*)\}")


def _host(name: str | None, address: str | None) -> str | None:
    """A remote host as a Record's relay writes it: "name[address]", or the one of them a source gives."""
    name, address = (name or "").strip(), (address or "").strip()
    if name and address:
        return f"{name}[{address}]"
    return name or address or None


# Microsoft 365's message trace (Get-MessageTrace exported with Export-Csv): a header row of "Received",
# "SenderAddress","RecipientAddress","Subject","Status",..., one row per recipient of a message. Newer exports name
# the columns in words ("Received Time", "Recipient address", "Delivery status"), which fold to the same names. The
# trace says what became of the message in one word, never the reply: Delivered, Failed, Pending, Expanded,
# Resolved, Quarantined, FilteredAsSpam, GettingStatus or None. What an operator reads in each:
# - Delivered: delivered. Expanded (a distribution group expanded to its members, whose rows say their own
#   deliveries) and Resolved (the address rewritten to another, as a directory lookup resolves it): expanded, no
#   failure.
# - Failed: bounced. Pending: deferred (the service is still trying). GettingStatus and None (the trace has no
#   status for it): unknown.
# - FilteredAsSpam: delivered, to the recipient's Junk Email folder, which is what the default anti-spam policy does
#   with spam (a policy that quarantines spam makes the row Quarantined instead); its reason is the one explain()
#   reads in the status's words, "filtered as spam", and nobody is to send it again: the recipient finds it in Junk.
# - Quarantined: discarded: held in the quarantine, delivered to nobody unless the recipient's admin (or the
#   recipient, as the quarantine policy allows) releases it, as a content filter's discard of mail it quarantines is.
#   A message sent again is quarantined again: the release is the recipient side's to make.
# Each record's reason is what explain() reads in the status's words and in a detail column if the export has one;
# for a failure that is mostly undefined, and the record's text says that the trace gives the status only: the
# reply is in the message's trace details (Get-MessageTraceDetail, or the message's page in the admin center).
# A file is taken for a message trace only when, besides the sender, the recipient and the status, it has a column
# of the trace's own (a message id, the trace's id, the addresses it came from and went to) or the status is named
# "Delivery status": a helpdesk's export of tickets has the three and means other things by Pending and Resolved.
_TRACE_STATUSES = {"delivered": "delivered", "expanded": "expanded", "resolved": "expanded", "failed": "bounced",
                   "pending": "deferred", "gettingstatus": "unknown", "none": "unknown",
                   "filteredasspam": "delivered", "quarantined": "discarded"}
_TRACE_COLUMNS = {"senderaddress", "recipientaddress"}
_TRACE_OWN_COLUMNS = {"messagetraceid", "messageid", "networkmessageid", "internetmessageid", "toip", "fromip"}
_TRACE_STATUS_COLUMNS = ("status", "deliverystatus")
_TRACE_TIME_COLUMNS = ("received", "receivedtime", "receiveddate", "datetime", "date", "dateutc",
                       "origintimestamputc")
_TRACE_DETAIL_COLUMNS = ("detail", "details", "statusdetail", "deliverydetail")
# The admin center's message trace summary report (as it downloads it, in UTF-16): one row per message, with
# "origin_timestamp_utc","sender_address","recipient_status",...; recipient_status holds each recipient and the
# events of its delivery, "an@x##Receive, Deliver;bich@x##Receive, Fail" (or a status word, "an@x##Delivered"), and
# the last event says what became of it: one record per recipient. (The extended report has an event_id column, a
# row per event: it is read as Exchange's message tracking is.)
_SUMMARY_COLUMNS = {"senderaddress", "recipientstatus"}
_EVENTS = {"deliver": "delivered", "send": "delivered", "fail": "bounced", "defer": "deferred", "expand": "expanded",
           "resolve": "expanded", "quarantine": "discarded", "drop": "discarded", "redirect": "relayed",
           "receive": "unknown", "submit": "unknown", **_TRACE_STATUSES}
# what marks a message trace's header row before its columns are known: a recipient column's name, quoted, or
# between the separators of a file Excel saved (";" where the regional settings use "," in numbers, as Vietnamese
# ones do), so that hMailServer's lines quoting "Recipient address rejected" are not parsed; not quoted, its first
# column (_LineReader._one hands a line to the tracking reader by that too, and the first lines of every file)
_TRACE_MARKS = re.compile(r'(?:^|[,;\t"])(?:RecipientAddress|Recipient [Aa]ddress|recipient_status)(?:$|[,;\t"])')
TRACE_HEADS = ("Received,", "Received Time,", "Received time,", "Received;", "origin_timestamp_utc")
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
        self.summaries: set[str] = set()  # ... and the admin center's summary reports
        self._delimiters: dict[str, str] = {}  # the files whose separator is not "," (Excel's ";")
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
        header = source not in self.columns
        if header and not any(name in text for name in ("EventId", "event_id", "event-id")) \
                and not _TRACE_MARKS.search(text) and not text.startswith(TRACE_HEADS):
            return None  # neither a row of a known tracking file nor an export's header row (hMailServer's lines)
        delimiter = max((",", ";", "\t"), key=text.count) if header else self._delimiters.get(source, ",")
        try:
            cells = next(csv.reader([text], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return None
        folded = [_column(c) for c in cells]
        kind = self._header(set(folded))
        if kind is not None:
            self.columns[source] = folded  # the header row of an export, a message trace or its summary report
            for files, its in ((self.traces, "trace"), (self.summaries, "summary")):
                if kind == its:
                    files.add(source)
                else:
                    files.discard(source)
            if delimiter != ",":
                self._delimiters[source] = delimiter
            return _OTHER
        columns = self.columns.get(source)
        if columns is None:
            return None
        if source in self.traces:
            return self._trace_row(dict(zip(columns, cells)), len(cells) < len(columns) // 2, text, source, number)
        if source in self.summaries:
            return self._summary_row(dict(zip(columns, cells)), len(cells) < len(columns) // 2, text, source,
                                     number)
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
        # the next hop of a SEND (its server columns; a DEFER's status names the host it tried), none for a DELIVER
        # into a mailbox of this server; the sender as the row names it ("sender-address", Get-MessageTrackingLog's
        # "Sender")
        name, address = (row.get("serverhostname"), row.get("serverip")) if event != "DELIVER" else (None, None)
        sender = row.get("senderaddress", row.get("sender")) or None
        out = []
        for to, own in zip(addresses, statuses):
            led = _LED.search(own)
            named = {k: v for h in _LED_HOST.finditer(own) for k, v in h.groupdict().items() if v} if led else {}
            tried = _host(name or named.get("fqdn"), address or named.get("ip")) if event != "DELIVER" else None
            own = (led.group("led") if led else own).strip()
            explained = _DELIVERED if status in ("delivered", "relayed") and not own[:1].isdigit() else None
            out.append(self._record(source, number, "exchange", when, queue, to, tried, own or event, status,
                                    explained, sender))
        return out or _OTHER

    @staticmethod
    def _header(folded: set[str]) -> str | None:
        """What a row of column names heads: "tracking" (Exchange's message tracking, and the admin center's
        extended report), "trace" (Microsoft 365's message trace), "summary" (its summary report); None for no
        header of these."""
        if _TRACKING_COLUMNS <= folded and ("recipients" in folded or "recipientaddress" in folded):
            return "tracking"
        if _TRACE_COLUMNS <= folded and any(c in folded for c in _TRACE_STATUS_COLUMNS) and (
                folded & _TRACE_OWN_COLUMNS or "deliverystatus" in folded):
            return "trace"
        if _SUMMARY_COLUMNS <= folded and "eventid" not in folded and folded & (_TRACE_OWN_COLUMNS |
                                                                                {"origintimestamputc"}):
            return "summary"
        return None

    def _trace_row(self, row: dict[str, str], short: bool, text: str, source: str, number: int) -> Any:
        """A row of Microsoft 365's message trace: one recipient's message and the word the trace says of it."""
        said = next((row[c] for c in _TRACE_STATUS_COLUMNS if row.get(c)), "").strip()
        status = _TRACE_STATUSES.get(_column(said))
        if short or status is None:
            return _Unrecognised(source, number, text)  # no row of the trace, or a status it does not write
        detail = next((row[c] for c in _TRACE_DETAIL_COLUMNS if row.get(c)), "").strip()
        when = next((row[c] for c in _TRACE_TIME_COLUMNS if row.get(c)), None)
        return self._trace_record(said, status, detail, when, row.get("messagetraceid") or row.get("messageid"),
                                  row.get("recipientaddress"), row.get("toip"), source, number,
                                  row.get("senderaddress"))

    def _summary_row(self, row: dict[str, str], short: bool, text: str, source: str, number: int) -> Any:
        """A row of the admin center's summary report: a record for each recipient, by the last event of its
        delivery; the row is unrecognised as well when an event is none the report writes."""
        out: list[Any] = []
        unknown = short
        when = next((row[c] for c in _TRACE_TIME_COLUMNS if row.get(c)), None)
        queue = row.get("networkmessageid") or row.get("messageid")
        for part in ([] if short else row.get("recipientstatus", "").split(";")):
            to, _, events = part.partition("##")
            said = events.rsplit(",", 1)[-1].strip()
            status = _EVENTS.get(_column(said))
            if not to.strip() or status is None:
                unknown = True
                continue
            out.append(self._trace_record(said, status, "", when, queue, to.strip(), None, source, number,
                                          row.get("senderaddress")))
        if unknown or not out:
            out.append(_Unrecognised(source, number, text))
        return out

    def _trace_record(self, said: str, status: str, detail: str, when: str | None, queue: str | None, to: str | None,
                      relay: str | None, source: str, number: int, sender: str | None = None) -> Any:
        """The record of a recipient's status in the message trace (see above for what each word means)."""
        words = _CAMEL.sub(" ", said)  # "FilteredAsSpam": "Filtered As Spam", as explain() reads it
        spam = _column(said) == "filteredasspam"
        explained = _DELIVERED if status in ("delivered", "expanded", "relayed") and not spam else None
        if detail:
            text = f"{words}: {detail}"
        elif status in ("bounced", "deferred", "unknown"):
            text = f"{words} ({_TRACE_NOTE})"  # no reply to read: where it is
        else:
            text = words
        if spam or status == "discarded":
            # in the Junk Email folder, or in the quarantine: nothing to send again; the recipient looks in Junk,
            # the recipient's admin releases what the quarantine holds
            explained = self.explain(text)
            explained = (*explained[:4], "not-needed" if spam else "dont-retry",
                         "recipient" if spam else "recipient-admin", *explained[6:])
        return self._record(source, number, "m365", when, queue or None, to, relay or None, text, status, explained,
                            sender or None)
