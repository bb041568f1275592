// smtpteach core for the browser: the same rules as the Python package,
// applied to the same data. compare() fills the sentence templates of the
// language data (smtpteach/_compare.py); explain() applies data/reasons.yaml
// (smtpteach/_explain.py). Tests run this file under node and require output
// identical to Python's for every pair of codes and every corpus reply.
// This file has no imports and no exports of its own: each widget module is
// this text followed by the widget's own code.

const SLOT_RE = /\{([a-z_]+)\}/g;

function fill(template, values) {
  return template.replace(SLOT_RE, (whole, name) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new Error(`template slot {${name}} has no value in: ${template}`);
    }
    return values[name];
  });
}

function joinList(items, ui) {
  const spec = ui.list;
  if (!items.length) return ui.labels.none;
  if (items.length === 1) return items[0];
  if (items.length === 2) return fill(spec.pair, { first: items[0], last: items[1] });
  return fill(spec.many, { items: items.slice(0, -1).join(spec.separator), last: items[items.length - 1] });
}

const RFC_RE = /^RFC ([0-9]+)(?: §([0-9A-Z][0-9.]*))?$/;
const IANA_REGISTRY = "https://www.iana.org/assignments/smtp-enhanced-status-codes/smtp-enhanced-status-codes.xhtml";

function referenceUrl(reference) {
  const m = RFC_RE.exec(reference);
  if (m) return `https://www.rfc-editor.org/rfc/rfc${m[1]}` + (m[2] ? `#section-${m[2]}` : "");
  if (reference.startsWith("draft-")) return `https://datatracker.ietf.org/doc/${reference}/`;
  return IANA_REGISTRY;
}

