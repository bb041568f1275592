// Runs smtpteach/static/core.js under node over a batch of inputs from Python.
// Usage: node parity.mjs CORE_JS INPUT_JSON  (writes JSON results to stdout)
import { readFileSync } from "node:fs";

const [core, input] = process.argv.slice(2);
const source = readFileSync(core, "utf8") + "\nexport { assemble, compileRules, explain, fill, joinList, readable, referenceUrl, wordsOf };\n";
const mod = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
const job = JSON.parse(readFileSync(input, "utf8"));
const out = { compare: {}, explain: {} };
for (const [lang, batch] of Object.entries(job.compare || {})) {
  out.compare[lang] = batch.pairs.map(([a, b]) => mod.assemble(batch.facts[a], batch.facts[b], batch.ui, lang));
}
if (job.explain) {
  const rules = mod.compileRules(job.explain.rules, job.explain.later);
  // compiled once per rules object (every ExplainWidget of a page shares it), again for another object
  out.rulesCompiledOnce = mod.compileRules(job.explain.rules, job.explain.later) === rules;
  out.rulesCompiledPerObject = mod.compileRules(structuredClone(job.explain.rules), job.explain.later) !== rules;
  // and again when the second tier arrives (a static page loads it later)
  out.rulesCompiledPerLater = mod.compileRules(job.explain.rules, structuredClone(job.explain.later)) !== rules;
  for (const [lang, ui] of Object.entries(job.explain.ui)) {
    out.explain[lang] = job.explain.texts.map((text) => {
      try {
        return mod.explain(text, rules, ui);
      } catch (e) {  // a text of several records: the error, as Python raises it
        if (e.name === "WholeMessageError") return { error: e.name };
        if (e.name !== "MixedRecordsError") throw e;
        return { error: e.name, message: e.message, line: e.line, kind: e.kind };
      }
    });
  }
}
// what the page reads a text in a form made for transport as (quoted-printable, JSON escapes)
if (job.readable) {
  const rules = mod.compileRules(job.explain.rules, job.explain.later);
  out.readable = job.readable.map((text) => mod.readable(text, rules));
}
// the address each reference of the catalogue links to (compare's "Learn more")
if (job.urls) out.urls = job.urls.map((reference) => mod.referenceUrl(reference));
// the words the reason rules read (as core.js's classify() calls it, on the lowercased text)
if (job.words) out.words = job.words.map((text) => mod.wordsOf(text.toLowerCase()));
process.stdout.write(JSON.stringify(out));