function sameList(x, y) {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function classLabel(f, t) {
  if (f.class_digit === "X") return t.any_class_label;
  const key = f.kind === "basic" ? "class_label" : "enhanced_class_label";
  return fill(t[key], { digit: f.class_digit, class_name: f.class_name });
}

// The registry's basic codes that can go with an enhanced code (_compare._paired_basic):
// all of them for an X code; for a concrete code only its own class and "Any"
// (RFC 2034 §4, RFC 3463 §2: 4.2.2 never goes with 552).
function pairedBasic(f) {
  if (f.class_digit === "X") return f.basic.slice();
  return f.basic.filter((b) => b === "Any" || b[0] === f.class_digit);
}

// One code's sentence about the registry's basic codes (_compare._basic_codes_of_one).
function basicCodesOfOne(f, paired, t, ui) {
  if (paired.length) return fill(t.basic_codes_one, { code: f.code, basic: joinList(paired, ui) });
  if (!f.basic.length) return fill(t.basic_codes_not_given, { code: f.code });
  return fill(t.basic_codes_other_class, { code: f.code, generic: f.generic, digit: f.class_digit, registry: joinList(f.basic, ui) });
}

// The comparison of two sides' facts, as smtpteach._compare.assemble builds it.
function assemble(fa, fb, ui, lang) {
  const t = ui.templates;
  const a = fa.code, b = fb.code;
  const v = { a, b, a_name: fa.name, b_name: fb.name };
  v.a_class = classLabel(fa, t); v.b_class = classLabel(fb, t);
  const basic = fa.kind === "basic";
  // an enhanced status code is not a reply: its class sentences say "status code", and what
  // its class means comes from RFC 3463 §2, not RFC 5321
  const kind = basic ? "" : "_enhanced";
  v.a_effect = fill(t["class_effect" + kind][fa.class_digit], { code: a });
  v.b_effect = fill(t["class_effect" + kind][fb.class_digit], { code: b });
  v.a_effect_both = t["class_effect_both" + kind][fa.class_digit];
  v.a_digit = fa.group_digit; v.b_digit = fb.group_digit;
  const sameClass = fa.class_digit === fb.class_digit;
  // two classes of one enhanced detail (4.2.2, 5.2.2): one entry, so one prose
  const sameDetail = !basic && fa.generic === fb.generic;
  const diffs = [];
  const add = (kind, same, differKey, sameKey) => diffs.push({ kind, text: fill(t[same ? sameKey : differKey], v), similarity: same });

  add("class", sameClass, "diff_class" + kind, "same_class" + kind);
  if (basic) {
    v.a_category = fa.group_name; v.b_category = fb.group_name;
    add("category", fa.group_digit === fb.group_digit, "diff_category", "same_category");
  } else {
    v.a_subject = fa.group_name; v.b_subject = fb.group_name;
    add("subject", fa.group_digit === fb.group_digit, "diff_subject", "same_subject");
  }
  if (sameDetail) {
    v.generic = fa.generic;
    let text = fill(t.same_detail, v);
    // RFC 3463 §3 says which class some details are for: that one is the usual form
    const classes = { [fa.class_digit]: a, [fb.class_digit]: b };
    if (fa.rfc3463_use && classes["4"] && classes["5"]) {
      const [usual, other] = fa.rfc3463_use === "permanent" ? ["5", "4"] : ["4", "5"];
      v.usual = classes[usual]; v.other = classes[other];
      text += " " + fill(t.rfc3463_use[fa.rfc3463_use], v);
    }
    diffs.push({ kind: "meaning", text, similarity: true });
  } else {
    diffs.push({ kind: "meaning", text: fill(t.diff_meaning, v), similarity: false });
    for (const f of [fa, fb]) diffs.push({ kind: "when", text: fill(t.when_one, { code: f.code, when: f.when }), similarity: false });
  }
  if (basic) {
    v.a_commands = joinList(fa.commands, ui); v.b_commands = joinList(fb.commands, ui);
    add("commands", sameList(fa.commands, fb.commands), "diff_commands", "same_commands");
    v.a_retry = fa.retry; v.b_retry = fb.retry;
    add("retry", fa.retry === fb.retry, "diff_retry", "same_retry");
    v.a_actor = fa.actor; v.b_actor = fb.actor;
    add("actor", fa.actor === fb.actor, "diff_actor", "same_actor");
    v.a_status = fa.status; v.b_status = fb.status;
    add("status", fa.status === fb.status, "diff_status", "same_status");
    const ea = fa.enhanced, eb = fb.enhanced;
    if (ea.length || eb.length) {
      const shared = ea.filter((c) => eb.includes(c));
      const aOnly = ea.filter((c) => !eb.includes(c));
      const bOnly = eb.filter((c) => !ea.includes(c));
      v.shared = joinList(shared, ui);
      v.a_only = joinList(aOnly, ui); v.b_only = joinList(bOnly, ui);
      v.a_enhanced = joinList(ea, ui); v.b_enhanced = joinList(eb, ui);
      if (sameList(ea, eb)) diffs.push({ kind: "enhanced", text: fill(t.same_enhanced, v), similarity: true });
      else if (shared.length && aOnly.length && bOnly.length) diffs.push({ kind: "enhanced", text: fill(t.shared_enhanced, v), similarity: false });
      else if (ea.length && eb.length) diffs.push({ kind: "enhanced", text: fill(t.diff_enhanced, v), similarity: false });
      else {
        const [first, second] = ea.length ? [fa, fb] : [fb, fa];
        const w = { a: first.code, b: second.code, a_enhanced: joinList(first.enhanced, ui) };
        diffs.push({ kind: "enhanced", text: fill(t.one_enhanced, w), similarity: false });
      }
    }
  } else {
    const pa = pairedBasic(fa), pb = pairedBasic(fb);
    v.a_basic = joinList(pa, ui); v.b_basic = joinList(pb, ui);
    if (fa.basic.length || fb.basic.length) {
      // a code with no basic code to go with it gets a sentence of its own saying why
      if (!pa.length || !pb.length) {
        const text = [[fa, pa], [fb, pb]].map(([f, p]) => basicCodesOfOne(f, p, t, ui)).join(" ");
        diffs.push({ kind: "basic_codes", text, similarity: false });
      } else add("basic_codes", sameList(pa, pb), "diff_basic_codes", "same_basic_codes");
    }
  }
  const summary = fill(t[(sameClass ? "summary_same" : "summary_differ") + kind], v);
  // Codes of one class share the class's rule (the summary says it), so each
  // gets what sets it apart instead of the same class sentence twice.
  const server = sameClass
    ? [fa, fb].map((f) => fill(t.which_apart, { code: f.code, name: f.name, gist: f.gist }))
    : [fa, fb].map((f) => fill(t.which[f.class_digit], { code: f.code, name: f.name }));
  const receive = sameDetail
    ? [fill(t.which_receive_same, { a, b, fix: fa.fix })]
    : [fa, fb].map((f) => fill(t.which_receive, { code: f.code, fix: f.fix }));
  const which = [...server, ...receive];
  // one catalogue entry for both (4.2.2 and 5.2.2 are X.2.2): its prose and its page once, under its own code
  const shown = sameDetail ? [Object.assign({}, fa, { code: fa.generic })] : [fa, fb];
  const links = shown.map((f) => ({ label: fill(t.learn_more_page, { code: f.code, name: f.name }), url: f.url }));
  const seen = new Set();
  for (const ref of fa.references.concat(fb.references)) {
    if (!seen.has(ref)) { seen.add(ref); links.push({ label: ref, url: referenceUrl(ref) }); }
  }
  const sections = shown.map((f) => ({ code: f.code, name: f.name, description: f.description, when: f.when, fix: f.fix, url: f.url }));
  return {
    a, b, lang, title: fill(t.title, v), summary, headings: Object.assign({}, ui.headings),
    sections, differences: diffs, when_to_use: which, learn_more: links,
  };
}

// -- explain ---------------------------------------------------------------

function pyRegex(source, flags) {
  return new RegExp(source.replace(/\(\?P</g, "(?<"), flags || "");
}

function expandPhrase(phrase) {
  const parts = phrase.split(/\(([^()]*)\)/);
  let combos = [[]];
  parts.forEach((part, i) => {
    const options = i % 2 === 0 ? [part] : part.split("|");
    const next = [];
    for (const combo of combos) for (const option of options) next.push(combo.concat([option]));
    combos = next;
  });
  return combos.map((combo) => combo.join(" ").split(/\s+/).filter(Boolean));
}

// Compile data/reasons.yaml (as JSON) once: every ExplainWidget of a page shares the same rules object (the
// language's shared widget data), so the second widget reuses the first one's compiled rules.
const compiledRules = new WeakMap();

// data: _explain.rules_for_browser(); later: _explain.later_for_browser(), the families of
// data/reasons-known.yaml ("rules"), which come after data's own rules, and the reason model ("model");
// without it, neither
function compileRules(data, later) {
  let entry = compiledRules.get(data);
  if (!entry || entry.later !== later) {
    entry = { later, compiled: compileRulesNow(data, later || { rules: [], model: null }) };
    compiledRules.set(data, entry);
  }
  return entry.compiled;
}

function compileRulesNow(data, later) {
  const ex = data.extract;
  const needles = (phrases) => phrases.flatMap((p) => expandPhrase(p)).map((words) => " " + words.join(" ") + " ");
  const rules = data.rules.concat(later.rules).map((rule) => ({
    reason: rule.reason,
    only: rule.only === undefined ? "" : String(rule.only),
    any: needles(rule.any || []),
    // an "all" group: each phrase's needles (its alternatives), every phrase present (_explain._Rules)
    all: (rule.all || []).map((group) => group.map((phrase) => needles([phrase]))),
    except: needles(rule.except || []),
    weak: Boolean(rule.weak),
    // the reason's advice, with the rule's own advice fields over it (_explain._rule_advice)
    advice: Object.assign({}, data.reasons[rule.reason], rule.advice || {}, rule.note ? { note: rule.note } : {}),
  }));
  return {
    unescape: pyRegex(ex.unescape, "g"),
    quotedPrintable: pyRegex(ex.quoted_printable),
    unicodeEscape: pyRegex(ex.unicode_escape, "g"),
    smtplib: pyRegex(ex.smtplib),
    transcriptFailure: pyRegex(ex.transcript_failure),
    transcriptMarks: ex.transcript_marks,
    loopback: pyRegex(ex.loopback),
    start: pyRegex("^(?:" + ex.start + ")"),
    basic: ex.basic.map((p) => pyRegex(p, "d")),  // "d": where the code ends
    enhanced: pyRegex(ex.enhanced),
    enhancedAll: pyRegex(ex.enhanced, "g"),
    codeGap: pyRegex("^" + ex.code_gap + "*$"),
    continuation: pyRegex(ex.continuation, "g"),
    mask: ex.mask.map((m) => pyRegex(m, "g")),  // fields, angle brackets, addresses, hosts
    continuationHint: pyRegex(ex.continuation_hint),
    eximFlag: pyRegex(ex.exim_flag, "g"),
    eximDelivered: ex.exim_delivered,
    eximDropped: pyRegex("^(?:" + ex.exim_dropped + ")"),  // read just after a flag
    sessionReplies: ex.session_replies,  // 221: a reply that closes the session, which tells no delivery
    rules,
    anyByWord: null,  // built by needleIndex() when classify() first needs it, not when a page compiles the rules
    byEnhanced: data.enhanced,
    byBasic: data.basic,
    reasons: data.reasons,
    // the reason model (data/reason-model.json, as _explain.later_for_browser gives it), or null
    model: later.model ? {
      reasons: later.model.reasons, minWords: later.model.min_words, minCues: later.model.min_cues,
      margin: later.model.margin, aboutMail: new Set(later.model.about_mail),
      ignore: later.model.ignore.map((phrase) => " " + phrase + " "),
      prior: later.model.prior,
      words: new Map(Object.entries(later.model.words)),
    } : null,
    records: compileRecords(data.records),
  };
}

// -- one record at a time (smtpteach/_records.py, data/reasons.yaml "records") --

function compileRecords(rec) {
  return {
    log: pyRegex(rec.log),
    reply: pyRegex("^(?:" + rec.reply + ")"),
    quoted: pyRegex(rec.quoted),
    quotedMarks: rec.quoted_marks,
    dsn: pyRegex("^(?:" + rec.dsn + ")"),
    bounce: pyRegex("^(?:" + rec.bounce + ")"),
    error: rec.error,
    kinds: rec.kinds,
    messageFields: rec.message_fields,
  };
}

// A reply at the start of a line, or one the line quotes after one of the marks (_records.reply_line).
function replyLine(line, rec) {
  const m = rec.reply.exec(line);
  if (m) return m;
  const at = rec.quotedMarks.map((mark) => line.indexOf(mark)).filter((i) => i >= 0);
  return at.length ? rec.quoted.exec(line.slice(Math.min(...at))) : null;
}

// Where a second record starts in text, as [1-based line, kind], or null for one record (_records.second_record).
function secondRecord(text, rec) {
  if (!text.includes("\n")) return null;
  let logSeen = false, replies = 0, openCode = null;
  const fields = new Set();
  let addresses = 0;  // the failed addresses of a bounce in plain text
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i], number = i + 1;
    if (rec.bounce.test(line)) {
      if (addresses) return [number, "bounce"];
      addresses = 1;
      continue;
    }
    if (!line || line[0] === " " || line[0] === "\t") continue;  // a blank or folded line continues what came before
    if (rec.log.test(line)) {
      if (logSeen) return [number, "log"];
      logSeen = true;
      continue;
    }
    let m = replyLine(line, rec);
    if (m) {
      const code = m.groups.code;
      if (code !== openCode) {  // not a further line of the reply before: a new reply
        if (replies) return [number, "reply"];
        replies = 1;
      }
      openCode = m.groups.more ? code : null;
      continue;
    }
    m = rec.dsn.exec(line.toLowerCase());
    if (m) {
      if (fields.has(m.groups.field)) return [number, "dsn"];
      fields.add(m.groups.field);
    }
  }
  return null;
}

class MixedRecordsError extends Error {
  constructor(message, line, kind) {
    super(message);
    this.name = "MixedRecordsError";
    this.line = line;
    this.kind = kind;
  }
}

// A whole message as it is stored, header fields then a body (_records.is_whole_message). Python reads it as triage
// does (the recipient block of its DSN); the page reads no MIME, and says so (WholeMessageError).
function isWholeMessage(text, rec) {
  const t = text.split("\r\n").join("\n").split("\r").join("\n");  // LF, CR LF or an old Mac's bare CR
  const cut = t.indexOf("\n\n");
  if (cut < 0 || !/[^ \t\n\r\f\v]/.test(t.slice(cut + 2))) return false;  // ASCII's blanks, as Python strips them
  let lines = t.slice(0, cut).split("\n");
  if (lines[0].startsWith("From ")) lines = lines.slice(1);
  const names = new Set();
  for (const line of lines) {
    if ((line[0] === " " || line[0] === "\t") && names.size) continue;  // a folded field goes on
    const m = /^[!-9;-~]+:/.exec(line);
    if (!m) return false;
    names.add(m[0].slice(0, -1).toLowerCase());
  }
  return rec.messageFields.filter((name) => names.has(name)).length >= 2;
}

class WholeMessageError extends Error {
  constructor() {
    super("a whole message");
    this.name = "WholeMessageError";
  }
}

// Throw MixedRecordsError, with Python's message, when text holds more than one record (_records.check_one_record).
function checkOneRecord(text, rec) {
  const found = secondRecord(text, rec);
  if (found) {
    const [line, kind] = found;
    throw new MixedRecordsError(fill(rec.error, { kind: rec.kinds[kind], line: String(line) }), line, kind);
  }
}

// a text in a form made for transport, as the server wrote it: a quoted-printable body (soft line breaks joined,
// "=XX" bytes read as UTF-8) and characters written out as JSON writes them (_explain.readable)
function readable(text, r) {
  if (text.includes("=") && r.quotedPrintable.test(text)) {
    const src = new TextEncoder().encode(text.replace(/=\r?\n/g, ""));
    const out = [];
    const hex = (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70);  // 0-9, A-F
    for (let i = 0; i < src.length; i++) {
      if (src[i] === 61 && i + 2 < src.length && hex(src[i + 1]) && hex(src[i + 2])) {
        out.push(parseInt(String.fromCharCode(src[i + 1], src[i + 2]), 16));
        i += 2;
      } else out.push(src[i]);
    }
    text = new TextDecoder().decode(new Uint8Array(out));
  }
  if (text.includes("\\u")) {
    text = text.replace(r.unicodeEscape, (...args) => {
      const g = args[args.length - 1];
      if (g.one) return String.fromCharCode(parseInt(g.one, 16));
      return String.fromCharCode(parseInt(g.high, 16), parseInt(g.low, 16));
    });
  }
  return text;
}

function unescapeBytes(text) {
  return text.split("\\r\\n").join("\n").split("\\n").join("\n").split("\\'").join("'").split('\\"').join('"');
}

// text from the first failing reply of a session transcript it holds, "<-- 550 ..." (_explain.failing_part)
function failingPart(text, r) {
  if (!text.includes("\n") || !r.transcriptMarks.some((mark) => text.includes(mark))) return text;
  const m = r.transcriptFailure.exec(text);
  return m ? text.slice(m.index) : text;
}

function extract(text, r) {
  let basic = null, enhanced = null, message = text, after = 0;
  const m = text.includes("(") ? r.smtplib.exec(text) : null;
  if (m) {
    basic = m.groups.code;
    message = unescapeBytes(m.groups.msg ?? m.groups.msg2);
  } else {
    if (text.includes("\\n") && !text.includes("\n")) {
      text = message = text.replace(r.unescape, "\n");
    }
    const s = r.start.exec(text);
    if (s) return [s.groups.code, s.groups.enh, message];
    for (const tier of r.basic) {
      const t = tier.exec(text);
      if (t) { basic = t.groups.code; after = t.indices.groups.code[1]; break; }
    }
  }
  const e = r.enhanced.exec(message);
  if (e) {
    enhanced = e.groups.enh;
    if (basic && enhanced[0] !== basic[0] && e.index >= after) enhanced = agreeingEnhanced(r, message, basic, after, e);
  }
  return [basic, enhanced, message];
}

// _explain._agreeing_enhanced: RFC 2034 section 4, a server's enhanced code agrees
// with its reply code; a disagreeing one counts only right after the reply code.
function agreeingEnhanced(r, message, basic, after, first) {
  if (r.codeGap.test(message.slice(after, first.index))) return first.groups.enh;
  const all = r.enhancedAll;
  all.lastIndex = first.index + first[0].length;
  for (let e = all.exec(message); e; e = all.exec(message)) {
    if (e.groups.enh[0] === basic[0]) return e.groups.enh;
  }
  return null;
}

// _explain.words_of, on text already lowercased: runs of a-z and 0-9 in ASCII text; outside ASCII, the
// compatibility form (NFKC) lowercased again, then runs of letters and digits of any script, each kana, CJK
// ideograph and Hangul syllable a word of its own
const CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3";
const UNICODE_WORD = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, "gu");
function wordsOf(low) {
  if (!/[^\x00-\x7f]/.test(low)) return low.replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean);
  return low.normalize("NFKC").toLowerCase().match(UNICODE_WORD) || [];
}

// Each "any" needle of the rules under the rarest of its words, with its rule's place. A needle is whole words, so
// it can be in a text only when that word is, and classify() tries only the needles of the text's own words:
// the same answers as trying every needle, a tenth of the work.
function needleIndex(rules) {
  const seen = new Map();
  const split = rules.map((rule) => rule.any.map((needle) => {
    const words = needle.slice(1, -1).split(" ");
    for (const word of words) seen.set(word, (seen.get(word) || 0) + 1);
    return words;
  }));
  const index = new Map();
  rules.forEach((rule, i) => {
    rule.any.forEach((needle, k) => {
      let key = null;
      for (const word of split[i][k]) if (key === null || seen.get(word) < seen.get(key)) key = word;
      const list = index.get(key);
      if (list) list.push([i, needle]);
      else index.set(key, [[i, needle]]);
    });
  });
  return index;
}

// [reason, advice, evidence] for a failure of class cls ("4", "5", or "" when nothing says), as _explain._classify;
// evidence: the words that decided it when the reason model did, and [] otherwise
function classify(text, basic, enhanced, r, cls) {
  // addresses and host names are not the server's words (_explain.mask)
  for (const [i, mark] of ["=", "<", "@", "["].entries()) if (text.includes(mark)) text = text.replace(r.mask[i], " ");
  let low = text.toLowerCase();
  if (low.includes("-") && r.continuationHint.test(low)) low = low.replace(r.continuation, " ");
  const words = wordsOf(low);
  const joined = " " + words.join(" ") + " ";
  const has = (needle) => joined.includes(needle);
  // which rules have an "any" needle in the text, from the needles of the text's words alone
  const anyHit = new Uint8Array(r.rules.length);
  const index = r.anyByWord || (r.anyByWord = needleIndex(r.rules));
  for (const word of new Set(words)) {
    for (const [i, needle] of index.get(word) || []) if (!anyHit[i] && has(needle)) anyHit[i] = 1;
  }
  let weak = null;  // a weak rule gives way to the enhanced code's reason
  for (let i = 0; i < r.rules.length; i += 1) {
    const rule = r.rules[i];
    if (rule.only && rule.only !== cls) continue;
    if (!anyHit[i] && !rule.all.some((group) => group.every((phrase) => phrase.some(has)))) continue;
    if (rule.except.some(has)) continue;
    if (!rule.weak) return [rule.reason, rule.advice, []];
    if (weak === null) weak = rule;
  }
  if (enhanced) {
    const reason = r.byEnhanced[enhanced] || r.byEnhanced["X." + enhanced.split(".").slice(1).join(".")];
    if (reason) return [reason, r.reasons[reason], []];
  }
  if (weak !== null) return [weak.reason, weak.advice, []];
  if (basic) {
    const reason = r.byBasic[basic] || r.byBasic[basic[0] + "xx"];
    if (reason && reason !== "undefined") return [reason, r.reasons[reason], []];
  }
  // nothing above names a reason: the reason model weighs the words, when it knows enough of them
  const guess = r.model ? guessReason(r.model, words, Boolean(basic || enhanced)) : null;
  if (guess) return [guess[0], r.reasons[guess[0]], guess[1]];
  return ["undefined", r.reasons.undefined, []];
}

// The reason model's likeliest reason for these words and its cues among them (at most three, the strongest
// first), or null (_explain._Model.guess): for a text that is not
// about mail (no reply code, and none of the words of about_mail), when it knows too few of the words, when the
// likeliest reason does not beat every other by the margin, or when too few of the words are cues of it.
// Integer weights, so the sums are Python's exactly.
function guessReason(m, words, coded) {
  // the runs of words the model never reads (DSN field names), each taken out until none is left (_Model.readable)
  let joined = " " + words.join(" ") + " ";
  for (const needle of m.ignore) while (joined.includes(needle)) joined = joined.split(needle).join(" ");
  words = joined.split(" ").filter(Boolean);
  // a field name of a DSN ("Original-Recipient:") is no sign that the text is about mail: the words it leaves
  if (!coded && !words.some((w) => m.aboutMail.has(w))) return null;
  const known = Array.from(new Set(words)).filter((w) => w.length > 2 && !/^[0-9]+$/.test(w) && m.words.has(w));
  if (known.length < m.minWords) return null;
  const scores = m.prior.slice();
  for (const w of known) {
    const entry = m.words.get(w);  // [the reason it is a cue of or -1, then reason index, weight, ...]
    for (let k = 1; k < entry.length; k += 2) scores[entry[k]] += entry[k + 1];
  }
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  let second = -Infinity;
  for (let i = 0; i < scores.length; i++) if (i !== best && scores[i] > second) second = scores[i];
  if (scores[best] - second < m.margin) return null;
  // a reason is named only when enough of the words are cues of it
  const cues = known.filter((w) => m.words.get(w)[0] === best);
  if (cues.length < m.minCues) return null;
  const weight = (w) => { const e = m.words.get(w); for (let k = 1; k < e.length; k += 2) if (e[k] === best) return e[k + 1]; return 0; };
  // the strongest first, then in Python's order of strings (code points; no word of the model is outside the BMP's
  // letters where UTF-16 order differs, and the parity test would say so)
  cues.sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  return [m.reasons[best], cues.slice(0, 3)];
}

// What Exim's log says of a delivery, with no reply code (_explain.exim_report), in one pass: "delivered" when
// its flags after a message id are all a delivery's, "discarded" when one of them dropped its address instead, or null
function eximReport(text, r) {
  let said = null;
  for (const m of text.matchAll(r.eximFlag)) {
    if (!r.eximDelivered.includes(m.groups.flag)) return null;
    if (said !== "discarded") said = r.eximDropped.test(text.slice(m.index + m[0].length)) ? "discarded" : "delivered";
  }
  return said;
}

// what a dropped address is explained as (_explain.DISCARDED)
const DISCARDED = ["filtered", "dont-retry", "recipient-admin", "discarded"];

function normaliseEnhanced(code) {
  const [k, s, d] = code.split(".");
  return `${k}.${parseInt(s, 10)}.${parseInt(d, 10)}`;
}

// The explanation of a pasted text, as smtpteach.explain gives it (as_dict()).
// The name and text a reason is said with (_explain.reason_words): those of the family a rule's note names
// (greylisting within blocked), or the reason's own, also where an older catalogue has no words for the note.
function reasonWords(ui, reason, note) {
  return (note && ui.reason_notes && ui.reason_notes[note]) || ui.reasons[reason];
}

// The line of a quoted-printable text where line `line` of its decoded form starts: a soft line break joins two of
// its lines into one (_explain.line_as_given)
function lineAsGiven(text, line) {
  let given = 1;
  for (const m of text.matchAll(/\r\n|\r|\n/g)) {
    if (line === 1) break;
    given += 1;
    if (m[0] === "\r" || text[m.index - 1] !== "=") line -= 1;  // a hard line break
  }
  return given;
}

function explain(text, r, ui) {
  if ((text.includes("\n") || text.includes("\r")) && isWholeMessage(text, r.records)) throw new WholeMessageError();
  const read = text;
  text = readable(text, r);
  // one record only, as explain() in Python; a line break written out as "\n" is one too (extract reads it so)
  // a bare carriage return ends a line as triage reads one (_explain.explain)
  const lines = text.includes("\r") ? text.split("\r\n").join("\n").split("\r").join("\n") : text;
  try {
    if (lines.includes("\n")) checkOneRecord(lines, r.records);
    else if (lines.includes("\\n")) checkOneRecord(lines.replace(r.unescape, "\n"), r.records);
  } catch (e) {  // the line as the reader gave it, not as it was read
    if (e.name !== "MixedRecordsError" || read === text || !read.includes("=") || !r.quotedPrintable.test(read)) throw e;
    const line = lineAsGiven(read, e.line);
    throw new MixedRecordsError(fill(r.records.error, { kind: r.records.kinds[e.kind], line: String(line) }), line, e.kind);
  }
  const [basic, enhancedRaw, message] = extract(failingPart(text, r), r);
  const enhanced = enhancedRaw ? normaliseEnhanced(enhancedRaw) : null;
  const cls = basic ? basic[0] : (enhanced ? enhanced[0] : "");
  // A success or an intermediate reply has no bounce reason to find, whatever its words say; nor has
  // a log line that reports a delivery with no reply code in it. A reply that closes the session (221)
  // tells no delivery: its words may name a cause, with no class to say whether it is permanent.
  let reason, permanent, retry, actor, evidence = [], note = "", exim = null;
  const closing = cls === "2" && r.sessionReplies.includes(basic) ? classify(message, basic, enhanced, r, "") : null;
  if (closing && closing[0] !== "delivered" && closing[0] !== "undefined") {
    [reason, , evidence] = closing; permanent = null; retry = closing[1].unknown; actor = closing[1].actor; note = closing[1].note || "";
  } else if ((exim = cls ? null : eximReport(message, r)) === "discarded") {
    [reason, retry, actor, note] = DISCARDED; permanent = null;
  } else if (cls === "2" || exim !== null) { reason = "delivered"; permanent = null; retry = "not-needed"; actor = "nobody"; }
  else if (cls === "3") { reason = "undefined"; permanent = null; retry = "continue"; actor = "nobody"; }
  else {
    let advice;
    [reason, advice, evidence] = classify(message, basic, enhanced, r, cls);
    permanent = cls === "5" ? true : cls === "4" ? false : null;
    retry = advice[permanent ? "permanent" : permanent === null ? "unknown" : "transient"];
    actor = advice.actor;
    if (actor === "recipient-admin" && text.includes("[") && r.loopback.test(text)) actor = "sender-admin";  // a service on the sending host
    note = advice.note || "";
  }
  const t = ui.templates;
  const words = reasonWords(ui, reason, note);
  const values = {
    basic: basic || "", enhanced: enhanced || "", reason_name: words.name,
    reason_text: words.text, retry: ui.retry[retry], actor: ui.actor[actor],
  };
  let key = basic && enhanced ? "explain_both" : basic ? "explain_basic" : enhanced ? "explain_enhanced" : "explain_none";
  if (cls === "3") key = "explain_intermediate";  // a step of the dialogue, not a verdict
  let advice;
  if (cls === "3" || reason === "delivered") advice = "explain_advice_positive";  // a delivery, with or without a code
  else if (reason === "expired") advice = "explain_advice_expired";  // the queue gave up, whatever the last reply's class
  else if (retry === "not-known") advice = "explain_advice_nothing";  // nothing named a cause, nothing gave a class
  else {
    advice = permanent === true ? "explain_advice_permanent" : permanent === false ? "explain_advice_transient" : "explain_advice_unknown";
    if (actor === "nobody") advice += "_nobody";  // "nobody has to act" is its own sentence, in every language
  }
  const summary = fill(t[key], values) + " " + fill(t[advice], values);
  return { basic, enhanced, permanent, reason, retry, actor, summary, evidence, note: note || null };
}
